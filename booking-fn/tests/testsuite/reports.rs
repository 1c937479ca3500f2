//! The usage report (이용 현황) and its open data, checked against a
//! fixture of known bookings written through the store: every figure is
//! worked out by hand below from the fixture catalog's opening hours.
//!
//! The fixture catalog, March 2026: holidays 3/1 (Sun) and 3/2 (Mon), so 21
//! weekdays. `cutter` (서울패션, 60-minute slots) is open 8 h on weekdays
//! and 4 h on Saturdays, closed 3/13 (Fri): 20 × 8 + 4 × 4 = 176 h;
//! `laser` (서울패션, 30-minute slots) 21 × 9 = 189 h; `lathe` (구로) 21 × 9
//! = 189 h. In all 554 h; 서울패션 365 h, 구로 189 h.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::SignedDuration;
use sbiz_booking::domain::{
    Answer as Response, ApplicationCode, ApplicationStatus, ReservationCode, ReservationStatus,
    SlotRun, Subject, SurveyResponse, kst_instant,
};
use sbiz_booking::store::sqlite::SqliteStore;
use sbiz_booking::store::{StatusChange, Store};
use serde_json::Value;

use crate::common::*;
use crate::conformance as c;

/// A booking of the fixture: equipment, day, start, slots (of the
/// equipment's length), person (`None`: purged), final status.
struct Booking {
    equipment: &'static str,
    day: &'static str,
    start: &'static str,
    slots: u16,
    who: Option<u32>,
    status: ReservationStatus,
}

const fn b(
    equipment: &'static str,
    day: &'static str,
    start: &'static str,
    slots: u16,
    who: Option<u32>,
    status: ReservationStatus,
) -> Booking {
    Booking {
        equipment,
        day,
        start,
        slots,
        who,
        status,
    }
}

use ReservationStatus::*;

const BOOKINGS: &[Booking] = &[
    // 1. Tue 09:00-11:00, used.
    b("cutter", "2026-03-03", "09:00", 2, Some(1), Attended),
    // 2. Tue 13:00-16:00, not used.
    b("cutter", "2026-03-03", "13:00", 3, Some(2), NoShow),
    // 3. Tue 10:00-11:00, confirmed.
    b("cutter", "2026-03-10", "10:00", 1, Some(1), Confirmed),
    // 4. Sat 10:00-14:00, cancelled: holds nothing.
    b("cutter", "2026-03-07", "10:00", 4, Some(3), Cancelled),
    // 5. Mon 09:00-10:00, rejected: holds nothing.
    b("cutter", "2026-03-16", "09:00", 1, Some(4), Rejected),
    // 6. Wed 09:30-11:30 (4 × 30 min), awaiting approval.
    b("laser", "2026-03-04", "09:30", 4, Some(2), Pending),
    // 7. Thu 14:00-16:00 at 구로, used.
    b("lathe", "2026-03-05", "14:00", 2, Some(5), Attended),
    // 8. February: outside a March report.
    b("cutter", "2026-02-27", "09:00", 1, Some(1), Attended),
    // 9. Fri 09:00-10:00, used, personal data purged (no person key).
    b("cutter", "2026-03-20", "09:00", 1, None, Attended),
];

async fn fixture(store: &Arc<dyn Store>) {
    for (i, k) in BOOKINGS.iter().enumerate() {
        let mut d = c::reservation(k.equipment, k.day, k.start, k.slots, k.who.unwrap_or(90));
        let slot = if k.equipment == "laser" { 30 } else { 60 };
        d.reservation.run = SlotRun::new(
            c::id(k.equipment),
            c::date(k.day),
            c::time(k.start),
            slot,
            k.slots,
        )
        .expect("run");
        if k.equipment == "lathe" {
            d.reservation.facility = c::id("guro-metal");
        }
        if k.who.is_none() {
            d.reservation.person = None;
            d.reservation.person_key = None;
        }
        let start = if k.status == Pending {
            Pending
        } else {
            Confirmed
        };
        d.reservation.status = start;
        let code = d.reservation.code;
        store
            .create_reservation(c::new_reservation(d))
            .await
            .unwrap_or_else(|e| panic!("booking {}: {e}", i + 1));
        if k.status != start {
            let from = if k.status == Attended || k.status == NoShow || k.status == Cancelled {
                vec![Confirmed]
            } else {
                vec![Confirmed, Pending]
            };
            // Who cancelled is not recorded: a cancellation from before
            // it was (기록 없음).
            store
                .set_reservation_status(&code, StatusChange::new(from, k.status, c::now()))
                .await
                .unwrap_or_else(|e| panic!("booking {}: {e}", i + 1));
        }
    }
    // 교육: laser-safety (3/12, capacity 2, waitlist 2): three apply, the
    // third waits; one completes, one does not come.
    let codes = enrolled(store, [11, 12, 13]).await;
    for (code, to) in [
        (&codes[0], ApplicationStatus::Attended),
        (&codes[1], ApplicationStatus::NoShow),
    ] {
        store
            .set_application_status(
                code,
                StatusChange::new(vec![ApplicationStatus::Enrolled], to, c::now()),
            )
            .await
            .expect("status");
    }
    // pattern-basic (2/10, 구로): one applicant.
    let mut other = c::enrol("pattern-basic", 14, 10, 0);
    other.application.facility = Some(c::id("guro-metal"));
    store.apply(other).await.expect("apply");
    // Surveys: two answers in March (5 and 4), one in February (1).
    for (rating, day, comment) in [
        (5, "2026-03-10", "재단기가 깨끗했습니다"),
        (4, "2026-03-11", ""),
        (1, "2026-02-27", "2월 의견"),
    ] {
        store
            .submit_survey(SurveyResponse {
                survey: c::id("equipment-satisfaction"),
                subject: Subject::Reservation(ReservationCode::generate()),
                facility: Some(c::id("seoul-fashion")),
                answers: BTreeMap::from([
                    ("overall".to_owned(), Response::Rating(rating)),
                    ("comment".to_owned(), Response::Text(comment.into())),
                ]),
                submitted_at: kst_instant(c::date(day), c::time("12:00"))
                    .saturating_add(SignedDuration::from_mins(1))
                    .expect("time"),
            })
            .await
            .expect("survey");
    }
}

