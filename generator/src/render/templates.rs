//! The theme's templates: read once per build (one walk of
//! `themes/<theme>/templates/`) into Tera and, as text, into `forms.json`;
//! the variables every template sees (`site`, `assets`, `build`,
//! `taxonomies`, `sections`, `footer_pages`); rendering with a diagnostic
//! that names the template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::Tera;

use super::assets::AssetMap;
use super::cache::{self, Context};
use super::keys::{self, Key};
use super::pages::Crumb;
use crate::diagnostics::Diagnostic;
use crate::model::{Kind, Taxonomy};
use crate::site::Site;
use crate::t;
use crate::urls::{page_url, term_url};
use sbiz_presentation::i18n::{TableProblem, Translations};

/// The loaded theme.
#[derive(Clone)]
pub(crate) struct Templates {
    tera: Tera,
    /// Every template's source by name, as Tera loaded it (for `forms.json`).
    sources: BTreeMap<String, String>,
    /// The theme's texts per language (`themes/<theme>/i18n/`).
    pub(crate) translations: Translations,
}

/// Loads the theme's templates; a template error is reported at its file.
pub(crate) fn load(theme: &Path, shown_root: &Path) -> Result<Templates, Vec<Diagnostic>> {
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
                t!("cannot read template: {error}", error = e.to_string()),
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
                t!("the theme has no templates"),
            )
            .expected(t!("Tera templates under themes/<theme>/templates/")),
        );
    }
    let i18n = theme.join(sbiz_presentation::i18n::DIR);
    let shown_i18n = shown(shown_root, &i18n);
    let translations = match Translations::load_dir(&i18n, &shown_i18n) {
        Ok(t) => {
            diags.extend(keys::check(&t, &shown_i18n));
            t
        }
        Err(errors) => {
            diags.extend(errors.into_iter().map(table_diagnostic));
            Translations::default()
        }
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let sources: BTreeMap<String, String> = templates.iter().cloned().collect();
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    if let Err(e) = tera.add_raw_templates(templates) {
        return Err(vec![
            Diagnostic::new(
                &shown(shown_root, &dir),
                1,
                1,
                "",
                t!("template error: {error}", error = error_chain(&e)),
            )
            .expected(t!("valid Tera 2 templates")),
        ]);
    }
    Ok(Templates {
        tera,
        sources,
        translations,
    })
}

/// A problem in the theme's translation table, as the editor sees it.
fn table_diagnostic(e: sbiz_presentation::i18n::TableError) -> Diagnostic {
    let d = |field: &str, message| {
        Diagnostic::new(Path::new(&e.file), e.line, e.column, field, message)
    };
    match e.problem {
        TableProblem::Unreadable { error } => d(
            "",
            t!("cannot read the translation file: {error}", error = error),
        ),
        TableProblem::BadName => d("", t!("translation file name without a known language"))
            .expected(t!("`<area>.ko.yaml` or `<area>.en.yaml`")),
        TableProblem::Syntax { message } => d(
            "",
            t!(
                "translation file is not a map of texts: {error}",
                error = message
            ),
        )
        .expected(t!("`key: text` lines")),
        TableProblem::NotText { key } => d(&key, t!("translation is not a single text"))
            .expected(t!("one line of text, or a `|` block")),
        TableProblem::BadKey { key } => d(&key, t!("translation key templates cannot use"))
            .expected(t!(
                "lower-case letters, digits and `_`, starting with a letter"
            )),
        TableProblem::Duplicate { key, first } => d(
            &key,
            t!(
                "translation key defined twice; first in {file}",
                file = first
            ),
        ),
        TableProblem::Missing {
            key,
            lang,
            defined_in,
        } => d(
            &key,
            t!(
                "translation missing for language {lang}; {file} has it",
                lang = lang.code().to_owned(),
                file = defined_in
            ),
        )
        .expected(t!("every key in every language's file")),
    }
}

fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

pub(crate) use sbiz_presentation::error_chain;

#[derive(Serialize)]
struct TaxNav {
    key: &'static str,
    name: String,
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
    name: String,
    url: String,
}

/// The global variables handed to the booking function in `forms.json`.
/// `lang` is the language switch for pages that are not the generator's (the
/// function's answers): their switch leads to the other edition's home; the
/// generator's pages set their own `lang`. `t` is not among them: the kit
/// carries the whole table once (`ThemeKit::translations`), from which the
/// function sets `t` per page.
const GLOBALS: [&str; 8] = [
    "site",
    "assets",
    "build",
    "taxonomies",
    "sections",
    "footer_pages",
    "lang",
    "edition_feeds",
];

