//! The field of the reservation form that a booking rule's refusal is
//! about, so that a page shows it like any other field error: a link in
//! the error summary, the message at the field and `aria-invalid` on it.

use sbiz_catalog::Lang;
use sbiz_presentation::forms::{FieldMessages, FormView};

use super::english;
use crate::{Code, Error, Msg};

/// The problems of `e` as `form` shows them, in `lang`: each field's at the
/// field (its English label in English), a booking rule's refusal at the
/// field it is about ([`of`]) when the form has it; and the text the error
/// summary adds, empty when the fields say it all (the summary's title
/// already says to check what was typed).
pub(crate) fn problems(e: &Error, form: &FormView, lang: Lang) -> (FieldMessages, String) {
    let message = english::message(e, lang);
    let has = |name: &str| form.fields.iter().find(|f| f.name == name);
    if let Some(name) = of(e).filter(|name| has(name).is_some()) {
        return ([(name.to_owned(), message)].into(), String::new());
    }
    let fields = e
        .field_errors()
        .map(|f| english::fields(f, lang, |name| has(name).map(|f| f.label.clone())))
        .unwrap_or_default();
    let message = if e.is(Code::InvalidInput) {
        String::new()
    } else {
        message
    };
    (fields, message)
}

/// The problems of `e` on a staff page (Korean) whose fields are
/// `fields`: as [`problems`].
pub(crate) fn staff_problems(e: &Error, fields: &[&str]) -> (FieldMessages, String) {
    if let Some(name) = of(e).filter(|name| fields.contains(name)) {
        return ([(name.to_owned(), e.message())].into(), String::new());
    }
    let message = if e.is(Code::InvalidInput) {
        String::new()
    } else {
        e.message()
    };
    (english::korean_fields(e), message)
}

/// The form field (`date`, `start`, `slots`) a booking-rule refusal is
/// about, or `None` when it is about no single field (a weekly quota, a
/// no-show block, a problem with the person).
pub(crate) fn of(e: &Error) -> Option<&'static str> {
    if e.field_errors().is_some() {
        return None;
    }
    match e.code() {
        Code::OutsideHours | Code::SlotTaken => Some("start"),
        // Today's time that has already passed.
        Code::TooSoon if matches!(e.msg(), Msg::PastTime) => Some("start"),
        Code::TooSoon | Code::TooFar | Code::ClosedDay | Code::Closed => Some("date"),
        Code::TooShort | Code::TooLong => Some("slots"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_their_field() {
        let rejected = |code, m| Error::rejected(code, m);
        assert_eq!(of(&Error::new(Code::SlotTaken)), Some("start"));
        assert_eq!(of(&rejected(Code::TooSoon, Msg::PastTime)), Some("start"));
        assert_eq!(of(&rejected(Code::TooSoon, Msg::PastDate)), Some("date"));
        assert_eq!(
            of(&rejected(Code::TooFar, Msg::BookWithin(14))),
            Some("date")
        );
        assert_eq!(of(&Error::new(Code::ClosedDay)), Some("date"));
        assert_eq!(of(&Error::new(Code::TooLong)), Some("slots"));
        assert_eq!(of(&Error::new(Code::QuotaExceeded)), None);
        assert_eq!(of(&Error::field("start", Msg::SameTime)), None);
    }
}
