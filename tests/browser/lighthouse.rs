//! Lighthouse (npm `lighthouse`, pinned in tests/package.json) with Debian
//! Chromium, mobile, on one page of each template: accessibility 100, best
//! practices 100, SEO 100 on indexable pages, and no layout shift (CLS under
//! 0.05; the layout-shift audits pass). One run per template keeps it to a
//! few minutes.

use std::process::Command;

use sbiz_e2e::server::Server;
use sbiz_e2e::site::{self, SECTIONS};
use serde_json::Value;

const CHROME_FLAGS: &str = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync";

/// Highest cumulative layout shift allowed on any template.
const MAX_CLS: f64 = 0.05;

struct Report {
    path: String,
    accessibility: f64,
    best_practices: f64,
    seo: f64,
    cls: f64,
    failing: Vec<String>,
}

fn lighthouse(url: &str, path: &str, out: &std::path::Path) -> Report {
    let cli = sbiz_e2e::npm_file("lighthouse/cli/index.js");
    let status = Command::new("node")
        .arg(&cli)
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--form-factor=mobile",
            "--only-categories=accessibility,best-practices,seo,performance",
        ])
        .arg(format!("--output-path={}", out.display()))
        .arg(format!("--chrome-flags={CHROME_FLAGS}"))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .status()
        .expect("run node (npm ci in tests/ installs lighthouse)");
    assert!(status.success(), "lighthouse failed on {path}");
    let r: Value = serde_json::from_slice(&std::fs::read(out).expect("the report"))
        .expect("the report is JSON");
    assert!(
        r["runtimeError"].is_null(),
        "lighthouse could not audit {path}: {}",
        r["runtimeError"]
    );
    let score = |c: &str| r["categories"][c]["score"].as_f64().unwrap_or(0.0);
    let mut failing = Vec::new();
    for cat in ["accessibility", "best-practices", "seo"] {
        for a in r["categories"][cat]["auditRefs"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = a["id"].as_str().unwrap_or_default();
            let audit = &r["audits"][id];
            if a["weight"].as_f64().unwrap_or(0.0) > 0.0
                && audit["score"].as_f64().is_some_and(|s| s < 1.0)
            {
                failing.push(format!("{cat}:{id}"));
            }
        }
    }
    for id in ["cumulative-layout-shift", "layout-shifts"] {
        let audit = &r["audits"][id];
        if audit["score"].as_f64().is_some_and(|s| s < 0.9) {
            failing.push(format!("layout:{id}"));
        }
    }
    Report {
        path: path.to_owned(),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        seo: score("seo"),
        cls: r["audits"]["cumulative-layout-shift"]["numericValue"]
            .as_f64()
            .unwrap_or(f64::MAX),
        failing,
    }
}

#[test]
fn lighthouse_scores_and_no_layout_shift_on_every_template() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    // (path, indexable)
    // Lists with filters (programmes) and without (notices).
    let mut pages: Vec<(String, bool)> = vec![
        ("/".into(), true),
        ("/programmes/".into(), true),
        ("/notices/".into(), true),
    ];
    for s in SECTIONS {
        let p = site
            .first_detail(s)
            .unwrap_or_else(|| panic!("no {s} detail page"));
        pages.push((p, true));
    }
    for p in [
        "/about/",
        "/industries/",
        "/industries/apparel/",
        "/search/",
        "/reservation/",
        "/data/",
    ] {
        pages.push((p.into(), true));
    }
    // Not indexable: the function's search results and the 404 page.
    pages.push(("/api/search?q=%EC%9E%AC%EB%8B%A8%EA%B8%B0".into(), false));
    pages.push(("/404.html".into(), false));

    let dir = sbiz_e2e::scratch_dir().join("lighthouse");
    std::fs::create_dir_all(&dir).expect("a folder for the reports");
    let mut problems = Vec::new();
    println!("\nLighthouse 12 (mobile): accessibility / best practices / SEO, CLS");
    for (i, (path, indexable)) in pages.iter().enumerate() {
        let r = lighthouse(&server.url(path), path, &dir.join(format!("{i}.json")));
        println!(
            "  {:<45} {:>3} / {:>3} / {:>3}  CLS {:.3}",
            r.path,
            (r.accessibility * 100.0).round(),
            (r.best_practices * 100.0).round(),
            (r.seo * 100.0).round(),
            r.cls
        );
        let mut bad = Vec::new();
        if r.accessibility < 1.0 {
            bad.push(format!("accessibility {}", r.accessibility * 100.0));
        }
        if r.best_practices < 1.0 {
            bad.push(format!("best practices {}", r.best_practices * 100.0));
        }
        if *indexable && r.seo < 1.0 {
            bad.push(format!("SEO {}", r.seo * 100.0));
        }
        if r.cls >= MAX_CLS {
            bad.push(format!("CLS {:.3}", r.cls));
        }
        let failing: Vec<&String> = r
            .failing
            .iter()
            .filter(|f| *indexable || !f.starts_with("seo:"))
            .collect();
        if !bad.is_empty() || !failing.is_empty() {
            problems.push(format!("{}: {} {:?}", r.path, bad.join(", "), failing));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "Lighthouse:\n{}", problems.join("\n"));
}
