//! The site's theme, for the pages the function answers to browsers.
//!
//! `sbiz build` writes `forms.json` beside `catalog.json`: every template of
//! the theme and the global context of the site's pages (site settings,
//! asset URLs, footer links). With it the function renders its pages (a form
//! shown again with errors, a confirmation, the survey, the admin page) with
//! the same layout and the same form partials as the static pages, so form
//! markup exists once, in `themes/<theme>/templates/forms/`. Without it the
//! function falls back to the plain pages of [`super::html`].

#[cfg(feature = "theme")]
use sbiz_presentation::error_chain;
pub use sbiz_presentation::kit::{ANSWER_TEMPLATE, THEME_KIT_FILE, THEME_KIT_VERSION, ThemeKit};

/// The compiled theme.
pub struct Theme {
    #[cfg(feature = "theme")]
    tera: tera::Tera,
    /// The site's origin for canonical URLs.
    base_url: String,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Theme")
    }
}

impl Theme {
    /// Compiles the templates; an error names the template.
    #[cfg(feature = "theme")]
    pub fn new(kit: ThemeKit) -> Result<Theme, String> {
        if kit.version != THEME_KIT_VERSION {
            return Err(format!(
                "forms.json has format version {}, this function reads {THEME_KIT_VERSION}",
                kit.version
            ));
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.add_raw_templates(kit.templates)
            .map_err(|e| error_chain(&e))?;
        if !tera.contains_template(ANSWER_TEMPLATE) {
            return Err(format!("the theme has no {ANSWER_TEMPLATE}"));
        }
        let base_url = kit
            .globals
            .get("site")
            .and_then(|s| s.get("base_url"))
            .and_then(|b| b.as_str())
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned();
        let g = tera.global_context();
        for (k, v) in kit.globals {
            g.insert(k, &v);
        }
        Ok(Theme { tera, base_url })
    }

    #[cfg(not(feature = "theme"))]
    pub fn new(_kit: ThemeKit) -> Result<Theme, String> {
        Err("this build of the function has no theme support (feature `theme`)".to_owned())
    }

    /// Renders one page: `answer` is what happened (see `forms/answer.html`).
    #[cfg(feature = "theme")]
    pub fn page(
        &self,
        title: &str,
        url: &str,
        answer: &serde_json::Value,
    ) -> Result<String, String> {
        let mut ctx = tera::Context::new();
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": title,
                "description": "",
                "url": url,
                "canonical": format!("{}{}", self.base_url, url),
                "breadcrumbs": [{ "title": "홈", "url": "/" }],
                "section": null,
                "noindex": true,
                "jsonld": null,
            }),
        );
        ctx.insert("answer", answer);
        self.tera
            .render(ANSWER_TEMPLATE, &ctx)
            .map_err(|e| error_chain(&e))
    }

    #[cfg(not(feature = "theme"))]
    pub fn page(&self, _: &str, _: &str, _: &serde_json::Value) -> Result<String, String> {
        let _ = &self.base_url;
        Err("no theme support".to_owned())
    }
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
