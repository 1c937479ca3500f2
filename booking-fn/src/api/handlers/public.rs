//! The public routes: availability, reservations, applications, surveys.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sbiz_catalog::{Catalog, Date};
use serde_json::json;

use super::{Query, idempotency_header};
use crate::api::html::{self, Links};
use crate::api::reply::{Ctx, Echo};
use crate::api::{AppState, forms, pages, views};
use crate::domain::{
    Application, ApplicationStatus, ManageToken, Reservation, ReservationStatus, TargetKind,
};
use crate::service::{Holder, Reserved};
use crate::store::{ApplicationFilter, Created};
use crate::{Code, Error, Result};

pub async fn health(State(app): State<AppState>) -> Response {
    let cat = app.catalog();
    let store = app.service().store.clone();
    // A cheap read proves the store answers.
    let probe = store
        .reservation(&crate::domain::ReservationCode::generate())
        .await;
    let now = views::kst(app.service().now().at);
    let body = json!({
        "status": if probe.is_ok() { "ok" } else { "degraded" },
        "store": store.kind(),
        "catalog_version": cat.version,
        "now": now,
    });
    let status = if probe.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

fn date_param(q: &Query, name: &str) -> Result<Option<Date>> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| Error::field(name, "날짜를 2026-03-02처럼 입력해 주세요.")),
    }
}

pub async fn availability(
    State(app): State<AppState>,
    Path(id): Path<String>,
    q: Query,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::json();
    let _ = headers;
    let result = async {
        let today = app.service().now().date;
        let from = date_param(&q, "from")?.unwrap_or(today);
        let to = date_param(&q, "to")?.unwrap_or(from.add_days(13));
        let cat = app.catalog();
        let a = app.service().availability(&cat, &id, from, to).await?;
        let mut res = Json(a).into_response();
        res.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        );
        Ok(res)
    }
    .await;
    ctx.finish(result)
}

fn reservation_links(
    app: &AppState,
    cat: &Catalog,
    r: &Reservation,
    holder: &Secret,
    now: jiff::Timestamp,
) -> Links {
    let base = app.base();
    let view = views::reservation(cat, r, now, false);
    let (manage, survey, ics) = match holder {
        Secret::Token(token) => {
            let token = token.reveal();
            (
                Some(format!("{base}/api/reservations/{}?token={token}", r.code)),
                view.survey
                    .as_ref()
                    .map(|s| format!("{base}/api/surveys/{s}?code={}&token={token}", r.code)),
                matches!(
                    r.status,
                    ReservationStatus::Confirmed | ReservationStatus::Pending
                )
                .then(|| format!("{base}/api/reservations/{}/ics?token={token}", r.code)),
            )
        }
        Secret::Phone(_) => (None, None, None),
    };
    Links {
        manage,
        cancel: view
            .cancel_until
            .as_ref()
            .map(|_| format!("{base}/api/reservations/{}/cancel", r.code)),
        survey,
        ics,
        secret_name: match holder {
            Secret::Token(_) => "token",
            Secret::Phone(_) => "phone",
        },
        token: match holder {
            Secret::Token(t) => t.reveal(),
            Secret::Phone(p) => p.clone(),
        },
    }
}

/// What proves the asker holds a reservation.
enum Secret {
    Token(ManageToken),
    Phone(String),
}

