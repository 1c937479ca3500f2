//! API Gateway HTTP API (v2) and Lambda Function URL events, parsed by
//! `lambda_http` exactly as the Lambda runtime does, answered by the Router,
//! and converted back into a Lambda response.

use axum::http::{Request, StatusCode, header};
use lambda_http::IntoResponse;
use lambda_http::request::LambdaRequest;
use serde_json::Value;
use tower::ServiceExt;

use crate::common::*;

/// Event JSON → `lambda_http::Request` → Router → `lambda_http` response.
async fn invoke(app: &App, event: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let parsed: LambdaRequest = serde_json::from_str(event).expect("lambda_http parses the event");
    let req: lambda_http::Request = parsed.into();
    let res = app.router.clone().oneshot(req).await.expect("infallible");
    let res = res.into_response().await;
    let status = res.status();
    let headers = res.headers().clone();
    let body = match res.into_body() {
        lambda_http::Body::Text(t) => t,
        lambda_http::Body::Binary(b) => String::from_utf8(b).expect("utf-8"),
        lambda_http::Body::Empty => String::new(),
        _ => unreachable!("no other body kinds"),
    };
    (status, headers, body)
}

#[tokio::test]
async fn api_gateway_v2_post_with_a_base64_json_body() {
    let app = app();
    let event = include_str!("../fixtures/apigw_v2_reservation.json");
    let (status, headers, body) = invoke(&app, event).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    let j: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(j["reservation"]["status"], "confirmed");
    assert_eq!(j["reservation"]["start"], "10:00");
    assert_eq!(j["reservation"]["person"]["name"], "김소공");
    // The event carries an Idempotency-Key: delivering it again (a retry
    // by the client or the gateway) returns the same reservation.
    let (again, headers2, body2) = invoke(&app, event).await;
    assert_eq!(again, StatusCode::CREATED);
    assert_eq!(headers2["idempotent-replayed"], "true");
    let j2: Value = serde_json::from_str(&body2).expect("json");
    assert_eq!(j2["reservation"]["code"], j["reservation"]["code"]);
}

#[tokio::test]
async fn function_url_get_with_a_query_string() {
    let app = app();
    let (status, _, body) = invoke(
        &app,
        include_str!("../fixtures/function_url_availability.json"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let j: Value = serde_json::from_str(&body).expect("json");
    let days: Vec<&str> = j["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2026-03-04", "2026-03-05"]);
    assert_eq!(j["days"][0]["slots"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn function_url_plain_form_post_gets_a_korean_page() {
    let app = app();
    let (status, headers, body) = invoke(
        &app,
        include_str!("../fixtures/function_url_form_post.json"),
    )
    .await;
    // Post/redirect/get: the answer sends the browser to the application's
    // own page (absolute, on the site's origin), which shows the result.
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = headers["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{ORIGIN}/api/applications/"))
            && location.contains("?token=")
            && location.ends_with("&result=programme"),
        "{location}"
    );
    let path = location.trim_start_matches(ORIGIN);
    let page = send(
        &app.router,
        Request::get(path)
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.text.contains("교육 신청이 확정되었습니다"),
        "{}",
        page.text
    );
    assert!(page.text.contains("교육 신청 결과"), "{}", page.text);
}

#[tokio::test]
async fn lambda_errors_keep_their_codes() {
    let app = app();
    let event = include_str!("../fixtures/function_url_availability.json")
        .replace("/cutter/", "/no-such-machine/");
    let (status, _, body) = invoke(&app, &event).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let j: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(j["error"]["code"], "not_found");
}
