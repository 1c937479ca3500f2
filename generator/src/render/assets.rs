//! Theme assets: copied with content-hashed names so they can be cached for a
//! year; every reference (templates via the `assets` map, CSS `url()`s) points
//! at the hashed name.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diagnostics::Diagnostic;
use crate::t;

/// Logical name (`css/site.css`) → public URL (`/assets/css/site.3f2a9c1b7e.css`).
pub(crate) type AssetMap = BTreeMap<String, String>;

pub(crate) struct Asset {
    pub(crate) url: String,
    pub(crate) bytes: Vec<u8>,
}

fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = hex::encode(&Sha256::digest(bytes)[..5]);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

/// Rewrites relative `url(...)` references in a stylesheet to hashed URLs.
fn rewrite_css(css: &str, css_name: &str, map: &AssetMap) -> String {
    let dir = css_name.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let raw = rest[..end].trim().trim_matches(['"', '\'']);
        let resolved = resolve(dir, raw);
        match resolved.and_then(|r| map.get(&r)) {
            Some(url) => out.push_str(&format!("\"{url}\"")),
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn resolve(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with("data:")
        || rel.starts_with('/')
        || rel.contains("://")
        || rel.starts_with('#')
    {
        return None;
    }
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for p in rel.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Reads `static_dir`, hashing every file; stylesheets last so their
/// references can be rewritten.
pub(crate) fn collect(
    static_dir: &Path,
    shown: &Path,
) -> Result<(AssetMap, Vec<Asset>), Diagnostic> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(static_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Diagnostic::new(
                    shown,
                    1,
                    1,
                    "",
                    t!("cannot read theme assets: {error}", error = e.to_string()),
                )
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(static_dir)
                .unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::new(
                    &shown.join(&name),
                    1,
                    1,
                    "",
                    t!("cannot read: {error}", error = e.to_string()),
                )
            })?;
            files.push((name, bytes));
        }
    }
    let mut map = AssetMap::new();
    let mut out = Vec::new();
    let (css, other): (Vec<_>, Vec<_>) = files.into_iter().partition(|(n, _)| n.ends_with(".css"));
    for (name, bytes) in other {
        let url = format!("/assets/{}", hashed_name(&name, &bytes));
        map.insert(name, url.clone());
        out.push(Asset { url, bytes });
    }
    for (name, bytes) in css {
        let text = String::from_utf8_lossy(&bytes);
        let bytes = rewrite_css(&text, &name, &map).into_bytes();
        let url = format!("/assets/{}", hashed_name(&name, &bytes));
        map.insert(name, url.clone());
        out.push(Asset { url, bytes });
    }
    Ok((map, out))
}

/// The calendar's texts in each language of the theme's translation table,
/// as one small script per language (`js/forms-texts.ko.js`, …) that sets
/// `window.sbizFormTexts` (`form_js_calendar_title` is `calendar-title`):
/// written once and cached, instead of as attributes on every equipment
/// page (about 1 KB each). A job's own texts (`form_js_job_…`) stay on its
/// page. A theme without `form_js_` texts gets no script.
pub(crate) fn add_form_texts(
    translations: &sbiz_presentation::i18n::Translations,
    map: &mut AssetMap,
    out: &mut Vec<Asset>,
) {
    for lang in [sbiz_catalog::Lang::Ko, sbiz_catalog::Lang::En] {
        let texts: BTreeMap<String, &str> = translations
            .table(lang)
            .iter()
            .filter_map(|(key, text)| {
                let name = key.strip_prefix("form_js_")?;
                (!name.starts_with("job_")).then(|| (name.replace('_', "-"), text.as_str()))
            })
            .collect();
        if texts.is_empty() {
            continue;
        }
        let json = serde_json::to_string(&texts).unwrap_or_else(|_| "{}".to_owned());
        let bytes = format!("window.sbizFormTexts={json};\n").into_bytes();
        let name = format!("js/forms-texts.{}.js", lang.code());
        let url = format!("/assets/{}", hashed_name(&name, &bytes));
        map.insert(name, url.clone());
        out.push(Asset { url, bytes });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_references_follow_hashes() {
        let mut map = AssetMap::new();
        map.insert("fonts/a.woff2".into(), "/assets/fonts/a.123.woff2".into());
        let css =
            "@font-face{src:url('../fonts/a.woff2')} .x{background:url(data:image/png;base64,AA)}";
        let out = rewrite_css(css, "css/site.css", &map);
        assert!(out.contains("url(\"/assets/fonts/a.123.woff2\")"), "{out}");
        assert!(out.contains("url(data:image/png;base64,AA)"));
        assert_eq!(
            hashed_name("css/site.css", b"x").len(),
            "css/site.".len() + 10 + 4
        );
    }
}
