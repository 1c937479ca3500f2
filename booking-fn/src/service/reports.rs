//! Usage reports for staff (이용 현황) and the city-wide monthly open data.
//!
//! Computed from the store's list reads (reservations, programme
//! applications, survey responses) over whole months, and from the
//! catalog's opening hours. Definitions (the report page and the operator
//! guide say the same):
//!
//! * open hours (운영 시간): per equipment, the minutes of every slot of
//!   every day of the period, less holidays, the equipment's closed days,
//!   weekdays without hours and the days staff closed the facility or the
//!   equipment (임시 휴관, 장비 사용 중지);
//! * booked hours (예약된 시간): the minutes of reservations that hold their
//!   slots (승인 대기, 예약 확정, 이용 완료, 예약 부도); utilisation
//!   (이용률) = booked / open;
//! * bookings (예약 건수): every reservation of a day in the period, in any
//!   status; cancellations (취소) and rejections (반려) among them, the
//!   cancellations split by who cancelled as the reservation records it
//!   (신청자 취소, 담당자 취소, 휴관·사용 중지로 취소; 기록 없음 for those
//!   cancelled before it was recorded);
//! * no-show rate (예약 부도율) = no-shows / (attended + no-shows);
//! * users (이용자 수): distinct person keys among the bookings. Keys are
//!   never shown; records whose personal data was purged have no key and
//!   are counted in `unkeyed`, not in users.

use std::collections::{BTreeMap, HashSet};

use sbiz_catalog::{Catalog, Date, Id, QuestionKind, Weekday};
use serde::Serialize;

use super::Service;
use super::admin::{StaffScope, csv};
use crate::domain::{
    Answer, ApplicationStatus, CancelledBy, Closure, PersonKey, Reservation, ReservationStatus,
    TargetKind, kst_parts,
};
use crate::store::{ApplicationFilter, ReservationFilter};
use crate::{Error, Result};

/// The longest period one report covers.
pub const MAX_REPORT_MONTHS: i32 = 24;

