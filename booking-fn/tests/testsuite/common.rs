//! Shared helpers for the HTTP tests: the fixture catalog, an app on a
//! fresh SQLite store with a fixed clock, and request shortcuts.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sbiz_booking::catalog::Catalog;
use sbiz_booking::domain::FixedClock;
use sbiz_booking::store::sqlite::SqliteStore;
use sbiz_booking::{AppConfig, AppState, StaffTokens, router};
use serde_json::Value;

pub const ORIGIN: &str = "https://sbiz.example.kr";
pub const CITY_TOKEN: &str = "city-staff-secret";
pub const FASHION_TOKEN: &str = "fashion-staff-secret";

pub fn catalog() -> Catalog {
    serde_json::from_str(include_str!("../fixtures/catalog.json")).expect("fixture catalog")
}

/// The fixture catalog with the sample site's message templates
/// (`content/messages.yaml`) and short name, as `sbiz build` puts them in.
pub fn catalog_with_messages() -> Catalog {
    use sbiz_booking::catalog::{
        Channel, MessageEvent, MessageTemplate, MessageText, Messages, Reminder,
    };
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default)]
        sms: String,
        email_subject: String,
        email_body: Option<String>,
        en: Option<E>,
    }
    #[derive(serde::Deserialize)]
    struct E {
        #[serde(default)]
        sms: String,
        email_subject: String,
        email_body: Option<String>,
    }
    let file: std::collections::BTreeMap<String, T> =
        serde_yaml::from_str(include_str!("../../../content/messages.yaml"))
            .expect("messages.yaml");
    let mut c = catalog();
    c.messages = Messages {
        site_name: "소공인포털".into(),
        site_name_en: Some("Seoul Sogongin Portal".into()),
        reminder: Some(Reminder {
            days_before: 1,
            at: "10:00".parse().expect("time"),
        }),
        channels: vec![Channel::Sms, Channel::Email],
        templates: file
            .into_iter()
            .map(|(event, t)| MessageTemplate {
                event: MessageEvent::parse(&event).expect("known event"),
                email_body: t.email_body.unwrap_or_else(|| t.sms.clone()),
                sms: t.sms,
                email_subject: t.email_subject,
                kakao_template: None,
                en: t.en.map(|e| MessageText {
                    email_body: e.email_body.unwrap_or_else(|| e.sms.clone()),
                    sms: e.sms,
                    email_subject: e.email_subject,
                }),
            })
            .collect(),
    };
    c
}

pub struct App {
    pub router: Router,
    pub state: AppState,
    pub clock: Arc<FixedClock>,
}

/// Tuesday 2026-03-03, 09:00 Korea time.
pub fn app() -> App {
    app_with(Arc::new(SqliteStore::in_memory().expect("store")))
}

pub fn app_with(store: Arc<dyn sbiz_booking::store::Store>) -> App {
    let clock = Arc::new(FixedClock::at_kst(
        "2026-03-03".parse().unwrap(),
        "09:00".parse().unwrap(),
    ));
    let staff = StaffTokens::parse(&format!(
        "*:{},seoul-fashion:{}",
        StaffTokens::hash_token(CITY_TOKEN),
        StaffTokens::hash_token(FASHION_TOKEN)
    ))
    .expect("tokens");
    let state = AppState::new(
        Arc::new(catalog()),
        store,
        clock.clone(),
        AppConfig {
            staff,
            extra_origins: vec!["http://localhost:1313".into()],
            public_base: None,
            secret: Default::default(),
            origin_secret: None,
        },
    );
    App {
        router: router(state.clone()),
        state,
        clock,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

pub async fn send(router: &Router, req: Request<Body>) -> Answer {
    use tower::ServiceExt;
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

pub fn post_json(uri: &str, body: Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A plain HTML form post from the site, as a browser sends it.
pub fn post_form(uri: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let body = serde_urlencoded::to_string(pairs).unwrap();
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .header(header::ORIGIN, ORIGIN)
        .header(header::REFERER, format!("{ORIGIN}/equipment/cutter/"))
        .body(Body::from(body))
        .unwrap()
}

pub fn admin(req: Request<Body>, token: &str) -> Request<Body> {
    let (mut parts, body) = req.into_parts();
    parts.headers.insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    Request::from_parts(parts, body)
}

pub fn person(n: u32) -> serde_json::Map<String, Value> {
    let v = serde_json::json!({
        "name": format!("김소공{n}"),
        "phone": format!("010-5555-{:04}", n),
        "business": format!("소공봉제{n}"),
        "email": format!("owner{n}@example.kr"),
        "consent": true,
    });
    v.as_object().unwrap().clone()
}

/// A reservation body for `who`.
pub fn booking(equipment: &str, date: &str, start: &str, slots: u32, who: u32) -> Value {
    let mut m = person(who);
    m.insert("equipment".into(), equipment.into());
    m.insert("date".into(), date.into());
    m.insert("start".into(), start.into());
    m.insert("slots".into(), slots.into());
    Value::Object(m)
}

/// Posts a reservation (JSON) as the public booking form's script does.
pub async fn reserve(app: &App, body: Value) -> Answer {
    send(&app.router, post_json("/api/reservations", body)).await
}

/// Signs in to the admin page with `token` and gives the session cookie
/// (`name=value`) to send with the next requests.
pub fn staff_cookie(app: &App, token: &str) -> impl std::future::Future<Output = String> {
    let router = app.router.clone();
    let token = token.to_owned();
    async move {
        let login = send(&router, post_form("/api/admin/login", &[("token", &token)])).await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
        login.headers[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A browser's GET of `uri` (HTML asked for) with `cookie`.
pub fn html_page(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}
