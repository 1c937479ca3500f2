//! The assembled site: published records, derived statuses, rendered
//! Markdown, URLs and indexes. Built once per build, then only read by the
//! renderers (which run in parallel and borrow from it).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use sbiz_catalog::{CATALOG_VERSION, Catalog, Date, Holiday, Id};
use serde::Serialize;

use crate::clock::Now;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::model::*;
use crate::yaml::Origin;

/// 예정 / 모집중 / 마감, from dates relative to the build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Upcoming,
    Open,
    Closed,
}

impl Status {
    pub fn from_window(from: Date, until: Date, today: Date) -> Status {
        if today < from {
            Status::Upcoming
        } else if today <= until {
            Status::Open
        } else {
            Status::Closed
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            Status::Upcoming => "예정",
            Status::Open => "모집중",
            Status::Closed => "마감",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
    pub const ALL: [Status; 3] = [Status::Open, Status::Upcoming, Status::Closed];
}

/// Where a rendered body came from, for link errors.
#[derive(Debug, Clone)]
pub struct BodyOrigin {
    pub origin: std::sync::Arc<Origin>,
    /// Field holding the Markdown (`description`), or empty for a `.md` body.
    pub field: &'static str,
}

pub struct Site {
    pub config: SiteConfig,
    pub now: Now,
    pub taxonomies: Vec<(Taxonomy, Vec<Term>)>,
    pub holidays: Vec<Holiday>,
    pub surveys: Vec<SurveyDef>,
    pub facilities: Vec<Facility>,
    pub equipment: Vec<Equipment>,
    pub programmes: Vec<Programme>,
    pub policies: Vec<Policy>,
    pub jobs: Vec<Job>,
    pub notices: Vec<Notice>,
    pub pages: Vec<Page>,
    /// Rendered Markdown keyed by record URL.
    pub bodies: HashMap<String, Rendered>,
    /// What the booking function enforces, written as `catalog.json`.
    pub catalog: Catalog,
}

pub fn detail_url(kind: Kind, id: &Id) -> String {
    format!("/{}/{}/", kind.section(), id)
}

pub fn term_url(tax: Taxonomy, id: &Id) -> String {
    format!("/{}/{}/", tax.name(), id)
}

pub fn page_url(id: &Id) -> String {
    format!("/{id}/")
}

/// Anchors that templates put on detail pages, by kind.
pub fn template_anchors(kind: Option<Kind>) -> &'static [&'static str] {
    match kind {
        Some(Kind::Equipment) => &["content", "rules", "booking"],
        Some(Kind::Programme) => &["content", "sessions", "apply"],
        Some(Kind::Policy) => &["content", "apply"],
        _ => &["content"],
    }
}

impl Site {
    pub fn today(&self) -> Date {
        self.now.date
    }
    pub fn programme_status(&self, p: &Programme) -> Status {
        Status::from_window(p.apply_from, p.apply_until, self.today())
    }
    pub fn policy_status(&self, p: &Policy) -> Status {
        Status::from_window(p.apply_from, p.apply_until, self.today())
    }
    pub fn job_status(&self, j: &Job) -> Status {
        Status::from_window(j.posted, j.deadline, self.today())
    }
    pub fn terms(&self, tax: Taxonomy) -> &[Term] {
        self.taxonomies
            .iter()
            .find(|(t, _)| *t == tax)
            .map_or(&[], |(_, v)| v.as_slice())
    }
    pub fn term(&self, tax: Taxonomy, id: &Id) -> Option<&Term> {
        self.terms(tax).iter().find(|t| &t.id == id)
    }
    pub fn facility(&self, id: &Id) -> Option<&Facility> {
        self.facilities.iter().find(|f| &f.head.id == id)
    }
    pub fn programme(&self, id: &Id) -> Option<&Programme> {
        self.programmes.iter().find(|p| &p.head.id == id)
    }
    pub fn body(&self, url: &str) -> &str {
        self.bodies.get(url).map_or("", |r| r.html.as_str())
    }
}

fn live<T: HasHead>(items: Vec<T>, today: Date) -> Vec<T> {
    items
        .into_iter()
        .filter(|r| r.head().meta.is_live(today))
        .collect()
}

/// Builds the site from loaded, checked content. Fails with the broken
/// internal links of published Markdown.
pub fn assemble(content: Content, now: Now) -> Result<Site, Vec<Diagnostic>> {
    let today = now.date;
    let Some(config) = content.site else {
        return Err(Vec::new());
    };
    let mut facilities = live(content.facilities, today);
    facilities
        .sort_by(|a, b| (a.operator_type as u8, &a.name).cmp(&(b.operator_type as u8, &b.name)));
    let mut equipment = live(content.equipment, today);
    equipment.sort_by(|a, b| (&a.facility, &a.name).cmp(&(&b.facility, &b.name)));
    let mut programmes = live(content.programmes, today);
    let order = |s: Status| match s {
        Status::Open => 0,
        Status::Upcoming => 1,
        Status::Closed => 2,
    };
    programmes.sort_by_key(|p| {
        let s = Status::from_window(p.apply_from, p.apply_until, today);
        // Open: soonest deadline first; upcoming: soonest opening; closed: latest first.
        let key = match s {
            Status::Open => p.apply_until.days_until(today).abs(),
            Status::Upcoming => today.days_until(p.apply_from),
            Status::Closed => today.days_until(p.apply_until).abs(),
        };
        (order(s), key, p.head.id.clone())
    });
    let mut policies = live(content.policies, today);
    policies.sort_by_key(|p| {
        let s = Status::from_window(p.apply_from, p.apply_until, today);
        (order(s), p.apply_until, p.head.id.clone())
    });
    let mut jobs = live(content.jobs, today);
    jobs.sort_by_key(|j| {
        (
            order(Status::from_window(j.posted, j.deadline, today)),
            j.deadline,
            j.head.id.clone(),
        )
    });
    let mut notices = live(content.notices, today);
    notices.sort_by(|a, b| (b.pinned, b.date, &a.head.id).cmp(&(a.pinned, a.date, &b.head.id)));
    let mut pages = live(content.pages, today);
    pages.sort_by(|a, b| (a.order, &a.head.id).cmp(&(b.order, &b.head.id)));
    let surveys = content.surveys;
    let taxonomies: Vec<(Taxonomy, Vec<Term>)> = content
        .taxonomies
        .into_iter()
        .map(|(t, _, v)| (t, v))
        .collect();
    let holidays: Vec<Holiday> = content.holidays.into_iter().map(|h| h.holiday).collect();
    let message_templates = content.messages;

    // Every Markdown body, rendered in parallel.
    let mut sources: Vec<(String, &str, BodyOrigin)> = Vec::new();
    let b = |o: &std::sync::Arc<Origin>, field: &'static str| BodyOrigin {
        origin: o.clone(),
        field,
    };
    for r in &facilities {
        sources.push((
            detail_url(Kind::Facility, &r.head.id),
            &r.description,
            b(&r.head.origin, "description"),
        ));
    }
    for r in &equipment {
        sources.push((
            detail_url(Kind::Equipment, &r.head.id),
            &r.description,
            b(&r.head.origin, "description"),
        ));
    }
    for r in &programmes {
        sources.push((
            detail_url(Kind::Programme, &r.head.id),
            &r.description,
            b(&r.head.origin, "description"),
        ));
    }
    for r in &policies {
        sources.push((
            detail_url(Kind::Policy, &r.head.id),
            &r.body,
            b(&r.head.origin, ""),
        ));
    }
    for r in &jobs {
        sources.push((
            detail_url(Kind::Job, &r.head.id),
            &r.description,
            b(&r.head.origin, "description"),
        ));
    }
    for r in &notices {
        sources.push((
            detail_url(Kind::Notice, &r.head.id),
            &r.body,
            b(&r.head.origin, ""),
        ));
    }
    for r in &pages {
        sources.push((page_url(&r.head.id), &r.body, b(&r.head.origin, "")));
    }
    let rendered: Vec<(String, Rendered, BodyOrigin)> = sources
        .into_par_iter()
        .map(|(url, src, o)| (url, markdown::render(src), o))
        .collect();

