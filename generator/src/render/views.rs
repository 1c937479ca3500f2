//! Detail-page views: small structs that borrow from the site, so each page
//! serialises only its own record.

use sbiz_catalog::{Approval, FieldKind, FormField, Weekday};
use serde::Serialize;

use super::cache::Hashed;
use super::entries::{Card, StatusView, TermLink, format_won, operator_type};
use super::keys;
use super::templates::Tr;
use crate::model::*;
use crate::site::Site;
use crate::urls::{detail_url, term_url};

#[derive(Serialize)]
pub(crate) struct Link {
    pub(crate) title: String,
    pub(crate) url: String,
}

fn terms(site: &Site, tax: Taxonomy, ids: &[sbiz_catalog::Id]) -> Vec<TermLink> {
    ids.iter()
        .filter_map(|id| {
            site.term(tax, id).map(|t| TermLink {
                name: t.name.clone(),
                url: term_url(tax, id),
            })
        })
        .collect()
}

fn facility_link(site: &Site, id: &sbiz_catalog::Id) -> Option<Link> {
    site.facility(id).map(|f| Link {
        title: f.name.clone(),
        url: detail_url(Kind::Facility, id),
    })
}

#[derive(Serialize)]
pub(crate) struct FacilityView<'a> {
    pub(crate) name: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) operator_type: String,
    pub(crate) operator: &'a str,
    pub(crate) district: Vec<TermLink>,
    pub(crate) address: &'a str,
    pub(crate) hours: &'a str,
    pub(crate) phone: &'a str,
    pub(crate) email: Option<&'a str>,
    pub(crate) website: Option<&'a str>,
    pub(crate) opened: Option<String>,
    pub(crate) floor_area_m2: Option<u32>,
    pub(crate) subway: Option<&'a str>,
    /// Directions (길찾기): links that work without JavaScript.
    pub(crate) maps: Option<MapLinks>,
    pub(crate) industries: Vec<TermLink>,
    pub(crate) areas: Vec<TermLink>,
    pub(crate) audiences: Vec<TermLink>,
    pub(crate) body: &'a str,
    pub(crate) equipment: Vec<Hashed<'a, Card>>,
    pub(crate) programmes: Vec<Hashed<'a, Card>>,
    pub(crate) notices: Vec<Hashed<'a, Card>>,
}

#[derive(Serialize)]
pub(crate) struct MapLinks {
    pub(crate) kakao: String,
    pub(crate) naver: String,
}

/// 카카오맵 directions to the point (`/link/to/이름,위도,경도`) and 네이버 지도
/// searching the name around the point (`c=경도,위도,줌`).
pub(crate) fn map_links(name: &str, at: Location) -> MapLinks {
    let encoded = percent_encode(name);
    MapLinks {
        kakao: format!(
            "https://map.kakao.com/link/to/{encoded},{:.6},{:.6}",
            at.lat, at.lng
        ),
        naver: format!(
            "https://map.naver.com/p/search/{encoded}?c={:.6},{:.6},17,0,0,0,dh",
            at.lng, at.lat
        ),
    }
}

/// Percent-encodes everything but ASCII letters, digits and `-._~`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn facility<'a>(
    tr: Tr<'_>,
    site: &'a Site,
    f: &'a Facility,
    related: [Vec<Hashed<'a, Card>>; 3],
) -> FacilityView<'a> {
    let [equipment, programmes, notices] = related;
    FacilityView {
        name: &f.name,
        summary: &f.summary,
        operator_type: operator_type(tr, f.operator_type),
        operator: &f.operator,
        district: terms(site, Taxonomy::Districts, std::slice::from_ref(&f.district)),
        address: &f.address,
        hours: &f.hours,
        phone: f.phone.as_str(),
        email: f.email.as_ref().map(|e| e.0.as_str()),
        website: f.website.as_ref().map(|u| u.0.as_str()),
        opened: f.opened.map(|d| d.to_string()),
        floor_area_m2: f.floor_area_m2,
        subway: f.subway.as_deref(),
        maps: f.location.map(|at| map_links(&f.name, at)),
        industries: terms(site, Taxonomy::Industries, &f.industries),
        areas: terms(site, Taxonomy::Areas, &f.areas),
        audiences: terms(site, Taxonomy::Audiences, &f.audiences),
        body: site.body(&detail_url(Kind::Facility, &f.head.id)),
        equipment,
        programmes,
        notices,
    }
}

