//! `sbiz serve`: build, serve `public/`, rebuild on every change under
//! `content/` or `themes/`, and reload open pages. While the content has
//! errors the last good build keeps being served, with the errors (and the
//! warnings found with them) shown on top of every page; with no good
//! build yet, every page is a page of the errors. A build with warnings
//! only adds a small notice of them to every page.
//!
//! The booking API (`sbiz_booking`) is mounted under `/api/` on the embedded
//! SQLite store, with the catalog of the last good build; it is swapped in
//! place after every rebuild.
//!
//! With `--production` (the self-hosted mode, see `production.rs`) it builds
//! once, watches nothing, injects nothing, sends the security headers,
//! rate-limits `/api/` per client, rebuilds on `SIGHUP` and stops on
//! `SIGTERM`.
//!
//! Both run on the server loop of the booking function
//! (`sbiz_booking::api::server`): read timeouts for request headers and
//! bodies, graceful shutdown on `SIGTERM` or Ctrl+C.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response, Sse, sse::Event};
use axum::routing::get;
use notify::{RecursiveMode, Watcher};
use sbiz_booking::api::server::{self, Timeouts};
use sbiz_booking::domain::ServerKey;
use sbiz_booking::messaging::Channels;
use sbiz_booking::{AppConfig, AppState};
use sbiz_catalog::clock::{Clock, FixedClock, Now, SystemClock};
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::build::{self, Options};
use crate::diagnostics;
use crate::production::{self, RateLimit, RateLimiter};
use crate::render::cache::Fingerprint;
use crate::t;

/// How `sbiz serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: Options,
    /// A fixed "now" for builds and the booking clock (demos and tests).
    pub fixed_now: Option<Now>,
    pub host: String,
    pub port: u16,
    /// Folder for the SQLite database.
    pub data: PathBuf,
    /// The self-hosted mode; `None` for the editors' preview.
    pub production: Option<Production>,
    /// Read timeouts and the shutdown grace period.
    pub timeouts: Timeouts,
}

/// `sbiz serve --production` settings.
#[derive(Debug, Clone)]
pub struct Production {
    /// Per-client budget on `/api/`.
    pub rate: RateLimit,
    /// Take the client address from `X-Forwarded-For` when the peer is a
    /// loopback reverse proxy.
    pub trust_proxy: bool,
}

/// State shared by the server and the rebuild loop.
pub struct Preview {
    /// What the last build left to show on the pages.
    shown: Mutex<Shown>,
    /// Tells open pages to reload.
    reload: broadcast::Sender<()>,
    /// The booking API, once a build has produced a catalog.
    api: RwLock<Option<(AppState, Router)>>,
    /// What the booking API was last loaded from (see `load_api`).
    api_files: Mutex<ApiFiles>,
    /// `true` while a rebuild loads its files into the booking API: API
    /// requests wait for it to end (see `rebuild`).
    api_loading: watch::Sender<bool>,
}

/// Holds API requests back while it lives (see `rebuild`); lets them go
/// when dropped, even if loading panicked.
struct Loading<'p>(&'p Preview);

impl<'p> Loading<'p> {
    fn start(preview: &'p Preview) -> Self {
        preview.api_loading.send_replace(true);
        Loading(preview)
    }
}

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.api_loading.send_replace(false);
    }
}

/// What the last build left to show on every page: its report when it
/// failed (the errors, then the warnings found with them), or its warnings
/// when it succeeded with some.
#[derive(Default)]
struct Shown {
    errors: Option<String>,
    warnings: Option<crate::serve_errors::Warnings>,
}

/// The hash (XXH3-128) of the files each part of the booking API was last loaded from
/// (indexed by [`ApiPart`]): a rebuild that leaves a part's files byte for
/// byte as they were does not load that part again (parsing the catalog
/// and compiling the theme take tens of milliseconds on a large site).
/// After a good build the hash is of the files' fingerprints in the
/// build's manifest (a hash of their bytes), so the files are not read to
/// know; after a failed one, of the files themselves. `None`: not loaded
/// (or failed).
#[derive(Default)]
struct ApiFiles([Option<Fingerprint>; 3]);