    // Known targets: every page URL and its anchors.
    let mut targets: HashMap<String, HashSet<String>> = HashMap::new();
    for (url, r, _) in &rendered {
        let kind = url.split('/').nth(1).and_then(Kind::from_section);
        let mut anchors: HashSet<String> = r.anchors.iter().cloned().collect();
        anchors.extend(template_anchors(kind).iter().map(|s| s.to_string()));
        targets.insert(url.clone(), anchors);
    }
    for extra in static_urls(&taxonomies) {
        targets.entry(extra).or_insert_with(|| {
            template_anchors(None)
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
    }
    let mut diags = Vec::new();
    for (url, r, o) in &rendered {
        for (link, line) in &r.links {
            if let Some(d) = check_link(url, link, *line, o, &targets) {
                diags.push(d);
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    let catalog = Catalog {
        version: CATALOG_VERSION,
        origin: config.base_url.clone(),
        booking: config.booking.clone(),
        consent: config.consent.clone(),
        holidays: holidays.clone(),
        facilities: facilities
            .iter()
            .map(|f| sbiz_catalog::Facility {
                id: f.head.id.clone(),
                name: f.name.clone(),
                phone: f.phone.clone(),
            })
            .collect(),
        equipment: equipment
            .iter()
            .map(|e| sbiz_catalog::Equipment {
                id: e.head.id.clone(),
                facility: e.facility.clone(),
                name: e.name.clone(),
                rules: e.rules.clone(),
            })
            .collect(),
        programmes: programmes
            .iter()
            .map(|p| sbiz_catalog::Programme {
                id: p.head.id.clone(),
                facility: p.facility.clone(),
                title: p.title.clone(),
                capacity: p.capacity,
                waitlist: p.waitlist,
                apply_from: p.apply_from,
                apply_until: p.apply_until,
                sessions: p.sessions.clone(),
                survey: p.survey.clone(),
            })
            .collect(),
        policies: policies
            .iter()
            .map(|p| sbiz_catalog::Policy {
                id: p.head.id.clone(),
                title: p.title.clone(),
                apply_from: p.apply_from,
                apply_until: p.apply_until,
                form: match &p.apply {
                    Apply::Form(f) => Some(f.clone()),
                    Apply::Url(_) => None,
                },
            })
            .collect(),
        surveys: surveys.iter().map(|s| s.survey.clone()).collect(),
        messages: sbiz_catalog::Messages {
            site_name: config.short_name.clone(),
            reminder: config.reminder,
            templates: message_templates,
        },
    };

    Ok(Site {
        config,
        now,
        taxonomies,
        holidays,
        surveys,
        facilities,
        equipment,
        programmes,
        policies,
        jobs,
        notices,
        pages,
        bodies: rendered.into_iter().map(|(u, r, _)| (u, r)).collect(),
        catalog,
    })
}

/// Generated pages that Markdown may link to besides records.
fn static_urls(taxonomies: &[(Taxonomy, Vec<Term>)]) -> Vec<String> {
    let mut v: Vec<String> = vec!["/".into(), "/search/".into(), "/reservation/".into()];
    for k in Kind::ALL {
        v.push(format!("/{}/", k.section()));
    }
    for (t, terms) in taxonomies {
        v.push(format!("/{}/", t.name()));
        for term in terms {
            v.push(term_url(*t, &term.id));
        }
    }
    for f in [
        "sitemap.xml",
        "robots.txt",
        "feeds/notices.xml",
        "feeds/programmes.xml",
        "catalog.json",
    ] {
        v.push(format!("/{f}"));
    }
    for k in Kind::ALL {
        if k != Kind::Notice {
            v.push(format!("/data/{}.json", k.section()));
            v.push(format!("/data/{}.csv", k.section()));
        }
    }
    v
}

fn check_link(
    from: &str,
    link: &str,
    line: usize,
    o: &BodyOrigin,
    targets: &HashMap<String, HashSet<String>>,
) -> Option<Diagnostic> {
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let page = if path.is_empty() { from } else { path };
    // A `.md` body has exact lines; a YAML block scalar points at its field.
    let (line, column) = if o.field.is_empty() {
        (line + o.origin.body_line.saturating_sub(1), 1)
    } else {
        let p = o.origin.locator.value(o.field);
        (p.line, p.column)
    };
    let mk = |msg: &str, expected: String| {
        Diagnostic::new(&o.origin.path, line, column, o.field, msg)
            .found(format!("({link})"))
            .expected(expected)
    };
    let Some(anchors) = targets.get(page) else {
        let mut d = mk(
            "internal link to a page that does not exist",
            "a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/".into(),
        );
        if let Some(s) = crate::diagnostics::suggest(page, targets.keys().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        return Some(d);
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let decoded = percent_decode(anchor);
    if anchors.contains(&decoded) {
        return None;
    }
    let mut d = mk(
        "link to a heading that does not exist on that page",
        format!("one of the anchors of {page}"),
    );
    if let Some(s) = crate::diagnostics::suggest(&decoded, anchors.iter().map(String::as_str)) {
        d = d.help(format!("did you mean `#{s}`?"));
    }
    Some(d)
}

/// Decodes `%XX` escapes (editors may paste encoded Korean anchors).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        // Bytes, not `&s[..]`: the two after `%` may be part of a character.
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("%EC%8B%A0%EC%B2%AD"), "신청");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%+1"), "%+1");
        // A character right after `%` (this used to panic).
        assert_eq!(percent_decode("%한"), "%한");
        assert_eq!(percent_decode("%a한"), "%a한");
        // Bytes that are not UTF-8 once decoded: the text as written.
        assert_eq!(percent_decode("%FF"), "%FF");
    }
}
