//! Satisfaction surveys: the form for the holder of a reservation or
//! application, and the response.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use sbiz_catalog::Lang;
use sbiz_presentation::forms;

use crate::api::answer::{Answer, Echo, Message, SurveyAnswer, SurveyJson};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::state::AppState;
use crate::{Code, Error, Result};

/// The survey for a reservation or application (`?code=…&token=…`): its
/// questions as JSON, or as a form, in the language the request asks for
/// (`lang=`), else in the reservation's or application's own.
pub(crate) async fn show(
    State(app): State<AppState>,
    Path(id): Path<String>,
    q: Query,
    mut ctx: Ctx,
) -> Response {
    let result = show_survey(&app, &id, &q, &mut ctx).await;
    ctx.reply(result)
}

async fn show_survey(app: &AppState, id: &str, q: &Query, ctx: &mut Ctx) -> Result<Reply> {
    let cat = app.catalog();
    let code = q.get("code").map(String::as_str).unwrap_or("");
    let token = q.get("token").map(String::as_str).unwrap_or("");
    let holder = requests::survey_holder(code, token)?;
    let target = app.service().survey_target(&cat, id, &holder).await?;
    if !q.contains_key("lang") {
        ctx.lang = target.lang;
    }
    let lang = ctx.lang;
    // Answered already: say so rather than offer the form again.
    if app.service().survey_answered(&target).await? {
        return Err(Error::new(Code::SurveyAlreadySubmitted));
    }
    let about = survey_subject(&cat, &target, lang);
    let form = forms::survey_about(&cat, id, &about, code, token, lang)
        .ok_or_else(|| Error::new(Code::NoSurvey))?;
    let action = format!("{}/api/surveys/{}/responses", app.base(), target.survey.id);
    Ok(Reply::ok(Answer::Survey(SurveyAnswer {
        heading: target.survey.title_in(lang).to_owned(),
        form,
        json: Some(SurveyJson {
            survey: target.survey.clone(),
            about: target.title.clone(),
            action,
        }),
    })))
}

pub(crate) async fn submit(
    State(app): State<AppState>,
    Path(id): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = submit_survey(&app, &mut ctx, &id, &headers, body).await;
    // A survey that is closed or already answered is not shown again.
    if let Err(e) = &result
        && !e.is(Code::InvalidInput)
    {
        ctx.echo = None;
    }
    ctx.reply(result)
}

async fn submit_survey(
    app: &AppState,
    ctx: &mut Ctx,
    id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let cat = app.catalog();
    let values = input.values();
    let get = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let echo = |lang: Lang| {
        forms::survey(&cat, id, get("code"), get("token"), lang).map(|form| Echo {
            form,
            values: values.clone(),
        })
    };
    ctx.echo = echo(ctx.lang);
    let fields = input.fields()?;
    let field = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let holder = requests::survey_holder(field("code"), field("token"))?;
    let target = app.service().survey_target(&cat, id, &holder).await?;
    // Without `lang`, the answer is in the reservation's or application's
    // language, like its survey page.
    if !values.contains_key("lang") && ctx.lang != target.lang {
        ctx.lang = target.lang;
        ctx.echo = echo(ctx.lang);
    }
    let lang = ctx.lang;
    let answers = requests::survey_answers(target.survey, fields)?;
    let response = app.service().submit_survey(target, answers).await?;
    Ok(Reply::created(Answer::Message(Message {
        heading: thanks_heading(lang),
        about: "survey_submitted",
        back: Some(lang.path("/")),
        survey: response.survey,
    })))
}

/// The title of the page after a survey is answered.
pub(crate) fn thanks_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "응답해 주셔서 감사합니다",
        Lang::En => "Thank you for your answers",
    }
}

/// What a survey is about, as its intro names it: the equipment's name or
/// the programme's title in `lang` where the catalog has it.
pub(crate) fn survey_subject(
    cat: &sbiz_catalog::Catalog,
    target: &crate::service::SurveyTarget<'_>,
    lang: Lang,
) -> String {
    if lang == Lang::Ko {
        return target.title.clone();
    }
    // The target names its subject by the Korean name or title.
    let korean = target.title.as_str();
    cat.equipment
        .iter()
        .find(|e| e.name == korean)
        .map(|e| e.name_in(lang))
        .or_else(|| {
            cat.programmes
                .iter()
                .find(|p| p.title == korean)
                .map(|p| p.title_in(lang))
        })
        .unwrap_or(korean)
        .to_owned()
}
