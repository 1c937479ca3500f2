//! Turning a handler's result into the HTTP answer: JSON or a page of the
//! theme, errors with codes, logs without personal data, security headers.
//! Every handler ends in [`Ctx::reply`].

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use sbiz_catalog::{Date, Lang};

use super::answer::{self, Answer, Echo};
use super::state::AppState;
use super::theme::{PageEnv, Theme};
use super::{input, pages, staff_return};
use crate::{Code, Error};

/// How to answer one request: whether the client wants a page, where it
/// came from, and the form to show again when the answer is an error.
pub(crate) struct Ctx {
    html: bool,
    /// A same-site page to go back to (the form's page).
    back: Option<String>,
    /// The site's theme, for HTML answers (the built-in one when `None`).
    theme: Option<Arc<Theme>>,
    /// The base of links to the site.
    site: String,
    /// The form to show again, with what was sent, when the answer is an error.
    pub echo: Option<Echo>,
    /// The language of the answer: English when the request says `lang=en`
    /// (the query, or a field of the body: [`Ctx::read_lang`]), else Korean.
    pub lang: Lang,
    /// The date a page's hints give as an example: a week after the app's
    /// today (its clock).
    example_date: Date,
    /// The ways to an application already made, shown when the answer is
    /// `already_applied`.
    pub already: Option<answer::AlreadyApplied>,
    /// Where the admin page's sign-in goes afterwards when the answer is
    /// `unauthorized` (a checked path of the admin page, see
    /// [`staff_return`]).
    staff_return: Option<String>,
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
            site: state.base(),
            echo: None,
            lang: Lang::Ko,
            example_date: state.service().now().example_date(),
            already: None,
            staff_return: None,
        }
    }

    /// Sets where the sign-in shown for an ended session goes afterwards
    /// (ignored unless it is a path of the admin page).
    pub fn returning(mut self, target: Option<String>) -> Ctx {
        if let Some(t) = target.as_deref().and_then(staff_return::checked) {
            self.staff_return = Some(t.to_owned());
        }
        self
    }

    /// Where, in which language and on which day the answer's page is shown.
    fn env(&self) -> PageEnv<'_> {
        PageEnv {
            site: &self.site,
            lang: self.lang,
            example_date: self.example_date,
        }
    }

    /// Takes the answer's language from a request's fields (`lang=en` in a
    /// form or JSON body); any other value, or none, leaves it as it is.
    pub fn read_lang(&mut self, fields: &input::Fields) {
        if let Some(lang) = fields.get("lang").and_then(|l| lang_of(l)) {
            self.lang = lang;
        }
    }

    /// Where an error page's back link goes, whatever the `Referer` says:
    /// pages send only their origin (`strict-origin`), which would lead
    /// back to the site's home. Staff actions go back to their page.
    pub fn back_to(mut self, path: &str) -> Ctx {
        self.back = Some(path.to_owned());
        self
    }

    /// Answers in JSON whatever the client accepts (API-only routes).
    pub fn json_only(mut self) -> Ctx {
        self.html = false;
        self
    }

    /// Answers with a page whatever the client accepts (the admin page).
    pub fn page_only(mut self, state: &AppState) -> Ctx {
        self.html = true;
        self.theme = state.theme();
        self
    }

    /// Whether the answer will be a page.
    pub fn html(&self) -> bool {
        self.html
    }

    /// The one way a handler's result becomes a response.
    pub fn reply(self, result: Result<Reply, Error>) -> Response {
        match result {
            Ok(reply) => self.ok(reply),
            Err(e) => self.error(e),
        }
    }

    fn ok(&self, reply: Reply) -> Response {
        let mut res = match reply.body {
            Body::Answer(answer) => self.answer(reply.status, &answer),
            Body::Empty => reply.status.into_response(),
            Body::Text(content_type, text) => {
                let mut res = (reply.status, text).into_response();
                res.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                res
            }
        };
        let h = res.headers_mut();
        for (name, value) in reply.headers {
            // Several cookies may be set at once (one set, one cleared).
            if name == header::SET_COOKIE {
                h.append(name, value);
            } else {
                h.insert(name, value);
            }
        }
        if reply.replayed {
            // An answer given again for an idempotency key already used.
            h.insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        res
    }

    fn answer(&self, status: StatusCode, answer: &Answer) -> Response {
        if self.html
            && let Some(page) = pages::render(self.theme.as_deref(), answer, &self.env())
        {
            return (status, Html(page)).into_response();
        }
        match answer.json() {
            Some(body) => (status, axum::Json(body)).into_response(),
            None => (status, axum::Json(serde_json::Value::Null)).into_response(),
        }
    }

    pub fn error(mut self, e: Error) -> Response {
        log_error(&e);
        let status = StatusCode::from_u16(e.code().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if self.html
            && e.is(Code::Unauthorized)
            && let Some(next) = self.staff_return.take()
        {
            // The session ended: sign in again, then back to that page.
            self.echo = Some(Echo {
                form: sbiz_presentation::forms::admin_login_returning(&next),
                values: Default::default(),
            });
        }
        if self.html {
            let mut page = Answer::of_error(&e, self.echo.take(), self.back.take(), self.lang);
            if let Some(help) = self.already.take().filter(|_| e.is(Code::AlreadyApplied)) {
                page = page.with_already(help);
            }
            if let Some(page) = pages::render(self.theme.as_deref(), &page, &self.env()) {
                return (status, Html(page)).into_response();
            }
        }
        (status, axum::Json(answer::error_json(&e, self.lang))).into_response()
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut ctx = Ctx::new(state, &parts.headers);
        ctx.staff_return = staff_return::of_request(&parts.method, &parts.uri);
        if let Some(query) = parts.uri.query()
            && let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            && let Some(lang) = pairs
                .iter()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| lang_of(v))
        {
            ctx.lang = lang;
        }
        Ok(ctx)
    }
}

