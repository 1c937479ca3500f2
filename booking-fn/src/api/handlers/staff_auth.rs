//! Who is staff: the bearer token of API clients or the admin page's
//! session, the sign-in and sign-out that open and end that session, and
//! its cookie.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use sbiz_presentation::forms;

use super::after_action::{DASHBOARD, clean_query};
use crate::api::answer::{Answer, Echo};
use crate::api::auth;
use crate::api::client::ClientAddress;
use crate::api::reply::{Ctx, Reply};
use crate::api::staff_return;
use crate::api::state::AppState;
use crate::service::{StaffMember, StaffScope};
use crate::{Error, Result};

/// The staff member's scope: from an `Authorization: Bearer` token (API
/// clients) or from the session cookie of the admin page.
pub(crate) async fn scope(app: &AppState, headers: &HeaderMap) -> Result<StaffScope> {
    staff(app, headers).await.map(|m| m.scope)
}

/// The staff member (scope and the entry's label, for the audit log): from
/// an `Authorization: Bearer` token or from the admin page's session.
pub(crate) async fn staff(app: &AppState, headers: &HeaderMap) -> Result<StaffMember> {
    staff_renewing(app, headers, true).await
}

/// [`staff`]; a session's idle expiry moves only when `renew` (a staff
/// action or page load, never a read of the session's state).
async fn staff_renewing(app: &AppState, headers: &HeaderMap, renew: bool) -> Result<StaffMember> {
    let staff = &app.config().staff;
    if headers.contains_key(header::AUTHORIZATION) {
        return staff.member_from_headers(headers);
    }
    let service = app.service();
    let entry = match auth::session_cookie(headers) {
        Some(cookie) if renew => service.staff_session_entry(cookie).await?,
        Some(cookie) => service.staff_session_entry_unrenewed(cookie).await?,
        None => None,
    };
    entry
        .and_then(|e| staff.member_of_entry(&app.config().secret, &e))
        .ok_or_else(|| {
            Error::with_message(
                crate::Code::Unauthorized,
                "로그인이 필요합니다. 관리자 토큰으로 다시 로그인해 주세요.",
            )
        })
}

/// The staff member of an action (a form posted with its body). When no
/// session is live, the form's return target is read (through the same
/// origin check as every form) so that the sign-in returns to the page the
/// form was on: `ret` is set, the action is never replayed. Every admin
/// form carries it: its page's address in `next` (checked by
/// [`staff_return::checked`]), or, on the admin page, its filters in
/// `filter`.
pub(crate) async fn staff_action(
    app: &AppState,
    headers: &HeaderMap,
    body: Body,
    ret: &mut Option<String>,
) -> Result<(StaffMember, Body)> {
    match staff(app, headers).await {
        Ok(m) => Ok((m, body)),
        Err(e) => {
            if e.is(crate::Code::Unauthorized)
                && let Ok(input) = app.input(headers, body).await
                && let Ok(fields) = input.fields()
            {
                let next = fields
                    .get(staff_return::FIELD)
                    .and_then(|n| staff_return::checked(n.trim()));
                *ret = Some(match next {
                    Some(page) => page.to_owned(),
                    None => {
                        let filter =
                            clean_query(fields.get("filter").map(String::as_str).unwrap_or(""));
                        staff_return::of_filter(&filter)
                    }
                });
            }
            Err(e)
        }
    }
}

/// The session's scope, for a page or client that checks whether it is
/// still signed in: reading it never extends the session.
pub(crate) async fn session(State(app): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let member = staff_renewing(&app, &headers, false).await;
    ctx.json_only().reply(member.map(|m| {
        let scope = match m.scope {
            StaffScope::All => "*".to_owned(),
            StaffScope::Facility(f) => f.to_string(),
        };
        Reply::ok(Answer::Scope { scope })
    }))
}

fn session_header(app: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if app.base().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/api/admin; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::SESSION_COOKIE
    ))
    .ok()
}

/// The admin page's sign-in: a token in the body (never in a URL) becomes a
/// session cookie, which lasts while it is used (see
/// [`crate::service::SESSION_SECONDS`]). The form's `next`, when it is a
/// page of the admin page, is where the sign-in goes afterwards.
pub(crate) async fn login(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    client: ClientAddress,
    body: Body,
) -> Response {
    let mut next: Option<String> = None;
    let result = async {
        let input = app.input(&headers, body).await?;
        let fields = input.fields()?;
        next = fields
            .get(staff_return::FIELD)
            .and_then(|n| staff_return::checked(n.trim()))
            .map(str::to_owned);
        let token = fields.get("token").map(|t| t.trim()).unwrap_or("");
        if token.is_empty() {
            return Err(Error::staff_field("token", "관리자 토큰을 입력해 주세요."));
        }
        app.service().staff_token_allowed(&client.0).await?;
        let Some(entry) = app.config().staff.entry(&app.config().secret, token) else {
            app.service().staff_token_failed(&client.0).await?;
            return Err(Error::staff_field(
                "token",
                "관리자 토큰이 올바르지 않습니다.",
            ));
        };
        let member = app
            .config()
            .staff
            .member_of_entry(&app.config().secret, &entry);
        let value = app.service().open_staff_session(entry).await?;
        tracing::info!("staff signed in");
        if let Some(m) = &member {
            app.service().audit(m, "login", "", "").await;
        }
        let res = Reply::see_other(next.as_deref().unwrap_or(DASHBOARD));
        Ok(
            match session_header(&app, &value, auth::SESSION_MAX_SECONDS) {
                Some(v) => res.header(header::SET_COOKIE, v),
                None => res,
            },
        )
    }
    .await;
    ctx.echo = Some(Echo {
        form: match &next {
            Some(n) => forms::admin_login_returning(n),
            None => forms::admin_login(),
        },
        values: Default::default(),
    });
    let result = result.map_err(|e| match e.code() {
        crate::Code::InvalidInput => {
            let mut e = e;
            if let Error::Rejected { code, .. } = &mut e {
                *code = crate::Code::Unauthorized;
            }
            e
        }
        _ => e,
    });
    ctx.reply(result)
}

pub(crate) async fn logout(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        app.input(&headers, body).await?;
        if let Some(cookie) = auth::session_cookie(&headers) {
            let member = staff(&app, &headers).await.ok();
            app.service().end_staff_session(cookie).await?;
            if let Some(m) = &member {
                app.service().audit(m, "logout", "", "").await;
            }
        }
        let res = Reply::see_other("/admin/");
        Ok(match session_header(&app, "", 0) {
            Some(v) => res.header(header::SET_COOKIE, v),
            None => res,
        })
    }
    .await;
    ctx.reply(result)
}
