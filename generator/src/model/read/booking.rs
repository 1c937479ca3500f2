//! Equipment and its booking rules (opening hours, slots, limits).

use sbiz_catalog::{BookingRules, TimeRange, Weekday};

use super::*;

pub(crate) fn read_equipment(f: &mut Fields<'_>, head: Head) -> Option<Equipment> {
    let name = f.req("name", "the equipment's name");
    let facility = f.req("facility", "the id of the facility that holds it");
    let industries = terms(f, "industries", true);
    let summary = f.req("summary", "a one-line summary");
    let specs = f.list_of("specs", false, "a specification", |s| {
        let name = s.req("name", "what is measured");
        let value = s.req("value", "the value");
        Some(Spec {
            name: name?,
            value: value?,
        })
    });
    let description = f.req::<String>("description", "a Markdown description");
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    let rules = f.nested("booking", true, "the booking rules", read_rules);
    Some(Equipment {
        head,
        name: name?,
        facility: facility?,
        industries,
        summary: summary?,
        specs,
        description: description?,
        rules: rules?,
    })
}

fn read_hours(f: &mut Fields<'_>, slot: Option<u16>) -> Option<[Vec<TimeRange>; 7]> {
    let mut hours: [Vec<TimeRange>; 7] = Default::default();
    for day in Weekday::ALL {
        let ranges = f.list::<TimeRange>(day.key(), false, "time ranges such as \"09:00-18:00\"");
        let mut sorted = ranges.clone();
        sorted.sort();
        for (i, pair) in sorted.windows(2).enumerate() {
            if pair[0].overlaps(&pair[1]) {
                f.invalid(
                    &format!("{}[{}]", day.key(), i + 1),
                    "opening ranges overlap",
                    pair[1].to_string(),
                    format!("ranges that do not overlap {}", pair[0]),
                );
            }
        }
        if let Some(step) = slot.filter(|s| *s > 0) {
            for (i, r) in ranges.iter().enumerate() {
                if r.minutes() % step != 0 {
                    f.invalid(
                        &format!("{}[{i}]", day.key()),
                        "the range is not a whole number of slots",
                        format!("{r} ({} minutes)", r.minutes()),
                        format!("a length divisible by slot_minutes ({step})"),
                    );
                }
            }
        }
        hours[day.index()] = sorted;
    }
    if hours.iter().all(Vec::is_empty) {
        f.invalid(
            "",
            "no opening hours",
            "every day closed",
            "opening hours on at least one weekday, e.g. `mon: [\"09:00-18:00\"]`",
        );
    }
    Some(hours)
}

fn read_rules(f: &mut Fields<'_>) -> Option<BookingRules> {
    let slot_minutes = f.req::<u16>("slot_minutes", "the slot length in minutes");
    if let Some(s) = slot_minutes
        && !(15..=480).contains(&s)
    {
        f.invalid(
            "slot_minutes",
            "slot length out of range",
            s.to_string(),
            "15 to 480 minutes",
        );
    }
    let hours = f.nested("hours", true, "opening hours per weekday (mon..sun)", |h| {
        read_hours(h, slot_minutes)
    });
    let min_slots = f.or::<u16>("min_slots", 1);
    let max_slots = f.req::<u16>("max_slots", "the most consecutive slots in one booking");
    if let Some(max) = max_slots {
        if !(1..=24).contains(&max) {
            f.invalid(
                "max_slots",
                "out of range",
                max.to_string(),
                "1 to 24 slots",
            );
        } else if max < min_slots {
            f.invalid(
                "max_slots",
                "`max_slots` is less than `min_slots`",
                max.to_string(),
                format!("at least min_slots ({min_slots})"),
            );
        }
    }
    if min_slots == 0 {
        f.invalid("min_slots", "out of range", "0", "at least 1 slot");
    }
    let min_days_ahead = f.or::<u16>("min_days_ahead", 1);
    let max_days_ahead = f.req::<u16>("max_days_ahead", "how many days ahead booking opens");
    if let Some(max) = max_days_ahead {
        if max > 365 {
            f.invalid(
                "max_days_ahead",
                "out of range",
                max.to_string(),
                "at most 365 days",
            );
        } else if max < min_days_ahead {
            f.invalid(
                "max_days_ahead",
                "`max_days_ahead` is less than `min_days_ahead`",
                max.to_string(),
                format!("at least min_days_ahead ({min_days_ahead})"),
            );
        }
    }
    let weekly_quota_hours = f.opt::<u16>("weekly_quota_hours");
    if weekly_quota_hours == Some(0) {
        f.invalid(
            "weekly_quota_hours",
            "a quota of 0 hours blocks every booking",
            "0",
            "at least 1 hour, or leave it out for no quota",
        );
    }
    let approval = f.req("approval", "`instant` or `staff`");
    let training = f.opt("training");
    let eligibility = f.req("eligibility", "who may book, as text");
    let fee_won = f.or("fee_won", 0);
    let cancel_hours_before = f.or::<u16>("cancel_hours_before", 24);
    if cancel_hours_before > 24 * 30 {
        f.invalid(
            "cancel_hours_before",
            "out of range",
            cancel_hours_before.to_string(),
            "at most 720 hours (30 days)",
        );
    }
    let closed_dates = f.list::<Date>("closed_dates", false, "dates");
    let survey = f.opt("survey");
    Some(BookingRules {
        slot_minutes: slot_minutes?,
        hours: hours?,
        min_slots,
        max_slots: max_slots?,
        min_days_ahead,
        max_days_ahead: max_days_ahead?,
        weekly_quota_hours,
        approval: approval?,
        training,
        eligibility: eligibility?,
        fee_won,
        cancel_hours_before,
        closed_dates,
        survey,
    })
}
