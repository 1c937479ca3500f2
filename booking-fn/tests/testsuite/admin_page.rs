//! The admin page as facility staff use it on a busy day (JavaScript off):
//! it opens at today's reservations, offers only the actions that can
//! succeed, narrows the list to one machine or to today in one step, and
//! says who took a 전화·방문 접수 in words.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::common::*;

/// Stores a confirmed reservation of `equipment` (of seoul-fashion) as it
/// is, whatever the booking rules say (days in the past included).
async fn stored(app: &App, equipment: &str, day: &str, start: &str, who: u32) -> String {
    let store = app.state.service().store.clone();
    let secret = app.state.config().secret.clone();
    let mut d = crate::conformance::reservation(equipment, day, start, 1, who);
    let p = d.reservation.person.clone().expect("person");
    d.reservation.person_key = Some(p.key(&secret));
    let code = d.reservation.code.to_string();
    store
        .create_reservation(crate::conformance::new_reservation(d))
        .await
        .expect("reservation");
    code
}

/// The `<tr>` of a record on the page.
fn row<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html
        .find(&format!("data-row=\"{code}\""))
        .unwrap_or_else(|| panic!("no row {code}: {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_admin_page_opens_at_todays_reservations_not_the_oldest() {
    let app = app(); // Tuesday 2026-03-03, 09:00
    // 60 past reservations (February), then today's and tomorrow's.
    for i in 0..60u32 {
        let day = format!("2026-02-{:02}", 2 + i / 6);
        let start = format!("{:02}:00", 9 + i % 6);
        stored(&app, "cutter", &day, &start, 100 + i).await;
    }
    let today = stored(&app, "cutter", "2026-03-03", "10:00", 1).await;
    stored(&app, "laser", "2026-03-04", "10:00", 2).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;

    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.text);
    assert!(dash.text.contains("장비 예약 (62건)"), "{}", dash.text);
    assert!(dash.text.contains("장비 예약 목록 2/2쪽"), "{}", dash.text);
    assert!(dash.text.contains(&format!("data-row=\"{today}\"")));
    assert!(dash.text.contains("data-landed"), "says why: {}", dash.text);
    // The older ones are a link away, and asking for page 1 shows it
    // (and the actions' forms come back to it).
    assert!(dash.text.contains("page=1\" rel=\"prev\""), "{}", dash.text);
    let first = send(
        &app.router,
        html_page("/api/admin/dashboard?page=1", &cookie),
    )
    .await;
    assert!(
        first.text.contains("장비 예약 목록 1/2쪽"),
        "{}",
        first.text
    );
    assert!(!first.text.contains("data-landed"));
    assert!(!first.text.contains(&format!("data-row=\"{today}\"")));
    assert!(
        first.text.contains("name=\"filter\" value=\"page=1\""),
        "{}",
        first.text
    );
    // Dates asked for are shown from their first page.
    let dated = send(
        &app.router,
        html_page("/api/admin/dashboard?from=2026-02-01", &cookie),
    )
    .await;
    assert!(
        dated.text.contains("장비 예약 목록 1/2쪽"),
        "{}",
        dated.text
    );
}

#[tokio::test]
async fn attended_and_no_show_are_offered_only_once_the_time_has_begun() {
    let app = app(); // 2026-03-03 09:00
    let begun = stored(&app, "cutter", "2026-03-03", "09:00", 1).await;
    let later = stored(&app, "cutter", "2026-03-03", "11:00", 2).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    let begun_row = row(&dash.text, &begun);
    for action in ["attended", "no_show", "cancelled"] {
        assert!(
            begun_row.contains(&format!("data-action=\"{action}\"")),
            "{action}: {begun_row}"
        );
    }
    let later_row = row(&dash.text, &later);
    assert!(
        later_row.contains("data-action=\"cancelled\""),
        "{later_row}"
    );
    for action in ["attended", "no_show"] {
        assert!(
            !later_row.contains(&format!("data-action=\"{action}\"")),
            "{action} before the time can only fail: {later_row}"
        );
    }
    // Once its time has come, the buttons are there.
    app.clock
        .set("2026-03-03T02:00:00Z".parse().expect("instant")); // 11:00 KST
    let cookie = staff_cookie(&app, FASHION_TOKEN).await; // the first one ran out
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(row(&dash.text, &later).contains("data-action=\"attended\""));
}

