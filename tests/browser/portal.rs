//! The whole journey on a real local portal (`sbiz serve` with the booking
//! API on SQLite, the fixture site `tests/fixtures/e2e-site`, now =
//! Saturday 2026-11-28 10:00): booking with JavaScript on and off, a taken
//! slot, 예약 조회 and cancelling, the cancellation deadline, the survey
//! after use (moving the clock), a programme's capacity and waitlist, a
//! policy form with errors, the staff page, and axe-core on each form page
//! in each state.

use std::sync::Arc;

use fantoccini::Locator;
use sbiz_e2e::axe;
use sbiz_e2e::browser::Browser;
use sbiz_e2e::portal::Portal;
use serde_json::Value;

pub(crate) const STAFF: &str = "e2e-staff-token-0123456789";

pub(crate) async fn axe(b: &Browser, what: &str) -> Vec<String> {
    axe::run(b)
        .await
        .into_iter()
        .map(|v| {
            let targets: Vec<&str> = v.nodes.iter().take(3).map(|(t, _)| t.as_str()).collect();
            format!("{what}: {}: {} @ {}", v.id, v.help, targets.join(", "))
        })
        .collect()
}

pub(crate) async fn fill(b: &Browser, css: &str, text: &str) {
    let e = b
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    e.clear().await.ok();
    e.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

pub(crate) async fn select(b: &Browser, css: &str, value: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Activates an element with the keyboard (Space on a checkbox or radio
/// button, Enter otherwise), as a keyboard-only user would.
pub(crate) async fn click(b: &Browser, css: &str) {
    let e = b
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    let kind = e.attr("type").await.ok().flatten().unwrap_or_default();
    let key = if kind == "checkbox" || kind == "radio" {
        "\u{E00D}"
    } else {
        "\u{E007}"
    };
    e.send_keys(key)
        .await
        .unwrap_or_else(|e| panic!("activate {css}: {e}"));
}

pub(crate) async fn text(b: &Browser, css: &str) -> String {
    let v = b
        .wait_for(
            css,
            &format!(
                "var e = document.querySelector({}); return e ? e.textContent : null;",
                Value::from(css)
            ),
        )
        .await;
    v.as_str().unwrap_or_default().trim().to_owned()
}

pub(crate) async fn value(b: &Browser, css: &str) -> String {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

pub(crate) async fn person(b: &Browser, form: &str, name: &str, phone: &str) {
    fill(b, &format!("#{form}-name"), name).await;
    fill(b, &format!("#{form}-phone"), phone).await;
    fill(b, &format!("#{form}-business"), "한땀공방").await;
    click(b, &format!("#{form}-consent")).await;
}

async fn submit(b: &Browser, form: &str) {
    click(b, &format!("#{form} button[type=submit]")).await;
}

/// Activates `css` (a link or a button that loads another page: JavaScript
/// off) and waits for that page, a new one that has `ready` (a selector;
/// [`Browser::next_page`]).
pub(crate) async fn click_for(b: &Browser, css: &str, ready: &str) {
    b.next_page(
        ready,
        &format!("return document.querySelector({});", Value::from(ready)),
        click(b, css),
    )
    .await;
}

/// Submits `form` with JavaScript off and waits for the answer, a new page
/// that has `ready` (a selector).
pub(crate) async fn submit_for(b: &Browser, form: &str, ready: &str) {
    click_for(b, &format!("#{form} button[type=submit]"), ready).await;
}

pub(crate) async fn attr(b: &Browser, css: &str, name: &str) -> String {
    b.wait_for(
        css,
        &format!(
            "var e = document.querySelector({}); return e ? e.getAttribute({}) : null;",
            Value::from(css),
            Value::from(name)
        ),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn exists(b: &Browser, css: &str) -> bool {
    b.js(
        &format!("return !!document.querySelector({});", Value::from(css)),
        vec![],
    )
    .await
    .as_bool()
    .unwrap_or(false)
}

/// POSTs a form from the page (same origin), returning status and body.
async fn post(b: &Browser, url: &str, body: &str) -> (u64, String) {
    let v = b
        .js_async(
            r#"var done = arguments[arguments.length - 1];
               fetch(arguments[0], { method: 'POST', body: arguments[1], headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' } })
                 .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); })
                 .catch(function (e) { done([0, String(e)]); });"#,
            vec![Value::from(url), Value::from(body)],
        )
        .await;
    (
        v[0].as_u64().unwrap_or(0),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

async fn get(b: &Browser, url: &str) -> (u64, String) {
    let v = b
        .js_async(
            r#"var done = arguments[arguments.length - 1];
               fetch(arguments[0], { credentials: 'same-origin' })
                 .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); })
                 .catch(function (e) { done([0, String(e)]); });"#,
            vec![Value::from(url)],
        )
        .await;
    (
        v[0].as_u64().unwrap_or(0),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_with_and_without_javascript() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut violations = Vec::new();
    let sewer = portal.url("/equipment/e2e-sewer/");

    // JavaScript on: the calendar, chosen with the keyboard, then inline errors.
    js.goto(&sewer).await;
    violations.extend(axe(&js, "equipment form, empty").await);
    let day = "[data-calendar] [data-date='2026-11-30']";
    attr(&js, day, "data-date").await;
    // The days are a grid (WAI-ARIA grid pattern): one Tab stop, arrow keys
    // move a day or a week, Home goes to the week's start.
    let roving = "[data-calendar] [role=grid] button[tabindex='0']";
    let start: sbiz_catalog::Date = attr(&js, roving, "data-date")
        .await
        .parse()
        .expect("a date");
    let grid_focus = || async {
        js.js(
            "return document.activeElement.getAttribute('data-date');",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    };
    js.client
        .find(Locator::Css(roving))
        .await
        .expect("the grid's day")
        .send_keys("\u{E014}")
        .await
        .expect("ArrowRight");
    assert_eq!(
        grid_focus().await,
        start.add_days(1).to_string(),
        "ArrowRight moves a day"
    );
    js.press(fantoccini::key::Key::Down).await;
    assert_eq!(
        grid_focus().await,
        start.add_days(8).to_string(),
        "ArrowDown moves a week"
    );
    js.press(fantoccini::key::Key::Left).await;
    assert_eq!(
        grid_focus().await,
        start.add_days(7).to_string(),
        "ArrowLeft moves back a day"
    );
    assert_eq!(
        js.js("return document.querySelectorAll(\"[data-calendar] [role=grid] button[tabindex='0']\").length;", vec![]).await,
        1,
        "one Tab stop in the grid"
    );
    js.client
        .find(Locator::Css(day))
        .await
        .expect("day button")
        .send_keys("\u{E007}")
        .await
        .expect("Enter on the day");
    let slot = "[data-slots] [data-start='10:00']";
    attr(&js, slot, "data-start").await;
    js.client
        .find(Locator::Css(slot))
        .await
        .expect("slot button")
        .send_keys("\u{E007}")
        .await
        .expect("Enter on the slot");
    assert_eq!(value(&js, "#reserve-date").await, "2026-11-30");
    assert_eq!(value(&js, "#reserve-start").await, "10:00");
    assert!(text(&js, "[data-announce]").await.contains("10:00"));
    submit(&js, "reserve").await;
    text(&js, "[data-error-summary]").await;
    assert_eq!(
        js.path().await,
        "/equipment/e2e-sewer/",
        "errors appear without leaving the page"
    );
    let focused = js
        .js(
            "return document.activeElement.hasAttribute('data-error-summary');",
            vec![],
        )
        .await;
    assert_eq!(
        focused,
        Value::Bool(true),
        "focus moves to the error summary"
    );
    assert!(exists(&js, "a[href='#reserve-name']").await);
    assert_eq!(attr(&js, "#reserve-name", "aria-invalid").await, "true");
    // The title says there are errors, as the plain page's does.
    let title = js.js("return document.title;", vec![]).await;
    assert!(
        title
            .as_str()
            .unwrap_or_default()
            .starts_with("입력 내용 확인: "),
        "the title changes on errors with JavaScript: {title}"
    );
    violations.extend(axe(&js, "equipment form, errors (JS)").await);
    person(&js, "reserve", "김하나", "010-1111-2222").await;
    submit(&js, "reserve").await;
    let code_a = text(&js, "[data-code]").await;
    // The address bar now holds the reservation's own page (post, redirect,
    // get): a reload shows the confirmation again and books nothing.
    let here = js.path().await;
    assert!(
        here.starts_with(&format!("/api/reservations/{code_a}?token="))
            && here.ends_with("&result=1"),
        "{here}"
    );
    assert!(text(&js, "[data-status]").await.contains("확정"));
    js.client.refresh().await.expect("reload");
    assert_eq!(
        text(&js, "[data-code]").await,
        code_a,
        "the confirmation survives a reload"
    );
    assert!(text(&js, "[data-status]").await.contains("확정"));
    let manage_a = attr(&js, "[data-manage]", "href").await;
    let ics = attr(&js, "[data-ics]", "href").await;
    violations.extend(axe(&js, "equipment form, success (JS)").await);
    let (status, cal) = get(&js, &ics).await;
    assert_eq!(status, 200);
    assert!(
        cal.contains("BEGIN:VEVENT") && cal.contains("DTSTART;TZID=Asia/Seoul:20261130T100000"),
        "{cal}"
    );

    // JavaScript off: the same slot is taken; the form comes back with
    // everything typed; another time succeeds.
    plain.goto(&sewer).await;
    fill(&plain, "#reserve-date", "2026-11-30").await;
    select(&plain, "#reserve-start", "10:00").await;
    person(&plain, "reserve", "박둘", "010-3333-4444").await;
    submit_for(&plain, "reserve", "[data-error-summary]").await;
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("예약"), "{summary}");
    assert_eq!(plain.path().await, "/api/reservations");
    let title = plain.js("return document.title;", vec![]).await;
    assert!(
        title
            .as_str()
            .unwrap_or_default()
            .starts_with("입력 내용 확인: "),
        "{title}"
    );
    let crumb = text(&plain, ".breadcrumb [aria-current=page]").await;
    assert!(
        !crumb.contains("입력 내용 확인"),
        "the prefix stays out of the breadcrumb: {crumb}"
    );
    assert_eq!(value(&plain, "#reserve-name").await, "박둘");
    assert_eq!(value(&plain, "#reserve-date").await, "2026-11-30");
    // The form shown again has the same compact consent box: required,
    // with the full notice behind a link that works.
    assert_eq!(attr(&plain, "#reserve-consent", "type").await, "checkbox");
    let notice = attr(&plain, "#reserve-consent-box a", "href").await;
    assert_eq!(notice, "/privacy/");
    let (status, privacy) = get(&plain, &notice).await;
    assert!(
        status == 200 && privacy.contains("개인정보처리방침"),
        "{status} {privacy}"
    );
    select(&plain, "#reserve-start", "13:00").await;
    // The wait sees the next page, not this one's error summary.
    submit_for(&plain, "reserve", "[data-code], [data-error-summary]").await;
    let problem = plain
        .js("var e = document.querySelector('[data-error-summary]'); return e ? e.textContent : '';", vec![])
        .await;
    assert_eq!(problem, Value::from(""), "the second try is accepted");
    let code_b = text(&plain, "[data-code]").await;
    assert_ne!(code_a, code_b);
    assert!(exists(&plain, "[data-manage]").await && exists(&plain, "[data-ics]").await);

    // A reservation that waits for staff approval (3D 왁스 프린터).
    plain.goto(&portal.url("/equipment/wax-printer/")).await;
    fill(&plain, "#reserve-date", "2026-12-01").await;
    select(&plain, "#reserve-start", "10:00").await;
    person(&plain, "reserve", "최셋", "010-5555-6666").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    let code_w = text(&plain, "[data-code]").await;
    assert!(text(&plain, "[data-status]").await.contains("대기"));

    // 예약 조회 by code and phone, then cancel.
    plain.goto(&portal.url("/reservation/")).await;
    fill(&plain, "#lookup-code", &code_b).await;
    fill(&plain, "#lookup-phone", "01033334444").await;
    submit_for(&plain, "lookup", "[data-code]").await;
    assert_eq!(text(&plain, "[data-code]").await, code_b);
    // Cancelling asks first (without JavaScript too): the button only
    // opens the question, whose own button cancels.
    assert!(
        exists(
            &plain,
            "details[data-cancel-confirm]:not([open]) [data-cancel]"
        )
        .await,
        "the question is closed at first"
    );
    click(&plain, "[data-cancel-open]").await;
    click_for(&plain, "[data-cancel]", "[data-status='cancelled']").await;
    js.goto(&portal.url("/reservation/")).await;
    violations.extend(axe(&js, "reservation lookup, empty").await);
    submit(&js, "lookup").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "reservation lookup, errors").await);

    // After the deadline (24 hours before 11-30 10:00) cancelling is refused.
    portal.set_now("2026-11-29T12:00");
    plain.goto(&manage_a).await;
    assert_eq!(text(&plain, "[data-code]").await, code_a);
    assert!(
        !exists(&plain, "[data-cancel]").await,
        "no cancel button after the deadline"
    );
    assert!(
        !exists(&plain, "[data-survey]").await,
        "no survey before use"
    );
    let token_a = manage_a.split("token=").nth(1).expect("a token").to_owned();
    let (status, body) = post(
        &js,
        &portal.url(&format!("/api/reservations/{code_a}/cancel")),
        &format!("token={token_a}"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("cancel_deadline_passed"), "{body}");

    // After use the survey opens, once.
    portal.set_now("2026-11-30T12:00");
    plain.goto(&manage_a).await;
    let survey = attr(&plain, "[data-survey]", "href").await;
    // A second tab keeps the form open while the first one answers.
    plain.goto(&survey).await;
    js.goto(&survey).await;
    violations.extend(axe(&js, "survey, empty").await);
    click(&js, "#survey-answers-overall-5").await;
    fill(&js, "#survey-answers-comment", "친절했습니다").await;
    submit(&js, "survey").await;
    assert!(text(&js, "[data-result]").await.contains("보내 주신"));
    violations.extend(axe(&js, "survey, success").await);
    click(&plain, "#survey-answers-overall-4").await;
    submit_for(&plain, "survey", "[data-error-summary]").await;
    let again = text(&plain, "[data-error-summary]").await;
    assert!(
        again.contains("이미"),
        "a second answer is refused: {again}"
    );
    // Opening the survey again says it was answered instead of offering it.
    plain.goto(&survey).await;
    assert!(
        !exists(&plain, "#survey-answers-overall-4").await,
        "no form the second time"
    );
    let answered = text(&plain, "main").await;
    assert!(
        answered.contains("이미 만족도 조사에 참여하셨습니다"),
        "the survey opens only once: {answered}"
    );

    // A programme up to capacity, then the waitlist; a cancellation promotes.
    let class = portal.url("/programmes/e2e-small-class/");
    let mut manage = Vec::new();
    for (i, (name, phone)) in [
        ("정하나", "010-7000-0001"),
        ("정둘", "010-7000-0002"),
        ("정셋", "010-7000-0003"),
    ]
    .iter()
    .enumerate()
    {
        plain.goto(&class).await;
        person(&plain, "application", name, phone).await;
        submit_for(&plain, "application", "[data-code]").await;
        text(&plain, "[data-code]").await;
        let status = attr(&plain, "[data-status]", "data-status").await;
        assert_eq!(
            status,
            if i < 2 { "enrolled" } else { "waitlisted" },
            "{name}"
        );
        manage.push(attr(&plain, "[data-manage]", "href").await);
    }
    plain.goto(&manage[0]).await;
    // Cancelling asks first (without JavaScript too): the button only
    // opens the question, whose own button cancels.
    assert!(
        exists(
            &plain,
            "details[data-cancel-confirm]:not([open]) [data-cancel]"
        )
        .await,
        "the question is closed at first"
    );
    click(&plain, "[data-cancel-open]").await;
    click_for(&plain, "[data-cancel]", "[data-status='cancelled']").await;
    plain.goto(&manage[2]).await;
    assert_eq!(
        attr(&plain, "[data-status]", "data-status").await,
        "enrolled"
    );
    js.goto(&class).await;
    violations.extend(axe(&js, "programme form, empty").await);

    // A policy form: missing and wrong fields, kept input, then success.
    let policy = portal.url("/policies/smart-process/");
    plain.goto(&policy).await;
    person(&plain, "application", "한넷", "010-8000-0004").await;
    fill(&plain, "#application-fields-employees", "열두 명").await;
    submit_for(&plain, "application", "[data-error-summary]").await;
    text(&plain, "[data-error-summary]").await;
    assert!(
        exists(
            &plain,
            "[data-error-summary] a[href='#application-fields-employees']"
        )
        .await
    );
    assert!(
        exists(
            &plain,
            "[data-error-summary] a[href='#application-fields-plan']"
        )
        .await
    );
    assert_eq!(
        value(&plain, "#application-fields-employees").await,
        "열두 명"
    );
    assert_eq!(value(&plain, "#application-name").await, "한넷");
    assert_eq!(
        attr(&plain, "#application-fields-plan", "aria-invalid").await,
        "true"
    );
    fill(&plain, "#application-fields-employees", "5").await;
    fill(&plain, "#application-fields-plan", "자동재단기 도입").await;
    let machine_options = plain
        .js("return Array.from(document.querySelectorAll('#application-fields-machine option')).map(function (o) { return o.value; }).filter(Boolean);", vec![])
        .await;
    if let Some(first) = machine_options
        .as_array()
        .and_then(|a| a.first())
        .and_then(|v| v.as_str())
    {
        select(&plain, "#application-fields-machine", first).await;
    }
    submit_for(&plain, "application", "[data-status]").await;
    assert_eq!(
        attr(&plain, "[data-status]", "data-status").await,
        "submitted"
    );
    js.goto(&policy).await;
    violations.extend(axe(&js, "policy form, empty").await);
    submit(&js, "application").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "policy form, errors").await);

    // Staff: sign in, approve the pending reservation, mark a no-show, CSV.
    js.goto(&portal.url("/admin/")).await;
    let robots = attr(&js, "meta[name=robots]", "content").await;
    assert!(robots.contains("noindex"));
    violations.extend(axe(&js, "admin sign-in").await);
    fill(&js, "#staff-token", "wrong-token").await;
    submit(&js, "staff").await;
    text(&js, "[data-error-summary]").await;
    assert_eq!(
        value(&js, "#staff-token").await,
        "",
        "a token is never echoed"
    );
    fill(&js, "#staff-token", STAFF).await;
    submit(&js, "staff").await;
    let row = format!("[data-row='{code_w}']");
    attr(&js, &row, "data-row").await;
    assert!(
        !js.client
            .current_url()
            .await
            .expect("url")
            .as_str()
            .contains(STAFF)
    );
    violations.extend(axe(&js, "admin dashboard").await);
    // The record's 안내 발송 내역: its messages (no channel here, so they
    // wait) on a page of their own, and back.
    click(&js, &format!("{row} [data-messages]")).await;
    js.wait_for(
        "the message history",
        "return location.pathname.endsWith('/messages');",
    )
    .await;
    let heading = text(&js, "h1").await;
    assert!(heading.contains("안내 발송 내역"), "{heading}");
    violations.extend(axe(&js, "admin message history").await);
    js.goto(&portal.url("/api/admin/dashboard")).await;
    attr(&js, &row, "data-row").await;
    click(&js, &format!("{row} [data-action=confirmed]")).await;
    js.wait_for(
        "the dashboard again",
        &format!("return location.search.indexOf('done={code_w}') >= 0;"),
    )
    .await;
    let status = text(&js, &format!("{row} td:nth-of-type(4)")).await;
    assert!(status.contains("확정"), "{status}");
    let row_a = format!("[data-row='{code_a}']");
    click(&js, &format!("{row_a} [data-action=no_show]")).await;
    js.wait_for(
        "the dashboard again",
        &format!("return location.search.indexOf('done={code_a}') >= 0;"),
    )
    .await;
    let status = text(&js, &format!("{row_a} td:nth-of-type(4)")).await;
    assert!(
        status.contains("예약 부도") || status.contains("불참"),
        "{status}"
    );
    let csv_url = attr(&js, "[data-csv=reservations]", "href").await;
    let (status, csv) = get(&js, &portal.url(&csv_url)).await;
    assert_eq!(status, 200);
    assert!(csv.contains("예약번호") && csv.contains(&code_w), "{csv}");

    // 이용 현황: from the dashboard to the report, four charts each with
    // its table (axe-core); with JavaScript off the period form, then a
    // table as CSV, without personal data.
    js.goto(&portal.url("/api/admin/dashboard")).await;
    click(&js, "[data-report-link]").await;
    js.wait_for(
        "the usage report",
        "return location.pathname === '/api/admin/reports';",
    )
    .await;
    text(&js, "[data-report-total]").await;
    let charts = js
        .js(
            "return Array.from(document.querySelectorAll('svg[role=img]')).filter(function (s) { var n = s.nextElementSibling || s.parentElement.nextElementSibling; while (n && n.tagName !== 'DIV') { n = n.nextElementSibling; } return n && n.querySelector('table caption'); }).length;",
            vec![],
        )
        .await;
    assert_eq!(
        charts.as_u64(),
        Some(4),
        "each chart is followed by its table"
    );
    violations.extend(axe(&js, "usage report").await);
    plain.goto(&portal.url("/admin/")).await;
    fill(&plain, "#staff-token", STAFF).await;
    submit_for(&plain, "staff", "[data-report-link]").await;
    follow(&plain, "[data-report-link]", "/api/admin/reports").await;
    fill(&plain, "#r-from", "2026-11").await;
    fill(&plain, "#r-to", "2026-12").await;
    click(
        &plain,
        "form[action='/api/admin/reports'] button[type=submit]",
    )
    .await;
    plain
        .wait_for(
            "the period asked for",
            "return location.search.indexOf('from=2026-11') >= 0 && location.search.indexOf('to=2026-12') >= 0 && !!document.querySelector('[data-report-total]');",
        )
        .await;
    let bookings = text(&plain, "[data-report-total] [data-bookings]").await;
    assert!(!bookings.starts_with("0건"), "{bookings}");
    let report_csv = attr(&plain, "[data-csv=report-equipment]", "href").await;
    let (status, csv) = get(&js, &portal.url(&report_csv)).await;
    assert_eq!(status, 200);
    // (fetch's text() drops the byte-order mark.)
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("장비ID,장비,시설,운영 시간"),
        "{csv}"
    );
    assert!(!csv.contains("한땀공방") && !csv.contains("010-"), "{csv}");

    js.close().await;
    plain.close().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations:\n{}",
        violations.join("\n")
    );
}

