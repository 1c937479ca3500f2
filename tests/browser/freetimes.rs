//! The free times of a piece of equipment with JavaScript off: the equipment
//! page's plain date form, the booking function's page of that date's free
//! and taken times, and booking from that page; with JavaScript on the
//! calendar takes the plain form's place. axe-core on the page (with
//! JavaScript on, as axe needs it).

use sbiz_e2e::browser::Browser;
use sbiz_e2e::portal::Portal;
use serde_json::Value;

use crate::portal::{
    STAFF, attr, axe as violations, click_for, person, select, submit_for, text, value,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_times_with_and_without_javascript() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let plain = Browser::start_without_javascript().await;
    let js = Browser::start().await;
    let sewer = portal.url("/equipment/e2e-sewer/");

    // JavaScript off: a date in the plain form, then its free times.
    plain.goto(&sewer).await;
    crate::portal::fill(&plain, "#reserve-times-date", "2026-11-30").await;
    click_for(
        &plain,
        "[data-times-form] button[type=submit]",
        "[data-times-day]",
    )
    .await;
    assert_eq!(
        plain.path().await,
        "/api/equipment/e2e-sewer/availability?date=2026-11-30"
    );
    assert_eq!(
        attr(&plain, "[data-times-day]", "data-times-day").await,
        "2026-11-30"
    );
    assert_eq!(
        attr(&plain, "tr[data-slot='10:00']", "data-status").await,
        "free"
    );
    assert!(
        text(&plain, "tr[data-slot='10:00'] td")
            .await
            .contains("예약 가능")
    );
    // Saturday and Sunday, closed, are among the days after.
    let sunday = text(&plain, "[data-times-next='2026-12-06']").await;
    assert!(sunday.contains("휴관일"), "{sunday}");

    // Book from that page: its booking form has the date filled in.
    assert_eq!(value(&plain, "#reserve-date").await, "2026-11-30");
    select(&plain, "#reserve-start", "10:00").await;
    person(&plain, "reserve", "김빈칸", "010-1212-3434").await;
    submit_for(&plain, "reserve", "[data-code]").await;
    assert!(text(&plain, "[data-status]").await.contains("확정"));

    // Asked again, the time is taken; the next day's link shows the next day.
    plain
        .goto(&portal.url("/api/equipment/e2e-sewer/availability?date=2026-11-30"))
        .await;
    assert_eq!(
        attr(&plain, "tr[data-slot='10:00']", "data-status").await,
        "taken"
    );
    assert!(
        text(&plain, "tr[data-slot='10:00'] td")
            .await
            .contains("예약됨")
    );
    click_for(&plain, "a[rel=next]", "[data-times-day='2026-12-01']").await;

    // A day nothing can be booked says why.
    plain
        .goto(&portal.url("/api/equipment/e2e-sewer/availability?date=2026-11-29"))
        .await;
    let why = text(&plain, "[data-times-reason]").await;
    assert!(why.contains("휴관일"), "{why}");

    // JavaScript on: the calendar shows, the plain form is hidden; the page
    // of free times passes axe.
    js.goto(&sewer).await;
    attr(&js, "[data-calendar] [data-date='2026-11-30']", "data-date").await;
    let hidden = js
        .js(
            "return document.querySelector('#booking [data-times-form]').hidden;",
            vec![],
        )
        .await;
    assert_eq!(hidden, Value::from(true));
    let mut found = violations(&js, "equipment page with the calendar").await;
    js.goto(&portal.url("/api/equipment/e2e-sewer/availability?date=2026-11-30"))
        .await;
    text(&js, "[data-times-day]").await;
    found.extend(violations(&js, "free times page").await);
    assert!(found.is_empty(), "{found:#?}");

    js.close().await;
    plain.close().await;
}
