//! Facilities, programmes, policies, jobs, notices and pages.

use crate::t;
use sbiz_catalog::{Session, TimeOfDay, TimeRange};

use super::*;

pub(crate) fn read_facility(f: &mut Fields<'_>, head: Head) -> Option<Facility> {
    let korean = facility(f, head);
    with_english(f, korean)
}

fn facility(f: &mut Fields<'_>, head: Head) -> Option<Facility> {
    let name = f.req("name", t!("the facility's name"));
    let operator_type = f.req("operator_type", t!("`city`, `district` or `private`"));
    let operator = f.req("operator", t!("who runs the facility"));
    let district = term(f, "district", Taxonomy::Districts);
    let address = f.req("address", t!("a postal address"));
    let hours = f.req("hours", t!("opening hours as text"));
    let phone = f.req("phone", t!("a phone number"));
    let email = f.opt("email");
    let website = f.opt("website");
    let opened = f.opt("opened");
    let floor_area_m2 = f.opt("floor_area_m2");
    let location = f.nested("location", false, t!("a location"), |g| {
        let lat: Option<f64> = g.req("lat", t!("the latitude in degrees, e.g. 37.4568"));
        let lng: Option<f64> = g.req("lng", t!("the longitude in degrees, e.g. 126.8958"));
        let at = Location {
            lat: lat?,
            lng: lng?,
        };
        if !at.in_seoul() {
            let (la, lb) = Location::SEOUL_LAT;
            let (oa, ob) = Location::SEOUL_LNG;
            let key = if (la..=lb).contains(&at.lat) { "lng" } else { "lat" };
            g.invalid(
                key,
                t!("not in Seoul"),
                format!("lat {}, lng {}", at.lat, at.lng),
                t!(
                    "a point in Seoul: lat {la} to {lb}, lng {oa} to {ob} (lat is the smaller number)",
                    la = la,
                    lb = lb,
                    oa = oa,
                    ob = ob
                ),
            );
            return None;
        }
        Some(at)
    });
    let subway: Option<String> = f.opt("subway");
    let industries = terms(f, "industries", true);
    let areas = terms(f, "areas", false);
    let audiences = terms(f, "audiences", false);
    let summary = f.req("summary", t!("a one-line summary"));
    let description = f.req::<String>("description", t!("a Markdown description"));
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    Some(Facility {
        en: None,
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
        location,
        subway,
        industries,
        areas,
        audiences,
        summary: summary?,
        description: description?,
    })
}

/// Sessions must sit inside 07:00-22:00.
const EARLIEST: u16 = 7 * 60;
const LATEST: u16 = 22 * 60;

pub(crate) fn read_programme(f: &mut Fields<'_>, head: Head) -> Option<Programme> {
    let korean = programme(f, head);
    with_english(f, korean)
}

