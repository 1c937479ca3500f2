//! Checks that span records: taxonomy terms, references between records,
//! duplicate ids in lists, the 25 districts.

use std::collections::{HashMap, HashSet};

use sbiz_catalog::{Id, SEOUL_DISTRICTS, SurveyTarget};

use crate::diagnostics::{Diagnostic, did_you_mean, suggest};
use crate::i18n::Text;
use crate::model::*;
use crate::t;
use crate::yaml::{Origin, Target};

/// Ids of every loaded record and term, for resolving references.
pub(crate) struct Index<'a> {
    terms: HashMap<Taxonomy, Vec<&'a Term>>,
    facilities: HashSet<&'a str>,
    programmes: HashSet<&'a str>,
    surveys: HashMap<&'a str, SurveyTarget>,
    /// Survey files, including ones that failed to read.
    all_surveys: HashSet<&'a str>,
    /// Terms that could not be read (reported already).
    unread_terms: HashSet<(Taxonomy, &'a str)>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(c: &'a Content) -> Index<'a> {
        Index {
            terms: c
                .taxonomies
                .iter()
                .map(|(t, _, terms)| (*t, terms.iter().collect()))
                .collect(),
            facilities: c
                .ids
                .get("facilities")
                .map(|s| s.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            programmes: c
                .ids
                .get("programmes")
                .map(|s| s.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            surveys: c
                .surveys
                .iter()
                .map(|s| (s.head.id.as_str(), s.survey.target))
                .collect(),
            all_surveys: c
                .ids
                .get("surveys")
                .map(|s| s.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            unread_terms: c
                .unread_terms
                .iter()
                .map(|(t, id)| (*t, id.as_str()))
                .collect(),
        }
    }
}

struct Checker<'a> {
    index: Index<'a>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// `id` names no file in `content/<folder>/` (of `what`).
    fn unresolved(
        &mut self,
        origin: &Origin,
        field: &str,
        id: &Id,
        what: (Text, &str),
        known: Vec<&str>,
    ) {
        let (what, folder) = what;
        let mut d = origin
            .at_value(field, t!("no {what} has this id", what = &what))
            .found(format!("`{id}`"))
            .expected(t!(
                "the name (id) of a file in content/{folder}/",
                folder = folder
            ));
        if let Some(s) = suggest(id.as_str(), known.iter().copied()) {
            d = d.help(did_you_mean(s));
        }
        self.diags.push(d);
    }

    fn record_ref(
        &mut self,
        origin: &Origin,
        field: &str,
        id: &Id,
        what: (Text, &str),
        set: &HashSet<&str>,
    ) {
        if !set.contains(id.as_str()) {
            let known = set.iter().copied().collect();
            self.unresolved(origin, field, id, what, known);
        }
    }

    fn term(&mut self, origin: &Origin, field: &str, tax: Taxonomy, id: &Id) {
        // A taxonomy file that failed to read has already been reported.
        let Some(terms) = self.index.terms.get(&tax).cloned() else {
            return;
        };
        if terms.iter().any(|t| &t.id == id)
            || self.index.unread_terms.contains(&(tax, id.as_str()))
        {
            return;
        }
        let mut d = origin
            .at_value(field, t!("unknown {term}", term = tax.singular_text()))
            .found(format!("`{id}`"))
            .expected(t!(
                "one of the ids in content/taxonomies/{name}.yaml",
                name = tax.name()
            ));
        // Match by id, or by the Korean name an editor may have typed.
        let by_id = suggest(id.as_str(), terms.iter().map(|t| t.id.as_str()));
        if let Some(s) = by_id {
            d = d.help(did_you_mean(s));
        }
        self.diags.push(d);
    }

    fn survey(&mut self, origin: &Origin, field: &str, id: &Id, want: SurveyTarget) {
        match self.index.surveys.get(id.as_str()) {
            None if self.index.all_surveys.contains(id.as_str()) => {}
            None => {
                let known = self.index.surveys.keys().copied().collect();
                self.unresolved(origin, field, id, (t!("survey"), "surveys"), known);
            }
            Some(t) if *t != want => {
                let name = |t: SurveyTarget| match t {
                    SurveyTarget::Equipment => "equipment",
                    SurveyTarget::Programme => "programme",
                };
                self.diags.push(
                    origin
                        .at_value(field, t!("the survey is for another kind of use"))
                        .found(format!("`{id}` (target: {})", name(*t)))
                        .expected(t!("a survey with `target: {target}`", target = name(want))),
                );
            }
            Some(_) => {}
        }
    }
}

