//! What a citizen finds from where they land: job postings on the job
//! seekers' page and lists, a way on from every district's page, when the
//! applications of a programme, scheme or job posting open, and the small
//! texts around them (a calendar's place, a notice's date, `serve --help`).

use std::path::Path;

use crate::support::{build_site, fixture_site, read_built, repo, sbiz};

/// Builds the site at `root` at `now` into a new folder.
fn build(root: &Path, now: &str) -> tempfile::TempDir {
    build_site(root, now)
}

fn read(out: &Path, rel: &str) -> String {
    read_built(out, rel)
}

/// The real content, built when the reviewer looked at it.
fn real() -> tempfile::TempDir {
    build(&repo(), "2026-11-28T09:00")
}

#[test]
fn job_postings_belong_to_the_job_seekers_in_both_editions() {
    let out = real();
    let o = out.path();
    let page = read(o, "audiences/job-seekers/index.html");
    assert!(
        page.contains("<h2 id=\"group-job\">구인정보 <span class=\"count\">15건</span></h2>"),
        "every posting is for job seekers"
    );
    assert!(page.contains(
        "<p><a href=\"/jobs/audiences/job-seekers/\">취업희망자 구인정보 15건 모두 보기</a></p>"
    ));
    // The youth hiring incentive is for the employers who hire.
    assert!(!page.contains("/policies/youth-employment-subsidy/"));
    assert!(read(o, "audiences/owners/index.html").contains("/policies/youth-employment-subsidy/"));
    // The jobs list filters by audience, and its filtered page holds them all.
    assert!(read(o, "jobs/index.html").contains(
        "<a href=\"/jobs/audiences/job-seekers/\">취업희망자 <span class=\"count\">15건</span></a>"
    ));
    let filtered = read(o, "jobs/audiences/job-seekers/index.html");
    assert!(filtered.contains("href=\"/jobs/audiences/job-seekers/page/2/\""));
    let closed = read(o, "jobs/audiences/job-seekers/page/2/index.html");
    assert!(closed.contains("/jobs/guro-welder/"));
    // A posting names its audience like a programme does.
    assert!(read(o, "jobs/guro-welder/index.html").contains(
        "<dt>대상</dt><dd><ul class=\"tags\"><li><a href=\"/audiences/job-seekers/\">취업희망자</a></li></ul></dd>"
    ));
    let english = read(o, "en/audiences/job-seekers/index.html");
    assert!(english.contains("<h2 id=\"group-job\">Jobs <span class=\"count\">15</span></h2>"));
    assert!(english.contains("href=\"/en/jobs/audiences/job-seekers/\""));
    assert!(o.join("en/jobs/audiences/job-seekers/index.html").is_file());
    // The open data says so too, in an `audiences` column like a programme's.
    let csv = read(o, "data/jobs.csv");
    assert!(csv.starts_with(
        "\u{feff}audiences,company,deadline,district,employment,hours,id,industry,position,posted,status,title,url,wage\r\n"
    ));
    assert_eq!(csv.matches("\r\njob-seekers,").count(), 15, "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&read(o, "data/jobs.json")).expect("jobs.json");
    let audiences: Vec<&str> = json
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|j| j["audiences"].as_str())
        .collect();
    assert_eq!(audiences, ["job-seekers"; 15]);
}

/// A site without a `job-seekers` audience (the fixture) builds, its
/// postings with no audience; `audiences:` on a posting chooses them and
/// is checked like a programme's.
#[test]
fn a_job_postings_audiences_default_only_to_an_audience_the_site_has() {
    let out = build(&repo().join("tests/fixtures/valid-site"), "2026-11-28");
    let jobs = read(out.path(), "jobs/index.html");
    assert!(!jobs.contains("/jobs/audiences/"), "no audience filter");

    let site = fixture_site(None);
    let job = site.path().join("content/jobs/sewing-operator.yaml");
    let yaml = std::fs::read_to_string(&job).expect("the fixture's job");
    std::fs::write(&job, format!("{yaml}audiences: [founders, owners]\n")).expect("write");
    let out = build(site.path(), "2026-11-28");
    let founders = read(out.path(), "audiences/founders/index.html");
    assert!(
        founders.contains("<h2 id=\"group-job\">구인정보 <span class=\"count\">1건</span></h2>")
    );
    assert!(founders.contains("/jobs/sewing-operator/"));
    // In the open data, ids joined with `;` as in the other kinds' files.
    assert_eq!(
        read(out.path(), "data/jobs.csv"),
        "\u{feff}audiences,company,deadline,district,employment,hours,id,industry,position,posted,status,title,url,wage\r\n\
         founders;owners,시험어패럴,2026-12-20,jung,full-time,09:00~18:00 (주 5일),sewing-operator,apparel,미싱사,2026-11-20,open,미싱사 모집,https://test.example.kr/jobs/sewing-operator/,월 280만 원\r\n"
    );
    assert!(read(out.path(), "data/jobs.json").contains("\"audiences\": \"founders;owners\","));

    std::fs::write(&job, format!("{yaml}audiences: [job-seekers]\n")).expect("write");
    let res = sbiz()
        .arg("--root")
        .arg(site.path())
        .args(["check", "--now", "2026-11-28", "--themes"])
        .arg(repo().join("themes"))
        .output()
        .expect("sbiz runs");
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(
        stderr.contains("sewing-operator.yaml") && stderr.contains("job-seekers"),
        "{stderr}"
    );
}

