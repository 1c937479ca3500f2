//! Builds the real `content/` and checks the whole output: every page kind
//! exists, and no internal link, anchor or asset reference is broken.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::support::{repo, sbiz};

fn build(root: &Path, out: &Path) {
    let res = sbiz()
        .arg("--root")
        .arg(root)
        .args(["build", "--now", "2026-11-28T09:00", "--out"])
        .arg(out)
        .output()
        .expect("sbiz runs");
    assert!(
        res.status.success(),
        "the real content must build:\n{}",
        String::from_utf8_lossy(&res.stderr)
    );
}

/// Values of `attr="…"` in an HTML document.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file that serves `url` in `out`, if any.
fn target(out: &Path, url: &str) -> Option<PathBuf> {
    let rel = url.trim_start_matches('/');
    let p = if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    };
    p.is_file().then_some(p)
}

/// Every broken internal reference in the site at `out`.
fn broken_references(out: &Path) -> Vec<String> {
    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.insert(
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).expect("utf-8 page"),
            );
        }
    }
    let ids: HashMap<&PathBuf, HashSet<String>> = pages
        .iter()
        .map(|(p, html)| (p, attrs(html, "id").into_iter().map(unescape).collect()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        let from = page.strip_prefix(out).unwrap_or(page).display().to_string();
        for link in attrs(html, "href")
            .into_iter()
            .chain(attrs(html, "src"))
            .chain(attrs(html, "action"))
        {
            let link = unescape(link);
            // Forms post to the booking function, served beside the files.
            if link.starts_with("//")
                || link.starts_with("/api/")
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p.to_owned(), Some(percent_decode(a))),
                None => (link.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_owned();
            let file = if path.is_empty() {
                Some(page.clone())
            } else if path.starts_with('/') {
                target(out, &path)
            } else {
                broken.push(format!("{from}: relative link {link:?}"));
                continue;
            };
            let Some(file) = file else {
                broken.push(format!("{from}: {link} does not exist"));
                continue;
            };
            if let Some(a) = anchor.filter(|a| !a.is_empty())
                && !ids.get(&file).is_some_and(|ids| ids.contains(&a))
            {
                broken.push(format!("{from}: {link} has no anchor #{a}"));
            }
        }
    }
    broken.sort();
    broken
}

