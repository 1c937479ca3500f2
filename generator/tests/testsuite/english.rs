//! The English edition (`/en/`): built from the records that have English,
//! with `lang` attributes, `hreflang` alternates both ways, the language
//! switch, links to Korean-only pages marked as such, lists saying how many
//! records are only in Korean, an English search index of English pages
//! only, and the sitemap's alternates. On a fixture site given English
//! here, and on the real content.

use std::path::Path;

use crate::support::{build_site, fixture_site, read_built, repo, sbiz};

/// The valid fixture with English for the site, one facility, one piece of
/// equipment, one job, one industry, one notice and one page; the other
/// facility, the programmes, policies and other notices stay Korean only.
pub(crate) fn english_fixture() -> tempfile::TempDir {
    let dir = fixture_site(None);
    let c = dir.path().join("content");
    let append = |rel: &str, text: &str| {
        let path = c.join(rel);
        let mut s = std::fs::read_to_string(&path).expect("read fixture file");
        s.push_str(text);
        std::fs::write(&path, s).expect("write fixture file");
    };
    append(
        "site.yaml",
        "en:
  name: Test Small Manufacturers Portal
  description: A small site for tests
  operator:
    name: Test operator
    address: 110 Sejong-daero, Jung-gu, Seoul
  nav: [Support centers, Training]
  open_data: [Support centers, Shared equipment, Training, Support schemes, Jobs]
  feeds: [Notices, Training]
  consent:
    purpose: To confirm bookings and contact you
    items: Name, mobile phone number, business name
    retention: One year from the day of use
    refusal: You may refuse, but then you cannot book.
",
    );
    append(
        "facilities/jewelry-hub.yaml",
        "en:
  name: Test Jewelry Hub
  operator: Test Cooperative
  address: 1 Bongik-dong, Jongno-gu, Seoul
  hours: Weekdays 10:00–19:00
  summary: A shared equipment room for jewelry makers
  description: It has a 3D wax printer.
",
    );
    append(
        "equipment/wax-printer.yaml",
        "en:
  name: 3D wax printer
  summary: Prints jewelry models in wax
  description: Printing takes long, so it is booked in 4-hour slots.
  eligibility: Small jewelry manufacturers
",
    );
    append(
        "jobs/sewing-operator.yaml",
        "en:
  title: Sewing machine operators wanted
  company: Test Apparel
  position: Sewing machine operator
  wage: ₩2.8 million a month
  hours: \"09:00–18:00 (5 days a week)\"
  how_to_apply: Call us
",
    );
    let industries = c.join("taxonomies/industries.yaml");
    let s = std::fs::read_to_string(&industries).expect("read industries");
    let s = s.replacen(
        "- id: jewelry\n  name: 귀금속·주얼리\n",
        "- id: jewelry\n  name: 귀금속·주얼리\n  en:\n    name: Jewelry\n",
        1,
    );
    assert!(
        s.contains("name: Jewelry"),
        "the fixture's jewelry term moved"
    );
    std::fs::write(&industries, s).expect("write industries");
    std::fs::write(
        c.join("notices/year-end.en.md"),
        "---\ntitle: Closed at the end of the year\n---\nWe are closed on 31 December.\n",
    )
    .expect("write year-end.en.md");
    std::fs::write(
        c.join("pages/guide.en.md"),
        "---\ntitle: Guide\n---\n## How to book\n\nBook on the [equipment's page](/en/equipment/wax-printer/). \
         See also the [training](/programmes/) (in Korean).\n",
    )
    .expect("write guide.en.md");
    dir
}

fn build(root: &Path) -> tempfile::TempDir {
    build_site(root, "2026-11-28")
}

fn read(out: &Path, rel: &str) -> String {
    read_built(out, rel)
}

