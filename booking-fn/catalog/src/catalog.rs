//! The catalog: the part of the content model that the booking function
//! enforces. `sbiz build` writes it to `public/catalog.json`.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::{Date, Id, Lang, Phone, TimeOfDay, TimeRange, Weekday};

/// Format version of `catalog.json`; bump on incompatible changes.
pub const CATALOG_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub version: u32,
    /// The site's origin (scheme, host, port), e.g. "https://sbiz.example.kr";
    /// CORS and form posts accept only this origin.
    pub origin: String,
    pub booking: BookingSettings,
    pub consent: Consent,
    pub holidays: Vec<Holiday>,
    pub facilities: Vec<Facility>,
    pub equipment: Vec<Equipment>,
    pub programmes: Vec<Programme>,
    pub policies: Vec<Policy>,
    pub surveys: Vec<Survey>,
    /// Message templates and the reminder setting (`content/messages.yaml`,
    /// `site.yaml` `reminder:`); empty in catalogs written before messaging.
    #[serde(default)]
    pub messages: crate::Messages,
    /// Job postings that take applications on the portal (absent from
    /// catalogs written before job applications existed).
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// The consent text of job application forms (`site.yaml`,
    /// `job_consent:`); required when any posting takes applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_consent: Option<JobConsent>,
    /// The page that explains booking and applying once (`site.yaml`
    /// `form_help:`, e.g. "/how-to-book/"), which every form links to
    /// instead of repeating it; none when the site has no such page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_help: Option<String>,
}

impl Catalog {
    pub fn facility(&self, id: &str) -> Option<&Facility> {
        self.facilities.iter().find(|f| f.id.as_str() == id)
    }
    pub fn equipment(&self, id: &str) -> Option<&Equipment> {
        self.equipment.iter().find(|e| e.id.as_str() == id)
    }
    pub fn programme(&self, id: &str) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.id.as_str() == id)
    }
    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id.as_str() == id)
    }
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id.as_str() == id)
    }
    pub fn survey(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().find(|s| s.id.as_str() == id)
    }
    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.iter().any(|h| h.date == date)
    }
}

/// Site-wide booking rules (from `content/site.yaml`, `booking:`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookingSettings {
    /// Personal fields are deleted this many days after the booking's last day.
    pub retention_days: u16,
    /// Personal fields of job applications are deleted this many days after
    /// the posting's deadline: shorter than `retention_days`.
    #[serde(default = "default_job_retention_days")]
    pub job_retention_days: u16,
    pub no_show: NoShowRule,
}

/// The retention of job applications when `site.yaml` does not set one.
pub const DEFAULT_JOB_RETENTION_DAYS: u16 = 90;

fn default_job_retention_days() -> u16 {
    DEFAULT_JOB_RETENTION_DAYS
}

/// "The `max`th no-show within `window_days` blocks new bookings for `block_days`."
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct NoShowRule {
    pub max: u16,
    pub window_days: u16,
    pub block_days: u16,
}

/// The consent text shown on every form that collects personal data
/// (개인정보보호법 art. 15(2)): purpose, items, retention, and the right to
/// refuse, each one short line; the full notice is the page `notice`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Consent {
    /// Recorded with each consent so that the text a person agreed to is known.
    pub version: String,
    pub purpose: String,
    pub items: String,
    pub retention: String,
    pub refusal: String,
    /// The page with the full privacy notice (`/privacy/`), which the
    /// consent box links to; none when the site has no such page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The same text in English, for the English edition's forms (the
    /// version is the same: it is one consent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<ConsentText>,
}

/// A consent text in another language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentText {
    pub purpose: String,
    pub items: String,
    pub retention: String,
    pub refusal: String,
}

impl Consent {
    /// The text in `lang` (purpose, items, retention, refusal): the
    /// English one when there is one, else the Korean.
    pub fn text(&self, lang: Lang) -> ConsentText {
        match (&self.en, lang) {
            (Some(en), Lang::En) => en.clone(),
            _ => ConsentText {
                purpose: self.purpose.clone(),
                items: self.items.clone(),
                retention: self.retention.clone(),
                refusal: self.refusal.clone(),
            },
        }
    }
}

/// The consent text of job application forms: what is collected for a job
/// application differs from a booking (no business name; a
/// self-introduction, experience, …), it is kept for its own period, and
/// where the posting names an employer's e-mail the application is given to
/// the employer (제3자 제공, art. 17), which `employer` says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobConsent {
    pub purpose: String,
    pub items: String,
    pub retention: String,
    pub refusal: String,
    /// Shown on the forms of postings with an `employer_email`: to whom the
    /// application is given, for what, and how long the employer keeps it.
    pub employer: String,
    /// The same text in English (`employer` with the same placeholders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<JobConsentText>,
}

