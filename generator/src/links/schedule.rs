//! Links to records that have a file but are not on the site at the
//! build's time (a draft, a `publish_at` still to come, an `expire_at`
//! passed), and to records that leave it soon. Such a link does not fail
//! the build: time passing must not break it (an `expire_at` would fail
//! every later build, the nightly one included). Its text is written
//! without the link, and a warning says which link, where it goes and why.

use std::path::PathBuf;

use sbiz_catalog::Date;

use crate::diagnostics::Diagnostic;
use crate::i18n::Text;
use crate::model::Meta;
use crate::t;

/// How many days ahead `sbiz check` warns of a linked record's `expire_at`.
pub(crate) const EXPIRY_NOTICE_DAYS: i32 = 7;

/// Where a record stands at the build's time, when its links deserve a
/// word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// `draft: true`: never published.
    Draft,
    /// `publish_at` still to come: published from that day.
    Upcoming(Date),
    /// `expire_at` passed: not published since that day.
    Expired(Date),
    /// Published, and leaves the site on that day, within
    /// [`EXPIRY_NOTICE_DAYS`].
    Expiring(Date),
}

impl Schedule {
    /// The schedule of a record with `meta` on `today`, if its links need
    /// a word.
    pub(crate) fn of(meta: &Meta, today: Date) -> Option<Schedule> {
        if meta.draft {
            return Some(Schedule::Draft);
        }
        if let Some(d) = meta.publish_at.filter(|d| today < *d) {
            return Some(Schedule::Upcoming(d));
        }
        match meta.expire_at {
            Some(d) if d <= today => Some(Schedule::Expired(d)),
            Some(d) if today.days_until(d) <= EXPIRY_NOTICE_DAYS => Some(Schedule::Expiring(d)),
            _ => None,
        }
    }

    /// Whether the record is off the site: links to it are written as text.
    pub(crate) fn hidden(self) -> bool {
        !matches!(self, Schedule::Expiring(_))
    }
}

/// A record with a [`Schedule`]: its file (the Korean one, which holds the
/// dates) and its schedule.
#[derive(Debug, Clone)]
pub(crate) struct Scheduled {
    pub(crate) file: PathBuf,
    pub(crate) schedule: Schedule,
}

/// The warning for a link to the record `s`, written as `found`, placed
/// by `at` (which makes the diagnostic with its message).
pub(crate) fn warning(
    at: impl FnOnce(Text) -> Diagnostic,
    found: String,
    s: &Scheduled,
) -> Diagnostic {
    let (message, why) = describe(s);
    at(message).found(found).help(why)
}

/// What a link to the record `s` shows (the warning's message), and why
/// (its file and the date or draft flag that says so).
pub(crate) fn describe(s: &Scheduled) -> (Text, Text) {
    let file = s.file.display().to_string().replace('\\', "/");
    match s.schedule {
        Schedule::Draft => (
            t!("link to a draft: its text is shown without the link"),
            t!("{file}: `draft: true` (never published)", file = file),
        ),
        Schedule::Upcoming(date) => (
            t!(
                "link to a record published from {date}: its text is shown without the link until then",
                date = date.to_string()
            ),
            t!(
                "{file}: `publish_at: {date}` (the day it is published)",
                file = file,
                date = date.to_string()
            ),
        ),
        Schedule::Expired(date) => (
            t!(
                "link to a record taken down on {date}: its text is shown without the link",
                date = date.to_string()
            ),
            t!(
                "{file}: `expire_at: {date}` (the day it is taken down); remove the link or point it at a published page",
                file = file,
                date = date.to_string()
            ),
        ),
        Schedule::Expiring(date) => (
            t!(
                "link to a record taken down on {date}: from that day its text is shown without the link",
                date = date.to_string()
            ),
            t!(
                "{file}: `expire_at: {date}` (the day it is taken down); remove the link or point it at a published page",
                file = file,
                date = date.to_string()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("a date")
    }

    #[test]
    fn schedules_follow_the_build_day() {
        let today = date("2026-12-21");
        let meta = |draft, publish_at: Option<&str>, expire_at: Option<&str>| Meta {
            draft,
            publish_at: publish_at.map(date),
            expire_at: expire_at.map(date),
        };
        let of = |m: Meta| Schedule::of(&m, today);
        assert_eq!(of(meta(false, None, None)), None);
        assert_eq!(of(meta(true, None, None)), Some(Schedule::Draft));
        assert_eq!(
            of(meta(false, Some("2026-12-22"), None)),
            Some(Schedule::Upcoming(date("2026-12-22")))
        );
        assert_eq!(of(meta(false, Some("2026-12-21"), None)), None);
        assert_eq!(
            of(meta(false, None, Some("2026-12-21"))),
            Some(Schedule::Expired(date("2026-12-21")))
        );
        assert_eq!(
            of(meta(false, None, Some("2026-12-28"))),
            Some(Schedule::Expiring(date("2026-12-28")))
        );
        assert_eq!(of(meta(false, None, Some("2026-12-29"))), None);
        assert!(Schedule::Draft.hidden());
        assert!(!Schedule::Expiring(today).hidden());
    }
}