#[tokio::test]
async fn one_machine_or_today_is_one_step_away() {
    let app = app(); // 2026-03-03 09:00
    let cutter = stored(&app, "cutter", "2026-03-03", "10:00", 1).await;
    let laser = stored(&app, "laser", "2026-03-03", "10:00", 2).await;
    let tomorrow = stored(&app, "laser", "2026-03-04", "10:00", 3).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    // The 장비 filter lists the facility's machines only.
    assert!(
        dash.text.contains(
            "<label for=\"f-equipment\">장비</label><select id=\"f-equipment\" name=\"equipment\">"
        ),
        "{}",
        dash.text
    );
    assert!(
        dash.text
            .contains("<option value=\"laser\">레이저 커팅기</option>")
    );
    assert!(
        !dash.text.contains("<option value=\"lathe\">"),
        "another facility's"
    );
    // Today in one link.
    assert!(
        dash.text.contains(
            "href=\"/api/admin/dashboard?from=2026-03-03&amp;to=2026-03-03\" data-today-link"
        ),
        "{}",
        dash.text
    );
    let today = send(
        &app.router,
        html_page(
            "/api/admin/dashboard?from=2026-03-03&to=2026-03-03",
            &cookie,
        ),
    )
    .await;
    assert!(today.text.contains(&format!("data-row=\"{cutter}\"")));
    assert!(today.text.contains(&format!("data-row=\"{laser}\"")));
    assert!(!today.text.contains(&format!("data-row=\"{tomorrow}\"")));
    // One machine: its rows, the link to today keeps it, and so does the CSV.
    let one = send(
        &app.router,
        html_page("/api/admin/dashboard?equipment=laser", &cookie),
    )
    .await;
    assert!(!one.text.contains(&format!("data-row=\"{cutter}\"")));
    assert!(one.text.contains(&format!("data-row=\"{tomorrow}\"")));
    assert!(one.text.contains("<option value=\"laser\" selected>"));
    assert!(
        one.text
            .contains("dashboard?equipment=laser&amp;from=2026-03-03&amp;to=2026-03-03"),
        "{}",
        one.text
    );
    assert!(
        one.text
            .contains("/api/admin/reservations.csv?equipment=laser"),
        "{}",
        one.text
    );
}

fn form(uri: &str, cookie: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let mut r = post_form(uri, pairs);
    r.headers_mut()
        .insert(header::COOKIE, cookie.parse().expect("cookie"));
    r
}

