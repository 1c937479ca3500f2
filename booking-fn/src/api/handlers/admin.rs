//! Staff routes, behind a bearer token scoped to a facility or to all.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use sbiz_presentation::forms;

use crate::api::answer::{
    Action, AdminAnswer, AdminFilter, AdminJob, Answer, Choice, Echo, Pager, Row,
};
use crate::api::auth;
use crate::api::client::ClientAddress;
use crate::api::input::Fields;
use crate::api::reply::{Ctx, Reply};
use crate::api::requests;
use crate::api::requests::Query;
use crate::api::staff_return;
use crate::api::state::AppState;
use crate::api::views::{self, Named};
use crate::domain::{
    Application, ApplicationStatus, Reservation, ReservationStatus, Target, TargetKind,
};
use crate::service::{self, StaffMember, StaffScope};
use crate::store::{ApplicationFilter, ReservationFilter};
use crate::{Error, Msg, Result};
use sbiz_catalog::Date;

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

fn param<T>(
    q: &Query,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
    msg: Msg,
) -> Result<Option<T>> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(|| Error::field(name, msg)),
    }
}

/// The reservations' filter of the query; `today` (the app's) sets the
/// example of a date's error.
fn reservation_filter(q: &Query, today: Date) -> Result<ReservationFilter> {
    Ok(ReservationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            Msg::korean_only("시설 ID가 올바르지 않습니다."),
        )?,
        equipment: param(
            q,
            "equipment",
            |s| s.parse().ok(),
            Msg::korean_only("장비 ID가 올바르지 않습니다."),
        )?,
        status: param(
            q,
            "status",
            |s| ReservationStatus::parse(s).ok(),
            Msg::korean_only("알 수 없는 상태입니다."),
        )?,
        from: param(
            q,
            "from",
            |s| s.parse().ok(),
            requests::date_example_error(today),
        )?,
        to: param(
            q,
            "to",
            |s| s.parse().ok(),
            requests::date_example_error(today),
        )?,
    })
}

fn application_filter(q: &Query) -> Result<ApplicationFilter> {
    let kind = param(
        q,
        "kind",
        |s| TargetKind::parse(s).ok(),
        Msg::korean_only("programme, policy, job 중 하나여야 합니다."),
    )?;
    let target = param(
        q,
        "target",
        |s| s.parse().ok(),
        Msg::korean_only("대상 ID가 올바르지 않습니다."),
    )?;
    let target = match (kind, target) {
        (Some(kind), Some(id)) => Some(Target { kind, id }),
        (None, Some(_)) => {
            return Err(Error::staff_field(
                "kind",
                "target과 함께 kind를 지정해 주세요.",
            ));
        }
        _ => None,
    };
    Ok(ApplicationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            Msg::korean_only("시설 ID가 올바르지 않습니다."),
        )?,
        kind,
        target,
        status: param(
            q,
            "status",
            |s| ApplicationStatus::parse(s).ok(),
            Msg::korean_only("알 수 없는 상태입니다."),
        )?,
    })
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

/// The reservations the staff member may see, filtered by the query.
async fn staff_reservations(
    app: &AppState,
    headers: &HeaderMap,
    q: &Query,
) -> Result<Vec<Reservation>> {
    let s = scope(app, headers).await?;
    app.service()
        .staff_reservations(&s, reservation_filter(q, app.service().now().date)?)
        .await
}

/// The applications the staff member may see, filtered by the query.
async fn staff_applications(
    app: &AppState,
    headers: &HeaderMap,
    q: &Query,
) -> Result<Vec<Application>> {
    let s = scope(app, headers).await?;
    app.service()
        .staff_applications(&s, application_filter(q)?)
        .await
}

/// Longest reason staff may give (it goes into a text message).
const REASON_CHARS: usize = 60;

/// The optional `reason` of a staff decision (반려, 취소), sent to the
/// person in the message about it.
fn reason_field(fields: &Fields) -> Result<String> {
    let reason = fields
        .get("reason")
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if reason.chars().count() > REASON_CHARS {
        return Err(Error::staff_field(
            "reason",
            format!("사유는 {REASON_CHARS}자까지 적을 수 있습니다."),
        ));
    }
    crate::domain::check_text(&reason).map_err(|e| Error::field("reason", e.0))?;
    Ok(reason)
}

