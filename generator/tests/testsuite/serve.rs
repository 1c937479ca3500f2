//! `sbiz serve` as an editor uses it: a change is rebuilt and served, a
//! broken change shows its errors on the page while the last good build
//! keeps being served, and fixing it clears them. Redirects stay on the
//! site, and stalled requests are cut off while live reload stays open.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::*;

/// A GET as (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    crate::support::get(port, path).map(|a| (a.status, a.body))
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

#[test]
fn serve_rebuilds_on_change_and_shows_errors_in_the_page() {
    let (site, port, _server) = serve_fixture_site(&[]);
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
        page.contains("content/jobs/sewing-operator.yaml:10:11: `deadline`: 없는 날짜입니다."),
        "{page}"
    );

    // Fixing it clears the errors.
    std::fs::write(&job, good).expect("fix");
    wait_for("the overlay to go", || {
        get(port, "/").is_some_and(|(_, b)| !b.contains("빌드 오류"))
    });
}

/// With broken content and no earlier build in `public/`, every page used
/// to answer an empty 404 (the errors only in the terminal): it is a page
/// of the errors, escaped, that reloads into the site once they are fixed.
#[test]
fn serve_without_a_good_build_shows_the_errors_on_every_page() {
    let site = fixture_site(None);
    let job = site.path().join("content/jobs/sewing-operator.yaml");
    let good = std::fs::read_to_string(&job).expect("job");
    std::fs::write(
        &job,
        good.replace("deadline: 2026-12-20", "deadline: <b>2026-12-32</b>"),
    )
    .expect("break");
    let (_site, port, _server) = serve_site(site, &[]);
    wait_for("the errors' page", || {
        get(port, "/").is_some_and(|(s, _)| s == 503)
    });
    for path in ["/", "/programmes/cutter-safety/", "/no/such/page/", "/en/"] {
        let (status, page) = get(port, path).expect("page");
        assert_eq!(status, 503, "{path}");
        assert!(
            page.contains("<h1 style=\"color:#8a1010\">사이트를 빌드하지 못했고, 보여 줄 이전 빌드도 없습니다.</h1>"),
            "{page}"
        );
        assert!(
            page.contains(
                "<p>아래 오류를 고쳐 파일을 저장하면 이 페이지가 저절로 새로 고쳐집니다.</p>"
            ),
            "{page}"
        );
        assert!(
            page.contains(
                "오류: content/jobs/sewing-operator.yaml:10:11: `deadline`: 형식이 맞지 않습니다.\n  입력한 값: &quot;&lt;b&gt;2026-12-32&lt;/b&gt;&quot;"
            ),
            "{page}"
        );
        assert!(page.contains("<script src=\"/__sbiz/reload.js\" defer></script>"));
        assert_eq!(page.matches("/__sbiz/reload.js").count(), 1, "{page}");
    }
    // Not a page: the reload script and the API answer as before.
    let (status, _) = get(port, "/__sbiz/reload.js").expect("script");
    assert_eq!(status, 200);

    std::fs::write(&job, good).expect("fix");
    wait_for("the site", || get(port, "/").is_some_and(|(s, _)| s == 200));
    let (status, _) = get(port, "/no/such/page/").expect("404");
    assert_eq!(status, 404);
}

