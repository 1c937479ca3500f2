//! The forms of the portal as data: every field with its name, label, hint,
//! value and error. The generator puts these views on the static pages and
//! the function uses the same views to show a form again with what was typed
//! and what is wrong; the theme's `forms/form.html` renders both, so the
//! markup of a form exists once.

use std::collections::BTreeMap;

use sbiz_catalog::{
    BookingRules, Catalog, Channel, Date, FieldKind, FieldText, FormField, Lang, QuestionKind,
    Weekday, truthy,
};
use serde::Serialize;

mod consent_items;

/// What was sent, by field name (`name`, `fields.employees`, …).
pub type Values = BTreeMap<String, String>;
/// A message per field name.
pub type FieldMessages = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// The name posted (`name`, `fields.employees`, `answers.overall`).
    pub name: String,
    /// The element's id, unique on the page.
    pub id: String,
    pub label: String,
    /// text, tel, email, textarea, number, date, select, checkbox, radio, hidden
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub required: bool,
    pub hint: Option<String>,
    pub value: String,
    pub checked: bool,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
    /// Words in Korean after `error` on an English page (the note staff
    /// added to a closure that refused a booking), marked `lang="ko"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_note: Option<String>,
    pub autocomplete: Option<&'static str>,
    pub inputmode: Option<&'static str>,
    pub max_length: Option<u32>,
    pub min: Option<String>,
    pub max: Option<String>,
}

impl FieldView {
    fn new(form: &str, name: &str, label: &str, kind: &'static str) -> FieldView {
        FieldView {
            name: name.to_owned(),
            id: field_id(form, name),
            label: label.to_owned(),
            kind,
            required: false,
            hint: None,
            value: String::new(),
            checked: false,
            options: Vec::new(),
            error: None,
            error_note: None,
            autocomplete: None,
            inputmode: None,
            max_length: None,
            min: None,
            max: None,
        }
    }
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn hint(mut self, h: impl AsRef<str>) -> Self {
        let h = h.as_ref();
        self.hint = Some(h.to_owned());
        self
    }
    fn auto(mut self, a: &'static str) -> Self {
        self.autocomplete = Some(a);
        self
    }
    fn value(mut self, v: &str) -> Self {
        self.value = v.to_owned();
        self
    }
}

/// One line of the error summary: a link to the field.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorLink {
    pub href: String,
    pub message: String,
}

/// The 개인정보 수집·이용 동의 text (개인정보보호법 art. 15(2)).
#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    pub version: String,
    pub purpose: String,
    pub items: String,
    pub retention: String,
    pub refusal: String,
    /// The items a policy's own form collects besides the site's
    /// (`items`), named field by field: required, then optional (each
    /// empty on other forms).
    pub form_required: Vec<String>,
    pub form_optional: Vec<String>,
    /// The page with the full privacy notice, in the form's language
    /// (`Consent::notice`); the box says the four things in short.
    pub notice: Option<String>,
    /// 개인정보 제3자 제공 (art. 17): to whom the data is given, for what,
    /// which items and for how long (a job posting that sends each
    /// application to the employer).
    pub provision: Option<String>,
    pub field: FieldView,
}

/// What the live calendar needs (JavaScript on), and the plain form that
/// asks the same address for the free times of a date as a page (JavaScript
/// off; the script hides it when the calendar works).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub availability: String,
    /// The date the plain form shows (the one asked, on the function's
    /// page of free times; empty on the static page).
    pub date: String,
    /// Why the date asked could not be read, at the plain form's field.
    pub error: Option<String>,
    /// The plain form's hint: the booking form's date example.
    pub date_hint: String,
    pub slot_minutes: u16,
    pub min_slots: u16,
    pub max_slots: u16,
    pub min_days_ahead: u16,
    pub max_days_ahead: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// reservation, programme, policy, job, survey, lookup, admin_login,
    /// my_phone, my_code, reschedule
    pub kind: &'static str,
    /// Prefix of element ids; the form's own id.
    pub id: String,
    pub action: String,
    pub title: String,
    /// The page the form lives on (to go back to it).
    pub page_url: String,
    pub intro: Option<String>,
    /// Said on forms that take personal data when the site sends no
    /// messages ([`NO_MESSAGES_NOTE`]).
    pub messaging_note: Option<String>,
    /// The page that explains booking and applying (`Catalog::form_help`),
    /// in the form's language: the help no form repeats.
    pub help: Option<String>,
    pub fields: Vec<FieldView>,
    pub consent: Option<ConsentView>,
    pub calendar: Option<CalendarView>,
    pub submit: String,
    /// The message of the error summary, when the form comes back with errors.
    pub error_message: Option<String>,
    pub errors: Vec<ErrorLink>,
    /// A fresh key for a form shown again, so that sending it twice makes
    /// one record (static pages have none: it would be shared).
    pub idempotency_key: Option<String>,
    /// The language of the form's texts; an English form sends `lang=en`
    /// (a hidden field) so that the function answers in English.
    pub lang: Lang,
    /// The path prefix of the form's language (`""`, `/en`), for links to
    /// the site's pages in the same language.
    pub prefix: &'static str,
}

