//! A record's page (the management link, JavaScript off) says what its
//! state means: when and where a course takes place, what a cancelled or
//! past reservation means, cancelling only while it is possible, and how
//! to find an application already made.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::common::*;
use crate::support::record_page::{
    Booked, book, code_and_token, html_get, post_and_follow, post_redirected,
};

/// The applicant `who`'s answers to a programme's form, as a browser
/// posts them.
fn enrolment(who: u32) -> Vec<(String, String)> {
    let p = person(who);
    ["name", "phone", "business"]
        .into_iter()
        .map(|k| (k.to_owned(), p[k].as_str().unwrap_or_default().to_owned()))
        .chain([("consent".to_owned(), "on".to_owned())])
        .collect()
}

/// A browser's post of the form `pairs` to `uri`.
fn form_post(uri: &str, pairs: &[(String, String)]) -> axum::http::Request<axum::body::Body> {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(uri, &pairs)
}

/// Applies to `programme` with JavaScript off, in `lang`, and follows the
/// redirect: the confirmation page and its management link.
async fn apply(app: &App, programme: &str, who: u32, lang: &str) -> (Answer, String) {
    let mut pairs = enrolment(who);
    if lang == "en" {
        pairs.push(("lang".to_owned(), "en".to_owned()));
    }
    let (location, page) = post_and_follow(
        app,
        form_post(&format!("/api/programmes/{programme}/applications"), &pairs),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    (page, location)
}

/// The text of the first element carrying `attr`, tags dropped.
fn text_of(page: &str, attr: &str) -> String {
    let start = page
        .find(attr)
        .unwrap_or_else(|| panic!("{attr} in {page}"));
    let from = start + page[start..].find('>').unwrap_or(0) + 1;
    let end = from + page[from..].find("</dd>").unwrap_or(page.len() - from);
    let mut out = String::new();
    let mut in_tag = false;
    for c in page[from..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn a_course_confirmation_says_when_and_where_with_its_calendar() {
    let app = app();
    let (page, manage) = apply(&app, "laser-safety", 31, "ko").await;
    let t = &page.text;
    assert!(t.contains("교육 신청이 확정되었습니다"), "{t}");
    let sessions = text_of(t, "data-sessions");
    assert!(
        sessions.contains("2026-03-12") && sessions.contains("10:00~12:00"),
        "{sessions}"
    );
    assert_eq!(text_of(t, "data-place"), "서울패션스마트센터 3층 교육장");
    assert!(
        t.contains(&format!(
            "href=\"{ORIGIN}/programmes/laser-safety/sessions.ics\" download data-sessions-ics"
        )),
        "{t}"
    );
    assert!(t.contains("교육 일정을 내 달력에 추가"));
    assert!(
        t.contains("href=\"tel:02-2133-8761\""),
        "the facility's phone"
    );
    // The management link shows the same.
    let again = send(
        &app.router,
        html_get(&manage.replace("&result=programme", "")),
    )
    .await;
    assert_eq!(
        text_of(&again.text, "data-place"),
        "서울패션스마트센터 3층 교육장"
    );
    assert!(again.text.contains("data-sessions-ics"));
    // In JSON too.
    let j = send(&app.router, get(manage.trim_start_matches(ORIGIN)))
        .await
        .json();
    let a = &j["application"];
    assert_eq!(a["sessions"][0]["date"], "2026-03-12");
    assert_eq!(a["sessions"][0]["start"], "10:00");
    assert_eq!(a["place"], "서울패션스마트센터 3층 교육장");
    assert_eq!(a["sessions_ics"], "/programmes/laser-safety/sessions.ics");

    // In English: the English place, no Korean session titles.
    let (en, _) = apply(&app, "laser-safety", 32, "en").await;
    assert_eq!(
        text_of(&en.text, "data-place"),
        "Seoul Fashion Smart Center, 3F classroom"
    );
    assert!(en.text.contains("<dt>Sessions</dt>"), "{}", en.text);
    assert!(en.text.contains("Add the course sessions to my calendar"));
}

#[tokio::test]
async fn a_long_course_shows_its_first_and_last_session_and_how_many() {
    let app = app();
    let mut cat = catalog();
    let p = cat
        .programmes
        .iter_mut()
        .find(|p| p.id.as_str() == "laser-safety")
        .expect("the fixture's course");
    let first = p.sessions[0].clone();
    p.sessions = (0..6)
        .map(|i| sbiz_booking::catalog::Session {
            date: first.date.add_days(7 * i),
            title: Some(format!("{}회차", i + 1)),
            ..first.clone()
        })
        .collect();
    p.place = None;
    p.online = true;
    app.state.set_catalog(Arc::new(cat));
    let (page, _) = apply(&app, "laser-safety", 33, "ko").await;
    let sessions = text_of(&page.text, "data-sessions");
    assert!(
        sessions.contains("첫 회차: 2026-03-12 10:00~12:00")
            && sessions.contains("마지막 회차: 2026-04-16 10:00~12:00")
            && sessions.contains("모두 6회입니다."),
        "{sessions}"
    );
    assert!(
        page.text
            .contains("href=\"https://sbiz.example.kr/programmes/laser-safety/\">전체 일정 보기")
    );
    assert_eq!(text_of(&page.text, "data-place"), "온라인");
}

#[tokio::test]
async fn a_reservation_page_speaks_of_its_state() {
    let app = app();
    let Booked { code, link, .. } =
        book(&app, booking("cutter", "2026-03-05", "10:00", 2, 41)).await;
    let keep_cancel = "이 링크로 내용을 다시 보고 취소할 수 있습니다";

    // Ahead, cancellable: the cancel words and button.
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("예약이 확정되었습니다") && page.contains(keep_cancel));
    assert!(page.contains("data-cancel-open") && !page.contains("data-state-note"));

    // Past the cancel deadline: no cancel words, what to do instead.
    app.clock.set("2026-03-04T01:30:00Z".parse().unwrap()); // 10:30 KST the day before
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("예약이 확정되었습니다"), "{page}");
    assert!(!page.contains(keep_cancel) && !page.contains("data-cancel-open"));
    assert!(page.contains("data-state-note=\"no_cancel\""));
    assert!(page.contains("취소 기한이 지나 온라인으로는 취소할 수 없습니다"));
    assert!(page.contains("아래 링크로 이 내용을 다시 볼 수 있습니다"));

    // Used: its time is over, the survey, no calendar file, no "확정되었습니다".
    app.clock.set("2026-03-05T04:00:00Z".parse().unwrap()); // 13:00 KST on the day
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("이용 시간이 지난 예약입니다"), "{page}");
    assert!(!page.contains("예약이 확정되었습니다"));
    assert!(!page.contains(keep_cancel) && !page.contains("data-state-note=\"no_cancel\""));
    assert!(page.contains("data-state-note=\"survey\"") && page.contains("data-survey"));
    assert!(page.contains("이 내용을 다시 보고 만족도 조사에 참여할 수 있습니다"));
    assert!(!page.contains("data-ics"));
    // Staff marked it used.
    send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{code}/status"),
                json!({ "status": "attended" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("이용을 마친 예약입니다"), "{page}");
}

#[tokio::test]
async fn a_cancelled_reservation_says_so_without_cancel_or_training_words() {
    let app = app();
    // The laser needs a training course: held for staff to check it.
    let Booked { code, token, link } =
        book(&app, booking("laser", "2026-03-05", "10:00", 2, 42)).await;
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("필수 교육 수료가 필요합니다"), "{page}");

    let cancelled = send(
        &app.router,
        post_form(
            &format!("/api/reservations/{code}/cancel"),
            &[("token", &token)],
        ),
    )
    .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    for page in [
        cancelled.text,
        send(&app.router, html_get(&link)).await.text,
    ] {
        assert!(page.contains("예약이 취소되었습니다"), "{page}");
        assert!(page.contains("data-state-note=\"cancelled\""));
        assert!(page.contains("새로 예약해 주세요"));
        assert!(!page.contains("취소할 수 있습니다"), "{page}");
        assert!(!page.contains("필수 교육 수료가 필요합니다"));
        assert!(!page.contains("data-cancel-open") && !page.contains("data-ics"));
    }
}