#[derive(Serialize)]
pub(crate) struct DayHours {
    pub(crate) day: String,
    pub(crate) key: &'static str,
    pub(crate) hours: String,
}

#[derive(Serialize)]
pub(crate) struct RulesView {
    pub(crate) slot_minutes: u16,
    pub(crate) hours: Vec<DayHours>,
    pub(crate) min_slots: u16,
    pub(crate) max_slots: u16,
    /// 이용 시간 said as time (docs/glossary.md): "1~4시간" and "1시간".
    pub(crate) durations: String,
    pub(crate) unit: String,
    pub(crate) min_days_ahead: u16,
    pub(crate) max_days_ahead: u16,
    /// The same as text: "7일", "1 day".
    pub(crate) min_days_text: String,
    pub(crate) max_days_text: String,
    pub(crate) weekly_quota_hours: Option<u16>,
    /// "한 사람당 주 8시간", "Up to 8 hours a week per person".
    pub(crate) weekly_quota_text: Option<String>,
    pub(crate) approval: String,
    pub(crate) instant: bool,
    pub(crate) training: Option<Link>,
    pub(crate) eligibility: String,
    pub(crate) fee: String,
    pub(crate) cancel_hours_before: u16,
    /// "이용 시작 24시간 전까지", "Up to 24 hours before the start".
    pub(crate) cancel_text: String,
    pub(crate) closed_dates: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct EquipmentView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) facility: Option<Link>,
    pub(crate) industries: Vec<TermLink>,
    pub(crate) specs: &'a [Spec],
    pub(crate) body: &'a str,
    pub(crate) rules: RulesView,
}

fn duration(tr: Tr<'_>, minutes: u32) -> String {
    let hours = |h: u32| {
        let key = if h == 1 {
            keys::UNIT_HOUR
        } else {
            keys::UNIT_HOURS
        };
        tr.f(key, &[("n", &h.to_string())])
    };
    let minutes_text = |m: u32| tr.f(keys::UNIT_MINUTES, &[("n", &m.to_string())]);
    match (minutes / 60, minutes % 60) {
        (0, m) => minutes_text(m),
        (h, 0) => hours(h),
        (h, m) => format!("{} {}", hours(h), minutes_text(m)),
    }
}

/// "1~4시간", "30분~1시간", or "4시간" when both ends are equal.
fn durations(tr: Tr<'_>, min: u32, max: u32) -> String {
    if min == max {
        return duration(tr, min);
    }
    match (min % 60, max % 60) {
        (0, 0) => tr.f(
            keys::UNIT_HOURS_RANGE,
            &[
                ("from", &(min / 60).to_string()),
                ("to", &(max / 60).to_string()),
            ],
        ),
        _ => tr.f(
            keys::RANGE,
            &[("from", &duration(tr, min)), ("to", &duration(tr, max))],
        ),
    }
}

/// A number of days: "7일", "1 day", "7 days".
fn days(tr: Tr<'_>, n: u16) -> String {
    let key = if n == 1 {
        keys::UNIT_DAY
    } else {
        keys::UNIT_DAYS
    };
    tr.f(key, &[("n", &n.to_string())])
}

/// The text of `key` with `{n}` hours: where a language says one hour
/// differently ("1 hour", not "1 hours"), `unit_hour` replaces `unit_hours`.
fn hours_text(tr: Tr<'_>, key: keys::Key, n: u16) -> String {
    let text = tr.f(key, &[("n", &n.to_string())]);
    if n != 1 {
        return text;
    }
    let many = tr.f(keys::UNIT_HOURS, &[("n", "1")]);
    let one = tr.f(keys::UNIT_HOUR, &[("n", "1")]);
    text.replace(&many, &one)
}

/// A weekday's short name (월, Mon).
fn weekday(tr: Tr<'_>, d: Weekday) -> String {
    tr.s(keys::weekday(d))
}