/// `korean` or `english` by the language.
fn tr(lang: Lang, korean: &str, english: &str) -> String {
    match lang {
        Lang::Ko => korean,
        Lang::En => english,
    }
    .to_owned()
}

/// The hidden `lang` field of an English form (none on Korean forms: no
/// field means Korean).
fn lang_field(form: &str, lang: Lang) -> Option<FieldView> {
    (lang == Lang::En).then(|| FieldView::new(form, "lang", "", "hidden").value(lang.code()))
}

pub fn field_id(form: &str, name: &str) -> String {
    format!("{form}-{}", name.replace(['.', '_'], "-"))
}

/// What a form says when the site sends no messages at all.
pub const NO_MESSAGES_NOTE: &str = "안내 문자나 이메일은 보내지 않으니, 접수한 뒤 화면에 나오는 예약번호나 접수번호와 관리 링크를 꼭 보관해 주세요.";
/// [`NO_MESSAGES_NOTE`] in English.
pub const NO_MESSAGES_NOTE_EN: &str = "We send no text messages or e-mails, so please keep the reservation number or application number and the management link shown after you submit.";

fn messaging_note(catalog: &Catalog, lang: Lang) -> Option<String> {
    catalog
        .messages
        .channels
        .is_empty()
        .then(|| tr(lang, NO_MESSAGES_NOTE, NO_MESSAGES_NOTE_EN))
}

/// The form help page in the form's language.
fn help(catalog: &Catalog, lang: Lang) -> Option<String> {
    catalog.form_help.as_deref().map(|u| lang.path(u))
}

fn person_fields(catalog: &Catalog, form: &str, lang: Lang) -> Vec<FieldView> {
    let channels = &catalog.messages.channels;
    let sms = channels.contains(&Channel::Sms);
    let email = channels.contains(&Channel::Email);
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut fields = vec![
        FieldView::new(form, "name", &t("이름", "Name"), "text")
            .required()
            .auto("name"),
        FieldView {
            inputmode: Some("tel"),
            ..FieldView::new(form, "phone", &t("휴대전화 번호", "Mobile number"), "tel")
                .required()
                .auto("tel")
                .hint(t("예: 010-1234-5678", "For example 010-1234-5678"))
        },
        FieldView::new(form, "business", &t("상호", "Business name"), "text")
            .required()
            .auto("organization")
            .hint(t(
                "사업자등록을 하지 않았으면 '개인'이라고 적어 주세요.",
                "If your business is not registered, write 'Individual'.",
            )),
        FieldView::new(
            form,
            "email",
            &t("이메일 (선택)", "E-mail (optional)"),
            "email",
        )
        .auto("email"),
    ];
    if sms || email {
        fields.push(FieldView::new(form, "notify_asked", "", "hidden").value("1"));
    }
    if sms {
        fields.push(FieldView {
            checked: true,
            ..FieldView::new(
                form,
                "notify_sms",
                &t("문자로 안내 받기", "Send me updates by text message"),
                "checkbox",
            )
            .value("on")
        });
    }
    if email {
        fields.push(
            FieldView::new(
                form,
                "notify_email",
                &t("이메일로 안내 받기", "Send me updates by e-mail"),
                "checkbox",
            )
            .value("on"),
        );
    }
    fields
}

fn consent(catalog: &Catalog, form: &str, lang: Lang) -> ConsentView {
    let c = &catalog.consent;
    let text = c.text(lang);
    ConsentView {
        version: c.version.clone(),
        purpose: text.purpose,
        items: text.items,
        retention: text.retention,
        refusal: text.refusal,
        form_required: Vec::new(),
        form_optional: Vec::new(),
        notice: c.notice.as_deref().map(|u| lang.path(u)),
        provision: None,
        field: FieldView::new(
            form,
            "consent",
            &tr(
                lang,
                "위 개인정보 수집·이용에 동의합니다.",
                "I agree to the collection and use of my personal information described above.",
            ),
            "checkbox",
        )
        .required()
        .value("on"),
    }
}