async fn app_with_fixture() -> App {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    fixture(&store).await;
    app_with(store)
}

async fn report(app: &App, query: &str, token: &str) -> Answer {
    send(
        &app.router,
        admin(get(&format!("/api/admin/reports{query}")), token),
    )
    .await
}

fn row<'a>(rows: &'a Value, key: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows}"))
}

/// (open h, booked h, utilisation %, bookings, cancellations, rejections,
/// attended, no-shows, no-show rate %, users)
type Figures<'a> = (
    &'a str,
    &'a str,
    Option<f64>,
    u64,
    u64,
    u64,
    u64,
    u64,
    Option<f64>,
    u64,
);

fn figures(u: &Value) -> Figures<'_> {
    (
        u["open_hours"].as_str().expect("open"),
        u["booked_hours"].as_str().expect("booked"),
        u["utilisation"].as_f64(),
        u["bookings"].as_u64().expect("bookings"),
        u["cancellations"].as_u64().expect("cancellations"),
        u["rejections"].as_u64().expect("rejections"),
        u["attended"].as_u64().expect("attended"),
        u["no_shows"].as_u64().expect("no_shows"),
        u["no_show_rate"].as_f64(),
        u["users"].as_u64().expect("users"),
    )
}

#[tokio::test]
async fn city_wide_figures_match_the_known_bookings() {
    let app = app_with_fixture().await;
    let res = report(&app, "?from=2026-03&to=2026-03", CITY_TOKEN).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let r = res.json();
    // 8 March bookings; booked: 120 + 180 + 60 + 120 + 120 + 60 = 660 min
    // = 11 h of 554 h = 1.99 %; no-shows 1 of (3 used + 1) = 25 %; people
    // 1-5 (booking 9 has no key).
    assert_eq!(
        figures(&r["total"]),
        ("554.0", "11.0", Some(2.0), 8, 1, 1, 3, 1, Some(25.0), 5)
    );
    assert_eq!(r["unkeyed"], 1);
    let eq = &r["equipment"];
    // cutter: bookings 1-5 and 9; 120 + 180 + 60 + 60 = 7 h of 176 h.
    assert_eq!(
        figures(row(eq, "cutter")),
        ("176.0", "7.0", Some(4.0), 6, 1, 1, 2, 1, Some(33.3), 4)
    );
    assert_eq!(
        figures(row(eq, "laser")),
        ("189.0", "2.0", Some(1.1), 1, 0, 0, 0, 0, None, 1)
    );
    assert_eq!(
        figures(row(eq, "lathe")),
        ("189.0", "2.0", Some(1.1), 1, 0, 0, 1, 0, Some(0.0), 1)
    );
    let fac = &r["facilities"];
    assert_eq!(
        figures(row(fac, "seoul-fashion")),
        ("365.0", "9.0", Some(2.5), 7, 1, 1, 2, 1, Some(33.3), 4)
    );
    assert_eq!(
        figures(row(fac, "guro-metal")),
        ("189.0", "2.0", Some(1.1), 1, 0, 0, 1, 0, Some(0.0), 1)
    );
    // Weekdays, by the day of use: Tue 3 (1-3), Mon 1 (5), Wed, Thu, Fri,
    // Sat 1 each, Sun none (closed: no open hours either).
    let wd = &r["weekdays"];
    let count = |k: &str| row(wd, k)["bookings"].as_u64().expect("n");
    assert_eq!(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(count),
        [1, 3, 1, 1, 1, 1, 0]
    );
    // Mondays: 4 open (3/2 is a holiday): cutter 32 h + laser 36 h + lathe 36 h.
    assert_eq!(row(wd, "mon")["open_hours"], "104.0");
    assert_eq!(row(wd, "sun")["utilisation"], Value::Null);
    // Saturdays: cutter 4 × 4 h, booking 4 cancelled so nothing booked.
    assert_eq!(
        figures(row(wd, "sat")),
        ("16.0", "0.0", Some(0.0), 1, 1, 0, 0, 0, None, 1)
    );
    // Hours: minutes in each hour; a booking counts in its first hour.
    let h = &r["hours"];
    let hour = |k: &str| {
        (
            row(h, k)["booked_hours"].as_str().expect("h").to_owned(),
            row(h, k)["bookings"].as_u64().expect("n"),
        )
    };
    assert_eq!(hour("09"), ("2.5".into(), 4)); // 1, 6 (09:30), 9; 5 rejected
    assert_eq!(hour("10"), ("3.0".into(), 2)); // 1, 3, 6; starts: 3, 4
    assert_eq!(hour("11"), ("0.5".into(), 0)); // 6 until 11:30
    assert_eq!(hour("13"), ("1.0".into(), 1));
    assert_eq!(hour("14"), ("2.0".into(), 1));
    assert_eq!(hour("15"), ("2.0".into(), 0));
    // 09-10: cutter 20 weekdays, laser and lathe 21 each.
    assert_eq!(row(h, "09")["open_hours"], "62.0");
    // 12-13: only cutter on Saturdays (4), laser and lathe (21 each).
    assert_eq!(row(h, "12")["open_hours"], "46.0");
    assert!(
        h.as_array()
            .expect("hours")
            .iter()
            .all(|r| r["key"] != "08" && r["key"] != "18"),
        "hours without opening or bookings are left out: {h}"
    );
    // 교육: laser-safety 3 applicants, 2 seats taken (수료, 불참), 1 waiting.
    let p = &r["programmes"];
    assert_eq!(
        p.as_array().expect("p").len(),
        1,
        "only March sessions: {p}"
    );
    assert_eq!(p[0]["id"], "laser-safety");
    assert_eq!(
        (
            &p[0]["applicants"],
            &p[0]["enrolled"],
            &p[0]["waitlisted"],
            &p[0]["attended"],
            &p[0]["no_shows"],
            &p[0]["attendance_rate"]
        ),
        (
            &Value::from(3),
            &Value::from(2),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(50.0)
        )
    );
    // Surveys: the two March answers, (5 + 4) / 2; the empty comment left out.
    let s = row_by_id(&r["surveys"], "equipment-satisfaction");
    assert_eq!(s["responses"], 2);
    assert_eq!(s["ratings"][0]["average"], 4.5);
    assert_eq!(s["comments"], serde_json::json!(["재단기가 깨끗했습니다"]));
    let none = row_by_id(&r["surveys"], "programme-satisfaction");
    assert_eq!(none["responses"], 0);
    assert_eq!(none["ratings"][0]["average"], Value::Null);
    // No personal data in the figures.
    for p in ["시험1", "010-", "@example.kr", "시험봉제"] {
        assert!(!res.text.contains(p), "{p} in {}", res.text);
    }
}

