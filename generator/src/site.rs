//! The assembled site: published records, derived statuses, rendered
//! Markdown, URLs and indexes. Built once per build, then only read by the
//! renderers (which run in parallel and borrow from it).

use std::collections::HashMap;

use rayon::prelude::*;
use sbiz_catalog::{CATALOG_VERSION, Catalog, Date, Holiday, Id, Lang};

use sbiz_catalog::clock::Now;

use crate::diagnostics::Diagnostic;
use crate::links::{self, BodyOrigin};
use crate::markdown::{self, Rendered};
use crate::model::*;
use crate::urls::{detail_url, page_url};
use crate::yaml::Origin;

pub(crate) struct Site {
    pub(crate) config: SiteConfig,
    pub(crate) now: Now,
    pub(crate) taxonomies: Vec<(Taxonomy, Vec<Term>)>,
    pub(crate) facilities: Vec<Facility>,
    pub(crate) equipment: Vec<Equipment>,
    pub(crate) programmes: Vec<Programme>,
    pub(crate) policies: Vec<Policy>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) pages: Vec<Page>,
    /// Rendered Markdown keyed by record URL.
    pub(crate) bodies: HashMap<String, Rendered>,
    /// What the booking function enforces, written as `catalog.json`.
    pub(crate) catalog: Catalog,
    /// Positions of facilities and programmes, and of the catalog's
    /// records, by id (pages look them up tens of thousands of times a
    /// build).
    pub(crate) lookup: Lookup,
    /// What the build did that an editor should know (links written as
    /// text because their record is not published, and the like).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Indexes for [`Site::facility`] and [`Site::programme`]: the position
/// of the first record with each id. Made with the records' lists when a
/// [`Site`] is made (by [`assemble`] and [`Site::english`]); a `Site` is
/// only read after that (nothing takes it mutably), so its lists stay as
/// they were indexed.
pub(crate) struct Lookup {
    facilities: HashMap<Id, usize>,
    programmes: HashMap<Id, usize>,
    /// The catalog's (the same in both editions' `Site`s, which share it).
    pub(crate) catalog: std::sync::Arc<CatalogLookup>,
}

impl Lookup {
    pub(crate) fn new(
        facilities: &[Facility],
        programmes: &[Programme],
        catalog: std::sync::Arc<CatalogLookup>,
    ) -> Lookup {
        Lookup {
            facilities: positions(facilities, |f| &f.head.id),
            programmes: positions(programmes, |p| &p.head.id),
            catalog,
        }
    }
}

/// Positions of the catalog's records by id, for the forms of their
/// pages (`Catalog::equipment` and the like search the lists).
pub(crate) struct CatalogLookup {
    equipment: HashMap<Id, usize>,
    programmes: HashMap<Id, usize>,
    policies: HashMap<Id, usize>,
    jobs: HashMap<Id, usize>,
}

impl CatalogLookup {
    fn new(catalog: &Catalog) -> CatalogLookup {
        CatalogLookup {
            equipment: positions(&catalog.equipment, |e| &e.id),
            programmes: positions(&catalog.programmes, |p| &p.id),
            policies: positions(&catalog.policies, |p| &p.id),
            jobs: positions(&catalog.jobs, |j| &j.id),
        }
    }
}

/// The position of the first record with each id (by `key`).
fn positions<T>(records: &[T], key: fn(&T) -> &Id) -> HashMap<Id, usize> {
    let mut map = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        map.entry(key(r).clone()).or_insert(i);
    }
    map
}

