//! Staff routes, behind a bearer token scoped to a facility or to all: the
//! lists of reservations and applications (JSON and CSV), the status
//! changes and 예약 변경 staff make, job postings filled and survey
//! summaries. Who is staff: [`super::staff_auth`]; the admin page:
//! [`super::admin_page`].

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::admin_filters::{application_filter, reservation_filter};
use super::after_action::{DASHBOARD, back_to_dashboard, html_form};
use super::staff_auth::{scope, staff_action};
use crate::api::answer::Answer;
use crate::api::input::{Fields, Input};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::Query;
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{Application, ApplicationStatus, Reservation, ReservationStatus};
use crate::service::{self, StaffMember};
use crate::{Error, Result};

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

/// A status change's form (승인, 반려, 취소, …): who acts (see
/// [`staff_action`], which sets `ret`), the form, its `status` (read by
/// `parse`; an error names the `statuses` it may be) and its reason.
async fn status_form<T>(
    app: &AppState,
    headers: &HeaderMap,
    body: Body,
    ret: &mut Option<String>,
    parse: impl Fn(&str) -> Option<T>,
    statuses: &str,
) -> Result<(StaffMember, Input, T, String)> {
    let (m, body) = staff_action(app, headers, body, ret).await?;
    let input = app.input(headers, body).await?;
    let fields = input.fields()?;
    let to = fields
        .get("status")
        .and_then(|v| parse(v.trim()))
        .ok_or_else(|| Error::staff_field("status", statuses))?;
    let reason = reason_field(fields)?;
    Ok((m, input, to, reason))
}

pub(crate) async fn reservations(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let list = staff_reservations(&app, &headers, &q).await;
    ctx.json_only().reply(list.map(|list| {
        let cat = app.catalog();
        let now = app.service().now().at;
        let reservations = list
            .iter()
            .map(|r| views::reservation(&cat, r, now, true))
            .collect();
        Reply::ok(Answer::Reservations { reservations })
    }))
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
    let list = staff_reservations(&app, &headers, &q).await;
    ctx.json_only().reply(list.map(|list| {
        let now = app.service().now().at;
        let csv = service::reservations_csv(&app.catalog(), &list, |r| {
            let ended = now >= crate::domain::kst_instant(r.run.date(), r.run.end());
            views::ShownStatus::of(r.status, ended).label(sbiz_catalog::Lang::Ko)
        });
        csv_reply("reservations", csv, &app)
    }))
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
        let (m, input, to, reason) = status_form(
            &app,
            &headers,
            body,
            &mut ret,
            |v| ReservationStatus::parse(v).ok(),
            "confirmed, rejected, cancelled, attended, no_show 중 하나여야 합니다.",
        )
        .await?;
        let r = app
            .service()
            .staff_set_reservation_status(&app.catalog(), &m.scope, &code, to, &reason)
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
    let list = staff_applications(&app, &headers, &q).await;
    ctx.json_only().reply(list.map(|list| {
        let cat = app.catalog();
        let now = app.service().now().at;
        let applications = list
            .iter()
            .map(|a| views::application(&cat, a, now, None, true))
            .collect();
        Reply::ok(Answer::Applications { applications })
    }))
}

pub(crate) async fn applications_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let list = staff_applications(&app, &headers, &q).await;
    ctx.json_only().reply(list.map(|list| {
        let csv = service::applications_csv(&app.catalog(), &list);
        csv_reply("applications", csv, &app)
    }))
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
        let (m, input, to, reason) = status_form(
            &app,
            &headers,
            body,
            &mut ret,
            |v| ApplicationStatus::parse(v).ok(),
            "approved, rejected, cancelled, attended, no_show, reviewing, interview, hired, not_hired 중 하나여야 합니다.",
        )
        .await?;
        let change = app
            .service()
            .staff_set_application_status(&app.catalog(), &m.scope, &code, to, &reason)
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
