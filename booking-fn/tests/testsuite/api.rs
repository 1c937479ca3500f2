//! The HTTP API end to end on the SQLite store: rules, error codes, forms
//! with JavaScript off, idempotency, admin, surveys, catalog reloads.

use std::sync::Arc;

use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

async fn reserve(app: &App, body: Value) -> Answer {
    send(&app.router, post_json("/api/reservations", body)).await
}

#[tokio::test]
async fn a_reservation_from_booking_to_cancellation() {
    let app = app();
    let a = reserve(&app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let j = a.json();
    let r = &j["reservation"];
    assert_eq!(r["status"], "confirmed");
    assert_eq!(r["start"], "10:00");
    assert_eq!(r["end"], "12:00");
    assert_eq!(r["equipment"]["name"], "자동재단기");
    assert_eq!(r["cancel_until"], "2026-03-04 10:00");
    let code = r["code"].as_str().unwrap().to_owned();
    let token = j["token"].as_str().unwrap().to_owned();
    assert_eq!(
        j["manage_url"],
        format!("{ORIGIN}/api/reservations/{code}?token={token}")
    );
    assert_eq!(a.headers[header::CACHE_CONTROL], "no-store");

    let shown = send(
        &app.router,
        get(&format!("/api/reservations/{code}?token={token}")),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["reservation"]["person"]["name"], "김소공1");
    // A wrong token looks like an unknown code.
    let wrong = send(
        &app.router,
        get(&format!(
            "/api/reservations/{code}?token={}",
            "0".repeat(32)
        )),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );

    let avail = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-05"),
    )
    .await
    .json();
    let slots = &avail["days"][0]["slots"];
    let free: Vec<(String, bool)> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["start"].as_str().unwrap().to_owned(), s["free"] == true))
        .collect();
    assert!(free.contains(&("10:00".into(), false)) && free.contains(&("11:00".into(), false)));
    assert!(
        free.contains(&("09:00".into(), true)) && !free.iter().any(|(t, _)| t == "12:00"),
        "lunch is not a slot"
    );

    let cancel = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.text);
    assert_eq!(cancel.json()["reservation"]["status"], "cancelled");
    let again = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    assert_eq!(again.error_code(), "invalid_status");
    let avail = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-05"),
    )
    .await
    .json();
    assert!(
        avail["days"][0]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["free"] == true)
    );
}

