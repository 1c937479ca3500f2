//! One method per kind of HTML page: home, 404, search, 예약 조회, the staff
//! page, lists (with filters and pagination), detail pages, static pages,
//! taxonomy indexes and term pages. Each returns the page's URL, template
//! and context; `mod.rs` renders it when its fingerprint changed.

use sbiz_catalog::Id;
use serde::Serialize;

use super::cache::{Context, Hashed};
use super::entries::{Card, Entry};
use super::keys;
use super::templates::{Tr, taxonomy_value};
use super::{ListPage, Prepared, Renderer, jsonld, views};
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::urls::{Filter, filters_for, has_status, list_url, page_url, term_url};

/// A page's URL, template and context, ready to render.
type Page = Result<Prepared, Diagnostic>;

#[derive(Serialize, Clone)]
pub(crate) struct Crumb {
    pub(crate) title: String,
    pub(crate) url: String,
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
    jsonld: Option<jsonld::JsonLd>,
    /// The breadcrumb's last item when it differs from the title.
    crumb: Option<String>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages are left out before this one (shown as `…`).
    gap: bool,
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
    name: String,
    options: Vec<FilterOption>,
}

#[derive(Serialize)]
struct TermGroup<'b> {
    kind: Kind,
    name: String,
    total: usize,
    more_url: String,
    cards: Vec<Hashed<'b, Card>>,
}

const TERM_GROUP_SIZE: usize = 6;

fn home_crumb(tr: Tr<'_>) -> Crumb {
    Crumb {
        title: tr.s(keys::HOME),
        url: "/".into(),
    }
}

fn section_crumb(tr: Tr<'_>, kind: Kind) -> Crumb {
    Crumb {
        title: tr.kind(kind),
        url: format!("/{}/", kind.section()),
    }
}

/// The page's language for the templates: its code, the link of the
/// language switch, and the `hreflang` alternates when both versions exist.
#[derive(Serialize)]
struct LangView {
    code: &'static str,
    /// `None` when the site has no English edition.
    other: Option<OtherLang>,
    alternates: Vec<Alternate>,
}

