//! Staff and messages (issue 11, point 6): each record's message history
//! (event, channel, status, times, last error explained; never the text)
//! and the resend button, on the admin page (JavaScript off) and in the
//! staff API; and `/api/health` saying which channels send.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sbiz_booking::catalog::Channel;
use sbiz_booking::domain::{MessageStatus, Subject};
use sbiz_booking::messaging::{Channels, DispatchPolicy, dispatch_with, drain_due};
use serde_json::Value;

use crate::common::*;
use crate::support::pyserver;

/// A reservation of the fixture's `cutter` (facility seoul-fashion) whose
/// confirmation e-mail and 문자 failed for good (no channel configured,
/// one attempt allowed), and whose reminder is still queued.
pub(crate) async fn failed_confirmation(app: &App) -> (String, String) {
    app.state.set_catalog(Arc::new(crate::messaging::catalog()));
    let store = app.state.service().store.clone();
    let secret = app.state.config().secret.clone();
    let (code, token) = crate::messaging::booked(&*store, &secret).await;
    app.clock.set(crate::conformance::now());
    let once = DispatchPolicy {
        max_attempts: 1,
        ..DispatchPolicy::default()
    };
    let r = dispatch_with(
        store,
        Arc::new(Channels::none(secret)),
        app.state.catalog(),
        crate::conformance::now(),
        10,
        once,
    )
    .await
    .expect("dispatch");
    assert_eq!((r.claimed, r.failed), (2, 2), "{r:?}");
    (code.to_string(), token.reveal())
}