#[test]
fn a_district_page_leads_on_to_citywide_schemes_and_other_districts() {
    let out = real();
    let o = out.path();
    let gangnam = read(o, "districts/gangnam/index.html");
    assert!(gangnam.contains(
        "<p class=\"lead\">서울특별시 강남구에는 아직 등록된 지원시설이 없습니다. 서울 어디서나 신청할 수 있는 지원사업과 지원시설이 있는 자치구를 이 페이지에서 찾아볼 수 있습니다.</p>"
    ));
    assert!(gangnam.contains(
        "<h2 id=\"group-citywide\">서울 어디서나 신청할 수 있는 지원사업 <span class=\"count\">11건</span></h2>"
    ));
    assert!(gangnam.contains("/policies/smart-process-support/"));
    // The one scheme for 금천구 only is not offered to 강남구.
    assert!(!gangnam.contains("/policies/startup-space-rental/"));
    assert!(gangnam.contains("<p><a href=\"/policies/\">지원사업 목록 모두 보기</a></p>"));
    assert!(gangnam.contains(
        "<h2 id=\"term-districts\">지원시설이 있는 자치구</h2><ul class=\"tags\"><li><a href=\"/districts/jongno/\">종로구</a></li><li><a href=\"/districts/jung/\">중구</a></li>"
    ));
    assert!(!gangnam.contains("<a href=\"/districts/gangnam/\">"));
    assert!(gangnam.contains(
        "<p>강남구에만 해당하는 정보는 아직 없습니다.</p><nav class=\"term-links\" aria-labelledby=\"term-lists\"><h2 id=\"term-lists\">종류별 전체 목록</h2><ul class=\"tags\"><li><a href=\"/facilities/\">지원시설</a></li>"
    ));
    // A district with records of its own lists them first, then the same ways on.
    let jongno = read(o, "districts/jongno/index.html");
    assert!(jongno.contains("id=\"group-facility\"") && jongno.contains("id=\"group-citywide\""));
    assert!(!jongno.contains("id=\"term-lists\""));
    assert!(!jongno.contains("<a href=\"/districts/jongno/\">"));
    let english = read(o, "en/districts/gangnam/index.html");
    assert!(english.contains(
        "<h2 id=\"group-citywide\">Support schemes open anywhere in Seoul <span class=\"count\">"
    ));
    assert!(english.contains("<a href=\"/en/districts/jongno/\">Jongno-gu</a>"));
    assert!(english.contains("<p>Nothing specific to Gangnam-gu has been published yet.</p>"));
}