/// Warnings used to reach only the terminal, and only when the build had
/// no error. A good build's warnings are a notice on every page as `sbiz
/// serve` answers it (never in the files of `public/`); with errors, the
/// overlay and the terminal show the warnings after them.
#[test]
fn serve_shows_the_warnings_on_the_pages_and_with_the_errors() {
    let site = fixture_site(None);
    copy_dir(
        &fixtures().join("warnings/unpublished-links/content"),
        &site.path().join("content"),
    );
    let log = site.path().join("serve.log");
    let port = free_port();
    let _server = Server(
        sbiz()
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
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("the log"))
            .spawn()
            .expect("sbiz serve starts"),
    );
    wait_for("the first build", || {
        get(port, "/guide/").is_some_and(|(s, _)| s == 200)
    });
    let (_, page) = get(port, "/guide/").expect("page");
    assert!(
        page.contains("<aside id=\"sbiz-warnings\" aria-labelledby=\"sbiz-warnings-title\""),
        "{page}"
    );
    assert!(page.contains(">\u{26a0} 경고 6건</h2>"), "{page}");
    assert!(page.contains("경고 내용 보기</summary>"), "{page}");
    assert!(
        page.contains("경고: content/pages/guide.md:13:48: 초안인 레코드로 가는 링크입니다."),
        "{page}"
    );
    assert!(!page.contains("빌드 오류"), "{page}");
    // The page itself is all there, before the notice.
    let notice = page.find("sbiz-warnings").expect("the notice");
    assert!(
        page[..notice].contains("12월 교육은 겨울 교육 안내를,"),
        "{page}"
    );
    // The files written are the site's own.
    let written = std::fs::read_to_string(site.path().join("public/guide/index.html"))
        .expect("the built page");
    assert!(!written.contains("sbiz-warnings"), "{written}");
    assert!(!written.contains("__sbiz"), "{written}");

    // A broken edit: the errors, then the warnings, in the overlay.
    copy_dir(
        &fixtures().join("warnings/with-errors/content"),
        &site.path().join("content"),
    );
    wait_for("the error overlay", || {
        get(port, "/").is_some_and(|(_, b)| b.contains("빌드 오류"))
    });
    let (_, page) = get(port, "/guide/").expect("page");
    assert!(!page.contains("sbiz-warnings"), "{page}");
    let error = page
        .find("오류: content/pages/contact.md:6:8: 없는 페이지로 가는 내부 링크입니다.")
        .expect("the error");
    let warning = page
        .find("경고: content/pages/guide.md:13:48:")
        .expect("the warning");
    let summary = page
        .find("오류: 사이트를 빌드하지 못했습니다(오류 2건, 경고 6건).")
        .expect("the count");
    assert!(error < warning && warning < summary, "{page}");
    // The terminal says the same.
    let terminal = std::fs::read_to_string(&log).expect("the log");
    let error = terminal
        .find("오류: content/pages/contact.md:6:8:")
        .expect("error");
    let warning = terminal[error..]
        .find("경고: content/pages/guide.md:13:48:")
        .expect("the warning after the error");
    assert!(
        terminal[error + warning..]
            .contains("오류: 사이트를 빌드하지 못했습니다(오류 2건, 경고 6건)."),
        "{terminal}"
    );
}

/// `GET //programmes` used to answer `307 Location: //programmes/`, which a
/// browser follows to the host `programmes` (issue 9, finding 10).
#[test]
fn the_preview_never_redirects_off_site() {
    let (_site, port, _server) = serve_fixture_site(&[]);
    wait_for("the first build", || {
        get(port, "/").is_some_and(|(s, _)| s == 200)
    });
    assert_stays_on_site(port);
    assert_folders_are_not_files(port);
}

/// A connection stuck mid-headers, or silent, used to stay open forever
/// (issue 9, finding 11). The live-reload stream is a long answer, not a
/// long request: the read timeouts leave it open.
#[test]
fn the_preview_cuts_off_stalled_requests_but_keeps_live_reload_open() {
    let server = serve_in_process(false, SHORT);
    let port = server.port;
    let limit = SHORT.header_read * 6;
    stall(
        port,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        limit,
    );
    stall(port, b"GE", limit);
    stall(port, b"", limit);

    let mut events = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    events
        .write_all(b"GET /__sbiz/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("write");
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    std::thread::sleep(SHORT.header_read * 3);
    // An edit, well after every read timeout, still reaches the page.
    let notice = server.site.path().join("content/notices/year-end.md");
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(&notice, text.replace("휴관", "휴관 (수정)")).expect("edit");
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).expect("the stream is still open");
        assert!(n > 0, "the stream was closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}