impl Site {
    pub(crate) fn today(&self) -> Date {
        self.now.date
    }
    pub(crate) fn programme_status(&self, p: &Programme) -> Status {
        Status::from_window(p.apply_from, p.apply_until, self.today())
    }
    pub(crate) fn policy_status(&self, p: &Policy) -> Status {
        Status::from_window(p.apply_from, p.apply_until, self.today())
    }
    pub(crate) fn job_status(&self, j: &Job) -> Status {
        Status::from_window(j.posted, j.deadline, self.today())
    }
    pub(crate) fn terms(&self, tax: Taxonomy) -> &[Term] {
        self.taxonomies
            .iter()
            .find(|(t, _)| *t == tax)
            .map_or(&[], |(_, v)| v.as_slice())
    }
    pub(crate) fn term(&self, tax: Taxonomy, id: &Id) -> Option<&Term> {
        self.terms(tax).iter().find(|t| &t.id == id)
    }
    pub(crate) fn facility(&self, id: &Id) -> Option<&Facility> {
        let i = *self.lookup.facilities.get(id)?;
        self.facilities.get(i)
    }
    pub(crate) fn programme(&self, id: &Id) -> Option<&Programme> {
        let i = *self.lookup.programmes.get(id)?;
        self.programmes.get(i)
    }
    /// The catalog's equipment `id` (what its booking form is made of).
    pub(crate) fn catalog_equipment(&self, id: &Id) -> Option<&sbiz_catalog::Equipment> {
        let i = *self.lookup.catalog.equipment.get(id)?;
        self.catalog.equipment.get(i)
    }
    /// The catalog's programme `id`.
    pub(crate) fn catalog_programme(&self, id: &Id) -> Option<&sbiz_catalog::Programme> {
        let i = *self.lookup.catalog.programmes.get(id)?;
        self.catalog.programmes.get(i)
    }
    /// The catalog's policy `id`.
    pub(crate) fn catalog_policy(&self, id: &Id) -> Option<&sbiz_catalog::Policy> {
        let i = *self.lookup.catalog.policies.get(id)?;
        self.catalog.policies.get(i)
    }
    /// The catalog's job posting `id` (only those that take applications).
    pub(crate) fn catalog_job(&self, id: &Id) -> Option<&sbiz_catalog::Job> {
        let i = *self.lookup.catalog.jobs.get(id)?;
        self.catalog.jobs.get(i)
    }
    pub(crate) fn body(&self, url: &str) -> &str {
        self.bodies.get(url).map_or("", |r| r.html.as_str())
    }
}

fn live<T: HasHead>(items: Vec<T>, today: Date) -> Vec<T> {
    items
        .into_iter()
        .filter(|r| r.head().meta.is_live(today))
        .collect()
}

