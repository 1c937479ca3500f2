//! Reading each kind of record from its YAML mapping.

use sbiz_catalog::{
    Approval, BookingRules, Date, FieldKind, FormField, Holiday, Id, Question, QuestionKind,
    Session, Survey, SurveyTarget, TimeOfDay, TimeRange, Weekday,
};
use serde_yaml::Value;

use super::*;
use crate::diagnostics::Diagnostic;
use crate::yaml::{Fields, FromYaml, Mismatch};

macro_rules! enum_from_yaml {
    ($t:ty, [$(($s:literal, $v:expr)),* $(,)?]) => {
        impl FromYaml for $t {
            fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
                let expected = concat!("one of:" $(, " `", $s, "`")*);
                match v.as_str() {
                    $(Some($s) => Ok($v),)*
                    Some(_) => Err(Mismatch::new("unknown value", expected)),
                    None => Err(Mismatch::new("wrong type", expected)),
                }
            }
        }
    };
}

enum_from_yaml!(
    OperatorType,
    [
        ("city", OperatorType::City),
        ("district", OperatorType::District),
        ("private", OperatorType::Private)
    ]
);
enum_from_yaml!(
    Format,
    [
        ("offline", Format::Offline),
        ("online", Format::Online),
        ("hybrid", Format::Hybrid)
    ]
);
enum_from_yaml!(
    Employment,
    [
        ("full-time", Employment::FullTime),
        ("contract", Employment::Contract),
        ("part-time", Employment::PartTime),
        ("daily", Employment::Daily)
    ]
);
enum_from_yaml!(
    Approval,
    [("instant", Approval::Instant), ("staff", Approval::Staff)]
);
enum_from_yaml!(
    SurveyTarget,
    [
        ("equipment", SurveyTarget::Equipment),
        ("programme", SurveyTarget::Programme)
    ]
);

