//! `sbiz serve` as an editor uses it: a change is rebuilt and served, a
//! broken change shows its errors on the page while the last good build
//! keeps being served, and fixing it clears them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A minimal HTTP/1.1 GET returning (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
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
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

fn copy_dir(from: &Path, to: &Path) {
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

#[test]
fn serve_rebuilds_on_change_and_shows_errors_in_the_page() {
    let site = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures/valid-site"), site.path());
    let port = free_port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_sbiz"))
            .arg("--root")
            .arg(site.path())
            .args([
                "serve",
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
    wait_for("the first build", || {
        get(port, "/").is_some_and(|(s, _)| s == 200)
    });
    let (_, home) = get(port, "/").expect("home");
    assert!(
        home.contains("/__sbiz/reload.js"),
        "live reload script is injected"
    );
    let (status, _) = get(port, "/no/such/page/").expect("404");
    assert_eq!(status, 404);

    // An edit is rebuilt and served.
    let notice = site.path().join("content/notices/year-end.md");
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(
        &notice,
        text.replace("연말 휴관 안내", "연말연시 휴관 안내"),
    )
    .expect("edit");
    wait_for("the edit to be served", || {
        get(port, "/notices/year-end/").is_some_and(|(_, b)| b.contains("연말연시 휴관 안내"))
    });

    // A broken edit: errors on the page, the last good build still served.
    let job = site.path().join("content/jobs/sewing-operator.yaml");
    let good = std::fs::read_to_string(&job).expect("job");
    std::fs::write(
        &job,
        good.replace("deadline: 2026-12-20", "deadline: 2026-12-32"),
    )
    .expect("break");
    wait_for("the error overlay", || {
        get(port, "/").is_some_and(|(_, b)| b.contains("빌드 오류"))
    });
    let (status, page) = get(port, "/notices/year-end/").expect("page");
    assert_eq!(status, 200);
    assert!(
        page.contains("연말연시 휴관 안내"),
        "the last good build keeps being served"
    );
    assert!(
        page.contains(
            "content/jobs/sewing-operator.yaml:10:11: `deadline`: this date does not exist"
        ),
        "{page}"
    );

    // Fixing it clears the errors.
    std::fs::write(&job, good).expect("fix");
    wait_for("the overlay to go", || {
        get(port, "/").is_some_and(|(_, b)| !b.contains("빌드 오류"))
    });
}