/// A job consent text in another language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobConsentText {
    pub purpose: String,
    pub items: String,
    pub retention: String,
    pub refusal: String,
    pub employer: String,
}

impl JobConsent {
    /// The text in `lang`: the English one when there is one, else the Korean.
    pub fn text(&self, lang: Lang) -> JobConsentText {
        match (&self.en, lang) {
            (Some(en), Lang::En) => en.clone(),
            _ => JobConsentText {
                purpose: self.purpose.clone(),
                items: self.items.clone(),
                retention: self.retention.clone(),
                refusal: self.refusal.clone(),
                employer: self.employer.clone(),
            },
        }
    }
}

/// The text of `korean` in `lang`: `english` when the language is English
/// and there is one, else the Korean.
fn in_lang<'a>(lang: Lang, korean: &'a str, english: Option<&'a String>) -> &'a str {
    match (lang, english) {
        (Lang::En, Some(en)) if !en.trim().is_empty() => en,
        _ => korean,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facility {
    pub id: Id,
    pub name: String,
    pub phone: Phone,
    /// The English name, when the facility's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

impl Facility {
    /// The name in `lang`, the Korean one when there is no translation.
    pub fn name_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.name, self.name_en.as_ref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Equipment {
    pub id: Id,
    pub facility: Id,
    pub name: String,
    pub rules: BookingRules,
    /// The English name, when the equipment's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

impl Equipment {
    /// The name in `lang`, the Korean one when there is no translation.
    pub fn name_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.name, self.name_en.as_ref())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approval {
    /// Confirmed at once when every rule is met.
    Instant,
    /// Held as pending until staff approve or reject.
    Staff,
}

/// How a piece of equipment may be booked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookingRules {
    /// Length of one slot in minutes; slots start at each opening time.
    pub slot_minutes: u16,
    /// Opening hours per weekday, Monday first; an empty list means closed.
    pub hours: [Vec<TimeRange>; 7],
    /// Fewest and most consecutive slots in one reservation.
    pub min_slots: u16,
    pub max_slots: u16,
    /// A reservation's day must be at least `min_days_ahead` and at most
    /// `max_days_ahead` days after today.
    pub min_days_ahead: u16,
    pub max_days_ahead: u16,
    /// Most hours one person may hold per week (Monday to Sunday), if limited.
    pub weekly_quota_hours: Option<u16>,
    pub approval: Approval,
    /// A programme the person must have completed (attended). Without a
    /// completed enrolment the reservation is held for staff to check the
    /// person's training instead of being confirmed at once.
    pub training: Option<Id>,
    pub eligibility: String,
    /// Fee per slot in won; 0 means free.
    pub fee_won: u32,
    /// Cancellation allowed until this many hours before the start.
    pub cancel_hours_before: u16,
    pub closed_dates: Vec<Date>,
    /// Survey offered after use.
    pub survey: Option<Id>,
}

/// The most slots one reservation may hold, whatever the catalog says.
///
/// The DynamoDB store writes a reservation as one `TransactWriteItems` of at
/// most 100 items: one lock item per slot, the reservation, the idempotency
/// record and the weekly quota counter, with room to spare: 96 + 4 = 100.
pub const MAX_SLOTS_PER_RUN: u16 = 96;

impl BookingRules {
    /// The most slots one reservation may hold: `max_slots`, capped at
    /// [`MAX_SLOTS_PER_RUN`].
    pub fn bookable_max_slots(&self) -> u16 {
        self.max_slots.min(MAX_SLOTS_PER_RUN)
    }

    pub fn hours_on(&self, day: Weekday) -> &[TimeRange] {
        &self.hours[day.index()]
    }

    /// Every slot of a day with these opening hours, ignoring closures.
    pub fn slots_on(&self, day: Weekday) -> Vec<TimeRange> {
        let step = self.slot_minutes;
        let mut out = Vec::new();
        for range in self.hours_on(day) {
            let mut t = range.start.minutes();
            while t + step <= range.end.minutes() {
                let (Some(s), Some(e)) = (
                    TimeOfDay::from_minutes(t),
                    TimeOfDay::from_minutes(t + step),
                ) else {
                    break;
                };
                out.push(TimeRange { start: s, end: e });
                t += step;
            }
        }
        out
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub date: Date,
    pub time: TimeRange,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Programme {
    pub id: Id,
    pub facility: Id,
    pub title: String,
    pub capacity: u32,
    /// Most people on the waitlist; 0 means no waitlist.
    pub waitlist: u32,
    pub apply_from: Date,
    pub apply_until: Date,
    pub sessions: Vec<Session>,
    pub survey: Option<Id>,
    /// The English title, when the programme's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Where it takes place (`place`), as its page says; `None` online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The English place, when the programme's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_en: Option<String>,
    /// Held online only (`format: online`): no place to go to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub online: bool,
}

impl Programme {
    /// The title in `lang`, the Korean one when there is no translation.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.title, self.title_en.as_ref())
    }

    /// The place in `lang`, the Korean one when there is no translation.
    pub fn place_in(&self, lang: Lang) -> Option<&str> {
        let ko = self.place.as_ref()?;
        Some(in_lang(lang, ko, self.place_en.as_ref()))
    }

    /// The last session's day and end time: surveys open after it.
    pub fn ends(&self) -> Option<(Date, TimeOfDay)> {
        self.sessions.iter().map(|s| (s.date, s.time.end)).max()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub id: Id,
    pub title: String,
    pub apply_from: Date,
    pub apply_until: Date,
    /// The online form; `None` when the policy links out instead.
    pub form: Option<Vec<FormField>>,
    /// The English title, when the policy's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// The English texts of the form's fields, by field id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub form_en: BTreeMap<String, FieldText>,
    /// How and by when to send the documents the policy asks for (the
    /// online form takes no files), and its English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_submit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_submit_en: Option<String>,
    /// The policy's own phone for questions (its `contact`), when it has
    /// one: a policy is run by an agency, not by a facility of the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Phone>,
}

impl Policy {
    /// The title in `lang`, the Korean one when there is no translation.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.title, self.title_en.as_ref())
    }
    /// How to send the documents, in `lang` (the Korean when there is no
    /// translation); `None` when the policy asks for none.
    pub fn how_to_submit_in(&self, lang: Lang) -> Option<&str> {
        let ko = self.how_to_submit.as_ref()?;
        Some(in_lang(lang, ko, self.how_to_submit_en.as_ref()))
    }
}

/// A job posting that takes applications on the portal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub id: Id,
    pub title: String,
    pub company: String,
    /// The facility that posted it: its staff see and process the
    /// applications (and mark the posting filled).
    pub facility: Id,
    /// Applications are taken from `posted` to `deadline`, both included
    /// (Korea time), unless staff mark the posting filled earlier.
    pub posted: Date,
    pub deadline: Date,
    /// The employer's e-mail, when each application is also sent to the
    /// employer (through the messaging outbox).
    pub employer_email: Option<String>,
    /// The application form's own fields (name, phone, e-mail and consent
    /// are always asked).
    pub form: Vec<FormField>,
    /// The English title, when the posting's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// The employer's English name, when the posting's page is translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_en: Option<String>,
    /// The English texts of the form's fields, by field id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub form_en: BTreeMap<String, FieldText>,
}

impl Job {
    /// The title in `lang`, the Korean one when there is no translation.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.title, self.title_en.as_ref())
    }

    /// The employer's name in `lang`, the Korean one when there is no
    /// translation.
    pub fn company_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.company, self.company_en.as_ref())
    }
}

/// The texts of a form field in another language. Only what people read
/// is translated: the value of a chosen option stays the Korean option
/// (staff read the answers in Korean); `options` gives the label shown for
/// each Korean option.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FieldText {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The shown label of each option, by the Korean option.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// One field of a policy's (or a job posting's) online application form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FormField {
    pub id: Id,
    pub label: String,
    pub required: bool,
    pub hint: Option<String>,
    #[serde(flatten)]
    pub kind: FieldKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FieldKind {
    Text {
        max_length: u32,
    },
    Textarea {
        max_length: u32,
    },
    Number {
        min: Option<i64>,
        max: Option<i64>,
    },
    Date {
        min: Option<Date>,
        max: Option<Date>,
    },
    Select {
        options: Vec<String>,
    },
    Checkbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyTarget {
    Equipment,
    Programme,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Survey {
    pub id: Id,
    pub title: String,
    pub target: SurveyTarget,
    pub questions: Vec<Question>,
    /// The English title, for records made from the English edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// The English texts of the questions, by question id (`label`; for a
    /// choice, `options` by the Korean option, which stays the answer).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions_en: BTreeMap<String, FieldText>,
}

impl Survey {
    /// The title in `lang`, the Korean one when there is no translation.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.title, self.title_en.as_ref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: Id,
    pub label: String,
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum QuestionKind {
    /// 1 to `scale` (5 unless set).
    Rating {
        scale: u8,
    },
    Choice {
        options: Vec<String>,
    },
    Text {
        max_length: u32,
    },
}
