//! Synthetic content for benchmarks: `sbiz synth --out DIR --records N`
//! writes a complete site (content/ and a copy of the themes) with N records
//! spread over every kind, in Korean, deterministic for a given N. With
//! `--hugo DIR` it also writes the same records as a Hugo site, for
//! side-by-side build comparisons (see bench/README.md).

use std::path::Path;

use serde_json::{Value, json};

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
    /// What the Hugo templates in `bench/hugo/` show besides the title,
    /// summary and terms: the card's facts, the detail page's fields, the
    /// form, the JSON-LD (the values our views compute from the content).
    hugo: Value,
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

fn day(d: &str) -> sbiz_catalog::Date {
    let n = |r: std::ops::Range<usize>| d[r].parse::<i16>().unwrap_or(1);
    sbiz_catalog::Date::new(n(0..4), n(5..7) as i8, n(8..10) as i8)
        .unwrap_or_else(|| unreachable!("synthetic dates are valid"))
}

/// A date as our pages write it in text (`<time>`, see `keep_dates_whole`).
fn t(d: &str) -> String {
    format!("<time>{d}</time>")
}

/// Where our build puts a record in its kind's lists (`site.rs`): facilities
/// by operator type and name, equipment by facility and name, programmes,
/// policies and jobs open first, then upcoming, then closed, notices newest
/// first. Hugo gets it as each page's `weight`, so both lists show the same
/// records on the same page.
fn list_order(r: &Record) -> (i32, i32, String) {
    let today = day("2026-06-01");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let window = || {
        let st = &r.hugo["status"];
        let (from, until) = (day(&text(&st["from"])), day(&text(&st["until"])));
        let rank = match st["key"].as_str() {
            Some("open") => 0,
            Some("upcoming") => 1,
            _ => 2,
        };
        (rank, from, until)
    };
    match r.section {
        "facilities" => {
            let op = match r.hugo["card"][0][1].as_str() {
                Some("시 운영") => 0,
                Some("자치구 운영") => 1,
                _ => 2,
            };
            (op, 0, r.title.clone())
        }
        "equipment" => (
            0,
            0,
            format!("{}\0{}", text(&r.hugo["facility"][1]), r.title),
        ),
        "programmes" => {
            let (rank, from, until) = window();
            let key = match rank {
                0 => until.days_until(today).abs(),
                1 => today.days_until(from),
                _ => today.days_until(until).abs(),
            };
            (rank, key, r.id.clone())
        }
        "policies" | "jobs" => {
            let (rank, _, until) = window();
            (rank, today.days_until(until), r.id.clone())
        }
        _ => (day(&r.date).days_until(today), 0, r.id.clone()),
    }
}

fn status_json(section: &str, from: &str, until: &str, key: &str) -> Value {
    let open = if section == "policies" {
        "접수 중"
    } else {
        "모집 중"
    };
    let label = match key {
        "upcoming" => "예정",
        "open" => open,
        _ => "마감",
    };
    json!({ "key": key, "label": label, "from": from, "until": until, "open": open })
}