/// An equipment's opening hours, day by day (its page and open data).
pub(crate) fn day_hours(tr: Tr<'_>, e: &Equipment) -> Vec<DayHours> {
    Weekday::ALL
        .iter()
        .map(|d| {
            let ranges = e.rules.hours_on(*d);
            let hours = if ranges.is_empty() {
                tr.s(keys::CLOSED_DAY)
            } else {
                ranges
                    .iter()
                    .map(|t| {
                        tr.f(
                            keys::TIME_RANGE,
                            &[("from", &t.start.to_string()), ("to", &t.end.to_string())],
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            DayHours {
                day: weekday(tr, *d),
                key: d.key(),
                hours,
            }
        })
        .collect()
}

pub(crate) fn equipment<'a>(tr: Tr<'_>, site: &'a Site, e: &'a Equipment) -> EquipmentView<'a> {
    let r = &e.rules;
    let hours = day_hours(tr, e);
    EquipmentView {
        id: e.head.id.as_str(),
        name: &e.name,
        summary: &e.summary,
        facility: facility_link(site, &e.facility),
        industries: terms(site, Taxonomy::Industries, &e.industries),
        specs: &e.specs,
        body: site.body(&detail_url(Kind::Equipment, &e.head.id)),
        rules: RulesView {
            slot_minutes: r.slot_minutes,
            hours,
            min_slots: r.min_slots,
            max_slots: r.max_slots,
            durations: durations(
                tr,
                u32::from(r.min_slots) * u32::from(r.slot_minutes),
                u32::from(r.max_slots) * u32::from(r.slot_minutes),
            ),
            unit: duration(tr, u32::from(r.slot_minutes)),
            min_days_ahead: r.min_days_ahead,
            max_days_ahead: r.max_days_ahead,
            min_days_text: days(tr, r.min_days_ahead),
            max_days_text: days(tr, r.max_days_ahead),
            weekly_quota_hours: r.weekly_quota_hours,
            weekly_quota_text: r
                .weekly_quota_hours
                .map(|n| hours_text(tr, keys::RULES_QUOTA_TEXT, n)),
            approval: match r.approval {
                Approval::Instant => tr.s(keys::APPROVAL_INSTANT),
                Approval::Staff => tr.s(keys::APPROVAL_STAFF),
            },
            instant: r.approval == Approval::Instant,
            training: r.training.as_ref().map(|t| match site.programme(t) {
                Some(p) => Link {
                    title: p.title.clone(),
                    url: detail_url(Kind::Programme, t),
                },
                // Not in this edition (a course listed only in Korean): name
                // it by the label and link to its Korean page, which the
                // English edition marks "(in Korean)"; not published at all
                // (a draft, before its publish_at, after its expire_at):
                // the label alone, never a link to a page that is not there.
                None => {
                    let label = tr.s(keys::RULES_TRAINING);
                    let mut chars = label.chars();
                    let published = site.catalog.programme(t.as_str()).is_some();
                    Link {
                        title: chars
                            .next()
                            .map(|c| c.to_lowercase().chain(chars).collect())
                            .unwrap_or_default(),
                        url: if published {
                            detail_url(Kind::Programme, t)
                        } else {
                            String::new()
                        },
                    }
                }
            }),
            eligibility: r.eligibility.clone(),
            fee: if r.fee_won == 0 {
                tr.s(keys::FEE_FREE)
            } else {
                tr.f(
                    keys::FEE_PER,
                    &[
                        ("fee", &format_won(tr, r.fee_won)),
                        ("unit", &duration(tr, r.slot_minutes as u32)),
                    ],
                )
            },
            cancel_hours_before: r.cancel_hours_before,
            cancel_text: hours_text(tr, keys::RULES_CANCEL_TEXT, r.cancel_hours_before),
            closed_dates: r.closed_dates.iter().map(|d| d.to_string()).collect(),
        },
    }
}

#[derive(Serialize)]
pub(crate) struct SessionView {
    pub(crate) date: String,
    pub(crate) weekday: String,
    pub(crate) start: String,
    pub(crate) end: String,
    pub(crate) title: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ProgrammeView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) facility: Option<Link>,
    pub(crate) status: StatusView,
    pub(crate) apply_from: String,
    pub(crate) apply_until: String,
    pub(crate) sessions: Vec<SessionView>,
    pub(crate) capacity: u32,
    pub(crate) waitlist: u32,
    pub(crate) fee: String,
    pub(crate) format: String,
    pub(crate) place: Option<&'a str>,
    pub(crate) contact: Option<&'a str>,
    pub(crate) industries: Vec<TermLink>,
    pub(crate) audiences: Vec<TermLink>,
    pub(crate) stages: Vec<TermLink>,
    pub(crate) areas: Vec<TermLink>,
    pub(crate) body: &'a str,
    pub(crate) ics: String,
}

pub(crate) fn programme<'a>(tr: Tr<'_>, site: &'a Site, p: &'a Programme) -> ProgrammeView<'a> {
    ProgrammeView {
        id: p.head.id.as_str(),
        title: &p.title,
        summary: &p.summary,
        facility: facility_link(site, &p.facility),
        status: StatusView::new(
            tr,
            Kind::Programme,
            site.programme_status(p),
            p.apply_from,
            p.apply_until,
        ),
        apply_from: p.apply_from.to_string(),
        apply_until: p.apply_until.to_string(),
        sessions: p
            .sessions
            .iter()
            .map(|s| SessionView {
                date: s.date.to_string(),
                weekday: weekday(tr, s.date.weekday()),
                start: s.time.start.to_string(),
                end: s.time.end.to_string(),
                title: s.title.clone(),
            })
            .collect(),
        capacity: p.capacity,
        waitlist: p.waitlist,
        fee: format_won(tr, p.fee_won),
        format: tr.s(keys::format(p.format)),
        place: p.place.as_deref(),
        contact: p.contact.as_ref().map(|c| c.as_str()),
        industries: terms(site, Taxonomy::Industries, &p.industries),
        audiences: terms(site, Taxonomy::Audiences, &p.audiences),
        stages: terms(site, Taxonomy::Stages, &p.stages),
        areas: terms(site, Taxonomy::Areas, &p.areas),
        body: site.body(&detail_url(Kind::Programme, &p.head.id)),
        ics: format!("{}sessions.ics", detail_url(Kind::Programme, &p.head.id)),
    }
}

