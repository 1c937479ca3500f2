//! Requests that must come through the front end (`SBIZ_ORIGIN_SECRET`):
//! on AWS, CloudFront adds `x-sbiz-origin-verify` to every request it
//! sends to the HTTP API, and the function refuses the ones sent to the
//! API's own address, which skip the WAF and could claim any client
//! address. In process (the router) and in the real `booking-fn serve`
//! (the configuration, and the client address header honoured only behind
//! the check).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use sbiz_booking::{AppConfig, AppState, OriginSecret, StaffTokens, router};

use crate::common::*;
use crate::support::pyserver;

const SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const HEADER: &str = "x-sbiz-origin-verify";

/// The fixture app, answering only requests that carry [`SECRET`].
fn guarded() -> App {
    let plain = app();
    let state = AppState::new(
        Arc::new(catalog()),
        plain.state.service().store.clone(),
        plain.clock.clone(),
        AppConfig {
            staff: StaffTokens::parse(&format!("*:{}", StaffTokens::hash_token(CITY_TOKEN)))
                .expect("staff"),
            secret: plain.state.config().secret.clone(),
            origin_secret: Some(OriginSecret::new(SECRET).expect("the secret")),
            ..Default::default()
        },
    );
    App {
        router: router(state.clone()),
        state,
        clock: plain.clock,
    }
}

fn with(req: Request<Body>, values: &[&str]) -> Request<Body> {
    let (mut parts, body) = req.into_parts();
    for v in values {
        parts
            .headers
            .append(HEADER, v.parse().expect("header value"));
    }
    Request::from_parts(parts, body)
}

fn booking_post(values: &[&str]) -> Request<Body> {
    let mut req = with(
        post_json(
            "/api/reservations",
            booking("cutter", "2026-03-05", "10:00", 1, 1),
        ),
        values,
    );
    req.headers_mut()
        .insert("origin", ORIGIN.parse().expect("origin"));
    req
}

