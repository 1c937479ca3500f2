//! axe-core (WCAG 2.0/2.1 A and AA rules) on one page of every template, in
//! headless Chromium. Fails on any violation, listing rule, help and elements.

use sbiz_e2e::browser::Browser;
use sbiz_e2e::server::Server;
use sbiz_e2e::site::{self, BuiltSite, SECTIONS};
use serde_json::Value;

const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// One page per template kind (and the search page with results shown).
fn template_pages(site: &BuiltSite) -> Vec<String> {
    let mut pages = vec!["/".to_owned()];
    for s in SECTIONS {
        pages.push(format!("/{s}/"));
        pages.push(
            site.first_detail(s)
                .unwrap_or_else(|| panic!("no {s} detail page was built")),
        );
    }
    for filtered in [
        "/programmes/status/open/",
        "/programmes/industries/apparel/",
    ] {
        assert!(site.has(filtered), "{filtered} was not built");
        pages.push(filtered.to_owned());
    }
    for p in [
        "/about/",
        "/industries/",
        "/industries/apparel/",
        "/search/",
        "/404.html",
    ] {
        assert!(site.has(p), "{p} was not built");
        pages.push(p.to_owned());
    }
    // A second list page and a district page, when the content has them.
    for p in ["/programmes/page/2/", "/districts/gwanak/"] {
        if site.has(p) {
            pages.push(p.to_owned());
        }
    }
    pages.push("/search/?q=재단기".to_owned());
    pages
}

async fn audit(browser: &Browser, axe: &str, server: &Server, path: &str) -> Vec<String> {
    browser.goto(&server.url(path)).await;
    if path.contains("?q=") {
        browser
            .wait_for(
                "search results",
                "return document.querySelector('#search-results .card');",
            )
            .await;
    }
    browser.js(axe, vec![]).await;
    let script = r#"
        var done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
          .then(function (r) {
            done(r.violations.map(function (v) {
              return { id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '); }),
                count: v.nodes.length };
            }));
          })
          .catch(function (e) { done([{ id: 'axe-error', help: String(e), nodes: [], count: 0 }]); });
    "#;
    let tags: Vec<Value> = TAGS.iter().map(|t| Value::from(*t)).collect();
    let v = browser.js_async(script, vec![Value::Array(tags)]).await;
    v.as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| format!("      {}", n.as_str().unwrap_or_default()))
                .collect();
            format!(
                "  {path}: [{}] {} ({}, {} element(s)) {}\n{}",
                v["id"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or("-"),
                v["count"],
                v["url"].as_str().unwrap_or_default(),
                nodes.join("\n")
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_any_template() {
    let axe = std::fs::read_to_string(sbiz_e2e::npm_file("axe-core/axe.min.js")).expect("read axe");
    let site = site::built();
    let server = Server::start(&site.out);
    let pages = template_pages(site);
    let mut report = Vec::new();
    for (width, height) in [(1280, 900), (360, 740)] {
        let browser = Browser::start_sized(width, height).await;
        for p in &pages {
            for line in audit(&browser, &axe, &server, p).await {
                report.push(format!("{line} (at {width}px)"));
            }
        }
        browser.close().await;
    }
    println!("axe-core checked {} pages at 2 widths", pages.len());
    assert!(
        report.is_empty(),
        "axe-core found {} violation(s):\n{}",
        report.len(),
        report.join("\n")
    );
}
