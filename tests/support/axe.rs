//! axe-core (npm `axe-core`, WCAG 2.0/2.1 A and AA rules) on the page a
//! browser shows: one runner for the template audit and the journey.

use std::sync::OnceLock;

use serde_json::Value;

use crate::browser::Browser;

/// The rule tags every audit runs.
pub const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// One rule an element breaks.
#[derive(Debug)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub url: String,
    /// How many elements break it.
    pub count: u64,
    /// The first five elements: (CSS target, failure summary).
    pub nodes: Vec<(String, String)>,
}

fn source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        std::fs::read_to_string(crate::npm_file("axe-core/axe.min.js")).expect("read axe-core")
    })
}

/// Runs axe-core on the current page; an axe error is a violation `axe-error`.
pub async fn run(browser: &Browser) -> Vec<Violation> {
    browser.js(source(), vec![]).await;
    let script = r#"
        var done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
          .then(function (r) {
            done(r.violations.map(function (v) {
              return { id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.slice(0, 5).map(function (n) { return [n.target.join(' '), (n.failureSummary || '').replace(/\s+/g, ' ')]; }),
                count: v.nodes.length };
            }));
          })
          .catch(function (e) { done([{ id: 'axe-error', help: String(e), nodes: [], count: 0 }]); });
    "#;
    let tags: Vec<Value> = TAGS.iter().map(|t| Value::from(*t)).collect();
    let v = browser.js_async(script, vec![Value::Array(tags)]).await;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    v.as_array()
        .into_iter()
        .flatten()
        .map(|v| Violation {
            id: text(&v["id"]),
            impact: v["impact"].as_str().unwrap_or("-").to_owned(),
            help: text(&v["help"]),
            url: text(&v["url"]),
            count: v["count"].as_u64().unwrap_or_default(),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| (text(&n[0]), text(&n[1])))
                .collect(),
        })
        .collect()
}
