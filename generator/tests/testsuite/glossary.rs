//! One word for one thing (docs/glossary.md): the theme's templates and
//! scripts, the content, the `sbiz new` scaffolds, the generator's labels and
//! messages (its catalogue) and the booking function's Korean strings never
//! use a retired word.

use std::path::{Path, PathBuf};

use crate::support::repo;

/// Retired everywhere: (the retired word, the term to use instead).
const EVERYWHERE: &[(&str, &str)] = &[
    ("신청 즉시 확정", "즉시 확정"),
    ("바로 확정", "즉시 확정"),
    ("직원 승인", "담당자 승인"),
    ("거절", "반려 (reservations) or 미선정 (policies)"),
    ("휴무일", "휴관일"),
    ("공휴일 휴무", "공휴일 휴관"),
    ("\"휴무\"", "휴관"),
    ("교육 이수", "교육 수료"),
    ("이수 여부", "수료 여부"),
    ("이수자", "수료자"),
    ("미이수", "수료 기록이 없으면"),
    ("이수확인", "수료확인"),
    ("칸 수", "이용 시간 (한 번에 1~4시간)"),
    ("한 칸", "이용 시간"),
    ("}칸", "이용 시간"),
    ("~{{ record.rules.max_slots }}칸", "이용 시간"),
    ("구간 수", "이용 시간"),
    ("한 구간", "이용 시간 (4시간)"),
    ("두 구간", "이용 시간 (8시간)"),
    ("사업장 이름", "상호"),
    ("사업장명", "상호"),
    ("사업체 이름", "상호"),
    ("성명", "이름"),
    ("노쇼", "예약 부도"),
    ("미이용", "예약 부도"),
    ("모집중", "모집 중"),
    ("접수중", "접수 중"),
    ("휴대전화번호", "휴대전화 번호"),
    ("예약 번호", "예약번호"),
    ("선정(수강 확정)", "수강 확정"),
    ("<dt>개소</dt>", "개소일"),
    ("시작 시각", "시작 시간"),
    ("이용 날짜", "이용일"),
    ("사업자가 없으면", "사업자등록을 하지 않았으면"),
    ("공휴일이라 쉽니다", "공휴일에는 예약할 수 없습니다"),
    ("무엇을 찾으세요", "무엇을 찾으시나요"),
    ("재발송", "다시 보내기"),
    ("마이페이지", "내 예약·신청"),
    ("인증 코드", "인증번호"),
    ("확인번호", "인증번호"),
    ("이용 통계", "이용 현황"),
    ("가동률", "이용률"),
    ("시간 변경", "예약 변경"),
    ("대리 예약", "전화·방문 접수"),
    ("신청번호", "접수번호"),
    ("지원번호", "접수번호"),
    // A filled-in value takes no particle whose form depends on it.
    ("을(를)", "a colon or a noun after the value ('…' 항목을)"),
    ("은(는)", "a colon or a noun after the value ('…' 항목은)"),
    ("이(가)", "a colon or a noun after the value"),
    ("(으)로", "a colon or a noun after the value"),
    (
        "{scale}는",
        "the particle after the number (topic_particle)",
    ),
    // 서울경제진흥원 in English: one form, the full name first.
    ("SBA, Seoul Business Agency", "Seoul Business Agency (SBA)"),
    ("run by SBA", "run by Seoul Business Agency (SBA; sample)"),
];

/// Retired in the function's messages and forms (the applicant's phone is
/// 휴대전화 번호; a facility's is 전화).
const FUNCTION: &[(&str, &str)] = &[
    ("연락처", "휴대전화 번호"),
    ("전화번호", "휴대전화 번호"),
    ("에 씁니다", "에 이용합니다"),
    ("로만 씁니다", "로만 이용합니다"),
    ("넘습니다", "초과했습니다"),
    ("같은 요청 번호", "plain words (이 신청서는 이미…)"),
    (
        "2026-03-02처럼",
        "a date relative to today (clock::example_date)",
    ),
];

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files(&p, exts, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(p);
        }
    }
}

fn scan(paths: &[PathBuf], retired: &[(&str, &str)], report: &mut Vec<String>) {
    let root = repo();
    for p in paths {
        let text = std::fs::read_to_string(p).expect("read a scanned file");
        for (n, line) in text.lines().enumerate() {
            for (word, instead) in retired {
                if line.contains(word) {
                    report.push(format!(
                        "{}:{}: `{word}` is retired; use {instead}",
                        p.strip_prefix(&root).unwrap_or(p).display(),
                        n + 1
                    ));
                }
            }
        }
    }
}

#[test]
fn no_retired_word_in_templates_content_scaffolds_or_the_function() {
    let root = repo();
    let mut site = Vec::new();
    files(&root.join("themes"), &["html", "js", "yaml"], &mut site);
    files(&root.join("content"), &["yaml", "yml", "md"], &mut site);
    site.push(root.join("generator/src/scaffold.rs"));
    // Every message an editor sees from `sbiz`, and the scaffolds' Korean.
    site.push(root.join("generator/src/i18n/catalogue.rs"));
    files(&root.join("generator/src/render"), &["rs"], &mut site);
    site.push(root.join("generator/src/model/mod.rs"));
    let mut function = Vec::new();
    files(&root.join("booking-fn/src"), &["rs", "html"], &mut function);
    files(
        &root.join("booking-fn/presentation/src"),
        &["rs"],
        &mut function,
    );
    assert!(
        site.len() > 100 && function.len() > 20,
        "the scan found its files"
    );

    let mut report = Vec::new();
    let mut everything = site.clone();
    everything.extend(function.iter().cloned());
    scan(&everything, EVERYWHERE, &mut report);
    scan(&function, FUNCTION, &mut report);
    assert!(
        report.is_empty(),
        "retired words (docs/glossary.md):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_glossary_names_every_retired_word_it_enforces() {
    let glossary = std::fs::read_to_string(repo().join("docs/glossary.md")).expect("glossary");
    for word in [
        "바로 확정",
        "직원 승인",
        "거절",
        "휴무일",
        "이수",
        "칸",
        "구간",
        "사업장명",
        "성명",
        "노쇼",
        "모집중",
        "연락처",
        "재발송",
        "SBA, Seoul Business Agency",
        "run by SBA",
    ] {
        assert!(
            glossary.contains(word),
            "docs/glossary.md does not mention `{word}`"
        );
    }
}
