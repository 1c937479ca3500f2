//! 내 예약·신청 (`/my/`, the function's side under `/api/my`): the phone
//! number, the 인증번호, then for 30 minutes the person's records with their
//! actions (view, cancel, survey). Plain forms and 303 redirects, so that it
//! works with JavaScript off; two cookies, both `HttpOnly; SameSite=Strict`
//! on path `/api/my` (and `Secure` on https):
//!
//! * `sbiz_my_code`: between sending and typing the code, the person key
//!   signed with the server secret (10 minutes);
//! * `sbiz_my`: the session (30 minutes), as the staff session is made.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sbiz_catalog::Lang;
use sbiz_presentation::forms::{self, FormView};

use crate::api::answer::{Answer, Echo, Links, Message, MyAnswer, MyItem, Occasion, RecordAnswer};
use crate::api::auth;
use crate::api::client::ClientAddress;
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::{self, Query};
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{Application, ApplicationCode, Reservation, ReservationCode, Subject};
use crate::service::{
    MY_PENDING_SECONDS, MY_SESSION_SECONDS, MySession, SurveyTarget, application_not_found,
    reservation_not_found,
};
use crate::{Code, Error, Result};

/// The session cookie of 내 예약·신청.
pub const MY_COOKIE: &str = "sbiz_my";
/// The cookie between sending and typing the code.
pub const MY_CODE_COOKIE: &str = "sbiz_my_code";
/// Both cookies' path: only the function's 내 예약·신청 routes see them.
const COOKIE_PATH: &str = "/api/my";

const HEADING: &str = "내 예약·신청";
const HEADING_EN: &str = "My reservations and applications";

fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => HEADING,
        Lang::En => HEADING_EN,
    }
}

/// `?lang=en` (or `&lang=en` after other parameters, `more`) on the
/// function's 내 예약·신청 addresses for English pages.
fn en(lang: Lang, more: bool) -> &'static str {
    match (lang, more) {
        (Lang::Ko, _) => "",
        (Lang::En, false) => "?lang=en",
        (Lang::En, true) => "&lang=en",
    }
}

/// `?lang=ko` or `?lang=en`: a survey link or form action of a page of
/// 내 예약·신청 says the page's language, Korean too, because a survey
/// asked for without a language is in its record's language (as the
/// management link's survey is): a person reading the Korean page gets the
/// Korean survey even for a record made in English, and the English page
/// the English one.
fn said(lang: Lang) -> String {
    format!("?lang={}", lang.code())
}

/// The survey link of a record while its survey is open and not yet
/// answered, in the page's language ([`said`]).
async fn survey_link(
    app: &AppState,
    survey: Option<&sbiz_catalog::Id>,
    subject: Subject,
    lang: Lang,
) -> Result<Option<String>> {
    let Some(id) = survey else {
        return Ok(None);
    };
    if app
        .service()
        .store
        .has_survey_response(id, &subject)
        .await?
    {
        return Ok(None);
    }
    Ok(Some(format!("{}{}", survey_path(&subject), said(lang))))
}

/// The address of a record's survey under 내 예약·신청, without the
/// language.
fn survey_path(subject: &Subject) -> String {
    match subject {
        Subject::Reservation(code) => format!("/api/my/reservations/{code}/survey"),
        Subject::Application(code) => format!("/api/my/applications/{code}/survey"),
    }
}

/// `korean` or `english` by the language.
fn tr(lang: Lang, korean: &str, english: &str) -> String {
    match lang {
        Lang::Ko => korean,
        Lang::En => english,
    }
    .to_owned()
}

fn cookie_header(app: &AppState, name: &str, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if app.base().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .ok()
}

fn with_cookie(reply: Reply, cookie: Option<HeaderValue>) -> Reply {
    match cookie {
        Some(v) => reply.header(header::SET_COOKIE, v),
        None => reply,
    }
}

/// The live session of the request, if any.
async fn session(app: &AppState, headers: &HeaderMap) -> Result<Option<MySession>> {
    match auth::cookie(headers, MY_COOKIE) {
        Some(c) => app.service().my_session(c).await,
        None => Ok(None),
    }
}

/// The live session, or `unauthorized` with the way back in.
async fn signed_in(app: &AppState, headers: &HeaderMap) -> Result<MySession> {
    session(app, headers)
        .await?
        .ok_or_else(|| Error::rejected(Code::Unauthorized, crate::Msg::SignInRequired))
}

