//! The CLI as an editor sees it: exact error output for each class of
//! mistake, in Korean (the default) and in English (snapshots in
//! tests/fixtures/invalid/<case>/expected.ko.stderr and expected.en.stderr),
//! builds that never leave a half-written public/, and scaffolds that check
//! in both languages.
//!
//! `SNAPSHOTS=overwrite cargo test -p sbiz-generator --test testsuite cli::`
//! rewrites the snapshots after an intended change (snapbox).

use std::path::{Path, PathBuf};

use crate::support::{copy_dir, fixture_site as site, fixtures, repo, sbiz};

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    run_at(root, "2026-11-28", args)
}

fn run_at(root: &Path, now: &str, args: &[&str]) -> std::process::Output {
    let themes = repo().join("themes");
    sbiz()
        .arg("--root")
        .arg(root)
        .args(args)
        .arg("--themes")
        .arg(&themes)
        .arg("--now")
        .arg(now)
        .output()
        .expect("sbiz runs")
}

fn check_snapshot(case: &str) {
    // Korean without asking (the default), English with `--lang en`.
    check_snapshot_in(case, &[], "ko");
    check_snapshot_in(case, &["--lang", "en"], "en");
}

fn check_snapshot_in(case: &str, lang: &[&str], suffix: &str) {
    let dir = site(Some(case));
    let mut args = lang.to_vec();
    args.push("check");
    let out = run(dir.path(), &args);
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert_eq!(
        out.status.code(),
        Some(1),
        "`sbiz check` must fail for {case}; stderr:\n{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout for a failed check"
    );
    let snapshot = fixtures()
        .join("invalid")
        .join(case)
        .join(format!("expected.{suffix}.stderr"));
    // Byte for byte (`raw`: no wildcards or path filters); SNAPSHOTS=overwrite
    // rewrites the file after an intended change of wording.
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .eq(stderr, snapbox::Data::read_from(&snapshot, None).raw());
}

macro_rules! snapshot_tests {
    ($($name:ident => $case:literal),* $(,)?) => {$(
        #[test]
        fn $name() {
            check_snapshot($case);
        }
    )*};
}

snapshot_tests! {
    unknown_fields_are_named_with_a_suggestion => "unknown-fields",
    missing_required_fields => "missing-fields",
    wrong_types => "wrong-types",
    bad_formats => "bad-formats",
    ranges_out_of_order => "ranges",
    duplicate_ids => "duplicates",
    unresolved_references => "references",
    broken_internal_links => "broken-links",
    relative_link_addresses_and_the_page_id_en => "addresses",
    yaml_syntax_errors => "yaml-syntax",
    message_templates => "messages",
    unsafe_link_schemes => "unsafe-links",
    half_filled_english_versions => "english",
    english_lists_and_paired_texts => "english-lists",
    consent_box_too_long_and_pages_not_found => "consent",
    every_problem_in_one_run => "one-run",
    menu_and_settings_links => "site-links",
}

