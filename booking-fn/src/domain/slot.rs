//! A run of consecutive slots of one piece of equipment on one day.

use sbiz_catalog::{Date, Id, TimeOfDay, TimeRange};
use serde::{Deserialize, Serialize};

use super::Invalid;

pub use sbiz_catalog::MAX_SLOTS_PER_RUN;

/// Equipment + day + `count` consecutive slots of `slot_minutes` from `start`.
/// Construction guarantees at least one slot and an end no later than 24:00.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawRun", into = "RawRun")]
pub struct SlotRun {
    equipment: Id,
    date: Date,
    start: TimeOfDay,
    slot_minutes: u16,
    count: u16,
}

#[derive(Serialize, Deserialize)]
struct RawRun {
    equipment: Id,
    date: Date,
    start: TimeOfDay,
    slot_minutes: u16,
    count: u16,
}

impl TryFrom<RawRun> for SlotRun {
    type Error = Invalid;
    fn try_from(r: RawRun) -> Result<Self, Invalid> {
        SlotRun::new(r.equipment, r.date, r.start, r.slot_minutes, r.count)
    }
}
impl From<SlotRun> for RawRun {
    fn from(r: SlotRun) -> RawRun {
        RawRun {
            equipment: r.equipment,
            date: r.date,
            start: r.start,
            slot_minutes: r.slot_minutes,
            count: r.count,
        }
    }
}

impl SlotRun {
    pub fn new(
        equipment: Id,
        date: Date,
        start: TimeOfDay,
        slot_minutes: u16,
        count: u16,
    ) -> Result<SlotRun, Invalid> {
        if slot_minutes == 0 || slot_minutes > 24 * 60 {
            return Err(Invalid(crate::Msg::SlotLengthInvalid));
        }
        if count == 0 {
            return Err(Invalid(crate::Msg::LengthMissing));
        }
        if count > MAX_SLOTS_PER_RUN {
            return Err(Invalid(crate::Msg::RunTooLong));
        }
        let end = u32::from(start.minutes()) + u32::from(slot_minutes) * u32::from(count);
        if end > 24 * 60 {
            return Err(Invalid(crate::Msg::PastMidnight));
        }
        Ok(SlotRun {
            equipment,
            date,
            start,
            slot_minutes,
            count,
        })
    }
    pub fn equipment(&self) -> &Id {
        &self.equipment
    }
    pub fn date(&self) -> Date {
        self.date
    }
    pub fn start(&self) -> TimeOfDay {
        self.start
    }
    pub fn slot_minutes(&self) -> u16 {
        self.slot_minutes
    }
    pub fn count(&self) -> u16 {
        self.count
    }
    pub fn end(&self) -> TimeOfDay {
        // `new` guarantees the end is at most 24:00.
        TimeOfDay::from_minutes(self.start.minutes() + self.slot_minutes * self.count)
            .unwrap_or(self.start)
    }
    pub fn range(&self) -> TimeRange {
        TimeRange {
            start: self.start,
            end: self.end(),
        }
    }
    pub fn minutes(&self) -> u32 {
        u32::from(self.slot_minutes) * u32::from(self.count)
    }
    /// The start of each slot, in order: the keys of the per-slot locks.
    pub fn slot_starts(&self) -> impl Iterator<Item = TimeOfDay> + '_ {
        (0..self.count)
            .filter_map(|i| TimeOfDay::from_minutes(self.start.minutes() + i * self.slot_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: &str, minutes: u16, count: u16) -> Result<SlotRun, Invalid> {
        SlotRun::new(
            "cutter".parse().unwrap(),
            "2026-03-02".parse().unwrap(),
            start.parse().unwrap(),
            minutes,
            count,
        )
    }

    #[test]
    fn runs() {
        let r = run("09:00", 60, 3).unwrap();
        assert_eq!(r.range().to_string(), "09:00-12:00");
        assert_eq!(r.minutes(), 180);
        let starts: Vec<String> = r.slot_starts().map(|t| t.to_string()).collect();
        assert_eq!(starts, ["09:00", "10:00", "11:00"]);
        assert!(run("23:00", 60, 1).is_ok());
        assert!(run("23:00", 60, 2).is_err());
        assert!(run("09:00", 60, 0).is_err());
        assert!(run("00:00", 5, MAX_SLOTS_PER_RUN + 1).is_err());
        assert!(run("09:00", 0, 1).is_err());
    }

    #[test]
    fn serde_revalidates() {
        let r = run("09:00", 30, 2).unwrap();
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<SlotRun>(&j).unwrap(), r);
        let bad = j.replace("\"count\":2", "\"count\":0");
        assert!(serde_json::from_str::<SlotRun>(&bad).is_err());
    }

    mod properties {
        use super::*;
        use crate::strategies::config;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn accepted_runs_lie_within_the_day_and_the_limits(
                start in 0u16..=24 * 60,
                slot_minutes in prop_oneof![1 => any::<u16>(), 3 => 0u16..=120],
                count in prop_oneof![1 => any::<u16>(), 3 => 0u16..=12, 1 => 90u16..=100],
            ) {
                let Some(start) = TimeOfDay::from_minutes(start) else {
                    return Ok(());
                };
                let Ok(r) = SlotRun::new(
                    "cutter".parse().expect("id"),
                    "2026-03-02".parse().expect("date"),
                    start,
                    slot_minutes,
                    count,
                ) else {
                    return Ok(());
                };
                prop_assert!((1..=MAX_SLOTS_PER_RUN).contains(&r.count()));
                prop_assert!((1..=24 * 60).contains(&r.slot_minutes()));
                let end = u32::from(start.minutes()) + r.minutes();
                prop_assert!(end <= 24 * 60);
                prop_assert_eq!(u32::from(r.end().minutes()), end);
                prop_assert_eq!(r.minutes(), u32::from(slot_minutes) * u32::from(count));
                let starts: Vec<TimeOfDay> = r.slot_starts().collect();
                prop_assert_eq!(starts.len(), usize::from(count));
                prop_assert!(starts.iter().all(|t| *t >= r.start() && *t < r.end()));
                let json = serde_json::to_string(&r).expect("serialise");
                prop_assert_eq!(serde_json::from_str::<SlotRun>(&json).ok(), Some(r));
            }
        }
    }
}
