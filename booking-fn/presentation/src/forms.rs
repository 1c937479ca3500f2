//! The forms of the portal as data: every field with its name, label, hint,
//! value and error. The generator puts these views on the static pages and
//! the function uses the same views to show a form again with what was typed
//! and what is wrong; the theme's `forms/form.html` renders both, so the
//! markup of a form exists once.

use std::collections::BTreeMap;

use sbiz_catalog::{Catalog, Channel, Date, FieldKind, FormField, QuestionKind, Weekday, truthy};
use serde::Serialize;

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
    /// 개인정보 제3자 제공 (art. 17): to whom the data is given, for what,
    /// which items and for how long (a job posting that sends each
    /// application to the employer).
    pub provision: Option<String>,
    pub field: FieldView,
}

/// What the live calendar needs (JavaScript on).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub availability: String,
    pub slot_minutes: u16,
    pub min_slots: u16,
    pub max_slots: u16,
    pub min_days_ahead: u16,
    pub max_days_ahead: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// reservation, programme, policy, job, survey, lookup, admin_login,
    /// my_phone, my_code
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
}

pub fn field_id(form: &str, name: &str) -> String {
    format!("{form}-{}", name.replace(['.', '_'], "-"))
}

/// What a form says when the site sends no messages at all.
pub const NO_MESSAGES_NOTE: &str = "이 누리집은 예약·신청 안내를 문자나 이메일로 보내지 않습니다. 접수한 뒤 화면에 나오는 예약번호(신청번호)와 관리 링크를 꼭 보관해 주세요.";

fn messaging_note(catalog: &Catalog) -> Option<String> {
    catalog
        .messages
        .channels
        .is_empty()
        .then(|| NO_MESSAGES_NOTE.to_owned())
}

fn person_fields(catalog: &Catalog, form: &str) -> Vec<FieldView> {
    let channels = &catalog.messages.channels;
    let sms = channels.contains(&Channel::Sms);
    let email = channels.contains(&Channel::Email);
    let mut fields = vec![
        FieldView::new(form, "name", "이름", "text")
            .required()
            .auto("name"),
        FieldView {
            inputmode: Some("tel"),
            ..FieldView::new(form, "phone", "휴대전화 번호", "tel")
                .required()
                .auto("tel")
                .hint("예: 010-1234-5678. 예약 조회와 안내 연락에 이용합니다.")
        },
        FieldView::new(form, "business", "상호", "text")
            .required()
            .auto("organization")
            .hint("사업자등록을 하지 않았으면 '개인'이라고 적어 주세요."),
        FieldView::new(form, "email", "이메일 (선택)", "email")
            .auto("email")
            .hint(if email {
                "'이메일로 안내 받기'를 고르시면 이 주소로 안내를 보내 드립니다."
            } else {
                "적으시면 문의에 답할 때 이용합니다."
            }),
    ];
    if sms || email {
        fields.push(FieldView::new(form, "notify_asked", "", "hidden").value("1"));
    }
    if sms {
        fields.push(FieldView {
            checked: true,
            ..FieldView::new(form, "notify_sms", "문자로 안내 받기", "checkbox")
                .value("on")
                .hint("접수·확정, 이용 전 알림, 만족도 조사 안내를 휴대전화 문자로 보내 드립니다.")
        });
    }
    if email {
        fields.push(
            FieldView::new(form, "notify_email", "이메일로 안내 받기", "checkbox")
                .value("on")
                .hint("같은 안내를 위에 적은 이메일 주소로 보내 드립니다."),
        );
    }
    fields
}

fn consent(catalog: &Catalog, form: &str) -> ConsentView {
    let c = &catalog.consent;
    ConsentView {
        version: c.version.clone(),
        purpose: c.purpose.clone(),
        items: c.items.clone(),
        retention: c.retention.clone(),
        refusal: c.refusal.clone(),
        provision: None,
        field: FieldView::new(
            form,
            "consent",
            "위 개인정보 수집·이용에 동의합니다.",
            "checkbox",
        )
        .required()
        .value("on"),
    }
}