/// The parts of the booking API that a build's files are loaded into.
#[derive(Clone, Copy)]
enum ApiPart {
    /// `catalog.json`.
    Catalog,
    /// `search/index.json` and `en/search/index.json`.
    Search,
    /// `forms.json`.
    Theme,
}

/// The hash of what the files at `urls` (site URLs) under `out` hold (a
/// missing file counts as one): from their fingerprints in `built`, the
/// build that just wrote `out`, or else by reading them.
fn files_hash(out: &Path, urls: &[String], built: Option<&build::Report>) -> Fingerprint {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for url in urls {
        if let Some(report) = built {
            match report.files.fingerprint(url) {
                Some(fp) => {
                    h.update(&[2]);
                    h.update(fp);
                }
                None => h.update(&[0]),
            }
            continue;
        }
        match std::fs::read(crate::urls::url_path(out, url)) {
            Ok(bytes) => {
                h.update(&[1]);
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            Err(_) => h.update(&[0]),
        }
    }
    h.digest128().to_le_bytes()
}

impl Preview {
    pub fn new() -> Arc<Preview> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Preview {
            shown: Mutex::new(Shown::default()),
            reload,
            api: RwLock::new(None),
            api_files: Mutex::new(ApiFiles::default()),
            api_loading: watch::Sender::new(false),
        })
    }

    fn set_shown(&self, shown: Shown) {
        if let Ok(mut s) = self.shown.lock() {
            *s = shown;
        }
    }

    /// The errors shown on every page: the report of the last build, if
    /// it failed (its warnings included).
    pub fn errors(&self) -> Option<String> {
        self.shown.lock().ok().and_then(|s| s.errors.clone())
    }

    /// The warnings noticed on every page: those of the last build, if it
    /// succeeded with some.
    pub fn warnings(&self) -> Option<String> {
        self.shown
            .lock()
            .ok()
            .and_then(|s| s.warnings.as_ref().map(|w| w.text.clone()))
    }

    /// What the pages show of the last build (see `inject`).
    fn shown_now(&self) -> (Option<String>, Option<crate::serve_errors::Warnings>) {
        self.shown
            .lock()
            .map(|s| (s.errors.clone(), s.warnings.clone()))
            .unwrap_or_default()
    }

    /// Installs the booking API (or swaps in a new catalog).
    pub(crate) fn set_api(&self, state: AppState) {
        let router = sbiz_booking::router(state.clone());
        if let Ok(mut api) = self.api.write() {
            *api = Some((state, router));
        }
        // A new state holds none of what an earlier one was loaded from.
        *self
            .api_files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = ApiFiles::default();
    }

    /// The booking API's state, once a build has produced a catalog.
    pub fn api_state(&self) -> Option<AppState> {
        self.api
            .read()
            .ok()
            .and_then(|a| a.as_ref().map(|(s, _)| s.clone()))
    }

    fn api_router(&self) -> Option<Router> {
        self.api
            .read()
            .ok()
            .and_then(|a| a.as_ref().map(|(_, r)| r.clone()))
    }

    /// Serves `out`, the live-reload endpoint, and the booking API at `/api/`.
    pub fn router(self: &Arc<Self>, out: &Path) -> Router {
        let files = site_files(out);
        let pages = Router::new()
            .route("/__sbiz/events", get(events))
            .route("/__sbiz/reload.js", get(reload_js))
            .fallback_service(files)
            .layer(middleware::map_response(|mut res: Response| async move {
                utf8_text(&mut res);
                res
            }))
            .layer(middleware::from_fn_with_state(self.clone(), inject))
            .with_state(self.clone());
        // Dispatch by prefix (not by route pattern) so that the API's own
        // path parameters are all it sees.
        let preview = self.clone();
        Router::new().fallback(move |req: Request| {
            let (preview, pages) = (preview.clone(), pages.clone());
            async move {
                let req = on_site(req);
                let path = req.uri().path();
                if path == "/api" || path.starts_with("/api/") {
                    api(preview, req).await
                } else {
                    match pages.oneshot(for_files(req)).await {
                        Ok(res) => res,
                        Err(never) => match never {},
                    }
                }
            }
        })
    }
}

