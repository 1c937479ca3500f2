//! Renders the site into an output folder: HTML pages through Tera, feeds,
//! calendars, open data, sitemap and assets. Every page is an independent job
//! run in parallel; jobs borrow from the `Site` and precomputed entries.
//!
//! - `templates`: the theme, read once; the variables every template sees;
//! - `pages`: one method per kind of HTML page;
//! - `entries`, `views`, `jsonld`: what lists, detail pages and JSON-LD show;
//! - `onward`: the ways on from a term's page (lists, city-wide schemes,
//!   other districts);
//! - `feeds`, `opendata`, `search`, `forms`, `assets`: the other files;
//! - `cache`: fingerprints, so that a rebuild renders and writes only the
//!   files whose inputs changed;
//! - `fragments`: the pieces of the files made whole (a record's search
//!   entry, rows of open data, calendar events), kept by `sbiz serve`
//!   between builds and made again only when their inputs changed.

pub(crate) mod assets;
pub(crate) mod cache;
mod entries;
mod feeds;
mod forms;
pub(crate) mod fragments;
mod jsonld;
mod keys;
mod onward;
mod opendata;
mod pages;
mod search;
pub(crate) mod templates;
mod views;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use sbiz_catalog::{Id, Lang};

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::site::Site;
use crate::t;
use crate::urls::{Filter, detail_url, filters_for, url_path};
use cache::{Fingerprint, Manifest};
use entries::Entry;
use templates::Templates;

/// One page of a kind's list.
struct ListPage<'a> {
    kind: Kind,
    filter: Option<Filter>,
    page: usize,
    items: &'a [usize],
    total_pages: usize,
    total: usize,
}

/// One output file to produce.
enum Job<'a> {
    Home,
    List(ListPage<'a>),
    Detail(usize),
    Page(&'a Page),
    TaxonomyIndex(Taxonomy),
    Term(Taxonomy, &'a Term),
    NotFound,
    Search,
    /// 예약 조회 (`/reservation/`).
    Reservation,
    /// 내 예약·신청 (`/my/`): the phone form; the rest is the function's.
    My,
    /// 열린 데이터·새 소식 구독 (`/data/`): the footer links here once
    /// instead of listing every file on every page.
    OpenData,
    /// The staff page (`/admin/`): not indexed, not linked, not in the sitemap.
    Admin,
}

pub(crate) struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    entries: Vec<Entry>,
    /// Entry indices per kind, in display order.
    by_kind: HashMap<Kind, Vec<usize>>,
    /// Entry indices per (kind, filter).
    by_filter: HashMap<(Kind, Filter), Vec<usize>>,
    /// Entry indices per (kind, facility id).
    by_facility: HashMap<(Kind, Id), Vec<usize>>,
    /// For `forms.json`: the pages' global variables.
    kit_globals: serde_json::Map<String, serde_json::Value>,
    /// What every page's fingerprint shares: the theme, its translation
    /// tables and the globals of this language.
    shared: cache::Shared,
    /// The language of the pages: Korean at the root, English under `/en/`
    /// (rendered from the English edition's `Site`, see `crate::english`).
    lang: Lang,
    /// The Korean paths of the pages that have an English version, once
    /// the English pages are prepared.
    english_pages: OnceLock<HashSet<String>>,
    /// Records per kind in Korean, for the English lists' line about the
    /// records listed only in Korean.
    korean_counts: HashMap<Kind, usize>,
}

/// A page ready to render: its URL, template and context.
pub(crate) struct Prepared {
    url: String,
    template: String,
    ctx: cache::Context,
}

/// What the render pass produced besides files.
pub(crate) struct Rendered {
    /// The URLs of the HTML pages.
    pub(crate) html_urls: Vec<String>,
    /// Every file of the output, as site URLs (pages, files, assets),
    /// with its fingerprint.
    pub(crate) manifest: Manifest,
    /// HTML pages rendered by this build.
    pub(crate) rendered: usize,
    /// HTML pages left as they were: same fingerprint as the file there.
    pub(crate) unchanged: usize,
}

/// Where the render writes: a folder, and whether this build found it
/// empty (a clean build), so that no file there can hold older output.
#[derive(Clone, Copy)]
pub(crate) struct Out<'p> {
    pub(crate) dir: &'p Path,
    pub(crate) empty: bool,
}

