//! The session both privacy tests run, one on each store: `privacy.rs`
//! (SQLite) and `dynamodb_privacy.rs` (DynamoDB Local). Booking, clash, bad
//! forms, lookup, applications, admin lists and CSV, survey, purge; then
//! every captured log line is searched for the personal values and the
//! secret tokens.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use serde_json::json;

use crate::common::*;

/// The log lines, captured by `support/log_capture.rs`.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the session on `app` and searches what `logs` captured.
pub async fn logs_hold_no_personal_data(app: App, logs: Captured) {
    let (name, phone, business, email) = (
        "비밀이름",
        "010-9876-5432",
        "비밀상호",
        "secret.person@example.kr",
    );
    let who = json!({ "name": name, "phone": phone, "business": business, "email": email, "consent": true });
    let mut body = who.clone();
    body["equipment"] = json!("cutter");
    body["date"] = json!("2026-03-05");
    body["start"] = json!("10:00");
    body["slots"] = json!(1);
    let created = send(&app.router, post_json("/api/reservations", body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let j = created.json();
    let (code, token) = (
        j["reservation"]["code"].as_str().unwrap().to_owned(),
        j["token"].as_str().unwrap().to_owned(),
    );
    // A repeat of the same booking (no key) answers with the first one.
    let repeat = send(&app.router, post_json("/api/reservations", body.clone())).await;
    assert_eq!(repeat.status, StatusCode::OK, "{}", repeat.text);
    // Rejections log too: a clash and a bad form.
    let mut other = body.clone();
    other["phone"] = json!("010-9876-5433");
    let clash = send(&app.router, post_json("/api/reservations", other)).await;
    assert_eq!(clash.error_code(), "slot_taken");
    let mut bad = body.clone();
    bad["email"] = json!("not-an-email");
    send(
        &app.router,
        post_form(
            "/api/reservations",
            &[("name", name), ("phone", phone), ("business", business)],
        ),
    )
    .await;
    send(&app.router, post_json("/api/reservations", bad)).await;
    send(
        &app.router,
        get(&format!("/api/reservations/{code}?token={token}")),
    )
    .await;
    let mut apply = who.clone();
    apply["fields"] = json!({ "plan": "비밀계획", "workers": 2, "industry": "인쇄" });
    let policy = send(
        &app.router,
        post_json("/api/policies/smart-factory/applications", apply),
    )
    .await;
    assert_eq!(policy.status, StatusCode::CREATED, "{}", policy.text);
    send(
        &app.router,
        post_json("/api/programmes/laser-safety/applications", who.clone()),
    )
    .await;
    send(
        &app.router,
        admin(get("/api/admin/reservations"), CITY_TOKEN),
    )
    .await;
    send(
        &app.router,
        admin(get("/api/admin/reservations.csv"), CITY_TOKEN),
    )
    .await;
    send(
        &app.router,
        admin(get("/api/admin/applications"), CITY_TOKEN),
    )
    .await;
    // A job application (no business name): applied, repeated, a bad form,
    // moved by staff, listed, exported, the posting filled, then withdrawn.
    let mut job = json!({ "name": name, "phone": phone, "email": email, "consent": true });
    job["fields"] = json!({
        "intro": "비밀자기소개", "experience": "1~3년", "start": "2026-03-16", "certificates": "비밀자격증"
    });
    let applied = send(
        &app.router,
        post_json("/api/jobs/sewing-operator/applications", job.clone()),
    )
    .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.text);
    let j = applied.json();
    let (job_code, job_token) = (
        j["application"]["code"].as_str().unwrap().to_owned(),
        j["token"].as_str().unwrap().to_owned(),
    );
    let dup = send(
        &app.router,
        post_json("/api/jobs/sewing-operator/applications", job.clone()),
    )
    .await;
    assert_eq!(dup.error_code(), "already_applied");
    let mut bad_job = job.clone();
    bad_job["fields"]["start"] = json!("비밀날짜");
    send(
        &app.router,
        post_json("/api/jobs/sewing-operator/applications", bad_job),
    )
    .await;
    send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/applications/{job_code}/status"),
                json!({ "status": "reviewing" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    send(
        &app.router,
        admin(get("/api/admin/applications.csv?kind=job"), FASHION_TOKEN),
    )
    .await;
    send(
        &app.router,
        admin(
            post_json(
                "/api/admin/jobs/sewing-operator/filled",
                json!({ "filled": true }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    let withdrawn = send(
        &app.router,
        post_json(
            &format!("/api/applications/{job_code}/cancel"),
            json!({ "token": job_token }),
        ),
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text);
    app.clock.set("2026-03-05T03:00:00Z".parse().unwrap());
    let survey =
        json!({ "code": code, "token": token, "answers": { "overall": 4, "comment": "좋아요" } });
    assert_eq!(
        send(
            &app.router,
            post_json("/api/surveys/equipment-satisfaction/responses", survey)
        )
        .await
        .status,
        StatusCode::CREATED
    );
    sbiz_booking::ops::purge_now(&app.state)
        .await
        .expect("purge");

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).expect("utf-8 logs");
    assert!(
        text.contains("reservation") && text.contains("slot_taken") && text.contains("job"),
        "logging is on:\n{text}"
    );
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    for secret in [
        name,
        phone,
        &digits,
        "9876-5432",
        business,
        email,
        "secret.person",
        "비밀계획",
        &token,
        "비밀자기소개",
        "비밀자격증",
        "비밀날짜",
        &job_token,
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} found in the logs:\n{text}"
        );
    }
}
