//! `sbiz new <kind> <id>`: a content file with every field present and
//! explained, ready to fill in.

use std::path::{Path, PathBuf};

use sbiz_catalog::Id;
use sbiz_catalog::clock::Now;

use crate::i18n::{Lang, Text};
use crate::model::Kind;
use crate::t;

const FACILITY: &str = r#"# 지원시설 — every field is explained; see docs/content-model.en.md.
name:                                # required
operator_type: city                  # required: city | district | private
operator:                            # required: who runs it
district:                            # required: one of the 25 자치구 ids (taxonomies/districts.yaml)
address:                             # required
hours:                               # required, as text
phone:                               # required
# email: info@example.kr             # optional
# website: https://example.kr        # optional
# opened: {today}                    # optional: date opened
# floor_area_m2: 500                 # optional
# location:                          # optional: for the 카카오맵 and 네이버 지도 links; must lie in Seoul
#   lat: 37.5704                     # latitude (the smaller number)
#   lng: 127.0093                    # longitude
# subway: 동대문역 (1·4호선) 도보 5분 # optional: the nearest subway station
industries:                          # required: industry ids
# areas: [automation]                # optional: support area ids
# audiences: [owners]                # optional: audience ids
summary:                             # required
description: |                       # required, Markdown
# draft: true                        # optional: never published
# publish_at: {today}                # optional: hidden before this day
# expire_at: 2099-12-31              # optional: hidden from this day on
# en:                                # optional: the English version of the text fields above (docs/content-model.en.md)
#   name: Support center name
#   operator: Seoul Metropolitan Government
#   address: Jongno-gu, Seoul …
#   hours: Weekdays 09:00–18:00 (closed on weekends and public holidays)
#   subway: Dongdaemun Station (Lines 1 and 4), 5 min walk
#   summary: One-line summary
#   description: |
#     Describe the center.
"#;

const EQUIPMENT: &str = r#"# 공용장비 — every field is explained; see docs/content-model.en.md.
name:                                # required
facility:                            # required: id of a file in content/facilities/
industries:                          # required: industry ids
summary:                             # required
# specs:                             # optional
#   - name: 규격 항목
#     value: 값
description: |                       # required, Markdown
booking:
  slot_minutes: 60                   # required: 15-480, divides every opening range
  hours:                             # required: a missing weekday is closed
    mon: ["09:00-12:00", "13:00-18:00"]
    tue: ["09:00-12:00", "13:00-18:00"]
    wed: ["09:00-12:00", "13:00-18:00"]
    thu: ["09:00-12:00", "13:00-18:00"]
    fri: ["09:00-12:00", "13:00-18:00"]
    # sat: ["09:00-13:00"]
    # sun: []
  min_slots: 1                       # optional, default 1
  max_slots: 4                       # required: 1-24 consecutive slots
  min_days_ahead: 1                  # optional, default 1
  max_days_ahead: 14                 # required: at most 365
  weekly_quota_hours: 8              # optional: most hours per person per week
  approval: instant                  # required: instant | staff
  # training: programme-id           # optional: a programme the person must have completed
  eligibility: 서울 소재 소공인      # required, as text
  fee_won: 0                         # optional: per slot, 0 = 무료
  cancel_hours_before: 24            # optional, default 24
  closed_dates: []                   # optional: dates, in addition to holidays.yaml
  # survey: equipment-use            # optional: a survey with target: equipment
# draft: true
# publish_at: {today}
# expire_at: 2099-12-31
# en:                                # optional: the English version of the text fields above (docs/content-model.en.md)
#   name: Equipment name
#   summary: One-line summary
#   specs:
#     - name: Specification
#       value: Value
#   description: |
#     Describe the equipment and how to use it.
#   eligibility: Small manufacturers based in Seoul
"#;

const PROGRAMME: &str = r#"# 교육 프로그램 — every field is explained; see docs/content-model.en.md.
title:                               # required
facility:                            # required: id of a file in content/facilities/
industries:                          # required
audiences:                           # required
# stages: [early]                    # optional
# areas: [skills]                    # optional
summary:                             # required
description: |                       # required, Markdown
sessions:                            # required: at least one, between 07:00 and 22:00
  - date:                            # required: the session's day, as YYYY-MM-DD
    time: "10:00-13:00"
    title: 1회차                     # optional
apply_from: {today}                  # required
apply_until:                         # required: not before apply_from, not after the last session
capacity:                            # required: 1-500
# waitlist: 5                        # optional: 0 = no waitlist
fee_won: 0                           # optional
format: offline                      # optional: offline | online | hybrid
place:                               # required unless online
# contact: 02-000-0000               # optional
# survey: programme-feedback         # optional: a survey with target: programme
# draft: true
# publish_at: {today}
# expire_at: 2099-12-31
# en:                                # optional: the English version of the text fields above (docs/content-model.en.md)
#   title: Programme title
#   summary: One-line summary
#   description: |
#     Describe the programme.
#   place: Training room
"#;

