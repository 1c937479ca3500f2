//! Staff: closures (임시 휴관 of a facility, 장비 사용 중지 of a piece of
//! equipment) with the bookings inside them and their one-step
//! cancellation, and the audit log (`*` staff). Plain forms with
//! post/redirect/get, like the other staff actions.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::after_action::html_form;
use super::staff_auth::{scope, staff_action};
use super::staff_scope;
use crate::api::answer::{
    Answer, AuditAnswer, AuditView, Choice, ClosureTarget, ClosureView, ClosuresAnswer,
};
use crate::api::input::Fields;
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::state::AppState;
use crate::api::views::{self, Named};
use crate::domain::{AuditFilter, Closure, ClosureReason};
use crate::service::{
    self, AUDIT_ACTIONS, ClosureWithBookings, NewClosure, StaffScope, audit_action_label,
    closure_reason_text,
};
use crate::{Code, Error, Msg, Result};
use sbiz_catalog::Date;

const PAGE: &str = "/api/admin/closures";

fn view(app: &AppState, c: &ClosureWithBookings) -> ClosureView {
    let cat = app.catalog();
    let now = app.service().now().at;
    let k = &c.closure;
    ClosureView {
        id: k.id.clone(),
        term: k.term(),
        facility: Named {
            id: k.facility.clone(),
            name: cat
                .facility(k.facility.as_str())
                .map_or_else(|| k.facility.to_string(), |f| f.name.clone()),
        },
        equipment: k.equipment.as_ref().map(|e| Named {
            id: e.clone(),
            name: cat
                .equipment(e.as_str())
                .map_or_else(|| e.to_string(), |eq| eq.name.clone()),
        }),
        from: k.from.to_string(),
        to: k.to.to_string(),
        reason: k.reason.as_str(),
        reason_label: k.reason.korean(),
        note: k.note.clone(),
        message_reason: closure_reason_text(k),
        staff: k.staff.clone(),
        created_at: views::kst(k.created_at),
        bookings: c
            .bookings
            .iter()
            .map(|r| views::reservation(&cat, r, now, true))
            .collect(),
    }
}

fn field<'f>(fields: &'f Fields, name: &str) -> &'f str {
    fields.get(name).map(|v| v.trim()).unwrap_or("")
}

/// The closure form: `target` (`facility:<id>` or `equipment:<id>`, the
/// page's one select) or `facility` and `equipment` (API clients), `from`,
/// `to`, `reason` (breakdown, inspection, event) and `note`.
fn new_closure(app: &AppState, fields: &Fields) -> Result<NewClosure> {
    let cat = app.catalog();
    let today = app.service().now().date;
    let mut errors = crate::FieldErrors::new();
    let (mut facility, mut equipment) = (None, None);
    let target = field(fields, "target");
    if let Some(f) = target.strip_prefix("facility:") {
        facility = f.parse().ok();
    } else if let Some(e) = target.strip_prefix("equipment:") {
        if let Some(eq) = cat.equipment(e) {
            facility = Some(eq.facility.clone());
            equipment = Some(eq.id.clone());
        }
    } else if target.is_empty() {
        facility = field(fields, "facility").parse().ok();
        let e = field(fields, "equipment");
        if !e.is_empty() {
            match e.parse() {
                Ok(e) => equipment = Some(e),
                Err(_) => {
                    errors.insert(
                        "equipment".into(),
                        Msg::KoreanOnly("장비 ID가 올바르지 않습니다.".into()),
                    );
                }
            }
        }
    }
    if facility.is_none() {
        errors.insert(
            "target".into(),
            Msg::KoreanOnly("닫을 시설이나 장비를 골라 주세요.".into()),
        );
    }
    let date = |name: &str, errors: &mut crate::FieldErrors| match field(fields, name).parse() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(name.into(), requests::date_example_error(today));
            None
        }
    };
    let from = date("from", &mut errors);
    let to = date("to", &mut errors);
    let reason = ClosureReason::parse(field(fields, "reason"));
    if reason.is_none() {
        errors.insert(
            "reason".into(),
            Msg::KoreanOnly("사유를 골라 주세요.".into()),
        );
    }
    match (facility, from, to, reason) {
        (Some(facility), Some(from), Some(to), Some(reason)) if errors.is_empty() => {
            Ok(NewClosure {
                facility,
                equipment,
                from,
                to,
                reason,
                note: field(fields, "note").to_owned(),
            })
        }
        _ => Err(Error::fields(errors)),
    }
}

