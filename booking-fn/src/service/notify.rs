//! The messages each event puts in the outbox: built here from the record
//! and the catalog, stored by the store in the same atomic step as the
//! change (`NewReservation::messages`, `StatusChange::messages`…).
//!
//! A message goes by each channel the person chose (`Person::channels`)
//! that the site sends by (`site.yaml` `messaging:`), only for events the
//! catalog has a template for (a catalog without templates sends nothing),
//! and carries no personal data: the code, the
//! item, the time, a link, a reason or a status.
//!
//! Links: a message written with the record's token in hand (the booking
//! itself, its reminder and survey invitation) carries the management or
//! survey link, sealed under the server secret. Messages written later
//! (staff decisions, a promotion) cannot: the token is stored only as a
//! hash. They link to 내 예약·신청 (`/my/`), where the person signs in with
//! their phone number.
//!
//! Language: a record made from the English edition (`Reservation::lang`)
//! gets its messages in English: its parameters (the item's English name,
//! the time, a status) are written in English here, the message carries
//! `lang=en` for the dispatcher to pick the template's English texts, and
//! its links open the English pages (`lang=en` before the token, `/en/my/`).
//! A reason staff type is never translated: it comes in the record's
//! language from `service::staff_reason_in` (in English, a Korean reason
//! after "Note from the support center (in Korean):", and no reason as
//! "Please contact the support center.") and a closure's from
//! `service::closure_reason_in` (its kind and reason in English, the
//! staff's note as typed); the employer's copy of a job application stays
//! Korean.

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Channel, Date, Lang, MessageEvent, TimeOfDay};

use crate::domain::{
    Application, ApplicationStatus, ManageToken, MessageLink, NewMessage, Person, Reservation,
    ReservationStatus, ServerKey, TargetKind, kst_instant,
};

/// The page messages link to when they cannot carry a management link.
pub const MY_PAGE: &str = "/my/";
/// [`MY_PAGE`] of the English edition.
pub const MY_PAGE_EN: &str = "/en/my/";

fn my_page(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => MY_PAGE,
        Lang::En => MY_PAGE_EN,
    }
}

/// What goes before the token in a management or survey link: `lang=en&`
/// for English records, so that the link opens the English page.
fn lang_arg(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "",
        Lang::En => "lang=en&",
    }
}

/// "Thu 5 March, 10:00-12:00": [`time_label`] in English.
pub fn time_label_en(date: Date, start: TimeOfDay, end: Option<TimeOfDay>) -> String {
    let day = day_label(date, Lang::En);
    match end {
        Some(end) => format!("{day}, {start}-{end}"),
        None => format!("{day}, {start}"),
    }
}

fn time_in(lang: Lang, date: Date, start: TimeOfDay, end: Option<TimeOfDay>) -> String {
    match lang {
        Lang::Ko => time_label(date, start, end),
        Lang::En => time_label_en(date, start, end),
    }
}

/// "3월 5일(목) 10:00~12:00".
pub fn time_label(date: Date, start: TimeOfDay, end: Option<TimeOfDay>) -> String {
    let day = day_label(date, Lang::Ko);
    match end {
        Some(end) => format!("{day} {start}~{end}"),
        None => format!("{day} {start}"),
    }
}

/// A day as messages and pages name it: "3월 5일(목)", "Thu 5 March".
pub fn day_label(date: Date, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let weekday = date.weekday();
    match lang {
        Lang::Ko => format!("{}월 {}일({})", date.month(), date.day(), weekday.korean()),
        Lang::En => {
            let month = MONTHS
                .get(usize::try_from(date.month()).unwrap_or(0).saturating_sub(1))
                .copied()
                .unwrap_or("");
            let day = DAYS.get(weekday.index()).copied().unwrap_or("");
            format!("{day} {} {month}", date.day())
        }
    }
}

/// What every message of one record shares.
struct Draft<'a> {
    catalog: &'a Catalog,
    channels: Vec<Channel>,
    params: Vec<(&'static str, String)>,
    lang: Lang,
}

/// How a message's link is made.
enum Link<'a> {
    None,
    /// `path` + the record's token, sealed per message.
    Sealed(&'a ServerKey, String, &'a ManageToken),
    Plain(&'static str),
}