/// The person fields and consent of every form (`sbiz_presentation::forms`).
fn person_fields(form: &str) -> Vec<Value> {
    vec![
        json!({ "id": format!("{form}-name"), "name": "name", "label": "이름", "type": "text", "required": true, "autocomplete": "name" }),
        json!({ "id": format!("{form}-phone"), "name": "phone", "label": "휴대전화 번호", "type": "tel", "required": true, "autocomplete": "tel", "inputmode": "tel", "hint": "예: 010-1234-5678" }),
        json!({ "id": format!("{form}-business"), "name": "business", "label": "상호", "type": "text", "required": true, "autocomplete": "organization", "hint": "사업자등록을 하지 않았으면 &#39;개인&#39;이라고 적어 주세요." }),
        json!({ "id": format!("{form}-email"), "name": "email", "label": "이메일 (선택)", "type": "email", "autocomplete": "email" }),
    ]
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
    for (id, title, body) in PAGES {
        write_file(
            &c.join(format!("pages/{id}.md")),
            &format!("---\ntitle: {title}\n---\n{body}\n"),
        )?;
    }
    let themes = root.join("themes");
    copy_tree(&themes, &out.join("themes"))?;

    let mut records: Vec<Record> = Vec::with_capacity(n);
    let mut facility_district: Vec<&str> = Vec::with_capacity(nf);
    let mut facility_names: Vec<String> = Vec::with_capacity(nf);
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
        let operator = ["시 운영", "자치구 운영", "민간 운영"][i % 3];
        let phone = format!("02-{:03}-{:04}", 200 + i % 700, i % 10000);
        let address = format!("서울특별시 {dname} 예시로 {}", i + 1);
        let hugo = json!({
            "kind_name": "지원시설",
            "card": [["운영", operator], ["지역", dname], ["전화", phone]],
            "facts": [["운영", format!("{operator} · 서울특별시")], ["주소", address], ["운영 시간", "평일 09:00~18:00"]],
            "phone": phone,
            "ld": json!({ "@context": "https://schema.org", "@type": if i % 3 == 2 { "Organization" } else { "GovernmentOffice" }, "name": name, "telephone": phone, "address": { "@type": "PostalAddress", "streetAddress": address, "addressLocality": dname, "addressRegion": "서울특별시", "addressCountry": "KR" }, "url": format!("https://bench.example.kr/facilities/facility-{i}/"), "description": format!("{dname} 소공인을 위한 공용 작업 공간"), "openingHours": "평일 09:00~18:00" }).to_string(),
            "equipment": (0..ne).filter(|e| e % nf == i).map(|e| format!("/equipment/equipment-{e}")).collect::<Vec<_>>(),
            "programmes": (0..np).filter(|p| p % nf == i).map(|p| format!("/programmes/programme-{p}")).collect::<Vec<_>>(),
        });
        facility_names.push(name.clone());
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
            hugo,
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
        let approval_name = if approval == "staff" {
            "담당자 승인"
        } else {
            "즉시 확정"
        };
        let fname = &facility_names[facility];
        let hours = "09:00~12:00, 13:00~18:00";
        let starts = [
            "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00",
        ];
        let form = "reserve";
        let mut fields = vec![
            json!({ "id": format!("{form}-date"), "name": "date", "label": "이용일", "type": "date", "required": true, "hint": format!("예: {}", t("2026-06-02")) }),
            json!({ "id": format!("{form}-start"), "name": "start", "label": "시작 시간", "type": "select", "required": true, "empty": true, "options": starts.iter().map(|s| json!([s, s, false])).collect::<Vec<_>>() }),
            json!({ "id": format!("{form}-slots"), "name": "slots", "label": "이용 시간", "type": "select", "required": true, "options": (1..=4).map(|n| json!([n.to_string(), format!("{n}시간"), n == 1])).collect::<Vec<_>>() }),
        ];
        fields.extend(person_fields(form));
        let hugo = json!({
            "kind_name": "공용장비",
            "card": [["시설", fname], ["예약", approval_name], ["이용료", "무료"]],
            "facility": [fname, format!("/facilities/facility-{facility}/")],
            "rules": [["이용 시간", "한 번에 1~4시간, 1시간 단위"], ["예약 가능 기간", "이용일 14일 전부터 1일 전까지"], ["확정 방식", approval_name], ["이용 대상", "서울 소재 소공인"], ["이용료", "무료"], ["취소", "이용 시작 24시간 전까지"]],
            "hours": [["월", hours], ["화", "휴관"], ["수", hours], ["목", "휴관"], ["금", hours], ["토", "휴관"], ["일", "휴관"]],
            "form": { "id": form, "action": "/api/reservations", "kind": "reservation", "submit": "예약 신청", "calendar": format!("/api/equipment/equipment-{i}/availability"), "calendar_hint": format!("예: {}", t("2026-06-02")), "hidden": [["equipment", format!("equipment-{i}")]], "fields": fields },
        });
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
            hugo,
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
        let (a, s1, s2) = (date(start), date(start + 20), date(start + 27));
        let key = status(start, start + 20);
        let fname = &facility_names[i % nf];
        let form = "application";
        let hugo = json!({
            "kind_name": "교육",
            "status": status_json("programmes", &a, &s1, key),
            "card": [["신청 기간", format!("{} ~ {}", t(&a), t(&s1))], ["교육 시작", t(&s1)], ["시설", fname]],
            "apply": format!("{} ~ {}", t(&a), t(&s1)),
            "facility": [fname, format!("/facilities/facility-{}/", i % nf)],
            "facts": [["방식", "현장 교육 · 교육장"], ["정원", "20명 (대기 5명)"], ["수강료", "무료"]],
            "sessions": [[t(&s1), day(&s1).weekday().korean(), "10:00~13:00"], [t(&s2), day(&s2).weekday().korean(), "10:00~13:00"]],
            "form": if key == "closed" { Value::Null } else { json!({ "id": form, "action": format!("/api/programmes/programme-{i}/applications"), "kind": "programme", "submit": "교육 신청", "hidden": [], "fields": person_fields(form) }) },
            "ld": json!({ "@context": "https://schema.org", "@type": "Course", "name": format!("{topic} 과정 {}기", i + 1), "description": format!("{topic}을 실습으로 배웁니다"), "url": format!("https://bench.example.kr/programmes/programme-{i}/"), "provider": { "@type": if (i % nf) % 3 == 2 { "Organization" } else { "GovernmentOffice" }, "name": fname, "url": format!("https://bench.example.kr/facilities/facility-{}/", i % nf) }, "inLanguage": "ko", "offers": { "@type": "Offer", "price": 0, "priceCurrency": "KRW", "validFrom": a, "availabilityEnds": s1 }, "hasCourseInstance": { "@type": "CourseInstance", "courseMode": "onsite", "startDate": s1, "endDate": s2, "location": "교육장", "maximumAttendeeCapacity": 20 } }).to_string(),
        });
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
            hugo,
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
        let (a, u) = (date(start), date(start + 30));
        let hugo = json!({
            "kind_name": "지원사업",
            "status": status_json("policies", &a, &u, status(start, start + 30)),
            "card": [["신청 기간", format!("{} ~ {}", t(&a), t(&u))], ["지원 내용", "최대 500만 원"], ["신청 방법", "운영기관 누리집에서 신청"]],
            "facts": [["운영기관", "서울특별시"], ["지원 대상", "서울 소재 도시형 소공인"], ["지원 내용", "최대 500만 원"], ["신청 기간", format!("{} ~ {}", t(&a), t(&u))]],
            "eligibility": ["상시근로자 10인 미만 제조업"],
            "apply_url": format!("https://example.kr/apply/{}", i + 1),
        });
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
            hugo,
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
        let (posted, deadline) = (date(i % 600), date(i % 600 + 30));
        let dname = SEOUL_DISTRICTS
            .iter()
            .find(|d| d.0 == did)
            .map_or("", |d| d.1);
        let contact = format!("02-555-{:04}", i % 10000);
        let hugo = json!({
            "kind_name": "구인정보",
            "status": status_json("jobs", &posted, &deadline, status(i % 600, i % 600 + 30)),
            "lead": format!("예시공방 {} · 숙련공", i + 1),
            "card": [["근무지", dname], ["급여", "월 280만 원"], ["마감일", t(&deadline)]],
            "facts": [["회사", format!("예시공방 {}", i + 1)], ["직무", "숙련공"], ["고용 형태", "정규직"], ["급여", "월 280만 원"], ["근무 시간", "09:00~18:00 (주 5일)"], ["접수 기간", format!("{} ~ {}", t(&posted), t(&deadline))], ["지원 방법", "전화 문의"]],
            "contact": contact,
            "ld": json!({ "@context": "https://schema.org", "@type": "JobPosting", "title": format!("숙련공 모집 {}", i + 1), "description": "숙련공 · 월 280만 원 · 09:00~18:00 (주 5일)", "datePosted": posted, "validThrough": format!("{deadline}T23:59:59+09:00"), "employmentType": "FULL_TIME", "hiringOrganization": { "@type": "Organization", "name": format!("예시공방 {}", i + 1) }, "jobLocation": { "@type": "Place", "address": { "@type": "PostalAddress", "addressLocality": dname, "addressRegion": "서울특별시", "addressCountry": "KR" } }, "url": format!("https://bench.example.kr/jobs/job-{i}/") }).to_string(),
        });
        records.push(Record {
            section: "jobs",
            id: format!("job-{i}"),
            title: format!("숙련공 모집 {}", i + 1),
            summary: format!("예시공방 {} · 숙련공", i + 1),
            body,
            taxonomies: vec![
                ("industries", vec![industry]),
                ("districts", vec![did.into()]),
                // Ours gives a job without `audiences` the job seekers'.
                ("audiences", vec!["job-seekers".into()]),
                ("status", vec![status(i % 600, i % 600 + 30).into()]),
            ],
            date: date(i % 600),
            hugo,
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
        let d = date(i);
        // Ours describes a notice with the first 90 characters of its text.
        let words: Vec<&str> = body.split_whitespace().collect();
        let description: String = words.join(" ").chars().take(90).collect();
        let hugo = json!({
            "kind_name": "공지사항",
            "description": description,
            "card": [["게시일", t(&d)]],
            "ld": json!({ "@context": "https://schema.org", "@type": "Article", "headline": format!("안내 {}", i + 1), "datePublished": d, "url": format!("https://bench.example.kr/notices/notice-{i}/"), "publisher": { "@type": "Organization", "name": "벤치마크" } }).to_string(),
        });
        records.push(Record {
            section: "notices",
            id: format!("notice-{i}"),
            title: format!("안내 {}", i + 1),
            summary: String::new(),
            body,
            taxonomies: Vec::new(),
            date: date(i),
            hugo,
        });
    }
    if let Some(h) = hugo {
        write_hugo(root, h, &records)?;
    }
    Ok(records.len())
}

/// The pages every form links to (`consent.notice`, `form_help`): the
/// privacy notice and the booking help, as short as the synthetic records.
const PAGES: [(&str, &str, &str); 2] = [
    (
        "privacy",
        "개인정보처리방침",
        "예약·신청에 받는 개인정보의 처리 목적, 항목, 보유 기간과 정보주체의 권리를 알려 드립니다.",
    ),
    (
        "how-to-book",
        "예약 방법",
        "장비를 고르고 날짜와 시간을 정한 뒤 이름, 휴대전화 번호, 상호를 적어 예약합니다.",
    ),
];

const SITE: &str = "name: 합성 소공인 포털\ndescription: 성능 측정용 합성 사이트\nbase_url: https://bench.example.kr\nper_page: 12\noperator:\n  name: 벤치마크\n  address: 서울특별시 중구 세종대로 110\n  phone: 02-2133-8770\nnav:\n  - title: 교육\n    url: /programmes/\nopen_data:\n  - title: 지원시설\n    url: /data/facilities.csv\n  - title: 공용장비\n    url: /data/equipment.csv\n  - title: 교육\n    url: /data/programmes.csv\n  - title: 지원사업\n    url: /data/policies.csv\n  - title: 구인정보\n    url: /data/jobs.csv\nfeeds:\n  - title: 공지사항\n    url: /feeds/notices.xml\n  - title: 교육\n    url: /feeds/programmes.xml\nbooking:\n  retention_days: 365\n  no_show:\n    max: 2\n    window_days: 90\n    block_days: 30\nconsent:\n  version: bench\n  purpose: 예약 확인\n  items: 성명, 휴대전화번호\n  retention: 1년\n  refusal: 동의하지 않으면 예약할 수 없습니다.\n  notice: /privacy/\nform_help: /how-to-book/\n";

/// The same records as a Hugo site: one page per record, paginated section
/// lists, taxonomy term pages and per-kind filtered lists with the same page
/// size, rendered by the Hugo templates of `bench/hugo/` (the same markup as
/// the default theme: header, menu, footer, cards, detail fields, forms).
fn write_hugo(root: &Path, dir: &Path, records: &[Record]) -> Result<(), String> {
    // Site-wide taxonomies (our term pages) and one taxonomy per section and
    // dimension (our filtered list pages), paginated like ours.
    let mut taxonomies = serde_json::Map::new();
    for (singular, plural) in [
        ("industry", "industries"),
        ("district", "districts"),
        ("audience", "audiences"),
        ("stage", "stages"),
        ("area", "areas"),
    ] {
        taxonomies.insert(singular.into(), plural.into());
    }
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
        taxonomies.insert(t.clone(), t.clone().into());
    }
    let link = |title: &str, url: &str| json!({ "title": title, "url": url });
    let config = json!({
        "baseURL": "https://bench.example.kr/",
        "languageCode": "ko",
        "title": "합성 소공인 포털",
        "disableKinds": ["RSS"],
        "buildFuture": true,
        "buildExpired": true,
        "paginate": 12,
        "markup": { "goldmark": { "renderer": { "unsafe": false } } },
        "taxonomies": taxonomies,
        "params": {
            "nav": [link("교육", "/programmes/")],
            "open_data": [link("지원시설", "/data/facilities.csv"), link("공용장비", "/data/equipment.csv"), link("교육", "/data/programmes.csv"), link("지원사업", "/data/policies.csv"), link("구인정보", "/data/jobs.csv")],
            "feeds": [link("공지사항", "/feeds/notices.xml"), link("교육", "/feeds/programmes.xml")],
            "operator": { "name": "벤치마크", "address": "서울특별시 중구 세종대로 110", "phone": "02-2133-8770" },
            "consent": { "version": "bench", "purpose": "예약 확인", "items": "성명, 휴대전화번호", "retention": "1년", "refusal": "동의하지 않으면 예약할 수 없습니다.", "notice": "/privacy/" },
            "form_help": "/how-to-book/",
            "description": "성능 측정용 합성 사이트",
            "home_ld": json!({ "@context": "https://schema.org", "@type": "WebSite", "inLanguage": "ko", "name": "합성 소공인 포털", "potentialAction": { "@type": "SearchAction", "query-input": "required name=query", "target": "https://bench.example.kr/search/?q={query}" }, "url": "https://bench.example.kr/" }).to_string(),
            // Seoul's districts in our order, for a district page's links
            // to the districts with facilities.
            "districts": SEOUL_DISTRICTS.iter().map(|d| [d.0, d.1]).collect::<Vec<_>>(),
        },
    });
    write_file(
        &dir.join("hugo.json"),
        &serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?,
    )?;
    copy_tree(&root.join("bench/hugo"), dir)?;
    for (id, title, body) in PAGES {
        write_file(
            &dir.join("content").join(format!("{id}.md")),
            &format!("---\ntitle: \"{title}\"\nlayout: page\n---\n{body}\n"),
        )?;
    }
    // Term pages are titled with the term's Korean name, as ours are.
    let names: Vec<(&str, &str)> = INDUSTRIES
        .iter()
        .chain(SEOUL_DISTRICTS.iter())
        .chain(AUDIENCES.iter())
        .chain(STAGES.iter())
        .chain(AREAS.iter())
        .copied()
        .collect();
    let mut terms: Vec<(String, String, String)> = Vec::new();
    for r in records {
        for (t, ids) in &r.taxonomies {
            for id in ids {
                let name = match (*t, id.as_str()) {
                    ("status", "upcoming") => "예정",
                    ("status", "open") if r.section == "policies" => "접수 중",
                    ("status", "open") => "모집 중",
                    ("status", _) => "마감",
                    _ => names
                        .iter()
                        .find(|n| n.0 == id)
                        .map_or(id.as_str(), |n| n.1),
                };
                if *t != "status" {
                    terms.push((t.to_string(), id.clone(), name.to_owned()));
                }
                terms.push((format!("{}_{}", r.section, t), id.clone(), name.to_owned()));
            }
        }
    }
    terms.sort();
    terms.dedup();
    for (section, name) in [
        ("facilities", "지원시설"),
        ("equipment", "공용장비"),
        ("programmes", "교육"),
        ("policies", "지원사업"),
        ("jobs", "구인정보"),
        ("notices", "공지사항"),
    ] {
        write_file(
            &dir.join("content").join(section).join("_index.md"),
            &format!("---\ntitle: \"{name}\"\nkind_name: \"{name}\"\n---\n"),
        )?;
    }
    for (t, id, name) in &terms {
        write_file(
            &dir.join("content").join(t).join(id).join("_index.md"),
            &format!("---\ntitle: \"{name}\"\n---\n"),
        )?;
    }
    let mut ranked: Vec<(&str, (i32, i32, String), &str)> = records
        .iter()
        .map(|r| (r.section, list_order(r), r.id.as_str()))
        .collect();
    ranked.sort();
    let weights: std::collections::HashMap<(&str, &str), usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, (section, _, id))| ((*section, *id), i + 1))
        .collect();
    for r in records {
        let mut fm = serde_json::Map::new();
        fm.insert("title".into(), r.title.clone().into());
        fm.insert("date".into(), r.date.clone().into());
        fm.insert("summary".into(), r.summary.clone().into());
        for (t, ids) in &r.taxonomies {
            if *t != "status" {
                fm.insert(t.to_string(), json!(ids));
            }
            fm.insert(format!("{}_{}", r.section, t), json!(ids));
        }
        if let Value::Object(extra) = &r.hugo {
            fm.extend(extra.clone());
        }
        if let Some(w) = weights.get(&(r.section, r.id.as_str())) {
            fm.insert("weight".into(), json!(w));
        }
        let mut text = serde_json::to_string(&Value::Object(fm)).map_err(|e| e.to_string())?;
        text.push_str("\n\n");
        text.push_str(&r.body);
        text.push('\n');
        write_file(
            &dir.join("content")
                .join(r.section)
                .join(format!("{}.md", r.id)),
            &text,
        )?;
    }
    Ok(())
}
