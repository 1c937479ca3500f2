//! The dispatcher against real servers: an SMTP server (aiosmtpd) and a
//! local AWS emulator (ministack, SES v2 and SNS), both from PyPI, pinned,
//! in git-ignored venvs under `tests/.cache/` (see `support/pyserver.rs`).
//! The tests fail, never skip, when a server cannot be installed or started.

use crate::conformance;
use crate::support::pyserver;

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use sbiz_booking::catalog::{Catalog, Channel, MessageEvent};
use sbiz_booking::domain::*;
use sbiz_booking::messaging::{Channels, dispatch_due};
use sbiz_booking::store::sqlite::SqliteStore;
use sbiz_booking::store::{NewReservation, Store};

use conformance::{new_reservation, now, person, reservation};

/// The fixture catalog with the sample site's own templates
/// (`content/messages.yaml`).
pub(crate) fn catalog() -> Catalog {
    crate::common::catalog_with_messages()
}

fn at(minutes: i64) -> Timestamp {
    now()
        .checked_add(SignedDuration::from_mins(minutes))
        .expect("time")
}

/// A confirmed reservation with its confirmation (e-mail and 문자, with
/// the management link) and a reminder a day later.
pub(crate) async fn booked(
    store: &dyn Store,
    secret: &ServerKey,
) -> (ReservationCode, ManageToken) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let (code, token) = (d.reservation.code, d.token.clone());
    let link = |id: &MessageId| {
        MessageLink::sealed(
            secret,
            id,
            format!("/api/reservations/{code}?token="),
            &token,
        )
    };
    let message = |event, channel, due| {
        let m = NewMessage::new(event, channel, due)
            .param("code", code.to_string())
            .param("item", "자동재단기")
            .param("time", "3월 5일(목) 10:00~12:00");
        let l = link(&m.id);
        m.with_link(l)
    };
    store
        .create_reservation(NewReservation {
            messages: vec![
                message(MessageEvent::ReservationConfirmed, Channel::Email, now()),
                message(MessageEvent::ReservationConfirmed, Channel::Sms, now()),
                message(
                    MessageEvent::ReservationReminder,
                    Channel::Email,
                    at(60 * 24),
                ),
            ],
            ..new_reservation(d)
        })
        .await
        .expect("reservation");
    (code, token)
}

/// Log lines written while `f` runs on this thread (the tests run on a
/// current-thread runtime, so the dispatcher's tasks log here too).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);
impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn smtp_receives_the_message_and_a_down_server_is_retried_until_it_returns() {
    let logs = Captured::default();
    let _guard = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(logs.clone())
            .finish(),
    );
    let port = pyserver::free_port();
    let maildir = pyserver::cache_dir().join(format!("maildir-{}-{port}", std::process::id()));
    let secret = Arc::new(ServerKey::generate());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::temporary().expect("store"));
    let smtp = sbiz_booking::messaging::smtp::SmtpSender::new(
        "127.0.0.1",
        port,
        sbiz_booking::messaging::smtp::SmtpTls::None,
        None,
        "소공인포털 <no-reply@sbiz.example.kr>",
    )
    .expect("smtp sender");
    let channels = Arc::new(
        Channels::none(secret.clone())
            .with(Arc::new(smtp))
            .with_public_base("https://sbiz.example.kr"),
    );
    assert_eq!(channels.status().sms, None, "문자 is not configured here");
    let catalog = Arc::new(catalog());
    let (code, token) = booked(&*store, &secret).await;
    let subject = Subject::Reservation(code);

    // SMTP is down: the e-mail waits for a retry; 문자 has no channel.
    let r = dispatch_due(store.clone(), channels.clone(), catalog.clone(), now(), 10)
        .await
        .expect("dispatch");
    assert_eq!((r.claimed, r.sent, r.retried), (2, 0, 2));
    let ms = store.messages_of(&subject).await.expect("messages");
    let email = ms
        .iter()
        .find(|m| m.channel == Channel::Email && m.event == MessageEvent::ReservationConfirmed)
        .expect("e-mail");
    assert_eq!(email.status, MessageStatus::Queued);
    assert_eq!(email.last_error.as_deref(), Some("smtp_connection"));
    let sms = ms.iter().find(|m| m.channel == Channel::Sms).expect("문자");
    assert_eq!(sms.last_error.as_deref(), Some("channel_not_configured"));
    // Not before the backoff.
    let r = dispatch_due(store.clone(), channels.clone(), catalog.clone(), at(0), 10)
        .await
        .expect("dispatch");
    assert_eq!(r.claimed, 0);

    // SMTP comes back: the retry delivers.
    let server = pyserver::smtp(port, &maildir);
    let r = dispatch_due(store.clone(), channels.clone(), catalog.clone(), at(1), 10)
        .await
        .expect("dispatch");
    assert_eq!(
        (r.sent, r.retried),
        (1, 1),
        "{r:?} {:?}",
        store
            .messages_of(&subject)
            .await
            .map(|m| m.into_iter().map(|m| m.last_error).collect::<Vec<_>>())
    );
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    let link = format!(
        "https://sbiz.example.kr/api/reservations/{code}?token={}",
        token.reveal()
    );
    assert!(mail.contains(&link), "the management link: {mail}");
    assert!(mail.contains("예약이 확정되었습니다"), "{mail}");
    assert!(
        mail.contains("[소공인포털] 예약 확정: 자동재단기"),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("<{}@sbiz.example.kr>", email.id)),
        "Message-ID: {mail}"
    );
    assert!(mail.contains("p1@example.kr"), "{mail}");
    let sent = store.messages_of(&subject).await.expect("messages");
    let e = sent.iter().find(|m| m.id == email.id).expect("e-mail");
    assert_eq!((e.status, e.attempts), (MessageStatus::Sent, 2));
    assert!(e.link.as_ref().is_none_or(|l| l.sealed_token.is_none()));

    // The reminder goes when the clock reaches it, not before.
    let r = dispatch_due(
        store.clone(),
        channels.clone(),
        catalog.clone(),
        at(60 * 23),
        10,
    )
    .await
    .expect("dispatch");
    assert_eq!(r.sent, 0);
    let r = dispatch_due(
        store.clone(),
        channels.clone(),
        catalog.clone(),
        at(60 * 24),
        10,
    )
    .await
    .expect("dispatch");
    assert_eq!(r.sent, 1);
    assert_eq!(pyserver::mails(&maildir).len(), 2);
    server.stop();

    // No address, phone number, token or message text in any log line.
    let text = String::from_utf8_lossy(&logs.0.lock().expect("logs")).into_owned();
    assert!(
        text.contains("dispatched messages"),
        "the dispatcher logged: {text}"
    );
    let p = person(1);
    for secret_text in [
        "p1@example.kr".to_owned(),
        p.phone.to_string(),
        p.phone.digits(),
        token.reveal(),
        "예약이 확정되었습니다".to_owned(),
        "자동재단기".to_owned(),
    ] {
        assert!(
            !text.contains(&secret_text),
            "a log line holds {secret_text:?}:\n{text}"
        );
    }
    let _ = std::fs::remove_dir_all(&maildir);
}

