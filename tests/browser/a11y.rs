//! axe-core (WCAG 2.0/2.1 A and AA rules) on one page of every template, in
//! headless Chromium. Fails on any violation, listing rule, help and elements.

use sbiz_e2e::axe;
use sbiz_e2e::browser::Browser;
use sbiz_e2e::server::Server;
use sbiz_e2e::site::{self, BuiltSite, SECTIONS};

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
        "/data/",
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
    pages.push("/api/search?q=재단기".to_owned());
    // The English edition: its home, the lists and details of the kinds it
    // has, a translated page, the taxonomy and term pages, search, the
    // booking pages and the 404.
    pages.push("/en/".to_owned());
    for s in ["facilities", "equipment", "jobs"] {
        let section = format!("en/{s}");
        pages.push(format!("/{section}/"));
        pages.push(
            site.first_detail(&section)
                .unwrap_or_else(|| panic!("no English {s} detail page was built")),
        );
    }
    for p in [
        "/en/how-to-book/",
        "/en/industries/",
        "/en/industries/apparel/",
        "/en/search/",
        "/en/reservation/",
        "/en/my/",
        "/en/404.html",
    ] {
        assert!(site.has(p), "{p} was not built");
        pages.push(p.to_owned());
    }
    pages
}

async fn audit(browser: &Browser, server: &Server, path: &str) -> Vec<String> {
    browser.goto(&server.url(path)).await;
    if path.contains("?q=") {
        browser
            .wait_for(
                "search results",
                "return document.querySelector('#search-results .card');",
            )
            .await;
    }
    axe::run(browser)
        .await
        .into_iter()
        .map(|v| {
            let nodes: Vec<String> = v
                .nodes
                .iter()
                .map(|(target, summary)| format!("      {target} — {summary}"))
                .collect();
            format!(
                "  {path}: [{}] {} ({}, {} element(s)) {}\n{}",
                v.id,
                v.help,
                v.impact,
                v.count,
                v.url,
                nodes.join("\n")
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_any_template() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    let pages = template_pages(site);
    let mut report = Vec::new();
    for (width, height) in [(1280, 900), (360, 740)] {
        let browser = Browser::start_sized(width, height).await;
        for p in &pages {
            for line in audit(&browser, &server, p).await {
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

/// On every template: the sample-data notice sits inside a landmark, every
/// search landmark has a name, and no link just says "전체 보기".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn landmarks_are_named_and_links_say_what_they_show() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    let browser = Browser::start().await;
    let mut report = Vec::new();
    for p in template_pages(site) {
        browser.goto(&server.url(&p)).await;
        let found = browser
            .js(
                r#"var bad = [];
                var n = document.querySelector(".sample-notice");
                if (n && !n.closest("header, main, footer, nav, aside, [role]")) bad.push("sample notice outside a landmark");
                document.querySelectorAll("[role=search], search").forEach(function (s) {
                  if (!s.getAttribute("aria-label") && !s.getAttribute("aria-labelledby")) bad.push("unnamed search landmark " + (s.id || s.className));
                });
                document.querySelectorAll("a").forEach(function (a) {
                  if (a.textContent.trim() === "전체 보기") bad.push("link says only 전체 보기: " + a.getAttribute("href"));
                });
                var ids = {};
                document.querySelectorAll("[role=search]").forEach(function (s) {
                  var l = s.getAttribute("aria-label");
                  if (ids[l]) bad.push("two search landmarks named " + l);
                  ids[l] = 1;
                });
                return bad;"#,
                vec![],
            )
            .await;
        for b in found.as_array().into_iter().flatten() {
            report.push(format!("  {p}: {}", b.as_str().unwrap_or_default()));
        }
    }
    browser.close().await;
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// At 360 px on every template: dates (2026-12-05) never break in the
/// middle, and a checkbox (the consent) sits beside its label.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_and_checkboxes_at_360px() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    let mut pages = template_pages(site);
    pages.push("/reservation/".to_owned());
    let browser = Browser::start_sized(360, 740).await;
    let mut report = Vec::new();
    for p in &pages {
        browser.goto(&server.url(p)).await;
        let broken = browser
            .js(
                r#"var re = /\d{4}-\d{2}-\d{2}/g, bad = [];
                var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (w.nextNode()) {
                  var n = w.currentNode, m;
                  re.lastIndex = 0;
                  while ((m = re.exec(n.data))) {
                    var r = document.createRange();
                    r.setStart(n, m.index);
                    r.setEnd(n, m.index + m[0].length);
                    var tops = {};
                    Array.prototype.forEach.call(r.getClientRects(), function (x) {
                      if (x.width > 0) tops[Math.round(x.top)] = 1;
                    });
                    if (Object.keys(tops).length > 1) {
                      var e = n.parentElement;
                      bad.push(m[0] + " in <" + e.tagName.toLowerCase() + (e.className ? " class=" + e.className : "") + ">");
                    }
                  }
                }
                document.querySelectorAll(".field-checkbox").forEach(function (f) {
                  var c = f.querySelector("input[type=checkbox]"), l = f.querySelector("label");
                  if (!c || !l) return;
                  var a = c.getBoundingClientRect(), b = l.getBoundingClientRect();
                  if (!(b.left >= a.right - 1 && Math.abs(b.top - a.top) < 16)) bad.push("checkbox #" + c.id + " is not beside its label");
                });
                return bad;"#,
                vec![],
            )
            .await;
        for b in broken.as_array().into_iter().flatten() {
            report.push(format!("  {p}: {}", b.as_str().unwrap_or_default()));
        }
    }
    browser.close().await;
    assert!(report.is_empty(), "at 360 px:\n{}", report.join("\n"));
}

/// On a phone (390 and 320 CSS px wide) no page scrolls sideways and the
/// header's links and the site's name wrap between words, never inside
/// one (WCAG 1.4.10 reflow), in Korean and in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_pages_reflow_and_wrap_between_words() {
    let site = site::built();
    let server = Server::start(&site.out);
    let mut pages = vec!["/".to_owned(), "/en/".to_owned()];
    for section in ["programmes", "en/facilities", "en/jobs"] {
        pages.extend(site.first_detail(section));
    }
    let mut report = Vec::new();
    for width in [390, 320] {
        let b = Browser::start_sized(width, 844).await;
        for p in &pages {
            b.goto(&server.url(p)).await;
            let found = b
                .js(
                    r#"var out = [], de = document.documentElement;
                    if (de.scrollWidth > de.clientWidth) out.push("scrolls sideways: " + de.scrollWidth + " > " + de.clientWidth);
                    document.querySelectorAll(".utility a, .site-id").forEach(function (a) {
                      var w = document.createTreeWalker(a, NodeFilter.SHOW_TEXT), n;
                      while ((n = w.nextNode())) {
                        var re = /\S+/g, m;
                        while ((m = re.exec(n.data))) {
                          var r = document.createRange();
                          r.setStart(n, m.index);
                          r.setEnd(n, m.index + m[0].length);
                          var tops = {};
                          Array.prototype.forEach.call(r.getClientRects(), function (c) { tops[Math.round(c.top)] = 1; });
                          if (Object.keys(tops).length > 1) out.push("\"" + m[0] + "\" breaks inside the word");
                        }
                      }
                    });
                    return out;"#,
                    vec![],
                )
                .await;
            for line in found.as_array().into_iter().flatten() {
                report.push(format!(
                    "  {p} at {width}px: {}",
                    line.as_str().unwrap_or("?")
                ));
            }
        }
        b.close().await;
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}
