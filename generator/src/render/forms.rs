//! The forms on the pages and what the booking function needs to show them
//! again: `forms.json` (every template of the theme and the pages' global
//! variables, see `sbiz_presentation::kit`). The form views come from
//! `sbiz_presentation::forms`, so the static page and the function's answer
//! render the same `forms/form.html` from the same data.

use std::collections::BTreeMap;

use sbiz_presentation::kit::ThemeKit;

/// `forms.json`: the theme for the booking function's pages. `english`:
/// the English edition's globals and the Korean paths of its pages, whose
/// links the function's English pages point at, as the static ones do.
pub(crate) fn kit(
    templates: BTreeMap<String, String>,
    globals: serde_json::Map<String, serde_json::Value>,
    english: Option<(serde_json::Map<String, serde_json::Value>, Vec<String>)>,
    translations: sbiz_presentation::i18n::Translations,
) -> Vec<u8> {
    let (globals_en, english_pages) = english.unwrap_or_default();
    let kit =
        ThemeKit::new(templates, globals, translations).with_english(globals_en, english_pages);
    serde_json::to_vec(&kit).unwrap_or_else(|_| unreachable!("the kit serialises"))
}