/// Builds the site from loaded, checked content. Fails with `errors`
/// (what loading and checking found) and the broken internal links of
/// published Markdown and of site.yaml, which are checked whatever
/// `errors` holds: a record that could not be read is not linked to in
/// error, and its Markdown, when it could be read, is checked too. The
/// failure carries the warnings found meanwhile.
/// `cache`: `sbiz serve`'s, whose Markdown of unchanged bodies is reused;
/// `root`: the site root (see `links::check`).
pub(crate) fn assemble(
    content: Content,
    now: Now,
    cache: Option<&crate::load::LoadCache>,
    root: &std::path::Path,
    mut errors: Vec<Diagnostic>,
) -> Result<Site, crate::build::Failure> {
    let today = now.date;
    let en = |url: String| Lang::En.path(&url);
    let mut unread = unread_urls(&content, today);
    // Terms that could not be read, and taxonomies whose file could not
    // be: links to their pages are not reported either.
    for (tax, id) in &content.unread_terms {
        if let Ok(id) = id.parse::<Id>() {
            unread.push(crate::urls::term_url(*tax, &id));
        }
    }
    let unread_sections: Vec<String> = Taxonomy::ALL
        .iter()
        .filter(|tax| !content.taxonomies.iter().any(|(t, _, _)| t == *tax))
        .flat_map(|tax| {
            let url = format!("/{}/", tax.name());
            [en(url.clone()), url]
        })
        .collect();
    let scheduled = scheduled_urls(&content, today);
    let config = content.site;
    let site_origin = content.site_origin;
    // Without readable settings, English pages are checked as if the site
    // had its English edition unless site.yaml has no `en:`: a link is
    // never reported because of an error reported already.
    let english_edition = config
        .as_ref()
        .map(|c| c.en.is_some())
        .or(content.english_edition)
        .unwrap_or(true);
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
    default_job_audiences(&mut jobs, &taxonomies);
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
    // The English bodies, at their English URLs (checked like the Korean).
    for r in &facilities {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Facility, &r.head.id));
            sources.push((url, &e.description, b(&r.head.origin, "en.description")));
        }
    }
    for r in &equipment {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Equipment, &r.head.id));
            sources.push((url, &e.description, b(&r.head.origin, "en.description")));
        }
    }
    for r in &programmes {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Programme, &r.head.id));
            sources.push((url, &e.description, b(&r.head.origin, "en.description")));
        }
    }
    for r in &policies {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Policy, &r.head.id));
            sources.push((url, &e.body, b(&e.head.origin, "")));
        }
    }
    for r in &jobs {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Job, &r.head.id));
            sources.push((url, &e.description, b(&r.head.origin, "en.description")));
        }
    }
    for r in &notices {
        if let Some(e) = &r.en {
            let url = en(detail_url(Kind::Notice, &r.head.id));
            sources.push((url, &e.body, b(&e.head.origin, "")));
        }
    }
    for r in &pages {
        if let Some(e) = &r.en {
            sources.push((en(page_url(&r.head.id)), &e.body, b(&e.head.origin, "")));
        }
    }
    // What could be read of the records that gave none: their Markdown is
    // checked as theirs (when they are published).
    for (section, f) in &content.failed {
        let Some(url) = section_url(section, &f.id) else {
            continue;
        };
        if !f.meta.is_live(today) {
            continue;
        }
        for (field, body) in &f.bodies {
            let (url, field) = match field.as_str() {
                // The body of an English `<id>.en.md`.
                "" if f.english => (en(url.clone()), ""),
                "" => (url.clone(), ""),
                "description" => (url.clone(), "description"),
                "en.description" => (en(url.clone()), "en.description"),
                _ => continue,
            };
            sources.push((url, body, b(&f.origin, field)));
        }
    }
    if english_edition {
        let english: Vec<String> = unread.iter().map(|u| en(u.clone())).collect();
        unread.extend(english);
    }
    let mut english_pages: Vec<String> = Vec::new();
    if english_edition {
        english_pages.extend(crate::english::static_urls(
            &taxonomies,
            &[
                (Kind::Facility, facilities.iter().any(|r| r.en.is_some())),
                (Kind::Equipment, equipment.iter().any(|r| r.en.is_some())),
                (Kind::Programme, programmes.iter().any(|r| r.en.is_some())),
                (Kind::Policy, policies.iter().any(|r| r.en.is_some())),
                (Kind::Job, jobs.iter().any(|r| r.en.is_some())),
                (Kind::Notice, notices.iter().any(|r| r.en.is_some())),
            ],
        ));
    } else {
        // Without the site's English there is no English edition.
        sources.retain(|(url, _, _)| Lang::of_path(url) == Lang::Ko);
    }
    let rendered: Vec<(String, Rendered, BodyOrigin, &str)> = sources
        .into_par_iter()
        .map(|(url, src, o)| {
            let html = match cache {
                Some(c) => c.markdown(src),
                None => markdown::render(src),
            };
            (url, html, o, src)
        })
        .collect();
    if let Some(c) = cache {
        c.markdown_done();
    }

    let bodies: Vec<links::Body<'_>> = rendered
        .iter()
        .map(|(url, rendered, origin, src)| links::Body {
            url,
            rendered,
            origin,
            src,
        })
        .collect();
    let checked = links::check(
        &bodies,
        &taxonomies,
        &english_pages,
        &links::Unread {
            pages: &unread,
            sections: &unread_sections,
        },
        &scheduled,
        root,
        config.as_ref().zip(site_origin.as_deref()),
    );
    drop(bodies);
    errors.extend(checked.errors);
    let mut warnings = checked.warnings;
    warnings.extend(links::reference_warnings(
        equipment.iter().map(|e| &*e.head.origin),
        &scheduled,
    ));
    crate::diagnostics::sort(&mut warnings);
    let mut rendered = rendered;
    // Links to records that are not published are written as their text
    // (rarely any: those bodies are rendered again).
    for (i, offsets) in &checked.unlink {
        if let Some((_, r, _, src)) = rendered.get_mut(*i) {
            *r = markdown::render_unlinking(src, offsets);
        }
    }
    let Some(config) = config.filter(|_| errors.is_empty()) else {
        return Err(crate::build::Failure {
            errors,
            warnings: warnings.into_iter().map(crate::warning::Warning).collect(),
        });
    };
    let bodies: HashMap<String, Rendered> =
        rendered.into_iter().map(|(u, r, _, _)| (u, r)).collect();

    let catalog = Catalog {
        version: CATALOG_VERSION,
        origin: config.base_url.clone(),
        booking: config.booking.clone(),
        consent: sbiz_catalog::Consent {
            en: config.en.as_ref().map(|en| sbiz_catalog::ConsentText {
                purpose: en.consent.purpose.clone(),
                items: en.consent.items.clone(),
                retention: en.consent.retention.clone(),
                refusal: en.consent.refusal.clone(),
            }),
            ..config.consent.clone()
        },
        holidays,
        facilities: facilities
            .iter()
            .map(|f| sbiz_catalog::Facility {
                id: f.head.id.clone(),
                name: f.name.clone(),
                phone: f.phone.clone(),
                name_en: f.en.as_ref().map(|en| en.name.clone()),
            })
            .collect(),
        equipment: equipment
            .iter()
            .map(|e| sbiz_catalog::Equipment {
                id: e.head.id.clone(),
                facility: e.facility.clone(),
                name: e.name.clone(),
                rules: e.rules.clone(),
                name_en: e.en.as_ref().map(|en| en.name.clone()),
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
                title_en: p.en.as_ref().map(|en| en.title.clone()),
                place: p.place.clone(),
                place_en: p.en.as_ref().and_then(|en| en.place.clone()),
                online: matches!(p.format, crate::model::Format::Online),
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
                title_en: p.en.as_ref().map(|en| en.title.clone()),
                form_en: match (&p.apply, &p.en) {
                    (Apply::Form(f), Some(en)) => form_texts(f, &en.form_en),
                    _ => Default::default(),
                },
                how_to_submit: p.how_to_submit.clone(),
                how_to_submit_en: p.en.as_ref().and_then(|en| en.how_to_submit.clone()),
                contact: p.contact.clone(),
            })
            .collect(),
        surveys: surveys.iter().map(|s| s.survey.clone()).collect(),
        messages: sbiz_catalog::Messages {
            site_name: config.short_name.clone(),
            site_name_en: config.en.as_ref().map(|en| en.short_name.clone()),
            reminder: config.reminder,
            templates: message_templates,
            channels: config.messaging.clone(),
        },
        jobs: jobs
            .iter()
            .filter_map(|j| {
                let a = j.apply.as_ref()?;
                Some(sbiz_catalog::Job {
                    id: j.head.id.clone(),
                    title: j.title.clone(),
                    company: j.company.clone(),
                    facility: a.facility.clone(),
                    posted: j.posted,
                    deadline: j.deadline,
                    employer_email: a.employer_email.as_ref().map(|e| e.0.clone()),
                    form: a.form.clone(),
                    title_en: j.en.as_ref().map(|en| en.title.clone()),
                    company_en: j.en.as_ref().map(|en| en.company.clone()),
                    form_en: j
                        .en
                        .as_ref()
                        .map(|en| form_texts(&a.form, &en.form_en))
                        .unwrap_or_default(),
                })
            })
            .collect(),
        job_consent: config
            .job_consent
            .clone()
            .map(|ko| sbiz_catalog::JobConsent {
                en: config
                    .en
                    .as_ref()
                    .and_then(|en| en.job_consent.as_ref())
                    .map(|en| sbiz_catalog::JobConsentText {
                        purpose: en.purpose.clone(),
                        items: en.items.clone(),
                        retention: en.retention.clone(),
                        refusal: en.refusal.clone(),
                        employer: en.employer.clone(),
                    }),
                ..ko
            }),
        form_help: config.form_help.clone(),
    };

    let lookup = Lookup::new(
        &facilities,
        &programmes,
        std::sync::Arc::new(CatalogLookup::new(&catalog)),
    );
    Ok(Site {
        config,
        now,
        taxonomies,
        facilities,
        equipment,
        programmes,
        policies,
        jobs,
        notices,
        pages,
        bodies,
        catalog,
        lookup,
        warnings,
    })
}