const POLICY: &str = r#"---
# 지원사업 — every field is explained; see docs/content-model.en.md.
title:                                # required
agency:                               # required
summary:                              # required
target:                               # required
amount:                               # required, as text
eligibility:                          # required
# documents:                          # optional
#   - 사업자등록증 사본
# how_to_submit: 신청할 때 함께 올려 주세요. # where and by when to send the documents (required with form)
apply_from: {today}                   # required
apply_until:                          # required
industries: []                        # optional
audiences:                            # required
stages: []                            # optional
areas: []                             # optional
districts: []                         # optional: only for these districts
# contact: 02-000-0000                # optional
apply:                                # required: exactly one of url or form
  url:                                # the application page on another site (https:// or http://); required unless form is given, e.g. https://www.sbiz24.kr/
  # form:                             # name, phone, business name and consent are always asked
  #   - id: employees
  #     type: number                  # text | textarea | number | date | select | checkbox
  #     label: 상시근로자 수
  #     required: true
  #     min: 1
  #     max: 9
# draft: true
# publish_at: {today}
# expire_at: 2099-12-31
---
지원 내용을 Markdown으로 적어 주세요.
"#;

const JOB: &str = r#"# 구인정보 — every field is explained; see docs/content-model.en.md.
title:                                # required
company:                              # required
industry:                             # required: an industry id
district:                             # required: a 자치구 id
# audiences: [job-seekers]            # optional: audience ids (without it, job-seekers when the site has that audience)
position:                             # required
employment: full-time                 # required: full-time | contract | part-time | daily
wage:                                 # required, as text
hours:                                # required, as text
posted: {today}                       # required
deadline:                             # required: not before posted
how_to_apply:                         # required
contact:                              # required
# description: |                      # optional, Markdown
#   업무 내용을 적어 주세요.
# apply:                              # optional: take applications on the portal (구인정보 바로 신청)
#   facility: seoul-fashion-smart-center   # the facility that posted it: its staff process the applications
#   employer_email: hr@example.com    # optional: each application is also sent to the employer
#   form:                             # name, phone, e-mail and consent are always asked
#     - id: intro
#       type: textarea
#       label: 자기소개
#       max_length: 800
#       required: true
#     - id: experience
#       type: select
#       label: 관련 경력
#       options: [경력 없음(신입), 1~3년, 3년 이상]
#       required: true
#     - id: start
#       type: date
#       label: 근무 시작 가능일
#       required: true
#     - id: certificates
#       type: text
#       label: 자격증 (선택)
# draft: true
# publish_at: {today}
# expire_at: 2099-12-31
# en:                                 # optional: the English version of the text fields above (docs/content-model.en.md)
#   title: Job title
#   company: Company name
#   position: Position
#   wage: ₩2.5 million a month
#   hours: "09:00–18:00 (5 days a week)"
#   how_to_apply: Call us
#   description: |
#     Describe the work.
#   form:                             # with apply.form: each field's English, by id
#     intro:
#       label: About you
#     experience:
#       label: Relevant experience
#       options: [None (new starter), 1–3 years, 3 years or more]
#     start:
#       label: Date you can start
#     certificates:
#       label: Certificates (optional)
"#;

const NOTICE: &str = r#"---
# 공지사항 — see docs/content-model.en.md.
title:                                # required
date: {today}                         # required
# facility: facility-id               # optional
pinned: false                         # optional: show first
# draft: true
# publish_at: {today}
# expire_at: 2099-12-31
---
공지 내용을 Markdown으로 적어 주세요.
"#;

const PAGE: &str = r#"---
# 안내 페이지 — published at /{id}/; see docs/content-model.en.md.
title:                                # required
# summary: 한 줄 소개                 # optional
footer: false                         # optional: list in the footer
order: 100                            # optional: position in the footer and site map
# draft: true
---
본문을 Markdown으로 적어 주세요.
"#;

const SURVEY: &str = r#"# 만족도 조사 — see docs/content-model.en.md.
title:                                # required
target: equipment                     # required: equipment | programme
intro: 이용해 주셔서 감사합니다.      # optional
questions:                            # required
  - id: overall
    type: rating                      # rating | choice | text
    label: 전반적으로 만족하셨나요?
    required: true
    scale: 5                          # rating: 2-10
  - id: comment
    type: text
    label: 바라는 점
    required: false
    max_length: 1000
# draft: true
# en:                                 # optional: the English version of the text fields above (docs/content-model.en.md)
#   title: Satisfaction survey
#   intro: Thank you for using it.
#   questions:                        # each question's English, by id; a choice's options in the Korean order
#     overall:
#       label: Overall, how satisfied were you?
#     comment:
#       label: What would you like us to improve?
"#;

const KINDS: [(&str, &str, &str, &str); 8] = [
    ("facility", Kind::Facility.section(), "yaml", FACILITY),
    ("equipment", Kind::Equipment.section(), "yaml", EQUIPMENT),
    ("programme", Kind::Programme.section(), "yaml", PROGRAMME),
    ("policy", Kind::Policy.section(), "md", POLICY),
    ("job", Kind::Job.section(), "yaml", JOB),
    ("notice", Kind::Notice.section(), "md", NOTICE),
    ("page", "pages", "md", PAGE),
    ("survey", "surveys", "yaml", SURVEY),
];