/// The self-hosted server: the built site with the production headers, and
/// the booking API behind the per-client rate limit. No live reload.
fn production_router(preview: &Arc<Preview>, out: &Path, prod: &Production) -> Router {
    let files = site_files(out);
    let limiter = Arc::new(RateLimiter::new(prod.rate));
    let trust_proxy = prod.trust_proxy;
    let preview = preview.clone();
    Router::new().fallback(move |req: Request| {
        let (preview, files, limiter) = (preview.clone(), files.clone(), limiter.clone());
        async move {
            let req = on_site(req);
            let path = req.uri().path().to_owned();
            if path == "/api" || path.starts_with("/api/") {
                production::limit_api(&limiter, trust_proxy, req, |req| api(preview, req)).await
            } else {
                let mut res = match files.oneshot(for_files(req)).await {
                    Ok(res) => res.map(Body::new),
                    Err(never) => match never {},
                };
                production::site_headers(&path, &mut res);
                utf8_text(&mut res);
                res
            }
        }
    })
}

/// The built site under `out`: a folder's `index.html` for the folder, and
/// a missing page answered 404 with the "page not found" of its edition:
/// `/en/404.html` under `/en/` (when the site has an English edition),
/// `/404.html` elsewhere.
fn site_files(
    out: &Path,
) -> ServeDir<
    tower_http::set_status::SetStatus<
        impl tower::Service<
            Request,
            Response = Response,
            Error = std::convert::Infallible,
            Future = impl Send + use<>,
        > + Clone
        + Send
        + use<>,
    >,
> {
    let korean = ServeFile::new(out.join("404.html"));
    let english_page = out.join(
        sbiz_catalog::Lang::En
            .path("/404.html")
            .trim_start_matches('/'),
    );
    let english = ServeFile::new(&english_page);
    let not_found = tower::service_fn(move |req: Request| {
        let in_english = sbiz_catalog::Lang::of_path(req.uri().path()) == sbiz_catalog::Lang::En
            && english_page.is_file();
        let page = if in_english {
            english.clone()
        } else {
            korean.clone()
        };
        async move {
            match page.oneshot(req).await {
                Ok(res) => Ok(res.map(Body::new)),
                Err(never) => match never {},
            }
        }
    });
    ServeDir::new(out)
        .append_index_html_on_directories(true)
        .not_found_service(not_found)
}

/// Text files are UTF-8: the static files' `Content-Type` says so
/// (`text/css; charset=utf-8`), as the function's answers do.
pub(crate) fn utf8_text<B>(res: &mut axum::http::Response<B>) {
    let Some(ct) = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    let text = ct.starts_with("text/")
        || ct.starts_with("application/json")
        || ct.starts_with("application/xml")
        || ct.starts_with("application/atom+xml")
        || ct.starts_with("image/svg+xml");
    if text
        && !ct.contains("charset")
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!("{ct}; charset=utf-8"))
    {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
}

/// Makes the request's target a path on this site: leading slashes (and
/// backslashes, which browsers read as slashes) become one slash, and an
/// absolute target (`GET http://host/x`) loses its scheme and host.
///
/// Otherwise `GET //programmes` would be redirected by the static files to
/// `Location: //programmes/`, which a browser follows to the host
/// `programmes`: an open redirect.
/// The built files are served as they are (no precompressed variants), so
/// the client's `Accept-Encoding` means nothing to them; it is dropped
/// because tower-http's `ServeDir` (0.6), asked with `identity`, takes the
/// path's own extension for a precompressed file's, drops it and answers
/// the folder `programmes/` for `/programmes.en/` as a file it cannot read.
fn for_files(mut req: Request) -> Request {
    req.headers_mut()
        .remove(axum::http::header::ACCEPT_ENCODING);
    req
}

fn on_site(mut req: Request) -> Request {
    let uri = req.uri();
    let target = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let rest = target.trim_start_matches(['/', '\\']);
    let clean = uri.scheme().is_none()
        && uri.authority().is_none()
        && target.len() == rest.len() + 1
        && target.starts_with('/');
    if clean {
        return req;
    }
    match format!("/{rest}").parse::<Uri>() {
        Ok(uri) => *req.uri_mut() = uri,
        // Cannot happen (a tail of a valid target); never serve it as is.
        Err(_) => *req.uri_mut() = Uri::from_static("/"),
    }
    req
}

