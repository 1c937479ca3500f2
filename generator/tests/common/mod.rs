//! What the tests that run `sbiz serve` share: the server process, a free
//! port, a plain HTTP GET, and a copy of the fixture site.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
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

/// Copies the tree `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = to.join(e.path().strip_prefix(from).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("dir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// `sbiz serve` on a copy of the valid fixture site, on a free port, with
/// `args` after `serve` (before `--now 2026-11-28 --port … --themes …`).
/// The site's folder, the port and the server (dropped first, so the
/// server stops before the folder goes).
pub fn serve_fixture_site(args: &[&str]) -> (tempfile::TempDir, u16, Server) {
    let site = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures/valid-site"), site.path());
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_sbiz"))
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