/// Where a line's explanation starts: the last `# ` after a value (or after
/// a commented-out field), or after ` — ` on the first line. Full-line
/// comments that are fields to uncomment (`# draft: true`) have none.
fn explanation_at(line: &str, first: bool) -> Option<usize> {
    if first {
        return line.find(" — ").map(|i| i + " — ".len());
    }
    let i = line.rfind(" # ")? + 3;
    (!line[..i].trim().trim_start_matches('#').trim().is_empty()).then_some(i)
}

/// The scaffold with its explanations in `lang`: each is looked up in the
/// message catalogue by its English text (one template per kind).
fn explained(template: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut first = true;
    let mut front_matter_lines = 0;
    for line in template.split_inclusive('\n') {
        // In a Markdown file, only the front matter is explained.
        if line.trim_end() == "---" {
            front_matter_lines += 1;
        }
        let in_yaml = front_matter_lines < 2 || line.trim_end() == "---";
        let body = line.trim_end_matches('\n');
        let is_first = first && body.starts_with('#');
        if body.starts_with('#') || body.contains(" # ") {
            first = false;
        }
        match explanation_at(body, is_first).filter(|_| in_yaml) {
            Some(i) => {
                out.push_str(&body[..i]);
                out.push_str(&Text::lookup(&body[i..]).render(lang));
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// `path` as `sbiz check` shows files: from the site's root, with `/`.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// Writes `content/<folder>/<id>.<ext>`, explained in `lang`; refuses to
/// overwrite.
pub fn create(root: &Path, kind: &str, id: &str, lang: Lang) -> Result<PathBuf, Text> {
    let Some((_, folder, ext, template)) = KINDS.iter().find(|(k, ..)| *k == kind) else {
        let names: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
        let known = names.join(", ");
        return Err(
            match crate::diagnostics::suggest(kind, names.iter().copied()) {
                Some(s) => t!(
                    "unknown kind `{kind}` (did you mean `{name}`?); expected one of: {names}",
                    kind = kind,
                    name = s,
                    names = known
                ),
                None => t!(
                    "unknown kind `{kind}`; expected one of: {names}",
                    kind = kind,
                    names = known
                ),
            },
        );
    };
    let id: Id = id.parse().map_err(|e: sbiz_catalog::ValueError| {
        t!(
            "`{id}` is not a valid id: expected {expected}",
            id = id,
            expected = Text::lookup(&e.expected)
        )
    })?;
    let dir = root.join("content").join(folder);
    let path = dir.join(format!("{id}.{ext}"));
    if path.exists() {
        return Err(t!(
            "{path} already exists; nothing was written",
            path = shown(root, &path)
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        t!(
            "cannot create {path}: {error}",
            path = dir.display().to_string(),
            error = e.to_string()
        )
    })?;
    let today = Now::system().date.to_string();
    // `{today}` is 3 characters shorter than the date: where a comment
    // follows, the date takes 3 of the spaces before it, keeping the
    // comments in one column.
    let text = explained(template, lang)
        .replace("{today}   ", &today)
        .replace("{today}", &today)
        .replace("{id}", id.as_str());
    std::fs::write(&path, text).map_err(|e| {
        t!(
            "cannot write {path}: {error}",
            path = path.display().to_string(),
            error = e.to_string()
        )
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_explanation_has_a_korean_wording() {
        let mut missing = Vec::new();
        for (kind, _, _, template) in KINDS {
            for (n, line) in template.lines().enumerate() {
                if let Some(i) =
                    explanation_at(line, n == 0 || (n == 1 && template.starts_with("---")))
                    && matches!(Text::lookup(&line[i..]), Text::Plain(_))
                {
                    missing.push(format!("{kind}: {:?}", &line[i..]));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in the catalogue:\n{}",
            missing.join("\n")
        );
    }

    /// A field left empty for the editor to fill in (`key:` with nothing
    /// after it, not opening a nested block) says what it is for.
    #[test]
    fn every_empty_field_is_explained() {
        let mut bare = Vec::new();
        for (kind, _, _, template) in KINDS {
            let lines: Vec<&str> = template.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                // The indent of the key (after `- ` in a list item).
                let indent = line.len() - line.trim_start().trim_start_matches("- ").len();
                let opens_block = lines
                    .get(n + 1)
                    .is_some_and(|next| next.len() - next.trim_start().len() > indent);
                let empty = line.trim_end().ends_with(':')
                    && !line.trim_start().starts_with('#')
                    && !line.contains(" # ");
                if empty && !opens_block {
                    bare.push(format!("{kind}: {line:?}"));
                }
            }
        }
        assert!(bare.is_empty(), "no explanation:\n{}", bare.join("\n"));
    }

    #[test]
    fn fields_to_uncomment_stay_as_written() {
        let ko = explained(POLICY, Lang::Ko);
        assert!(ko.contains("\n# draft: true\n"), "{ko}");
        assert!(ko.contains("\n  # form:  "), "{ko}");
        assert!(ko.contains("\n지원 내용을 Markdown으로 적어 주세요.\n"));
        assert_eq!(explained(POLICY, Lang::En), POLICY);
    }
}
