//! Text helpers used by every crate that writes HTML or reports errors.

/// Escapes text for HTML element content and quoted attribute values
/// (`&`, `<`, `>`, `"`, `'`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An error and its sources, joined with `: ` (Tera's errors keep the useful
/// part, the template and line, in their sources).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(escape_html("소공인"), "소공인");
    }

    #[test]
    fn chains_sources() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("outer")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = Outer(std::io::Error::other("inner"));
        assert_eq!(error_chain(&e), "outer: inner");
    }
}

/// Wraps every date written `YYYY-MM-DD` in the text of an HTML page in
/// `<time>` (a calendar date; the theme's CSS keeps it on one line), so that
/// a narrow screen never breaks a date at its hyphens (browsers may break
/// after a hyphen between digits). Digits shaped like a date that is not one
/// (`2026-02-30`) get `<span class="nowrap">` instead, since `<time>` without
/// a `datetime` attribute must hold a valid date. Tags,
/// attributes and the text of `script`, `style`, `title`, `textarea` and
/// `option` (which may not hold elements), and of `time` (already a date), are
/// left as they are.
pub fn keep_dates_whole(html: &str) -> String {
    const RAW: [&str; 6] = ["script", "style", "title", "textarea", "option", "time"];
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 256);
    let mut i = 0;
    let mut copied = 0;
    let mut raw: Option<&str> = None;
    while i < b.len() {
        if b[i] == b'<' {
            // A tag: skip to its end; note when a raw-text element opens or closes.
            let end = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
            let tag = &html[i + 1..end.saturating_sub(1).max(i + 1)];
            let closing = tag.starts_with('/');
            let name = tag_name(html, i);
            match raw {
                Some(r) if closing && name.eq_ignore_ascii_case(r) => raw = None,
                None if !closing => {
                    raw = RAW.iter().copied().find(|r| name.eq_ignore_ascii_case(r));
                }
                _ => {}
            }
            i = end;
            continue;
        }
        if raw.is_none() && is_date_at(b, i) && (i == 0 || !b[i - 1].is_ascii_digit()) {
            out.push_str(&html[copied..i]);
            let valid = is_valid_date(&html[i..i + 10]);
            out.push_str(if valid {
                "<time>"
            } else {
                "<span class=\"nowrap\">"
            });
            out.push_str(&html[i..i + 10]);
            out.push_str(if valid { "</time>" } else { "</span>" });
            i += 10;
            copied = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether `YYYY-MM-DD` (digits checked already) names a day of the
/// proleptic Gregorian calendar, as a `<time>` element's text must.
fn is_valid_date(s: &str) -> bool {
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    y > 0 && (1..=days).contains(&d)
}

fn is_date_at(b: &[u8], i: usize) -> bool {
    let d = |k: usize| b.get(i + k).is_some_and(u8::is_ascii_digit);
    (0..4).all(d)
        && b.get(i + 4) == Some(&b'-')
        && (5..7).all(d)
        && b.get(i + 7) == Some(&b'-')
        && (8..10).all(d)
        && !b.get(i + 10).is_some_and(u8::is_ascii_digit)
}

#[cfg(test)]
mod date_tests {
    use super::keep_dates_whole;

    #[test]
    fn dates_in_text_are_wrapped_elsewhere_untouched() {
        let html = r#"<title>2026-12-05</title><p data-x="2026-12-05">신청 2026-11-20 ~ 2026-12-05</p><script>{"d":"2026-12-05"}</script><option>2026-12-05</option><td>12026-12-055</td><td>2026-02-30 2028-02-29 2027-02-29</td>"#;
        assert_eq!(
            keep_dates_whole(html),
            r#"<title>2026-12-05</title><p data-x="2026-12-05">신청 <time>2026-11-20</time> ~ <time>2026-12-05</time></p><script>{"d":"2026-12-05"}</script><option>2026-12-05</option><td>12026-12-055</td><td><span class="nowrap">2026-02-30</span> <time>2028-02-29</time> <span class="nowrap">2027-02-29</span></td>"#
        );
    }
}

/// Elements around which a run of whitespace is never rendered: their boxes
/// are blocks (or table parts, or not rendered at all) in the theme, so a
/// space at their start or end falls at the start or end of a line, where
/// CSS removes it. Inline elements (`a`, `span`, `label`, `input`, `select`,
/// `button`, `script`, `form`, `summary`, which the theme makes inline in
/// places) are not listed.
const BLOCK_TAGS: [&str; 42] = [
    "html", "head", "body", "meta", "link", "title", "header", "footer", "main", "nav", "section",
    "article", "aside", "div", "p", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption",
    "thead", "tbody", "tfoot", "tr", "th", "td", "fieldset", "legend", "details", "h1", "h2", "h3",
    "h4", "h5", "h6", "address", "br", "hr", "pre",
];

/// The name of the tag that starts at `i` (`<div …>`, `</div>`) as written
/// (compare it with `eq_ignore_ascii_case`), or an empty string. It is
/// borrowed from the page: these passes run over every page of a build.
fn tag_name(html: &str, i: usize) -> &str {
    let rest = html[i + 1..].trim_start_matches('/');
    let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    &rest[..len]
}

/// Whether `name` (lower case) is one of `tags`, whatever the case of `name`.
fn is_one_of(name: &str, tags: &[&str]) -> bool {
    tags.iter().any(|t| name.eq_ignore_ascii_case(t))
}

/// Where the first `</name` (any case) starts at or after `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut i = from;
    while let Some(p) = html[i..].find('<') {
        let at = i + p;
        let n = at + 2;
        if b.get(at + 1) == Some(&b'/')
            && b.get(n..n + name.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Drops the indentation and blank lines of templates from a page without
/// changing what it shows: a run of whitespace that holds a line break
/// becomes one line break, and disappears next to the tag of a block
/// element (see [`BLOCK_TAGS`]), where a browser would not render it. The
/// text of `pre`, `textarea`, `script` and `style` is left whole, and so is
/// whitespace without a line break (the spaces written between words and
/// inline elements).
pub fn compact_whitespace(html: &str) -> String {
    const RAW: [&str; 4] = ["pre", "textarea", "script", "style"];
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    // Whether the last thing copied was the tag of a block element.
    let mut after_block = false;
    while i < b.len() {
        if b[i] == b'<' {
            let end = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
            let name = tag_name(html, i);
            let closing = b.get(i + 1) == Some(&b'/');
            let mut stop = end;
            if !closing && is_one_of(name, &RAW) {
                // Copy the element's text and its end tag as they are.
                stop = find_end_tag(html, end, name)
                    .and_then(|c| html[c..].find('>').map(|e| c + e + 1))
                    .unwrap_or(b.len());
            }
            out.push_str(&html[i..stop]);
            after_block = is_one_of(name, &BLOCK_TAGS);
            i = stop;
            continue;
        }
        if b[i].is_ascii_whitespace() {
            let start = i;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let run = &html[start..i];
            if !run.contains('\n') {
                out.push_str(run);
            } else {
                let before_block =
                    b.get(i) == Some(&b'<') && is_one_of(tag_name(html, i), &BLOCK_TAGS);
                // Kept as one line break at the end of the page and between
                // inline content; dropped at the start and next to blocks.
                if i == b.len() || (start > 0 && !(after_block || before_block)) {
                    out.push('\n');
                }
            }
            after_block = false;
            continue;
        }
        let next = b[i..]
            .iter()
            .position(|&c| c == b'<' || c.is_ascii_whitespace())
            .map_or(b.len(), |e| i + e);
        out.push_str(&html[i..next]);
        after_block = false;
        i = next;
    }
    out
}

/// A rendered page as it is written or sent: dates kept whole
/// ([`keep_dates_whole`]) and the templates' layout whitespace dropped
/// ([`compact_whitespace`]). The static pages and the function's answer pages
/// both go through it, so the same form has the same markup in both.
pub fn finish_page(html: &str) -> String {
    compact_whitespace(&keep_dates_whole(html))
}

#[cfg(test)]
mod compact_tests {
    use super::compact_whitespace;

    #[test]
    fn layout_whitespace_goes_words_and_raw_text_stay() {
        let html = "<!DOCTYPE html>\n<html>\n<body>\n  <ul>\n    <li><a href=\"/\">홈</a>\n    <a href=\"/x\">x</a></li>\n  </ul>\n  <p>대표전화 <a href=\"tel:1\">1</a> · 이메일\n  <strong>굵게</strong></p>\n<pre>  a\n\n  b</pre>\n<textarea>\n  값\n</textarea>\n<script>\n  var a = 1;\n</script>\n</body>\n</html>\n";
        assert_eq!(
            compact_whitespace(html),
            "<!DOCTYPE html><html><body><ul><li><a href=\"/\">홈</a>\n<a href=\"/x\">x</a></li></ul><p>대표전화 <a href=\"tel:1\">1</a> · 이메일\n<strong>굵게</strong></p><pre>  a\n\n  b</pre><textarea>\n  값\n</textarea>\n<script>\n  var a = 1;\n</script></body></html>\n"
        );
    }
}
