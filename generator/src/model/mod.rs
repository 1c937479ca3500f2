//! The content model: typed records read from `content/`.
//!
//! Reading is split from checking: `read` turns each file into a record and
//! reports problems local to that file; `crate::validate` checks references
//! between records once everything is loaded.

mod messages;
mod read;
mod site;

use std::sync::Arc;

use sbiz_catalog::{BookingRules, Date, FormField, Id, Phone, Session};
use serde::Serialize;

pub(crate) use messages::*;
pub(crate) use read::*;
pub(crate) use site::*;

use crate::yaml::Origin;
use crate::yaml::read::{Email, Url};

/// Scheduling shared by every record.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Meta {
    pub(crate) draft: bool,
    pub(crate) publish_at: Option<Date>,
    pub(crate) expire_at: Option<Date>,
}

impl Meta {
    /// Whether the record is published on `today`.
    pub(crate) fn is_live(&self, today: Date) -> bool {
        !self.draft
            && self.publish_at.is_none_or(|d| d <= today)
            && self.expire_at.is_none_or(|d| today < d)
    }
}

/// The kinds of records that have list and detail pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Facility,
    Equipment,
    Programme,
    Policy,
    Job,
    Notice,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [
        Kind::Facility,
        Kind::Equipment,
        Kind::Programme,
        Kind::Policy,
        Kind::Job,
        Kind::Notice,
    ];

    /// The folder under `content/` and the URL section of each kind, in
    /// the order of [`Kind::ALL`]: the one list of section names.
    pub const SECTIONS: [&'static str; 6] = {
        let mut out = [""; 6];
        let mut i = 0;
        while i < Kind::ALL.len() {
            out[i] = Kind::ALL[i].section();
            i += 1;
        }
        out
    };

    /// The folder under `content/` and the URL section.
    pub(crate) const fn section(self) -> &'static str {
        match self {
            Kind::Facility => "facilities",
            Kind::Equipment => "equipment",
            Kind::Programme => "programmes",
            Kind::Policy => "policies",
            Kind::Job => "jobs",
            Kind::Notice => "notices",
        }
    }
    pub(crate) fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }
}

/// 예정 / 모집 중 (지원사업은 접수 중) / 마감, from dates relative to the build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Upcoming,
    Open,
    Closed,
}

impl Status {
    pub(crate) fn from_window(from: Date, until: Date, today: Date) -> Status {
        if today < from {
            Status::Upcoming
        } else if today <= until {
            Status::Open
        } else {
            Status::Closed
        }
    }
    pub(crate) fn key(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
    pub(crate) const ALL: [Status; 3] = [Status::Open, Status::Upcoming, Status::Closed];
}

/// The five taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Taxonomy {
    Industries,
    Districts,
    Audiences,
    Stages,
    Areas,
}

impl Taxonomy {
    pub(crate) const ALL: [Taxonomy; 5] = [
        Taxonomy::Industries,
        Taxonomy::Districts,
        Taxonomy::Audiences,
        Taxonomy::Stages,
        Taxonomy::Areas,
    ];
    /// The file name under `content/taxonomies/` and the URL section of
    /// each taxonomy, in the order of [`Taxonomy::ALL`].
    pub(crate) const NAMES: [&'static str; 5] = {
        let mut out = [""; 5];
        let mut i = 0;
        while i < Taxonomy::ALL.len() {
            out[i] = Taxonomy::ALL[i].name();
            i += 1;
        }
        out
    };

