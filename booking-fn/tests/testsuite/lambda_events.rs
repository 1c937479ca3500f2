//! The Lambda entry (`sbiz_booking::lambda`): one function takes HTTP API
//! events (answered by the router, as `lambda_http::run` would) and the
//! stack's scheduled events (`{"sbiz":"scheduled"}`, which run the purge
//! and send the due messages).

use axum::http::StatusCode;
use lambda_http::lambda_runtime::Context;
use sbiz_booking::lambda::{Event, handle};
use sbiz_booking::ops::ScheduledTask;
use serde_json::Value;

use crate::common::*;

async fn invoke(app: &App, payload: &str) -> Result<Value, String> {
    handle(&app.state, &app.router, payload, Context::default())
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn an_http_api_event_is_answered_by_the_router() {
    let app = app();
    let out = invoke(&app, include_str!("../fixtures/apigw_v2_reservation.json"))
        .await
        .expect("answered");
    assert_eq!(out["statusCode"], 201, "{out}");
    let body: Value = serde_json::from_str(out["body"].as_str().expect("text body")).expect("json");
    assert_eq!(body["reservation"]["status"], "confirmed");
    // The same event again is an idempotent replay, as through lambda_http::run.
    let again = invoke(&app, include_str!("../fixtures/apigw_v2_reservation.json"))
        .await
        .expect("answered");
    assert_eq!(again["headers"]["idempotent-replayed"], "true", "{again}");
}

#[tokio::test]
async fn a_scheduled_event_purges_personal_data_past_retention() {
    let app = app();
    let made = reserve(&app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);

    // Before the end of retention: nothing to blank.
    let out = invoke(&app, r#"{"sbiz":"scheduled"}"#)
        .await
        .expect("scheduled run");
    assert_eq!(out["done"]["purge"]["reservations"], 0, "{out}");
    assert_eq!(out["failed"], serde_json::json!([]));

    // The catalog keeps personal data 365 days after the reservation's day.
    app.clock.set("2027-03-10T00:00:00Z".parse().unwrap());
    let out = invoke(&app, r#"{"sbiz":"scheduled","tasks":["purge"]}"#)
        .await
        .expect("scheduled run");
    assert_eq!(out["done"]["purge"]["reservations"], 1, "{out}");
    let out = invoke(&app, r#"{"sbiz":"scheduled"}"#)
        .await
        .expect("scheduled run");
    assert_eq!(out["done"]["purge"]["reservations"], 0, "{out}");
}

#[test]
fn events_are_told_apart() {
    assert!(matches!(
        Event::parse(r#"{"sbiz":"scheduled"}"#),
        Ok(Event::Scheduled(t)) if t == ScheduledTask::ALL
    ));
    assert!(matches!(
        Event::parse(r#"{"sbiz":"scheduled","tasks":["dispatch"]}"#),
        Ok(Event::Scheduled(t)) if t == [ScheduledTask::Dispatch]
    ));
    assert!(ScheduledTask::ALL.contains(&ScheduledTask::Dispatch));
    assert!(matches!(
        Event::parse(r#"{"sbiz":"scheduled","tasks":[]}"#),
        Ok(Event::Scheduled(t)) if t.is_empty()
    ));
    assert!(matches!(
        Event::parse(include_str!("../fixtures/apigw_v2_reservation.json")),
        Ok(Event::Http(_))
    ));
    for bad in [
        r#"{"sbiz":"scheduled","tasks":["reboot"]}"#,
        r#"{"sbiz":"something-else"}"#,
        r#"{"hello":"world"}"#,
        "[1, 2]",
        "not json",
    ] {
        assert!(Event::parse(bad).is_err(), "{bad} was accepted");
    }
}

#[tokio::test]
async fn an_unknown_event_fails_the_invocation() {
    let app = app();
    let err = invoke(&app, r#"{"sbiz":"scheduled","tasks":["reboot"]}"#)
        .await
        .expect_err("refused");
    assert!(err.contains("reboot"), "{err}");
}

/// A scheduled `dispatch` sends the outbox's due messages with the channels
/// set at the cold start; with too little time left before the
/// invocation's deadline it starts nothing (the next minute's run sends).
#[tokio::test]
async fn a_scheduled_event_sends_the_due_messages_within_its_time() {
    use crate::support::pyserver;
    use sbiz_booking::domain::{MessageStatus, Subject};
    use sbiz_booking::messaging::Channels;
    use std::sync::Arc;

    let app = app();
    app.state.set_catalog(Arc::new(crate::messaging::catalog()));
    let store = app.state.service().store.clone();
    let secret = app.state.config().secret.clone();
    let (code, token) = crate::messaging::booked(&*store, &secret).await;
    let port = pyserver::free_port();
    let maildir = pyserver::cache_dir().join(format!("maildir-{}-{port}", std::process::id()));
    let server = pyserver::smtp(port, &maildir);
    let smtp = sbiz_booking::messaging::smtp::SmtpSender::new(
        "127.0.0.1",
        port,
        sbiz_booking::messaging::smtp::SmtpTls::None,
        None,
        "소공인포털 <no-reply@sbiz.example.kr>",
    )
    .expect("smtp sender");
    app.state.set_channels(Arc::new(
        Channels::none(secret.clone())
            .with(Arc::new(smtp))
            .with_public_base("https://sbiz.example.kr"),
    ));
    // `booked` dates its messages at the conformance suite's "now".
    app.clock.set(crate::conformance::now());

    // 2 s before the deadline: less than the margin, so nothing starts.
    let mut late = Context::default();
    late.deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as u64
        + 2_000;
    let out = handle(
        &app.state,
        &app.router,
        r#"{"sbiz":"scheduled","tasks":["dispatch"]}"#,
        late,
    )
    .await
    .expect("scheduled run");
    assert_eq!(out["done"]["dispatch"]["claimed"], 0, "{out}");
    assert!(pyserver::mails(&maildir).is_empty());

    // With time: the e-mail goes; 문자 has no channel here, so it waits
    // for a retry (and is visible to staff as such).
    let out = invoke(&app, r#"{"sbiz":"scheduled","tasks":["dispatch"]}"#)
        .await
        .expect("scheduled run");
    assert_eq!(out["done"]["dispatch"]["claimed"], 2, "{out}");
    assert_eq!(out["done"]["dispatch"]["sent"], 1, "{out}");
    assert_eq!(out["done"]["dispatch"]["retried"], 1, "{out}");
    assert_eq!(out["failed"], serde_json::json!([]));
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains(&format!(
            "https://sbiz.example.kr/api/reservations/{code}?token={}",
            token.reveal()
        )),
        "the management link: {}",
        mails[0]
    );
    let ms = store
        .messages_of(&Subject::Reservation(code))
        .await
        .expect("history");
    let statuses: Vec<_> = ms.iter().map(|m| (m.channel, m.status)).collect();
    assert!(
        statuses.contains(&(sbiz_booking::catalog::Channel::Email, MessageStatus::Sent)),
        "{statuses:?}"
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&maildir);
}