/// The `status` field of a staff form, parsed.
fn status_field<T>(fields: &Fields, parse: impl Fn(&str) -> Option<T>, msg: &str) -> Result<T> {
    fields
        .get("status")
        .and_then(|v| parse(v.trim()))
        .ok_or_else(|| Error::staff_field("status", msg))
}

pub(crate) async fn reservations(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let list = staff_reservations(&app, &headers, &q).await?;
        let cat = app.catalog();
        let now = app.service().now().at;
        let reservations = list
            .iter()
            .map(|r| views::reservation(&cat, r, now, true))
            .collect();
        Ok(Reply::ok(Answer::Reservations { reservations }))
    }
    .await;
    ctx.json_only().reply(result)
}

fn csv_reply(name: &str, body: String, app: &AppState) -> Reply {
    let date = app.service().now().date;
    Reply::file(
        "text/csv; charset=utf-8",
        &format!("{name}-{date}.csv"),
        body,
    )
}

pub(crate) async fn reservations_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let list = staff_reservations(&app, &headers, &q).await?;
        let now = app.service().now().at;
        Ok(csv_reply(
            "reservations",
            service::reservations_csv(&app.catalog(), &list, |r| {
                let ended = now >= crate::domain::kst_instant(r.run.date(), r.run.end());
                views::ShownStatus::of(r.status, ended).label(sbiz_catalog::Lang::Ko)
            }),
            &app,
        ))
    }
    .await;
    ctx.json_only().reply(result)
}

pub(crate) async fn reservation_status(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let s = m.scope.clone();
        let input = app.input(&headers, body).await?;
        let to = status_field(
            input.fields()?,
            |v| ReservationStatus::parse(v).ok(),
            "confirmed, rejected, cancelled, attended, no_show 중 하나여야 합니다.",
        )?;
        let reason = reason_field(input.fields()?)?;
        let r = app
            .service()
            .staff_set_reservation_status(&app.catalog(), &s, &code, to, &reason)
            .await?;
        app.service()
            .audit(&m, "reservation_status", &r.code.to_string(), to.as_str())
            .await;
        if html_form(&headers) {
            return Ok(back_to_dashboard(
                input.fields()?,
                &r.code.to_string(),
                &format!("reservation:{}", to.as_str()),
            ));
        }
        let reservation = views::reservation(&app.catalog(), &r, app.service().now().at, true);
        Ok(Reply::ok(Answer::StaffReservation { reservation }))
    }
    .await;
    ctx.back_to(DASHBOARD).returning(ret).reply(result)
}

pub(crate) async fn applications(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let list = staff_applications(&app, &headers, &q).await?;
        let cat = app.catalog();
        let now = app.service().now().at;
        let applications = list
            .iter()
            .map(|a| views::application(&cat, a, now, None, true))
            .collect();
        Ok(Reply::ok(Answer::Applications { applications }))
    }
    .await;
    ctx.json_only().reply(result)
}

pub(crate) async fn applications_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let list = staff_applications(&app, &headers, &q).await?;
        Ok(csv_reply(
            "applications",
            service::applications_csv(&app.catalog(), &list),
            &app,
        ))
    }
    .await;
    ctx.json_only().reply(result)
}

pub(crate) async fn application_status(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let s = m.scope.clone();
        let input = app.input(&headers, body).await?;
        let to = status_field(
            input.fields()?,
            |v| ApplicationStatus::parse(v).ok(),
            "approved, rejected, cancelled, attended, no_show, reviewing, interview, hired, not_hired 중 하나여야 합니다.",
        )?;
        let reason = reason_field(input.fields()?)?;
        let change = app
            .service()
            .staff_set_application_status(&app.catalog(), &s, &code, to, &reason)
            .await?;
        app.service()
            .audit(
                &m,
                "application_status",
                &change.application.code.to_string(),
                to.as_str(),
            )
            .await;
        if html_form(&headers) {
            return Ok(back_to_dashboard(
                input.fields()?,
                &change.application.code.to_string(),
                &format!("application:{}", to.as_str()),
            ));
        }
        let cat = app.catalog();
        let now = app.service().now().at;
        Ok(Reply::ok(Answer::StaffApplication {
            application: views::application(&cat, &change.application, now, None, true),
            promoted: change
                .promoted
                .as_ref()
                .map(|p| views::application(&cat, p, now, None, true)),
        }))
    }
    .await;
    ctx.back_to(DASHBOARD).returning(ret).reply(result)
}