impl Draft<'_> {
    /// One message per chosen channel, if the catalog has a template for
    /// `event`.
    fn messages(
        &self,
        event: MessageEvent,
        due: Timestamp,
        extra: &[(&str, &str)],
        link: &Link<'_>,
    ) -> Vec<NewMessage> {
        if self.catalog.messages.template(event).is_none() {
            return Vec::new();
        }
        self.channels
            .iter()
            .map(|&channel| {
                let mut m = NewMessage::new(event, channel, due);
                for (k, v) in &self.params {
                    m = m.param(k, v.clone());
                }
                for (k, v) in extra {
                    m = m.param(k, *v);
                }
                match link {
                    Link::None => m,
                    Link::Plain(path) => m.with_link(MessageLink::plain(*path)),
                    Link::Sealed(secret, path, token) => {
                        let link = MessageLink::sealed(secret, &m.id, path.clone(), token);
                        m.with_link(link)
                    }
                }
            })
            .collect()
    }
}

/// The channels a message about `person`'s record goes by: those they
/// chose, among those the site says it sends by (`site.yaml`
/// `messaging:`; a site that sends nothing queues nothing).
fn channels(catalog: &Catalog, person: Option<&Person>) -> Vec<Channel> {
    let mut out = person.map(Person::channels).unwrap_or_default();
    out.retain(|c| catalog.messages.channels.contains(c));
    out
}

/// The parameters every message of a record in `lang` starts with.
fn base_params(lang: Lang) -> Vec<(&'static str, String)> {
    match lang {
        Lang::Ko => Vec::new(),
        Lang::En => vec![("lang", lang.code().to_owned())],
    }
}

fn reservation_draft<'a>(catalog: &'a Catalog, r: &Reservation) -> Draft<'a> {
    let lang = r.lang;
    let item = catalog
        .equipment(r.run.equipment().as_str())
        .map(|e| e.name_in(lang).to_owned())
        .unwrap_or_else(|| r.run.equipment().to_string());
    let mut params = base_params(lang);
    params.extend([
        ("code", r.code.to_string()),
        ("item", item),
        (
            "time",
            time_in(lang, r.run.date(), r.run.start(), Some(r.run.end())),
        ),
    ]);
    Draft {
        catalog,
        channels: channels(catalog, r.person.as_ref()),
        params,
        lang,
    }
}

/// A new reservation's messages: received (pending) or confirmed now, the
/// reminder before use (the catalog's `reminder` setting, when that moment
/// is still ahead) and the survey invitation at the end of use.
pub fn reservation_made(
    catalog: &Catalog,
    secret: &ServerKey,
    r: &Reservation,
    token: &ManageToken,
    now: Timestamp,
) -> Vec<NewMessage> {
    let d = reservation_draft(catalog, r);
    let code = r.code;
    let en = lang_arg(r.lang);
    let manage = Link::Sealed(
        secret,
        format!("/api/reservations/{code}?{en}token="),
        token,
    );
    let event = if r.status == ReservationStatus::Pending {
        MessageEvent::ReservationReceived
    } else {
        MessageEvent::ReservationConfirmed
    };
    let mut out = d.messages(event, now, &[], &manage);
    out.extend(follow_ups(&d, secret, r, Some(token), now));
    out
}

/// The reminder before use (the catalog's `reminder` setting, when that
/// moment is still ahead) and the survey invitation at the end of use, with
/// the management and survey links when the token is at hand, else a link
/// to 내 예약·신청.
fn follow_ups(
    d: &Draft<'_>,
    secret: &ServerKey,
    r: &Reservation,
    token: Option<&ManageToken>,
    now: Timestamp,
) -> Vec<NewMessage> {
    let catalog = d.catalog;
    let code = r.code;
    let en = lang_arg(r.lang);
    let manage = match token {
        Some(t) => Link::Sealed(secret, format!("/api/reservations/{code}?{en}token="), t),
        None => Link::Plain(my_page(r.lang)),
    };
    let mut out = Vec::new();
    let start = kst_instant(r.run.date(), r.run.start());
    if let Some(rem) = &catalog.messages.reminder {
        let due = kst_instant(r.run.date().add_days(-i32::from(rem.days_before)), rem.at);
        if due > now && due < start {
            out.extend(d.messages(MessageEvent::ReservationReminder, due, &[], &manage));
        }
    }
    let survey = catalog
        .equipment(r.run.equipment().as_str())
        .and_then(|e| e.rules.survey.as_ref());
    if let Some(survey) = survey {
        let end = kst_instant(r.run.date(), r.run.end());
        let link = match token {
            Some(t) => Link::Sealed(
                secret,
                format!("/api/surveys/{survey}?code={code}&{en}token="),
                t,
            ),
            None => Link::Plain(my_page(r.lang)),
        };
        out.extend(d.messages(MessageEvent::SurveyInvitation, end, &[], &link));
    }
    out
}