/// Forwards to the booking API, or answers 503 until a build succeeded.
/// While a rebuild loads the booking API, waits for it to end.
async fn api(p: Arc<Preview>, req: Request) -> Response {
    let mut loading = p.api_loading.subscribe();
    // The sender lives as long as `p`: this cannot fail.
    let _ = loading.wait_for(|loading| !*loading).await;
    match p.api_router() {
        Some(router) => match router.oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        },
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"error":{"code":"unavailable","message":"사이트를 아직 만들지 못해 예약을 받을 수 없습니다. 잠시 후 다시 시도해 주세요."}}"#,
        )
            .into_response(),
    }
}

async fn events(State(p): State<Arc<Preview>>) -> impl IntoResponse {
    let stream = BroadcastStream::new(p.reload.subscribe()).map(|_| {
        Ok::<_, std::convert::Infallible>(Event::default().event("reload").data("reload"))
    });
    Sse::new(stream).keep_alive(axum::response::sse::KeepAlive::default())
}

const RELOAD_JS: &str = "(function(){var s=new EventSource('/__sbiz/events');s.addEventListener('reload',function(){location.reload();});})();\n";

async fn reload_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        RELOAD_JS,
    )
}

/// Adds the reload script, and the build errors or warnings if any, to
/// HTML pages (only as `sbiz serve` answers them: the files in `public/`
/// stay as the build wrote them). A page that is not there (with no
/// `404.html` to say so either) while the last build failed is the
/// errors' own page: there is no build to show them on.
async fn inject(State(p): State<Arc<Preview>>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let (errors, warnings) = p.shown_now();
    if !is_html {
        let errors = errors.filter(|_| res.status() == StatusCode::NOT_FOUND);
        return match errors {
            Some(errors) => (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                crate::serve_errors::page(&errors, "/__sbiz/reload.js"),
            )
                .into_response(),
            _ => res,
        };
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read page").into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let mut extra = String::from("<script src=\"/__sbiz/reload.js\" defer></script>");
    match (errors, warnings) {
        (Some(errors), _) => extra.push_str(&crate::serve_errors::overlay(&errors)),
        (None, Some(w)) => extra.push_str(&crate::serve_errors::notice(&w)),
        (None, None) => {}
    }
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &extra),
        None => html.push_str(&extra),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

/// What the booking API needs that outlives rebuilds.
pub struct ApiParts {
    pub store: Arc<dyn sbiz_booking::store::Store>,
    pub clock: Arc<dyn Clock>,
    pub config: AppConfig,
    /// The messaging channels, set on the booking API when it is created;
    /// `None`: no channel (nothing is sent, see `/api/health`).
    pub channels: Option<Arc<Channels>>,
}

/// The channels that `channels` send by (문자, e-mail), as the forms offer them.
fn sent_channels(channels: Option<&Channels>) -> Vec<sbiz_catalog::Channel> {
    let Some(st) = channels.map(Channels::status) else {
        return Vec::new();
    };
    [
        (st.sms.is_some(), sbiz_catalog::Channel::Sms),
        (st.email.is_some(), sbiz_catalog::Channel::Email),
    ]
    .into_iter()
    .filter_map(|(on, c)| on.then_some(c))
    .collect()
}

/// Builds once, reporting to the terminal and the preview, and hands the new
/// catalog to the booking API.
pub fn rebuild(opts: &ServeOptions, preview: &Preview, api: Option<&ApiParts>) -> bool {
    let mut o = opts.build.clone();
    o.now = opts.fixed_now.unwrap_or_else(Now::system);
    // The pages offer the channels this server sends by (none without
    // SBIZ_EMAIL / SBIZ_SMS), whatever site.yaml says for other deployments.
    if let Some(api) = api {
        o.messaging = Some(sent_channels(api.channels.as_deref()));
    }
    let built = build::build(&o);
    let ok = match &built {
        Ok(r) => {
            let warnings = crate::warning::report(&r.warnings);
            eprint!("{warnings}");
            eprintln!(
                "{}",
                t!(
                    "built {pages} pages in {ms} ms ({rendered} rendered, {unchanged} unchanged)",
                    pages = r.pages,
                    rendered = r.rendered,
                    unchanged = r.unchanged,
                    ms = r.millis as u64
                )
            );
            preview.set_shown(Shown {
                errors: None,
                warnings: (!r.warnings.is_empty()).then_some(crate::serve_errors::Warnings {
                    count: r.warnings.len(),
                    text: warnings,
                }),
            });
            true
        }
        Err(f) => {
            let text = diagnostics::report(f, diagnostics::Step::Build);
            eprint!("{text}");
            preview.set_shown(Shown {
                errors: Some(text),
                warnings: None,
            });
            false
        }
    };
    // Open pages reload first, and the booking API loads the new files
    // while they do: its requests wait until it has (`api`), so a page of
    // this build never meets the API of the last one.
    let loading = api.map(|_| Loading::start(preview));
    let _ = preview.reload.send(());
    if let Some(parts) = api {
        let t = std::time::Instant::now();
        load_api(opts, preview, parts, built.as_ref().ok());
        build::timing(
            "booking API after the reload event (catalog, search, theme)",
            t,
        );
    }
    drop(loading);
    ok
}

