//! The catalog's booking rules, as pure functions of the catalog, the
//! request and the time. The store re-checks what can race (slots, quota,
//! capacity); everything else is decided here.

use sbiz_catalog::{
    Approval, BookingRules, Catalog, Date, Equipment, NoShowRule, TimeOfDay, TimeRange,
};

use super::SlotRun;
use crate::message::Duration;
use crate::{Code, Error, Msg, Result};

/// Whether a day is open for booking at all, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayState {
    Open,
    /// Public holiday.
    Holiday,
    /// The equipment's own closed date, or no opening hours that weekday.
    Closed,
    /// Before `min_days_ahead` (or already past).
    TooSoon,
    /// After `max_days_ahead`.
    TooFar,
}

impl DayState {
    pub fn as_str(self) -> &'static str {
        match self {
            DayState::Open => "open",
            DayState::Holiday => "holiday",
            DayState::Closed => "closed",
            DayState::TooSoon => "too_soon",
            DayState::TooFar => "too_far",
        }
    }
}

pub fn day_state(catalog: &Catalog, rules: &BookingRules, day: Date, today: Date) -> DayState {
    let ahead = today.days_until(day);
    if ahead < i32::from(rules.min_days_ahead) || ahead < 0 {
        DayState::TooSoon
    } else if ahead > i32::from(rules.max_days_ahead) {
        DayState::TooFar
    } else if catalog.is_holiday(day) {
        DayState::Holiday
    } else if rules.closed_dates.contains(&day) || rules.hours_on(day.weekday()).is_empty() {
        DayState::Closed
    } else {
        DayState::Open
    }
}

/// Why nothing can be booked on a day in `state` (none for an open day):
/// the error a booking into it answers, whose message the availability page
/// shows too. `waive_window`: staff booking past the window, for whom a day
/// too soon can only be a day gone by.
pub fn refusal(
    state: DayState,
    rules: &BookingRules,
    today: Date,
    waive_window: bool,
) -> Option<Error> {
    Some(match state {
        DayState::Open => return None,
        DayState::TooSoon => {
            let msg = if rules.min_days_ahead == 0 || waive_window {
                Msg::PastDate
            } else {
                Msg::BookAhead {
                    days: rules.min_days_ahead,
                    from: today.add_days(i32::from(rules.min_days_ahead)),
                }
            };
            Error::rejected(Code::TooSoon, msg)
        }
        DayState::TooFar => Error::rejected(Code::TooFar, Msg::BookWithin(rules.max_days_ahead)),
        DayState::Holiday => Error::rejected(Code::ClosedDay, Msg::Holiday),
        DayState::Closed => Error::new(Code::ClosedDay),
    })
}

/// The most slots one reservation of this equipment may hold.
pub fn max_slots(rules: &BookingRules) -> u16 {
    rules.bookable_max_slots()
}

/// Checks a requested run against the equipment's rules at `now` (Korea
/// date and time). Slot availability, quota and history are checked elsewhere.
pub fn check_run(
    catalog: &Catalog,
    equipment: &Equipment,
    run: &SlotRun,
    today: Date,
    now: TimeOfDay,
) -> Result<()> {
    check_run_with(catalog, equipment, run, today, now, false)
}

/// [`check_run`], with the booking window (`min_days_ahead`,
/// `max_days_ahead`) waived when `waive_window` (staff taking a booking on
/// someone's behalf): a past day, a holiday, a closed day, the opening
/// hours and the run's length still apply.
pub fn check_run_with(
    catalog: &Catalog,
    equipment: &Equipment,
    run: &SlotRun,
    today: Date,
    now: TimeOfDay,
    waive_window: bool,
) -> Result<()> {
    let rules = &equipment.rules;
    let mut state = day_state(catalog, rules, run.date(), today);
    if waive_window && matches!(state, DayState::TooSoon | DayState::TooFar) {
        let day = run.date();
        state = if today.days_until(day) < 0 {
            DayState::TooSoon
        } else if catalog.is_holiday(day) {
            DayState::Holiday
        } else if rules.closed_dates.contains(&day) || rules.hours_on(day.weekday()).is_empty() {
            DayState::Closed
        } else {
            DayState::Open
        };
    }
    if let Some(e) = refusal(state, rules, today, waive_window) {
        return Err(e);
    }
    if run.date() == today && run.start() <= now {
        return Err(Error::rejected(Code::TooSoon, Msg::PastTime));
    }
    if run.slot_minutes() != rules.slot_minutes {
        return Err(Error::new(Code::OutsideHours));
    }
    if run.count() < rules.min_slots {
        return Err(Error::rejected(
            Code::TooShort,
            Msg::AtLeast(Duration::of_slots(rules.slot_minutes, rules.min_slots)),
        ));
    }
    let max = max_slots(rules);
    if run.count() > max {
        return Err(Error::rejected(
            Code::TooLong,
            Msg::AtMost(Duration::of_slots(rules.slot_minutes, max)),
        ));
    }
    let slots = rules.slots_on(run.date().weekday());
    let grid: Vec<TimeOfDay> = slots.iter().map(|s| s.start).collect();
    if !run.slot_starts().all(|s| grid.contains(&s)) {
        return Err(Error::rejected(Code::OutsideHours, off_hours(rules, run)));
    }
    Ok(())
}

