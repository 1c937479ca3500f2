//! Staff routes, behind a bearer token scoped to a facility or to all.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Query;
use crate::api::reply::Ctx;
use crate::api::{AppState, views};
use crate::domain::{ApplicationStatus, ReservationStatus, Target, TargetKind};
use crate::service::{self, StaffScope};
use crate::store::{ApplicationFilter, ReservationFilter};
use crate::{Error, Result};

fn json_ctx() -> Ctx {
    Ctx {
        html: false,
        back: None,
    }
}

fn scope(app: &AppState, headers: &HeaderMap) -> Result<StaffScope> {
    app.config().staff.from_headers(headers)
}

fn param<T>(
    q: &Query,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
    msg: &str,
) -> Result<Option<T>> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(|| Error::field(name, msg)),
    }
}

fn reservation_filter(q: &Query) -> Result<ReservationFilter> {
    Ok(ReservationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            "시설 ID가 올바르지 않습니다.",
        )?,
        equipment: param(
            q,
            "equipment",
            |s| s.parse().ok(),
            "장비 ID가 올바르지 않습니다.",
        )?,
        status: param(
            q,
            "status",
            |s| ReservationStatus::parse(s).ok(),
            "알 수 없는 상태입니다.",
        )?,
        from: param(
            q,
            "from",
            |s| s.parse().ok(),
            "날짜를 2026-03-02처럼 입력해 주세요.",
        )?,
        to: param(
            q,
            "to",
            |s| s.parse().ok(),
            "날짜를 2026-03-02처럼 입력해 주세요.",
        )?,
    })
}

fn application_filter(q: &Query) -> Result<ApplicationFilter> {
    let kind = param(
        q,
        "kind",
        |s| TargetKind::parse(s).ok(),
        "programme 또는 policy여야 합니다.",
    )?;
    let target = param(
        q,
        "target",
        |s| s.parse().ok(),
        "대상 ID가 올바르지 않습니다.",
    )?;
    let target = match (kind, target) {
        (Some(kind), Some(id)) => Some(Target { kind, id }),
        (None, Some(_)) => return Err(Error::field("kind", "target과 함께 kind를 지정해 주세요.")),
        _ => None,
    };
    Ok(ApplicationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            "시설 ID가 올바르지 않습니다.",
        )?,
        kind,
        target,
        status: param(
            q,
            "status",
            |s| ApplicationStatus::parse(s).ok(),
            "알 수 없는 상태입니다.",
        )?,
    })
}

pub async fn session(State(app): State<AppState>, headers: HeaderMap) -> Response {
    json_ctx().finish(scope(&app, &headers).map(|s| {
        let scope = match s {
            StaffScope::All => "*".to_owned(),
            StaffScope::Facility(f) => f.to_string(),
        };
        Json(json!({ "scope": scope })).into_response()
    }))
}

pub async fn reservations(State(app): State<AppState>, headers: HeaderMap, q: Query) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let list = app
            .service()
            .staff_reservations(&s, reservation_filter(&q)?)
            .await?;
        let cat = app.catalog();
        let now = app.service().now().at;
        let views: Vec<_> = list
            .iter()
            .map(|r| views::reservation(&cat, r, now, true))
            .collect();
        Ok(Json(json!({ "reservations": views })).into_response())
    }
    .await;
    json_ctx().finish(result)
}

fn csv_response(name: &str, body: String, app: &AppState) -> Response {
    let date = app.service().now().date;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-{date}.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub async fn reservations_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let list = app
            .service()
            .staff_reservations(&s, reservation_filter(&q)?)
            .await?;
        Ok(csv_response(
            "reservations",
            service::reservations_csv(&app.catalog(), &list),
            &app,
        ))
    }
    .await;
    json_ctx().finish(result)
}

pub async fn reservation_status(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let input = app.input(&headers, body).await?;
        let to = input
            .fields
            .get("status")
            .and_then(|v| ReservationStatus::parse(v.trim()).ok())
            .ok_or_else(|| {
                Error::field(
                    "status",
                    "confirmed, rejected, cancelled, attended, no_show 중 하나여야 합니다.",
                )
            })?;
        let r = app
            .service()
            .staff_set_reservation_status(&s, &code, to)
            .await?;
        let view = views::reservation(&app.catalog(), &r, app.service().now().at, true);
        Ok(Json(json!({ "reservation": view })).into_response())
    }
    .await;
    json_ctx().finish(result)
}

pub async fn applications(State(app): State<AppState>, headers: HeaderMap, q: Query) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let list = app
            .service()
            .staff_applications(&s, application_filter(&q)?)
            .await?;
        let cat = app.catalog();
        let now = app.service().now().at;
        let views: Vec<_> = list
            .iter()
            .map(|a| views::application(&cat, a, now, None, true))
            .collect();
        Ok(Json(json!({ "applications": views })).into_response())
    }
    .await;
    json_ctx().finish(result)
}

pub async fn applications_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let list = app
            .service()
            .staff_applications(&s, application_filter(&q)?)
            .await?;
        Ok(csv_response(
            "applications",
            service::applications_csv(&app.catalog(), &list),
            &app,
        ))
    }
    .await;
    json_ctx().finish(result)
}

pub async fn application_status(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let input = app.input(&headers, body).await?;
        let to = input
            .fields
            .get("status")
            .and_then(|v| ApplicationStatus::parse(v.trim()).ok())
            .ok_or_else(|| Error::field("status", "approved, rejected, cancelled, attended, no_show 중 하나여야 합니다."))?;
        let change = app.service().staff_set_application_status(&s, &code, to).await?;
        let cat = app.catalog();
        let now = app.service().now().at;
        Ok(Json(json!({
            "application": views::application(&cat, &change.application, now, None, true),
            "promoted": change.promoted.as_ref().map(|p| views::application(&cat, p, now, None, true)),
        }))
        .into_response())
    }
    .await;
    json_ctx().finish(result)
}

pub async fn survey_summary(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let s = scope(&app, &headers)?;
        let summary = app
            .service()
            .survey_summary(&app.catalog(), &s, &id)
            .await?;
        Ok(Json(summary).into_response())
    }
    .await;
    json_ctx().finish(result)
}