#[derive(Serialize)]
pub(crate) struct FieldView<'a> {
    pub(crate) id: &'a str,
    pub(crate) label: &'a str,
    pub(crate) required: bool,
    pub(crate) hint: Option<&'a str>,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) max_length: Option<u32>,
    pub(crate) min: Option<String>,
    pub(crate) max: Option<String>,
    pub(crate) options: &'a [String],
}

pub(crate) fn field(f: &FormField) -> FieldView<'_> {
    let (kind, max_length, min, max, options): (&str, _, _, _, &[String]) = match &f.kind {
        FieldKind::Text { max_length } => ("text", Some(*max_length), None, None, &[]),
        FieldKind::Textarea { max_length } => ("textarea", Some(*max_length), None, None, &[]),
        FieldKind::Number { min, max } => (
            "number",
            None,
            min.map(|v| v.to_string()),
            max.map(|v| v.to_string()),
            &[],
        ),
        FieldKind::Date { min, max } => (
            "date",
            None,
            min.map(|v| v.to_string()),
            max.map(|v| v.to_string()),
            &[],
        ),
        FieldKind::Select { options } => ("select", None, None, None, options.as_slice()),
        FieldKind::Checkbox => ("checkbox", None, None, None, &[]),
    };
    FieldView {
        id: f.id.as_str(),
        label: &f.label,
        required: f.required,
        hint: f.hint.as_deref(),
        kind,
        max_length,
        min,
        max,
        options,
    }
}

#[derive(Serialize)]
pub(crate) struct PolicyView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) agency: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) target: &'a str,
    pub(crate) amount: &'a str,
    pub(crate) eligibility: &'a [String],
    pub(crate) documents: &'a [String],
    pub(crate) how_to_submit: Option<&'a str>,
    pub(crate) status: StatusView,
    pub(crate) apply_from: String,
    pub(crate) apply_until: String,
    pub(crate) apply_url: Option<&'a str>,
    pub(crate) form: Option<Vec<FieldView<'a>>>,
    pub(crate) contact: Option<&'a str>,
    pub(crate) industries: Vec<TermLink>,
    pub(crate) audiences: Vec<TermLink>,
    pub(crate) stages: Vec<TermLink>,
    pub(crate) areas: Vec<TermLink>,
    pub(crate) districts: Vec<TermLink>,
    pub(crate) body: &'a str,
}

