//! The messages booking events put in the outbox, through the HTTP API on
//! SQLite: by the channels the person chose among those the site sends by,
//! with the reminder and the survey invitation at their times, stopped by
//! a cancellation, staff decisions with their reason and waitlist
//! promotions; and, against a real SMTP server (aiosmtpd), the e-mail of a
//! booking made with JavaScript off whose management link works.

use std::sync::Arc;

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use sbiz_booking::catalog::{Catalog, Channel, MessageEvent};
use sbiz_booking::domain::{
    ApplicationCode, MessageStatus, OutboxMessage, ReservationCode, Subject, kst_instant,
};
use sbiz_booking::messaging::{Channels, dispatch_due};
use serde_json::{Value, json};

use crate::common::*;
use crate::support::pyserver;

/// The fixture app with the sample site's templates, sending by `channels`.
fn app_sending(channels: &[Channel]) -> App {
    let app = app();
    let mut c: Catalog = crate::messaging::catalog();
    c.messages.channels = channels.to_vec();
    app.state.set_catalog(Arc::new(c));
    app
}

async fn messages(app: &App, subject: Subject) -> Vec<OutboxMessage> {
    app.state
        .service()
        .store
        .messages_of(&subject)
        .await
        .expect("messages")
}

fn events(ms: &[OutboxMessage]) -> Vec<(MessageEvent, Channel, MessageStatus)> {
    let mut v: Vec<_> = ms.iter().map(|m| (m.event, m.channel, m.status)).collect();
    v.sort();
    v
}

fn kst(date: &str, time: &str) -> Timestamp {
    kst_instant(date.parse().expect("date"), time.parse().expect("time"))
}

fn form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("equipment", "cutter"),
        ("date", "2026-03-05"),
        ("start", "10:00"),
        ("slots", "2"),
        ("name", "김소공"),
        ("phone", "010-5555-0101"),
        ("business", "소공봉제"),
        ("consent", "on"),
        ("notify_asked", "1"),
    ];
    f.extend_from_slice(extra);
    f
}

/// The app's channels: e-mail to the SMTP server on `port` (links opened
/// with the app's secret, under the fixture's origin).
fn smtp_channels(app: &App, port: u16) -> Arc<Channels> {
    let smtp = sbiz_booking::messaging::smtp::SmtpSender::new(
        "127.0.0.1",
        port,
        sbiz_booking::messaging::smtp::SmtpTls::None,
        None,
        "소공인포털 <no-reply@sbiz.example.kr>",
    )
    .expect("smtp sender");
    Arc::new(
        Channels::none(app.state.config().secret.clone())
            .with(Arc::new(smtp))
            .with_public_base(ORIGIN),
    )
}

/// The reservation code in a 303's `Location`.
fn code_in(a: &Answer) -> ReservationCode {
    let loc = a.headers["location"].to_str().expect("location");
    let code = loc
        .split("/api/reservations/")
        .nth(1)
        .and_then(|s| s.split('?').next())
        .expect("a reservation page");
    code.parse().expect("code")
}

