//! Requests parsed at the edge into the service's typed commands (as
//! `TryFrom<FormData>` in Zero To Production): the form's field names
//! (`consent`, `idempotency_key`, `fields.<id>`, `answers.<id>`) are known
//! here and nowhere else, and each parse returns every field error at once.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use sbiz_catalog::{Date, Equipment, FormField, Survey, TimeOfDay};

use super::input::Fields;
use crate::domain::forms::{validate_answers, validate_form};
use crate::domain::{
    Answer, BusinessName, Email, IdempotencyKey, ManageToken, Notify, Person, PersonName, SlotRun,
};
use crate::service::{
    Applicant, ApplicationRef, ApplyJob, ApplyPolicy, Enrol, Proof, ReservationRef, Reserve,
    SurveyHolder, application_not_found, reservation_not_found, survey_holder_not_found,
};
use crate::{Code, Error, FieldErrors, Msg, Result};

/// The query string of a GET.
pub(crate) type Query = axum::extract::Query<BTreeMap<String, String>>;

fn get<'f>(fields: &'f Fields, name: &str) -> &'f str {
    fields.get(name).map(|s| s.trim()).unwrap_or("")
}

/// The `Idempotency-Key` header, if sent. One that is not visible ASCII
/// (`Idempotency-Key: 키키키키키키키키`) cannot be a valid key: it is refused
/// like any other malformed key, never taken as no key at all.
pub(crate) fn idempotency_header(headers: &HeaderMap) -> Result<Option<&str>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| Error::field("idempotency_key", IdempotencyKey::INVALID.0)),
    }
}

/// The idempotency key from the header or, for plain HTML forms that cannot
/// set headers, the `idempotency_key` field.
pub(crate) fn idempotency_key(
    header: Option<&str>,
    fields: &Fields,
) -> Result<Option<IdempotencyKey>> {
    match header
        .or(fields.get("idempotency_key").map(String::as_str))
        .map(str::trim)
    {
        None | Some("") => Ok(None),
        Some(k) => k
            .parse()
            .map(Some)
            .map_err(|e: crate::domain::Invalid| Error::field("idempotency_key", e.0)),
    }
}

/// Collects the errors of one request's fields.
struct Problems(FieldErrors);

impl Problems {
    fn new() -> Problems {
        Problems(FieldErrors::new())
    }

    fn add(&mut self, field: &str, message: Msg) {
        self.0.insert(field.to_owned(), message);
    }

    /// Keeps the value, or the field errors of `e`.
    fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if let Some(f) = e.field_errors() {
                    self.0.extend(f.clone());
                }
                None
            }
        }
    }

    /// Fails with all field errors at once, or `consent_required` when
    /// consent was the only thing missing.
    fn finish(self) -> Result<()> {
        let errors = self.0;
        if errors.is_empty() {
            return Ok(());
        }
        if errors.len() == 1 && errors.contains_key("consent") {
            let mut e = Error::new(Code::ConsentRequired);
            if let Error::Rejected { fields, .. } = &mut e {
                *fields = errors;
            }
            return Err(e);
        }
        Err(Error::fields(errors))
    }
}

/// Whether a form asks for a business name: every form of 소공인 does; a
/// job application does not (the minimum the purpose needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Business {
    Asked,
    NotAsked,
}

/// The personal fields, the consent box and the idempotency key shared by
/// every form.
fn applicant(fields: &Fields, header: Option<&str>, p: &mut Problems) -> Option<Applicant> {
    person_fields(fields, header, p, Business::Asked)
}

