//! `forms.json`: the site's theme for the pages the booking function answers
//! to browsers.
//!
//! `sbiz build` writes it beside `catalog.json`: every template of the theme
//! and the global context of the site's pages (site settings, asset URLs,
//! footer links). With it the function renders its pages (a form shown again
//! with errors, a confirmation, the survey, the admin page) with the same
//! layout and the same form partials as the static pages, so form markup
//! exists once, in `themes/<theme>/templates/forms/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Format version of `forms.json`.
pub const THEME_KIT_VERSION: u32 = 2;
/// The file name beside `catalog.json`.
pub const THEME_KIT_FILE: &str = "forms.json";
/// The page template the function renders (it extends the theme's layout).
pub const ANSWER_TEMPLATE: &str = "forms/answer.html";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThemeKit {
    pub version: u32,
    /// Every template of the theme by name (`base.html`, `forms/form.html`, …).
    pub templates: BTreeMap<String, String>,
    /// The global variables of the site's templates (`site`, `assets`, …).
    pub globals: serde_json::Map<String, serde_json::Value>,
    /// The global variables of the English edition's pages (the same names
    /// as `globals`); empty when the site has no English edition.
    #[serde(default)]
    pub globals_en: serde_json::Map<String, serde_json::Value>,
    /// The Korean paths of the pages that have an English version (`/`,
    /// `/facilities/`, …): the function points the links of its English
    /// pages at these (`crate::links::localize_links`), as the generator
    /// does on the static English pages. Empty without an English edition.
    #[serde(default)]
    pub english_pages: Vec<String>,
    /// The theme's texts per language (`themes/<theme>/i18n/`).
    pub translations: crate::i18n::Translations,
}

impl ThemeKit {
    /// A kit of the current format.
    pub fn new(
        templates: BTreeMap<String, String>,
        globals: serde_json::Map<String, serde_json::Value>,
        translations: crate::i18n::Translations,
    ) -> ThemeKit {
        ThemeKit {
            version: THEME_KIT_VERSION,
            templates,
            globals,
            globals_en: serde_json::Map::new(),
            english_pages: Vec::new(),
            translations,
        }
    }

    /// The kit with the English edition's globals and the Korean paths of
    /// its pages (sorted, so that the file is the same from build to build).
    pub fn with_english(
        mut self,
        globals_en: serde_json::Map<String, serde_json::Value>,
        mut english_pages: Vec<String>,
    ) -> Self {
        english_pages.sort_unstable();
        self.globals_en = globals_en;
        self.english_pages = english_pages;
        self
    }

    /// The globals of a language's pages.
    pub fn globals(&self, lang: sbiz_catalog::Lang) -> &serde_json::Map<String, serde_json::Value> {
        match lang {
            sbiz_catalog::Lang::En if !self.globals_en.is_empty() => &self.globals_en,
            _ => &self.globals,
        }
    }
}
