//! The self-hosted mode (`sbiz serve --production`) and the security
//! headers it shares with the CloudFront distribution:
//! * the server sends the headers, caches assets for a year, injects no
//!   live-reload script, and rate-limits `/api/` per client;
//! * `deploy/template.yaml` carries the same header values;
//! * the real site's pages satisfy that CSP: no inline script (JSON-LD data
//!   blocks aside), no event-handler attributes, no inline styles.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

use sbiz::production::{
    CONTENT_SECURITY_POLICY, IMMUTABLE, PERMISSIONS_POLICY, REFERRER_POLICY, REVALIDATE,
};

#[test]
fn production_mode_sends_headers_and_limits_the_api() {
    let (_site, port, _server) = serve_fixture_site(&["--production", "--api-rate", "5/0.1"]);
    let home = answer_when_up(port, "/", 30);
    assert!(!home.body.contains("/__sbiz/"), "nothing injected");
    assert_eq!(
        home.header("content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );
    assert_eq!(
        home.header("strict-transport-security"),
        Some("max-age=63072000; includeSubDomains")
    );
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(home.header("referrer-policy"), Some(REFERRER_POLICY));
    assert_eq!(home.header("x-frame-options"), Some("DENY"));
    assert_eq!(home.header("permissions-policy"), Some(PERMISSIONS_POLICY));
    assert_eq!(home.header("cache-control"), Some(REVALIDATE));
    assert!(
        get(port, "/__sbiz/reload.js").expect("answer").status == 404,
        "no live reload endpoint"
    );

    let css = home
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/assets/") && h.ends_with(".css"))
        .expect("a stylesheet under /assets/")
        .to_owned();
    let asset = get(port, &css).expect("asset");
    assert_eq!(asset.status, 200);
    assert_eq!(asset.header("cache-control"), Some(IMMUTABLE));
    assert_eq!(
        asset.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert!(asset.body.starts_with("@charset \"utf-8\";"));
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let missing = get(port, "/no/such/page/").expect("404");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );

    // The API keeps its own CSP; 5 requests at once, then 429.
    for _ in 0..5 {
        let a = get(port, "/api/health").expect("health");
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
        assert!(a.header("strict-transport-security").is_some());
    }
    let limited = get(port, "/api/health").expect("limited");
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("rate_limited"), "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    // Static pages are not limited.
    assert_eq!(get(port, "/").expect("home").status, 200);
}

/// `GET //programmes` used to answer `307 Location: //programmes/`, which a
/// browser follows to the host `programmes` (issue 9, finding 10).
#[test]
fn production_never_redirects_off_site() {
    let (_site, port, _server) = serve_fixture_site(&["--production"]);
    answer_when_up(port, "/", 30);
    assert_stays_on_site(port);
    assert_folders_are_not_files(port);
}

/// A connection stuck mid-headers, or silent, used to stay open forever
/// (issue 9, finding 11).
#[test]
fn production_cuts_off_stalled_requests() {
    let server = serve_in_process(true, SHORT);
    let limit = SHORT.header_read * 6;
    stall(
        server.port,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        limit,
    );
    stall(server.port, b"", limit);
    // A kept-alive connection is closed once idle for as long.
    let took = stall(
        server.port,
        b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        limit,
    );
    assert!(took >= SHORT.header_read, "answered, then idle: {took:?}");
    assert_eq!(get(server.port, "/").expect("home").status, 200);
}

fn yaml(path: &Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).expect("read")).expect("plain YAML")
}

