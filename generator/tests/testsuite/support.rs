//! What the tests share, written once: the repository and its fixture
//! sites (copied into a temporary folder, with an invalid case's overlay),
//! the `sbiz` binary, the server process (or an in-process server with
//! short timeouts), a free port, a plain HTTP GET, a raw connection that
//! stalls.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sbiz_booking::api::server::Timeouts;

/// The workspace root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A running `sbiz serve`, stopped when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 GET on a fresh connection.
pub fn get(port: u16, path: &str) -> Option<Answer> {
    get_with(port, path, "")
}

/// A GET with extra header lines (each ending in `\r\n`), as (status,
/// headers, body); `None` when the connection closes without an answer.
pub fn get_with(port: u16, path: &str, headers: &str) -> Option<Answer> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Some(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Copies the tree `from` into `to`, except an invalid case's snapshot
/// (`expected.stderr` at its top), which is not part of the site.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("inside fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create dir");
        } else if rel != Path::new("expected.stderr") {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

/// A copy of the valid fixture site, with `overlay` (an invalid case under
/// `tests/fixtures/invalid/`) copied over it.
pub fn fixture_site(overlay: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("valid-site"), dir.path());
    if let Some(case) = overlay {
        copy_dir(&fixtures().join("invalid").join(case), dir.path());
    }
    dir
}

/// The `sbiz` binary under test, in its default language (Korean): the
/// variables that choose another are removed.
pub fn sbiz() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sbiz"));
    for var in ["SBIZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(var);
    }
    c
}

/// `sbiz serve` on a copy of the valid fixture site, on a free port, with
/// `args` after `serve` (before `--now 2026-11-28 --port … --themes …`).
/// The site's folder, the port and the server (dropped first, so the
/// server stops before the folder goes).
pub fn serve_fixture_site(args: &[&str]) -> (tempfile::TempDir, u16, Server) {
    serve_site(fixture_site(None), args)
}

/// [`serve_fixture_site`] on `site`, a site's folder (`content/` in it).
pub fn serve_site(site: tempfile::TempDir, args: &[&str]) -> (tempfile::TempDir, u16, Server) {
    let port = free_port();
    let server = Server(
        sbiz()
            .arg("--root")
            .arg(site.path())
            .arg("serve")
            .args(args)
            .args([
                "--now",
                "2026-11-28",
                "--port",
                &port.to_string(),
                "--themes",
            ])
            .arg(repo().join("themes"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sbiz serve starts"),
    );
    (site, port, server)
}

/// Read timeouts short enough for tests.
pub const SHORT: Timeouts = Timeouts {
    header_read: Duration::from_millis(500),
    body_read: Duration::from_millis(500),
    shutdown_grace: Duration::from_millis(500),
};

/// `sbiz serve` running in this process (`sbiz::serve::run_until`) on a
/// copy of the valid fixture site, with the given timeouts; stopped, and
/// waited for, when dropped.
pub struct InProcess {
    pub port: u16,
    pub site: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts `sbiz serve` (`--production` if `production`) in this process and
/// waits until it answers.
pub fn serve_in_process(production: bool, timeouts: Timeouts) -> InProcess {
    serve_site_in_process(fixture_site(None), production, timeouts)
}

/// [`serve_in_process`] on `site`, a site's folder (`content/` in it).
pub fn serve_site_in_process(
    site: tempfile::TempDir,
    production: bool,
    timeouts: Timeouts,
) -> InProcess {
    let port = free_port();
    let now: sbiz_catalog::clock::Now = "2026-11-28".parse().expect("date");
    let mut build = sbiz::build::Options::new(site.path(), now);
    build.themes_dir = repo().join("themes");
    let opts = sbiz::serve::ServeOptions {
        build,
        fixed_now: Some(now),
        host: "127.0.0.1".into(),
        port,
        data: site.path().join("data"),
        production: production.then(|| sbiz::serve::Production {
            rate: Default::default(),
            trust_proxy: false,
        }),
        timeouts,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        sbiz::serve::run_until(opts, async {
            let _ = stopped.await;
        })
    });
    let server = InProcess {
        port,
        site,
        stop: Some(stop),
        thread: Some(thread),
    };
    let start = Instant::now();
    while get(port, "/").is_none_or(|a| a.status != 200) {
        assert!(start.elapsed() < Duration::from_secs(30), "server not up");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// Opens a connection, sends `bytes` and stalls; returns how long the
/// server took to close the connection (what it sent is ignored). Fails
/// if it is still open after `limit`.
pub fn stall(port: u16, bytes: &[u8], limit: Duration) -> Duration {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(limit)).expect("timeout");
    let start = Instant::now();
    s.write_all(bytes).expect("write");
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!("the connection is still open after {limit:?}")
            }
            // Reset by the server: closed too.
            Err(_) => break,
        }
    }
    start.elapsed()
}

/// Asserts that a redirect never leaves the site: a `Location` is a path
/// starting with one `/` (`//host/` and `/\host/` lead elsewhere).
/// A path whose last part names a folder with an extension added
/// (`/programmes.en/`) is not found, whatever encodings the client accepts:
/// tower-http's `ServeDir`, asked with `Accept-Encoding: identity`, took
/// the `.en` for a precompressed file's extension, dropped it and answered
/// the folder `programmes/` as a 200 file that could not be read (the
/// connection closed mid-answer).
pub fn assert_folders_are_not_files(port: u16) {
    for encoding in [
        "",
        "Accept-Encoding: identity\r\n",
        "Accept-Encoding: gzip, identity\r\n",
    ] {
        for path in ["/programmes.en/", "/programmes.en", "/notices.x/"] {
            let a = get_with(port, path, encoding)
                .unwrap_or_else(|| panic!("GET {path} with {encoding:?}: no answer"));
            assert_eq!(a.status, 404, "GET {path} with {encoding:?}");
        }
    }
}

pub fn assert_stays_on_site(port: u16) {
    for (path, to) in [
        ("//programmes", "/programmes/"),
        ("///programmes", "/programmes/"),
        ("//programmes?page=2", "/programmes/?page=2"),
        ("/programmes", "/programmes/"),
        ("http://evil.example/programmes", "/programmes/"),
    ] {
        let a = get(port, path).expect("answer");
        assert_eq!(
            (a.status, a.header("location")),
            (307, Some(to)),
            "GET {path}"
        );
    }
    assert_eq!(get(port, "//programmes/").expect("answer").status, 200);
    for path in ["/\\programmes", "/%2F%2Fprogrammes", "/%5Cprogrammes"] {
        if let Some(a) = get(port, path)
            && let Some(to) = a.header("location")
        {
            assert!(
                to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                "GET {path}: Location {to}"
            );
        }
    }
}

/// Builds the site at `root` with the repository's themes at `now` into a
/// new folder, and fails the test with sbiz's errors if the build fails.
pub fn build_site(root: &Path, now: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let res = sbiz()
        .arg("--root")
        .arg(root)
        .args(["build", "--now", now, "--themes"])
        .arg(repo().join("themes"))
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("sbiz runs");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    out
}

/// A file of a built site, as text.
pub fn read_built(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