/// A reservation as JSON or as its page. `heading` is the page's title;
/// `None` answers a repeated booking (the same form sent twice without an
/// idempotency key), which says so and points to 예약 조회.
fn reservation_answer(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    r: &Reservation,
    holder: &Secret,
    replayed: bool,
    heading: Option<&str>,
) -> Response {
    let repeat = heading.is_none();
    let heading = heading.unwrap_or("예약 결과");
    let cat = app.catalog();
    let now = app.service().now().at;
    let view = views::reservation(&cat, r, now, true);
    let links = reservation_links(app, &cat, r, holder, now);
    let mut res = if ctx.html {
        let lead = match r.status {
            _ if repeat => {
                "같은 예약이 이미 접수되어 있습니다. 관리 링크는 처음 보여 드린 화면에만 있으니, 예약번호와 휴대전화 번호로 예약 조회에서 확인하거나 취소해 주세요."
            }
            ReservationStatus::Confirmed => "예약이 확정되었습니다.",
            ReservationStatus::Pending => "예약을 접수했습니다. 담당자 확인 뒤 확정됩니다.",
            ReservationStatus::Cancelled => "예약이 취소되었습니다.",
            _ => r.status.korean(),
        };
        let themed = themed_record(ctx, "reservation", heading, lead, &view, &links);
        let page = themed.unwrap_or_else(|| html::reservation(heading, lead, &view, &links));
        (status, Html(page)).into_response()
    } else {
        let body = json!({
            "reservation": view,
            "token": links.token,
            "manage_url": links.manage,
            "survey_url": links.survey,
            "ics_url": links.ics,
            "replayed": replayed,
            "repeat": repeat,
        });
        (status, Json(body)).into_response()
    };
    if replayed {
        mark_replayed(&mut res);
    }
    res
}

/// A reservation or application page in the site's theme, when there is one.
fn themed_record(
    ctx: &Ctx,
    kind: &str,
    heading: &str,
    lead: &str,
    record: &impl serde::Serialize,
    links: &Links,
) -> Option<String> {
    ctx.theme.as_ref().and_then(|t| {
        pages::render(
            t,
            heading,
            "/reservation/",
            &json!({
                "kind": kind, "heading": heading, "lead": lead,
                "record": record, "links": links_json(links),
            }),
        )
    })
}

/// Marks an answer given again for an idempotency key already used.
fn mark_replayed(res: &mut Response) {
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
}

fn links_json(l: &Links) -> serde_json::Value {
    json!({
        "manage": l.manage, "cancel": l.cancel, "survey": l.survey, "ics": l.ics,
        "secret_name": l.secret_name, "secret": l.token,
    })
}

pub async fn create_reservation(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ctx = Ctx::new(&app, &headers);
    let mut echo = None;
    let result = async {
        let input = app.input(&headers, body).await?;
        let cat = app.catalog();
        echo = input
            .values()
            .get("equipment")
            .and_then(|e| forms::reservation(&cat, e))
            .map(|form| Echo {
                form,
                values: input.values(),
            });
        let fields = input.fields()?;
        let reserved = app
            .service()
            .reserve(&cat, fields, idempotency_header(&headers)?)
            .await?;
        Ok(match reserved {
            Reserved::Made(Created {
                record,
                token,
                replayed,
            }) if ctx.html => {
                // Post/redirect/get: a reload shows the reservation again
                // instead of sending the form a second time.
                let mut res = see_other(&format!(
                    "{}/api/reservations/{}?token={}&result=1",
                    app.base(),
                    record.code,
                    token.reveal()
                ));
                if replayed {
                    mark_replayed(&mut res);
                }
                res
            }
            Reserved::Made(Created {
                record,
                token,
                replayed,
            }) => reservation_answer(
                &app,
                &ctx,
                StatusCode::CREATED,
                &record,
                &Secret::Token(token),
                replayed,
                Some("예약 결과"),
            ),
            Reserved::Repeat(record) => {
                let phone = fields.get("phone").map(|p| p.trim().to_owned());
                reservation_answer(
                    &app,
                    &ctx,
                    StatusCode::OK,
                    &record,
                    &Secret::Phone(phone.unwrap_or_default()),
                    true,
                    None,
                )
            }
        })
    }
    .await;
    ctx.echo = echo;
    ctx.finish(result)
}

