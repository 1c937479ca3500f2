//! Markdown to HTML with pulldown-cmark: tables, footnotes, heading anchors.
//!
//! Raw HTML in content is escaped (shown as text), never passed through: the
//! content cannot inject markup or scripts. Links starting with `/` or `#` are
//! collected so the build can prove they resolve.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Heading anchor ids, in document order.
    pub anchors: Vec<String>,
    /// Internal links (`/path/#anchor` or `#anchor`) with their 1-based line in the source.
    pub links: Vec<(String, usize)>,
    /// The text without markup, for search and descriptions.
    pub plain: String,
}

/// Turns heading text into an anchor id: lowercase, letters (Hangul too) and
/// digits kept, spaces to hyphens, other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn line_of(src: &str, byte: usize) -> usize {
    src[..byte.min(src.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Renders `src`. Headings are demoted one level when the document uses
/// `#` headings, since the page title is the only `<h1>`.
pub fn render(src: &str) -> Rendered {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(src, options()).into_offset_iter().collect();
    let has_h1 = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });

    // First pass: heading texts → unique anchors.
    let mut anchors: Vec<String> = Vec::new();
    let mut heading_ids: Vec<String> = Vec::new();
    let mut in_heading: Option<(String, Option<String>)> = None;
    for (e, _) in &events {
        match e {
            Event::Start(Tag::Heading { id, .. }) => {
                in_heading = Some((String::new(), id.as_ref().map(|s| s.to_string())))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((text, _)) = in_heading.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((text, explicit)) = in_heading.take() {
                    let base = explicit.unwrap_or_else(|| slugify(&text));
                    let base = if base.is_empty() {
                        "section".to_owned()
                    } else {
                        base
                    };
                    let mut id = base.clone();
                    let mut n = 1;
                    while anchors.contains(&id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    anchors.push(id.clone());
                    heading_ids.push(id);
                }
            }
            _ => {}
        }
    }

    // Second pass: patch headings, escape raw HTML, collect links and text.
    let mut links = Vec::new();
    let mut plain = String::new();
    let mut next_heading = heading_ids.into_iter();
    let out_events: Vec<Event<'_>> = events
        .into_iter()
        .map(|(e, range)| match e {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = next_heading.next().map(CowStr::from);
                let level = if has_h1 { demote(level) } else { level };
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                Event::End(TagEnd::Heading(if has_h1 { demote(level) } else { level }))
            }
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if (dest_url.starts_with('/') && !dest_url.starts_with("//"))
                    || dest_url.starts_with('#')
                {
                    links.push((dest_url.to_string(), line_of(src, range.start)));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Text(t) => {
                plain.push_str(&t);
                Event::Text(t)
            }
            Event::SoftBreak | Event::HardBreak => {
                plain.push(' ');
                e
            }
            Event::End(TagEnd::Paragraph) => {
                plain.push(' ');
                e
            }
            other => other,
        })
        .collect();
    let mut html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    Rendered {
        html,
        anchors,
        links,
        plain: plain.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_korean_friendly_and_unique() {
        let r = render("## 신청 방법\n\n## 신청 방법\n\n### Q&A: 자주 묻는 질문!\n");
        assert_eq!(r.anchors, ["신청-방법", "신청-방법-1", "qa-자주-묻는-질문"]);
        assert!(r.html.contains(r#"<h2 id="신청-방법">"#));
    }

    #[test]
    fn raw_html_is_escaped() {
        let r = render("안녕 <script>alert(1)</script>\n\n<div onclick=x>블록</div>\n");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<div"));
    }

    #[test]
    fn internal_links_are_collected_with_lines() {
        let r = render(
            "첫 줄\n\n[교육](/programmes/a/) 그리고 [외부](https://example.kr)\n\n[위로](#top)",
        );
        assert_eq!(
            r.links,
            [("/programmes/a/".to_owned(), 3), ("#top".to_owned(), 5)]
        );
    }

    #[test]
    fn h1_is_demoted_and_tables_render() {
        let r = render("# 제목\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n각주[^1]\n\n[^1]: 설명\n");
        assert!(r.html.contains("<h2 id=\"제목\">"));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }
}
