//! Equipment: reservations, 예약 조회, the iCalendar file and
//! cancelling.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use sbiz_catalog::{Catalog, Lang};
use sbiz_presentation::forms::{self, Values};

use crate::Result;
use crate::api::answer::{Answer, Echo, Links, MoveAgain, Occasion, RecordAnswer};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::rule_field;
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{Reservation, ReservationStatus};
use crate::service::{Proof, ReservationRef, Reserved, equipment};
use crate::store::Created;

/// What proves the asker holds a reservation, as the answer shows it: the
/// token (in the management link) or the phone number typed in 예약 조회.
enum Secret {
    Token(String),
    Phone(String),
}

fn links(
    app: &AppState,
    view: &views::ReservationView,
    r: &Reservation,
    secret: Secret,
    lang: Lang,
) -> Links {
    let base = app.base();
    let code = r.code;
    let en = lang_query(lang);
    let (manage, survey, ics) = match &secret {
        Secret::Token(token) => (
            Some(format!("{base}/api/reservations/{code}?token={token}{en}")),
            view.survey
                .as_ref()
                .map(|s| format!("{base}/api/surveys/{s}?code={code}&token={token}{en}")),
            (matches!(
                r.status,
                ReservationStatus::Confirmed | ReservationStatus::Pending
            ) && !view.ended)
                .then(|| format!("{base}/api/reservations/{code}/ics?token={token}{en}")),
        ),
        Secret::Phone(_) => (None, None, None),
    };
    let reschedule = (matches!(secret, Secret::Token(_)) && view.cancel_until.is_some())
        .then(|| format!("{base}/api/reservations/{code}/reschedule"));
    let (secret_name, secret) = match secret {
        Secret::Token(t) => ("token", t),
        Secret::Phone(p) => ("phone", p),
    };
    Links {
        manage,
        cancel: view
            .cancel_until
            .as_ref()
            .map(|_| format!("{base}/api/reservations/{code}/cancel")),
        survey,
        ics,
        reschedule,
        secret_name,
        secret,
        list: None,
    }
}

/// The secret of a reference, as the answer shows it.
fn secret_of(reference: &ReservationRef, phone: Option<String>) -> Secret {
    match (&reference.proof, phone) {
        (Proof::Token(token), _) => Secret::Token(token.reveal()),
        (Proof::Phone(_), phone) => Secret::Phone(phone.unwrap_or_default()),
    }
}

/// `&lang=en` for links that open English pages, nothing for Korean.
pub(crate) fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "",
        Lang::En => "&lang=en",
    }
}

/// A reservation for its holder, as JSON or as its page in `lang`;
/// `replayed` when given again for a request already answered.
fn answer(
    app: &AppState,
    cat: &Catalog,
    r: &Reservation,
    secret: Secret,
    occasion: Occasion,
    replayed: bool,
    lang: Lang,
) -> Answer {
    let now = app.service().now().at;
    let record = views::reservation(cat, r, now, true).in_lang(cat, lang);
    let links = links(
        app,
        &views::reservation(cat, r, now, false),
        r,
        secret,
        lang,
    );
    let move_form = links.reschedule.clone().and_then(|action| {
        let run = [
            ("date", r.run.date().to_string()),
            ("start", r.run.start().to_string()),
            ("slots", r.run.count().to_string()),
        ];
        let values = run.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        forms::reschedule(cat, r.run.equipment().as_str(), action, &values, lang)
    });
    Answer::Reservation(RecordAnswer {
        heading: occasion.reservation_heading(lang),
        occasion,
        record,
        links,
        replayed,
        move_form,
        move_again: None,
    })
}

pub(crate) async fn create(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = create_reservation(&app, &mut ctx, &headers, body).await;
    ctx.reply(result)
}

