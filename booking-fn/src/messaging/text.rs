//! A message's text from its template: the placeholders filled, lines left
//! blank by an absent value taken out, and a 문자 kept within an LMS.

use std::collections::BTreeMap;

use sbiz_catalog::{SmsKind, placeholders, render, sms_size};

/// The parameter a 문자 goes without when, filled in, it would be longer
/// than an LMS (2,000 bytes): how to send a policy's documents, the one
/// long text an editor writes outside the template. The message's link
/// leads to the receipt, which says it too.
const DROPPED_WHEN_TOO_LONG: &str = "documents";

/// Fills `template` from `params` ([`render`]), leaving out each line that
/// holds placeholders and comes out blank (a value this record has not,
/// such as `{documents}` of a policy that asks for no documents); when the
/// line before it is blank too, the blank line after it goes as well, so
/// that no empty paragraph is left.
pub(crate) fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut skip_blank = false;
    for line in template.split('\n') {
        let filled = render(line, params);
        let blank = filled.trim().is_empty();
        let has_placeholders = placeholders(line).is_ok_and(|p| !p.is_empty());
        if blank && has_placeholders {
            skip_blank = out.last().is_none_or(|l| l.trim().is_empty());
            continue;
        }
        if blank && std::mem::take(&mut skip_blank) {
            continue;
        }
        skip_blank = false;
        out.push(filled);
    }
    out.join("\n")
}

/// A 문자 text: [`fill`], without [`DROPPED_WHEN_TOO_LONG`] when the text
/// with it would not fit an LMS.
pub(crate) fn fill_sms(template: &str, params: &BTreeMap<String, String>) -> String {
    let text = fill(template, params);
    if sms_size(&text).kind() != SmsKind::TooLong || !params.contains_key(DROPPED_WHEN_TOO_LONG) {
        return text;
    }
    let mut shorter = params.clone();
    shorter.remove(DROPPED_WHEN_TOO_LONG);
    fill(template, &shorter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_line_of_absent_values_is_left_out_with_its_paragraph() {
        let t = "접수번호: {code}\n\n{documents}\n\n확인: {link}\n";
        let with = params(&[("code", "P1"), ("documents", "메일로"), ("link", "L")]);
        assert_eq!(fill(t, &with), "접수번호: P1\n\n메일로\n\n확인: L\n");
        let without = params(&[("code", "P1"), ("link", "L")]);
        assert_eq!(fill(t, &without), "접수번호: P1\n\n확인: L\n");
        // At the end of a one-line 문자, and a line with text stays.
        assert_eq!(fill("접수 {code}\n{documents}", &without), "접수 P1");
        assert_eq!(fill("사유: {reason}\n끝", &without), "사유: \n끝");
        // Blank lines of the template itself stay.
        assert_eq!(fill("a\n\n\nb", &without), "a\n\n\nb");
    }

    #[test]
    fn a_text_message_too_long_for_an_lms_goes_without_the_documents() {
        let t = "[{site}] 접수번호 {code}\n{documents}\n{link}";
        let with = |documents: &str| {
            let p = params(&[
                ("site", "포털"),
                ("code", "P1"),
                ("documents", documents),
                ("link", "L"),
            ]);
            fill_sms(t, &p)
        };
        assert_eq!(with(&"가".repeat(1000)), "[포털] 접수번호 P1\nL");
        let fits = "가".repeat(900);
        let text = with(&fits);
        assert!(text.contains(&fits));
        assert_eq!(sms_size(&text).kind(), SmsKind::Lms);
    }
}