/// Ids a page may not take, because a section or generated file uses them:
/// the kinds' sections, the taxonomies, the generated folders and the
/// English edition's folder (`en`, whose `/en/` is the English home).
fn reserved_page_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Kind::SECTIONS.to_vec();
    ids.extend(Taxonomy::NAMES);
    ids.extend([
        "search",
        "data",
        "feeds",
        "assets",
        "api",
        "admin",
        "reservation",
        "my",
        "en",
    ]);
    ids
}

pub(crate) fn check(c: &Content) -> Vec<Diagnostic> {
    let mut k = Checker {
        index: Index::new(c),
        diags: Vec::new(),
    };

    for (tax, origin, terms) in &c.taxonomies {
        let mut seen = HashSet::new();
        for t in terms {
            if !seen.insert(t.id.as_str()) {
                k.diags.push(
                    origin
                        .at_value(&format!("{}.id", t.field), t!("duplicate term id"))
                        .found(format!("`{}`", t.id))
                        .expected(t!("an id used by no other term of this taxonomy")),
                );
            }
        }
        if *tax == Taxonomy::Districts {
            check_districts(&mut k, origin, terms);
        }
    }

    if let Some(origin) = &c.holidays_origin {
        let mut seen = HashSet::new();
        for h in &c.holidays {
            if !seen.insert(h.holiday.date) {
                k.diags.push(
                    origin
                        .at_value(
                            &format!("{}.date", h.field),
                            t!("the same date is listed twice"),
                        )
                        .found(h.holiday.date.to_string())
                        .expected(t!("each date once")),
                );
            }
        }
    }

    // Every reference of every record file that could be parsed, those
    // that gave no record (a wrong type elsewhere in the file) included.
    let facilities = k.index.facilities.clone();
    let programmes = k.index.programmes.clone();
    for o in c.record_origins() {
        for r in &o.refs {
            let (field, id) = (r.field.as_str(), &r.id);
            match r.target {
                Target::Term(tax) => k.term(o, field, tax, id),
                Target::Facility => k.record_ref(
                    o,
                    field,
                    id,
                    (t!("facility"), Kind::Facility.section()),
                    &facilities,
                ),
                Target::Programme => k.record_ref(
                    o,
                    field,
                    id,
                    (t!("programme"), Kind::Programme.section()),
                    &programmes,
                ),
                Target::Survey(want) => k.survey(o, field, id, want),
            }
        }
    }
    let job_consent = c.site.as_ref().is_some_and(|s| s.job_consent.is_some());
    for j in &c.jobs {
        if j.apply.is_some() && !job_consent && c.site.is_some() {
            k.diags.push(
                j.head.origin.at_value("apply", t!("a job application form needs the job consent text"))
                    .found(t!("no `job_consent:` in content/site.yaml"))
                    .expected(t!("`job_consent:` with purpose, items, retention, refusal and employer in site.yaml")),
            );
        }
    }
    for n in &c.notices {
        if let Some(f) = &n.facility {
            k.record_ref(
                &n.head.origin,
                "facility",
                f,
                (t!("facility"), Kind::Facility.section()),
                &facilities,
            );
        }
    }
    let reserved = reserved_page_ids();
    for p in &c.pages {
        if reserved.contains(&p.head.id.as_str()) {
            k.diags.push(
                Diagnostic::new(
                    &p.head.origin.path,
                    1,
                    1,
                    "",
                    t!("this page id is taken by a section of the site"),
                )
                .found(format!("`{}`", p.head.id))
                .expected(t!(
                    "a file name other than {names}",
                    names = reserved.join(", ")
                )),
            );
        }
    }
    if let (Some(site), Some(o)) = (&c.site, &c.site_origin) {
        let links = [
            ("consent.notice", site.consent.notice.as_deref()),
            ("form_help", site.form_help.as_deref()),
        ];
        for (field, url) in links {
            if let Some(url) = url {
                page_link(&mut k, c, o, field, url, site.en.is_some());
            }
        }
    }
    k.diags
}

