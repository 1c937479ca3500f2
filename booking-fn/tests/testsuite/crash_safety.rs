//! Crash safety of messages (issue 11): the real `booking-fn` server on an
//! SQLite file, sending e-mail to a real SMTP server (aiosmtpd), killed
//! with SIGKILL.
//!
//! * Killed after the commit and before the send: after a restart the
//!   message is delivered, once.
//! * Killed after the provider accepted a message and before the mark (the
//!   window the README's "Crash safety" paragraph names): the lease runs
//!   out and the message is sent again: exactly one duplicate, with the
//!   same `Message-ID`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use sbiz_booking::StaffTokens;
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::*;
use sbiz_booking::messaging::smtp::{SmtpSender, SmtpTls};
use sbiz_booking::messaging::{Channels, DispatchPolicy, Outgoing, Sender, dispatch_with};
use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;
use serde_json::Value;

use crate::support::pyserver;

const TOKEN: &str = "crash-test-staff-token";
const FROM: &str = "소공인포털 <no-reply@sbiz.example.kr>";

/// A plain HTTP/1.1 request to the server on `port`: (status, body).
fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_millis(500),
    )
    .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    // Chunked: keep the first chunk's data (the answers here are small).
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body.split_once("\r\n")
            .map(|(_, rest)| rest.rsplit_once("\r\n0\r\n").map_or(rest, |(b, _)| b))
            .unwrap_or(body)
            .trim_end_matches("\r\n")
            .to_owned()
    } else {
        body.to_owned()
    };
    Some((status, body))
}

