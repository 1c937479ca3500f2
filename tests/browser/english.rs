//! The English edition with JavaScript on: the booking calendar an English
//! equipment page builds speaks English (weekdays, title, hint, the days'
//! names and what it announces), as the Korean page speaks Korean.

use fantoccini::Locator;
use sbiz_e2e::browser::Browser;
use sbiz_e2e::portal::Portal;

use crate::portal::{STAFF, attr, text};

/// The calendar's texts a person sees or hears: the column headers, the
/// title, the hint, the groups' and the grid's names, and the first
/// bookable day's name.
async fn calendar_texts(b: &Browser) -> Vec<String> {
    let v = b
        .js(
            "var c = document.querySelector('[data-calendar]'); \
             var heads = Array.prototype.map.call(c.querySelectorAll('th'), function (t) { return t.textContent; }).join(' '); \
             var names = Array.prototype.map.call(c.querySelectorAll('[aria-label]'), function (e) { return e.getAttribute('aria-label'); }); \
             var day = c.querySelector('[data-date]:not([aria-disabled])'); \
             return [heads, c.querySelector('.calendar-title').textContent, c.querySelector('.hint').textContent, day ? day.textContent : ''].concat(names);",
            vec![],
        )
        .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Picks the day `date` and then its 10:00 with the keyboard; returns what
/// the calendar announced after each.
async fn pick(b: &Browser, date: &str) -> (String, String) {
    let day = format!("[data-calendar] [data-date='{date}']");
    attr(b, &day, "data-date").await;
    b.client
        .find(Locator::Css(&day))
        .await
        .expect("the day's button")
        .send_keys("\u{E007}")
        .await
        .expect("Enter on the day");
    let picked_day = text(b, "[data-announce]").await;
    let slot = "[data-slots] [data-start='10:00']";
    attr(b, slot, "data-start").await;
    b.client
        .find(Locator::Css(slot))
        .await
        .expect("the slot's button")
        .send_keys("\u{E007}")
        .await
        .expect("Enter on the slot");
    (picked_day, text(b, "[data-announce]").await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_booking_calendar_speaks_the_page_s_language() {
    let site = sbiz_e2e::repo_root().join("tests/fixtures/e2e-site");
    let portal = Portal::start(&site, "2026-11-28T10:00", STAFF);
    let js = Browser::start().await;
    let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));

    js.goto(&portal.url("/en/equipment/e2e-sewer/")).await;
    attr(&js, "[data-calendar] [role=grid]", "role").await;
    let english = calendar_texts(&js).await;
    assert_eq!(english[0], "Sun Mon Tue Wed Thu Fri Sat", "{english:?}");
    assert_eq!(english[1], "Available times", "{english:?}");
    assert!(
        english.iter().all(|t| !t.is_empty() && !hangul(t)),
        "the English calendar: {english:?}"
    );
    assert!(english[3].contains("November") || english[3].contains("December"));
    let (day, slot) = pick(&js, "2026-11-30").await;
    assert!(
        day.starts_with("You chose Mon 30 November. Free times: "),
        "{day}"
    );
    assert_eq!(slot, "You chose Mon 30 November, starting at 10:00.");

    // The Korean page says the same in Korean, as it always has.
    js.goto(&portal.url("/equipment/e2e-sewer/")).await;
    attr(&js, "[data-calendar] [role=grid]", "role").await;
    let korean = calendar_texts(&js).await;
    assert_eq!(korean[0], "일 월 화 수 목 금 토", "{korean:?}");
    assert_eq!(korean[1], "예약 가능한 시간", "{korean:?}");
    let (day, slot) = pick(&js, "2026-11-30").await;
    assert!(
        day.starts_with("11월 30일(월)을 골랐습니다. 빈 시간 "),
        "{day}"
    );
    assert_eq!(slot, "11월 30일(월) 10:00 시작을 골랐습니다.");
    js.close().await;
}