/// Issue 16: apply to a job posting from its page with JavaScript off,
/// withdraw, apply again with JavaScript on; staff move the application
/// 접수 → 검토 → 면접 → 채용 with JavaScript off and export it; staff mark
/// the posting filled and the page says so (JavaScript on) while a late
/// plain post gets a clear error; axe-core on each state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_application_with_and_without_javascript() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut violations = Vec::new();
    let page = portal.url("/jobs/sewing-operator/");

    // JavaScript off: the form on the posting's page, a mistake, then sent.
    plain.goto(&page).await;
    assert!(
        !exists(&plain, "#application-business").await,
        "no business name is asked"
    );
    fill(&plain, "#application-name", "김미싱").await;
    fill(&plain, "#application-phone", "010-3333-4444").await;
    click(&plain, "#application-consent").await;
    submit_for(&plain, "application", "[data-error-summary]").await;
    text(&plain, "[data-error-summary]").await;
    assert!(
        exists(
            &plain,
            "[data-error-summary] a[href='#application-fields-intro']"
        )
        .await
    );
    assert_eq!(value(&plain, "#application-name").await, "김미싱");
    fill(
        &plain,
        "#application-fields-intro",
        "본봉 5년, 오버록 가능합니다.",
    )
    .await;
    select(&plain, "#application-fields-experience", "3년 이상").await;
    fill(&plain, "#application-fields-start", "2026-12-07").await;
    submit_for(&plain, "application", "[data-status]").await;
    assert_eq!(
        attr(&plain, "[data-status]", "data-status").await,
        "submitted"
    );
    let code = text(&plain, "[data-code]").await;
    let manage = attr(&plain, "[data-manage]", "href").await;
    assert!(manage.contains(&code), "{manage}");

    // The same states with JavaScript on, for axe: empty, errors, the receipt.
    js.goto(&page).await;
    violations.extend(axe(&js, "job form, empty").await);
    submit(&js, "application").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "job form, errors").await);
    js.goto(&manage).await;
    text(&js, "[data-code]").await;
    violations.extend(axe(&js, "job application, receipt").await);

    // Withdraw with JavaScript off, from the management link.
    click(&plain, "[data-cancel-open]").await;
    plain
        .next_page(
            "the withdrawn application",
            "var e = document.querySelector('[data-status]'); return e && e.getAttribute('data-status') === 'cancelled';",
            click(&plain, "[data-cancel]"),
        )
        .await;
    js.goto(&manage).await;
    text(&js, "[data-code]").await;
    violations.extend(axe(&js, "job application, withdrawn").await);

    // Withdrawn, the person may apply again: now with JavaScript on.
    js.goto(&page).await;
    fill(&js, "#application-name", "김미싱").await;
    fill(&js, "#application-phone", "010-3333-4444").await;
    fill(&js, "#application-fields-intro", "다시 지원합니다.").await;
    select(&js, "#application-fields-experience", "1~3년").await;
    fill(&js, "#application-fields-start", "2026-12-14").await;
    click(&js, "#application-consent").await;
    submit(&js, "application").await;
    text(&js, "[data-result]").await;
    assert_eq!(attr(&js, "[data-status]", "data-status").await, "submitted");
    let code2 = text(&js, "[data-code]").await;
    violations.extend(axe(&js, "job form, success (JS)").await);

    // Staff with JavaScript off: sign in, move it along, export.
    plain.goto(&portal.url("/admin/")).await;
    fill(&plain, "#staff-token", STAFF).await;
    submit_for(&plain, "staff", "[data-row]").await;
    let row = format!("[data-row='{code2}']");
    attr(&plain, &row, "data-row").await;
    for (action, label) in [
        ("reviewing", "검토"),
        ("interview", "면접"),
        ("hired", "채용"),
    ] {
        plain
            .next_page(
                "the dashboard again",
                &format!(
                    "var r = document.querySelector(\"{row} td:nth-of-type(3)\"); return location.search.indexOf('done={code2}') >= 0 && r && r.textContent.indexOf('{label}') >= 0;"
                ),
                click(&plain, &format!("{row} [data-action={action}]")),
            )
            .await;
    }
    let csv_url = attr(&plain, "[data-csv=applications]", "href").await;
    js.goto(&portal.url("/admin/")).await;
    fill(&js, "#staff-token", STAFF).await;
    submit(&js, "staff").await;
    attr(&js, &row, "data-row").await;
    violations.extend(axe(&js, "admin dashboard with job applications").await);
    let (status, csv) = get(&js, &portal.url(&csv_url)).await;
    assert_eq!(status, 200);
    assert!(
        csv.contains(&code2) && csv.contains("채용") && csv.contains("다시 지원합니다."),
        "{csv}"
    );

    // Filled: staff close the posting (no rebuild); the page says so.
    click(
        &plain,
        "[data-job='sewing-operator'] [data-job-action=fill]",
    )
    .await;
    plain
        .wait_for(
            "the posting filled",
            "var e = document.querySelector(\"[data-job='sewing-operator'] [data-job-state]\"); return e && e.getAttribute('data-job-state') === 'filled';",
        )
        .await;
    js.goto(&page).await;
    js.wait_for(
        "the closed notice",
        "var e = document.querySelector('[data-job-closed]'); return e && !e.hidden && e.textContent.indexOf('채용이 끝나') >= 0;",
    )
    .await;
    assert!(
        js.js(
            "return document.querySelector('[data-job-form]').hidden;",
            vec![]
        )
        .await
        .as_bool()
        .unwrap_or(false),
        "the form is gone"
    );
    violations.extend(axe(&js, "job page, filled").await);
    // Without JavaScript the static page still has the form: a late post
    // gets a clear error.
    plain.goto(&page).await;
    fill(&plain, "#application-name", "박늦음").await;
    fill(&plain, "#application-phone", "010-3333-5555").await;
    fill(&plain, "#application-fields-intro", "늦었지만 지원합니다.").await;
    select(&plain, "#application-fields-experience", "1~3년").await;
    fill(&plain, "#application-fields-start", "2026-12-14").await;
    click(&plain, "#application-consent").await;
    submit_for(&plain, "application", "[data-error-summary]").await;
    let message = text(&plain, "[data-error-summary]").await;
    assert!(message.contains("채용이 끝나"), "{message}");
    assert_eq!(
        attr(&plain, "[data-error-code]", "data-error-code").await,
        "filled"
    );

    js.close().await;
    plain.close().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations:\n{}",
        violations.join("\n")
    );
}