#[test]
fn an_upcoming_form_says_when_applications_open() {
    let out = build(&repo().join("tests/fixtures/valid-site"), "2026-11-28");
    let upcoming = read(out.path(), "programmes/startup-basics/index.html");
    let notice = "<div class=\"notice-upcoming\" role=\"note\" data-opens=\"2026-12-15\"><p><strong>신청은 <time datetime=\"2026-12-15\">2026-12-15</time>부터 <time datetime=\"2027-01-10\">2027-01-10</time>까지 받습니다.</strong> 그 전에는 아래 신청서를 미리 보며 준비할 수 있지만, 보내도 접수되지 않습니다.</p></div>";
    let at = upcoming.find(notice).expect("the notice");
    let form = upcoming
        .find("<form id=\"application\"")
        .expect("the form stays");
    assert!(at < form, "the notice comes before the form");
    // Open and closed pages have no such notice.
    let open = read(out.path(), "programmes/cutter-safety/index.html");
    assert!(!open.contains("notice-upcoming"));
    let closed = read(out.path(), "policies/online-sales/index.html");
    assert!(!closed.contains("notice-upcoming"));

    let out = real();
    let policy = read(out.path(), "policies/sample-making-voucher/index.html");
    assert!(policy.contains(
        "<strong>신청은 <time datetime=\"2026-12-07\">2026-12-07</time>부터 <time datetime=\"2026-12-24\">2026-12-24</time>까지 받습니다.</strong>"
    ));
    let english = read(out.path(), "en/policies/sample-making-voucher/index.html");
    assert!(english.contains(
        "<strong>Applications are accepted from <time datetime=\"2026-12-07\">2026-12-07</time> to <time datetime=\"2026-12-24\">2026-12-24</time>.</strong> Until then you can look through the form below to get ready, but what you send is not accepted."
    ));
    // A job posting before its `posted` day keeps its form under the same
    // notice, in the words of jobs (지원, 지원서).
    let out = build(&repo(), "2026-11-25T09:00");
    let job = read(out.path(), "jobs/gasan-cad-drafter/index.html");
    let notice = "<div class=\"notice-upcoming\" role=\"note\" data-opens=\"2026-11-26\"><p><strong>지원은 <time datetime=\"2026-11-26\">2026-11-26</time>부터 <time datetime=\"2027-01-10\">2027-01-10</time>까지 받습니다.</strong> 그 전에는 아래 지원서를 미리 보며 준비할 수 있지만, 보내도 접수되지 않습니다.</p></div>";
    let at = job.find(notice).expect("the job's notice");
    let form = job
        .find("<form id=\"application\"")
        .expect("the job's form stays");
    assert!(at < form, "the notice comes before the job's form");
    let english = read(out.path(), "en/jobs/gasan-cad-drafter/index.html");
    assert!(english.contains(
        "<div class=\"notice-upcoming\" role=\"note\" data-opens=\"2026-11-26\"><p><strong>Applications are accepted from <time datetime=\"2026-11-26\">2026-11-26</time> to <time datetime=\"2027-01-10\">2027-01-10</time>.</strong> Until then you can look through the form below to get ready, but what you send is not accepted.</p></div>"
    ));
    // Open from its `posted` day: no notice.
    let open = read(out.path(), "jobs/sillim-cutting-assistant/index.html");
    assert!(open.contains("<form id=\"application\""));
    assert!(!open.contains("notice-upcoming"));
    // forms.js leaves the form under the notice (it closes it only when
    // the page says nothing of when applications open).
    let forms = std::fs::read_to_string(repo().join("themes/default/static/js/forms.js"))
        .expect("forms.js");
    assert!(forms.contains("if (state === \"upcoming\" && opens && !opens.hidden) return;"));

    // The browser hides it from the opening day, by the visitor's clock.
    let js =
        std::fs::read_to_string(repo().join("themes/default/static/js/site.js")).expect("site.js");
    assert!(js.contains("querySelectorAll(\"[data-opens]\")"));
}

#[test]
fn small_texts_say_things_once_and_in_order() {
    let out = real();
    let o = out.path();
    let ics = read(o, "programmes/cutter-safety/sessions.ics");
    assert!(
        ics.contains("LOCATION:서울패션스마트센터 2층 자동재단실\r\n"),
        "{ics}"
    );
    // A notice thanking visitors is dated after the event it thanks them for.
    let notice = read(o, "notices/socks-center-open-day/index.html");
    assert!(notice.contains("<time datetime=\"2026-05-21\">2026-05-21</time>"));
    assert!(notice.contains("5월 20일(수) 오후"));
    // Narrow screens wrap between words: no break inside a word anywhere.
    let css = std::fs::read_to_string(repo().join("themes/default/static/css/site.css"))
        .expect("site.css");
    assert!(!css.contains("overflow-wrap:anywhere"));
    assert!(css.contains(".utility{order:-1;width:100%;display:flex;flex-wrap:wrap;"));

    let help = sbiz()
        .args(["serve", "--help"])
        .output()
        .expect("sbiz runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains(
            "접속을 받을 주소(기본값은 이 컴퓨터에서만 접속할 수 있는 주소) [기본값: 127.0.0.1]"
        ),
        "{help}"
    );
    assert!(
        help.contains("접속을 받을 포트 번호 [기본값: 8080]"),
        "{help}"
    );
}
