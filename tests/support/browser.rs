//! Headless Chromium driven over WebDriver: `chromedriver` on a free port,
//! a fresh profile per browser, and helpers for keyboard-only use.
//!
//! Binaries: `$CHROMEDRIVER` or `/usr/bin/chromedriver` (Debian's
//! `chromium-driver`), `$CHROMIUM` or `/usr/bin/chromium`. A missing binary
//! fails the test (CI must not pass by skipping).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// The Chromium flags every test browser gets.
pub const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

fn tool(env: &str, default: &str, package: &str) -> PathBuf {
    let p = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        p.is_file(),
        "{} not found (set {env}, or install Debian's `{package}`: ./tests/run-all does it as root)",
        p.display()
    );
    p
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The element that has the focus, as the tests look at it.
#[derive(Debug, Clone, Default)]
pub struct Focused {
    /// Lower-case tag name (`a`, `input`, `summary`, …).
    pub tag: String,
    pub id: String,
    /// Visible text (trimmed).
    pub text: String,
    /// `href` attribute as written, for links.
    pub href: String,
    /// Whether the element is inside the element matched by `#menu`, etc.:
    /// the CSS selectors of its ancestors' ids and classes, outermost first.
    pub within: String,
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    /// The script that sets the pages' clock ([`Browser::set_clock`]), by
    /// its DevTools identifier.
    clock: std::sync::Mutex<Option<Value>>,
}

/// A Chrome DevTools Protocol command, sent through chromedriver's
/// `goog/cdp/execute` (WebDriver has no way to set the pages' clock).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// A desktop-sized browser (1280×900).
    pub async fn start() -> Browser {
        Browser::start_sized(1280, 900).await
    }

    /// A browser whose window is `width`×`height` CSS pixels.
    pub async fn start_sized(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, true).await
    }

    /// A desktop-sized browser with JavaScript turned off (the Chromium
    /// preference `profile.managed_default_content_settings.javascript: 2`).
    pub async fn start_without_javascript() -> Browser {
        Browser::launch(1280, 900, false).await
    }

    async fn launch(width: u32, height: u32, javascript: bool) -> Browser {
        let driver_bin = tool("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
        let chromium = tool("CHROMIUM", "/usr/bin/chromium", "chromium");
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_bin.display()));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().expect("a temporary Chromium profile");
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={width},{height}"));
        args.push("--lang=ko-KR".into());
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            if javascript {
                json!({ "binary": chromium, "args": args })
            } else {
                json!({ "binary": chromium, "args": args, "prefs": {
                    "profile.managed_default_content_settings.javascript": 2
                } })
            },
        );
        let mut last_err = String::new();
        let mut client = None;
        for _ in 0..3 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(e) => {
                    last_err = e.to_string();
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            }
        }
        let Some(client) = client else {
            panic!("cannot start Chromium through chromedriver: {last_err}");
        };
        client
            .set_window_size(width, height)
            .await
            .expect("set the window size");
        Browser {
            client,
            driver,
            _profile: profile,
            clock: std::sync::Mutex::new(None),
        }
    }

    /// Sets the clock of the pages loaded from now on: their scripts see
    /// `at` (an RFC 3339 time with its offset, `2026-11-26T00:30:00+09:00`)
    /// as the time, stopped there (`Date.now()` and `new Date()`), as a
    /// visitor's computer on that day would. The page shown stays as it
    /// was until it is loaded again.
    pub async fn set_clock(&self, at: &str) {
        let source = format!(
            "(() => {{ const D = Date, t = new D({at}).getTime();
              class Fixed extends D {{
                constructor(...a) {{ super(...(a.length ? a : [t])); }}
                static now() {{ return t; }}
              }}
              globalThis.Date = Fixed; }})();",
            at = json!(at)
        );
        let before = self.clock.lock().ok().and_then(|mut c| c.take());
        if let Some(identifier) = before {
            self.cdp(
                "Page.removeScriptToEvaluateOnNewDocument",
                json!({ "identifier": identifier }),
            )
            .await;
        }
        let added = self
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": source }),
            )
            .await;
        if let Ok(mut c) = self.clock.lock() {
            *c = Some(added["identifier"].clone());
        }
    }

    async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("the DevTools command {cmd} failed: {e}"))
    }

    /// Loads `url` and waits for the document (and deferred scripts).
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot load {url}: {e}"));
    }

    /// Runs `script` (a function body; `arguments` holds `args`).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs an asynchronous `script` that calls `arguments[arguments.length - 1]`.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("async script failed: {e}"))
    }

    /// The current URL's path and query (`/search/?q=…`, decoded).
    pub async fn path(&self) -> String {
        let v = self
            .js(
                "return decodeURIComponent(location.pathname + location.search);",
                vec![],
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Presses one key (down and up) wherever the focus is, like a person.
    pub async fn press(&self, key: Key) {
        let k: char = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.client
            .perform_actions(actions)
            .await
            .expect("send a key");
    }

    pub async fn tab(&self) {
        self.press(Key::Tab).await;
    }

    pub async fn enter(&self) {
        self.press(Key::Enter).await;
    }

    /// Types `text` into the focused element, key by key.
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("typing".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("type text");
    }

    /// What has the focus now.
    pub async fn focused(&self) -> Focused {
        let v = self
            .js(
                r#"var e = document.activeElement; if (!e) return null;
                var w = [], p = e.parentElement;
                while (p) { if (p.id) w.unshift('#' + p.id); p = p.parentElement; }
                return { tag: e.tagName.toLowerCase(), id: e.id || '',
                  text: (e.innerText || e.value || '').trim(),
                  href: e.getAttribute('href') || '', within: w.join(' ') };"#,
                vec![],
            )
            .await;
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        Focused {
            tag: s("tag"),
            id: s("id"),
            text: s("text"),
            href: s("href"),
            within: s("within"),
        }
    }

    /// Presses Tab until `pred` holds for the focused element; at most `max`
    /// times. Panics with the focus path when it never does.
    pub async fn tab_until(
        &self,
        max: usize,
        what: &str,
        pred: impl Fn(&Focused) -> bool,
    ) -> Focused {
        let mut seen = Vec::new();
        for _ in 0..max {
            self.tab().await;
            let f = self.focused().await;
            if pred(&f) {
                return f;
            }
            seen.push(format!("{} {:?} {}", f.tag, f.text, f.href));
        }
        panic!(
            "{what}: not reached with {max} Tab presses; focus went:\n  {}",
            seen.join("\n  ")
        );
    }

    /// Waits until `script` (a function body) returns a truthy value; returns it.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.js(script, vec![]).await;
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Does `go` (a click or a form's submission that loads another page)
    /// and waits for the page it leads to, until `ready` (a function body,
    /// as for [`wait_for`](Self::wait_for)) returns a truthy value there;
    /// returns it. The page shown before is marked first, so that a slow
    /// navigation is never taken for the answer: the old page may well hold
    /// what `ready` looks for (an error summary, a code, the same path).
    /// `go` is a future, so it runs only after the mark.
    pub async fn next_page(
        &self,
        what: &str,
        ready: &str,
        go: impl std::future::Future<Output = ()>,
    ) -> Value {
        self.js(
            "document.documentElement.dataset.stale = '1'; return true;",
            vec![],
        )
        .await;
        go.await;
        self.wait_for(
            what,
            &format!("if (document.documentElement.dataset.stale) return null; {ready}"),
        )
        .await
    }

    /// Ends the WebDriver session and chromedriver.
    pub async fn close(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Reached on a panic before close(): never leave chromedriver behind.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
