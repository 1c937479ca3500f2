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

    use sbiz_booking::catalog::Catalog;
    use sbiz_booking::domain::FixedClock;
    use sbiz_booking::store::sqlite::SqliteStore;
    use sbiz_booking::{AppConfig, AppState, router};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpStream;

    const EQUIPMENT: u64 = 200;
    const MAX_REQUESTS: u64 = 2_000_000;

    fn catalog() -> Catalog {
        let all_day = serde_json::json!(["00:00-24:00"]);
        let equipment: Vec<_> = (0..EQUIPMENT)
            .map(|i| {
                serde_json::json!({
                    "id": format!("machine-{i}"), "facility": "bench", "name": format!("장비 {i}"),
                    "rules": {
                        "slot_minutes": 60, "hours": [all_day, all_day, all_day, all_day, all_day, all_day, all_day],
                        "min_slots": 1, "max_slots": 4, "min_days_ahead": 1, "max_days_ahead": 3650,
                        "weekly_quota_hours": null, "approval": "instant", "training": null, "eligibility": "",
                        "fee_won": 0, "cancel_hours_before": 24, "closed_dates": [], "survey": null
                    }
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "version": 1, "origin": "http://127.0.0.1",
            "booking": { "retention_days": 365, "no_show": { "max": 2, "window_days": 90, "block_days": 30 } },
            "consent": { "version": "bench", "purpose": "", "items": "", "retention": "", "refusal": "" },
            "holidays": [], "facilities": [{ "id": "bench", "name": "벤치", "phone": "02-123-4567" }],
            "equipment": equipment, "programmes": [], "policies": [], "surveys": []
        }))
        .expect("bench catalog")
    }

    /// One HTTP/1.1 request on a keep-alive connection; returns the status.
    async fn request(
        conn: &mut BufReader<TcpStream>,
        body: &str,
        key: &str,
    ) -> std::io::Result<u16> {
        let mut msg = format!(
            "POST /api/reservations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Idempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // One write: a head and a body in two segments would wait on
        // Nagle's algorithm and delayed ACKs (~40 ms) on loopback.
        msg.push_str(body);
        conn.get_mut().write_all(msg.as_bytes()).await?;
        let mut line = String::new();
        conn.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut buf = vec![0u8; length];
        conn.read_exact(&mut buf).await?;
        Ok(status)
    }

    pub async fn run() {
        let mut args = std::env::args().skip(1);
        let clients: u64 = args
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(64)
            .clamp(1, 1024);
        let seconds: u64 = args
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10)
            .clamp(1, 120);
        let store = Arc::new(SqliteStore::temporary().expect("open the database"));
        let clock = Arc::new(FixedClock::at_kst(
            "2026-03-02".parse().unwrap(),
            "09:00".parse().unwrap(),
        ));
        let state = AppState::new(Arc::new(catalog()), store, clock, AppConfig::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router(state)).await });

        let next = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let next = next.clone();
            tasks.push(tokio::spawn(async move {
                let stream = TcpStream::connect(addr).await.expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut conn = BufReader::new(stream);
                let (mut ok, mut failed, mut latencies) = (0u64, 0u64, Vec::new());
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= MAX_REQUESTS {
                        break;
                    }
                    let (eq, slot) = (n % EQUIPMENT, n / EQUIPMENT);
                    let day = sbiz_booking::catalog::Date::new(2026, 3, 3).unwrap().add_days((slot / 24) as i32);
                    let body = format!(
                        r#"{{"equipment":"machine-{eq}","date":"{day}","start":"{:02}:00","slots":1,"name":"벤치{c}","phone":"010-{:04}-{:04}","business":"벤치공방","consent":true}}"#,
                        slot % 24,
                        1000 + c,
                        n % 10_000
                    );
                    let t = Instant::now();
                    match request(&mut conn, &body, &format!("bench-{n:012}")).await {
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