/// Whether this deployment can send 내 예약·신청's 인증번호: a 문자
/// channel and the catalog's `one_time_code` template.
pub(crate) fn sms_ready(app: &AppState) -> bool {
    app.channels().sender(sbiz_catalog::Channel::Sms).is_some()
        && app
            .catalog()
            .messages
            .template(sbiz_catalog::MessageEvent::OneTimeCode)
            .is_some()
}

fn page(
    step: &'static str,
    form: Option<FormView>,
    notice: Option<String>,
    sms: bool,
    lang: Lang,
) -> MyAnswer {
    MyAnswer {
        heading: heading(lang),
        step,
        form,
        notice,
        until: None,
        reservations: Vec::new(),
        applications: Vec::new(),
        sms,
    }
}

/// The first step: the phone form, or why there is none.
fn phone_step(app: &AppState, notice: Option<String>, lang: Lang) -> MyAnswer {
    if sms_ready(app) {
        page("phone", Some(forms::my_phone(lang)), notice, true, lang)
    } else {
        page("unavailable", None, notice, false, lang)
    }
}

/// What a `done` query says happened.
fn notice_of(q: &Query, lang: Lang) -> Option<String> {
    let code = q
        .get("code")
        .map(|c| {
            c.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(12)
                .collect::<String>()
        })
        .unwrap_or_default();
    Some(match (lang, q.get("done").map(String::as_str)?) {
        (Lang::Ko, "cancelled") => format!("{code} 예약을 취소했습니다."),
        (Lang::Ko, "withdrawn") => format!("{code} 신청을 취소했습니다."),
        (Lang::Ko, "survey") => "만족도 조사에 응답해 주셔서 감사합니다.".to_owned(),
        (Lang::Ko, "signed_out") => {
            "내 예약·신청을 닫았습니다. 다시 보려면 인증번호를 새로 받아 주세요.".to_owned()
        }
        (Lang::En, "cancelled") => format!("Reservation {code} has been cancelled."),
        (Lang::En, "withdrawn") => format!("Application {code} has been cancelled."),
        (Lang::En, "survey") => "Thank you for answering the satisfaction survey.".to_owned(),
        (Lang::En, "signed_out") => {
            "My reservations and applications is closed. To see it again, please get a new verification code."
                .to_owned()
        }
        _ => return None,
    })
}

/// `GET /api/my`: the list for a signed-in person, else the phone form.
pub(crate) async fn home(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let lang = ctx.lang;
    ctx.reply(home_page(&app, &headers, &q, lang).await)
}

async fn home_page(app: &AppState, headers: &HeaderMap, q: &Query, lang: Lang) -> Result<Reply> {
    let Some(s) = session(app, headers).await? else {
        return Ok(Reply::ok(Answer::My(Box::new(phone_step(
            app,
            notice_of(q, lang),
            lang,
        )))));
    };
    Ok(Reply::ok(list(app, &s, notice_of(q, lang), lang).await?))
}

/// The session's records with their actions.
async fn list(app: &AppState, s: &MySession, notice: Option<String>, lang: Lang) -> Result<Answer> {
    let q = en(lang, false);
    let cat = app.catalog();
    let svc = app.service();
    let now = svc.now().at;
    let records = svc.my_records(&cat, s).await?;
    let mut reservations = Vec::new();
    for r in &records.reservations {
        let record = views::reservation(&cat, r, now, false).in_lang(&cat, lang);
        let survey = survey_link(
            app,
            record.survey.as_ref(),
            Subject::Reservation(r.code),
            lang,
        )
        .await?;
        reservations.push(MyItem {
            view: format!("/api/my/reservations/{}{q}", r.code),
            cancel: record
                .cancel_until
                .as_ref()
                .map(|_| format!("/api/my/reservations/{}/cancel", r.code)),
            survey,
            record,
        });
    }
    let mut applications = Vec::new();
    for a in &records.applications {
        let waiting = svc.waiting_before(a).await?;
        let record = views::application(&cat, a, now, waiting, false).in_lang(&cat, lang);
        let survey = survey_link(
            app,
            record.survey.as_ref(),
            Subject::Application(a.code),
            lang,
        )
        .await?;
        applications.push(MyItem {
            view: format!("/api/my/applications/{}{q}", a.code),
            cancel: crate::service::holder_can_cancel(&cat, a, now)
                .then(|| format!("/api/my/applications/{}/cancel", a.code)),
            survey,
            record,
        });
    }
    Ok(Answer::My(Box::new(MyAnswer {
        heading: heading(lang),
        step: "list",
        form: None,
        notice,
        until: Some(views::kst(s.expires)),
        reservations,
        applications,
        sms: sms_ready(app),
    })))
}

