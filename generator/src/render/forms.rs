//! The forms on the pages and what the booking function needs to show them
//! again: `forms.json` (every template of the theme and the pages' global
//! variables, see `sbiz_presentation::kit`). The form views come from
//! `sbiz_presentation::forms`, so the static page and the function's answer
//! render the same `forms/form.html` from the same data.

use std::collections::BTreeMap;

use sbiz_presentation::kit::ThemeKit;

/// `forms.json`: the theme for the booking function's pages.
pub(crate) fn kit(
    templates: BTreeMap<String, String>,
    globals: serde_json::Map<String, serde_json::Value>,
    globals_en: serde_json::Map<String, serde_json::Value>,
    translations: sbiz_presentation::i18n::Translations,
) -> Vec<u8> {
    let kit = ThemeKit::new(templates, globals, translations).with_english(globals_en);
    serde_json::to_vec(&kit).unwrap_or_else(|_| unreachable!("the kit serialises"))
}
