//! Turning results into answers: JSON or a Korean page, errors with codes,
//! logs without personal data, security headers.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::{AppState, html, input};
use crate::{Code, Error};

/// How to answer one request.
pub struct Ctx {
    pub html: bool,
    /// A same-site page to go back to (the form's page).
    pub back: Option<String>,
    /// The site's theme, for HTML answers.
    pub theme: Option<std::sync::Arc<super::theme::Theme>>,
    /// The form to show again, with what was sent, when the answer is an error.
    pub echo: Option<Echo>,
}

/// A form and the values that were sent with it.
pub struct Echo {
    pub form: sbiz_presentation::forms::FormView,
    pub values: crate::service::Fields,
}

impl Ctx {
    pub fn new(state: &AppState, headers: &HeaderMap) -> Ctx {
        let html = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        let back = headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .filter(|r| input::origin_of(r).is_some_and(|o| state.origin_allowed(o)))
            .map(str::to_owned);
        Ctx {
            html,
            back,
            theme: if html { state.theme() } else { None },
            echo: None,
        }
    }

    /// JSON answers only.
    pub fn json() -> Ctx {
        Ctx {
            html: false,
            back: None,
            theme: None,
            echo: None,
        }
    }

    pub fn finish(&self, result: Result<Response, Error>) -> Response {
        match result {
            Ok(r) => r,
            Err(e) => self.error(e),
        }
    }

    pub fn error(&self, e: Error) -> Response {
        log_error(&e);
        let status = StatusCode::from_u16(e.code().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if !self.html {
            return json_error(status, &e);
        }
        if let Some(theme) = &self.theme
            && let Some(page) =
                super::pages::error(theme, &e, self.echo.as_ref(), self.back.as_deref())
        {
            return (status, Html(page)).into_response();
        }
        (status, Html(html::error(&e, self.back.as_deref()))).into_response()
    }
}

fn log_error(e: &Error) {
    match e {
        Error::Rejected { code, .. } => tracing::info!(code = code.as_str(), "rejected"),
        other => {
            let mut chain = other.to_string();
            let mut src = std::error::Error::source(other);
            while let Some(s) = src {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                src = s.source();
            }
            tracing::error!(error = %chain, "failed");
        }
    }
}

pub fn json_error(status: StatusCode, e: &Error) -> Response {
    let fields = e.field_errors().cloned().unwrap_or_default();
    let body =
        json!({ "error": { "code": e.code().as_str(), "message": e.message(), "fields": fields } });
    (status, axum::Json(body)).into_response()
}

pub async fn not_found(headers: HeaderMap, state: axum::extract::State<AppState>) -> Response {
    Ctx::new(&state, &headers).error(Error::with_message(Code::NotFound, "없는 주소입니다."))
}

pub async fn method_not_allowed() -> Response {
    let e = Error::with_message(Code::NotFound, "이 주소에서는 지원하지 않는 방식입니다.");
    json_error(StatusCode::METHOD_NOT_ALLOWED, &e)
}

/// Logs method, route template, status and time: never the URL (it may
/// hold a management token) nor any body.
pub async fn log_and_secure(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "-".into());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"));
    if is_html {
        // Pages hold forms: with `no-referrer` browsers would send
        // `Origin: null` and the origin check would refuse the post. The
        // origin alone never carries a token (the URL's path and query do).
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin"),
        );
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        );
    }
    tracing::info!(
        method = %method, route = %route, status = res.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0, "request"
    );
    res
}