fn row_by_id<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {rows}"))
}

#[tokio::test]
async fn the_default_period_is_last_month_and_this_one() {
    // The app's clock: 2026-03-03.
    let app = app_with_fixture().await;
    let r = report(&app, "", CITY_TOKEN).await.json();
    assert_eq!(
        r["period"],
        serde_json::json!({"from": "2026-02", "to": "2026-03"})
    );
    assert_eq!(
        (&r["first_day"], &r["last_day"]),
        (&"2026-02-01".into(), &"2026-03-31".into())
    );
    let months = &r["months"];
    assert_eq!(row(months, "2026-02")["bookings"], 1);
    assert_eq!(row(months, "2026-03")["bookings"], 8);
    assert_eq!(r["total"]["bookings"], 9);
    // Booking 8 is person 1 again: still five people.
    assert_eq!(r["total"]["users"], 5);
    // pattern-basic's session (2/10) is now in the period.
    assert_eq!(r["programmes"].as_array().expect("p").len(), 2);
}

#[tokio::test]
async fn facility_staff_see_their_facility_only() {
    let app = app_with_fixture().await;
    let r = report(&app, "?from=2026-03", FASHION_TOKEN).await.json();
    assert_eq!(r["facility"], "seoul-fashion");
    assert_eq!(r["total"]["bookings"], 7);
    assert_eq!(r["total"]["open_hours"], "365.0");
    assert_eq!(r["facilities"], serde_json::json!([]));
    assert!(
        r["equipment"]
            .as_array()
            .expect("eq")
            .iter()
            .all(|e| e["key"] != "lathe")
    );
    let other = report(&app, "?from=2026-03&facility=guro-metal", FASHION_TOKEN).await;
    assert_eq!(other.status, 403, "{}", other.text);
    // `*` staff may narrow to one facility.
    let guro = report(&app, "?from=2026-03&facility=guro-metal", CITY_TOKEN)
        .await
        .json();
    assert_eq!(guro["total"]["bookings"], 1);
    assert_eq!(guro["programmes"], serde_json::json!([]));
    let anonymous = send(&app.router, get("/api/admin/reports")).await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn bad_periods_are_refused_with_the_field() {
    let app = app_with_fixture().await;
    for (q, field) in [
        ("?from=2026-3", "from"),
        ("?from=2026-03&to=2026-02", "to"),
        ("?from=2024-01&to=2026-03", "to"),
        ("?to=%3DSUM(1)", "to"),
        ("?facility=..%2F", "facility"),
    ] {
        let res = report(&app, q, CITY_TOKEN).await;
        assert_eq!(res.status, 422, "{q}: {}", res.text);
        assert!(
            res.json()["error"]["fields"].get(field).is_some(),
            "{q}: {}",
            res.text
        );
    }
}

#[tokio::test]
async fn the_page_draws_each_chart_with_its_table() {
    let app = app_with_fixture().await;
    let mut req = admin(
        get("/api/admin/reports?from=2026-03&to=2026-03"),
        CITY_TOKEN,
    );
    req.headers_mut()
        .insert("accept", "text/html".parse().expect("header"));
    let page = send(&app.router, req).await;
    assert_eq!(page.status, 200);
    let html = &page.text;
    for id in [
        "chart-equipment",
        "chart-months",
        "chart-weekdays",
        "chart-hours",
    ] {
        let at = html
            .find(&format!("aria-labelledby=\"{id}-title {id}-desc\""))
            .unwrap_or_else(|| panic!("no {id}"));
        // The chart is followed by its data table, with a caption.
        let after = &html[at..];
        let svg_end = after.find("</svg>").expect("svg end");
        let table = after.find("<table").expect("a table after the chart");
        assert!(table > svg_end);
        assert!(after[table..].find("<caption").expect("caption") < 200);
    }
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<tr data-report-row=\"cutter\">"));
    if std::env::var_os("SBIZ_DUMP_REPORT").is_some() {
        std::fs::write(std::env::temp_dir().join("sbiz-report.html"), html).expect("dump");
    }
    assert!(html.contains("4.0%"), "cutter's utilisation is written out");
    assert!(html.contains("이용자 수"));
    assert!(html.contains("action=\"/api/admin/reports\""));
    assert!(html.contains("name=\"from\"") && html.contains("value=\"2026-03\""));
    for t in [
        "total",
        "equipment",
        "facilities",
        "months",
        "weekdays",
        "hours",
        "programmes",
        "surveys",
    ] {
        assert!(
            html.contains(&format!("data-csv=\"report-{t}\"")),
            "CSV link for {t}"
        );
    }
    assert!(!html.contains("시험1") && !html.contains("010-"));
    // The dashboard links to it.
    let mut req = admin(get("/api/admin/dashboard"), CITY_TOKEN);
    req.headers_mut()
        .insert("accept", "text/html".parse().expect("header"));
    let dash = send(&app.router, req).await;
    assert!(dash.text.contains("href=\"/api/admin/reports\""));
}