fn person_fields(
    fields: &Fields,
    header: Option<&str>,
    p: &mut Problems,
    asked: Business,
) -> Option<Applicant> {
    let idempotency = p.take(idempotency_key(header, fields));
    let name = PersonName::parse(get(fields, "name"))
        .map_err(|e| p.add("name", e.0))
        .ok();
    let phone = if get(fields, "phone").is_empty() {
        p.add("phone", Msg::PhoneMissing);
        None
    } else {
        get(fields, "phone")
            .parse::<sbiz_catalog::Phone>()
            .map_err(|_| p.add("phone", Msg::PhoneFormat))
            .ok()
    };
    let business = match asked {
        Business::Asked => BusinessName::parse(get(fields, "business"))
            .map(Some)
            .map_err(|e| p.add("business", e.0))
            .ok(),
        // A business name sent anyway is not stored.
        Business::NotAsked => Some(None),
    };
    let email = match get(fields, "email") {
        "" => Some(None),
        e => Email::parse(e)
            .map(Some)
            .map_err(|e| p.add("email", e.0))
            .ok(),
    };
    let notify = notify(fields, p);
    if notify.is_some_and(|n| n.email) && matches!(email, Some(None)) && notify_chosen(fields) {
        p.add("email", Msg::EmailForUpdates);
    }
    if !sbiz_catalog::truthy(get(fields, "consent")) {
        p.add("consent", Msg::Code(Code::ConsentRequired));
    }
    Some(Applicant {
        person: Person {
            name: name?,
            phone: phone?,
            business: business?,
            email: email?,
            notify: notify?,
        },
        idempotency: idempotency?,
        lang: match get(fields, "lang") {
            "en" => sbiz_catalog::Lang::En,
            _ => sbiz_catalog::Lang::Ko,
        },
    })
}

/// Whether the request says how the person wants to hear from the portal
/// (the form's 문자/이메일 boxes, or `notify` in JSON).
fn notify_chosen(fields: &Fields) -> bool {
    !get(fields, "notify").is_empty() || sbiz_catalog::truthy(get(fields, "notify_asked"))
}

/// The person's choice of channels: `notify` = `sms,email`, `sms`,
/// `email` or `none` (JSON), or the form's `notify_sms` / `notify_email`
/// boxes (with the hidden `notify_asked`, so that two unticked boxes mean
/// "none" and not "not asked"); both when the request does not say.
fn notify(fields: &Fields, p: &mut Problems) -> Option<Notify> {
    match get(fields, "notify") {
        "" if sbiz_catalog::truthy(get(fields, "notify_asked")) => Some(Notify {
            sms: sbiz_catalog::truthy(get(fields, "notify_sms")),
            email: sbiz_catalog::truthy(get(fields, "notify_email")),
        }),
        "" => Some(Notify::default()),
        v => {
            let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let parsed = Notify::parse(&v).or_else(|| (v == "email,sms").then(Notify::default));
            if parsed.is_none() {
                p.add("notify", Msg::NotifyChoice);
            }
            parsed
        }
    }
}

/// A booking of `eq`: `date`, `start`, `slots` or `end` (not both), the
/// person, `consent`, `idempotency_key`.
pub(crate) fn reserve(
    eq: &Equipment,
    fields: &Fields,
    header: Option<&str>,
    today: Date,
) -> Result<Reserve> {
    let mut p = Problems::new();
    let run = parse_run(eq, fields, today, &mut p.0);
    let applicant = applicant(fields, header, &mut p);
    p.finish()?;
    match (run, applicant) {
        (Some(run), Some(applicant)) => Ok(Reserve { run, applicant }),
        _ => Err(Error::new(Code::InvalidInput)),
    }
}