/// Staff mark a job posting filled (`filled=true`: no more applications,
/// at once) or open it again (`filled=false`).
pub(crate) async fn job_filled(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let input = app.input(&headers, body).await?;
        let filled = crate::api::requests::filled_flag(input.fields()?)?;
        let status = app
            .service()
            .staff_set_job_filled(&app.catalog(), &m.scope, &id, filled)
            .await?;
        app.service()
            .audit(
                &m,
                "job_filled",
                status.job.as_str(),
                if filled { "filled" } else { "reopened" },
            )
            .await;
        if html_form(&headers) {
            let did = if filled { "job:filled" } else { "job:reopened" };
            return Ok(back_to_dashboard(input.fields()?, status.job.as_str(), did));
        }
        Ok(Reply::ok(Answer::JobStatus(status)))
    }
    .await;
    ctx.back_to(DASHBOARD).returning(ret).reply(result)
}

pub(crate) async fn survey_summary(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let s = scope(&app, &headers).await?;
        let summary = app
            .service()
            .survey_summary(&app.catalog(), &s, &id)
            .await?;
        Ok(Reply::ok(Answer::SurveySummary(summary)))
    }
    .await;
    ctx.json_only().reply(result)
}

/// A plain form post from the admin page (not an API client).
pub(crate) fn html_form(headers: &HeaderMap) -> bool {
    crate::api::input::is_form(headers)
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// Keeps only the characters of a filter query (no personal data is ever
/// in it: facility, status, dates, kind).
fn clean_query(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=&-_:".contains(*c))
        .take(300)
        .collect()
}

/// Back to the admin page after an action, with its filters, the record
/// and what was done (`did`, see [`done_notice`]); the address ends at the
/// notice (`#admin-result`), so that with JavaScript off the browser takes
/// keyboard and screen reader users to it rather than to the page's top.
pub(crate) fn back_to_dashboard(fields: &Fields, code: &str, did: &str) -> Reply {
    dashboard_with(
        fields,
        &format!("done={}&did={}", clean_query(code), clean_query(did)),
    )
}

/// The admin page with the form's filters and `params` (made of values
/// the server chose or checked), at its notice.
pub(crate) fn dashboard_with(fields: &Fields, params: &str) -> Reply {
    let filter = clean_query(fields.get("filter").map(String::as_str).unwrap_or(""));
    let sep = if filter.is_empty() { "" } else { "&" };
    Reply::see_other(&format!(
        "/api/admin/dashboard?{filter}{sep}{params}#{RESULT_ID}"
    ))
}

/// The admin page, where staff actions come back to (and their error
/// pages link to).
pub(crate) const DASHBOARD: &str = "/api/admin/dashboard";

/// The id of the admin page's notice of what was just done.
pub(crate) const RESULT_ID: &str = "admin-result";

/// The admin page's notice of what was just done: `done` is the record
/// (or how many), `did` the action (`reservation:attended`,
/// `application:rejected`, `booked`, `rescheduled`, `job:filled`, …). The
/// record and the status's label end in a noun (처리), never a particle.
fn done_notice(q: &Query) -> Option<String> {
    let done = clean_query(q.get("done")?);
    let did = q.get("did").map(String::as_str).unwrap_or("");
    let label = match did.split_once(':') {
        Some(("reservation", s)) => ReservationStatus::parse(s).ok().map(|s| s.korean()),
        Some(("application", s)) => ApplicationStatus::parse(s).ok().map(|s| s.korean()),
        Some(("job", "filled")) => Some("채용 완료 마감"),
        Some(("job", "reopened")) => Some("다시 모집"),
        _ => match did {
            "booked" => Some("전화·방문 접수"),
            "rescheduled" => Some("예약 변경"),
            _ => None,
        },
    };
    let marked = match did.split_once(':') {
        Some(("marked", s)) => Some(("예약", ReservationStatus::parse(s).ok()?.korean())),
        Some(("amarked", s)) => Some(("신청", ApplicationStatus::parse(s).ok()?.korean())),
        _ => None,
    };
    if let Some((what, label)) = marked {
        let count: usize = done.parse().ok()?;
        let mut text = format!("{what} {count}건을 {label} 처리했습니다.");
        let left: Vec<String> = q
            .get("left")
            .map(|l| clean_query(l))
            .unwrap_or_default()
            .split('_')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if !left.is_empty() {
            let why = if what == "예약" {
                "이용 시작 전이거나 이미 다른 상태인 예약입니다"
            } else {
                "수강 확정이 아니거나 이미 다른 상태인 신청입니다"
            };
            text.push_str(&format!(
                " 처리하지 못한 {what} {}건: {} ({why}).",
                left.len(),
                left.join(", ")
            ));
        }
        return Some(text);
    }
    Some(match label {
        Some(label) => format!("{done}: {label} 처리를 마쳤습니다."),
        None => format!("{done} 처리를 마쳤습니다."),
    })
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

const RESERVATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    ("pending", &[("confirmed", "승인"), ("rejected", "반려")]),
    (
        "confirmed",
        &[
            ("attended", "이용 완료"),
            ("no_show", "예약 부도"),
            ("cancelled", "취소"),
        ],
    ),
];

const APPLICATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    ("submitted", &[("approved", "선정"), ("rejected", "미선정")]),
    (
        "enrolled",
        &[
            ("attended", "수료"),
            ("no_show", "불참"),
            ("cancelled", "취소"),
        ],
    ),
    ("waitlisted", &[("cancelled", "취소")]),
];

