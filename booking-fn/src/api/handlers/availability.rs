//! `GET /api/equipment/{id}/availability`: the free times of a piece of
//! equipment. Scripts get the days as JSON (the calendar of the booking
//! form); a browser (JavaScript off: the plain form on the equipment page)
//! gets a page: the date asked with each slot free or taken, or why nothing
//! can be booked that day, the six days after it, and the booking form with
//! the date filled in.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use sbiz_catalog::{Catalog, Date, Equipment, Lang};
use sbiz_presentation::forms::{self, FormView};
use serde::Serialize;

use super::reservations::lang_query;
use crate::api::answer::{Answer, new_idempotency_key};
use crate::api::english;
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::state::AppState;
use crate::api::views::Named;
use crate::domain::rules::{self, DayState};
use crate::message::Duration;
use crate::service::notify::day_label;
use crate::service::{DayAvailability, Now, equipment};
use crate::{Error, Msg, Result};

/// How many days the page shows: the date asked and the six after it.
const PAGE_DAYS: i32 = 7;

pub(crate) async fn availability(
    State(app): State<AppState>,
    Path(id): Path<String>,
    q: Query,
    ctx: Ctx,
) -> Response {
    if ctx.html() {
        let lang = ctx.lang;
        return ctx.reply(page(&app, &id, &q, lang).await);
    }
    ctx.reply(days(&app, &id, &q).await)
}