/// Writes `bytes` at the file for `url` under `out`.
///
/// The output folder is reused between builds (see `build::build`), so a
/// file that already holds exactly these bytes is left alone: unchanged
/// pages cost a read from the page cache instead of a write to disk. Into
/// a folder that was empty there is nothing to compare with: the file is
/// created directly, and its folder only when the creation says it is
/// missing (a clean build writes 16,000 files for 10,000 records).
fn write_url(out: Out<'_>, url: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = url_path(out.dir, url);
    if !out.empty
        && let Ok(meta) = std::fs::metadata(&path)
    {
        if meta.len() == bytes.len() as u64 && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        return std::fs::write(path, bytes);
    }
    match std::fs::write(&path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, bytes)
        }
        r => r,
    }
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        site: &'a Site,
        templates: Templates,
        assets: &assets::AssetMap,
    ) -> Renderer<'a> {
        Renderer::in_language(site, templates, assets, Lang::Ko, HashMap::new())
    }

    /// The renderer of the English edition: `site` is the English `Site`
    /// (`Site::english`), `korean` the Korean renderer.
    pub(crate) fn english(
        site: &'a Site,
        templates: Templates,
        assets: &assets::AssetMap,
        korean: &Renderer<'_>,
    ) -> Renderer<'a> {
        let counts = korean.by_kind.iter().map(|(k, v)| (*k, v.len())).collect();
        Renderer::in_language(site, templates, assets, Lang::En, counts)
    }

    fn in_language(
        site: &'a Site,
        mut templates: Templates,
        assets: &assets::AssetMap,
        lang: Lang,
        korean_counts: HashMap<Kind, usize>,
    ) -> Renderer<'a> {
        let entries = entries::entries(site, templates::Tr::new(&templates.translations, lang));
        let mut by_kind: HashMap<Kind, Vec<usize>> = HashMap::new();
        let mut by_filter: HashMap<(Kind, Filter), Vec<usize>> = HashMap::new();
        let mut by_facility: HashMap<(Kind, Id), Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_kind.entry(e.kind).or_default().push(i);
            if let Some(f) = &e.facility {
                by_facility.entry((e.kind, f.clone())).or_default().push(i);
            }
            for (t, id) in &e.terms {
                if filters_for(e.kind).contains(t) {
                    let list = by_filter
                        .entry((e.kind, Filter::Term(*t, id.clone())))
                        .or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            if let Some(s) = e.status {
                by_filter
                    .entry((e.kind, Filter::Status(s)))
                    .or_default()
                    .push(i);
            }
        }
        let (kit_globals, shared) = templates.set_globals(site, assets, lang);
        let korean_counts = if lang == Lang::Ko {
            by_kind.iter().map(|(k, v)| (*k, v.len())).collect()
        } else {
            korean_counts
        };
        Renderer {
            kit_globals,
            shared,
            lang,
            english_pages: OnceLock::new(),
            korean_counts,
            site,
            templates,
            entries,
            by_kind,
            by_filter,
            by_facility,
        }
    }

    /// How many records have a page.
    pub(crate) fn records(&self) -> usize {
        self.entries.len()
    }

    fn jobs(&self) -> Vec<Job<'_>> {
        let korean = self.lang == Lang::Ko;
        let mut jobs = vec![
            Job::Home,
            Job::NotFound,
            Job::Search,
            Job::Reservation,
            Job::My,
        ];
        // The staff page and the open data page are Korean only.
        if korean {
            jobs.push(Job::Admin);
        }
        if korean && (!self.site.config.open_data.is_empty() || !self.site.config.feeds.is_empty())
        {
            jobs.push(Job::OpenData);
        }
        let per = self.site.config.per_page.max(1) as usize;
        for kind in Kind::ALL {
            let items: &[usize] = self.by_kind.get(&kind).map_or(&[], Vec::as_slice);
            // The English edition lists only the kinds it has records of.
            if korean || !items.is_empty() {
                push_lists(&mut jobs, per, kind, None, items);
            }
        }
        let mut filtered: Vec<(&(Kind, Filter), &Vec<usize>)> = self.by_filter.iter().collect();
        filtered.sort_by_key(|((k, f), _)| (*k, format!("{f:?}")));
        for ((kind, filter), items) in filtered {
            push_lists(&mut jobs, per, *kind, Some(filter.clone()), items);
        }
        jobs.extend((0..self.entries.len()).map(Job::Detail));
        jobs.extend(self.site.pages.iter().map(Job::Page));
        for (t, terms) in &self.site.taxonomies {
            if !korean && terms.is_empty() {
                continue;
            }
            jobs.push(Job::TaxonomyIndex(*t));
            jobs.extend(terms.iter().map(|term| Job::Term(*t, term)));
        }
        jobs
    }

    /// The URL, template and context of one page (see `pages`).
    fn prepare(&self, job: &Job<'_>) -> Result<Prepared, Diagnostic> {
        match job {
            Job::Home => self.home(),
            Job::NotFound => self.not_found(),
            Job::Search => self.search(),
            Job::List(list) => self.list(list),
            Job::Detail(i) => self.detail(&self.entries[*i]),
            Job::Reservation => self.reservation(),
            Job::My => self.my(),
            Job::OpenData => self.open_data(),
            Job::Admin => self.admin(),
            Job::Page(p) => self.static_page(p),
            Job::TaxonomyIndex(t) => self.taxonomy_index(*t),
            Job::Term(t, term) => self.term(*t, term),
        }
    }

    /// Renders every page and file into `out`, the English edition's
    /// (`english`, see `Renderer::english`) beside the Korean, except those
    /// whose fingerprint is the one `previous` (the manifest of `out`)
    /// lists for a file that is there: they are left alone.
    /// With `out` of `None`, renders everything without writing (for `check`).
    /// The files made whole take their pieces from `pieces`.
    pub(crate) fn render_all(
        &self,
        out: Option<Out<'_>>,
        previous: Option<&Manifest>,
        assets: &[assets::Asset],
        english: Option<&Renderer<'_>>,
        pieces: fragments::Pieces<'_>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let io = |e: std::io::Error, what: &str| {
            Diagnostic::new(
                out.map_or(Path::new("."), |o| o.dir),
                1,
                1,
                "",
                t!(
                    "cannot write {file}: {error}",
                    file = what,
                    error = e.to_string()
                ),
            )
        };
        // Whether `url` already holds the output of fingerprint `fp`.
        let unchanged = |url: &str, fp: &Fingerprint| match (out, previous) {
            (Some(o), Some(m)) => m.files.get(url) == Some(fp) && url_path(o.dir, url).is_file(),
            _ => false,
        };
        let write_url = |out: Option<Out<'_>>, url: &str, bytes: &[u8]| match out {
            Some(o) => write_url(o, url, bytes),
            None => Ok(()),
        };
        let t = std::time::Instant::now();
        // With a manifest, most pages are unchanged: their contexts are
        // first made for the fingerprint only, and made again in full for
        // the pages to render.
        let reuse = out.is_some() && previous.is_some();
        let prepare = |r: &Renderer<'_>, job: &Job<'_>| {
            if reuse {
                cache::hashing_only(|| r.prepare(job))
            } else {
                r.prepare(job)
            }
        };
        // Renders (when its fingerprint `fp` changed) and writes one page
        // prepared by `r`, at `url`, its HTML passed through `post`; returns
        // (URL, fingerprint, rendered).
        let finish = |r: &Renderer<'_>,
                      job: &Job<'_>,
                      p: Prepared,
                      url: String,
                      fp: Fingerprint,
                      post: &(dyn Fn(String) -> String + Sync)|
         -> Result<(String, Fingerprint, bool), Diagnostic> {
            if unchanged(&url, &fp) {
                return Ok((url, fp, false));
            }
            let p = if p.ctx.is_full() { p } else { r.prepare(job)? };
            let html = post(r.templates.render(&p.template, &p.ctx)?);
            write_url(out, &url, html.as_bytes()).map_err(|e| io(e, &url))?;
            Ok((url, fp, true))
        };
        // The English pages first: the Korean pages link to the English
        // versions that exist (their `lang` context says so). English pages
        // are made with the Korean paths, then their links point at the
        // English pages (`english::localize_links`): what that rewrite
        // reads (the set of English pages and the "(in Korean)" text) is
        // not in their context, so it joins their fingerprints.
        let english_pages = || -> Vec<Result<(String, Fingerprint, bool), Diagnostic>> {
            let Some(en) = english else {
                return Vec::new();
            };
            let jobs = en.jobs();
            let prepared: Vec<Result<Prepared, Diagnostic>> =
                jobs.par_iter().map(|job| prepare(en, job)).collect();
            let set: HashSet<String> = prepared
                .iter()
                .filter_map(|p| Some(p.as_ref().ok()?.url.clone()))
                .collect();
            let in_korean = en.tr().s(keys::IN_KOREAN);
            let links = cache::english_links(&set, &in_korean);
            let _ = en.english_pages.set(set.clone());
            let _ = self.english_pages.set(set);
            let set = en
                .english_pages
                .get()
                .unwrap_or_else(|| unreachable!("set above"));
            let localize = |html: String| crate::english::localize_links(&html, set, &in_korean);
            jobs.par_iter()
                .zip(prepared)
                .map(|(job, p)| {
                    let p = p?;
                    let url = Lang::En.path(&p.url);
                    let fp = cache::with_links(&en.shared.page(&url, &p.template, &p.ctx), &links);
                    finish(en, job, p, url, fp, &localize)
                })
                .collect()
        };
        let korean_pages = || -> Vec<Result<(String, Fingerprint, bool), Diagnostic>> {
            let jobs = self.jobs();
            jobs.par_iter()
                .map(|job| {
                    let p = prepare(self, job)?;
                    let fp = self.shared.page(&p.url, &p.template, &p.ctx);
                    let url = p.url.clone();
                    finish(self, job, p, url, fp, &|html| html)
                })
                .collect()
        };
        // (URL, fingerprint, rendered) of each page, and the other files.
        // (Each side's time: they overlap unless RAYON_NUM_THREADS=1.)
        let (results, files) = rayon::join(
            || {
                let t = std::time::Instant::now();
                let mut results = english_pages();
                results.extend(korean_pages());
                crate::build::timing("pages (fingerprints, rendering)", t);
                results
            },
            || {
                let t = std::time::Instant::now();
                let mut files = self.files(pieces);
                if let Some(en) = english {
                    files.extend(en.english_files(pieces));
                }
                crate::build::timing("other files (made whole)", t);
                files
            },
        );
        // `forms.json` once the English pages are known: the function's
        // English pages point their links at them.
        let mut files = files;
        files.push((
            "/forms.json".to_owned(),
            forms::kit(
                self.templates.sources().clone(),
                self.kit_globals.clone(),
                english.map(|e| {
                    let pages = e.english_pages.get().into_iter().flatten().cloned();
                    (e.kit_globals.clone(), pages.collect())
                }),
                self.templates.translations.clone(),
            ),
        ));
        crate::build::timing("pages and other files", t);
        let mut diags = Vec::new();
        let mut html_urls = Vec::new();
        let mut manifest = Manifest::default();
        let (mut rendered, mut kept) = (0, 0);
        for r in results {
            match r {
                Ok((u, fp, fresh)) => {
                    if fresh {
                        rendered += 1;
                    } else {
                        kept += 1;
                    }
                    manifest.files.insert(u.clone(), fp);
                    html_urls.push(u);
                }
                Err(d) => {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
        }
        let empty = HashSet::new();
        let sitemap = feeds::sitemap(
            self.site,
            &html_urls
                .iter()
                .filter(|u| *u != "/admin/")
                .cloned()
                .collect::<Vec<_>>(),
            self.english_pages.get().unwrap_or(&empty),
        );
        let others = files
            .iter()
            .map(|(u, b)| (u.as_str(), b.as_slice()))
            .chain(assets.iter().map(|a| (a.url.as_str(), a.bytes.as_slice())))
            .chain([("/sitemap.xml", sitemap.as_bytes())]);
        for (url, bytes) in others {
            let fp = cache::bytes(url, bytes);
            if !unchanged(url, &fp)
                && let Err(e) = write_url(out, url, bytes)
            {
                diags.push(io(e, url));
            }
            manifest.files.insert(url.to_owned(), fp);
        }
        if diags.is_empty() {
            Ok(Rendered {
                html_urls,
                manifest,
                rendered,
                unchanged: kept,
            })
        } else {
            Err(diags)
        }
    }

    /// The English edition's files besides pages: its search index over
    /// the English pages only, and a feed of notices and of programmes when
    /// there are English ones.
    fn english_files(&self, pieces: fragments::Pieces<'_>) -> Vec<(String, Vec<u8>)> {
        let mut out = vec![(
            Lang::En.path("/search/index.json"),
            search::index(self.site, &self.entries, self.tr(), pieces),
        )];
        if !self.site.notices.is_empty() {
            out.push((
                Lang::En.path("/feeds/notices.xml"),
                feeds::notices_atom(self.site, self.tr()).into_bytes(),
            ));
        }
        if !self.site.programmes.is_empty() {
            out.push((
                Lang::En.path("/feeds/programmes.xml"),
                feeds::programmes_atom(self.site, self.tr()).into_bytes(),
            ));
        }
        out
    }

    /// Non-HTML outputs: feeds, calendars, open data, robots, catalog.
    /// (`SBIZ_TIMINGS` prints each one's time.)
    fn files(&self, pieces: fragments::Pieces<'_>) -> Vec<(String, Vec<u8>)> {
        use crate::build::timing;
        use std::time::Instant;
        let site = self.site;
        let t = Instant::now();
        let mut out = vec![
            ("/robots.txt".to_owned(), feeds::robots(site).into_bytes()),
            (
                "/feeds/notices.xml".to_owned(),
                feeds::notices_atom(site, self.tr()).into_bytes(),
            ),
            (
                "/feeds/programmes.xml".to_owned(),
                feeds::programmes_atom(site, self.tr()).into_bytes(),
            ),
        ];
        timing("  feeds", t);
        let t = Instant::now();
        // Whole, as one piece: the catalog hashes several times faster
        // than it prints, and most rebuilds leave it as it was.
        let catalog = pieces.piece("catalog.json", &site.catalog, |c| {
            vec![
                serde_json::to_string_pretty(c)
                    .unwrap_or_else(|_| unreachable!("catalog serialises")),
            ]
        });
        out.push(("/catalog.json".to_owned(), catalog[0].as_bytes().to_vec()));
        timing("  catalog.json", t);
        let t = Instant::now();
        let (calendars, all_sessions) = feeds::calendars(site, pieces);
        out.push((
            "/programmes/sessions.ics".to_owned(),
            all_sessions.into_bytes(),
        ));
        out.extend(site.programmes.iter().zip(calendars).map(|(p, ics)| {
            (
                format!("{}sessions.ics", detail_url(Kind::Programme, &p.head.id)),
                ics.into_bytes(),
            )
        }));
        timing("  calendars", t);
        let t = Instant::now();
        out.extend(opendata::files(site, self.tr(), pieces));
        timing("  open data", t);
        let t = Instant::now();
        out.push((
            "/search/index.json".to_owned(),
            search::index(site, &self.entries, self.tr(), pieces),
        ));
        timing("  search index", t);
        out
    }
}

fn push_lists<'b>(
    jobs: &mut Vec<Job<'b>>,
    per: usize,
    kind: Kind,
    filter: Option<Filter>,
    items: &'b [usize],
) {
    let total_pages = items.len().div_ceil(per).max(1);
    for page in 1..=total_pages {
        let start = ((page - 1) * per).min(items.len());
        let slice = &items[start..(start + per).min(items.len())];
        jobs.push(Job::List(ListPage {
            kind,
            filter: filter.clone(),
            page,
            items: slice,
            total_pages,
            total: items.len(),
        }));
    }
}