fn base(
    kind: &'static str,
    id: &str,
    action: String,
    title: &str,
    page_url: String,
    lang: Lang,
) -> FormView {
    FormView {
        kind,
        id: id.to_owned(),
        action,
        title: title.to_owned(),
        page_url: lang.path(&page_url),
        intro: None,
        messaging_note: None,
        help: None,
        fields: lang_field(id, lang).into_iter().collect(),
        consent: None,
        calendar: None,
        submit: tr(lang, "보내기", "Send"),
        error_message: None,
        errors: Vec::new(),
        idempotency_key: None,
        lang,
        prefix: lang.prefix(),
    }
}

/// The reservation form of a piece of equipment.
///
/// `today` (Korea time) gives the date hint's example: the first day that
/// can be booked, never a past date.
pub fn reservation(
    catalog: &Catalog,
    equipment: &str,
    today: Date,
    lang: Lang,
) -> Option<FormView> {
    Some(reservation_for(
        catalog,
        catalog.equipment(equipment)?,
        today,
        lang,
    ))
}

/// [`reservation`] of `eq`, a piece of equipment of `catalog` found by the
/// caller (the generator looks records up through an index: a search of
/// the catalog's list for every equipment page of a large site adds up).
pub fn reservation_for(
    catalog: &Catalog,
    eq: &sbiz_catalog::Equipment,
    today: Date,
    lang: Lang,
) -> FormView {
    let r = &eq.rules;
    let id = "reserve";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "reservation",
        id,
        "/api/reservations".to_owned(),
        eq.name_in(lang),
        format!("/equipment/{}/", eq.id),
        lang,
    );
    let max = r.bookable_max_slots();
    f.fields.push(
        FieldView::new(id, "equipment", &t("장비", "Equipment"), "hidden").value(eq.id.as_str()),
    );
    let example = today.add_days(i32::from(r.min_days_ahead.max(1)));
    let date_hint = match lang {
        Lang::Ko => format!("예: {example}"),
        Lang::En => format!("For example {example}"),
    };
    f.fields.push(
        FieldView::new(id, "date", &t("이용일", "Date"), "date")
            .required()
            .hint(&date_hint),
    );
    f.fields.push(start_field(id, r, lang));
    f.fields.push(duration_field(id, r, lang));
    f.fields.extend(person_fields(catalog, id, lang));
    f.consent = Some(consent(catalog, id, lang));
    f.messaging_note = messaging_note(catalog, lang);
    f.help = help(catalog, lang);
    f.calendar = Some(CalendarView {
        availability: format!("/api/equipment/{}/availability", eq.id),
        date: String::new(),
        error: None,
        date_hint,
        slot_minutes: r.slot_minutes,
        min_slots: r.min_slots,
        max_slots: max,
        min_days_ahead: r.min_days_ahead,
        max_days_ahead: r.max_days_ahead,
    });
    f.submit = t("예약 신청", "Book");
    f
}

/// The start time of a booking: a choice among the equipment's slot starts
/// (every opening day's, in order), as the booking form offers them.
fn start_field(form: &str, r: &BookingRules, lang: Lang) -> FieldView {
    let mut starts: Vec<String> = Weekday::ALL
        .iter()
        .flat_map(|d| r.slots_on(*d))
        .map(|s| s.start.to_string())
        .collect();
    starts.sort();
    starts.dedup();
    FieldView {
        options: starts
            .into_iter()
            .map(|s| OptionView {
                label: s.clone(),
                value: s,
                selected: false,
            })
            .collect(),
        ..FieldView::new(
            form,
            "start",
            &tr(lang, "시작 시간", "Start time"),
            "select",
        )
        .required()
    }
}

/// How long a booking lasts: a choice from the equipment's shortest to its
/// longest run, each said as time ("1시간", "1시간 30분"); the value posted
/// is the number of slots.
fn duration_field(form: &str, r: &BookingRules, lang: Lang) -> FieldView {
    FieldView {
        options: (r.min_slots..=r.bookable_max_slots())
            .map(|n| OptionView {
                value: n.to_string(),
                label: minutes(u32::from(n) * u32::from(r.slot_minutes), lang),
                selected: n == r.min_slots,
            })
            .collect(),
        value: r.min_slots.to_string(),
        ..FieldView::new(form, "slots", &tr(lang, "이용 시간", "How long"), "select").required()
    }
}