#[tokio::test]
async fn a_course_application_page_follows_the_course() {
    let app = app();
    let (page, manage) = apply(&app, "laser-safety", 43, "ko").await;
    assert!(page.text.contains("data-cancel-open"));
    let link = manage.replace("&result=programme", "");
    // Once the first session has started, no cancel button, and why.
    app.clock.set("2026-03-12T01:30:00Z".parse().unwrap()); // 10:30 KST
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(!page.contains("data-cancel-open"), "{page}");
    assert!(page.contains("data-state-note=\"no_cancel\""));
    assert!(page.contains("교육이 이미 시작되어 온라인으로는 취소할 수 없습니다"));
    assert!(!page.contains("취소할 수 있습니다"));
    // Over: said so, with the survey; no calendar file any more.
    app.clock.set("2026-03-12T04:00:00Z".parse().unwrap()); // 13:00 KST
    let page = send(&app.router, html_get(&link)).await.text;
    assert!(page.contains("교육 일정이 모두 끝났습니다"), "{page}");
    assert!(!page.contains("교육 신청이 확정되었습니다"));
    assert!(page.contains("data-state-note=\"survey\""));
    assert!(!page.contains("data-sessions-ics"));

    // A cancelled application: what that means, no cancel words.
    let app = self::app();
    let (_, manage) = apply(&app, "laser-safety", 44, "ko").await;
    let (code, token) = code_and_token(&manage);
    let page = send(
        &app.router,
        post_form(
            &format!("/api/applications/{code}/cancel"),
            &[("token", &token)],
        ),
    )
    .await
    .text;
    assert!(page.contains("신청을 취소했습니다"), "{page}");
    assert!(page.contains("data-state-note=\"cancelled\""));
    assert!(!page.contains("취소할 수 있습니다") && !page.contains("data-cancel-open"));
    assert!(!page.contains("data-sessions-ics"));
}

