//! The whole local portal as `sbiz serve` runs it: a fixture site built
//! with a fixed clock, the booking API on an SQLite file under a temporary
//! data folder, the theme's pages, on a free port of 127.0.0.1. The clock
//! can be moved while it runs (the data stays), like restarting
//! `sbiz serve --now LATER --data SAME`.

use std::path::Path;
use std::sync::Arc;

use sbiz::build::Options;
use sbiz::serve::{self, ApiParts, Preview, ServeOptions};
use sbiz_booking::{AppConfig, StaffTokens};
use sbiz_catalog::clock::{FixedClock, Now};
use sbiz_catalog::{Date, TimeOfDay};

pub struct Portal {
    pub addr: std::net::SocketAddr,
    clock: Arc<FixedClock>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

fn parse(at: &str) -> (Date, TimeOfDay) {
    let (d, t) = at.split_once('T').expect("YYYY-MM-DDTHH:MM");
    (d.parse().expect("a date"), t.parse().expect("a time"))
}

impl Portal {
    /// Builds `root` (a site folder with `content/`) with the repository's
    /// themes, "now" = `at` (Korea time, `2026-11-28T10:00`), and serves it.
    /// `staff_token` is accepted on the admin page with scope `*`.
    pub fn start(root: &Path, at: &str, staff_token: &str) -> Portal {
        Portal::start_with(root, at, staff_token, |secret, _| {
            Arc::new(sbiz_booking::messaging::Channels::none(secret))
        })
    }

    /// As [`Portal::start`], sending 문자 and e-mail through the channels
    /// `channels` makes from the portal's server secret and origin (e.g.
    /// [`crate::sms::Sms::channels`]); the outbox is sent every second, as
    /// `sbiz serve` does every ten.
    pub fn start_with(
        root: &Path,
        at: &str,
        staff_token: &str,
        channels: impl FnOnce(
            Arc<sbiz_booking::domain::ServerKey>,
            &str,
        ) -> Arc<sbiz_booking::messaging::Channels>,
    ) -> Portal {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (date, time) = parse(at);
        let mut build = Options::new(root.to_path_buf(), Now { date, time });
        build.out = dir.path().join("public");
        build.themes_dir = crate::repo_root().join("themes");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local address");
        let origin = format!("http://{addr}");
        let opts = ServeOptions {
            build,
            fixed_now: Some(Now { date, time }),
            host: "127.0.0.1".into(),
            port: addr.port(),
            data: dir.path().join("data"),
            production: None,
            timeouts: Default::default(),
        };
        std::fs::create_dir_all(&opts.data).expect("data folder");
        let clock = Arc::new(FixedClock::at_kst(date, time));
        let store =
            sbiz_booking::store::sqlite::SqliteStore::open(opts.data.join("booking.sqlite3"))
                .expect("the booking database");
        let spec = format!("*:{}", StaffTokens::hash_token(staff_token));
        let secret = Arc::new(sbiz_booking::domain::ServerKey::generate());
        let channels = channels(secret.clone(), &origin);
        let parts = ApiParts {
            store: Arc::new(store),
            clock: clock.clone(),
            config: AppConfig {
                staff: StaffTokens::parse(&spec).expect("staff tokens"),
                extra_origins: vec![origin.clone()],
                public_base: Some(origin),
                secret,
                origin_secret: None,
            },
            channels: Some(channels),
        };
        let preview = Preview::new();
        assert!(
            serve::rebuild(&opts, &preview, Some(&parts)),
            "the fixture site builds"
        );
        let app = preview.router(&opts.build.out);
        let dispatching = preview.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the portal");
            rt.block_on(async move {
                serve::spawn_dispatcher(dispatching, std::time::Duration::from_secs(1));
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .expect("the portal runs");
            });
        });
        Portal {
            addr,
            clock,
            shutdown: Some(tx),
            thread: Some(thread),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Moves the booking function's clock (Korea time `2026-11-30T12:00`).
    pub fn set_now(&self, at: &str) {
        let (d, t) = parse(at);
        self.clock.set(sbiz_catalog::clock::kst_instant(d, t));
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Not joined: a browser may still hold a keep-alive or live-reload
        // connection; the thread ends with the test process.
        let _ = self.thread.take();
    }
}
