//! Korean search in a real browser: compound-noun parts, particles, title
//! ranking, and the kind / industry / district filters, as the function
//! answers them (`/api/search`, where every search form goes), with the
//! query kept in the box; results as one types with JavaScript on, and the
//! same results with it off; the English edition searching its own pages.

use std::collections::HashSet;

use sbiz_e2e::browser::Browser;
use sbiz_e2e::server::Server;
use sbiz_e2e::site;
use serde_json::Value;

#[derive(Debug)]
struct Hit {
    kind: String,
    title: String,
    url: String,
}

/// Loads `/api/search?<query>` and returns the results in order.
async fn search(browser: &Browser, server: &Server, query: &str) -> Vec<Hit> {
    browser
        .goto(&server.url(&format!("/api/search?{query}")))
        .await;
    browser
        .wait_for(
            &format!("results of {query}"),
            "var e = document.getElementById('search-status'), s = e ? e.textContent : ''; return /검색 결과 \\d+건/.test(s) && s;",
        )
        .await;
    let v = browser
        .js(
            r#"return Array.prototype.map.call(document.querySelectorAll('#search-results .card'), function (c) {
                 var a = c.querySelector('h3 a');
                 return { kind: c.querySelector('.card-kind').firstChild.textContent.trim(), title: a.textContent, url: a.getAttribute('href') };
               });"#,
            vec![],
        )
        .await;
    v.as_array()
        .into_iter()
        .flatten()
        .map(|h| Hit {
            kind: h["kind"].as_str().unwrap_or_default().to_owned(),
            title: h["title"].as_str().unwrap_or_default().to_owned(),
            url: h["url"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

fn titles(hits: &[Hit]) -> String {
    hits.iter()
        .map(|h| format!("{} ({})", h.title, h.kind))
        .collect::<Vec<_>>()
        .join(", ")
}

/// URLs of index documents whose `field` (`i` industries, `d` districts) holds `id`.
fn urls_with(index: &Value, field: &str, id: &str) -> HashSet<String> {
    index["docs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d[field]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == id))
        })
        .map(|d| d["u"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn korean_search_cases() {
    let site = site::built();
    let index: Value = serde_json::from_slice(
        &std::fs::read(site.out.join("search/index.json"))
            .expect("the build writes /search/index.json"),
    )
    .expect("the index is JSON");
    let server = Server::with_api(&site.out);
    let browser = Browser::start().await;

    // A part of a compound noun finds the whole: 재단기 → 자동재단기.
    let hits = search(&browser, &server, "q=재단기").await;
    assert!(
        hits.iter().any(|h| h.title.contains("자동재단기")),
        "재단기 should find a 자동재단기: {}",
        titles(&hits)
    );
    // Title matches rank first: no title match after a non-title match.
    let first_other = hits
        .iter()
        .position(|h| !h.title.replace(' ', "").contains("재단기"));
    if let Some(i) = first_other {
        assert!(
            hits[i..]
                .iter()
                .all(|h| !h.title.replace(' ', "").contains("재단기")),
            "title matches must come first: {}",
            titles(&hits)
        );
    }

    // 봉제 → 의류봉제 (also 의류·봉제).
    let hits = search(&browser, &server, "q=봉제").await;
    assert!(
        hits.iter()
            .any(|h| h.title.replace('·', "").contains("의류봉제")),
        "봉제 should find a 의류봉제 title: {}",
        titles(&hits)
    );
    assert!(
        hits[0].title.contains("봉제"),
        "a title with 봉제 first: {}",
        titles(&hits)
    );

    // A particle is ignored: 센터에서 → 센터.
    let hits = search(&browser, &server, "q=센터에서").await;
    assert!(!hits.is_empty(), "센터에서 should find 센터");
    assert!(
        hits[0].title.contains("센터"),
        "센터에서: a 센터 title first: {}",
        titles(&hits)
    );
    let centre_titles = hits.iter().filter(|h| h.title.contains("센터")).count();
    assert!(
        centre_titles >= 5,
        "센터에서 should find many 센터: {}",
        titles(&hits)
    );

    // Kind filter.
    let all = search(&browser, &server, "q=재단").await;
    let equipment = search(&browser, &server, "q=재단&kind=equipment").await;
    assert!(
        !equipment.is_empty() && equipment.len() < all.len(),
        "kind filter: {} of {}",
        equipment.len(),
        all.len()
    );
    assert!(
        equipment.iter().all(|h| h.kind == "공용장비"),
        "kind filter: {}",
        titles(&equipment)
    );

    // Industry filter.
    let allowed = urls_with(&index, "i", "jewelry");
    let hits = search(&browser, &server, "q=장비&industry=jewelry").await;
    assert!(
        !hits.is_empty(),
        "장비 in 귀금속·주얼리 should find something"
    );
    for h in &hits {
        assert!(
            allowed.contains(&h.url),
            "industry filter let through {} ({})",
            h.title,
            h.url
        );
    }

    // District filter.
    let allowed = urls_with(&index, "d", "gwanak");
    let hits = search(&browser, &server, "q=봉제&district=gwanak").await;
    assert!(!hits.is_empty(), "봉제 in 관악구 should find something");
    for h in &hits {
        assert!(
            allowed.contains(&h.url),
            "district filter let through {} ({})",
            h.title,
            h.url
        );
    }

    // "3D프린터" and "3D 프린터" are the same words: the function finds the
    // same records for both, and so does the search page's script.
    let spaced = search(&browser, &server, "q=3D%20프린터").await;
    let glued = search(&browser, &server, "q=3D프린터").await;
    assert!(
        spaced.iter().any(|h| h.title.contains("3D 프린터")),
        "{}",
        titles(&spaced)
    );
    assert_eq!(titles(&glued), titles(&spaced));
    browser.goto(&server.url("/search/")).await;
    let typed = browser
        .js_async(
            "var done = arguments[arguments.length - 1]; var q = document.getElementById('search-q'); q.value = '3D프린터'; q.dispatchEvent(new Event('input', { bubbles: true })); (function wait() { var s = document.getElementById('search-status').textContent; if (/검색 결과 \\d+건/.test(s)) done(document.querySelectorAll('#search-results .card').length); else setTimeout(wait, 50); })();",
            vec![],
        )
        .await;
    assert_eq!(
        typed.as_u64(),
        Some(spaced.len() as u64),
        "the script's results"
    );

    // Changing a filter re-runs the search at once, without a reload.
    browser.goto(&server.url("/api/search?q=재단")).await;
    browser
        .wait_for(
            "results",
            "return document.querySelector('#search-results .card');",
        )
        .await;
    browser.js("window.__sameDocument = true; var s = document.getElementById('search-kind'); s.value = 'programmes'; s.dispatchEvent(new Event('change', { bubbles: true }));", vec![]).await;
    browser
        .wait_for(
            "programme-only results",
            "var k = Array.prototype.map.call(document.querySelectorAll('#search-results .card-kind'), function (e) { return e.firstChild.textContent.trim(); }); return k.length && k.every(function (x) { return x === '교육'; }) && window.__sameDocument;",
        )
        .await;
    assert!(
        browser.path().await.contains("kind=programmes"),
        "the URL keeps the filters"
    );

    browser.close().await;
}

/// The number of result cards and the status line.
async fn shown(b: &Browser) -> (u64, String) {
    let v = b
        .js(
            "return [document.querySelectorAll('#search-results .card').length, document.getElementById('search-status').textContent];",
            vec![],
        )
        .await;
    (
        v[0].as_u64().unwrap_or_default(),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_update_as_one_types_and_come_without_javascript() {
    let site = site::built();
    let server = Server::with_api(&site.out);

    // JavaScript on: typing alone (no Enter) shows the results and keeps
    // them in the address.
    let b = Browser::start().await;
    b.goto(&server.url("/search/")).await;
    b.tab_until(40, "the search page's box", |f| f.id == "search-q")
        .await;
    b.type_text("재단기").await;
    b.wait_for(
        "results while typing",
        "return document.querySelector('#search-results .card') && /검색 결과 \\d+건/.test(document.getElementById('search-status').textContent);",
    )
    .await;
    assert_eq!(b.path().await, "/search/?q=재단기");
    let (with_js, status) = shown(&b).await;
    // An old link with a query goes to the function's page.
    b.goto(&server.url("/search/?q=%EC%9E%AC%EB%8B%A8%EA%B8%B0"))
        .await;
    b.wait_for("the function's page", "return location.pathname === '/api/search' && document.querySelector('#search-results .card');").await;
    b.close().await;

    // JavaScript off: the header form goes to the function, which answers
    // with the same results and the query kept in the box.
    let plain = Browser::start_without_javascript().await;
    plain.goto(&server.url("/notices/")).await;
    plain
        .tab_until(20, "the header search box", |f| f.id == "header-q")
        .await;
    plain.type_text("재단기").await;
    plain.enter().await;
    plain
        .wait_for(
            "the results page",
            "return location.pathname === '/api/search' && document.readyState === 'complete';",
        )
        .await;
    let (without_js, plain_status) = shown(&plain).await;
    let kept = plain
        .js("return document.getElementById('search-q').value;", vec![])
        .await;
    assert_eq!(kept, "재단기", "the query stays in the box");
    assert_eq!(
        (without_js, plain_status.as_str()),
        (with_js, status.as_str()),
        "the same results with and without JavaScript"
    );
    assert!(without_js > 0);
    plain.close().await;
}

/// The English edition searches its own index: the header's search box on
/// an English page leads to `/en/search/`, which shows English results (and
/// English texts) at once, each leading to an English page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_pages_search_the_english_pages() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    let b = Browser::start().await;
    b.goto(&server.url("/en/jobs/")).await;
    b.tab_until(20, "the header search box", |f| f.id == "header-q")
        .await;
    b.type_text("cutter").await;
    b.enter().await;
    let status = b
        .wait_for(
            "English results",
            "var e = document.getElementById('search-status'), s = e ? e.textContent : ''; return location.pathname === '/api/search' && document.documentElement.lang === 'en' && document.querySelector('#search-results .card') && /^Results for .*: \\d+$/.test(s) && s;",
        )
        .await;
    assert!(
        status
            .as_str()
            .is_some_and(|s| s.starts_with("Results for ‘cutter’: ")),
        "{status}"
    );
    let first = b
        .js(
            "return document.querySelector('#search-results h3 a').textContent;",
            vec![],
        )
        .await;
    assert!(
        first
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("cutter")),
        "title matches rank first: {first}"
    );
    let urls = b
        .js(
            "return Array.prototype.map.call(document.querySelectorAll('#search-results h3 a'), function (a) { return a.getAttribute('href'); });",
            vec![],
        )
        .await;
    let urls: Vec<&str> = urls
        .as_array()
        .expect("links")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !urls.is_empty() && urls.iter().all(|u| u.starts_with("/en/")),
        "{urls:?}"
    );
    b.close().await;

    // Without JavaScript the function answers the same search from the
    // English index, on an English page.
    let plain = Browser::start_without_javascript().await;
    plain.goto(&server.url("/en/jobs/")).await;
    plain
        .client
        .find(fantoccini::Locator::Css("#header-q"))
        .await
        .expect("the header search box")
        .send_keys("cutter\u{E007}")
        .await
        .expect("type and press Enter");
    let answer = plain
        .wait_for(
            "the server's English results",
            "var s = document.getElementById('search-status'); return location.pathname === '/api/search' && s && s.textContent.trim();",
        )
        .await;
    assert!(
        answer
            .as_str()
            .is_some_and(|s| s.starts_with("Results for ‘cutter’: ")),
        "{answer}"
    );
    let page = plain
        .js(
            "return [document.documentElement.lang, Array.prototype.map.call(document.querySelectorAll('#search-results h3 a'), function (a) { return a.getAttribute('href'); })];",
            vec![],
        )
        .await;
    assert_eq!(page[0], "en");
    let links: Vec<&str> = page[1]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !links.is_empty() && links.iter().all(|u| u.starts_with("/en/")),
        "{links:?}"
    );
    plain.close().await;
}
