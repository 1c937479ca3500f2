//! The staff session of the admin page: it lasts while it is used (30
//! minutes without a staff action or page load end it, reading the
//! session's state does not count; 9 hours from sign-in end it however
//! busy), and
//! signing in again after it ended goes back to the page asked for, with
//! its filters, never to another site and never replaying an action.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::SignedDuration;

use crate::common::*;

async fn sign_in(app: &App, next: Option<&str>) -> Answer {
    let mut pairs = vec![("token", FASHION_TOKEN)];
    if let Some(n) = next {
        pairs.push(("next", n));
    }
    send(&app.router, post_form("/api/admin/login", &pairs)).await
}

async fn cookie(app: &App) -> String {
    let a = sign_in(app, None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let set = a.headers[header::SET_COOKIE].to_str().expect("cookie");
    assert!(
        set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && set.contains("Path=/api/admin"),
        "{set}"
    );
    set.split(';').next().unwrap_or_default().to_owned()
}

/// `GET /api/admin/session` with the cookie: 200 while the session lives.
async fn alive(app: &App, cookie: &str) -> bool {
    let req = Request::get("/api/admin/session")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let a = send(&app.router, req).await;
    match a.status {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        s => panic!("{s}: {}", a.text),
    }
}

/// A page load of the admin page with the cookie (what keeps a session
/// alive): whether it was shown.
async fn work(app: &App, cookie: &str) -> bool {
    let a = send(&app.router, html_page("/api/admin/dashboard", cookie)).await;
    match a.status {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        s => panic!("{s}: {}", a.text),
    }
}

fn location(a: &Answer) -> &str {
    a.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location: {} {}", a.status, a.text))
}

#[tokio::test]
async fn activity_keeps_a_staff_session_alive_past_thirty_minutes() {
    let app = app();
    let c = cookie(&app).await;
    // Two hours of work, a request every 20 minutes.
    for _ in 0..6 {
        app.clock.advance(SignedDuration::from_mins(20));
        assert!(work(&app, &c).await, "at {}", app.state.service().now().at);
    }
    assert!(alive(&app, &c).await);
}

/// Reading the session's state (`GET /api/admin/session`, what a page left
/// open might poll) never extends it: only staff actions and page loads do.
#[tokio::test]
async fn polling_the_session_does_not_keep_it_alive() {
    let app = app();
    let c = cookie(&app).await;
    for _ in 0..29 {
        app.clock.advance(SignedDuration::from_mins(1));
        assert!(alive(&app, &c).await, "at {}", app.state.service().now().at);
    }
    app.clock.advance(SignedDuration::from_mins(1));
    assert!(
        !alive(&app, &c).await,
        "30 minutes after the last page load"
    );
    assert!(!work(&app, &c).await, "ended for pages too");
    // A page load does move it: polled for 29 minutes after one, it lives.
    let c = cookie(&app).await;
    app.clock.advance(SignedDuration::from_mins(20));
    assert!(work(&app, &c).await);
    app.clock.advance(SignedDuration::from_mins(29));
    assert!(
        alive(&app, &c).await,
        "49 minutes after sign-in, 29 after the page"
    );
}

#[tokio::test]
async fn thirty_idle_minutes_end_a_staff_session() {
    let app = app();
    let c = cookie(&app).await;
    app.clock.advance(SignedDuration::from_mins(20));
    assert!(work(&app, &c).await);
    // 49 minutes after sign-in, 29 after the last request: still on.
    app.clock.advance(SignedDuration::from_mins(29));
    assert!(work(&app, &c).await);
    // A request within a minute of the last renewal moves nothing: the
    // session ends 30 minutes after that renewal.
    app.clock.advance(SignedDuration::from_secs(30));
    assert!(work(&app, &c).await);
    app.clock.advance(SignedDuration::from_secs(29 * 60 + 40));
    assert!(!alive(&app, &c).await, "30 idle minutes end it");
    // It stays ended: a later request does not bring it back.
    assert!(!work(&app, &c).await);
    assert!(!alive(&app, &c).await);
}

#[tokio::test]
async fn nine_hours_from_sign_in_end_a_staff_session_however_busy() {
    let app = app();
    let c = cookie(&app).await;
    for _ in 0..26 {
        app.clock.advance(SignedDuration::from_mins(20));
        assert!(work(&app, &c).await, "at {}", app.state.service().now().at);
    }
    // 8 h 40 min after sign-in; the last renewal stops at the cap.
    app.clock.advance(SignedDuration::from_mins(19));
    assert!(work(&app, &c).await, "8 h 59 min");
    app.clock.advance(SignedDuration::from_mins(1));
    assert!(!work(&app, &c).await, "the cap ends it even when active");
    // A new sign-in starts a new session.
    let fresh = cookie(&app).await;
    assert!(alive(&app, &fresh).await);
}

#[tokio::test]
async fn signing_in_after_the_session_ended_returns_to_the_page_with_its_filters() {
    let app = app();
    let c = cookie(&app).await;
    let wanted = "/api/admin/dashboard?status=pending&from=2026-03-03";
    assert_eq!(
        send(&app.router, html_page(wanted, &c)).await.status,
        StatusCode::OK
    );
    app.clock.advance(SignedDuration::from_mins(31));

    // A page asked for: the sign-in carries it, escaped.
    let ended = send(&app.router, html_page(wanted, &c)).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    let hidden = "name=\"next\" value=\"/api/admin/dashboard?status=pending&amp;from=2026-03-03\"";
    assert!(ended.text.contains(hidden), "{}", ended.text);
    // A wrong token shows the sign-in again, still carrying it.
    let wrong = send(
        &app.router,
        post_form("/api/admin/login", &[("token", "guess"), ("next", wanted)]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains(hidden), "{}", wrong.text);
    let back = sign_in(&app, Some(wanted)).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.text);
    assert_eq!(location(&back), wanted);

    // An action posted after the session ended: never done, and the
    // sign-in returns to the admin page with the form's filters.
    let code = reserve(&app, booking("cutter", "2026-03-05", "10:00", 1, 7))
        .await
        .json()["reservation"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let mut action = post_form(
        &format!("/api/admin/reservations/{code}/status"),
        &[
            ("status", "cancelled"),
            ("filter", "status=confirmed&facility=seoul-fashion"),
        ],
    );
    action
        .headers_mut()
        .insert(header::COOKIE, c.parse().expect("cookie"));
    let refused = send(&app.router, action).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.text);
    assert!(
        refused.text.contains(
            "name=\"next\" value=\"/api/admin/dashboard?status=confirmed&amp;facility=seoul-fashion\""
        ),
        "{}",
        refused.text
    );
    let list = send(
        &app.router,
        admin(get("/api/admin/reservations"), CITY_TOKEN),
    )
    .await
    .json();
    let held = list["reservations"]
        .as_array()
        .expect("reservations")
        .iter()
        .find(|r| r["code"] == code.as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_ne!(held["status"], "cancelled", "never replayed: {held}");
}

#[tokio::test]
async fn a_sign_in_never_returns_to_another_site() {
    let app = app();
    // A page of the admin page is a return target...
    let ok = sign_in(&app, Some("/api/admin/reports?month=2026-02")).await;
    assert_eq!(location(&ok), "/api/admin/reports?month=2026-02");
    // ...anything else goes to the admin page.
    for bad in [
        "https://evil.example/api/admin/dashboard",
        "//evil.example/api/admin/dashboard",
        "/\\evil.example",
        "/api/admin/../../evil",
        "/api/admin//evil.example",
        // Escaped dots and slashes are dots and slashes to a browser.
        "/api/admin/%2e%2e/%2e%2e/reservation/",
        "/api/admin/%2E%2e/%2e%2E/evil",
        "/api/admin/.%2e/evil",
        "/api/admin/%2f%2fevil.example",
        "/api/admin/%5C%5Cevil.example",
        "/api/reservations",
        "/api/admin/logout",
        "javascript:alert(1)",
    ] {
        let a = sign_in(&app, Some(bad)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{bad}");
        assert_eq!(location(&a), "/api/admin/dashboard", "{bad}");
        assert!(!a.text.contains("evil"), "{bad}");
    }
}

/// The hidden fields of the form of `html` that posts to `action`.
fn hidden_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form to {action}: {html}"));
    let form = &html[start..start + html[start..].find("</form>").expect("its end")];
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|input| {
            let attr = |name: &str| {
                let from = input.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                input[from..from + input[from..].find('"').expect("quote")].replace("&amp;", "&")
            };
            (attr("name"), attr("value"))
        })
        .collect()
}

/// Every admin form (not only the status buttons and bulk marks) carries
/// its return target: posted after the session ended, it is not done, and
/// the sign-in goes back to the page the form was on (the admin page with
/// its filters for the search), never to the form's action.
#[tokio::test]
async fn every_admin_form_returns_to_its_page_after_a_new_sign_in() {
    let app = app();
    let (code, _) = crate::staff_messages::failed_confirmation(&app).await;
    let made = send(
        &app.router,
        admin(
            post_json(
                "/api/admin/closures",
                serde_json::json!({ "target": "equipment:cutter", "from": "2026-03-05",
                                    "to": "2026-03-05", "reason": "breakdown", "note": "" }),
            ),
            FASHION_TOKEN,
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let closure = made.json()["closure"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let c = cookie(&app).await;
    let page = |path: String| {
        let req = html_page(&path, &c);
        async { send(&app.router, req).await.text }
    };
    let history = format!("/api/admin/reservations/{code}/messages");
    let closures = page("/api/admin/closures".into()).await;
    let dashboard = page("/api/admin/dashboard?status=pending".into()).await;
    let booking = page("/api/admin/bookings/new".into()).await;
    let training = page("/api/admin/trainings/new".into()).await;
    let messages = page(history.clone()).await;
    let resend = messages
        .split("action=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap_or_default())
        .find(|a| a.ends_with("/resend"))
        .unwrap_or_else(|| panic!("a resend button: {messages}"))
        .to_owned();
    let cases = [
        (
            &closures,
            "/api/admin/closures".to_owned(),
            "/api/admin/closures",
        ),
        (
            &closures,
            format!("/api/admin/closures/{closure}/cancel-bookings"),
            "/api/admin/closures",
        ),
        (
            &closures,
            format!("/api/admin/closures/{closure}/remove"),
            "/api/admin/closures",
        ),
        (
            &booking,
            "/api/admin/reservations".to_owned(),
            "/api/admin/bookings/new",
        ),
        (
            &training,
            "/api/admin/trainings".to_owned(),
            "/api/admin/trainings/new",
        ),
        (&messages, resend, history.as_str()),
        (
            &dashboard,
            "/api/admin/search".to_owned(),
            "/api/admin/dashboard?status=pending",
        ),
    ];
    let forms: Vec<_> = cases
        .iter()
        .map(|(html, action, _)| hidden_fields(html, action))
        .collect();
    app.clock.advance(SignedDuration::from_mins(31));
    for ((_, action, back), hidden) in cases.iter().zip(forms) {
        let mut pairs: Vec<(&str, &str)> = hidden
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // What staff would have typed (never replayed).
        pairs.extend([("q", "010-5555-0001"), ("reason", "event"), ("note", "x")]);
        let mut req = post_form(action, &pairs);
        req.headers_mut()
            .insert(header::COOKIE, c.parse().expect("cookie"));
        let refused = send(&app.router, req).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{action}: {}",
            refused.text
        );
        let hidden = format!("name=\"next\" value=\"{}\"", back.replace('&', "&amp;"));
        assert!(refused.text.contains(&hidden), "{action}: {}", refused.text);
        let again = sign_in(&app, Some(back)).await;
        assert_eq!(location(&again), *back, "{action}");
    }
    // Nothing was done: the closure and its booking are still there.
    let list = send(&app.router, admin(get("/api/admin/closures"), CITY_TOKEN))
        .await
        .json();
    assert_eq!(list["closures"][0]["id"], closure.as_str(), "{list}");
    assert_eq!(
        list["closures"][0]["bookings"].as_array().map(Vec::len),
        Some(1),
        "{list}"
    );
}

/// A request from the client address `ip`, as the server knows it.
fn from(ip: &str, req: Request<Body>) -> Request<Body> {
    let (mut parts, body) = req.into_parts();
    let peer: std::net::SocketAddr = format!("{ip}:50000").parse().expect("address");
    parts.extensions.insert(axum::extract::ConnectInfo(peer));
    Request::from_parts(parts, body)
}

#[tokio::test]
async fn wrong_staff_tokens_lock_the_client_out_for_a_while() {
    let app = app();
    let guesser = "203.0.113.7";
    let login = |token: &str| from(guesser, post_form("/api/admin/login", &[("token", token)]));
    // Ten wrong tokens, at the sign-in and as bearer tokens of the API...
    for i in 0..5 {
        let a = send(&app.router, login(&format!("guess-{i}"))).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.text);
        let a = send(
            &app.router,
            from(
                guesser,
                admin(get("/api/admin/session"), &format!("bearer-{i}")),
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.text);
    }
    // ...and that address is refused even the right token, both ways.
    let a = send(&app.router, login(FASHION_TOKEN)).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text);
    assert!(a.text.contains("관리자 토큰이 여러 번 틀려"), "{}", a.text);
    assert!(!a.headers.contains_key(header::SET_COOKIE));
    let a = send(
        &app.router,
        from(guesser, admin(get("/api/admin/session"), FASHION_TOKEN)),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text);
    assert_eq!(a.error_code(), "too_many_attempts");
    // Staff elsewhere sign in as usual.
    let a = send(
        &app.router,
        from(
            "198.51.100.2",
            post_form("/api/admin/login", &[("token", FASHION_TOKEN)]),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    // The lock ends with its window.
    app.clock.advance(SignedDuration::from_mins(15));
    let a = send(&app.router, login(FASHION_TOKEN)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
}
