//! The end-to-end test harness of the portal, shared by every test under
//! `tests/browser/` (and meant for later ones, such as booking flows):
//!
//! - [`site::built`] builds the real `content/` once per test binary, with a
//!   fixed clock, into a folder under `target/`;
//! - [`server::Server`] serves a folder (and optionally an axum router, e.g.
//!   the booking API under `/api/`) on a free port of 127.0.0.1;
//! - [`browser::Browser`] starts `chromedriver` on a free port and drives a
//!   fresh headless Chromium profile through WebDriver (fantoccini), with
//!   helpers for keyboard-only use;
//! - [`sms::Sms`] runs ministack (the local AWS emulator of the booking
//!   crate's messaging tests) so that the portal sends real 문자 through
//!   SNS, and reads them back; [`mail::Mail`] does the same for e-mail with
//!   a real SMTP server (aiosmtpd).
//!
//! Missing tools (Chromium, chromedriver, Java, the npm packages) make the
//! tests **fail** with a message saying how to install them; they never skip.
//! `./tests/run-all` installs all of them.
//!
//! ```no_run
//! # async fn demo() {
//! use sbiz_e2e::{browser::Browser, server::Server, site};
//! let site = site::built();
//! let server = Server::start(&site.out);
//! let browser = Browser::start().await;
//! browser.goto(&server.url("/")).await;
//! browser.tab().await;
//! assert_eq!(browser.focused().await.text, "본문 바로가기");
//! browser.close().await;
//! # }
//! ```

pub mod axe;
pub mod browser;
pub mod mail;
pub mod portal;
pub mod server;
pub mod site;
pub mod sms;

use std::path::PathBuf;

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A file installed by `npm ci` in `tests/` (see `tests/package.json`).
/// Panics with the install command when it is missing.
pub fn npm_file(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("node_modules")
        .join(rel);
    assert!(
        p.is_file(),
        "{} is missing: run `cd tests && npm ci` (./tests/run-all does it)",
        p.display()
    );
    p
}

/// Where test binaries may write: `target/<profile>/sbiz-e2e/`.
pub fn scratch_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<binary>
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = profile_dir.join("sbiz-e2e");
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    dir
}
