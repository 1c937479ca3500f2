//! The function's shared state and its configuration.

use std::sync::{Arc, RwLock};

use sbiz_catalog::Catalog;

use super::auth::StaffTokens;
use super::input;
use super::origin_verify::OriginSecret;
use super::theme::Theme;
use crate::Result;
use crate::domain::{Clock, ServerKey};
use crate::messaging::Channels;
use crate::service::Service;
use crate::store::Store;

/// The environment variable of the origins accepted besides the catalog's.
pub const EXTRA_ORIGINS_ENV: &str = "SBIZ_EXTRA_ORIGINS";
/// The environment variable of the base of links in answers.
pub const PUBLIC_BASE_ENV: &str = "SBIZ_PUBLIC_BASE";
/// The environment variable naming the header a trusted front end sets to
/// the client's address (see `api/client.rs`).
pub const CLIENT_IP_HEADER_ENV: &str = "SBIZ_CLIENT_IP_HEADER";

/// Settings that do not come from the catalog.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    pub staff: StaffTokens,
    /// Origins accepted besides the catalog's `origin` (CORS and form
    /// posts), e.g. `http://localhost:1313` for a local preview.
    pub extra_origins: Vec<String>,
    /// Base URL for links in answers (management links, surveys); the
    /// catalog's `origin` when `None`. No trailing slash.
    pub public_base: Option<String>,
    /// The server secret; a random one by default (see [`ServerKey`]).
    pub secret: Arc<ServerKey>,
    /// The secret the front end adds to every request
    /// (`SBIZ_ORIGIN_SECRET`, see `api/origin_verify.rs`); `None`: every
    /// request is answered.
    pub origin_secret: Option<OriginSecret>,
}

impl AppConfig {
    /// The configuration from the environment, read once at start:
    /// `SBIZ_STAFF_TOKENS`, `SBIZ_EXTRA_ORIGINS` (comma-separated),
    /// `SBIZ_PUBLIC_BASE` and `SBIZ_ORIGIN_SECRET`. The server secret is
    /// loaded by the caller (it comes from a file or Secrets Manager, see
    /// [`crate::ops::load_secret`]).
    pub fn from_env(secret: Arc<ServerKey>) -> Result<AppConfig> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Ok(AppConfig {
            staff: StaffTokens::from_env()?,
            extra_origins: var(EXTRA_ORIGINS_ENV)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            public_base: var(PUBLIC_BASE_ENV),
            secret,
            origin_secret: OriginSecret::from_env()?,
        })
    }
}

/// Shared state: the catalog (swappable at run time), the service (store +
/// clock) and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    catalog: RwLock<Arc<Catalog>>,
    theme: RwLock<Option<Arc<Theme>>>,
    search: RwLock<Option<Arc<sbiz_presentation::search::Index>>>,
    /// The English edition's index (`en/search/index.json`).
    search_en: RwLock<Option<Arc<sbiz_presentation::search::Index>>>,
    /// The messaging channels: used by the dispatcher, by one-time codes
    /// (sent at once, not through the outbox) and to tell forms and
    /// `/api/health` what the deployment sends. None until set.
    channels: RwLock<Arc<Channels>>,
    service: Service,
    config: AppConfig,
}

impl AppState {
    pub fn new(
        catalog: Arc<Catalog>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: AppConfig,
    ) -> AppState {
        AppState {
            inner: Arc::new(Shared {
                catalog: RwLock::new(catalog),
                theme: RwLock::new(None),
                search: RwLock::new(None),
                search_en: RwLock::new(None),
                channels: RwLock::new(Arc::new(Channels::none(config.secret.clone()))),
                service: Service::new(store, clock, config.secret.clone()),
                config,
            }),
        }
    }

    /// The catalog in force; requests take it once and keep it to the end.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.inner
            .catalog
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the catalog (after a rebuild); requests in flight finish
    /// with the one they started with.
    pub fn set_catalog(&self, catalog: Arc<Catalog>) {
        *self
            .inner
            .catalog
            .write()
            .unwrap_or_else(|p| p.into_inner()) = catalog;
    }

    /// The search index of an edition, when it was loaded
    /// (`search/index.json`, `en/search/index.json`).
    pub fn search(
        &self,
        lang: sbiz_catalog::Lang,
    ) -> Option<Arc<sbiz_presentation::search::Index>> {
        let index = match lang {
            sbiz_catalog::Lang::Ko => &self.inner.search,
            sbiz_catalog::Lang::En => &self.inner.search_en,
        };
        index.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the search index (after a rebuild).
    pub fn set_search(
        &self,
        lang: sbiz_catalog::Lang,
        index: Option<Arc<sbiz_presentation::search::Index>>,
    ) {
        let slot = match lang {
            sbiz_catalog::Lang::Ko => &self.inner.search,
            sbiz_catalog::Lang::En => &self.inner.search_en,
        };
        *slot.write().unwrap_or_else(|p| p.into_inner()) = index;
    }

    /// The site's theme for HTML answers, when `forms.json` was loaded.
    pub fn theme(&self) -> Option<Arc<Theme>> {
        self.inner
            .theme
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the theme (after a rebuild); `None` goes back to the
    /// built-in pages.
    pub fn set_theme(&self, theme: Option<Arc<Theme>>) {
        *self.inner.theme.write().unwrap_or_else(|p| p.into_inner()) = theme;
    }

    /// The messaging channels in force (none unless [`set_channels`](Self::set_channels)).
    pub fn channels(&self) -> Arc<Channels> {
        self.inner
            .channels
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sets the messaging channels (at start, from [`Channels::from_env`]).
    /// Warns when they differ from what the site's forms promise
    /// (`site.yaml` `messaging:`).
    pub fn set_channels(&self, channels: Arc<Channels>) {
        let site = self.catalog().messages.channels.clone();
        if !channels.match_site(&site) {
            let st = channels.status();
            tracing::warn!(
                site = ?site.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                sms = st.sms.unwrap_or("none"),
                email = st.email.unwrap_or("none"),
                "the site's `messaging:` setting differs from the channels configured here: the forms promise what this server does not send (or the reverse); fix site.yaml or SBIZ_EMAIL / SBIZ_SMS"
            );
        }
        *self
            .inner
            .channels
            .write()
            .unwrap_or_else(|p| p.into_inner()) = channels;
    }

    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// Whether an `Origin` value is the site's (or an extra allowed one).
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        let cat = self.catalog();
        let config = self.config();
        origin == cat.origin.trim_end_matches('/')
            || config.public_base.as_deref().and_then(input::origin_of) == Some(origin)
            || config
                .extra_origins
                .iter()
                .any(|o| o.trim_end_matches('/') == origin)
    }

    /// The base of links in answers.
    pub fn base(&self) -> String {
        match &self.config().public_base {
            Some(b) => b.trim_end_matches('/').to_owned(),
            None => self.catalog().origin.trim_end_matches('/').to_owned(),
        }
    }
}