/// A job application: 접수 → 검토 → 면접 → 채용 / 불채용.
const JOB_APPLICATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "submitted",
        &[
            ("reviewing", "검토 시작"),
            ("interview", "면접 요청"),
            ("not_hired", "불채용"),
        ],
    ),
    (
        "reviewing",
        &[("interview", "면접 요청"), ("not_hired", "불채용")],
    ),
    ("interview", &[("hired", "채용"), ("not_hired", "불채용")]),
];

fn actions(table: &[(&str, &[(&'static str, &'static str)])], status: &str) -> Vec<Action> {
    table
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, a)| {
            a.iter()
                .map(|&(status, label)| Action { status, label })
                .collect()
        })
        .unwrap_or_default()
}

/// The actions on a reservation: 이용 완료 and 예약 부도 only once its
/// time has begun (the service refuses them before), so that staff are
/// never offered a button that can only fail.
fn reservation_actions(r: &Reservation, now: jiff::Timestamp) -> Vec<Action> {
    let started = now >= crate::domain::kst_instant(r.run.date(), r.run.start());
    actions(RESERVATION_ACTIONS, r.status.as_str())
        .into_iter()
        .filter(|a| started || !matches!(a.status, "attended" | "no_show"))
        .collect()
}

/// The page of a reservation list that staff land on when they asked for
/// no page and no dates: the one holding the first reservation of `today`
/// or later (the list is in date order, so page 1 holds the oldest).
fn landing_page(list: &[Reservation], today: Date) -> usize {
    let before = list.iter().take_while(|r| r.run.date() < today).count();
    before.min(list.len().saturating_sub(1)) / service::ADMIN_PAGE_SIZE + 1
}

/// The admin page: reservations, applications (filtered), actions, CSV
/// links and survey summaries, for the signed-in staff member's scope.
pub(crate) async fn dashboard(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let mut ctx = ctx.page_only(&app);
    let s = match scope(&app, &headers).await {
        Ok(s) => s,
        Err(e) => {
            ctx.echo = Some(Echo {
                form: forms::admin_login(),
                values: Default::default(),
            });
            return ctx.reply(Err(e));
        }
    };
    let search = q
        .get("q")
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let reply = match search {
        Some(text) => {
            let found = app.service().staff_search(&s, &text).await;
            admin_page(&app, &s, &q, Some((text, found))).await
        }
        None => admin_page(&app, &s, &q, None).await,
    };
    ctx.reply(reply)
}

