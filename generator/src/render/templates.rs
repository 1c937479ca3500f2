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
use super::pages::Crumb;
use crate::diagnostics::Diagnostic;
use crate::model::{Kind, Taxonomy};
use crate::site::Site;
use crate::t;
use crate::urls::{page_url, term_url};

/// The loaded theme.
pub(crate) struct Templates {
    tera: Tera,
    /// Every template's source by name, as Tera loaded it (for `forms.json`).
    sources: BTreeMap<String, String>,
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
    Ok(Templates { tera, sources })
}

fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

pub(crate) use sbiz_presentation::error_chain;

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

/// The global variables, also handed to the booking function in `forms.json`.
const GLOBALS: [&str; 6] = [
    "site",
    "assets",
    "build",
    "taxonomies",
    "sections",
    "footer_pages",
];

impl Templates {
    /// Sets the variables every template sees; returns them as JSON for
    /// `forms.json`, and what every page's fingerprint shares (the theme
    /// and these variables).
    pub(super) fn set_globals(
        &mut self,
        site: &Site,
        assets: &AssetMap,
    ) -> (serde_json::Map<String, serde_json::Value>, cache::Shared) {
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
        *self.tera.global_context() = g.to_tera();
        let kit = GLOBALS
            .iter()
            .filter_map(|k| Some((k.to_string(), serde_json::to_value(g.get(k)?).ok()?)))
            .collect();
        (kit, cache::Shared::new(&self.sources, &g))
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

/// A taxonomy as the templates name it (`{ key, name }`).
pub(super) fn taxonomy_value(t: Taxonomy) -> serde_json::Value {
    serde_json::json!({ "key": t.name(), "name": t.korean() })
}