/// 전화·방문 접수: the run (`equipment` chosen by the caller), the
/// person (`name`, `phone`, `business`, `email`?), `consent_method`
/// (`verbal` or `paper`) and `override_<rule>` ticks for the waived rules.
/// The person hears by 문자 when the phone is a mobile number and by e-mail
/// when one was given.
pub(crate) fn staff_reserve(
    eq: &Equipment,
    fields: &Fields,
    today: Date,
) -> Result<crate::service::StaffReserve> {
    use crate::domain::{ConsentMethod, RuleOverride};
    let mut p = Problems::new();
    let run = parse_run(eq, fields, today, &mut p.0);
    let name = PersonName::parse(get(fields, "name"))
        .map_err(|e| p.add("name", e.0))
        .ok();
    let phone = match get(fields, "phone") {
        "" => {
            p.add("phone", Msg::PhoneMissing);
            None
        }
        v => v
            .parse::<sbiz_catalog::Phone>()
            .map_err(|_| p.add("phone", Msg::PhoneFormat))
            .ok(),
    };
    let business = BusinessName::parse(get(fields, "business"))
        .map_err(|e| p.add("business", e.0))
        .ok();
    let email = match get(fields, "email") {
        "" => Some(None),
        e => Email::parse(e)
            .map(Some)
            .map_err(|e| p.add("email", e.0))
            .ok(),
    };
    let consent = match ConsentMethod::parse(get(fields, "consent_method")) {
        Some(c) => Some(c),
        None => {
            p.add(
                "consent_method",
                Msg::KoreanOnly(
                    "개인정보 수집·이용 동의를 어떻게 받았는지(구두 또는 서면) 골라 주세요.".into(),
                ),
            );
            None
        }
    };
    let overrides: Vec<RuleOverride> = RuleOverride::ALL
        .into_iter()
        .filter(|o| sbiz_catalog::truthy(get(fields, &format!("override_{}", o.as_str()))))
        .collect();
    p.finish()?;
    match (run, name, phone, business, email, consent) {
        (Some(run), Some(name), Some(phone), Some(business), Some(email), Some(consent)) => {
            let notify = Notify {
                sms: phone.is_mobile(),
                email: email.is_some(),
            };
            Ok(crate::service::StaffReserve {
                run,
                person: Person {
                    name,
                    phone,
                    business: Some(business),
                    email,
                    notify,
                },
                consent,
                overrides,
            })
        }
        _ => Err(Error::new(Code::InvalidInput)),
    }
}

/// 교육 수료 기록: `phone`, `programme`, `completed` (a date).
pub(crate) fn record_training(
    fields: &Fields,
    today: Date,
) -> Result<crate::service::RecordTraining> {
    let mut p = Problems::new();
    let phone = match get(fields, "phone") {
        "" => {
            p.add(
                "phone",
                Msg::KoreanOnly("교육을 받은 분의 휴대전화 번호를 입력해 주세요.".into()),
            );
            None
        }
        v => v
            .parse::<sbiz_catalog::Phone>()
            .map_err(|_| p.add("phone", Msg::PhoneFormat))
            .ok(),
    };
    let programme = match get(fields, "programme") {
        "" => {
            p.add("programme", Msg::KoreanOnly("교육을 골라 주세요.".into()));
            None
        }
        v => Some(v.to_owned()),
    };
    let completed = get(fields, "completed")
        .parse::<Date>()
        .map_err(|_| {
            p.add(
                "completed",
                Msg::KoreanOnly(
                    format!(
                        "수료일을 {}처럼 입력해 주세요.",
                        sbiz_catalog::clock::example_date(today)
                    )
                    .into(),
                ),
            )
        })
        .ok();
    p.finish()?;
    match (phone, programme, completed) {
        (Some(phone), Some(programme), Some(completed)) => Ok(crate::service::RecordTraining {
            phone,
            programme,
            completed,
        }),
        _ => Err(Error::new(Code::InvalidInput)),
    }
}

/// The new time of a reservation (예약 변경): `date`, `start` and `slots`
/// (or `end`) of the same equipment.
pub(crate) fn reschedule(eq: &Equipment, fields: &Fields, today: Date) -> Result<SlotRun> {
    let mut p = Problems::new();
    let run = parse_run(eq, fields, today, &mut p.0);
    p.finish()?;
    run.ok_or_else(|| Error::new(Code::InvalidInput))
}

/// An enrolment in programme `id`: the person, `consent`, `idempotency_key`.
pub(crate) fn enrol(
    programme: &sbiz_catalog::Id,
    fields: &Fields,
    header: Option<&str>,
) -> Result<Enrol> {
    let mut p = Problems::new();
    let applicant = applicant(fields, header, &mut p);
    p.finish()?;
    let applicant = applicant.ok_or_else(|| Error::new(Code::InvalidInput))?;
    Ok(Enrol {
        programme: programme.clone(),
        applicant,
    })
}

