//! Incremental builds (issue 15): after each kind of change (a record, a
//! taxonomy term, a template, a partial, an asset, `site.yaml`, the clock
//! crossing a deadline, a record added or removed, and in the English
//! edition a record translated, an English field, an `.en.md` file, the
//! theme's translation table and site.yaml's `en:`) the output of a rebuild
//! over the previous ones is byte for byte the output of a clean build,
//! and a one-record change renders only the few pages that show it. The
//! same through `sbiz serve`'s rebuild.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sbiz::build::{self, LoadCache, Options, Report};
use sbiz::serve::ServeOptions;
use sbiz_catalog::clock::Now;

use crate::support::{copy_dir, fixtures, repo};

/// A copy of the valid fixture site with its own copy of the themes (so
/// that templates and assets can change).
pub(crate) fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("valid-site"), dir.path());
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

pub(crate) fn now(s: &str) -> Now {
    s.parse().expect("a time")
}

pub(crate) fn options(root: &Path, at: &str, out: PathBuf) -> Options {
    let mut o = Options::new(root, now(at));
    o.out = out;
    o
}

fn build_at(root: &Path, at: &str) -> Report {
    build::build(&options(root, at, root.join("public"))).expect("the site builds")
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(e.path()).expect("readable output"),
            )
        })
        .collect();
    files.sort();
    files
}

/// Asserts that `root/public` is what a clean build at `at` writes.
pub(crate) fn assert_same_as_clean(root: &Path, at: &str, what: &str) {
    let clean = tempfile::tempdir().expect("temp dir");
    let out = clean.path().join("public");
    let r = build::build(&options(root, at, out.clone())).expect("the clean build");
    assert_eq!(r.unchanged, 0, "a clean build renders every page");
    let (incremental, clean) = (tree(&root.join("public")), tree(&out));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&incremental),
        names(&clean),
        "after {what}: the same files"
    );
    for ((path, a), (_, b)) in incremental.iter().zip(&clean) {
        assert!(
            a == b,
            "after {what}: {} differs from a clean build",
            path.display()
        );
    }
}

pub(crate) fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("writable");
}

/// `sbiz serve`'s options over `root` at `at`, its records kept between
/// rebuilds in `cache`.
pub(crate) fn serve_options(root: &Path, at: &str, cache: LoadCache) -> ServeOptions {
    let mut build = options(root, at, root.join("public"));
    build.cache = Some(Arc::new(cache));
    ServeOptions {
        build,
        fixed_now: Some(now(at)),
        host: "127.0.0.1".into(),
        port: 0,
        data: root.join("data"),
        production: None,
        timeouts: crate::support::SHORT,
    }
}

/// A copy of the fixture site ([`site`]) built at `at` until both the
/// output and the staging folder hold a complete build with its manifest.
fn settled_site(at: &str) -> tempfile::TempDir {
    let dir = site();
    settle(dir.path(), at);
    dir
}

/// Three builds, so that both the output and the staging folder hold a
/// complete build with its manifest, and the last renders nothing.
fn settle(root: &Path, at: &str) {
    let first = build_at(root, at);
    assert_eq!(first.unchanged, 0, "nothing to reuse at first");
    build_at(root, at);
    let again = build_at(root, at);
    assert_eq!(
        (again.rendered, again.unchanged),
        (0, again.pages),
        "nothing changed, nothing rendered"
    );
}

#[test]
fn every_kind_of_change_rebuilds_to_the_clean_output() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    let changes: [(&str, &str, &str, &str); 9] = [
        (
            "a record",
            "content/programmes/cutter-safety.yaml",
            "apply_until: 2026-12-05",
            "apply_until: 2026-12-06",
        ),
        (
            "a taxonomy term",
            "content/taxonomies/industries.yaml",
            "name: 의류·봉제",
            "name: 의류·봉제·패션",
        ),
        (
            "a template",
            "themes/default/templates/notice.html",
            "{% extends \"base.html\" %}",
            "{% extends \"base.html\" %}{# changed #}",
        ),
        (
            "a partial",
            "themes/default/templates/partials/card.html",
            "class=",
            "data-changed class=",
        ),
        (
            "the base template",
            "themes/default/templates/base.html",
            "</footer>",
            "<!-- changed --></footer>",
        ),
        (
            "an asset",
            "themes/default/static/css/site.css",
            ":root",
            "/* changed */\n:root",
        ),
        (
            "a script",
            "themes/default/static/js/site.js",
            "(function",
            "/* changed */\n(function",
        ),
        ("site.yaml", "content/site.yaml", "name: ", "name: 새 "),
        (
            "a page",
            "content/pages/guide.md",
            "---\n",
            "---\nsummary: 바뀐 요약\n",
        ),
    ];
    for (what, file, from, to) in changes {
        edit(root, file, from, to);
        rebuild_as_clean(root, at, what);
    }
}