/// The messages of a move (예약 변경), `r` as moved: the change now, and the
/// reminder and survey invitation for the new time (the store cancels the
/// old ones in the same step). The person moving it from the management
/// link has the token, so the links are sealed; a move by staff links to
/// 내 예약·신청.
pub fn reservation_rescheduled(
    catalog: &Catalog,
    secret: &ServerKey,
    r: &Reservation,
    token: Option<&ManageToken>,
    now: Timestamp,
) -> Vec<NewMessage> {
    let d = reservation_draft(catalog, r);
    let code = r.code;
    let en = lang_arg(r.lang);
    let manage = match token {
        Some(t) => Link::Sealed(secret, format!("/api/reservations/{code}?{en}token="), t),
        None => Link::Plain(my_page(r.lang)),
    };
    let mut out = d.messages(MessageEvent::ReservationRescheduled, now, &[], &manage);
    out.extend(follow_ups(&d, secret, r, token, now));
    out
}

/// The message of a status change of a reservation: approved, rejected
/// (`reason`), cancelled by the person or by staff (`reason`). Attendance
/// marks send nothing (the invitation is already queued for the end of use).
pub fn reservation_changed(
    catalog: &Catalog,
    r: &Reservation,
    to: ReservationStatus,
    by_staff: bool,
    reason: &str,
    now: Timestamp,
) -> Vec<NewMessage> {
    let d = reservation_draft(catalog, r);
    let reason = [("reason", reason)];
    match to {
        ReservationStatus::Confirmed => d.messages(
            MessageEvent::ReservationApproved,
            now,
            &[],
            &Link::Plain(my_page(r.lang)),
        ),
        ReservationStatus::Rejected => {
            d.messages(MessageEvent::ReservationRejected, now, &reason, &Link::None)
        }
        ReservationStatus::Cancelled if by_staff => d.messages(
            MessageEvent::ReservationCancelledByStaff,
            now,
            &reason,
            &Link::None,
        ),
        ReservationStatus::Cancelled => {
            d.messages(MessageEvent::ReservationCancelled, now, &[], &Link::None)
        }
        _ => Vec::new(),
    }
}

/// Whether a change of a reservation to `to` ends its queued messages (the
/// reminder and the invitation): it will not be used.
pub fn reservation_ends_queued(to: ReservationStatus) -> bool {
    matches!(
        to,
        ReservationStatus::Rejected | ReservationStatus::Cancelled | ReservationStatus::NoShow
    )
}

fn application_draft<'a>(catalog: &'a Catalog, a: &Application) -> Draft<'a> {
    let id = a.target.id.as_str();
    let lang = a.lang;
    let (item, time) = match a.target.kind {
        TargetKind::Programme => {
            let p = catalog.programme(id);
            let first = p.and_then(|p| p.sessions.iter().min_by_key(|s| (s.date, s.time.start)));
            (
                p.map(|p| p.title_in(lang).to_owned()),
                first.map(|s| time_in(lang, s.date, s.time.start, Some(s.time.end))),
            )
        }
        TargetKind::Policy => (
            catalog.policy(id).map(|p| p.title_in(lang).to_owned()),
            None,
        ),
        TargetKind::Job => (catalog.job(id).map(|j| j.title_in(lang).to_owned()), None),
    };
    let mut params = base_params(lang);
    params.extend([
        ("code", a.code.to_string()),
        ("item", item.unwrap_or_else(|| id.to_owned())),
    ]);
    if let Some(time) = time {
        params.push(("time", time));
    }
    Draft {
        catalog,
        channels: channels(catalog, a.person.as_ref()),
        params,
        lang,
    }
}