/// The `hreflang` alternates in a page's head, as `(hreflang, href)`.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (lang, rest) = rest.split_once('"')?;
            let href = rest.split_once("href=\"")?.1.split_once('"')?.0;
            Some((lang.to_owned(), href.to_owned()))
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn translated_records_get_english_pages_linked_both_ways() {
    let site = english_fixture();
    let out = build(site.path());
    let o = out.path();
    let base = "https://test.example.kr";

    let en = read(o, "en/facilities/jewelry-hub/index.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("<h1>Test Jewelry Hub</h1>"));
    assert!(en.contains("<dt>Opening hours</dt>"), "English labels");
    assert!(en.contains("Privately run"), "the operator type in English");
    let both = pairs(&[
        ("ko", &format!("{base}/facilities/jewelry-hub/")),
        ("en", &format!("{base}/en/facilities/jewelry-hub/")),
        ("x-default", &format!("{base}/facilities/jewelry-hub/")),
    ]);
    assert_eq!(alternates(&en), both);
    assert!(
        en.contains(r#"<a href="/facilities/jewelry-hub/" hreflang="ko" lang="ko">한국어</a>"#),
        "the switch leads to the Korean page"
    );
    assert!(en.contains(&format!(
        r#"<link rel="canonical" href="{base}/en/facilities/jewelry-hub/">"#
    )));

    let ko = read(o, "facilities/jewelry-hub/index.html");
    assert!(ko.contains("<html lang=\"ko\">"));
    assert_eq!(alternates(&ko), both, "the Korean page names the same pair");
    assert!(
        ko.contains(r#"<a href="/en/facilities/jewelry-hub/" hreflang="en" lang="en">English</a>"#),
        "the switch leads to the English page"
    );

    // Korean only: no English page, no alternates, the switch says where it goes.
    assert!(!o.join("en/facilities/fashion-center").exists());
    let ko_only = read(o, "facilities/fashion-center/index.html");
    assert!(alternates(&ko_only).is_empty());
    assert!(ko_only.contains(
        r#"<a href="/en/" hreflang="en"><span lang="en">English</span> (영문 홈: 이 페이지는 영문이 없습니다)</a>"#
    ));

    // The English list: only English records, and a line to the Korean list.
    let list = read(o, "en/facilities/index.html");
    assert!(list.contains("Test Jewelry Hub"));
    assert!(!list.contains("fashion-center"), "no Korean-only record");
    assert!(list.contains(
        r#"<a href="/facilities/" hreflang="ko">Support centers listed only in Korean: 1</a>"#
    ));
    // Links to pages that exist only in Korean say so; the rest stay English.
    assert!(list.contains(
        r#"<a href="/programmes/" hreflang="ko">Training<span class="lang-note"> (in Korean)</span></a>"#
    ));
    assert!(list.contains(r#"<a href="/en/facilities/" aria-current="true">Support centers</a>"#));
    assert!(!o.join("en/programmes").exists(), "no English programmes");

    // Equipment, job and the translated page.
    let eq = read(o, "en/equipment/wax-printer/index.html");
    assert!(eq.contains("Small jewelry manufacturers"));
    assert!(
        eq.contains("From 30 days to 2 days before the day of use"),
        "{eq}"
    );
    assert!(eq.contains(r#"<a href="/en/facilities/jewelry-hub/">Test Jewelry Hub</a>"#));
    let job = read(o, "en/jobs/sewing-operator/index.html");
    assert!(job.contains("Permanent, full-time"));
    let guide = read(o, "en/guide/index.html");
    assert!(guide.contains(r#"<a href="/en/equipment/wax-printer/">"#));
    assert!(guide.contains(r#"<a href="/programmes/" hreflang="ko">training<span class="lang-note"> (in Korean)</span></a>"#));
    // The English term page and home.
    assert!(read(o, "en/industries/jewelry/index.html").contains("<h1>Jewelry "));
    let home = read(o, "en/index.html");
    assert!(home.contains("Test Small Manufacturers Portal"));
    assert!(home.contains(r#"<a href="/en/facilities/">Support centers <strong>1</strong></a>"#));
}

#[test]
fn english_search_feeds_and_sitemap_cover_the_english_pages_only() {
    let site = english_fixture();
    let out = build(site.path());
    let o = out.path();

    let index: serde_json::Value =
        serde_json::from_str(&read(o, "en/search/index.json")).expect("index JSON");
    let urls: Vec<&str> = index["docs"]
        .as_array()
        .expect("docs")
        .iter()
        .filter_map(|d| d["u"].as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "/en/facilities/jewelry-hub/",
            "/en/equipment/wax-printer/",
            "/en/jobs/sewing-operator/",
            "/en/notices/year-end/"
        ]
    );
    let korean: serde_json::Value =
        serde_json::from_str(&read(o, "search/index.json")).expect("index JSON");
    assert!(
        korean["docs"]
            .as_array()
            .expect("docs")
            .iter()
            .all(|d| !d["u"].as_str().unwrap_or("/en/").starts_with("/en/")),
        "the Korean index has Korean pages only"
    );
    assert!(read(o, "en/search/index.html").contains("<html lang=\"en\">"));

    // An English feed where there is English: notices, not programmes.
    let feed = read(o, "en/feeds/notices.xml");
    assert!(feed.contains("xml:lang=\"en\""));
    assert!(feed.contains("<title>Closed at the end of the year</title>"));
    assert!(feed.contains("https://test.example.kr/en/notices/year-end/"));
    assert!(!feed.contains("autumn-survey"), "only English notices");
    assert!(!o.join("en/feeds/programmes.xml").exists());
    let home = read(o, "en/index.html");
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml" title="Notices" href="/en/feeds/notices.xml">"#));
    assert!(!home.contains("/feeds/programmes.xml"));
    let korean_feed = read(o, "feeds/notices.xml");
    assert!(korean_feed.contains("xml:lang=\"ko\"") && korean_feed.contains("autumn-survey"));

    let sitemap = read(o, "sitemap.xml");
    let base = "https://test.example.kr";
    for loc in ["/facilities/jewelry-hub/", "/en/facilities/jewelry-hub/"] {
        let entry = format!(
            "<url><loc>{base}{loc}</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"ko\" href=\"{base}/facilities/jewelry-hub/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}/en/facilities/jewelry-hub/\"/>"
        );
        assert!(sitemap.contains(&entry), "{loc} in\n{sitemap}");
    }
    assert!(sitemap.contains(&format!(
        "<url><loc>{base}/facilities/fashion-center/</loc></url>"
    )));
    assert!(!sitemap.contains("/admin/"));
}

#[test]
fn a_site_without_english_builds_no_english_edition() {
    let site = fixture_site(None);
    let out = build(site.path());
    assert!(!out.path().join("en").exists());
    let home = read(out.path(), "index.html");
    assert!(!home.contains("hreflang"), "no switch, no alternates");
}

/// Hangul outside the parts that are Korean on purpose: the switch, links
/// marked `hreflang="ko"`, the translators' text (which may quote a
/// Korean name, such as a certificate's: in the prose, or in parentheses
/// after the English, as a job form's hint does), and the values of a
/// form's options (the Korean option is the stored answer; people read its
/// English label).
fn stray_korean(html: &str) -> Option<String> {
    let mut s = html.replace(r#" lang="ko">한국어</a>"#, "");
    let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    let mut from = 0;
    while let Some(i) = s[from..].find('(').map(|i| from + i) {
        let inner = s[i + 1..].find(')').map(|e| &s[i + 1..i + 1 + e]);
        let after_english = s[..i]
            .trim_end_matches(' ')
            .ends_with(|c: char| c.is_ascii_alphabetic());
        match inner {
            Some(q)
                if after_english
                    && q.chars().any(hangul)
                    && q.chars().all(|c| hangul(c) || c == ' ') =>
            {
                let end = i + q.len() + 2;
                s.replace_range(i..end, "");
                from = i;
            }
            _ => from = i + 1,
        }
    }
    let mut from = 0;
    while let Some(i) = s[from..].find(r#"<option value=""#).map(|i| from + i + 15) {
        let end = s[i..].find('"').map_or(s.len(), |e| i + e);
        s.replace_range(i..end, "");
        from = i;
    }
    while let Some(i) = s.find(r#"<div class="prose">"#) {
        let end = s[i..].find("</div>").map_or(s.len(), |e| i + e + 6);
        s.replace_range(i..end, "");
    }
    // A link to a Korean page may carry its Korean title.
    while let Some(i) = s.find(r#"hreflang="ko""#) {
        let end = s[i..].find("</a>").map_or(s.len(), |e| i + e);
        s.replace_range(i..end, "");
    }
    s.lines().find(|l| l.chars().any(hangul)).map(str::to_owned)
}

#[test]
fn the_real_content_has_an_english_edition_without_mixed_pages() {
    let out = build(&repo());
    let o = out.path();
    let en = o.join("en");
    let mut pages = 0;
    let mut forms = 0;
    for entry in walkdir::WalkDir::new(&en)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
    {
        let rel = entry.path().strip_prefix(o).expect("under out");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let html = read(o, &rel);
        assert!(html.contains("<html lang=\"en\">"), "{rel}");
        // Each English page and its Korean page name each other.
        let korean_rel = rel.trim_start_matches("en/");
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        let korean = read(o, korean_rel);
        assert!(
            korean.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"en\" href=\"https://sbiz.example.kr{url}\">"
            )),
            "{korean_rel} names {url}"
        );
        // Forms included: policies and jobs translate their own fields.
        if let Some(line) = stray_korean(&html) {
            panic!("{rel} mixes in Korean: {line}");
        }
        forms += usize::from(html.contains("data-sbiz-form"));
        pages += 1;
    }
    assert!(pages > 100, "{pages} English pages");
    assert!(forms > 10, "{forms} English pages with forms checked");
    for rel in [
        "en/facilities/index.html",
        "en/equipment/index.html",
        "en/jobs/index.html",
        "en/how-to-book/index.html",
        "en/privacy/index.html",
        "en/sitemap/index.html",
        "en/search/index.html",
    ] {
        assert!(o.join(rel).exists(), "{rel}");
    }
}

/// Programmes and policies get English pages too once translated: the
/// programme's schedule, fee and status, the policy's lists, in English.
#[test]
fn translated_programmes_and_policies_are_published_in_english() {
    let site = english_fixture();
    let c = site.path().join("content");
    let mut programme =
        std::fs::read_to_string(c.join("programmes/cutter-safety.yaml")).expect("read programme");
    programme.push_str(
        "en:
  title: Automatic cutter safety training
  summary: Training you must take before using the cutter
  description: |
    ## What you learn

    The machine and its safety rules. See the [guide](/en/guide/).
  place: Training room
",
    );
    std::fs::write(c.join("programmes/cutter-safety.yaml"), programme).expect("write programme");
    std::fs::write(
        c.join("policies/online-sales.en.md"),
        "---
title: Online sales support
agency: Seoul Business Agency
summary: Helps you sell on online marketplaces
target: Small manufacturers
amount: Listing fees covered
eligibility: [Manufacturers based in Seoul]
---
We offer consulting on listing your products.
",
    )
    .expect("write policy");
    let out = build(site.path());
    let o = out.path();

    let p = read(o, "en/programmes/cutter-safety/index.html");
    assert!(p.contains("<h1>Automatic cutter safety training</h1>"));
    assert!(p.contains(">Open</span>"), "the status in English");
    assert!(
        p.contains("<dt>Places</dt><dd>10 (waiting list: 5)</dd>"),
        "{p}"
    );
    assert!(p.contains("2026-12-08</time> (Tue)</td>"), "{p}");
    assert!(!p.contains("안전 수칙"), "no Korean session title");
    assert!(p.contains(r#"<a href="/en/guide/">guide</a>"#));
    assert!(read(o, "en/programmes/index.html").contains("Automatic cutter safety training"));

    let policy = read(o, "en/policies/online-sales/index.html");
    assert!(policy.contains("<h1>Online sales support</h1>"));
    assert!(policy.contains("<li>Manufacturers based in Seoul</li>"));
    assert!(
        policy.contains("Apply on the organization&#39;s website")
            || policy.contains("Apply on the organization's website")
    );
    // The English feed of programmes now exists.
    assert!(read(o, "en/feeds/programmes.xml").contains("Automatic cutter safety training"));
}

/// A policy's `.en.md` translates its application form: the English page
/// shows the English labels, hints and option labels, the options still
/// post the Korean option, and catalog.json carries the texts for the
/// booking function's English answers.
#[test]
fn a_translated_policy_shows_its_form_in_english() {
    let site = english_fixture();
    let c = site.path().join("content");
    std::fs::write(
        c.join("policies/smart-process.en.md"),
        "---
title: Smart process support
agency: Seoul Metropolitan Government
summary: Covers the cost of automated equipment
target: Small manufacturers based in Seoul
amount: Up to ₩10 million
eligibility: [Manufacturers with fewer than 10 regular workers]
documents: [Copy of your business registration certificate]
how_to_submit: Send the documents by e-mail by the application deadline.
form:
  employees:
    label: Number of regular workers
  plan:
    label: Your plan for the equipment
  machine:
    label: Equipment to introduce
    options: [Auto-cutter, Pattern plotter]
---
We pay 80% of the cost of the equipment.
",
    )
    .expect("write policy");
    let out = build(site.path());
    let o = out.path();

    let page = read(o, "en/policies/smart-process/index.html");
    assert!(page.contains("<h1>Smart process support</h1>"), "{page}");
    assert!(page.contains("Number of regular workers"), "{page}");
    assert!(page.contains("Your plan for the equipment"), "{page}");
    assert!(page.contains("Equipment to introduce"), "{page}");
    assert!(
        page.contains(r#"<option value="자동재단기">Auto-cutter</option>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="패턴플로터">Pattern plotter</option>"#),
        "{page}"
    );
    if let Some(line) = stray_korean(&page) {
        panic!("the English policy page mixes in Korean: {line}");
    }
    // The Korean page keeps its Korean form.
    let korean = read(o, "policies/smart-process/index.html");
    assert!(korean.contains("상시근로자 수") && korean.contains(">자동재단기</option>"));
    assert!(!korean.contains("Number of regular workers"));

    let catalog: serde_json::Value =
        serde_json::from_str(&read(o, "catalog.json")).expect("catalog.json");
    let policy = catalog["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .find(|p| p["id"] == "smart-process")
        .expect("the policy");
    assert_eq!(
        policy["form_en"]["plan"]["label"],
        "Your plan for the equipment"
    );
    assert_eq!(
        policy["form_en"]["machine"]["options"]["패턴플로터"],
        "Pattern plotter"
    );
}

/// A survey's English: checked all or nothing at the field, and carried in
/// catalog.json for the booking function, a choice's English options by
/// the Korean option (which stays the stored answer).
#[test]
fn survey_translations_are_checked_and_carried_in_the_catalog() {
    let site = english_fixture();
    let path = site.path().join("content/surveys/programme-feedback.yaml");
    let korean = std::fs::read_to_string(&path).expect("read survey");
    // Half-filled: a misspelt question id, a choice with too few options,
    // an intro the Korean lacks.
    std::fs::write(
        &path,
        format!(
            "{korean}en:
  title: Course satisfaction survey
  intro: Thank you.
  questions:
    overal:
      label: Were you satisfied with the course?
    channel:
      label: How did you hear about it?
      options: [This portal]
"
        ),
    )
    .expect("write survey");
    let out = sbiz()
        .arg("--root")
        .arg(site.path())
        .args(["--lang", "en", "check", "--themes"])
        .arg(repo().join("themes"))
        .output()
        .expect("sbiz runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "error: content/surveys/programme-feedback.yaml:13:10: `en.intro`: the English has a field the Korean does not",
        "error: content/surveys/programme-feedback.yaml:14:3: `en.questions`: the English survey lacks questions of the Korean survey\n  found:    `overall`\n",
        "error: content/surveys/programme-feedback.yaml:15:5: `en.questions.overal`: no question with this id",
        "  help:     did you mean `overall`?",
        "error: content/surveys/programme-feedback.yaml:19:16: `en.questions.channel.options`: the English list and the Korean list differ in length",
        "error: check failed: 4 errors",
    ] {
        assert!(stderr.contains(line), "{line}\n---\n{stderr}");
    }

    // Complete: the catalog carries it.
    std::fs::write(
        &path,
        format!(
            "{korean}en:
  title: Course satisfaction survey
  questions:
    overall:
      label: Were you satisfied with the course?
    channel:
      label: How did you hear about it?
      options: [This portal, A friend]
"
        ),
    )
    .expect("write survey");
    let out = build(site.path());
    let catalog: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("catalog.json")).expect("catalog"))
            .expect("catalog.json is JSON");
    let survey = catalog["surveys"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "programme-feedback"))
        .expect("the survey is in the catalog");
    assert_eq!(survey["title"], "교육 만족도");
    assert_eq!(survey["title_en"], "Course satisfaction survey");
    let en = &survey["questions_en"];
    assert_eq!(
        en["overall"]["label"],
        "Were you satisfied with the course?"
    );
    assert_eq!(en["channel"]["label"], "How did you hear about it?");
    assert_eq!(en["channel"]["options"]["포털"], "This portal");
    assert_eq!(en["channel"]["options"]["지인 소개"], "A friend");
    // The Korean options are still the choices (the stored answers).
    assert_eq!(
        survey["questions"][1]["options"],
        serde_json::json!(["포털", "지인 소개"])
    );
    // A survey without English carries none.
    let other = catalog["surveys"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "equipment-use"))
        .expect("the other survey");
    assert!(other.get("title_en").is_none() && other.get("questions_en").is_none());
}

/// The booking form's script (the calendar, a job closed since the build)
/// shows the texts of the page's language, from the theme's translation
/// table: English on the English page, Korean on the Korean one, none of
/// its own. The calendar's come from a script per language that the page
/// loads before forms.js (not as attributes of every equipment page).
#[test]
fn the_form_script_gets_its_texts_in_the_page_s_language() {
    let site = english_fixture();
    let out = build(site.path());
    let o = out.path();
    let english = read(o, "en/equipment/wax-printer/index.html");
    let korean = read(o, "equipment/wax-printer/index.html");
    for (page, code, weekdays, title, date) in [
        (
            &english,
            "en",
            "Sun Mon Tue Wed Thu Fri Sat",
            "Available times",
            "{weekday} {day} {month}",
        ),
        (
            &korean,
            "ko",
            "일 월 화 수 목 금 토",
            "예약 가능한 시간",
            "{month} {day}일({weekday})",
        ),
    ] {
        assert!(page.contains("data-calendar"), "no calendar: {page}");
        assert!(!page.contains("data-t-"), "texts on the page: {page}");
        let prefix = format!("<script src=\"/assets/js/forms-texts.{code}.");
        let at = page
            .find(&prefix)
            .expect("the page loads its language's texts");
        let forms_js = page
            .find("<script src=\"/assets/js/forms.")
            .expect("forms.js");
        assert!(at < forms_js, "the texts load after forms.js: {page}");
        let url = page[at + "<script src=\"".len()..]
            .split('"')
            .next()
            .expect("the script's address");
        let script = read(o, url.trim_start_matches('/'));
        let texts: serde_json::Value = serde_json::from_str(
            script
                .strip_prefix("window.sbizFormTexts=")
                .and_then(|s| s.trim_end().strip_suffix(';'))
                .expect("window.sbizFormTexts={…};"),
        )
        .expect("the texts are JSON");
        for (name, text) in [
            ("weekdays", weekdays),
            ("calendar-title", title),
            ("date", date),
        ] {
            assert_eq!(texts[name], text, "{name} in {url}");
        }
        assert!(
            texts.get("job-filled").is_none(),
            "a job's texts stay on its page"
        );
    }
    if let Some(line) = stray_korean(&english) {
        panic!("the English equipment page mixes in Korean: {line}");
    }
    // A job's application section (the browser tests' site has one in
    // English): what to say when the posting closed since the build.
    let e2e = build(&repo().join("tests/fixtures/e2e-site"));
    let o = e2e.path();
    let job = read(o, "en/jobs/sewing-operator/index.html");
    assert!(job.contains("data-t-status-filled=\"Filled\""), "{job}");
    let korean_job = read(o, "jobs/sewing-operator/index.html");
    assert!(
        korean_job.contains("data-t-status-filled=\"채용 완료\""),
        "{korean_job}"
    );
    // The script itself writes no text: outside its comments, no Korean.
    let script = std::fs::read_to_string(repo().join("themes/default/static/js/forms.js"))
        .expect("forms.js");
    let mut code = String::new();
    let mut rest = script.as_str();
    while let Some(i) = rest.find("/*") {
        code.push_str(&rest[..i]);
        rest = rest[i..].split_once("*/").map_or("", |(_, after)| after);
    }
    code.push_str(rest);
    let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    if let Some(line) = code.lines().find(|l| l.chars().any(hangul)) {
        panic!("forms.js writes Korean of its own: {line}");
    }
}

/// A Korean file that gives no record does not hide its English file's
/// problems: one `check` lists both, the English body's links (checked at
/// the English page's address) included.
#[test]
fn an_english_file_is_checked_when_its_korean_file_has_errors() {
    let site = english_fixture();
    let c = site.path().join("content/notices");
    let korean = std::fs::read_to_string(c.join("year-end.md")).expect("read year-end.md");
    std::fs::write(
        c.join("year-end.md"),
        korean.replace("pinned: true", "pinned: 아니요"),
    )
    .expect("write year-end.md");
    std::fs::write(
        c.join("year-end.en.md"),
        "---\ntitle: Closed at the end of the year\nsumary: 31 December\n---\n\
         See the [guide](/en/guide/#how-to-bok) and [our hours](/en/hours/).\n",
    )
    .expect("write year-end.en.md");
    let out = sbiz()
        .arg("--root")
        .arg(site.path())
        .args(["--lang", "en", "check", "--now", "2026-11-28", "--themes"])
        .arg(repo().join("themes"))
        .output()
        .expect("sbiz runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "\
error: content/notices/year-end.en.md:3:1: `sumary`: unknown field
  found:    `sumary`
  expected: one of the fields of the English version: `title`
error: content/notices/year-end.en.md:5:9: link to a heading that does not exist on that page
  found:    `/en/guide/#how-to-bok`
  expected: one of the anchors of /en/guide/: #how-to-book, #content
  help:     did you mean `#how-to-book`?
error: content/notices/year-end.en.md:5:44: internal link to a page that does not exist
  found:    `/en/hours/`
  expected: a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/
  help:     did you mean `/en/jobs/`?
error: content/notices/year-end.md:5:9: `pinned`: wrong type
  found:    \"아니요\"
  expected: true or false
error: check failed: 4 errors
"
    );
}