/// `POST /api/my/code`: sends a 인증번호 to the phone (always the same
/// answer, whether the phone has records or not).
pub(crate) async fn request_code(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    client: ClientAddress,
    body: Body,
) -> Response {
    if ctx.html() && !sms_ready(&app) {
        // Nothing to correct or try again (the static page cannot know):
        // say so at once, with the other ways in. (The body is not read
        // here: the language is the query's.)
        let answer = Answer::My(Box::new(page("unavailable", None, None, false, ctx.lang)));
        return ctx.reply(Ok(Reply::with_status(
            StatusCode::SERVICE_UNAVAILABLE,
            answer,
        )));
    }
    let result = send_code(&app, &mut ctx, &headers, &client, body).await;
    ctx.reply(result)
}

async fn send_code(
    app: &AppState,
    ctx: &mut Ctx,
    headers: &HeaderMap,
    client: &ClientAddress,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let values = input.values();
    let lang = ctx.lang;
    ctx.echo = Some(Echo {
        form: forms::my_phone(lang),
        values,
    });
    let phone = requests::my_phone(input.fields()?)?;
    let cat = app.catalog();
    let sent = app
        .service()
        .send_my_code(&cat, &app.channels(), &phone, &client.0, lang)
        .await?;
    let cookie = cookie_header(app, MY_CODE_COOKIE, &sent.pending, MY_PENDING_SECONDS);
    if ctx.html() {
        return Ok(with_cookie(
            Reply::see_other(&format!("/api/my/code{}", en(lang, false))),
            cookie,
        ));
    }
    Ok(with_cookie(
        Reply::with_status(
            StatusCode::ACCEPTED,
            Answer::My(Box::new(code_step(None, lang))),
        ),
        cookie,
    ))
}

fn code_step(notice: Option<String>, lang: Lang) -> MyAnswer {
    let notice = notice.unwrap_or_else(|| {
        tr(
            lang,
            "입력하신 휴대전화 번호로 인증번호 6자리를 문자로 보냈습니다. 5분 안에 입력해 주세요. 예약·신청할 때 적은 번호가 아니면 문자는 오지만 목록은 비어 있습니다.",
            "We have texted a 6-digit verification code to the mobile number you entered. Please enter it within 5 minutes. If it is not the number you gave when you booked or applied, the text still arrives but the list is empty.",
        )
    });
    page("code", Some(forms::my_code(lang)), Some(notice), true, lang)
}

/// `GET /api/my/code`: the 인증번호 form, while a code is on its way.
pub(crate) async fn code_form(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let pending =
        auth::cookie(&headers, MY_CODE_COOKIE).is_some_and(|c| app.service().my_code_pending(c));
    let lang = ctx.lang;
    if pending {
        return ctx.reply(Ok(Reply::ok(Answer::My(Box::new(code_step(None, lang))))));
    }
    ctx.reply(Ok(Reply::see_other(&format!("/api/my{}", en(lang, false)))))
}

/// `POST /api/my/verify`: the typed code; right, a 30-minute session.
pub(crate) async fn verify(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    ctx.echo = Some(Echo {
        form: forms::my_code(ctx.lang),
        values: Default::default(),
    });
    let result = check_code(&app, &mut ctx, &headers, body).await;
    if let Err(e) = &result
        && e.is(Code::NotFound)
    {
        // No code on its way: start again from the phone number.
        ctx.echo = None;
    }
    ctx.reply(result)
}