#[tokio::test]
async fn a_booking_queues_its_messages_by_the_chosen_channels_and_a_cancel_stops_the_reminder() {
    let app = app_sending(&[Channel::Sms, Channel::Email]);
    // 문자 only (the e-mail address is given but not chosen).
    let a = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[("email", "owner@example.kr"), ("notify_sms", "on")]),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let code = code_in(&a);
    let ms = messages(&app, Subject::Reservation(code)).await;
    use MessageEvent::*;
    use MessageStatus::Queued;
    assert_eq!(
        events(&ms),
        [
            (ReservationConfirmed, Channel::Sms, Queued),
            (ReservationReminder, Channel::Sms, Queued),
            (SurveyInvitation, Channel::Sms, Queued),
        ]
    );
    let due = |e| ms.iter().find(|m| m.event == e).expect("message").due;
    // The site's reminder: the day before at 10:00; the invitation at the
    // end of use.
    assert_eq!(due(ReservationReminder), kst("2026-03-04", "10:00"));
    assert_eq!(due(SurveyInvitation), kst("2026-03-05", "12:00"));
    let confirmed = ms.iter().find(|m| m.event == ReservationConfirmed).unwrap();
    assert_eq!(confirmed.params["code"], code.to_string());
    assert_eq!(confirmed.params["item"], "자동재단기");
    assert_eq!(confirmed.params["time"], "3월 5일(목) 10:00~12:00");
    let link = confirmed.link.as_ref().expect("a management link");
    assert_eq!(link.path, format!("/api/reservations/{code}?token="));
    assert!(link.sealed_token.is_some(), "the token is kept sealed");
    assert!(
        confirmed
            .params
            .values()
            .all(|v| !v.contains("김소공") && !v.contains("5555") && !v.contains("owner@")),
        "no personal data in a message: {:?}",
        confirmed.params
    );

    // Both channels, then the person cancels: the reminder and the
    // invitation are cancelled, the cancellation is queued.
    let b = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[
                ("start", "14:00"),
                ("phone", "010-5555-0102"),
                ("email", "owner2@example.kr"),
                ("notify_sms", "on"),
                ("notify_email", "on"),
            ]),
        ),
    )
    .await;
    assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.text);
    let code = code_in(&b);
    let before = messages(&app, Subject::Reservation(code)).await;
    assert_eq!(before.len(), 6, "{:?}", events(&before));
    let r = app
        .state
        .service()
        .store
        .reservation(&code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.person.as_ref().unwrap().notify.as_str(), "sms,email");
    let token = reveal_token(&app, &before).await;
    let c = send(
        &app.router,
        post_json(
            &format!("/api/reservations/{code}/cancel"),
            json!({ "token": token }),
        ),
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let after = messages(&app, Subject::Reservation(code)).await;
    let status_of = |e, ch| {
        after
            .iter()
            .find(|m| m.event == e && m.channel == ch)
            .map(|m| m.status)
    };
    for ch in [Channel::Sms, Channel::Email] {
        assert_eq!(
            status_of(ReservationReminder, ch),
            Some(MessageStatus::Cancelled)
        );
        assert_eq!(
            status_of(SurveyInvitation, ch),
            Some(MessageStatus::Cancelled)
        );
        assert_eq!(status_of(ReservationCancelled, ch), Some(Queued));
        // The confirmation not sent yet is not sent at all: the person
        // hears only that the booking is cancelled.
        assert_eq!(
            status_of(ReservationConfirmed, ch),
            Some(MessageStatus::Cancelled)
        );
    }
}

/// The token a queued message's link opens to (the dispatcher's view).
async fn reveal_token(app: &App, ms: &[OutboxMessage]) -> String {
    let m = ms
        .iter()
        .find(|m| m.link.as_ref().is_some_and(|l| l.sealed_token.is_some()))
        .expect("a sealed link");
    let opened = m
        .link
        .as_ref()
        .unwrap()
        .open(&app.state.config().secret, &m.id)
        .expect("opens");
    opened.rsplit("token=").next().expect("token").to_owned()
}

#[tokio::test]
async fn e_mail_chosen_without_an_address_keeps_what_was_typed() {
    let app = app_sending(&[Channel::Sms, Channel::Email]);
    let a = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[("notify_email", "on"), ("notify_sms", "on")]),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
    assert!(
        a.text
            .contains("이메일로 안내를 받으시려면 이메일 주소를 적어 주세요."),
        "{}",
        a.text
    );
    assert!(a.text.contains("value=\"김소공\""), "the name is kept");
    // Both boxes come back ticked.
    assert_eq!(
        a.text.matches("value=\"on\" checked").count(),
        3,
        "{}",
        a.text
    );
}

