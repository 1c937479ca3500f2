//! Synthetic content for benchmarks: `sbiz synth --out DIR --records N`
//! writes a complete site (content/ and a copy of the themes) with N records
//! spread over every kind, in Korean, deterministic for a given N. With
//! `--hugo DIR` it also writes the same records as a Hugo site, for
//! side-by-side build comparisons (see bench/README.md).

use std::fmt::Write as _;
use std::path::Path;

use sbiz_catalog::SEOUL_DISTRICTS;

const INDUSTRIES: [(&str, &str); 6] = [
    ("apparel", "의류·봉제"),
    ("leather-shoes", "가죽·패션(수제화)"),
    ("jewelry", "귀금속·주얼리"),
    ("machinery-metal", "기계·금속"),
    ("printing", "인쇄"),
    ("hosiery", "양말·니트"),
];
const AUDIENCES: [(&str, &str); 4] = [
    ("owners", "소공인"),
    ("founders", "창업희망자"),
    ("job-seekers", "취업희망자"),
    ("citizens", "시민"),
];
const STAGES: [(&str, &str); 4] = [
    ("pre-startup", "예비창업"),
    ("early", "초기"),
    ("growth", "성장"),
    ("leap", "재도약"),
];
const AREAS: [(&str, &str); 6] = [
    ("automation", "수작업의 자동화"),
    ("digital", "디지털 전환"),
    ("skills", "기술 교육"),
    ("capacity", "역량 강화"),
    ("network", "협업 네트워크"),
    ("sales", "판로"),
];
const MACHINES: [&str; 12] = [
    "자동재단기",
    "패턴플로터",
    "3D 왁스 프린터",
    "초음파 세척기",
    "CNC 선반",
    "3차원 측정기",
    "레이저 커터",
    "공업용 재봉기",
    "연단기",
    "자수기",
    "열프레스",
    "디지털 인쇄기",
];
const TOPICS: [&str; 10] = [
    "패턴 CAD",
    "봉제 품질 관리",
    "온라인 판로 개척",
    "주얼리 3D 모델링",
    "CNC 가공 기초",
    "스마트 공장 입문",
    "원가 계산",
    "브랜드 만들기",
    "안전 관리",
    "수제화 라스트 설계",
];
const WORDS: [&str; 24] = [
    "소공인",
    "작업장",
    "재단",
    "봉제",
    "원단",
    "주문",
    "납기",
    "품질",
    "장비",
    "교육",
    "지원",
    "판로",
    "디자인",
    "샘플",
    "공정",
    "자동화",
    "기술",
    "숙련",
    "협업",
    "지역",
    "창업",
    "생산",
    "관리",
    "상담",
];

/// A small deterministic generator (no dependency needed for benchmark data).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() % items.len()]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.pick::<&str>(&WORDS));
            s.push_str(["을", "과", "의", "에서", "로", ""][self.next() % 6]);
        }
        s.push_str(" 지원합니다.");
        s
    }
    fn paragraphs(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| self.sentence(14))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

fn terms_yaml(terms: &[(&str, &str)]) -> String {
    terms
        .iter()
        .map(|(id, name)| format!("- id: {id}\n  name: {name}\n"))
        .collect()
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How N records split over the kinds.
pub(crate) fn split(n: usize) -> [usize; 6] {
    let f = n / 10;
    let e = n / 5;
    let p = n / 4;
    let po = n * 3 / 20;
    let j = n * 3 / 20;
    [
        f.max(1),
        e,
        p,
        po,
        j,
        n.saturating_sub(f.max(1) + e + p + po + j),
    ]
}

struct Record {
    section: &'static str,
    id: String,
    title: String,
    summary: String,
    body: String,
    taxonomies: Vec<(&'static str, Vec<String>)>,
    date: String,
}

/// The `--now` the benchmark builds with (2026-06-01), as a day offset
/// from 2026-01-01.
const BENCH_DAY: usize = 151;

/// 예정 / 모집 중 (지원사업은 접수 중) / 마감 of a window at the benchmark's now.
fn status(from: usize, until: usize) -> &'static str {
    let (from, until) = (from % 730, until % 730);
    if BENCH_DAY < from {
        "upcoming"
    } else if BENCH_DAY <= until {
        "open"
    } else {
        "closed"
    }
}

fn date(day: usize) -> String {
    let d = sbiz_catalog::Date::new(2026, 1, 1).map(|d| d.add_days((day % 730) as i32));
    d.map(|d| d.to_string())
        .unwrap_or_else(|| "2026-01-01".into())
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).map_err(|err| err.to_string())?;
        } else {
            std::fs::copy(e.path(), &dest).map_err(|err| err.to_string())?;
        }
    }
    Ok(())
}

