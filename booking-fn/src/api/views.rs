//! What the API answers: JSON views of records, with labels in Korean (or,
//! through `in_lang`, in the page's language) and the links a page needs.
//! Personal data appears only in the holder's own view (`person`) and in
//! staff views.

use sbiz_catalog::{Catalog, Date, Id, Lang, TimeOfDay};
use serde::Serialize;

use crate::domain::{
    Application, ApplicationStatus, Person, Reservation, ReservationStatus, TargetKind, kst_parts,
};
use crate::service::cancel_until;

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub name: String,
    pub phone: String,
    /// `None` for a job application, which asks for no business name.
    pub business: Option<String>,
    pub email: Option<String>,
}

impl From<&Person> for PersonView {
    fn from(p: &Person) -> Self {
        PersonView {
            name: p.name.to_string(),
            phone: p.phone.to_string(),
            business: p.business.as_ref().map(|b| b.to_string()),
            email: p.email.as_ref().map(|e| e.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub id: Id,
    pub name: String,
}

/// The status a reservation's pages show: the stored one, except that a
/// pending or confirmed reservation whose time is over, not yet marked
/// 이용 완료 or 예약 부도 by staff, is 지난 예약 (its stored status stays
/// until staff mark it). The one place that decides what a reservation's
/// status line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownStatus {
    Stored(ReservationStatus),
    Past,
}

impl ShownStatus {
    pub fn of(status: ReservationStatus, ended: bool) -> ShownStatus {
        match status {
            ReservationStatus::Pending | ReservationStatus::Confirmed if ended => ShownStatus::Past,
            s => ShownStatus::Stored(s),
        }
    }

    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ShownStatus::Stored(s), _) => s.label(lang),
            (ShownStatus::Past, Lang::Ko) => "지난 예약",
            (ShownStatus::Past, Lang::En) => "Past",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReservationView {
    pub code: String,
    /// Written as its key (`confirmed`): the stored status, which staff
    /// change.
    pub status: ReservationStatus,
    /// The status as its pages show it ([`ShownStatus`], from `status` and
    /// `ended`), in the view's language (Korean until [`Self::in_lang`]).
    pub status_label: &'static str,
    pub equipment: Named,
    pub facility: Named,
    pub facility_phone: Option<String>,
    pub date: Date,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub slots: u16,
    pub minutes: u32,
    /// Held for staff to check the required training.
    pub training_check: bool,
    /// Korea time, "YYYY-MM-DD HH:MM"; `null` when it can no longer be cancelled.
    pub cancel_until: Option<String>,
    pub fee_won: u64,
    /// The survey's id once the survey is open for this reservation.
    pub survey: Option<Id>,
    /// Whether its time is over (the page then speaks of it as past).
    pub ended: bool,
    pub person: Option<PersonView>,
    pub created_at: String,
    /// 전화·방문 접수 (staff views only): consent method, staff entry,
    /// waived rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken_by_staff: Option<StaffBookingView>,
}

/// How staff took a booking, in Korean for the admin page.
#[derive(Debug, Serialize)]
pub struct StaffBookingView {
    /// The staff entry's scope as recorded: a facility id, or `*`.
    pub entry: String,
    /// Who took it, in words for the admin page: the facility's name, or
    /// 모든 시설 담당자 for `*`.
    pub entry_label: String,
    pub consent: &'static str,
    pub consent_label: &'static str,
    pub overrides: Vec<&'static str>,
    pub override_labels: Vec<&'static str>,
}

fn staff_booking_view(catalog: &Catalog, s: &crate::domain::StaffBooking) -> StaffBookingView {
    let entry_label = crate::service::staff_entry_label(catalog, &s.entry);
    StaffBookingView {
        entry: s.entry.clone(),
        entry_label,
        consent: s.consent.as_str(),
        consent_label: s.consent.korean(),
        overrides: s.overrides.iter().map(|o| o.as_str()).collect(),
        override_labels: s.overrides.iter().map(|o| o.korean()).collect(),
    }
}

pub fn kst(at: jiff::Timestamp) -> String {
    let (d, t) = kst_parts(at);
    format!("{d} {t}")
}

pub fn reservation(
    catalog: &Catalog,
    r: &Reservation,
    now: jiff::Timestamp,
    with_person: bool,
) -> ReservationView {
    let eq = catalog.equipment(r.run.equipment().as_str());
    let fac = catalog.facility(r.facility.as_str());
    let active = matches!(
        r.status,
        ReservationStatus::Pending | ReservationStatus::Confirmed
    );
    let deadline = eq
        .map(|e| cancel_until(e, r))
        .filter(|d| active && now <= *d);
    let ended = now >= crate::domain::kst_instant(r.run.date(), r.run.end());
    let survey = eq.and_then(|e| e.rules.survey.clone()).filter(|_| {
        ended
            && matches!(
                r.status,
                ReservationStatus::Confirmed | ReservationStatus::Attended
            )
    });
    ReservationView {
        code: r.code.to_string(),
        status: r.status,
        status_label: ShownStatus::of(r.status, ended).label(Lang::Ko),
        equipment: Named {
            id: r.run.equipment().clone(),
            name: eq
                .map(|e| e.name.clone())
                .unwrap_or_else(|| r.run.equipment().to_string()),
        },
        facility: Named {
            id: r.facility.clone(),
            name: fac
                .map(|f| f.name.clone())
                .unwrap_or_else(|| r.facility.to_string()),
        },
        facility_phone: fac.map(|f| f.phone.to_string()),
        date: r.run.date(),
        start: r.run.start(),
        end: r.run.end(),
        slots: r.run.count(),
        minutes: r.run.minutes(),
        training_check: r.training_check,
        cancel_until: deadline.map(kst),
        fee_won: eq
            .map(|e| u64::from(e.rules.fee_won) * u64::from(r.run.count()))
            .unwrap_or(0),
        survey,
        ended,
        person: if with_person {
            r.person.as_ref().map(PersonView::from)
        } else {
            None
        },
        created_at: kst(r.created_at),
        taken_by_staff: r
            .taken_by_staff
            .as_ref()
            .filter(|_| with_person)
            .map(|s| staff_booking_view(catalog, s)),
    }
}

#[derive(Debug, Serialize)]
pub struct ApplicationView {
    pub code: String,
    pub kind: &'static str,
    /// Written as its key (`submitted`); the label below is taken from it.
    pub status: ApplicationStatus,
    /// The status in the view's language (Korean until [`Self::in_lang`]).
    pub status_label: &'static str,
    pub target: Named,
    pub facility: Option<Id>,
    /// Arrival order; for a waitlisted enrolment, how many wait before it.
    pub seq: u64,
    pub waiting_before: Option<usize>,
    pub answers: std::collections::BTreeMap<String, String>,
    pub survey: Option<Id>,
    pub person: Option<PersonView>,
    pub created_at: String,
    /// For a policy that asks for documents: how and by when to send them
    /// (the online form takes no files).
    pub how_to_submit: Option<String>,
    /// A programme's sessions, in order (none for policies and jobs).
    pub sessions: Vec<SessionView>,
    /// Where a programme takes place, in the view's language.
    pub place: Option<String>,
    /// A programme held online only.
    pub online: bool,
    /// The programme's calendar that the site publishes
    /// (`/programmes/<id>/sessions.ics`, a path of the site).
    pub sessions_ics: Option<String>,
    /// The phone of the facility that runs the programme, posted the job
    /// or takes the policy's applications.
    pub facility_phone: Option<String>,
    /// Whether a programme's last session is over.
    pub ended: bool,
}

/// One session of a programme: its day and hours, and its title in Korean
/// (content has no English session titles: an English view has none).
#[derive(Debug, Serialize)]
pub struct SessionView {
    pub date: Date,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub title: Option<String>,
}

pub fn application(
    catalog: &Catalog,
    a: &Application,
    now: jiff::Timestamp,
    waiting_before: Option<usize>,
    with_person: bool,
) -> ApplicationView {
    let programme = match a.target.kind {
        TargetKind::Programme => catalog.programme(a.target.id.as_str()),
        TargetKind::Policy | TargetKind::Job => None,
    };
    let ended = programme
        .and_then(|p| p.ends())
        .is_some_and(|(d, t)| now >= crate::domain::kst_instant(d, t));
    let (title, survey, facility) = match a.target.kind {
        TargetKind::Programme => {
            let survey = programme.and_then(|p| p.survey.clone()).filter(|_| {
                ended
                    && matches!(
                        a.status,
                        crate::domain::ApplicationStatus::Enrolled
                            | crate::domain::ApplicationStatus::Attended
                    )
            });
            (
                programme.map(|p| p.title.clone()),
                survey,
                programme.map(|p| p.facility.clone()),
            )
        }
        TargetKind::Policy => (
            catalog
                .policy(a.target.id.as_str())
                .map(|p| p.title.clone()),
            None,
            None,
        ),
        TargetKind::Job => {
            let j = catalog.job(a.target.id.as_str());
            (
                j.map(|j| j.title.clone()),
                None,
                j.map(|j| j.facility.clone()),
            )
        }
    };
    let facility_phone = facility
        .as_ref()
        .or(a.facility.as_ref())
        .and_then(|f| catalog.facility(f.as_str()))
        .map(|f| f.phone.to_string());
    let mut sessions: Vec<SessionView> = programme
        .map(|p| {
            p.sessions
                .iter()
                .map(|s| SessionView {
                    date: s.date,
                    start: s.time.start,
                    end: s.time.end,
                    title: s.title.clone().filter(|t| !t.trim().is_empty()),
                })
                .collect()
        })
        .unwrap_or_default();
    sessions.sort_by_key(|s| (s.date, s.start));
    ApplicationView {
        code: a.code.to_string(),
        kind: a.target.kind.as_str(),
        status: a.status,
        status_label: a.status.korean(),
        target: Named {
            id: a.target.id.clone(),
            name: title.unwrap_or_else(|| a.target.id.to_string()),
        },
        facility: a.facility.clone(),
        seq: a.seq,
        waiting_before,
        answers: if with_person {
            a.answers.clone()
        } else {
            Default::default()
        },
        survey,
        person: if with_person {
            a.person.as_ref().map(PersonView::from)
        } else {
            None
        },
        created_at: kst(a.created_at),
        how_to_submit: match a.target.kind {
            TargetKind::Policy => catalog
                .policy(a.target.id.as_str())
                .and_then(|p| p.how_to_submit.clone()),
            _ => None,
        },
        sessions,
        place: programme.and_then(|p| p.place.clone()),
        online: programme.is_some_and(|p| p.online),
        sessions_ics: programme
            .filter(|p| !p.sessions.is_empty())
            .map(|p| format!("/programmes/{}/sessions.ics", p.id)),
        facility_phone,
        ended,
    }
}

fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// The reservation as an iCalendar event (Korea time), for the holder: its
/// texts and status in `lang`, the names as the view has them (an English
/// view, [`ReservationView::in_lang`], has the English names).
pub fn reservation_ics(
    v: &ReservationView,
    base: &str,
    stamp_at: jiff::Timestamp,
    lang: sbiz_catalog::Lang,
) -> String {
    let english = lang == sbiz_catalog::Lang::En;
    let stamp =
        |d: Date, t: TimeOfDay| format!("{}T{}00", d.compact(), t.to_string().replace(':', ""));
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("sbiz")
        .trim_end_matches('/');
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//sbiz//booking-fn//KO".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "BEGIN:VTIMEZONE".to_owned(),
        "TZID:Asia/Seoul".to_owned(),
        "BEGIN:STANDARD".to_owned(),
        "DTSTART:19700101T000000".to_owned(),
        "TZOFFSETFROM:+0900".to_owned(),
        "TZOFFSETTO:+0900".to_owned(),
        "TZNAME:KST".to_owned(),
        "END:STANDARD".to_owned(),
        "END:VTIMEZONE".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:reservation-{}@{host}", v.code),
        format!("DTSTAMP:{}", stamp_at.strftime("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;TZID=Asia/Seoul:{}", stamp(v.date, v.start)),
        format!("DTEND;TZID=Asia/Seoul:{}", stamp(v.date, v.end)),
        format!(
            "SUMMARY:{}",
            ics_text(&if english {
                format!("Reservation: {} ({})", v.equipment.name, v.code)
            } else {
                format!("{} 예약 ({})", v.equipment.name, v.code)
            })
        ),
        format!("LOCATION:{}", ics_text(&v.facility.name)),
        format!(
            "DESCRIPTION:{}",
            ics_text(&if english {
                format!(
                    "Reservation number {} · Status {}{}",
                    v.code,
                    v.shown().label(lang),
                    v.facility_phone
                        .as_ref()
                        .map(|p| format!(" · Support center phone {p}"))
                        .unwrap_or_default()
                )
            } else {
                format!(
                    "예약번호 {} · 상태 {}{}",
                    v.code,
                    v.shown().label(lang),
                    v.facility_phone
                        .as_ref()
                        .map(|p| format!(" · 시설 전화 {p}"))
                        .unwrap_or_default()
                )
            })
        ),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ] {
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}

impl ReservationView {
    /// The status its pages show.
    pub fn shown(&self) -> ShownStatus {
        ShownStatus::of(self.status, self.ended)
    }

    /// The view as a page in `lang` shows it: the status label (from the
    /// typed status, [`Self::shown`]) and the names of the equipment and
    /// the facility in English where the catalog has them (the codes stay
    /// the same).
    pub fn in_lang(mut self, catalog: &Catalog, lang: sbiz_catalog::Lang) -> ReservationView {
        if lang == sbiz_catalog::Lang::Ko {
            return self;
        }
        self.status_label = self.shown().label(lang);
        if let Some(e) = catalog.equipment(self.equipment.id.as_str()) {
            self.equipment.name = e.name_in(lang).to_owned();
        }
        if let Some(f) = catalog.facility(self.facility.id.as_str()) {
            self.facility.name = f.name_in(lang).to_owned();
        }
        self
    }
}

impl ApplicationView {
    /// The view as a page in `lang` shows it: the status label (from the
    /// typed status) and the title of the programme, policy or job posting in English where the
    /// catalog has them.
    pub fn in_lang(mut self, catalog: &Catalog, lang: sbiz_catalog::Lang) -> ApplicationView {
        if lang == sbiz_catalog::Lang::Ko {
            return self;
        }
        self.status_label = self.status.label(lang);
        let id = self.target.id.as_str();
        if let Some(p) = catalog.programme(id).filter(|_| self.kind == "programme") {
            self.place = p.place_in(lang).map(str::to_owned);
            // Session titles have no English in the content.
            for s in &mut self.sessions {
                s.title = None;
            }
        }
        let title = match self.kind {
            "programme" => catalog.programme(id).map(|p| p.title_in(lang)),
            "policy" => catalog.policy(id).map(|p| p.title_in(lang)),
            "job" => catalog.job(id).map(|j| j.title_in(lang)),
            _ => None,
        };
        if let Some(title) = title {
            self.target.name = title.to_owned();
        }
        if self.kind == "policy" {
            self.how_to_submit = catalog
                .policy(id)
                .and_then(|p| p.how_to_submit_in(lang))
                .map(str::to_owned);
        }
        self
    }
}
