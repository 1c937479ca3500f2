//! Page weight: every built page's HTML plus the CSS and JavaScript it
//! references, each gzip-compressed (level 9, as a CDN would serve it),
//! fonts excepted. The heaviest page must stay under 50 KB, and no script
//! may block rendering. `cargo test -p sbiz-e2e --test browser weight:: -- --nocapture`
//! prints the median and heaviest page per template.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use sbiz_e2e::site;

const BUDGET: usize = 50 * 1024;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

/// The tags named `name` of an HTML text (start tags only, attributes raw).
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if after.starts_with([' ', '>', '\n', '\t']) {
            let end = after.find('>').unwrap_or(after.len());
            out.push(&after[..end]);
        }
        rest = &rest[i + open.len()..];
    }
    out
}

/// The value of attribute `name` in a raw attribute string.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = attrs.find(&key)? + key.len();
    let end = attrs[i..].find('"')?;
    Some(&attrs[i..i + end])
}

fn has_attr(attrs: &str, name: &str) -> bool {
    attrs
        .split([' ', '\n', '\t'])
        .any(|a| a == name || a.starts_with(&format!("{name}=")))
}

fn kb(n: usize) -> String {
    format!("{:.1}", n as f64 / 1024.0)
}

#[test]
fn every_page_is_under_50kb_and_no_script_blocks_rendering() {
    let site = site::built();
    let mut asset_cache: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_template: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    let mut blocking = Vec::new();
    let mut over = Vec::new();
    for file in site.html_files() {
        let url = site.url_of(&file);
        let html = std::fs::read_to_string(&file).expect("read page");
        let mut total = gzip_len(html.as_bytes());
        let mut refs = Vec::new();
        for link in tags(&html, "link") {
            if attr(link, "rel") == Some("stylesheet") {
                refs.extend(attr(link, "href").map(str::to_owned));
            }
        }
        for script in tags(&html, "script") {
            match attr(script, "src") {
                Some(src) => {
                    refs.push(src.to_owned());
                    let module = attr(script, "type") == Some("module");
                    if !(has_attr(script, "defer") || has_attr(script, "async") || module) {
                        blocking.push(format!("  {url}: <script{script}>"));
                    }
                }
                None => {
                    let ty = attr(script, "type").unwrap_or("");
                    if ty != "application/ld+json" && ty != "application/json" {
                        blocking.push(format!("  {url}: inline <script{script}>"));
                    }
                }
            }
        }
        for r in refs {
            assert!(r.starts_with('/'), "{url}: asset {r} is not site-relative");
            let len = *asset_cache.entry(r.clone()).or_insert_with(|| {
                let bytes = std::fs::read(site.file_of(&r))
                    .unwrap_or_else(|e| panic!("{url} references {r}, which is missing: {e}"));
                gzip_len(&bytes)
            });
            total += len;
        }
        if total >= BUDGET {
            over.push(format!("  {url}: {} KB", kb(total)));
        }
        by_template
            .entry(site.template_of(&url))
            .or_default()
            .push((total, url));
    }

    println!("\nPage weight: HTML + CSS + JS, gzip -9, fonts excepted (budget < 50 KB)\n");
    println!("| template | pages | median KB | heaviest KB | heaviest page |");
    println!("|---|---:|---:|---:|---|");
    let mut heaviest = (0, String::new());
    for (template, pages) in &mut by_template {
        pages.sort();
        let median = pages[pages.len() / 2].0;
        let (max, max_url) = pages.last().cloned().unwrap_or_default();
        if max > heaviest.0 {
            heaviest = (max, max_url.clone());
        }
        println!(
            "| {template} | {} | {} | {} | {max_url} |",
            pages.len(),
            kb(median),
            kb(max)
        );
    }
    println!("\nheaviest page: {} ({} KB)", heaviest.1, kb(heaviest.0));
    for (asset, len) in &asset_cache {
        println!("asset {asset}: {} KB", kb(*len));
    }
    for index in ["search/index.json", "en/search/index.json"] {
        if let Ok(bytes) = std::fs::read(site.out.join(index)) {
            println!(
                "{index} (fetched only when someone searches): {} KB ({} KB raw)",
                kb(gzip_len(&bytes)),
                kb(bytes.len())
            );
        }
    }
    assert!(
        blocking.is_empty(),
        "render-blocking scripts:\n{}",
        blocking.join("\n")
    );
    assert!(
        over.is_empty(),
        "pages at or over 50 KB:\n{}",
        over.join("\n")
    );
}
