//! Internal links in Markdown: every link of a published body must point
//! at a page the build writes, and an anchor at a heading (or a section the
//! template adds) on that page; an address must be a site path, an anchor
//! or have a scheme (`relative`). A link to a record that has a file but is
//! not published at the build's time is written as its text, with a
//! warning (`schedule`). The links of content/site.yaml (menu, utility
//! links, open-data files, feeds, `consent.notice`, `form_help`) are
//! checked against the same pages (`site_yaml`). Runs during the site
//! assembly, after the bodies are rendered, so a broken link fails the
//! build before rendering.

mod relative;
mod schedule;
mod site_yaml;

use std::collections::HashMap;

use sbiz_catalog::Lang;

use crate::diagnostics::Diagnostic;
use crate::english::korean_path;
use crate::markdown::Rendered;
use crate::model::{Kind, Taxonomy, Term};
use crate::t;
use crate::urls::term_url;
use crate::yaml::{Origin, Target};

pub(crate) use schedule::{Schedule, Scheduled};

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

/// A rendered body to check: its page's URL, the rendering, where it was
/// written and its Markdown.
pub(crate) struct Body<'a> {
    pub(crate) url: &'a str,
    pub(crate) rendered: &'a Rendered,
    pub(crate) origin: &'a BodyOrigin,
    pub(crate) src: &'a str,
}

/// The anchors a link may name on a page.
enum Anchors {
    /// Its headings (in document order), then what the template adds.
    Known(Vec<String>),
    /// Any: the page's record could not be read (reported already), so
    /// what it holds is not known.
    Any,
}

/// Pages whose records (or taxonomy files) could not be read: links to
/// them are not reported, since what they hold is not known.
pub(crate) struct Unread<'a> {
    /// Their URLs.
    pub(crate) pages: &'a [String],
    /// Sections every page under which is unknown (`/industries/`).
    pub(crate) sections: &'a [String],
}

/// How many anchors a message lists at most.
const LISTED_ANCHORS: usize = 10;

/// What [`check`] found.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) errors: Vec<Diagnostic>,
    /// Links to records that are not published (or leave the site soon).
    pub(crate) warnings: Vec<Diagnostic>,
    /// By body (its position in the bodies checked): the bytes where the
    /// links to write as their text start.
    pub(crate) unlink: Vec<(usize, Vec<usize>)>,
}

