//! 예약 변경 over HTTP: the management link moves a reservation to other
//! free slots, keeping its code; the rules, the deadline and the messages.

use std::sync::Arc;

use axum::http::StatusCode;
use sbiz_booking::catalog::MessageEvent;
use sbiz_booking::domain::{MessageStatus, ReservationCode, Subject};
use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;
use serde_json::json;

use crate::common::*;
use crate::support::record_page::{Booked, book, html_get, post_and_follow};

/// The 예약 변경 form of a page.
fn form_of(page: &str) -> &str {
    let start = page.find("data-reschedule ").expect("the 예약 변경 form");
    let end = page[start..].find("</form>").expect("its end");
    &page[start..start + end]
}

/// The (value, label) of each option of the select `id`, the "choose"
/// placeholder left out.
fn options(form: &str, id: &str) -> Vec<(String, String)> {
    let start = form
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("a select #{id} in {form}"));
    let end = form[start..].find("</select>").expect("its end");
    form[start..start + end]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| {
            let (value, rest) = o.split_once('"')?;
            let label = rest.split_once('>')?.1.split('<').next()?;
            (!value.is_empty()).then(|| (value.to_owned(), label.to_owned()))
        })
        .collect()
}

/// Person 1's reservation of the cutter on 5 March, 10:00-12:00, and
/// person 2's on 6 March at 14:00, the time a move may clash with.
async fn booked_beside_another(app: &App) -> Booked {
    let booked = book(app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    let other = reserve(app, booking("cutter", "2026-03-06", "14:00", 1, 2)).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);
    booked
}