/// The pages of records whose links need a word at `today` (not published,
/// or leaving the site soon: see [`links::Schedule`]), in both editions,
/// by URL. Records that could not be read are included by what was read
/// of their dates.
fn scheduled_urls(content: &Content, today: Date) -> HashMap<String, links::Scheduled> {
    fn add<T: HasHead + Translatable>(
        out: &mut HashMap<String, links::Scheduled>,
        records: &[T],
        url: impl Fn(&Id) -> String,
        today: Date,
    ) {
        for r in records {
            let head = r.head();
            let Some(schedule) = links::Schedule::of(&head.meta, today) else {
                continue;
            };
            let s = links::Scheduled {
                file: head.origin.path.clone(),
                schedule,
            };
            let korean = url(&head.id);
            if r.english().is_some() {
                out.insert(Lang::En.path(&korean), s.clone());
            }
            out.insert(korean, s);
        }
    }
    let mut out = HashMap::new();
    let c = content;
    add(
        &mut out,
        &c.facilities,
        |id| detail_url(Kind::Facility, id),
        today,
    );
    add(
        &mut out,
        &c.equipment,
        |id| detail_url(Kind::Equipment, id),
        today,
    );
    add(
        &mut out,
        &c.programmes,
        |id| detail_url(Kind::Programme, id),
        today,
    );
    add(
        &mut out,
        &c.policies,
        |id| detail_url(Kind::Policy, id),
        today,
    );
    add(&mut out, &c.jobs, |id| detail_url(Kind::Job, id), today);
    add(
        &mut out,
        &c.notices,
        |id| detail_url(Kind::Notice, id),
        today,
    );
    add(&mut out, &c.pages, page_url, today);
    for (section, f) in &c.failed {
        let (Some(url), Some(schedule)) = (
            section_url(section, &f.id),
            links::Schedule::of(&f.meta, today),
        ) else {
            continue;
        };
        let s = links::Scheduled {
            file: f.origin.path.clone(),
            schedule,
        };
        out.insert(Lang::En.path(&url), s.clone());
        out.insert(url, s);
    }
    out
}