/// Issue 11 (5): 내 예약·신청. From the home page by keyboard to `/my/`; the
/// phone number, a 인증번호 really sent as 문자 (ministack's SNS), a wrong
/// code, the right one; the list with only this phone's records; view,
/// cancel (asking first) and sign-out; with JavaScript off and on, and
/// axe-core on each state (phone form, code form, wrong code, list, after
/// cancel, and a deployment that sends no 문자).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_reservations_with_and_without_javascript() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let sms = sbiz_e2e::sms::Sms::start();
    let portal = Portal::start_with(&site, "2026-11-28T10:00", STAFF, |secret, _| {
        sms.channels(secret)
    });
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut violations = Vec::new();
    let me = "010-4444-5555";
    let sewer = portal.url("/equipment/e2e-sewer/");

    // What there is to find: two reservations and an enrolment made with
    // this phone, and someone else's reservation.
    let mut booked = Vec::new();
    for (start, who, phone) in [
        ("10:00", "나예약", me),
        ("13:00", "나예약", me),
        ("15:00", "남예약", "010-4444-6666"),
    ] {
        plain.goto(&sewer).await;
        fill(&plain, "#reserve-date", "2026-11-30").await;
        select(&plain, "#reserve-start", start).await;
        person(&plain, "reserve", who, phone).await;
        submit_for(&plain, "reserve", "[data-code]").await;
        booked.push(text(&plain, "[data-code]").await);
    }
    let (first, second, theirs) = (booked[0].clone(), booked[1].clone(), booked[2].clone());
    plain
        .goto(&portal.url("/programmes/e2e-small-class/"))
        .await;
    person(&plain, "application", "나예약", me).await;
    submit_for(&plain, "application", "[data-code]").await;
    let class = text(&plain, "[data-code]").await;

    // From the home page, with the keyboard: the header's link.
    plain.goto(&portal.url("/")).await;
    let f = plain
        .tab_until(30, "the header's 내 예약·신청", |f| f.href == "/my/")
        .await;
    assert_eq!(f.text, "내 예약·신청");
    plain.enter().await;
    plain
        .wait_for("the /my/ page", "return location.pathname === '/my/';")
        .await;
    assert!(
        exists(&plain, "header a[href='/reservation/']").await,
        "예약 조회 in the header too"
    );

    // JavaScript off: phone, a wrong code, the right code, the list.
    let before = sms.received(me).len();
    fill(&plain, "#my-phone-phone", me).await;
    submit_for(&plain, "my-phone", "#my-code-code").await;
    attr(&plain, "#my-code-code", "id").await;
    assert_eq!(plain.path().await, "/api/my/code");
    let code = sms.next_code(me, before);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    fill(&plain, "#my-code-code", wrong).await;
    submit_for(&plain, "my-code", "[data-error-summary]").await;
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("4번 더"), "{summary}");
    fill(&plain, "#my-code-code", &code).await;
    submit_for(&plain, "my-code", "[data-my-record]").await;
    for c in [&first, &second, &class] {
        attr(&plain, &format!("[data-my-record='{c}']"), "data-my-record").await;
    }
    assert!(
        !exists(&plain, &format!("[data-my-record='{theirs}']")).await,
        "someone else's reservation is not listed"
    );
    assert_eq!(plain.path().await, "/api/my");
    // View, then back to the list.
    click(
        &plain,
        &format!("[data-my-record='{class}'] [data-my-view]"),
    )
    .await;
    assert_eq!(text(&plain, "[data-code]").await, class);
    assert!(!exists(&plain, "[data-manage]").await, "no management link");
    let row = format!("[data-my-record='{first}']");
    click_for(&plain, "[data-my-back]", &row).await;
    // Cancel asks first, then cancels; the list says so.
    assert!(
        exists(
            &plain,
            &format!("{row} details[data-cancel-confirm]:not([open])")
        )
        .await,
        "the question is closed at first"
    );
    click(&plain, &format!("{row} [data-cancel-open]")).await;
    plain
        .next_page(
            "the list after cancelling",
            "return location.search.indexOf('done=cancelled') >= 0 && document.readyState === 'complete';",
            click(&plain, &format!("{row} [data-cancel]")),
        )
        .await;
    assert!(
        text(&plain, "[data-my-notice]")
            .await
            .contains(&format!("{first} 예약을 취소했습니다"))
    );
    assert_eq!(
        attr(&plain, &format!("{row} [data-status]"), "data-status").await,
        "cancelled"
    );
    assert!(!exists(&plain, &format!("{row} [data-cancel]")).await);
    // Closing it ends the session.
    plain
        .next_page(
            "the phone step after closing",
            "return location.search.indexOf('done=signed_out') >= 0 && document.readyState === 'complete';",
            click(&plain, "[data-my-logout]"),
        )
        .await;
    assert!(
        text(&plain, "[data-my-notice]")
            .await
            .contains("닫았습니다")
    );
    assert!(exists(&plain, "#my-phone-phone").await);

    // JavaScript on: the same steps, and axe-core on each state.
    js.goto(&portal.url("/my/")).await;
    violations.extend(axe(&js, "my: phone form (static page)").await);
    submit(&js, "my-phone").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "my: phone form, errors").await);
    let before = sms.received(me).len();
    fill(&js, "#my-phone-phone", me).await;
    submit(&js, "my-phone").await;
    attr(&js, "#my-code-code", "id").await;
    violations.extend(axe(&js, "my: code form").await);
    let code = sms.next_code(me, before);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    fill(&js, "#my-code-code", wrong).await;
    submit(&js, "my-code").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "my: wrong code").await);
    fill(&js, "#my-code-code", &code).await;
    submit(&js, "my-code").await;
    attr(
        &js,
        &format!("[data-my-record='{second}']"),
        "data-my-record",
    )
    .await;
    violations.extend(axe(&js, "my: list").await);
    let row = format!("[data-my-record='{second}']");
    click(&js, &format!("{row} [data-cancel-open]")).await;
    violations.extend(axe(&js, "my: cancel question open").await);
    click(&js, &format!("{row} [data-cancel]")).await;
    js.wait_for(
        "the list after cancelling",
        "return location.search.indexOf('done=cancelled') >= 0 && document.readyState === 'complete';",
    )
    .await;
    assert!(
        text(&js, "[data-my-notice]")
            .await
            .contains(&format!("{second} 예약을 취소했습니다"))
    );
    violations.extend(axe(&js, "my: after cancel").await);
    click(&js, &format!("[data-my-record='{class}'] [data-my-view]")).await;
    assert_eq!(text(&js, "[data-code]").await, class);
    violations.extend(axe(&js, "my: a record's page").await);

    // A portal that sends no 문자 says so, with the other ways in.
    let quiet = Portal::start(&site, "2026-11-28T10:00", STAFF);
    js.goto(&quiet.url("/api/my")).await;
    assert!(
        text(&js, "[data-my-unavailable]")
            .await
            .contains("인증번호 문자를 보내지 않도록")
    );
    assert!(exists(&js, "main a[href$='/reservation/']").await);
    violations.extend(axe(&js, "my: no 문자 in this deployment").await);
    // Its static page says so up front, with no form that cannot work.
    js.goto(&quiet.url("/my/")).await;
    assert!(
        text(&js, "[data-my-unavailable]")
            .await
            .contains("인증번호 문자를 보내지 않도록")
    );
    assert!(!exists(&js, "#my-phone-phone").await);
    assert!(exists(&js, "main a[href$='/reservation/']").await);
    violations.extend(axe(&js, "my: the static page without 문자").await);

    js.close().await;
    plain.close().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations:\n{}",
        violations.join("\n")
    );
}