async fn create_reservation(
    app: &AppState,
    ctx: &mut Ctx,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let cat = app.catalog();
    let values = input.values();
    let lang = ctx.lang;
    // The form shown again with an error page; a JSON answer has no use for
    // it (building it costs more than the rest of the request's parsing).
    ctx.echo = values
        .get("equipment")
        .filter(|_| ctx.html())
        .and_then(|e| forms::reservation(&cat, e, app.service().now().date, lang))
        .map(|form| Echo {
            form,
            values: values.clone(),
        });
    let fields = input.fields()?;
    let header = requests::idempotency_header(headers)?;
    let eq = equipment(
        &cat,
        fields.get("equipment").map(|e| e.trim()).unwrap_or(""),
    )?;
    let request = requests::reserve(eq, fields, header, app.service().now().date)?;
    Ok(match app.service().reserve(&cat, request).await? {
        Reserved::Made(Created {
            record,
            token,
            replayed,
        }) if ctx.html() => {
            // Post/redirect/get: a reload shows the reservation again
            // instead of sending the form a second time.
            Reply::see_other(&format!(
                "{}/api/reservations/{}?token={}&result=1{}",
                app.base(),
                record.code,
                token.reveal(),
                lang_query(lang)
            ))
            .replayed(replayed)
        }
        Reserved::Made(Created {
            record,
            token,
            replayed,
        }) => {
            let secret = Secret::Token(token.reveal());
            Reply::created(answer(
                app,
                &cat,
                &record,
                secret,
                Occasion::Made,
                replayed,
                lang,
            ))
            .replayed(replayed)
        }
        Reserved::Repeat(record) => {
            let phone = fields.get("phone").map(|p| p.trim().to_owned());
            let secret = Secret::Phone(phone.unwrap_or_default());
            Reply::ok(answer(
                app,
                &cat,
                &record,
                secret,
                Occasion::Repeat,
                true,
                lang,
            ))
            .replayed(true)
        }
    })
}

/// 예약 조회 by code and phone number (the form of `/reservation/`).
pub(crate) async fn lookup(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = lookup_reservation(&app, &mut ctx, &headers, body).await;
    ctx.reply(result)
}

async fn lookup_reservation(
    app: &AppState,
    ctx: &mut Ctx,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let values = input.values();
    let lang = ctx.lang;
    ctx.echo = Some(Echo {
        form: forms::lookup(lang),
        values,
    });
    let (reference, phone) = requests::lookup(input.fields()?)?;
    let r = app.service().reservation(&reference).await?;
    let cat = app.catalog();
    let secret = secret_of(&reference, Some(phone));
    Ok(Reply::ok(answer(
        app,
        &cat,
        &r,
        secret,
        Occasion::Shown,
        false,
        lang,
    )))
}

/// The reservation as an iCalendar file, for the holder of the link.
pub(crate) async fn ics(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    ctx: Ctx,
) -> Response {
    let lang = ctx.lang;
    ctx.reply(reservation_ics(&app, &code, &q, lang).await)
}

async fn reservation_ics(app: &AppState, code: &str, q: &Query, lang: Lang) -> Result<Reply> {
    let reference = requests::reservation_by_token(code, requests::token_from(q, None))?;
    let r = app.service().reservation(&reference).await?;
    let cat = app.catalog();
    let view = views::reservation(&cat, &r, app.service().now().at, false).in_lang(&cat, lang);
    let body = views::reservation_ics(&view, &app.base(), r.created_at, lang);
    Ok(Reply::file(
        "text/calendar; charset=utf-8",
        &format!("reservation-{}.ics", r.code),
        body,
    ))
}

pub(crate) async fn show(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    ctx: Ctx,
) -> Response {
    let lang = ctx.lang;
    ctx.reply(show_reservation(&app, &code, &q, lang).await)
}

async fn show_reservation(app: &AppState, code: &str, q: &Query, lang: Lang) -> Result<Reply> {
    let reference = requests::reservation_by_token(code, requests::token_from(q, None))?;
    let r = app.service().reservation(&reference).await?;
    let occasion = if q.get("result").map(String::as_str) == Some("moved") {
        Occasion::Rescheduled
    } else if q.contains_key("result") {
        Occasion::Made
    } else {
        Occasion::Shown
    };
    let cat = app.catalog();
    let secret = secret_of(&reference, None);
    Ok(Reply::ok(answer(
        app, &cat, &r, secret, occasion, false, lang,
    )))
}

