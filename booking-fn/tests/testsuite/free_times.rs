//! The free times of a piece of equipment as a page, for browsers without
//! JavaScript (`GET /api/equipment/{id}/availability?date=…` asked for
//! HTML): each slot free or taken, why nothing can be booked on a day, the
//! days after it, and the booking form with the date filled in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::common::*;

/// The cutter's page as a browser asks for it (the plain form on the
/// equipment page).
async fn page(app: &App, query: &str) -> Answer {
    page_of(app, "cutter", query).await
}

/// [`page`] of another piece of equipment.
async fn page_of(app: &App, equipment: &str, query: &str) -> Answer {
    send(
        &app.router,
        Request::get(format!("/api/equipment/{equipment}/availability?{query}"))
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The status each slot of the date asked is shown with, in order.
fn slots(html: &str) -> Vec<(String, String)> {
    html.split("<tr data-slot=\"")
        .skip(1)
        .map(|row| {
            let start = row.split('"').next().unwrap_or_default().to_owned();
            let status = row
                .split("data-status=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default()
                .to_owned();
            (start, status)
        })
        .collect()
}

/// Why nothing can be booked on the date asked, without the `<time>` the
/// pages put around dates.
fn reason(html: &str) -> Option<String> {
    html.split("data-times-reason>")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .map(|s| s.replace("<time>", "").replace("</time>", ""))
}

#[tokio::test]
async fn a_date_s_slots_are_free_until_a_reservation_takes_them() {
    let app = app();
    let before = page(&app, "date=2026-03-05").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    assert!(
        before.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let all: Vec<(String, String)> = [
        "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00",
    ]
    .iter()
    .map(|s| ((*s).to_owned(), "free".to_owned()))
    .collect();
    assert_eq!(slots(&before.text), all);
    assert!(before.text.contains("빈 시간 8개"), "{}", before.text);

    let made = reserve(&app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);

    let after = page(&app, "date=2026-03-05").await;
    let t = &after.text;
    let shown = slots(t);
    let status = |start: &str| {
        shown
            .iter()
            .find(|(s, _)| s == start)
            .map(|(_, st)| st.as_str())
    };
    assert_eq!(status("09:00"), Some("free"));
    assert_eq!(status("10:00"), Some("taken"));
    assert_eq!(status("11:00"), Some("taken"));
    assert_eq!(status("13:00"), Some("free"));
    assert!(
        t.contains("<th scope=\"row\">10:00~11:00</th><td>예약됨</td>"),
        "{t}"
    );
    assert!(t.contains("<th scope=\"row\">09:00~10:00</th><td><strong>예약 가능</strong></td>"));
    assert!(t.contains("빈 시간 6개"));
    assert!(
        t.contains("<caption>3월 5일(목) 시간별 예약 상태</caption>"),
        "{t}"
    );
    assert_eq!(reason(t), None);
    // The title names the equipment; the page links back to it.
    assert!(t.contains("<h1>예약 가능한 시간: 자동재단기</h1>"), "{t}");
    assert!(t.contains(&format!("href=\"{ORIGIN}/equipment/cutter/\"")));
    // The six days after it, each with its count or why it is shut.
    assert!(t.contains("data-times-next=\"2026-03-06\""));
    assert!(t.contains("3월 8일(일)</time></a>: 휴관일"), "Sunday: {t}");
    assert!(t.contains("3월 11일(수)</time></a>: 빈 시간 8개"), "{t}");
    assert!(
        !t.contains("data-times-next=\"2026-03-12\""),
        "seven days in all"
    );
    // The day before and after, and the date form with the date kept.
    assert!(t.contains(&format!(
        "href=\"{ORIGIN}/api/equipment/cutter/availability?date=2026-03-04\" rel=\"prev\""
    )));
    assert!(t.contains("availability?date=2026-03-06\" rel=\"next\""));
    assert!(t.contains("id=\"reserve-times-date\" name=\"date\""));
    assert!(t.contains("value=\"2026-03-05\""));
    // The booking form, the date filled in, with a fresh idempotency key.
    assert!(t.contains("action=\"/api/reservations\""), "{t}");
    assert!(
        t.contains("<input id=\"reserve-date\" name=\"date\" type=\"text\" value=\"2026-03-05\""),
        "{t}"
    );
    assert!(t.contains("name=\"idempotency_key\" value=\""));

    // With no date, the first day open for booking (a day ahead here).
    let first = page(&app, "").await;
    assert!(
        first.text.contains("data-times-day=\"2026-03-04\""),
        "{}",
        first.text
    );
}

#[tokio::test]
async fn today_s_slots_that_have_begun_are_past() {
    let app = app();
    // 10:30 Korea time; the laser cutter is booked from today on.
    app.clock.set("2026-03-03T01:30:00Z".parse().unwrap());
    let p = send(
        &app.router,
        Request::get("/api/equipment/laser/availability")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let shown = slots(&p.text);
    assert_eq!(shown.len(), 18, "{}", p.text);
    let past: Vec<&str> = shown
        .iter()
        .filter(|(_, st)| st == "past")
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(past, ["09:00", "09:30", "10:00", "10:30"]);
    assert!(p.text.contains("<td>지난 시간</td>"));
    assert!(p.text.contains("빈 시간 14개"));
    // No day before today to go back to.
    assert!(!p.text.contains("rel=\"prev\""));
}

#[tokio::test]
async fn a_day_nothing_can_be_booked_says_why() {
    let app = app();
    let cases = [
        ("2026-03-08", "휴관일에는 예약할 수 없습니다."),
        ("2026-03-13", "휴관일에는 예약할 수 없습니다."),
        ("2026-03-02", "지난 날짜는 예약할 수 없습니다."),
        (
            "2026-03-03",
            "이 장비는 이용일 1일 전까지 예약해야 합니다. 2026-03-04부터 예약할 수 있습니다.",
        ),
        (
            "2026-03-18",
            "이 장비는 오늘부터 14일 뒤까지만 예약할 수 있습니다.",
        ),
    ];
    for (date, why) in cases {
        let p = page(&app, &format!("date={date}")).await;
        assert_eq!(p.status, StatusCode::OK, "{date}: {}", p.text);
        assert_eq!(reason(&p.text).as_deref(), Some(why), "{date}");
        assert!(slots(&p.text).is_empty(), "{date}: no slots");
    }
    // A day staff closed says what closed it, escaped.
    let made = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/closures",
                json!({ "target": "equipment:cutter", "from": "2026-03-05", "to": "2026-03-05",
                        "reason": "breakdown", "note": "<b>모터</b> 교체" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let p = page(&app, "date=2026-03-05").await;
    assert_eq!(
        reason(&p.text).as_deref(),
        Some("이 날은 예약을 받지 않습니다: 장비 사용 중지(고장: &lt;b&gt;모터&lt;/b&gt; 교체)")
    );
    assert!(!p.text.contains("<b>모터"));
    assert!(slots(&p.text).is_empty());
    // A day fully booked says so, and so does the list of the days after.
    for (start, slots, who) in [("09:00", 3, 1), ("13:00", 4, 2), ("17:00", 1, 3)] {
        let r = reserve(&app, booking("cutter", "2026-03-06", start, slots, who)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let full = page(&app, "date=2026-03-06").await;
    assert_eq!(
        reason(&full.text).as_deref(),
        Some("이 날은 빈 시간이 없습니다. 다른 날을 골라 주세요.")
    );
    assert!(slots(&full.text).iter().all(|(_, st)| st == "taken"));
    let before = page(&app, "date=2026-03-04").await;
    let t = &before.text;
    assert!(
        t.contains("3월 5일(목)</time></a>: 장비 사용 중지(고장: &lt;b&gt;"),
        "{t}"
    );
    assert!(t.contains("3월 6일(금)</time></a>: 마감"), "{t}");
}

#[tokio::test]
async fn a_date_that_cannot_be_read_comes_back_at_the_field_escaped() {
    let app = app();
    let p = page(&app, "date=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    let t = &p.text;
    assert!(!t.contains("<script>alert"), "{t}");
    assert!(t.contains("value=\"&lt;script&gt;alert(1)"), "{t}");
    assert!(
        t.contains("날짜를 <time>2026-03-10</time>처럼 입력해 주세요."),
        "{t}"
    );
    assert!(t.contains(
        "aria-invalid=\"true\" aria-describedby=\"reserve-times-hint reserve-times-error\""
    ));
    assert!(slots(t).is_empty());
    // Unknown equipment is not found, as a page.
    let none = send(
        &app.router,
        Request::get("/api/equipment/nothing/availability?date=2026-03-05")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.text.contains("<html"));
    // Scripts still get JSON.
    let json = send(
        &app.router,
        Request::get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-05")
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(json.json()["days"][0]["slots"][0]["free"], true);
}

#[tokio::test]
async fn the_english_page_is_in_english() {
    let app = app();
    let p = page(&app, "date=2026-03-08&lang=en").await;
    let t = &p.text;
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("<h1>Free times: "), "{t}");
    assert_eq!(
        reason(t).as_deref(),
        Some("You cannot book on a closed day.")
    );
    assert!(t.contains("Mon 9 March</time></a>: Free times: 8"), "{t}");
    assert!(
        t.contains("availability?date=2026-03-09&amp;lang=en"),
        "{t}"
    );
    assert!(t.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"));
    assert!(t.contains("Show free times"));
}

/// The values the booking form's select `id` offers, the "choose"
/// placeholder left out; `None` when the page has no such select.
fn offered(html: &str, id: &str) -> Option<Vec<String>> {
    let start = html.find(&format!("<select id=\"{id}\""))?;
    let end = html[start..].find("</select>")?;
    Some(
        html[start..start + end]
            .split("<option value=\"")
            .skip(1)
            .filter_map(|o| o.split('"').next())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// What the page says in the booking form's place when no start is free.
fn no_start(html: &str) -> Option<String> {
    html.split("data-times-no-start>")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .map(str::to_owned)
}

#[tokio::test]
async fn the_booking_form_offers_only_the_starts_that_are_free() {
    let app = app();
    let made = reserve(&app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let p = page(&app, "date=2026-03-05").await;
    assert_eq!(
        offered(&p.text, "reserve-start").expect("the start time"),
        ["09:00", "13:00", "14:00", "15:00", "16:00", "17:00"],
        "{}",
        p.text
    );
    // The duration still offers every length: a start with too little
    // time after it is refused by the server, which says why.
    assert_eq!(
        offered(&p.text, "reserve-slots").expect("the duration"),
        ["1", "2", "3", "4"]
    );
    assert_eq!(no_start(&p.text), None);
    assert!(p.text.contains("아래 예약 신청서에서 시작 시간을 골라"));

    // Half-hour slots, at least two in a row: a free slot alone (09:00
    // before a booking, the day's last) is no start; today's past times
    // are none either.
    app.clock.set("2026-03-03T01:30:00Z".parse().unwrap()); // 10:30 KST
    let made = reserve(&app, booking("laser", "2026-03-03", "11:30", 2, 2)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let today = page_of(&app, "laser", "date=2026-03-03").await;
    let starts = offered(&today.text, "reserve-start").expect("the start time");
    assert_eq!(
        starts.first().map(String::as_str),
        Some("12:30"),
        "{starts:?}"
    );
    assert_eq!(starts.last().map(String::as_str), Some("17:00"));
    assert!(!starts.contains(&"11:00".to_owned()), "alone before 11:30");
    assert!(!starts.contains(&"17:30".to_owned()), "the day's last slot");

    // Free slots, but none two in a row: the form's place says so.
    let made = reserve(&app, booking("laser", "2026-03-04", "09:30", 16, 3)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let scattered = page_of(&app, "laser", "date=2026-03-04").await;
    let t = &scattered.text;
    assert_eq!(
        slots(t).iter().filter(|(_, st)| st == "free").count(),
        2,
        "{t}"
    );
    assert_eq!(
        no_start(t).as_deref(),
        Some(
            "이 날은 1시간 이상 이어서 비어 있는 시간이 없습니다. 이 장비는 한 번에 1시간 이상 예약해야 하니 다른 날을 골라 주세요."
        ),
        "{t}"
    );
    assert_eq!(offered(t, "reserve-start"), None, "no empty drop-down");
    assert!(!t.contains("action=\"/api/reservations\""));
    assert!(!t.contains("아래 예약 신청서에서"), "{t}");
    // The date form stays, to ask for another day.
    assert!(t.contains("id=\"reserve-times-date\""));
    let english = page_of(&app, "laser", "date=2026-03-04&lang=en").await;
    assert_eq!(
        no_start(&english.text).as_deref(),
        Some(
            "No free time on this day is as long as the shortest booking of this equipment (1 hour). Please choose another day."
        ),
        "{}",
        english.text
    );
}

#[tokio::test]
async fn a_day_with_no_free_start_offers_no_form() {
    let app = app();
    for (start, slots, who) in [("09:00", 3, 1), ("13:00", 4, 2), ("17:00", 1, 3)] {
        let r = reserve(&app, booking("cutter", "2026-03-06", start, slots, who)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    for (query, said) in [
        (
            "date=2026-03-06",
            "이 날은 예약할 수 있는 시작 시간이 없습니다. 다른 날을 골라 주세요.",
        ),
        (
            "date=2026-03-08",
            "이 날은 예약할 수 있는 시작 시간이 없습니다. 다른 날을 골라 주세요.",
        ),
        (
            "date=2026-03-06&lang=en",
            "There is no start time you can book on this day. Please choose another day.",
        ),
    ] {
        let p = page(&app, query).await;
        assert_eq!(no_start(&p.text).as_deref(), Some(said), "{query}");
        assert_eq!(offered(&p.text, "reserve-start"), None, "{query}");
    }
    // A date that cannot be read keeps the whole form.
    let unread = page(&app, "date=tomorrow").await;
    assert_eq!(no_start(&unread.text), None);
    assert_eq!(
        offered(&unread.text, "reserve-start").map(|s| s.len()),
        Some(9)
    );
}
