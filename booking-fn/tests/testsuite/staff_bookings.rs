//! 전화·방문 접수 over HTTP: staff book for someone, with the consent
//! method, the staff entry and the waived rules recorded.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::{ReservationCode, Subject};
use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;
use serde_json::{Value, json};

use crate::common::*;

/// A staff booking body: the person `who` (without e-mail), said yes on
/// the phone.
fn staff_body(equipment: &str, date: &str, start: &str, slots: u32, who: u32) -> Value {
    json!({
        "equipment": equipment, "date": date, "start": start, "slots": slots,
        "name": format!("김전화{who}"), "phone": format!("010-4444-{who:04}"),
        "business": "전화봉제", "consent_method": "verbal",
    })
}

async fn staff_book(app: &App, body: Value) -> Answer {
    send(
        &app.router,
        admin(post_json("/api/admin/reservations", body), FASHION_TOKEN),
    )
    .await
}

#[tokio::test]
async fn staff_book_for_someone_and_the_rules_apply_unless_waived() {
    let store = Arc::new(SqliteStore::in_memory().expect("store"));
    let app = app_with(store.clone());
    app.state.set_catalog(Arc::new(catalog_with_messages()));

    let a = staff_book(&app, staff_body("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let r = &a.json()["reservation"];
    assert_eq!(r["status"], "confirmed");
    assert_eq!(r["taken_by_staff"]["consent"], "verbal");
    assert_eq!(r["taken_by_staff"]["entry"], "seoul-fashion");
    assert_eq!(r["taken_by_staff"]["overrides"], json!([]));
    assert!(!a.text.contains(FASHION_TOKEN), "never the token");
    // The person hears by 문자 (a mobile number, no e-mail given), with the
    // management link.
    let code: ReservationCode = r["code"].as_str().unwrap().parse().unwrap();
    let msgs = store
        .messages_of(&Subject::Reservation(code))
        .await
        .expect("messages");
    let confirmed: Vec<_> = msgs
        .iter()
        .filter(|m| m.event == MessageEvent::ReservationConfirmed)
        .collect();
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].channel, Channel::Sms);
    assert!(confirmed[0].link.is_some(), "the management link");
    // Stored: the record keeps how it was taken.
    let stored = store.reservation(&code).await.unwrap().unwrap();
    let taken = stored.taken_by_staff.expect("staff booking");
    assert_eq!(taken.entry, "seoul-fashion");

    // The booking window: today is too soon, unless waived.
    let soon = staff_body("cutter", "2026-03-03", "14:00", 1, 2);
    let refused = staff_book(&app, soon.clone()).await;
    assert_eq!(refused.error_code(), "too_soon", "{}", refused.text);
    let mut waived = soon;
    waived["override_window"] = json!("on");
    let ok = staff_book(&app, waived).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(
        ok.json()["reservation"]["taken_by_staff"]["overrides"],
        json!(["window"])
    );
    // A slot already taken and a time already past are never waived.
    let mut taken = staff_body("cutter", "2026-03-05", "11:00", 1, 3);
    for o in ["window", "quota", "no_show_block", "training"] {
        taken[format!("override_{o}")] = json!("on");
    }
    assert_eq!(
        staff_book(&app, taken.clone()).await.error_code(),
        "slot_taken"
    );
    taken["date"] = json!("2026-03-02");
    assert_eq!(staff_book(&app, taken).await.error_code(), "too_soon");

    // The weekly quota (6 hours): 2 + 3 taken, 2 more exceed it unless waived.
    let three = staff_body("cutter", "2026-03-06", "09:00", 3, 1);
    assert_eq!(staff_book(&app, three).await.status, StatusCode::CREATED);
    let over = staff_body("cutter", "2026-03-06", "13:00", 2, 1);
    let q = staff_book(&app, over.clone()).await;
    assert_eq!(q.error_code(), "quota_exceeded", "{}", q.text);
    assert!(q.text.contains("주간 이용 한도"));
    let mut over = over;
    over["override_quota"] = json!("on");
    assert_eq!(staff_book(&app, over).await.status, StatusCode::CREATED);

    // Training: held for a check, or confirmed when staff waive it.
    let laser = staff_body("laser", "2026-03-05", "10:00", 2, 4);
    let held = staff_book(&app, laser).await.json();
    assert_eq!(held["reservation"]["status"], "pending");
    assert_eq!(held["reservation"]["training_check"], true);
    let mut laser = staff_body("laser", "2026-03-05", "13:00", 2, 5);
    laser["override_training"] = json!("on");
    let confirmed = staff_book(&app, laser).await.json();
    assert_eq!(confirmed["reservation"]["status"], "confirmed");
    // Each staff booking is in the audit log, with the waived rules and
    // no personal data.
    let log = send(&app.router, admin(get("/api/admin/audit"), CITY_TOKEN))
        .await
        .json();
    let entry = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["record"] == confirmed["reservation"]["code"])
        .cloned()
        .expect("the staff booking's audit entry");
    assert_eq!(entry["action"], "staff_booking");
    // The CSV export says how each reservation was taken.
    let csv = send(
        &app.router,
        admin(get("/api/admin/reservations.csv"), CITY_TOKEN),
    )
    .await;
    let line = csv
        .text
        .lines()
        .find(|l| l.contains(confirmed["reservation"]["code"].as_str().unwrap()))
        .expect("the staff booking's row")
        .to_owned();
    // Who took it in words, as on the admin page (not the scope's id).
    assert!(
        line.contains("\"전화·방문 접수(구두 동의, 서울패션스마트센터)\""),
        "{line}"
    );
    assert!(csv.text.lines().next().unwrap().contains("면제한 규칙"));
    assert_eq!(entry["detail"], "training", "{entry}");
    assert!(!entry.to_string().contains("010-"), "{entry}");

    // Another facility's equipment; the consent method is required.
    let other = staff_book(&app, staff_body("lathe", "2026-03-05", "10:00", 1, 6)).await;
    assert_eq!(other.error_code(), "not_found");
    let mut no_consent = staff_body("cutter", "2026-03-07", "10:00", 1, 7);
    no_consent.as_object_mut().unwrap().remove("consent_method");
    let e = staff_book(&app, no_consent).await;
    assert_eq!(e.error_code(), "invalid_input");
    assert!(e.json()["error"]["fields"]["consent_method"].is_string());
    // Staff only.
    let anon = send(
        &app.router,
        post_json(
            "/api/admin/reservations",
            staff_body("cutter", "2026-03-07", "10:00", 1, 8),
        ),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_staff_booking_form_works_without_javascript() {
    let app = app();
    let page = send(
        &app.router,
        staff_html("/api/admin/bookings/new", FASHION_TOKEN),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("data-staff-booking"));
    // The date's example is a week after the app's today (its fixed clock
    // says 2026-03-03), never a fixed past day nor the machine's date.
    assert!(
        page.text
            .contains(r#"<p class="hint" id="sb-date-hint">예: <time>2026-03-10</time></p>"#),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("자동재단기") && !page.text.contains("범용선반"),
        "only the facility's equipment"
    );
    let mut pairs = vec![
        ("equipment", "cutter"),
        ("date", "2026-03-05"),
        ("start", "10:00"),
        ("slots", "1"),
        ("name", "방문자"),
        ("phone", "010-8888-1212"),
        ("business", "방문공방"),
    ];
    // Without the consent method: the form again, everything kept.
    let again = send(
        &app.router,
        admin(post_form("/api/admin/reservations", &pairs), FASHION_TOKEN),
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.text
    );
    assert!(
        again.text.contains("data-error-summary")
            && again.text.contains("href=\"#sb-consent_method\"")
    );
    assert!(again.text.contains("value=\"방문자\""));
    pairs.push(("consent_method", "paper"));
    let done = send(
        &app.router,
        admin(post_form("/api/admin/reservations", &pairs), FASHION_TOKEN),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let location = done.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/api/admin/dashboard?done="),
        "{location}"
    );
    let dash = send(&app.router, staff_html(location, FASHION_TOKEN)).await;
    assert!(
        dash.text
            .contains("전화·방문 접수: 서면 동의, 접수한 곳 서울패션스마트센터"),
        "{}",
        dash.text
    );
}

#[tokio::test]
async fn staff_record_training_and_it_lifts_the_training_hold() {
    let app = app();
    let body = |phone: &str| json!({ "phone": phone, "programme": "laser-safety", "completed": "2026-02-20" });
    // Before: the laser waits for a training check.
    let held = reserve(&app, booking("laser", "2026-03-05", "10:00", 2, 1))
        .await
        .json();
    assert_eq!(held["reservation"]["status"], "pending");
    let rec = send(
        &app.router,
        admin(
            post_json("/api/admin/trainings", body("010-5555-0001")),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(rec.status, StatusCode::CREATED, "{}", rec.text);
    assert_eq!(rec.json()["training"]["programme"], "laser-safety");
    assert!(
        !rec.text.contains("010-5555-0001"),
        "no phone in the answer"
    );
    // The same person (written differently) now books it confirmed.
    let after = reserve(&app, booking("laser", "2026-03-06", "10:00", 2, 1))
        .await
        .json();
    assert_eq!(after["reservation"]["status"], "confirmed", "{after}");
    // Not in the future, a programme of the staff member's facility, staff only.
    let mut future = body("010-5555-0002");
    future["completed"] = json!("2026-03-04");
    let e = send(
        &app.router,
        admin(post_json("/api/admin/trainings", future), FASHION_TOKEN),
    )
    .await;
    assert!(
        e.json()["error"]["fields"]["completed"].is_string(),
        "{}",
        e.text
    );
    let mut other = body("010-5555-0002");
    other["programme"] = json!("pattern-basic");
    let e = send(
        &app.router,
        admin(post_json("/api/admin/trainings", other), FASHION_TOKEN),
    )
    .await;
    assert!(
        e.json()["error"]["fields"]["programme"].is_string(),
        "{}",
        e.text
    );
    let anon = send(
        &app.router,
        post_json("/api/admin/trainings", body("010-5555-0002")),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);

    // The form, with JavaScript off: a refused post keeps what was typed;
    // a good one answers 303 to the form, which says it was saved.
    let mut pairs = vec![("phone", "010-5555-0003"), ("programme", "laser-safety")];
    let again = send(
        &app.router,
        admin(post_form("/api/admin/trainings", &pairs), FASHION_TOKEN),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.text.contains("href=\"#tr-completed\"")
            && again.text.contains("value=\"010-5555-0003\"")
    );
    pairs.push(("completed", "2026-03-01"));
    let done = send(
        &app.router,
        admin(post_form("/api/admin/trainings", &pairs), FASHION_TOKEN),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = send(
        &app.router,
        admin(
            axum::http::Request::get(done.headers[header::LOCATION].to_str().unwrap())
                .header(header::ACCEPT, "text/html")
                .body(axum::body::Body::empty())
                .unwrap(),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert!(
        page.text.contains("data-training-recorded"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn marking_a_programme_attended_records_the_training() {
    let app = app();
    let enrolled = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            Value::Object(person(3)),
        ),
    )
    .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.text);
    let code = enrolled.json()["application"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let mark = || {
        admin(
            post_json(
                &format!("/api/admin/applications/{code}/status"),
                json!({ "status": "attended" }),
            ),
            FASHION_TOKEN,
        )
    };
    // Not before the course (2026-03-12 10:00): a 수료 counts for the
    // equipment's training at once.
    let early = send(&app.router, mark()).await;
    assert_eq!(early.error_code(), "invalid_status", "{}", early.text);
    app.clock.set("2026-03-12T01:00:00Z".parse().unwrap());
    let marked = send(&app.router, mark()).await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    let store = app.state.service().store.clone();
    let key = sbiz_booking::domain::PersonKey::of(
        &app.state.config().secret,
        &"010-5555-0003".parse().unwrap(),
    );
    let records = store.training_records(&key).await.expect("records");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].programme.as_str(), "laser-safety");
    assert_eq!(records[0].entry, "seoul-fashion");
}

#[tokio::test]
async fn the_no_show_block_holds_for_staff_unless_waived() {
    let app = app();
    let mut codes = Vec::new();
    for day in ["2026-03-04", "2026-03-05"] {
        let j = send(
            &app.router,
            post_json("/api/reservations", booking("cutter", day, "10:00", 1, 9)),
        )
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
                FASHION_TOKEN,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
    // The same person (person 9's phone) on the phone to staff.
    let mut body = staff_body("cutter", "2026-03-10", "10:00", 1, 9);
    body["phone"] = json!("010-5555-0009");
    let blocked = staff_book(&app, body.clone()).await;
    assert_eq!(blocked.error_code(), "no_show_blocked", "{}", blocked.text);
    body["override_no_show_block"] = json!(true);
    let ok = staff_book(&app, body).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(
        ok.json()["reservation"]["taken_by_staff"]["overrides"],
        json!(["no_show_block"])
    );
}

/// A staff page's date hints and the date errors give a week after the
/// app's today (its clock, fixed in tests and demos), not the machine's:
/// with the clock far from today, the example is that day plus seven.
#[tokio::test]
async fn date_examples_are_a_week_after_the_app_s_today() {
    let app = app();
    // 2031-07-14 09:00 Korea time.
    app.clock.set("2031-07-14T00:00:00Z".parse().unwrap());
    let page = |uri: &str| staff_html(uri, CITY_TOKEN);
    for (uri, hint) in [
        (
            "/api/admin/bookings/new",
            r#"<p class="hint" id="sb-date-hint">예: <time>2031-07-21</time></p>"#,
        ),
        (
            "/api/admin/closures",
            r#"<p class="hint" id="closure-from-hint">예: <time>2031-07-21</time></p>"#,
        ),
        (
            "/api/admin/trainings/new",
            r#"<p class="hint" id="tr-completed-hint">예: <time>2031-07-21</time></p>"#,
        ),
    ] {
        let shown = send(&app.router, page(uri)).await;
        assert_eq!(shown.status, StatusCode::OK, "{uri}: {}", shown.text);
        assert!(shown.text.contains(hint), "{uri}: {}", shown.text);
    }
    // The date errors: a staff list's filter, a staff booking, a training
    // record, and an applicant's booking (in Korean and in English).
    let filter = send(
        &app.router,
        admin(get("/api/admin/reservations?from=어제"), CITY_TOKEN),
    )
    .await;
    assert_eq!(
        filter.json()["error"]["fields"]["from"],
        "날짜를 2031-07-21처럼 입력해 주세요.",
        "{}",
        filter.text
    );
    let staff = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/reservations",
                staff_body("cutter", "내일", "10:00", 1, 9),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(
        staff.json()["error"]["fields"]["date"],
        "이용일을 2031-07-21처럼 입력해 주세요.",
        "{}",
        staff.text
    );
    let training = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/trainings",
                json!({ "phone": "010-4444-0009", "programme": "laser-safety", "completed": "어제" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(
        training.json()["error"]["fields"]["completed"],
        "수료일을 2031-07-21처럼 입력해 주세요.",
        "{}",
        training.text
    );
    let mut body = booking("cutter", "내일", "10:00", 1, 9);
    let korean = send(&app.router, post_json("/api/reservations", body.clone())).await;
    assert_eq!(
        korean.json()["error"]["fields"]["date"],
        "이용일을 2031-07-21처럼 입력해 주세요.",
        "{}",
        korean.text
    );
    body["lang"] = "en".into();
    let english = send(&app.router, post_json("/api/reservations", body)).await;
    assert_eq!(
        english.json()["error"]["fields"]["date"],
        "Please enter the date like 2031-07-21.",
        "{}",
        english.text
    );
}

#[tokio::test]
async fn a_rule_s_refusal_shows_at_its_field_on_the_staff_form() {
    let app = app();
    let a = staff_book(&app, staff_body("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let post = |date: &'static str, start: &'static str, slots: &'static str| {
        let app = &app;
        async move {
            let pairs = [
                ("equipment", "cutter"),
                ("date", date),
                ("start", start),
                ("slots", slots),
                ("name", "방문자"),
                ("phone", "010-8888-1212"),
                ("business", "방문공방"),
                ("consent_method", "verbal"),
            ];
            send(
                &app.router,
                admin(post_form("/api/admin/reservations", &pairs), FASHION_TOKEN),
            )
            .await
        }
    };
    // (date, start, slots, the field, the refusal's code)
    let cases = [
        ("2026-03-05", "11:00", "1", "start", "slot_taken"),
        ("2026-03-08", "10:00", "1", "date", "closed_day"),
        ("2026-03-06", "09:00", "5", "slots", "too_long"),
    ];
    for (date, start, slots, field, code) in cases {
        let refused = post(date, start, slots).await;
        let t = &refused.text;
        assert!(refused.status.is_client_error(), "{field}: {t}");
        assert!(
            t.contains(&format!("data-error-code=\"{code}\"")),
            "{field}: {t}"
        );
        // The summary links to the field, which holds the message and
        // says it is invalid; the summary does not repeat it as text.
        let link = format!("<li><a href=\"#sb-{field}\">");
        let message = t
            .split(&link)
            .nth(1)
            .and_then(|m| m.split("</a>").next())
            .unwrap_or_else(|| panic!("{field}: a link to the field in {t}"));
        assert!(!message.is_empty());
        assert!(
            t.contains(&format!(
                "<p class=\"field-message\" id=\"sb-{field}-error\"><span class=\"visually-hidden\">오류: </span>{message}</p>"
            )),
            "{field}: {t}"
        );
        assert!(
            t.contains(&format!(
                "id=\"sb-{field}\" name=\"{field}\" value=\"{}\" inputmode=\"numeric\" autocomplete=\"off\" required aria-describedby=\"sb-{field}-hint sb-{field}-error\" aria-invalid=\"true\"",
                match field {
                    "date" => date,
                    "start" => start,
                    _ => slots,
                }
            )),
            "{field}: {t}"
        );
        assert!(!t.contains(&format!("<p>{message}</p>")), "{field}: {t}");
    }
}

/// Staff of a facility whose equipment requires a course run by another
/// facility record its completion too (they check it before their machine
/// is used), and it lifts the hold as any 수료 기록 does; a course neither
/// run by their facility nor required by its equipment stays refused.
#[tokio::test]
async fn staff_record_a_course_of_another_facility_that_their_equipment_requires() {
    let app = app();
    let mut cat = catalog();
    let cutter = cat
        .equipment
        .iter_mut()
        .find(|e| e.id.as_str() == "cutter")
        .expect("cutter");
    // The cutter of seoul-fashion requires guro-metal's course.
    cutter.rules.training = Some("pattern-basic".parse().expect("id"));
    app.state.set_catalog(std::sync::Arc::new(cat));
    let held = reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 1))
        .await
        .json();
    assert_eq!(held["reservation"]["status"], "pending", "{held}");
    let form = send(
        &app.router,
        staff_html("/api/admin/trainings/new", FASHION_TOKEN),
    )
    .await;
    assert!(
        form.text.contains("<option value=\"pattern-basic\""),
        "{}",
        form.text
    );
    let body = |programme: &str| json!({ "phone": "010-5555-0001", "programme": programme, "completed": "2026-02-20" });
    let rec = send(
        &app.router,
        admin(
            post_json("/api/admin/trainings", body("pattern-basic")),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(rec.status, StatusCode::CREATED, "{}", rec.text);
    let after = reserve(&app, booking("cutter", "2026-03-06", "10:00", 1, 1))
        .await
        .json();
    assert_eq!(after["reservation"]["status"], "confirmed", "{after}");
    // Without that requirement, guro-metal's course is not seoul-fashion
    // staff's to record.
    app.state.set_catalog(std::sync::Arc::new(catalog()));
    let e = send(
        &app.router,
        admin(
            post_json("/api/admin/trainings", body("pattern-basic")),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert!(
        e.json()["error"]["fields"]["programme"].is_string(),
        "{}",
        e.text
    );
}

/// A staff page as a browser without a session asks for it (the token as
/// Bearer).
fn staff_html(uri: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    admin(
        axum::http::Request::get(uri)
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
        token,
    )
}
