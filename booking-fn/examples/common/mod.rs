//! What `bench_http` (SQLite) and `bench_dynamodb` (its HTTP phase) share:
//! the command line, the catalog of machines open around the clock, the
//! server on a loopback socket, and keep-alive clients posting bookings.

use std::net::SocketAddr;
use std::sync::Arc;

use sbiz_booking::catalog::{Catalog, Date};
use sbiz_booking::domain::FixedClock;
use sbiz_booking::store::Store;
use sbiz_booking::{AppConfig, AppState, router};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// How many machines the catalog has.
pub const EQUIPMENT: u64 = 200;

/// `[clients] [seconds]` from the command line: 64 clients (1 to 1024) and
/// 10 seconds (1 to 120) unless told.
pub fn args() -> (u64, u64) {
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
    (clients, seconds)
}

/// Machines open around the clock, one-hour slots, instant approval.
pub fn catalog() -> Catalog {
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

/// The real router on `store`, with the clock at 2026-03-02 09:00 KST,
/// served on a loopback socket: its address and the server task.
pub async fn serve(store: Arc<dyn Store>) -> (SocketAddr, JoinHandle<std::io::Result<()>>) {
    let clock = Arc::new(FixedClock::at_kst(
        "2026-03-02".parse().expect("date"),
        "09:00".parse().expect("09:00"),
    ));
    let state = AppState::new(Arc::new(catalog()), store, clock, AppConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, router(state)).await });
    (addr, server)
}

/// A keep-alive connection to the server, without Nagle's algorithm.
pub async fn connect(addr: SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    BufReader::new(stream)
}

/// Booking `n` of client `c` as a browser sends it: machine `n % EQUIPMENT`,
/// one hour, from 2026-03-03 on, so no two bookings share a slot.
pub fn booking(n: u64, c: u64) -> String {
    let (eq, slot) = (n % EQUIPMENT, n / EQUIPMENT);
    let day = Date::new(2026, 3, 3)
        .expect("date")
        .add_days((slot / 24) as i32);
    format!(
        r#"{{"equipment":"machine-{eq}","date":"{day}","start":"{:02}:00","slots":1,"name":"벤치{c}","phone":"010-{:04}-{:04}","business":"벤치공방","consent":true}}"#,
        slot % 24,
        1000 + c,
        n % 10_000
    )
}

/// One POST of a booking on a keep-alive HTTP/1.1 connection; the answer's
/// status.
pub async fn post(conn: &mut BufReader<TcpStream>, body: &str, key: &str) -> std::io::Result<u16> {
    // One write: a head and a body in two segments would wait on Nagle's
    // algorithm and delayed ACKs (~40 ms) on loopback.
    let msg = format!(
        "POST /api/reservations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.get_mut().write_all(msg.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 || line == "\r\n" {
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