/// The URL of record `id` of the folder `section`, if it has a page.
fn section_url(section: &str, id: &Id) -> Option<String> {
    match Kind::from_section(section) {
        Some(kind) => Some(detail_url(kind, id)),
        None if section == "pages" => Some(page_url(id)),
        None => None,
    }
}

/// The pages of record files that gave no record (a syntax error, a
/// wrong type), unless what was read of them says they are not
/// published: links to them are not reported, their errors are.
fn unread_urls(content: &Content, today: Date) -> Vec<String> {
    let files: usize = content
        .ids
        .iter()
        .filter(|(section, _)| Kind::from_section(section).is_some() || **section == "pages")
        .map(|(_, ids)| ids.len())
        .sum();
    let c = content;
    let records = c.facilities.len()
        + c.equipment.len()
        + c.programmes.len()
        + c.policies.len()
        + c.jobs.len()
        + c.notices.len()
        + c.pages.len();
    // Every file gave its record (the common case).
    if records == files {
        return Vec::new();
    }
    let loaded = content.loaded_ids();
    let mut urls = Vec::new();
    for (section, ids) in &content.ids {
        for id in ids {
            if loaded.contains(&(*section, id.as_str())) {
                continue;
            }
            let unpublished = content
                .failed
                .iter()
                .any(|(s, f)| s == section && f.id.as_str() == id && !f.meta.is_live(today));
            let Ok(id) = id.parse::<Id>() else {
                continue;
            };
            if let Some(url) = section_url(section, &id).filter(|_| !unpublished) {
                urls.push(url);
            }
        }
    }
    urls
}

/// Gives the job postings that name no audience (`audiences:` absent) the
/// job seekers' ([`JOB_SEEKERS`]), when the site has that audience: a job
/// posting is for people looking for work, so the 취업희망자 page, its lists
/// and the English edition (whose records are copies made when the content
/// was read) gather every posting without each one saying so.
fn default_job_audiences(jobs: &mut [Job], taxonomies: &[(Taxonomy, Vec<Term>)]) {
    let audiences = taxonomies
        .iter()
        .find(|(t, _)| *t == Taxonomy::Audiences)
        .map_or(&[][..], |(_, terms)| terms.as_slice());
    let Some(seekers) = audiences.iter().find(|t| t.id.as_str() == JOB_SEEKERS) else {
        return;
    };
    for j in jobs.iter_mut().filter(|j| !j.audiences_written) {
        j.audiences = vec![seekers.id.clone()];
        if let Some(en) = &mut j.en {
            en.audiences = vec![seekers.id.clone()];
        }
    }
}