async fn check_code(
    app: &AppState,
    ctx: &mut Ctx,
    headers: &HeaderMap,
    body: Body,
) -> Result<Reply> {
    let input = app.input_in(ctx, headers, body).await?;
    let fields = input.fields()?;
    let lang = ctx.lang;
    if let Some(echo) = ctx.echo.as_mut() {
        echo.form = forms::my_code(lang);
    }
    let typed = fields.get("code").map(|c| c.trim()).unwrap_or("");
    if typed.is_empty() {
        return Err(Error::field("code", crate::Msg::VerificationCodeMissing));
    }
    let pending = auth::cookie(headers, MY_CODE_COOKIE);
    let signed = app.service().verify_my_code(pending, typed).await?;
    let session = cookie_header(app, MY_COOKIE, &signed.cookie, MY_SESSION_SECONDS);
    let cleared = cookie_header(app, MY_CODE_COOKIE, "", 0);
    if ctx.html() {
        return Ok(with_cookie(
            with_cookie(
                Reply::see_other(&format!("/api/my{}", en(lang, false))),
                session,
            ),
            cleared,
        ));
    }
    // An API client gets the list at once.
    let s = app
        .service()
        .my_session(&signed.cookie)
        .await?
        .ok_or_else(|| Error::new(Code::Internal))?;
    let answer = list(app, &s, None, lang).await?;
    Ok(with_cookie(
        with_cookie(Reply::ok(answer), session),
        cleared,
    ))
}

/// `POST /api/my/logout`: ends the session on the server.
pub(crate) async fn logout(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let input = app.input_in(&mut ctx, &headers, body).await?;
        input.fields()?;
        let lang = ctx.lang;
        if let Some(c) = auth::cookie(&headers, MY_COOKIE) {
            app.service().end_my_session(c).await?;
        }
        tracing::info!("person signed out");
        let cleared = cookie_header(&app, MY_COOKIE, "", 0);
        if ctx.html() {
            return Ok(with_cookie(
                Reply::see_other(&format!("/api/my?done=signed_out{}", en(lang, true))),
                cleared,
            ));
        }
        Ok(with_cookie(
            Reply::ok(Answer::My(Box::new(phone_step(&app, None, lang)))),
            cleared,
        ))
    }
    .await;
    ctx.reply(result)
}

/// The links of a record opened from the list: cancel and survey here,
/// no management link (its token is not stored).
fn links(cancel: Option<String>, survey: Option<String>, lang: Lang) -> Links {
    Links {
        manage: None,
        cancel,
        survey,
        ics: None,
        reschedule: None,
        secret_name: "",
        secret: String::new(),
        list: Some(format!("/api/my{}", en(lang, false))),
    }
}

fn reservation_code(code: &str) -> Result<ReservationCode> {
    code.parse().map_err(|_| reservation_not_found())
}

fn application_code(code: &str) -> Result<ApplicationCode> {
    code.parse().map_err(|_| application_not_found())
}

async fn reservation_answer(
    app: &AppState,
    r: &Reservation,
    occasion: Occasion,
    lang: Lang,
) -> Result<Answer> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let record = views::reservation(&cat, r, now, true).in_lang(&cat, lang);
    let survey = survey_link(
        app,
        record.survey.as_ref(),
        Subject::Reservation(r.code),
        lang,
    )
    .await?;
    let cancel = record
        .cancel_until
        .as_ref()
        .map(|_| format!("/api/my/reservations/{}/cancel", r.code));
    Ok(Answer::Reservation(RecordAnswer {
        heading: occasion.reservation_heading(lang),
        occasion,
        record,
        links: links(cancel, survey, lang),
        replayed: false,
        move_form: None,
        move_again: None,
    }))
}

async fn application_answer(
    app: &AppState,
    a: &Application,
    occasion: Occasion,
    lang: Lang,
) -> Result<Answer> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let waiting = app.service().waiting_before(a).await?;
    let record = views::application(&cat, a, now, waiting, true).in_lang(&cat, lang);
    let survey = survey_link(
        app,
        record.survey.as_ref(),
        Subject::Application(a.code),
        lang,
    )
    .await?;
    let cancel = crate::service::holder_can_cancel(&cat, a, now)
        .then(|| format!("/api/my/applications/{}/cancel", a.code));
    Ok(Answer::Application(RecordAnswer {
        heading: occasion.application_heading(lang),
        occasion,
        record,
        links: links(cancel, survey, lang),
        replayed: false,
        move_form: None,
        move_again: None,
    }))
}