/// The days from `from` to `to` (two weeks from `from` by default) as JSON.
async fn days(app: &AppState, id: &str, q: &Query) -> Result<Reply> {
    let today = app.service().now().date;
    let from = requests::date_param(q, "from", today)?.unwrap_or(today);
    let to = requests::date_param(q, "to", today)?.unwrap_or(from.add_days(13));
    let cat = app.catalog();
    let a = app.service().availability(&cat, id, from, to).await?;
    Ok(Reply::ok(Answer::Availability(a))
        .header(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

/// The page of free times (`answer.kind` `times` in `forms/answer.html`).
#[derive(Debug, Serialize)]
pub(crate) struct TimesAnswer {
    pub heading: String,
    pub equipment: Named,
    pub facility: String,
    /// The equipment's page, in the page's language.
    pub page_url: String,
    /// The date asked, with its slots; `None` when the date could not be
    /// read (the form's field then says why).
    pub day: Option<TimesDay>,
    /// The days after it.
    pub next: Vec<TimesDay>,
    /// The same page for the day before (not before today) and the day after.
    pub earlier: Option<String>,
    pub later: Option<String>,
    /// The booking form, the date asked filled in, its 시작 시간 offering
    /// only the starts of that day from which the shortest booking is free;
    /// its `calendar` holds the date form shown again.
    pub form: FormView,
    /// Shown in the booking form's place when no start of the day asked is
    /// free for the shortest booking (the form is then not offered).
    pub no_start: Option<String>,
}

/// One day of the page.
#[derive(Debug, Serialize)]
pub(crate) struct TimesDay {
    pub date: String,
    /// `3월 5일(목)`, `Thu 5 March`.
    pub label: String,
    /// open, holiday, closed, too_soon, too_far (as the JSON's).
    pub state: &'static str,
    /// What closed the day, when staff did (임시 휴관, 장비 사용 중지), in
    /// the page's language.
    pub closure: Option<String>,
    /// On English pages, the note staff added to the closure, in Korean as
    /// typed (the page marks it `lang="ko"`); the Korean text has it inside.
    pub closure_note: Option<String>,
    /// Why nothing can be booked that day, when nothing can.
    pub reason: Option<String>,
    pub free: usize,
    pub slots: Vec<TimesSlot>,
    /// This page for that day.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimesSlot {
    pub start: String,
    pub end: String,
    /// free, taken or past.
    pub status: &'static str,
}

async fn page(app: &AppState, id: &str, q: &Query, lang: Lang) -> Result<Reply> {
    let cat = app.catalog();
    let eq = equipment(&cat, id)?;
    let now = app.service().now();
    let first_day = now.date.add_days(i32::from(
        eq.rules.min_days_ahead.min(eq.rules.max_days_ahead),
    ));
    let asked = requests::date_param(q, "date", now.date);
    let mut form = forms::reservation(&cat, id, now.date, lang)
        .ok_or_else(|| Error::rejected(crate::Code::NotFound, Msg::EquipmentNotFound))?;
    form.idempotency_key = Some(new_idempotency_key());
    let typed: String = q
        .get("date")
        .map(|d| d.trim().chars().take(20).collect())
        .unwrap_or_default();
    let date = match asked {
        Ok(date) => date.unwrap_or(first_day),
        Err(e) => {
            let message = e
                .field_errors()
                .and_then(|f| f.get("date"))
                .map(|m| english::field(m, lang, Some("Date")))
                .unwrap_or_else(|| english::message(&e, lang));
            if let Some(c) = form.calendar.as_mut() {
                c.date = typed;
                c.error = Some(message);
            }
            let answer = Answer::Times(Box::new(times_answer(&cat, eq, lang, form)));
            return Ok(Reply::ok(answer).with_code(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let a = app
        .service()
        .availability(&cat, id, date, date.add_days(PAGE_DAYS - 1))
        .await?;
    let url = |d: Date| {
        format!(
            "{}/api/equipment/{}/availability?date={d}{}",
            app.base(),
            eq.id,
            lang_query(lang)
        )
    };
    let mut days = a
        .days
        .iter()
        .map(|d| day_view(&cat, eq, d, &now, lang, url(d.date)));
    let day = days.next();
    let next: Vec<TimesDay> = days.collect();
    let date_text = date.to_string();
    form.fill(&[("date".to_owned(), date_text.clone())].into(), None, "");
    if let Some(c) = form.calendar.as_mut() {
        c.date = date_text;
    }
    let no_start = a
        .days
        .first()
        .and_then(|asked| offer_free_starts(&mut form, eq, asked, lang));
    let answer = TimesAnswer {
        day,
        next,
        no_start,
        earlier: (date > now.date).then(|| url(date.add_days(-1))),
        later: Some(url(date.add_days(1))),
        ..times_answer(&cat, eq, lang, form)
    };
    Ok(Reply::ok(Answer::Times(Box::new(answer)))
        .header(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

/// The page for `eq` with `form`, before the days are put in.
fn times_answer(cat: &Catalog, eq: &Equipment, lang: Lang, form: FormView) -> TimesAnswer {
    let name = eq.name_in(lang);
    TimesAnswer {
        heading: match lang {
            Lang::Ko => format!("예약 가능한 시간: {name}"),
            Lang::En => format!("Free times: {name}"),
        },
        equipment: Named {
            id: eq.id.clone(),
            name: name.to_owned(),
        },
        facility: cat
            .facility(eq.facility.as_str())
            .map(|f| f.name_in(lang).to_owned())
            .unwrap_or_default(),
        page_url: form.page_url.clone(),
        day: None,
        next: Vec::new(),
        earlier: None,
        later: None,
        form,
        no_start: None,
    }
}

/// Narrows the form's 시작 시간 to the starts of `day` from which the
/// equipment's shortest booking is free (the server still judges a longer
/// duration chosen); when there is none, what the page says instead of the
/// form.
fn offer_free_starts(
    form: &mut FormView,
    eq: &Equipment,
    day: &DayAvailability,
    lang: Lang,
) -> Option<String> {
    let free: Vec<String> = day
        .free_starts(eq.rules.min_slots)
        .iter()
        .map(ToString::to_string)
        .collect();
    if free.is_empty() {
        let shortest = Duration::of_slots(eq.rules.slot_minutes, eq.rules.min_slots);
        let some_free = eq.rules.min_slots > 1 && day.slots.iter().any(|s| s.free);
        return Some(match (lang, some_free) {
            (Lang::Ko, true) => format!(
                "이 날은 {} 이상 이어서 비어 있는 시간이 없습니다. 이 장비는 한 번에 {} 이상 예약해야 하니 다른 날을 골라 주세요.",
                shortest.korean(),
                shortest.korean()
            ),
            (Lang::En, true) => format!(
                "No free time on this day is as long as the shortest booking of this equipment ({}). Please choose another day.",
                shortest.english()
            ),
            (Lang::Ko, false) => {
                "이 날은 예약할 수 있는 시작 시간이 없습니다. 다른 날을 골라 주세요.".to_owned()
            }
            (Lang::En, false) => {
                "There is no start time you can book on this day. Please choose another day."
                    .to_owned()
            }
        });
    }
    if let Some(start) = form.fields.iter_mut().find(|f| f.name == "start") {
        start.options.retain(|o| free.contains(&o.value));
    }
    None
}

/// A day of the availability as the page shows it.
fn day_view(
    cat: &Catalog,
    eq: &Equipment,
    d: &DayAvailability,
    now: &Now,
    lang: Lang,
    url: String,
) -> TimesDay {
    let slots: Vec<TimesSlot> = d
        .slots
        .iter()
        .map(|s| TimesSlot {
            start: s.start.to_string(),
            end: s.end.to_string(),
            status: if s.free {
                "free"
            } else if d.date == now.date && s.start <= now.time {
                "past"
            } else {
                "taken"
            },
        })
        .collect();
    let free = slots.iter().filter(|s| s.status == "free").count();
    let state = rules::day_state(cat, &eq.rules, d.date, now.date);
    let closure = d.closure.as_ref().map(|c| match lang {
        Lang::Ko => c.korean(),
        Lang::En => c.english(),
    });
    let reason = if let Some(closure) = &closure {
        Some(match lang {
            Lang::Ko => format!("이 날은 예약을 받지 않습니다: {closure}"),
            Lang::En => format!("No bookings on this day: {closure}."),
        })
    } else if state == DayState::TooSoon && d.date < now.date {
        Some(english::field(&Msg::PastDate, lang, None))
    } else if let Some(e) = rules::refusal(state, &eq.rules, now.date, false) {
        Some(english::message(&e, lang))
    } else if free == 0 {
        Some(
            match lang {
                Lang::Ko => "이 날은 빈 시간이 없습니다. 다른 날을 골라 주세요.",
                Lang::En => "There are no free times on this day. Please choose another day.",
            }
            .to_owned(),
        )
    } else {
        None
    };
    TimesDay {
        date: d.date.to_string(),
        label: day_label(d.date, lang),
        state: d.state,
        closure,
        closure_note: d
            .closure
            .as_ref()
            .and_then(|c| c.note())
            .filter(|_| lang == Lang::En)
            .map(str::to_owned),
        reason,
        free,
        // A closed day's slots are all shut: its reason says it all.
        slots: if d.closure.is_some() {
            Vec::new()
        } else {
            slots
        },
        url,
    }
}