#[derive(Serialize)]
struct OtherLang {
    code: &'static str,
    /// This page in the other language, or the other edition's home.
    url: String,
    /// Whether `url` is this page (not the other edition's home).
    same_page: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

impl Renderer<'_> {
    /// The cards of the entries `idx`, hashed into fingerprints by their
    /// memoised digests (each card is serialised for hashing once per build).
    pub(super) fn cards(&self, idx: &[usize]) -> Vec<Hashed<'_, Card>> {
        idx.iter().map(|i| Hashed(&self.entries[*i].card)).collect()
    }

    pub(super) fn tr(&self) -> Tr<'_> {
        Tr::new(&self.templates.translations, self.lang)
    }

    /// Whether the page at the Korean path `url` has an English version.
    fn has_english(&self, url: &str) -> bool {
        self.english_pages
            .get()
            .is_some_and(|set| set.contains(url))
    }

    fn lang_view(&self, url: &str, noindex: bool) -> LangView {
        let base = &self.site.config.base_url;
        let (other, same_page) = match self.lang {
            // Every English page translates a Korean one.
            sbiz_catalog::Lang::En => (sbiz_catalog::Lang::Ko, true),
            sbiz_catalog::Lang::Ko => (sbiz_catalog::Lang::En, self.has_english(url)),
        };
        let alternates = if same_page && !noindex {
            vec![
                Alternate {
                    hreflang: "ko",
                    href: format!("{base}{url}"),
                },
                Alternate {
                    hreflang: "en",
                    href: format!("{base}{}", sbiz_catalog::Lang::En.path(url)),
                },
                Alternate {
                    hreflang: "x-default",
                    href: format!("{base}{url}"),
                },
            ]
        } else {
            Vec::new()
        };
        // The Korean site's configuration keeps `en:`; the English one is English.
        let edition = self.lang == sbiz_catalog::Lang::En || self.site.config.en.is_some();
        LangView {
            code: self.lang.code(),
            other: edition.then(|| OtherLang {
                code: other.code(),
                url: if same_page {
                    other.path(url)
                } else {
                    other.path("/")
                },
                same_page,
            }),
            alternates,
        }
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
            canonical: format!("{}{}", self.site.config.base_url, self.lang.path(&url)),
            title,
            description,
            url,
            breadcrumbs,
            section,
            noindex: false,
            jsonld: None,
            crumb: None,
        }
    }

    /// The page at `url`: `template` with `ctx` and the page's `meta` as
    /// `page` (rendered only when its fingerprint changed, see `cache`).
    fn page(&self, url: String, template: &str, meta: &PageMeta, mut ctx: Context) -> Page {
        ctx.insert("page", meta);
        // `t`, the page language's texts, is a global of this renderer's
        // templates (`Templates::set_globals`), covered by every fingerprint.
        ctx.insert("lang", &self.lang_view(&url, meta.noindex));
        Ok(Prepared {
            url,
            template: template.to_owned(),
            ctx,
        })
    }

    pub(super) fn home(&self) -> Page {
        let site = self.site;
        let url = "/".to_owned();
        let open: Vec<Hashed<'_, Card>> = self
            .by_filter
            .get(&(Kind::Programme, Filter::Status(Status::Open)))
            .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(6)]));
        let policies: Vec<Hashed<'_, Card>> = self
            .by_filter
            .get(&(Kind::Policy, Filter::Status(Status::Open)))
            .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(4)]));
        let notices: Vec<Hashed<'_, Card>> = self
            .by_kind
            .get(&Kind::Notice)
            .map_or_else(Vec::new, |v| self.cards(&v[..v.len().min(5)]));
        let counts: Vec<serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| serde_json::json!({ "section": k.section(), "name": self.tr().kind(*k), "count": self.by_kind.get(k).map_or(0, Vec::len) }))
            .collect();
        let mut meta = self.meta(
            site.config.name.clone(),
            site.config.description.clone(),
            url.clone(),
            Vec::new(),
            None,
        );
        meta.jsonld = Some(jsonld::website(site));
        let mut ctx = Context::new();
        ctx.insert("open_programmes", &open);
        ctx.insert("open_policies", &policies);
        ctx.insert("notices", &notices);
        ctx.insert("counts", &counts);
        self.page(url, "index.html", &meta, ctx)
    }

    pub(super) fn not_found(&self) -> Page {
        let mut meta = self.meta(
            self.tr().s(keys::NOT_FOUND_TITLE),
            String::new(),
            "/404.html".into(),
            vec![home_crumb(self.tr())],
            None,
        );
        meta.noindex = true;
        let mut ctx = Context::new();
        // One "page not found" answers every missing address on a host that
        // cannot choose it by path (CloudFront's error page): the Korean one
        // says it in English too, with the English edition's home.
        if self.lang == sbiz_catalog::Lang::Ko && self.site.config.en.is_some() {
            let en = Tr::new(&self.templates.translations, sbiz_catalog::Lang::En);
            ctx.insert(
                "in_english",
                &serde_json::json!({
                    "title": en.s(keys::NOT_FOUND_TITLE),
                    "text": en.s(keys::NOT_FOUND_TEXT),
                    "home": en.s(keys::NOT_FOUND_HOME),
                    "url": sbiz_catalog::Lang::En.path("/"),
                }),
            );
        }
        self.page("/404.html".into(), "404.html", &meta, ctx)
    }

    pub(super) fn search(&self) -> Page {
        let url = "/search/".to_owned();
        let description = self.tr().s(keys::SEARCH_DESCRIPTION);
        let meta = self.meta(
            self.tr().s(keys::SEARCH_TITLE),
            description,
            url.clone(),
            vec![home_crumb(self.tr())],
            None,
        );
        let mut ctx = Context::new();
        ctx.insert("search", &super::search::form(self.site, self.tr()));
        self.page(url, "search.html", &meta, ctx)
    }

    /// 예약 조회 (`/reservation/`).
    pub(super) fn reservation(&self) -> Page {
        let url = "/reservation/".to_owned();
        let meta = self.meta(
            self.tr().s(keys::RESERVATION_TITLE),
            self.tr().s(keys::RESERVATION_DESCRIPTION),
            url.clone(),
            vec![home_crumb(self.tr())],
            None,
        );
        let mut ctx = Context::new();
        ctx.insert("form", &sbiz_presentation::forms::lookup(self.lang));
        self.page(url, "forms/reservation-page.html", &meta, ctx)
    }

    /// 열린 데이터·새 소식 구독 (`/data/`): the open data files and feeds of
    /// `site.yaml`, which the footer links to once.
    pub(super) fn open_data(&self) -> Page {
        let url = "/data/".to_owned();
        let meta = self.meta(
            self.tr().s(keys::DATA_TITLE),
            self.tr().s(keys::DATA_DESCRIPTION),
            url.clone(),
            vec![home_crumb(self.tr())],
            None,
        );
        self.page(url, "data.html", &meta, Context::new())
    }

    /// 내 예약·신청 (`/my/`): the phone number form. The code form and the
    /// list are the booking function's pages (`/api/my`), which know
    /// whether this deployment sends 문자. The page already knows whether
    /// the site offers 문자 at all (`messaging:`, which `sbiz serve` sets
    /// to the channels it is configured with) and has the 인증번호 template:
    /// without them it says so at once and shows no form (`sms` false).
    pub(super) fn my(&self) -> Page {
        let url = "/my/".to_owned();
        let meta = self.meta(
            self.tr().s(keys::MY_TITLE),
            self.tr().s(keys::MY_DESCRIPTION),
            url.clone(),
            vec![home_crumb(self.tr())],
            None,
        );
        let catalog = &self.site.catalog;
        let sms = catalog
            .messages
            .channels
            .contains(&sbiz_catalog::Channel::Sms)
            && catalog
                .messages
                .template(sbiz_catalog::MessageEvent::OneTimeCode)
                .is_some();
        let mut ctx = Context::new();
        ctx.insert("form", &sbiz_presentation::forms::my_phone(self.lang));
        ctx.insert("sms", &sms);
        self.page(url, "forms/my-page.html", &meta, ctx)
    }

    /// The staff page (`/admin/`): not indexed, not linked, not in the sitemap.
    pub(super) fn admin(&self) -> Page {
        let url = "/admin/".to_owned();
        let mut meta = self.meta(
            "예약·신청 관리".into(),
            String::new(),
            url.clone(),
            Vec::new(),
            None,
        );
        meta.noindex = true;
        let mut ctx = Context::new();
        ctx.insert("form", &sbiz_presentation::forms::admin_login());
        self.page(url, "forms/admin-page.html", &meta, ctx)
    }

    /// One page of a kind's list, filtered or not.
    pub(super) fn list(&self, l: &ListPage<'_>) -> Page {
        let (kind, filter, page) = (l.kind, l.filter.as_ref(), l.page);
        let url = list_url(kind, filter, page);
        let tr = self.tr();
        let mut crumbs = vec![home_crumb(tr)];
        let mut title = tr.kind(kind);
        if let Some(f) = filter {
            crumbs.push(section_crumb(tr, kind));
            title = format!("{} · {}", tr.kind(kind), self.filter_name(kind, f));
        }
        if page > 1 {
            title = tr.f(
                keys::TITLE_PAGE,
                &[("title", &title), ("page", &page.to_string())],
            );
        }
        let pagination = Pagination {
            current: page,
            total: l.total_pages,
            items_total: l.total,
            prev: (page > 1).then(|| list_url(kind, filter, page - 1)),
            next: (page < l.total_pages).then(|| list_url(kind, filter, page + 1)),
            pages: page_window(page, l.total_pages)
                .into_iter()
                .map(|(n, gap)| PageLink {
                    number: n,
                    url: list_url(kind, filter, n),
                    current: n == page,
                    gap,
                })
                .collect(),
        };
        let description = tr.f(
            keys::LIST_DESCRIPTION,
            &[("kind", &tr.kind(kind)), ("n", &l.total.to_string())],
        );
        let meta = self.meta(
            title,
            description,
            url.clone(),
            crumbs,
            Some(kind.section()),
        );
        let mut ctx = Context::new();
        ctx.insert("kind", &kind);
        ctx.insert("kind_name", &tr.kind(kind));
        // English lists say how many records are only in Korean.
        if filter.is_none() {
            let korean = self.korean_counts.get(&kind).copied().unwrap_or(0);
            let more = korean.saturating_sub(l.total);
            if more > 0 {
                ctx.insert(
                    "korean_more",
                    &serde_json::json!({
                        "text": tr.f(keys::korean_more(kind), &[("n", &more.to_string())]),
                        "url": list_url(kind, None, 1),
                    }),
                );
            }
        }
        ctx.insert("list_url", &list_url(kind, None, 1));
        ctx.insert("items", &self.cards(l.items));
        ctx.insert("pagination", &pagination);
        // The filters once per list, on its first page; later pages link
        // there (they would repeat the same links on every page).
        if page == 1 {
            ctx.insert("filters", &self.filter_groups(kind, filter));
        } else {
            ctx.insert("filters", &Vec::<FilterGroup>::new());
            if has_status(kind) || !filters_for(kind).is_empty() {
                ctx.insert("filters_url", &list_url(kind, filter, 1));
            }
        }
        ctx.insert("filtered", &filter.is_some());
        self.page(url, "list.html", &meta, ctx)
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
                        name: self.tr().status(*s, kind),
                        url: list_url(kind, Some(&f), 1),
                        count,
                        current: current == Some(&f),
                    })
                })
                .collect();
            groups.push(FilterGroup {
                key: "status",
                name: self.tr().s(keys::FILTER_STATUS),
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
                    name: self.tr().taxonomy(*tax),
                    options,
                });
            }
        }
        groups
    }

    fn filter_name(&self, kind: Kind, f: &Filter) -> String {
        match f {
            Filter::Term(t, id) => self
                .site
                .term(*t, id)
                .map_or_else(|| id.to_string(), |t| t.name.clone()),
            Filter::Status(s) => self.tr().status(*s, kind),
        }
    }

    /// A static page from `content/pages/`.
    pub(super) fn static_page(&self, p: &crate::model::Page) -> Page {
        let url = page_url(&p.head.id);
        let meta = self.meta(
            p.title.clone(),
            p.summary.clone().unwrap_or_default(),
            url.clone(),
            vec![home_crumb(self.tr())],
            None,
        );
        let mut ctx = Context::new();
        ctx.insert("body", self.site.body(&url));
        self.page(url, "page.html", &meta, ctx)
    }

    /// A taxonomy's index (`/industries/`): its terms with their counts.
    pub(super) fn taxonomy_index(&self, t: Taxonomy) -> Page {
        let url = format!("/{}/", t.name());
        let terms: Vec<FilterOption> = self
            .site
            .terms(t)
            .iter()
            .map(|term| FilterOption {
                name: term.name.clone(),
                url: term_url(t, &term.id),
                count: Kind::ALL
                    .iter()
                    .map(|k| {
                        self.by_filter
                            .get(&(*k, Filter::Term(t, term.id.clone())))
                            .map_or(0, Vec::len)
                    })
                    .sum(),
                current: false,
            })
            .collect();
        let tr = self.tr();
        let meta = self.meta(
            tr.f(keys::TAXONOMY_TITLE, &[("taxonomy", &tr.taxonomy(t))]),
            tr.f(keys::TAXONOMY_DESCRIPTION, &[("taxonomy", &tr.taxonomy(t))]),
            url.clone(),
            vec![home_crumb(self.tr())],
            Some(t.name()),
        );
        let mut ctx = Context::new();
        ctx.insert("taxonomy", &taxonomy_value(t, self.tr()));
        ctx.insert("terms", &terms);
        self.page(url, "taxonomy.html", &meta, ctx)
    }

    /// A term's page (`/industries/apparel/`): a few records of each kind.
    pub(super) fn term(&self, t: Taxonomy, term: &Term) -> Page {
        let url = term_url(t, &term.id);
        let groups: Vec<TermGroup<'_>> = Kind::ALL
            .iter()
            .filter_map(|k| {
                let f = Filter::Term(t, term.id.clone());
                let idx = self.by_filter.get(&(*k, f.clone()))?;
                Some(TermGroup {
                    kind: *k,
                    name: self.tr().kind(*k),
                    total: idx.len(),
                    more_url: list_url(*k, Some(&f), 1),
                    cards: self.cards(&idx[..idx.len().min(TERM_GROUP_SIZE)]),
                })
            })
            .collect();
        let tr = self.tr();
        let crumbs = vec![
            home_crumb(tr),
            Crumb {
                title: tr.f(keys::TAXONOMY_TITLE, &[("taxonomy", &tr.taxonomy(t))]),
                url: format!("/{}/", t.name()),
            },
        ];
        let description = term
            .description
            .clone()
            .unwrap_or_else(|| tr.f(keys::TERM_DESCRIPTION, &[("term", &term.name)]));
        let meta = self.meta(
            term.name.clone(),
            description,
            url.clone(),
            crumbs,
            Some(t.name()),
        );
        let mut ctx = Context::new();
        ctx.insert("taxonomy", &taxonomy_value(t, self.tr()));
        ctx.insert("term", term);
        // No page is a dead end: one with nothing of its own links to the
        // lists, and a district's to what is open to every district.
        if groups.is_empty() {
            ctx.insert("lists", &self.kind_lists());
        }
        if t == Taxonomy::Districts {
            ctx.insert("citywide", &self.citywide_policies());
            ctx.insert("districts", &self.districts_with_facilities(term));
        }
        ctx.insert("groups", &groups);
        self.page(url, "term.html", &meta, ctx)
    }

    /// A record's detail page, with its form where it has one.
    pub(super) fn detail(&self, e: &Entry) -> Page {
        let site = self.site;
        let url = e.card.url.clone();
        let tr = self.tr();
        let crumbs = vec![home_crumb(tr), section_crumb(tr, e.kind)];
        let mut meta = self.meta(
            e.card.title.clone(),
            e.card.summary.clone(),
            url.clone(),
            crumbs,
            Some(e.kind.section()),
        );
        let mut ctx = Context::new();
        let template = match e.kind {
            Kind::Facility => {
                let f = &site.facilities[e.pos];
                let related = [
                    self.related(Kind::Equipment, &f.head.id),
                    self.related(Kind::Programme, &f.head.id),
                    self.related(Kind::Notice, &f.head.id),
                ];
                meta.jsonld = Some(jsonld::facility(site, f, &url));
                ctx.insert("record", &views::facility(tr, site, f, related));
                "facility.html"
            }
            Kind::Equipment => {
                let r = &site.equipment[e.pos];
                ctx.insert("record", &views::equipment(tr, site, r));
                ctx.insert(
                    "form",
                    &site.catalog_equipment(&r.head.id).map(|eq| {
                        sbiz_presentation::forms::reservation_for(
                            &site.catalog,
                            eq,
                            site.today(),
                            self.lang,
                        )
                    }),
                );
                "equipment.html"
            }
            Kind::Programme => {
                let r = &site.programmes[e.pos];
                meta.jsonld = Some(jsonld::programme(site, r, &url));
                ctx.insert("record", &views::programme(tr, site, r));
                // Past its application period (which only moves on) a
                // programme says so instead of showing a form. Before the
                // period the form stays (for getting ready, and because the
                // page may not be rebuilt on the opening day), under a notice
                // of when applications open, which site.js hides from then.
                let status = site.programme_status(r);
                if status == crate::model::Status::Closed {
                    ctx.insert("closed", &true);
                } else {
                    ctx.insert("upcoming", &(status == crate::model::Status::Upcoming));
                    ctx.insert(
                        "form",
                        &site.catalog_programme(&r.head.id).map(|p| {
                            sbiz_presentation::forms::programme_for(&site.catalog, p, self.lang)
                        }),
                    );
                }
                "programme.html"
            }
            Kind::Policy => {
                let r = &site.policies[e.pos];
                ctx.insert("record", &views::policy(tr, site, r));
                ctx.insert("consent", &site.config.consent);
                let status = site.policy_status(r);
                if status == crate::model::Status::Closed {
                    ctx.insert("closed", &true);
                } else {
                    ctx.insert("upcoming", &(status == crate::model::Status::Upcoming));
                    ctx.insert(
                        "form",
                        &site.catalog_policy(&r.head.id).and_then(|p| {
                            sbiz_presentation::forms::policy_for(&site.catalog, p, self.lang)
                        }),
                    );
                }
                "policy.html"
            }
            Kind::Job => {
                let r = &site.jobs[e.pos];
                meta.jsonld = Some(jsonld::job(site, r, &url));
                ctx.insert("record", &views::job(tr, site, r));
                // A posting past its deadline shows that it is closed, not a
                // form; before its `posted` day the form stays under a notice
                // of when applications open, as a programme's does.
                let status = site.job_status(r);
                if status != crate::model::Status::Closed {
                    ctx.insert("upcoming", &(status == crate::model::Status::Upcoming));
                    ctx.insert(
                        "form",
                        &site.catalog_job(&r.head.id).and_then(|j| {
                            sbiz_presentation::forms::job_for(&site.catalog, j, self.lang)
                        }),
                    );
                }
                "job.html"
            }
            Kind::Notice => {
                let r = &site.notices[e.pos];
                meta.jsonld = Some(jsonld::notice(site, r, &url));
                ctx.insert("record", &views::notice(site, r));
                "notice.html"
            }
        };
        self.page(url, template, &meta, ctx)
    }

    /// The cards of a facility's records of `kind`.
    fn related(&self, kind: Kind, facility: &Id) -> Vec<Hashed<'_, Card>> {
        self.by_facility
            .get(&(kind, facility.clone()))
            .map_or_else(Vec::new, |v| self.cards(v))
    }
}