/// 예약 변경 on a reservation's page (its holder, from the management
/// link): the booking form's date, start time and duration, with the same
/// labels and choices, filled with `values` (the reservation's own run, or
/// what a refused move sent). `action` is where it posts; the page adds the
/// token. The date's example is `values`' date.
pub fn reschedule(
    catalog: &Catalog,
    equipment: &str,
    action: String,
    values: &Values,
    lang: Lang,
) -> Option<FormView> {
    let eq = catalog.equipment(equipment)?;
    let id = "reschedule";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "reschedule",
        id,
        action,
        eq.name_in(lang),
        format!("/equipment/{}/", eq.id),
        lang,
    );
    let example = values.get("date").map(String::as_str).unwrap_or_default();
    f.fields.push(
        FieldView::new(id, "date", &t("새 이용일", "New date"), "date")
            .required()
            .hint(match lang {
                Lang::Ko => format!("예: {example}"),
                Lang::En => format!("For example {example}"),
            }),
    );
    f.fields.push(start_field(id, &eq.rules, lang));
    f.fields.push(duration_field(id, &eq.rules, lang));
    f.fill(values, None, "");
    // A value that is not among the choices (the rules changed since the
    // booking) selects nothing: the list asks to choose instead.
    for field in f.fields.iter_mut().filter(|f| f.kind == "select") {
        if !field.options.iter().any(|o| o.selected) {
            field.value.clear();
        }
    }
    f.submit = t("이 시간으로 바꾸기", "Move to this time");
    Some(f)
}

/// The topic particle after a number read in Sino-Korean: 은 after a final
/// consonant (일, 삼, 육, 칠, 팔, 십, 영), else 는: "5는", "10은".
fn topic_particle(n: impl Into<u32>) -> &'static str {
    let n = n.into();
    let last = if n % 10 == 0 && n > 0 { 10 } else { n % 10 };
    match last {
        0 | 1 | 3 | 6 | 7 | 8 | 10 => "은",
        _ => "는",
    }
}

fn minutes(m: u32, lang: Lang) -> String {
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (lang, m / 60, m % 60) {
        (Lang::Ko, 0, m) => format!("{m}분"),
        (Lang::Ko, h, 0) => format!("{h}시간"),
        (Lang::Ko, h, m) => format!("{h}시간 {m}분"),
        (Lang::En, 0, m) => plural(m, "minute", "minutes"),
        (Lang::En, h, 0) => plural(h, "hour", "hours"),
        (Lang::En, h, m) => format!(
            "{} {}",
            plural(h, "hour", "hours"),
            plural(m, "minute", "minutes")
        ),
    }
}

/// The enrolment form of a programme.
pub fn programme(catalog: &Catalog, id: &str, lang: Lang) -> Option<FormView> {
    Some(programme_for(catalog, catalog.programme(id)?, lang))
}

/// [`programme`] of `p`, a programme of `catalog` found by the caller.
pub fn programme_for(catalog: &Catalog, p: &sbiz_catalog::Programme, lang: Lang) -> FormView {
    let fid = "application";
    let mut f = base(
        "programme",
        fid,
        format!("/api/programmes/{}/applications", p.id),
        p.title_in(lang),
        format!("/programmes/{}/", p.id),
        lang,
    );
    f.fields.extend(person_fields(catalog, fid, lang));
    f.consent = Some(consent(catalog, fid, lang));
    f.messaging_note = messaging_note(catalog, lang);
    f.help = help(catalog, lang);
    f.submit = tr(lang, "교육 신청", "Apply for this course");
    f
}

/// The online application form of a policy (`None` when it links out).
pub fn policy(catalog: &Catalog, id: &str, lang: Lang) -> Option<FormView> {
    policy_for(catalog, catalog.policy(id)?, lang)
}