/// 예약 조회 by code and phone number (the form of `/reservation/`).
pub async fn lookup_reservation(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ctx = Ctx::new(&app, &headers);
    let mut echo = None;
    let result = async {
        let input = app.input(&headers, body).await?;
        echo = Some(Echo {
            form: forms::lookup(),
            values: input.values(),
        });
        let fields = input.fields()?;
        let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
        let mut missing = crate::FieldErrors::new();
        if get("code").is_empty() {
            missing.insert("code".into(), "예약번호를 입력해 주세요.".into());
        }
        if get("phone").is_empty() {
            missing.insert("phone".into(), "휴대전화 번호를 입력해 주세요.".into());
        }
        if !missing.is_empty() {
            return Err(Error::fields(missing));
        }
        let phone = get("phone").to_owned();
        let r = app
            .service()
            .reservation_by(get("code"), Holder::Phone(&phone))
            .await?;
        Ok(reservation_answer(
            &app,
            &ctx,
            StatusCode::OK,
            &r,
            &Secret::Phone(phone),
            false,
            Some("예약 조회"),
        ))
    }
    .await;
    ctx.echo = echo;
    ctx.finish(result)
}

/// The reservation as an iCalendar file, for the holder of the link.
pub async fn reservation_ics(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let token = token_from(&q, None);
        let r = app.service().reservation(&code, &token).await?;
        let cat = app.catalog();
        let view = views::reservation(&cat, &r, app.service().now().at, false);
        let body = views::reservation_ics(&view, &app.base(), r.created_at);
        let mut res = body.into_response();
        let h = res.headers_mut();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"reservation-{}.ics\"",
            r.code
        )) {
            h.insert(axum::http::header::CONTENT_DISPOSITION, v);
        }
        Ok(res)
    }
    .await;
    ctx.finish(result)
}

/// `303 See Other` to an absolute same-site URL (never `//`-relative).
fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    res
}

/// The manage token of a link; one that does not parse matches nothing.
fn manage_token(token: &str) -> Result<ManageToken> {
    token.parse().map_err(|_| Error::new(Code::NotFound))
}

fn token_from(q: &Query, fields: Option<&crate::service::Fields>) -> String {
    fields
        .and_then(|f| f.get("token"))
        .or_else(|| q.get("token"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

pub async fn show_reservation(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let token = token_from(&q, None);
        let r = app.service().reservation(&code, &token).await?;
        let token = manage_token(&token)?;
        let heading = if q.contains_key("result") {
            "예약 결과"
        } else {
            "예약 조회"
        };
        Ok(reservation_answer(
            &app,
            &ctx,
            StatusCode::OK,
            &r,
            &Secret::Token(token),
            false,
            Some(heading),
        ))
    }
    .await;
    ctx.finish(result)
}

pub async fn cancel_reservation(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let input = app.input(&headers, body).await?;
        let token = token_from(&q, Some(input.fields()?));
        let phone = input
            .fields()?
            .get("phone")
            .map(|p| p.trim().to_owned())
            .unwrap_or_default();
        let cat = app.catalog();
        let (holder, secret) = if token.is_empty() && !phone.is_empty() {
            (Holder::Phone(&phone), Secret::Phone(phone.clone()))
        } else {
            (
                Holder::Token(&token),
                Secret::Token(manage_token(&token).unwrap_or_else(|_| ManageToken::generate())),
            )
        };
        let r = app
            .service()
            .cancel_reservation_by(&cat, &code, holder)
            .await?;
        Ok(reservation_answer(
            &app,
            &ctx,
            StatusCode::OK,
            &r,
            &secret,
            false,
            Some("예약 취소"),
        ))
    }
    .await;
    ctx.finish(result)
}

async fn application_answer(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    a: &Application,
    token: &ManageToken,
    replayed: bool,
    heading: &str,
) -> Result<Response> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let waiting_before = if a.status == ApplicationStatus::Waitlisted {
        let filter = ApplicationFilter {
            target: Some(a.target.clone()),
            status: Some(ApplicationStatus::Waitlisted),
            ..Default::default()
        };
        let waiting = app.service().store.applications(&filter).await?;
        Some(waiting.iter().filter(|w| w.seq < a.seq).count())
    } else {
        None
    };
    let view = views::application(&cat, a, now, waiting_before, true);
    let base = app.base();
    let token_s = token.reveal();
    let cancellable = matches!(
        a.status,
        ApplicationStatus::Enrolled | ApplicationStatus::Waitlisted | ApplicationStatus::Submitted
    );
    let links = Links {
        manage: Some(format!(
            "{base}/api/applications/{}?token={token_s}",
            a.code
        )),
        cancel: cancellable.then(|| format!("{base}/api/applications/{}/cancel", a.code)),
        survey: view
            .survey
            .as_ref()
            .map(|s| format!("{base}/api/surveys/{s}?code={}&token={token_s}", a.code)),
        ics: None,
        secret_name: "token",
        token: token_s,
    };
    let mut res = if ctx.html {
        let lead = match (a.target.kind, a.status) {
            (TargetKind::Programme, ApplicationStatus::Enrolled) => {
                "교육 신청이 확정되었습니다.".to_owned()
            }
            (TargetKind::Programme, ApplicationStatus::Waitlisted) => {
                "정원이 차서 대기자로 접수했습니다. 자리가 나면 신청 순서대로 확정됩니다."
                    .to_owned()
            }
            (_, ApplicationStatus::Submitted) => {
                "신청서를 접수했습니다. 심사 결과는 담당 기관이 알려 드립니다.".to_owned()
            }
            (_, ApplicationStatus::Cancelled) => "신청을 취소했습니다.".to_owned(),
            (_, s) => format!("현재 상태: {}", s.korean()),
        };
        let themed = themed_record(ctx, "application", heading, &lead, &view, &links);
        let page = themed.unwrap_or_else(|| html::application(heading, &lead, &view, &links));
        (status, Html(page)).into_response()
    } else {
        let body = json!({
            "application": view,
            "token": links.token,
            "manage_url": links.manage,
            "survey_url": links.survey,
            "replayed": replayed,
        });
        (status, Json(body)).into_response()
    };
    if replayed {
        mark_replayed(&mut res);
    }
    Ok(res)
}