/// An application to a policy: the person, `consent`, `idempotency_key`,
/// and `fields.<id>` for each field of its form.
pub(crate) fn apply_policy(
    policy: &sbiz_catalog::Id,
    form: &[FormField],
    fields: &Fields,
    header: Option<&str>,
    today: Date,
) -> Result<ApplyPolicy> {
    let mut p = Problems::new();
    let applicant = applicant(fields, header, &mut p);
    let answers = validate_form(form, fields, today)
        .map_err(|e| p.0.extend(e))
        .ok();
    p.finish()?;
    match (applicant, answers) {
        (Some(applicant), Some(answers)) => Ok(ApplyPolicy {
            policy: policy.clone(),
            applicant,
            answers,
        }),
        _ => Err(Error::new(Code::InvalidInput)),
    }
}

/// An application to a job posting: name, phone, optional e-mail (no
/// business name), `consent`, `idempotency_key`, and `fields.<id>` for each
/// field of the posting's form.
pub(crate) fn apply_job(
    job: &sbiz_catalog::Job,
    fields: &Fields,
    header: Option<&str>,
    today: Date,
) -> Result<ApplyJob> {
    let mut p = Problems::new();
    let applicant = person_fields(fields, header, &mut p, Business::NotAsked);
    let answers = validate_form(&job.form, fields, today)
        .map_err(|e| p.0.extend(e))
        .ok();
    p.finish()?;
    match (applicant, answers) {
        (Some(applicant), Some(answers)) => Ok(ApplyJob {
            job: job.id.clone(),
            applicant,
            answers,
        }),
        _ => Err(Error::new(Code::InvalidInput)),
    }
}

/// `filled` of the staff switch: `true` / `false` (also `on` / `off`).
pub(crate) fn filled_flag(fields: &Fields) -> Result<bool> {
    match get(fields, "filled") {
        "true" | "on" | "1" => Ok(true),
        "false" | "off" | "0" => Ok(false),
        _ => Err(Error::staff_field(
            "filled",
            "filled는 true 또는 false여야 합니다.",
        )),
    }
}

/// The answers to a survey's questions (`answers.<question id>`).
pub(crate) fn survey_answers(survey: &Survey, fields: &Fields) -> Result<BTreeMap<String, Answer>> {
    validate_answers(&survey.questions, fields).map_err(Error::fields)
}

/// The management token of a link (body first, then query); one that does
/// not parse matches nothing.
pub(crate) fn token_from<'a>(q: &'a Query, fields: Option<&'a Fields>) -> &'a str {
    fields
        .and_then(|f| f.get("token"))
        .or_else(|| q.get("token"))
        .map(|s| s.trim())
        .unwrap_or("")
}

/// A reservation by its code and management token.
pub(crate) fn reservation_by_token(code: &str, token: &str) -> Result<ReservationRef> {
    Ok(ReservationRef {
        code: code.parse().map_err(|_| reservation_not_found())?,
        proof: Proof::Token(token.parse().map_err(|_| reservation_not_found())?),
    })
}

/// A reservation by its code and phone number; a phone that does not parse
/// is a wrong one (and counted as such).
pub(crate) fn reservation_by_phone(code: &str, phone: &str) -> Result<ReservationRef> {
    Ok(ReservationRef {
        code: code.parse().map_err(|_| reservation_not_found())?,
        proof: Proof::Phone(phone.parse().ok()),
    })
}

/// 예약 조회: `code` and `phone`, both required.
pub(crate) fn lookup(fields: &Fields) -> Result<(ReservationRef, String)> {
    let mut p = Problems::new();
    if get(fields, "code").is_empty() {
        p.add("code", Msg::ReservationNumberMissing);
    }
    if get(fields, "phone").is_empty() {
        p.add("phone", Msg::PhoneMissing);
    }
    p.finish()?;
    let phone = get(fields, "phone").to_owned();
    Ok((reservation_by_phone(get(fields, "code"), &phone)?, phone))
}

/// Who cancels a reservation: the management token (body or query) or,
/// after 예약 조회, the phone number; with it the secret the answer's cancel
/// form sends back.
pub(crate) fn cancel_reservation(
    code: &str,
    q: &Query,
    fields: &Fields,
) -> Result<(ReservationRef, Option<String>)> {
    let token = token_from(q, Some(fields));
    let phone = get(fields, "phone");
    if token.is_empty() && !phone.is_empty() {
        Ok((reservation_by_phone(code, phone)?, Some(phone.to_owned())))
    } else {
        Ok((reservation_by_token(code, token)?, None))
    }
}