#[tokio::test]
async fn direct_requests_are_refused_and_nothing_is_stored() {
    let app = guarded();
    let wrong = SECRET.replace('0', "1");
    for (what, values) in [
        ("no header", vec![]),
        ("a wrong secret", vec![wrong.as_str()]),
        ("the secret's prefix", vec![&SECRET[..32]]),
        ("the secret and another value", vec![SECRET, wrong.as_str()]),
    ] {
        let a = send(&app.router, booking_post(&values)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
        assert_eq!(a.error_code(), "direct_request", "{what}");
        let msg = a.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            msg.contains("포털 사이트를 거치지 않은 요청"),
            "{what}: {msg}"
        );
        assert!(!a.text.contains(SECRET) && !a.text.contains(&wrong));
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        assert_eq!(a.headers["cache-control"], "no-store");
    }
    // The health check reads the store: refused as well.
    let a = send(&app.router, get("/api/health")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    assert_eq!(a.error_code(), "direct_request");
    // Staff requests are not counted either (nothing reached the limits).
    let a = send(
        &app.router,
        admin(get("/api/admin/reservations"), CITY_TOKEN),
    )
    .await;
    assert_eq!(a.error_code(), "direct_request");

    // Nothing was stored: the store holds no reservation, and the same
    // booking through the front end gets the slot.
    let list = |values: &'static [&'static str]| {
        with(admin(get("/api/admin/reservations"), CITY_TOKEN), values)
    };
    let a = send(&app.router, list(&[SECRET])).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(
        a.json()["reservations"],
        serde_json::json!([]),
        "{}",
        a.text
    );
    let a = send(&app.router, booking_post(&[SECRET])).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let a = send(&app.router, with(get("/api/health"), &[SECRET])).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = send(&app.router, list(&[SECRET])).await;
    assert_eq!(a.json()["reservations"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn without_a_secret_nothing_is_checked() {
    let app = app();
    let a = send(&app.router, get("/api/health")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = send(&app.router, booking_post(&["anything"])).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
}

#[test]
fn short_secrets_are_refused_naming_the_variable() {
    for bad in ["", "too-short", &SECRET[..31]] {
        let e = OriginSecret::new(bad).expect_err("too short");
        assert!(e.to_string().contains("SBIZ_ORIGIN_SECRET"), "{e}");
    }
    assert!(OriginSecret::new(&SECRET[..32]).is_ok());
    // The real binary does not start with one.
    let dir = Dir::new("short");
    let out = serve_command(
        &dir,
        pyserver::free_port(),
        "only-31-characters-long-secret!",
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .output()
    .expect("booking-fn runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SBIZ_ORIGIN_SECRET"), "{stderr}");
    assert!(
        !stderr.contains("only-31-characters"),
        "the value is never shown: {stderr}"
    );
}

/// The real server behind a front end: the secret checked first, then the
/// client address header (`SBIZ_CLIENT_IP_HEADER`) trusted for the
/// per-address limit of wrong staff tokens.
#[test]
fn behind_the_check_the_client_address_header_is_honoured() {
    let dir = Dir::new("client");
    let port = pyserver::free_port();
    let server = Running(start(&dir, port));
    let wrong_token = |client: &str, secret: Option<&str>| {
        let mut extra = format!("x-sbiz-client-ip: {client}\r\nAuthorization: Bearer wrong\r\n");
        if let Some(s) = secret {
            extra.push_str(&format!("{HEADER}: {s}\r\n"));
        }
        raw_get(port, "/api/admin/reservations", &extra).expect("an answer")
    };
    // Sent straight to the server, whatever address they claim: refused,
    // and never counted.
    for _ in 0..12 {
        let (status, body) = wrong_token("203.0.113.9", None);
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("direct_request"), "{body}");
    }
    // Through the front end: ten wrong tokens lock that address out...
    for n in 0..10 {
        let (status, body) = wrong_token("198.51.100.7", Some(SECRET));
        assert_eq!(status, 401, "{n}: {body}");
    }
    let (status, body) = wrong_token("198.51.100.7", Some(SECRET));
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("too_many_attempts"), "{body}");
    // ...and no other: the address comes from the header.
    let (status, body) = wrong_token("203.0.113.9", Some(SECRET));
    assert_eq!(status, 401, "{body}");
    drop(server);
}

struct Dir(PathBuf);
impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!(
            "sbiz-origin-{name}-{}-{}",
            std::process::id(),
            pyserver::free_port()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        std::fs::write(
            dir.join("catalog.json"),
            include_str!("../fixtures/catalog.json"),
        )
        .expect("catalog file");
        Dir(dir)
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve_command(dir: &Dir, port: u16, secret: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_booking-fn"));
    cmd.args(["serve", "--port", &port.to_string(), "--host", "127.0.0.1"])
        .arg("--db")
        .arg(dir.0.join("booking.sqlite3"))
        .arg("--catalog")
        .arg(dir.0.join("catalog.json"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("SBIZ_TABLE")
        .env_remove("SBIZ_SECRET_ARN")
        .env_remove("SBIZ_SECRET_FILE")
        .env_remove("SBIZ_STAFF_TOKENS_SECRET")
        .env(
            "SBIZ_STAFF_TOKENS",
            format!("*:{}", StaffTokens::hash_token(CITY_TOKEN)),
        )
        .env("SBIZ_EMAIL", "none")
        .env("SBIZ_SMS", "none")
        .env("SBIZ_CLIENT_IP_HEADER", "x-sbiz-client-ip")
        .env("SBIZ_ORIGIN_SECRET", secret)
        .env("RUST_LOG", "warn");
    cmd
}

fn start(dir: &Dir, port: u16) -> Child {
    let mut child = serve_command(dir, port, SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("booking-fn starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let through = format!("{HEADER}: {SECRET}\r\n");
    loop {
        if let Some((200, _)) = raw_get(port, "/api/health", &through) {
            return child;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("booking-fn exited with {status}");
        }
        assert!(Instant::now() < deadline, "booking-fn did not answer");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plain HTTP/1.1 GET with `extra` header lines: (status, body).
fn raw_get(port: u16, path: &str, extra: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_millis(500),
    )
    .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\
         {extra}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12)?.parse().ok()?;
    let (_, body) = text.split_once("\r\n\r\n")?;
    Some((status, body.to_owned()))
}
