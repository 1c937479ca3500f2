//! Issue 13: 예약 변경 (the person moves a reservation from its management
//! link with JavaScript off, and staff move one from the admin page) and
//! 전화·방문 접수 (staff book for someone) and 교육 수료 기록; axe-core on each new state (with
//! JavaScript on, as axe needs it).

use sbiz_e2e::browser::Browser;
use sbiz_e2e::portal::Portal;
use serde_json::Value;

// The journeys' helpers (keyboard-only activation, waits, axe) are the
// portal journey's.
use crate::portal::{
    STAFF, attr, axe as violations, click as press, click_for, fill, select, submit_for, text,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_reservation_from_its_link_and_from_the_admin_page() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut found = Vec::new();

    // JavaScript off: book, then open the management link.
    plain.goto(&portal.url("/equipment/e2e-sewer/")).await;
    fill(&plain, "#reserve-date", "2026-11-30").await;
    select(&plain, "#reserve-start", "10:00").await;
    fill(&plain, "#reserve-name", "이변경").await;
    fill(&plain, "#reserve-phone", "010-2468-1357").await;
    fill(&plain, "#reserve-business", "한땀공방").await;
    press(&plain, "#reserve-consent").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    let code = text(&plain, "[data-code]").await;
    let manage = attr(&plain, "[data-manage]", "href").await;
    plain.goto(&manage).await;
    assert_eq!(
        attr(&plain, "#reschedule-date", "value").await,
        "2026-11-30"
    );
    js.goto(&manage).await;
    attr(&js, "[data-reschedule]", "action").await;
    found.extend(violations(&js, "management page with the 예약 변경 form").await);

    // A taken time is refused in words; then a free one moves it.
    plain.goto(&portal.url("/equipment/e2e-sewer/")).await;
    fill(&plain, "#reserve-date", "2026-12-01").await;
    select(&plain, "#reserve-start", "14:00").await;
    fill(&plain, "#reserve-name", "김선점").await;
    fill(&plain, "#reserve-phone", "010-9753-1111").await;
    fill(&plain, "#reserve-business", "선점공방").await;
    press(&plain, "#reserve-consent").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    plain.goto(&manage).await;
    fill(&plain, "#reschedule-date", "2026-12-01").await;
    // The booking form's controls: the start and the duration are chosen.
    select(&plain, "#reschedule-start", "14:00").await;
    select(&plain, "#reschedule-slots", "1").await;
    // The page comes back with the reason and what was typed.
    click_for(
        &plain,
        "[data-reschedule-submit]",
        "[data-reschedule-error]",
    )
    .await;
    let problem = text(&plain, "[data-reschedule-error]").await;
    assert!(problem.contains("이미 다른 예약"), "{problem}");
    assert_eq!(
        attr(&plain, "#reschedule-start option[selected]", "value").await,
        "14:00"
    );
    assert_eq!(
        attr(&plain, "#reschedule-date", "value").await,
        "2026-12-01"
    );
    select(&plain, "#reschedule-start", "09:00").await;
    select(&plain, "#reschedule-slots", "2").await;
    plain
        .next_page(
            "the moved page",
            "return location.search.indexOf('result=moved') >= 0;",
            press(&plain, "[data-reschedule-submit]"),
        )
        .await;
    let said = text(&plain, "[data-result]").await;
    assert!(said.contains("예약 시간을 바꿨습니다"), "{said}");
    assert_eq!(text(&plain, "[data-code]").await, code, "the code is kept");
    let facts = text(&plain, ".facts").await;
    assert!(
        facts.contains("2026-12-01") && facts.contains("09:00~11:00"),
        "{facts}"
    );
    let after = plain.client.current_url().await.expect("url").to_string();
    assert!(after.contains("result=moved"), "{after}");
    js.goto(&after).await;
    text(&js, "[data-result]").await;
    found.extend(violations(&js, "management page after 예약 변경").await);

    // Staff, JavaScript off: sign in and move it again from the admin page.
    plain.goto(&portal.url("/admin/")).await;
    fill(&plain, "#staff-token", STAFF).await;
    let row = format!("[data-row='{code}']");
    submit_for(&plain, "staff", &row).await;
    press(&plain, &format!("{row} .staff-reschedule summary")).await;
    fill(&plain, &format!("#move-date-{code}"), "2026-12-02").await;
    fill(&plain, &format!("#move-start-{code}"), "13:00").await;
    fill(&plain, &format!("#move-slots-{code}"), "3").await;
    plain
        .next_page(
            "the dashboard again",
            &format!("return location.search.indexOf('done={code}') >= 0;"),
            press(
                &plain,
                &format!("[data-staff-reschedule='{code}'] button[type=submit]"),
            ),
        )
        .await;
    let when = text(&plain, &format!("{row} td:nth-of-type(2)")).await;
    assert!(when.contains("2026-12-02 13:00~16:00"), "{when}");
    // axe on the admin page with a move form open.
    js.goto(&portal.url("/admin/")).await;
    fill(&js, "#staff-token", STAFF).await;
    press(&js, "#staff button[type=submit]").await;
    attr(&js, &row, "data-row").await;
    js.js(
        &format!(
            "document.querySelector({}).open = true; return true;",
            Value::from(format!("{row} .staff-reschedule"))
        ),
        vec![],
    )
    .await;
    found.extend(violations(&js, "admin page, 시간 변경 open").await);

    js.close().await;
    plain.close().await;
    assert!(
        found.is_empty(),
        "axe-core found violations:\n{}",
        found.join("\n")
    );
}

