//! Markdown to HTML with pulldown-cmark: tables, footnotes, heading anchors.
//!
//! Raw HTML in content is escaped (shown as text), never passed through: the
//! content cannot inject markup or scripts. Links starting with `/` or `#` are
//! collected so the build can prove they resolve, links and images whose
//! address is relative (`how-to-book`, `www.example.kr`) so that the build
//! refuses them, and every link and image
//! whose scheme is not http, https, mailto or tel (`javascript:`, `data:`,
//! …) is found by [`disallowed_destinations`] so that loading rejects it.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    /// Heading anchor ids, in document order.
    pub(crate) anchors: Vec<String>,
    /// Internal links (`/path/#anchor` or `#anchor`) with the byte of the
    /// source where each starts.
    pub(crate) links: Vec<(String, usize)>,
    /// Links and images whose address has no scheme and starts with
    /// neither `/` nor `#` (`how-to-book`, `www.example.kr`, `//host/`):
    /// a browser reads them against the page's own address.
    pub(crate) relative: Vec<Relative>,
    /// The text without markup, for search and descriptions.
    pub(crate) plain: String,
}

/// A link or image whose address is relative (see [`Rendered::relative`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relative {
    pub(crate) dest: String,
    /// Byte of the source where the link or image starts.
    pub(crate) offset: usize,
    pub(crate) image: bool,
}

/// Whether a destination without a scheme is read against the page's own
/// address: anything but a site path (`/…`, not `//…`) or an anchor.
pub(crate) fn is_relative(dest: &str) -> bool {
    scheme(dest).is_none()
        && !(dest.starts_with('#') || (dest.starts_with('/') && !dest.starts_with("//")))
}

