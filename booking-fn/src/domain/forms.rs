//! Validating what a person typed against a policy's form or a survey's
//! questions, field by field, with a message per field (a `Msg` id that names
//! the field by its label).

use std::collections::BTreeMap;

use sbiz_catalog::{Date, FieldKind, FormField, Question, QuestionKind};

use super::Answer;
use crate::{FieldErrors, Msg};

/// Input name prefixes: `fields.<id>` for policy forms, `answers.<id>` for surveys.
pub const FIELD_PREFIX: &str = "fields.";
pub const ANSWER_PREFIX: &str = "answers.";

/// What is wrong with free text typed into a form or survey, by the rule
/// for all personal text ([`check_text`](super::check_text): no control
/// characters but line breaks and tabs, no invisible format characters).
fn text_problem(label: &str, raw: &str) -> Option<Msg> {
    let label = label.to_owned();
    match super::check_text(raw) {
        Ok(()) => None,
        Err(e) if e == super::INVISIBLE_FORMAT => Some(Msg::FieldInvisibleFormat { label }),
        Err(_) => Some(Msg::FieldControlCharacters { label }),
    }
}

pub use sbiz_catalog::truthy;

/// The cleaned answers of a policy application form, or the errors per field.
/// `today` (Korea time, the app's clock) sets the example a date field's
/// error gives.
pub fn validate_form(
    form: &[FormField],
    input: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, FieldErrors> {
    let mut out = BTreeMap::new();
    let mut errors = FieldErrors::new();
    for field in form {
        let name = format!("{FIELD_PREFIX}{}", field.id);
        let raw = input.get(&name).map(|s| s.trim()).unwrap_or("");
        let label = &field.label;
        if let FieldKind::Checkbox = field.kind {
            let on = truthy(raw);
            if field.required && !on {
                errors.insert(
                    name,
                    Msg::FieldConsent {
                        label: label.clone(),
                    },
                );
            } else {
                out.insert(field.id.to_string(), on.to_string());
            }
            continue;
        }
        if raw.is_empty() {
            if field.required {
                errors.insert(
                    name,
                    Msg::FieldMissing {
                        label: label.clone(),
                    },
                );
            }
            continue;
        }
        let label = label.clone();
        let checked: Result<String, Msg> = match &field.kind {
            FieldKind::Text { max_length } | FieldKind::Textarea { max_length } => {
                if raw.chars().count() > *max_length as usize {
                    Err(Msg::FieldTooLong {
                        label,
                        max: *max_length,
                    })
                } else if let Some(problem) = text_problem(&label, raw) {
                    Err(problem)
                } else {
                    Ok(raw.replace("\r\n", "\n"))
                }
            }
            FieldKind::Number { min, max } => match raw.replace(',', "").parse::<i64>() {
                Err(_) => Err(Msg::FieldNumber { label }),
                Ok(n) if min.is_some_and(|m| n < m) => Err(Msg::FieldMin {
                    label,
                    min: min.unwrap_or(n),
                }),
                Ok(n) if max.is_some_and(|m| n > m) => Err(Msg::FieldMax {
                    label,
                    max: max.unwrap_or(n),
                }),
                Ok(n) => Ok(n.to_string()),
            },
            FieldKind::Date { min, max } => match raw.parse::<Date>() {
                Err(_) => {
                    // An example inside the field's range, else a week from today.
                    let mut example = sbiz_catalog::clock::example_date(today);
                    if let Some(m) = max.filter(|m| example > *m) {
                        example = m;
                    }
                    if let Some(m) = min.filter(|m| example < *m) {
                        example = m;
                    }
                    Err(Msg::FieldDateFormat { label, example })
                }
                Ok(d) if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) => {
                    Err(Msg::FieldDateRange { label })
                }
                Ok(d) => Ok(d.to_string()),
            },
            FieldKind::Select { options } => {
                if options.iter().any(|o| o == raw) {
                    Ok(raw.to_owned())
                } else {
                    Err(Msg::FieldChoose { label })
                }
            }
            FieldKind::Checkbox => Ok(truthy(raw).to_string()),
        };
        match checked {
            Ok(v) => {
                out.insert(field.id.to_string(), v);
            }
            Err(e) => {
                errors.insert(name, e);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The answers to a survey, or the errors per question.
pub fn validate_answers(
    questions: &[Question],
    input: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Answer>, FieldErrors> {
    let mut out = BTreeMap::new();
    let mut errors = FieldErrors::new();
    for q in questions {
        let name = format!("{ANSWER_PREFIX}{}", q.id);
        let raw = input.get(&name).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            if q.required {
                errors.insert(
                    name,
                    Msg::AnswerMissing {
                        label: q.label.clone(),
                    },
                );
            }
            continue;
        }
        let answer = match &q.kind {
            QuestionKind::Rating { scale } => {
                let scale = if *scale == 0 { 5 } else { *scale };
                match raw.parse::<u8>() {
                    Ok(n) if (1..=scale).contains(&n) => Ok(Answer::Rating(n)),
                    _ => Err(Msg::RatingRange(scale)),
                }
            }
            QuestionKind::Choice { options } => {
                if options.iter().any(|o| o == raw) {
                    Ok(Answer::Choice(raw.to_owned()))
                } else {
                    Err(Msg::ChooseOption)
                }
            }
            QuestionKind::Text { max_length } => {
                if raw.chars().count() > *max_length as usize {
                    Err(Msg::AnswerTooLong(*max_length))
                } else if let Some(problem) = text_problem(&q.label, raw) {
                    Err(problem)
                } else {
                    Ok(Answer::Text(raw.replace("\r\n", "\n")))
                }
            }
        };
        match answer {
            Ok(a) => {
                out.insert(q.id.to_string(), a);
            }
            Err(e) => {
                errors.insert(name, e);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Vec<FormField> {
        serde_json::from_value(serde_json::json!([
            {"id": "plan", "label": "사업 계획", "required": true, "hint": null, "type": "textarea", "max_length": 10},
            {"id": "workers", "label": "종업원 수", "required": true, "hint": null, "type": "number", "min": 1, "max": 9},
            {"id": "since", "label": "창업일", "required": false, "hint": null, "type": "date", "min": null, "max": "2026-01-01"},
            {"id": "industry", "label": "업종", "required": true, "hint": null, "type": "select", "options": ["의류·봉제", "인쇄"]},
            {"id": "agree", "label": "사실 확인", "required": true, "hint": null, "type": "checkbox"}
        ]))
        .unwrap()
    }

    /// The app's today in these tests (Korea time).
    fn today() -> Date {
        "2025-06-02".parse().expect("a date")
    }

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (format!("fields.{k}"), v.to_string()))
            .collect()
    }

    #[test]
    fn a_good_form_is_cleaned() {
        let ok = validate_form(
            &form(),
            &input(&[
                ("plan", " 자동화 "),
                ("workers", "3"),
                ("industry", "인쇄"),
                ("agree", "on"),
                ("extra", "x"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(ok["plan"], "자동화");
        assert_eq!(ok["workers"], "3");
        assert_eq!(ok["agree"], "true");
        assert!(!ok.contains_key("extra") && !ok.contains_key("since"));
    }

    #[test]
    fn each_bad_field_gets_its_message() {
        let errs = validate_form(
            &form(),
            &input(&[
                ("plan", "열한 글자가 넘는 계획입니다"),
                ("workers", "12"),
                ("since", "2026-05-01"),
                ("industry", "금속"),
            ]),
            today(),
        )
        .unwrap_err();
        let keys: Vec<&str> = errs.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "fields.agree",
                "fields.industry",
                "fields.plan",
                "fields.since",
                "fields.workers"
            ]
        );
        assert!(errs["fields.workers"].korean().contains("9 이하"));
    }

    /// A date field's error gives a week after the app's today as its
    /// example, brought inside the field's range.
    #[test]
    fn a_date_error_s_example_is_a_week_after_today_within_the_range() {
        let example = |today: &str| {
            let errs = validate_form(
                &form(),
                &input(&[("since", "어제")]),
                today.parse().expect("a date"),
            )
            .unwrap_err();
            match &errs["fields.since"] {
                Msg::FieldDateFormat { example, .. } => example.to_string(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(example("2025-06-02"), "2025-06-09");
        assert_eq!(example("2024-02-26"), "2024-03-04");
        // `since` ends on 2026-01-01: the example stays inside.
        assert_eq!(example("2025-12-30"), "2026-01-01");
    }

    #[test]
    fn invisible_format_characters_are_refused_in_answers() {
        let base = [("workers", "3"), ("industry", "인쇄"), ("agree", "on")];
        for plan in [
            "자동\u{202E}화",
            "\u{200B}자동화",
            "자동화\u{FEFF}",
            "자\u{2066}동",
        ] {
            let mut pairs = base.to_vec();
            pairs.push(("plan", plan));
            let errs = validate_form(&form(), &input(&pairs), today()).unwrap_err();
            assert!(
                errs["fields.plan"].korean().contains("보이지 않는"),
                "{errs:?}"
            );
        }
        let mut pairs = base.to_vec();
        pairs.push(("plan", "줄\n바꿈"));
        assert!(validate_form(&form(), &input(&pairs), today()).is_ok());
        pairs.push(("plan", "벨\u{7}"));
        assert!(validate_form(&form(), &input(&pairs), today()).is_err());

        let qs: Vec<Question> = serde_json::from_value(serde_json::json!([
            {"id": "comment", "label": "의견", "required": false, "type": "text", "max_length": 50}
        ]))
        .unwrap();
        let comment = |text: &str| {
            validate_answers(
                &qs,
                &BTreeMap::from([("answers.comment".to_owned(), text.to_owned())]),
            )
        };
        assert!(comment("친절했어요").is_ok());
        for bad in ["친절\u{202E}했어요", "친절\u{200D}", "벨\u{7}"] {
            assert!(
                comment(bad).unwrap_err().contains_key("answers.comment"),
                "{bad}"
            );
        }
    }

    #[test]
    fn survey_answers() {
        let qs: Vec<Question> = serde_json::from_value(serde_json::json!([
            {"id": "overall", "label": "전반적 만족도", "required": true, "type": "rating", "scale": 5},
            {"id": "again", "label": "다시 이용", "required": false, "type": "choice", "options": ["예", "아니요"]},
            {"id": "comment", "label": "의견", "required": false, "type": "text", "max_length": 5}
        ]))
        .unwrap();
        let a = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (format!("answers.{k}"), v.to_string()))
                .collect()
        };
        let ok = validate_answers(&qs, &a(&[("overall", "4"), ("again", "예")])).unwrap();
        assert_eq!(ok["overall"], Answer::Rating(4));
        assert_eq!(ok.len(), 2);
        let errs = validate_answers(
            &qs,
            &a(&[
                ("overall", "6"),
                ("again", "몰라"),
                ("comment", "아주 길게 씀"),
            ]),
        )
        .unwrap_err();
        assert_eq!(errs.len(), 3);
        assert!(
            validate_answers(&qs, &a(&[]))
                .unwrap_err()
                .contains_key("answers.overall")
        );
    }

    mod properties {
        use super::*;
        use crate::strategies::{config, messy_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn form_and_survey_text_never_panics_and_is_clean_when_accepted(
                plan in prop_oneof![1 => messy_text(14), 3 => "[가-힣 a-z]{1,12}"],
                workers in prop_oneof![1 => messy_text(6), 3 => "[0-9,]{1,2}"],
                since in prop_oneof![
                    1 => messy_text(12),
                    1 => "20[0-9]{2}-[0-9]{2}-[0-9]{2}",
                    2 => Just(String::new()),
                ],
                industry in prop_oneof![1 => messy_text(6), 3 => Just("인쇄".to_owned())],
                agree in prop_oneof![1 => messy_text(4), 3 => Just("on".to_owned())],
                comment in prop_oneof![messy_text(8), "[가-힣 ]{0,6}"],
                overall in prop_oneof![1 => messy_text(3), 3 => "[0-6]"],
            ) {
                let fields = input(&[
                    ("plan", &plan),
                    ("workers", &workers),
                    ("since", &since),
                    ("industry", &industry),
                    ("agree", &agree),
                ]);
                if let Ok(out) = validate_form(&form(), &fields, today()) {
                    prop_assert!(crate::domain::check_text(&out["plan"]).is_ok());
                    prop_assert!(out["plan"].chars().count() <= 10);
                    let n: i64 = out["workers"].parse().expect("a number");
                    prop_assert!((1..=9).contains(&n));
                    prop_assert_eq!(out["industry"].as_str(), "인쇄");
                    prop_assert_eq!(out["agree"].as_str(), "true");
                    if let Some(d) = out.get("since") {
                        prop_assert!(d.parse::<Date>().is_ok_and(|d| d <= "2026-01-01".parse().expect("date")));
                    }
                }
                let qs: Vec<Question> = serde_json::from_value(serde_json::json!([
                    {"id": "overall", "label": "만족도", "required": true, "type": "rating", "scale": 5},
                    {"id": "comment", "label": "의견", "required": false, "type": "text", "max_length": 5}
                ]))
                .expect("questions");
                let answers = BTreeMap::from([
                    ("answers.overall".to_owned(), overall),
                    ("answers.comment".to_owned(), comment),
                ]);
                if let Ok(out) = validate_answers(&qs, &answers) {
                    prop_assert!(matches!(out["overall"], Answer::Rating(1..=5)));
                    if let Some(Answer::Text(t)) = out.get("comment") {
                        prop_assert!(crate::domain::check_text(t).is_ok());
                        prop_assert!(t.chars().count() <= 5);
                    }
                }
            }
        }
    }
}