/// Loads `catalog.json` of the current output into the booking API, then
/// the search indexes and the theme (`forms.json`) of the same build; each
/// part only when its files changed since it was last loaded. `built`:
/// the report of the build that just wrote the output, if it succeeded.
fn load_api(
    opts: &ServeOptions,
    preview: &Preview,
    parts: &ApiParts,
    built: Option<&build::Report>,
) {
    let out = &opts.build.out;
    let path = out.join("catalog.json");
    if !path.exists() {
        return;
    }
    let catalog = files_hash(out, &["/catalog.json".to_owned()], built);
    let known = |part: ApiPart, hash: Fingerprint| {
        preview.api_state().is_some()
            && preview
                .api_files
                .lock()
                .is_ok_and(|f| f.0[part as usize] == Some(hash))
    };
    let remember = |part: ApiPart, hash: Option<Fingerprint>| {
        if let Ok(mut f) = preview.api_files.lock() {
            f.0[part as usize] = hash;
        }
    };
    if !known(ApiPart::Catalog, catalog) {
        match sbiz_booking::ops::load_catalog(&path) {
            Ok(c) => {
                match preview.api_state() {
                    Some(state) => state.set_catalog(Arc::new(c)),
                    None => {
                        let state = AppState::new(
                            Arc::new(c),
                            parts.store.clone(),
                            parts.clock.clone(),
                            parts.config.clone(),
                        );
                        if let Some(channels) = &parts.channels {
                            state.set_channels(channels.clone());
                        }
                        preview.set_api(state)
                    }
                }
                remember(ApiPart::Catalog, Some(catalog));
            }
            Err(e) => eprintln!(
                "{}: {}",
                t!("error"),
                t!(
                    "the booking API keeps its previous catalog: {error}",
                    error = e.to_string()
                )
            ),
        }
    }
    let Some(state) = preview.api_state() else {
        return;
    };
    // The theme of the function's pages and its search (the same build's
    // forms.json and search indexes).
    let search = files_hash(
        out,
        &sbiz_catalog::Lang::ALL
            .iter()
            .map(|l| format!("{}/{}", l.prefix(), sbiz_presentation::search::INDEX_PATH))
            .collect::<Vec<_>>(),
        built,
    );
    let theme = files_hash(
        out,
        &[format!("/{}", sbiz_presentation::kit::THEME_KIT_FILE)],
        built,
    );
    type Reload = fn(&AppState, &Path) -> sbiz_booking::Result<()>;
    let reloads: [(ApiPart, Fingerprint, Reload); 2] = [
        (ApiPart::Search, search, sbiz_booking::ops::reload_search),
        (ApiPart::Theme, theme, sbiz_booking::ops::reload_forms_theme),
    ];
    for (part, hash, reload) in reloads {
        if known(part, hash) {
            continue;
        }
        match reload(&state, &path) {
            Ok(()) => remember(part, Some(hash)),
            Err(e) => {
                remember(part, None);
                eprintln!(
                    "{}: {}",
                    t!("error"),
                    t!(
                        "the booking API answers with plain pages: {error}",
                        error = e.to_string()
                    )
                );
            }
        }
    }
}