impl Templates {
    /// Sets the variables every template sees; returns them as JSON for
    /// `forms.json`, and what every page's fingerprint shares (the theme
    /// and these variables).
    pub(super) fn set_globals(
        &mut self,
        site: &Site,
        assets: &AssetMap,
        lang: sbiz_catalog::Lang,
    ) -> (serde_json::Map<String, serde_json::Value>, cache::Shared) {
        let translations = self.translations.clone();
        let tr = Tr::new(&translations, lang);
        let mut g = Context::new();
        g.insert("site", &site.config);
        g.insert("assets", assets);
        // Links in the shared form templates are site paths on the static
        // pages; the function's built-in pages set the site's origin.
        g.insert("link_base", "");
        g.insert(
            "build",
            &serde_json::json!({ "now": site.now.rfc3339(), "today": site.today().to_string() }),
        );
        let taxonomies: Vec<TaxNav> = site
            .taxonomies
            .iter()
            .map(|(t, terms)| TaxNav {
                key: t.name(),
                name: tr.taxonomy(*t),
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
                name: tr.kind(*k),
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
        g.insert("t", translations.table(lang));
        // The edition's Atom feeds: the Korean ones always, the English
        // ones when there are English notices or programmes.
        let feeds: Vec<serde_json::Value> = [
            (
                keys::FEED_NOTICES,
                "/feeds/notices.xml",
                !site.notices.is_empty(),
            ),
            (
                keys::FEED_PROGRAMMES,
                "/feeds/programmes.xml",
                !site.programmes.is_empty(),
            ),
        ]
        .into_iter()
        .filter(|(.., any)| lang == sbiz_catalog::Lang::Ko || *any)
        .map(|(key, url, _)| serde_json::json!({ "title": tr.s(key), "url": lang.path(url) }))
        .collect();
        g.insert("edition_feeds", &feeds);
        let other = match lang {
            sbiz_catalog::Lang::Ko => sbiz_catalog::Lang::En,
            sbiz_catalog::Lang::En => sbiz_catalog::Lang::Ko,
        };
        // The Korean site's configuration keeps `en:`; the English one is English.
        let edition = lang == sbiz_catalog::Lang::En || site.config.en.is_some();
        g.insert(
            "lang",
            &serde_json::json!({
                "code": lang.code(),
                "other": edition.then(|| serde_json::json!({
                    "code": other.code(),
                    "url": other.path("/"),
                    "same_page": false,
                })),
                "alternates": [],
            }),
        );
        *self.tera.global_context() = g.to_tera();
        let kit = GLOBALS
            .iter()
            .filter_map(|k| Some((k.to_string(), serde_json::to_value(g.get(k)?).ok()?)))
            .collect();
        (kit, cache::Shared::new(&self.sources, &translations, &g))
    }

    /// The template sources, for `forms.json`.
    pub(super) fn sources(&self) -> &BTreeMap<String, String> {
        &self.sources
    }

    /// Renders `template`; an error names the template's file.
    /// Dates in the page's text are kept whole on narrow screens.
    pub(super) fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, &ctx.to_tera())
            .map(|html| sbiz_presentation::finish_page(&html))
            .map_err(|e| {
                Diagnostic::new(
                    Path::new(&format!("themes/default/templates/{template}")),
                    1,
                    1,
                    "",
                    t!("cannot render: {error}", error = error_chain(&e)),
                )
            })
    }
}

/// The theme's texts of one language, for the texts the generator writes
/// into pages (statuses, labels, units). The theme has every [`Key`]:
/// loading it checks that (`keys::check`).
#[derive(Clone, Copy)]
pub(crate) struct Tr<'a> {
    pub(crate) lang: sbiz_catalog::Lang,
    table: &'a BTreeMap<String, String>,
}

impl<'a> Tr<'a> {
    pub(crate) fn new(translations: &'a Translations, lang: sbiz_catalog::Lang) -> Tr<'a> {
        Tr {
            lang,
            table: translations.table(lang),
        }
    }

    /// The text of `key` (the key itself in a table that was not checked).
    pub(crate) fn s(&self, key: Key) -> String {
        self.table
            .get(key.name())
            .cloned()
            .unwrap_or_else(|| key.name().to_owned())
    }

    /// The text of `key` with its `{name}` placeholders filled.
    pub(crate) fn f(&self, key: Key, args: &[(&str, &str)]) -> String {
        let mut out = self.s(key);
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    pub(crate) fn kind(&self, k: Kind) -> String {
        self.s(keys::kind(k))
    }

    pub(crate) fn taxonomy(&self, t: Taxonomy) -> String {
        self.s(keys::taxonomy(t))
    }

    pub(crate) fn status(&self, s: crate::model::Status, kind: Kind) -> String {
        self.s(keys::status(s, kind))
    }

    pub(crate) fn open(&self, kind: Kind) -> String {
        self.status(crate::model::Status::Open, kind)
    }
}

/// A taxonomy as the templates name it (`{ key, name }`).
pub(super) fn taxonomy_value(t: Taxonomy, tr: Tr<'_>) -> serde_json::Value {
    serde_json::json!({ "key": t.name(), "name": tr.taxonomy(t) })
}
