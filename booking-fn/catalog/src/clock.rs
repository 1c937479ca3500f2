//! Korea time (fixed UTC+9: no daylight saving since 1988), the one copy
//! of its arithmetic: the booking function's clocks and windows, and the
//! generator's build moment ([`Now`]).

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use crate::{Date, TimeOfDay};

pub const KST: Offset = Offset::constant(9);

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until set or advanced: for tests, demos and
/// `sbiz serve --now`.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn new(at: Timestamp) -> FixedClock {
        FixedClock(AtomicI64::new(at.as_microsecond()))
    }
    /// A clock at `date` `time` Korea time.
    pub fn at_kst(date: Date, time: TimeOfDay) -> FixedClock {
        FixedClock::new(kst_instant(date, time))
    }
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.as_microsecond(), Ordering::SeqCst);
    }
    pub fn advance(&self, by: jiff::SignedDuration) {
        let micros = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        self.0.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_microsecond(self.0.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// A fixed window of time `[start, end)`: the unit in which attempts are
/// counted (the booking store's `count_attempt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    /// The window of `minutes` (at least 1) that holds `at`; windows start at
    /// whole multiples of their length since the epoch, so every instance of
    /// the function finds the same one.
    pub fn containing(at: Timestamp, minutes: i64) -> Window {
        let len = minutes.max(1) * 60;
        let start_s = at.as_second().div_euclid(len) * len;
        let start = Timestamp::from_second(start_s).unwrap_or(at);
        let end = start
            .saturating_add(jiff::SignedDuration::from_secs(len))
            .unwrap_or(start);
        Window { start, end }
    }
}

/// The Korean calendar date and time of day of an instant (to the minute).
pub fn kst_parts(at: Timestamp) -> (Date, TimeOfDay) {
    let dt = KST.to_datetime(at);
    // hour() is 0..=23 and minute() 0..=59, so this is always below 24:00.
    let minutes = (dt.hour() as u16) * 60 + dt.minute() as u16;
    let time = TimeOfDay::from_minutes(minutes).expect("a time of day is below 24:00");
    (Date::from_civil(dt.date()), time)
}

/// The instant of `date` at `time` Korea time (24:00 is the next midnight).
pub fn kst_instant(date: Date, time: TimeOfDay) -> Timestamp {
    let midnight = DateTime::from_parts(date.civil(), jiff::civil::Time::midnight());
    let at = KST.to_timestamp(midnight).unwrap_or(Timestamp::UNIX_EPOCH);
    at.saturating_add(jiff::SignedDuration::from_mins(i64::from(time.minutes())))
        .unwrap_or(at)
}

/// A moment in Korea time, to the minute: the generator's "now" (statuses,
/// publish dates, feed stamps), from the system clock or `--now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Now {
    pub date: Date,
    pub time: TimeOfDay,
}

/// A date to show in "write it like this" hints and errors: a week after
/// `today`, the Korea-time date of the caller's clock (the booking
/// function's clock, fixed in tests and demos), so an example is never a
/// past date and a fixed clock gives a fixed example.
pub fn example_date(today: Date) -> Date {
    today.add_days(7)
}

impl Now {
    /// The current moment from the system clock.
    pub fn system() -> Now {
        Now::at(SystemClock.now())
    }

    /// The Korea-time moment of an instant.
    pub fn at(instant: Timestamp) -> Now {
        let (date, time) = kst_parts(instant);
        Now { date, time }
    }

    /// The instant of this moment.
    pub fn instant(&self) -> Timestamp {
        kst_instant(self.date, self.time)
    }

    /// RFC 3339 with the Korean offset, e.g. `2026-11-28T09:00:00+09:00`.
    pub fn rfc3339(&self) -> String {
        format!("{}T{}:00+09:00", self.date, self.time)
    }

    /// iCalendar UTC form: `20261128T000000Z`.
    pub fn ical_utc(&self) -> String {
        self.instant().strftime("%Y%m%dT%H%M%SZ").to_string()
    }
}

impl fmt::Display for Now {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.time)
    }
}

impl FromStr for Now {
    type Err = String;
    /// Accepts `2026-11-28`, `2026-11-28T09:30` or `2026-11-28 09:30` (Korea time).
    fn from_str(s: &str) -> Result<Now, String> {
        let expected = "a Korea-time date like 2026-11-28 or 2026-11-28T09:30";
        let (d, t) = match s.split_once(['T', ' ']) {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        };
        let date: Date = d.parse().map_err(|_| format!("{s:?} is not {expected}"))?;
        let time = match t {
            Some(t) => t
                .get(..5)
                .unwrap_or(t)
                .parse()
                .map_err(|_| format!("{s:?} is not {expected}"))?,
            None => TimeOfDay::from_minutes(0).ok_or("midnight")?,
        };
        Ok(Now { date, time })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korea_time() {
        let ts: Timestamp = "2026-03-01T15:30:00Z".parse().unwrap();
        let (d, t) = kst_parts(ts);
        assert_eq!(d.to_string(), "2026-03-02");
        assert_eq!(t.to_string(), "00:30");
        assert_eq!(kst_instant(d, t), ts);
        let end = kst_instant(d, "24:00".parse().unwrap());
        assert_eq!(kst_parts(end).0.to_string(), "2026-03-03");
    }

    #[test]
    fn windows_are_fixed_and_shared() {
        let at: Timestamp = "2026-03-03T00:07:30Z".parse().unwrap();
        let w = Window::containing(at, 15);
        assert_eq!(w.start.to_string(), "2026-03-03T00:00:00Z");
        assert_eq!(w.end.to_string(), "2026-03-03T00:15:00Z");
        assert_eq!(Window::containing(w.start, 15), w);
        assert_ne!(Window::containing(w.end, 15), w);
        let before_epoch: Timestamp = "1969-12-31T23:59:00Z".parse().unwrap();
        assert!(Window::containing(before_epoch, 15).start <= before_epoch);
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let c = FixedClock::at_kst("2026-03-02".parse().unwrap(), "09:00".parse().unwrap());
        let t0 = c.now();
        assert_eq!(c.now(), t0);
        c.advance(jiff::SignedDuration::from_hours(2));
        assert_eq!(kst_parts(c.now()).1.to_string(), "11:00");
        c.set(t0);
        assert_eq!(c.now(), t0);
    }

    /// The generator's build moment (formerly its own hand-written clock).
    #[test]
    fn now_parses_and_converts() {
        let n: Now = "2026-11-28T09:30".parse().unwrap();
        assert_eq!(n.rfc3339(), "2026-11-28T09:30:00+09:00");
        assert_eq!(n.ical_utc(), "20261128T003000Z");
        let midnight: Now = "2026-01-01".parse().unwrap();
        assert_eq!(midnight.ical_utc(), "20251231T150000Z");
        assert_eq!(Now::at(midnight.instant()), midnight);
        assert_eq!(midnight.instant().as_second(), 1_767_193_200);
        assert!("2026-02-30".parse::<Now>().is_err());
        assert_eq!(
            "2026-11-28 09:30:59".parse::<Now>().unwrap().to_string(),
            "2026-11-28 09:30"
        );
    }
}