/// `GET /api/my/reservations/{code}`.
pub(crate) async fn reservation(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let lang = ctx.lang;
    let result = async {
        let s = signed_in(&app, &headers).await?;
        let r = app
            .service()
            .my_reservation(&s, &reservation_code(&code)?)
            .await?;
        Ok(Reply::ok(
            reservation_answer(&app, &r, Occasion::Shown, lang).await?,
        ))
    }
    .await;
    ctx.reply(result)
}

/// `POST /api/my/reservations/{code}/cancel`: the management link's rules;
/// a page goes back to the list.
pub(crate) async fn cancel_reservation(
    State(app): State<AppState>,
    Path(code): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let input = app.input_in(&mut ctx, &headers, body).await?;
        input.fields()?;
        let lang = ctx.lang;
        let s = signed_in(&app, &headers).await?;
        let cat = app.catalog();
        let r = app
            .service()
            .cancel_my_reservation(&cat, &s, &reservation_code(&code)?)
            .await?;
        if ctx.html() {
            return Ok(Reply::see_other(&format!(
                "/api/my?done=cancelled&code={}{}",
                r.code,
                en(lang, true)
            )));
        }
        Ok(Reply::ok(
            reservation_answer(&app, &r, Occasion::Cancelled, lang).await?,
        ))
    }
    .await;
    ctx.reply(result)
}

/// `GET /api/my/applications/{code}`.
pub(crate) async fn application(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let lang = ctx.lang;
    let result = async {
        let s = signed_in(&app, &headers).await?;
        let a = app
            .service()
            .my_application(&s, &application_code(&code)?)
            .await?;
        Ok(Reply::ok(
            application_answer(&app, &a, Occasion::Shown, lang).await?,
        ))
    }
    .await;
    ctx.reply(result)
}

/// `POST /api/my/applications/{code}/cancel`.
pub(crate) async fn cancel_application(
    State(app): State<AppState>,
    Path(code): Path<String>,
    mut ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let input = app.input_in(&mut ctx, &headers, body).await?;
        input.fields()?;
        let lang = ctx.lang;
        let s = signed_in(&app, &headers).await?;
        let cat = app.catalog();
        let change = app
            .service()
            .cancel_my_application(&cat, &s, &application_code(&code)?)
            .await?;
        if ctx.html() {
            return Ok(Reply::see_other(&format!(
                "/api/my?done=withdrawn&code={}{}",
                change.application.code,
                en(lang, true)
            )));
        }
        Ok(Reply::ok(
            application_answer(&app, &change.application, Occasion::Cancelled, lang).await?,
        ))
    }
    .await;
    ctx.reply(result)
}

/// The survey form of a record, posting back to its 내 예약·신청 address
/// (no code or token in it: the session is the proof).
fn survey_form(
    app: &AppState,
    target: &SurveyTarget<'_>,
    action: &str,
    lang: Lang,
) -> Result<FormView> {
    let cat = app.catalog();
    let about = super::surveys::survey_subject(&cat, target, lang);
    let mut form = forms::survey_about(&cat, target.survey.id.as_str(), &about, "", "", lang)
        .ok_or_else(|| Error::new(Code::NoSurvey))?;
    form.fields
        .retain(|f| f.name != "code" && f.name != "token");
    form.action = action.to_owned();
    Ok(form)
}

async fn show_survey(
    app: &AppState,
    target: SurveyTarget<'_>,
    action: &str,
    lang: Lang,
) -> Result<Reply> {
    if app.service().survey_answered(&target).await? {
        return Err(Error::new(Code::SurveyAlreadySubmitted));
    }
    let form = survey_form(app, &target, action, lang)?;
    Ok(Reply::ok(Answer::Survey(
        crate::api::answer::SurveyAnswer {
            heading: target.survey.title_in(lang).to_owned(),
            form,
            json: Some(crate::api::answer::SurveyJson {
                survey: target.survey.clone(),
                about: target.title.clone(),
                action: format!("{}{action}", app.base()),
            }),
        },
    )))
}