    pub(crate) const fn name(self) -> &'static str {
        match self {
            Taxonomy::Industries => "industries",
            Taxonomy::Districts => "districts",
            Taxonomy::Audiences => "audiences",
            Taxonomy::Stages => "stages",
            Taxonomy::Areas => "areas",
        }
    }
    /// The taxonomy's name in messages ("districts": 자치구).
    pub(crate) fn plural_text(self) -> crate::i18n::Text {
        use crate::t;
        match self {
            Taxonomy::Industries => t!("industries"),
            Taxonomy::Districts => t!("districts"),
            Taxonomy::Audiences => t!("audiences"),
            Taxonomy::Stages => t!("stages"),
            Taxonomy::Areas => t!("areas"),
        }
    }
    /// Singular name for messages.
    pub(crate) fn singular_text(self) -> crate::i18n::Text {
        use crate::t;
        match self {
            Taxonomy::Industries => t!("industry"),
            Taxonomy::Districts => t!("district"),
            Taxonomy::Audiences => t!("audience"),
            Taxonomy::Stages => t!("stage"),
            Taxonomy::Areas => t!("support area"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Term {
    pub(crate) id: Id,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Term>>,
    #[serde(skip)]
    pub(crate) field: String,
}

/// Common header of every record: id, scheduling, origin.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) id: Id,
    pub(crate) meta: Meta,
    pub(crate) origin: Arc<Origin>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OperatorType {
    City,
    District,
    Private,
}

#[derive(Debug, Clone)]
pub(crate) struct Facility {
    pub(crate) head: Head,
    pub(crate) name: String,
    pub(crate) operator_type: OperatorType,
    pub(crate) operator: String,
    pub(crate) district: Id,
    pub(crate) address: String,
    pub(crate) hours: String,
    pub(crate) phone: Phone,
    pub(crate) email: Option<Email>,
    pub(crate) website: Option<Url>,
    pub(crate) opened: Option<Date>,
    pub(crate) floor_area_m2: Option<u32>,
    /// Where it is (checked to lie in Seoul), for the map links.
    pub(crate) location: Option<Location>,
    /// The nearest subway station, as text ("금천구청역 (1호선) 도보 10분").
    pub(crate) subway: Option<String>,
    pub(crate) industries: Vec<Id>,
    pub(crate) areas: Vec<Id>,
    pub(crate) audiences: Vec<Id>,
    pub(crate) summary: String,
    pub(crate) description: String,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Facility>>,
}

/// A point in WGS 84 degrees (as 카카오맵 and 네이버 지도 links take it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Location {
    pub(crate) lat: f64,
    pub(crate) lng: f64,
}

impl Location {
    /// Seoul's extent with a small margin: latitude 37.41-37.72, longitude
    /// 126.76-127.19 (the city's southernmost, northernmost, westernmost and
    /// easternmost points are 37.43, 37.70, 126.76 and 127.18).
    pub(crate) const SEOUL_LAT: (f64, f64) = (37.41, 37.72);
    pub(crate) const SEOUL_LNG: (f64, f64) = (126.76, 127.19);

    pub(crate) fn in_seoul(&self) -> bool {
        (Self::SEOUL_LAT.0..=Self::SEOUL_LAT.1).contains(&self.lat)
            && (Self::SEOUL_LNG.0..=Self::SEOUL_LNG.1).contains(&self.lng)
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Spec {
    pub(crate) name: String,
    pub(crate) value: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Equipment {
    pub(crate) head: Head,
    pub(crate) name: String,
    pub(crate) facility: Id,
    pub(crate) industries: Vec<Id>,
    pub(crate) summary: String,
    pub(crate) specs: Vec<Spec>,
    pub(crate) description: String,
    pub(crate) rules: BookingRules,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Equipment>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    Offline,
    Online,
    Hybrid,
}

#[derive(Debug, Clone)]
pub(crate) struct Programme {
    pub(crate) head: Head,
    pub(crate) title: String,
    pub(crate) facility: Id,
    pub(crate) industries: Vec<Id>,
    pub(crate) audiences: Vec<Id>,
    pub(crate) stages: Vec<Id>,
    pub(crate) areas: Vec<Id>,
    pub(crate) summary: String,
    pub(crate) description: String,
    pub(crate) sessions: Vec<Session>,
    pub(crate) apply_from: Date,
    pub(crate) apply_until: Date,
    pub(crate) capacity: u32,
    pub(crate) waitlist: u32,
    pub(crate) fee_won: u32,
    pub(crate) format: Format,
    pub(crate) place: Option<String>,
    pub(crate) contact: Option<Phone>,
    pub(crate) survey: Option<Id>,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Programme>>,
}

#[derive(Debug, Clone)]
pub(crate) enum Apply {
    Url(Url),
    Form(Vec<FormField>),
}

#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub(crate) head: Head,
    pub(crate) title: String,
    pub(crate) agency: String,
    pub(crate) summary: String,
    pub(crate) target: String,
    pub(crate) amount: String,
    pub(crate) eligibility: Vec<String>,
    pub(crate) documents: Vec<String>,
    /// How and by when to send the `documents` (`how_to_submit`): an
    /// online form takes no files, so a policy with a form and documents
    /// must say it.
    pub(crate) how_to_submit: Option<String>,
    pub(crate) apply_from: Date,
    pub(crate) apply_until: Date,
    pub(crate) industries: Vec<Id>,
    pub(crate) audiences: Vec<Id>,
    pub(crate) stages: Vec<Id>,
    pub(crate) areas: Vec<Id>,
    pub(crate) districts: Vec<Id>,
    pub(crate) contact: Option<Phone>,
    pub(crate) apply: Apply,
    pub(crate) body: String,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Policy>>,
    /// In an English version: the English texts of the `apply.form`
    /// fields, by id, in the form's order (empty in the Korean record and
    /// when the policy links out).
    pub(crate) form_en: FormTextsEn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Employment {
    FullTime,
    Contract,
    PartTime,
    Daily,
}

#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) head: Head,
    pub(crate) title: String,
    pub(crate) company: String,
    pub(crate) industry: Id,
    pub(crate) district: Id,
    /// Whom the posting is for: `audiences:` as written or, when the
    /// posting has none, the job seekers ([`JOB_SEEKERS`]) once the site is
    /// assembled (a job posting is for people looking for work by nature).
    pub(crate) audiences: Vec<Id>,
    /// Whether `audiences:` was written (only then is it checked).
    pub(crate) audiences_written: bool,
    pub(crate) position: String,
    pub(crate) employment: Employment,
    pub(crate) wage: String,
    pub(crate) hours: String,
    pub(crate) posted: Date,
    pub(crate) deadline: Date,
    pub(crate) how_to_apply: String,
    pub(crate) contact: Phone,
    pub(crate) description: String,
    /// Applications on the portal (구인정보 바로 신청), when the posting takes them.
    pub(crate) apply: Option<JobApply>,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Job>>,
    /// In an English version: the English texts of `apply.form`'s fields,
    /// by id, in the form's order (empty in the Korean record).
    pub(crate) form_en: FormTextsEn,
}

/// The audience a job posting belongs to when it names none (취업희망자),
/// if the site's `audiences.yaml` has it.
pub(crate) const JOB_SEEKERS: &str = "job-seekers";

/// How a job posting takes applications on the portal.
#[derive(Debug, Clone)]
pub(crate) struct JobApply {
    /// The facility that posted it: its staff receive and process the applications.
    pub(crate) facility: Id,
    /// The employer's e-mail, when each application is also sent to the employer.
    pub(crate) employer_email: Option<Email>,
    pub(crate) form: Vec<FormField>,
}

#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) head: Head,
    pub(crate) title: String,
    pub(crate) date: Date,
    pub(crate) facility: Option<Id>,
    pub(crate) pinned: bool,
    pub(crate) body: String,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Notice>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) head: Head,
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) footer: bool,
    pub(crate) order: i64,
    pub(crate) body: String,
    /// The English version, when the record is translated.
    pub(crate) en: Option<Box<Page>>,
}

#[derive(Debug, Clone)]
pub(crate) struct SurveyDef {
    pub(crate) head: Head,
    pub(crate) survey: sbiz_catalog::Survey,
}

#[derive(Debug, Clone)]
pub(crate) struct HolidayEntry {
    pub(crate) holiday: sbiz_catalog::Holiday,
    pub(crate) field: String,
}

/// Everything loaded from `content/`, before publishing rules are applied.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub(crate) site: Option<SiteConfig>,
    pub(crate) site_origin: Option<Arc<Origin>>,
    /// Whether site.yaml has `en:` (the English edition), even when its
    /// settings could not be read; `None` when it could not be parsed.
    pub(crate) english_edition: Option<bool>,
    pub(crate) taxonomies: Vec<(Taxonomy, Arc<Origin>, Vec<Term>)>,
    pub(crate) holidays: Vec<HolidayEntry>,
    pub(crate) holidays_origin: Option<Arc<Origin>>,
    pub(crate) surveys: Vec<SurveyDef>,
    pub(crate) facilities: Vec<Facility>,
    pub(crate) equipment: Vec<Equipment>,
    pub(crate) programmes: Vec<Programme>,
    pub(crate) policies: Vec<Policy>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) pages: Vec<Page>,
    /// Message templates (`messages.yaml`, optional: without it nothing is
    /// sent).
    pub(crate) messages: Vec<sbiz_catalog::MessageTemplate>,
    /// Ids of every record file per content folder, including files that
    /// failed to read, so one broken file does not cascade into reference errors.
    pub(crate) ids: std::collections::HashMap<&'static str, std::collections::HashSet<String>>,
    /// Record files that were parsed but gave no record (a field's type or
    /// value was wrong), by folder: what could be read of them is still
    /// checked, and links to them are not reported.
    pub(crate) failed: Vec<(&'static str, Failed)>,
    /// Ids of taxonomy terms that could not be read.
    pub(crate) unread_terms: Vec<(Taxonomy, String)>,
}

