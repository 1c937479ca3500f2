//! Equipment and its booking rules (opening hours, slots, limits).

use crate::t;
use sbiz_catalog::{BookingRules, TimeRange, Weekday};

use super::*;

pub(crate) fn read_equipment(f: &mut Fields<'_>, head: Head) -> Option<Equipment> {
    let korean = equipment(f, head);
    with_english(f, korean)
}

fn equipment(f: &mut Fields<'_>, head: Head) -> Option<Equipment> {
    let name = f.req("name", t!("the equipment's name"));
    let facility = f.req::<Id>("facility", t!("the id of the facility that holds it"));
    if let Some(id) = &facility {
        f.refer("facility", Target::Facility, id);
    }
    let industries = terms(f, "industries", true);
    let summary = f.req("summary", t!("a one-line summary"));
    let specs = f.list_of("specs", false, t!("a specification"), |s| {
        let name = s.req("name", t!("what is measured"));
        let value = s.req("value", t!("the value"));
        Some(Spec {
            name: name?,
            value: value?,
        })
    });
    let description = f.req::<String>("description", t!("a Markdown description"));
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    let rules = f.nested("booking", true, t!("the booking rules"), read_rules);
    Some(Equipment {
        en: None,
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
        let ranges =
            f.list::<TimeRange>(day.key(), false, t!("time ranges such as \"09:00-18:00\""));
        let mut sorted = ranges.clone();
        sorted.sort();
        for (i, pair) in sorted.windows(2).enumerate() {
            if pair[0].overlaps(&pair[1]) {
                f.invalid(
                    &format!("{}[{}]", day.key(), i + 1),
                    t!("opening ranges overlap"),
                    pair[1].to_string(),
                    t!(
                        "ranges that do not overlap {range}",
                        range = pair[0].to_string()
                    ),
                );
            }
        }
        if let Some(step) = slot.filter(|s| *s > 0) {
            for (i, r) in ranges.iter().enumerate() {
                if r.minutes() % step != 0 {
                    f.invalid(
                        &format!("{}[{i}]", day.key()),
                        t!("the range is not a whole number of slots"),
                        t!(
                            "{range} ({n} minutes)",
                            range = r.to_string(),
                            n = r.minutes()
                        ),
                        t!("a length divisible by slot_minutes ({step})", step = step),
                    );
                }
            }
        }
        hours[day.index()] = sorted;
    }
    if hours.iter().all(Vec::is_empty) {
        f.invalid(
            "",
            t!("no opening hours"),
            t!("every day closed"),
            t!("opening hours on at least one weekday, e.g. `mon: [\"09:00-18:00\"]`"),
        );
    }
    Some(hours)
}

fn read_rules(f: &mut Fields<'_>) -> Option<BookingRules> {
    let slot_minutes = f.req::<u16>("slot_minutes", t!("the slot length in minutes"));
    if let Some(s) = slot_minutes
        && !(15..=480).contains(&s)
    {
        f.invalid(
            "slot_minutes",
            t!("slot length out of range"),
            s.to_string(),
            t!("15 to 480 minutes"),
        );
    }
    let hours = f.nested(
        "hours",
        true,
        t!("opening hours per weekday (mon..sun)"),
        |h| read_hours(h, slot_minutes),
    );
    let min_slots = f.or::<u16>("min_slots", 1);
    let max_slots = f.req::<u16>("max_slots", t!("the most consecutive slots in one booking"));
    if let Some(max) = max_slots {
        if !(1..=24).contains(&max) {
            f.invalid(
                "max_slots",
                t!("out of range"),
                max.to_string(),
                t!("1 to 24 slots"),
            );
        } else if max < min_slots {
            f.invalid(
                "max_slots",
                t!("`max_slots` is less than `min_slots`"),
                max.to_string(),
                t!("at least min_slots ({n})", n = min_slots),
            );
        }
    }
    if min_slots == 0 {
        f.invalid("min_slots", t!("out of range"), "0", t!("at least 1 slot"));
    }
    let min_days_ahead = f.or::<u16>("min_days_ahead", 1);
    let max_days_ahead = f.req::<u16>("max_days_ahead", t!("how many days ahead booking opens"));
    if let Some(max) = max_days_ahead {
        if max > 365 {
            f.invalid(
                "max_days_ahead",
                t!("out of range"),
                max.to_string(),
                t!("at most 365 days"),
            );
        } else if max < min_days_ahead {
            f.invalid(
                "max_days_ahead",
                t!("`max_days_ahead` is less than `min_days_ahead`"),
                max.to_string(),
                t!("at least min_days_ahead ({n})", n = min_days_ahead),
            );
        }
    }
    let weekly_quota_hours = f.opt::<u16>("weekly_quota_hours");
    if weekly_quota_hours == Some(0) {
        f.invalid(
            "weekly_quota_hours",
            t!("a quota of 0 hours blocks every booking"),
            "0",
            t!("at least 1 hour, or leave it out for no quota"),
        );
    }
    let approval = f.req("approval", t!("`instant` or `staff`"));
    let training = f.opt::<Id>("training");
    if let Some(id) = &training {
        f.refer("training", Target::Programme, id);
    }
    let eligibility = f.req("eligibility", t!("who may book, as text"));
    let fee_won = f.or("fee_won", 0);
    let cancel_hours_before = f.or::<u16>("cancel_hours_before", 24);
    if cancel_hours_before > 24 * 30 {
        f.invalid(
            "cancel_hours_before",
            t!("out of range"),
            cancel_hours_before.to_string(),
            t!("at most 720 hours (30 days)"),
        );
    }
    let closed_dates = f.list::<Date>("closed_dates", false, t!("dates"));
    let survey = f.opt::<Id>("survey");
    if let Some(id) = &survey {
        f.refer("survey", Target::Survey(SurveyTarget::Equipment), id);
    }
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
