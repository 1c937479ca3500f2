//! A static file server for the built site on a free port of 127.0.0.1,
//! running on its own thread and runtime (so it outlives any test runtime).

use std::net::SocketAddr;
use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub struct Server {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `dir` like the production CDN: `/x/` → `x/index.html`, and
    /// `404.html` with status 404 for anything missing.
    pub fn start(dir: &Path) -> Server {
        Server::with_router(dir, Router::new())
    }

    /// Serves `routes` (e.g. the booking API nested under `/api`) and, for
    /// every other path, the files of `dir`.
    pub fn with_router(dir: &Path, routes: Router) -> Server {
        let files = ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("404.html")));
        let app = routes.fallback_service(files);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the test server");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .expect("the test server runs");
            });
        });
        Server {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Serves the built site in `dir` with the booking function under
    /// `/api/` (its catalog, theme and search index from `dir`, an
    /// in-memory store, the clock at [`crate::site::NOW`] 10:00), as
    /// production does: the search forms and 예약 조회 work.
    pub fn with_api(dir: &Path) -> Server {
        use std::sync::Arc;
        let catalog_path = dir.join("catalog.json");
        let catalog = sbiz_booking::ops::load_catalog(&catalog_path).expect("the built catalog");
        let store = sbiz_booking::store::sqlite::SqliteStore::in_memory().expect("a store");
        let today = crate::site::NOW.parse().expect("NOW is a date");
        let clock = Arc::new(sbiz_catalog::clock::FixedClock::at_kst(
            today,
            "10:00".parse().expect("a time"),
        ));
        let state = sbiz_booking::AppState::new(
            Arc::new(catalog),
            Arc::new(store),
            clock,
            sbiz_booking::AppConfig {
                staff: sbiz_booking::StaffTokens::parse("").expect("no staff"),
                extra_origins: Vec::new(),
                public_base: None,
                secret: Default::default(),
                origin_secret: None,
            },
        );
        sbiz_booking::ops::reload_theme(&state, &catalog_path).expect("the theme and index");
        Server::with_router(dir, sbiz_booking::router(state))
    }

    /// The absolute URL of a site path (`/search/?q=재단기`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