#[tokio::test]
async fn applying_twice_says_how_to_find_the_first_application() {
    let app = app();
    apply(&app, "laser-safety", 45, "ko").await;
    let pairs = enrolment(45);
    let again = send(
        &app.router,
        form_post("/api/programmes/laser-safety/applications", &pairs),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let t = &again.text;
    assert!(t.contains("이미 신청한 내역이 있습니다"), "{t}");
    assert!(t.contains("data-already-applied"), "{t}");
    assert!(t.contains("접수번호와 관리 링크"));
    assert!(
        t.contains("href=\"tel:02-2133-8761\""),
        "the facility's phone"
    );
    // This deployment sends no 인증번호: 내 예약·신청 is not offered.
    assert!(!t.contains("data-already-my"));
    // A JSON client gets the code as before.
    let mut body = person(45);
    body.insert("idempotency_key".into(), json!("again-0045"));
    let j = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            serde_json::Value::Object(body),
        ),
    )
    .await;
    assert_eq!(j.error_code(), "already_applied");
}

/// A policy's form as a browser posts it: the applicant `who` and the
/// form's own fields, in `lang`.
fn policy_form(who: u32, lang: &str) -> Vec<(String, String)> {
    let mut pairs = enrolment(who);
    pairs.extend(
        [
            ("fields.plan", "자동재단기 도입"),
            ("fields.workers", "3"),
            ("fields.industry", "인쇄"),
            ("lang", lang),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    pairs
}

/// Applies to the fixture's policy as `who` twice: the second answer.
async fn apply_to_policy_twice(app: &App, who: u32, lang: &str) -> Answer {
    let pairs = policy_form(who, lang);
    let uri = "/api/policies/smart-factory/applications";
    post_redirected(app, form_post(uri, &pairs)).await;
    let again = send(&app.router, form_post(uri, &pairs)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(
        again.text.contains("data-already-applied"),
        "{}",
        again.text
    );
    again
}

/// A policy is run by an agency, not by a facility: applying twice gives
/// the policy's own contact when it has one, else the site's 대표전화 from
/// the site's theme, in the page's language.
#[tokio::test]
async fn applying_twice_to_a_policy_gives_its_contact_or_the_site_s_phone() {
    use crate::support::site_theme;
    let app = app();
    site_theme::load(&app.state);
    // The policy's `contact`, as `sbiz build` writes it into catalog.json.
    let mut cat = serde_json::to_value(catalog()).expect("the catalog");
    for p in cat["policies"].as_array_mut().expect("policies") {
        if p["id"] == "smart-factory" {
            p["contact"] = json!("02-2133-8775");
        }
    }
    app.state
        .set_catalog(Arc::new(serde_json::from_value(cat).expect("a catalog")));
    let ko = apply_to_policy_twice(&app, 51, "ko").await.text;
    assert!(
        ko.contains("관리 링크를 찾을 수 없으면 이 지원사업의 문의 전화로 연락해 주세요: <a href=\"tel:02-2133-8775\">02-2133-8775</a>"),
        "{ko}"
    );
    let en = apply_to_policy_twice(&app, 52, "en").await.text;
    assert!(
        en.contains("If you cannot find the management link, please call the contact number of this support scheme: <a href=\"tel:02-2133-8775\">"),
        "{en}"
    );

    // Without a contact: the site's 대표전화.
    app.state.set_catalog(Arc::new(catalog()));
    let phone = site_theme::SITE_PHONE;
    let ko = apply_to_policy_twice(&app, 53, "ko").await.text;
    assert!(
        ko.contains(&format!(
            "관리 링크를 찾을 수 없으면 포털 대표전화로 문의해 주세요: <a href=\"tel:{phone}\">{phone}</a>"
        )),
        "{ko}"
    );
    let en = apply_to_policy_twice(&app, 54, "en").await.text;
    assert!(
        en.contains(&format!(
            "If you cannot find the management link, please call the portal&#39;s main phone number: <a href=\"tel:{phone}\">"
        )),
        "{en}"
    );
    assert!(!en.contains("support center:"), "{en}");
}

/// The status line of a record's page: (its key, its label).
fn status_line(page: &str) -> (String, String) {
    let rest = page
        .split("<dd data-status=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("a status line in {page}"));
    let (key, rest) = rest.split_once("\">").unwrap_or_default();
    let label = rest.split("</dd>").next().unwrap_or_default();
    (key.to_owned(), label.to_owned())
}

#[tokio::test]
async fn a_past_reservation_staff_have_not_marked_is_shown_as_past() {
    let app = app();
    let Booked { code, link, .. } =
        book(&app, booking("cutter", "2026-03-05", "10:00", 2, 43)).await;
    let shown = |lang: &'static str| {
        let app = &app;
        let link = &link;
        async move {
            let l = if lang == "en" { "&lang=en" } else { "" };
            status_line(
                &send(&app.router, html_get(&format!("{link}{l}")))
                    .await
                    .text,
            )
        }
    };
    let s = |key: &str, label: &str| (key.to_owned(), label.to_owned());
    assert_eq!(shown("ko").await, s("confirmed", "예약 확정"));

    // During its time it is still 예약 확정; once its time is over, 지난
    // 예약 (Past), the stored status staying confirmed for staff to mark.
    app.clock.set("2026-03-05T02:30:00Z".parse().unwrap()); // 11:30 KST
    assert_eq!(shown("ko").await, s("confirmed", "예약 확정"));
    app.clock.set("2026-03-05T03:00:00Z".parse().unwrap()); // 12:00 KST, its end
    assert_eq!(shown("ko").await, s("confirmed", "지난 예약"));
    assert_eq!(shown("en").await, s("confirmed", "Past"));
    let json = send(&app.router, get(&link)).await.json();
    assert_eq!(json["reservation"]["status"], "confirmed");
    assert_eq!(json["reservation"]["status_label"], "지난 예약");
    // Staff see it as past too, and can still mark it.
    let dash = send(
        &app.router,
        admin(
            html_get(&format!("/api/admin/dashboard?q={code}")),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert!(dash.text.contains("<td>지난 예약</td>"), "{}", dash.text);
    let marked = send(
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
    assert!(marked.status.is_success(), "{}", marked.text);
    assert_eq!(shown("ko").await, s("no_show", "예약 부도"));
    assert_eq!(shown("en").await, s("no_show", "No-show"));
}