#[tokio::test]
async fn each_table_downloads_as_csv() {
    let app = app_with_fixture().await;
    let csv = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move {
            send(
                &app.router,
                admin(get(&format!("/api/admin/reports.csv?{q}")), CITY_TOKEN),
            )
            .await
        }
    };
    let res = csv("table=equipment&from=2026-03&to=2026-03").await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.headers["content-disposition"]
            .to_str()
            .expect("header")
            .contains("usage-equipment-2026-03-2026-03.csv")
    );
    let lines: Vec<&str> = res.text.lines().collect();
    assert!(
        lines[0]
            .starts_with("\u{feff}장비ID,장비,시설,운영 시간(시간),예약된 시간(시간),이용률(%)")
    );
    let cutter = lines
        .iter()
        .find(|l| l.starts_with("cutter,"))
        .expect("cutter row");
    assert!(
        cutter.ends_with(",176.0,7.0,4.0,6,1,0,0,0,1,1,2,1,33.3,4"),
        "{cutter}"
    );
    // The summary, with its period, as on the page.
    let total = csv("table=total&from=2026-03").await.text;
    assert_eq!(
        total,
        "\u{feff}기간,운영 시간(시간),예약된 시간(시간),이용률(%),예약 건수,취소,신청자 취소,\
         담당자 취소,휴관·사용 중지로 취소,취소(기록 없음),반려,이용 완료,예약 부도,\
         예약 부도율(%),이용자 수,처리하지 않은 지난 예약\r\n\
         2026-03-01 ~ 2026-03-31,554.0,11.0,2.0,8,1,0,0,0,1,1,3,1,25.0,5,0\r\n"
    );
    // An hour's row names the hour it covers.
    let hours = csv("table=hours&from=2026-03").await.text;
    assert!(hours.contains("\r\n09~10시,62.0,2.5,"), "{hours}");
    let weekdays = csv("table=weekdays&from=2026-03").await.text;
    assert!(weekdays.contains("\r\n화요일,"), "{weekdays}");
    let programmes = csv("table=programmes&from=2026-03").await.text;
    assert!(programmes.contains("laser-safety,"), "{programmes}");
    // 정원 2, 신청 3, 수강 확정 2 (충원율 100 %), 대기 1, 취소 0, 미선정 0,
    // 수료 1, 불참 1, 출석률 50 %.
    assert!(
        programmes.contains(",2,3,2,100.0,1,0,0,1,1,50.0"),
        "{programmes}"
    );
    let surveys = csv("table=surveys&from=2026-03").await.text;
    assert!(
        surveys.contains(",2,전반적으로 만족하셨나요?,2,4.50,5"),
        "{surveys}"
    );
    let bad = csv("table=people&from=2026-03").await;
    assert_eq!(bad.status, 422);
    let fashion = send(
        &app.router,
        admin(
            get("/api/admin/reports.csv?table=equipment&facility=guro-metal"),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(fashion.status, 403);
}

#[tokio::test]
async fn open_data_blanks_rows_with_fewer_than_three_people() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    fixture(&store).await;
    let catalog = catalog();
    let csv = sbiz_booking::ops::usage_open_data(store.clone(), &catalog, "2026-03")
        .await
        .expect("csv");
    let name = |id: &str| catalog.equipment(id).map(|e| e.name.clone()).expect("name");
    let fashion = catalog.facility("seoul-fashion").expect("f").name.clone();
    let guro = catalog.facility("guro-metal").expect("f").name.clone();
    let expected = format!(
        "\u{feff}month,facility,facility_name,equipment,equipment_name,open_hours,booked_hours,\
         utilisation_percent,bookings,cancellations,cancelled_by_applicant,cancelled_by_staff,\
         cancelled_for_closure,cancelled_unrecorded,no_shows,users,suppressed\r\n\
         2026-03,seoul-fashion,{fashion},cutter,{},176.0,7.0,4.0,6,1,0,0,0,1,1,4,false\r\n\
         2026-03,seoul-fashion,{fashion},laser,{},189.0,,,,,,,,,,,true\r\n\
         2026-03,guro-metal,{guro},lathe,{},189.0,,,,,,,,,,,true\r\n",
        name("cutter"),
        name("laser"),
        name("lathe"),
    );
    assert_eq!(csv, expected);
    // A month without bookings shows its zeros: nobody to tell apart.
    let april = sbiz_booking::ops::usage_open_data(store.clone(), &catalog, "2026-04")
        .await
        .expect("csv");
    assert!(
        april.contains(",cutter,") && april.contains(",0.0,0.0,0,0,0,0,0,0,0,0,false"),
        "{april}"
    );
    assert!(
        sbiz_booking::ops::usage_open_data(store, &catalog, "2026-4")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_command_writes_the_open_data_file() {
    let dir = std::env::temp_dir().join(format!("sbiz-usage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("booking.sqlite3");
    {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db).expect("store"));
        fixture(&store).await;
    }
    let catalog_path = dir.join("catalog.json");
    std::fs::write(&catalog_path, include_str!("../fixtures/catalog.json")).expect("catalog");
    let out = dir.join("public/data/usage-2026-03.csv");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_booking-fn"))
        .args(["usage-report", "--month", "2026-03", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .arg("--catalog")
        .arg(&catalog_path)
        .env_remove("SBIZ_TABLE")
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.starts_with("\u{feff}month,"));
    assert!(text.contains(",cutter,") && text.contains("176.0,7.0,4.0,6,1,0,0,0,1,1,4,false"));
    assert!(!text.contains("010-") && !text.contains("시험"));
    // A missing database is an error, not an empty report.
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_booking-fn"))
        .args(["usage-report", "--month", "2026-03", "--db"])
        .arg(dir.join("nothing.sqlite3"))
        .arg("--catalog")
        .arg(&catalog_path)
        .env_remove("SBIZ_TABLE")
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(!dir.join("nothing.sqlite3").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

async fn html_report(app: &App, query: &str) -> String {
    let mut req = admin(get(&format!("/api/admin/reports{query}")), CITY_TOKEN);
    req.headers_mut()
        .insert("accept", "text/html".parse().expect("header"));
    let page = send(&app.router, req).await;
    assert_eq!(page.status, 200, "{}", page.text);
    page.text
}

/// Days staff closed (임시 휴관 of a facility, 장비 사용 중지 of a machine)
/// are not open hours: a machine that could not be booked was not idle.
/// A closure over a holiday takes nothing twice; an English booking counts
/// like a Korean one.
#[tokio::test]
async fn closed_days_are_not_open_hours() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    fixture(&store).await;
    // cutter out of service Tue 3/17 (8 h); 구로 closed Wed 3/18 - Thu 3/19
    // (lathe 2 × 9 h); laser closed on the holidays 3/1 - 3/2 (nothing
    // more); cutter in April (outside the period).
    let mut guro = c::closure(None, "2026-03-18", "2026-03-19");
    guro.facility = c::id("guro-metal");
    for closure in [
        c::closure(Some("cutter"), "2026-03-17", "2026-03-17"),
        guro,
        c::closure(Some("laser"), "2026-03-01", "2026-03-02"),
        c::closure(Some("cutter"), "2026-04-01", "2026-04-03"),
    ] {
        store.create_closure(closure).await.expect("closure");
    }
    // An English booking (person 6), Tue 3/24 10:00-12:00 on cutter.
    let mut d = c::reservation("cutter", "2026-03-24", "10:00", 2, 6);
    d.reservation.lang = sbiz_booking::catalog::Lang::En;
    d.reservation.status = Confirmed;
    store
        .create_reservation(c::new_reservation(d))
        .await
        .expect("english booking");
    let app = app_with(store);
    let r = report(&app, "?from=2026-03&to=2026-03", CITY_TOKEN)
        .await
        .json();
    let eq = &r["equipment"];
    // cutter: 176 - 8 = 168 h open; booked 7 + 2 = 9 h; 7 bookings by
    // people 1-4 and 6.
    assert_eq!(
        figures(row(eq, "cutter")),
        ("168.0", "9.0", Some(5.4), 7, 1, 1, 2, 1, Some(33.3), 5)
    );
    assert_eq!(row(eq, "laser")["open_hours"], "189.0");
    assert_eq!(row(eq, "lathe")["open_hours"], "171.0");
    let fac = &r["facilities"];
    assert_eq!(row(fac, "seoul-fashion")["open_hours"], "357.0");
    assert_eq!(row(fac, "guro-metal")["open_hours"], "171.0");
    // 554 - 8 - 18 = 528 h; booked 11 + 2 = 13 h.
    assert_eq!(r["total"]["open_hours"], "528.0");
    assert_eq!(r["total"]["booked_hours"], "13.0");
    assert_eq!(r["total"]["utilisation"], 2.5);
    // Tuesdays: cutter 5 × 8 - 8, laser and lathe 5 × 9 each.
    assert_eq!(row(&r["weekdays"], "tue")["open_hours"], "122.0");
    // The facility's own report agrees with its row.
    let fashion = report(&app, "?from=2026-03", FASHION_TOKEN).await.json();
    assert_eq!(fashion["total"]["open_hours"], "357.0");
    // So does the open data.
    let csv = sbiz_booking::ops::usage_open_data(
        app.state.service().store.clone(),
        &catalog(),
        "2026-03",
    )
    .await
    .expect("csv");
    assert!(
        csv.contains(",cutter,") && csv.contains(",168.0,9.0,5.4,7,1,0,0,0,1,1,5,false"),
        "{csv}"
    );
}

/// 충원율 is seats taken ÷ capacity; a seat given back and taken by the
/// next on the waitlist counts once; staff turning an application down
/// (미선정) is not a cancellation (취소).
#[tokio::test]
async fn programme_fill_tells_cancellations_from_rejections() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    let codes = enrolled(&store, [21, 22, 23, 24]).await;
    // 21 cancels: 23 moves up. Staff turn 22 down: 24 moves up. Then 24
    // cancels too: nobody is waiting.
    for (code, to) in [
        (&codes[0], ApplicationStatus::Cancelled),
        (&codes[1], ApplicationStatus::Rejected),
        (&codes[3], ApplicationStatus::Cancelled),
    ] {
        store
            .set_application_status(
                code,
                StatusChange::new(
                    vec![ApplicationStatus::Enrolled, ApplicationStatus::Waitlisted],
                    to,
                    c::now(),
                ),
            )
            .await
            .expect("status");
    }
    let app = app_with(store);
    let r = report(&app, "?from=2026-03", CITY_TOKEN).await.json();
    let p = row_by_id(&r["programmes"], "laser-safety");
    assert_eq!(
        [
            &p["capacity"],
            &p["applicants"],
            &p["enrolled"],
            &p["waitlisted"],
            &p["cancelled"],
            &p["rejected"],
            &p["fill_rate"],
        ],
        [
            &Value::from(2),
            &Value::from(4),
            &Value::from(1),
            &Value::from(0),
            &Value::from(2),
            &Value::from(1),
            &Value::from(50.0),
        ],
        "{p}"
    );
    let html = html_report(&app, "?from=2026-03").await;
    assert!(html.contains("<td data-fill>50.0%</td>"), "{html}");
    assert!(html.contains("<td data-rejected>1명</td>"), "{html}");
    assert!(html.contains("충원율은 수강 확정을 정원으로 나눈 비율"));
}

/// Each measure has its definition beside it, visible without opening
/// anything; a period that reaches today says its figures still change;
/// wide tables scroll from the keyboard.
#[tokio::test]
async fn the_page_defines_each_measure_and_warns_of_an_unfinished_period() {
    // The app's clock: 2026-03-03.
    let app = app_with_fixture().await;
    let html = html_report(&app, "?from=2026-03").await;
    assert!(html.contains("data-report-future"), "{html}");
    assert!(html.contains("기간에 오늘(<time>2026-03-03</time>)과 그 뒤의 날이 들어 있어"));
    for definition in [
        "임시 휴관과 장비 사용 중지로 닫은 날은 빠집니다.",
        "예약 부도도 예약된 시간에 들어갑니다.",
        "신청자 취소는 신청자가 관리 링크나 내 예약·신청에서 취소한 예약",
        "아직 처리하지 않은 예약은 빠집니다.",
        "시설별·장비별 이용자 수를 더한 값보다 작을 수 있습니다.",
    ] {
        assert!(html.contains(definition), "no definition {definition:?}");
    }
    assert!(!html.contains("<details class=\"report-help\">"));
    assert!(html.contains(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-equipment-caption\">"
    ));
    assert!(html.contains("<caption id=\"table-equipment-caption\">"));
    // A chart keeps its size and scrolls sideways in a narrow window: it can
    // take the keyboard's focus, named by its section's heading.
    for t in ["equipment", "months", "weekdays", "hours"] {
        assert!(html.contains(&format!(
            "<figure class=\"report-chart\" tabindex=\"0\" aria-labelledby=\"report-{t}-title\">"
        )));
    }
    let february = html_report(&app, "?from=2026-02").await;
    assert!(!february.contains("data-report-future"));
}

/// The open data is published for months that have ended: an unfinished
/// month's figures would change after publication.
#[tokio::test]
async fn open_data_refuses_a_month_not_ended() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    let today = sbiz_booking::domain::kst_parts(jiff::Timestamp::now()).0;
    let this_month = today.to_string()[..7].to_owned();
    let next_year = format!("{}-01", today.year() + 1);
    for month in [this_month, next_year] {
        let res = sbiz_booking::ops::usage_open_data(store.clone(), &catalog(), &month).await;
        let err = res.expect_err(&month).to_string();
        assert!(err.contains("has not ended"), "{month}: {err}");
    }
}

/// Every breakdown (facility, equipment, month, weekday, hour) adds up to
/// the total, except the people, who count once however many rows they
/// are in.
#[tokio::test]
async fn every_breakdown_adds_up_to_the_total() {
    let app = app_with_fixture().await;
    let r = report(&app, "?from=2026-02&to=2026-03", CITY_TOKEN)
        .await
        .json();
    let minutes =
        |v: &Value| (v.as_str().expect("hours").parse::<f64>().expect("n") * 10.0).round() as u64;
    for table in ["facilities", "equipment", "months", "weekdays", "hours"] {
        let rows = r[table].as_array().expect("rows");
        for field in [
            "bookings",
            "cancellations",
            "cancelled_by_applicant",
            "cancelled_by_staff",
            "cancelled_for_closure",
            "cancelled_unrecorded",
            "rejections",
            "attended",
            "no_shows",
        ] {
            let sum: u64 = rows.iter().map(|x| x[field].as_u64().expect("n")).sum();
            assert_eq!(
                sum,
                r["total"][field].as_u64().expect("n"),
                "{table} {field}"
            );
        }
        // Who cancelled adds up to 취소, in every row.
        for x in rows.iter().chain([&r["total"]]) {
            let by: u64 = [
                "cancelled_by_applicant",
                "cancelled_by_staff",
                "cancelled_for_closure",
                "cancelled_unrecorded",
            ]
            .iter()
            .map(|f| x[*f].as_u64().expect("n"))
            .sum();
            assert_eq!(by, x["cancellations"].as_u64().expect("n"), "{table}");
        }
        for field in ["open_hours", "booked_hours"] {
            let sum: u64 = rows.iter().map(|x| minutes(&x[field])).sum();
            assert_eq!(sum, minutes(&r["total"][field]), "{table} {field}");
        }
    }
    // Person 1 booked in February and March: 5 people, not 6.
    let by_month: u64 = r["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m["users"].as_u64().expect("n"))
        .sum();
    assert_eq!((by_month, &r["total"]["users"]), (6, &Value::from(5)));
}

/// Survey answers count in the month they were sent in Korea time: 00:30 on
/// 1 March (still February in UTC) is March, 23:30 on 31 March is March.
#[tokio::test]
async fn survey_answers_fall_in_their_korean_month() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    for (rating, day, time) in [
        (2, "2026-03-01", "00:30"),
        (4, "2026-03-31", "23:30"),
        (1, "2026-04-01", "00:00"),
        (5, "2026-02-28", "23:59"),
    ] {
        store
            .submit_survey(SurveyResponse {
                survey: c::id("equipment-satisfaction"),
                subject: Subject::Reservation(ReservationCode::generate()),
                facility: Some(c::id("seoul-fashion")),
                answers: BTreeMap::from([("overall".to_owned(), Response::Rating(rating))]),
                submitted_at: kst_instant(c::date(day), c::time(time)),
            })
            .await
            .expect("survey");
    }
    let app = app_with(store);
    let r = report(&app, "?from=2026-03", CITY_TOKEN).await.json();
    let s = row_by_id(&r["surveys"], "equipment-satisfaction");
    assert_eq!(
        (&s["responses"], &s["ratings"][0]["average"]),
        (&Value::from(2), &Value::from(3.0))
    );
    assert_eq!(s["comments"], serde_json::json!([]));
}

/// The no-show rate leaves out bookings not marked yet; the page says how
/// many of them are 지난 예약 (their day is over), so the rate can be read
/// for what it is.
#[tokio::test]
async fn unmarked_past_bookings_are_counted_beside_the_no_show_rate() {
    let app = app_with_fixture().await;
    // 3/12: bookings 3 (3/10, 예약 확정) and 6 (3/4, 승인 대기) are past and
    // unmarked; the rest are marked, cancelled, rejected or to come.
    app.clock.set("2026-03-12T05:00:00Z".parse().expect("time"));
    let r = report(&app, "?from=2026-03", CITY_TOKEN).await.json();
    assert_eq!(r["unmarked_past"], 2);
    assert_eq!(r["total"]["no_show_rate"], 25.0);
    let html = html_report(&app, "?from=2026-03").await;
    assert!(
        html.contains("(처리하지 않은 지난 예약 <span data-unmarked>2건</span>)."),
        "{html}"
    );
    let guro = report(&app, "?from=2026-03&facility=guro-metal", CITY_TOKEN)
        .await
        .json();
    assert_eq!(guro["unmarked_past"], 0);
}

/// 취소 is split by who cancelled, as each path records it: the person
/// with the management link (신청자 취소), staff on the admin page (담당자
/// 취소), staff for a closure (휴관·사용 중지로 취소); the fixture's
/// cancellation was stored without it, as before it was recorded (기록 없음).
/// The page, its tables and both CSV files show the split, and the four add
/// up to 취소.
#[tokio::test]
async fn cancellations_are_split_by_who_cancelled() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("store"));
    fixture(&store).await;
    let app = app_with(store);
    // The app's day is 2026-03-03: three bookings of cutter to come.
    let mut made = Vec::new();
    for (day, start, who) in [
        ("2026-03-10", "13:00", 21),
        ("2026-03-10", "14:00", 22),
        ("2026-03-11", "10:00", 23),
    ] {
        let res = reserve(&app, booking("cutter", day, start, 1, who)).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let j = res.json();
        made.push((
            j["reservation"]["code"].as_str().expect("code").to_owned(),
            j["token"].as_str().expect("token").to_owned(),
        ));
    }
    let cancel = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{}/cancel", made[0].0),
            serde_json::json!({ "token": made[0].1 }),
        ),
    )
    .await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    let by_staff = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{}/status", made[1].0),
                serde_json::json!({ "status": "cancelled", "reason": "" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(by_staff.status, 200, "{}", by_staff.text);
    let closure = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/closures",
                serde_json::json!({ "target": "equipment:cutter", "from": "2026-03-11",
                    "to": "2026-03-11", "reason": "breakdown", "note": "" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(closure.status, 201, "{}", closure.text);
    let id = closure.json()["closure"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let bulk = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/closures/{id}/cancel-bookings"),
                serde_json::json!({}),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(bulk.status, 200, "{}", bulk.text);
    assert_eq!(bulk.json()["cancelled"][0]["code"], made[2].0.as_str());

    let r = report(&app, "?from=2026-03", CITY_TOKEN).await.json();
    let split = |u: &Value| {
        [
            "cancellations",
            "cancelled_by_applicant",
            "cancelled_by_staff",
            "cancelled_for_closure",
            "cancelled_unrecorded",
        ]
        .map(|f| u[f].as_u64().unwrap_or_else(|| panic!("{f} in {u}")))
    };
    assert_eq!(split(&r["total"]), [4, 1, 1, 1, 1]);
    assert_eq!(split(row(&r["equipment"], "cutter")), [4, 1, 1, 1, 1]);
    assert_eq!(split(row(&r["equipment"], "laser")), [0, 0, 0, 0, 0]);
    // Tuesday 3/10: the person's and staff's; Wednesday 3/11: the closure's.
    assert_eq!(split(row(&r["weekdays"], "tue")), [2, 1, 1, 0, 0]);
    assert_eq!(split(row(&r["weekdays"], "wed")), [1, 0, 0, 1, 0]);
    assert!(r.get("cancelled_in_closures").is_none());

    let html = html_report(&app, "?from=2026-03").await;
    assert!(
        html.contains(
            "<dd data-cancellations>신청자 취소 1건, 담당자 취소 1건, 휴관·사용 중지로 취소 1건, \
             기록 없음 <span data-cancelled-unrecorded>1건</span></dd>"
        ),
        "{html}"
    );
    assert!(html.contains("<dd data-bookings>11건 (취소 4건, 반려 1건)</dd>"));
    assert!(html.contains("기록 없음은 누가 취소했는지 기록하기 전에 취소한 예약입니다."));
    assert!(html.contains(
        "<th scope=\"col\">신청자 취소</th><th scope=\"col\">담당자 취소</th>\
         <th scope=\"col\">휴관·사용 중지로 취소</th><th scope=\"col\">취소(기록 없음)</th>"
    ));
    assert!(html.contains(
        "<td data-cancelled-by=\"applicant\">1건</td><td data-cancelled-by=\"staff\">1건</td>\
         <td data-cancelled-by=\"closure\">1건</td><td data-cancelled-by=\"unrecorded\">1건</td>"
    ));
    assert!(!html.contains("함께 들어가"));
    // Without a cancellation from before, nothing says 기록 없음.
    let guro = html_report(&app, "?from=2026-03&facility=guro-metal").await;
    assert!(guro.contains("<dd data-cancellations>신청자 취소 0건, 담당자 취소 0건, 휴관·사용 중지로 취소 0건</dd>"), "{guro}");
    assert!(!guro.contains("기록 없음"), "{guro}");

    let total = send(
        &app.router,
        admin(
            get("/api/admin/reports.csv?table=total&from=2026-03"),
            CITY_TOKEN,
        ),
    )
    .await
    .text;
    assert!(
        total.starts_with(
            "\u{feff}기간,운영 시간(시간),예약된 시간(시간),이용률(%),예약 건수,취소,신청자 취소,\
             담당자 취소,휴관·사용 중지로 취소,취소(기록 없음),반려,"
        ),
        "{total}"
    );
    assert!(total.contains(",11,4,1,1,1,1,1,"), "{total}");
    let open = sbiz_booking::ops::usage_open_data(
        app.state.service().store.clone(),
        &catalog(),
        "2026-03",
    )
    .await
    .expect("csv");
    assert!(
        open.contains(
            "bookings,cancellations,cancelled_by_applicant,cancelled_by_staff,\
             cancelled_for_closure,cancelled_unrecorded,no_shows,"
        ),
        "{open}"
    );
    assert!(open.contains(",9,4,1,1,1,1,1,"), "{open}");
}

/// `whos` apply to the laser-safety course (capacity 2, waitlist 2) in
/// order; their application codes.
async fn enrolled(
    store: &Arc<dyn Store>,
    whos: impl IntoIterator<Item = u32>,
) -> Vec<ApplicationCode> {
    let mut codes = Vec::new();
    for who in whos {
        let a = store
            .apply(c::enrol("laser-safety", who, 2, 2))
            .await
            .expect("apply");
        codes.push(a.record.code);
    }
    codes
}
