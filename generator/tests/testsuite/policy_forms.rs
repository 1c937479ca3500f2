//! A policy's online application form: its consent box names the items
//! the form itself collects (개인정보 보호법 art. 15(2)), and a policy that
//! asks for documents says how and by when to send them, since the form
//! takes no files; `sbiz check` refuses a form with documents and no
//! `how_to_submit`.

use std::path::Path;

use crate::english::english_fixture;
use crate::support::{build_site, repo, sbiz};

const SMART_PROCESS_EN: &str = "---
title: Smart process support
agency: Seoul Metropolitan Government
summary: Covers the cost of automated equipment
target: Small manufacturers based in Seoul
amount: Up to ₩10 million
eligibility: [Manufacturers with fewer than 10 regular workers]
documents: [Copy of your business registration certificate]
how_to_submit: Send the documents by e-mail (smart@example.kr) by the application deadline.
form:
  employees:
    label: Number of regular workers
  plan:
    label: Your plan
  machine:
    label: Equipment to introduce
    options: [Auto-cutter, Pattern plotter]
---
We pay 80% of the cost of the equipment.
";

fn build(root: &Path) -> tempfile::TempDir {
    build_site(root, "2026-11-28")
}

/// The part of `html` from `start` to the end of the first `end` after it.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"));
    let j = html[i..].find(end).expect("the end") + i + end.len();
    &html[i..j]
}

#[test]
fn a_policy_form_names_its_items_and_says_where_the_documents_go() {
    let site = english_fixture();
    std::fs::write(
        site.path().join("content/policies/smart-process.en.md"),
        SMART_PROCESS_EN,
    )
    .expect("write the English");
    let out = build(site.path());
    let ko = std::fs::read_to_string(out.path().join("policies/smart-process/index.html"))
        .expect("the Korean page");
    assert_eq!(
        part(&ko, "<ul class=\"consent-terms\">", "</ul>"),
        "<ul class=\"consent-terms\"><li>수집·이용 목적: 예약 확인과 연락</li><li>수집 항목: 성명, 휴대전화번호, 상호</li><li>이 신청서의 필수 항목: 상시근로자 수, 도입 계획</li><li>이 신청서의 선택 항목: 도입할 장비</li><li>보유·이용 기간: 이용일로부터 1년</li><li>동의를 거부할 권리: 동의하지 않으실 수 있으나 예약할 수 없습니다.</li></ul>"
    );
    assert_eq!(
        part(&ko, "<h2>제출 서류</h2>", "</p>"),
        "<h2>제출 서류</h2><ul><li>사업자등록증 사본</li></ul><p data-how-to-submit>제출 서류는 신청 마감일까지 이메일(smart@example.kr)로 보내 주세요. 메일 제목에 접수번호를 적어 주세요.</p>"
    );
    let en = std::fs::read_to_string(out.path().join("en/policies/smart-process/index.html"))
        .expect("the English page");
    assert_eq!(
        part(&en, "<ul class=\"consent-terms\">", "</ul>"),
        "<ul class=\"consent-terms\"><li>Why we collect it: To confirm bookings and contact you</li><li>What we collect: Name, mobile phone number, business name</li><li>Also required on this form: number of regular workers, your plan</li><li>Optional on this form: equipment to introduce</li><li>How long we keep it: One year from the day of use</li><li>Your right to refuse: You may refuse, but then you cannot book.</li></ul>"
    );
    assert!(
        en.contains("<p data-how-to-submit>Send the documents by e-mail (smart@example.kr) by the application deadline.</p>"),
        "{en}"
    );
    // The function reads the same words from forms.json (the templates and
    // their translation tables) and the catalog.
    let catalog = std::fs::read_to_string(out.path().join("catalog.json")).expect("catalog");
    assert!(
        catalog.contains("\"how_to_submit_en\": \"Send the documents by e-mail (smart@example.kr) by the application deadline.\""),
        "{catalog}"
    );
}

#[test]
fn check_refuses_an_online_form_with_documents_and_no_way_to_send_them() {
    let site = english_fixture();
    let path = site.path().join("content/policies/smart-process.md");
    let text = std::fs::read_to_string(&path).expect("read the policy");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("how_to_submit:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text, "the fixture says how to submit");
    std::fs::write(&path, without).expect("write the policy");
    let res = sbiz()
        .arg("--root")
        .arg(site.path())
        .args(["check", "--now", "2026-11-28", "--themes"])
        .arg(repo().join("themes"))
        .output()
        .expect("sbiz runs");
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains(
            "`how_to_submit`: 제출 서류를 온라인 신청서로는 보낼 수 없습니다.
  입력한 값: `documents:`와 `apply.form:`은 있고 `how_to_submit:`은 없음
  올바른 값: 제출 서류를 어디로, 언제까지 보내는지 적은 `how_to_submit:` (신청서로는 파일을 받지 않습니다)"
        ),
        "{stderr}"
    );
}
