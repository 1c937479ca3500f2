//! Reservations per second through HTTP on the SQLite store: the real
//! server (axum on a loopback socket, an SQLite file in WAL mode) and many
//! concurrent keep-alive clients. Loopback only; bounded in time and count.
//!
//! ```text
//! cargo run --release -p sbiz-booking --no-default-features --features sqlite \
//!     --example bench_http -- [clients] [seconds]
//! ```
//!
//! Every request is a full booking as a browser would send it (JSON, an
//! Idempotency-Key, personal fields, consent): the rules are checked, the
//! person's history read, and the slots, reservation and idempotency record
//! written in one transaction. Clients book distinct slots, so each should
//! answer 201.

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
        let store = Arc::new(SqliteStore::temporary().expect("open the database"));
        let (addr, _server) = common::serve(store).await;

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
        latencies.sort();
        let pct = |p: f64| {
            latencies
                .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        println!(
            "bench_http: {ok} reservations in {elapsed:.1} s = {:.0} reservations/s ({failed} failed), \
             {clients} clients, p50 {:?}, p99 {:?}, {cores} cores",
            ok as f64 / elapsed,
            pct(0.5).copied().unwrap_or_default(),
            pct(0.99).copied().unwrap_or_default(),
        );
    }
}