/// Shows a link destination in a message: control characters escaped (an
/// editor cannot see a tab), long ones (a `data:` image) cut short.
fn show_destination(dest: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::new();
    for (i, c) in dest.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reports every link and image of the Markdown `text` whose scheme is not
/// http, https, mailto or tel. `key` is the field that holds the text, or
/// empty for the body of a `.md` file (whose lines are known exactly).
pub fn markdown_links(f: &Fields<'_>, key: &str, text: &str) {
    let src = f.source();
    for bad in crate::markdown::disallowed_destinations(text) {
        let what = if bad.image { "image" } else { "link" };
        let message = format!(
            "{what} with a `{}:` address is not allowed",
            show_destination(&bad.scheme)
        );
        let d = if key.is_empty() {
            Diagnostic::new(
                &src.path,
                src.body_line + bad.line.saturating_sub(1),
                bad.column,
                "",
                message,
            )
        } else {
            src.at_value(&f.path_of(key), message)
        };
        src.push(
            d.found(format!("({})", show_destination(&bad.dest)))
                .expected(
                    "an address starting with https://, http://, mailto: or tel:, \
                     or a site path such as /programmes/",
                ),
        );
    }
}

/// Reads `draft`, `publish_at` and `expire_at`.
pub fn read_meta(f: &mut Fields<'_>) -> Meta {
    let meta = Meta {
        draft: f.or("draft", false),
        publish_at: f.opt("publish_at"),
        expire_at: f.opt("expire_at"),
    };
    if let (Some(p), Some(e)) = (meta.publish_at, meta.expire_at)
        && e <= p
    {
        f.invalid(
            "expire_at",
            "the record expires before it is published",
            e.to_string(),
            format!("a date after publish_at ({p})"),
        );
    }
    meta
}

/// Checks `from <= until` and reports at `until_key`.
fn check_order(
    f: &Fields<'_>,
    from_key: &str,
    from: Option<Date>,
    until_key: &str,
    until: Option<Date>,
) {
    if let (Some(a), Some(b)) = (from, until)
        && b < a
    {
        f.invalid(
            until_key,
            format!("`{until_key}` is before `{from_key}`"),
            b.to_string(),
            format!("a date on or after {from_key} ({a})"),
        );
    }
}

fn terms(f: &mut Fields<'_>, key: &'static str, required: bool) -> Vec<Id> {
    let tax = match key {
        "districts" | "district" => Taxonomy::Districts,
        "audiences" => Taxonomy::Audiences,
        "stages" => Taxonomy::Stages,
        "areas" => Taxonomy::Areas,
        _ => Taxonomy::Industries,
    };
    let raw = f.list::<String>(key, required, "term ids");
    if required && raw.is_empty() && f.value_present(key) {
        f.invalid(key, "the list is empty", "[]", "at least one term id");
    }
    raw.iter()
        .enumerate()
        .filter_map(|(i, s)| term_id(f, &format!("{key}[{i}]"), tax, s))
        .collect()
}

/// A single taxonomy reference (e.g. a job's `district`).
fn term(f: &mut Fields<'_>, key: &'static str, tax: Taxonomy) -> Option<Id> {
    let s = f.req::<String>(key, &format!("a {} id", tax.name()))?;
    term_id(f, key, tax, &s)
}

/// Parses a term reference; a Korean name instead of the id gets a hint.
fn term_id(f: &Fields<'_>, field: &str, tax: Taxonomy, s: &str) -> Option<Id> {
    match s.parse::<Id>() {
        Ok(id) => Some(id),
        Err(_) => {
            let by_name = (tax == Taxonomy::Districts)
                .then(|| {
                    sbiz_catalog::SEOUL_DISTRICTS
                        .iter()
                        .find(|(_, n)| *n == s || n.trim_end_matches('구') == s)
                })
                .flatten()
                .map(|(id, _)| *id);
            let mut d = f
                .source()
                .at_value(&f.path_of(field), format!("not a {} id", tax.name()))
                .found(format!("{s:?}"))
                .expected(format!(
                    "the id (not the name) of a term in content/taxonomies/{}.yaml",
                    tax.name()
                ));
            if let Some(id) = by_name {
                d = d.help(format!("did you mean `{id}`?"));
            }
            f.source().push(d);
            None
        }
    }
}

pub fn read_terms(f: &mut Fields<'_>) -> Option<Term> {
    let id = f.req::<Id>("id", "the term's id");
    let name = f.req::<String>("name", "the term's Korean name");
    let description = f.opt("description");
    Some(Term {
        id: id?,
        name: name?,
        description,
        field: String::new(),
    })
}

pub fn read_holiday(f: &mut Fields<'_>) -> Option<Holiday> {
    let date = f.req("date", "the holiday's date");
    let name = f.req("name", "the holiday's name");
    Some(Holiday {
        date: date?,
        name: name?,
    })
}

pub fn read_survey(f: &mut Fields<'_>, head: Head) -> Option<SurveyDef> {
    let title = f.req::<String>("title", "the survey's title");
    let target = f.req::<SurveyTarget>("target", "`equipment` or `programme`");
    let intro = f.opt::<String>("intro");
    let questions = f.list_of("questions", true, "a question", |q| {
        let id = q.req::<Id>("id", "the question's id");
        let label = q.req::<String>("label", "the question text");
        let required = q.or("required", true);
        let kind = q.req::<String>("type", "`rating`, `choice` or `text`");
        let kind = match kind.as_deref() {
            Some("rating") => {
                let scale = q.or::<u8>("scale", 5);
                if !(2..=10).contains(&scale) {
                    q.invalid(
                        "scale",
                        "scale out of range",
                        scale.to_string(),
                        "a number from 2 to 10",
                    );
                }
                QuestionKind::Rating { scale }
            }
            Some("choice") => QuestionKind::Choice {
                options: options(q)?,
            },
            Some("text") => QuestionKind::Text {
                max_length: q.or("max_length", 1000),
            },
            Some(other) => {
                q.invalid(
                    "type",
                    "unknown question type",
                    format!("{other:?}"),
                    "one of: `rating` `choice` `text`",
                );
                return None;
            }
            None => return None,
        };
        Some(Question {
            id: id?,
            label: label?,
            required,
            kind,
        })
    });
    unique_ids(f, "questions", questions.iter().map(|q| &q.id));
    Some(SurveyDef {
        survey: Survey {
            id: head.id.clone(),
            title: title?,
            target: target?,
            questions,
        },
        intro,
        head,
    })
}

fn options(f: &mut Fields<'_>) -> Option<Vec<String>> {
    let opts = f.list::<String>("options", true, "choices");
    let mut seen = std::collections::HashSet::new();
    for (i, o) in opts.iter().enumerate() {
        if !seen.insert(o) {
            f.invalid(
                &format!("options[{i}]"),
                "the same choice is listed twice",
                format!("{o:?}"),
                "each choice once",
            );
        }
    }
    if opts.len() < 2 && f.value_present("options") {
        f.invalid(
            "options",
            "too few choices",
            format!("{} choice(s)", opts.len()),
            "at least two choices",
        );
        return None;
    }
    (!opts.is_empty()).then_some(opts)
}

/// Reports ids that appear twice in a list of items at `key[i].id`.
fn unique_ids<'a>(f: &Fields<'_>, key: &str, ids: impl Iterator<Item = &'a Id>) {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id.as_str()) {
            f.invalid(
                &format!("{key}[{i}].id"),
                "duplicate id",
                format!("`{id}`"),
                "an id not used by another item of this list",
            );
        }
    }
}