/// Messages of a new application, per status the store may decide
/// (`NewApplication::messages_when`): a programme's enrolment (with the
/// survey invitation after its last session) or waitlist place (the store
/// adds `position`), a policy application received (with `documents`, the
/// policy's `how_to_submit` in the record's language), a job application
/// received (and its copy to the employer, by e-mail, when the posting
/// names one and the site sends e-mail).
pub fn application_made(
    catalog: &Catalog,
    secret: &ServerKey,
    a: &Application,
    token: &ManageToken,
    now: Timestamp,
) -> Vec<(ApplicationStatus, Vec<NewMessage>)> {
    let d = application_draft(catalog, a);
    let code = a.code;
    let en = lang_arg(a.lang);
    let manage = Link::Sealed(
        secret,
        format!("/api/applications/{code}?{en}token="),
        token,
    );
    match a.target.kind {
        TargetKind::Programme => {
            let mut enrolled = d.messages(MessageEvent::ProgrammeEnrolled, now, &[], &manage);
            let p = catalog.programme(a.target.id.as_str());
            if let Some((p, (day, end))) = p.and_then(|p| p.ends().map(|e| (p, e)))
                && let Some(survey) = &p.survey
            {
                let link = Link::Sealed(
                    secret,
                    format!("/api/surveys/{survey}?code={code}&{en}token="),
                    token,
                );
                let due = kst_instant(day, end);
                enrolled.extend(d.messages(MessageEvent::SurveyInvitation, due, &[], &link));
            }
            let waitlisted = d.messages(MessageEvent::ProgrammeWaitlisted, now, &[], &manage);
            vec![
                (ApplicationStatus::Enrolled, enrolled),
                (ApplicationStatus::Waitlisted, waitlisted),
            ]
        }
        TargetKind::Policy => {
            // How and by when to send the documents, as the receipt page
            // says it: the form takes no files.
            let documents = catalog
                .policy(a.target.id.as_str())
                .and_then(|p| p.how_to_submit_in(a.lang))
                .map(|h| [("documents", h)]);
            let extra: &[(&str, &str)] = documents.as_ref().map_or(&[], |d| d);
            vec![(
                ApplicationStatus::Submitted,
                d.messages(MessageEvent::PolicyReceived, now, extra, &manage),
            )]
        }
        TargetKind::Job => {
            let mut out = d.messages(MessageEvent::JobReceived, now, &[], &manage);
            if catalog
                .job(a.target.id.as_str())
                .is_some_and(|j| j.employer_email.is_some())
                && catalog.messages.channels.contains(&Channel::Email)
            {
                // The employer reads Korean, whatever the applicant's language.
                let korean = Application {
                    lang: Lang::Ko,
                    ..a.clone()
                };
                let employer = Draft {
                    channels: vec![Channel::Email],
                    ..application_draft(catalog, &korean)
                };
                out.extend(employer.messages(MessageEvent::JobToEmployer, now, &[], &Link::None));
            }
            vec![(ApplicationStatus::Submitted, out)]
        }
    }
}

/// The message of a status change of an application: a programme seat
/// cancelled (`reason` when by staff), a policy or job application's new
/// status.
pub fn application_changed(
    catalog: &Catalog,
    a: &Application,
    to: ApplicationStatus,
    reason: &str,
    now: Timestamp,
) -> Vec<NewMessage> {
    let d = application_draft(catalog, a);
    match a.target.kind {
        TargetKind::Programme if to == ApplicationStatus::Cancelled => d.messages(
            MessageEvent::ProgrammeCancelled,
            now,
            &[("reason", reason)],
            &Link::None,
        ),
        TargetKind::Job => d.messages(
            MessageEvent::JobStatusChanged,
            now,
            &[("status", to.label(a.lang))],
            &Link::Plain(my_page(a.lang)),
        ),
        TargetKind::Policy => d.messages(
            MessageEvent::PolicyStatusChanged,
            now,
            &[("status", to.label(a.lang)), ("reason", reason)],
            &Link::Plain(my_page(a.lang)),
        ),
        _ => Vec::new(),
    }
}

/// Messages for whoever moves up from a programme's waitlist when `a`
/// leaves it (the store keeps those of the promoted person's chosen
/// channels and fills in their `code`).
pub fn promotion(catalog: &Catalog, a: &Application, now: Timestamp) -> Vec<NewMessage> {
    if a.target.kind != TargetKind::Programme {
        return Vec::new();
    }
    // The promoted person's record is not at hand: the message is in
    // Korean, whatever the language of `a` or of theirs.
    let korean = Application {
        lang: Lang::Ko,
        ..a.clone()
    };
    let mut d = application_draft(catalog, &korean);
    d.params.retain(|(k, _)| *k != "code");
    d.channels = catalog.messages.channels.clone();
    let link = Link::Plain(my_page(d.lang));
    d.messages(MessageEvent::ProgrammePromoted, now, &[], &link)
}