pub fn write_with_hugo(
    root: &Path,
    out: &Path,
    n: usize,
    hugo: Option<&Path>,
) -> Result<usize, String> {
    if out.join("content").exists() {
        return Err(format!(
            "{} already has a content folder; choose an empty folder",
            out.display()
        ));
    }
    let c = out.join("content");
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ n as u64);
    let [nf, ne, np, npo, nj, nn] = split(n);
    write_file(&c.join("site.yaml"), SITE)?;
    write_file(
        &c.join("taxonomies/industries.yaml"),
        &terms_yaml(&INDUSTRIES),
    )?;
    write_file(
        &c.join("taxonomies/districts.yaml"),
        &terms_yaml(&SEOUL_DISTRICTS),
    )?;
    write_file(
        &c.join("taxonomies/audiences.yaml"),
        &terms_yaml(&AUDIENCES),
    )?;
    write_file(&c.join("taxonomies/stages.yaml"), &terms_yaml(&STAGES))?;
    write_file(&c.join("taxonomies/areas.yaml"), &terms_yaml(&AREAS))?;
    write_file(
        &c.join("holidays.yaml"),
        "- date: 2026-12-25\n  name: 성탄절\n- date: 2027-01-01\n  name: 신정\n",
    )?;
    write_file(
        &c.join("surveys/equipment-use.yaml"),
        "title: 장비 이용 만족도\ntarget: equipment\nquestions:\n  - id: overall\n    type: rating\n    label: 전반적으로 만족하셨나요?\n",
    )?;
    write_file(
        &c.join("surveys/programme-feedback.yaml"),
        "title: 교육 만족도\ntarget: programme\nquestions:\n  - id: overall\n    type: rating\n    label: 교육에 만족하셨나요?\n",
    )?;
    let themes = root.join("themes");
    copy_tree(&themes, &out.join("themes"))?;

    let mut records: Vec<Record> = Vec::with_capacity(n);
    let mut facility_district: Vec<&str> = Vec::with_capacity(nf);
    let ind = |rng: &mut Rng| rng.pick(&INDUSTRIES).0.to_owned();
    for i in 0..nf {
        let (did, dname) = *rng.pick(&SEOUL_DISTRICTS);
        facility_district.push(did);
        let industry = ind(&mut rng);
        let area = rng.pick(&AREAS).0;
        let name = format!(
            "{} {} 지원센터 {}",
            dname.trim_end_matches('구'),
            INDUSTRIES
                .iter()
                .find(|x| x.0 == industry)
                .map_or("", |x| x.1),
            i + 1
        );
        let body = rng.paragraphs(3);
        let text = format!(
            "name: {name}\noperator_type: {}\noperator: 서울특별시\ndistrict: {did}\naddress: 서울특별시 {dname} 예시로 {}\nhours: 평일 09:00~18:00\nphone: 02-{:03}-{:04}\nindustries: [{industry}]\nareas: [{area}]\nsummary: {} 소공인을 위한 공용 작업 공간\ndescription: |\n{}\n",
            ["city", "district", "private"][i % 3],
            i + 1,
            200 + i % 700,
            i % 10000,
            dname,
            indent(&body)
        );
        write_file(&c.join(format!("facilities/facility-{i}.yaml")), &text)?;
        records.push(Record {
            section: "facilities",
            id: format!("facility-{i}"),
            title: name,
            summary: format!("{dname} 소공인을 위한 공용 작업 공간"),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("districts", vec![did.into()]),
                ("areas", vec![area.into()]),
            ],
            date: date(i),
        });
    }
    for i in 0..ne {
        let machine = rng.pick(&MACHINES);
        let industry = ind(&mut rng);
        let facility = i % nf;
        let body = rng.paragraphs(2);
        let approval = if i % 3 == 0 { "staff" } else { "instant" };
        let text = format!(
            "name: {machine} {n}호기\nfacility: facility-{facility}\nindustries: [{industry}]\nsummary: {machine}를 예약해 쓸 수 있습니다\ndescription: |\n{}\nbooking:\n  slot_minutes: 60\n  hours:\n    mon: [\"09:00-12:00\", \"13:00-18:00\"]\n    wed: [\"09:00-12:00\", \"13:00-18:00\"]\n    fri: [\"09:00-12:00\", \"13:00-18:00\"]\n  max_slots: 4\n  max_days_ahead: 14\n  approval: {approval}\n  eligibility: 서울 소재 소공인\n  survey: equipment-use\n",
            indent(&body),
            n = i + 1
        );
        write_file(&c.join(format!("equipment/equipment-{i}.yaml")), &text)?;
        records.push(Record {
            section: "equipment",
            id: format!("equipment-{i}"),
            title: format!("{machine} {}호기", i + 1),
            summary: format!("{machine}를 예약해 쓸 수 있습니다"),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("districts", vec![facility_district[facility].into()]),
            ],
            date: date(i),
        });
    }
    for i in 0..np {
        let topic = rng.pick(&TOPICS);
        let industry = ind(&mut rng);
        let audience = rng.pick(&AUDIENCES).0;
        let stage = rng.pick(&STAGES).0;
        let start = i % 600;
        let body = rng.paragraphs(3);
        let text = format!(
            "title: {topic} 과정 {n}기\nfacility: facility-{f}\nindustries: [{industry}]\naudiences: [{audience}]\nstages: [{stage}]\nsummary: {topic}을 실습으로 배웁니다\ndescription: |\n{}\nsessions:\n  - date: {s1}\n    time: \"10:00-13:00\"\n  - date: {s2}\n    time: \"10:00-13:00\"\napply_from: {a}\napply_until: {s1}\ncapacity: 20\nwaitlist: 5\nplace: 교육장\nsurvey: programme-feedback\n",
            indent(&body),
            n = i + 1,
            f = i % nf,
            s1 = date(start + 20),
            s2 = date(start + 27),
            a = date(start)
        );
        write_file(&c.join(format!("programmes/programme-{i}.yaml")), &text)?;
        records.push(Record {
            section: "programmes",
            id: format!("programme-{i}"),
            title: format!("{topic} 과정 {}기", i + 1),
            summary: format!("{topic}을 실습으로 배웁니다"),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("audiences", vec![audience.into()]),
                ("stages", vec![stage.into()]),
                ("districts", vec![facility_district[i % nf].into()]),
                ("status", vec![status(start, start + 20).into()]),
            ],
            date: date(start),
        });
    }
    for i in 0..npo {
        let area = rng.pick(&AREAS);
        let industry = ind(&mut rng);
        let start = i % 600;
        let body = rng.paragraphs(3);
        let text = format!(
            "---\ntitle: {} 지원사업 {n}\nagency: 서울특별시\nsummary: {} 비용을 지원합니다\ntarget: 서울 소재 도시형 소공인\namount: 최대 500만 원\neligibility:\n  - 상시근로자 10인 미만 제조업\napply_from: {}\napply_until: {}\nindustries: [{industry}]\naudiences: [owners]\nareas: [{}]\napply:\n  url: https://example.kr/apply/{n}\n---\n{body}\n",
            area.1,
            area.1,
            date(start),
            date(start + 30),
            area.0,
            n = i + 1
        );
        write_file(&c.join(format!("policies/policy-{i}.md")), &text)?;
        records.push(Record {
            section: "policies",
            id: format!("policy-{i}"),
            title: format!("{} 지원사업 {}", area.1, i + 1),
            summary: format!("{} 비용을 지원합니다", area.1),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("areas", vec![area.0.into()]),
                ("audiences", vec!["owners".into()]),
                ("status", vec![status(start, start + 30).into()]),
            ],
            date: date(start),
        });
    }
    for i in 0..nj {
        let (did, _) = *rng.pick(&SEOUL_DISTRICTS);
        let industry = ind(&mut rng);
        let body = rng.paragraphs(2);
        let text = format!(
            "title: 숙련공 모집 {n}\ncompany: 예시공방 {n}\nindustry: {industry}\ndistrict: {did}\nposition: 숙련공\nemployment: full-time\nwage: 월 280만 원\nhours: 09:00~18:00 (주 5일)\nposted: {}\ndeadline: {}\nhow_to_apply: 전화 문의\ncontact: 02-555-{:04}\ndescription: |\n{}\n",
            date(i % 600),
            date(i % 600 + 30),
            i % 10000,
            indent(&body),
            n = i + 1
        );
        write_file(&c.join(format!("jobs/job-{i}.yaml")), &text)?;
        records.push(Record {
            section: "jobs",
            id: format!("job-{i}"),
            title: format!("숙련공 모집 {}", i + 1),
            summary: format!("예시공방 {}", i + 1),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("districts", vec![did.into()]),
                ("status", vec![status(i % 600, i % 600 + 30).into()]),
            ],
            date: date(i % 600),
        });
    }
    for i in 0..nn {
        let body = rng.paragraphs(2);
        let text = format!(
            "---\ntitle: 안내 {n}\ndate: {}\n---\n{body}\n",
            date(i),
            n = i + 1
        );
        write_file(&c.join(format!("notices/notice-{i}.md")), &text)?;
        records.push(Record {
            section: "notices",
            id: format!("notice-{i}"),
            title: format!("안내 {}", i + 1),
            summary: String::new(),
            body,
            taxonomies: Vec::new(),
            date: date(i),
        });
    }
    if let Some(h) = hugo {
        write_hugo(h, &records)?;
    }
    Ok(records.len())
}