#[tokio::test]
async fn availability_marks_days() {
    let app = app();
    let a = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-01&to=2026-03-18"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let j = a.json();
    let state = |d: &str| {
        j["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["date"] == d)
            .map(|x| x["state"].as_str().unwrap().to_owned())
    };
    assert_eq!(state("2026-03-03").as_deref(), Some("too_soon"));
    assert_eq!(state("2026-03-04").as_deref(), Some("open"));
    assert_eq!(state("2026-03-08").as_deref(), Some("closed"), "Sunday");
    assert_eq!(
        state("2026-03-13").as_deref(),
        Some("closed"),
        "closed date"
    );
    assert_eq!(state("2026-03-18").as_deref(), Some("too_far"));
    let bad = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-01&to=2026-12-01"),
    )
    .await;
    assert_eq!(bad.error_code(), "invalid_input");
    let none = send(&app.router, get("/api/equipment/nothing/availability")).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_rule_has_its_code() {
    let app = app();
    let cases = [
        (
            booking("cutter", "2026-03-05", "12:00", 1, 1),
            "outside_hours",
        ),
        (
            booking("cutter", "2026-03-05", "11:00", 2, 1),
            "outside_hours",
        ),
        (
            booking("cutter", "2026-03-05", "17:00", 2, 1),
            "outside_hours",
        ),
        (booking("cutter", "2026-03-08", "10:00", 1, 1), "closed_day"),
        (booking("cutter", "2026-03-13", "10:00", 1, 1), "closed_day"),
        (booking("cutter", "2026-03-03", "15:00", 1, 1), "too_soon"),
        (booking("cutter", "2026-03-18", "10:00", 1, 1), "too_far"),
        (booking("cutter", "2026-03-05", "13:00", 5, 1), "too_long"),
        (booking("laser", "2026-03-05", "13:00", 1, 1), "too_short"),
        (booking("laser", "2026-03-03", "08:30", 2, 1), "too_soon"),
        (booking("nothing", "2026-03-05", "13:00", 1, 1), "not_found"),
    ];
    for (body, code) in cases {
        let a = reserve(&app, body.clone()).await;
        assert_eq!(a.error_code(), code, "{body} → {}", a.text);
        assert!(!a.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    let mut no_consent = booking("cutter", "2026-03-05", "10:00", 1, 1);
    no_consent["consent"] = json!(false);
    let a = reserve(&app, no_consent).await;
    assert_eq!(
        (a.status.as_u16(), a.error_code().as_str()),
        (422, "consent_required")
    );
    let a = reserve(
        &app,
        json!({ "equipment": "cutter", "date": "2026-02-30", "phone": "12" }),
    )
    .await;
    assert_eq!(a.error_code(), "invalid_input");
    let fields = a.json()["error"]["fields"].clone();
    for f in [
        "date", "start", "slots", "name", "phone", "business", "consent",
    ] {
        assert!(fields.get(f).is_some(), "{f} missing in {fields}");
    }
}

#[tokio::test]
async fn slots_and_quota_conflict() {
    let app = app();
    assert_eq!(
        reserve(&app, booking("cutter", "2026-03-05", "09:00", 3, 1))
            .await
            .status,
        StatusCode::CREATED
    );
    let clash = reserve(&app, booking("cutter", "2026-03-05", "11:00", 1, 2)).await;
    assert_eq!(
        (clash.status, clash.error_code().as_str()),
        (StatusCode::CONFLICT, "slot_taken")
    );
    // 6 hours a week: 3 taken, 3 more fit, the 7th hour does not.
    assert_eq!(
        reserve(&app, booking("cutter", "2026-03-06", "13:00", 3, 1))
            .await
            .status,
        StatusCode::CREATED
    );
    let over = reserve(&app, booking("cutter", "2026-03-07", "10:00", 1, 1)).await;
    assert_eq!(over.error_code(), "quota_exceeded");
    assert!(
        over.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("6시간")
    );
    // The same person written differently is the same person.
    let mut same = booking("cutter", "2026-03-07", "10:00", 1, 1);
    same["phone"] = json!("01055550001");
    assert_eq!(reserve(&app, same).await.error_code(), "quota_exceeded");
    // Next week is a new week.
    assert_eq!(
        reserve(&app, booking("cutter", "2026-03-09", "10:00", 1, 1))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn training_and_staff_approval_hold_reservations() {
    let app = app();
    let a = reserve(&app, booking("laser", "2026-03-05", "10:00", 2, 3))
        .await
        .json();
    assert_eq!(a["reservation"]["status"], "pending");
    assert_eq!(a["reservation"]["training_check"], true);
    assert_eq!(a["reservation"]["fee_won"], 10000);
    let b = reserve(&app, booking("lathe", "2026-03-05", "10:00", 2, 3))
        .await
        .json();
    assert_eq!(b["reservation"]["status"], "pending");
    assert_eq!(b["reservation"]["training_check"], false);

    // Completing the training: enrol, attend (staff), then book again.
    let mut p = person(4);
    p.insert("idempotency_key".into(), json!("enrol-0004"));
    let enrol = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            Value::Object(p),
        ),
    )
    .await;
    assert_eq!(enrol.status, StatusCode::CREATED, "{}", enrol.text);
    let code = enrol.json()["application"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.set("2026-03-12T05:00:00Z".parse().unwrap());
    let marked = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/applications/{code}/status"),
                json!({ "status": "attended" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    let c = reserve(&app, booking("laser", "2026-03-16", "10:00", 2, 4))
        .await
        .json();
    assert_eq!(c["reservation"]["status"], "confirmed", "{c}");
}

#[tokio::test]
async fn no_shows_block_new_bookings() {
    let app = app();
    let mut codes = Vec::new();
    for day in ["2026-03-04", "2026-03-05"] {
        let j = reserve(&app, booking("cutter", day, "10:00", 1, 9))
            .await
            .json();
        codes.push(j["reservation"]["code"].as_str().unwrap().to_owned());
    }
    app.clock.set("2026-03-05T06:00:00Z".parse().unwrap());
    for code in &codes {
        let a = send(
            &app.router,
            admin(
                post_json(
                    &format!("/api/admin/reservations/{code}/status"),
                    json!({ "status": "no_show" }),
                ),
                CITY_TOKEN,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
    let blocked = reserve(&app, booking("cutter", "2026-03-10", "10:00", 1, 9)).await;
    assert_eq!(
        (blocked.status.as_u16(), blocked.error_code().as_str()),
        (403, "no_show_blocked")
    );
    assert!(
        blocked.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2026-04-03")
    );
    assert_eq!(
        reserve(&app, booking("cutter", "2026-03-10", "10:00", 1, 10))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn cancelling_after_the_deadline_is_refused() {
    let app = app();
    let j = reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 1))
        .await
        .json();
    let (code, token) = (
        j["reservation"]["code"].as_str().unwrap(),
        j["token"].as_str().unwrap(),
    );
    app.clock.set("2026-03-04T01:30:00Z".parse().unwrap()); // 10:30 KST the day before: 23.5 h left
    let a = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{code}/cancel?token={token}"),
            json!({}),
        ),
    )
    .await;
    assert_eq!(a.error_code(), "cancel_deadline_passed");
}

#[tokio::test]
async fn a_retried_submission_returns_the_first_result() {
    let app = app();
    let req = || {
        let mut r = post_json(
            "/api/reservations",
            booking("cutter", "2026-03-05", "10:00", 1, 1),
        );
        r.headers_mut().insert(
            "idempotency-key",
            "f0e1d2c3-b4a5-4697-8899-aabbccddeeff".parse().unwrap(),
        );
        r
    };
    let first = send(&app.router, req()).await;
    let second = send(&app.router, req()).await;
    assert_eq!(
        (first.status, second.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_eq!(
        first.json()["reservation"]["code"],
        second.json()["reservation"]["code"]
    );
    assert_eq!(first.json()["token"], second.json()["token"]);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    assert_eq!(second.json()["replayed"], true);
    // The same key with other content is refused.
    let mut other = post_json(
        "/api/reservations",
        booking("cutter", "2026-03-05", "14:00", 1, 1),
    );
    other.headers_mut().insert(
        "idempotency-key",
        "f0e1d2c3-b4a5-4697-8899-aabbccddeeff".parse().unwrap(),
    );
    assert_eq!(
        send(&app.router, other).await.error_code(),
        "idempotency_conflict"
    );
}

#[tokio::test]
async fn plain_form_posts_get_korean_pages() {
    let app = app();
    let pairs = [
        ("equipment", "cutter"),
        ("date", "2026-03-05"),
        ("start", "10:00"),
        ("end", "12:00"),
        ("name", "박재단"),
        ("phone", "010-7777-1234"),
        ("business", "재단공방"),
        ("consent", "on"),
        ("idempotency_key", "form-key-0001"),
    ];
    // A successful post answers 303 to the reservation's own page
    // (post/redirect/get): reloading that page sends nothing again.
    let posted = send(&app.router, post_form("/api/reservations", &pairs)).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        location.starts_with(&format!("{ORIGIN}/api/reservations/"))
            && location.contains("?token=")
            && location.ends_with("&result=1"),
        "{location}"
    );
    let follow = |location: String| {
        let path = location.trim_start_matches(ORIGIN).to_owned();
        Request::get(path)
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let a = send(&app.router, follow(location.clone())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(a.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    // The page holds the management link and a cancel button: never
    // cached, never framed by another site, its address never in a Referer.
    for (name, value) in [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ] {
        assert_eq!(
            a.headers.get(&name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{name}"
        );
    }
    assert!(a.text.contains("lang=\"ko\"") && a.text.contains("예약이 확정되었습니다"));
    assert!(a.text.contains("예약 결과"));
    assert!(a.text.contains("/api/reservations/") && a.text.contains("?token="));
    assert!(a.text.contains("예약 취소하기"));
    // The same post again with its key (a retry) ends on the same page.
    let again = send(&app.router, post_form("/api/reservations", &pairs)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.headers[header::LOCATION], location.as_str());
    assert!(again.headers.contains_key("idempotent-replayed"));

    // Issue 9, finding 4: with JavaScript off the form has no key; a double
    // submit must end on the booking that was made, not on "taken".
    let keyless: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(k, v)| match k {
            "start" => ("start", "14:00"),
            "end" => ("end", "15:00"),
            _ => (k, v),
        })
        .filter(|(k, _)| *k != "idempotency_key")
        .collect();
    let first = send(&app.router, post_form("/api/reservations", &keyless)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text);
    let first_page = send(
        &app.router,
        follow(first.headers[header::LOCATION].to_str().unwrap().to_owned()),
    )
    .await;
    let second = send(&app.router, post_form("/api/reservations", &keyless)).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert!(
        second.text.contains("같은 예약이 이미 접수되어 있습니다"),
        "{}",
        second.text
    );
    let code_of = |t: &str| {
        t.split("class=\"code\">")
            .nth(1)
            .and_then(|s| s.get(..9))
            .map(str::to_owned)
    };
    assert!(code_of(&first_page.text).is_some());
    assert_eq!(code_of(&first_page.text), code_of(&second.text));
    assert!(
        !second.text.contains("?token="),
        "the link went to the first answer only"
    );
    // Someone else sending the same slot still gets "taken".
    let other: Vec<(&str, &str)> = keyless
        .iter()
        .map(|&(k, v)| {
            if k == "phone" {
                (k, "010-7777-9999")
            } else {
                (k, v)
            }
        })
        .collect();
    let taken = send(&app.router, post_form("/api/reservations", &other)).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    // And the same person later than REPEAT_MINUTES gets "taken" too.
    app.clock.advance(jiff::SignedDuration::from_mins(11));
    let late = send(&app.router, post_form("/api/reservations", &keyless)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    // An error page says what went wrong and links back to the form.
    let mut bad = pairs.to_vec();
    bad.retain(|(k, _)| *k != "consent" && *k != "idempotency_key");
    let e = send(&app.router, post_form("/api/reservations", &bad)).await;
    assert_eq!(e.status.as_u16(), 422);
    assert!(e.text.contains("개인정보 수집·이용에 동의") && e.text.contains("consent_required"));
    // The consent box shown again is the compact one: the four things the
    // law asks for, and the full notice and the booking help behind links.
    for text in [
        "수집·이용 목적: 장비 예약 확인과 이용 안내",
        "보유·이용 기간: 이용일로부터 1년",
        "/privacy/\">개인정보처리방침 전문 보기</a>",
        "/how-to-book/\">예약·신청 방법 안내</a>",
    ] {
        assert!(e.text.contains(text), "{text}: {}", e.text);
    }
    assert!(
        e.text
            .contains(&format!("href=\"{ORIGIN}/equipment/cutter/\""))
    );

    // Form posts from elsewhere, or without Origin and Referer, are refused.
    let mut foreign = post_form("/api/reservations", &pairs);
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(
        send(&app.router, foreign).await.status,
        StatusCode::FORBIDDEN
    );
    let mut bare = post_form("/api/reservations", &pairs);
    bare.headers_mut().remove(header::ORIGIN);
    bare.headers_mut().remove(header::REFERER);
    assert_eq!(send(&app.router, bare).await.status, StatusCode::FORBIDDEN);
    let mut local = post_form("/api/reservations", &pairs);
    local
        .headers_mut()
        .insert(header::ORIGIN, "http://localhost:1313".parse().unwrap());
    assert_eq!(
        send(&app.router, local).await.status,
        StatusCode::SEE_OTHER,
        "an extra origin"
    );
}

#[tokio::test]
async fn strict_bodies() {
    let app = app();
    let text = Request::post("/api/reservations")
        .header(header::CONTENT_TYPE, "text/plain")
        .body("x".into())
        .unwrap();
    assert_eq!(
        send(&app.router, text).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // The limit is sized from the catalog's longest form (16 KiB + 12 bytes
    // per character of its text fields: 22,384 bytes for the fixture).
    let big = post_json("/api/reservations", json!({ "name": "x".repeat(30_000) }));
    let a = send(&app.router, big).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let missing = send(&app.router, get("/api/nothing")).await;
    assert_eq!(
        (missing.status, missing.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let wrong_method = send(&app.router, get("/api/reservations")).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn cors_allows_only_the_site() {
    let app = app();
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/reservations")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type,idempotency-key",
            )
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let ok = send(&app.router, preflight(ORIGIN)).await;
    assert_eq!(ok.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
    let no = send(&app.router, preflight("https://evil.example")).await;
    assert!(!no.headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
}

#[tokio::test]
async fn programme_capacity_waitlist_and_promotion_over_http() {
    let app = app();
    let mut results = Vec::new();
    for who in 1..=5 {
        let a = send(
            &app.router,
            post_json(
                "/api/programmes/laser-safety/applications",
                Value::Object(person(who)),
            ),
        )
        .await;
        results.push(a);
    }
    let statuses: Vec<String> = results
        .iter()
        .map(|a| {
            a.json()["application"]["status"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(
        statuses[..4],
        ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    );
    assert_eq!(results[4].error_code(), "full");
    assert_eq!(results[3].json()["application"]["waiting_before"], 1);
    let dup = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            Value::Object(person(1)),
        ),
    )
    .await;
    assert_eq!(dup.error_code(), "already_applied");
    // The first cancels: the third (first waiting) is promoted.
    let first = results[0].json();
    let (code, token) = (
        first["application"]["code"].as_str().unwrap(),
        first["token"].as_str().unwrap(),
    );
    let c = send(
        &app.router,
        post_json(
            &format!("/api/applications/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    assert_eq!(c.json()["application"]["status"], "cancelled");
    let third = results[2].json();
    let shown = send(
        &app.router,
        get(&format!(
            "/api/applications/{}?token={}",
            third["application"]["code"].as_str().unwrap(),
            third["token"].as_str().unwrap()
        )),
    )
    .await;
    assert_eq!(shown.json()["application"]["status"], "enrolled");
    let closed = send(
        &app.router,
        post_json(
            "/api/programmes/pattern-basic/applications",
            Value::Object(person(1)),
        ),
    )
    .await;
    assert_eq!(closed.error_code(), "not_open");
}

#[tokio::test]
async fn policy_forms_are_validated() {
    let app = app();
    let mut p = person(1);
    p.insert(
        "fields".into(),
        json!({ "plan": "", "workers": 12, "industry": "농업" }),
    );
    let bad = send(
        &app.router,
        post_json("/api/policies/smart-factory/applications", Value::Object(p)),
    )
    .await;
    assert_eq!(bad.error_code(), "invalid_input");
    let f = bad.json()["error"]["fields"].clone();
    assert!(
        f["fields.plan"].is_string()
            && f["fields.workers"].is_string()
            && f["fields.industry"].is_string(),
        "{f}"
    );
    let mut p = person(1);
    p.insert(
        "fields".into(),
        json!({ "plan": "자동재단기 도입", "workers": "3", "industry": "의류·봉제" }),
    );
    let ok = send(
        &app.router,
        post_json(
            "/api/policies/smart-factory/applications",
            Value::Object(p.clone()),
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(ok.json()["application"]["status"], "submitted");
    assert_eq!(ok.json()["application"]["answers"]["workers"], "3");
    let dup = send(
        &app.router,
        post_json(
            "/api/policies/smart-factory/applications",
            Value::Object(p.clone()),
        ),
    )
    .await;
    assert_eq!(dup.error_code(), "already_applied");
    let link = send(
        &app.router,
        post_json(
            "/api/policies/export-voucher/applications",
            Value::Object(p),
        ),
    )
    .await;
    assert_eq!(link.error_code(), "no_online_form");
}

#[tokio::test]
async fn surveys_open_after_use_once() {
    let app = app();
    let j = reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 1))
        .await
        .json();
    let (code, token) = (
        j["reservation"]["code"].as_str().unwrap().to_owned(),
        j["token"].as_str().unwrap().to_owned(),
    );
    let answer = |overall: &str| {
        post_json(
            "/api/surveys/equipment-satisfaction/responses",
            json!({ "code": code, "token": token, "answers": { "overall": overall, "again": "예", "comment": "친절했어요" } }),
        )
    };
    assert_eq!(
        send(&app.router, answer("5")).await.error_code(),
        "survey_not_open"
    );
    app.clock.set("2026-03-05T03:00:00Z".parse().unwrap()); // 12:00 KST, an hour after the end
    let form = send(
        &app.router,
        Request::get(format!(
            "/api/surveys/equipment-satisfaction?code={code}&token={token}"
        ))
        .header(header::ACCEPT, "text/html")
        .body(axum::body::Body::empty())
        .unwrap(),
    )
    .await;
    assert!(
        form.text.contains("name=\"answers.overall\""),
        "{}",
        form.text
    );
    assert_eq!(
        send(&app.router, answer("9")).await.error_code(),
        "invalid_input"
    );
    assert_eq!(
        send(&app.router, answer("5")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        send(&app.router, answer("4")).await.error_code(),
        "survey_already_submitted"
    );
    // Opening it again says so instead of offering the form.
    let again = send(
        &app.router,
        Request::get(format!(
            "/api/surveys/equipment-satisfaction?code={code}&token={token}"
        ))
        .header(header::ACCEPT, "text/html")
        .body(axum::body::Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        !again.text.contains("name=\"answers.overall\"")
            && again.text.contains("이미 만족도 조사에 참여하셨습니다"),
        "{}",
        again.text
    );
    let summary = send(
        &app.router,
        admin(
            get("/api/admin/surveys/equipment-satisfaction/summary"),
            FASHION_TOKEN,
        ),
    )
    .await
    .json();
    assert_eq!(summary["responses"], 1);
    assert_eq!(summary["questions"][0]["average"], 5.0);
    assert_eq!(summary["questions"][1]["counts"]["예"], 1);
    assert_eq!(summary["questions"][2]["texts"][0], "친절했어요");
}

#[tokio::test]
async fn admin_is_scoped_and_exports_csv() {
    let app = app();
    for (eq, who) in [("cutter", 1), ("lathe", 2)] {
        assert_eq!(
            reserve(&app, booking(eq, "2026-03-05", "10:00", 1, who))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        send(&app.router, get("/api/admin/reservations"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app.router, admin(get("/api/admin/reservations"), "guess"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let city = send(
        &app.router,
        admin(get("/api/admin/reservations"), CITY_TOKEN),
    )
    .await
    .json();
    assert_eq!(city["reservations"].as_array().unwrap().len(), 2);
    let fashion = send(
        &app.router,
        admin(get("/api/admin/reservations"), FASHION_TOKEN),
    )
    .await
    .json();
    let list = fashion["reservations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["person"]["phone"], "010-5555-0001");
    let other = send(
        &app.router,
        admin(
            get("/api/admin/reservations?facility=guro-metal"),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let session = send(&app.router, admin(get("/api/admin/session"), FASHION_TOKEN))
        .await
        .json();
    assert_eq!(session["scope"], "seoul-fashion");

    // Approve the lathe (guro-metal): not visible to the fashion centre's staff.
    let lathe = city["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["equipment"]["id"] == "lathe")
        .unwrap()
        .clone();
    let code = lathe["code"].as_str().unwrap();
    let uri = format!("/api/admin/reservations/{code}/status");
    let denied = send(
        &app.router,
        admin(
            post_json(&uri, json!({ "status": "confirmed" })),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(denied.status, StatusCode::NOT_FOUND);
    let early = send(
        &app.router,
        admin(post_json(&uri, json!({ "status": "attended" })), CITY_TOKEN),
    )
    .await;
    assert_eq!(early.error_code(), "invalid_status");
    let ok = send(
        &app.router,
        admin(
            post_json(&uri, json!({ "status": "confirmed" })),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(ok.json()["reservation"]["status"], "confirmed");

    let csv = send(
        &app.router,
        admin(
            get("/api/admin/reservations.csv?status=confirmed"),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("reservations-2026-03-03.csv")
    );
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}예약번호,상태"));
    assert_eq!(lines.len(), 3);
    assert!(csv.text.contains("김소공2") && csv.text.contains("CNC 선반"));

    let apps = send(
        &app.router,
        admin(get("/api/admin/applications.csv?kind=policy"), CITY_TOKEN),
    )
    .await;
    assert_eq!(apps.status, StatusCode::OK);
    let bad = send(
        &app.router,
        admin(get("/api/admin/applications?target=x"), CITY_TOKEN),
    )
    .await;
    assert_eq!(bad.error_code(), "invalid_input");
}

#[tokio::test]
async fn the_catalog_can_be_swapped_at_run_time() {
    let app = app();
    assert_eq!(
        send(&app.router, get("/api/equipment/cutter/availability"))
            .await
            .status,
        StatusCode::OK
    );
    let mut c = catalog();
    c.equipment.retain(|e| e.id.as_str() != "cutter");
    app.state.set_catalog(Arc::new(c));
    assert_eq!(
        send(&app.router, get("/api/equipment/cutter/availability"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let health = send(&app.router, get("/api/health")).await.json();
    assert_eq!(
        (health["status"].as_str(), health["store"].as_str()),
        (Some("ok"), Some("sqlite"))
    );
}

/// Issue 9, finding 1: staff sessions are signed with the server secret
/// (not the configured token hash), capped at 9 hours and ended by 30
/// idle minutes, kept on the server, and end at sign-out or when the staff entry is removed.
#[tokio::test]
async fn staff_sessions_cannot_be_forged_and_end_on_the_server() {
    use hmac::{Hmac, Mac};
    use sbiz_booking::StaffTokens;
    let app = app();
    let cookie_of = |a: &Answer| -> String {
        let set = a
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no cookie: {} {}", a.status, a.text))
            .to_owned();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        set.split(';').next().unwrap().to_owned()
    };
    let login = |router: axum::Router| async move {
        send(
            &router,
            post_form("/api/admin/login", &[("token", FASHION_TOKEN)]),
        )
        .await
    };
    let scope_with = |router: axum::Router, cookie: String| async move {
        let req = Request::get("/api/admin/session")
            .header(header::COOKIE, cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        send(&router, req).await
    };

    let signed_in = login(app.router.clone()).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text
    );
    let cookie = cookie_of(&signed_in);
    let ok = scope_with(app.router.clone(), cookie.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json()["scope"], "seoul-fashion");

    // What someone who can read SBIZ_STAFF_TOKENS could mint before: a
    // `*` session until 2100, keyed with the configured hash.
    let hash = hex::decode(StaffTokens::hash_token(CITY_TOKEN)).unwrap();
    for (entry, msg) in [("0", "v1.0.4102444800"), ("0", "v2.0.4102444800")] {
        let mut mac = <Hmac<sha2::Sha256>>::new_from_slice(&hash).unwrap();
        mac.update(msg.as_bytes());
        let forged = format!(
            "sbiz_staff={msg}.{}",
            hex::encode(mac.finalize().into_bytes())
        );
        let refused = scope_with(app.router.clone(), forged).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "entry {entry}");
    }
    // A real cookie with its expiry pushed out fails its MAC.
    let value = cookie.trim_start_matches("sbiz_staff=");
    let parts: Vec<&str> = value.split('.').collect();
    let later = format!(
        "sbiz_staff={}.{}.{}.{}",
        parts[0],
        parts[1],
        parts[2].parse::<i64>().unwrap() + 86_400,
        parts[3]
    );
    assert_eq!(
        scope_with(app.router.clone(), later).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Signing out ends the session on the server: the old cookie is dead.
    let out = Request::post("/api/admin/logout")
        .header(header::COOKIE, cookie.clone())
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(send(&app.router, out).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        scope_with(app.router.clone(), cookie).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Thirty minutes without a request, the session is over (idle
    // expiry and the cap: `staff_session`).
    let cookie = cookie_of(&login(app.router.clone()).await);
    app.clock.advance(jiff::SignedDuration::from_mins(29));
    assert_eq!(
        scope_with(app.router.clone(), cookie.clone()).await.status,
        StatusCode::OK
    );
    app.clock.advance(jiff::SignedDuration::from_mins(31));
    assert_eq!(
        scope_with(app.router.clone(), cookie).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Removing the staff entry ends its sessions at once (same store and
    // secret, a configuration without the fashion centre's token).
    let cookie = cookie_of(&login(app.router.clone()).await);
    let without = sbiz_booking::AppState::new(
        Arc::new(catalog()),
        app.state.service().store.clone(),
        app.clock.clone(),
        sbiz_booking::AppConfig {
            staff: StaffTokens::parse(&format!("*:{}", StaffTokens::hash_token(CITY_TOKEN)))
                .unwrap(),
            secret: app.state.config().secret.clone(),
            ..Default::default()
        },
    );
    let router = sbiz_booking::router(without);
    assert_eq!(
        scope_with(router, cookie.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        scope_with(app.router.clone(), cookie).await.status,
        StatusCode::OK
    );
}

/// Issue 9, finding 5: a form filled to its own limits is never refused for
/// its size (2,000 Hangul are 18 KB URL-encoded), and a body that is too
/// large names the field instead of a bare 413.
#[tokio::test]
async fn long_korean_answers_fit_and_too_long_ones_name_their_field() {
    let mut cat = catalog();
    let policy = cat
        .policies
        .iter_mut()
        .find(|p| p.id.as_str() == "smart-factory")
        .unwrap();
    for f in policy.form.as_mut().unwrap() {
        if let sbiz_booking::catalog::FieldKind::Textarea { max_length } = &mut f.kind {
            *max_length = 2000;
        }
    }
    let app = app();
    app.state.set_catalog(Arc::new(cat));
    let plan = "가".repeat(2000);
    let pairs = [
        ("name", "김소공"),
        ("phone", "010-5555-0101"),
        ("business", "소공봉제"),
        ("consent", "on"),
        ("fields.plan", plan.as_str()),
        ("fields.workers", "3"),
        ("fields.industry", "의류·봉제"),
    ];
    let body_len = serde_urlencoded::to_string(pairs).unwrap().len();
    assert!(
        body_len > 16 * 1024,
        "{body_len} bytes: over the old fixed limit"
    );
    let ok = send(
        &app.router,
        post_form("/api/policies/smart-factory/applications", &pairs),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);

    // Far beyond every field's limit: 413, with the field named.
    let huge = "나".repeat(6000);
    let mut pairs = pairs;
    pairs[1] = ("phone", "010-5555-0102");
    pairs[4] = ("fields.plan", huge.as_str());
    let mut req = post_form("/api/policies/smart-factory/applications", &pairs);
    req.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    let big = send(&app.router, req).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.text);
    assert_eq!(big.error_code(), "payload_too_large");
    assert!(
        big.json()["error"]["fields"]["fields.plan"].is_string(),
        "{}",
        big.text
    );
}

/// Issue 9 (8): an `Idempotency-Key` that is not plain ASCII is refused like
/// any other malformed key, instead of being taken as no key at all.
#[tokio::test]
async fn a_non_ascii_idempotency_key_is_refused() {
    let app = app();
    let with_key = |uri: &str, body: Value| {
        let mut r = post_json(uri, body);
        r.headers_mut().insert(
            "idempotency-key",
            axum::http::HeaderValue::from_bytes("키키키키키키키키".as_bytes()).expect("header"),
        );
        r
    };
    let a = send(
        &app.router,
        with_key(
            "/api/reservations",
            booking("cutter", "2026-03-05", "10:00", 1, 1),
        ),
    )
    .await;
    assert_eq!(
        (a.status.as_u16(), a.error_code().as_str()),
        (422, "invalid_input"),
        "{}",
        a.text
    );
    assert!(
        a.json()["error"]["fields"]["idempotency_key"].is_string(),
        "{}",
        a.text
    );
    let p = send(
        &app.router,
        with_key(
            "/api/programmes/laser-safety/applications",
            Value::Object(person(1)),
        ),
    )
    .await;
    assert_eq!(p.error_code(), "invalid_input", "{}", p.text);
    // Nothing was written: the slot is still free.
    let ok = reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 2)).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
}

/// Issue 9 (9): `end` together with `slots` is refused (naming the field),
/// instead of silently booking what `slots` says.
#[tokio::test]
async fn end_and_slots_together_are_refused() {
    let app = app();
    for end in ["11:00", "10:00"] {
        let mut body = booking("cutter", "2026-03-05", "09:00", 1, 1);
        body["end"] = json!(end);
        let a = reserve(&app, body).await;
        assert_eq!(
            (a.status.as_u16(), a.error_code().as_str()),
            (422, "invalid_input"),
            "{}",
            a.text
        );
        assert!(a.json()["error"]["fields"]["end"].is_string(), "{}", a.text);
    }
    // Either one alone still works.
    let mut by_end = booking("cutter", "2026-03-05", "09:00", 1, 1);
    by_end.as_object_mut().expect("object").remove("slots");
    by_end["end"] = json!("11:00");
    let a = reserve(&app, by_end).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json()["reservation"]["end"], "11:00");
}

/// A request with an `Idempotency-Key` header.
fn keyed(uri: &str, body: Value, key: &str) -> Request<axum::body::Body> {
    let mut r = post_json(uri, body);
    r.headers_mut()
        .insert("idempotency-key", key.parse().expect("an ASCII key"));
    r
}

/// Issue 9 (7): everything that is stored is in the idempotency fingerprint,
/// so a retry that corrects any field is refused instead of answered with
/// the old record.
#[tokio::test]
async fn a_retry_that_changes_any_stored_field_is_a_conflict() {
    let app = app();
    let first = booking("cutter", "2026-03-05", "10:00", 1, 1);
    let key = "reservation-fp-0001";
    let a = send(&app.router, keyed("/api/reservations", first.clone(), key)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let mut changes: Vec<(&str, Value)> = vec![
        ("business", json!("고친상호")),
        ("email", json!("fixed@example.kr")),
        ("email", Value::Null),
        ("name", json!("김고침")),
        ("phone", json!("010-5555-0999")),
        ("start", json!("11:00")),
        ("date", json!("2026-03-06")),
    ];
    changes.push(("slots", json!(2)));
    for (field, value) in changes {
        let mut body = first.clone();
        body[field] = value;
        let retry = send(&app.router, keyed("/api/reservations", body, key)).await;
        assert_eq!(
            (retry.status, retry.error_code().as_str()),
            (StatusCode::CONFLICT, "idempotency_conflict"),
            "{field}: {}",
            retry.text
        );
    }
    // The same content (the run given as `end` instead of `slots`) replays.
    let mut same = first.clone();
    same.as_object_mut().expect("object").remove("slots");
    same["end"] = json!("11:00");
    let replay = send(&app.router, keyed("/api/reservations", same, key)).await;
    assert_eq!(replay.status, StatusCode::CREATED, "{}", replay.text);
    assert_eq!(replay.headers["idempotent-replayed"], "true");

    // Programme enrolments: the business name and e-mail count too.
    let enrol = Value::Object(person(2));
    let uri = "/api/programmes/laser-safety/applications";
    let a = send(&app.router, keyed(uri, enrol.clone(), "enrol-fp-0001")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    for (field, value) in [
        ("business", json!("고친상호")),
        ("email", json!("fixed@example.kr")),
    ] {
        let mut body = enrol.clone();
        body[field] = value;
        let retry = send(&app.router, keyed(uri, body, "enrol-fp-0001")).await;
        assert_eq!(retry.error_code(), "idempotency_conflict", "{field}");
    }

    // Policy applications: every field, the form's answers included.
    let mut apply = person(3);
    apply.insert(
        "fields".into(),
        json!({ "plan": "자동재단기 도입", "workers": "3", "industry": "의류·봉제" }),
    );
    let apply = Value::Object(apply);
    let uri = "/api/policies/smart-factory/applications";
    let a = send(&app.router, keyed(uri, apply.clone(), "policy-fp-0001")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let again = send(&app.router, keyed(uri, apply.clone(), "policy-fp-0001")).await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let mut workers = apply.clone();
    workers["fields"]["workers"] = json!("4");
    let mut business = apply.clone();
    business["business"] = json!("고친상호");
    let mut email = apply.clone();
    email["email"] = json!("fixed@example.kr");
    for body in [workers, business, email] {
        let retry = send(&app.router, keyed(uri, body.clone(), "policy-fp-0001")).await;
        assert_eq!(retry.error_code(), "idempotency_conflict", "{body}");
    }
}

/// Issue 9 (14): bidi overrides and zero-width characters are refused in
/// personal free text, so a name cannot disguise what staff see.
#[tokio::test]
async fn invisible_format_characters_are_refused_in_personal_text() {
    let app = app();
    let mut body = booking("cutter", "2026-03-05", "10:00", 1, 1);
    body["name"] = json!("김\u{202E}공소");
    body["business"] = json!("소공\u{200B}봉제");
    body["email"] = json!("own\u{2066}er@example.kr");
    let a = reserve(&app, body).await;
    assert_eq!(a.error_code(), "invalid_input", "{}", a.text);
    let fields = a.json()["error"]["fields"].clone();
    for f in ["name", "business", "email"] {
        assert!(
            fields[f]
                .as_str()
                .is_some_and(|m| m.contains("보이지 않는")),
            "{f}: {fields}"
        );
    }
    let mut p = person(1);
    p.insert(
        "fields".into(),
        json!({ "plan": "자동재단기\u{FEFF} 도입", "workers": "3", "industry": "의류·봉제" }),
    );
    let a = send(
        &app.router,
        post_json("/api/policies/smart-factory/applications", Value::Object(p)),
    )
    .await;
    assert_eq!(a.error_code(), "invalid_input", "{}", a.text);
    assert!(
        a.json()["error"]["fields"]["fields.plan"].is_string(),
        "{}",
        a.text
    );
    // Ordinary Korean text is kept as typed.
    let mut ok = booking("cutter", "2026-03-05", "10:00", 1, 1);
    ok["name"] = json!("남궁 민수");
    ok["business"] = json!("(주)한빛 봉제 & 패턴");
    let a = reserve(&app, ok).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
}

/// Issue 9 (12): 예약 조회 by phone allows a few wrong phone numbers per
/// reservation code, then refuses every attempt on that code (the right
/// phone too) until the window ends; other codes are not affected.
#[tokio::test]
async fn phone_lookups_are_limited_per_code() {
    let app = app();
    let code_of = |a: Answer| {
        a.json()["reservation"]["code"]
            .as_str()
            .expect("code")
            .to_owned()
    };
    let target = code_of(reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 1)).await);
    let other = code_of(reserve(&app, booking("cutter", "2026-03-05", "11:00", 1, 2)).await);
    let lookup = |code: &str, phone: &str| {
        post_json(
            "/api/reservations/lookup",
            json!({ "code": code, "phone": phone }),
        )
    };
    for i in 0..5 {
        let a = send(&app.router, lookup(&target, &format!("010-9999-000{i}"))).await;
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "attempt {i}: {}",
            a.text
        );
    }
    let locked = send(&app.router, lookup(&target, "010-5555-0001")).await;
    assert_eq!(
        (locked.status.as_u16(), locked.error_code().as_str()),
        (429, "too_many_attempts"),
        "{}",
        locked.text
    );
    let message = locked.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("다시 시도") && message.contains("전화"),
        "{message}"
    );
    // The plain page says so as well, and cancelling by phone is locked too.
    let page = send(
        &app.router,
        post_form(
            "/api/reservations/lookup",
            &[("code", target.as_str()), ("phone", "010-5555-0001")],
        ),
    )
    .await;
    assert_eq!(page.status.as_u16(), 429);
    assert!(
        page.text.contains("too_many_attempts") && page.text.contains("다시 시도"),
        "{}",
        page.text
    );
    let cancel = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{target}/cancel"),
            json!({ "phone": "010-5555-0001" }),
        ),
    )
    .await;
    assert_eq!(cancel.error_code(), "too_many_attempts", "{}", cancel.text);
    // Another code is not affected.
    let fine = send(&app.router, lookup(&other, "010-5555-0002")).await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.text);
    // After the window the right phone number works again.
    app.clock.set("2026-03-03T00:15:00Z".parse().expect("time"));
    let later = send(&app.router, lookup(&target, "010-5555-0001")).await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.text);
}

/// A job application's body for `who`: no business name.
fn job_body(who: u32) -> Value {
    let mut m = person(who);
    m.remove("business");
    m.insert(
        "fields".into(),
        json!({"intro": "본봉 3년 했습니다.", "experience": "1~3년", "start": "2026-03-16"}),
    );
    Value::Object(m)
}

/// Issue 16: apply to a job posting (JSON and a plain form), one per
/// person, the deadline, staff moving it 접수 → 검토 → 면접 → 채용, CSV, the
/// filled mark (at once, without a rebuild), withdrawing.
#[tokio::test]
async fn job_applications_from_form_to_decision() {
    let app = app();
    let apply = |who| post_json("/api/jobs/sewing-operator/applications", job_body(who));
    let first = send(&app.router, apply(1)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let a = first.json();
    assert_eq!(a["application"]["kind"], "job");
    assert_eq!(a["application"]["status"], "submitted");
    assert_eq!(a["application"]["status_label"], "접수");
    assert_eq!(a["application"]["target"]["name"], "봉제 미싱사 모집");
    assert_eq!(a["application"]["person"]["business"], Value::Null);
    assert_eq!(a["application"]["answers"]["intro"], "본봉 3년 했습니다.");
    let code = a["application"]["code"].as_str().unwrap().to_owned();
    let token = a["token"].as_str().unwrap().to_owned();
    assert!(a["manage_url"].as_str().unwrap().contains(&code));
    // Kept for the job retention (90 days after the deadline), not a year.
    let stored = app
        .state
        .service()
        .store
        .application(&code.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.purge_after.to_string(), "2026-06-08");
    assert_eq!(
        stored.facility.as_ref().map(|f| f.as_str()),
        Some("seoul-fashion")
    );

    // One application per person per posting.
    let again = send(&app.router, apply(1)).await;
    assert_eq!(again.error_code(), "already_applied");
    // The posting's form is checked field by field; no business name is asked.
    let mut bad = job_body(2);
    bad["fields"] = json!({"experience": "10년", "start": "내일"});
    let bad = send(
        &app.router,
        post_json("/api/jobs/sewing-operator/applications", bad),
    )
    .await;
    assert_eq!(bad.error_code(), "invalid_input");
    let fields = &bad.json()["error"]["fields"];
    for f in ["fields.intro", "fields.experience", "fields.start"] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    assert!(fields["business"].is_null(), "{fields}");
    // Unknown posting, closed posting.
    let none = send(
        &app.router,
        post_json("/api/jobs/no-such-job/applications", job_body(2)),
    )
    .await;
    assert_eq!(none.error_code(), "not_found");
    let late = send(
        &app.router,
        post_json("/api/jobs/old-welder/applications", job_body(2)),
    )
    .await;
    assert_eq!(late.error_code(), "not_open");
    assert!(
        late.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2026-02-05")
    );

    // With JavaScript off: a plain form post ends on the application's page.
    let pairs = [
        ("name", "이재봉"),
        ("phone", "010-7777-2222"),
        ("fields.intro", "오버록 가능합니다."),
        ("fields.experience", "3년 이상"),
        ("fields.start", "2026-03-20"),
        ("consent", "on"),
        ("idempotency_key", "job-form-key-0001"),
    ];
    let posted = send(
        &app.router,
        post_form("/api/jobs/sewing-operator/applications", &pairs),
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.ends_with("&result=job"), "{location}");
    let page = send(
        &app.router,
        Request::get(location.trim_start_matches(ORIGIN))
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "구인 지원 결과",
        "봉제 미싱사 모집",
        "/jobs/sewing-operator/",
        "지원 취소하기",
        "지원서를 접수했습니다",
    ] {
        assert!(page.text.contains(text), "{text}: {}", page.text);
    }
    // Without consent, the form comes back with the problem at the box.
    let no_consent: Vec<_> = pairs
        .iter()
        .filter(|(k, _)| *k != "consent" && *k != "idempotency_key")
        .copied()
        .collect();
    let refused = send(
        &app.router,
        post_form("/api/jobs/sewing-operator/applications", &no_consent),
    )
    .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(
        refused.text.contains("구인 업체에 제공하는 데 동의합니다"),
        "{}",
        refused.text
    );

    // Staff of the posting's facility see it and move it along.
    let list = send(
        &app.router,
        admin(get("/api/admin/applications?kind=job"), FASHION_TOKEN),
    )
    .await
    .json();
    assert_eq!(list["applications"].as_array().unwrap().len(), 2);
    let status = |to: &str, token: &str| {
        admin(
            post_json(
                &format!("/api/admin/applications/{code}/status"),
                json!({ "status": to }),
            ),
            token,
        )
    };
    for to in ["reviewing", "interview", "hired"] {
        let moved = send(&app.router, status(to, FASHION_TOKEN)).await;
        assert_eq!(moved.status, StatusCode::OK, "{to}: {}", moved.text);
        assert_eq!(moved.json()["application"]["status"], to);
    }
    assert_eq!(
        send(&app.router, status("not_hired", FASHION_TOKEN))
            .await
            .error_code(),
        "invalid_status",
        "a decision is final"
    );
    assert_eq!(
        send(&app.router, status("approved", CITY_TOKEN))
            .await
            .error_code(),
        "invalid_status",
        "policy statuses are not job statuses"
    );
    // CSV: the kind, the answers, no business column value.
    let csv = send(
        &app.router,
        admin(get("/api/admin/applications.csv?kind=job"), FASHION_TOKEN),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text.contains("구인") && csv.text.contains("채용"));
    // The answers' columns are headed by the form's labels, not its ids.
    let head = csv.text.lines().next().unwrap_or_default();
    assert!(head.contains(",자기소개"), "{head}");
    assert!(!head.contains("intro"), "{head}");
    assert!(csv.text.contains("오버록 가능합니다."));

    // The applicant sees the decision; it can no longer be withdrawn.
    let shown = send(
        &app.router,
        get(&format!("/api/applications/{code}?token={token}")),
    )
    .await
    .json();
    assert_eq!(shown["application"]["status_label"], "채용");
    let withdraw = send(
        &app.router,
        post_json(
            &format!("/api/applications/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    assert_eq!(withdraw.error_code(), "invalid_status");

    // Filled: at once, without a rebuild; only the posting's facility.
    let state = send(&app.router, get("/api/jobs/sewing-operator/status"))
        .await
        .json();
    assert_eq!(
        (state["state"].as_str(), state["accepting"].as_bool()),
        (Some("open"), Some(true))
    );
    let other = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/jobs/cnc-operator/filled",
                json!({"filled": true}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(
        other.error_code(),
        "not_found",
        "another facility's posting"
    );
    let filled = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/jobs/sewing-operator/filled",
                json!({"filled": true}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(filled.status, StatusCode::OK, "{}", filled.text);
    assert_eq!(filled.json()["state"], "filled");
    let state = send(&app.router, get("/api/jobs/sewing-operator/status"))
        .await
        .json();
    assert_eq!(
        (state["state"].as_str(), state["accepting"].as_bool()),
        (Some("filled"), Some(false))
    );
    assert_eq!(state["label"], "채용 완료");
    let refused = send(&app.router, apply(3)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "filled");
    assert_eq!(
        send(&app.router, get("/api/jobs/old-welder/status"))
            .await
            .json()["state"],
        "closed"
    );
    // The other application may still be withdrawn by its holder.
    let other_code = list["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] != code.as_str())
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app
        .state
        .service()
        .store
        .application(&other_code.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.status.as_str(), "submitted");
    // Opened again, it takes applications.
    let reopened = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/jobs/sewing-operator/filled",
                json!({"filled": "false"}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(reopened.json()["state"], "open");
    assert_eq!(
        send(&app.router, apply(3)).await.status,
        StatusCode::CREATED
    );
}

/// Search without JavaScript: the function answers the search form from the
/// site's index, in a page with the query kept in the box; JSON for others.
#[tokio::test]
async fn search_answers_from_the_site_index_with_the_query_kept() {
    let app = app();
    let dir = std::env::temp_dir().join(format!("sbiz-search-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("search")).expect("mkdir");
    std::fs::write(
        dir.join("search/index.json"),
        json!({
            "kinds": [["equipment", "공용장비"], ["facilities", "지원시설"]],
            "industries": [["apparel", "의류·봉제"]],
            "districts": [["jongno", "종로구"]],
            "docs": [
                {"k": "equipment", "u": "/equipment/cutter/", "t": "자동재단기", "s": "원단을 자릅니다",
                 "i": ["apparel"], "d": ["jongno"], "nt": "자동재단기", "nk": "공용장비", "nb": "원단"},
                {"k": "facilities", "u": "/facilities/fc/", "t": "패션 센터", "s": "",
                 "i": [], "d": [], "nt": "패션 센터", "nk": "지원시설", "nb": "재단기"}
            ]
        })
        .to_string(),
    )
    .expect("write index");
    let loaded = sbiz_booking::ops::reload_theme(&app.state, &dir.join("catalog.json"));
    std::fs::remove_dir_all(&dir).expect("clean up");
    loaded.expect("loads the index");

    let page = send(
        &app.router,
        Request::get("/api/search?q=%EC%9E%AC%EB%8B%A8%EA%B8%B0%EB%A5%BC&kind=equipment")
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(r#"value="재단기를""#), "{}", page.text);
    assert!(page.text.contains(r#"<option value="equipment" selected>"#));
    assert!(page.text.contains("‘재단기를’ · 공용장비 검색 결과 1건"));
    assert!(
        page.text.contains(r#"href="/equipment/cutter/""#)
            || page.text.contains("/equipment/cutter/")
    );
    assert!(
        !page.text.contains("/facilities/fc/"),
        "the kind filter applies"
    );

    let json = send(&app.router, get("/api/search?q=%EC%9E%AC%EB%8B%A8"))
        .await
        .json();
    assert_eq!(json["total"], 2);
    assert_eq!(
        json["hits"][0]["url"], "/equipment/cutter/",
        "title matches first"
    );
}

/// A booking rule's refusal (the opening hours, a taken time, the booking
/// window) sits at the field it is about, like any other field error: a
/// link in the summary, `aria-invalid` and the message at the field.
#[tokio::test]
async fn booking_rule_errors_sit_at_their_field() {
    let app = app();
    let form = |equipment: &'static str, date: &'static str, start: &'static str, phone| {
        vec![
            ("equipment", equipment),
            ("date", date),
            ("start", start),
            ("slots", "2"),
            ("name", "박재단"),
            ("phone", phone),
            ("business", "재단공방"),
            ("consent", "on"),
        ]
    };
    let first = form("cutter", "2026-03-05", "10:00", "010-7777-1234");
    let ok = send(&app.router, post_form("/api/reservations", &first)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let cases = [
        (
            form("cutter", "2026-03-05", "11:00", "010-7777-9999"),
            "reserve-start",
            "쉬는 시간(12:00~13:00)에는 예약할 수 없습니다. 이 날의 이용 시간은 09:00~12:00, 13:00~18:00입니다.",
        ),
        (
            form("cutter", "2026-03-05", "17:00", "010-7777-9999"),
            "reserve-start",
            "고른 시간이 이 날의 이용 시간(09:00~12:00, 13:00~18:00)을 벗어납니다. 이용 시간 안에서 골라 주세요.",
        ),
        (
            form("laser", "2026-03-05", "09:15", "010-7777-9999"),
            "reserve-start",
            "시작 시간은 09:00부터 30분 단위로 골라 주세요.",
        ),
        (
            form("cutter", "2026-03-05", "09:00", "010-7777-9999"),
            "reserve-start",
            "선택한 시간에 이미 다른 예약이 있습니다. 다른 시간을 골라 주세요.",
        ),
        (
            form("cutter", "2026-03-18", "10:00", "010-7777-9999"),
            "reserve-date",
            "이 장비는 오늘부터 14일 뒤까지만 예약할 수 있습니다.",
        ),
    ];
    for (pairs, id, message) in cases {
        let page = send(&app.router, post_form("/api/reservations", &pairs)).await;
        let t = &page.text;
        assert!(
            t.contains(&format!("<li><a href=\"#{id}\">{message}</a></li>")),
            "{id}: {t}"
        );
        assert!(
            t.contains(&format!("id=\"{id}-error\"")) && t.contains(message),
            "{id}: {t}"
        );
        let field = t
            .split(&format!("id=\"{id}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        assert!(field.contains("aria-invalid=\"true\""), "{id}: {field}");
        // Said once, at the field and in the summary's link.
        assert_eq!(t.matches(message).count(), 2, "{t}");
    }
    let mut english = form("cutter", "2026-03-05", "11:00", "010-7777-9999");
    english.push(("lang", "en"));
    let page = send(&app.router, post_form("/api/reservations", &english)).await;
    assert!(
        page.text.contains(
            "<li><a href=\"#reserve-start\">12:00~13:00 is a break and cannot be booked. This day&#39;s hours are 09:00~12:00, 13:00~18:00.</a></li>"
        ),
        "{}",
        page.text
    );
}

/// A policy form shown again names the items the form itself collects in
/// its consent box, and the receipt of a policy that asks for documents
/// says how and by when to send them (the form takes no files), in the
/// page's language.
#[tokio::test]
async fn policy_pages_name_the_form_items_and_where_the_documents_go() {
    let mut cat = catalog();
    let policy = cat
        .policies
        .iter_mut()
        .find(|p| p.id.as_str() == "smart-factory")
        .unwrap();
    policy.how_to_submit =
        Some("제출 서류는 3월 31일까지 이메일(smart@example.kr)로 보내 주세요.".into());
    policy.how_to_submit_en =
        Some("Send the documents by e-mail (smart@example.kr) by March 31.".into());
    let app = app();
    app.state.set_catalog(Arc::new(cat));
    let mut pairs = vec![
        ("name", "김소공"),
        ("phone", "010-5555-0101"),
        ("business", "소공봉제"),
        ("consent", "on"),
        ("fields.plan", "자동재단기 도입"),
        ("fields.workers", "3"),
    ];
    let uri = "/api/policies/smart-factory/applications";
    let again = send(&app.router, post_form(uri, &pairs)).await;
    assert_eq!(again.status.as_u16(), 422, "{}", again.text);
    assert!(
        again
            .text
            .contains("<li>이 신청서의 필수 항목: 도입 계획, 상시 근로자 수, 업종</li>"),
        "{}",
        again.text
    );
    assert!(
        !again.text.contains("이 신청서의 선택 항목"),
        "{}",
        again.text
    );
    pairs.push(("fields.industry", "인쇄"));
    let posted = send(&app.router, post_form(uri, &pairs)).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let receipt = |location: &str| {
        Request::get(location.trim_start_matches(ORIGIN))
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let page = send(&app.router, receipt(&location)).await;
    assert!(
        page.text.contains(
            "<h2>제출 서류 보내기</h2><p data-how-to-submit>제출 서류는 3월 31일까지 이메일(smart@example.kr)로 보내 주세요.</p>"
        ),
        "{}",
        page.text
    );
    let english = send(&app.router, receipt(&format!("{location}&lang=en"))).await;
    assert!(
        english.text.contains(
            "<p data-how-to-submit>Send the documents by e-mail (smart@example.kr) by March 31.</p>"
        ),
        "{}",
        english.text
    );
    // A JSON client reads it too.
    let mut json = receipt(&location);
    json.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    let answer = send(&app.router, json).await;
    assert_eq!(
        answer.json()["application"]["how_to_submit"],
        "제출 서류는 3월 31일까지 이메일(smart@example.kr)로 보내 주세요.",
        "{}",
        answer.text
    );
}