fn programme(f: &mut Fields<'_>, head: Head) -> Option<Programme> {
    let title = f.req("title", t!("the programme's title"));
    let facility = f.req::<Id>("facility", t!("the id of the facility that runs it"));
    if let Some(id) = &facility {
        f.refer("facility", Target::Facility, id);
    }
    let industries = terms(f, "industries", true);
    let audiences = terms(f, "audiences", true);
    let stages = terms(f, "stages", false);
    let areas = terms(f, "areas", false);
    let summary = f.req("summary", t!("a one-line summary"));
    let description = f.req::<String>("description", t!("a Markdown description"));
    if let Some(d) = &description {
        markdown_links(f, "description", d);
    }
    let sessions = f.list_of("sessions", true, t!("a session"), |s| {
        let date = s.req::<Date>("date", t!("the session's date"));
        let time = s.req::<TimeRange>("time", t!("a time range such as \"10:00-13:00\""));
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
                t!("the session is outside teaching hours"),
                t.to_string(),
                t!("a time inside {range}", range = sane),
            );
        }
        Some(Session {
            date: date?,
            time: time?,
            title,
        })
    });
    let apply_from = f.req::<Date>("apply_from", t!("the first day of applications"));
    let apply_until = f.req::<Date>("apply_until", t!("the last day of applications"));
    check_order(f, "apply_from", apply_from, "apply_until", apply_until);
    if let (Some(until), Some(last)) = (apply_until, sessions.iter().map(|s| s.date).max())
        && until > last
    {
        f.invalid(
            "apply_until",
            t!("applications close after the last session"),
            until.to_string(),
            t!(
                "a date on or before the last session ({date})",
                date = last.to_string()
            ),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, s) in sessions.iter().enumerate() {
        if !seen.insert((s.date, s.time)) {
            f.invalid(
                &format!("sessions[{i}]"),
                t!("the same session is listed twice"),
                format!("{} {}", s.date, s.time),
                t!("each session once"),
            );
        }
    }
    let capacity = f.req::<u32>("capacity", t!("the number of places"));
    if let Some(c) = capacity
        && !(1..=500).contains(&c)
    {
        f.invalid(
            "capacity",
            t!("out of range"),
            c.to_string(),
            t!("1 to 500 places"),
        );
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
            t!("missing the place"),
            t!("nothing"),
            t!("`place:` where the programme happens (required unless format is online)"),
        );
    }
    let contact = f.opt("contact");
    let survey = f.opt::<Id>("survey");
    if let Some(id) = &survey {
        f.refer("survey", Target::Survey(SurveyTarget::Programme), id);
    }
    Some(Programme {
        en: None,
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

pub(crate) fn read_policy(f: &mut Fields<'_>, head: Head, body: String) -> Option<Policy> {
    markdown_links(f, "", &body);
    let title = f.req("title", t!("the policy's title"));
    let agency = f.req("agency", t!("the agency that runs it"));
    let summary = f.req("summary", t!("a one-line summary"));
    let target = f.req("target", t!("who it is for"));
    let amount = f.req("amount", t!("the support amount as text"));
    let eligibility = f.list::<String>("eligibility", true, t!("conditions"));
    let documents = f.list::<String>("documents", false, t!("documents to submit"));
    let how_to_submit = f.opt::<String>("how_to_submit");
    let apply_from = f.req::<Date>("apply_from", t!("the first day of applications"));
    let apply_until = f.req::<Date>("apply_until", t!("the last day of applications"));
    check_order(f, "apply_from", apply_from, "apply_until", apply_until);
    let industries = terms(f, "industries", false);
    let audiences = terms(f, "audiences", true);
    let stages = terms(f, "stages", false);
    let areas = terms(f, "areas", false);
    let districts = terms(f, "districts", false);
    let contact = f.opt("contact");
    let apply = f.nested("apply", true, t!("how to apply (`url:` or `form:`)"), |a| {
        let url = a.opt::<crate::yaml::read::Url>("url");
        let form = a.list_of("form", false, t!("a form field"), read_form_field);
        let has_form = a.value_present("form");
        unique_ids(a, "form", form.iter().map(|f| &f.id));
        match (url, has_form) {
            (Some(u), false) => Some(Apply::Url(u)),
            (None, true) if !form.is_empty() => Some(Apply::Form(form)),
            (None, true) => None,
            (Some(_), true) => {
                a.invalid(
                    "form",
                    t!("both `url` and `form` are given"),
                    t!("url and form"),
                    t!("exactly one of `url:` (apply elsewhere) or `form:` (apply here)"),
                );
                None
            }
            (None, false) => {
                a.invalid(
                    "",
                    t!("no way to apply"),
                    t!("neither url nor form"),
                    t!("`url:` (apply elsewhere) or `form:` (apply on this site)"),
                );
                None
            }
        }
    });
    if matches!(apply, Some(Apply::Form(_))) && !documents.is_empty() && how_to_submit.is_none() {
        f.invalid(
            "how_to_submit",
            t!("the documents cannot be sent with the online form"),
            t!("`documents:` and `apply.form:`, but no `how_to_submit:`"),
            t!("`how_to_submit:` saying where and by when to send the documents (the form takes no files)"),
        );
        return None;
    }
    Some(Policy {
        en: None,
        head,
        title: title?,
        agency: agency?,
        summary: summary?,
        target: target?,
        amount: amount?,
        eligibility,
        documents,
        how_to_submit,
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
        form_en: Vec::new(),
    })
}

pub(crate) fn read_job(f: &mut Fields<'_>, head: Head) -> Option<Job> {
    let korean = job(f, head);
    with_english(f, korean)
}

fn job(f: &mut Fields<'_>, head: Head) -> Option<Job> {
    let title = f.req("title", t!("the posting's title"));
    let company = f.req("company", t!("the employer"));
    let industry = term(f, "industry", Taxonomy::Industries);
    let district = term(f, "district", Taxonomy::Districts);
    let audiences_written = f.value_present("audiences");
    let audiences = terms(f, "audiences", false);
    let position = f.req("position", t!("the job"));
    let employment = f.req(
        "employment",
        t!("`full-time`, `contract`, `part-time` or `daily`"),
    );
    let wage = f.req("wage", t!("the wage as text, e.g. 월 280만 원"));
    let hours = f.req("hours", t!("working hours as text"));
    let posted = f.req::<Date>("posted", t!("the date the posting opened"));
    let deadline = f.req::<Date>("deadline", t!("the last day to apply"));
    check_order(f, "posted", posted, "deadline", deadline);
    let how_to_apply = f.req("how_to_apply", t!("how to apply"));
    let contact = f.req("contact", t!("a phone number"));
    let description = f.or::<String>("description", String::new());
    markdown_links(f, "description", &description);
    let apply = f.nested(
        "apply",
        false,
        t!("how to apply on the portal (`facility:`, `form:`, optional `employer_email:`)"),
        |a| {
            let facility = a.req::<Id>("facility", t!("the id of the facility that posted it"));
            if let Some(id) = &facility {
                a.refer("facility", Target::Facility, id);
            }
            let employer_email = a.opt("employer_email");
            let form = a.list_of("form", true, t!("a form field"), read_form_field);
            unique_ids(a, "form", form.iter().map(|f| &f.id));
            if a.value_present("form") && form.is_empty() {
                a.invalid(
                    "form",
                    t!("the form has no fields"),
                    t!("an empty list"),
                    t!("at least one field (name, phone, e-mail and consent are always asked)"),
                );
            }
            Some(JobApply {
                facility: facility?,
                employer_email,
                form,
            })
        },
    );
    Some(Job {
        en: None,
        form_en: Vec::new(),
        head,
        title: title?,
        company: company?,
        industry: industry?,
        district: district?,
        audiences,
        audiences_written,
        position: position?,
        employment: employment?,
        wage: wage?,
        hours: hours?,
        posted: posted?,
        deadline: deadline?,
        how_to_apply: how_to_apply?,
        contact: contact?,
        description,
        apply,
    })
}

pub(crate) fn read_notice(f: &mut Fields<'_>, head: Head, body: String) -> Option<Notice> {
    markdown_links(f, "", &body);
    let title = f.req("title", t!("the notice's title"));
    let date = f.req("date", t!("the notice's date"));
    let facility = f.opt::<Id>("facility");
    if let Some(id) = &facility {
        f.refer("facility", Target::Facility, id);
    }
    let pinned = f.or("pinned", false);
    Some(Notice {
        en: None,
        head,
        title: title?,
        date: date?,
        facility,
        pinned,
        body,
    })
}

pub(crate) fn read_page(f: &mut Fields<'_>, head: Head, body: String) -> Option<Page> {
    markdown_links(f, "", &body);
    let title = f.req("title", t!("the page's title"));
    let summary = f.opt("summary");
    let footer = f.or("footer", false);
    let order = f.or("order", 100);
    Some(Page {
        en: None,
        head,
        title: title?,
        summary,
        footer,
        order,
        body,
    })
}