/// Files nested 100,000 levels deep, or looking so to the locator that
/// finds line and column (the lines of a quoted string), are checked in work
/// linear in their size; the second one used to take minutes and gigabytes.
#[test]
fn deeply_nested_files_are_checked_in_bounded_work() {
    let dir = site(None);
    let facilities = dir.path().join("content/facilities");
    std::fs::write(
        facilities.join("deep-lists.yaml"),
        format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    let hub = std::fs::read_to_string(facilities.join("jewelry-hub.yaml")).expect("read");
    std::fs::write(
        facilities.join("deep-string.yaml"),
        format!("{hub}notes: \"첫 줄\n{}끝\"\n", "- ".repeat(100_000)),
    )
    .expect("write");
    let out = run(dir.path(), &["--lang", "en", "check"]);
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert_eq!(
        stderr,
        "\
error: content/facilities/deep-lists.yaml:1:129: YAML syntax error: lists and mappings are nested too deeply
  expected: at most 128 levels of lists and mappings inside each other
error: content/facilities/deep-string.yaml:11:1: `notes`: unknown field
  found:    `notes`
  expected: one of the fields of a facility: `draft`, `publish_at`, `expire_at`, `name`, `operator_type`, `operator`, `district`, `address`, `hours`, `phone`, `email`, `website`, `opened`, `floor_area_m2`, `location`, `subway`, `industries`, `areas`, `audiences`, `summary`, `description`, `en`
error: check failed: 2 errors
"
    );
}

#[test]
fn the_valid_fixture_checks_clean() {
    let dir = site(None);
    let out = run(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("이상 없음: 레코드 11개"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A theme whose translation table lacks a text the generator writes into
/// pages fails `sbiz check` at the theme's file, in each language, instead
/// of building pages with a hole.
#[test]
fn a_theme_without_a_text_the_generator_writes_fails_the_check() {
    let dir = site(None);
    let theme = dir.path().join("themes/default");
    copy_dir(&repo().join("themes/default"), &theme);
    for file in ["site.ko.yaml", "site.en.yaml"] {
        let path = theme.join("i18n").join(file);
        let text = std::fs::read_to_string(&path).expect("the theme's table");
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("fee_free:"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_ne!(kept.len(), text.len(), "{file} has fee_free");
        std::fs::write(&path, kept).expect("write the broken table");
    }
    let out = sbiz()
        .arg("--root")
        .arg(dir.path())
        .args(["--lang", "en", "check", "--themes"])
        .arg(dir.path().join("themes"))
        .args(["--now", "2026-11-28"])
        .output()
        .expect("sbiz runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for lang in ["ko", "en"] {
        let line = format!(
            "error: themes/default/i18n/site.{lang}.yaml:1:1: `fee_free`: \
             the theme lacks a text the generator writes into pages\n  \
             expected: `fee_free:` with its text\n"
        );
        assert!(stderr.contains(&line), "{line}\nnot in:\n{stderr}");
    }
    assert!(stderr.ends_with("check failed: 2 errors\n"), "{stderr}");
}

fn tree_digest(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_invalid_build_leaves_the_previous_output_whole() {
    let dir = site(None);
    let out = run(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = dir.path().join("public");
    let before = tree_digest(&public);
    assert!(before.len() > 50, "a full site was written");

    copy_dir(&fixtures().join("invalid/references"), dir.path());
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .ends_with("오류: 사이트를 빌드하지 못했습니다(오류 10건).\n")
    );
    assert_eq!(
        tree_digest(&public),
        before,
        "public/ must be untouched by a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("site dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("public.")
                && ![
                    "public.staging",
                    "public.lock",
                    "public.cache",
                    "public.staging.cache",
                ]
                .contains(&n.as_str())
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn rebuilds_replace_the_output_and_drop_pages_that_are_gone() {
    let dir = site(None);
    let public = dir.path().join("public");
    let notice = |id: &str| public.join("notices").join(id).join("index.html").is_file();
    for (now, autumn, winter) in [
        ("2026-11-28", true, false),
        ("2026-12-10", false, true),
        ("2026-11-28", true, false),
        ("2026-12-10", false, true),
    ] {
        let out = run_at(dir.path(), now, &["build"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            (notice("autumn-survey"), notice("winter-programme")),
            (autumn, winter),
            "after a build at {now}"
        );
    }
}

#[test]
fn check_writes_nothing() {
    let dir = site(None);
    let out = run(dir.path(), &["check"]);
    assert!(out.status.success());
    assert!(!dir.path().join("public").exists());
}

/// `build` lists the same problems as `check`, all in one run, and writes
/// nothing.
#[test]
fn build_lists_every_problem_in_one_run_like_check() {
    let dir = site(Some("one-run"));
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = std::fs::read_to_string(fixtures().join("invalid/one-run/expected.ko.stderr"))
        .expect("the check snapshot")
        .replace(
            "검사를 통과하지 못했습니다(오류 13건).",
            "사이트를 빌드하지 못했습니다(오류 13건).",
        );
    assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
    assert!(!dir.path().join("public").exists());
}

/// The fields a fresh scaffold leaves empty for the editor to fill in, by
/// kind: `sbiz check` names each of them until they are filled.
const TO_FILL: [(&str, &[&str]); 8] = [
    (
        "facility",
        &[
            "name",
            "operator",
            "district",
            "address",
            "hours",
            "phone",
            "industries",
            "summary",
            "description",
        ],
    ),
    (
        "equipment",
        &["name", "facility", "industries", "summary", "description"],
    ),
    (
        "programme",
        &[
            "title",
            "facility",
            "industries",
            "audiences",
            "summary",
            "description",
            "sessions[0].date",
            "apply_until",
            "capacity",
            "place",
        ],
    ),
    (
        "policy",
        &[
            "title",
            "agency",
            "summary",
            "target",
            "amount",
            "eligibility",
            "apply_until",
            "audiences",
            "apply",
        ],
    ),
    (
        "job",
        &[
            "title",
            "company",
            "industry",
            "district",
            "position",
            "wage",
            "hours",
            "deadline",
            "how_to_apply",
            "contact",
        ],
    ),
    ("notice", &["title"]),
    ("page", &["title"]),
    ("survey", &["title"]),
];

/// What an editor writes into an empty field of a scaffold (`key:` or
/// `description: |` with no lines).
fn filled(key: &str) -> Option<&'static str> {
    Some(match key {
        "name" | "title" | "company" | "position" => "새 이름",
        "operator" | "agency" => "서울특별시",
        "district" => "jung",
        "address" => "서울특별시 중구 세종대로 110",
        "hours" => "평일 09:00~18:00",
        "phone" | "contact" => "02-2133-0000",
        "industries" | "industry" => "apparel",
        "audiences" => "[owners]",
        "summary" | "target" | "amount" | "wage" | "how_to_apply" => "한 줄 소개",
        "description" => "소개",
        "facility" => "fashion-center",
        "date" => "2099-12-31",
        "apply_until" => "2099-12-30",
        "deadline" => "2099-12-31",
        "capacity" => "20",
        "place" => "교육장",
        "eligibility" => "[상시근로자 10인 미만 제조업]",
        "url" => "https://example.kr/apply",
        _ => return None,
    })
}

/// Fills in every empty field of a scaffold as an editor would.
fn fill_in(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.split(" #").next().unwrap_or(line).trim_end();
        let key = body.trim_start().trim_start_matches("- ");
        let key = key
            .strip_suffix(": |")
            .or_else(|| key.strip_suffix(':'))
            .filter(|k| !line.starts_with('#') && !k.contains(' '))
            // Nested, only `- date:` and `url:`: `hours:` of `booking:` opens a mapping.
            .filter(|k| !line.starts_with(' ') || ["date", "url"].contains(k));
        match key.and_then(|k| filled(k).map(|v| (k, v))) {
            Some((k, v)) => {
                let indent = &body[..body.len() - body.trim_start().len()];
                let dash = if body.trim_start().starts_with("- ") {
                    "- "
                } else {
                    ""
                };
                out.push_str(&format!("{indent}{dash}{k}: {v}\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// A fresh scaffold publishes nothing an editor has not written: `check`
/// fails, naming each field to fill in at its own line (they used to be
/// filled with placeholders such as "시설 이름" and 02-000-0000, which
/// checked clean and could go live). Filled in, it checks clean.
#[test]
fn every_scaffold_fails_the_check_until_it_is_filled_in_in_both_languages() {
    for (lang, created) in [("ko", " 파일을 만들었습니다."), ("en", "created ")] {
        for (kind, fields) in TO_FILL {
            let dir = site(None);
            let out = sbiz()
                .arg("--root")
                .arg(dir.path())
                .args(["--lang", lang, "new", kind, "brand-new"])
                .output()
                .expect("sbiz runs");
            assert!(
                out.status.success(),
                "new {kind}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            // The path as `check` shows files: from the site's root.
            let stdout = String::from_utf8_lossy(&out.stdout);
            let shown = stdout
                .trim()
                .trim_start_matches(created)
                .trim_end_matches(created);
            assert!(shown.starts_with("content/"), "{stdout}");
            let path = dir.path().join(shown);
            let text = std::fs::read_to_string(&path).expect("scaffold written");
            // The explanations are in the language asked for.
            let first = text
                .lines()
                .find(|l| l.starts_with("# "))
                .unwrap_or_default();
            match lang {
                "ko" => assert!(
                    first.contains("docs/content-model.md를 참고해 주세요"),
                    "{first}"
                ),
                _ => assert!(first.contains("see docs/content-model.en.md"), "{first}"),
            }
            // The comments of the fields filled with today's date stand in
            // the column of the other fields' comments.
            // (Columns counted on lines whose field part is ASCII.)
            let column = |l: &str| l.find(" # ").filter(|&i| l[..i].is_ascii());
            let columns: Vec<usize> = text.lines().filter_map(column).collect();
            for line in text.lines().filter(|l| l.contains(": 20")) {
                if let Some(c) = column(line) {
                    assert!(
                        columns.iter().filter(|&&o| o == c).count() > 1,
                        "{kind} ({lang}): {line:?} out of its column\n{text}"
                    );
                }
            }

            let out = run(dir.path(), &["check"]);
            assert!(
                !out.status.success(),
                "a fresh {kind} scaffold checks clean"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            let named: Vec<&str> = stderr
                .lines()
                .filter_map(|l| l.strip_prefix("오류: content/"))
                .filter_map(|l| l.split('`').nth(1))
                .collect();
            assert_eq!(named, *fields, "{kind}:\n{stderr}");
            for line in stderr.lines().filter(|l| l.starts_with("오류: content/")) {
                assert!(!line.contains(":1:1:"), "{line}");
            }
            // `place` (required unless online) and `apply` (a `url:` or a
            // `form:`) have their own messages.
            for field in fields.iter().filter(|f| !["place", "apply"].contains(*f)) {
                assert!(
                    stderr.contains(&format!("`{field}`: 필수 필드가 비어 있습니다: `")),
                    "{kind}: {field}\n{stderr}"
                );
            }

            std::fs::write(&path, fill_in(&text)).expect("fill in");
            let out = run(dir.path(), &["check"]);
            assert!(
                out.status.success(),
                "{lang} scaffold for {kind}, filled in, does not check:\n{}\n{}",
                String::from_utf8_lossy(&out.stderr),
                fill_in(&text)
            );

            // A second `new` with the same id refuses to overwrite.
            let again = sbiz()
                .arg("--root")
                .arg(dir.path())
                .args(["new", kind, "brand-new"])
                .output()
                .expect("sbiz runs");
            assert_eq!(
                String::from_utf8_lossy(&again.stderr),
                format!("오류: {shown} 파일이 이미 있어 아무것도 쓰지 않았습니다.\n")
            );
        }
    }
}

#[test]
fn new_rejects_unknown_kinds_and_bad_ids() {
    let dir = site(None);
    let run = |args: &[&str]| {
        sbiz()
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("sbiz runs")
    };
    let out = run(&["new", "programm", "x"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "오류: 알 수 없는 종류입니다: `programm`(혹시 `programme`인가요?). 다음 중 하나를 써 주세요: facility, equipment, programme, policy, job, notice, page, survey\n"
    );
    let out = run(&["--lang", "en", "new", "programm", "x"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: unknown kind `programm` (did you mean `programme`?); expected one of: facility, equipment, programme, policy, job, notice, page, survey\n"
    );
    let out = run(&["new", "programme", "패턴교육"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("id로 쓸 수 없습니다: `패턴교육`"));
    let out = run(&["--lang=en", "new", "programme", "패턴교육"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a valid id"));
}

/// Without `--lang`, `SBIZ_LANG` and then the locale choose; Korean when
/// neither says English.
#[test]
fn the_language_follows_sbiz_lang_then_the_locale() {
    let dir = site(Some("yaml-syntax"));
    let first_line = |env: &[(&str, &str)], args: &[&str]| {
        let out = sbiz()
            .envs(env.iter().copied())
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .arg("check")
            .output()
            .expect("sbiz runs");
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or_default()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(first_line(&[], &[]), "오류");
    assert_eq!(first_line(&[("LANG", "en_US.UTF-8")], &[]), "error");
    assert_eq!(first_line(&[("LANG", "ko_KR.UTF-8")], &[]), "오류");
    assert_eq!(
        first_line(&[("LC_ALL", "en_GB.UTF-8"), ("LANG", "ko_KR.UTF-8")], &[]),
        "error"
    );
    assert_eq!(
        first_line(&[("SBIZ_LANG", "ko"), ("LANG", "en_US.UTF-8")], &[]),
        "오류"
    );
    assert_eq!(
        first_line(&[("SBIZ_LANG", "en")], &["--lang", "ko"]),
        "오류"
    );
}

/// The help is in Korean by default and in English with `--lang en`.
#[test]
fn help_is_in_the_chosen_language() {
    let help = |args: &[&str]| {
        let out = sbiz().args(args).output().expect("sbiz runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let ko = help(&["--help"]);
    assert!(ko.contains("사용법: sbiz"), "{ko}");
    assert!(
        ko.contains("아무것도 쓰지 않고 콘텐츠, 링크, 템플릿을 검사합니다"),
        "{ko}"
    );
    let ko_new = help(&["new", "--help"]);
    assert!(ko_new.contains("레코드 id(파일 이름)"), "{ko_new}");
    let en = help(&["--lang", "en", "--help"]);
    assert!(en.contains("Usage: sbiz"), "{en}");
    assert!(
        en.contains("Check content, links and templates without writing anything"),
        "{en}"
    );
}

/// A mistake on the command line is explained in Korean too, with clap's
/// suggestion; English keeps clap's own wording.
#[test]
fn command_line_mistakes_are_in_the_chosen_language() {
    let stderr = |args: &[&str]| {
        let out = sbiz().args(args).output().expect("sbiz runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(
        stderr(&["chek"]),
        "오류: 알 수 없는 명령입니다: `chek`\n  도움말: 혹시 `check`인가요?\n\n자세한 내용은 '--help'로 확인해 주세요.\n"
    );
    assert!(stderr(&["--lang", "xx", "check"]).contains("ko 또는 en이어야 합니다."));
    let en = stderr(&["--lang", "en", "chek"]);
    assert!(
        en.starts_with("error: unrecognized subcommand 'chek'"),
        "{en}"
    );
}

/// Writes `text` into `rel` under the site `dir`.
fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).expect("write");
}

/// Windows editors begin a UTF-8 file with a byte order mark. A Markdown
/// file with one used to be refused ("missing front matter" at 1:1) though
/// it starts with `---`, and a YAML file with one whose first field was
/// wrong was reported as several documents. Columns on line 1 count from
/// the first character the editor sees.
#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    let dir = site(None);
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).expect("read");
    let notice = read("content/notices/year-end.md");
    write(
        dir.path(),
        "content/notices/year-end.md",
        &format!("\u{feff}{notice}"),
    );
    let out = run(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let facility = read("content/facilities/fashion-center.yaml");
    write(
        dir.path(),
        "content/facilities/fashion-center.yaml",
        &format!(
            "\u{feff}{}",
            facility.replacen("name: 시험 패션센터", "name: [시험 패션센터]", 1)
        ),
    );
    write(
        dir.path(),
        "content/notices/year-end.md",
        &format!(
            "\u{feff}{}",
            notice.replacen("title: 연말 휴관 안내", "title: [연말 휴관 안내]", 1)
        ),
    );
    // A link checked after loading: the file is read again for its place.
    write(
        dir.path(),
        "content/facilities/bom-hub.yaml",
        &format!(
            "\u{feff}description: 안내 [링크](/no-such-page/)\n{}",
            read("content/facilities/jewelry-hub.yaml")
                .lines()
                .filter(|l| !l.starts_with("description:") && !l.starts_with("  "))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        ),
    );
    let out = run(dir.path(), &["--lang", "en", "check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "\
error: content/facilities/bom-hub.yaml:1:17: `description`: internal link to a page that does not exist
  found:    `/no-such-page/`
  expected: a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/
error: content/facilities/fashion-center.yaml:1:7: `name`: wrong type
  found:    a list of 1 item
  expected: text
error: content/notices/year-end.md:2:8: `title`: wrong type
  found:    a list of 1 item
  expected: text
error: check failed: 3 errors
"
    );
}

/// A key written twice used to be reported at the start of its mapping
/// (2:1 in a Markdown file) with the parser's quoted key; it is reported
/// where it is written the second time, saying where the first one is.
#[test]
fn a_duplicate_key_is_shown_where_it_is_written_again() {
    let dir = site(None);
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).expect("read");
    let facility = read("content/facilities/fashion-center.yaml");
    write(
        dir.path(),
        "content/facilities/fashion-center.yaml",
        &format!("{facility}name: 다른 이름\n"),
    );
    let programme = read("content/programmes/cutter-safety.yaml");
    write(
        dir.path(),
        "content/programmes/cutter-safety.yaml",
        &programme.replacen(
            "    title: 안전 수칙\n",
            "    title: 안전 수칙\n    time: \"13:00-15:00\"\n",
            1,
        ),
    );
    let notice = read("content/notices/year-end.md");
    write(
        dir.path(),
        "content/notices/year-end.md",
        &notice.replacen("pinned: true\n", "pinned: true\ndate: 2026-11-26\n", 1),
    );
    let out = run(dir.path(), &["check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "\
오류: content/facilities/fashion-center.yaml:15:1: `name`: 같은 필드를 두 번 썼습니다(처음 쓴 곳: 1번째 줄).
  올바른 값: 필드마다 한 번만: 두 `name:` 줄 중 하나만 남겨 주세요
오류: content/notices/year-end.md:6:1: `date`: 같은 필드를 두 번 썼습니다(처음 쓴 곳: 3번째 줄).
  올바른 값: 필드마다 한 번만: 두 `date:` 줄 중 하나만 남겨 주세요
오류: content/programmes/cutter-safety.yaml:16:5: `sessions[0].time`: 같은 필드를 두 번 썼습니다(처음 쓴 곳: 14번째 줄).
  올바른 값: 필드마다 한 번만: 두 `time:` 줄 중 하나만 남겨 주세요
오류: 검사를 통과하지 못했습니다(오류 3건).
"
    );
    let out = run(dir.path(), &["--lang", "en", "check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: content/notices/year-end.md:6:1: `date`: the same field is written twice; first on line 3\n  expected: each field once: keep one of the two `date:` lines\n"
        ),
        "{stderr}"
    );
}