pub(crate) fn policy<'a>(tr: Tr<'_>, site: &'a Site, p: &'a Policy) -> PolicyView<'a> {
    PolicyView {
        id: p.head.id.as_str(),
        title: &p.title,
        agency: &p.agency,
        summary: &p.summary,
        target: &p.target,
        amount: &p.amount,
        eligibility: &p.eligibility,
        documents: &p.documents,
        how_to_submit: p.how_to_submit.as_deref(),
        status: StatusView::new(
            tr,
            Kind::Policy,
            site.policy_status(p),
            p.apply_from,
            p.apply_until,
        ),
        apply_from: p.apply_from.to_string(),
        apply_until: p.apply_until.to_string(),
        apply_url: match &p.apply {
            Apply::Url(u) => Some(u.0.as_str()),
            Apply::Form(_) => None,
        },
        form: match &p.apply {
            Apply::Form(f) => Some(f.iter().map(field).collect()),
            Apply::Url(_) => None,
        },
        contact: p.contact.as_ref().map(|c| c.as_str()),
        industries: terms(site, Taxonomy::Industries, &p.industries),
        audiences: terms(site, Taxonomy::Audiences, &p.audiences),
        stages: terms(site, Taxonomy::Stages, &p.stages),
        areas: terms(site, Taxonomy::Areas, &p.areas),
        districts: terms(site, Taxonomy::Districts, &p.districts),
        body: site.body(&detail_url(Kind::Policy, &p.head.id)),
    }
}

#[derive(Serialize)]
pub(crate) struct JobView<'a> {
    pub(crate) title: &'a str,
    pub(crate) company: &'a str,
    pub(crate) industry: Vec<TermLink>,
    pub(crate) district: Vec<TermLink>,
    pub(crate) audiences: Vec<TermLink>,
    pub(crate) position: &'a str,
    pub(crate) employment: String,
    pub(crate) wage: &'a str,
    pub(crate) hours: &'a str,
    pub(crate) posted: String,
    pub(crate) deadline: String,
    pub(crate) status: StatusView,
    pub(crate) how_to_apply: &'a str,
    pub(crate) contact: &'a str,
    pub(crate) body: &'a str,
    /// Applications on the portal, when the posting takes them.
    pub(crate) apply: Option<JobApplyView>,
}

#[derive(Serialize)]
pub(crate) struct JobApplyView {
    /// The facility that receives and processes the applications.
    pub(crate) facility: Option<Link>,
    /// Whether each application is also sent to the employer by e-mail.
    pub(crate) to_employer: bool,
    /// Whether it takes applications now, by the build's clock, and the
    /// booking function's answer to the same question, for the page's script.
    pub(crate) status_url: String,
}

pub(crate) fn job<'a>(tr: Tr<'_>, site: &'a Site, j: &'a Job) -> JobView<'a> {
    JobView {
        title: &j.title,
        company: &j.company,
        industry: terms(
            site,
            Taxonomy::Industries,
            std::slice::from_ref(&j.industry),
        ),
        district: terms(site, Taxonomy::Districts, std::slice::from_ref(&j.district)),
        audiences: terms(site, Taxonomy::Audiences, &j.audiences),
        position: &j.position,
        employment: tr.s(keys::employment(j.employment)),
        wage: &j.wage,
        hours: &j.hours,
        posted: j.posted.to_string(),
        deadline: j.deadline.to_string(),
        status: StatusView::new(tr, Kind::Job, site.job_status(j), j.posted, j.deadline),
        how_to_apply: &j.how_to_apply,
        contact: j.contact.as_str(),
        body: site.body(&detail_url(Kind::Job, &j.head.id)),
        apply: j.apply.as_ref().map(|a| JobApplyView {
            facility: facility_link(site, &a.facility),
            to_employer: a.employer_email.is_some(),
            status_url: format!("/api/jobs/{}/status", j.head.id),
        }),
    }
}

#[derive(Serialize)]
pub(crate) struct NoticeView<'a> {
    pub(crate) title: &'a str,
    pub(crate) date: String,
    pub(crate) pinned: bool,
    pub(crate) facility: Option<Link>,
    pub(crate) body: &'a str,
}

pub(crate) fn notice<'a>(site: &'a Site, n: &'a Notice) -> NoticeView<'a> {
    NoticeView {
        title: &n.title,
        date: n.date.to_string(),
        pinned: n.pinned,
        facility: n.facility.as_ref().and_then(|f| facility_link(site, f)),
        body: site.body(&detail_url(Kind::Notice, &n.head.id)),
    }
}
