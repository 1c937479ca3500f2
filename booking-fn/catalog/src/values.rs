//! Newtypes for the values that appear in content and in requests.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a piece of text is not a valid value: what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{expected}")]
pub struct ValueError {
    /// A short description of the expected form, e.g. "a date written YYYY-MM-DD".
    pub expected: String,
    /// A more specific reason when the form was right but the value is not.
    pub reason: Option<String>,
}

impl ValueError {
    fn new(expected: &str) -> Self {
        ValueError {
            expected: expected.to_owned(),
            reason: None,
        }
    }
    fn because(expected: &str, reason: impl Into<String>) -> Self {
        ValueError {
            expected: expected.to_owned(),
            reason: Some(reason.into()),
        }
    }
}

macro_rules! string_serde {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<str>::deserialize(d)?;
                s.parse().map_err(|e: ValueError| {
                    serde::de::Error::custom(match e.reason {
                        Some(r) => format!("{r}; expected {}", e.expected),
                        None => format!("expected {}", e.expected),
                    })
                })
            }
        }
    };
}

/// A calendar date in Korea (no time zone needed: Korea has had a fixed
/// UTC+9 offset since 1988).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

pub const DATE_EXPECTED: &str = "a calendar date written YYYY-MM-DD";

impl Date {
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }
    pub fn civil(self) -> jiff::civil::Date {
        self.0
    }
    pub fn from_civil(d: jiff::civil::Date) -> Date {
        Date(d)
    }
    pub fn year(self) -> i16 {
        self.0.year()
    }
    pub fn month(self) -> i8 {
        self.0.month()
    }
    pub fn day(self) -> i8 {
        self.0.day()
    }
    pub fn weekday(self) -> Weekday {
        Weekday::from_jiff(self.0.weekday())
    }
    /// The date `days` days later (or earlier when negative).
    pub fn add_days(self, days: i32) -> Date {
        Date(self.0.saturating_add(jiff::Span::new().days(days)))
    }
    /// Whole days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i32 {
        (other.0 - self.0).get_days()
    }
    /// Compact form used in iCalendar: YYYYMMDD.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year(), self.month(), self.day())
    }
    /// The Monday that starts this date's week (weeks run Monday to Sunday).
    pub fn week_start(self) -> Date {
        self.add_days(-(self.weekday().index() as i32))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl FromStr for Date {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err(ValueError::new(DATE_EXPECTED));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        if !(1900..=2100).contains(&y) {
            return Err(ValueError::because(
                DATE_EXPECTED,
                "year out of range 1900-2100",
            ));
        }
        jiff::civil::Date::new(y, m as i8, d as i8)
            .map(Date)
            .map_err(|_| ValueError::because(DATE_EXPECTED, "this date does not exist"))
    }
}
string_serde!(Date);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    fn from_jiff(w: jiff::civil::Weekday) -> Weekday {
        Weekday::ALL[w.to_monday_zero_offset() as usize]
    }
    /// 0 for Monday .. 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn key(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }
    pub fn korean(self) -> &'static str {
        ["월", "화", "수", "목", "금", "토", "일"][self.index()]
    }
}

/// A time of day in minutes after midnight, 00:00 to 24:00 inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u16);

pub const TIME_EXPECTED: &str = "a time written HH:MM (24-hour clock, 00:00 to 24:00)";

impl TimeOfDay {
    pub fn from_minutes(m: u16) -> Option<TimeOfDay> {
        (m <= 24 * 60).then_some(TimeOfDay(m))
    }
    pub fn minutes(self) -> u16 {
        self.0
    }
    pub fn hour(self) -> u16 {
        self.0 / 60
    }
    pub fn minute(self) -> u16 {
        self.0 % 60
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl FromStr for TimeOfDay {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let b = s.as_bytes();
        let shaped =
            b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
        if !shaped {
            return Err(ValueError::new(TIME_EXPECTED));
        }
        let h: u16 = s[0..2].parse().unwrap_or(99);
        let m: u16 = s[3..5].parse().unwrap_or(99);
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(ValueError::because(TIME_EXPECTED, "no such time"));
        }
        Ok(TimeOfDay(h * 60 + m))
    }
}
string_serde!(TimeOfDay);

/// A half-open time span within one day, written "09:00-18:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

pub const TIME_RANGE_EXPECTED: &str =
    "a time range written HH:MM-HH:MM with the start before the end";

impl TimeRange {
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Option<TimeRange> {
        (start < end).then_some(TimeRange { start, end })
    }
    pub fn contains(&self, other: &TimeRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn minutes(&self) -> u16 {
        self.end.0 - self.start.0
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

impl FromStr for TimeRange {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| ValueError::new(TIME_RANGE_EXPECTED))?;
        let bad = |_| ValueError::new(TIME_RANGE_EXPECTED);
        let start: TimeOfDay = a.trim().parse().map_err(bad)?;
        let end: TimeOfDay = b.trim().parse().map_err(bad)?;
        TimeRange::new(start, end).ok_or_else(|| {
            ValueError::because(TIME_RANGE_EXPECTED, "the end is not after the start")
        })
    }
}
string_serde!(TimeRange);

/// An identifier: lowercase ASCII letters, digits and single hyphens, used in
/// URLs. Records take theirs from their file name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

pub const ID_EXPECTED: &str = "an id of lowercase letters a-z, digits and hyphens (e.g. \"pattern-cad-basic\"), at most 64 characters";

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl FromStr for Id {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
            && !s.starts_with(['-', '_'])
            && !s.ends_with(['-', '_'])
            && !s.contains("--");
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            Err(ValueError::new(ID_EXPECTED))
        }
    }
}
string_serde!(Id);

