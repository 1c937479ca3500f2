//! Issue 13 points 1, 5, 7 through HTTP: closures (임시 휴관, 장비 사용
//! 중지) that availability and booking obey at once, the bookings inside
//! them cancelled in one step with the 시설 사정 message, the audit log
//! (`*` staff), and the pages with JavaScript off.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sbiz_booking::domain::{CancelledBy, MessageStatus, Subject};
use serde_json::{Value, json};

use crate::common::*;
use crate::support::record_page::html_get;

async fn book(app: &App, day: &str, start: &str, who: u32) -> String {
    let r = send(
        &app.router,
        post_json("/api/reservations", booking("cutter", day, start, 1, who)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["reservation"]["code"].as_str().unwrap().to_owned()
}

fn closure_body(target: &str, from: &str, to: &str) -> Value {
    json!({ "target": target, "from": from, "to": to, "reason": "breakdown", "note": "모터 교체" })
}

#[tokio::test]
async fn a_closure_stops_bookings_at_once_and_cancels_those_inside_with_the_reason() {
    let app = app();
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let inside = book(&app, "2026-03-05", "10:00", 1).await;
    let outside = book(&app, "2026-03-06", "10:00", 2).await;

    let made = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/closures",
                closure_body("equipment:cutter", "2026-03-05", "2026-03-05"),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let c = &made.json()["closure"];
    assert_eq!(c["term"], "장비 사용 중지");
    assert_eq!(c["message_reason"], "장비 사용 중지(고장: 모터 교체)");
    let id = c["id"].as_str().unwrap().to_owned();

    // Availability: the day's slots are not free, with what closed it.
    let av = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-06"),
    )
    .await
    .json();
    let days = av["days"].as_array().unwrap();
    assert_eq!(days[0]["closure"], "장비 사용 중지(고장: 모터 교체)");
    assert!(
        days[0]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["free"] == false)
    );
    assert!(days[1].get("closure").is_none());
    assert!(
        days[1]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["free"] == true)
    );
    // Booking into it: refused with `closed`; the day after is open.
    let refused = reserve(&app, booking("cutter", "2026-03-05", "14:00", 1, 3)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.error_code(), "closed");
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("고장")
    );
    // The other equipment of the facility is not closed.
    let laser = reserve(&app, booking("laser", "2026-03-05", "14:00", 2, 4)).await;
    assert_eq!(laser.status, StatusCode::CREATED, "{}", laser.text);

    // The list shows the booking inside (only it).
    let list = send(
        &app.router,
        admin(get("/api/admin/closures"), FASHION_TOKEN),
    )
    .await
    .json();
    let listed = &list["closures"][0];
    assert_eq!(listed["id"], id.as_str());
    let codes: Vec<_> = listed["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, std::slice::from_ref(&inside));

    // 모두 취소하고 알리기.
    let done = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/closures/{id}/cancel-bookings"),
                json!({}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json()["cancelled"][0]["status"], "cancelled");
    let store = app.state.service().store.clone();
    // Recorded as cancelled for the closure (휴관·사용 중지로 취소).
    let stored = store
        .reservation(&inside.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.cancelled_by, Some(CancelledBy::Closure));
    let messages = store
        .messages_of(&Subject::Reservation(inside.parse().unwrap()))
        .await
        .unwrap();
    let by_staff: Vec<_> = messages
        .iter()
        .filter(|m| m.event.as_str() == "reservation_cancelled_by_staff")
        .collect();
    assert!(!by_staff.is_empty(), "{messages:?}");
    assert!(by_staff.iter().all(|m| m.status == MessageStatus::Queued));
    assert!(
        by_staff.iter().all(|m| m
            .params
            .iter()
            .any(|(k, v)| k == "reason" && v.contains("고장"))),
        "{by_staff:?}"
    );
    assert!(
        messages
            .iter()
            .filter(|m| m.event.as_str() == "reservation_reminder")
            .all(|m| m.status != MessageStatus::Queued),
        "reminders cancelled"
    );
    let kept = send(
        &app.router,
        admin(get("/api/admin/reservations"), FASHION_TOKEN),
    )
    .await
    .json();
    let status_of = |code: &str| {
        kept["reservations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["status"].clone())
    };
    assert_eq!(status_of(&inside), Some(json!("cancelled")));
    assert_eq!(
        status_of(&outside),
        Some(json!("confirmed")),
        "outside the closure"
    );

    // Removed: the day takes bookings again.
    let removed = send(
        &app.router,
        admin(
            post_json(&format!("/api/admin/closures/{id}/remove"), json!({})),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    book(&app, "2026-03-05", "14:00", 5).await;
}

/// 모두 취소하고 알리기 tells each person the closure's reason in their
/// reservation's language: English bookings read the kind and the reason
/// in English with the staff's note after it, labelled as Korean (as the
/// English pages say it); Korean bookings read it as before.
#[tokio::test]
async fn cancelling_for_a_closure_gives_english_bookings_the_reason_in_english() {
    let app = app();
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let book_in = |day: &'static str, start: &'static str, who: u32, lang: &'static str| {
        let mut body = booking("cutter", day, start, 1, who);
        body["lang"] = lang.into();
        let req = post_json("/api/reservations", body);
        async {
            let r = send(&app.router, req).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.json()["reservation"]["code"].as_str().unwrap().to_owned()
        }
    };
    let english = book_in("2026-03-05", "10:00", 1, "en").await;
    let korean = book_in("2026-03-05", "14:00", 2, "ko").await;
    let english_no_note = book_in("2026-03-06", "10:00", 3, "en").await;
    let closures = [
        closure_body("equipment:cutter", "2026-03-05", "2026-03-05"),
        json!({ "target": "facility:seoul-fashion", "from": "2026-03-06", "to": "2026-03-06",
                "reason": "event", "note": "" }),
    ];
    for body in closures {
        let made = send(
            &app.router,
            admin(post_json("/api/admin/closures", body), FASHION_TOKEN),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
        let id = made.json()["closure"]["id"].as_str().unwrap().to_owned();
        let done = send(
            &app.router,
            admin(
                post_json(
                    &format!("/api/admin/closures/{id}/cancel-bookings"),
                    json!({}),
                ),
                FASHION_TOKEN,
            ),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    }
    let store = app.state.service().store.clone();
    for (code, lang, reason) in [
        (
            &english,
            Some("en"),
            "equipment out of service (breakdown). Note from the support center (in Korean): 모터 교체",
        ),
        (&korean, None, "장비 사용 중지(고장: 모터 교체)"),
        (&english_no_note, Some("en"), "temporary closure (event)"),
    ] {
        let messages = store
            .messages_of(&Subject::Reservation(code.parse().unwrap()))
            .await
            .unwrap();
        let by_staff: Vec<_> = messages
            .iter()
            .filter(|m| m.event.as_str() == "reservation_cancelled_by_staff")
            .collect();
        assert!(!by_staff.is_empty(), "{messages:?}");
        for m in by_staff {
            assert_eq!(m.params.get("reason").map(String::as_str), Some(reason));
            assert_eq!(m.params.get("lang").map(String::as_str), lang, "{m:?}");
        }
    }
}

/// Cancelling one reservation: the reason staff type (or the default one
/// when they type none) reaches the person in their reservation's
/// language, as a closure's does: an English booking reads the default in
/// English and a Korean reason after the label of a staff note in Korean;
/// a reason typed without Korean letters goes as typed; Korean bookings
/// read it as before.
#[tokio::test]
async fn cancelling_one_reservation_gives_english_bookings_the_reason_in_english() {
    let app = app();
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let cases = [
        ("en", "", "Please contact the support center."),
        (
            "en",
            "장비 고장으로 운영을 멈춥니다",
            "Note from the support center (in Korean): 장비 고장으로 운영을 멈춥니다",
        ),
        ("en", "Motor replaced on 3/5", "Motor replaced on 3/5"),
        ("ko", "", "시설에 문의해 주세요"),
        ("ko", "장비 고장", "장비 고장"),
    ];
    let store = app.state.service().store.clone();
    for (i, (lang, typed, reason)) in cases.into_iter().enumerate() {
        let start = ["09:00", "10:00", "11:00", "14:00", "15:00"][i];
        let mut body = booking("cutter", "2026-03-05", start, 1, i as u32 + 1);
        body["lang"] = lang.into();
        let made = send(&app.router, post_json("/api/reservations", body)).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
        let code = made.json()["reservation"]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let done = send(
            &app.router,
            admin(
                post_json(
                    &format!("/api/admin/reservations/{code}/status"),
                    json!({ "status": "cancelled", "reason": typed }),
                ),
                FASHION_TOKEN,
            ),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        // Recorded as cancelled by staff (담당자 취소).
        let stored = store
            .reservation(&code.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.cancelled_by, Some(CancelledBy::Staff));
        let messages = store
            .messages_of(&Subject::Reservation(code.parse().unwrap()))
            .await
            .unwrap();
        let by_staff: Vec<_> = messages
            .iter()
            .filter(|m| m.event.as_str() == "reservation_cancelled_by_staff")
            .collect();
        assert!(!by_staff.is_empty(), "{messages:?}");
        for m in by_staff {
            assert_eq!(
                m.params.get("reason").map(String::as_str),
                Some(reason),
                "{lang} {typed:?}"
            );
        }
    }
}

#[tokio::test]
async fn closures_are_checked_and_kept_to_the_staff_scope() {
    let app = app();
    let post = |body: Value, token: &'static str| {
        let router = app.router.clone();
        async move {
            send(
                &router,
                admin(post_json("/api/admin/closures", body), token),
            )
            .await
        }
    };
    // Another facility: refused for facility staff, fine for `*` staff.
    let other = post(
        closure_body("facility:guro-metal", "2026-03-05", "2026-03-06"),
        FASHION_TOKEN,
    )
    .await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other.text
    );
    assert!(
        other.json()["error"]["fields"]["facility"].is_string(),
        "{}",
        other.text
    );
    let city = post(
        closure_body("facility:guro-metal", "2026-03-05", "2026-03-06"),
        CITY_TOKEN,
    )
    .await;
    assert_eq!(city.status, StatusCode::CREATED, "{}", city.text);
    let id = city.json()["closure"]["id"].as_str().unwrap().to_owned();
    assert_eq!(city.json()["closure"]["term"], "임시 휴관");
    // Facility staff neither see nor remove it.
    let mine = send(
        &app.router,
        admin(get("/api/admin/closures"), FASHION_TOKEN),
    )
    .await
    .json();
    assert_eq!(mine["closures"].as_array().unwrap().len(), 0);
    let gone = send(
        &app.router,
        admin(
            post_json(&format!("/api/admin/closures/{id}/remove"), json!({})),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.text);
    // The whole facility: its lathe cannot be booked on those days.
    let lathe = reserve(&app, booking("lathe", "2026-03-06", "10:00", 1, 7)).await;
    assert_eq!(lathe.error_code(), "closed", "{}", lathe.text);
    // Bad input: each field says what is wrong.
    for (body, field) in [
        (
            closure_body("equipment:cutter", "2026-03-06", "2026-03-05"),
            "to",
        ),
        (
            closure_body("equipment:cutter", "2026-02-01", "2026-02-02"),
            "to",
        ),
        (
            closure_body("equipment:cutter", "2026-03-05", "2026-06-30"),
            "to",
        ),
        (
            closure_body("equipment:cutter", "3월 5일", "2026-03-05"),
            "from",
        ),
        (closure_body("", "2026-03-05", "2026-03-05"), "target"),
        (
            json!({ "target": "equipment:cutter", "from": "2026-03-05", "to": "2026-03-05", "reason": "rain" }),
            "reason",
        ),
        (
            json!({ "target": "equipment:cutter", "from": "2026-03-05", "to": "2026-03-05", "reason": "event", "note": "가".repeat(41) }),
            "note",
        ),
    ] {
        let r = post(body.clone(), FASHION_TOKEN).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(
            r.json()["error"]["fields"][field].is_string(),
            "{body}: {}",
            r.text
        );
    }
    let unauth = send(
        &app.router,
        post_json(
            "/api/admin/closures",
            closure_body("equipment:cutter", "2026-03-05", "2026-03-05"),
        ),
    )
    .await;
    assert_eq!(unauth.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_staff_action_is_in_the_audit_log_for_city_staff_only() {
    let app = app();
    let code = book(&app, "2026-03-05", "10:00", 1).await;
    let s = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{code}/status"),
                json!({ "status": "cancelled" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let c = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/closures",
                closure_body("equipment:cutter", "2026-03-07", "2026-03-07"),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);

    let refused = send(&app.router, admin(get("/api/admin/audit"), FASHION_TOKEN)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let csv_refused = send(
        &app.router,
        admin(get("/api/admin/audit.csv"), FASHION_TOKEN),
    )
    .await;
    assert_eq!(csv_refused.status, StatusCode::FORBIDDEN);

    let log = send(&app.router, admin(get("/api/admin/audit"), CITY_TOKEN)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    let entries = log.json()["entries"].as_array().unwrap().clone();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["reservation_status", "closure_create"],
        "{entries:?}"
    );
    assert_eq!(entries[0]["record"], code.as_str());
    assert_eq!(entries[0]["detail"], "cancelled");
    assert_eq!(
        entries[0]["staff"], "seoul-fashion#1",
        "the entry's label, not its token"
    );
    assert!(
        !log.text.contains("010-5555") && !log.text.contains("김소공"),
        "no personal data"
    );
    assert!(
        !log.text.contains(FASHION_TOKEN)
            && !log
                .text
                .contains(&sbiz_booking::StaffTokens::hash_token(FASHION_TOKEN))
    );
    let filtered = send(
        &app.router,
        admin(
            get("/api/admin/audit?action=closure_create&from=2026-03-03&to=2026-03-03"),
            CITY_TOKEN,
        ),
    )
    .await
    .json();
    assert_eq!(filtered["entries"].as_array().unwrap().len(), 1);
    let none = send(
        &app.router,
        admin(get("/api/admin/audit?from=2026-03-04"), CITY_TOKEN),
    )
    .await
    .json();
    assert_eq!(none["entries"].as_array().unwrap().len(), 0);
    let csv = send(&app.router, admin(get("/api/admin/audit.csv"), CITY_TOKEN)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.text
            .starts_with("\u{feff}일시,담당자,작업,작업코드,대상,내용\r\n"),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains("예약 상태 변경,reservation_status"),
        "{}",
        csv.text
    );
    // No route changes or deletes an entry.
    for m in ["PUT", "DELETE", "PATCH"] {
        let r = send(
            &app.router,
            admin(
                Request::builder()
                    .method(m)
                    .uri("/api/admin/audit")
                    .body(Body::empty())
                    .unwrap(),
                CITY_TOKEN,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{m}");
    }
}

fn form(uri: &str, cookie: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let mut r = post_form(uri, pairs);
    r.headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    r
}

#[tokio::test]
async fn the_closure_page_works_with_javascript_off() {
    let app = app();
    let code = book(&app, "2026-03-05", "10:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(
        dash.text.contains("href=\"/api/admin/closures\""),
        "{}",
        dash.text
    );
    assert!(
        !dash.text.contains("href=\"/api/admin/audit\""),
        "facility staff: no audit link"
    );
    let empty = send(&app.router, html_page("/api/admin/closures", &cookie)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text);
    assert!(
        empty
            .text
            .contains("등록된 임시 휴관·장비 사용 중지가 없습니다")
    );
    assert!(
        !empty.text.contains("구로"),
        "another facility's equipment is not offered"
    );

    // A mistake: the page again, with the values and each error at its field.
    let bad = send(
        &app.router,
        form(
            "/api/admin/closures",
            &cookie,
            &[
                ("target", "equipment:cutter"),
                ("from", "2026-03-05"),
                ("to", ""),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("입력한 내용을 확인해 주세요"));
    assert!(bad.text.contains("href=\"#closure-to\""));
    assert!(bad.text.contains("href=\"#closure-reason\""));
    assert!(bad.text.contains("value=\"equipment:cutter\" selected"));
    assert!(bad.text.contains("value=\"2026-03-05\""));

    let made = send(
        &app.router,
        form(
            "/api/admin/closures",
            &cookie,
            &[
                ("target", "equipment:cutter"),
                ("from", "2026-03-05"),
                ("to", "2026-03-05"),
                ("reason", "inspection"),
                ("note", ""),
            ],
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let to = made.headers[header::LOCATION].to_str().unwrap().to_owned();
    let listed = send(&app.router, html_page(&to, &cookie)).await;
    assert!(listed.text.contains("등록했습니다"), "{}", listed.text);
    assert!(
        listed.text.contains("자동재단기 장비 사용 중지 ("),
        "{}",
        listed.text
    );
    assert!(
        listed
            .text
            .contains(&format!("data-closure-booking=\"{code}\""))
    );
    assert!(listed.text.contains("장비 사용 중지(점검)"));
    assert!(
        listed.text.contains(
            "'장비 사용 중지(점검)' 사유로 취소 안내를 보냅니다(영문판에서 예약한 신청자에게는 영어로)."
        ),
        "{}",
        listed.text
    );
    let action = listed
        .text
        .split("action=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or_default())
        .find(|a| a.ends_with("/cancel-bookings"))
        .expect("the cancel-all form")
        .to_owned();
    // From another site: refused.
    let mut foreign = form(&action, &cookie, &[]);
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(
        send(&app.router, foreign).await.status,
        StatusCode::FORBIDDEN
    );
    let done = send(&app.router, form(&action, &cookie, &[])).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let to = done.headers[header::LOCATION].to_str().unwrap().to_owned();
    let after = send(&app.router, html_page(&to, &cookie)).await;
    assert!(after.text.contains("예약 1건을 취소하고"), "{}", after.text);
    assert!(after.text.contains("이 기간에 남아 있는 예약이 없습니다"));

    // City staff see the audit page with it.
    let city = staff_cookie(&app, CITY_TOKEN).await;
    let audit = send(&app.router, html_page("/api/admin/audit", &city)).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    for text in [
        "감사 기록",
        "로그인",
        "휴관·사용 중지 등록",
        "휴관·사용 중지 예약 일괄 취소",
        &code,
    ] {
        assert!(audit.text.contains(text), "{text}: {}", audit.text);
    }
}

/// 120 confirmed reservations of the fixture's facility on the store, one
/// of them (the first) by `who`, keyed with the app's secret.
async fn many_reservations(app: &App) {
    let store = app.state.service().store.clone();
    let secret = app.state.config().secret.clone();
    for i in 0..120u32 {
        let day = format!("2026-03-{:02}", 5 + i / 10);
        let start = format!("{:02}:00", 8 + i % 10);
        let mut d = crate::conformance::reservation("cutter", &day, &start, 1, 500 + i);
        let p = d.reservation.person.clone().unwrap();
        d.reservation.person_key = Some(p.key(&secret));
        store
            .create_reservation(crate::conformance::new_reservation(d))
            .await
            .expect("reservation");
    }
}

#[tokio::test]
async fn admin_lists_page_by_fifty_keeping_the_filters_and_find_by_code_or_phone() {
    let app = app();
    many_reservations(&app).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let first = send(
        &app.router,
        html_page("/api/admin/dashboard?status=confirmed", &cookie),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert!(first.text.contains("장비 예약 (120건)"), "{}", first.text);
    assert!(first.text.contains("장비 예약 목록 1/3쪽"));
    assert_eq!(first.text.matches("data-row=").count(), 50);
    let next = first
        .text
        .split("href=\"")
        .skip(1)
        .map(|s| {
            s.split('"')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&")
        })
        .find(|h| h.contains("page=2"))
        .expect("a next link");
    assert!(
        next.contains("status=confirmed"),
        "the filter is kept: {next}"
    );
    let last = send(
        &app.router,
        html_page(&next.replace("page=2", "page=3"), &cookie),
    )
    .await;
    assert!(last.text.contains("장비 예약 목록 3/3쪽"), "{}", last.text);
    assert_eq!(last.text.matches("data-row=").count(), 20);
    // The actions' forms bring staff back to the same page and filter.
    assert!(
        last.text
            .contains("name=\"filter\" value=\"page=3&amp;status=confirmed\"")
            || last
                .text
                .contains("name=\"filter\" value=\"page=3&status=confirmed\""),
        "{}",
        last.text
    );

    // By phone: a post, so the number never is in a URL; found through the
    // person key.
    let by_phone = send(
        &app.router,
        form("/api/admin/search", &cookie, &[("q", "010-1000-0500")]),
    )
    .await;
    assert_eq!(by_phone.status, StatusCode::OK, "{}", by_phone.text);
    assert!(by_phone.text.contains("찾은 예약 1건"), "{}", by_phone.text);
    assert_eq!(by_phone.text.matches("data-row=").count(), 1);
    // By code: redirected to a link with the code.
    let code = {
        let list = send(
            &app.router,
            admin(
                get("/api/admin/reservations?from=2026-03-16"),
                FASHION_TOKEN,
            ),
        )
        .await
        .json();
        list["reservations"][0]["code"].as_str().unwrap().to_owned()
    };
    let by_code = send(
        &app.router,
        form("/api/admin/search", &cookie, &[("q", &code.to_lowercase())]),
    )
    .await;
    assert_eq!(by_code.status, StatusCode::SEE_OTHER);
    let to = by_code.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(to, format!("/api/admin/dashboard?q={code}"));
    let found = send(&app.router, html_page(&to, &cookie)).await;
    assert_eq!(found.text.matches("data-row=").count(), 1, "{}", found.text);
    assert!(found.text.contains(&format!("data-row=\"{code}\"")));
    // Neither: the field says what to type.
    let bad = send(
        &app.router,
        form("/api/admin/search", &cookie, &[("q", "홍길동")]),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("aria-invalid=\"true\""));
    // City staff find it too, typed without hyphens.
    let city = staff_cookie(&app, CITY_TOKEN).await;
    let all = send(
        &app.router,
        form("/api/admin/search", &city, &[("q", "01010000500")]),
    )
    .await;
    assert!(all.text.contains("찾은 예약 1건"), "{}", all.text);
}

#[tokio::test]
async fn api_clients_search_by_code_or_phone() {
    let app = app();
    let code = book(&app, "2026-03-05", "10:00", 1).await;
    book(&app, "2026-03-06", "10:00", 2).await;
    let found = send(
        &app.router,
        admin(
            post_json("/api/admin/search", json!({ "q": "010-5555-0001" })),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    let v = found.json();
    assert_eq!(v["reservations"].as_array().unwrap().len(), 1);
    assert_eq!(v["reservations"][0]["code"], code.as_str());
    let by_code = send(
        &app.router,
        admin(
            post_json("/api/admin/search", json!({ "q": code.to_lowercase() })),
            CITY_TOKEN,
        ),
    )
    .await
    .json();
    assert_eq!(by_code["reservations"][0]["code"], code.as_str());
    let bad = send(
        &app.router,
        admin(
            post_json("/api/admin/search", json!({ "q": "아무개" })),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json()["error"]["fields"]["q"].is_string());
}

/// On English pages a closure reads in English (its kind and reason), the
/// note staff typed in Korean after it, marked `lang="ko"` so that a
/// screen reader switches voice: the free times of a day and of the days
/// after it, and a booking refused into it. Korean pages read as before.
#[tokio::test]
async fn english_pages_say_a_closure_in_english_with_the_korean_note_marked() {
    let app = app();
    let note = " Note from the support center (in Korean): <span lang=\"ko\"";
    for body in [
        closure_body("equipment:cutter", "2026-03-05", "2026-03-05"),
        json!({ "target": "facility:seoul-fashion", "from": "2026-03-06", "to": "2026-03-06",
                "reason": "event", "note": "" }),
    ] {
        let made = send(
            &app.router,
            admin(post_json("/api/admin/closures", body), FASHION_TOKEN),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    }
    let times = |q: &str| {
        let req = html_get(&format!("/api/equipment/cutter/availability?{q}"));
        async { send(&app.router, req).await.text }
    };
    let day = times("date=2026-03-05&lang=en").await;
    assert!(
        day.contains(&format!(
            "data-times-reason>No bookings on this day: equipment out of service (breakdown).{note} data-closure-note>모터 교체</span></p>"
        )),
        "{day}"
    );
    let before = times("date=2026-03-04&lang=en").await;
    assert!(
        before.contains(&format!(
            "Thu 5 March</time></a>: equipment out of service (breakdown){note}>모터 교체</span></li>"
        )),
        "{before}"
    );
    assert!(
        before.contains("Fri 6 March</time></a>: temporary closure (event)</li>"),
        "{before}"
    );
    for page in [&day, &before] {
        assert!(
            !page.contains("장비 사용 중지") && !page.contains("임시 휴관"),
            "{page}"
        );
    }
    let korean = times("date=2026-03-04").await;
    assert!(
        korean.contains("3월 5일(목)</time></a>: 장비 사용 중지(고장: 모터 교체)</li>"),
        "{korean}"
    );
    assert!(korean.contains("3월 6일(금)</time></a>: 임시 휴관(행사)</li>"));
    assert!(!korean.contains("lang=\"ko\" data-") && !korean.contains("(in Korean)"));

    // A booking into the closed day, from the English form.
    let mut form = vec![
        ("lang", "en"),
        ("equipment", "cutter"),
        ("date", "2026-03-05"),
        ("start", "14:00"),
        ("slots", "1"),
        ("name", "Jane Park"),
        ("phone", "010-7777-1234"),
        ("business", "Park Sewing"),
        ("consent", "on"),
    ];
    let refused = send(&app.router, post_form("/api/reservations", &form)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    let english = "We are not taking reservations from 2026-03-05 to 2026-03-05: equipment out of service (breakdown). Please choose another day.";
    // (The page keeps each date whole on narrow screens.)
    let whole = english.replace("2026-03-05", "<time>2026-03-05</time>");
    assert!(
        refused.text.contains(&format!(
            "{whole}{note} data-error-note>모터 교체</span></p>"
        )),
        "{}",
        refused.text
    );
    assert!(!refused.text.contains("장비 사용 중지"), "{}", refused.text);
    // In JSON: the English sentence; in Korean, as before.
    let mut body = booking("cutter", "2026-03-05", "14:00", 1, 5);
    body["lang"] = "en".into();
    let j = send(&app.router, post_json("/api/reservations", body)).await;
    assert_eq!(j.json()["error"]["message"], english);
    form.remove(0);
    let korean = send(&app.router, post_form("/api/reservations", &form)).await;
    assert!(
        korean.text.contains(
            "<time>2026-03-05</time>~<time>2026-03-05</time>에는 예약을 받지 않습니다(사유: 장비 사용 중지(고장: 모터 교체)). 다른 날을 골라 주세요.</p>"
        ),
        "{}",
        korean.text
    );
    assert!(!korean.text.contains("data-error-note"));
}