/// [`policy`] of `p`, a policy of `catalog` found by the caller.
pub fn policy_for(catalog: &Catalog, p: &sbiz_catalog::Policy, lang: Lang) -> Option<FormView> {
    let own = p.form.as_ref()?;
    let fid = "application";
    let mut f = base(
        "policy",
        fid,
        format!("/api/policies/{}/applications", p.id),
        p.title_in(lang),
        format!("/policies/{}/", p.id),
        lang,
    );
    f.fields.extend(person_fields(catalog, fid, lang));
    f.fields.extend(own_fields(fid, own, &p.form_en, lang));
    let mut consent = consent(catalog, fid, lang);
    (consent.form_required, consent.form_optional) =
        consent_items::policy_items(own, &p.form_en, lang);
    f.consent = Some(consent);
    f.messaging_note = messaging_note(catalog, lang);
    f.help = help(catalog, lang);
    f.submit = tr(lang, "지원사업 신청", "Apply for this scheme");
    Some(f)
}

/// The fields a policy's or job posting's form defines itself, posted as
/// `fields.<id>`. In English the labels, hints and option labels come
/// from `english` (by field id) where given; option values stay Korean.
fn own_fields(
    fid: &str,
    own: &[FormField],
    english: &BTreeMap<String, FieldText>,
    lang: Lang,
) -> Vec<FieldView> {
    let mut out = Vec::new();
    for field in own {
        let name = format!("fields.{}", field.id);
        let en = english.get(field.id.as_str()).filter(|_| lang == Lang::En);
        let label = en.map_or(field.label.as_str(), |e| e.label.as_str());
        let mut v = FieldView::new(fid, &name, label, "text");
        v.required = field.required;
        v.hint = match en {
            Some(e) => e.hint.clone().or_else(|| field.hint.clone()),
            None => field.hint.clone(),
        };
        match &field.kind {
            FieldKind::Text { max_length } => v.max_length = Some(*max_length),
            FieldKind::Textarea { max_length } => {
                v.kind = "textarea";
                v.max_length = Some(*max_length);
            }
            FieldKind::Number { min, max } => {
                v.kind = "text";
                v.inputmode = Some("numeric");
                v.min = min.map(|m| m.to_string());
                v.max = max.map(|m| m.to_string());
                if v.hint.is_none() {
                    v.hint = Some(match (lang, min, max) {
                        (Lang::Ko, Some(a), Some(b)) => format!("{a}~{b} 사이의 숫자"),
                        (Lang::Ko, Some(a), None) => format!("{a} 이상의 숫자"),
                        (Lang::Ko, None, Some(b)) => format!("{b} 이하의 숫자"),
                        (Lang::Ko, None, None) => "숫자만 입력해 주세요.".to_owned(),
                        (Lang::En, Some(a), Some(b)) => format!("A number from {a} to {b}"),
                        (Lang::En, Some(a), None) => format!("A number of {a} or more"),
                        (Lang::En, None, Some(b)) => format!("A number of {b} or less"),
                        (Lang::En, None, None) => "Numbers only, please.".to_owned(),
                    });
                }
            }
            FieldKind::Date { min, max } => {
                v.kind = "date";
                v.min = min.map(|m| m.to_string());
                v.max = max.map(|m| m.to_string());
            }
            FieldKind::Select { options } => {
                v.kind = "select";
                v.options = options
                    .iter()
                    .map(|o| OptionView {
                        value: o.clone(),
                        label: en.and_then(|e| e.options.get(o)).unwrap_or(o).clone(),
                        selected: false,
                    })
                    .collect();
            }
            FieldKind::Checkbox => {
                v.kind = "checkbox";
                v.value = "on".to_owned();
            }
        }
        out.push(v);
    }
    out
}

/// The application form of a job posting (구인정보 바로 신청): name,
/// phone and an optional e-mail (no business name), the posting's own
/// fields, and the job consent text, with the transfer to the employer
/// when the posting names an employer's e-mail. `None` when the posting
/// takes no applications here or the site has no job consent text.
pub fn job(catalog: &Catalog, id: &str, lang: Lang) -> Option<FormView> {
    job_for(catalog, catalog.job(id)?, lang)
}