const SITE: &str = "name: 합성 소공인 포털\ndescription: 성능 측정용 합성 사이트\nbase_url: https://bench.example.kr\nper_page: 12\noperator:\n  name: 벤치마크\n  address: 서울특별시 중구 세종대로 110\n  phone: 02-2133-8770\nnav:\n  - title: 교육\n    url: /programmes/\nopen_data:\n  - title: 지원시설\n    url: /data/facilities.csv\n  - title: 공용장비\n    url: /data/equipment.csv\n  - title: 교육\n    url: /data/programmes.csv\n  - title: 지원사업\n    url: /data/policies.csv\n  - title: 구인정보\n    url: /data/jobs.csv\nfeeds:\n  - title: 공지사항\n    url: /feeds/notices.xml\n  - title: 교육\n    url: /feeds/programmes.xml\nbooking:\n  retention_days: 365\n  no_show:\n    max: 2\n    window_days: 90\n    block_days: 30\nconsent:\n  version: bench\n  purpose: 예약 확인\n  items: 성명, 휴대전화번호\n  retention: 1년\n  refusal: 동의하지 않으면 예약할 수 없습니다.\n";

/// The same records as a Hugo site: one page per record, paginated section
/// lists and taxonomy term pages with the same page size.
fn write_hugo(dir: &Path, records: &[Record]) -> Result<(), String> {
    // Site-wide taxonomies (our term pages) and one taxonomy per section and
    // dimension (our filtered list pages), paginated like ours.
    let mut config = String::from(
        "baseURL = 'https://bench.example.kr/'\nlanguageCode = 'ko'\ntitle = '합성 소공인 포털'\ndisableKinds = ['RSS']\nbuildFuture = true\nbuildExpired = true\npaginate = 12\n[markup.goldmark.renderer]\nunsafe = false\n[taxonomies]\nindustry = 'industries'\ndistrict = 'districts'\naudience = 'audiences'\nstage = 'stages'\narea = 'areas'\n",
    );
    let mut per_kind: Vec<String> = records
        .iter()
        .flat_map(|r| {
            r.taxonomies
                .iter()
                .map(move |(t, _)| format!("{}_{}", r.section, t))
        })
        .collect();
    per_kind.sort();
    per_kind.dedup();
    for t in &per_kind {
        let _ = writeln!(config, "{t} = '{t}'");
    }
    write_file(&dir.join("hugo.toml"), &config)?;
    let base = "<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><header><a href=\"/\">{{ site.Title }}</a></header><main>{{ block \"main\" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>\n";
    write_file(&dir.join("layouts/_default/baseof.html"), base)?;
    write_file(
        &dir.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ range $t, $_ := site.Taxonomies }}{{ with $.GetTerms $t }}<ul>{{ range . }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}{{ end }}{{ .Content }}</article>{{ end }}\n",
    )?;
    let list = "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><h3><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h3><p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ with .Paginator }}{{ if .HasPrev }}<a href=\"{{ .Prev.URL }}\">이전</a>{{ end }}{{ if .HasNext }}<a href=\"{{ .Next.URL }}\">다음</a>{{ end }}{{ end }}{{ end }}\n";
    write_file(&dir.join("layouts/_default/list.html"), list)?;
    write_file(&dir.join("layouts/_default/term.html"), list)?;
    write_file(
        &dir.join("layouts/_default/taxonomy.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    )?;
    write_file(
        &dir.join("layouts/index.html"),
        "{{ define \"main\" }}<h1>{{ site.Title }}</h1><ul>{{ range first 10 site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    )?;
    for r in records {
        let mut fm = format!(
            "---\ntitle: \"{}\"\ndate: {}\nsummary: \"{}\"\n",
            r.title, r.date, r.summary
        );
        for (t, ids) in &r.taxonomies {
            if *t != "status" {
                let _ = writeln!(fm, "{t}: [{}]", ids.join(", "));
            }
            let _ = writeln!(fm, "{}_{}: [{}]", r.section, t, ids.join(", "));
        }
        fm.push_str("---\n");
        fm.push_str(&r.body);
        fm.push('\n');
        write_file(
            &dir.join("content")
                .join(r.section)
                .join(format!("{}.md", r.id)),
            &fm,
        )?;
    }
    Ok(())
}
