//! Renders the site into an output folder: HTML pages through Tera, feeds,
//! calendars, open data, sitemap and assets. Every page is an independent job
//! run in parallel; jobs borrow from the `Site` and precomputed entries.
//!
//! - `templates`: the theme, read once; the variables every template sees;
//! - `pages`: one method per kind of HTML page;
//! - `entries`, `views`, `jsonld`: what lists, detail pages and JSON-LD show;
//! - `feeds`, `opendata`, `search`, `forms`, `assets`: the other files.

pub(crate) mod assets;
mod entries;
mod feeds;
mod forms;
mod jsonld;
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
    /// The language of the pages: Korean at the root, English under `/en/`
    /// (rendered from the English edition's `Site`, see `crate::english`).
    lang: Lang,
    /// The Korean paths of the pages that have an English version, once
    /// the English pages are rendered.
    english_pages: OnceLock<HashSet<String>>,
    /// Records per kind in Korean, for the English lists' line about the
    /// records listed only in Korean.
    korean_counts: HashMap<Kind, usize>,
}

/// What the render pass produced besides files: the URLs of HTML pages.
pub(crate) struct Rendered {
    pub(crate) html_urls: Vec<String>,
    /// Every file written, as site URLs (pages, files, assets).
    pub(crate) written: Vec<String>,
}

/// Writes `bytes` at the file for `url` under `out`.
///
/// The output folder is reused between builds (see `build::build`), so a
/// file that already holds exactly these bytes is left alone: unchanged
/// pages cost a read from the page cache instead of a write to disk.
fn write_url(out: &Path, url: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = url_path(out, url);
    if let Ok(meta) = std::fs::metadata(&path) {
        if meta.len() == bytes.len() as u64 && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
    } else if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
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
        let kit_globals = templates.set_globals(site, assets, lang);
        let korean_counts = if lang == Lang::Ko {
            by_kind.iter().map(|(k, v)| (*k, v.len())).collect()
        } else {
            korean_counts
        };
        Renderer {
            kit_globals,
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

    /// The URL and HTML of one page (see `pages`).
    fn render_job(&self, job: &Job<'_>) -> Result<(String, String), Diagnostic> {
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

    /// Renders every page of this language: (Korean path, HTML).
    fn render_pages(&self) -> Vec<Result<(String, String), Diagnostic>> {
        self.jobs()
            .par_iter()
            .map(|job| self.render_job(job))
            .collect()
    }

    /// Renders every page and file into `out`, the English edition's
    /// (`english`, see `Renderer::english`) beside the Korean.
    /// With `out` of `None`, renders everything without writing (for `check`).
    pub(crate) fn render_all(
        &self,
        out: Option<&Path>,
        assets: &[assets::Asset],
        english: Option<&Renderer<'_>>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let io = |e: std::io::Error, what: &str| {
            Diagnostic::new(
                out.unwrap_or(Path::new(".")),
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
        let write_url = |out: Option<&Path>, url: &str, bytes: &[u8]| match out {
            Some(o) => write_url(o, url, bytes),
            None => Ok(()),
        };
        let mut diags = Vec::new();
        let mut html_urls = Vec::new();
        let mut push = |r: Result<String, Diagnostic>, diags: &mut Vec<Diagnostic>| match r {
            Ok(u) => html_urls.push(u),
            Err(d) => {
                if !diags.contains(&d) {
                    diags.push(d);
                }
            }
        };
        // The English pages first: the Korean pages link to the English
        // versions that exist. Rendered with the Korean paths, then their
        // links point at the English pages (`english::localize_links`).
        let mut english_files = Vec::new();
        if let Some(en) = english {
            let mut pages = Vec::new();
            for r in en.render_pages() {
                match r {
                    Ok(p) => pages.push(p),
                    Err(d) => push(Err(d), &mut diags),
                }
            }
            let set: HashSet<String> = pages.iter().map(|(u, _)| u.clone()).collect();
            let in_korean = en.tr().s("in_korean", "(한국어)");
            let results: Vec<Result<String, Diagnostic>> = pages
                .par_iter()
                .map(|(url, html)| {
                    let html = crate::english::localize_links(html, &set, &in_korean);
                    let url = Lang::En.path(url);
                    write_url(out, &url, html.as_bytes()).map_err(|e| io(e, &url))?;
                    Ok(url)
                })
                .collect();
            for r in results {
                push(r, &mut diags);
            }
            english_files = en.english_files();
            let _ = en.english_pages.set(set.clone());
            let _ = self.english_pages.set(set);
        }
        let results: Vec<Result<String, Diagnostic>> = self
            .render_pages()
            .into_par_iter()
            .map(|r| {
                let (url, html) = r?;
                write_url(out, &url, html.as_bytes()).map_err(|e| io(e, &url))?;
                Ok(url)
            })
            .collect();
        for r in results {
            push(r, &mut diags);
        }
        let mut files = self.files(english.map(|e| e.kit_globals.clone()));
        files.extend(english_files);
        let mut written: Vec<String> = html_urls.clone();
        written.extend(files.iter().map(|(u, _)| u.clone()));
        written.extend(assets.iter().map(|a| a.url.clone()));
        written.push("/sitemap.xml".to_owned());
        for (url, bytes) in files
            .iter()
            .map(|(u, b)| (u.as_str(), b.as_slice()))
            .chain(assets.iter().map(|a| (a.url.as_str(), a.bytes.as_slice())))
        {
            if let Err(e) = write_url(out, url, bytes) {
                diags.push(io(e, url));
            }
        }
        let empty = HashSet::new();
        if let Err(e) = write_url(
            out,
            "/sitemap.xml",
            feeds::sitemap(
                self.site,
                &html_urls
                    .iter()
                    .filter(|u| *u != "/admin/")
                    .cloned()
                    .collect::<Vec<_>>(),
                self.english_pages.get().unwrap_or(&empty),
            )
            .as_bytes(),
        ) {
            diags.push(io(e, "sitemap.xml"));
        }
        if diags.is_empty() {
            Ok(Rendered { html_urls, written })
        } else {
            Err(diags)
        }
    }

    /// The English edition's files besides pages: its search index over
    /// the English pages only, and a feed of notices and of programmes when
    /// there are English ones.
    fn english_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = vec![(
            Lang::En.path("/search/index.json"),
            search::index(self.site, &self.entries, self.tr()),
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
    /// `english_globals`: the English edition's global variables, for the
    /// function's English pages (`forms.json`).
    fn files(
        &self,
        english_globals: Option<serde_json::Map<String, serde_json::Value>>,
    ) -> Vec<(String, Vec<u8>)> {
        let site = self.site;
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
            (
                "/programmes/sessions.ics".to_owned(),
                feeds::all_sessions_ics(site).into_bytes(),
            ),
            (
                "/catalog.json".to_owned(),
                serde_json::to_vec_pretty(&site.catalog)
                    .unwrap_or_else(|_| unreachable!("catalog serialises")),
            ),
        ];
        for p in &site.programmes {
            out.push((
                format!("{}sessions.ics", detail_url(Kind::Programme, &p.head.id)),
                feeds::programme_ics(site, p).into_bytes(),
            ));
        }
        out.push((
            "/forms.json".to_owned(),
            forms::kit(
                self.templates.sources().clone(),
                self.kit_globals.clone(),
                english_globals.unwrap_or_default(),
                self.templates.translations.clone(),
            ),
        ));
        out.extend(opendata::files(site));
        out.push((
            "/search/index.json".to_owned(),
            search::index(site, &self.entries, self.tr()),
        ));
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