/// [`job`] of `j`, a job posting of `catalog` found by the caller.
pub fn job_for(catalog: &Catalog, j: &sbiz_catalog::Job, lang: Lang) -> Option<FormView> {
    let c = catalog.job_consent.as_ref()?;
    let fid = "application";
    let title = j.title_in(lang);
    let mut f = base(
        "job",
        fid,
        format!("/api/jobs/{}/applications", j.id),
        title,
        format!("/jobs/{}/", j.id),
        lang,
    );
    f.fields.extend(
        person_fields(catalog, fid, lang)
            .into_iter()
            .filter(|p| p.name != "business"),
    );
    f.fields.extend(own_fields(fid, &j.form, &j.form_en, lang));
    let text = c.text(lang);
    let mut consent = consent(catalog, fid, lang);
    consent.purpose = text.purpose;
    consent.items = text.items;
    consent.retention = text.retention;
    consent.refusal = text.refusal;
    consent.provision = j.employer_email.as_ref().map(|_| {
        text.employer
            .replace("{company}", j.company_in(lang))
            .replace("{title}", title)
    });
    if consent.provision.is_some() {
        consent.field.label = tr(
            lang,
            "위 개인정보 수집·이용과 구인 업체에 제공하는 데 동의합니다.",
            "I agree to the collection and use of my personal information and to its being given to the employer, as described above.",
        );
    }
    f.consent = Some(consent);
    f.messaging_note = messaging_note(catalog, lang);
    f.help = help(catalog, lang);
    f.submit = tr(lang, "이 일자리에 지원하기", "Apply for this job");
    Some(f)
}

/// The satisfaction survey for a reservation or application.
pub fn survey(
    catalog: &Catalog,
    survey: &str,
    code: &str,
    token: &str,
    lang: Lang,
) -> Option<FormView> {
    let s = catalog.survey(survey)?;
    let fid = "survey";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "survey",
        fid,
        format!("/api/surveys/{}/responses", s.id),
        s.title_in(lang),
        "/reservation/".to_owned(),
        lang,
    );
    f.intro = Some(t(
        "응답은 이름 없이 통계로만 이용합니다. 한 번만 보낼 수 있습니다.",
        "Your answers are used only for statistics, without your name. You can send them once.",
    ));
    f.fields
        .push(FieldView::new(fid, "code", "예약·접수번호", "hidden").value(code));
    f.fields
        .push(FieldView::new(fid, "token", "관리 코드", "hidden").value(token));
    for q in &s.questions {
        let name = format!("answers.{}", q.id);
        let en = s
            .questions_en
            .get(q.id.as_str())
            .filter(|_| lang == Lang::En);
        let label = en.map_or(q.label.as_str(), |e| e.label.as_str());
        let mut v = FieldView::new(fid, &name, label, "radio");
        v.hint = en.and_then(|e| e.hint.clone());
        v.required = q.required;
        match &q.kind {
            QuestionKind::Rating { scale } => {
                let scale = if *scale == 0 { 5 } else { *scale };
                v.hint = Some(match lang {
                    Lang::Ko => format!(
                        "1은 매우 불만족, {scale}{} 매우 만족입니다.",
                        topic_particle(scale)
                    ),
                    Lang::En => format!("1 means very dissatisfied, {scale} very satisfied."),
                });
                v.options = (1..=scale)
                    .map(|n| OptionView {
                        value: n.to_string(),
                        label: n.to_string(),
                        selected: false,
                    })
                    .collect();
            }
            QuestionKind::Choice { options } => {
                v.options = options
                    .iter()
                    .map(|o| OptionView {
                        value: o.clone(),
                        label: en.and_then(|e| e.options.get(o)).unwrap_or(o).clone(),
                        selected: false,
                    })
                    .collect();
            }
            QuestionKind::Text { max_length } => {
                v.kind = "textarea";
                v.max_length = Some(*max_length);
            }
        }
        f.fields.push(v);
    }
    f.submit = t("응답 보내기", "Send my answers");
    Some(f)
}

/// The survey as its subject's holder opens it: the intro says what it is
/// about (the equipment's name or the programme's title).
pub fn survey_about(
    catalog: &Catalog,
    survey: &str,
    about: &str,
    code: &str,
    token: &str,
    lang: Lang,
) -> Option<FormView> {
    let mut f = self::survey(catalog, survey, code, token, lang)?;
    let rest = f.intro.unwrap_or_default();
    f.intro = Some(match lang {
        Lang::Ko => format!("{about} 이용에 대한 의견을 들려주세요. {rest}"),
        Lang::En => format!("Please tell us what you thought of {about}. {rest}"),
    });
    Some(f)
}

/// 예약 조회: a reservation by its code and the phone number it was made with.
pub fn lookup(lang: Lang) -> FormView {
    let fid = "lookup";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "lookup",
        fid,
        "/api/reservations/lookup".to_owned(),
        &t("예약 조회", "Look up a reservation"),
        "/reservation/".to_owned(),
        lang,
    );
    f.fields.push(
        FieldView::new(fid, "code", &t("예약번호", "Reservation number"), "text")
            .required()
            .hint(t(
                "예약을 마친 화면에 나온 번호입니다.",
                "The number shown when you finished booking.",
            ))
            .auto("off"),
    );
    f.fields.push(FieldView {
        inputmode: Some("tel"),
        ..FieldView::new(
            fid,
            "phone",
            &t(
                "예약할 때 적은 휴대전화 번호",
                "The mobile number you gave when you booked",
            ),
            "tel",
        )
        .required()
        .auto("tel")
    });
    f.submit = t("조회하기", "Look up");
    f
}