/// The English fixture of `english.rs` with its own copy of the themes.
/// Its English guide also links to the fashion center, which is Korean
/// only: " (in Korean)" until the center is translated.
fn english_site() -> tempfile::TempDir {
    let dir = crate::english::english_fixture();
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    edit(
        dir.path(),
        "content/pages/guide.en.md",
        "See also",
        "The [fashion center](/facilities/fashion-center/) rents cutters. See also",
    );
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Builds twice after a change (once over the staging folder, once over
/// the other) and compares each output with a clean build.
fn rebuild_as_clean(root: &Path, at: &str, what: &str) -> Report {
    let first = build_at(root, at);
    assert_same_as_clean(root, at, what);
    build_at(root, at);
    assert_same_as_clean(root, at, what);
    first
}

/// The English pages are rewritten after rendering (`localize_links`):
/// translating a record changes the links of English pages whose contexts
/// stay the same, and those pages are rendered again too.
#[test]
fn every_english_change_rebuilds_to_the_clean_output() {
    let dir = english_site();
    let root = dir.path();
    let at = "2026-11-28";
    settle(root, at);
    let guide = root.join("public/en/guide/index.html");
    assert!(
        read(&guide).contains(r#"<a href="/facilities/fashion-center/" hreflang="ko">"#),
        "the guide links to the Korean-only center: {}",
        read(&guide)
    );
    // An `en:` block added to a record: a new English page, and the links
    // of other English pages to it point at it now.
    let center = root.join("content/facilities/fashion-center.yaml");
    let korean_center = read(&center);
    edit(
        root,
        "content/facilities/fashion-center.yaml",
        "phone: 02-123-4567\n",
        "phone: 02-123-4567\nen:\n  name: Test Fashion Center\n  operator: Seoul Metropolitan Government\n  \
         address: 1 Siheung-daero, Geumcheon-gu, Seoul\n  hours: Weekdays 09:00–18:00\n  \
         summary: Rents an automatic cutter\n  description: It has a cutting room.\n",
    );
    let r = rebuild_as_clean(root, at, "an `en:` block added to a record");
    assert!(r.unchanged > 0, "{r:?}");
    assert!(
        root.join("public/en/facilities/fashion-center/index.html")
            .is_file()
    );
    assert!(
        read(&guide).contains(r#"<a href="/en/facilities/fashion-center/">"#),
        "{}",
        read(&guide)
    );
    // An English field changed: the pages that show it, not every page.
    edit(
        root,
        "content/facilities/jewelry-hub.yaml",
        "name: Test Jewelry Hub",
        "name: Test Jewellery Hub",
    );
    let r = rebuild_as_clean(root, at, "an `en:` field changed");
    assert!(r.rendered > 0 && r.unchanged > 0, "{r:?}");
    // An `.en.md` file added: a notice translated.
    std::fs::write(
        root.join("content/notices/autumn-survey.en.md"),
        "---\ntitle: Autumn satisfaction survey\n---\nPlease answer our survey.\n",
    )
    .expect("write autumn-survey.en.md");
    rebuild_as_clean(root, at, "an `.en.md` file added");
    assert!(
        root.join("public/en/notices/autumn-survey/index.html")
            .is_file()
    );
    // The theme's English translation table, the text of Korean-only links
    // included.
    edit(
        root,
        "themes/default/i18n/site.en.yaml",
        "in_korean: \"(in Korean)\"",
        "in_korean: \"(Korean only)\"",
    );
    rebuild_as_clean(root, at, "the English translation table's `in_korean`");
    assert!(read(&root.join("public/en/index.html")).contains("(Korean only)"));
    // A text that only the templates read (`t.skip_to_content`).
    edit(
        root,
        "themes/default/i18n/site.en.yaml",
        "skip_to_content: \"Skip to main content\"",
        "skip_to_content: \"Skip to the content\"",
    );
    rebuild_as_clean(root, at, "the English translation table");
    assert!(read(&root.join("public/en/index.html")).contains("Skip to the content"));
    // site.yaml's `en:` block.
    edit(
        root,
        "content/site.yaml",
        "name: Test Small Manufacturers Portal",
        "name: Test Portal of Small Manufacturers",
    );
    rebuild_as_clean(root, at, "site.yaml's `en:` block");
    // The English version of the center removed again: its page goes, and
    // the links to it are marked as Korean only once more.
    std::fs::write(&center, &korean_center).expect("write");
    rebuild_as_clean(root, at, "an `en:` block removed");
    assert!(!root.join("public/en/facilities/fashion-center").exists());
    assert!(read(&guide).contains(r#"<a href="/facilities/fashion-center/" hreflang="ko">"#));
}

#[test]
fn a_one_record_change_renders_only_the_pages_that_show_it() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    edit(
        root,
        "content/notices/year-end.md",
        "12월 31일은 쉽니다.",
        "12월 31일과 1월 1일은 쉽니다.",
    );
    let r = build_at(root, at);
    assert!(
        (1..=4).contains(&r.rendered) && r.rendered + r.unchanged == r.pages,
        "{r:?}"
    );
    assert_same_as_clean(root, at, "a notice's text");
    // A new record and a removed one.
    std::fs::copy(
        root.join("content/notices/year-end.md"),
        root.join("content/notices/new-year.md"),
    )
    .expect("copy");
    std::fs::remove_file(root.join("content/notices/autumn-survey.md")).expect("remove");
    for _ in 0..2 {
        let r = build_at(root, at);
        assert!(r.unchanged > 0, "{r:?}");
        assert_same_as_clean(root, at, "a notice added and one removed");
    }
    assert!(!root.join("public/notices/autumn-survey").exists());
}

/// A card's field (here a programme's summary) is hashed once per build
/// and its digest joins the fingerprint of every page that shows the card:
/// a change renders again exactly the pages whose HTML changes (its
/// detail page, the lists, filtered lists, term pages, its facility and
/// home), and nothing else.
#[test]
fn a_card_change_renders_again_every_page_that_shows_the_card() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    let html = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        tree(dir)
            .into_iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
            .collect()
    };
    let before = html(&root.join("public"));
    edit(
        root,
        "content/programmes/cutter-safety.yaml",
        "summary: 재단기를 쓰기 전 꼭 들어야 하는 교육",
        "summary: 재단기를 쓰기 전 반드시 들어야 하는 교육",
    );
    let r = build_at(root, at);
    let after = html(&root.join("public"));
    assert_eq!(before.len(), after.len());
    let changed = before
        .iter()
        .zip(&after)
        .filter(|((p, a), (q, b))| {
            assert_eq!(p, q);
            a != b
        })
        .count();
    assert!(changed >= 5, "the card is on several lists: {changed}");
    assert_eq!(r.rendered, changed, "{r:?}");
    assert_same_as_clean(root, at, "a card's summary");
}

#[test]
fn the_clock_crossing_a_deadline_rebuilds_to_the_clean_output() {
    let dir = site();
    let root = dir.path();
    settle(root, "2026-11-28T09:00");
    // The time of day alone changes no page (only forms.json, whose
    // globals carry the build time).
    let r = build_at(root, "2026-11-28T10:00");
    assert_eq!(r.rendered, 0, "{r:?}");
    assert_same_as_clean(root, "2026-11-28T10:00", "a later hour");
    // cutter-safety closes after 2026-12-05; startup-basics opens on 12-15;
    // notices are published and expire.
    for at in ["2026-12-06", "2026-12-06", "2026-12-20", "2026-12-20"] {
        let r = build_at(root, at);
        assert!(r.rendered > 0, "statuses changed: {r:?}");
        assert_same_as_clean(root, at, &format!("a build at {at}"));
    }
    let programme =
        std::fs::read_to_string(root.join("public/programmes/cutter-safety/index.html"))
            .expect("page");
    assert!(programme.contains("status-closed"));
}

#[test]
fn a_damaged_or_foreign_manifest_means_a_full_build() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    // A page missing from the output is rendered again.
    std::fs::remove_file(root.join("public.staging/notices/year-end/index.html")).expect("remove");
    let r = build_at(root, at);
    assert_eq!(r.rendered, 1, "{r:?}");
    assert_same_as_clean(root, at, "a page deleted from the output");
    // A manifest cut short (a crash while writing it) is not trusted.
    let manifest = root.join("public.staging.cache");
    let text = std::fs::read_to_string(&manifest).expect("a manifest beside the staging folder");
    std::fs::write(&manifest, &text[..text.len() / 2]).expect("write");
    let r = build_at(root, at);
    assert_eq!(r.unchanged, 0, "{r:?}");
    // Nor one of another format.
    edit(
        root,
        "public.staging.cache",
        "sbiz-cache 5 ",
        "sbiz-cache 0 ",
    );
    let r = build_at(root, at);
    assert_eq!(r.unchanged, 0, "{r:?}");
    assert_same_as_clean(root, at, "a foreign manifest");
}

/// The old output's manifest is moved to the staging side at the swap,
/// not read and written again: each folder keeps the manifest of its own
/// build, and one left aside by a crash during the swap is never trusted.
#[test]
fn each_folder_keeps_its_manifest_across_swaps_and_a_crashed_swap_renders_whole() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect(name);
    // The output's manifest becomes the staging folder's, as it was.
    let output = read("public.cache");
    edit(
        root,
        "content/notices/year-end.md",
        "12월 31일은 쉽니다.",
        "12월 31일과 1월 1일은 쉽니다.",
    );
    let r = build_at(root, at);
    assert!(r.rendered > 0 && r.unchanged > 0, "{r:?}");
    assert_eq!(read("public.staging.cache"), output);
    assert_ne!(read("public.cache"), output);
    assert!(!root.join("public.swap.cache").exists());
    assert_same_as_clean(root, at, "a notice's text");
    // A crash after the old output and its manifest were moved aside,
    // before the new output was moved in: the next build puts the old
    // output back as the staging folder, without a manifest.
    std::fs::rename(root.join("public.cache"), root.join("public.swap.cache")).expect("move");
    std::fs::rename(root.join("public"), root.join("public.swap")).expect("move");
    std::fs::remove_dir_all(root.join("public.staging")).expect("remove");
    std::fs::remove_file(root.join("public.staging.cache")).expect("remove");
    let r = build_at(root, at);
    assert_eq!(r.unchanged, 0, "nothing trusted after a crash: {r:?}");
    assert!(!root.join("public.swap.cache").exists());
    assert!(!root.join("public.swap").exists());
    assert_same_as_clean(root, at, "a crash during the swap");
    // The folder moved aside by the crash is now the staging one, and has
    // no manifest: rendered whole once more, then trusted again.
    let r = build_at(root, at);
    assert_eq!(r.unchanged, 0, "{r:?}");
    let r = build_at(root, at);
    assert_eq!((r.rendered, r.unchanged), (0, r.pages), "{r:?}");
    assert_same_as_clean(root, at, "builds after a crash");
}

/// A build that finds its staging folder empty (a clean start, or the
/// folder removed while its manifest stayed) writes without comparing and
/// prunes nothing; the folder it leaves for the next build (the old
/// output, after the swap) is not empty, and is pruned there.
#[test]
fn a_build_into_an_empty_staging_folder_then_rebuilds_equal_clean_builds() {
    let at = "2026-11-28";
    let dir = settled_site(at);
    let root = dir.path();
    std::fs::remove_dir_all(root.join("public.staging")).expect("remove the staging folder");
    assert!(
        root.join("public.staging.cache").exists(),
        "its manifest stays"
    );
    let r = build_at(root, at);
    assert_eq!((r.rendered, r.unchanged), (r.pages, 0), "{r:?}");
    assert_same_as_clean(root, at, "a build into an empty staging folder");
    // The same with the folder there but empty.
    std::fs::remove_dir_all(root.join("public.staging")).expect("remove");
    std::fs::create_dir(root.join("public.staging")).expect("an empty folder");
    let r = build_at(root, at);
    assert_eq!(r.unchanged, 0, "{r:?}");
    // A record removed: both folders drop its pages.
    std::fs::remove_file(root.join("content/notices/autumn-survey.md")).expect("remove");
    rebuild_as_clean(
        root,
        at,
        "a notice removed after a build into an empty folder",
    );
    assert!(!root.join("public/notices/autumn-survey").exists());
}

#[test]
fn serve_rebuilds_incrementally_to_the_clean_output() {
    let dir = site();
    let root = dir.path();
    let at = "2026-11-28";
    // As `sbiz serve` runs: records kept between rebuilds.
    let serve = serve_options(root, at, LoadCache::default());
    let preview = sbiz::serve::Preview::new();
    for _ in 0..3 {
        assert!(sbiz::serve::rebuild(&serve, &preview, None));
    }
    for (file, from, to) in [
        (
            "content/notices/year-end.md",
            "12월 31일은 쉽니다.",
            "12월 31일은 쉽니다. 고맙습니다.",
        ),
        (
            "themes/default/templates/partials/terms.html",
            "<",
            "<!-- changed --><",
        ),
        (
            "themes/default/static/css/site.css",
            ":root",
            "/* changed */\n:root",
        ),
    ] {
        edit(root, file, from, to);
        for _ in 0..2 {
            assert!(sbiz::serve::rebuild(&serve, &preview, None));
            assert_same_as_clean(root, at, file);
        }
    }
}

/// `serve`'s options on `root` at `at`, with a settling cache, and its
/// preview after two rebuilds (the cache then holds every piece).
fn serving(root: &Path, at: &str) -> (ServeOptions, std::sync::Arc<sbiz::serve::Preview>) {
    let serve = serve_options(root, at, LoadCache::settling_after(Default::default()));
    let preview = sbiz::serve::Preview::new();
    for _ in 0..2 {
        assert!(sbiz::serve::rebuild(&serve, &preview, None));
    }
    (serve, preview)
}

/// Rebuilds twice after `file` changed (the second from the pieces the
/// first kept): each time the output is a clean build's and every file of
/// `shown_in` shows `shown`.
fn rebuilt_twice_showing(
    root: &Path,
    at: &str,
    (serve, preview): (&ServeOptions, &sbiz::serve::Preview),
    file: &str,
    shown: &str,
    shown_in: &[&str],
) {
    for _ in 0..2 {
        assert!(sbiz::serve::rebuild(serve, preview, None));
        assert_same_as_clean(root, at, file);
        for data in shown_in {
            assert!(
                read(&root.join("public").join(data)).contains(shown),
                "{data} shows {shown:?} after {file} changed"
            );
        }
    }
}

/// The files made whole on every build (search index, open data, feeds,
/// calendars) take the pieces of unchanged records from `serve`'s cache:
/// after a record's title changes, each of them is still a clean build's,
/// byte for byte, and shows the new title.
#[test]
fn serve_rebuilds_the_files_made_whole_to_the_clean_output() {
    let dir = site();
    let root = dir.path();
    let at = "2026-11-28";
    let (serve, preview) = serving(root, at);
    let changes: [(&str, &str, &str, &[&str]); 4] = [
        (
            "content/programmes/cutter-safety.yaml",
            "title: 자동재단기 안전교육",
            "title: 자동재단기 안전 교육",
            &[
                "search/index.json",
                "data/programmes.json",
                "data/programmes.csv",
                "feeds/programmes.xml",
                "programmes/sessions.ics",
                "programmes/cutter-safety/sessions.ics",
            ],
        ),
        (
            "content/facilities/fashion-center.yaml",
            "name: 시험 패션센터",
            "name: 시험 패션지원센터",
            &[
                "search/index.json",
                "data/facilities.json",
                "data/facilities.csv",
                "programmes/sessions.ics",
                "programmes/cutter-safety/sessions.ics",
            ],
        ),
        (
            "content/jobs/sewing-operator.yaml",
            "title: 미싱사 모집",
            "title: 숙련 미싱사 모집",
            &["search/index.json", "data/jobs.json", "data/jobs.csv"],
        ),
        (
            "content/notices/year-end.md",
            "title: 연말 휴관 안내",
            "title: 연말연시 휴관 안내",
            &["search/index.json", "feeds/notices.xml"],
        ),
    ];
    for (file, from, to, shown_in) in changes {
        edit(root, file, from, to);
        let new = to.split_once(": ").map_or(to, |(_, v)| v);
        rebuilt_twice_showing(root, at, (&serve, &preview), file, new, shown_in);
    }
    // The clock crossing the programme's deadline: every status that shows
    // it, in its rows of open data and its search entry too.
    let later = "2026-12-06";
    let mut serve = serve;
    serve.build.now = now(later);
    serve.fixed_now = Some(now(later));
    assert!(sbiz::serve::rebuild(&serve, &preview, None));
    assert_same_as_clean(root, later, "the clock crossing a deadline");
}

/// A row of open data is kept by the values it shows, some of which are
/// not the record's own: each change below alters rows of open data (a
/// booking rule, an id list joined into one cell, the site's base URL in
/// every row's URL, the theme's text for a closed day in the equipment's
/// hours), and after each the files are a clean build's and show it.
#[test]
fn serve_rebuilds_the_rows_of_open_data_to_the_clean_output() {
    let dir = site();
    let root = dir.path();
    let at = "2026-11-28";
    let (serve, preview) = serving(root, at);
    let changes: [(&str, &str, &str, &str, &[&str]); 4] = [
        (
            "content/equipment/wax-printer.yaml",
            "fee_won: 10000",
            "fee_won: 12000",
            "12000",
            &["data/equipment.json", "data/equipment.csv"],
        ),
        (
            "content/facilities/fashion-center.yaml",
            "industries: [apparel]",
            "industries: [apparel, jewelry]",
            "apparel;jewelry",
            &["data/facilities.json", "data/facilities.csv"],
        ),
        (
            "content/site.yaml",
            "base_url: https://test.example.kr",
            "base_url: https://data.example.kr",
            "https://data.example.kr/",
            &["data/jobs.json", "data/jobs.csv", "data/programmes.csv"],
        ),
        (
            "themes/default/i18n/site.ko.yaml",
            "closed_day: \"휴관\"",
            "closed_day: \"쉬는 날\"",
            "쉬는 날",
            &["data/equipment.json", "data/equipment.csv"],
        ),
    ];
    for (file, from, to, shown, shown_in) in changes {
        edit(root, file, from, to);
        rebuilt_twice_showing(root, at, (&serve, &preview), file, shown, shown_in);
    }
}

/// The same in the English edition, whose search index has its own
/// entries: an English title changed, then a Korean one of a translated
/// record (the Korean index changes, the English one keeps its entry).
#[test]
fn serve_rebuilds_the_english_search_index_to_the_clean_output() {
    let dir = english_site();
    let root = dir.path();
    let at = "2026-11-28";
    let (serve, preview) = serving(root, at);
    let index = |lang: &str| read(&root.join("public").join(lang).join("search/index.json"));
    for (from, to) in [
        ("name: Test Jewelry Hub", "name: Test Jewellery Hub"),
        ("name: 시험 주얼리허브\n", "name: 시험 주얼리허브 본관\n"),
    ] {
        edit(root, "content/facilities/jewelry-hub.yaml", from, to);
        for _ in 0..2 {
            assert!(sbiz::serve::rebuild(&serve, &preview, None));
            assert_same_as_clean(root, at, to);
        }
    }
    assert!(index("en").contains("Test Jewellery Hub"));
    assert!(index("").contains("시험 주얼리허브 본관"));
    assert!(!index("en").contains("본관"));
}

/// `sbiz serve` loads each part of the booking API (catalog, search
/// indexes, theme) again only when the files it is read from changed, and
/// always when they did.
#[test]
fn serve_reloads_each_part_of_the_booking_api_only_when_its_files_change() {
    let dir = site();
    let root = dir.path();
    let at = "2026-11-28";
    let serve = serve_options(root, at, LoadCache::default());
    let store = sbiz_booking::store::sqlite::SqliteStore::open(root.join("booking.sqlite3"))
        .expect("the booking database");
    let parts = sbiz::serve::ApiParts {
        store: Arc::new(store),
        clock: Arc::new(sbiz_catalog::clock::FixedClock::at_kst(
            now(at).date,
            now(at).time,
        )),
        config: Default::default(),
        channels: None,
    };
    let preview = sbiz::serve::Preview::new();
    let rebuild = || assert!(sbiz::serve::rebuild(&serve, &preview, Some(&parts)));
    rebuild();
    let state = preview.api_state().expect("the booking API");
    let parts_now = || {
        (
            state.catalog(),
            state.search(sbiz_catalog::Lang::Ko).expect("an index"),
            state.theme().expect("a theme"),
        )
    };
    let (catalog, search, theme) = parts_now();
    // Nothing changed: nothing loaded again.
    rebuild();
    let (c, s, t) = parts_now();
    assert!(Arc::ptr_eq(&c, &catalog) && Arc::ptr_eq(&s, &search) && Arc::ptr_eq(&t, &theme));
    // A notice's text: its search index only.
    edit(
        root,
        "content/notices/year-end.md",
        "12월 31일은 쉽니다.",
        "12월 31일은 쉽니다. 고맙습니다.",
    );
    rebuild();
    let (c, s, t) = parts_now();
    assert!(Arc::ptr_eq(&c, &catalog) && Arc::ptr_eq(&t, &theme));
    assert!(format!("{:?}", s.docs).contains("고맙습니다"));
    let search = s;
    // A facility's name: the catalog (and the index, which shows it).
    edit(
        root,
        "content/facilities/fashion-center.yaml",
        "name: 시험 패션센터",
        "name: 시험 패션지원센터",
    );
    rebuild();
    let (c, s, t) = parts_now();
    assert!(c.facilities.iter().any(|f| f.name == "시험 패션지원센터"));
    assert!(!Arc::ptr_eq(&s, &search) && Arc::ptr_eq(&t, &theme));
    let catalog = c;
    // A form template: the theme only.
    edit(
        root,
        "themes/default/templates/forms/form.html",
        "<",
        "<!-- changed --><",
    );
    rebuild();
    let (c, _, t) = parts_now();
    assert!(Arc::ptr_eq(&c, &catalog) && !Arc::ptr_eq(&t, &theme));
}

/// The summary line says how many pages were rendered and how many were
/// left as they were, in Korean by default and in English on request.
#[test]
fn the_summary_line_counts_rendered_and_unchanged_pages() {
    let dir = site();
    let root = dir.path();
    let run = |lang: &[&str]| {
        let out = crate::support::sbiz()
            .arg("--root")
            .arg(root)
            .args(lang)
            .args(["build", "--now", "2026-11-28"])
            .output()
            .expect("sbiz runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        // The time varies: its digits become `N`.
        let mut masked = String::new();
        let mut digits = String::new();
        for (i, c) in stdout.char_indices() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let rest = &stdout[i..];
            if !digits.is_empty() && (rest.starts_with("ms") || rest.starts_with(" ms")) {
                masked.push('N');
            } else {
                masked.push_str(&digits);
            }
            digits.clear();
            masked.push(c);
        }
        masked + &digits
    };
    let public = root.join("public").display().to_string();
    assert_eq!(
        run(&[]),
        format!(
            "레코드 11개로 페이지 95개를 {public}에 빌드했습니다(Nms, 새로 만든 페이지 95개, 그대로 둔 페이지 0개).\n"
        )
    );
    run(&[]);
    assert_eq!(
        run(&["--lang", "en"]),
        format!(
            "built 95 pages from 11 records in N ms into {public} (0 rendered, 95 unchanged)\n"
        )
    );
    edit(
        root,
        "content/notices/year-end.md",
        "12월 31일은 쉽니다.",
        "12월 31일과 1월 1일은 쉽니다.",
    );
    // The notice, the list of notices, the home page and its facility's page.
    let line = run(&[]);
    assert!(
        line.ends_with("새로 만든 페이지 4개, 그대로 둔 페이지 91개).\n"),
        "{line}"
    );
}