/// The broken internal links of the rendered bodies. `unread`: pages whose
/// records could not be read; `scheduled`: the pages of records that are
/// not published at the build's time or leave the site soon, by URL;
/// `root`: the site root, from which a YAML file is read again to find
/// where in a block scalar a broken link was written; `site`: the site's
/// settings and where they were read, whose links are checked too.
pub(crate) fn check(
    bodies: &[Body<'_>],
    taxonomies: &[(Taxonomy, Vec<Term>)],
    english: &[String],
    unread: &Unread<'_>,
    scheduled: &HashMap<String, Scheduled>,
    root: &std::path::Path,
    site: Option<(&crate::model::SiteConfig, &Origin)>,
) -> Checked {
    // Known targets: every page URL and its anchors.
    let mut targets: HashMap<&str, Anchors> = HashMap::new();
    for b in bodies {
        let url = b.url;
        let kind = korean_path(url)
            .split('/')
            .nth(1)
            .and_then(Kind::from_section);
        let mut anchors = b.rendered.anchors.clone();
        anchors.extend(template_anchors(kind).iter().map(|s| s.to_string()));
        targets.insert(url, Anchors::Known(anchors));
    }
    let statics = static_urls(taxonomies);
    for extra in statics.iter().chain(english) {
        targets.entry(extra).or_insert_with(|| {
            Anchors::Known(
                template_anchors(None)
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            )
        });
    }
    for url in unread.pages {
        targets.entry(url).or_insert(Anchors::Any);
    }
    let mut files = HashMap::new();
    let mut out = Checked::default();
    if let Some((config, origin)) = site {
        out.errors.extend(site_yaml::check(
            config, origin, &targets, unread, scheduled,
        ));
    }
    for (i, b) in bodies.iter().enumerate() {
        let mut unlink = Vec::new();
        for (link, offset) in &b.rendered.links {
            let path = link.split(['#', '?']).next().unwrap_or(link);
            if !targets.contains_key(path)
                && unread.sections.iter().any(|s| path.starts_with(s.as_str()))
            {
                continue;
            }
            let at = At {
                body: b,
                link,
                offset: *offset,
                root,
            };
            let page = if path.is_empty() { b.url } else { path };
            // A record off the site (unless a page of the build has its
            // address): the link becomes its text; one leaving soon: a
            // warning ahead.
            if let Some(s) = scheduled.get(page)
                && (!s.schedule.hidden() || !targets.contains_key(page))
            {
                let at = |m| at.diagnostic(m, &mut files);
                out.warnings
                    .push(schedule::warning(at, format!("`{link}`"), s));
                if s.schedule.hidden() {
                    unlink.push(*offset);
                    continue;
                }
            }
            if let Some(d) = check_link(&at, &targets, &mut files) {
                out.errors.push(d);
            }
        }
        let lang = Lang::of_path(b.url);
        for r in &b.rendered.relative {
            let at = At {
                body: b,
                link: &r.dest,
                offset: r.offset,
                root,
            };
            out.errors.push(relative::error(
                |m| at.diagnostic(m, &mut files),
                r,
                lang,
                |p| targets.contains_key(p),
            ));
        }
        if !unlink.is_empty() {
            out.unlink.push((i, unlink));
        }
    }
    crate::diagnostics::sort(&mut out.warnings);
    out
}

/// The warnings for the references of published records that pages show
/// as links (an equipment's required training) to records in `scheduled`;
/// the pages write such a reference as text while its record is not
/// published.
pub(crate) fn reference_warnings<'a>(
    origins: impl IntoIterator<Item = &'a Origin>,
    scheduled: &HashMap<String, Scheduled>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for o in origins {
        for r in o.refs.iter().filter(|r| r.target == Target::Programme) {
            let url = crate::urls::detail_url(Kind::Programme, &r.id);
            if let Some(s) = scheduled.get(&url) {
                let at = |m| o.at_value(&r.field, m);
                out.push(schedule::warning(at, format!("`{}`", r.id), s));
            }
        }
    }
    out
}

/// A link of a body, and where to find the body's file.
struct At<'a> {
    body: &'a Body<'a>,
    link: &'a str,
    offset: usize,
    root: &'a std::path::Path,
}

impl At<'_> {
    /// A diagnostic with `message` at the link's line and column.
    fn diagnostic(
        &self,
        message: crate::i18n::Text,
        files: &mut HashMap<std::path::PathBuf, Option<String>>,
    ) -> Diagnostic {
        let b = self.body;
        let (line, column) = position(b, self.offset, self.root, files);
        Diagnostic::new(&b.origin.origin.path, line, column, b.origin.field, message)
    }
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
    at: &At<'_>,
    targets: &HashMap<&str, Anchors>,
    files: &mut HashMap<std::path::PathBuf, Option<String>>,
) -> Option<Diagnostic> {
    let (b, link) = (at.body, at.link);
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let page = if path.is_empty() { b.url } else { path };
    let u = unresolved(page, anchor, Lang::of_path(b.url), targets)?;
    let d = at
        .diagnostic(u.message, files)
        .found(format!("`{link}`"))
        .expected(u.expected);
    Some(match u.help {
        Some(help) => d.help(help),
        None => d,
    })
}

/// Why an internal link does not resolve among the pages the build makes:
/// the message, what was expected and, when one is likely, what was meant.
struct Unresolved {
    message: crate::i18n::Text,
    expected: crate::i18n::Text,
    help: Option<crate::i18n::Text>,
}

