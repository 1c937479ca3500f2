//! The Lambda entry (`sbiz_booking::lambda`): one function takes HTTP API
//! events (answered by the router, as `lambda_http::run` would) and the
//! stack's scheduled events (`{"sbiz":"scheduled"}`, which run the purge).

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
    let made = send(
        &app.router,
        post_json(
            "/api/reservations",
            booking("cutter", "2026-03-05", "10:00", 2, 1),
        ),
    )
    .await;
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