async fn page(
    app: &AppState,
    s: &StaffScope,
    notice: Option<String>,
    sent: Option<(&Fields, &Error)>,
) -> Result<Reply> {
    page_answer(app, s, notice, sent).await.map(Reply::ok)
}

async fn page_answer(
    app: &AppState,
    s: &StaffScope,
    notice: Option<String>,
    sent: Option<(&Fields, &Error)>,
) -> Result<Answer> {
    let cat = app.catalog();
    let closures = app.service().staff_closures(s).await?;
    let targets = cat
        .facilities
        .iter()
        .filter(|f| s.covers(Some(&f.id)))
        .map(|f| ClosureTarget {
            id: f.id.to_string(),
            name: f.name.clone(),
            equipment: cat
                .equipment
                .iter()
                .filter(|e| e.facility == f.id)
                .map(|e| Named {
                    id: e.id.clone(),
                    name: e.name.clone(),
                })
                .collect(),
        })
        .collect();
    let (values, errors, error) = match sent {
        Some((fields, e)) => (
            fields
                .iter()
                .filter(|(k, _)| ["target", "from", "to", "reason", "note"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            crate::api::english::korean_fields(e),
            Some(e.message()),
        ),
        None => Default::default(),
    };
    // Every field has an entry (empty when none), for the template.
    let (mut values, mut errors): (BTreeMap<String, String>, BTreeMap<String, String>) =
        (values, errors);
    for k in ["target", "from", "to", "reason", "note"] {
        values.entry(k.to_owned()).or_default();
        errors.entry(k.to_owned()).or_default();
    }
    errors.retain(|k, _| ["target", "from", "to", "reason", "note"].contains(&k.as_str()));
    Ok(Answer::Closures(Box::new(ClosuresAnswer {
        heading: "임시 휴관·장비 사용 중지",
        scope: staff_scope::scope_name(&cat, s),
        targets,
        reasons: ClosureReason::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: r.korean().to_owned(),
            })
            .collect(),
        closures: closures.iter().map(|c| view(app, c)).collect(),
        notice,
        values,
        errors,
        error,
        is_all: *s == StaffScope::All,
    })))
}

fn notice(q: &Query) -> Option<String> {
    let done = q.get("done")?;
    Some(match done.as_str() {
        "created" => "등록했습니다. 그 기간에는 바로 새 예약을 받지 않습니다.".to_owned(),
        "removed" => "해제했습니다. 그 기간에 다시 예약을 받습니다.".to_owned(),
        d => {
            let n: usize = d.strip_prefix("cancelled-")?.parse().ok()?;
            format!("예약 {n}건을 취소하고 신청자에게 안내를 보내도록 접수했습니다.")
        }
    })
}

/// The page (or the JSON list) of current and future closures.
pub(crate) async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let s = scope(&app, &headers).await?;
        page(&app, &s, notice(&q), None).await
    }
    .await;
    ctx.reply(result)
}

fn closure_answer(app: &AppState, closure: Closure) -> Answer {
    Answer::Closure {
        closure: view(
            app,
            &ClosureWithBookings {
                closure,
                bookings: Vec::new(),
            },
        ),
    }
}

pub(crate) async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let input = app.input(&headers, body).await?;
        let fields = input.fields()?;
        let made = match new_closure(&app, fields) {
            Ok(new) => {
                app.service()
                    .staff_create_closure(&app.catalog(), &m, new)
                    .await
            }
            Err(e) => Err(e),
        };
        match made {
            Ok(_) if html_form(&headers) => Ok(Reply::see_other(&format!("{PAGE}?done=created"))),
            Ok(c) => {
                let answer = closure_answer(&app, c);
                Ok(Reply::created(answer))
            }
            // The page again, with what was sent and what is wrong.
            Err(e) if html_form(&headers) && e.is(Code::InvalidInput) => {
                let answer = page_answer(&app, &m.scope, None, Some((fields, &e))).await?;
                Ok(Reply::with_status(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    answer,
                ))
            }
            Err(e) => Err(e),
        }
    }
    .await;
    ctx.returning(ret).reply(result)
}

