//! Pages in the site's theme (see [`super::theme`]): each answer is a JSON
//! value `answer` with a `kind` that `forms/answer.html` renders. When a
//! page cannot be rendered the caller falls back to [`super::html`].

use serde_json::{Value, json};

use super::reply::Echo;
use super::theme::Theme;
use crate::Error;

/// A fresh idempotency key for a form shown again.
pub fn new_idempotency_key() -> String {
    let mut b = [0u8; 16];
    crate::domain::random_bytes(&mut b);
    hex::encode(b)
}

/// Renders a page, or logs why not (never with personal data: template
/// errors name templates and variables only).
pub fn render(theme: &Theme, title: &str, url: &str, answer: &Value) -> Option<String> {
    match theme.page(title, url, answer) {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::error!(error = %e, "theme page failed; plain page instead");
            None
        }
    }
}

/// An error: the form again with what was typed and each problem at its
/// field, or a page that says what went wrong.
pub fn error(theme: &Theme, e: &Error, echo: Option<&Echo>, back: Option<&str>) -> Option<String> {
    match echo {
        Some(echo) => {
            let mut form = echo.form.clone();
            // The summary's title already says "check what you typed".
            let message = if e.is(crate::Code::InvalidInput) {
                ""
            } else {
                e.message()
            };
            form.fill(&echo.values, e.field_errors(), message);
            form.idempotency_key = Some(new_idempotency_key());
            let heading = match form.kind {
                "reservation" => format!("{} 예약하기", form.title),
                "programme" | "policy" => format!("{} 신청하기", form.title),
                _ => form.title.clone(),
            };
            let title = format!("입력 내용 확인: {heading}");
            let url = form.page_url.clone();
            render(
                theme,
                &title,
                &url,
                &json!({ "kind": if form.kind == "survey" { "survey" } else { "form" }, "heading": heading, "form": form, "code": e.code().as_str() }),
            )
        }
        None => {
            let fields: Vec<&String> = e
                .field_errors()
                .map(|f| f.values().collect())
                .unwrap_or_default();
            render(
                theme,
                "처리하지 못했습니다",
                "/",
                &json!({
                    "kind": "error",
                    "heading": "처리하지 못했습니다",
                    "message": e.message(),
                    "fields": fields,
                    "code": e.code().as_str(),
                    "back": back,
                }),
            )
        }
    }
}

/// A page with a message and an optional link back.
pub fn message(theme: &Theme, heading: &str, lead: &str, back: Option<&str>) -> Option<String> {
    render(
        theme,
        heading,
        "/",
        &json!({ "kind": "message", "heading": heading, "lead": lead, "back": back }),
    )
}