pub async fn apply_programme(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    apply(app, id, headers, body, TargetKind::Programme).await
}

pub async fn apply_policy(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    apply(app, id, headers, body, TargetKind::Policy).await
}

/// An application for a programme or a policy: the form echoed back on a
/// mistake, the service call, and the answer.
async fn apply(
    app: AppState,
    id: String,
    headers: HeaderMap,
    body: Body,
    kind: TargetKind,
) -> Response {
    let mut ctx = Ctx::new(&app, &headers);
    let mut echo = None;
    let result = async {
        let input = app.input(&headers, body).await?;
        let cat = app.catalog();
        let form = match kind {
            TargetKind::Programme => forms::programme(&cat, &id),
            TargetKind::Policy => forms::policy(&cat, &id),
        };
        echo = form.map(|form| Echo {
            form,
            values: input.values(),
        });
        let key = idempotency_header(&headers)?;
        let (c, heading) = match kind {
            TargetKind::Programme => (
                app.service()
                    .apply_programme(&cat, &id, input.fields()?, key)
                    .await?,
                "교육 신청 결과",
            ),
            TargetKind::Policy => (
                app.service()
                    .apply_policy(&cat, &id, input.fields()?, key)
                    .await?,
                "지원사업 신청 결과",
            ),
        };
        if ctx.html {
            // Post/redirect/get, as for reservations.
            let mut res = see_other(&format!(
                "{}/api/applications/{}?token={}&result={}",
                app.base(),
                c.record.code,
                c.token.reveal(),
                kind.as_str()
            ));
            if c.replayed {
                mark_replayed(&mut res);
            }
            return Ok(res);
        }
        application_answer(
            &app,
            &ctx,
            StatusCode::CREATED,
            &c.record,
            &c.token,
            c.replayed,
            heading,
        )
        .await
    }
    .await;
    ctx.echo = echo;
    ctx.finish(result)
}