/// A Korean telephone number, stored in its hyphenated form
/// ("02-2133-8761", "010-1234-5678", "1588-1234"). An applicant's number
/// is personal data: `{:?}` never prints it (`Display` does).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(…)")
    }
}

pub const PHONE_EXPECTED: &str =
    "a Korean phone number such as 02-2133-8761, 010-1234-5678 or 1588-1234";

impl Phone {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Digits only, for comparing two ways of writing the same number.
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("01")
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Area codes outside Seoul (02).
const AREA_CODES: [&str; 16] = [
    "031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055", "061",
    "062", "063", "064",
];

impl FromStr for Phone {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            return Err(ValueError::new(PHONE_EXPECTED));
        }
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        let split = |a: usize, b: usize| format!("{}-{}-{}", &d[..a], &d[a..a + b], &d[a + b..]);
        let out = if let Some(rest) = d.strip_prefix("02") {
            match rest.len() {
                7 => Some(split(2, 3)),
                8 => Some(split(2, 4)),
                _ => None,
            }
        } else if ["010", "011", "016", "017", "018", "019", "070", "050"]
            .iter()
            .chain(AREA_CODES.iter())
            .any(|p| d.starts_with(p))
        {
            match d.len() {
                10 if !d.starts_with("010") => Some(split(3, 3)),
                11 => Some(split(3, 4)),
                _ => None,
            }
        } else if d.len() == 8 && ["15", "16", "18"].iter().any(|p| d.starts_with(p)) {
            Some(format!("{}-{}", &d[..4], &d[4..]))
        } else {
            None
        };
        out.map(Phone)
            .ok_or_else(|| ValueError::new(PHONE_EXPECTED))
    }
}
string_serde!(Phone);

/// The 25 autonomous districts (자치구) of Seoul: id and Korean name.
pub const SEOUL_DISTRICTS: [(&str, &str); 25] = [
    ("jongno", "종로구"),
    ("jung", "중구"),
    ("yongsan", "용산구"),
    ("seongdong", "성동구"),
    ("gwangjin", "광진구"),
    ("dongdaemun", "동대문구"),
    ("jungnang", "중랑구"),
    ("seongbuk", "성북구"),
    ("gangbuk", "강북구"),
    ("dobong", "도봉구"),
    ("nowon", "노원구"),
    ("eunpyeong", "은평구"),
    ("seodaemun", "서대문구"),
    ("mapo", "마포구"),
    ("yangcheon", "양천구"),
    ("gangseo", "강서구"),
    ("guro", "구로구"),
    ("geumcheon", "금천구"),
    ("yeongdeungpo", "영등포구"),
    ("dongjak", "동작구"),
    ("gwanak", "관악구"),
    ("seocho", "서초구"),
    ("gangnam", "강남구"),
    ("songpa", "송파구"),
    ("gangdong", "강동구"),
];

/// Whether a form value means "ticked" (a checkbox, a consent): `on`,
/// `true`, `yes`, `1` or `y`, around spaces.
pub fn truthy(v: &str) -> bool {
    matches!(v.trim(), "on" | "true" | "yes" | "1" | "y")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            "2026-02-28".parse::<Date>().unwrap().to_string(),
            "2026-02-28"
        );
        let e = "2026-02-30".parse::<Date>().unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("this date does not exist"));
        assert!("2026-2-3".parse::<Date>().is_err());
        assert!("20260203".parse::<Date>().is_err());
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().weekday(),
            Weekday::Thu
        );
    }

    #[test]
    fn date_arithmetic() {
        let d: Date = "2026-12-31".parse().unwrap();
        assert_eq!(d.add_days(1).to_string(), "2027-01-01");
        assert_eq!(d.days_until("2027-01-10".parse().unwrap()), 10);
        assert_eq!(d.week_start().to_string(), "2026-12-28");
    }

    #[test]
    fn times_and_ranges() {
        assert_eq!("09:30".parse::<TimeOfDay>().unwrap().minutes(), 570);
        assert!("24:00".parse::<TimeOfDay>().is_ok());
        assert!("24:01".parse::<TimeOfDay>().is_err());
        assert!("9:30".parse::<TimeOfDay>().is_err());
        assert!("12:60".parse::<TimeOfDay>().is_err());
        let r: TimeRange = "09:00-18:00".parse().unwrap();
        assert_eq!(r.minutes(), 540);
        assert!("18:00-09:00".parse::<TimeRange>().is_err());
    }

    #[test]
    fn ids() {
        assert!("pattern-cad-basic".parse::<Id>().is_ok());
        for bad in ["", "Pattern", "a b", "-a", "a-", "a--b", "재단"] {
            assert!(bad.parse::<Id>().is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_normalise() {
        let p = |s: &str| s.parse::<Phone>().map(|p| p.to_string());
        assert_eq!(p("02-2133-8761").unwrap(), "02-2133-8761");
        assert_eq!(p("0221338761").unwrap(), "02-2133-8761");
        assert_eq!(p("02-123-4567").unwrap(), "02-123-4567");
        assert_eq!(p("010 1234 5678").unwrap(), "010-1234-5678");
        assert_eq!(p("031-123-4567").unwrap(), "031-123-4567");
        assert_eq!(p("1588-1234").unwrap(), "1588-1234");
        for bad in [
            "02-12-345",
            "0101234567",
            "123",
            "02-2133-87610",
            "+82-2-2133-8761",
            "abc",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }
}