/// Why a run off the day's slot grid cannot be booked, as precisely as
/// the opening hours tell: over a break between two ranges, outside the
/// day's hours, or within a range but not starting on a slot.
fn off_hours(rules: &BookingRules, run: &SlotRun) -> Msg {
    let hours = rules.hours_on(run.date().weekday()).to_vec();
    let (start, end) = (run.start().minutes(), run.end().minutes());
    let gap = hours.windows(2).find_map(|w| {
        let gap = TimeRange::new(w[0].end, w[1].start)?;
        (start < gap.end.minutes() && gap.start.minutes() < end).then_some(gap)
    });
    if let Some(gap) = gap {
        return Msg::BreakTime { gap, hours };
    }
    let within = hours
        .iter()
        .find(|h| h.start.minutes() <= start && end <= h.end.minutes());
    match within {
        Some(h) if (start - h.start.minutes()) % rules.slot_minutes != 0 => Msg::StartOnGrid {
            from: h.start,
            unit: Duration::of_slots(rules.slot_minutes, 1),
        },
        _ => Msg::OpeningHours(hours),
    }
}

/// The status a valid new reservation starts in, and whether it waits for
/// staff to check training.
pub fn initial_status(
    rules: &BookingRules,
    attended: &[sbiz_catalog::Id],
) -> (super::ReservationStatus, bool) {
    let training_missing = rules
        .training
        .as_ref()
        .is_some_and(|t| !attended.contains(t));
    let status = if training_missing || rules.approval == Approval::Staff {
        super::ReservationStatus::Pending
    } else {
        super::ReservationStatus::Confirmed
    };
    (status, training_missing)
}

/// The last day a person is blocked (inclusive), if the rule blocks them on
/// `today`: the `max`th no-show within `window_days` blocks new bookings for
/// `block_days` days from that no-show's day.
pub fn blocked_until(rule: &NoShowRule, no_shows: &[Date], today: Date) -> Option<Date> {
    if rule.max == 0 || rule.block_days == 0 {
        return None;
    }
    let mut days = no_shows.to_vec();
    days.sort();
    let max = usize::from(rule.max);
    let mut until: Option<Date> = None;
    for i in (max - 1)..days.len() {
        let first = days[i + 1 - max];
        if first.days_until(days[i]) < i32::from(rule.window_days) {
            let end = days[i].add_days(i32::from(rule.block_days) - 1);
            until = Some(until.map_or(end, |u| u.max(end)));
        }
    }
    until.filter(|u| *u >= today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn no_show_blocks_only_at_the_max_within_the_window() {
        let rule = NoShowRule {
            max: 2,
            window_days: 90,
            block_days: 30,
        };
        assert_eq!(
            blocked_until(&rule, &[d("2026-03-01")], d("2026-03-02")),
            None
        );
        let two = [d("2026-03-10"), d("2026-01-15")];
        assert_eq!(
            blocked_until(&rule, &two, d("2026-03-11")),
            Some(d("2026-04-08"))
        );
        assert_eq!(
            blocked_until(&rule, &two, d("2026-04-08")),
            Some(d("2026-04-08"))
        );
        assert_eq!(blocked_until(&rule, &two, d("2026-04-09")), None);
        // Too far apart: no block.
        assert_eq!(
            blocked_until(&rule, &[d("2026-01-01"), d("2026-06-01")], d("2026-06-02")),
            None
        );
        let off = NoShowRule {
            max: 0,
            window_days: 90,
            block_days: 30,
        };
        assert_eq!(blocked_until(&off, &two, d("2026-03-11")), None);
    }

    #[test]
    fn durations_in_korean_and_english() {
        let words = |slot, count| {
            let d = Duration::of_slots(slot, count);
            (d.korean(), d.english())
        };
        assert_eq!(words(30, 1), ("30분".into(), "30 minutes".into()));
        assert_eq!(words(60, 1), ("1시간".into(), "1 hour".into()));
        assert_eq!(words(60, 2), ("2시간".into(), "2 hours".into()));
        assert_eq!(
            words(30, 3),
            ("1시간 30분".into(), "1 hour 30 minutes".into())
        );
    }
}