/// `consent.notice` and `form_help` name a page of `content/pages/` that
/// every form links to: it must exist, and in English too when the site
/// has an English edition (its forms link to the English page).
fn page_link(k: &mut Checker<'_>, c: &Content, o: &Origin, field: &str, url: &str, en: bool) {
    let id = url.trim_matches('/');
    let unread = c.ids.get("pages").is_some_and(|ids| ids.contains(id));
    match c.pages.iter().find(|p| p.head.id.as_str() == id) {
        // A page file that could not be read has been reported already.
        None if unread => {}
        None => k.diags.push(
            o.at_value(field, t!("no page at this address"))
                .found(format!("`{url}`"))
                .expected(t!(
                    "a page of content/pages/ (`{url}` is content/pages/{id}.md)",
                    url = url,
                    id = id
                )),
        ),
        Some(p) if en && p.en.is_none() => k.diags.push(
            o.at_value(field, t!("the page has no English version"))
                .found(format!("`{url}`"))
                .expected(t!(
                    "content/pages/{id}.en.md, which the English edition's forms link to",
                    id = id
                )),
        ),
        Some(_) => {}
    }
}

fn check_districts(k: &mut Checker<'_>, origin: &Origin, terms: &[Term]) {
    for t in terms {
        match SEOUL_DISTRICTS.iter().find(|(id, _)| *id == t.id.as_str()) {
            None => {
                let mut d = origin
                    .at_value(
                        &format!("{}.id", t.field),
                        t!("not one of the 25 자치구 of Seoul"),
                    )
                    .found(format!("`{}` ({})", t.id, t.name))
                    .expected(t!(
                        "one of the fixed district ids: jongno, jung, yongsan, … gangdong"
                    ));
                let by_name = SEOUL_DISTRICTS
                    .iter()
                    .find(|(_, n)| *n == t.name)
                    .map(|(id, _)| *id);
                if let Some(s) = by_name
                    .or_else(|| suggest(t.id.as_str(), SEOUL_DISTRICTS.iter().map(|(i, _)| *i)))
                {
                    d = d.help(did_you_mean(s));
                }
                k.diags.push(d);
            }
            Some((_, name)) if *name != t.name => k.diags.push(
                origin
                    .at_value(
                        &format!("{}.name", t.field),
                        t!("wrong name for this district id"),
                    )
                    .found(format!("{:?}", t.name))
                    .expected(format!("{name:?}")),
            ),
            Some(_) => {}
        }
    }
    let missing: Vec<&str> = SEOUL_DISTRICTS
        .iter()
        .filter(|(id, _)| !terms.iter().any(|t| t.id.as_str() == *id))
        .map(|(_, n)| *n)
        .collect();
    if !missing.is_empty() {
        k.diags.push(
            Diagnostic::new(&origin.path, 1, 1, "", t!("districts are missing"))
                .found(t!(
                    "{n} of 25 districts; missing {names}",
                    n = 25 - missing.len(),
                    names = missing.join(", ")
                ))
                .expected(t!("all 25 자치구 of Seoul")),
        );
    }
}