#[test]
fn real_content_builds_with_every_page_kind_and_no_broken_reference() {
    let out = tempfile::tempdir().expect("temp dir");
    build(&repo(), out.path());
    let o = out.path();
    for must in [
        "index.html",
        "404.html",
        "search/index.html",
        "sitemap.xml",
        "robots.txt",
        "feeds/notices.xml",
        "feeds/programmes.xml",
        "programmes/sessions.ics",
        "catalog.json",
        "industries/index.html",
        "districts/index.html",
        "audiences/index.html",
        "stages/index.html",
        "areas/index.html",
        "about/index.html",
        "privacy/index.html",
    ] {
        assert!(o.join(must).is_file(), "missing {must}");
    }
    for section in [
        "facilities",
        "equipment",
        "programmes",
        "policies",
        "jobs",
        "notices",
    ] {
        assert!(
            o.join(section).join("index.html").is_file(),
            "missing list of {section}"
        );
        let details = std::fs::read_dir(o.join(section))
            .expect("section folder")
            .filter_map(Result::ok)
            .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
            .count();
        assert!(details > 0, "no detail pages for {section}");
    }
    for data in ["facilities", "equipment", "programmes", "policies", "jobs"] {
        for ext in ["json", "csv"] {
            assert!(
                o.join(format!("data/{data}.{ext}")).is_file(),
                "missing open data {data}.{ext}"
            );
        }
    }
    let broken = broken_references(o);
    assert!(
        broken.is_empty(),
        "{} broken references:\n{}",
        broken.len(),
        broken.join("\n")
    );

    // The catalog is what the booking function loads: it must parse back.
    let catalog: sbiz_catalog::Catalog =
        serde_json::from_slice(&std::fs::read(o.join("catalog.json")).expect("catalog"))
            .expect("catalog parses");
    assert!(!catalog.equipment.is_empty() && !catalog.programmes.is_empty());

    // Course pages carry JSON-LD (equipment and policy pages do not: no
    // search engine shows a Service).
    let programme = std::fs::read_dir(o.join("programmes"))
        .expect("dir")
        .filter_map(Result::ok)
        .find(|e| {
            e.path().join("index.html").is_file()
                && e.file_name() != "page"
                && e.file_name() != "status"
        })
        .expect("a programme");
    let html = std::fs::read_to_string(programme.path().join("index.html")).expect("page");
    assert!(
        html.contains("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\""),
        "JSON-LD on programme pages"
    );
    let equipment = std::fs::read_dir(o.join("equipment"))
        .expect("dir")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path().join("index.html")).ok())
        .find(|h| h.contains("id=\"booking\""))
        .expect("an equipment page");
    let html = equipment;
    assert!(
        !html.contains("application/ld+json"),
        "no JSON-LD on equipment pages"
    );

    // Directions: every facility page links to 카카오맵 and 네이버 지도 with
    // its coordinates (plain links, no script) and names its subway station;
    // the list shows the station too.
    let mut facilities = 0;
    for e in std::fs::read_dir(o.join("facilities"))
        .expect("dir")
        .filter_map(Result::ok)
    {
        let page = e.path().join("index.html");
        if !page.is_file() || e.file_name() == "page" || e.file_name() == "districts" {
            continue;
        }
        let html = std::fs::read_to_string(&page).expect("page");
        if !html.contains("<h1>")
            || !html.contains("\"GovernmentOffice\"") && !html.contains("\"Organization\"")
        {
            continue;
        }
        facilities += 1;
        let id = e.file_name().to_string_lossy().into_owned();
        assert!(
            html.contains("href=\"https://map.kakao.com/link/to/")
                && html.contains("href=\"https://map.naver.com/p/search/")
                && html.contains("가까운 지하철역: ")
                && html.contains("\"GeoCoordinates\""),
            "facility {id} lacks directions"
        );
    }
    assert!(
        facilities >= 29,
        "every facility page was checked ({facilities})"
    );
    assert!(read(o, "facilities/index.html").contains(" · 가까운 지하철역: "));

    // 예약 조회 and 내 예약·신청 are findable: in every page's header, on
    // how-to-book and on the site map page.
    for page in [
        "index.html",
        "how-to-book/index.html",
        "sitemap/index.html",
        "jobs/index.html",
    ] {
        assert!(
            read(o, page).contains("href=\"/reservation/\""),
            "{page} does not link to 예약 조회"
        );
        assert!(
            read(o, page).contains("href=\"/my/\""),
            "{page} does not link to 내 예약·신청"
        );
    }
    // The header names each once, whatever the site's own utility links.
    let home = read(o, "index.html");
    let header = home.split("</header>").next().unwrap_or_default();
    assert_eq!(header.matches("href=\"/reservation/\"").count(), 1);
    assert_eq!(header.matches("href=\"/my/\"").count(), 1);
    // The phone form of 내 예약·신청 posts to the function.
    let my = read(o, "my/index.html");
    assert!(my.contains("action=\"/api/my/code\"") && my.contains("id=\"my-phone-phone\""));
    assert!(!my.contains("data-my-unavailable"), "the site sends 문자");
    let how_to = read(o, "how-to-book/index.html");
    assert!(
        how_to.matches("href=\"/reservation/\"").count() >= 3,
        "header + how-to-book's own links"
    );

    // Descriptions keep spaces between table cells and list items.
    let closures = read(o, "notices/year-end-closures-2026/index.html");
    let description = closures
        .split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a meta description");
    assert!(
        description.contains("시설 휴관일 서울패션스마트센터"),
        "{description}"
    );
}