/// The search form of the admin page (a post, so that a phone number never
/// appears in a URL): a code is redirected to the page with `?q=CODE`; a
/// phone number answers the page with that person's records at once.
pub(crate) async fn search(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // API clients (JSON) get the records; browsers the admin page.
    let page = ctx.html() || html_form(&headers);
    let ctx = if page { ctx.page_only(&app) } else { ctx };
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let s = m.scope;
        let input = app.input(&headers, body).await?;
        let text = input
            .fields()?
            .get("q")
            .map(|v| v.trim().to_owned())
            .unwrap_or_default();
        if !page {
            let found = app.service().staff_search(&s, &text).await?;
            let cat = app.catalog();
            let now = app.service().now().at;
            return Ok(Reply::ok(Answer::Found {
                reservations: found
                    .reservations
                    .iter()
                    .map(|r| views::reservation(&cat, r, now, true))
                    .collect(),
                applications: found
                    .applications
                    .iter()
                    .map(|a| views::application(&cat, a, now, None, true))
                    .collect(),
            }));
        }
        if let Ok(code) = text.parse::<crate::domain::ReservationCode>() {
            return Ok(Reply::see_other(&format!(
                "/api/admin/dashboard?q={}",
                code
            )));
        }
        let found = app.service().staff_search(&s, &text).await;
        let status = if found.is_err() { 422 } else { 200 };
        let reply = admin_page(
            &app,
            &s,
            &axum::extract::Query(Default::default()),
            Some((text, found)),
        )
        .await?;
        Ok(if status == 422 {
            reply.with_code(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        } else {
            reply
        })
    }
    .await;
    ctx.returning(ret).reply(result)
}

/// What applications are for, as the admin page's 신청 대상 filter offers
/// them (`programme:<id>`, …): the scope's programmes and job postings,
/// and for `*` staff the policies too (their applications belong to no
/// facility).
fn application_targets(cat: &sbiz_catalog::Catalog, s: &StaffScope) -> Vec<Choice> {
    let choice = |kind: &str, id: &sbiz_catalog::Id, what: &str, title: &str| Choice {
        value: format!("{kind}:{id}"),
        label: format!("{what}: {title}"),
    };
    let programmes = cat
        .programmes
        .iter()
        .filter(|p| s.covers(Some(&p.facility)))
        .map(|p| choice("programme", &p.id, "교육", &p.title));
    let policies = cat
        .policies
        .iter()
        .filter(|p| *s == StaffScope::All && p.form.is_some())
        .map(|p| choice("policy", &p.id, "지원사업", &p.title));
    let jobs = cat
        .jobs
        .iter()
        .filter(|j| s.covers(Some(&j.facility)))
        .map(|j| choice("job", &j.id, "구인", &j.title));
    programmes.chain(policies).chain(jobs).collect()
}

/// A search of the admin page: what was typed and what it found.
type Search = (String, Result<crate::store::PersonRecords>);