/// Watches `content/` and the themes and rebuilds after each burst of changes.
fn watch(
    opts: ServeOptions,
    preview: Arc<Preview>,
    api: Arc<ApiParts>,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(());
        }
    })?;
    for path in [
        opts.build.root.join("content"),
        opts.build.themes_dir.clone(),
    ] {
        if path.exists() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Let a burst of events settle, then build once: one save's
            // events (a write in several pieces, a temporary file renamed
            // over the old one) come within a millisecond or two, and every
            // millisecond waited here is one more before the page reloads.
            // A burst that is still going is seen again by the next build,
            // and a file written too recently to trust is read again anyway
            // (`LoadCache`).
            while rx.recv_timeout(Duration::from_millis(8)).is_ok() {}
            rebuild(&opts, &preview, Some(&api));
        }
    });
    Ok(watcher)
}

/// The messaging channels from the environment (`SBIZ_EMAIL`, `SBIZ_SMS`,
/// see the booking function's README), built on `rt` (the SMTP pool keeps
/// a task on the runtime that sends); a configuration error stops the start.
fn channels(rt: &tokio::runtime::Runtime, secret: Arc<ServerKey>) -> Result<Arc<Channels>, String> {
    let channels = rt
        .block_on(Channels::from_env(secret))
        .map_err(|e| t!("messaging: {error}", error = e.to_string()).to_string())?;
    channels.report();
    Ok(Arc::new(channels))
}

/// Sends the outbox's due messages every `SBIZ_DISPATCH_SECONDS` (10 s),
/// once a build has made the booking API.
pub fn spawn_dispatcher(preview: Arc<Preview>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Some(state) = preview.api_state()
                && let Err(e) = sbiz_booking::messaging::drain_due(&state, None).await
            {
                eprintln!(
                    "{}: {}",
                    t!("error"),
                    t!(
                        "sending messages failed; retrying in {seconds} s: {error}",
                        seconds = every.as_secs().to_string(),
                        error = e.to_string()
                    )
                );
            }
        }
    });
}

fn api_parts(opts: &ServeOptions, rt: &tokio::runtime::Runtime) -> Result<ApiParts, String> {
    std::fs::create_dir_all(&opts.data).map_err(|e| {
        t!(
            "cannot create {path}: {error}",
            path = opts.data.display().to_string(),
            error = e.to_string()
        )
        .to_string()
    })?;
    let db = opts.data.join("booking.sqlite3");
    let store = sbiz_booking::store::sqlite::SqliteStore::open(&db).map_err(|e| {
        t!(
            "cannot open the booking database {path}: {error}",
            path = db.display().to_string(),
            error = e.to_string()
        )
        .to_string()
    })?;
    let clock: Arc<dyn Clock> = match opts.fixed_now {
        Some(n) => Arc::new(FixedClock::at_kst(n.date, n.time)),
        None => Arc::new(SystemClock),
    };
    // The server secret lives beside the database it protects (mode 0600).
    let secret = rt
        .block_on(sbiz_booking::ops::load_secret(Some(
            &opts.data.join("secret.key"),
        )))
        .map_err(|e| e.to_string())?;
    // Records from before person keys were made with the secret move now,
    // before the first request (and with each hourly purge, should this fail).
    if let Err(e) = rt.block_on(sbiz_booking::ops::migrate_store(&store, &secret)) {
        eprintln!(
            "{}: {}",
            t!("error"),
            t!(
                "person keys not moved to the server secret: {error}",
                error = e.to_string()
            )
        );
    }
    // The environment is read once, here (as by the booking-fn binary).
    let secret = Arc::new(secret);
    let channels = channels(rt, secret.clone())?;
    // Each error names its variable (SBIZ_STAFF_TOKENS, SBIZ_ORIGIN_SECRET).
    let env = AppConfig::from_env(secret).map_err(|e| e.to_string())?;
    if env.staff.is_empty() {
        eprintln!(
            "{}",
            t!(
                "note: SBIZ_STAFF_TOKENS is not set, so the admin page accepts no token (see README)"
            )
        );
    }
    let config = if opts.production.is_some() {
        // Behind its public name: the catalog's origin, plus any the
        // operator adds.
        env
    } else {
        let local = format!("http://{}:{}", opts.host, opts.port);
        AppConfig {
            extra_origins: vec![local.clone(), format!("http://localhost:{}", opts.port)],
            public_base: Some(local),
            ..env
        }
    };
    Ok(ApiParts {
        store: Arc::new(store),
        clock,
        config,
        channels: Some(channels),
    })
}

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// `sbiz serve`, until `SIGTERM` or Ctrl+C.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    run_until(opts, server::shutdown_signal())
}