/// The real programmes held at a centre fit its hours as its page gives
/// them (`평일 09:00~18:00`, `토 09:00~13:00`; a centre whose hours say
/// nothing of Saturday or Sunday is closed then; `야간 교육이 있는 날은
/// 22:00까지` extends a weekday for its evening courses): the 의류 브랜드
/// 창업 부트캠프 ran Saturdays 10:00–16:00 at a centre open 09:00–13:00,
/// and five centres' evening courses ran past the hours their pages gave.
#[test]
fn sessions_fit_their_centres_hours() {
    use sbiz_catalog::{Date, Weekday};
    let yaml = |path: &Path| -> serde_yaml::Value {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
    };
    let text = |v: &serde_yaml::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    // `토 09:00~13:00`, one of the hours text's parts: the day's opening
    // and closing (`평일 …` and `일·공휴일 휴관` are not Sunday's).
    let hours_on = |hours: &str, day: &str| -> Option<(String, String)> {
        let prefix = format!("{day} ");
        let times = hours
            .split([',', '('])
            .find_map(|part| part.trim().strip_prefix(prefix.as_str()))?;
        let (open, close) = times.split_once('~')?;
        Some((open.to_owned(), close.get(..5)?.to_owned()))
    };
    let content = repo().join("content");
    let mut wrong = Vec::new();
    let mut weekend_sessions = 0;
    for entry in std::fs::read_dir(content.join("programmes")).expect("the programmes") {
        let path = entry.expect("an entry").path();
        let p = yaml(&path);
        if text(&p, "format") == "online" {
            continue;
        }
        let facility = yaml(&content.join(format!("facilities/{}.yaml", text(&p, "facility"))));
        let hours = text(&facility, "hours");
        for s in p["sessions"].as_sequence().into_iter().flatten() {
            let date: Date = text(s, "date").parse().expect("a session date");
            let day = match date.weekday() {
                Weekday::Sat => "토",
                Weekday::Sun => "일",
                _ => "평일",
            };
            if day != "평일" {
                weekend_sessions += 1;
            }
            let time = text(s, "time");
            let (start, end) = time.split_once('-').expect("HH:MM-HH:MM");
            // On weekdays a centre may stay open for its evening courses:
            // `야간 교육이 있는 날은 22:00까지`.
            let evening = (day == "평일")
                .then(|| hours.split("야간 교육이 있는 날은 ").nth(1))
                .flatten()
                .and_then(|rest| rest.get(..5));
            let fits = hours_on(&hours, day).is_some_and(|(open, close)| {
                let close = evening.filter(|e| *e > close.as_str()).unwrap_or(&close);
                open.as_str() <= start && end <= close
            });
            if !fits {
                wrong.push(format!("{}: {date} {time} ({hours})", path.display()));
            }
        }
    }
    assert!(weekend_sessions > 0, "the content has weekend sessions");
    assert!(
        wrong.is_empty(),
        "outside the centre's hours:\n{}",
        wrong.join("\n")
    );
}