#[test]
fn cloudfront_sends_the_same_headers() {
    let t = yaml(&repo().join("deploy/template.yaml"));
    for policy in ["SiteHeadersPolicy", "AssetsHeadersPolicy"] {
        let c = &t["Resources"][policy]["Properties"]["ResponseHeadersPolicyConfig"];
        let sec = &c["SecurityHeadersConfig"];
        assert_eq!(
            sec["ContentSecurityPolicy"]["ContentSecurityPolicy"], CONTENT_SECURITY_POLICY,
            "{policy}"
        );
        assert_eq!(
            sec["StrictTransportSecurity"]["AccessControlMaxAgeSec"],
            63072000
        );
        assert_eq!(sec["StrictTransportSecurity"]["IncludeSubdomains"], true);
        assert_eq!(sec["ReferrerPolicy"]["ReferrerPolicy"], REFERRER_POLICY);
        assert_eq!(sec["ContentTypeOptions"]["Override"], true);
    }
    let headers = |policy: &str| -> Vec<(String, String)> {
        t["Resources"][policy]["Properties"]["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]
            ["Items"]
            .as_array()
            .expect("custom headers")
            .iter()
            .map(|h| {
                (
                    h["Header"].as_str().unwrap().to_owned(),
                    h["Value"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let site = headers("SiteHeadersPolicy");
    assert!(site.contains(&("Permissions-Policy".into(), PERMISSIONS_POLICY.into())));
    assert!(site.contains(&("Cache-Control".into(), REVALIDATE.into())));
    assert!(headers("AssetsHeadersPolicy").contains(&("Cache-Control".into(), IMMUTABLE.into())));
    // The per-client budget is documented next to the WAF rule's.
    let waf = yaml(&repo().join("deploy/waf-us-east-1.yaml"));
    assert_eq!(
        waf["Parameters"]["ApiRequestsPer5Minutes"]["Default"], 300,
        "WAF budget (see RateLimit's default)"
    );
    assert_eq!(
        sbiz::production::RateLimit::default(),
        "60/1".parse().unwrap()
    );
}

/// Every page of the real site satisfies the CSP.
#[test]
fn the_built_site_has_no_inline_script_or_style() {
    let out = tempfile::tempdir().expect("temp dir");
    let status = sbiz()
        .arg("--root")
        .arg(repo())
        .args(["build", "--now", "2026-11-28", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .status()
        .expect("sbiz build");
    assert!(status.success(), "the site builds");
    let mut pages = 0;
    let mut problems = Vec::new();
    for e in walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        pages += 1;
        let html = std::fs::read_to_string(e.path()).expect("page");
        let page = e
            .path()
            .strip_prefix(out.path())
            .unwrap()
            .display()
            .to_string();
        problems.extend(
            csp_problems(&html)
                .into_iter()
                .map(|p| format!("{page}: {p}")),
        );
    }
    assert!(pages > 10, "pages built");
    assert!(
        problems.is_empty(),
        "pages the CSP would break:\n{}",
        problems.join("\n")
    );
}

/// What `CONTENT_SECURITY_POLICY` would block in `html`.
fn csp_problems(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            continue;
        }
        if name == "script" {
            let data = tag.contains("type=\"application/ld+json\"");
            let external = tag.contains(" src=\"/");
            if !data && !external {
                out.push(format!("inline or foreign script <{tag}>"));
            }
            if external
                && !(tag.contains(" defer")
                    || tag.contains(" async")
                    || tag.contains("type=\"module\""))
            {
                out.push(format!("render-blocking script <{tag}>"));
            }
        }
        if name == "style" {
            out.push("a <style> element".into());
        }
        if name == "link" && tag.contains("stylesheet") && !tag.contains(" href=\"/") {
            out.push(format!("foreign stylesheet <{tag}>"));
        }
        // Attributes: event handlers, inline styles, javascript: URLs.
        for attr in tag.split_whitespace().skip(1) {
            let key = attr.split('=').next().unwrap_or("");
            if key.starts_with("on") && key.len() > 2 && attr.contains('=') {
                out.push(format!("event handler attribute `{key}`"));
            }
            if key == "style" && attr.contains('=') {
                out.push("inline style attribute".into());
            }
        }
        if tag.contains("javascript:") {
            out.push("javascript: URL".into());
        }
    }
    out
}

#[test]
fn the_csp_check_finds_what_it_should() {
    assert!(csp_problems(r#"<script type="application/ld+json">{"a":1}</script><script src="/assets/js/a.js" defer></script>"#).is_empty());
    assert_eq!(csp_problems("<script>alert(1)</script>").len(), 1);
    assert_eq!(csp_problems(r#"<button onclick="x()">"#).len(), 1);
    assert_eq!(csp_problems(r#"<p style="color:red">"#).len(), 1);
    assert_eq!(csp_problems(r#"<script src="/a.js"></script>"#).len(), 1);
}

/// `sbiz serve --production` builds the messaging channels at start: a
/// wrong setting stops it with a message naming the variable; a good one
/// shows in `/api/health` (the dispatcher sends with them).
#[test]
fn production_mode_builds_the_messaging_channels_at_start() {
    let site = fixture_site(None);
    let bad = sbiz()
        .arg("--root")
        .arg(site.path())
        .args(["serve", "--production", "--now", "2026-11-28", "--port"])
        .arg(free_port().to_string())
        .arg("--themes")
        .arg(repo().join("themes"))
        .env("SBIZ_EMAIL", "carrier-pigeon")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("sbiz serve runs");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("SBIZ_EMAIL=carrier-pigeon"), "{err}");

    let port = free_port();
    let _server = Server(
        sbiz()
            .arg("--root")
            .arg(site.path())
            .args(["serve", "--production", "--now", "2026-11-28", "--port"])
            .arg(port.to_string())
            .arg("--themes")
            .arg(repo().join("themes"))
            .env("SBIZ_EMAIL", "smtp")
            .env("SBIZ_EMAIL_FROM", "소공인포털 <no-reply@sbiz.example.kr>")
            .env("SBIZ_SMTP_HOST", "127.0.0.1")
            .env("SBIZ_SMTP_TLS", "none")
            .env_remove("SBIZ_SMS")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sbiz serve starts"),
    );
    let health = answer_when_up(port, "/api/health", 60);
    let v: serde_json::Value = serde_json::from_str(&health.body).expect("health JSON");
    assert_eq!(v["channels"]["email"], "smtp", "{v}");
    assert_eq!(v["channels"]["sms"], serde_json::Value::Null, "{v}");
    assert_eq!(v["channels"]["any"], true, "{v}");
    // The pages it built offer e-mail only, as it sends (the fixture's
    // site.yaml says nothing of messaging).
    assert_eq!(v["site_channels"], serde_json::json!(["email"]), "{v}");
    assert_eq!(v["channels_match_site"], true, "{v}");
    let page = get(port, "/equipment/auto-cutter/").expect("equipment page");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"notify_email\""), "{}", page.body);
    assert!(!page.body.contains("name=\"notify_sms\""));
    assert!(!page.body.contains("안내 문자나 이메일은 보내지 않으니"));
}

/// `--out` puts the built site (and what a build keeps beside it: the
/// staging folder, the cache) where the service may write, so that the
/// site's checkout can stay read-only, as `deploy/self-hosted/sbiz.service`
/// has it: the pages are served from there and nothing is written into the
/// site's folder.
#[test]
fn production_builds_into_the_out_folder() {
    let state = tempfile::tempdir().expect("temp dir");
    let out = state.path().join("public");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let data = state.path().to_str().expect("a UTF-8 path");
    let (site, port, _server) =
        serve_fixture_site(&["--production", "--out", out_arg, "--data", data]);
    let before: Vec<_> = names(site.path());
    let home = answer_when_up(port, "/", 30);
    let written = std::fs::read_to_string(out.join("index.html")).expect("home page built");
    assert_eq!(home.body, written, "the page served is the one in --out");
    assert_eq!(
        names(site.path()),
        before,
        "nothing written into the site's folder"
    );
    assert!(
        !before
            .iter()
            .any(|n| n.starts_with("public") || n == "data"),
        "{before:?}"
    );
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The first `200` answer to `path` of a server starting on `port`, asked
/// every 100 ms for at most `seconds`.
fn answer_when_up(port: u16, path: &str, seconds: u64) -> Answer {
    let start = Instant::now();
    loop {
        if let Some(a) = get(port, path).filter(|a| a.status == 200) {
            return a;
        }
        assert!(
            start.elapsed() < Duration::from_secs(seconds),
            "server not up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