#[tokio::test]
async fn the_holder_moves_a_reservation_keeping_its_code() {
    let store = Arc::new(SqliteStore::in_memory().expect("store"));
    let app = app_with(store.clone());
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let Booked { code, token, link } = booked_beside_another(&app).await;
    let uri = format!("/api/reservations/{code}/reschedule");

    // Into someone else's slot: refused, in Korean.
    let clash = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": token, "date": "2026-03-06", "start": "13:00", "slots": 2 }),
        ),
    )
    .await;
    assert_eq!(
        (clash.status, clash.error_code().as_str()),
        (StatusCode::CONFLICT, "slot_taken"),
        "{}",
        clash.text
    );
    assert!(clash.text.contains("다른 시간을 골라 주세요"));
    // The rules of a new booking: a closed hour, a wrong token.
    let lunch = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": token, "date": "2026-03-06", "start": "12:00", "slots": 1 }),
        ),
    )
    .await;
    assert_eq!(lunch.error_code(), "outside_hours", "{}", lunch.text);
    let wrong = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": "0".repeat(32), "date": "2026-03-06", "start": "09:00", "slots": 2 }),
        ),
    )
    .await;
    assert_eq!(wrong.error_code(), "not_found");

    // A free run: moved, same code, the old slots free again.
    let moved = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": token, "date": "2026-03-06", "start": "09:00", "slots": 2 }),
        ),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let r = &moved.json()["reservation"];
    assert_eq!(r["code"], code.as_str());
    assert_eq!(
        (r["date"].as_str(), r["start"].as_str()),
        (Some("2026-03-06"), Some("09:00"))
    );
    assert_eq!(r["cancel_until"], "2026-03-05 09:00");
    let avail = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-05"),
    )
    .await
    .json();
    assert!(
        avail["days"][0]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["free"] == true),
        "the old slots are free"
    );
    // The messages: the old reminder cancelled, a new one for the new day,
    // and 예약 변경 now.
    let code_v: ReservationCode = code.parse().unwrap();
    let msgs = store
        .messages_of(&Subject::Reservation(code_v))
        .await
        .expect("messages");
    let of = |e: MessageEvent, s: MessageStatus| {
        msgs.iter()
            .filter(|m| m.event == e && m.status == s)
            .count()
    };
    assert_eq!(
        of(MessageEvent::ReservationRescheduled, MessageStatus::Queued),
        2,
        "sms and e-mail"
    );
    assert_eq!(
        of(MessageEvent::ReservationReminder, MessageStatus::Cancelled),
        2
    );
    assert_eq!(
        of(MessageEvent::ReservationReminder, MessageStatus::Queued),
        2
    );
    assert!(
        msgs.iter()
            .filter(|m| m.event == MessageEvent::ReservationRescheduled)
            .all(|m| m.params.get("time").is_some_and(|t| t.contains("3월 6일"))),
        "the message names the new time"
    );

    // With JavaScript off: the management page offers the form; posting it
    // answers 303 to the page, which says what happened.
    let page = send(&app.router, html_get(&link)).await;
    assert!(page.text.contains("data-reschedule"), "{}", page.text);
    assert!(page.text.contains(&format!("action=\"{ORIGIN}{uri}\"")));
    // The date's example is the reservation's own (moved) date, never a
    // fixed day in the past.
    assert!(
        page.text.contains(
            r#"<p class="hint" id="reschedule-date-hint">예: <time>2026-03-06</time></p>"#
        ),
        "{}",
        page.text
    );
    // The booking form's controls and words: the start among the
    // equipment's slot starts and the duration in hours, the reservation's
    // own selected; never the editors' "예약 단위".
    let form = form_of(&page.text);
    assert_eq!(
        options(form, "reschedule-start"),
        [
            "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"
        ]
        .map(|s| (s.to_owned(), s.to_owned()))
    );
    assert_eq!(
        options(form, "reschedule-slots"),
        [
            ("1", "1시간"),
            ("2", "2시간"),
            ("3", "3시간"),
            ("4", "4시간")
        ]
        .map(|(v, l)| (v.to_owned(), l.to_owned()))
    );
    assert!(
        form.contains(r#"<option value="09:00" selected>"#),
        "{form}"
    );
    assert!(form.contains(r#"<option value="2" selected>2시간</option>"#));
    assert!(form.contains("<label for=\"reschedule-slots\">이용 시간"));
    assert!(!page.text.contains("예약 단위"), "{form}");
    assert!(
        !form.contains(r#"name="slots" value="#),
        "no free-text count"
    );
    // Refused (JavaScript off): the page again, with what was chosen and why.
    let refused = send(
        &app.router,
        post_form(
            &uri,
            &[
                ("token", &token),
                ("date", "2026-03-06"),
                ("start", "13:00"),
                ("slots", "2"),
            ],
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert!(
        refused.text.contains("예약을 바꾸지 못했습니다"),
        "{}",
        refused.text
    );
    let form = form_of(&refused.text);
    assert!(
        form.contains(r#"<option value="13:00" selected>"#),
        "what was chosen: {form}"
    );
    assert!(form.contains(r#"<option value="2" selected>"#));
    assert!(form.contains("value=\"2026-03-06\""));
    let (location, shown) = post_and_follow(
        &app,
        post_form(
            &uri,
            &[
                ("token", &token),
                ("date", "2026-03-06"),
                ("start", "10:00"),
                ("slots", "2"),
            ],
        ),
    )
    .await;
    assert!(location.ends_with("&result=moved"), "{location}");
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.text.contains("예약 시간을 바꿨습니다"),
        "{}",
        shown.text
    );
    assert!(shown.text.contains("10:00~12:00"));

    // Past the cancel deadline the holder can no longer move it, and the
    // page no longer offers the form.
    app.clock.set("2026-03-05T01:30:00Z".parse().unwrap()); // 10:30 KST the day before
    let late = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": token, "date": "2026-03-07", "start": "09:00", "slots": 1 }),
        ),
    )
    .await;
    assert_eq!(late.error_code(), "cancel_deadline_passed", "{}", late.text);
    let page = send(&app.router, html_get(&link)).await;
    assert!(!page.text.contains("data-reschedule"));
    // A cancelled reservation does not move.
    app.clock.set("2026-03-03T00:00:00Z".parse().unwrap());
    send(
        &app.router,
        post_json(
            &format!("/api/reservations/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    let gone = send(
        &app.router,
        post_json(
            &uri,
            json!({ "token": token, "date": "2026-03-07", "start": "09:00", "slots": 1 }),
        ),
    )
    .await;
    assert_eq!(gone.error_code(), "invalid_status");
}

#[tokio::test]
async fn staff_move_a_reservation_in_their_scope_after_the_deadline_too() {
    let app = app();
    let book = |body| {
        let app = &app;
        async move {
            let j = send(&app.router, post_json("/api/reservations", body))
                .await
                .json();
            j["reservation"]["code"].as_str().unwrap().to_owned()
        }
    };
    let cutter = book(booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    let lathe = book(booking("lathe", "2026-03-05", "10:00", 1, 2)).await;
    // Past the holder's deadline: staff may still move it.
    app.clock.set("2026-03-05T00:00:00Z".parse().unwrap()); // 09:00 KST on the day
    let body = json!({ "date": "2026-03-06", "start": "14:00", "slots": 2 });
    let moved = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{cutter}/reschedule"),
                body.clone(),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let r = &moved.json()["reservation"];
    assert_eq!(
        (r["code"].as_str(), r["start"].as_str()),
        (Some(cutter.as_str()), Some("14:00"))
    );
    // Outside the staff member's facility: not found.
    let other = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{lathe}/reschedule"),
                body.clone(),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(other.error_code(), "not_found");
    // The rules still apply: a time already past.
    let past = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{cutter}/reschedule"),
                json!({ "date": "2026-03-04", "start": "10:00", "slots": 1 }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(past.error_code(), "too_soon", "{}", past.text);
    // Without a token: unauthorized.
    let anon = send(
        &app.router,
        post_json(
            &format!("/api/admin/reservations/{cutter}/reschedule"),
            body,
        ),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_refused_move_shows_the_rule_at_its_field() {
    let app = app();
    let Booked { code, token, .. } = booked_beside_another(&app).await;
    let uri = format!("/api/reservations/{code}/reschedule");
    // (date, start, lang, the field, the summary's title): a taken slot,
    // a closed day (Sunday), a date that cannot be read, in Korean and in
    // English.
    let cases = [
        (
            "tomorrow",
            "10:00",
            "ko",
            "date",
            "예약을 바꾸지 못했습니다",
        ),
        (
            "2026-03-06",
            "14:00",
            "ko",
            "start",
            "예약을 바꾸지 못했습니다",
        ),
        (
            "2026-03-08",
            "10:00",
            "ko",
            "date",
            "예약을 바꾸지 못했습니다",
        ),
        (
            "2026-03-06",
            "14:00",
            "en",
            "start",
            "Your reservation could not be changed",
        ),
    ];
    for (date, start, lang, field, title) in cases {
        let mut pairs = vec![
            ("token", token.as_str()),
            ("date", date),
            ("start", start),
            ("slots", "1"),
        ];
        if lang == "en" {
            pairs.push(("lang", "en"));
        }
        let refused = send(&app.router, post_form(&uri, &pairs)).await;
        assert!(refused.status.is_client_error(), "{}", refused.text);
        let t = &refused.text;
        assert!(t.contains(title), "{t}");
        let summary = t
            .split("data-reschedule-error>")
            .nth(1)
            .and_then(|s| s.split("</div>").next())
            .unwrap_or_else(|| panic!("{field}: the summary in {t}"));
        // The summary links to the field, which holds the message and
        // says it is invalid; the summary does not repeat it as text.
        let link = format!("<li><a href=\"#reschedule-{field}\">");
        let message = summary
            .split(&link)
            .nth(1)
            .and_then(|m| m.split("</a>").next())
            .unwrap_or_else(|| panic!("{field}: a link to the field in {summary}"));
        assert!(!message.is_empty());
        assert!(!summary.contains(&format!("<p>{message}</p>")), "{summary}");
        let form = form_of(t);
        assert!(
            form.contains(&format!(
                "<p class=\"field-message\" id=\"reschedule-{field}-error\">"
            )) && form.contains(&format!("{message}</p>")),
            "{field}: {form}"
        );
        let control = form
            .split(&format!("id=\"reschedule-{field}\""))
            .nth(1)
            .and_then(|c| c.split('>').next())
            .unwrap_or_default();
        assert!(control.contains("aria-invalid=\"true\""), "{control}");
        assert!(
            control.contains(&format!(
                "aria-describedby=\"reschedule-{field}-hint reschedule-{field}-error\""
            )) || control.contains(&format!("aria-describedby=\"reschedule-{field}-error\"")),
            "{control}"
        );
        // Only that field is marked.
        assert_eq!(form.matches("aria-invalid").count(), 1, "{form}");
    }
}