/// The fewest distinct users a row of the open data needs for its counts to
/// be published (fewer could let a neighbour tell who booked).
pub const OPEN_DATA_MIN_USERS: usize = 3;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    pub fn of(d: Date) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }
    pub fn first(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or_else(|| unreachable!("a month has a day 1"))
    }
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
    pub fn last(self) -> Date {
        self.next().first().add_days(-1)
    }
    /// Months from `self` to `other` (0 for the same month).
    fn months_until(self, other: Month) -> i32 {
        (i32::from(other.year) - i32::from(self.year)) * 12 + i32::from(other.month)
            - i32::from(self.month)
    }
    /// "2026년 10월".
    pub fn korean(self) -> String {
        format!("{}년 {}월", self.year, self.month)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = ();
    /// `YYYY-MM`.
    fn from_str(s: &str) -> std::result::Result<Month, ()> {
        let (y, m) = s.trim().split_once('-').ok_or(())?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(());
        }
        let year: i16 = y.parse().map_err(|_| ())?;
        let month: i8 = m.parse().map_err(|_| ())?;
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(());
        }
        Ok(Month { year, month })
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whole months `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    /// The last full month and the current one.
    pub fn default_at(today: Date) -> Period {
        let this = Month::of(today);
        Period {
            from: this.previous(),
            to: this,
        }
    }

    /// A period from what staff typed (`YYYY-MM`; either may be empty).
    pub fn parse(from: Option<&str>, to: Option<&str>, today: Date) -> Result<Period> {
        let default = Period::default_at(today);
        let month = |field: &str, v: Option<&str>| -> Result<Option<Month>> {
            match v.map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|()| {
                    Error::staff_field(
                        field,
                        format!(
                            "달은 {}처럼 연도 네 자리와 월 두 자리로 적어 주세요.",
                            default.from
                        ),
                    )
                }),
            }
        };
        let (f, t) = (month("from", from)?, month("to", to)?);
        let period = match (f, t) {
            (None, None) => default,
            (Some(f), None) => Period { from: f, to: f },
            (None, Some(t)) => Period { from: t, to: t },
            (Some(f), Some(t)) => Period { from: f, to: t },
        };
        if period.to < period.from {
            return Err(Error::staff_field(
                "to",
                "끝 달은 시작 달과 같거나 그 뒤여야 합니다.",
            ));
        }
        if period.from.months_until(period.to) >= MAX_REPORT_MONTHS {
            return Err(Error::staff_field(
                "to",
                format!("한 번에 {MAX_REPORT_MONTHS}개월까지 볼 수 있습니다."),
            ));
        }
        Ok(period)
    }

    pub fn first_day(self) -> Date {
        self.from.first()
    }
    pub fn last_day(self) -> Date {
        self.to.last()
    }
    fn months(self) -> Vec<Month> {
        let mut out = vec![self.from];
        while let Some(&m) = out.last()
            && m < self.to
        {
            out.push(m.next());
        }
        out
    }
    fn days(self) -> impl Iterator<Item = Date> {
        let (first, last) = (self.first_day(), self.last_day());
        (0..=first.days_until(last)).map(move |i| first.add_days(i))
    }
}

/// The figures of one row of the report (an equipment, a facility, a
/// month, a weekday, an hour, or everything).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Usage {
    pub open_minutes: u64,
    pub booked_minutes: u64,
    pub bookings: u32,
    /// Every cancellation (취소): the four below add up to it.
    pub cancellations: u32,
    /// Cancelled by the person (신청자 취소).
    pub cancelled_by_applicant: u32,
    /// Cancelled by staff one by one (담당자 취소).
    pub cancelled_by_staff: u32,
    /// Cancelled by staff for a closure (휴관·사용 중지로 취소).
    pub cancelled_for_closure: u32,
    /// Cancelled before who cancelled was recorded (기록 없음).
    pub cancelled_unrecorded: u32,
    pub rejections: u32,
    pub attended: u32,
    pub no_shows: u32,
    /// Distinct people among the bookings.
    pub users: usize,
    /// The minutes in hours to one decimal ("12.5"), as shown.
    pub open_hours: String,
    pub booked_hours: String,
    /// Booked ÷ open, in percent to one decimal; `None` without open hours.
    pub utilisation: Option<f64>,
    /// No-shows ÷ (attended + no-shows), in percent to one decimal.
    pub no_show_rate: Option<f64>,
    #[serde(skip)]
    people: HashSet<PersonKey>,
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| (part / whole * 1000.0).round() / 10.0)
}

/// Hours from minutes, to one decimal, as written in tables and CSV.
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl Usage {
    fn book(&mut self, r: &Reservation, minutes: u64) {
        self.bookings += 1;
        match r.status {
            ReservationStatus::Cancelled => {
                self.cancellations += 1;
                match r.cancelled_by {
                    Some(CancelledBy::Applicant) => self.cancelled_by_applicant += 1,
                    Some(CancelledBy::Staff) => self.cancelled_by_staff += 1,
                    Some(CancelledBy::Closure) => self.cancelled_for_closure += 1,
                    None => self.cancelled_unrecorded += 1,
                }
            }
            ReservationStatus::Rejected => self.rejections += 1,
            ReservationStatus::Attended => self.attended += 1,
            ReservationStatus::NoShow => self.no_shows += 1,
            ReservationStatus::Pending | ReservationStatus::Confirmed => {}
        }
        if r.status.holds_slots() {
            self.booked_minutes += minutes;
        }
        if let Some(k) = &r.person_key {
            self.people.insert(k.clone());
        }
    }
    fn finish(&mut self) {
        self.users = self.people.len();
        self.open_hours = hours(self.open_minutes);
        self.booked_hours = hours(self.booked_minutes);
        self.utilisation = percent(self.booked_minutes as f64, self.open_minutes as f64);
        self.no_show_rate = percent(
            f64::from(self.no_shows),
            f64::from(self.attended + self.no_shows),
        );
    }
}

/// A row: what it is about, and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct UsageRow {
    /// An id (equipment, facility), a month (`2026-10`), a weekday (`mon`)
    /// or an hour (`09`).
    pub key: String,
    pub label: String,
    /// Equipment rows: the facility's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    /// Equipment rows: the facility's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_id: Option<Id>,
    #[serde(flatten)]
    pub usage: Usage,
}

/// A programme whose sessions (or, without sessions, whose application
/// deadline) fall in the period.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeUsage {
    pub id: Id,
    pub title: String,
    pub facility: String,
    pub capacity: u32,
    /// Every application, in any status.
    pub applicants: u32,
    /// Holding a seat: 수강 확정, 수료, 불참.
    pub enrolled: u32,
    pub waitlisted: u32,
    /// Cancelled by the applicant or by staff (취소).
    pub cancelled: u32,
    /// Turned down by staff (미선정).
    pub rejected: u32,
    pub attended: u32,
    pub no_shows: u32,
    /// Seats taken ÷ capacity, percent to one decimal; `None` without a
    /// capacity.
    pub fill_rate: Option<f64>,
    /// Attended ÷ (attended + no-shows), percent to one decimal.
    pub attendance_rate: Option<f64>,
}

/// A survey's responses submitted in the period.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyUsage {
    pub id: Id,
    pub title: String,
    pub responses: usize,
    /// Rating questions: label, answers, average to two decimals.
    pub ratings: Vec<RatingAverage>,
    /// Free-text answers, newest first, at most [`MAX_COMMENTS`].
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingAverage {
    pub label: String,
    pub scale: u8,
    pub answered: usize,
    pub average: Option<f64>,
}

pub const MAX_COMMENTS: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct UsageReport {
    pub period: Period,
    pub first_day: Date,
    pub last_day: Date,
    /// Today (Korea time), when the report was made.
    pub today: Date,
    /// Whether the period reaches today or later: its open hours include
    /// days to come, its booked hours bookings not yet used, and its
    /// 이용 완료 / 예약 부도 are not all marked yet.
    pub includes_future: bool,
    /// The facility the report is narrowed to, if any.
    pub facility: Option<Id>,
    /// The whole scope: city-wide for `*` staff, else the facility.
    pub total: Usage,
    /// Per facility (city-wide reports only).
    pub facilities: Vec<UsageRow>,
    pub equipment: Vec<UsageRow>,
    pub months: Vec<UsageRow>,
    pub weekdays: Vec<UsageRow>,
    /// Per hour of the day (a reservation's minutes in each hour); only
    /// hours with open or booked minutes.
    pub hours: Vec<UsageRow>,
    pub programmes: Vec<ProgrammeUsage>,
    pub surveys: Vec<SurveyUsage>,
    /// Bookings without a person key (personal data purged): not in `users`.
    pub unkeyed: u32,
    /// Bookings of a day before today still 승인 대기 or 예약 확정 (지난
    /// 예약 staff have not marked 이용 완료 or 예약 부도): left out of the
    /// no-show rate, still in the booked hours.
    pub unmarked_past: u32,
}

/// Adds a slot's minutes to the hours of the day they fall in.
fn spread_over_hours(hours: &mut [u64; 24], start: u16, end: u16) {
    let mut t = start;
    while t < end {
        let h = usize::from(t / 60).min(23);
        let next = ((t / 60) + 1) * 60;
        let until = next.min(end);
        hours[h] += u64::from(until - t);
        t = until;
    }
}

impl Service {
    /// The usage report of `period` for the staff member's scope,
    /// narrowed to `facility` if asked (a facility's staff may only ask
    /// for their own).
    pub async fn usage_report(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        facility: Option<Id>,
        period: Period,
    ) -> Result<UsageReport> {
        let facility = scope.restrict(facility)?;
        let (first, last) = (period.first_day(), period.last_day());
        let in_scope = |f: &Id| facility.as_ref().is_none_or(|x| x == f);
        let reservations = self
            .store
            .reservations(&ReservationFilter {
                facility: facility.clone(),
                from: Some(first),
                to: Some(last),
                ..Default::default()
            })
            .await?;

        let months = period.months();
        let month_index = |d: Date| months.iter().position(|m| *m == Month::of(d));
        let mut total = Usage::default();
        let mut by_facility: BTreeMap<Id, Usage> = BTreeMap::new();
        let mut by_equipment: BTreeMap<Id, (Id, Usage)> = BTreeMap::new();
        let mut by_month = vec![Usage::default(); months.len()];
        let mut by_weekday: [Usage; 7] = Default::default();
        let mut by_hour: [Usage; 24] = std::array::from_fn(|_| Usage::default());
        for f in catalog.facilities.iter().filter(|f| in_scope(&f.id)) {
            by_facility.entry(f.id.clone()).or_default();
        }

        // Open hours, from the catalog, less the days staff closed
        // (임시 휴관, 장비 사용 중지).
        let closures: Vec<Closure> = self
            .store
            .closures(facility.as_ref(), first)
            .await?
            .into_iter()
            .filter(|c| c.from <= last)
            .collect();
        for e in catalog.equipment.iter().filter(|e| in_scope(&e.facility)) {
            let (_, eq) = by_equipment
                .entry(e.id.clone())
                .or_insert_with(|| (e.facility.clone(), Usage::default()));
            for day in period.days() {
                if catalog.is_holiday(day)
                    || e.rules.closed_dates.contains(&day)
                    || closures.iter().any(|c| c.covers(&e.facility, &e.id, day))
                {
                    continue;
                }
                let mut hours = [0u64; 24];
                for slot in e.rules.slots_on(day.weekday()) {
                    spread_over_hours(&mut hours, slot.start.minutes(), slot.end.minutes());
                }
                let minutes: u64 = hours.iter().sum();
                if minutes == 0 {
                    continue;
                }
                eq.open_minutes += minutes;
                total.open_minutes += minutes;
                by_facility
                    .entry(e.facility.clone())
                    .or_default()
                    .open_minutes += minutes;
                if let Some(i) = month_index(day) {
                    by_month[i].open_minutes += minutes;
                }
                by_weekday[day.weekday().index()].open_minutes += minutes;
                for (h, m) in hours.iter().enumerate() {
                    by_hour[h].open_minutes += m;
                }
            }
        }

        // Bookings, from the store.
        let today = self.now().date;
        let (mut unkeyed, mut unmarked_past) = (0, 0);
        for r in &reservations {
            let minutes = u64::from(r.run.minutes());
            if r.person_key.is_none() {
                unkeyed += 1;
            }
            if matches!(
                r.status,
                ReservationStatus::Pending | ReservationStatus::Confirmed
            ) && r.run.date() < today
            {
                unmarked_past += 1;
            }
            total.book(r, minutes);
            by_facility
                .entry(r.facility.clone())
                .or_default()
                .book(r, minutes);
            by_equipment
                .entry(r.run.equipment().clone())
                .or_insert_with(|| (r.facility.clone(), Usage::default()))
                .1
                .book(r, minutes);
            if let Some(i) = month_index(r.run.date()) {
                by_month[i].book(r, minutes);
            }
            by_weekday[r.run.date().weekday().index()].book(r, minutes);
            // Hours: the minutes in each hour; the booking counts once, in
            // the hour it starts.
            let mut hours = [0u64; 24];
            let start = r.run.start().minutes();
            spread_over_hours(&mut hours, start, start + (r.run.minutes() as u16));
            let start_hour = usize::from(start / 60).min(23);
            for (h, m) in hours.iter().enumerate() {
                if h == start_hour {
                    by_hour[h].book(r, if r.status.holds_slots() { *m } else { 0 });
                } else if r.status.holds_slots() {
                    by_hour[h].booked_minutes += m;
                }
            }
        }

        let facility_name = |id: &Id| {
            catalog
                .facility(id.as_str())
                .map(|f| f.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let row = |key: String, label: String, facility: Option<&Id>, mut usage: Usage| {
            usage.finish();
            UsageRow {
                key,
                label,
                facility: facility.map(facility_name),
                facility_id: facility.cloned(),
                usage,
            }
        };
        total.finish();
        let facilities = if matches!(scope, StaffScope::All) && facility.is_none() {
            // In catalog order, then any no longer listed.
            let mut rows = Vec::new();
            for f in &catalog.facilities {
                if let Some(u) = by_facility.remove(&f.id) {
                    rows.push(row(f.id.to_string(), f.name.clone(), None, u));
                }
            }
            for (id, u) in by_facility {
                rows.push(row(id.to_string(), facility_name(&id), None, u));
            }
            rows
        } else {
            Vec::new()
        };
        // Equipment in catalog order (by facility), then any no longer listed.
        let mut equipment = Vec::new();
        for e in &catalog.equipment {
            if let Some((f, u)) = by_equipment.remove(&e.id) {
                equipment.push(row(e.id.to_string(), e.name.clone(), Some(&f), u));
            }
        }
        for (id, (f, u)) in by_equipment {
            equipment.push(row(id.to_string(), id.to_string(), Some(&f), u));
        }
        let months_rows = months
            .iter()
            .zip(by_month)
            .map(|(m, u)| row(m.to_string(), m.korean(), None, u))
            .collect();
        let weekdays = Weekday::ALL
            .iter()
            .zip(by_weekday)
            .map(|(w, u)| row(w.key().to_owned(), format!("{}요일", w.korean()), None, u))
            .collect();
        let hours = by_hour
            .into_iter()
            .enumerate()
            .filter(|(_, u)| u.open_minutes > 0 || u.booked_minutes > 0 || u.bookings > 0)
            // "09~10시": the hour from 09:00 to 10:00, not the moment 9 o'clock.
            .map(|(h, u)| row(format!("{h:02}"), format!("{h:02}~{:02}시", h + 1), None, u))
            .collect();

        let programmes = self
            .programme_usage(catalog, facility.as_ref(), period)
            .await?;
        let surveys = self
            .survey_usage(catalog, scope, facility.as_ref(), period)
            .await?;
        Ok(UsageReport {
            period,
            first_day: first,
            last_day: last,
            today,
            includes_future: last >= today,
            facility,
            total,
            facilities,
            equipment,
            months: months_rows,
            weekdays,
            hours,
            programmes,
            surveys,
            unkeyed,
            unmarked_past,
        })
    }

    async fn programme_usage(
        &self,
        catalog: &Catalog,
        facility: Option<&Id>,
        period: Period,
    ) -> Result<Vec<ProgrammeUsage>> {
        let (first, last) = (period.first_day(), period.last_day());
        let in_period = |d: Date| first <= d && d <= last;
        let chosen: Vec<_> = catalog
            .programmes
            .iter()
            .filter(|p| facility.is_none_or(|f| *f == p.facility))
            .filter(|p| {
                if p.sessions.is_empty() {
                    in_period(p.apply_until)
                } else {
                    p.sessions.iter().any(|s| in_period(s.date))
                }
            })
            .collect();
        if chosen.is_empty() {
            return Ok(Vec::new());
        }
        let applications = self
            .store
            .applications(&ApplicationFilter {
                facility: facility.cloned(),
                kind: Some(TargetKind::Programme),
                ..Default::default()
            })
            .await?;
        Ok(chosen
            .into_iter()
            .map(|p| {
                let mine = applications.iter().filter(|a| a.target.id == p.id);
                let mut u = ProgrammeUsage {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    facility: catalog
                        .facility(p.facility.as_str())
                        .map(|f| f.name.clone())
                        .unwrap_or_else(|| p.facility.to_string()),
                    capacity: p.capacity,
                    applicants: 0,
                    enrolled: 0,
                    waitlisted: 0,
                    cancelled: 0,
                    rejected: 0,
                    attended: 0,
                    no_shows: 0,
                    fill_rate: None,
                    attendance_rate: None,
                };
                for a in mine {
                    u.applicants += 1;
                    if a.status.holds_seat() {
                        u.enrolled += 1;
                    }
                    match a.status {
                        ApplicationStatus::Waitlisted => u.waitlisted += 1,
                        ApplicationStatus::Cancelled => u.cancelled += 1,
                        ApplicationStatus::Rejected => u.rejected += 1,
                        ApplicationStatus::Attended => u.attended += 1,
                        ApplicationStatus::NoShow => u.no_shows += 1,
                        _ => {}
                    }
                }
                u.fill_rate = percent(f64::from(u.enrolled), f64::from(u.capacity));
                u.attendance_rate =
                    percent(f64::from(u.attended), f64::from(u.attended + u.no_shows));
                u
            })
            .collect())
    }

    async fn survey_usage(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        facility: Option<&Id>,
        period: Period,
    ) -> Result<Vec<SurveyUsage>> {
        let (first, last) = (period.first_day(), period.last_day());
        let mut out = Vec::new();
        for survey in &catalog.surveys {
            let responses: Vec<_> = self
                .store
                .survey_responses(&survey.id)
                .await?
                .into_iter()
                .filter(|r| scope.covers(r.facility.as_ref()))
                .filter(|r| facility.is_none_or(|f| r.facility.as_ref() == Some(f)))
                .filter(|r| {
                    let (d, _) = kst_parts(r.submitted_at);
                    first <= d && d <= last
                })
                .collect();
            let mut ratings = Vec::new();
            let mut comments = Vec::new();
            for q in &survey.questions {
                match &q.kind {
                    QuestionKind::Rating { scale } => {
                        let scores: Vec<u32> = responses
                            .iter()
                            .filter_map(|r| match r.answers.get(q.id.as_str()) {
                                Some(Answer::Rating(n)) => Some(u32::from(*n)),
                                _ => None,
                            })
                            .collect();
                        let sum: u32 = scores.iter().sum();
                        ratings.push(RatingAverage {
                            label: q.label.clone(),
                            scale: if *scale == 0 { 5 } else { *scale },
                            answered: scores.len(),
                            average: (!scores.is_empty()).then(|| {
                                (f64::from(sum) / scores.len() as f64 * 100.0).round() / 100.0
                            }),
                        });
                    }
                    QuestionKind::Text { .. } => {
                        comments.extend(responses.iter().filter_map(|r| {
                            match r.answers.get(q.id.as_str()) {
                                Some(Answer::Text(t)) if !t.trim().is_empty() => {
                                    Some((r.submitted_at, t.clone()))
                                }
                                _ => None,
                            }
                        }));
                    }
                    QuestionKind::Choice { .. } => {}
                }
            }
            comments.sort_by_key(|c| std::cmp::Reverse(c.0));
            out.push(SurveyUsage {
                id: survey.id.clone(),
                title: survey.title.clone(),
                responses: responses.len(),
                ratings,
                comments: comments
                    .into_iter()
                    .take(MAX_COMMENTS)
                    .map(|(_, t)| t)
                    .collect(),
            });
        }
        Ok(out)
    }

    /// The city-wide aggregate of one month as open data: one row per
    /// facility × equipment, no personal data. A row's booking figures are
    /// left blank when fewer than [`OPEN_DATA_MIN_USERS`] distinct people
    /// booked (and there were bookings), so that nobody can be told apart;
    /// there is no total row, which would give the blanks away. Only a
    /// month that has ended (Korea time): an unfinished month's figures
    /// would change after publication.
    pub async fn usage_open_data(&self, catalog: &Catalog, month: Month) -> Result<String> {
        let today = self.now().date;
        if month.last() >= today {
            return Err(Error::Config(format!(
                "{month} has not ended yet (today is {today}): publish a month after its last day"
            )));
        }
        let report = self
            .usage_report(
                catalog,
                &StaffScope::All,
                None,
                Period {
                    from: month,
                    to: month,
                },
            )
            .await?;
        Ok(usage_open_data_csv(month, &report))
    }
}

fn opt_percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}")).unwrap_or_default()
}

/// See [`Service::usage_open_data`].
pub fn usage_open_data_csv(month: Month, report: &UsageReport) -> String {
    let header = [
        "month",
        "facility",
        "facility_name",
        "equipment",
        "equipment_name",
        "open_hours",
        "booked_hours",
        "utilisation_percent",
        "bookings",
        "cancellations",
        "cancelled_by_applicant",
        "cancelled_by_staff",
        "cancelled_for_closure",
        "cancelled_unrecorded",
        "no_shows",
        "users",
        "suppressed",
    ];
    csv(
        &header,
        report.equipment.iter().map(|row| {
            let u = &row.usage;
            let facility = row
                .facility_id
                .as_ref()
                .map(Id::to_string)
                .unwrap_or_default();
            let hidden = u.bookings > 0 && u.users < OPEN_DATA_MIN_USERS;
            let shown = |s: String| if hidden { String::new() } else { s };
            vec![
                month.to_string(),
                facility,
                row.facility.clone().unwrap_or_default(),
                row.key.clone(),
                row.label.clone(),
                u.open_hours.clone(),
                shown(u.booked_hours.clone()),
                shown(opt_percent(u.utilisation)),
                shown(u.bookings.to_string()),
                shown(u.cancellations.to_string()),
                shown(u.cancelled_by_applicant.to_string()),
                shown(u.cancelled_by_staff.to_string()),
                shown(u.cancelled_for_closure.to_string()),
                shown(u.cancelled_unrecorded.to_string()),
                shown(u.no_shows.to_string()),
                shown(u.users.to_string()),
                if hidden { "true" } else { "false" }.to_owned(),
            ]
        }),
    )
}

/// The tables of the report page, each downloadable as CSV.
pub const REPORT_TABLES: &[&str] = &[
    "total",
    "equipment",
    "facilities",
    "months",
    "weekdays",
    "hours",
    "programmes",
    "surveys",
];

fn usage_header(first: &'static str) -> Vec<&'static str> {
    vec![
        first,
        "운영 시간(시간)",
        "예약된 시간(시간)",
        "이용률(%)",
        "예약 건수",
        "취소",
        "신청자 취소",
        "담당자 취소",
        "휴관·사용 중지로 취소",
        "취소(기록 없음)",
        "반려",
        "이용 완료",
        "예약 부도",
        "예약 부도율(%)",
        "이용자 수",
    ]
}

fn usage_cells(u: &Usage) -> Vec<String> {
    vec![
        u.open_hours.clone(),
        u.booked_hours.clone(),
        opt_percent(u.utilisation),
        u.bookings.to_string(),
        u.cancellations.to_string(),
        u.cancelled_by_applicant.to_string(),
        u.cancelled_by_staff.to_string(),
        u.cancelled_for_closure.to_string(),
        u.cancelled_unrecorded.to_string(),
        u.rejections.to_string(),
        u.attended.to_string(),
        u.no_shows.to_string(),
        opt_percent(u.no_show_rate),
        u.users.to_string(),
    ]
}

/// One table of the report as CSV (UTF-8 with BOM, formula-safe, Korean
/// headers); `None` for an unknown table.
pub fn report_csv(report: &UsageReport, table: &str) -> Option<String> {
    let rows = |first: &'static str, rows: &[UsageRow]| {
        csv(
            &usage_header(first),
            rows.iter().map(|r| {
                let mut cells = vec![r.label.clone()];
                cells.extend(usage_cells(&r.usage));
                cells
            }),
        )
    };
    Some(match table {
        "equipment" => {
            let mut h = vec!["장비ID", "장비", "시설"];
            h.extend(usage_header("").into_iter().skip(1));
            csv(
                &h,
                report.equipment.iter().map(|r| {
                    let mut cells = vec![
                        r.key.clone(),
                        r.label.clone(),
                        r.facility.clone().unwrap_or_default(),
                    ];
                    cells.extend(usage_cells(&r.usage));
                    cells
                }),
            )
        }
        "total" => {
            let mut h = usage_header("기간");
            h.push("처리하지 않은 지난 예약");
            let mut cells = vec![format!("{} ~ {}", report.first_day, report.last_day)];
            cells.extend(usage_cells(&report.total));
            cells.push(report.unmarked_past.to_string());
            csv(&h, std::iter::once(cells))
        }
        "facilities" => rows("시설", &report.facilities),
        "months" => rows("달", &report.months),
        "weekdays" => rows("요일", &report.weekdays),
        "hours" => rows("시간대", &report.hours),
        "programmes" => csv(
            &[
                "교육ID",
                "교육",
                "시설",
                "정원",
                "신청",
                "수강 확정",
                "충원율(%)",
                "대기",
                "취소",
                "미선정",
                "수료",
                "불참",
                "출석률(%)",
            ],
            report.programmes.iter().map(|p| {
                vec![
                    p.id.to_string(),
                    p.title.clone(),
                    p.facility.clone(),
                    p.capacity.to_string(),
                    p.applicants.to_string(),
                    p.enrolled.to_string(),
                    opt_percent(p.fill_rate),
                    p.waitlisted.to_string(),
                    p.cancelled.to_string(),
                    p.rejected.to_string(),
                    p.attended.to_string(),
                    p.no_shows.to_string(),
                    opt_percent(p.attendance_rate),
                ]
            }),
        ),
        "surveys" => csv(
            &[
                "설문ID",
                "설문",
                "응답 수",
                "문항",
                "응답",
                "평균 점수",
                "만점",
            ],
            report.surveys.iter().flat_map(|s| {
                s.ratings.iter().map(move |q| {
                    vec![
                        s.id.to_string(),
                        s.title.clone(),
                        s.responses.to_string(),
                        q.label.clone(),
                        q.answered.to_string(),
                        q.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
                        q.scale.to_string(),
                    ]
                })
            }),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn months_parse_and_step() {
        let m: Month = "2026-12".parse().unwrap();
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.last(), d("2026-12-31"));
        assert_eq!("2028-02".parse::<Month>().unwrap().last(), d("2028-02-29"));
        assert_eq!(
            "2026-01".parse::<Month>().unwrap().previous().to_string(),
            "2025-12"
        );
        for bad in [
            "2026-13", "2026-1", "26-01", "2026/01", "", "abcd-ef", "2026-00",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn periods_default_to_the_last_full_month_and_this_one() {
        let p = Period::parse(None, Some(" "), d("2026-01-15")).unwrap();
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2025-12".into(), "2026-01".into())
        );
        assert_eq!(
            (p.first_day(), p.last_day()),
            (d("2025-12-01"), d("2026-01-31"))
        );
        let one = Period::parse(Some("2026-10"), None, d("2026-01-15")).unwrap();
        assert_eq!(one.months().len(), 1);
        assert!(Period::parse(Some("2026-10"), Some("2026-09"), d("2026-01-15")).is_err());
        assert!(Period::parse(Some("2024-01"), Some("2025-12"), d("2026-01-15")).is_ok());
        assert!(Period::parse(Some("2024-01"), Some("2026-01"), d("2026-01-15")).is_err());
        assert!(Period::parse(Some("=1+1"), None, d("2026-01-15")).is_err());
    }

    #[test]
    fn minutes_spread_over_the_hours_they_fall_in() {
        let mut h = [0u64; 24];
        spread_over_hours(&mut h, 9 * 60 + 30, 11 * 60);
        assert_eq!((h[9], h[10], h[11]), (30, 60, 0));
        spread_over_hours(&mut h, 23 * 60, 24 * 60);
        assert_eq!(h[23], 60);
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(20), "0.3");
    }
}
