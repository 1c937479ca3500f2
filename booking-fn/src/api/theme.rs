//! The theme of the pages the function answers to browsers.
//!
//! `sbiz build` writes `forms.json` beside `catalog.json`
//! ([`sbiz_presentation::kit`]): every template of the site's theme and the
//! global context of its pages. With it the function renders its pages (a
//! form shown again with errors, a confirmation, the survey, the admin page)
//! in the site's layout with the same form templates as the static pages.
//! Its English pages point their links at the English pages, as the static
//! English pages do (`sbiz_presentation::links`).
//! Without it the function renders the same form templates of the default
//! theme, compiled into the binary, inside a small built-in layout (as
//! mdBook embeds its default theme): there is no second, hand-written HTML.

use std::collections::HashSet;
use std::sync::OnceLock;

use sbiz_catalog::{Date, Lang};
use sbiz_presentation::error_chain;
use sbiz_presentation::i18n::Translations;
pub use sbiz_presentation::kit::{ANSWER_TEMPLATE, THEME_KIT_FILE, THEME_KIT_VERSION, ThemeKit};
use serde::Serialize;

use super::answer::PageMeta;

/// The key of "(in Korean)" in the theme's English table, after a link to a
/// page that exists only in Korean.
const IN_KOREAN: &str = "in_korean";

/// The default theme's templates of the function's pages, and the built-in
/// layout they extend when no `forms.json` is loaded.
const BUILT_IN: [(&str, &str); 7] = [
    ("base.html", include_str!("fallback-base.html")),
    (
        "forms/answer.html",
        include_str!("../../../themes/default/templates/forms/answer.html"),
    ),
    (
        "forms/form.html",
        include_str!("../../../themes/default/templates/forms/form.html"),
    ),
    (
        "forms/search.html",
        include_str!("../../../themes/default/templates/forms/search.html"),
    ),
    (
        "forms/times-form.html",
        include_str!("../../../themes/default/templates/forms/times-form.html"),
    ),
    (
        "forms/report.html",
        include_str!("../../../themes/default/templates/forms/report.html"),
    ),
    (
        "forms/macros.html",
        include_str!("../../../themes/default/templates/forms/macros.html"),
    ),
];

/// The default theme's translation table of the function's pages, compiled
/// in with its templates: (file as shown, file name, text).
const BUILT_IN_I18N: [(&str, &str, &str); 2] = [
    (
        "themes/default/i18n/forms.ko.yaml",
        "forms.ko.yaml",
        include_str!("../../../themes/default/i18n/forms.ko.yaml"),
    ),
    (
        "themes/default/i18n/forms.en.yaml",
        "forms.en.yaml",
        include_str!("../../../themes/default/i18n/forms.en.yaml"),
    ),
];

/// The site's name in the built-in pages' layout, in Korean and in
/// English (the sample site's `name` and `en.name`): without `forms.json`
/// the function knows no other.
const BUILT_IN_SITE_NAME: &str = "서울 소공인 지원 포털";
const BUILT_IN_SITE_NAME_EN: &str = "Seoul Small Manufacturers Support Portal";

/// The global variables of the built-in pages of one language: the site's
/// `name` in it, no base URL and no assets.
fn built_in_globals(name: &str) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::json!({
        "site": { "name": name, "base_url": "" },
        "assets": { "css/forms.css": "", "js/forms.js": "", "js/search.js": "" },
    }) {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// Texts of the English pages' `t` that the function itself writes, not
/// the theme: each is also in the English messages, so it has one
/// spelling, the function's. `form_closure_note` labels a note staff typed
/// in Korean (a closure's, after its English kind and reason), marked
/// `lang="ko"` on the page; Korean pages never show it.
const FUNCTION_TEXTS_EN: [(&str, &str); 1] =
    [("form_closure_note", crate::service::STAFF_NOTE_LABEL_EN)];

/// The compiled theme.
pub struct Theme {
    tera: tera::Tera,
    /// The global variables of the Korean and of the English pages.
    globals: serde_json::Map<String, serde_json::Value>,
    globals_en: serde_json::Map<String, serde_json::Value>,
    /// The Korean paths of the pages that have an English version (see
    /// [`ThemeKit::english_pages`]).
    english_pages: HashSet<String>,
    /// The texts of the templates (`t`), per language.
    translations: Translations,
    /// The site's origin for canonical URLs.
    base_url: String,
    /// Whether links to the site's pages must be absolute: the built-in
    /// pages may be served from another host than the site.
    built_in: bool,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Theme")
    }
}