async fn admin_page(
    app: &AppState,
    s: &StaffScope,
    q: &Query,
    search: Option<Search>,
) -> Result<Reply> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let get = |k: &str| q.get(k).map(|v| v.trim()).unwrap_or("").to_owned();
    let mut rq = q.0.clone();
    rq.remove("kind");
    rq.remove("target");
    rq.remove("astatus");
    let mut aq = BTreeMap::new();
    // 신청 대상 (`target=programme:<id>`) sets the kind with the id.
    let (kind, target) = match get("target").split_once(':') {
        Some((k, id)) => (k.to_owned(), id.to_owned()),
        None => (get("kind"), String::new()),
    };
    for (k, v) in [
        ("facility", get("facility")),
        ("kind", kind),
        ("target", target),
        ("status", get("astatus")),
    ] {
        if !v.is_empty() {
            aq.insert(k.to_owned(), v);
        }
    }
    rq.retain(|k, v| {
        !v.trim().is_empty()
            && ["facility", "equipment", "status", "from", "to"].contains(&k.as_str())
    });
    let rfilter = reservation_filter(&axum::extract::Query(rq.clone()), app.service().now().date)?;
    let afilter = application_filter(&axum::extract::Query(aq.clone()))?;
    let (mut search_text, mut search_error) = (String::new(), None);
    let (reservations, applications) = match search {
        Some((text, found)) => {
            search_text = text;
            match found {
                Ok(found) => (found.reservations, found.applications),
                Err(e) => {
                    search_error = Some(
                        e.field_errors()
                            .and_then(|f| f.get("q"))
                            .map_or_else(|| e.message(), |m| m.korean().into_owned()),
                    );
                    (Vec::new(), Vec::new())
                }
            }
        }
        None => (
            app.service().staff_reservations(s, rfilter).await?,
            app.service().staff_applications(s, afilter).await?,
        ),
    };
    let page_param = |k: &str| {
        q.get(k)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
    };
    let today = app.service().now().date;
    // Without a page, dates or a search, the reservations open at today's.
    let first_page = if q.get("page").is_none()
        && get("from").is_empty()
        && get("to").is_empty()
        && search_text.is_empty()
    {
        landing_page(&reservations, today)
    } else {
        page_param("page")
    };
    let landed = first_page > 1 && q.get("page").is_none();
    let reservations_total = reservations.len();
    let applications_total = applications.len();
    let (reservations, rpage, rpages) = service::page_of(reservations, first_page);
    let (applications, apage, apages) = service::page_of(applications, page_param("apage"));
    let reservations: Vec<Row<_>> = reservations
        .iter()
        .map(|r| {
            let record = views::reservation(&cat, r, now, true);
            let actions = reservation_actions(r, now);
            let markable = actions.iter().any(|a| a.status == "attended");
            Row {
                record,
                actions,
                markable,
            }
        })
        .collect();
    let markable = reservations.iter().filter(|x| x.markable).count();
    // Where each waiting enrolment of the page stands in its waitlist.
    let mut waiting = Vec::with_capacity(applications.len());
    for a in &applications {
        waiting.push(app.service().waiting_before(a).await?);
    }
    let applications: Vec<Row<_>> = applications
        .iter()
        .zip(waiting)
        .map(|(a, before)| {
            let record = views::application(&cat, a, now, before, true);
            let table = if a.target.kind == TargetKind::Job {
                JOB_APPLICATION_ACTIONS
            } else {
                APPLICATION_ACTIONS
            };
            let mut actions = actions(table, record.status.as_str());
            // 수료 and 불참 once the course has begun (refused before).
            if !service::course_begun(&cat, a, now) {
                actions.retain(|x| !matches!(x.status, "attended" | "no_show"));
            }
            let markable = actions.iter().any(|a| a.status == "attended");
            Row {
                record,
                actions,
                markable,
            }
        })
        .collect();
    let amarkable = applications.iter().filter(|x| x.markable).count();
    let mut surveys = Vec::new();
    for survey in &cat.surveys {
        surveys.push(
            app.service()
                .survey_summary(&cat, s, survey.id.as_str())
                .await?,
        );
    }
    let mut jobs = Vec::new();
    for j in cat.jobs.iter().filter(|j| s.covers(Some(&j.facility))) {
        jobs.push(AdminJob {
            title: j.title.clone(),
            company: j.company.clone(),
            deadline: j.deadline.to_string(),
            status: app.service().job_status(&cat, j.id.as_str()).await?,
        });
    }
    let facilities = cat
        .facilities
        .iter()
        .filter(|f| s.covers(Some(&f.id)))
        .map(|f| Named {
            id: f.id.clone(),
            name: f.name.clone(),
        })
        .collect();
    // What waits for a decision, from today on (older ones are past).
    let pending = app
        .service()
        .staff_reservations(
            s,
            ReservationFilter {
                status: Some(ReservationStatus::Pending),
                from: Some(today),
                ..Default::default()
            },
        )
        .await?
        .len();
    let targets = application_targets(&cat, s);
    let equipment = cat
        .equipment
        .iter()
        .filter(|e| s.covers(Some(&e.facility)))
        .map(|e| Named {
            id: e.id.clone(),
            name: e.name.clone(),
        })
        .collect();
    let scope = match s {
        StaffScope::All => "모든 시설".to_owned(),
        StaffScope::Facility(f) => cat
            .facility(f.as_str())
            .map(|f| f.name.clone())
            .unwrap_or_else(|| f.to_string()),
    };
    let encode = |m: &BTreeMap<String, String>| serde_urlencoded::to_string(m).unwrap_or_default();
    let mut filter_all = rq.clone();
    for (k, v) in [
        ("kind", get("kind")),
        ("target", get("target")),
        ("astatus", get("astatus")),
    ] {
        if !v.is_empty() {
            filter_all.insert(k.to_owned(), v);
        }
    }
    // Paging links keep the filters, the search (a code only: a phone
    // number is never put in a link) and the other list's page.
    let code_search = search_text
        .parse::<crate::domain::ReservationCode>()
        .is_ok()
        .then(|| search_text.clone());
    let pager = |param: &str, page: usize, pages: usize, other: (&str, usize)| {
        let link = |n: usize| {
            let mut m = filter_all.clone();
            if let Some(c) = &code_search {
                m.insert("q".into(), c.clone());
            }
            if other.1 > 1 {
                m.insert(other.0.into(), other.1.to_string());
            }
            m.insert(param.into(), n.to_string());
            format!("/api/admin/dashboard?{}", encode(&m))
        };
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    };
    let reservations_pager = pager("page", rpage, rpages, ("apage", apage));
    let applications_pager = pager("apage", apage, apages, ("page", rpage));
    let choice = |value: &str, label: &str| Choice {
        value: value.to_owned(),
        label: label.to_owned(),
    };
    Ok(Reply::ok(Answer::Admin(Box::new(AdminAnswer {
        heading: "예약·신청 관리",
        scope,
        facilities,
        equipment,
        targets,
        filter: AdminFilter {
            facility: get("facility"),
            equipment: get("equipment"),
            status: get("status"),
            from: get("from"),
            to: get("to"),
            kind: get("kind"),
            target: get("target"),
            astatus: get("astatus"),
        },
        filter_query: {
            let mut m = filter_all.clone();
            if let Some(c) = &code_search {
                m.insert("q".into(), c.clone());
            }
            for (k, n) in [("page", rpage), ("apage", apage)] {
                // A page asked for is kept even when it is the first: the
                // list would otherwise open at today's page again.
                if n > 1 || q.get(k).is_some() {
                    m.insert(k.into(), n.to_string());
                }
            }
            encode(&m)
        },
        today: today.to_string(),
        pending,
        landed,
        done: done_notice(q),
        reservation_statuses: ReservationStatus::ALL
            .iter()
            .map(|s| choice(s.as_str(), s.korean()))
            .collect(),
        application_statuses: ApplicationStatus::ALL
            .iter()
            .map(|s| choice(s.as_str(), s.korean()))
            .collect(),
        reservations,
        markable,
        applications,
        amarkable,
        reservations_csv: format!("/api/admin/reservations.csv?{}", encode(&rq)),
        applications_csv: format!("/api/admin/applications.csv?{}", encode(&aq)),
        surveys,
        jobs,
        is_all: *s == StaffScope::All,
        search: search_text,
        search_error,
        reservations_total,
        applications_total,
        reservations_pager,
        applications_pager,
    }))))
}

/// 예약 변경 by staff: `date`, `start`, `slots` (or `end`) of the same
/// equipment; the admin page's form is answered 303 to the page.
pub(crate) async fn reservation_reschedule(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let s = m.scope.clone();
        let input = app.input(&headers, body).await?;
        let cat = app.catalog();
        let held = app.service().staff_reservation(&s, &code).await?;
        let eq = crate::service::equipment(&cat, held.run.equipment().as_str())?;
        let to = crate::api::requests::reschedule(eq, input.fields()?, app.service().now().date)?;
        let r = app
            .service()
            .staff_reschedule_reservation(&cat, &s, &code, to)
            .await?;
        let detail = format!("{} {}", r.run.date(), r.run.start());
        app.service()
            .audit(&m, "reservation_reschedule", &r.code.to_string(), &detail)
            .await;
        if html_form(&headers) {
            return Ok(back_to_dashboard(
                input.fields()?,
                &r.code.to_string(),
                "rescheduled",
            ));
        }
        let reservation = views::reservation(&cat, &r, app.service().now().at, true);
        Ok(Reply::ok(Answer::StaffReservation { reservation }))
    }
    .await;
    ctx.back_to(DASHBOARD).returning(ret).reply(result)
}