pub fn read_facility(f: &mut Fields<'_>, head: Head) -> Option<Facility> {
    let name = f.req("name", "the facility's name");
    let operator_type = f.req("operator_type", "`city`, `district` or `private`");
    let operator = f.req("operator", "who runs the facility");
    let district = term(f, "district", Taxonomy::Districts);
    let address = f.req("address", "a postal address");
    let hours = f.req("hours", "opening hours as text");
    let phone = f.req("phone", "a phone number");
    let email = f.opt("email");
    let website = f.opt("website");
    let opened = f.opt("opened");
    let floor_area_m2 = f.opt("floor_area_m2");
    let industries = terms(f, "industries", true);
    let areas = terms(f, "areas", false);
    let audiences = terms(f, "audiences", false);
    let summary = f.req("summary", "a one-line summary");
    let description = f.req::<String>("description", "a Markdown description");
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    Some(Facility {
        head,
        name: name?,
        operator_type: operator_type?,
        operator: operator?,
        district: district?,
        address: address?,
        hours: hours?,
        phone: phone?,
        email,
        website,
        opened,
        floor_area_m2,
        industries,
        areas,
        audiences,
        summary: summary?,
        description: description?,
    })
}

pub fn read_equipment(f: &mut Fields<'_>, head: Head) -> Option<Equipment> {
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

/// Sessions must sit inside 07:00-22:00.
const EARLIEST: u16 = 7 * 60;
const LATEST: u16 = 22 * 60;

pub fn read_programme(f: &mut Fields<'_>, head: Head) -> Option<Programme> {
    let title = f.req("title", "the programme's title");
    let facility = f.req("facility", "the id of the facility that runs it");
    let industries = terms(f, "industries", true);
    let audiences = terms(f, "audiences", true);
    let stages = terms(f, "stages", false);
    let areas = terms(f, "areas", false);
    let summary = f.req("summary", "a one-line summary");
    let description = f.req::<String>("description", "a Markdown description");
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    let sessions = f.list_of("sessions", true, "a session", |s| {
        let date = s.req::<Date>("date", "the session's date");
        let time = s.req::<TimeRange>("time", "a time range such as \"10:00-13:00\"");
        let title = s.opt("title");
        if let Some(t) = time
            && (t.start.minutes() < EARLIEST || t.end.minutes() > LATEST)
        {
            let sane = format!(
                "{}-{}",
                TimeOfDay::from_minutes(EARLIEST)?,
                TimeOfDay::from_minutes(LATEST)?
            );
            s.invalid(
                "time",
                "the session is outside teaching hours",
                t.to_string(),
                format!("a time inside {sane}"),
            );
        }
        Some(Session {
            date: date?,
            time: time?,
            title,
        })
    });
    let apply_from = f.req::<Date>("apply_from", "the first day of applications");
    let apply_until = f.req::<Date>("apply_until", "the last day of applications");
    check_order(f, "apply_from", apply_from, "apply_until", apply_until);
    if let (Some(until), Some(last)) = (apply_until, sessions.iter().map(|s| s.date).max())
        && until > last
    {
        f.invalid(
            "apply_until",
            "applications close after the last session",
            until.to_string(),
            format!("a date on or before the last session ({last})"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, s) in sessions.iter().enumerate() {
        if !seen.insert((s.date, s.time)) {
            f.invalid(
                &format!("sessions[{i}]"),
                "the same session is listed twice",
                format!("{} {}", s.date, s.time),
                "each session once",
            );
        }
    }
    let capacity = f.req::<u32>("capacity", "the number of places");
    if let Some(c) = capacity
        && !(1..=500).contains(&c)
    {
        f.invalid("capacity", "out of range", c.to_string(), "1 to 500 places");
    }
    let waitlist = f.or("waitlist", 0);
    let fee_won = f.or("fee_won", 0);
    let format_given = f.value_present("format");
    let format = f.opt::<Format>("format");
    let format_invalid = format_given && format.is_none();
    let format = format.unwrap_or(Format::Offline);
    let place = f.opt::<String>("place");
    if place.is_none() && format != Format::Online && !format_invalid {
        f.invalid(
            "place",
            "missing the place",
            "nothing",
            "`place:` where the programme happens (required unless format is online)",
        );
    }
    let contact = f.opt("contact");
    let survey = f.opt("survey");
    Some(Programme {
        head,
        title: title?,
        facility: facility?,
        industries,
        audiences,
        stages,
        areas,
        summary: summary?,
        description: description?,
        sessions,
        apply_from: apply_from?,
        apply_until: apply_until?,
        capacity: capacity?,
        waitlist,
        fee_won,
        format,
        place,
        contact,
        survey,
    })
}

/// Field ids that every application form already asks for.
pub const RESERVED_FIELD_IDS: [&str; 6] = [
    "name",
    "phone",
    "business_name",
    "email",
    "consent",
    "website",
];

fn read_form_field(q: &mut Fields<'_>) -> Option<FormField> {
    let id = q.req::<Id>("id", "the field's id");
    if let Some(i) = &id
        && RESERVED_FIELD_IDS.contains(&i.as_str())
    {
        q.invalid(
            "id",
            "this field is already on every form",
            format!("`{i}`"),
            "an id other than name, phone, business_name, email, consent, website",
        );
    }
    let label = q.req::<String>("label", "the field's label");
    let required = q.or("required", false);
    let hint = q.opt("hint");
    let kind = q.req::<String>(
        "type",
        "`text`, `textarea`, `number`, `date`, `select` or `checkbox`",
    );
    let kind = match kind.as_deref() {
        Some("text") => FieldKind::Text {
            max_length: q.or("max_length", 200),
        },
        Some("textarea") => FieldKind::Textarea {
            max_length: q.or("max_length", 2000),
        },
        Some("number") => {
            let (min, max) = (q.opt::<i64>("min"), q.opt::<i64>("max"));
            if let (Some(a), Some(b)) = (min, max)
                && b < a
            {
                q.invalid(
                    "max",
                    "`max` is less than `min`",
                    b.to_string(),
                    format!("at least min ({a})"),
                );
            }
            FieldKind::Number { min, max }
        }
        Some("date") => {
            let (min, max) = (q.opt::<Date>("min"), q.opt::<Date>("max"));
            check_order(q, "min", min, "max", max);
            FieldKind::Date { min, max }
        }
        Some("select") => FieldKind::Select {
            options: options(q)?,
        },
        Some("checkbox") => FieldKind::Checkbox,
        Some(other) => {
            q.invalid(
                "type",
                "unknown field type (file uploads are not supported)",
                format!("{other:?}"),
                "one of: `text` `textarea` `number` `date` `select` `checkbox`",
            );
            return None;
        }
        None => return None,
    };
    Some(FormField {
        id: id?,
        label: label?,
        required,
        hint,
        kind,
    })
}

pub fn read_policy(f: &mut Fields<'_>, head: Head, body: String) -> Option<Policy> {
    markdown_links(f, "", &body);
    let title = f.req("title", "the policy's title");
    let agency = f.req("agency", "the agency that runs it");
    let summary = f.req("summary", "a one-line summary");
    let target = f.req("target", "who it is for");
    let amount = f.req("amount", "the support amount as text");
    let eligibility = f.list::<String>("eligibility", true, "conditions");
    let documents = f.list::<String>("documents", false, "documents to submit");
    let apply_from = f.req::<Date>("apply_from", "the first day of applications");
    let apply_until = f.req::<Date>("apply_until", "the last day of applications");
    check_order(f, "apply_from", apply_from, "apply_until", apply_until);
    let industries = terms(f, "industries", false);
    let audiences = terms(f, "audiences", true);
    let stages = terms(f, "stages", false);
    let areas = terms(f, "areas", false);
    let districts = terms(f, "districts", false);
    let contact = f.opt("contact");
    let apply = f.nested("apply", true, "how to apply (`url:` or `form:`)", |a| {
        let url = a.opt::<crate::yaml::read::Url>("url");
        let form = a.list_of("form", false, "a form field", read_form_field);
        let has_form = a.value_present("form");
        unique_ids(a, "form", form.iter().map(|f| &f.id));
        match (url, has_form) {
            (Some(u), false) => Some(Apply::Url(u)),
            (None, true) if !form.is_empty() => Some(Apply::Form(form)),
            (None, true) => None,
            (Some(_), true) => {
                a.invalid(
                    "form",
                    "both `url` and `form` are given",
                    "url and form",
                    "exactly one of `url:` (apply elsewhere) or `form:` (apply here)",
                );
                None
            }
            (None, false) => {
                a.invalid(
                    "",
                    "no way to apply",
                    "neither url nor form",
                    "`url:` (apply elsewhere) or `form:` (apply on this site)",
                );
                None
            }
        }
    });
    Some(Policy {
        head,
        title: title?,
        agency: agency?,
        summary: summary?,
        target: target?,
        amount: amount?,
        eligibility,
        documents,
        apply_from: apply_from?,
        apply_until: apply_until?,
        industries,
        audiences,
        stages,
        areas,
        districts,
        contact,
        apply: apply?,
        body,
    })
}

pub fn read_job(f: &mut Fields<'_>, head: Head) -> Option<Job> {
    let title = f.req("title", "the posting's title");
    let company = f.req("company", "the employer");
    let industry = term(f, "industry", Taxonomy::Industries);
    let district = term(f, "district", Taxonomy::Districts);
    let position = f.req("position", "the job");
    let employment = f.req(
        "employment",
        "`full-time`, `contract`, `part-time` or `daily`",
    );
    let wage = f.req("wage", "the wage as text, e.g. 월 280만 원");
    let hours = f.req("hours", "working hours as text");
    let posted = f.req::<Date>("posted", "the date the posting opened");
    let deadline = f.req::<Date>("deadline", "the last day to apply");
    check_order(f, "posted", posted, "deadline", deadline);
    let how_to_apply = f.req("how_to_apply", "how to apply");
    let contact = f.req("contact", "a phone number");
    let description = f.or::<String>("description", String::new());
    markdown_links(f, "description", &description);
    Some(Job {
        head,
        title: title?,
        company: company?,
        industry: industry?,
        district: district?,
        position: position?,
        employment: employment?,
        wage: wage?,
        hours: hours?,
        posted: posted?,
        deadline: deadline?,
        how_to_apply: how_to_apply?,
        contact: contact?,
        description,
    })
}

pub fn read_notice(f: &mut Fields<'_>, head: Head, body: String) -> Option<Notice> {
    markdown_links(f, "", &body);
    let title = f.req("title", "the notice's title");
    let date = f.req("date", "the notice's date");
    let facility = f.opt("facility");
    let pinned = f.or("pinned", false);
    Some(Notice {
        head,
        title: title?,
        date: date?,
        facility,
        pinned,
        body,
    })
}

pub fn read_page(f: &mut Fields<'_>, head: Head, body: String) -> Option<Page> {
    markdown_links(f, "", &body);
    let title = f.req("title", "the page's title");
    let summary = f.opt("summary");
    let footer = f.or("footer", false);
    let order = f.or("order", 100);
    Some(Page {
        head,
        title: title?,
        summary,
        footer,
        order,
        body,
    })
}
