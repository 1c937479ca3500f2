//! `sbiz serve`: build, serve `public/`, rebuild on every change under
//! `content/` or `themes/`, and reload open pages. While the content has
//! errors the last good build keeps being served, with the errors shown on
//! top of every page.
//!
//! The booking API mounts under `/api/` through [`Preview::router`]'s `api`
//! argument (a later issue plugs the booking function in there).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response, Sse, sse::Event};
use axum::routing::get;
use notify::{RecursiveMode, Watcher};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

use crate::build::{self, Options};
use crate::clock::Now;
use crate::diagnostics;

/// State shared by the server and the rebuild loop.
pub struct Preview {
    /// The errors of the last build, if it failed.
    errors: Mutex<Option<String>>,
    /// Tells open pages to reload.
    reload: broadcast::Sender<()>,
}

impl Preview {
    pub fn new() -> Arc<Preview> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Preview {
            errors: Mutex::new(None),
            reload,
        })
    }

    fn set_errors(&self, errors: Option<String>) {
        if let Ok(mut e) = self.errors.lock() {
            *e = errors;
        }
    }

    fn errors(&self) -> Option<String> {
        self.errors.lock().ok().and_then(|e| e.clone())
    }

    /// Serves `out`, with the live-reload endpoint and `api` under `/api/`.
    pub fn router(self: &Arc<Self>, out: &Path, api: Option<Router>) -> Router {
        let files = ServeDir::new(out)
            .append_index_html_on_directories(true)
            .not_found_service(ServeFile::new(out.join("404.html")));
        let mut app = Router::new()
            .route("/__sbiz/events", get(events))
            .route("/__sbiz/reload.js", get(reload_js))
            .fallback_service(files)
            .layer(middleware::from_fn_with_state(self.clone(), inject))
            .with_state(self.clone());
        if let Some(api) = api {
            app = app.nest("/api", api);
        }
        app
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Adds the reload script, and the build errors if any, to HTML pages.
async fn inject(State(p): State<Arc<Preview>>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read page").into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let mut extra = String::from("<script src=\"/__sbiz/reload.js\" defer></script>");
    if let Some(errors) = p.errors() {
        extra.push_str(&format!(
            "<div role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#8a1010;border-top:4px solid #c00;padding:1rem;z-index:9999;font:14px/1.5 monospace;white-space:pre-wrap\"><strong>빌드 오류: 마지막으로 성공한 빌드를 보여 주고 있습니다.</strong>\n{}</div>",
            escape(&errors)
        ));
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

/// Builds once, reporting to the terminal and to the preview state.
pub fn rebuild(opts: &Options, fixed_now: Option<Now>, preview: &Preview) -> bool {
    let mut o = opts.clone();
    o.now = fixed_now.unwrap_or_else(Now::system);
    match build::build(&o) {
        Ok(r) => {
            eprintln!("built {} pages in {} ms", r.pages, r.millis);
            preview.set_errors(None);
            let _ = preview.reload.send(());
            true
        }
        Err(d) => {
            let text = diagnostics::report(&d, "build");
            eprint!("{text}");
            preview.set_errors(Some(text));
            let _ = preview.reload.send(());
            false
        }
    }
}

/// Watches `content/` and `themes/` and rebuilds after each burst of changes.
pub fn watch(
    opts: Options,
    fixed_now: Option<Now>,
    preview: Arc<Preview>,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if !matches!(ev.kind, notify::EventKind::Access(_)) {
                let _ = tx.send(());
            }
        }
    })?;
    for path in [opts.root.join("content"), opts.themes_dir.clone()] {
        if path.exists() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Let a burst of saves settle, then build once.
            while rx.recv_timeout(Duration::from_millis(80)).is_ok() {}
            rebuild(&opts, fixed_now, &preview);
        }
    });
    Ok(watcher)
}

/// `sbiz serve`.
pub fn run(opts: Options, fixed_now: Option<Now>, host: &str, port: u16) -> Result<(), String> {
    let preview = Preview::new();
    rebuild(&opts, fixed_now, &preview);
    let _watcher = watch(opts.clone(), fixed_now, preview.clone())
        .map_err(|e| format!("cannot watch for changes: {e}"))?;
    let app = preview.router(&opts.out, None);
    let rt = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start the server: {e}"))?;
    rt.block_on(async move {
        let addr = format!("{host}:{port}");
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        eprintln!("serving http://{addr}/ (Ctrl+C to stop)");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}