/// Records a response; a page goes back to the list.
async fn submit(
    app: &AppState,
    ctx: &mut Ctx,
    target: SurveyTarget<'_>,
    path: &str,
    values: sbiz_presentation::forms::Values,
    fields: &crate::api::input::Fields,
) -> Result<Reply> {
    ctx.read_lang(fields);
    let lang = ctx.lang;
    let action = format!("{path}{}", said(lang));
    ctx.echo = Some(Echo {
        form: survey_form(app, &target, &action, lang)?,
        values,
    });
    let answers = requests::survey_answers(target.survey, fields)?;
    let response = app.service().submit_survey(target, answers).await?;
    if ctx.html() {
        return Ok(Reply::see_other(&format!(
            "/api/my?done=survey{}",
            en(lang, true)
        )));
    }
    Ok(Reply::created(Answer::Message(Message {
        heading: super::surveys::thanks_heading(lang),
        about: "survey_submitted",
        back: Some(format!("/api/my{}", en(lang, false))),
        survey: response.survey,
    })))
}

/// A survey answer that cannot be taken is not shown as a form again.
fn keep_form_only_for_input(ctx: &mut Ctx, result: &Result<Reply>) {
    if let Err(e) = result
        && !e.is(Code::InvalidInput)
    {
        ctx.echo = None;
    }
}

/// Which of the person's records a survey is asked about.
#[derive(Clone, Copy)]
enum Held {
    Reservation,
    Application,
}

/// The survey of the session's record `code`, and its address (the form's
/// action without the language).
async fn my_survey<'c>(
    app: &AppState,
    cat: &'c sbiz_catalog::Catalog,
    s: &MySession,
    held: Held,
    code: &str,
) -> Result<(SurveyTarget<'c>, String)> {
    match held {
        Held::Reservation => {
            let code = reservation_code(code)?;
            let target = app.service().my_reservation_survey(cat, s, &code).await?;
            Ok((target, survey_path(&Subject::Reservation(code))))
        }
        Held::Application => {
            let code = application_code(code)?;
            let target = app.service().my_application_survey(cat, s, &code).await?;
            Ok((target, survey_path(&Subject::Application(code))))
        }
    }
}

/// A survey is in the language the request asks for (`lang`, which the
/// links and forms of 내 예약·신청 always carry: the page's), else in its
/// record's, as from the management link (`handlers::surveys`).
fn survey_lang(ctx: &mut Ctx, asked: bool, target: &SurveyTarget<'_>) {
    if !asked {
        ctx.lang = target.lang;
    }
}

async fn show_my_survey(
    app: AppState,
    mut ctx: Ctx,
    headers: HeaderMap,
    q: Query,
    held: Held,
    code: String,
) -> Response {
    let result = async {
        let s = signed_in(&app, &headers).await?;
        let cat = app.catalog();
        let (target, path) = my_survey(&app, &cat, &s, held, &code).await?;
        survey_lang(&mut ctx, q.contains_key("lang"), &target);
        let action = format!("{path}{}", said(ctx.lang));
        show_survey(&app, target, &action, ctx.lang).await
    }
    .await;
    ctx.reply(result)
}

async fn submit_my_survey(
    app: AppState,
    mut ctx: Ctx,
    headers: HeaderMap,
    q: Query,
    body: Body,
    held: Held,
    code: String,
) -> Response {
    let result = async {
        let input = app.input_in(&mut ctx, &headers, body).await?;
        let s = signed_in(&app, &headers).await?;
        let cat = app.catalog();
        let (target, path) = my_survey(&app, &cat, &s, held, &code).await?;
        let fields = input.fields()?;
        survey_lang(
            &mut ctx,
            q.contains_key("lang") || fields.contains_key("lang"),
            &target,
        );
        submit(&app, &mut ctx, target, &path, input.values(), fields).await
    }
    .await;
    keep_form_only_for_input(&mut ctx, &result);
    ctx.reply(result)
}

/// `GET /api/my/reservations/{code}/survey`.
pub(crate) async fn reservation_survey(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    show_my_survey(app, ctx, headers, q, Held::Reservation, code).await
}

/// `POST /api/my/reservations/{code}/survey`.
pub(crate) async fn submit_reservation_survey(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
    body: Body,
) -> Response {
    submit_my_survey(app, ctx, headers, q, body, Held::Reservation, code).await
}

/// `GET /api/my/applications/{code}/survey`.
pub(crate) async fn application_survey(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    show_my_survey(app, ctx, headers, q, Held::Application, code).await
}

/// `POST /api/my/applications/{code}/survey`.
pub(crate) async fn submit_application_survey(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
    body: Body,
) -> Response {
    submit_my_survey(app, ctx, headers, q, body, Held::Application, code).await
}
