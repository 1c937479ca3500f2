//! The English edition: the site as English readers see it, and the links of
//! its pages.
//!
//! The English edition is the same site rendered a second time, under
//! `/en/`, from a [`Site`] that holds only what was translated: each record
//! with an English version, with its text fields replaced by the English
//! (dates, prices, rules and ids are the Korean record's), and the
//! taxonomy terms with an English name. Its pages are rendered by the same
//! renderer and templates with the English translation table; then
//! [`localize_links`] points every link at the English page when there is
//! one, and marks a link to a page that exists only in Korean with
//! `hreflang="ko"` and "(in Korean)", so an English reader is never dropped
//! on a Korean page unawares and never sees a page mixing the languages.

use std::collections::HashSet;

use sbiz_catalog::Lang;

use crate::model::*;
use crate::site::{Lookup, Site};
use crate::urls::term_url;

/// The generated English pages that Markdown may link to besides records:
/// the home, search, 예약 조회, 내 예약·신청, the lists of kinds with an
/// English record, and the taxonomy pages of terms with an English name.
pub(crate) fn static_urls(
    taxonomies: &[(Taxonomy, Vec<Term>)],
    kinds: &[(Kind, bool)],
) -> Vec<String> {
    let mut v: Vec<String> = ["/", "/search/", "/reservation/", "/my/"]
        .iter()
        .map(|u| Lang::En.path(u))
        .collect();
    for (k, any) in kinds {
        if *any {
            v.push(Lang::En.path(&format!("/{}/", k.section())));
        }
    }
    for (t, terms) in taxonomies {
        if terms.iter().any(|t| t.en.is_some()) {
            v.push(Lang::En.path(&format!("/{}/", t.name())));
        }
        for term in terms.iter().filter(|t| t.en.is_some()) {
            v.push(Lang::En.path(&term_url(*t, &term.id)));
        }
    }
    v
}

impl Site {
    /// The English edition's site, when `site.yaml` has `en:`.
    pub(crate) fn english(&self) -> Option<Site> {
        let config = self.config.english()?;
        let taxonomies = self
            .taxonomies
            .iter()
            .map(|(t, terms)| (*t, english_versions(terms)))
            .collect();
        // The English bodies were rendered at their English URLs; the
        // renderer looks them up at the record's path.
        let bodies = self
            .bodies
            .iter()
            .filter(|(url, _)| Lang::of_path(url) == Lang::En)
            .map(|(url, r)| (korean_path(url).to_owned(), r.clone()))
            .collect();
        let facilities = english_versions(&self.facilities);
        let programmes = english_versions(&self.programmes);
        Some(Site {
            config,
            now: self.now,
            taxonomies,
            lookup: Lookup::new(&facilities, &programmes),
            facilities,
            equipment: english_versions(&self.equipment),
            programmes,
            policies: english_versions(&self.policies),
            jobs: english_versions(&self.jobs),
            notices: english_versions(&self.notices),
            pages: english_versions(&self.pages),
            bodies,
            catalog: self.catalog.clone(),
        })
    }
}

/// The English versions of the records that have one.
fn english_versions<R: Translatable>(records: &[R]) -> Vec<R> {
    records
        .iter()
        .filter_map(|r| r.english().cloned())
        .collect()
}

/// The Korean path of an English one: `/en/facilities/` is `/facilities/`.
pub(crate) fn korean_path(url: &str) -> &str {
    if Lang::of_path(url) == Lang::En {
        match &url[Lang::En.prefix().len()..] {
            "" => "/",
            rest => rest,
        }
    } else {
        url
    }
}

/// Points the links of an English page (rendered with the Korean paths) at
/// the English pages: `href="/facilities/x/"` becomes `/en/facilities/x/`
/// when `english` (the Korean paths of the English pages) has it. A link to
/// a page that exists only in Korean keeps its path and gets
/// `hreflang="ko"` and `in_korean` (" (in Korean)") before `</a>`. Links
/// that already name a language (the language switch), English paths
/// written in Markdown, files (`.csv`, `.xml`) and other sites are left as
/// they are. `<form action>` to a page is pointed the same way.
pub(crate) fn localize_links(html: &str, english: &HashSet<String>, in_korean: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..=end];
        rest = &rest[end + 1..];
        let is_a = tag.starts_with("<a ");
        let is_form = tag.starts_with("<form ");
        if !(is_a || is_form) || tag.contains(" hreflang=") {
            out.push_str(tag);
            continue;
        }
        let attr = if is_a { " href=\"" } else { " action=\"" };
        let Some(at) = tag.find(attr) else {
            out.push_str(tag);
            continue;
        };
        let value_start = at + attr.len();
        let Some(len) = tag[value_start..].find('"') else {
            out.push_str(tag);
            continue;
        };
        let value = &tag[value_start..value_start + len];
        let path = value.split(['#', '?']).next().unwrap_or(value);
        let site_page = value.starts_with('/')
            && !value.starts_with("//")
            && path.ends_with('/')
            && Lang::of_path(path) == Lang::Ko;
        if !site_page {
            out.push_str(tag);
            continue;
        }
        if english.contains(path) {
            out.push_str(&tag[..value_start]);
            out.push_str(&Lang::En.path(value));
            out.push_str(&tag[value_start + len..]);
        } else if is_a {
            let value_end = value_start + len + 1;
            out.push_str(&tag[..value_end]);
            out.push_str(" hreflang=\"ko\"");
            out.push_str(&tag[value_end..]);
            // The link's text ends at the next `</a>` (links do not nest).
            if let Some(close) = rest.find("</a>") {
                out.push_str(&rest[..close]);
                out.push_str("<span class=\"lang-note\"> ");
                out.push_str(in_korean);
                out.push_str("</span>");
                rest = &rest[close..];
            }
        } else {
            out.push_str(tag);
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_english_pages_or_say_they_are_korean() {
        let english: HashSet<String> = ["/", "/facilities/", "/facilities/a/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let html = concat!(
            r#"<a href="/">Home</a> <a class="x" href="/facilities/a/#rules">A</a> "#,
            r#"<a href="/programmes/">Training</a> <a href="/facilities/" hreflang="ko" lang="ko">한국어</a> "#,
            r#"<a href="/en/jobs/">Jobs</a> <a href="/data/facilities.csv">CSV</a> "#,
            r#"<a href="https://example.kr/">x</a><form class="s" action="/facilities/" method="get">"#
        );
        assert_eq!(
            localize_links(html, &english, "(in Korean)"),
            concat!(
                r#"<a href="/en/">Home</a> <a class="x" href="/en/facilities/a/#rules">A</a> "#,
                r#"<a href="/programmes/" hreflang="ko">Training<span class="lang-note"> (in Korean)</span></a> "#,
                r#"<a href="/facilities/" hreflang="ko" lang="ko">한국어</a> "#,
                r#"<a href="/en/jobs/">Jobs</a> <a href="/data/facilities.csv">CSV</a> "#,
                r#"<a href="https://example.kr/">x</a><form class="s" action="/en/facilities/" method="get">"#
            )
        );
    }

    #[test]
    fn english_paths_map_back_to_korean() {
        assert_eq!(korean_path("/en/"), "/");
        assert_eq!(korean_path("/en"), "/");
        assert_eq!(korean_path("/en/jobs/x/"), "/jobs/x/");
        assert_eq!(korean_path("/jobs/"), "/jobs/");
        assert_eq!(korean_path("/entry/"), "/entry/");
    }
}