impl Theme {
    /// Compiles the templates of a `forms.json`; an error names the template.
    pub fn new(kit: ThemeKit) -> Result<Theme, String> {
        if kit.version != THEME_KIT_VERSION {
            return Err(format!(
                "forms.json has format version {}, this function reads {THEME_KIT_VERSION}",
                kit.version
            ));
        }
        let globals_en = kit.globals(Lang::En).clone();
        let mut theme = Theme::compile(
            kit.templates,
            kit.globals,
            globals_en,
            kit.translations,
            false,
        )?;
        theme.english_pages = kit.english_pages.into_iter().collect();
        Ok(theme)
    }

    /// The built-in pages: the default theme's form templates in a small
    /// layout. Compiled once; a template error is a bug caught by the tests.
    pub fn built_in() -> Result<&'static Theme, String> {
        static BUILT: OnceLock<Result<Theme, String>> = OnceLock::new();
        BUILT
            .get_or_init(|| {
                let templates = BUILT_IN
                    .iter()
                    .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
                    .collect();
                let translations = Translations::from_sources(BUILT_IN_I18N)
                    .map_err(|e| format!("the built-in translation table is not valid: {e:?}"))?;
                Theme::compile(
                    templates,
                    built_in_globals(BUILT_IN_SITE_NAME),
                    built_in_globals(BUILT_IN_SITE_NAME_EN),
                    translations,
                    true,
                )
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn compile(
        templates: std::collections::BTreeMap<String, String>,
        globals: serde_json::Map<String, serde_json::Value>,
        globals_en: serde_json::Map<String, serde_json::Value>,
        mut translations: Translations,
        built_in: bool,
    ) -> Result<Theme, String> {
        for (key, text) in FUNCTION_TEXTS_EN {
            translations.en.insert(key.to_owned(), text.to_owned());
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.add_raw_templates(templates)
            .map_err(|e| error_chain(&e))?;
        if !tera.contains_template(ANSWER_TEMPLATE) {
            return Err(format!("the theme has no {ANSWER_TEMPLATE}"));
        }
        let base_url = globals
            .get("site")
            .and_then(|s| s.get("base_url"))
            .and_then(|b| b.as_str())
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned();
        Ok(Theme {
            tera,
            globals,
            globals_en,
            english_pages: HashSet::new(),
            translations,
            base_url,
            built_in,
        })
    }

    /// The site's 대표전화: the operator's phone in the layout's globals
    /// (`site.operator.phone`, from `site.yaml`); `None` for the built-in
    /// pages, which know no site.
    pub fn site_phone(&self) -> Option<String> {
        self.globals
            .get("site")
            .and_then(|s| s.get("operator"))
            .and_then(|o| o.get("phone"))
            .and_then(|p| p.as_str())
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
    }

    /// Renders one page in `env.lang`: `answer` is what happened (see
    /// `forms/answer.html`); `env.site` is the site's origin, for the
    /// built-in pages' links. The page gets the layout's globals of its
    /// language, `t` (the theme's texts in that language), `lang`,
    /// `lang_prefix` and `example_date` (for hints: `env.example_date`, a
    /// week after the app's today).
    pub(crate) fn page(
        &self,
        meta: &PageMeta,
        url: &str,
        answer: &impl Serialize,
        env: &PageEnv<'_>,
    ) -> Result<String, String> {
        let PageEnv {
            site,
            lang,
            example_date,
        } = *env;
        let base = if self.built_in { site } else { &self.base_url };
        let mut ctx = tera::Context::new();
        let globals = match lang {
            Lang::En => &self.globals_en,
            Lang::Ko => &self.globals,
        };
        for (k, v) in globals {
            ctx.insert(k.clone(), v);
        }
        ctx.insert("t", self.translations.table(lang));
        // `lang` as the site's layout reads it (`lang.code`, the switch to
        // the other edition, no alternates): the kit's globals carry it for
        // each edition; the built-in layout and kits without it get the code.
        if !globals.contains_key("lang") {
            ctx.insert(
                "lang",
                &serde_json::json!({ "code": lang.code(), "other": null, "alternates": [] }),
            );
        }
        ctx.insert("lang_prefix", lang.prefix());
        // The date a hint gives as an example (a week after the app's
        // today: never a fixed day in the past), as the date errors do.
        ctx.insert("example_date", &example_date.to_string());
        let home = Crumb {
            title: match lang {
                Lang::Ko => "홈",
                Lang::En => "Home",
            },
            url: lang.path("/"),
        };
        let parent = meta.parent.map(|(title, url)| Crumb {
            title,
            url: url.to_owned(),
        });
        ctx.insert(
            "page",
            &PageContext {
                title: &meta.title,
                description: "",
                url,
                canonical: format!("{base}{url}"),
                breadcrumbs: std::iter::once(home).chain(parent).collect(),
                section: None,
                noindex: true,
                jsonld: None,
                crumb: meta.crumb.as_deref(),
            },
        );
        ctx.insert("answer", answer);
        ctx.insert("link_base", if self.built_in { site } else { "" });
        let html = self
            .tera
            .render(ANSWER_TEMPLATE, &ctx)
            .map_err(|e| error_chain(&e))?;
        Ok(self.localize(html, lang))
    }

    /// An English page of the site's layout with its links pointed at the
    /// English pages (the layout's menu, footer and utility links are the
    /// Korean paths, as on the static pages before their rewrite). The
    /// built-in pages' links are absolute: nothing to point.
    fn localize(&self, html: String, lang: Lang) -> String {
        if lang != Lang::En || self.built_in {
            return html;
        }
        let in_korean = self
            .translations
            .get(Lang::En, IN_KOREAN)
            .unwrap_or("(in Korean)");
        sbiz_presentation::links::localize_links(&html, &self.english_pages, in_korean)
    }
}

/// Where, in which language and on which day an answer's page is shown.
#[derive(Debug, Clone, Copy)]
pub struct PageEnv<'a> {
    /// The site's origin, for the built-in pages' links.
    pub site: &'a str,
    pub lang: Lang,
    /// The date hints give as an example: a week after the app's today
    /// (its clock, fixed in tests and demos; `Now::example_date`).
    pub example_date: Date,
}

/// The `page` variable of the site's templates, for an answer's page.
#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    canonical: String,
    /// 홈, then the page's parent when it has one (the admin page for the
    /// staff pages below it).
    breadcrumbs: Vec<Crumb>,
    section: Option<&'a str>,
    noindex: bool,
    jsonld: Option<&'a str>,
    /// The breadcrumb's last item when it differs from the title.
    crumb: Option<&'a str>,
}

#[derive(Serialize)]
struct Crumb {
    title: &'static str,
    url: String,
}

/// Reads `forms.json` beside the catalog; `Ok(None)` when there is none.
pub fn load(catalog_path: &std::path::Path) -> Result<Option<Theme>, String> {
    let path = catalog_path.with_file_name(THEME_KIT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let kit: ThemeKit =
        serde_json::from_str(&text).map_err(|e| format!("{} is not valid: {e}", path.display()))?;
    Theme::new(kit)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads an edition's search index (`search/index.json` beside the catalog,
/// `en/search/index.json` for English, as `sbiz build` writes them) for
/// `GET /api/search`; `Ok(None)` when there is none.
pub fn load_search_index(
    catalog_path: &std::path::Path,
    lang: Lang,
) -> Result<Option<sbiz_presentation::search::Index>, String> {
    let path = catalog_path
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."))
        .join(lang.prefix().trim_start_matches('/'))
        .join(sbiz_presentation::search::INDEX_PATH);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{} is not valid: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.form_…` a citizen's template uses is in both languages'
    /// tables, and the built-in tables load.
    #[test]
    fn the_templates_texts_exist_in_both_languages() {
        let t = Translations::from_sources(BUILT_IN_I18N).expect("valid tables");
        let templates = [
            include_str!("../../../themes/default/templates/forms/answer.html"),
            include_str!("../../../themes/default/templates/forms/form.html"),
            include_str!("../../../themes/default/templates/forms/macros.html"),
            include_str!("../../../themes/default/templates/forms/search.html"),
            include_str!("../../../themes/default/templates/forms/times-form.html"),
            include_str!("../../../themes/default/templates/forms/reservation-page.html"),
            include_str!("../../../themes/default/templates/forms/my-page.html"),
        ];
        let mut used = Vec::new();
        for text in templates {
            for (i, _) in text.match_indices("t.form_") {
                let key: String = text[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                used.push(key);
            }
        }
        // The keys built from a record's kind (`t["form_cancel_open_" ~ what]`).
        for family in [
            "form_cancel_open_",
            "form_cancel_ask_",
            "form_cancel_again_",
            "form_cancel_yes_",
            "form_cancel_ask_my_",
            "form_record_",
        ] {
            for what in ["reservation", "job", "application"] {
                used.push(format!("{family}{what}"));
            }
        }
        // The reasons a day of the free times page cannot be booked.
        for state in ["holiday", "closed", "too_soon", "too_far"] {
            used.push(format!("form_times_state_{state}"));
        }
        assert!(used.len() > 50, "{used:?}");
        let function = |key: &str| FUNCTION_TEXTS_EN.iter().any(|(k, _)| *k == key);
        for key in used {
            if function(&key) {
                // The function's own: not in the theme's tables.
                assert!(t.get(Lang::En, &key).is_none(), "{key} is the function's");
                continue;
            }
            for lang in Lang::ALL {
                assert!(t.get(lang, &key).is_some(), "{key} missing in {lang}");
            }
        }
        let built = Theme::built_in().expect("the built-in pages compile");
        for (key, text) in FUNCTION_TEXTS_EN {
            assert_eq!(built.translations.get(Lang::En, key), Some(text));
        }
    }

    /// An English page of the site's layout links to the English pages
    /// (`ThemeKit::english_pages`) and marks the Korean-only ones, as the
    /// static English pages do; a Korean page keeps its links.
    #[test]
    fn english_pages_link_to_the_english_pages() {
        let templates = [(
            ANSWER_TEMPLATE.to_owned(),
            concat!(
                r#"<a class="site-id" href="/">{{ site.name }}</a> <a href="/my/">My</a> "#,
                r#"<a href="/data/">Data</a> <a href="/api/search">Search</a>"#
            )
            .to_owned(),
        )]
        .into();
        let site = |name: &str| match serde_json::json!({ "site": { "name": name } }) {
            serde_json::Value::Object(m) => m,
            _ => unreachable!("an object"),
        };
        let translations = Translations::from_sources(BUILT_IN_I18N).expect("valid tables");
        let kit = ThemeKit::new(templates, site("포털"), translations)
            .with_english(site("Portal"), vec!["/my/".into(), "/".into()]);
        let theme = Theme::new(kit).expect("the theme compiles");
        let env = |lang| PageEnv {
            site: "",
            lang,
            example_date: Date::new(2026, 12, 5).expect("date"),
        };
        let meta = PageMeta {
            title: "t".into(),
            crumb: None,
            parent: None,
            url: "/".into(),
        };
        let page = |lang| {
            theme
                .page(&meta, "/", &serde_json::json!({}), &env(lang))
                .expect("a page")
        };
        assert_eq!(
            page(Lang::En),
            concat!(
                r#"<a class="site-id" href="/en/">Portal</a> <a href="/en/my/">My</a> "#,
                r#"<a href="/data/" hreflang="ko">Data<span class="lang-note"> (in Korean)</span></a> "#,
                r#"<a href="/api/search">Search</a>"#
            )
        );
        assert_eq!(
            page(Lang::Ko),
            concat!(
                r#"<a class="site-id" href="/">포털</a> <a href="/my/">My</a> "#,
                r#"<a href="/data/">Data</a> <a href="/api/search">Search</a>"#
            )
        );
    }

    #[test]
    fn built_in_pages_compile_with_their_tables() {
        assert!(Theme::built_in().is_ok());
    }
}