/// The `booking-fn` server on `port` (SQLite file in `dir`), sending e-mail
/// through the SMTP server on `smtp_port` every `dispatch_seconds`.
fn start_server(dir: &Path, port: u16, smtp_port: u16, dispatch_seconds: u64) -> Child {
    let spec = format!("*:{}", StaffTokens::hash_token(TOKEN));
    let mut child = Command::new(env!("CARGO_BIN_EXE_booking-fn"))
        .args(["serve", "--port", &port.to_string(), "--host", "127.0.0.1"])
        .arg("--db")
        .arg(dir.join("booking.sqlite3"))
        .arg("--catalog")
        .arg(dir.join("catalog.json"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("SBIZ_TABLE")
        .env_remove("SBIZ_SECRET_ARN")
        .env_remove("SBIZ_SECRET_FILE")
        .env("SBIZ_STAFF_TOKENS", spec)
        .env("SBIZ_EMAIL", "smtp")
        .env("SBIZ_EMAIL_FROM", FROM)
        .env("SBIZ_SMTP_HOST", "127.0.0.1")
        .env("SBIZ_SMTP_PORT", smtp_port.to_string())
        .env("SBIZ_SMTP_TLS", "none")
        .env("SBIZ_SMS", "none")
        .env("SBIZ_PUBLIC_BASE", "https://sbiz.example.kr")
        .env("SBIZ_DISPATCH_SECONDS", dispatch_seconds.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("booking-fn starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some((200, body)) = http(port, "GET", "/api/health", None) {
            let health: Value = serde_json::from_str(&body).expect("health JSON");
            assert_eq!(health["channels"]["email"], "smtp", "{health}");
            return child;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("booking-fn exited with {status}");
        }
        assert!(Instant::now() < deadline, "booking-fn did not answer");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGKILL (`Child::kill` on Unix), and wait for it.
fn sigkill(mut child: Child) {
    child.kill().expect("SIGKILL");
    let _ = child.wait();
}

fn history(port: u16, code: &str) -> Vec<Value> {
    let (status, body) = http(
        port,
        "GET",
        &format!("/api/admin/reservations/{code}/messages"),
        None,
    )
    .expect("history answers");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    v["messages"].as_array().cloned().unwrap_or_default()
}

/// Waits until message `id` of reservation `code` is sent.
fn wait_sent(port: u16, code: &str, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let h = history(port, code);
        if h.iter().any(|m| m["id"] == id && m["status"] == "sent") {
            return;
        }
        assert!(Instant::now() < deadline, "not sent: {h:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn mails_with(maildir: &Path, id: &str) -> Vec<String> {
    pyserver::mails(maildir)
        .into_iter()
        .filter(|m| m.contains(&format!("<{id}@sbiz.example.kr>")))
        .collect()
}

/// A folder removed at the end of the test.
struct TempDir(std::path::PathBuf);
impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("sbiz-crash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_killed_server_delivers_each_message_after_restart_with_at_most_one_duplicate() {
    let dir = TempDir::new();
    let smtp_port = pyserver::free_port();
    let maildir =
        pyserver::cache_dir().join(format!("maildir-crash-{}-{smtp_port}", std::process::id()));
    let smtp = pyserver::smtp(smtp_port, &maildir);
    std::fs::write(
        dir.path().join("catalog.json"),
        serde_json::to_string(&crate::messaging::catalog()).expect("catalog JSON"),
    )
    .expect("catalog file");

    // A reservation (under the server's own secret) whose confirmation
    // e-mail failed for good: what staff resend.
    let secret =
        Arc::new(ServerKey::load_or_create(&dir.path().join("secret.key")).expect("secret"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let db = dir.path().join("booking.sqlite3");
    let now = Timestamp::now();
    let code = rt.block_on(async {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db).expect("store"));
        let mut d = crate::conformance::reservation("cutter", "2026-03-05", "10:00", 2, 1);
        let p = crate::conformance::person(1);
        d.reservation.person_key = Some(p.key(&secret));
        d.reservation.purge_after = Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()
            .parse::<sbiz_booking::catalog::Date>()
            .expect("date")
            .add_days(30);
        let code = d.reservation.code;
        let m = NewMessage::new(MessageEvent::ReservationConfirmed, Channel::Email, now)
            .param("code", code.to_string())
            .param("item", "자동재단기")
            .param("time", "3월 5일(목) 10:00~12:00");
        let link = MessageLink::sealed(
            &secret,
            &m.id,
            format!("/api/reservations/{code}?token="),
            &d.token,
        );
        let m = m.with_link(link);
        store
            .create_reservation(sbiz_booking::store::NewReservation {
                messages: vec![m],
                ..crate::conformance::new_reservation(d)
            })
            .await
            .expect("reservation");
        let r = dispatch_with(
            store,
            Arc::new(Channels::none(secret.clone())),
            Arc::new(crate::messaging::catalog()),
            now,
            10,
            DispatchPolicy {
                max_attempts: 1,
                ..DispatchPolicy::default()
            },
        )
        .await
        .expect("dispatch");
        assert_eq!(r.failed, 1);
        code
    });
    let code = code.to_string();

    // 1. Killed between the commit and the send. The dispatcher looks once
    // at start, then not for an hour: the resend is committed (the HTTP
    // answer says so) and nothing sends it before the kill.
    let port = pyserver::free_port();
    let server = start_server(dir.path(), port, smtp_port, 3600);
    let failed = history(port, &code);
    assert_eq!(failed.len(), 1);
    let (status, body) = http(
        port,
        "POST",
        failed[0]["resend_url"].as_str().expect("resend url"),
        Some("{}"),
    )
    .expect("resend answers");
    assert_eq!(status, 201, "{body}");
    let resent: Value = serde_json::from_str(&body).expect("JSON");
    let id = resent["message"]["id"].as_str().expect("id").to_owned();
    let before = history(port, &code);
    let queued = before.iter().find(|m| m["id"] == id).expect("queued");
    assert_eq!(
        (queued["status"].as_str(), queued["attempts"].as_u64()),
        (Some("queued"), Some(0))
    );
    sigkill(server);
    assert!(
        mails_with(&maildir, &id).is_empty(),
        "nothing was sent before the kill"
    );

    // After a restart the message goes, once.
    let server = start_server(dir.path(), port, smtp_port, 1);
    wait_sent(port, &code, &id);
    let mails = mails_with(&maildir, &id);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("https://sbiz.example.kr/reservation/"),
        "{}",
        mails[0]
    );
    sigkill(server);

    // 2. Killed after the provider accepted a message and before the mark:
    // a dispatcher (this process, standing in for the killed server)
    // claims the message with a short lease, hands it to the SMTP server,
    // and dies before recording the outcome.
    let (id2, lease) = rt.block_on(async {
        let store = SqliteStore::open(&db).expect("store");
        let m = NewMessage::new(
            MessageEvent::ReservationConfirmed,
            Channel::Email,
            Timestamp::now(),
        )
        .param("code", code.clone())
        .param("item", "자동재단기")
        .param("time", "3월 5일(목) 10:00~12:00");
        let id2 = m.id.clone();
        let subject = Subject::Reservation(code.parse().expect("code"));
        store
            .enqueue_messages(&subject, vec![m], Timestamp::now())
            .await
            .expect("queued");
        let lease = Timestamp::now()
            .checked_add(SignedDuration::from_secs(8))
            .expect("time");
        let claimed = store
            .claim_messages(Timestamp::now(), lease, "the-killed-dispatcher", 10)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        let sender =
            SmtpSender::new("127.0.0.1", smtp_port, SmtpTls::None, None, FROM).expect("smtp");
        sender
            .send(&Outgoing {
                id: id2.clone(),
                to: "p1@example.kr".into(),
                subject: "[소공인포털] 예약 확정".into(),
                body: "예약이 확정되었습니다.".into(),
            })
            .await
            .expect("accepted by the SMTP server");
        (id2, lease)
    });
    assert_eq!(mails_with(&maildir, id2.as_str()).len(), 1);

    // The restarted server does not touch it while the lease holds, then
    // sends it again once the lease has ended: one duplicate, with the
    // same Message-ID.
    let server = start_server(dir.path(), port, smtp_port, 1);
    let h = history(port, &code);
    let m = h
        .iter()
        .find(|m| m["id"] == id2.as_str())
        .expect("the message");
    assert_eq!(m["status"], "queued", "{m}");
    assert!(Timestamp::now() < lease, "the lease is still running");
    wait_sent(port, &code, id2.as_str());
    let copies = mails_with(&maildir, id2.as_str());
    assert_eq!(copies.len(), 2, "exactly one duplicate: {copies:?}");
    // And nothing else was sent twice.
    assert_eq!(mails_with(&maildir, &id).len(), 1);
    sigkill(server);
    smtp.stop();
    let _ = std::fs::remove_dir_all(&maildir);
}