fn build_fixture(now: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let res = sbiz()
        .arg("--root")
        .arg(repo().join("tests/fixtures/valid-site"))
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

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A site that sends no 문자 (the fixture's `site.yaml` has no
/// `messaging:`, as `sbiz serve` builds when it has no `SBIZ_SMS`): `/my/`
/// says at once that it cannot send 인증번호 and where to go instead,
/// with no phone form that could only fail.
#[test]
fn my_page_says_up_front_when_no_code_can_be_sent() {
    let out = build_fixture("2026-11-28");
    let my = read(out.path(), "my/index.html");
    assert!(my.contains("data-my-unavailable"), "{my}");
    assert!(my.contains("인증번호 문자를 보내지 않도록 설정되어 있어"));
    assert!(my.contains("href=\"/reservation/\">예약 조회</a>"));
    assert!(my.contains("관리 링크"));
    assert!(
        !my.contains("action=\"/api/my/code\""),
        "no form that cannot work"
    );
    assert!(!my.contains("인증번호</strong> 6자리를 문자로 보내 드립니다"));
}

#[test]
fn assets_are_fingerprinted_and_every_reference_resolves() {
    let out = build_fixture("2026-11-28");
    let o = out.path();
    let css: Vec<String> = std::fs::read_dir(o.join("assets/css"))
        .expect("css folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("site."))
        .collect();
    assert_eq!(css.len(), 1);
    let hash = css[0].trim_start_matches("site.").trim_end_matches(".css");
    assert!(
        hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{css:?}"
    );
    assert!(read(o, "index.html").contains(&format!("/assets/css/{}", css[0])));
    let broken = broken_references(o);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn statuses_follow_the_build_time() {
    let status = |html: &str| -> String {
        let i = html.find("class=\"status status-").expect("a status label");
        html[i + 21..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let out = build_fixture("2026-11-28");
    assert_eq!(
        status(&read(out.path(), "programmes/cutter-safety/index.html")),
        "open"
    );
    assert_eq!(
        status(&read(out.path(), "programmes/startup-basics/index.html")),
        "upcoming"
    );
    assert_eq!(
        status(&read(out.path(), "policies/online-sales/index.html")),
        "closed"
    );
    let later = build_fixture("2026-12-20");
    assert_eq!(
        status(&read(later.path(), "programmes/cutter-safety/index.html")),
        "closed"
    );
    assert_eq!(
        status(&read(later.path(), "programmes/startup-basics/index.html")),
        "open"
    );
}

#[test]
fn drafts_and_schedules_are_honoured() {
    let out = build_fixture("2026-11-28");
    assert!(
        !out.path().join("draft-page").exists(),
        "drafts are never published"
    );
    assert!(
        !out.path().join("notices/winter-programme").exists(),
        "not before publish_at"
    );
    assert!(out.path().join("notices/autumn-survey").exists());
    let later = build_fixture("2026-12-10");
    assert!(
        later
            .path()
            .join("notices/winter-programme/index.html")
            .exists(),
        "published from publish_at"
    );
    assert!(
        !later.path().join("notices/autumn-survey").exists(),
        "hidden from expire_at"
    );
}

#[test]
fn lists_paginate_and_filter_without_javascript() {
    let out = build_fixture("2026-11-28");
    let o = out.path();
    let first = read(o, "facilities/index.html");
    assert!(first.contains("href=\"/facilities/page/2/\" rel=\"next\""));
    assert!(read(o, "facilities/page/2/index.html").contains("rel=\"prev\""));
    let open = read(o, "programmes/status/open/index.html");
    assert!(
        open.contains("/programmes/cutter-safety/")
            && !open.contains("/programmes/startup-basics/\"")
    );
    let apparel = read(o, "programmes/industries/apparel/index.html");
    assert!(apparel.contains("/programmes/cutter-safety/"));
    let term = read(o, "industries/jewelry/index.html");
    assert!(term.contains("/facilities/jewelry-hub/") && term.contains("/equipment/wax-printer/"));
}

#[test]
fn feeds_calendars_and_open_data_are_well_formed() {
    let out = build_fixture("2026-11-28");
    let o = out.path();
    let ics = read(o, "programmes/cutter-safety/sessions.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        ics.contains("DTSTART:20261208T010000Z\r\n"),
        "10:00 KST is 01:00 UTC:\n{ics}"
    );
    assert!(ics.lines().all(|l| l.len() <= 75));
    // The calendar of all sessions holds every programme's events, the
    // same text as each programme's own calendar.
    let all = read(o, "programmes/sessions.ics");
    assert!(all.starts_with("BEGIN:VCALENDAR\r\n") && all.ends_with("END:VCALENDAR\r\n"));
    let events = |ics: &str| -> String {
        let start = ics.find("BEGIN:VEVENT").unwrap_or(ics.len());
        let end = ics.rfind("END:VCALENDAR").unwrap_or(ics.len());
        ics[start.min(end)..end].to_owned()
    };
    let mut own = Vec::new();
    for dir in std::fs::read_dir(o.join("programmes"))
        .expect("programmes")
        .flatten()
    {
        if let Ok(ics) = std::fs::read_to_string(dir.path().join("sessions.ics")) {
            assert!(ics.ends_with("END:VCALENDAR\r\n"));
            own.push(events(&ics));
        }
    }
    assert_eq!(own.len(), 2, "two programmes");
    assert!(
        own.iter()
            .all(|e| e.contains("BEGIN:VEVENT") && all.contains(e.as_str()))
    );
    assert_eq!(
        events(&all).len(),
        own.iter().map(String::len).sum::<usize>(),
        "nothing else in the calendar of all"
    );
    let atom = read(o, "feeds/notices.xml");
    assert!(
        atom.contains("<title>연말 휴관 안내</title>")
            && atom.contains("<updated>2026-11-25T00:00:00+09:00</updated>")
    );
    let csv = read(o, "data/programmes.csv");
    assert!(csv.starts_with('\u{feff}'), "BOM for spreadsheets");
    assert_eq!(csv.lines().count(), 3, "header and two programmes");
    let json: serde_json::Value =
        serde_json::from_str(&read(o, "data/policies.json")).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    let sitemap = read(o, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://test.example.kr/programmes/cutter-safety/</loc>"));
    assert!(!sitemap.contains("404"));
    let robots = read(o, "robots.txt");
    assert!(robots.contains("Sitemap: https://test.example.kr/sitemap.xml"));
    // A page is either in the sitemap or disallowed, never both; 예약 조회
    // is a public service page, so it is in the sitemap.
    assert!(sitemap.contains("<loc>https://test.example.kr/reservation/</loc>"));
    assert!(sitemap.contains("<loc>https://test.example.kr/my/</loc>"));
    for path in robots.lines().filter_map(|l| l.strip_prefix("Disallow: ")) {
        assert!(
            !sitemap.contains(&format!("test.example.kr{path}")),
            "{path} is disallowed in robots.txt and listed in sitemap.xml"
        );
    }
}

/// A synthetic site of `records` records (`sbiz synth`), built at
/// 2026-06-01 like the benchmark.
fn build_synthetic(records: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let run = |args: &[&std::ffi::OsStr]| {
        let res = sbiz().args(args).output().expect("sbiz runs");
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    };
    let n = records.to_string();
    run(&[
        "--root".as_ref(),
        repo().as_os_str(),
        "synth".as_ref(),
        "--out".as_ref(),
        site.as_os_str(),
        "--records".as_ref(),
        n.as_ref(),
    ]);
    let out = dir.path().join("out");
    run(&[
        "--root".as_ref(),
        site.as_os_str(),
        "build".as_ref(),
        "--now".as_ref(),
        "2026-06-01".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    (dir, out)
}

#[test]
fn long_lists_link_nearby_pages_and_show_their_filters_once() {
    let (_dir, o) = build_synthetic(1000);
    // 250 programmes, 12 a page: 21 pages.
    let first = read(&o, "programmes/index.html");
    assert!(first.contains("<nav class=\"filters\" id=\"filters\""));
    let tenth = read(&o, "programmes/page/10/index.html");
    assert!(
        !tenth.contains("class=\"filters\"") && tenth.contains("href=\"/programmes/#filters\""),
        "later pages link to the filters of the first"
    );
    let linked: Vec<usize> = (1..=21)
        .filter(|n| {
            let url = if *n == 1 {
                "/programmes/".to_owned()
            } else {
                format!("/programmes/page/{n}/")
            };
            tenth.contains(&format!("<a href=\"{url}\""))
        })
        .collect();
    assert_eq!(linked, [1, 8, 9, 10, 11, 12, 21]);
    assert_eq!(tenth.matches("<li aria-hidden=\"true\">…</li>").count(), 2);
    // Past its application period a programme has no form; an upcoming one has.
    let closed = read(&o, "programmes/programme-1/index.html");
    assert!(!closed.contains("<form id=\"application\"") && closed.contains("신청 기간이 끝나"));
    let upcoming = read(&o, "programmes/programme-200/index.html");
    assert!(upcoming.contains("<form id=\"application\""));
    // No template indentation is left (text of pre and textarea aside).
    assert!(!tenth.contains("\n ") && !closed.contains("\n "));
}

#[test]
fn the_footer_links_once_to_the_open_data_and_feeds() {
    let out = build_fixture("2026-11-28");
    let o = out.path();
    let home = read(o, "index.html");
    assert!(home.contains("<a href=\"/data/\">열린 데이터(CSV·JSON) · 새 소식 구독(Atom)</a>"));
    assert!(!home.contains("<a href=\"/data/facilities.csv\">"));
    let data = read(o, "data/index.html");
    for link in [
        "/data/facilities.csv",
        "/data/facilities.json",
        "/feeds/notices.xml",
    ] {
        assert!(data.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(read(o, "sitemap.xml").contains("<loc>https://test.example.kr/data/</loc>"));
}

#[test]
fn equipment_pages_ask_for_free_times_without_javascript() {
    let out = build_fixture("2026-11-28");
    let html = read(out.path(), "equipment/auto-cutter/index.html");
    // A plain GET form, before the booking form, that the booking function
    // answers with the date's free times as a page; the script hides it
    // when its calendar works.
    let form = html
        .split("<form class=\"times-form\"")
        .nth(1)
        .and_then(|s| s.split("</form>").next())
        .unwrap_or_else(|| panic!("no free times form: {html}"));
    assert_eq!(
        form.trim(),
        concat!(
            r#"method="get" action="/api/equipment/auto-cutter/availability" aria-labelledby="reserve-times-title" data-times-form>"#,
            r#"<p class="times-title" id="reserve-times-title"><strong>예약 가능한 시간</strong></p>"#,
            r#"<p id="reserve-times-lead">날짜를 넣고 ‘예약 가능한 시간 보기’를 누르면 그날부터 7일 동안의 빈 시간이 나옵니다.</p>"#,
            r#"<div class="field"><label for="reserve-times-date">날짜</label>"#,
            r#"<p class="hint" id="reserve-times-hint">예: <time>2026-11-29</time></p>"#,
            r#"<input id="reserve-times-date" name="date" type="text" inputmode="numeric" placeholder="YYYY-MM-DD" autocomplete="off" aria-describedby="reserve-times-hint"></div>"#,
            r#"<button type="submit" class="button button-secondary">예약 가능한 시간 보기</button>"#,
        )
    );
    let times = html.find("class=\"times-form\"").unwrap_or(usize::MAX);
    let booking = html.find("<form id=\"reserve\"").expect("the booking form");
    assert!(times < booking, "the date form comes first");
}
