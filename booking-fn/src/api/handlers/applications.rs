//! Programme enrolments, policy and job applications: applying, viewing
//! and withdrawing.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use sbiz_catalog::Lang;
use sbiz_presentation::forms;

use crate::Result;
use crate::api::answer::{AlreadyApplied, Answer, Echo, Links, Occasion, PhoneOf, RecordAnswer};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{Application, ManageToken, TargetKind};
use crate::service::{holder_can_cancel, job, policy_form, programme};
use crate::store::Created;

/// An application for the holder of its link, as JSON or as its page in
/// `lang`.
async fn answer(
    app: &AppState,
    a: &Application,
    token: &ManageToken,
    occasion: Occasion,
    replayed: bool,
    lang: Lang,
) -> Result<Answer> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let waiting_before = app.service().waiting_before(a).await?;
    let record = views::application(&cat, a, now, waiting_before, true).in_lang(&cat, lang);
    let base = app.base();
    let token = token.reveal();
    let code = a.code;
    let en = super::reservations::lang_query(lang);
    let cancellable = holder_can_cancel(&cat, a, now);
    let links = Links {
        manage: Some(format!("{base}/api/applications/{code}?token={token}{en}")),
        cancel: cancellable.then(|| format!("{base}/api/applications/{code}/cancel")),
        survey: record
            .survey
            .as_ref()
            .map(|s| format!("{base}/api/surveys/{s}?code={code}&token={token}{en}")),
        ics: None,
        reschedule: None,
        secret_name: "token",
        secret: token,
        list: None,
    };
    Ok(Answer::Application(RecordAnswer {
        heading: occasion.application_heading(lang),
        occasion,
        record,
        links,
        replayed,
        move_form: None,
        move_again: None,
    }))
}

pub(crate) async fn apply_programme(
    State(app): State<AppState>,
    Path(id): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = apply(&app, &mut ctx, &id, &headers, body, TargetKind::Programme).await;
    ctx.reply(result)
}

pub(crate) async fn apply_policy(
    State(app): State<AppState>,
    Path(id): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = apply(&app, &mut ctx, &id, &headers, body, TargetKind::Policy).await;
    ctx.reply(result)
}

pub(crate) async fn apply_job(
    State(app): State<AppState>,
    Path(id): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = apply(&app, &mut ctx, &id, &headers, body, TargetKind::Job).await;
    ctx.reply(result)
}

/// An application for a programme, a policy or a job: the form echoed back on a
/// mistake, the command, the service call, and the answer.
async fn apply(
    app: &AppState,
    ctx: &mut Ctx,
    id: &str,
    headers: &HeaderMap,
    body: Body,
    kind: TargetKind,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let cat = app.catalog();
    let lang = ctx.lang;
    if ctx.html() {
        ctx.already = Some(already_applied(app, &cat, id, kind));
    }
    let form = match kind {
        TargetKind::Programme => forms::programme(&cat, id, lang),
        TargetKind::Policy => forms::policy(&cat, id, lang),
        TargetKind::Job => forms::job(&cat, id, lang),
    };
    ctx.echo = form.map(|form| Echo {
        form,
        values: input.values(),
    });
    let header = requests::idempotency_header(headers)?;
    let fields = input.fields()?;
    let today = app.service().now().date;
    let Created {
        record,
        token,
        replayed,
    } = match kind {
        TargetKind::Programme => {
            let p = programme(&cat, id)?;
            let request = requests::enrol(&p.id, fields, header)?;
            app.service().apply_programme(&cat, request).await?
        }
        TargetKind::Policy => {
            let (p, form) = policy_form(&cat, id)?;
            let request = requests::apply_policy(&p.id, form, fields, header, today)?;
            app.service().apply_policy(&cat, request).await?
        }
        TargetKind::Job => {
            let j = job(&cat, id)?;
            let request = requests::apply_job(j, fields, header, today)?;
            app.service().apply_job(&cat, request).await?
        }
    };
    if ctx.html() {
        // Post/redirect/get, as for reservations.
        return Ok(Reply::see_other(&format!(
            "{}/api/applications/{}?token={}&result={}{}",
            app.base(),
            record.code,
            token.reveal(),
            kind.as_str(),
            super::reservations::lang_query(lang)
        ))
        .replayed(replayed));
    }
    let answer = answer(
        app,
        &record,
        &token,
        Occasion::Applied(kind),
        replayed,
        lang,
    )
    .await?;
    Ok(Reply::created(answer).replayed(replayed))
}

/// The ways to an application already made to `id`, for an
/// `already_applied` page: 내 예약·신청 when it can send its 인증번호, and
/// a phone: the facility in charge of a programme or job; for a policy,
/// which no facility runs, its own contact, else the site's 대표전화 (from
/// the site's theme, `forms.json`; none with the built-in pages).
fn already_applied(
    app: &AppState,
    cat: &sbiz_catalog::Catalog,
    id: &str,
    kind: TargetKind,
) -> AlreadyApplied {
    let facility_phone = |f: Option<&sbiz_catalog::Id>| {
        f.and_then(|f| cat.facility(f.as_str()))
            .map(|f| f.phone.to_string())
    };
    let (phone, phone_of) = match kind {
        TargetKind::Programme => (
            facility_phone(cat.programme(id).map(|p| &p.facility)),
            PhoneOf::Facility,
        ),
        TargetKind::Job => (
            facility_phone(cat.job(id).map(|j| &j.facility)),
            PhoneOf::Facility,
        ),
        TargetKind::Policy => match cat.policy(id).and_then(|p| p.contact.as_ref()) {
            Some(contact) => (Some(contact.to_string()), PhoneOf::Policy),
            None => (app.theme().and_then(|t| t.site_phone()), PhoneOf::Site),
        },
    };
    AlreadyApplied {
        my: super::my::sms_ready(app),
        phone,
        phone_of,
    }
}

pub(crate) async fn show(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    ctx: Ctx,
) -> Response {
    let lang = ctx.lang;
    ctx.reply(show_application(&app, &code, &q, lang).await)
}

async fn show_application(app: &AppState, code: &str, q: &Query, lang: Lang) -> Result<Reply> {
    let reference = requests::application(code, requests::token_from(q, None))?;
    let a = app.service().application(&reference).await?;
    let occasion = match q.get("result").map(String::as_str) {
        Some("programme") => Occasion::Applied(TargetKind::Programme),
        Some("policy") => Occasion::Applied(TargetKind::Policy),
        Some("job") => Occasion::Applied(TargetKind::Job),
        _ => Occasion::Shown,
    };
    Ok(Reply::ok(
        answer(app, &a, &reference.token, occasion, false, lang).await?,
    ))
}

pub(crate) async fn cancel(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = cancel_application(&app, &mut ctx, &code, &q, &headers, body).await;
    ctx.reply(result)
}

async fn cancel_application(
    app: &AppState,
    ctx: &mut Ctx,
    code: &str,
    q: &Query,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let lang = ctx.lang;
    let reference = requests::application(code, requests::token_from(q, Some(input.fields()?)))?;
    let cat = app.catalog();
    let change = app.service().cancel_application(&cat, &reference).await?;
    let answer = answer(
        app,
        &change.application,
        &reference.token,
        Occasion::Cancelled,
        false,
        lang,
    )
    .await?;
    Ok(Reply::ok(answer))
}
