//! The field of the reservation form that a booking rule's refusal is
//! about, so that a page shows it like any other field error: a link in
//! the error summary, the message at the field and `aria-invalid` on it.

use crate::{Code, Error, Msg};

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