/// Issue 11's end to end: a booking made with JavaScript off is confirmed
/// by e-mail through a real SMTP server and by 문자 through ministack's
/// SNS, each with the management link; the link from the e-mail opens the
/// reservation in the browser, which cancels it, and the cancellation is
/// sent too. The portal's dispatcher runs as `sbiz serve`'s does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_is_confirmed_by_e_mail_and_text_and_cancelled_from_the_mail() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let sms = sbiz_e2e::sms::Sms::start();
    let mail = sbiz_e2e::mail::Mail::start();
    let portal = Portal::start_with(&site, "2026-11-28T10:00", STAFF, |secret, origin| {
        Arc::new(
            sbiz_booking::messaging::Channels::none(secret)
                .with(sms.sender())
                .with(mail.sender())
                .with_public_base(origin),
        )
    });
    let plain = Browser::start_without_javascript().await;
    let phone = "010-4545-7878";

    plain.goto(&portal.url("/equipment/e2e-sewer/")).await;
    // The form offers both channels, 문자 ticked.
    assert!(exists(&plain, "#reserve-notify-sms:checked").await);
    assert!(exists(&plain, "#reserve-notify-email:not(:checked)").await);
    fill(&plain, "#reserve-date", "2026-11-30").await;
    select(&plain, "#reserve-start", "11:00").await;
    person(&plain, "reserve", "메일받음", phone).await;
    fill(&plain, "#reserve-email", "mail-reader@example.kr").await;
    click(&plain, "#reserve-notify-email").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    let code = text(&plain, "[data-code]").await;

    // The e-mail: the confirmation with the management link.
    let mails = mail.wait_for(1);
    let confirmation = mails
        .iter()
        .find(|m| m.contains(&code))
        .unwrap_or_else(|| panic!("the confirmation: {mails:?}"));
    assert!(
        confirmation.contains("To: mail-reader@example.kr"),
        "{confirmation}"
    );
    let start = confirmation
        .find(&portal.url("/api/reservations/"))
        .expect("the management link in the e-mail");
    let link: String = confirmation[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    // The 문자: the same code and a link.
    let mut texts = Vec::new();
    for _ in 0..300 {
        texts = sms.received_with(phone, &code);
        if !texts.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(texts.len(), 1, "one 문자 with the code");
    assert!(
        texts[0].contains(&portal.url("/api/reservations/")),
        "{}",
        texts[0]
    );

    // The link from the e-mail, in the browser: the reservation, cancelled.
    plain.goto(&link).await;
    assert_eq!(text(&plain, "[data-code]").await, code);
    click(&plain, "[data-cancel-open]").await;
    click_for(&plain, "[data-cancel]", "[data-status='cancelled']").await;
    let mails = mail.wait_for(2);
    assert!(
        mails
            .iter()
            .any(|m| m.contains(&code) && m.contains("예약 취소")),
        "the cancellation by e-mail: {mails:?}"
    );
    plain.close().await;
}

/// Waits until the closures page's status box says `what`.
async fn notice_says(b: &Browser, what: &str) {
    b.wait_for(
        what,
        &format!(
            "var e = document.querySelector('[data-closure-notice]'); return e && e.textContent.indexOf({}) >= 0;",
            Value::from(what)
        ),
    )
    .await;
}

/// Issue 13: staff close a piece of equipment (장비 사용 중지) with
/// JavaScript off — a mistake first, then the form — and booking refuses
/// the closed days at once; the booking inside is cancelled with 모두
/// 취소하고 알리기, the closure removed; the audit log lists it all, and the
/// dashboard finds the booking by phone. axe-core on each new admin state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closure_and_its_bulk_cancel_with_javascript_off() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let plain = Browser::start_without_javascript().await;
    let mut violations = Vec::new();
    let sewer = portal.url("/equipment/e2e-sewer/");

    // A booking on Tuesday 2026-12-01, JavaScript off.
    plain.goto(&sewer).await;
    fill(&plain, "#reserve-date", "2026-12-01").await;
    select(&plain, "#reserve-start", "10:00").await;
    person(&plain, "reserve", "김휴관", "010-5555-7777").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    let code = text(&plain, "[data-code]").await;

    // Staff, JavaScript off: sign in, open 임시 휴관·장비 사용 중지.
    plain.goto(&portal.url("/admin/")).await;
    fill(&plain, "#staff-token", STAFF).await;
    submit_for(&plain, "staff", "[data-row]").await;
    attr(&plain, &format!("[data-row='{code}']"), "data-row").await;
    follow(&plain, "[data-closures-link]", "/api/admin/closures").await;
    // A mistake first (no reason): the form again, as typed.
    select(&plain, "#closure-target", "equipment:e2e-sewer").await;
    fill(&plain, "#closure-from", "2026-12-01").await;
    fill(&plain, "#closure-to", "2026-12-02").await;
    click_for(&plain, "[data-closure-submit]", "[data-error-summary]").await;
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("사유"), "{summary}");
    assert_eq!(value(&plain, "#closure-from").await, "2026-12-01");
    assert_eq!(
        value(&plain, "#closure-target").await,
        "equipment:e2e-sewer"
    );
    click(&plain, "#closure-reason-breakdown").await;
    fill(&plain, "#closure-note", "바늘대 고장").await;
    click_for(&plain, "[data-closure-submit]", "[data-closure-notice]").await;
    notice_says(&plain, "등록했습니다").await;
    let booking_row = format!("[data-closure-booking='{code}']");
    attr(&plain, &booking_row, "data-closure-booking").await;

    // At once, without a rebuild: the closed days take no booking.
    let other = Browser::start_without_javascript().await;
    other.goto(&sewer).await;
    fill(&other, "#reserve-date", "2026-12-02").await;
    select(&other, "#reserve-start", "14:00").await;
    person(&other, "reserve", "박다른", "010-5555-8888").await;
    submit_for(&other, "reserve", "[data-error-summary]").await;
    let refused = text(&other, "[data-error-summary]").await;
    assert!(refused.contains("고장"), "{refused}");
    other.close().await;

    // JavaScript on, for axe: the page with the closure and its booking,
    // the form with errors, and the availability the calendar reads.
    js.goto(&portal.url("/admin/")).await;
    fill(&js, "#staff-token", STAFF).await;
    submit(&js, "staff").await;
    attr(&js, &format!("[data-row='{code}']"), "data-row").await;
    js.goto(&portal.url("/api/admin/closures")).await;
    attr(&js, &booking_row, "data-closure-booking").await;
    violations.extend(axe(&js, "closures: a closure with its booking").await);
    click(&js, "[data-closure-submit]").await;
    text(&js, "[data-error-summary]").await;
    violations.extend(axe(&js, "closures: form errors").await);
    let (status, av) = get(
        &js,
        &portal.url("/api/equipment/e2e-sewer/availability?from=2026-12-01&to=2026-12-03"),
    )
    .await;
    assert_eq!(status, 200, "{av}");
    let av: Value = serde_json::from_str(&av).expect("json");
    assert_eq!(
        av["days"][0]["closure"],
        "장비 사용 중지(고장: 바늘대 고장)"
    );
    assert!(av["days"][2].get("closure").is_none());

    // 모두 취소하고 알리기 (JavaScript off).
    click_for(&plain, "[data-cancel-closed]", "[data-closure-notice]").await;
    notice_says(&plain, "예약 1건을 취소하고").await;
    attr(&plain, "[data-closure-empty]", "data-closure-empty").await;
    js.goto(&portal.url("/api/admin/closures?done=cancelled-1"))
        .await;
    attr(&js, "[data-closure-empty]", "data-closure-empty").await;
    violations.extend(axe(&js, "closures: after cancelling").await);
    // The dashboard finds it by phone (a post: no number in the URL).
    plain.goto(&portal.url("/api/admin/dashboard")).await;
    fill(&plain, "#admin-q", "010-5555-7777").await;
    click_for(&plain, "[data-search-submit]", "[data-search-result]").await;
    let found = text(&plain, "[data-search-result]").await;
    assert!(found.contains("예약 1건"), "{found}");
    let status = text(&plain, &format!("[data-row='{code}'] td:nth-of-type(4)")).await;
    assert!(status.contains("취소"), "{status}");
    assert!(
        !plain
            .client
            .current_url()
            .await
            .expect("url")
            .as_str()
            .contains("5555")
    );
    js.goto(&portal.url("/api/admin/dashboard")).await;
    fill(&js, "#admin-q", "010-5555-7777").await;
    click(&js, "[data-search-submit]").await;
    text(&js, "[data-search-result]").await;
    violations.extend(axe(&js, "dashboard: found by phone").await);

    // Removed: the days open again.
    plain.goto(&portal.url("/api/admin/closures")).await;
    click_for(&plain, "[data-remove-closure]", "[data-closure-notice]").await;
    notice_says(&plain, "해제했습니다").await;

    // The audit log (`*` staff): the closure, the cancellation, sign-ins.
    follow(&plain, "a[href='/api/admin/audit']", "/api/admin/audit").await;
    let log = text(&plain, "table").await;
    for what in [
        "휴관·사용 중지 등록",
        "휴관·사용 중지 예약 일괄 취소",
        "휴관·사용 중지 해제",
        "로그인",
        &code,
    ] {
        assert!(log.contains(what), "{what}: {log}");
    }
    assert!(!log.contains("5555"), "no phone number in the audit log");
    js.goto(&portal.url("/api/admin/audit")).await;
    text(&js, "table").await;
    violations.extend(axe(&js, "audit log").await);

    js.close().await;
    plain.close().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations:\n{}",
        violations.join("\n")
    );
}

