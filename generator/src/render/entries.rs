//! One uniform entry per published record: its card (what lists show), its
//! taxonomy terms and status. Lists, term pages, filters, home and search all
//! work on entries, borrowing the precomputed cards.

use sbiz_catalog::Id;
use serde::Serialize;

use super::cache::{Memo, Memoised};
use super::keys;
use super::templates::Tr;
use crate::model::*;
use crate::site::Site;
use crate::urls::{detail_url, term_url};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fact {
    pub(crate) label: String,
    pub(crate) value: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusView {
    pub(crate) key: &'static str,
    pub(crate) label: String,
    /// The label while open (모집 중 or 접수 중), for the browser.
    pub(crate) open_label: String,
    /// The window, for the browser to correct the label from its own clock.
    pub(crate) from: String,
    pub(crate) until: String,
}

impl StatusView {
    pub(crate) fn new(
        tr: Tr<'_>,
        kind: Kind,
        s: Status,
        from: sbiz_catalog::Date,
        until: sbiz_catalog::Date,
    ) -> StatusView {
        StatusView {
            key: s.key(),
            label: tr.status(s, kind),
            open_label: tr.open(kind),
            from: from.to_string(),
            until: until.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    pub(crate) name: String,
    pub(crate) url: String,
}

/// What a list shows for one record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    pub(crate) kind: Kind,
    pub(crate) kind_name: String,
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) status: Option<StatusView>,
    pub(crate) facts: Vec<Fact>,
    pub(crate) tags: Vec<TermLink>,
    /// The card's hash, made once per build for the fingerprints of the
    /// pages that show it (see `cache::Hashed`). A card is not changed
    /// after the entries are made.
    #[serde(skip)]
    pub(crate) memo: Memo,
}

impl Memoised for Card {
    fn memo(&self) -> &Memo {
        &self.memo
    }
}

pub(crate) struct Entry {
    pub(crate) kind: Kind,
    /// Position of the record in its kind's list in `Site`.
    pub(crate) pos: usize,
    /// The facility the record belongs to, if any.
    pub(crate) facility: Option<Id>,
    pub(crate) card: Card,
    pub(crate) terms: Vec<(Taxonomy, Id)>,
    pub(crate) status: Option<Status>,
    /// Text for search: title, summary and body text.
    pub(crate) text: String,
}

fn tags(site: &Site, tax: Taxonomy, ids: &[Id]) -> Vec<TermLink> {
    ids.iter()
        .filter_map(|id| {
            site.term(tax, id).map(|t| TermLink {
                name: t.name.clone(),
                url: term_url(tax, id),
            })
        })
        .collect()
}

fn term_name(site: &Site, tax: Taxonomy, id: &Id) -> String {
    site.term(tax, id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

fn fact(label: String, value: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
    }
}

fn with_terms(out: &mut Vec<(Taxonomy, Id)>, tax: Taxonomy, ids: &[Id]) {
    out.extend(ids.iter().map(|i| (tax, i.clone())));
}

fn facility_district(site: &Site, facility: &Id) -> Option<Id> {
    site.facility(facility).map(|f| f.district.clone())
}

fn facility_name(site: &Site, facility: &Id) -> String {
    site.facility(facility)
        .map_or_else(|| facility.to_string(), |f| f.name.clone())
}

fn won(tr: Tr<'_>, n: u32) -> String {
    if n == 0 {
        return tr.s(keys::FEE_FREE);
    }
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    tr.f(keys::WON, &[("n", &out)])
}

pub(crate) fn format_won(tr: Tr<'_>, n: u32) -> String {
    won(tr, n)
}

fn plain(site: &Site, url: &str) -> String {
    site.bodies
        .get(url)
        .map(|r| r.plain.clone())
        .unwrap_or_default()
}

/// Builds every entry, kind by kind, in each kind's display order.
pub(crate) fn entries(site: &Site, tr: Tr<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (pos, f) in site.facilities.iter().enumerate() {
        let url = detail_url(Kind::Facility, &f.head.id);
        let mut terms = vec![(Taxonomy::Districts, f.district.clone())];
        with_terms(&mut terms, Taxonomy::Industries, &f.industries);
        with_terms(&mut terms, Taxonomy::Areas, &f.areas);
        with_terms(&mut terms, Taxonomy::Audiences, &f.audiences);
        out.push(Entry {
            kind: Kind::Facility,
            pos,
            facility: None,
            text: plain(site, &url),
            card: Card {
                kind: Kind::Facility,
                kind_name: tr.kind(Kind::Facility),
                url,
                title: f.name.clone(),
                summary: f.summary.clone(),
                status: None,
                facts: vec![
                    fact(
                        tr.s(keys::FACT_OPERATOR),
                        operator_type(tr, f.operator_type),
                    ),
                    fact(
                        tr.s(keys::FACT_DISTRICT),
                        term_name(site, Taxonomy::Districts, &f.district),
                    ),
                    fact(tr.s(keys::FACT_PHONE), f.phone.to_string()),
                ]
                .into_iter()
                .chain(
                    f.subway
                        .as_ref()
                        .map(|s| fact(tr.s(keys::FACT_SUBWAY), s.clone())),
                )
                .collect(),
                tags: tags(site, Taxonomy::Industries, &f.industries),
                memo: Default::default(),
            },
            terms,
            status: None,
        });
    }
    for (pos, e) in site.equipment.iter().enumerate() {
        let url = detail_url(Kind::Equipment, &e.head.id);
        let mut terms = Vec::new();
        with_terms(&mut terms, Taxonomy::Industries, &e.industries);
        terms.extend(facility_district(site, &e.facility).map(|d| (Taxonomy::Districts, d)));
        let approval = match e.rules.approval {
            sbiz_catalog::Approval::Instant => tr.s(keys::APPROVAL_INSTANT),
            sbiz_catalog::Approval::Staff => tr.s(keys::APPROVAL_STAFF),
        };
        out.push(Entry {
            kind: Kind::Equipment,
            pos,
            facility: Some(e.facility.clone()),
            text: plain(site, &url),
            card: Card {
                kind: Kind::Equipment,
                kind_name: tr.kind(Kind::Equipment),
                url,
                title: e.name.clone(),
                summary: e.summary.clone(),
                status: None,
                facts: vec![
                    fact(tr.s(keys::FACT_FACILITY), facility_name(site, &e.facility)),
                    fact(tr.s(keys::FACT_BOOKING), approval),
                    fact(tr.s(keys::FACT_FEE), won(tr, e.rules.fee_won)),
                ],
                tags: tags(site, Taxonomy::Industries, &e.industries),
                memo: Default::default(),
            },
            terms,
            status: None,
        });
    }
    for (pos, p) in site.programmes.iter().enumerate() {
        let url = detail_url(Kind::Programme, &p.head.id);
        let status = site.programme_status(p);
        let mut terms = Vec::new();
        with_terms(&mut terms, Taxonomy::Industries, &p.industries);
        with_terms(&mut terms, Taxonomy::Audiences, &p.audiences);
        with_terms(&mut terms, Taxonomy::Stages, &p.stages);
        with_terms(&mut terms, Taxonomy::Areas, &p.areas);
        terms.extend(facility_district(site, &p.facility).map(|d| (Taxonomy::Districts, d)));
        let first = p.sessions.iter().map(|s| s.date).min();
        out.push(Entry {
            kind: Kind::Programme,
            pos,
            facility: Some(p.facility.clone()),
            text: plain(site, &url),
            card: Card {
                kind: Kind::Programme,
                kind_name: tr.kind(Kind::Programme),
                url,
                title: p.title.clone(),
                summary: p.summary.clone(),
                status: Some(StatusView::new(
                    tr,
                    Kind::Programme,
                    status,
                    p.apply_from,
                    p.apply_until,
                )),
                facts: vec![
                    fact(
                        tr.s(keys::FACT_APPLY_PERIOD),
                        tr.f(
                            keys::DATE_RANGE,
                            &[
                                ("from", &p.apply_from.to_string()),
                                ("to", &p.apply_until.to_string()),
                            ],
                        ),
                    ),
                    fact(
                        tr.s(keys::FACT_STARTS),
                        first.map(|d| d.to_string()).unwrap_or_default(),
                    ),
                    fact(tr.s(keys::FACT_FACILITY), facility_name(site, &p.facility)),
                ],
                tags: tags(site, Taxonomy::Industries, &p.industries),
                memo: Default::default(),
            },
            terms,
            status: Some(status),
        });
    }
    for (pos, p) in site.policies.iter().enumerate() {
        let url = detail_url(Kind::Policy, &p.head.id);
        let status = site.policy_status(p);
        let mut terms = Vec::new();
        with_terms(&mut terms, Taxonomy::Industries, &p.industries);
        with_terms(&mut terms, Taxonomy::Audiences, &p.audiences);
        with_terms(&mut terms, Taxonomy::Stages, &p.stages);
        with_terms(&mut terms, Taxonomy::Areas, &p.areas);
        with_terms(&mut terms, Taxonomy::Districts, &p.districts);
        let how = match p.apply {
            Apply::Form(_) => tr.s(keys::POLICY_APPLY_FORM),
            Apply::Url(_) => tr.s(keys::POLICY_APPLY_URL),
        };
        out.push(Entry {
            kind: Kind::Policy,
            pos,
            facility: None,
            text: plain(site, &url),
            card: Card {
                kind: Kind::Policy,
                kind_name: tr.kind(Kind::Policy),
                url,
                title: p.title.clone(),
                summary: p.summary.clone(),
                status: Some(StatusView::new(
                    tr,
                    Kind::Policy,
                    status,
                    p.apply_from,
                    p.apply_until,
                )),
                facts: vec![
                    fact(
                        tr.s(keys::FACT_APPLY_PERIOD),
                        tr.f(
                            keys::DATE_RANGE,
                            &[
                                ("from", &p.apply_from.to_string()),
                                ("to", &p.apply_until.to_string()),
                            ],
                        ),
                    ),
                    fact(tr.s(keys::FACT_SUPPORT), p.amount.clone()),
                    fact(tr.s(keys::FACT_HOW_TO_APPLY), how),
                ],
                tags: tags(site, Taxonomy::Industries, &p.industries),
                memo: Default::default(),
            },
            terms,
            status: Some(status),
        });
    }
    for (pos, j) in site.jobs.iter().enumerate() {
        let url = detail_url(Kind::Job, &j.head.id);
        let status = site.job_status(j);
        out.push(Entry {
            kind: Kind::Job,
            pos,
            facility: None,
            text: format!("{} {} {}", j.company, j.position, plain(site, &url)),
            card: Card {
                kind: Kind::Job,
                kind_name: tr.kind(Kind::Job),
                url,
                title: j.title.clone(),
                summary: format!("{} · {}", j.company, j.position),
                status: Some(StatusView::new(tr, Kind::Job, status, j.posted, j.deadline)),
                facts: vec![
                    fact(
                        tr.s(keys::FACT_WORKPLACE),
                        term_name(site, Taxonomy::Districts, &j.district),
                    ),
                    fact(tr.s(keys::FACT_WAGE), j.wage.clone()),
                    fact(tr.s(keys::FACT_DEADLINE), j.deadline.to_string()),
                ],
                tags: tags(
                    site,
                    Taxonomy::Industries,
                    std::slice::from_ref(&j.industry),
                ),
                memo: Default::default(),
            },
            terms: [
                (Taxonomy::Industries, j.industry.clone()),
                (Taxonomy::Districts, j.district.clone()),
            ]
            .into_iter()
            .chain(j.audiences.iter().map(|a| (Taxonomy::Audiences, a.clone())))
            .collect(),
            status: Some(status),
        });
    }
    for (pos, n) in site.notices.iter().enumerate() {
        let url = detail_url(Kind::Notice, &n.head.id);
        let mut facts = vec![fact(tr.s(keys::FACT_POSTED), n.date.to_string())];
        if let Some(f) = &n.facility {
            facts.push(fact(tr.s(keys::FACT_FACILITY), facility_name(site, f)));
        }
        let text = plain(site, &url);
        let summary: String = text.chars().take(90).collect();
        out.push(Entry {
            kind: Kind::Notice,
            pos,
            facility: n.facility.clone(),
            text,
            card: Card {
                kind: Kind::Notice,
                kind_name: if n.pinned {
                    tr.s(keys::NOTICE_PINNED)
                } else {
                    tr.kind(Kind::Notice)
                },
                url,
                title: n.title.clone(),
                summary,
                status: None,
                facts,
                tags: Vec::new(),
                memo: Default::default(),
            },
            terms: Vec::new(),
            status: None,
        });
    }
    out
}

/// 시 운영 / 자치구 운영 / 민간 운영 in the page's language.
pub(crate) fn operator_type(tr: Tr<'_>, t: OperatorType) -> String {
    tr.s(keys::operator_type(t))
}
