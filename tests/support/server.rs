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
