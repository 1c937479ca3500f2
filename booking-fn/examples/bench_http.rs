//! Reservations per second through HTTP on the SQLite store: the real
//! server (axum on a loopback socket, an SQLite file in WAL mode) and many
//! concurrent keep-alive clients. Loopback only; bounded in time and count.
//!
//! ```text
//! cargo run --release -p sbiz-booking --no-default-features --features sqlite \
//!     --example bench_http -- [clients] [seconds] [floor]
//! ```
//!
//! Every request is a full booking as a browser would send it (JSON, an
//! Idempotency-Key, personal fields, consent): the rules are checked, the
//! person's history read, and the slots, reservation and idempotency record
//! written in one transaction. Clients book distinct slots, so each should
//! answer 201.
//!
//! The line printed also says the process's CPU time (user + system, client
//! and server together: they share one runtime) per reservation, and the
//! writer thread's share of it. With `floor` the same clients post the same
//! requests to an axum server whose handler only reads the body and answers
//! 201: the most this machine's HTTP and client allow, store aside.

#[cfg(feature = "sqlite")]
mod common;

#[cfg(not(feature = "sqlite"))]
fn main() {
    eprintln!("bench_http needs the `sqlite` feature");
    std::process::exit(2);
}

#[cfg(feature = "sqlite")]
#[tokio::main(flavor = "multi_thread")]
async fn main() {
    bench::run().await;
}

#[cfg(feature = "sqlite")]
mod bench {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    use sbiz_booking::store::sqlite::SqliteStore;

    use super::common;

    const MAX_REQUESTS: u64 = 2_000_000;

    pub async fn run() {
        let (clients, seconds) = common::args();
        let floor = std::env::args().nth(3).as_deref() == Some("floor");
        let (addr, _server) = if floor {
            serve_floor().await
        } else {
            let store = Arc::new(SqliteStore::temporary().expect("open the database"));
            common::serve(store).await
        };
        let cpu_before = cpu::snapshot();

        let next = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let next = next.clone();
            tasks.push(tokio::spawn(async move {
                let mut conn = common::connect(addr).await;
                let (mut ok, mut failed, mut latencies) = (0u64, 0u64, Vec::new());
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= MAX_REQUESTS {
                        break;
                    }
                    let body = common::booking(n, c);
                    let t = Instant::now();
                    match common::post(&mut conn, &body, &format!("bench-{n:012}")).await {
                        Ok(201) => ok += 1,
                        Ok(_) | Err(_) => failed += 1,
                    }
                    latencies.push(t.elapsed());
                }
                (ok, failed, latencies)
            }));
        }
        let (mut ok, mut failed, mut latencies) = (0, 0, Vec::new());
        for t in tasks {
            let (o, f, l) = t.await.expect("client");
            ok += o;
            failed += f;
            latencies.extend(l);
        }
        let elapsed = started.elapsed().as_secs_f64();
        let cpu = cpu::snapshot().since(&cpu_before);
        latencies.sort();
        let pct = |p: f64| {
            latencies
                .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let per = |secs: f64| secs * 1e6 / ok.max(1) as f64;
        println!(
            "bench_http{}: {ok} reservations in {elapsed:.1} s = {:.0} reservations/s ({failed} failed), \
             {clients} clients, p50 {:?}, p99 {:?}, {cores} cores; CPU {:.0} us/reservation \
             (process {:.1} s of {:.1} s x {cores}), writer thread {:.0} us",
            if floor { " (floor: empty handler)" } else { "" },
            ok as f64 / elapsed,
            pct(0.5).copied().unwrap_or_default(),
            pct(0.99).copied().unwrap_or_default(),
            per(cpu.process),
            cpu.process,
            elapsed,
            per(cpu.writer),
        );
    }

    /// An axum server on a loopback socket whose one route reads the
    /// request's body and answers 201 with a short JSON body.
    async fn serve_floor() -> (
        std::net::SocketAddr,
        tokio::task::JoinHandle<std::io::Result<()>>,
    ) {
        async fn created(_body: axum::body::Bytes) -> impl axum::response::IntoResponse {
            (
                axum::http::StatusCode::CREATED,
                axum::Json(serde_json::json!({ "code": "ABCD-EFGH" })),
            )
        }
        let app = axum::Router::new().route("/api/reservations", axum::routing::post(created));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        (
            addr,
            tokio::spawn(async move { axum::serve(listener, app).await }),
        )
    }

    /// CPU time from /proc (Linux; zero elsewhere).
    mod cpu {
        /// Seconds of CPU (user + system) of the whole process and of the
        /// SQLite writer thread.
        pub struct Cpu {
            pub process: f64,
            pub writer: f64,
        }

        impl Cpu {
            pub fn since(&self, before: &Cpu) -> Cpu {
                Cpu {
                    process: self.process - before.process,
                    writer: self.writer - before.writer,
                }
            }
        }

        /// utime + stime of a `stat` file, in seconds (USER_HZ is 100 on
        /// Linux), and the thread's name.
        fn stat(path: &std::path::Path) -> Option<(String, f64)> {
            let text = std::fs::read_to_string(path).ok()?;
            let open = text.find('(')?;
            let close = text.rfind(')')?;
            let name = text[open + 1..close].to_owned();
            let fields: Vec<&str> = text[close + 2..].split(' ').collect();
            let ticks =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some((name, ticks / 100.0))
        }

        pub fn snapshot() -> Cpu {
            let process = stat("/proc/self/stat".as_ref()).map_or(0.0, |(_, s)| s);
            let writer = std::fs::read_dir("/proc/self/task")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|t| stat(&t.path().join("stat")))
                .filter(|(name, _)| name == "sqlite-writer")
                .map(|(_, s)| s)
                .sum();
            Cpu { process, writer }
        }
    }
}
