//! Links as time passes and as editors mistype them: a link to a record
//! that exists but is not published at the build's time (a draft, a
//! `publish_at` to come, an `expire_at` passed) is written as its text and
//! warned of, never an error and never a broken link; a link to a record
//! that leaves the site within a week is warned of ahead; the page
//! suggested for a link to a missing one is of the linking page's language.
//!
//! The warnings' exact output is in
//! tests/fixtures/warnings/unpublished-links/expected.{ko,en}.stderr
//! (`SNAPSHOTS=overwrite` rewrites them, as for the error snapshots).

use std::path::Path;
use std::process::Output;

use crate::support::{copy_dir, fixtures, repo, sbiz};

fn run(root: &Path, now: &str, args: &[&str]) -> Output {
    sbiz()
        .arg("--root")
        .arg(root)
        .args(args)
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--now")
        .arg(now)
        .output()
        .expect("sbiz runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The valid fixture site with the `unpublished-links` overlay: a page
/// linking to a notice before its `publish_at`, to one whose `expire_at`
/// is three days away and to a draft; a facility's and an equipment's
/// descriptions linking to a programme past its `expire_at`, which the
/// equipment also names as its required training.
fn unpublished_links_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("valid-site"), dir.path());
    copy_dir(
        &fixtures().join("warnings/unpublished-links/content"),
        &dir.path().join("content"),
    );
    dir
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn links_to_records_not_published_are_text_with_a_warning() {
    let dir = unpublished_links_site();
    for (lang, suffix) in [(&[][..], "ko"), (&["--lang", "en"][..], "en")] {
        let mut args = lang.to_vec();
        args.push("check");
        let out = run(dir.path(), "2026-11-28", &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let snapshot = fixtures().join(format!(
            "warnings/unpublished-links/expected.{suffix}.stderr"
        ));
        snapbox::Assert::new()
            .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
            .eq(
                stderr(&out),
                snapbox::Data::read_from(&snapshot, None).raw(),
            );
    }

    let out = run(dir.path(), "2026-11-28", &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = dir.path().join("public");
    let guide = read(&public, "guide/index.html");
    for gone in ["/notices/winter-programme/", "/draft-page/"] {
        assert!(
            !guide.contains(&format!("href=\"{gone}")),
            "{gone}: {guide}"
        );
    }
    assert!(guide.contains("12월 교육은 겨울 교육 안내를,"), "{guide}");
    assert!(guide.contains("<a href=\"/programmes/\">교육 목록</a>과 준비 중인 안내도"));
    // Still published: linked, and warned of above.
    assert!(guide.contains("<a href=\"/notices/autumn-survey/\">만족도 조사 안내</a>"));
    for page in [
        "equipment/auto-cutter/index.html",
        "facilities/fashion-center/index.html",
    ] {
        let html = read(&public, page);
        assert!(
            !html.contains("/programmes/cutter-safety/"),
            "{page}: {html}"
        );
    }
    let equipment = read(&public, "equipment/auto-cutter/index.html");
    assert!(equipment.contains("<p>안전교육을 받은 분만\n예약할 수 있습니다.</p>"));
    assert!(equipment.contains("<dt>필수 교육</dt><dd>필수 교육 수료자"));

    // A fortnight later the notice is published (and linked), the survey
    // notice is taken down (and no longer linked): the build still passes.
    let out = run(dir.path(), "2026-12-12", &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let guide = read(&public, "guide/index.html");
    assert!(guide.contains("<a href=\"/notices/winter-programme/\">겨울 교육 안내</a>"));
    assert!(!guide.contains("href=\"/notices/autumn-survey/"), "{guide}");
    assert!(stderr(&out).contains(
        "경고: content/pages/guide.md:9:5: 2026-12-01에 게시가 끝난 레코드로 가는 링크입니다."
    ));
}

/// The warnings of a check or build that fails come with its errors
/// (they used to be printed only when there was none): after the errors,
/// apart from them, and counted in the closing line. The exact output is
/// in tests/fixtures/warnings/with-errors/expected.{ko,en}.stderr.
#[test]
fn warnings_are_reported_with_the_errors() {
    let dir = unpublished_links_site();
    copy_dir(
        &fixtures().join("warnings/with-errors/content"),
        &dir.path().join("content"),
    );
    for (lang, suffix) in [(&[][..], "ko"), (&["--lang", "en"][..], "en")] {
        let mut args = lang.to_vec();
        args.push("check");
        let out = run(dir.path(), "2026-11-28", &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let snapshot = fixtures().join(format!("warnings/with-errors/expected.{suffix}.stderr"));
        snapbox::Assert::new()
            .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
            .eq(
                stderr(&out),
                snapbox::Data::read_from(&snapshot, None).raw(),
            );
    }
    // `build` says the same, its closing line naming the build.
    let check = stderr(&run(dir.path(), "2026-11-28", &["check"]));
    let out = run(dir.path(), "2026-11-28", &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        check.replace(
            "오류: 검사를 통과하지 못했습니다(오류 2건, 경고 6건).",
            "오류: 사이트를 빌드하지 못했습니다(오류 2건, 경고 6건)."
        )
    );
    assert!(!dir.path().join("public").exists());
}

/// A copy of the real content with `extra` added to the end of the pages
/// named.
fn real_site_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    for (file, text) in extra {
        let path = dir.path().join("content/pages").join(file);
        let mut page = std::fs::read_to_string(&path).expect("a page of the real content");
        page.push_str(text);
        std::fs::write(&path, page).expect("write the page");
    }
    dir
}

#[test]
fn suggested_pages_are_of_the_linking_pages_language() {
    let dir = real_site_with(&[
        (
            "about.md",
            "\n[예약 방법](/pages/how-to-book/), [교육](/programes/)\n",
        ),
        (
            "about.en.md",
            "\n[Booking](/en/pages/how-to-book/), [Training](/en/programes/), [Booking again](how-to-book), [Courses](/programes/)\n",
        ),
    ]);
    let out = run(dir.path(), "2026-11-28", &["check"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let helps: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  도움말:"))
        .collect();
    assert_eq!(
        helps,
        [
            "  도움말:    혹시 `/en/how-to-book/`인가요?",
            "  도움말:    혹시 `/en/programmes/`인가요?",
            "  도움말:    혹시 `/en/how-to-book/`인가요?",
            "  도움말:    혹시 `/en/programmes/`인가요?",
            "  도움말:    혹시 `/how-to-book/`인가요?",
            "  도움말:    혹시 `/programmes/`인가요?",
        ],
        "{text}"
    );
}