/// How long the preview waits on shutdown: open pages hold the live-reload
/// stream, which never ends by itself.
const PREVIEW_GRACE: Duration = Duration::from_secs(1);

/// `sbiz serve`, until `shutdown` completes.
pub fn run_until(mut opts: ServeOptions, shutdown: impl Future<Output = ()>) -> Result<(), String> {
    init_logs();
    // Rebuilds parse only the content files whose text changed.
    opts.build.cache.get_or_insert_with(Default::default);
    let preview = Preview::new();
    let rt = tokio::runtime::Runtime::new()
        .map_err(|e| t!("cannot start the server: {error}", error = e.to_string()).to_string())?;
    let dispatch_every =
        sbiz_booking::messaging::dispatch_every_from_env().map_err(|e| e.to_string())?;
    let api = Arc::new(api_parts(&opts, &rt)?);
    let built = rebuild(&opts, &preview, Some(&api));
    if let Some(prod) = &opts.production {
        return run_production(
            opts.clone(),
            prod.clone(),
            preview,
            api,
            built,
            (rt, dispatch_every),
            shutdown,
        );
    }
    let _watcher = watch(opts.clone(), preview.clone(), api.clone())
        .map_err(|e| t!("cannot watch for changes: {error}", error = e.to_string()).to_string())?;
    let app = preview.router(&opts.build.out);
    rt.block_on(async move {
        let addr = format!("{}:{}", opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| {
            t!(
                "cannot listen on {addr}: {error}",
                addr = addr.as_str(),
                error = e.to_string()
            )
            .to_string()
        })?;
        eprintln!(
            "{}",
            t!(
                "serving http://{addr}/ (Ctrl+C to stop)",
                addr = addr.as_str()
            )
        );
        spawn_hourly_purge(preview.clone());
        spawn_dispatcher(preview.clone(), dispatch_every);
        let timeouts = Timeouts {
            shutdown_grace: opts.timeouts.shutdown_grace.min(PREVIEW_GRACE),
            ..opts.timeouts
        };
        server::serve(listener, app, timeouts, shutdown)
            .await
            .map_err(|e| t!("server error: {error}", error = e.to_string()).to_string())
    })
}

/// Personal data past its retention period is deleted every hour.
fn spawn_hourly_purge(preview: Arc<Preview>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Some(state) = preview.api_state()
                && let Err(e) = sbiz_booking::ops::purge_now(&state).await
            {
                eprintln!(
                    "{}: {}",
                    t!("error"),
                    t!("purge failed: {error}", error = e.to_string())
                );
            }
        }
    });
}