/// E-mail by SES v2 and 문자 by SNS, both to the ministack on `port`
/// (its sender identity created), links opened with `secret` under the
/// fixture's origin.
pub(crate) async fn ministack_channels(port: u16, secret: Arc<ServerKey>) -> Channels {
    use aws_sdk_sesv2::config::{BehaviorVersion, Credentials, Region};
    let endpoint = format!("http://127.0.0.1:{port}");
    let creds = Credentials::new("test", "test", None, None, "ministack");
    let ses = aws_sdk_sesv2::Client::from_conf(
        aws_sdk_sesv2::Config::builder()
            .http_client(sbiz_booking::aws::http_client())
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(creds.clone())
            .endpoint_url(&endpoint)
            .build(),
    );
    let sns = aws_sdk_sns::Client::from_conf(
        aws_sdk_sns::Config::builder()
            .http_client(sbiz_booking::aws::http_client())
            .behavior_version(aws_sdk_sns::config::BehaviorVersion::latest())
            .region(aws_sdk_sns::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&endpoint)
            .build(),
    );
    ses.create_email_identity()
        .email_identity("no-reply@sbiz.example.kr")
        .send()
        .await
        .expect("SES identity");
    Channels::none(secret)
        .with(Arc::new(sbiz_booking::messaging::aws::SesSender::new(
            ses,
            "no-reply@sbiz.example.kr",
        )))
        .with(Arc::new(sbiz_booking::messaging::aws::SnsSender::new(sns)))
        .with_public_base("https://sbiz.example.kr")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ses_v2_and_sns_deliver_through_ministack() {
    let port = pyserver::free_port();
    let server = pyserver::ministack(port);
    let secret = Arc::new(ServerKey::generate());
    let channels = Arc::new(ministack_channels(port, secret.clone()).await);
    assert_eq!(
        (channels.status().email, channels.status().sms),
        (Some("ses"), Some("sns"))
    );
    let store: Arc<dyn Store> = Arc::new(SqliteStore::temporary().expect("store"));
    let (code, token) = booked(&*store, &secret).await;
    let r = dispatch_due(store.clone(), channels, Arc::new(catalog()), now(), 10)
        .await
        .expect("dispatch");
    assert_eq!((r.claimed, r.sent), (2, 2), "{r:?}");

    let (status, mail) =
        pyserver::http_get(port, "/_ministack/ses/messages").expect("SES messages");
    assert_eq!(status, 200);
    assert!(mail.contains("p1@example.kr"), "{mail}");
    assert!(
        mail.contains(&token.reveal()),
        "the link reached SES: {mail}"
    );
    let phone = "%2B821010000001";
    let (status, sms) = pyserver::http_get(
        port,
        &format!("/_ministack/sns/sms-messages?phoneNumber={phone}"),
    )
    .expect("SNS messages");
    assert_eq!(status, 200);
    assert!(sms.contains(&code.to_string()), "{sms}");
    assert!(sms.contains(&token.reveal()), "the link reached SNS: {sms}");
    drop(server);
}