/// Turns heading text into an anchor id: lowercase, letters (Hangul too) and
/// digits kept, spaces to hyphens, other punctuation dropped.
pub(crate) fn slugify(text: &str) -> String {
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
    src.as_bytes()[..byte.min(src.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// 1-based line and column (in characters) of byte `byte` of `src`.
pub(crate) fn position_of(src: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(src.len());
    while !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &src[..byte];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line_of(src, byte), before[line_start..].chars().count() + 1)
}

/// The schemes a link or an image may use. Anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:`, …) is refused: it could run code in the
/// reader's browser or lead somewhere no reader expects.
pub(crate) const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of a link destination as a browser reads it, lowercased;
/// `None` for a reference without one (`/programmes/`, `#top`, `//host/`,
/// `?page=2`, `file.pdf`).
///
/// Browsers (the WHATWG URL standard) strip leading and trailing control
/// characters and spaces and drop tabs and newlines anywhere before reading
/// the scheme, so ` JaVaScript:` and `java\tscript:` are both `javascript`.
/// This goes further and ignores every control character and every kind of
/// white space, so that no spelling a browser might accept slips through.
pub(crate) fn scheme(dest: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in dest.chars() {
        if c.is_control() || c.is_whitespace() {
            continue;
        }
        if c == ':' {
            return (!scheme.is_empty()).then_some(scheme);
        }
        let fits = if scheme.is_empty() {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
        };
        if !fits {
            return None;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    None
}

/// Whether a link or image destination may be published.
pub(crate) fn is_allowed_destination(dest: &str) -> bool {
    scheme(dest).is_none_or(|s| ALLOWED_SCHEMES.contains(&s.as_str()))
}

/// A link or image whose destination has a scheme that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Disallowed {
    /// The destination as the Markdown gives it (references, entities and
    /// escapes resolved).
    pub(crate) dest: String,
    /// The scheme found, lowercased (`javascript`).
    pub(crate) scheme: String,
    /// An image (`![…](…)`) rather than a link.
    pub(crate) image: bool,
    /// 1-based line and column (in characters) where the link starts.
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// Byte of `src` where the link starts.
    pub(crate) offset: usize,
}

/// Every link and image of `src` whose scheme is not in [`ALLOWED_SCHEMES`],
/// in document order. Inline links, reference links and autolinks
/// (`<javascript:…>`) are all seen, after entities (`&#106;avascript:`)
/// and escapes are resolved, exactly as they would be rendered.
pub(crate) fn disallowed_destinations(src: &str) -> Vec<Disallowed> {
    // Every scheme is followed by `:`; most texts have none to check.
    if !src.contains(':') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let (dest, image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        if let Some(scheme) = scheme(dest)
            && !ALLOWED_SCHEMES.contains(&scheme.as_str())
        {
            let (line, column) = position_of(src, range.start);
            out.push(Disallowed {
                dest: dest.to_string(),
                scheme,
                image,
                line,
                column,
                offset: range.start,
            });
        }
    }
    out
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
pub(crate) fn render(src: &str) -> Rendered {
    render_unlinking(src, &[])
}

/// Renders `src` with the links that start at the bytes `unlink` written
/// as their text alone (links to records that are not published).
pub(crate) fn render_unlinking(src: &str, unlink: &[usize]) -> Rendered {
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
    let mut relative = Vec::new();
    let mut plain = String::new();
    let mut next_heading = heading_ids.into_iter();
    // Inside a link written as its text alone: links do not nest, so the
    // next link end is its own.
    let mut unlinked = false;
    let out_events: Vec<Event<'_>> = events
        .into_iter()
        .filter_map(|(e, range)| {
            let e = match e {
                Event::Start(Tag::Link { .. }) if unlink.contains(&range.start) => {
                    unlinked = true;
                    return None;
                }
                Event::End(TagEnd::Link) if unlinked => {
                    unlinked = false;
                    return None;
                }
                e => e,
            };
            Some((e, range))
        })
        .map(|(e, range)| match e {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let id = next_heading.next().map(CowStr::from);
                let level = if has_h1 { demote(level) } else { level };
                // `{#id .class}` is kept; other attributes (`{onclick=…}`)
                // would be written into the page as they are, so never.
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                plain.push(' ');
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
                    links.push((dest_url.to_string(), range.start));
                } else if is_relative(&dest_url) {
                    relative.push(Relative {
                        dest: dest_url.to_string(),
                        offset: range.start,
                        image: false,
                    });
                }
                // Loading refuses these; never write one into a page anyway.
                let dest_url = if is_allowed_destination(&dest_url) {
                    dest_url
                } else {
                    CowStr::Borrowed("#")
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_relative(&dest_url) {
                    relative.push(Relative {
                        dest: dest_url.to_string(),
                        offset: range.start,
                        image: true,
                    });
                }
                let dest_url = if is_allowed_destination(&dest_url) {
                    dest_url
                } else {
                    CowStr::Borrowed("")
                };
                Event::Start(Tag::Image {
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
            Event::Code(t) => {
                plain.push_str(&t);
                Event::Code(t)
            }
            // Block ends and table cells end a word: "시설 휴관일", not
            // "시설휴관일", in descriptions and the search index.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition,
            ) => {
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
        relative,
        plain: plain.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_words_apart_across_cells_items_and_headings() {
        let r = render("## 일정\n\n| 시설 | 휴관일 |\n|---|---|\n| 서울패션 | 12-31 |\n\n- 하나\n- 둘\n\n`코드`와 글").plain;
        assert_eq!(r, "일정 시설 휴관일 서울패션 12-31 하나 둘 코드와 글");
    }

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
    fn internal_links_are_collected_with_positions() {
        let src =
            "첫 줄\n\n[교육](/programmes/a/) 그리고 [외부](https://example.kr)\n\n둘 [위로](#top)";
        let r = render(src);
        let at: Vec<(&str, (usize, usize))> = r
            .links
            .iter()
            .map(|(l, b)| (l.as_str(), position_of(src, *b)))
            .collect();
        assert_eq!(at, [("/programmes/a/", (3, 1)), ("#top", (5, 3))]);
    }

    #[test]
    fn relative_addresses_are_collected_and_site_paths_are_not() {
        let src = "[a](how-to-book) [b](/x/) [c](#y) [d](www.example.kr)\n\n\
                   ![e](photo.png) ![f](/assets/g.png) [h](//example.kr/) [i](https://x.kr)";
        let r = render(src);
        let found: Vec<(&str, bool)> = r
            .relative
            .iter()
            .map(|l| (l.dest.as_str(), l.image))
            .collect();
        assert_eq!(
            found,
            [
                ("how-to-book", false),
                ("www.example.kr", false),
                ("photo.png", true),
                ("//example.kr/", false),
            ]
        );
        assert_eq!(r.links.len(), 2);
    }

    #[test]
    fn unlinked_links_keep_their_text_and_the_others_their_link() {
        let src = "[가](/a/)와 [**나**](/b/#c), [다](/a/)";
        let second = src.find("[**").expect("the second link");
        let r = render_unlinking(src, &[second]);
        assert_eq!(
            r.html,
            "<p><a href=\"/a/\">가</a>와 <strong>나</strong>, <a href=\"/a/\">다</a></p>\n"
        );
        assert_eq!(r.plain, render(src).plain);
    }

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        for (dest, want) in [
            ("javascript:alert(1)", Some("javascript")),
            (" JaVaScript:alert(1)", Some("javascript")),
            ("java\tscript:alert(1)", Some("javascript")),
            ("\u{1}\njava\rscript\u{0}:x", Some("javascript")),
            ("DATA:text/html,x", Some("data")),
            ("vbscript:x", Some("vbscript")),
            ("HTTPS://example.kr/", Some("https")),
            ("mailto:a@b.kr", Some("mailto")),
            ("tel:02-1234-5678", Some("tel")),
            ("web+app:x", Some("web+app")),
            ("/programmes/x/", None),
            ("#신청-방법", None),
            ("//example.kr/", None),
            ("?page=2", None),
            ("guide.pdf", None),
            ("1abc:x", None),
            ("%6Aavascript:x", None),
            ("", None),
            (":", None),
        ] {
            assert_eq!(scheme(dest).as_deref(), want, "{dest:?}");
        }
        assert!(is_allowed_destination("https://example.kr"));
        assert!(is_allowed_destination("Tel:02"));
        assert!(is_allowed_destination("/a:b/"));
        assert!(!is_allowed_destination(" javascript:x"));
        assert!(!is_allowed_destination("data:image/png;base64,AAAA"));
    }

    #[test]
    fn disallowed_links_and_images_are_found_with_positions() {
        let src = "첫 줄 [a](javascript:alert(1)) [b](https://example.kr)\n\n\
                   ![c](data:image/png;base64,AA) <vbscript:x> [d](mailto:a@b.kr)\n\n\
                   [e][r] [f](&#106;avascript:x) [g](/programmes/)\n\n\
                   [r]: JAVASCRIPT:void(0)\n";
        let found: Vec<(String, bool, usize, usize)> = disallowed_destinations(src)
            .into_iter()
            .map(|d| (d.scheme, d.image, d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("javascript".to_owned(), false, 1, 5),
                ("data".to_owned(), true, 3, 1),
                ("vbscript".to_owned(), false, 3, 32),
                ("javascript".to_owned(), false, 5, 1),
                ("javascript".to_owned(), false, 5, 8),
            ]
        );
        assert!(disallowed_destinations("[a](https://x.kr) [b](/x/) [c](#y)").is_empty());
    }

    #[test]
    fn disallowed_destinations_never_reach_the_page() {
        let r = render("[a](javascript:alert(1)) ![b](data:image/svg+xml,x) [c](/x/)");
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(r.html.contains(r#"href="/x/""#), "{}", r.html);
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let r = render("## 제목 {#custom .note onclick=alert(1) style=x}\n");
        assert!(
            r.html.contains(r#"<h2 id="custom" class="note">"#),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains("onclick") && !r.html.contains("style"),
            "{}",
            r.html
        );
    }

    #[test]
    fn h1_is_demoted_and_tables_render() {
        let r = render("# 제목\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n각주[^1]\n\n[^1]: 설명\n");
        assert!(r.html.contains("<h2 id=\"제목\">"));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A link destination made of scheme names, disguises (case,
        /// entities, white space, escapes) and ordinary addresses.
        fn destination() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "javascript",
                "JaVa",
                "java",
                "script",
                "data",
                "vbscript",
                "file",
                ":",
                "&#58;",
                "&#106;",
                "&#9;",
                "&#x0A;",
                " ",
                "\t",
                "\\",
                "%0A",
                "alert(1)",
                "//",
                "x.kr",
                "https",
                "mailto",
                "tel",
                "/p/",
                "#a",
                "값",
                "<",
                ">",
                "(",
                ")",
            ]);
            prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
        }

        /// Markdown made of links, images, autolinks and references to such
        /// destinations, headings with attributes, and text in between.
        fn markdownish() -> impl Strategy<Value = String> {
            let snippet = prop_oneof![
                destination().prop_map(|d| format!("[a]({d})")),
                destination().prop_map(|d| format!("[a](<{d}>)")),
                destination().prop_map(|d| format!("![i]({d})")),
                destination().prop_map(|d| format!("<{d}>")),
                destination().prop_map(|d| format!("[r]\n\n[r]: {d}\n")),
                destination().prop_map(|d| format!("## h {{#x .c onclick={d}}}\n")),
                prop::sample::select(vec!["\n", "\n\n", " ", "텍스트", "[", "]", "(", ")", "\\"])
                    .prop_map(str::to_owned),
            ];
            prop::collection::vec(snippet, 0..12).prop_map(|v| v.concat())
        }

        /// The `href` and `src` values of rendered HTML, entities decoded.
        fn destinations(html: &str) -> Vec<String> {
            let mut out = Vec::new();
            for attr in [" href=\"", " src=\""] {
                for part in html.split(attr).skip(1) {
                    let value = part.split('"').next().unwrap_or_default();
                    out.push(
                        value
                            .replace("&quot;", "\"")
                            .replace("&#39;", "'")
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&amp;", "&"),
                    );
                }
            }
            out
        }

        fn disguised(scheme: &str, upper: &[bool], junk: &[(usize, char)]) -> String {
            let mut s: Vec<char> = scheme
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, u)| if *u { c.to_ascii_uppercase() } else { c })
                .collect();
            for (at, c) in junk {
                s.insert(at % (s.len() + 1), *c);
            }
            s.into_iter().collect::<String>() + ":alert(1)"
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_text_is_checked_and_positions_stay_in_the_text(
                src in prop_oneof![markdownish(), any::<String>()],
            ) {
                let _ = scheme(&src);
                for d in disallowed_destinations(&src) {
                    let line = src.split('\n').nth(d.line - 1);
                    prop_assert!(line.is_some(), "line {} of {src:?}", d.line);
                    let chars = line.map_or(0, |l| l.chars().count());
                    prop_assert!(d.column >= 1 && d.column <= chars + 1, "{d:?} in {src:?}");
                    prop_assert!(!is_allowed_destination(&d.dest));
                }
            }

            #[test]
            fn rendered_pages_only_link_to_allowed_schemes(src in markdownish()) {
                let html = render(&src).html;
                for dest in destinations(&html) {
                    prop_assert!(is_allowed_destination(&dest), "{dest:?} in {html}");
                }
                // Text is escaped, so every `<` opens a tag of the renderer;
                // outside its quoted values are only names.
                for tag in html.split('<').skip(1) {
                    let tag = tag.split('>').next().unwrap_or_default();
                    for names in tag.split('"').step_by(2) {
                        prop_assert!(!names.contains("onclick"), "{html}");
                    }
                }
            }

            #[test]
            fn disguised_schemes_are_recognised(
                bad in prop::sample::select(vec!["javascript", "data", "vbscript", "file"]),
                upper in prop::collection::vec(any::<bool>(), 1..12),
                junk in prop::collection::vec(
                    (any::<usize>(), prop::sample::select(vec![
                        '\t', '\n', '\r', '\0', '\u{1}', '\u{1f}', ' ', '\u{a0}', '\u{3000}',
                    ])),
                    0..4,
                ),
            ) {
                let dest = disguised(bad, &upper, &junk);
                let found = scheme(&dest);
                prop_assert_eq!(found.as_deref(), Some(bad), "{:?}", dest);
                prop_assert!(!is_allowed_destination(&dest));
                let link = format!("[x](<{}>)", dest.replace(['\n', '\r'], ""));
                prop_assert_eq!(disallowed_destinations(&link).len(), 1, "{:?}", link);
            }
        }
    }
}