/// `sbiz serve --production`: serves the last good build; `SIGHUP`
/// rebuilds (a content update, the nightly status refresh), `shutdown`
/// (`SIGTERM` or Ctrl+C) stops after the requests in flight.
fn run_production(
    opts: ServeOptions,
    prod: Production,
    preview: Arc<Preview>,
    api: Arc<ApiParts>,
    built: bool,
    (rt, dispatch_every): (tokio::runtime::Runtime, Duration),
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    if preview.api_state().is_none() || !opts.build.out.join("index.html").is_file() {
        return Err(t!(
            "no good build in {path} to serve: fix the errors above",
            path = opts.build.out.display().to_string()
        )
        .to_string());
    }
    if !built {
        eprintln!(
            "{}: {}",
            t!("error"),
            t!("the content has errors; serving the last good build")
        );
    }
    let app = production_router(&preview, &opts.build.out, &prod);
    rt.block_on(async move {
        let addr = format!("{}:{}", opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| {
                t!(
                    "cannot listen on {addr}: {error}",
                    addr = addr.as_str(),
                    error = e.to_string()
                )
                .to_string()
            })?;
        eprintln!(
            "{}",
            t!(
                "serving http://{addr}/ in production mode (API limit per client: {burst} at once, {rate}/s)",
                addr = addr.as_str(),
                burst = prod.rate.burst.to_string(),
                rate = prod.rate.per_second.to_string()
            )
        );
        spawn_hourly_purge(preview.clone());
        spawn_dispatcher(preview.clone(), dispatch_every);
        #[cfg(unix)]
        {
            let (opts, preview, api) = (opts.clone(), preview.clone(), api.clone());
            tokio::spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                let Ok(mut hup) = signal(SignalKind::hangup()) else {
                    return;
                };
                while hup.recv().await.is_some() {
                    let (opts, preview, api) = (opts.clone(), preview.clone(), api.clone());
                    let _ =
                        tokio::task::spawn_blocking(move || rebuild(&opts, &preview, Some(&api)))
                            .await;
                }
            });
        }
        // Every request carries the client's address (`ConnectInfo`) for
        // the rate limit.
        server::serve(listener, app, opts.timeouts, shutdown)
            .await
            .map_err(|e| t!("server error: {error}", error = e.to_string()).to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page reloaded after a rebuild never meets the booking API of the
    /// build before: the reload event goes out before the API has loaded
    /// the new catalog, and API requests wait until it has.
    #[test]
    fn api_requests_after_the_reload_event_see_the_new_catalog() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for e in walkdir::WalkDir::new(repo.join("tests/fixtures/valid-site"))
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = e
                .path()
                .strip_prefix(repo.join("tests/fixtures/valid-site"))
                .expect("inside");
            if e.file_type().is_dir() {
                std::fs::create_dir_all(root.join(rel)).expect("a folder");
            } else {
                std::fs::copy(e.path(), root.join(rel)).expect("a copy");
            }
        }
        let now: Now = "2026-11-28".parse().expect("a time");
        let mut build = Options::new(root, now);
        build.themes_dir = repo.join("themes");
        build.cache = Some(Arc::new(build::LoadCache::default()));
        let opts = ServeOptions {
            build,
            fixed_now: Some(now),
            host: "127.0.0.1".into(),
            port: 0,
            data: root.join("data"),
            production: None,
            timeouts: Timeouts::default(),
        };
        let store = sbiz_booking::store::sqlite::SqliteStore::open(root.join("booking.sqlite3"))
            .expect("the booking database");
        let parts = ApiParts {
            store: Arc::new(store),
            clock: Arc::new(FixedClock::at_kst(now.date, now.time)),
            config: AppConfig::default(),
            channels: None,
        };
        let preview = Preview::new();
        assert!(rebuild(&opts, &preview, Some(&parts)));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let status = |id: &str| {
            let req = Request::get(format!("/api/equipment/{id}/availability"))
                .body(Body::empty())
                .expect("a request");
            rt.block_on(api(preview.clone(), req)).status()
        };
        assert_eq!(status("wax-printer"), StatusCode::OK);
        assert_eq!(status("new-printer"), StatusCode::NOT_FOUND);
        // A new piece of equipment, saved while a page is open.
        let equipment = root.join("content/equipment");
        std::fs::copy(
            equipment.join("wax-printer.yaml"),
            equipment.join("new-printer.yaml"),
        )
        .expect("a copy");
        let mut reloads = preview.reload.subscribe();
        std::thread::scope(|s| {
            s.spawn(|| assert!(rebuild(&opts, &preview, Some(&parts))));
            rt.block_on(reloads.recv()).expect("a reload event");
            // As the reloaded page asks at once.
            assert_eq!(status("new-printer"), StatusCode::OK);
        });
    }

    /// Without a build's report (after a failed build) the files are read:
    /// the hash follows their bytes, file by file.
    #[test]
    fn without_a_report_files_are_hashed_by_their_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path();
        let urls = ["/catalog.json".to_owned(), "/search/index.json".to_owned()];
        let write = |rel: &str, text: &str| {
            let path = out.join(rel);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
            std::fs::write(path, text).expect("write");
        };
        let hash = || files_hash(out, &urls, None);
        let missing = hash();
        write("catalog.json", "");
        let empty = hash();
        assert_ne!(missing, empty, "a missing file is not an empty one");
        write("catalog.json", "{}");
        let catalog = hash();
        assert_ne!(catalog, empty);
        assert_eq!(hash(), catalog, "the same bytes, the same hash");
        write("search/index.json", "{}");
        let both = hash();
        assert_ne!(both, catalog);
        // The same bytes split otherwise between the files.
        write("catalog.json", "{}{}");
        write("search/index.json", "");
        assert_ne!(hash(), both);
    }
}