/// The English texts of a form's fields for the catalog (`sbiz check` has
/// made sure every id exists and every option list has the Korean length).
fn form_texts(
    form: &[sbiz_catalog::FormField],
    en: &[(String, crate::model::FormFieldEn)],
) -> std::collections::BTreeMap<String, sbiz_catalog::FieldText> {
    crate::model::catalog_texts(en, |id| {
        let field = form.iter().find(|f| f.id.as_str() == id)?;
        Some(match &field.kind {
            sbiz_catalog::FieldKind::Select { options } => options.as_slice(),
            _ => &[],
        })
    })
}

#[cfg(test)]
mod lookup_tests {
    use super::*;

    /// Every facility and programme of `site` is found by its id (the
    /// record itself), and an id that none has is not.
    fn assert_found(site: &Site, edition: &str) {
        assert!(!site.facilities.is_empty(), "{edition}: facilities");
        assert!(!site.programmes.is_empty(), "{edition}: programmes");
        for f in &site.facilities {
            let found = site.facility(&f.head.id);
            assert!(
                found.is_some_and(|r| std::ptr::eq(r, f)),
                "{edition}: {}",
                f.head.id
            );
        }
        for p in &site.programmes {
            let found = site.programme(&p.head.id);
            assert!(
                found.is_some_and(|r| std::ptr::eq(r, p)),
                "{edition}: {}",
                p.head.id
            );
        }
        let unknown: Id = "no-such-record".parse().expect("an id");
        assert!(site.facility(&unknown).is_none(), "{edition}");
        assert!(site.programme(&unknown).is_none(), "{edition}");
        // A programme's id is not a facility's, and the other way round.
        let programme = &site.programmes[0].head.id;
        assert!(site.facility(programme).is_none(), "{edition}: {programme}");
        let facility = &site.facilities[0].head.id;
        assert!(site.programme(facility).is_none(), "{edition}: {facility}");
        // The catalog's records, as its own (linear) look-ups find them.
        let c = &site.catalog;
        assert!(!c.equipment.is_empty() && !c.policies.is_empty() && !c.jobs.is_empty());
        fn same<T>(a: Option<&T>, b: Option<&T>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if std::ptr::eq(a, b))
        }
        for e in &c.equipment {
            let found = site.catalog_equipment(&e.id);
            let want = c.equipment(e.id.as_str());
            assert!(same(found, want), "{edition}: {}", e.id);
        }
        for p in &c.programmes {
            let found = site.catalog_programme(&p.id);
            let want = c.programme(p.id.as_str());
            assert!(same(found, want), "{edition}: {}", p.id);
        }
        for p in &c.policies {
            let found = site.catalog_policy(&p.id);
            let want = c.policy(p.id.as_str());
            assert!(same(found, want), "{edition}: {}", p.id);
        }
        for j in &c.jobs {
            let found = site.catalog_job(&j.id);
            let want = c.job(j.id.as_str());
            assert!(same(found, want), "{edition}: {}", j.id);
        }
        assert!(site.catalog_equipment(&unknown).is_none(), "{edition}");
        assert!(site.catalog_programme(&unknown).is_none(), "{edition}");
        assert!(site.catalog_policy(&unknown).is_none(), "{edition}");
        assert!(site.catalog_job(&unknown).is_none(), "{edition}");
        // A programme's id is not an equipment's.
        assert!(site.catalog_equipment(programme).is_none(), "{edition}");
    }

    #[test]
    fn lookups_find_every_facility_programme_and_catalog_record_and_miss_unknown_ids() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let opts = crate::build::Options::new(root, "2026-06-01".parse().expect("a date"));
        let site = crate::build::load_site(&opts).expect("the real content loads");
        assert_found(&site, "Korean");
        // The English edition's site has its own lists, and its own index.
        let english = site
            .english()
            .expect("the real site has an English edition");
        assert_found(&english, "English");
    }
}