pub async fn show_application(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let token = token_from(&q, None);
        let a = app.service().application(&code, &token).await?;
        let token = manage_token(&token)?;
        let heading = match q.get("result").map(String::as_str) {
            Some("programme") => "교육 신청 결과",
            Some("policy") => "지원사업 신청 결과",
            _ => "신청 조회",
        };
        application_answer(&app, &ctx, StatusCode::OK, &a, &token, false, heading).await
    }
    .await;
    ctx.finish(result)
}

pub async fn cancel_application(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let input = app.input(&headers, body).await?;
        let token = token_from(&q, Some(input.fields()?));
        let cat = app.catalog();
        let change = app
            .service()
            .cancel_application(&cat, &code, &token)
            .await?;
        let token = manage_token(&token)?;
        application_answer(
            &app,
            &ctx,
            StatusCode::OK,
            &change.application,
            &token,
            false,
            "신청 취소",
        )
        .await
    }
    .await;
    ctx.finish(result)
}

/// The survey for a reservation or application (`?code=…&token=…`): its
/// questions as JSON, or as a plain form.
pub async fn show_survey(
    State(app): State<AppState>,
    Path(id): Path<String>,
    q: Query,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&app, &headers);
    let result = async {
        let cat = app.catalog();
        let code = q.get("code").map(String::as_str).unwrap_or("");
        let token = q.get("token").map(String::as_str).unwrap_or("");
        let target = app.service().survey_target(&cat, code, token).await?;
        if target.survey.id.as_str() != id {
            return Err(Error::with_message(
                Code::NotFound,
                "이 예약·신청에 해당하는 설문이 아닙니다.",
            ));
        }
        // Answered already: say so rather than offer the form again.
        if app
            .service()
            .store
            .has_survey_response(&target.survey.id, &target.subject)
            .await?
        {
            return Err(Error::new(Code::SurveyAlreadySubmitted));
        }
        let action = format!("{}/api/surveys/{}/responses", app.base(), target.survey.id);
        let themed = ctx.theme.as_ref().and_then(|t| {
            let mut form = forms::survey(&cat, &id, code, token)?;
            form.idempotency_key = None;
            form.intro = Some(format!(
                "{} 이용에 대한 의견을 들려주세요. {}",
                target.title,
                form.intro.unwrap_or_default()
            ));
            pages::render(
                t,
                &target.survey.title,
                "/reservation/",
                &json!({ "kind": "survey", "heading": target.survey.title, "form": form }),
            )
        });
        Ok(if ctx.html {
            Html(themed.unwrap_or_else(|| {
                html::survey_form(target.survey, &target.title, &action, code, token)
            }))
            .into_response()
        } else {
            Json(json!({ "survey": target.survey, "about": target.title, "action": action }))
                .into_response()
        })
    }
    .await;
    ctx.finish(result)
}

pub async fn submit_survey(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ctx = Ctx::new(&app, &headers);
    let mut echo = None;
    let result: Result<Response> = async {
        let input = app.input(&headers, body).await?;
        let cat = app.catalog();
        let values = input.values();
        let get = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
        echo = forms::survey(&cat, &id, get("code"), get("token")).map(|form| Echo {
            form,
            values: input.values(),
        });
        let response = app
            .service()
            .submit_survey(&cat, &id, input.fields()?)
            .await?;
        Ok(if ctx.html {
            let (heading, lead) = (
                "응답해 주셔서 감사합니다",
                "보내 주신 의견은 서비스를 개선하는 데 쓰겠습니다.",
            );
            let base = app.base();
            let page = ctx
                .theme
                .as_ref()
                .and_then(|t| pages::message(t, heading, lead, Some("/")))
                .unwrap_or_else(|| html::message(heading, lead, Some(&base)));
            (StatusCode::CREATED, Html(page)).into_response()
        } else {
            (
                StatusCode::CREATED,
                Json(json!({ "survey": response.survey, "submitted": true })),
            )
                .into_response()
        })
    }
    .await;
    // A survey that is closed or already answered is not shown again.
    if let Err(e) = &result
        && !e.is(Code::InvalidInput)
    {
        echo = None;
    }
    ctx.echo = echo;
    ctx.finish(result)
}