pub(crate) async fn cancel(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = cancel_reservation(&app, &mut ctx, &code, &q, &headers, body).await;
    ctx.reply(result)
}

async fn cancel_reservation(
    app: &AppState,
    ctx: &mut Ctx,
    code: &str,
    q: &Query,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let fields = input.fields()?;
    let lang = ctx.lang;
    let (reference, phone) = requests::cancel_reservation(code, q, fields)?;
    let cat = app.catalog();
    let r = app.service().cancel_reservation(&cat, &reference).await?;
    let secret = secret_of(&reference, phone);
    Ok(Reply::ok(answer(
        app,
        &cat,
        &r,
        secret,
        Occasion::Cancelled,
        false,
        lang,
    )))
}

/// 예약 변경 by the holder of the management link: `date`, `start` and
/// `slots` (or `end`), the token in the query or the form.
pub(crate) async fn reschedule(
    State(app): State<AppState>,
    Path(code): Path<String>,
    q: Query,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = reschedule_reservation(&app, &mut ctx, &code, &q, &headers, body).await;
    ctx.reply(result)
}

async fn reschedule_reservation(
    app: &AppState,
    ctx: &mut Ctx,
    code: &str,
    q: &Query,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let fields = input.fields()?;
    let lang = ctx.lang;
    let reference = requests::reservation_by_token(code, requests::token_from(q, Some(fields)))?;
    let cat = app.catalog();
    let held = app.service().reservation(&reference).await?;
    let eq = equipment(&cat, held.run.equipment().as_str())?;
    let moved = match requests::reschedule(eq, fields, app.service().now().date) {
        Ok(to) => {
            app.service()
                .reschedule_reservation(&cat, &reference, to)
                .await
        }
        Err(e) => Err(e),
    };
    let r = match moved {
        Ok(r) => r,
        // JavaScript off: the reservation's page again, the form with what
        // was typed and why it was refused.
        Err(e) if ctx.html() && matches!(e, crate::Error::Rejected { .. }) => {
            let status = axum::http::StatusCode::from_u16(e.code().http_status())
                .unwrap_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            let mut again = answer(
                app,
                &cat,
                &held,
                secret_of(&reference, None),
                Occasion::Shown,
                false,
                lang,
            );
            if let Answer::Reservation(a) = &mut again {
                // The form keeps what was typed.
                let typed: Values = ["date", "start", "slots"]
                    .into_iter()
                    .map(|k| {
                        let v = fields.get(k).map(|v| v.trim()).unwrap_or_default();
                        (k.to_owned(), v.to_owned())
                    })
                    .collect();
                a.move_form = a.links.reschedule.clone().and_then(|action| {
                    forms::reschedule(&cat, eq.id.as_str(), action, &typed, lang)
                });
                // Each problem at its field, a booking rule's refusal at
                // the field it is about, as on the booking form.
                let message = match a.move_form.as_mut() {
                    Some(form) => {
                        let (fields, message) = rule_field::problems(&e, form, lang);
                        form.mark(&fields);
                        message
                    }
                    None => crate::api::english::message(&e, lang),
                };
                a.move_again = Some(MoveAgain { message });
            }
            return Ok(Reply::with_status(status, again));
        }
        Err(e) => return Err(e),
    };
    let Proof::Token(token) = &reference.proof else {
        return Err(crate::Error::new(crate::Code::NotFound));
    };
    if ctx.html() {
        return Ok(Reply::see_other(&format!(
            "{}/api/reservations/{}?token={}&result=moved{}",
            app.base(),
            r.code,
            token.reveal(),
            lang_query(lang)
        )));
    }
    let secret = secret_of(&reference, None);
    Ok(Reply::ok(answer(
        app,
        &cat,
        &r,
        secret,
        Occasion::Rescheduled,
        false,
        lang,
    )))
}
