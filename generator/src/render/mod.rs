//! Renders the site into an output folder: HTML pages through Tera, feeds,
//! calendars, open data, sitemap and assets. Every page is an independent job
//! run in parallel; jobs borrow from the `Site` and precomputed entries.

pub mod assets;
pub mod entries;
mod feeds;
mod forms;
mod jsonld;
mod opendata;
mod search;
mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sbiz_catalog::Id;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::site::{Site, Status, detail_url, page_url, term_url};
use entries::{Card, Entry};

#[derive(Serialize, Clone)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// What every page's `<head>`, header and breadcrumb need.
#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: String,
    url: String,
    canonical: String,
    breadcrumbs: Vec<Crumb>,
    section: Option<&'static str>,
    noindex: bool,
    jsonld: Option<String>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    items_total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// A single-dimension filter of a list: by a taxonomy term or by status.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    Term(Taxonomy, Id),
    Status(Status),
}

impl Filter {
    fn path(&self) -> String {
        match self {
            Filter::Term(t, id) => format!("{}/{}/", t.name(), id),
            Filter::Status(s) => format!("status/{}/", s.key()),
        }
    }
}

/// Which taxonomies filter each kind's list.
pub fn filters_for(kind: Kind) -> &'static [Taxonomy] {
    match kind {
        Kind::Facility => &[
            Taxonomy::Industries,
            Taxonomy::Districts,
            Taxonomy::Audiences,
            Taxonomy::Areas,
        ],
        Kind::Equipment => &[Taxonomy::Industries, Taxonomy::Districts],
        Kind::Programme | Kind::Policy => &[
            Taxonomy::Industries,
            Taxonomy::Districts,
            Taxonomy::Audiences,
            Taxonomy::Stages,
            Taxonomy::Areas,
        ],
        Kind::Job => &[Taxonomy::Industries, Taxonomy::Districts],
        Kind::Notice => &[],
    }
}

pub fn has_status(kind: Kind) -> bool {
    matches!(kind, Kind::Programme | Kind::Policy | Kind::Job)
}