/// 내 예약·신청, first step: the phone number the code is sent to.
pub fn my_phone(lang: Lang) -> FormView {
    let fid = "my-phone";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "my_phone",
        fid,
        "/api/my/code".to_owned(),
        &t("인증번호 받기", "Get a verification code"),
        "/my/".to_owned(),
        lang,
    );
    f.fields.push(FieldView {
        inputmode: Some("tel"),
        ..FieldView::new(fid, "phone", &t("휴대전화 번호", "Mobile number"), "tel")
            .required()
            .auto("tel")
            .hint(t(
                "예: 010-1234-5678. 예약·신청할 때 적은 번호로 인증번호 6자리를 문자로 보내 드립니다.",
                "For example 010-1234-5678. We text a 6-digit verification code to the number you gave when you booked or applied.",
            ))
    });
    f.submit = t("인증번호 받기", "Get a verification code");
    f
}

/// 내 예약·신청, second step: the 6-digit code from the 문자.
pub fn my_code(lang: Lang) -> FormView {
    let fid = "my-code";
    let t = |ko: &str, en: &str| tr(lang, ko, en);
    let mut f = base(
        "my_code",
        fid,
        "/api/my/verify".to_owned(),
        &t("인증번호 입력", "Enter the verification code"),
        "/my/".to_owned(),
        lang,
    );
    f.fields.push(FieldView {
        inputmode: Some("numeric"),
        max_length: Some(7),
        ..FieldView::new(
            fid,
            "code",
            &t("인증번호 6자리", "6-digit verification code"),
            "text",
        )
        .required()
        .auto("one-time-code")
        .hint(t(
            "문자로 받은 숫자 6자리입니다. 5분 안에 입력해 주세요.",
            "The 6 digits in the text message. Please enter them within 5 minutes.",
        ))
    });
    f.submit = t("확인", "Confirm");
    f
}

/// The staff sign-in of the admin page.
pub fn admin_login() -> FormView {
    let fid = "staff";
    let mut f = base(
        "admin_login",
        fid,
        "/api/admin/login".to_owned(),
        "관리자 로그인",
        "/admin/".to_owned(),
        Lang::Ko,
    );
    f.fields.push(
        FieldView::new(fid, "token", "관리자 토큰", "password")
            .required()
            .auto("current-password")
            .hint(
                "운영 담당자에게 받은 토큰입니다. 30분 동안 사용하지 않거나 로그인한 지 9시간이 지나면 다시 로그인해야 합니다.",
            ),
    );
    f.submit = "로그인".to_owned();
    f
}

/// The staff sign-in with the admin page to return to afterwards (`next`:
/// a path the booking function has checked to be one of its own).
pub fn admin_login_returning(next: &str) -> FormView {
    let mut f = admin_login();
    f.fields
        .push(FieldView::new("staff", "next", "", "hidden").value(next));
    f
}

impl FormView {
    /// Puts back what was sent and marks what is wrong, in field order.
    pub fn fill(&mut self, values: &Values, errors: Option<&FieldMessages>, message: &str) {
        let mut all = self.fields.iter_mut().collect::<Vec<_>>();
        if let Some(c) = self.consent.as_mut() {
            all.push(&mut c.field);
        }
        for f in all {
            if f.name == "token" && self.kind == "admin_login" {
                // Never echo a secret typed into a password field.
            } else if let Some(v) = values.get(&f.name) {
                match f.kind {
                    "checkbox" => f.checked = truthy(v),
                    "select" | "radio" => {
                        for o in &mut f.options {
                            o.selected = &o.value == v;
                        }
                        f.value = v.clone();
                    }
                    _ => f.value = v.clone(),
                }
            } else if matches!(f.kind, "checkbox") {
                f.checked = false;
            }
        }
        self.mark(errors.unwrap_or(&FieldMessages::new()));
        self.error_message = (!message.is_empty()).then(|| message.to_owned());
    }

