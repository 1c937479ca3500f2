//! The forms on the pages and what the booking function needs to show them
//! again: `forms.json` (every template of the theme and the pages' global
//! variables, see `sbiz_presentation::kit`). The form views come from
//! `sbiz_presentation::forms`, so the static page and the function's answer
//! render the same `forms/form.html` from the same data.

use std::collections::BTreeMap;
use std::path::Path;

use sbiz_presentation::kit::ThemeKit;

/// The theme's templates by name, as Tera loaded them.
pub fn template_sources(theme: &Path) -> BTreeMap<String, String> {
    let dir = theme.join("templates");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect()
}

/// `forms.json`: the theme for the booking function's pages.
pub fn kit(
    templates: BTreeMap<String, String>,
    globals: serde_json::Map<String, serde_json::Value>,
) -> Vec<u8> {
    let kit = ThemeKit::new(templates, globals);
    serde_json::to_vec(&kit).unwrap_or_else(|_| unreachable!("the kit serialises"))
}