/// The page numbers a list links to: the first and last pages and two on
/// each side of the current one, each with whether pages are left out just
/// before it (a gap of one page shows that page instead).
fn page_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut shown: Vec<usize> = (1..=total)
        .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
        .collect();
    // Fill gaps of a single page.
    let mut i = 1;
    while i < shown.len() {
        if shown[i] - shown[i - 1] == 2 {
            shown.insert(i, shown[i - 1] + 1);
        }
        i += 1;
    }
    let mut prev = 0;
    shown
        .into_iter()
        .map(|n| {
            let gap = n > prev + 1 && prev > 0;
            prev = n;
            (n, gap)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pagination_shows_the_ends_and_the_pages_near_the_current_one() {
        let numbers = |c, t| {
            page_window(c, t)
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>()
        };
        assert_eq!(numbers(1, 1), [1]);
        assert_eq!(numbers(3, 7), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(numbers(72, 209), [1, 70, 71, 72, 73, 74, 209]);
        assert_eq!(numbers(1, 209), [1, 2, 3, 209]);
        assert_eq!(numbers(5, 209), [1, 2, 3, 4, 5, 6, 7, 209]);
        let gaps: Vec<usize> = page_window(72, 209)
            .into_iter()
            .filter(|(_, g)| *g)
            .map(|(n, _)| n)
            .collect();
        assert_eq!(gaps, [70, 209]);
    }
}