/// 전화·방문 접수 with JavaScript off: the form, a refused post (kept
/// values, the problem at its field), the booking on the admin page; axe on
/// each state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_book_for_someone_who_phoned() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut found = Vec::new();

    for b in [&plain, &js] {
        b.goto(&portal.url("/admin/")).await;
        fill(b, "#staff-token", STAFF).await;
        press(b, "#staff button[type=submit]").await;
        attr(b, "[data-staff-booking-link]", "href").await;
    }
    click_for(&plain, "[data-staff-booking-link]", "#sb-equipment").await;
    attr(&plain, "#sb-equipment", "name").await;
    js.goto(&portal.url("/api/admin/bookings/new")).await;
    attr(&js, "#sb-equipment", "name").await;
    found.extend(violations(&js, "전화·방문 접수, empty").await);

    // Monday 11-30 is inside the booking window; the consent method is
    // forgotten first.
    select(&plain, "#sb-equipment", "e2e-sewer").await;
    fill(&plain, "#sb-date", "2026-11-30").await;
    fill(&plain, "#sb-start", "15:00").await;
    fill(&plain, "#sb-slots", "2").await;
    fill(&plain, "#sb-name", "박전화").await;
    fill(&plain, "#sb-phone", "010-1212-3434").await;
    fill(&plain, "#sb-business", "전화공방").await;
    click_for(
        &plain,
        "[data-staff-booking-submit]",
        "[data-error-summary]",
    )
    .await;
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("구두 또는 서면"), "{summary}");
    assert_eq!(attr(&plain, "#sb-name", "value").await, "박전화");
    // The same refused state with JavaScript on, for axe.
    select(&js, "#sb-equipment", "e2e-sewer").await;
    fill(&js, "#sb-date", "2026-11-30").await;
    fill(&js, "#sb-start", "15:00").await;
    fill(&js, "#sb-slots", "2").await;
    fill(&js, "#sb-name", "박전화").await;
    fill(&js, "#sb-phone", "010-1212-3434").await;
    fill(&js, "#sb-business", "전화공방").await;
    press(&js, "[data-staff-booking-submit]").await;
    text(&js, "[data-error-summary]").await;
    found.extend(violations(&js, "전화·방문 접수, errors").await);

    press(&plain, "#sb-consent-verbal").await;
    plain
        .next_page(
            "the admin page",
            "return location.pathname === '/api/admin/dashboard' && location.search.indexOf('done=') >= 0;",
            press(&plain, "[data-staff-booking-submit]"),
        )
        .await;
    let taken = text(&plain, "[data-taken-by-staff]").await;
    assert!(taken.contains("구두 동의"), "{taken}");
    js.goto(plain.client.current_url().await.expect("url").as_ref())
        .await;
    text(&js, "[data-taken-by-staff]").await;
    found.extend(violations(&js, "admin page with a staff booking").await);

    // 교육 수료 기록, JavaScript off: a refused post, then a saved one; axe
    // on each state.
    click_for(&plain, "[data-training-link]", "#tr-phone").await;
    attr(&plain, "#tr-phone", "name").await;
    fill(&plain, "#tr-phone", "010-1212-3434").await;
    click_for(&plain, "[data-training-submit]", "[data-error-summary]").await;
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("교육을 골라"), "{summary}");
    js.goto(&portal.url("/api/admin/trainings/new")).await;
    attr(&js, "#tr-phone", "name").await;
    found.extend(violations(&js, "교육 수료 기록, empty").await);
    press(&js, "[data-training-submit]").await;
    text(&js, "[data-error-summary]").await;
    found.extend(violations(&js, "교육 수료 기록, errors").await);
    let programme = attr(&plain, "#tr-programme option:nth-child(2)", "value").await;
    select(&plain, "#tr-programme", &programme).await;
    fill(&plain, "#tr-completed", "2026-11-27").await;
    click_for(&plain, "[data-training-submit]", "[data-training-recorded]").await;
    let saved = text(&plain, "[data-training-recorded]").await;
    assert!(saved.contains("저장했습니다"), "{saved}");
    js.goto(&portal.url("/api/admin/trainings/new?recorded=1"))
        .await;
    text(&js, "[data-training-recorded]").await;
    found.extend(violations(&js, "교육 수료 기록, saved").await);

    js.close().await;
    plain.close().await;
    assert!(
        found.is_empty(),
        "axe-core found violations:\n{}",
        found.join("\n")
    );
}
