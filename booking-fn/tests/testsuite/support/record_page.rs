//! A record made through the HTTP API and opened as its page, as the tests
//! of record pages start (`record_pages`, `reschedule`, `english`): a
//! reservation booked with JSON, or a form posted as a browser posts it and
//! the redirect followed; the code and the token read from the link.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::common::{Answer, App, ORIGIN, post_json, send};

/// A GET as a browser asks it (`Accept: text/html`) for a link or a
/// redirect's `Location` (the site's origin taken off).
pub fn html_get(location: &str) -> Request<Body> {
    Request::get(location.trim_start_matches(ORIGIN))
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap()
}

/// The code and the token in a record's management link or redirect
/// (`…/api/reservations/<code>?token=<token>&…`, or `/api/applications/`).
pub fn code_and_token(link: &str) -> (String, String) {
    let code = ["/api/reservations/", "/api/applications/"]
        .iter()
        .find_map(|p| link.split(p).nth(1))
        .and_then(|s| s.split('?').next())
        .unwrap_or_else(|| panic!("a record's link: {link}"))
        .to_owned();
    let token = link
        .split("token=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap_or_else(|| panic!("a token in {link}"))
        .to_owned();
    (code, token)
}

/// A reservation booked with JSON: its code, its token and its management
/// link (`/api/reservations/<code>?token=<token>`).
pub struct Booked {
    pub code: String,
    pub token: String,
    pub link: String,
}

/// Books `body` (as `common::booking` makes it) with JSON.
pub async fn book(app: &App, body: Value) -> Booked {
    let j = send(&app.router, post_json("/api/reservations", body))
        .await
        .json();
    let code = j["reservation"]["code"].as_str().unwrap().to_owned();
    let token = j["token"].as_str().unwrap().to_owned();
    let link = format!("/api/reservations/{code}?token={token}");
    Booked { code, token, link }
}

/// Posts a browser's form (`req`), which answers `303 See Other`: where
/// it points.
pub async fn post_redirected(app: &App, req: Request<Body>) -> String {
    let posted = send(&app.router, req).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// [`post_redirected`], then the page it points to, as a browser follows
/// it: (`Location`, page).
pub async fn post_and_follow(app: &App, req: Request<Body>) -> (String, Answer) {
    let location = post_redirected(app, req).await;
    let page = send(&app.router, html_get(&location)).await;
    (location, page)
}