pub fn list_url(kind: Kind, filter: Option<&Filter>, page: usize) -> String {
    let base = match filter {
        Some(f) => format!("/{}/{}", kind.section(), f.path()),
        None => format!("/{}/", kind.section()),
    };
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// One output file to produce.
enum Job<'a> {
    Home,
    List {
        kind: Kind,
        filter: Option<Filter>,
        page: usize,
        items: &'a [usize],
        total_pages: usize,
        total: usize,
    },
    Detail(usize),
    Page(&'a Page),
    TaxonomyIndex(Taxonomy),
    Term(Taxonomy, &'a Term),
    NotFound,
    Search,
    /// 예약 조회 (`/reservation/`).
    Reservation,
    /// The staff page (`/admin/`): not indexed, not linked, not in the sitemap.
    Admin,
}

pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    entries: Vec<Entry>,
    /// Entry indices per kind, in display order.
    by_kind: HashMap<Kind, Vec<usize>>,
    /// Entry indices per (kind, filter).
    by_filter: HashMap<(Kind, Filter), Vec<usize>>,
    /// Entry indices per (kind, facility id).
    by_facility: HashMap<(Kind, Id), Vec<usize>>,
    /// For `forms.json`: the theme's template sources and global variables.
    theme_sources: std::collections::BTreeMap<String, String>,
    kit_globals: serde_json::Map<String, serde_json::Value>,
}

/// The file under `out` that serves `url`.
pub fn url_path(out: &Path, url: &str) -> PathBuf {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

/// Writes `bytes` at the file for `url` under `out`.
///
/// The output folder is reused between builds (see `build::build`), so a
/// file that already holds exactly these bytes is left alone: unchanged
/// pages cost a read from the page cache instead of a write to disk.
pub fn write_url(out: &Path, url: &str, bytes: &[u8]) -> std::io::Result<()> {
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

/// Loads the theme's templates; a template error is reported at its file.
pub fn load_templates(theme: &Path, shown_root: &Path) -> Result<Tera, Vec<Diagnostic>> {
    let dir = theme.join("templates");
    let mut templates = Vec::new();
    let mut diags = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => templates.push((name, text)),
            Err(e) => diags.push(Diagnostic::new(
                &shown(shown_root, entry.path()),
                1,
                1,
                "",
                format!("cannot read template: {e}"),
            )),
        }
    }
    if templates.is_empty() {
        diags.push(
            Diagnostic::new(
                &shown(shown_root, &dir),
                1,
                1,
                "",
                "the theme has no templates",
            )
            .expected("Tera templates under themes/<theme>/templates/"),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    if let Err(e) = tera.add_raw_templates(templates) {
        return Err(vec![
            Diagnostic::new(
                &shown(shown_root, &dir),
                1,
                1,
                "",
                format!("template error: {}", error_chain(&e)),
            )
            .expected("valid Tera 2 templates"),
        ]);
    }
    Ok(tera)
}

fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

use sbiz_presentation::error_chain;

#[derive(Serialize)]
struct TaxNav {
    key: &'static str,
    name: &'static str,
    url: String,
    terms: Vec<TermNav>,
}

#[derive(Serialize)]
struct TermNav {
    id: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct SectionNav {
    key: &'static str,
    name: &'static str,
    url: String,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, mut tera: Tera, assets: &assets::AssetMap) -> Renderer<'a> {
        let entries = entries::entries(site);
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
        let g = tera.global_context();
        g.insert("site", &site.config);
        g.insert("assets", assets);
        g.insert(
            "build",
            &serde_json::json!({ "now": site.now.rfc3339(), "today": site.today().to_string() }),
        );
        let taxonomies: Vec<TaxNav> = site
            .taxonomies
            .iter()
            .map(|(t, terms)| TaxNav {
                key: t.name(),
                name: t.korean(),
                url: format!("/{}/", t.name()),
                terms: terms
                    .iter()
                    .map(|term| TermNav {
                        id: term.id.to_string(),
                        name: term.name.clone(),
                        url: term_url(*t, &term.id),
                    })
                    .collect(),
            })
            .collect();
        g.insert("taxonomies", &taxonomies);
        let sections: Vec<SectionNav> = Kind::ALL
            .iter()
            .map(|k| SectionNav {
                key: k.section(),
                name: k.korean(),
                url: format!("/{}/", k.section()),
            })
            .collect();
        g.insert("sections", &sections);
        let footer: Vec<Crumb> = site
            .pages
            .iter()
            .filter(|p| p.footer)
            .map(|p| Crumb {
                title: p.title.clone(),
                url: page_url(&p.head.id),
            })
            .collect();
        g.insert("footer_pages", &footer);
        let kit_globals = [
            "site",
            "assets",
            "build",
            "taxonomies",
            "sections",
            "footer_pages",
        ]
        .iter()
        .filter_map(|k| Some((k.to_string(), serde_json::to_value(g.get(k)?).ok()?)))
        .collect();
        Renderer {
            theme_sources: Default::default(),
            kit_globals,
            site,
            tera,
            entries,
            by_kind,
            by_filter,
            by_facility,
        }
    }

    /// Keeps the theme's template sources for `forms.json`.
    pub fn with_theme_dir(mut self, theme: &Path) -> Self {
        self.theme_sources = forms::template_sources(theme);
        self
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn jobs(&self) -> Vec<Job<'_>> {
        let mut jobs = vec![
            Job::Home,
            Job::NotFound,
            Job::Search,
            Job::Reservation,
            Job::Admin,
        ];
        let per = self.site.config.per_page.max(1) as usize;
        for kind in Kind::ALL {
            let items: &[usize] = self.by_kind.get(&kind).map_or(&[], Vec::as_slice);
            push_lists(&mut jobs, per, kind, None, items);
        }
        let mut filtered: Vec<(&(Kind, Filter), &Vec<usize>)> = self.by_filter.iter().collect();
        filtered.sort_by_key(|((k, f), _)| (*k, format!("{f:?}")));
        for ((kind, filter), items) in filtered {
            push_lists(&mut jobs, per, *kind, Some(filter.clone()), items);
        }
        jobs.extend((0..self.entries.len()).map(Job::Detail));
        jobs.extend(self.site.pages.iter().map(Job::Page));
        for (t, terms) in &self.site.taxonomies {
            jobs.push(Job::TaxonomyIndex(*t));
            jobs.extend(terms.iter().map(|term| Job::Term(*t, term)));
        }
        jobs
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
        jobs.push(Job::List {
            kind,
            filter: filter.clone(),
            page,
            items: slice,
            total_pages,
            total: items.len(),
        });
    }
}

#[derive(Serialize)]
struct FilterOption {
    name: String,
    url: String,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct FilterGroup {
    key: &'static str,
    name: &'static str,
    options: Vec<FilterOption>,
}

#[derive(Serialize)]
struct TermGroup<'b> {
    kind: Kind,
    name: &'static str,
    total: usize,
    more_url: String,
    cards: Vec<&'b Card>,
}

const TERM_GROUP_SIZE: usize = 6;

/// What the render pass produced besides files: the URLs of HTML pages.
pub struct Rendered {
    pub html_urls: Vec<String>,
    /// Every file written, as site URLs (pages, files, assets).
    pub written: Vec<String>,
}

impl<'a> Renderer<'a> {
    fn cards(&self, idx: &[usize]) -> Vec<&Card> {
        idx.iter().map(|i| &self.entries[*i].card).collect()
    }

    fn meta(
        &self,
        title: String,
        description: String,
        url: String,
        breadcrumbs: Vec<Crumb>,
        section: Option<&'static str>,
    ) -> PageMeta {
        PageMeta {
            canonical: format!("{}{}", self.site.config.base_url, url),
            title,
            description,
            url,
            breadcrumbs,
            section,
            noindex: false,
            jsonld: None,
        }
    }

    fn home_crumb() -> Crumb {
        Crumb {
            title: "홈".into(),
            url: "/".into(),
        }
    }

    fn section_crumb(kind: Kind) -> Crumb {
        Crumb {
            title: kind.korean().into(),
            url: format!("/{}/", kind.section()),
        }
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
            Diagnostic::new(
                Path::new(&format!("themes/default/templates/{template}")),
                1,
                1,
                "",
                format!("cannot render: {}", error_chain(&e)),
            )
        })
    }

    fn filter_groups(&self, kind: Kind, current: Option<&Filter>) -> Vec<FilterGroup> {
        let mut groups = Vec::new();
        if has_status(kind) {
            let options = Status::ALL
                .iter()
                .filter_map(|s| {
                    let f = Filter::Status(*s);
                    let count = self.by_filter.get(&(kind, f.clone()))?.len();
                    Some(FilterOption {
                        name: s.korean().into(),
                        url: list_url(kind, Some(&f), 1),
                        count,
                        current: current == Some(&f),
                    })
                })
                .collect();
            groups.push(FilterGroup {
                key: "status",
                name: "진행 상태",
                options,
            });
        }
        for tax in filters_for(kind) {
            let options = self
                .site
                .terms(*tax)
                .iter()
                .filter_map(|t| {
                    let f = Filter::Term(*tax, t.id.clone());
                    let count = self.by_filter.get(&(kind, f.clone()))?.len();
                    Some(FilterOption {
                        name: t.name.clone(),
                        url: list_url(kind, Some(&f), 1),
                        count,
                        current: current == Some(&f),
                    })
                })
                .collect::<Vec<_>>();
            if !options.is_empty() {
                groups.push(FilterGroup {
                    key: tax.name(),
                    name: tax.korean(),
                    options,
                });
            }
        }
        groups
    }

    fn filter_name(&self, f: &Filter) -> String {
        match f {
            Filter::Term(t, id) => self
                .site
                .term(*t, id)
                .map_or_else(|| id.to_string(), |t| t.name.clone()),
            Filter::Status(s) => s.korean().into(),
        }
    }

    fn render_job(&self, job: &Job<'_>) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let mut ctx = Context::new();
        match job {
            Job::Home => {
                let url = "/".to_owned();
                let open: Vec<&Card> = self
                    .by_filter
                    .get(&(Kind::Programme, Filter::Status(Status::Open)))
                    .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(6)]));
                let policies: Vec<&Card> = self
                    .by_filter
                    .get(&(Kind::Policy, Filter::Status(Status::Open)))
                    .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(4)]));
                let notices: Vec<&Card> = self
                    .by_kind
                    .get(&Kind::Notice)
                    .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(5)]));
                let counts: Vec<serde_json::Value> = Kind::ALL
                    .iter()
                    .map(|k| serde_json::json!({ "section": k.section(), "name": k.korean(), "count": self.by_kind.get(k).map_or(0, Vec::len) }))
                    .collect();
                let mut meta = self.meta(
                    site.config.name.clone(),
                    site.config.description.clone(),
                    url.clone(),
                    Vec::new(),
                    None,
                );
                meta.jsonld = Some(jsonld::website(site));
                ctx.insert("page", &meta);
                ctx.insert("open_programmes", &open);
                ctx.insert("open_policies", &policies);
                ctx.insert("notices", &notices);
                ctx.insert("counts", &counts);
                Ok((url, self.render("index.html", &ctx)?))
            }
            Job::NotFound => {
                let mut meta = self.meta(
                    "페이지를 찾을 수 없습니다".into(),
                    String::new(),
                    "/404.html".into(),
                    vec![Self::home_crumb()],
                    None,
                );
                meta.noindex = true;
                ctx.insert("page", &meta);
                Ok(("/404.html".into(), self.render("404.html", &ctx)?))
            }
            Job::Search => {
                let url = "/search/".to_owned();
                let description =
                    "지원시설, 공용장비, 교육, 지원사업, 구인정보, 공지사항을 한 번에 찾습니다."
                        .to_owned();
                ctx.insert(
                    "page",
                    &self.meta(
                        "통합검색".into(),
                        description,
                        url.clone(),
                        vec![Self::home_crumb()],
                        None,
                    ),
                );
                Ok((url, self.render("search.html", &ctx)?))
            }
            Job::List {
                kind,
                filter,
                page,
                items,
                total_pages,
                total,
            } => {
                let url = list_url(*kind, filter.as_ref(), *page);
                let mut crumbs = vec![Self::home_crumb()];
                let mut title = kind.korean().to_owned();
                if let Some(f) = filter {
                    crumbs.push(Self::section_crumb(*kind));
                    title = format!("{} · {}", kind.korean(), self.filter_name(f));
                }
                if *page > 1 {
                    title = format!("{title} ({page}쪽)");
                }
                let pagination = Pagination {
                    current: *page,
                    total: *total_pages,
                    items_total: *total,
                    prev: (*page > 1).then(|| list_url(*kind, filter.as_ref(), page - 1)),
                    next: (*page < *total_pages)
                        .then(|| list_url(*kind, filter.as_ref(), page + 1)),
                    pages: (1..=*total_pages)
                        .map(|n| PageLink {
                            number: n,
                            url: list_url(*kind, filter.as_ref(), n),
                            current: n == *page,
                        })
                        .collect(),
                };
                let description = format!("{} 목록: 모두 {}건", kind.korean(), total);
                ctx.insert(
                    "page",
                    &self.meta(
                        title,
                        description,
                        url.clone(),
                        crumbs,
                        Some(kind.section()),
                    ),
                );
                ctx.insert("kind", kind);
                ctx.insert("kind_name", kind.korean());
                ctx.insert("list_url", &list_url(*kind, None, 1));
                ctx.insert("items", &self.cards(items));
                ctx.insert("pagination", &pagination);
                ctx.insert("filters", &self.filter_groups(*kind, filter.as_ref()));
                ctx.insert("filtered", &filter.is_some());
                Ok((url, self.render("list.html", &ctx)?))
            }
            Job::Detail(i) => self.render_detail(&self.entries[*i], ctx),
            Job::Reservation => {
                let url = "/reservation/".to_owned();
                let meta = self.meta(
                    "예약 조회".into(),
                    "예약번호와 휴대전화 번호로 공용장비 예약을 확인하고 취소합니다.".into(),
                    url.clone(),
                    vec![Self::home_crumb()],
                    None,
                );
                ctx.insert("page", &meta);
                ctx.insert("form", &sbiz_presentation::forms::lookup());
                Ok((url, self.render("forms/reservation-page.html", &ctx)?))
            }
            Job::Admin => {
                let url = "/admin/".to_owned();
                let mut meta = self.meta(
                    "예약·신청 관리".into(),
                    String::new(),
                    url.clone(),
                    Vec::new(),
                    None,
                );
                meta.noindex = true;
                ctx.insert("page", &meta);
                ctx.insert("form", &sbiz_presentation::forms::admin_login());
                Ok((url, self.render("forms/admin-page.html", &ctx)?))
            }
            Job::Page(p) => {
                let url = page_url(&p.head.id);
                let mut meta = self.meta(
                    p.title.clone(),
                    p.summary.clone().unwrap_or_default(),
                    url.clone(),
                    vec![Self::home_crumb()],
                    None,
                );
                meta.jsonld = Some(jsonld::web_page(site, &p.title, &url));
                ctx.insert("page", &meta);
                ctx.insert("body", site.body(&url));
                Ok((url, self.render("page.html", &ctx)?))
            }
            Job::TaxonomyIndex(t) => {
                let url = format!("/{}/", t.name());
                let terms: Vec<FilterOption> = site
                    .terms(*t)
                    .iter()
                    .map(|term| FilterOption {
                        name: term.name.clone(),
                        url: term_url(*t, &term.id),
                        count: Kind::ALL
                            .iter()
                            .map(|k| {
                                self.by_filter
                                    .get(&(*k, Filter::Term(*t, term.id.clone())))
                                    .map_or(0, Vec::len)
                            })
                            .sum(),
                        current: false,
                    })
                    .collect();
                ctx.insert(
                    "page",
                    &self.meta(
                        format!("{}별 찾기", t.korean()),
                        format!(
                            "{}별로 지원시설, 교육, 지원사업, 공용장비, 구인정보를 모아 봅니다.",
                            t.korean()
                        ),
                        url.clone(),
                        vec![Self::home_crumb()],
                        Some(t.name()),
                    ),
                );
                ctx.insert(
                    "taxonomy",
                    &serde_json::json!({ "key": t.name(), "name": t.korean() }),
                );
                ctx.insert("terms", &terms);
                Ok((url, self.render("taxonomy.html", &ctx)?))
            }
            Job::Term(t, term) => {
                let url = term_url(*t, &term.id);
                let groups: Vec<TermGroup<'_>> = Kind::ALL
                    .iter()
                    .filter_map(|k| {
                        let f = Filter::Term(*t, term.id.clone());
                        let idx = self.by_filter.get(&(*k, f.clone()))?;
                        Some(TermGroup {
                            kind: *k,
                            name: k.korean(),
                            total: idx.len(),
                            more_url: list_url(*k, Some(&f), 1),
                            cards: self.cards(&idx[..idx.len().min(TERM_GROUP_SIZE)]),
                        })
                    })
                    .collect();
                let crumbs = vec![
                    Self::home_crumb(),
                    Crumb {
                        title: format!("{}별 찾기", t.korean()),
                        url: format!("/{}/", t.name()),
                    },
                ];
                let description = term.description.clone().unwrap_or_else(|| {
                    format!("{}: 관련 지원 정보를 한곳에 모았습니다.", term.name)
                });
                ctx.insert(
                    "page",
                    &self.meta(
                        term.name.clone(),
                        description,
                        url.clone(),
                        crumbs,
                        Some(t.name()),
                    ),
                );
                ctx.insert(
                    "taxonomy",
                    &serde_json::json!({ "key": t.name(), "name": t.korean() }),
                );
                ctx.insert("term", term);
                ctx.insert("groups", &groups);
                Ok((url, self.render("term.html", &ctx)?))
            }
        }
    }

    fn render_detail(&self, e: &Entry, mut ctx: Context) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let url = e.card.url.clone();
        let crumbs = vec![Self::home_crumb(), Self::section_crumb(e.kind)];
        let mut meta = self.meta(
            e.card.title.clone(),
            e.card.summary.clone(),
            url.clone(),
            crumbs,
            Some(e.kind.section()),
        );
        let template = match e.kind {
            Kind::Facility => {
                let f = &site.facilities[e.pos];
                let related = |kind: Kind| -> Vec<&Card> {
                    self.by_facility
                        .get(&(kind, f.head.id.clone()))
                        .map_or_else(Vec::new, |v| self.cards(v))
                };
                let related = [
                    related(Kind::Equipment),
                    related(Kind::Programme),
                    related(Kind::Notice),
                ];
                meta.jsonld = Some(jsonld::facility(site, f, &url));
                ctx.insert("record", &views::facility(site, f, related));
                "facility.html"
            }
            Kind::Equipment => {
                let r = &site.equipment[e.pos];
                meta.jsonld = Some(jsonld::equipment(site, r, &url));
                ctx.insert("record", &views::equipment(site, r));
                ctx.insert(
                    "form",
                    &sbiz_presentation::forms::reservation(&site.catalog, r.head.id.as_str()),
                );
                "equipment.html"
            }
            Kind::Programme => {
                let r = &site.programmes[e.pos];
                meta.jsonld = Some(jsonld::programme(site, r, &url));
                ctx.insert("record", &views::programme(site, r));
                ctx.insert(
                    "form",
                    &sbiz_presentation::forms::programme(&site.catalog, r.head.id.as_str()),
                );
                "programme.html"
            }
            Kind::Policy => {
                let r = &site.policies[e.pos];
                meta.jsonld = Some(jsonld::policy(site, r, &url));
                ctx.insert("record", &views::policy(site, r));
                ctx.insert("consent", &site.config.consent);
                ctx.insert(
                    "form",
                    &sbiz_presentation::forms::policy(&site.catalog, r.head.id.as_str()),
                );
                "policy.html"
            }
            Kind::Job => {
                let r = &site.jobs[e.pos];
                meta.jsonld = Some(jsonld::job(site, r, &url));
                ctx.insert("record", &views::job(site, r));
                "job.html"
            }
            Kind::Notice => {
                let r = &site.notices[e.pos];
                meta.jsonld = Some(jsonld::notice(site, r, &url));
                ctx.insert("record", &views::notice(site, r));
                "notice.html"
            }
        };
        ctx.insert("page", &meta);
        Ok((url, self.render(template, &ctx)?))
    }

    /// Renders every page and file into `out`.
    /// With `out` of `None`, renders everything without writing (for `check`).
    pub fn render_all(
        &self,
        out: Option<&Path>,
        assets: &[assets::Asset],
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let jobs = self.jobs();
        let io = |e: std::io::Error, what: &str| {
            Diagnostic::new(
                out.unwrap_or(Path::new(".")),
                1,
                1,
                "",
                format!("cannot write {what}: {e}"),
            )
        };
        let write_url = |out: Option<&Path>, url: &str, bytes: &[u8]| match out {
            Some(o) => write_url(o, url, bytes),
            None => Ok(()),
        };
        let results: Vec<Result<String, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let (url, html) = self.render_job(job)?;
                write_url(out, &url, html.as_bytes()).map_err(|e| io(e, &url))?;
                Ok(url)
            })
            .collect();
        let mut diags = Vec::new();
        let mut html_urls = Vec::new();
        for r in results {
            match r {
                Ok(u) => html_urls.push(u),
                Err(d) => {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
        }
        let files = self.files();
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

    /// Non-HTML outputs: feeds, calendars, open data, robots, catalog.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let site = self.site;
        let mut out = vec![
            ("/robots.txt".to_owned(), feeds::robots(site).into_bytes()),
            (
                "/feeds/notices.xml".to_owned(),
                feeds::notices_atom(site).into_bytes(),
            ),
            (
                "/feeds/programmes.xml".to_owned(),
                feeds::programmes_atom(site).into_bytes(),
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
            forms::kit(self.theme_sources.clone(), self.kit_globals.clone()),
        ));
        out.extend(opendata::files(site));
        out.push((
            "/search/index.json".to_owned(),
            search::index(site, &self.entries),
        ));
        out
    }
}