fn base(kind: &'static str, id: &str, action: String, title: &str, page_url: String) -> FormView {
    FormView {
        kind,
        id: id.to_owned(),
        action,
        title: title.to_owned(),
        page_url,
        intro: None,
        messaging_note: None,
        fields: Vec::new(),
        consent: None,
        calendar: None,
        submit: "보내기".to_owned(),
        error_message: None,
        errors: Vec::new(),
        idempotency_key: None,
    }
}

/// The reservation form of a piece of equipment.
///
/// `today` (Korea time) gives the date hint's example: the first day that
/// can be booked, never a past date.
pub fn reservation(catalog: &Catalog, equipment: &str, today: Date) -> Option<FormView> {
    let eq = catalog.equipment(equipment)?;
    let r = &eq.rules;
    let id = "reserve";
    let mut f = base(
        "reservation",
        id,
        "/api/reservations".to_owned(),
        &eq.name,
        format!("/equipment/{}/", eq.id),
    );
    let mut starts: Vec<String> = Weekday::ALL
        .iter()
        .flat_map(|d| r.slots_on(*d))
        .map(|s| s.start.to_string())
        .collect();
    starts.sort();
    starts.dedup();
    let max = r.bookable_max_slots();
    f.fields
        .push(FieldView::new(id, "equipment", "장비", "hidden").value(eq.id.as_str()));
    f.fields.push(
        FieldView::new(id, "date", "이용일", "date")
            .required()
            .hint(format!(
                "예: {}. 휴관일과 공휴일에는 예약할 수 없습니다.",
                today.add_days(i32::from(r.min_days_ahead.max(1)))
            )),
    );
    f.fields.push(FieldView {
        options: starts
            .iter()
            .map(|s| OptionView {
                value: s.clone(),
                label: s.clone(),
                selected: false,
            })
            .collect(),
        ..FieldView::new(id, "start", "시작 시간", "select")
            .required()
            .hint("요일별 이용 시간 안에서 골라 주세요.")
    });
    f.fields.push(FieldView {
        options: (r.min_slots..=max)
            .map(|n| OptionView {
                value: n.to_string(),
                label: minutes(u32::from(n) * u32::from(r.slot_minutes)),
                selected: n == r.min_slots,
            })
            .collect(),
        value: r.min_slots.to_string(),
        ..FieldView::new(id, "slots", "이용 시간", "select").required()
    });
    f.fields.extend(person_fields(catalog, id));
    f.consent = Some(consent(catalog, id));
    f.messaging_note = messaging_note(catalog);
    f.calendar = Some(CalendarView {
        availability: format!("/api/equipment/{}/availability", eq.id),
        slot_minutes: r.slot_minutes,
        min_slots: r.min_slots,
        max_slots: max,
        min_days_ahead: r.min_days_ahead,
        max_days_ahead: r.max_days_ahead,
    });
    f.submit = "예약 신청".to_owned();
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

fn minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m}분"),
        (h, 0) => format!("{h}시간"),
        (h, m) => format!("{h}시간 {m}분"),
    }
}

/// The enrolment form of a programme.
pub fn programme(catalog: &Catalog, id: &str) -> Option<FormView> {
    let p = catalog.programme(id)?;
    let fid = "application";
    let mut f = base(
        "programme",
        fid,
        format!("/api/programmes/{}/applications", p.id),
        &p.title,
        format!("/programmes/{}/", p.id),
    );
    f.fields.extend(person_fields(catalog, fid));
    f.consent = Some(consent(catalog, fid));
    f.messaging_note = messaging_note(catalog);
    f.submit = "교육 신청".to_owned();
    Some(f)
}

