//! The HTTP API under `/api/`: an axum `Router` over [`AppState`].
//!
//! Every answer is JSON, except that a request whose `Accept` includes
//! `text/html` (a browser following a link or posting a plain form) gets a
//! small Korean page from [`html`]. Every error is `{ "error": { "code",
//! "message", "fields" } }` with a stable code.

pub mod auth;
pub mod forms;
mod handlers;
pub mod html;
pub mod input;
mod pages;
mod reply;
pub mod routes;
pub mod server;
pub mod theme;
pub mod views;

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use sbiz_catalog::Catalog;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use auth::StaffTokens;

use crate::domain::{Clock, ServerKey};
use crate::service::Service;
use crate::store::Store;

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
}

/// Shared state: the catalog (swappable at run time), the service (store +
/// clock) and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    catalog: RwLock<Arc<Catalog>>,
    theme: RwLock<Option<Arc<theme::Theme>>>,
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

    /// The site's theme for HTML answers, when `forms.json` was loaded.
    pub fn theme(&self) -> Option<Arc<theme::Theme>> {
        self.inner
            .theme
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the theme (after a rebuild); `None` goes back to plain pages.
    pub fn set_theme(&self, theme: Option<Arc<theme::Theme>>) {
        *self.inner.theme.write().unwrap_or_else(|p| p.into_inner()) = theme;
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

/// The whole API. Mount it at the root: every path starts with `/api/`.
pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for (_, path, handler) in routes::table() {
        r = r.route(path, handler);
    }
    let cors_state = state.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| cors_state.origin_allowed(o))
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            "idempotency-key".parse().unwrap_or(header::ACCEPT),
        ])
        .max_age(std::time::Duration::from_secs(600));
    r.fallback(reply::not_found)
        .method_not_allowed_fallback(reply::method_not_allowed)
        .layer(axum::middleware::from_fn(reply::log_and_secure))
        .layer(cors)
        .with_state(state)
}