/// 내 예약·신청: the phone number the code goes to.
pub(crate) fn my_phone(fields: &Fields) -> Result<sbiz_catalog::Phone> {
    match get(fields, "phone") {
        "" => Err(Error::field("phone", Msg::PhoneMissing)),
        p => p
            .parse()
            .map_err(|_| Error::field("phone", Msg::PhoneFormat)),
    }
}

/// An application by its code and management token.
pub(crate) fn application(code: &str, token: &str) -> Result<ApplicationRef> {
    Ok(ApplicationRef {
        code: code.parse().map_err(|_| application_not_found())?,
        token: token.parse().map_err(|_| application_not_found())?,
    })
}

/// The holder of a survey link: `code` and `token`.
pub(crate) fn survey_holder(code: &str, token: &str) -> Result<SurveyHolder> {
    let token: ManageToken = token
        .trim()
        .parse()
        .map_err(|_| survey_holder_not_found())?;
    Ok(SurveyHolder {
        reservation: code.trim().parse().map_err(|_| survey_holder_not_found())?,
        application: code.trim().parse().map_err(|_| survey_holder_not_found())?,
        token,
    })
}

/// An optional date of the query (`from`, `to`); `today` (the app's)
/// sets the example of its error.
pub(crate) fn date_param(q: &Query, name: &str, today: Date) -> Result<Option<Date>> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| Error::field(name, date_example_error(today))),
    }
}

/// "날짜를 2026-12-05처럼 입력해 주세요.", with a date a week after `today`
/// (the app's today, Korea time).
pub(crate) fn date_example_error(today: Date) -> Msg {
    Msg::DateFormat(sbiz_catalog::clock::example_date(today))
}

