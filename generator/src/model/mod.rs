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

pub use messages::*;
pub use read::*;
pub use site::*;

use crate::yaml::Origin;
use crate::yaml::read::{Email, Url};

/// Scheduling shared by every record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    pub draft: bool,
    pub publish_at: Option<Date>,
    pub expire_at: Option<Date>,
}

impl Meta {
    /// Whether the record is published on `today`.
    pub fn is_live(&self, today: Date) -> bool {
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
    pub const ALL: [Kind; 6] = [
        Kind::Facility,
        Kind::Equipment,
        Kind::Programme,
        Kind::Policy,
        Kind::Job,
        Kind::Notice,
    ];

    /// The folder under `content/` and the URL section.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Facility => "facilities",
            Kind::Equipment => "equipment",
            Kind::Programme => "programmes",
            Kind::Policy => "policies",
            Kind::Job => "jobs",
            Kind::Notice => "notices",
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            Kind::Facility => "지원시설",
            Kind::Equipment => "공용장비",
            Kind::Programme => "교육",
            Kind::Policy => "지원사업",
            Kind::Job => "구인정보",
            Kind::Notice => "공지사항",
        }
    }
    pub fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }
}

/// The five taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Industries,
    Districts,
    Audiences,
    Stages,
    Areas,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 5] = [
        Taxonomy::Industries,
        Taxonomy::Districts,
        Taxonomy::Audiences,
        Taxonomy::Stages,
        Taxonomy::Areas,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Industries => "industries",
            Taxonomy::Districts => "districts",
            Taxonomy::Audiences => "audiences",
            Taxonomy::Stages => "stages",
            Taxonomy::Areas => "areas",
        }
    }
    /// Singular English name for messages.
    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Industries => "industry",
            Taxonomy::Districts => "district",
            Taxonomy::Audiences => "audience",
            Taxonomy::Stages => "stage",
            Taxonomy::Areas => "support area",
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            Taxonomy::Industries => "업종",
            Taxonomy::Districts => "자치구",
            Taxonomy::Audiences => "대상",
            Taxonomy::Stages => "성장단계",
            Taxonomy::Areas => "지원분야",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    #[serde(skip)]
    pub field: String,
}

/// Common header of every record: id, scheduling, origin.
#[derive(Debug, Clone)]
pub struct Head {
    pub id: Id,
    pub meta: Meta,
    pub origin: Arc<Origin>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OperatorType {
    City,
    District,
    Private,
}

impl OperatorType {
    pub fn korean(self) -> &'static str {
        match self {
            OperatorType::City => "시 운영",
            OperatorType::District => "자치구 운영",
            OperatorType::Private => "민간 운영",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Facility {
    pub head: Head,
    pub name: String,
    pub operator_type: OperatorType,
    pub operator: String,
    pub district: Id,
    pub address: String,
    pub hours: String,
    pub phone: Phone,
    pub email: Option<Email>,
    pub website: Option<Url>,
    pub opened: Option<Date>,
    pub floor_area_m2: Option<u32>,
    pub industries: Vec<Id>,
    pub areas: Vec<Id>,
    pub audiences: Vec<Id>,
    pub summary: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Equipment {
    pub head: Head,
    pub name: String,
    pub facility: Id,
    pub industries: Vec<Id>,
    pub summary: String,
    pub specs: Vec<Spec>,
    pub description: String,
    pub rules: BookingRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Offline,
    Online,
    Hybrid,
}

impl Format {
    pub fn korean(self) -> &'static str {
        match self {
            Format::Offline => "현장 교육",
            Format::Online => "온라인 교육",
            Format::Hybrid => "현장·온라인 병행",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub head: Head,
    pub title: String,
    pub facility: Id,
    pub industries: Vec<Id>,
    pub audiences: Vec<Id>,
    pub stages: Vec<Id>,
    pub areas: Vec<Id>,
    pub summary: String,
    pub description: String,
    pub sessions: Vec<Session>,
    pub apply_from: Date,
    pub apply_until: Date,
    pub capacity: u32,
    pub waitlist: u32,
    pub fee_won: u32,
    pub format: Format,
    pub place: Option<String>,
    pub contact: Option<Phone>,
    pub survey: Option<Id>,
}

#[derive(Debug, Clone)]
pub enum Apply {
    Url(Url),
    Form(Vec<FormField>),
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub head: Head,
    pub title: String,
    pub agency: String,
    pub summary: String,
    pub target: String,
    pub amount: String,
    pub eligibility: Vec<String>,
    pub documents: Vec<String>,
    pub apply_from: Date,
    pub apply_until: Date,
    pub industries: Vec<Id>,
    pub audiences: Vec<Id>,
    pub stages: Vec<Id>,
    pub areas: Vec<Id>,
    pub districts: Vec<Id>,
    pub contact: Option<Phone>,
    pub apply: Apply,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Employment {
    FullTime,
    Contract,
    PartTime,
    Daily,
}

impl Employment {
    pub fn korean(self) -> &'static str {
        match self {
            Employment::FullTime => "정규직",
            Employment::Contract => "계약직",
            Employment::PartTime => "시간제",
            Employment::Daily => "일용직",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub head: Head,
    pub title: String,
    pub company: String,
    pub industry: Id,
    pub district: Id,
    pub position: String,
    pub employment: Employment,
    pub wage: String,
    pub hours: String,
    pub posted: Date,
    pub deadline: Date,
    pub how_to_apply: String,
    pub contact: Phone,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub head: Head,
    pub title: String,
    pub date: Date,
    pub facility: Option<Id>,
    pub pinned: bool,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub head: Head,
    pub title: String,
    pub summary: Option<String>,
    pub footer: bool,
    pub order: i64,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct SurveyDef {
    pub head: Head,
    pub survey: sbiz_catalog::Survey,
    pub intro: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HolidayEntry {
    pub holiday: sbiz_catalog::Holiday,
    pub field: String,
}

/// Everything loaded from `content/`, before publishing rules are applied.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<SiteConfig>,
    pub site_origin: Option<Arc<Origin>>,
    pub taxonomies: Vec<(Taxonomy, Arc<Origin>, Vec<Term>)>,
    pub holidays: Vec<HolidayEntry>,
    pub holidays_origin: Option<Arc<Origin>>,
    pub surveys: Vec<SurveyDef>,
    pub facilities: Vec<Facility>,
    pub equipment: Vec<Equipment>,
    pub programmes: Vec<Programme>,
    pub policies: Vec<Policy>,
    pub jobs: Vec<Job>,
    pub notices: Vec<Notice>,
    pub pages: Vec<Page>,
    /// Message templates (`messages.yaml`, optional: without it nothing is
    /// sent).
    pub messages: Vec<sbiz_catalog::MessageTemplate>,
    /// Ids of every record file per content folder, including files that
    /// failed to read, so one broken file does not cascade into reference errors.
    pub ids: std::collections::HashMap<&'static str, std::collections::HashSet<String>>,
}

/// Access to the common header of a record.
pub trait HasHead {
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
