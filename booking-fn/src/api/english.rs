//! The function's messages rendered in the answer's language (`lang=en`
//! answers the English edition), at the edge.
//!
//! The service and the domain say what went wrong with message ids and
//! typed values ([`Msg`], `src/message.rs`), never with a ready text; the
//! catalogue there has every id's Korean and English. Here an error's
//! message and its field messages become the texts of one answer: Korean
//! as JSON clients, logs and staff pages have always read them, or English,
//! each field message with its field's English label when the form shown
//! has one. A Korean-only message ([`Msg::KoreanOnly`], what only staff
//! read) gives way to the error code's English default; a Korean-only
//! field message stays Korean (staff pages stay Korean).

use std::collections::BTreeMap;

use sbiz_catalog::Lang;

use crate::{Error, FieldErrors, Msg};

/// An error's message in `lang`.
pub(crate) fn message(e: &Error, lang: Lang) -> String {
    match lang {
        Lang::Ko => e.message(),
        Lang::En => e.english_message(),
    }
}

/// A field message in `lang`; `label` is the English label of its field,
/// when known (see [`Msg::english`]).
pub(crate) fn field(m: &Msg, lang: Lang, label: Option<&str>) -> String {
    match lang {
        Lang::Ko => m.korean().into_owned(),
        Lang::En => m.english(label).unwrap_or_else(|| m.korean()).into_owned(),
    }
}

/// Field messages in `lang`, each with its field's English label
/// (`label`, by the field's name).
pub(crate) fn fields(
    messages: &FieldErrors,
    lang: Lang,
    label: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    messages
        .iter()
        .map(|(name, m)| (name.clone(), field(m, lang, label(name).as_deref())))
        .collect()
}

/// An error's field messages in Korean (staff pages), none when it has none.
pub(crate) fn korean_fields(e: &Error) -> BTreeMap<String, String> {
    e.field_errors()
        .map(|f| fields(f, Lang::Ko, |_| None))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn field_messages_take_the_english_label_the_form_shows() {
        let f = FieldErrors::from([
            (
                "fields.career".to_owned(),
                Msg::FieldMissing {
                    label: "경력".into(),
                },
            ),
            (
                "fields.plan".to_owned(),
                Msg::FieldTooLong {
                    label: "계획".into(),
                    max: 200,
                },
            ),
        ]);
        let label = |name: &str| (name == "fields.career").then(|| "Experience".to_owned());
        let en = fields(&f, Lang::En, label);
        assert_eq!(en["fields.career"], "Please fill in 'Experience'.");
        // No English label known: the Korean label, as typed by the editor.
        assert_eq!(
            en["fields.plan"],
            "Please keep '계획' to 200 characters or fewer."
        );
        let ko = fields(&f, Lang::Ko, label);
        assert_eq!(ko["fields.career"], "'경력' 항목을 입력해 주세요.");
    }

    #[test]
    fn korean_only_messages_give_way_to_the_code_in_english() {
        let e = Error::with_message(
            Code::InvalidStatus,
            "지금 상태(취소)에서는 할 수 없는 처리입니다.",
        );
        assert_eq!(
            message(&e, Lang::Ko),
            "지금 상태(취소)에서는 할 수 없는 처리입니다."
        );
        assert_eq!(message(&e, Lang::En), Code::InvalidStatus.english());
        let e = Error::staff_field("token", "관리자 토큰을 입력해 주세요.");
        assert_eq!(
            fields(e.field_errors().unwrap(), Lang::En, |_| None)["token"],
            "관리자 토큰을 입력해 주세요."
        );
    }
}