fn location(a: &Answer) -> String {
    a.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn a_mornings_users_are_marked_attended_in_one_step() {
    let app = app();
    app.clock
        .set("2026-03-03T03:00:00Z".parse().expect("instant")); // 12:00 KST
    let nine = stored(&app, "cutter", "2026-03-03", "09:00", 1).await;
    let ten = stored(&app, "laser", "2026-03-03", "10:00", 2).await;
    let eleven = stored(&app, "cutter", "2026-03-03", "11:00", 3).await;
    let tomorrow = stored(&app, "cutter", "2026-03-04", "10:00", 4).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(
        &app.router,
        html_page("/api/admin/dashboard?from=2026-03-03", &cookie),
    )
    .await;
    // A checkbox for each reservation that has begun, labelled by its code;
    // the form that marks them says how many can be chosen.
    for code in [&nine, &ten, &eleven] {
        let r = row(&dash.text, code);
        assert!(
            r.contains(&format!(
                "<input type=\"checkbox\" form=\"admin-marks\" id=\"pick-{code}\" name=\"pick.{code}\""
            )),
            "{r}"
        );
        assert!(r.contains(&format!(
            "<label for=\"pick-{code}\">고르기<span class=\"visually-hidden\"> ({code})</span></label>"
        )));
    }
    assert!(!row(&dash.text, &tomorrow).contains("data-pick"));
    // In the 처리 cell: the columns stay as they were.
    assert!(!dash.text.contains("<th scope=\"col\">고르기</th>"));
    assert!(
        dash.text.contains("표시할 수 있는 예약 3건은"),
        "{}",
        dash.text
    );
    assert!(dash.text.contains("data-marks=\"attended\""));

    // Three chosen (one not begun): two marked, the other named.
    let marked = send(
        &app.router,
        form(
            "/api/admin/reservations/marks",
            &cookie,
            &[
                ("filter", "from=2026-03-03"),
                (&format!("pick.{nine}"), "1"),
                (&format!("pick.{ten}"), "1"),
                (&format!("pick.{tomorrow}"), "1"),
                ("status", "attended"),
            ],
        ),
    )
    .await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.text);
    let to = location(&marked);
    assert_eq!(
        to,
        format!(
            "/api/admin/dashboard?from=2026-03-03&done=2&did=marked:attended&left={tomorrow}#admin-result"
        )
    );
    let back = send(
        &app.router,
        html_page(to.split('#').next().unwrap_or_default(), &cookie),
    )
    .await;
    assert!(
        back.text.contains(&format!(
            "<div class=\"notice-ok\" role=\"status\" id=\"admin-result\" tabindex=\"-1\" data-result><p data-done>예약 2건을 이용 완료 처리했습니다. 처리하지 못한 예약 1건: {tomorrow}"
        )),
        "{}",
        back.text
    );
    assert!(
        row(&back.text, &nine).contains("<td>이용 완료</td>"),
        "{}",
        back.text
    );
    assert!(row(&back.text, &ten).contains("<td>이용 완료</td>"));
    assert!(row(&back.text, &eleven).contains("data-pick"));
    // Each is in the audit log as if marked by its own button.
    let audit = send(&app.router, admin(get("/api/admin/audit"), CITY_TOKEN))
        .await
        .json();
    let marks = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "reservation_status" && e["detail"] == "attended")
        .count();
    assert_eq!(marks, 2, "{audit}");

    // API clients: a list of codes; another facility's is refused as unknown.
    let lathe = {
        let store = app.state.service().store.clone();
        let mut d = crate::conformance::reservation("lathe", "2026-03-03", "09:00", 1, 9);
        d.reservation.facility = "guro-metal".parse().expect("id");
        let code = d.reservation.code.to_string();
        store
            .create_reservation(crate::conformance::new_reservation(d))
            .await
            .expect("reservation");
        code
    };
    let api = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/reservations/marks",
                serde_json::json!({ "status": "no_show", "codes": format!("{eleven}, {lathe}") }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    let body = api.json();
    assert_eq!(body["reservations"][0]["code"], eleven.as_str());
    assert_eq!(body["reservations"][0]["status"], "no_show");
    assert_eq!(body["refused"][0]["code"], lathe.as_str());
    assert_eq!(body["refused"][0]["error"], "not_found");
    // Only attended and no_show, and at least one.
    let wrong = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/reservations/marks",
                serde_json::json!({ "status": "cancelled", "codes": nine }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    let none = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/reservations/marks",
                serde_json::json!({ "status": "attended", "codes": "" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(
        none.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        none.text
    );
}

#[tokio::test]
async fn after_an_action_the_page_says_what_was_done_and_goes_to_it() {
    let app = app(); // 09:00
    let code = stored(&app, "cutter", "2026-03-03", "09:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let done = send(
        &app.router,
        form(
            &format!("/api/admin/reservations/{code}/status"),
            &cookie,
            &[("status", "no_show"), ("filter", "status=confirmed")],
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let to = location(&done);
    assert_eq!(
        to,
        format!(
            "/api/admin/dashboard?status=confirmed&done={code}&did=reservation:no_show#admin-result"
        )
    );
    let back = send(
        &app.router,
        html_page(to.split('#').next().unwrap_or_default(), &cookie),
    )
    .await;
    assert!(
        back.text.contains(&format!(
            "<p data-done>{code}: 예약 부도 처리를 마쳤습니다.</p>"
        )),
        "{}",
        back.text
    );
}

#[tokio::test]
async fn one_courses_waitlist_in_order_with_each_place() {
    let app = app();
    let codes = laser_safety_applicants(&app, 4).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    // The course is a 신청 대상 to choose (another facility's is not).
    assert!(
        dash.text.contains(
            "<option value=\"programme:laser-safety\">교육: 레이저 커팅기 안전교육</option>"
        ),
        "{}",
        dash.text
    );
    assert!(!dash.text.contains("programme:pattern-basic"));
    let waiting = send(
        &app.router,
        html_page(
            "/api/admin/dashboard?target=programme:laser-safety&astatus=waitlisted",
            &cookie,
        ),
    )
    .await;
    assert!(
        waiting.text.contains("교육·지원사업·구인 신청 (2건)"),
        "{}",
        waiting.text
    );
    assert!(
        waiting
            .text
            .contains("<option value=\"programme:laser-safety\" selected>")
    );
    let third = row(&waiting.text, &codes[2]);
    assert!(
        third.contains("대기 <span data-waiting>(앞에 0명)</span>"),
        "{third}"
    );
    let fourth = row(&waiting.text, &codes[3]);
    assert!(
        fourth.contains("대기 <span data-waiting>(앞에 1명)</span>"),
        "{fourth}"
    );
    assert!(waiting.text.find(&codes[2]) < waiting.text.find(&codes[3]));
    assert!(!waiting.text.contains(&format!("data-row=\"{}\"", codes[0])));
    // The CSV link is of the same list.
    assert!(
        waiting
            .text
            .contains("/api/admin/applications.csv?kind=programme&amp;status=waitlisted&amp;target=laser-safety"),
        "{}",
        waiting.text
    );
}

#[tokio::test]
async fn a_job_postings_title_lists_its_applications_and_a_history_is_no_error() {
    let app = app();
    let code = stored(&app, "cutter", "2026-03-03", "10:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(
        dash.text.contains(
            "<a href=\"/api/admin/dashboard?target=job:sewing-operator\">봉제 미싱사 모집</a>"
        ),
        "{}",
        dash.text
    );
    // A record's message history is a page, not an error: its code is no
    // error code.
    let history = send(
        &app.router,
        html_page(&format!("/api/admin/reservations/{code}/messages"), &cookie),
    )
    .await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.text);
    assert!(history.text.contains("안내 발송 내역"), "{}", history.text);
    assert!(
        !history.text.contains("data-error-code"),
        "{}",
        history.text
    );
}

#[tokio::test]
async fn the_staff_booking_forms_problems_are_listed_in_the_forms_order() {
    let app = app();
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let refused = send(
        &app.router,
        form(
            "/api/admin/reservations",
            &cookie,
            &[
                ("equipment", "cutter"),
                ("date", "2026-03-05"),
                ("start", "10:00"),
                ("slots", "1"),
                ("name", ""),
                ("phone", "010"),
                ("business", ""),
                ("consent_method", "verbal"),
            ],
        ),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let summary = refused
        .text
        .split("id=\"sb-summary\"")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .unwrap_or_default();
    let at = |k: &str| {
        summary
            .find(&format!("href=\"#sb-{k}\""))
            .unwrap_or_else(|| panic!("{k}: {summary}"))
    };
    assert!(
        at("name") < at("phone") && at("phone") < at("business"),
        "{summary}"
    );
    // The training record form too.
    let training = send(
        &app.router,
        form(
            "/api/admin/trainings",
            &cookie,
            &[("phone", "1"), ("programme", ""), ("completed", "어제")],
        ),
    )
    .await;
    let summary = training
        .text
        .split("id=\"tr-summary\"")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .unwrap_or_default();
    let at = |k: &str| {
        summary
            .find(&format!("href=\"#tr-{k}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(
        at("phone") < at("programme") && at("programme") < at("completed"),
        "{summary}"
    );
}

#[tokio::test]
async fn the_reservations_csv_says_what_the_page_says() {
    let app = app(); // 2026-03-03 09:00
    let past = stored(&app, "cutter", "2026-03-02", "10:00", 1).await;
    let coming = stored(&app, "cutter", "2026-03-04", "10:00", 2).await;
    let csv = send(
        &app.router,
        admin(get("/api/admin/reservations.csv"), FASHION_TOKEN),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    let line = |code: &str| {
        csv.text
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code}: {}", csv.text))
            .to_owned()
    };
    assert!(
        line(&past).starts_with(&format!("{past},지난 예약,")),
        "{}",
        csv.text
    );
    assert!(line(&coming).starts_with(&format!("{coming},예약 확정,")));
    let head = csv.text.lines().next().unwrap_or_default();
    assert!(
        head.contains(",교육 수료 확인 필요,") && head.contains(",동의문 버전,"),
        "{head}"
    );
}

#[tokio::test]
async fn a_class_is_marked_in_one_step() {
    let app = app();
    let codes = laser_safety_applicants(&app, 3).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    // Before the course (2026-03-12 10:00): nothing to mark.
    let before = send(
        &app.router,
        html_page(
            "/api/admin/dashboard?target=programme:laser-safety",
            &cookie,
        ),
    )
    .await;
    assert!(
        !before.text.contains("data-action=\"attended\""),
        "{}",
        before.text
    );
    assert!(!before.text.contains("admin-amarks"));
    assert!(before.text.contains("data-action=\"cancelled\""));
    app.clock
        .set("2026-03-12T01:00:00Z".parse().expect("instant"));
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(
        &app.router,
        html_page(
            "/api/admin/dashboard?target=programme:laser-safety",
            &cookie,
        ),
    )
    .await;
    // The two enrolled have a checkbox; the one waiting has none.
    for code in &codes[..2] {
        assert!(
            row(&dash.text, code).contains(&format!("form=\"admin-amarks\" id=\"pick-{code}\"")),
            "{}",
            dash.text
        );
    }
    assert!(!row(&dash.text, &codes[2]).contains("data-pick"));
    assert!(dash.text.contains("수강 확정 신청 2건은"), "{}", dash.text);
    let marked = send(
        &app.router,
        form(
            "/api/admin/applications/marks",
            &cookie,
            &[
                ("filter", "target=programme:laser-safety"),
                (&format!("pick.{}", codes[0]), "1"),
                (&format!("pick.{}", codes[1]), "1"),
                (&format!("pick.{}", codes[2]), "1"),
                ("status", "attended"),
            ],
        ),
    )
    .await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.text);
    let to = location(&marked);
    assert_eq!(
        to,
        format!(
            "/api/admin/dashboard?target=programme:laser-safety&done=2&did=amarked:attended&left={}#admin-result",
            codes[2]
        )
    );
    let back = send(
        &app.router,
        html_page(to.split('#').next().unwrap_or_default(), &cookie),
    )
    .await;
    assert!(
        back.text.contains(&format!(
            "<p data-done>신청 2건을 수료 처리했습니다. 처리하지 못한 신청 1건: {} (수강 확정이 아니거나",
            codes[2]
        )),
        "{}",
        back.text
    );
    for code in &codes[..2] {
        assert!(
            row(&back.text, code).contains("<td>수료</td>"),
            "{}",
            back.text
        );
    }
    // API clients: a list of codes.
    let api = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/applications/marks",
                serde_json::json!({ "status": "no_show", "codes": codes[0] }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    assert_eq!(api.json()["applications"][0]["status"], "no_show");
}

#[tokio::test]
async fn what_waits_for_approval_is_one_link_away() {
    let app = app(); // 2026-03-03 09:00
    let store = app.state.service().store.clone();
    for (day, who) in [("2026-03-02", 1), ("2026-03-05", 2), ("2026-03-06", 3)] {
        let mut d = crate::conformance::reservation("cutter", day, "10:00", 1, who);
        d.reservation.status = sbiz_booking::domain::ReservationStatus::Pending;
        store
            .create_reservation(crate::conformance::new_reservation(d))
            .await
            .expect("reservation");
    }
    stored(&app, "cutter", "2026-03-05", "11:00", 4).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(
        dash.text.contains(
            "<a href=\"/api/admin/dashboard?status=pending&amp;from=2026-03-03\" data-pending-link>승인을 기다리는 예약 2건 보기</a>"
        ),
        "{}",
        dash.text
    );
    // The count is of the staff member's scope, whatever the list shows.
    let city = send(
        &app.router,
        html_page(
            "/api/admin/dashboard?facility=guro-metal",
            &staff_cookie(&app, CITY_TOKEN).await,
        ),
    )
    .await;
    assert!(
        city.text.contains("data-pending-link"),
        "city staff see all"
    );
}

#[tokio::test]
async fn a_refused_action_links_back_to_the_admin_page() {
    let app = app(); // 09:00
    let code = stored(&app, "cutter", "2026-03-05", "10:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    // Pages send only their origin as Referer (strict-origin): the way back
    // is the admin page, not the address the browser sent.
    let long = "가".repeat(61);
    let refused = send(
        &app.router,
        form(
            &format!("/api/admin/reservations/{code}/status"),
            &cookie,
            &[("status", "cancelled"), ("reason", &long)],
        ),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(
        refused
            .text
            .contains("<a href=\"/api/admin/dashboard\">이전 화면으로 돌아가기</a>"),
        "{}",
        refused.text
    );
    let marks = send(
        &app.router,
        form(
            "/api/admin/reservations/marks",
            &cookie,
            &[("status", "attended")],
        ),
    )
    .await;
    assert!(
        marks.text.contains("href=\"/api/admin/dashboard\""),
        "{}",
        marks.text
    );
}

/// Staff approve in the order requests came in: each row of both lists says
/// when it was made (신청일시, Korea time), as the CSV does.
#[tokio::test]
async fn each_row_says_when_it_was_asked_for() {
    let app = app(); // 2026-03-03 09:00
    let code = stored(&app, "cutter", "2026-03-04", "10:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(
        row(&dash.text, &code)
            .contains("<span data-created>신청일시 <time>2026-03-02</time> 09:00</span>"),
        "{}",
        row(&dash.text, &code)
    );
    let applied = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            serde_json::Value::Object(person(1)),
        ),
    )
    .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.text);
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    let apps = &dash.text[dash.text.find("admin-app-title").expect("applications")..];
    assert!(
        apps.contains("<span data-created>신청일시 <time>2026-03-03</time> 09:00</span>"),
        "{apps}"
    );
}

/// Staff typing a reason to reject or cancel learn, once per list, what an
/// applicant then reads: the reason as typed, the default when it is left
/// empty, and an English note with it for those who booked in English.
#[tokio::test]
async fn staff_are_told_what_their_reason_becomes() {
    let app = app();
    stored(&app, "cutter", "2026-03-04", "10:00", 1).await;
    let cookie = staff_cookie(&app, FASHION_TOKEN).await;
    let dash = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    let hint = "<p class=\"hint\" data-reason-hint>반려·취소 사유는 안내 문자·이메일에 그대로 들어갑니다. 비워 두면 '시설에 문의해 주세요'라고 보내고, 영문판에서 신청한 분에게는 영어 안내와 함께 보냅니다.</p>";
    for list in ["admin-res-title", "admin-app-title"] {
        let section = &dash.text[dash.text.find(list).expect("the list")..];
        let section = &section[..section.find("</section>").expect("its end")];
        assert!(section.contains(hint), "{list}: {section}");
    }
}

/// Every staff page below the admin page has it in its breadcrumb, so that
/// staff go back in one click: 홈 › 예약·신청 관리 › (the page). The admin
/// page itself is 홈 › 예약·신청 관리.
#[tokio::test]
async fn staff_pages_have_the_admin_page_in_their_breadcrumb() {
    let app = app();
    crate::support::site_theme::load_with_breadcrumb(&app.state);
    let code = stored(&app, "cutter", "2026-03-05", "10:00", 1).await;
    let cookie = staff_cookie(&app, CITY_TOKEN).await;
    let home = "<li><a href=\"/\">홈</a></li>";
    let admin = "<li><a href=\"/api/admin/dashboard\">예약·신청 관리</a></li>";
    for (path, current) in [
        ("/api/admin/closures", "임시 휴관·장비 사용 중지"),
        ("/api/admin/audit", "감사 기록"),
        ("/api/admin/reports", "이용 현황"),
        ("/api/admin/bookings/new", "전화·방문 접수"),
        ("/api/admin/trainings/new", "교육 수료 기록"),
        (
            &format!("/api/admin/reservations/{code}/messages"),
            &format!("예약 {code} 안내 발송 내역"),
        ),
    ] {
        let page = send(&app.router, html_page(path, &cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
        let crumb = page
            .text
            .split("<ol>")
            .nth(1)
            .and_then(|t| t.split("</ol>").next())
            .unwrap_or_else(|| panic!("{path}: no breadcrumb: {}", page.text));
        assert_eq!(
            crumb.trim(),
            format!("{home}{admin}<li><span aria-current=\"page\">{current}</span></li>"),
            "{path}"
        );
    }
    let dashboard = send(&app.router, html_page("/api/admin/dashboard", &cookie)).await;
    assert!(
        dashboard.text.contains(&format!(
            "<ol>{home}<li><span aria-current=\"page\">예약·신청 관리</span></li></ol>"
        )),
        "{}",
        dashboard.text
    );
}

/// People 1 to `n` apply to the laser-safety course (capacity 2, then its
/// waitlist); their application codes, in order.
async fn laser_safety_applicants(app: &App, n: u32) -> Vec<String> {
    let mut codes = Vec::new();
    for who in 1..=n {
        let a = send(
            &app.router,
            post_json(
                "/api/programmes/laser-safety/applications",
                serde_json::Value::Object(person(who)),
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        codes.push(
            a.json()["application"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    codes
}