/// The online application form of a policy (`None` when it links out).
pub fn policy(catalog: &Catalog, id: &str) -> Option<FormView> {
    let p = catalog.policy(id)?;
    let own = p.form.as_ref()?;
    let fid = "application";
    let mut f = base(
        "policy",
        fid,
        format!("/api/policies/{}/applications", p.id),
        &p.title,
        format!("/policies/{}/", p.id),
    );
    f.fields.extend(person_fields(catalog, fid));
    f.fields.extend(own_fields(fid, own));
    f.consent = Some(consent(catalog, fid));
    f.messaging_note = messaging_note(catalog);
    f.submit = "지원사업 신청".to_owned();
    Some(f)
}

/// The fields a policy's or job posting's form defines itself, posted as
/// `fields.<id>`.
fn own_fields(fid: &str, own: &[FormField]) -> Vec<FieldView> {
    let mut out = Vec::new();
    for field in own {
        let name = format!("fields.{}", field.id);
        let mut v = FieldView::new(fid, &name, &field.label, "text");
        v.required = field.required;
        v.hint = field.hint.clone();
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
                    v.hint = match (min, max) {
                        (Some(a), Some(b)) => Some(format!("{a}~{b} 사이의 숫자")),
                        (Some(a), None) => Some(format!("{a} 이상의 숫자")),
                        (None, Some(b)) => Some(format!("{b} 이하의 숫자")),
                        _ => Some("숫자만 입력해 주세요.".to_owned()),
                    };
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
                        label: o.clone(),
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
pub fn job(catalog: &Catalog, id: &str) -> Option<FormView> {
    let j = catalog.job(id)?;
    let c = catalog.job_consent.as_ref()?;
    let fid = "application";
    let mut f = base(
        "job",
        fid,
        format!("/api/jobs/{}/applications", j.id),
        &j.title,
        format!("/jobs/{}/", j.id),
    );
    f.fields.extend(
        person_fields(catalog, fid)
            .into_iter()
            .filter(|p| p.name != "business")
            .map(|p| match p.name.as_str() {
                "phone" => p.hint("예: 010-1234-5678. 면접과 채용 결과를 알려 드릴 때 씁니다."),
                _ => p,
            }),
    );
    f.fields.extend(own_fields(fid, &j.form));
    let mut consent = consent(catalog, fid);
    consent.purpose = c.purpose.clone();
    consent.items = c.items.clone();
    consent.retention = c.retention.clone();
    consent.refusal = c.refusal.clone();
    consent.provision = j.employer_email.as_ref().map(|_| {
        c.employer
            .replace("{company}", &j.company)
            .replace("{title}", &j.title)
    });
    if consent.provision.is_some() {
        consent.field.label =
            "위 개인정보 수집·이용과 구인 업체에 제공하는 데 동의합니다.".to_owned();
    }
    f.consent = Some(consent);
    f.messaging_note = messaging_note(catalog);
    f.submit = "이 일자리에 지원하기".to_owned();
    Some(f)
}

/// The satisfaction survey for a reservation or application.
pub fn survey(catalog: &Catalog, survey: &str, code: &str, token: &str) -> Option<FormView> {
    let s = catalog.survey(survey)?;
    let fid = "survey";
    let mut f = base(
        "survey",
        fid,
        format!("/api/surveys/{}/responses", s.id),
        &s.title,
        "/reservation/".to_owned(),
    );
    f.intro = Some("응답은 이름 없이 통계로만 이용합니다. 한 번만 보낼 수 있습니다.".to_owned());
    f.fields
        .push(FieldView::new(fid, "code", "예약·접수번호", "hidden").value(code));
    f.fields
        .push(FieldView::new(fid, "token", "관리 코드", "hidden").value(token));
    for q in &s.questions {
        let name = format!("answers.{}", q.id);
        let mut v = FieldView::new(fid, &name, &q.label, "radio");
        v.required = q.required;
        match &q.kind {
            QuestionKind::Rating { scale } => {
                let scale = if *scale == 0 { 5 } else { *scale };
                v.hint = Some(format!(
                    "1은 매우 불만족, {scale}{} 매우 만족입니다.",
                    topic_particle(scale)
                ));
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
                        label: o.clone(),
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
    f.submit = "응답 보내기".to_owned();
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
) -> Option<FormView> {
    let mut f = self::survey(catalog, survey, code, token)?;
    f.intro = Some(format!(
        "{about} 이용에 대한 의견을 들려주세요. {}",
        f.intro.unwrap_or_default()
    ));
    Some(f)
}

/// 예약 조회: a reservation by its code and the phone number it was made with.
pub fn lookup() -> FormView {
    let fid = "lookup";
    let mut f = base(
        "lookup",
        fid,
        "/api/reservations/lookup".to_owned(),
        "예약 조회",
        "/reservation/".to_owned(),
    );
    f.fields.push(
        FieldView::new(fid, "code", "예약번호", "text")
            .required()
            .hint("예약을 마친 화면에 나온 번호입니다.")
            .auto("off"),
    );
    f.fields.push(FieldView {
        inputmode: Some("tel"),
        ..FieldView::new(fid, "phone", "예약할 때 적은 휴대전화 번호", "tel")
            .required()
            .auto("tel")
    });
    f.submit = "조회하기".to_owned();
    f
}

/// 내 예약·신청, first step: the phone number the code is sent to.
pub fn my_phone() -> FormView {
    let fid = "my-phone";
    let mut f = base(
        "my_phone",
        fid,
        "/api/my/code".to_owned(),
        "인증번호 받기",
        "/my/".to_owned(),
    );
    f.fields.push(FieldView {
        inputmode: Some("tel"),
        ..FieldView::new(fid, "phone", "휴대전화 번호", "tel")
            .required()
            .auto("tel")
            .hint("예: 010-1234-5678. 예약·신청할 때 적은 번호로 인증번호 6자리를 문자로 보내 드립니다.")
    });
    f.submit = "인증번호 받기".to_owned();
    f
}

/// 내 예약·신청, second step: the 6-digit code from the 문자.
pub fn my_code() -> FormView {
    let fid = "my-code";
    let mut f = base(
        "my_code",
        fid,
        "/api/my/verify".to_owned(),
        "인증번호 입력",
        "/my/".to_owned(),
    );
    f.fields.push(FieldView {
        inputmode: Some("numeric"),
        max_length: Some(7),
        ..FieldView::new(fid, "code", "인증번호 6자리", "text")
            .required()
            .auto("one-time-code")
            .hint("문자로 받은 숫자 6자리입니다. 5분 안에 입력해 주세요.")
    });
    f.submit = "확인".to_owned();
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
    );
    f.fields.push(
        FieldView::new(fid, "token", "관리자 토큰", "password")
            .required()
            .auto("current-password")
            .hint("운영 담당자에게 받은 토큰입니다. 30분 동안 로그인이 유지됩니다."),
    );
    f.submit = "로그인".to_owned();
    f
}

impl FormView {
    /// Puts back what was sent and marks what is wrong, in field order.
    pub fn fill(&mut self, values: &Values, errors: Option<&FieldMessages>, message: &str) {
        let mut links = Vec::new();
        let err = |name: &str| errors.and_then(|e| e.get(name)).cloned();
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
            if let Some(m) = err(&f.name) {
                let target = if matches!(f.kind, "radio") && !f.options.is_empty() {
                    format!("{}-1", f.id)
                } else {
                    f.id.clone()
                };
                links.push(ErrorLink {
                    href: format!("#{target}"),
                    message: m.clone(),
                });
                f.error = Some(m);
            }
        }
        // Problems with no field of their own (e.g. `end`) still show.
        if let Some(errors) = errors {
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
        }
        self.errors = links;
        self.error_message = (!message.is_empty()).then(|| message.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_safe() {
        assert_eq!(field_id("apply", "fields.plan_b"), "apply-fields-plan-b");
        let f = lookup();
        let mut ids: Vec<_> = f.fields.iter().map(|f| f.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), f.fields.len());
    }

    #[test]
    fn fill_keeps_values_and_links_errors() {
        let mut f = lookup();
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
}