#[tokio::test]
async fn a_site_that_sends_nothing_queues_nothing_and_its_forms_say_so() {
    let app = app_sending(&[]);
    let a = reserve(&app, booking("cutter", "2026-03-05", "10:00", 2, 1)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let code: ReservationCode = a.json()["reservation"]["code"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(messages(&app, Subject::Reservation(code)).await.is_empty());
    // A form shown again says that nothing is sent, and offers no choice.
    let bad = send(
        &app.router,
        post_form("/api/reservations", &[("equipment", "cutter")]),
    )
    .await;
    assert!(
        bad.text.contains("안내 문자나 이메일은 보내지 않으니"),
        "{}",
        bad.text
    );
    assert!(!bad.text.contains("notify_sms"));
    // And one that sends only 문자 offers only 문자.
    let app = app_sending(&[Channel::Sms]);
    let bad = send(
        &app.router,
        post_form("/api/reservations", &[("equipment", "cutter")]),
    )
    .await;
    assert!(bad.text.contains("name=\"notify_sms\""), "{}", bad.text);
    assert!(!bad.text.contains("name=\"notify_email\""));
    assert!(!bad.text.contains("안내 문자나 이메일은 보내지 않으니"));
}

#[tokio::test]
async fn staff_decisions_carry_their_reason_and_a_promotion_is_messaged() {
    let app = app_sending(&[Channel::Sms, Channel::Email]);
    // 선반 needs staff approval: received, then rejected with a reason.
    let a = reserve(&app, booking("lathe", "2026-03-05", "10:00", 2, 1))
        .await
        .json();
    assert_eq!(a["reservation"]["status"], "pending");
    let code: ReservationCode = a["reservation"]["code"].as_str().unwrap().parse().unwrap();
    let ms = messages(&app, Subject::Reservation(code)).await;
    assert!(
        ms.iter()
            .any(|m| m.event == MessageEvent::ReservationReceived),
        "{:?}",
        events(&ms)
    );
    let rejected = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{code}/status"),
                json!({ "status": "rejected", "reason": "장비 점검 일정과\n겹칩니다" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    let ms = messages(&app, Subject::Reservation(code)).await;
    let r = ms
        .iter()
        .find(|m| m.event == MessageEvent::ReservationRejected)
        .expect("the rejection");
    assert_eq!(r.params["reason"], "장비 점검 일정과 겹칩니다");
    assert!(
        ms.iter()
            .filter(|m| m.event == MessageEvent::ReservationReminder)
            .all(|m| m.status == MessageStatus::Cancelled)
    );
    // The admin page asks for the reason of a rejection or cancellation.
    let b = reserve(&app, booking("lathe", "2026-03-06", "10:00", 2, 2))
        .await
        .json();
    let code_b = b["reservation"]["code"].as_str().unwrap().to_owned();
    let mut page = admin(get("/api/admin/dashboard"), CITY_TOKEN);
    page.headers_mut().insert(
        axum::http::header::ACCEPT,
        axum::http::HeaderValue::from_static("text/html"),
    );
    let page = send(&app.router, page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text
            .contains(&format!("id=\"reason-{code_b}-rejected\" name=\"reason\"")),
        "{}",
        page.text
    );
    let by_form = send(
        &app.router,
        admin(
            post_form(
                &format!("/api/admin/reservations/{code_b}/status"),
                &[("status", "rejected"), ("reason", "정원 초과")],
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(by_form.status, StatusCode::SEE_OTHER, "{}", by_form.text);
    let ms = messages(&app, Subject::Reservation(code_b.parse().unwrap())).await;
    assert!(
        ms.iter()
            .any(|m| m.event == MessageEvent::ReservationRejected
                && m.params["reason"] == "정원 초과")
    );

    let too_long = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/reservations/{code}/status"),
                json!({ "status": "cancelled", "reason": "가".repeat(61) }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(too_long.error_code(), "invalid_input", "{}", too_long.text);

    // A programme: two seats, then the waitlist (position 1); the first
    // cancels and the one waiting hears of the promotion, by 문자 only
    // (no e-mail address given).
    let mut codes = Vec::new();
    for who in 1..=3u32 {
        let mut p = person(who);
        if who == 3 {
            p.remove("email");
        }
        let r = send(
            &app.router,
            post_json(
                "/api/programmes/laser-safety/applications",
                Value::Object(p),
            ),
        )
        .await
        .json();
        codes.push((
            r["application"]["code"]
                .as_str()
                .unwrap()
                .parse::<ApplicationCode>()
                .unwrap(),
            r["token"].as_str().unwrap().to_owned(),
        ));
    }
    let waiting = messages(&app, Subject::Application(codes[2].0)).await;
    let w = waiting
        .iter()
        .find(|m| m.event == MessageEvent::ProgrammeWaitlisted)
        .expect("waitlisted");
    assert_eq!(w.params["position"], "1");
    assert_eq!(w.channel, Channel::Sms);
    let enrolled = messages(&app, Subject::Application(codes[0].0)).await;
    assert!(
        enrolled
            .iter()
            .any(|m| m.event == MessageEvent::ProgrammeEnrolled && m.channel == Channel::Email)
    );
    assert!(
        enrolled
            .iter()
            .any(|m| m.event == MessageEvent::SurveyInvitation
                && m.due == kst("2026-03-12", "12:00")),
        "the invitation after the last session: {:?}",
        enrolled
            .iter()
            .map(|m| (m.event, m.due))
            .collect::<Vec<_>>()
    );
    let c = send(
        &app.router,
        post_json(
            &format!("/api/applications/{}/cancel", codes[0].0),
            json!({ "token": codes[0].1 }),
        ),
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let promoted = messages(&app, Subject::Application(codes[2].0)).await;
    let p: Vec<_> = promoted
        .iter()
        .filter(|m| m.event == MessageEvent::ProgrammePromoted)
        .collect();
    assert_eq!(p.len(), 1, "문자 only: {:?}", events(&promoted));
    assert_eq!(p[0].channel, Channel::Sms);
    assert_eq!(p[0].params["code"], codes[2].0.to_string());
    assert_eq!(p[0].link.as_ref().unwrap().path, "/my/");
}

#[tokio::test]
async fn a_booking_without_javascript_is_e_mailed_with_a_working_link_and_reminded_on_time() {
    let app = app_sending(&[Channel::Email]);
    let port = pyserver::free_port();
    let maildir =
        pyserver::cache_dir().join(format!("maildir-notify-{}-{port}", std::process::id()));
    let server = pyserver::smtp(port, &maildir);
    let channels = smtp_channels(&app, port);
    let a = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[("email", "owner@example.kr"), ("notify_email", "on")]),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let code = code_in(&a);
    let store = app.state.service().store.clone();
    let dispatch =
        |at: Timestamp| dispatch_due(store.clone(), channels.clone(), app.state.catalog(), at, 20);
    let now = app.state.service().now().at;
    let r = dispatch(now).await.expect("dispatch");
    assert_eq!(r.sent, 1, "{r:?}");
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("owner@example.kr"));
    assert!(mails[0].contains("예약이 확정되었습니다"), "{}", mails[0]);
    // The link in the mail opens the reservation.
    let prefix = format!("{ORIGIN}/api/reservations/{code}?token=");
    let start = mails[0].find(&prefix).expect("the management link") + ORIGIN.len();
    let path: String = mails[0][start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/?=&_-".contains(*c))
        .collect();
    let shown = send(&app.router, get(&path)).await;
    assert_eq!(shown.status, StatusCode::OK, "{path}: {}", shown.text);
    assert!(shown.text.contains(&code.to_string()));

    // Nothing more until the reminder's time (the day before, 10:00).
    let minute_before = kst("2026-03-04", "10:00") - SignedDuration::from_mins(1);
    assert_eq!(dispatch(minute_before).await.expect("dispatch").sent, 0);
    assert_eq!(
        dispatch(kst("2026-03-04", "10:00"))
            .await
            .expect("dispatch")
            .sent,
        1
    );
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.contains("이용 안내")), "{mails:?}");
    // The survey invitation once use has ended.
    assert_eq!(
        dispatch(kst("2026-03-05", "11:59"))
            .await
            .expect("dispatch")
            .sent,
        0
    );
    assert_eq!(
        dispatch(kst("2026-03-05", "12:00"))
            .await
            .expect("dispatch")
            .sent,
        1
    );
    let mails = pyserver::mails(&maildir);
    assert!(
        mails
            .iter()
            .any(|m| m.contains("/api/surveys/equipment-satisfaction?code=")),
        "{mails:?}"
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&maildir);
}

/// Issue 16: a job application reaches the employer by e-mail (with the
/// applicant's details and answers, read from the record when sent) and
/// the applicant hears of its receipt and of each status change.
#[tokio::test]
async fn a_job_application_reaches_the_employer_and_the_applicant_hears_each_step() {
    let app = app_sending(&[Channel::Sms, Channel::Email]);
    let port = pyserver::free_port();
    let maildir = pyserver::cache_dir().join(format!("maildir-job-{}-{port}", std::process::id()));
    let server = pyserver::smtp(port, &maildir);
    let channels = smtp_channels(&app, port);
    let mut body = person(7);
    body.remove("business");
    body.insert("notify".into(), json!("email"));
    body.insert(
        "fields".into(),
        json!({"intro": "본봉 3년 했습니다.", "experience": "1~3년", "start": "2026-03-16"}),
    );
    let a = send(
        &app.router,
        post_json(
            "/api/jobs/sewing-operator/applications",
            Value::Object(body),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let code: ApplicationCode = a.json()["application"]["code"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let ms = messages(&app, Subject::Application(code)).await;
    assert_eq!(
        events(&ms),
        [
            (
                MessageEvent::JobReceived,
                Channel::Email,
                MessageStatus::Queued
            ),
            (
                MessageEvent::JobToEmployer,
                Channel::Email,
                MessageStatus::Queued
            ),
        ]
    );
    assert!(
        ms.iter()
            .all(|m| m.params.values().all(|v| !v.contains("김소공"))),
        "the outbox keeps no personal data"
    );
    let now = app.state.service().now().at;
    let r = dispatch_due(
        app.state.service().store.clone(),
        channels.clone(),
        app.state.catalog(),
        now,
        10,
    )
    .await
    .expect("dispatch");
    assert_eq!(r.sent, 2, "{r:?}");
    let mails = pyserver::mails(&maildir);
    let employer = mails
        .iter()
        .find(|m| m.contains("hr@example.com"))
        .expect("the employer's copy");
    for part in [
        "이름: 김소공7",
        "휴대전화 번호: 010-5555-0007",
        "이메일: owner7@example.kr",
        "자기소개: 본봉 3년 했습니다.",
        "관련 경력: 1~3년",
        &code.to_string(),
    ] {
        assert!(employer.contains(part), "{part}: {employer}");
    }
    let receipt = mails
        .iter()
        .find(|m| m.contains("owner7@example.kr") && !m.contains("hr@example.com"))
        .expect("the applicant's receipt");
    assert!(receipt.contains("지원이 접수되었습니다"), "{receipt}");

    // Staff move it on: the applicant hears of it.
    let moved = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/applications/{code}/status"),
                json!({ "status": "interview" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let ms = messages(&app, Subject::Application(code)).await;
    let changed = ms
        .iter()
        .find(|m| m.event == MessageEvent::JobStatusChanged)
        .expect("status message");
    assert_eq!(changed.params["status"], "면접");
    assert_eq!(changed.channel, Channel::Email);
    server.stop();
    let _ = std::fs::remove_dir_all(&maildir);
}

/// Issue 17: a booking made from the English edition (`lang=en`) is
/// e-mailed in English, with the English name of the equipment and a
/// management link that opens the English page; the staff's Korean
/// decisions would keep Korean reasons, but the template is English.
#[tokio::test]
async fn an_english_booking_is_e_mailed_in_english_with_a_link_to_the_english_page() {
    let app = app();
    let mut c: Catalog = crate::messaging::catalog();
    c.messages.channels = vec![Channel::Email];
    for e in &mut c.equipment {
        if e.id.as_str() == "cutter" {
            e.name_en = Some("Automatic cutting machine".into());
        }
    }
    app.state.set_catalog(Arc::new(c));
    let port = pyserver::free_port();
    let maildir = pyserver::cache_dir().join(format!("maildir-en-{}-{port}", std::process::id()));
    let server = pyserver::smtp(port, &maildir);
    let channels = smtp_channels(&app, port);
    let a = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[
                ("email", "owner@example.kr"),
                ("notify_email", "on"),
                ("lang", "en"),
            ]),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let code = code_in(&a);
    let store = app.state.service().store.clone();
    let now = app.state.service().now().at;
    let r = dispatch_due(
        store.clone(),
        channels.clone(),
        app.state.catalog(),
        now,
        20,
    )
    .await
    .expect("dispatch");
    assert_eq!(r.sent, 1, "{r:?}");
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("Your reservation is confirmed."), "{mail}");
    assert!(
        mail.contains("Reservation confirmed: Automatic cutting machine"),
        "{mail}"
    );
    assert!(mail.contains("Thu 5 March, 10:00-12:00"), "{mail}");
    assert!(mail.contains("[Seoul Sogongin Portal]"), "{mail}");
    assert!(!mail.contains("예약이 확정되었습니다"), "{mail}");
    // The link opens the English management page.
    let prefix = format!("{ORIGIN}/api/reservations/{code}?lang=en&token=");
    let start = mail.find(&prefix).expect("the English management link") + ORIGIN.len();
    let path: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/?=&_-".contains(*c))
        .collect();
    let shown = send(
        &app.router,
        axum::http::Request::get(&path)
            .header(axum::http::header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{path}: {}", shown.text);
    assert!(shown.text.contains("lang=\"en\""), "{}", shown.text);
    assert!(shown.text.contains("Automatic cutting machine"));
    // A Korean booking of the same catalog is still e-mailed in Korean.
    let k = send(
        &app.router,
        post_form(
            "/api/reservations",
            &form(&[
                ("email", "owner2@example.kr"),
                ("notify_email", "on"),
                ("phone", "010-5555-0202"),
                ("start", "14:00"),
            ]),
        ),
    )
    .await;
    assert_eq!(k.status, StatusCode::SEE_OTHER, "{}", k.text);
    let r = dispatch_due(store, channels, app.state.catalog(), now, 20)
        .await
        .expect("dispatch");
    assert_eq!(r.sent, 1, "{r:?}");
    let mails = pyserver::mails(&maildir);
    assert!(
        mails
            .iter()
            .any(|m| m.contains("owner2@example.kr") && m.contains("예약이 확정되었습니다")),
        "{mails:?}"
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&maildir);
}

/// Every string in a JSON answer of ministack (its lists of sent e-mails
/// and text messages), however it nests them.
fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings_in(v, out)),
        Value::Object(m) => m.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}

/// The texts ministack received at `path` that mention `code`.
fn received(port: u16, path: &str, code: &str) -> Vec<String> {
    let (status, body) = pyserver::http_get(port, path).expect("ministack answers");
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).expect("JSON");
    let mut all = Vec::new();
    strings_in(&json, &mut all);
    all.retain(|s| s.contains(code));
    all
}

/// A policy application's receipt by 문자 and e-mail repeats how and by
/// when to send the documents (`how_to_submit`, as the receipt page says
/// it), in the record's language, on a line of its own; a policy that asks
/// for none leaves no empty line; the 문자 stays within an LMS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_receipt_says_how_and_by_when_to_send_the_documents() {
    use sbiz_booking::catalog::{LMS_MAX_BYTES, sms_size};
    const KO: &str = "제출 서류는 3월 31일까지 이메일(smart@example.kr)로 보내 주세요. 메일 제목에 접수번호를 적어 주세요.";
    const EN: &str = "Send the documents by e-mail (smart@example.kr) by March 31. Please put your application number in the subject line.";
    let port = pyserver::free_port();
    let server = pyserver::ministack(port);
    let app = app_sending(&[Channel::Sms, Channel::Email]);
    let mut c: Catalog = (*app.state.catalog()).clone();
    let policy = c
        .policies
        .iter_mut()
        .find(|p| p.id.as_str() == "smart-factory")
        .expect("the fixture's policy");
    policy.how_to_submit = Some(KO.into());
    policy.how_to_submit_en = Some(EN.into());
    app.state.set_catalog(Arc::new(c));
    let channels = Arc::new(
        crate::messaging::ministack_channels(port, app.state.config().secret.clone()).await,
    );
    let dispatch = || {
        dispatch_due(
            app.state.service().store.clone(),
            channels.clone(),
            app.state.catalog(),
            app.state.service().now().at,
            20,
        )
    };
    let apply = |who: u32, lang: &str| {
        let mut body = person(who);
        body.insert("notify".into(), json!("sms,email"));
        body.insert(
            "fields".into(),
            json!({"plan": "자동재단기 도입", "workers": 3, "industry": "인쇄"}),
        );
        body.insert("lang".into(), json!(lang));
        post_json(
            "/api/policies/smart-factory/applications",
            Value::Object(body),
        )
    };
    let mut codes = Vec::new();
    for (who, lang) in [(61, "ko"), (62, "en")] {
        let a = send(&app.router, apply(who, lang)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        let code: ApplicationCode = a.json()["application"]["code"]
            .as_str()
            .expect("code")
            .parse()
            .expect("an application code");
        codes.push(code);
    }
    // In the outbox, with the record's language.
    for (code, text) in codes.iter().zip([KO, EN]) {
        let ms = messages(&app, Subject::Application(*code)).await;
        assert_eq!(ms.len(), 2, "{:?}", events(&ms));
        for m in &ms {
            assert_eq!(m.event, MessageEvent::PolicyReceived);
            assert_eq!(m.params["documents"], text);
        }
    }
    let r = dispatch().await.expect("dispatch");
    assert_eq!(r.sent, 4, "{r:?}");
    for ((code, text), (who, opening)) in codes.iter().zip([KO, EN]).zip([
        (61, "신청이 접수되었습니다. 접수번호"),
        (62, "has been received. Application number"),
    ]) {
        let code = code.to_string();
        let sms = received(
            port,
            &format!("/_ministack/sns/sms-messages?phoneNumber=%2B82105555{who:04}"),
            &code,
        );
        assert_eq!(sms.len(), 1, "{sms:?}");
        let lines: Vec<&str> = sms[0].lines().collect();
        assert_eq!(lines.len(), 3, "{}", sms[0]);
        assert!(
            lines[0].contains(opening) && lines[0].ends_with(&code),
            "{}",
            sms[0]
        );
        assert_eq!(lines[1], text);
        assert!(lines[2].starts_with(&format!("{ORIGIN}/api/applications/{code}?")));
        assert!(sms_size(&sms[0]).bytes <= LMS_MAX_BYTES);
        let mail = received(port, "/_ministack/ses/messages", &code);
        assert!(
            mail.iter().any(|m| m.contains(&format!("\n\n{text}\n\n"))),
            "{mail:?}"
        );
    }

    // A policy that asks for no documents: no empty line where they would be.
    let mut c: Catalog = (*app.state.catalog()).clone();
    for p in &mut c.policies {
        p.how_to_submit = None;
        p.how_to_submit_en = None;
    }
    app.state.set_catalog(Arc::new(c));
    let a = send(&app.router, apply(63, "ko")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let code = a.json()["application"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let r = dispatch().await.expect("dispatch");
    assert_eq!(r.sent, 2, "{r:?}");
    let sms = received(
        port,
        "/_ministack/sns/sms-messages?phoneNumber=%2B821055550063",
        &code,
    );
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(sms[0].lines().count(), 2, "{}", sms[0]);
    let mail = received(port, "/_ministack/ses/messages", &code);
    assert!(
        mail.iter()
            .any(|m| m.contains("지원사업: 소공인 스마트공방 지원\n\n신청 확인·취소: ")),
        "{mail:?}"
    );
    drop(server);
}