pub(crate) async fn remove(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        app.input(&headers, body).await?;
        let c = app.service().staff_remove_closure(&m, &id).await?;
        if html_form(&headers) {
            return Ok(Reply::see_other(&format!("{PAGE}?done=removed")));
        }
        Ok(Reply::ok(closure_answer(&app, c)))
    }
    .await;
    ctx.returning(ret).reply(result)
}

/// 모두 취소하고 알리기: cancels every live booking inside the closure.
pub(crate) async fn cancel_bookings(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        app.input(&headers, body).await?;
        let cat = app.catalog();
        let done = app.service().staff_cancel_closed(&cat, &m, &id).await?;
        if html_form(&headers) {
            return Ok(Reply::see_other(&format!(
                "{PAGE}?done=cancelled-{}",
                done.len()
            )));
        }
        let now = app.service().now().at;
        Ok(Reply::ok(Answer::CancelledBookings {
            cancelled: done
                .iter()
                .map(|r| views::reservation(&cat, r, now, true))
                .collect(),
        }))
    }
    .await;
    ctx.returning(ret).reply(result)
}

fn audit_filter(q: &Query, today: Date) -> Result<(AuditFilter, BTreeMap<String, String>)> {
    let mut echo = BTreeMap::new();
    let mut f = AuditFilter::default();
    for name in ["from", "to", "staff", "action"] {
        let v = q.get(name).map(|v| v.trim()).unwrap_or("");
        if v.is_empty() {
            continue;
        }
        echo.insert(name.to_owned(), v.to_owned());
        match name {
            "from" | "to" => {
                let d = v
                    .parse()
                    .map_err(|_| Error::field(name, requests::date_example_error(today)))?;
                if name == "from" {
                    f.from = Some(d);
                } else {
                    f.to = Some(d);
                }
            }
            "staff" => f.staff = Some(v.to_owned()),
            _ => f.action = Some(v.to_owned()),
        }
    }
    Ok((f, echo))
}

async fn audit_entries(
    app: &AppState,
    headers: &HeaderMap,
    q: &Query,
) -> Result<(Vec<crate::domain::AuditEntry>, BTreeMap<String, String>)> {
    let s = scope(app, headers).await?;
    let (filter, echo) = audit_filter(q, app.service().now().date)?;
    Ok((app.service().audit_log(&s, &filter).await?, echo))
}

/// 감사 기록: `*` staff only, filtered by days, staff entry and action.
pub(crate) async fn audit(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let (entries, mut filter) = audit_entries(&app, &headers, &q).await?;
        let csv = format!(
            "/api/admin/audit.csv?{}",
            serde_urlencoded::to_string(&filter).unwrap_or_default()
        );
        for k in ["from", "to", "staff", "action"] {
            filter.entry(k.to_owned()).or_default();
        }
        Ok(Reply::ok(Answer::Audit(Box::new(AuditAnswer {
            heading: "감사 기록",
            filter,
            actions: AUDIT_ACTIONS
                .iter()
                .map(|(a, l)| Choice {
                    value: (*a).to_owned(),
                    label: (*l).to_owned(),
                })
                .collect(),
            entries: entries
                .iter()
                .map(|e| AuditView {
                    at: views::kst(e.at),
                    staff: e.staff.clone(),
                    action: e.action.clone(),
                    action_label: audit_action_label(&e.action).to_owned(),
                    record: e.record.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
            csv,
        }))))
    }
    .await;
    ctx.reply(result)
}

pub(crate) async fn audit_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let (entries, _) = audit_entries(&app, &headers, &q).await?;
        let date = app.service().now().date;
        Ok(Reply::file(
            "text/csv; charset=utf-8",
            &format!("audit-{date}.csv"),
            service::audit_csv(&entries),
        ))
    }
    .await;
    ctx.json_only().reply(result)
}