/// What was read of a record file that gave no record.
#[derive(Debug, Clone)]
pub(crate) struct Failed {
    pub(crate) id: Id,
    pub(crate) meta: Meta,
    /// Where its fields are, and what they point at.
    pub(crate) origin: Arc<Origin>,
    /// Its Markdown texts, by field (`""` for a `.md` body).
    pub(crate) bodies: Vec<(String, String)>,
    /// What was read of the `<id>.en.md` of a Korean file that gave no
    /// record (`origin` is the English file's; its body is the English
    /// page's).
    pub(crate) english: bool,
}

impl Content {
    /// The (folder, id) of every record that was read.
    pub(crate) fn loaded_ids(&self) -> std::collections::HashSet<(&'static str, &str)> {
        fn ids<'a, T: HasHead>(
            section: &'static str,
            v: &'a [T],
        ) -> impl Iterator<Item = (&'static str, &'a str)> {
            v.iter().map(move |r| (section, r.head().id.as_str()))
        }
        ids("facilities", &self.facilities)
            .chain(ids("equipment", &self.equipment))
            .chain(ids("programmes", &self.programmes))
            .chain(ids("policies", &self.policies))
            .chain(ids("jobs", &self.jobs))
            .chain(ids("notices", &self.notices))
            .chain(ids("pages", &self.pages))
            .collect()
    }

    /// The origins of every record file that could be parsed.
    pub(crate) fn record_origins(&self) -> impl Iterator<Item = &Origin> {
        fn heads<T: HasHead>(v: &[T]) -> impl Iterator<Item = &Origin> {
            v.iter().map(|r| &*r.head().origin)
        }
        self.surveys
            .iter()
            .map(|s| &*s.head.origin)
            .chain(heads(&self.facilities))
            .chain(heads(&self.equipment))
            .chain(heads(&self.programmes))
            .chain(heads(&self.policies))
            .chain(heads(&self.jobs))
            .chain(heads(&self.notices))
            .chain(heads(&self.pages))
            .chain(self.failed.iter().map(|(_, f)| &*f.origin))
    }
}

/// Access to the common header of a record.
pub(crate) trait HasHead {
    fn head(&self) -> &Head;
    fn head_mut(&mut self) -> &mut Head;
}

macro_rules! has_head {
    ($($t:ty),*) => {$(
        impl HasHead for $t {
            fn head(&self) -> &Head {
                &self.head
            }
            fn head_mut(&mut self) -> &mut Head {
                &mut self.head
            }
        }
    )*};
}
has_head!(
    Facility, Equipment, Programme, Policy, Job, Notice, Page, SurveyDef
);
