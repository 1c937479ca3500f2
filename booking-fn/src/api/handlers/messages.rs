//! Staff: a record's message history and the resend button
//! (`/api/admin/{reservations|applications}/{code}/messages…`). The
//! history shows event, channel, status, times and the last error, never
//! the text; see `service::messages` for what a resend sends.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::after_action::html_form;
use super::staff_auth::{scope, staff_action};
use crate::Result;
use crate::api::answer::{Answer, MessageView, MessagesAnswer};
use crate::api::reply::{Ctx, Reply};
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{OutboxMessage, Subject};
use crate::service::{RecordKind, error_korean, resendable};

fn kind_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Reservation => "reservation",
        RecordKind::Application => "application",
    }
}

/// Where a record's history lives.
fn history_path(kind: RecordKind, code: &str) -> String {
    let plural = match kind {
        RecordKind::Reservation => "reservations",
        RecordKind::Application => "applications",
    };
    format!("/api/admin/{plural}/{code}/messages")
}

fn view(kind: RecordKind, subject: &Subject, m: &OutboxMessage) -> MessageView {
    let code = subject_code(subject);
    MessageView {
        id: m.id.to_string(),
        event: m.event.as_str(),
        event_label: m.event.korean(),
        channel: m.channel.as_str(),
        channel_label: m.channel.korean(),
        status: m.status.as_str(),
        status_label: m.status.korean(),
        attempts: m.attempts,
        created_at: views::kst(m.created_at),
        updated_at: views::kst(m.updated_at),
        sent_at: m.sent_at.map(views::kst),
        last_error: m.last_error.clone(),
        error_label: m.last_error.as_deref().map(error_korean),
        resendable: resendable(m),
        resend_url: format!("{}/{}/resend", history_path(kind, &code), m.id),
    }
}

fn subject_code(subject: &Subject) -> String {
    match subject {
        Subject::Reservation(c) => c.to_string(),
        Subject::Application(c) => c.to_string(),
    }
}

async fn history(
    app: &AppState,
    headers: &HeaderMap,
    kind: RecordKind,
    code: &str,
    resent: Option<String>,
) -> Result<Reply> {
    let s = scope(app, headers).await?;
    let (subject, messages) = app.service().staff_messages(&s, kind, code).await?;
    let code = subject_code(&subject);
    let heading = match kind {
        RecordKind::Reservation => format!("예약 {code} 안내 발송 내역"),
        RecordKind::Application => format!("신청 {code} 안내 발송 내역"),
    };
    Ok(Reply::ok(Answer::Messages(Box::new(MessagesAnswer {
        heading,
        record_kind: kind_name(kind),
        messages: messages.iter().map(|m| view(kind, &subject, m)).collect(),
        page: history_path(kind, &code),
        code,
        resent,
        channels: app.channels().status(),
    }))))
}

async fn messages(
    app: AppState,
    ctx: Ctx,
    headers: HeaderMap,
    kind: RecordKind,
    code: String,
    q: crate::api::requests::Query,
) -> Response {
    // After a resend from the page: `?resent=<message id>` (hex only).
    let resent = q
        .get("resent")
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .cloned();
    ctx.reply(history(&app, &headers, kind, &code, resent).await)
}

pub(crate) async fn reservation_messages(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: crate::api::requests::Query,
) -> Response {
    messages(app, ctx, headers, RecordKind::Reservation, code, q).await
}

pub(crate) async fn application_messages(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: crate::api::requests::Query,
) -> Response {
    messages(app, ctx, headers, RecordKind::Application, code, q).await
}

async fn resend(
    app: AppState,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
    kind: RecordKind,
    code: String,
    id: String,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        // A form post must come from the site (Origin), and the session
        // cookie is SameSite=Strict: the staff actions' CSRF protection.
        app.input(&headers, body).await?;
        let (subject, queued) = app
            .service()
            .staff_resend(&m.scope, kind, &code, &id)
            .await?;
        app.service()
            .audit(
                &m,
                "message_resend",
                &subject_code(&subject),
                &format!("{} {}", queued.event.as_str(), queued.channel.as_str()),
            )
            .await;
        if html_form(&headers) {
            return Ok(Reply::see_other(&format!(
                "{}?resent={}",
                history_path(kind, &subject_code(&subject)),
                queued.id
            )));
        }
        Ok(Reply::created(Answer::StaffMessage {
            message: view(kind, &subject, &queued),
        }))
    }
    .await;
    // An error page links back to the history (the code as far as it
    // reads as one: it came in the path).
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    ctx.back_to(&history_path(kind, &code))
        .returning(ret)
        .reply(result)
}

pub(crate) async fn reservation_resend(
    State(app): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    resend(app, ctx, headers, body, RecordKind::Reservation, code, id).await
}

pub(crate) async fn application_resend(
    State(app): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    resend(app, ctx, headers, body, RecordKind::Application, code, id).await
}