/// A link to `page` (and `#anchor`) written in a page of `lang`: `None`
/// when the page exists and has the anchor (or its anchors are not known).
/// Body links and `site.yaml`'s links share it.
fn unresolved(
    page: &str,
    anchor: Option<&str>,
    lang: Lang,
    targets: &HashMap<&str, Anchors>,
) -> Option<Unresolved> {
    let Some(anchors) = targets.get(page) else {
        // A link to a file (its last segment has an extension, as the open
        // data's `/data/programmes.csv`) is not told to end with a slash.
        let file = page
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
        let (message, expected) = if file {
            (
                t!("internal link to a file the build does not make"),
                t!("the path of a file the build makes, e.g. /data/programmes.csv"),
            )
        } else {
            (
                t!("internal link to a page that does not exist"),
                t!(
                    "a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/"
                ),
            )
        };
        return Some(Unresolved {
            message,
            expected,
            help: suggest_page(page, lang, targets).map(|s| crate::diagnostics::did_you_mean(&s)),
        });
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let Anchors::Known(anchors) = anchors else {
        return None;
    };
    let decoded = percent_decode(anchor);
    if anchors.contains(&decoded) {
        return None;
    }
    Some(Unresolved {
        message: t!("link to a heading that does not exist on that page"),
        expected: t!(
            "one of the anchors of {page}: {anchors}",
            page = page,
            anchors = listed(anchors)
        ),
        help: crate::diagnostics::suggest(&decoded, anchors.iter().map(String::as_str))
            .map(|s| crate::diagnostics::did_you_mean(&format!("#{s}"))),
    })
}

/// The page most likely meant by a link to `page`, which does not exist,
/// from a body in `lang`: the closest page of that language; for a path of
/// the other language (an English body's link to a Korean path), the
/// closest Korean page, at its address in `lang` when it has one.
/// `/pages/<id>/` is the page `/<id>/` when there is one.
fn suggest_page(page: &str, lang: Lang, targets: &HashMap<&str, Anchors>) -> Option<String> {
    let korean = korean_path(page);
    let in_lang = |k: &str| {
        let p = lang.path(k);
        if targets.contains_key(p.as_str()) {
            p
        } else {
            k.to_owned()
        }
    };
    if let Some(id) = korean.strip_prefix("/pages/")
        && targets.contains_key(format!("/{id}").as_str())
    {
        return Some(in_lang(&format!("/{id}")));
    }
    let of = |l: Lang| {
        targets
            .keys()
            .copied()
            .filter(move |k| Lang::of_path(k) == l)
    };
    if let Some(s) = crate::diagnostics::suggest(page, of(lang)) {
        return Some(s.to_owned());
    }
    // An English body's link written with a Korean path: the closest
    // Korean page, at its English address when it has one.
    (Lang::of_path(page) != lang)
        .then(|| crate::diagnostics::suggest(korean, of(Lang::Ko)).map(in_lang))
        .flatten()
}

/// `#a, #b, …`: the first [`LISTED_ANCHORS`] anchors, and how many more.
fn listed(anchors: &[String]) -> crate::i18n::Text {
    let shown: Vec<String> = anchors
        .iter()
        .take(LISTED_ANCHORS)
        .map(|a| format!("#{a}"))
        .collect();
    let shown = shown.join(", ");
    match anchors.len().saturating_sub(LISTED_ANCHORS) {
        0 => shown.into(),
        more => t!("{anchors} and {n} more", anchors = shown, n = more),
    }
}

/// Where the link at byte `offset` of a body was written: in a `.md` body,
/// its line and column; in a YAML field, its own line and column when the
/// field is a block scalar (or a one-line plain scalar), else the field's
/// value. The YAML file is read again (once) for that: only a broken link
/// needs it.
fn position(
    b: &Body<'_>,
    offset: usize,
    root: &std::path::Path,
    files: &mut HashMap<std::path::PathBuf, Option<String>>,
) -> (usize, usize) {
    let origin = &b.origin.origin;
    if b.origin.field.is_empty() {
        let (line, column) = crate::markdown::position_of(b.src, offset);
        return (line + origin.body_line.saturating_sub(1), column);
    }
    let at = origin.locator.value(b.origin.field);
    let text = files.entry(origin.path.clone()).or_insert_with(|| {
        std::fs::read_to_string(root.join(&origin.path))
            .ok()
            .map(crate::load::without_bom)
    });
    text.as_deref()
        .and_then(|text| crate::yaml::block::position(text, 0, at, b.src, offset))
        .map_or((at.line, at.column), |p| (p.line, p.column))
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
