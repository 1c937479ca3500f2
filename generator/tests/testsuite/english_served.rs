//! The English edition as `sbiz serve` answers it: the booking function's
//! English pages (here its search without JavaScript, `/api/search?lang=en`)
//! link to the English pages as the static English pages do, and a missing
//! page under `/en/` gets the English "page not found".

use crate::english::english_fixture;
use crate::support::{SHORT, get_with, serve_site_in_process};

/// A browser's GET (the function answers pages to browsers, JSON else).
fn browse(port: u16, path: &str) -> crate::support::Answer {
    get_with(port, path, "Accept: text/html\r\n").expect("an answer")
}

/// The `href` of every link (`<a …>`) of `html`, with whether it is marked
/// as leading to a Korean page (`hreflang="ko"`).
fn links(html: &str) -> Vec<(String, bool)> {
    html.match_indices("<a ")
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>')?];
            let href = tag.split_once(" href=\"")?.1.split_once('"')?.0;
            Some((href.to_owned(), tag.contains(" hreflang=\"ko\"")))
        })
        .collect()
}

#[test]
fn the_function_s_english_pages_link_to_the_english_pages() {
    let server = serve_site_in_process(english_fixture(), false, SHORT);
    let page = browse(server.port, "/api/search?lang=en&q=wax");
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.body;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    let links = links(&html);
    let has = |href: &str| links.iter().any(|(h, _)| h == href);
    // The logo, the utility links, the menu and the footer: the English
    // pages where they exist.
    for href in [
        "/en/",
        "/en/my/",
        "/en/reservation/",
        "/en/facilities/",
        "/en/guide/",
    ] {
        assert!(has(href), "no link to {href}: {links:?}");
    }
    // Every other link to a page of the site says it leads to Korean.
    for (href, korean) in &links {
        let path = href.split(['?', '#']).next().unwrap_or(href);
        let site_page = path.starts_with('/') && path.ends_with('/') && !path.starts_with("/en/");
        assert!(
            !site_page || *korean,
            "{href} leads to a Korean page unmarked: {links:?}"
        );
    }
    assert!(
        links.contains(&("/programmes/".to_owned(), true)),
        "{links:?}"
    );
    assert!(html.contains("(in Korean)"), "{html}");
    // The title and the breadcrumb are English too.
    assert!(html.contains("<title>"), "{html}");
    assert!(!html.contains("통합검색"), "{html}");
    assert!(
        html.contains("<span aria-current=\"page\">Search</span>"),
        "{html}"
    );
    // The Korean search is as it was.
    let korean = browse(server.port, "/api/search?q=wax");
    assert!(
        korean
            .body
            .contains("<span aria-current=\"page\">통합검색</span>")
    );
    assert!(
        links_of(&korean.body).contains(&"/my/".to_owned()),
        "{}",
        korean.body
    );
}

fn links_of(html: &str) -> Vec<String> {
    links(html).into_iter().map(|(h, _)| h).collect()
}

#[test]
fn a_missing_page_says_so_in_its_edition_s_language() {
    let server = serve_site_in_process(english_fixture(), false, SHORT);
    // Under /en/: the English "page not found".
    let english = browse(server.port, "/en/no-such-page/");
    assert_eq!(english.status, 404);
    assert!(
        english.body.contains("<html lang=\"en\">"),
        "{}",
        english.body
    );
    assert!(
        english.body.contains("<h1>Page not found</h1>"),
        "{}",
        english.body
    );
    // Elsewhere: the Korean one, which says it in English too, with the
    // English home (CloudFront answers every missing page with it).
    let korean = browse(server.port, "/no-such-page/");
    assert_eq!(korean.status, 404);
    assert!(
        korean.body.contains("<html lang=\"ko\">"),
        "{}",
        korean.body
    );
    assert!(
        korean.body.contains("<h1>페이지를 찾을 수 없습니다</h1>"),
        "{}",
        korean.body
    );
    let part = korean
        .body
        .split_once("<section class=\"not-found-other\" lang=\"en\"")
        .map(|(_, rest)| rest.split_once("</section>").map_or(rest, |(p, _)| p))
        .unwrap_or_else(|| panic!("no English part: {}", korean.body));
    assert!(part.contains("Page not found"), "{part}");
    assert!(part.contains("<a href=\"/en/\" hreflang=\"en\">"), "{part}");
}

#[test]
fn a_site_without_english_has_no_english_part_in_its_404() {
    let server = serve_site_in_process(crate::support::fixture_site(None), false, SHORT);
    let page = browse(server.port, "/en/no-such-page/");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("<html lang=\"ko\">"), "{}", page.body);
    assert!(!page.body.contains("not-found-other"), "{}", page.body);
}