fn history_of(v: &Value) -> Vec<Value> {
    v["messages"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn health_says_which_channels_send() {
    let app = app();
    let h = send(&app.router, get("/api/health")).await.json();
    assert_eq!(
        h["channels"],
        serde_json::json!({"email": null, "sms": null, "kakao": null, "any": false})
    );
    let smtp = sbiz_booking::messaging::smtp::SmtpSender::new(
        "127.0.0.1",
        25,
        sbiz_booking::messaging::smtp::SmtpTls::None,
        None,
        "소공인포털 <no-reply@sbiz.example.kr>",
    )
    .expect("smtp sender");
    app.state.set_channels(Arc::new(
        Channels::none(app.state.config().secret.clone()).with(Arc::new(smtp)),
    ));
    let h = send(&app.router, get("/api/health")).await.json();
    assert_eq!(h["channels"]["email"], "smtp");
    assert_eq!(h["channels"]["sms"], Value::Null);
    assert_eq!(h["channels"]["any"], true);
    // The fixture site offers no channel: e-mail here is a mismatch, and
    // a site that offers e-mail only matches.
    assert_eq!(h["site_channels"], serde_json::json!([]));
    assert_eq!(h["channels_match_site"], false);
    let mut c = app.state.catalog().as_ref().clone();
    c.messages.channels = vec![sbiz_booking::catalog::Channel::Email];
    app.state.set_catalog(Arc::new(c));
    let h = send(&app.router, get("/api/health")).await.json();
    assert_eq!(h["site_channels"], serde_json::json!(["email"]));
    assert_eq!(h["channels_match_site"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_read_the_history_and_a_resend_goes_out_with_the_lookup_link() {
    let app = app();
    let (code, token) = failed_confirmation(&app).await;
    let path = format!("/api/admin/reservations/{code}/messages");

    // Without a token: refused.
    let anon = send(&app.router, get(&path)).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{}", anon.text);

    let h = send(&app.router, admin(get(&path), FASHION_TOKEN)).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.text);
    let v = h.json();
    assert_eq!(v["subject"]["kind"], "reservation");
    let ms = history_of(&v);
    assert_eq!(ms.len(), 3, "{v}");
    let email = ms
        .iter()
        .find(|m| m["channel"] == "email" && m["event"] == "reservation_confirmed")
        .expect("the confirmation e-mail");
    assert_eq!(email["status"], "failed");
    assert_eq!(email["status_label"], "발송 실패");
    assert_eq!(email["channel_label"], "이메일");
    assert_eq!(email["event_label"], "예약 확정");
    assert_eq!(email["last_error"], "channel_not_configured");
    assert!(
        email["error_label"]
            .as_str()
            .is_some_and(|l| l.contains("설정되어 있지 않습니다")),
        "{email}"
    );
    assert_eq!(email["resendable"], true);
    let reminder = ms
        .iter()
        .find(|m| m["event"] == "reservation_reminder")
        .expect("the reminder");
    assert_eq!(
        (
            reminder["status"].as_str(),
            reminder["resendable"].as_bool()
        ),
        (Some("queued"), Some(false))
    );
    // Never the text, the link, the address or the parameters.
    for secret_text in [
        "예약이 확정되었습니다",
        "p1@example.kr",
        "token",
        "자동재단기",
    ] {
        assert!(!h.text.contains(secret_text), "{secret_text}: {}", h.text);
    }

    // A queued message is not sent twice; an unknown id is not found.
    let queued = send(
        &app.router,
        admin(
            post_json(
                reminder["resend_url"].as_str().expect("url"),
                serde_json::json!({}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(queued.error_code(), "invalid_status", "{}", queued.text);
    let unknown = send(
        &app.router,
        admin(
            post_json(
                &format!("{path}/0123456789abcdef0123456789abcdef/resend"),
                serde_json::json!({}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);

    // The resend: a new message, same event and channel, due now.
    let resent = send(
        &app.router,
        admin(
            post_json(
                email["resend_url"].as_str().expect("url"),
                serde_json::json!({}),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(resent.status, StatusCode::CREATED, "{}", resent.text);
    let m = resent.json()["message"].clone();
    assert_eq!(
        (
            m["event"].as_str(),
            m["channel"].as_str(),
            m["status"].as_str()
        ),
        (Some("reservation_confirmed"), Some("email"), Some("queued"))
    );
    assert_ne!(m["id"], email["id"]);

    // It goes out through a real SMTP server, with the 예약 조회 link
    // instead of the management link (whose token is stored only hashed).
    let port = pyserver::free_port();
    let maildir = pyserver::cache_dir().join(format!("maildir-{}-{port}", std::process::id()));
    let server = pyserver::smtp(port, &maildir);
    let smtp = sbiz_booking::messaging::smtp::SmtpSender::new(
        "127.0.0.1",
        port,
        sbiz_booking::messaging::smtp::SmtpTls::None,
        None,
        "소공인포털 <no-reply@sbiz.example.kr>",
    )
    .expect("smtp sender");
    app.state.set_channels(Arc::new(
        Channels::none(app.state.config().secret.clone())
            .with(Arc::new(smtp))
            .with_public_base("https://sbiz.example.kr"),
    ));
    let r = drain_due(&app.state, None).await.expect("dispatch");
    assert_eq!((r.claimed, r.sent), (1, 1), "{r:?}");
    let mails = pyserver::mails(&maildir);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("https://sbiz.example.kr/reservation/"),
        "{}",
        mails[0]
    );
    assert!(!mails[0].contains(&token), "{}", mails[0]);
    assert!(mails[0].contains(&code), "{}", mails[0]);
    server.stop();
    let _ = std::fs::remove_dir_all(&maildir);

    let after = history_of(
        &send(&app.router, admin(get(&path), FASHION_TOKEN))
            .await
            .json(),
    );
    assert_eq!(after.len(), 4);
    let sent = after
        .iter()
        .find(|x| x["id"] == m["id"])
        .expect("the resend");
    assert_eq!(sent["status"], "sent");
    assert!(sent["sent_at"].is_string());
}

#[tokio::test]
async fn staff_of_another_facility_and_purged_records_cannot_resend() {
    let app = app();
    app.state.set_catalog(Arc::new(crate::messaging::catalog()));
    let store = app.state.service().store.clone();
    // A policy application (city-wide: no facility) with a failed message.
    let (a, token) = crate::conformance::application(
        sbiz_booking::domain::TargetKind::Policy,
        "smart-factory",
        3,
    );
    let code = a.code;
    let mut m = sbiz_booking::domain::NewMessage::new(
        sbiz_booking::catalog::MessageEvent::PolicyReceived,
        Channel::Sms,
        crate::conformance::now(),
    )
    .param("code", code.to_string());
    m.link = Some(sbiz_booking::domain::MessageLink::sealed(
        &app.state.config().secret,
        &m.id,
        format!("/api/applications/{code}?token="),
        &token,
    ));
    store
        .apply(sbiz_booking::store::NewApplication {
            application: a,
            token,
            admission: sbiz_booking::store::Admission::Open,
            idempotency: None,
            messages: vec![m],
            messages_when: Vec::new(),
        })
        .await
        .expect("application");
    let once = DispatchPolicy {
        max_attempts: 1,
        ..DispatchPolicy::default()
    };
    dispatch_with(
        store.clone(),
        Arc::new(Channels::none(app.state.config().secret.clone())),
        app.state.catalog(),
        crate::conformance::now(),
        10,
        once,
    )
    .await
    .expect("dispatch");
    let path = format!("/api/admin/applications/{code}/messages");
    // The fashion centre's staff do not see a city-wide policy's record.
    let other = send(&app.router, admin(get(&path), FASHION_TOKEN)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.text);
    let h = send(&app.router, admin(get(&path), CITY_TOKEN))
        .await
        .json();
    let ms = history_of(&h);
    assert_eq!(ms.len(), 1, "{h}");
    let url = ms[0]["resend_url"].as_str().expect("url").to_owned();
    let refused = send(
        &app.router,
        admin(post_json(&url, serde_json::json!({})), FASHION_TOKEN),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
    // City staff resend: an application's link is left out (no lookup page).
    let ok = send(
        &app.router,
        admin(post_json(&url, serde_json::json!({})), CITY_TOKEN),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    let subject = Subject::Application(code);
    let all = store.messages_of(&subject).await.expect("history");
    let new = all
        .iter()
        .find(|x| x.status == MessageStatus::Queued)
        .expect("queued");
    assert_eq!(new.link, None);
    assert_eq!(new.params.get("code"), Some(&code.to_string()));

    // After the purge there is no one to send to: refused.
    let purged = store
        .purge(
            "2027-06-01".parse().expect("date"),
            crate::conformance::now(),
        )
        .await
        .expect("purge");
    assert_eq!(purged.applications, 1);
    let after = send(
        &app.router,
        admin(post_json(&url, serde_json::json!({})), CITY_TOKEN),
    )
    .await;
    assert!(
        after.status == StatusCode::NOT_FOUND || after.error_code() == "invalid_status",
        "{} {}",
        after.status,
        after.text
    );
}

/// The admin page with JavaScript off: the dashboard links each record's
/// history; the history page lists the messages and a resend button,
/// which posts a plain form (the session cookie is SameSite=Strict and a
/// post from another origin is refused).
#[tokio::test]
async fn the_history_page_works_with_javascript_off() {
    let app = app();
    let (code, _) = failed_confirmation(&app).await;
    let login = send(
        &app.router,
        post_form("/api/admin/login", &[("token", FASHION_TOKEN)]),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
    let cookie = login
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    let page = |uri: &str| {
        Request::get(uri)
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookie.clone())
            .body(Body::empty())
            .unwrap()
    };
    let dash = send(&app.router, page("/api/admin/dashboard")).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.text);
    let link = format!("/api/admin/reservations/{code}/messages");
    assert!(
        dash.text.contains(&format!("href=\"{link}\"")),
        "{}",
        dash.text
    );

    let hist = send(&app.router, page(&link)).await;
    assert_eq!(hist.status, StatusCode::OK, "{}", hist.text);
    for text in [
        "안내 발송 내역",
        "예약 확정",
        "이메일",
        "문자",
        "발송 실패",
        "발송 대기",
        "설정되어 있지 않습니다",
        "다시 보내기",
        "예약 조회",
    ] {
        assert!(hist.text.contains(text), "{text}: {}", hist.text);
    }
    let action = hist
        .text
        .split("action=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or_default())
        .find(|a| a.ends_with("/resend"))
        .expect("a resend form")
        .to_owned();

    // From another site: refused, nothing queued.
    let mut foreign = post_form(&action, &[]);
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    foreign
        .headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    let refused = send(&app.router, foreign).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);

    let mut post = post_form(&action, &[]);
    post.headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    let done = send(&app.router, post).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let to = done.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.starts_with(&format!("{link}?resent=")), "{to}");
    let again = send(&app.router, page(&to)).await;
    assert!(
        again.text.contains("다시 보내도록 접수했습니다"),
        "{}",
        again.text
    );
    let queued = app
        .state
        .service()
        .store
        .messages_of(&Subject::Reservation(code.parse().expect("code")))
        .await
        .expect("history");
    assert_eq!(
        queued
            .iter()
            .filter(|m| m.status == MessageStatus::Queued)
            .count(),
        2
    );
}