/// The language a `lang` value asks for: `en` is English, anything else
/// Korean.
fn lang_of(value: &str) -> Option<Lang> {
    Some(match Lang::from_code(value.trim()) {
        Some(Lang::En) => Lang::En,
        _ => Lang::Ko,
    })
}

/// What a handler answers: an [`Answer`] (JSON or page), a redirect or a
/// file, with its status and headers.
pub(crate) struct Reply {
    status: StatusCode,
    body: Body,
    replayed: bool,
    headers: Vec<(HeaderName, HeaderValue)>,
}

enum Body {
    Answer(Box<Answer>),
    Empty,
    Text(&'static str, String),
}

impl Reply {
    pub fn ok(answer: Answer) -> Reply {
        Reply::with_status(StatusCode::OK, answer)
    }

    pub fn created(answer: Answer) -> Reply {
        Reply::with_status(StatusCode::CREATED, answer)
    }

    pub fn with_status(status: StatusCode, answer: Answer) -> Reply {
        Reply {
            status,
            body: Body::Answer(Box::new(answer)),
            replayed: false,
            headers: Vec::new(),
        }
    }

    /// The same answer with another status (a page shown again after a
    /// mistake: 422).
    pub fn with_code(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }

    /// `303 See Other` (post/redirect/get); never to a `//`-relative place.
    pub fn see_other(location: &str) -> Reply {
        let reply = Reply {
            status: StatusCode::SEE_OTHER,
            body: Body::Empty,
            replayed: false,
            headers: Vec::new(),
        };
        match HeaderValue::from_str(location) {
            Ok(v) if !location.starts_with("//") => reply.header(header::LOCATION, v),
            _ => reply,
        }
    }

    /// A file to download (`text/csv`, `text/calendar`).
    pub fn file(content_type: &'static str, filename: &str, text: String) -> Reply {
        let reply = Reply {
            status: StatusCode::OK,
            body: Body::Text(content_type, text),
            replayed: false,
            headers: Vec::new(),
        };
        match HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
            Ok(v) => reply.header(header::CONTENT_DISPOSITION, v),
            Err(_) => reply,
        }
    }

    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Reply {
        self.headers.push((name, value));
        self
    }

    /// Marks an answer given again for an idempotency key already used.
    pub fn replayed(mut self, replayed: bool) -> Reply {
        self.replayed = replayed;
        self
    }
}

fn log_error(e: &Error) {
    match e {
        Error::Rejected { code, .. } => tracing::info!(code = code.as_str(), "rejected"),
        other => {
            let chain = sbiz_presentation::error_chain(other);
            tracing::error!(error = %chain, "failed");
        }
    }
}

fn json_error(status: StatusCode, e: &Error) -> Response {
    (status, axum::Json(answer::error_json(e, Lang::Ko))).into_response()
}

pub(crate) async fn not_found(ctx: Ctx) -> Response {
    ctx.error(Error::rejected(Code::NotFound, crate::Msg::NoSuchAddress))
}

pub(crate) async fn method_not_allowed() -> Response {
    let e = Error::rejected(Code::NotFound, crate::Msg::MethodNotAllowed);
    json_error(StatusCode::METHOD_NOT_ALLOWED, &e)
}

/// The headers every answer of the API carries: no MIME sniffing, no
/// referrer, and not stored unless the handler said how to cache it.
pub(crate) fn secure_headers(h: &mut axum::http::HeaderMap) {
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
}

/// Logs method, route template, status and time: never the URL (it may
/// hold a management token) nor any body.
pub(crate) async fn log_and_secure(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "-".into());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    secure_headers(h);
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
        // For browsers that do not read `frame-ancestors`, as the static
        // pages: no other site frames a page with a cancel or staff button.
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    tracing::info!(
        method = %method, route = %route, status = res.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0, "request"
    );
    res
}
