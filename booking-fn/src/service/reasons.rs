//! The reason a person reads of a staff decision (반려, 취소 and the
//! like), in the language of their record's messages. Staff work in Korean:
//! what they type is never translated. On a record made in English, a
//! reason typed in Korean comes after [`STAFF_NOTE_LABEL_EN`], as a
//! closure's note does (`closure_reason_in`), and no reason reads
//! [`DEFAULT_REASON_EN`] rather than the Korean [`DEFAULT_REASON`].

use sbiz_catalog::Lang;

/// What labels a note staff typed in Korean on the English pages and in
/// English messages. The English pages show it before the note (marked
/// `lang="ko"`): this constant is its only spelling (the theme's templates
/// read it as `t.form_closure_note`, which the function writes into the
/// English table: `api::theme`).
pub const STAFF_NOTE_LABEL_EN: &str = "Note from the support center (in Korean):";

/// What a message says when staff gave no reason.
pub const DEFAULT_REASON: &str = "시설에 문의해 주세요";

/// [`DEFAULT_REASON`] in English.
pub const DEFAULT_REASON_EN: &str = "Please contact the support center.";

/// The reason staff typed (may be empty), as the person reads it in
/// `lang`: in Korean, as typed or [`DEFAULT_REASON`]; in English,
/// [`DEFAULT_REASON_EN`], a reason without Korean letters as typed, and a
/// Korean one after [`STAFF_NOTE_LABEL_EN`].
pub fn staff_reason_in(reason: &str, lang: Lang) -> String {
    match lang {
        Lang::Ko if reason.is_empty() => DEFAULT_REASON.to_owned(),
        Lang::Ko => reason.to_owned(),
        Lang::En if reason.is_empty() => DEFAULT_REASON_EN.to_owned(),
        Lang::En if reason.chars().any(is_hangul) => format!("{STAFF_NOTE_LABEL_EN} {reason}"),
        Lang::En => reason.to_owned(),
    }
}

/// Whether `c` is a Korean letter (a syllable or a jamo).
fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_reads_in_the_records_language() {
        assert_eq!(staff_reason_in("", Lang::Ko), "시설에 문의해 주세요");
        assert_eq!(staff_reason_in("장비 고장", Lang::Ko), "장비 고장");
        assert_eq!(
            staff_reason_in("", Lang::En),
            "Please contact the support center."
        );
        assert_eq!(
            staff_reason_in("장비 고장", Lang::En),
            "Note from the support center (in Korean): 장비 고장"
        );
        assert_eq!(
            staff_reason_in("Motor replaced (3/5)", Lang::En),
            "Motor replaced (3/5)"
        );
    }
}