/// The run from `date`, `start` and either `slots` (a count) or `end` (a
/// time); both at once is an error on `end`, whose date example is a week
/// after `today`.
fn parse_run(
    eq: &Equipment,
    fields: &Fields,
    today: Date,
    errors: &mut FieldErrors,
) -> Option<SlotRun> {
    let get = |k: &str| get(fields, k);
    let date = get("date")
        .parse::<Date>()
        .map_err(|_| {
            errors.insert(
                "date".into(),
                Msg::UseDateFormat(sbiz_catalog::clock::example_date(today)),
            )
        })
        .ok();
    let start = get("start")
        .parse::<TimeOfDay>()
        .map_err(|_| errors.insert("start".into(), Msg::StartMissing))
        .ok();
    let step = eq.rules.slot_minutes;
    let count = match (get("slots"), get("end")) {
        ("", "") => {
            errors.insert("slots".into(), Msg::LengthMissing);
            None
        }
        // Two answers to one question are refused, never one of them
        // silently ignored (`slots` used to win over `end`).
        (n, end) if !n.is_empty() && !end.is_empty() => {
            errors.insert("end".into(), Msg::LengthAndEnd);
            None
        }
        ("", end) => match (end.parse::<TimeOfDay>(), start) {
            (Ok(end), Some(start))
                if end > start && step > 0 && (end.minutes() - start.minutes()) % step == 0 =>
            {
                Some((end.minutes() - start.minutes()) / step)
            }
            (Ok(_), None) => None,
            _ => {
                errors.insert("end".into(), Msg::EndTimeStep(step));
                None
            }
        },
        (n, _) => n
            .parse::<u16>()
            .map_err(|_| errors.insert("slots".into(), Msg::LengthMissing))
            .ok(),
    };
    let (date, start, count) = (date?, start?, count?);
    match SlotRun::new(eq.id.clone(), date, start, step, count) {
        Ok(run) => Some(run),
        Err(e) => {
            errors.insert("slots".into(), e.0);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::{config, messy_text};
    use axum::http::HeaderValue;
    use proptest::prelude::*;
    use sbiz_catalog::Catalog;

    fn catalog() -> Catalog {
        serde_json::from_str(include_str!("../../tests/fixtures/catalog.json")).expect("catalog")
    }

    /// A time of day as a person might type it, or anything else.
    fn time_text() -> impl Strategy<Value = String> {
        prop_oneof![
            2 => messy_text(6),
            2 => "[0-2]?[0-9]:[0-5][0-9]",
            4 => "(0[89]|1[0-7]):[03]0",
            1 => Just("24:00".to_owned()),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        /// The run from form fields: never a panic; an accepted run is the
        /// equipment's slots and lies within the day; a refused one says why.
        #[test]
        fn runs_from_fields_never_panic_and_stay_in_bounds(
            date in prop_oneof![1 => messy_text(10), 3 => "2026-0[1-9]-[0-2][0-9]"],
            start in time_text(),
            end in prop_oneof![2 => time_text(), 3 => Just(String::new())],
            slots in prop_oneof![
                1 => messy_text(4),
                1 => "[0-9]{1,3}",
                4 => "[1-4]",
                2 => Just(String::new()),
                1 => Just("65536".to_owned()),
            ],
            equipment in prop::sample::select(vec!["cutter", "laser", "lathe"]),
        ) {
            let catalog = catalog();
            let eq = catalog.equipment(equipment).expect("fixture equipment");
            let fields = Fields::from([
                ("date".to_owned(), date),
                ("start".to_owned(), start.clone()),
                ("end".to_owned(), end.clone()),
                ("slots".to_owned(), slots.clone()),
            ]);
            let mut errors = FieldErrors::new();
            let today = "2026-03-03".parse().expect("a date");
            match parse_run(eq, &fields, today, &mut errors) {
                Some(run) => {
                    prop_assert!(errors.is_empty(), "{:?}", errors);
                    prop_assert!(slots.trim().is_empty() || end.trim().is_empty(), "both slots and end");
                    prop_assert_eq!(run.equipment(), &eq.id);
                    prop_assert_eq!(run.slot_minutes(), eq.rules.slot_minutes);
                    prop_assert!((1..=crate::domain::MAX_SLOTS_PER_RUN).contains(&run.count()));
                    prop_assert!(u32::from(run.start().minutes()) + run.minutes() <= 24 * 60);
                    prop_assert_eq!(Some(run.start()), start.trim().parse::<TimeOfDay>().ok());
                    if slots.trim().is_empty() {
                        prop_assert_eq!(Some(run.end()), end.trim().parse::<TimeOfDay>().ok());
                    }
                }
                None => prop_assert!(!errors.is_empty()),
            }
        }

        /// Any header value a client can send: never a panic, never ignored
        /// when present; an accepted key is a valid one.
        #[test]
        fn idempotency_headers_are_read_or_refused(
            bytes in prop::collection::vec(any::<u8>(), 0..48),
            text in messy_text(40),
            plain in "[A-Za-z0-9._:-]{0,40}",
            field in messy_text(40),
        ) {
            for raw in [bytes, text.into_bytes(), plain.into_bytes()] {
                let Ok(value) = HeaderValue::from_bytes(&raw) else {
                    continue;
                };
                let mut headers = HeaderMap::new();
                headers.insert("idempotency-key", value);
                let fields = Fields::from([("idempotency_key".to_owned(), field.clone())]);
                match idempotency_header(&headers) {
                    Ok(header) => {
                        let header = header.expect("a header that was sent");
                        prop_assert!(header.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)));
                        match idempotency_key(Some(header), &fields) {
                            Ok(Some(k)) => prop_assert_eq!(k.as_str(), header.trim()),
                            Ok(None) => prop_assert!(header.trim().is_empty()),
                            Err(e) => prop_assert!(e.field_errors().is_some_and(|f| f.contains_key("idempotency_key"))),
                        }
                    }
                    Err(e) => {
                        prop_assert!(!raw.is_ascii() || raw.iter().any(|b| b.is_ascii_control() && *b != b'\t'));
                        prop_assert_eq!(e.code(), crate::Code::InvalidInput);
                        prop_assert!(e.field_errors().is_some_and(|f| f.contains_key("idempotency_key")));
                    }
                }
            }
        }
    }
}
