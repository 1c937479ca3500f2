//! 전화·방문 접수 (the staff booking form and its post) and 교육 수료 기록
//! (staff record a completed programme).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sbiz_catalog::Catalog;

use super::after_action::html_form;
use super::staff_auth::{scope, staff_action};
use super::staff_scope;
use crate::api::answer::{Answer, Choice, StaffBookingAnswer, TrainingFormAnswer};
use crate::api::input::Fields;
use crate::api::reply::{Ctx, Reply};
use crate::api::requests;
use crate::api::rule_field;
use crate::api::state::AppState;
use crate::api::views::{self, Named};
use crate::domain::{ConsentMethod, RuleOverride};
use crate::service::StaffScope;
use crate::{Code, Error};

fn form(cat: &Catalog, s: &StaffScope, values: Fields, e: Option<&Error>) -> Answer {
    let choice = |value: &str, label: &str| Choice {
        value: value.to_owned(),
        label: label.to_owned(),
    };
    // A booking rule's refusal shows at the field it is about (이용일,
    // 시작 시간, 이용 시간), as on the booking form.
    let (errors, message) = e
        .map(|e| rule_field::staff_problems(e, &["date", "start", "slots"]))
        .unwrap_or_default();
    Answer::StaffBooking(Box::new(StaffBookingAnswer {
        heading: "전화·방문 접수",
        equipment: staff_scope::equipment(cat, s),
        consent_methods: ConsentMethod::ALL
            .iter()
            .map(|m| choice(m.as_str(), m.korean()))
            .collect(),
        overrides: RuleOverride::ALL
            .iter()
            .map(|o| choice(o.as_str(), o.korean()))
            .collect(),
        values,
        errors,
        message,
        code: e.map(|e| e.code().as_str()).unwrap_or(""),
    }))
}

/// The form (a page for signed-in staff).
pub(crate) async fn new_form(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let ctx = ctx.page_only(&app);
    let result = async {
        let s = scope(&app, &headers).await?;
        Ok(Reply::ok(form(&app.catalog(), &s, Fields::new(), None)))
    }
    .await;
    ctx.reply(result)
}

/// Books for the person: JSON `201` with the reservation, or the admin
/// page's form answered `303` to the admin page (`done=<code>`); a refused
/// form comes back with what was typed and each problem.
pub(crate) async fn create(
    State(app): State<AppState>,
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
        let booked = async {
            let fields = input.fields()?;
            let eq = match fields.get("equipment").map(|e| e.trim()).unwrap_or("") {
                "" => return Err(Error::staff_field("equipment", "장비를 골라 주세요.")),
                id => crate::service::equipment(&cat, id)?,
            };
            let request = requests::staff_reserve(eq, fields, app.service().now().date)?;
            app.service().staff_reserve(&cat, &s, request).await
        }
        .await;
        if let Ok(r) = &booked {
            let waived = r
                .taken_by_staff
                .as_ref()
                .map(|t| {
                    t.overrides
                        .iter()
                        .map(|o| o.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            app.service()
                .audit(&m, "staff_booking", &r.code.to_string(), &waived)
                .await;
        }
        match booked {
            Ok(r) if html_form(&headers) => Ok(Reply::see_other(&format!(
                "/api/admin/dashboard?done={}&did=booked#{}",
                r.code,
                super::after_action::RESULT_ID
            ))),
            Ok(r) => {
                let reservation = views::reservation(&cat, &r, app.service().now().at, true);
                Ok(Reply::created(Answer::StaffReservation { reservation }))
            }
            Err(e) if html_form(&headers) && matches!(e, Error::Rejected { .. }) => {
                let status = StatusCode::from_u16(e.code().http_status())
                    .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                Ok(Reply::with_status(
                    status,
                    form(&cat, &s, input.values(), Some(&e)),
                ))
            }
            Err(e) => Err(e),
        }
    }
    .await;
    ctx.back_to("/api/admin/bookings/new")
        .returning(ret)
        .reply(result)
}

fn training_form(
    cat: &Catalog,
    s: &StaffScope,
    values: Fields,
    e: Option<&Error>,
    recorded: bool,
) -> Answer {
    Answer::TrainingForm(Box::new(TrainingFormAnswer {
        heading: "교육 수료 기록",
        programmes: crate::service::recordable_programmes(cat, s)
            .map(|p| Named {
                id: p.id.clone(),
                name: p.title.clone(),
            })
            .collect(),
        values,
        errors: e
            .map(crate::api::english::korean_fields)
            .unwrap_or_default(),
        message: e
            .filter(|e| !e.is(Code::InvalidInput))
            .map(Error::message)
            .unwrap_or_default(),
        code: e.map(|e| e.code().as_str()).unwrap_or(""),
        recorded,
    }))
}

/// The training record form (`recorded=1`: one was just saved).
pub(crate) async fn training_page(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: requests::Query,
) -> Response {
    let ctx = ctx.page_only(&app);
    let result = async {
        let s = scope(&app, &headers).await?;
        let recorded = q.contains_key("recorded");
        Ok(Reply::ok(training_form(
            &app.catalog(),
            &s,
            Fields::new(),
            None,
            recorded,
        )))
    }
    .await;
    ctx.reply(result)
}

/// Records a completed programme: JSON `201` with the record (without the
/// person key), or the form answered `303` to itself (`recorded=1`); a
/// refused form comes back with what was typed and each problem.
pub(crate) async fn record_training(
    State(app): State<AppState>,
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
        let done = async {
            let request = requests::record_training(input.fields()?, app.service().now().date)?;
            app.service().staff_record_training(&cat, &s, request).await
        }
        .await;
        if let Ok(t) = &done {
            app.service()
                .audit(
                    &m,
                    "training_record",
                    t.programme.as_str(),
                    &t.completed.to_string(),
                )
                .await;
        }
        match done {
            Ok(_) if html_form(&headers) => {
                Ok(Reply::see_other("/api/admin/trainings/new?recorded=1"))
            }
            Ok(t) => Ok(Reply::created(Answer::Training {
                programme: t.programme.to_string(),
                completed: t.completed.to_string(),
                entry: t.entry,
            })),
            Err(e) if html_form(&headers) && matches!(e, Error::Rejected { .. }) => {
                let status = StatusCode::from_u16(e.code().http_status())
                    .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                Ok(Reply::with_status(
                    status,
                    training_form(&cat, &s, input.values(), Some(&e), false),
                ))
            }
            Err(e) => Err(e),
        }
    }
    .await;
    ctx.back_to("/api/admin/trainings/new")
        .returning(ret)
        .reply(result)
}
