//! The build's notion of "now" in Korea time (UTC+9, no daylight saving).

use std::fmt;
use std::str::FromStr;

use sbiz_catalog::{Date, TimeOfDay};

/// A moment in Korea time, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Now {
    pub date: Date,
    pub time: TimeOfDay,
}

const KST_OFFSET_SECONDS: i64 = 9 * 3600;

impl Now {
    /// The current moment from the system clock.
    pub fn system() -> Now {
        let secs = jiff::Timestamp::now().as_second() + KST_OFFSET_SECONDS;
        Now::from_local_seconds(secs)
    }

    fn from_local_seconds(secs: i64) -> Now {
        let days = secs.div_euclid(86_400);
        let minute = (secs.rem_euclid(86_400) / 60) as u16;
        let epoch = Date::new(1970, 1, 1).unwrap_or_else(|| unreachable!("1970-01-01 exists"));
        Now {
            date: epoch.add_days(days as i32),
            time: TimeOfDay::from_minutes(minute).unwrap_or_else(|| unreachable!()),
        }
    }

    /// RFC 3339 with the Korean offset, e.g. `2026-11-28T09:00:00+09:00`.
    pub fn rfc3339(&self) -> String {
        format!("{}T{}:00+09:00", self.date, self.time)
    }

    /// Seconds since the Unix epoch (UTC).
    pub fn unix(&self) -> i64 {
        let epoch = Date::new(1970, 1, 1).unwrap_or_else(|| unreachable!("1970-01-01 exists"));
        epoch.days_until(self.date) as i64 * 86_400 + self.time.minutes() as i64 * 60
            - KST_OFFSET_SECONDS
    }

    /// iCalendar UTC form: `20261128T000000Z`.
    pub fn ical_utc(&self) -> String {
        let t = Now::from_local_seconds(self.unix());
        format!(
            "{}T{:02}{:02}00Z",
            t.date.compact(),
            t.time.hour(),
            t.time.minute()
        )
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
    fn parses_and_converts() {
        let n: Now = "2026-11-28T09:30".parse().unwrap();
        assert_eq!(n.rfc3339(), "2026-11-28T09:30:00+09:00");
        assert_eq!(n.ical_utc(), "20261128T003000Z");
        let midnight: Now = "2026-01-01".parse().unwrap();
        assert_eq!(midnight.ical_utc(), "20251231T150000Z");
        assert_eq!(
            Now::from_local_seconds(midnight.unix() + KST_OFFSET_SECONDS),
            midnight
        );
        assert!("2026-02-30".parse::<Now>().is_err());
    }
}
