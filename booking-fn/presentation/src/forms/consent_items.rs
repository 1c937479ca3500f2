//! What a policy's own application form collects, named for its consent
//! box. 개인정보 보호법 art. 15(2) asks that the items be told before
//! consent; the site's `consent.items` names those of every form (name,
//! phone, business name, e-mail), so a policy's box adds its own fields.

use std::collections::BTreeMap;

use sbiz_catalog::{FieldKind, FieldText, FormField, Lang};

/// The items a policy's own form collects besides the site's, for its
/// consent box: the form's fields by label, (required, optional), its
/// check boxes together as one item (required when any of them is).
pub(super) fn policy_items(
    own: &[FormField],
    english: &BTreeMap<String, FieldText>,
    lang: Lang,
) -> (Vec<String>, Vec<String>) {
    let mut required = Vec::new();
    let mut optional = Vec::new();
    // A check box's label is a sentence to confirm; one name says what is
    // kept of all of them (required when any of them is).
    let mut ticks: Option<bool> = None;
    for field in own {
        if matches!(field.kind, FieldKind::Checkbox) {
            ticks = Some(ticks.unwrap_or(false) || field.required);
            continue;
        }
        let label = match english.get(field.id.as_str()).filter(|_| lang == Lang::En) {
            Some(e) => e.label.as_str(),
            None => field.label.as_str(),
        };
        let name = match lang {
            Lang::Ko => item_name(label).to_owned(),
            Lang::En => in_a_list(item_name(label)),
        };
        if field.required {
            required.push(name);
        } else {
            optional.push(name);
        }
    }
    if let Some(any_required) = ticks {
        let name = match lang {
            Lang::Ko => "확인 사항 체크 여부",
            Lang::En => "your answers to the check boxes",
        }
        .to_owned();
        if any_required {
            required.push(name);
        } else {
            optional.push(name);
        }
    }
    (required, optional)
}

/// An English label inside a sentence: "Your business idea" becomes
/// "your business idea"; "CNC machine" stays as it is.
fn in_a_list(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_owned(),
    }
}

/// A field's label as an item's name: without a closing note in brackets
/// ("채용일 (여러 명이면 가장 빠른 날)" names 채용일, "작업장 면적 (㎡)"
/// names 작업장 면적).
fn item_name(label: &str) -> &str {
    let label = label.trim();
    match label
        .strip_suffix(')')
        .and_then(|l| l.rfind(" (").map(|i| &label[..i]))
    {
        Some(name) if !name.trim().is_empty() => name.trim(),
        _ => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: &str, label: &str, required: bool, kind: FieldKind) -> FormField {
        FormField {
            id: id.parse().expect("an id"),
            label: label.to_owned(),
            required,
            hint: None,
            kind,
        }
    }

    #[test]
    fn names_every_field_required_first_and_the_ticks_once() {
        let text = FieldKind::Text { max_length: 100 };
        let own = [
            field("item", "창업 아이템", true, text.clone()),
            field(
                "date",
                "채용일 (여러 명이면 가장 빠른 날)",
                true,
                FieldKind::Date {
                    min: None,
                    max: None,
                },
            ),
            field(
                "area",
                "작업장 면적 (㎡)",
                false,
                FieldKind::Number {
                    min: None,
                    max: None,
                },
            ),
            field("ok", "현장 점검에 동의합니다.", true, FieldKind::Checkbox),
            field("use", "장비를 이용하겠습니다.", false, FieldKind::Checkbox),
        ];
        assert_eq!(
            policy_items(&own, &BTreeMap::new(), Lang::Ko),
            (
                vec![
                    "창업 아이템".to_owned(),
                    "채용일".to_owned(),
                    "확인 사항 체크 여부".to_owned()
                ],
                vec!["작업장 면적".to_owned()]
            )
        );
        let english = BTreeMap::from([(
            "item".to_owned(),
            FieldText {
                label: "Your business idea".to_owned(),
                hint: None,
                options: BTreeMap::new(),
            },
        )]);
        assert_eq!(
            policy_items(&own[..1], &english, Lang::En),
            (vec!["your business idea".to_owned()], vec![])
        );
        assert_eq!(item_name("(가칭)"), "(가칭)");
        assert_eq!(in_a_list("CNC machine"), "CNC machine");
    }
}
