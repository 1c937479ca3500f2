//! The links of an English page: every link to a page of the site points
//! at the English page when there is one, and says so when the page exists
//! only in Korean. The generator's English pages and the booking function's
//! English answers (a form shown again, a confirmation, search) go through
//! the same rewrite, so an English reader is never sent to a Korean page
//! unawares.

use std::collections::HashSet;

use sbiz_catalog::Lang;

/// Points the links of an English page (rendered with the Korean paths) at
/// the English pages: `href="/facilities/x/"` becomes `/en/facilities/x/`
/// when `english` (the Korean paths of the English pages) has it. A link to
/// a page that exists only in Korean keeps its path and gets
/// `hreflang="ko"` and `in_korean` (" (in Korean)") before `</a>`. Links
/// that already name a language (the language switch), English paths
/// written in Markdown, files (`.csv`, `.xml`) and other sites are left as
/// they are. `<form action>` to a page is pointed the same way.
pub fn localize_links(html: &str, english: &HashSet<String>, in_korean: &str) -> String {
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
}