    /// Marks what is wrong, leaving the values as they are: each message at
    /// its field, with a link to it in the error summary, in field order;
    /// a problem with no field of its own (e.g. `end`) links to the form.
    pub fn mark(&mut self, errors: &FieldMessages) {
        let mut links = Vec::new();
        let mut all = self.fields.iter_mut().collect::<Vec<_>>();
        if let Some(c) = self.consent.as_mut() {
            all.push(&mut c.field);
        }
        for f in all {
            f.error = errors.get(&f.name).cloned();
            if let Some(m) = &f.error {
                let target = if matches!(f.kind, "radio") && !f.options.is_empty() {
                    format!("{}-1", f.id)
                } else {
                    f.id.clone()
                };
                links.push(ErrorLink {
                    href: format!("#{target}"),
                    message: m.clone(),
                });
            }
        }
        for (name, m) in errors {
            let known = self.fields.iter().any(|f| &f.name == name)
                || (name == "consent" && self.consent.is_some());
            if !known {
                links.push(ErrorLink {
                    href: format!("#{}", self.id),
                    message: m.clone(),
                });
            }
        }
        self.errors = links;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_safe() {
        assert_eq!(field_id("apply", "fields.plan_b"), "apply-fields-plan-b");
        let f = lookup(Lang::Ko);
        let mut ids: Vec<_> = f.fields.iter().map(|f| f.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), f.fields.len());
    }

    #[test]
    fn fill_keeps_values_and_links_errors() {
        let mut f = lookup(Lang::Ko);
        let mut values = Values::new();
        values.insert("code".into(), "<b>X</b>".into());
        let mut errors = FieldMessages::new();
        errors.insert("phone".into(), "휴대전화 번호를 입력해 주세요.".into());
        errors.insert("other".into(), "다른 문제".into());
        f.fill(&values, Some(&errors), "입력한 내용을 확인해 주세요.");
        assert_eq!(f.fields[0].value, "<b>X</b>");
        assert_eq!(f.errors[0].href, "#lookup-phone");
        assert_eq!(f.errors[1].href, "#lookup");
        assert!(f.fields[1].error.is_some());
    }

    #[test]
    fn english_forms_say_so_and_keep_korean_option_values() {
        let catalog: Catalog = serde_json::from_value(serde_json::json!({
            "version": 1, "origin": "https://sbiz.example.kr",
            "booking": {"retention_days": 365, "no_show": {"max": 2, "window_days": 90, "block_days": 30}},
            "consent": {"version": "1", "purpose": "목적", "items": "항목", "retention": "기간", "refusal": "거부",
                        "en": {"purpose": "Purpose", "items": "Items", "retention": "Period", "refusal": "Refusal"}},
            "holidays": [], "facilities": [], "equipment": [], "programmes": [], "surveys": [],
            "policies": [{"id": "p", "title": "스마트공방", "title_en": "Smart workshop",
                "apply_from": "2026-01-01", "apply_until": "2026-12-31",
                "form": [{"id": "kind", "label": "업종", "required": true, "hint": null,
                          "type": "select", "options": ["인쇄", "봉제"]}],
                "form_en": {"kind": {"label": "Industry", "options": {"인쇄": "Printing"}}}}]
        }))
        .expect("catalog");
        let en = policy(&catalog, "p", Lang::En).expect("form");
        assert_eq!(en.title, "Smart workshop");
        assert_eq!(en.page_url, "/en/policies/p/");
        assert!(
            en.fields
                .iter()
                .any(|f| f.name == "lang" && f.value == "en")
        );
        let kind = en
            .fields
            .iter()
            .find(|f| f.name == "fields.kind")
            .expect("field");
        assert_eq!(kind.label, "Industry");
        assert_eq!(
            kind.options
                .iter()
                .map(|o| (o.value.as_str(), o.label.as_str()))
                .collect::<Vec<_>>(),
            [("인쇄", "Printing"), ("봉제", "봉제")]
        );
        assert_eq!(en.consent.as_ref().expect("consent").purpose, "Purpose");
        let ko = policy(&catalog, "p", Lang::Ko).expect("form");
        assert_eq!(ko.title, "스마트공방");
        assert_eq!(ko.page_url, "/policies/p/");
        assert!(ko.fields.iter().all(|f| f.name != "lang"));
        assert_eq!(ko.consent.as_ref().expect("consent").purpose, "목적");
        assert_eq!(minutes(90, Lang::En), "1 hour 30 minutes");
        assert_eq!(minutes(120, Lang::Ko), "2시간");
    }
}
