//! Internal links in Markdown: every link of a published body must point
//! at a page the build writes, and an anchor at a heading (or a section the
//! template adds) on that page. Runs during the site assembly, after the
//! bodies are rendered, so a broken link fails the build before rendering.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::model::{Kind, Taxonomy, Term};
use crate::t;
use crate::urls::term_url;
use crate::yaml::Origin;

/// Where a rendered body came from, for link errors.
#[derive(Debug, Clone)]
pub(crate) struct BodyOrigin {
    pub(crate) origin: std::sync::Arc<Origin>,
    /// Field holding the Markdown (`description`), or empty for a `.md` body.
    pub(crate) field: &'static str,
}

/// Anchors that templates put on detail pages, by kind.
pub(crate) fn template_anchors(kind: Option<Kind>) -> &'static [&'static str] {
    match kind {
        Some(Kind::Equipment) => &["content", "rules", "booking"],
        Some(Kind::Programme) => &["content", "sessions", "apply"],
        Some(Kind::Policy) => &["content", "apply"],
        _ => &["content"],
    }
}

/// The broken internal links of the rendered bodies (`(url, body, origin)`).
pub(crate) fn check(
    rendered: &[(String, Rendered, BodyOrigin)],
    taxonomies: &[(Taxonomy, Vec<Term>)],
    english: &[String],
) -> Vec<Diagnostic> {
    // Known targets: every page URL and its anchors.
    let mut targets: HashMap<String, HashSet<String>> = HashMap::new();
    for (url, r, _) in rendered {
        let korean = url
            .strip_prefix(sbiz_catalog::Lang::En.prefix())
            .filter(|_| sbiz_catalog::Lang::of_path(url) == sbiz_catalog::Lang::En);
        let kind = korean
            .unwrap_or(url)
            .split('/')
            .nth(1)
            .and_then(Kind::from_section);
        let mut anchors: HashSet<String> = r.anchors.iter().cloned().collect();
        anchors.extend(template_anchors(kind).iter().map(|s| s.to_string()));
        targets.insert(url.clone(), anchors);
    }
    for extra in static_urls(taxonomies)
        .into_iter()
        .chain(english.iter().cloned())
    {
        targets.entry(extra).or_insert_with(|| {
            template_anchors(None)
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
    }
    let mut diags = Vec::new();
    for (url, r, o) in rendered {
        for (link, line) in &r.links {
            if let Some(d) = check_link(url, link, *line, o, &targets) {
                diags.push(d);
            }
        }
    }
    diags
}

/// Generated pages that Markdown may link to besides records.
fn static_urls(taxonomies: &[(Taxonomy, Vec<Term>)]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "/".into(),
        "/search/".into(),
        "/reservation/".into(),
        "/my/".into(),
        "/data/".into(),
    ];
    for k in Kind::ALL {
        v.push(format!("/{}/", k.section()));
    }
    for (t, terms) in taxonomies {
        v.push(format!("/{}/", t.name()));
        for term in terms {
            v.push(term_url(*t, &term.id));
        }
    }
    for f in [
        "sitemap.xml",
        "robots.txt",
        "feeds/notices.xml",
        "feeds/programmes.xml",
        "catalog.json",
    ] {
        v.push(format!("/{f}"));
    }
    for k in Kind::ALL {
        if k != Kind::Notice {
            v.push(format!("/data/{}.json", k.section()));
            v.push(format!("/data/{}.csv", k.section()));
        }
    }
    v
}

fn check_link(
    from: &str,
    link: &str,
    line: usize,
    o: &BodyOrigin,
    targets: &HashMap<String, HashSet<String>>,
) -> Option<Diagnostic> {
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let page = if path.is_empty() { from } else { path };
    // A `.md` body has exact lines; a YAML block scalar points at its field.
    let (line, column) = if o.field.is_empty() {
        (line + o.origin.body_line.saturating_sub(1), 1)
    } else {
        let p = o.origin.locator.value(o.field);
        (p.line, p.column)
    };
    let mk = |msg: crate::i18n::Text, expected: crate::i18n::Text| {
        Diagnostic::new(&o.origin.path, line, column, o.field, msg)
            .found(format!("({link})"))
            .expected(expected)
    };
    let Some(anchors) = targets.get(page) else {
        let mut d = mk(
            t!("internal link to a page that does not exist"),
            t!(
                "a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/"
            ),
        );
        if let Some(s) = crate::diagnostics::suggest(page, targets.keys().map(String::as_str)) {
            d = d.help(crate::diagnostics::did_you_mean(s));
        }
        return Some(d);
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let decoded = percent_decode(anchor);
    if anchors.contains(&decoded) {
        return None;
    }
    let mut d = mk(
        t!("link to a heading that does not exist on that page"),
        t!("one of the anchors of {page}", page = page),
    );
    if let Some(s) = crate::diagnostics::suggest(&decoded, anchors.iter().map(String::as_str)) {
        d = d.help(crate::diagnostics::did_you_mean(&format!("#{s}")));
    }
    Some(d)
}

/// Decodes `%XX` escapes (editors may paste encoded Korean anchors).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        // Bytes, not `&s[..]`: the two after `%` may be part of a character.
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("%EC%8B%A0%EC%B2%AD"), "신청");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%+1"), "%+1");
        // A character right after `%` (this used to panic).
        assert_eq!(percent_decode("%한"), "%한");
        assert_eq!(percent_decode("%a한"), "%a한");
        // Bytes that are not UTF-8 once decoded: the text as written.
        assert_eq!(percent_decode("%FF"), "%FF");
    }
}