/// The Hangul in the page's main content, if any: an English page must not
/// mix in Korean (beyond what the visitor typed, which these journeys keep
/// in English).
async fn korean_in_main(b: &Browser) -> String {
    b.js(
        "var m = document.querySelector('main'); var t = m ? m.innerText : ''; \
         var found = t.match(/[^\\n]*[\\uAC00-\\uD7A3][^\\n]*/g); return found ? found.join(' | ') : '';",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn page_lang(b: &Browser) -> String {
    b.js("return document.documentElement.lang;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Follows a link with the keyboard and waits for the page it leads to.
async fn follow(b: &Browser, css: &str, path: &str) {
    b.next_page(
        path,
        &format!("return location.pathname === {};", Value::from(path)),
        click(b, css),
    )
    .await;
}

/// A visitor who reads only English, with JavaScript off: from the Korean
/// home page to the English edition, an equipment booking with a mistake
/// and then accepted, its English management page, and a job application
/// in English (the stored answer stays the Korean option staff read).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_visitor_books_equipment_and_applies_for_a_job_without_javascript() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let plain = Browser::start_without_javascript().await;
    let js = Browser::start().await;
    let mut violations = Vec::new();

    plain.goto(&portal.url("/")).await;
    follow(&plain, ".lang-switch a", "/en/").await;
    assert_eq!(page_lang(&plain).await, "en");
    follow(&plain, "main a[href='/en/equipment/']", "/en/equipment/").await;
    follow(
        &plain,
        "main a[href='/en/equipment/e2e-sewer/']",
        "/en/equipment/e2e-sewer/",
    )
    .await;
    assert_eq!(
        text(&plain, "h1").await,
        "Industrial lockstitch sewing machine"
    );
    assert_eq!(
        korean_in_main(&plain).await,
        "",
        "the booking page is all English"
    );
    // The compact consent box leads to the full notice, in English, and
    // the form to the booking help; both pages open.
    assert_eq!(
        attr(&plain, "#reserve-consent-box a", "href").await,
        "/en/privacy/"
    );
    assert_eq!(
        attr(&plain, ".form-required-note a", "href").await,
        "/en/guide/"
    );
    follow(&plain, "#reserve-consent-box a", "/en/privacy/").await;
    assert_eq!(text(&plain, "h1").await, "Privacy policy");
    assert_eq!(page_lang(&plain).await, "en");
    plain.goto(&portal.url("/en/equipment/e2e-sewer/")).await;

    // A mistake (no consent): the answer is English, with what was typed.
    fill(&plain, "#reserve-date", "2026-11-30").await;
    select(&plain, "#reserve-start", "10:00").await;
    fill(&plain, "#reserve-name", "Maria Santos").await;
    fill(&plain, "#reserve-phone", "010-7777-8888").await;
    fill(&plain, "#reserve-business", "Stitch Works").await;
    submit_for(&plain, "reserve", "[data-error-summary]").await;
    assert_eq!(page_lang(&plain).await, "en");
    let summary = text(&plain, "[data-error-summary]").await;
    assert!(summary.contains("agree to the collection"), "{summary}");
    assert_eq!(korean_in_main(&plain).await, "", "the errors are English");
    assert_eq!(value(&plain, "#reserve-name").await, "Maria Santos");
    assert_eq!(value(&plain, "#reserve-business").await, "Stitch Works");

    // Accepted: an English confirmation with the reservation number.
    click(&plain, "#reserve-consent").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    let code = text(&plain, "[data-code]").await;
    assert!(!code.is_empty());
    assert_eq!(page_lang(&plain).await, "en");
    assert_eq!(
        attr(&plain, "[data-status]", "data-status").await,
        "confirmed"
    );
    let confirmation = text(&plain, "main").await;
    assert!(
        confirmation.contains("Industrial lockstitch sewing machine")
            && confirmation.contains("Confirmed"),
        "{confirmation}"
    );
    assert_eq!(
        korean_in_main(&plain).await,
        "",
        "the confirmation is English"
    );
    let manage = attr(&plain, "[data-manage]", "href").await;
    assert!(manage.contains("lang=en"), "{manage}");
    js.goto(&manage).await;
    assert_eq!(text(&js, "[data-code]").await, code);
    assert_eq!(page_lang(&js).await, "en");
    assert_eq!(
        korean_in_main(&js).await,
        "",
        "the management page is English"
    );
    violations.extend(axe(&js, "English management page").await);

    // A job application in English.
    plain.goto(&portal.url("/en/")).await;
    follow(&plain, "main a[href='/en/jobs/']", "/en/jobs/").await;
    follow(
        &plain,
        "main a[href='/en/jobs/sewing-operator/']",
        "/en/jobs/sewing-operator/",
    )
    .await;
    let label = text(&plain, "label[for='application-fields-experience']").await;
    assert!(label.starts_with("Relevant experience"), "{label}");
    fill(&plain, "#application-name", "Maria Santos").await;
    fill(&plain, "#application-phone", "010-7777-8888").await;
    fill(
        &plain,
        "#application-fields-intro",
        "Five years on lockstitch and overlock machines.",
    )
    .await;
    // The shown option is English; its value stays the Korean answer.
    select(&plain, "#application-fields-experience", "3년 이상").await;
    assert_eq!(
        text(
            &plain,
            "#application-fields-experience option[value='3년 이상']"
        )
        .await,
        "3 years or more"
    );
    fill(&plain, "#application-fields-start", "2026-12-07").await;
    click(&plain, "#application-consent").await;
    submit_for(&plain, "application", "[data-code]").await;
    assert_eq!(
        attr(&plain, "[data-status]", "data-status").await,
        "submitted"
    );
    assert_eq!(page_lang(&plain).await, "en");
    assert_eq!(korean_in_main(&plain).await, "", "the receipt is English");

    assert!(violations.is_empty(), "{violations:#?}");
}
