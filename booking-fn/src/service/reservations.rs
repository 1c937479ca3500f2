//! Equipment reservations: availability, booking, viewing, cancelling.

use jiff::SignedDuration;
use sbiz_catalog::{Catalog, Date, Equipment, Id, TimeOfDay};
use serde::Serialize;

use super::{Applicant, CODE_ATTEMPTS, Now, Proof, Service};
use crate::domain::rules::{self, DayState};
use crate::domain::{
    CancelledBy, IdempotencyRequest, ManageToken, Reservation, ReservationCode, ReservationStatus,
    SlotRun, Window, kst_instant, kst_parts,
};
use crate::store::{Created, NewReservation, Reschedule, StatusChange, WeeklyQuota};
use crate::{Code, Error, Msg, Result};

/// A booking request: the run of slots (of one piece of equipment) and who
/// books it.
#[derive(Debug, Clone)]
pub struct Reserve {
    pub run: SlotRun,
    pub applicant: Applicant,
}

/// A reservation and the proof that the asker holds it.
#[derive(Debug, Clone)]
pub struct ReservationRef {
    pub code: ReservationCode,
    pub proof: Proof,
}

/// How long after a booking the same booking sent again without an
/// idempotency key counts as a repeat of it, not as a clash.
pub const REPEAT_MINUTES: i64 = 10;

/// What a reservation request ended in.
#[derive(Debug)]
pub enum Reserved {
    /// A new reservation, or the one an earlier request with the same
    /// idempotency key made (`replayed`), with its management token.
    Made(Created<Reservation>),
    /// The same booking by the same person sent again without an
    /// idempotency key: the reservation the first request made. Its token
    /// went only to the first answer; the person finds the reservation by
    /// its code and phone number (예약 조회).
    Repeat(Reservation),
}

/// Longest range of days one availability request may cover.
pub const MAX_AVAILABILITY_DAYS: i32 = 62;

#[derive(Debug, Clone, Serialize)]
pub struct Availability {
    pub equipment: Id,
    pub slot_minutes: u16,
    pub min_slots: u16,
    pub max_slots: u16,
    pub days: Vec<DayAvailability>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayAvailability {
    pub date: Date,
    /// open, holiday, closed, too_soon, too_far
    pub state: &'static str,
    /// When staff closed the day (임시 휴관, 장비 사용 중지): what people
    /// read, e.g. `장비 사용 중지(고장)` (in JSON, the Korean text);
    /// every slot is then not free.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closure: Option<crate::domain::ClosureNotice>,
    pub slots: Vec<SlotAvailability>,
}

impl DayAvailability {
    /// The starts from which `count` slots are free one after another (each
    /// ends where the next begins: no break between them), in order: where
    /// a booking of `count` slots can begin on this day, by the same `free`
    /// the day's slots say. None on a day that is not open or that staff
    /// closed (its slots are not free).
    pub fn free_starts(&self, count: u16) -> Vec<TimeOfDay> {
        let count = usize::from(count.max(1));
        self.slots
            .windows(count)
            .filter(|run| {
                run.iter().all(|s| s.free) && run.windows(2).all(|w| w[0].end == w[1].start)
            })
            .map(|run| run[0].start)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SlotAvailability {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub free: bool,
}

pub(crate) fn equipment<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Equipment> {
    catalog
        .equipment(id)
        .ok_or_else(|| Error::rejected(Code::NotFound, Msg::EquipmentNotFound))
}

/// What a reference to a reservation that is not there (or not the asker's)
/// answers: a wrong token or phone looks exactly like an unknown code.
pub(crate) fn reservation_not_found() -> Error {
    Error::rejected(Code::NotFound, Msg::ReservationNotFoundCheck)
}

/// Finds the reservation and checks the token or the phone number.
async fn held_reservation(svc: &Service, r: &ReservationRef) -> Result<Reservation> {
    let code = r.code;
    match &r.proof {
        Proof::Token(token) => {
            let found = svc.store.reservation(&code).await?;
            found
                .filter(|found| found.token_hash.matches(token))
                .ok_or_else(reservation_not_found)
        }
        Proof::Phone(phone) => {
            // A phone number is easy to guess for someone who has a code:
            // wrong ones are counted per code (in the store, shared by every
            // instance), and past the limit every attempt on that code is
            // refused, the right number too, until the window ends.
            let window = Window::containing(svc.now().at, PHONE_ATTEMPT_MINUTES);
            let counter = format!("lookup:{}", code.compact());
            let key = phone
                .as_ref()
                .map(|p| crate::domain::PersonKey::of(&svc.secret, p));
            let found = svc.store.reservation(&code).await?;
            match found {
                Some(r) if key.is_some() && r.person_key == key => {
                    let failed = svc
                        .store
                        .count_attempt(&counter, window.start, window.end, 0)
                        .await?;
                    if failed >= PHONE_ATTEMPTS {
                        return Err(too_many_attempts(window));
                    }
                    Ok(r)
                }
                // An unknown code counts like a wrong phone number, so the
                // two cannot be told apart.
                _ => {
                    let failed = svc
                        .store
                        .count_attempt(&counter, window.start, window.end, 1)
                        .await?;
                    if failed > PHONE_ATTEMPTS {
                        tracing::info!(code = %code, "phone lookups locked");
                        Err(too_many_attempts(window))
                    } else {
                        Err(reservation_not_found())
                    }
                }
            }
        }
    }
}

/// Wrong phone numbers allowed per reservation code and window (예약 조회
/// and cancelling by phone); then every attempt on the code is refused
/// (`too_many_attempts`) until the window ends.
pub const PHONE_ATTEMPTS: u32 = 5;
/// The length of those windows.
pub const PHONE_ATTEMPT_MINUTES: i64 = 15;

fn too_many_attempts(window: Window) -> Error {
    let (_, until) = kst_parts(window.end);
    Error::rejected(Code::TooManyAttempts, Msg::LookupLocked(until))
}

/// The instant until which a reservation may be cancelled by its holder.
pub fn cancel_until(equipment: &Equipment, r: &Reservation) -> jiff::Timestamp {
    let start = kst_instant(r.run.date(), r.run.start());
    let before = SignedDuration::from_hours(i64::from(equipment.rules.cancel_hours_before));
    start.saturating_sub(before).unwrap_or(start)
}

impl Service {
    pub async fn availability(
        &self,
        catalog: &Catalog,
        equipment_id: &str,
        from: Date,
        to: Date,
    ) -> Result<Availability> {
        let eq = equipment(catalog, equipment_id)?;
        let days = from.days_until(to);
        if days < 0 {
            return Err(Error::field("to", Msg::EndBeforeStart));
        }
        if days >= MAX_AVAILABILITY_DAYS {
            return Err(Error::field(
                "to",
                Msg::AvailabilityDays(MAX_AVAILABILITY_DAYS),
            ));
        }
        let now = self.now();
        let taken = self.store.taken_slots(&eq.id, from, to).await?;
        let closures = self.closures_of(eq, from, to).await?;
        let mut out = Vec::new();
        for i in 0..=days {
            let day = from.add_days(i);
            let state = rules::day_state(catalog, &eq.rules, day, now.date);
            let closure = closures
                .iter()
                .find(|c| c.covers(&eq.facility, &eq.id, day));
            let slots = if state == DayState::Open {
                eq.rules
                    .slots_on(day.weekday())
                    .into_iter()
                    .map(|s| {
                        let past = day == now.date && s.start <= now.time;
                        let held = taken.iter().any(|t| t.date == day && t.start == s.start);
                        SlotAvailability {
                            start: s.start,
                            end: s.end,
                            free: !past && !held && closure.is_none(),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            out.push(DayAvailability {
                date: day,
                state: state.as_str(),
                closure: closure.map(crate::domain::ClosureNotice::of),
                slots,
            });
        }
        Ok(Availability {
            equipment: eq.id.clone(),
            slot_minutes: eq.rules.slot_minutes,
            min_slots: eq.rules.min_slots,
            max_slots: rules::max_slots(&eq.rules),
            days: out,
        })
    }

    /// Books a run of slots.
    pub async fn reserve(&self, catalog: &Catalog, request: Reserve) -> Result<Reserved> {
        let now = self.now();
        let Reserve { run, applicant } = request;
        let eq = equipment(catalog, run.equipment().as_str())?;
        let Applicant {
            person,
            idempotency: key,
            lang,
        } = applicant;
        let consent = Applicant::consent(catalog, &now);
        rules::check_run(catalog, eq, &run, now.date, now.time)?;
        // A closure is checked again by the store, atomically with the
        // booking; this answers early with what closed the day.
        let closed = self
            .closures_of(eq, run.date(), run.date())
            .await?
            .into_iter()
            .find(|c| c.covers(&eq.facility, &eq.id, run.date()));
        if let Some(c) = &closed {
            return Err(super::closed_error(Some(c)));
        }
        let person_key = person.key(&self.secret);
        let history = self.store.person_history(&person_key).await?;
        if let Some(until) =
            rules::blocked_until(&catalog.booking.no_show, &history.no_show_dates, now.date)
        {
            return Err(Error::rejected(
                Code::NoShowBlocked,
                Msg::NoShowReservations(until),
            ));
        }
        let (status, training_check) =
            rules::initial_status(&eq.rules, &history.attended_programmes);
        let quota = eq.rules.weekly_quota_hours.map(|h| WeeklyQuota {
            week_start: run.date().week_start(),
            limit_minutes: u32::from(h) * 60,
        });
        // Everything the reservation stores from the request.
        let idempotency = key
            .map(|k| {
                IdempotencyRequest::of(
                    &self.secret,
                    &k,
                    "reservation",
                    &(&run, &person, &consent.version),
                )
            })
            .transpose()
            .map_err(|_| Error::new(Code::Internal))?;
        let purge_after = run
            .date()
            .add_days(i32::from(catalog.booking.retention_days));
        let mut last = Error::new(Code::DuplicateCode);
        for _ in 0..CODE_ATTEMPTS {
            let token = ManageToken::generate();
            let reservation = Reservation {
                code: ReservationCode::generate(),
                token_hash: token.hash(),
                facility: eq.facility.clone(),
                run: run.clone(),
                status,
                training_check,
                person: Some(person.clone()),
                person_key: Some(person_key.clone()),
                consent: consent.clone(),
                created_at: now.at,
                updated_at: now.at,
                lang,
                purge_after,
                taken_by_staff: None,
                cancelled_by: None,
            };
            let messages = super::notify::reservation_made(
                catalog,
                &self.secret,
                &reservation,
                &token,
                now.at,
            );
            let new = NewReservation {
                reservation,
                token,
                quota,
                idempotency: idempotency.clone(),
                messages,
            };
            match self.store.create_reservation(new).await {
                Err(e) if e.is(Code::DuplicateCode) => last = e,
                Err(e) if e.is(Code::Closed) => {
                    // Closed between the check above and the booking.
                    let c = self.closures_of(eq, run.date(), run.date()).await?;
                    return Err(super::closed_error(
                        c.iter()
                            .find(|c| c.covers(&eq.facility, &eq.id, run.date())),
                    ));
                }
                Err(e) if e.is(Code::SlotTaken) && idempotency.is_none() => {
                    return match self.repeated_booking(&run, &person, &now).await? {
                        Some(r) => Ok(Reserved::Repeat(r)),
                        None => Err(e),
                    };
                }
                Err(e) if e.is(Code::QuotaExceeded) => {
                    let hours = eq.rules.weekly_quota_hours.unwrap_or(0);
                    return Err(Error::rejected(
                        Code::QuotaExceeded,
                        Msg::WeeklyQuota(hours),
                    ));
                }
                other => {
                    if let Ok(c) = &other {
                        tracing::info!(
                            code = %c.record.code, equipment = %eq.id, status = c.record.status.as_str(),
                            replayed = c.replayed, "reservation"
                        );
                    }
                    return other.and_then(|c| {
                        super::check_replayed_token(c.replayed, &c.record.token_hash, &c.token)?;
                        Ok(Reserved::Made(c))
                    });
                }
            }
        }
        Err(last)
    }

    /// The reservation this person made for exactly this run in the last
    /// [`REPEAT_MINUTES`], with exactly these personal fields: what a second
    /// post of the same form (a double click, with JavaScript off and so
    /// without an idempotency key) finds in its slot.
    async fn repeated_booking(
        &self,
        run: &SlotRun,
        person: &crate::domain::Person,
        now: &Now,
    ) -> Result<Option<Reservation>> {
        let filter = crate::store::ReservationFilter {
            equipment: Some(run.equipment().clone()),
            from: Some(run.date()),
            to: Some(run.date()),
            ..Default::default()
        };
        let since = now
            .at
            .checked_sub(SignedDuration::from_mins(REPEAT_MINUTES))
            .unwrap_or(now.at);
        let key = person.key(&self.secret);
        Ok(self
            .store
            .reservations(&filter)
            .await?
            .into_iter()
            .find(|r| {
                r.run == *run
                    && r.status.holds_slots()
                    && r.created_at >= since
                    && r.person_key.as_ref() == Some(&key)
                    && r.person.as_ref() == Some(person)
            }))
    }

    /// The reservation for its holder (management token or phone number).
    pub async fn reservation(&self, r: &ReservationRef) -> Result<Reservation> {
        held_reservation(self, r).await
    }

    /// Cancels on the holder's request (token or phone), until the deadline.
    pub async fn cancel_reservation(
        &self,
        catalog: &Catalog,
        r: &ReservationRef,
    ) -> Result<Reservation> {
        let r = held_reservation(self, r).await?;
        self.cancel_held_reservation(catalog, r).await
    }

    /// Cancels a reservation whose holder was checked (management link,
    /// phone number, or 내 예약·신청), with the holder's rules: its status,
    /// then the deadline.
    pub(crate) async fn cancel_held_reservation(
        &self,
        catalog: &Catalog,
        r: Reservation,
    ) -> Result<Reservation> {
        let now = self.now();
        if !matches!(
            r.status,
            ReservationStatus::Pending | ReservationStatus::Confirmed
        ) {
            return Err(Error::rejected(
                Code::InvalidStatus,
                Msg::ReservationNotCancellable(r.status),
            ));
        }
        if let Some(eq) = catalog.equipment(r.run.equipment().as_str())
            && now.at > cancel_until(eq, &r)
        {
            return Err(Error::rejected(
                Code::CancelDeadlinePassed,
                Msg::CancelHours(eq.rules.cancel_hours_before),
            ));
        }
        let to = ReservationStatus::Cancelled;
        let change = StatusChange {
            messages: super::notify::reservation_changed(catalog, &r, to, false, "", now.at),
            cancel_queued: true,
            cancelled_by: Some(CancelledBy::Applicant),
            ..StatusChange::new(
                vec![ReservationStatus::Pending, ReservationStatus::Confirmed],
                to,
                now.at,
            )
        };
        let out = self.store.set_reservation_status(&r.code, change).await?;
        tracing::info!(code = %out.code, "reservation cancelled");
        Ok(out)
    }
}

impl Service {
    /// 예약 변경 on the holder's request (management link or phone), until
    /// the cancel deadline: the same rules as a new booking for the new
    /// time, the weekly quota of its week, and free slots.
    pub async fn reschedule_reservation(
        &self,
        catalog: &Catalog,
        r: &ReservationRef,
        to: SlotRun,
    ) -> Result<Reservation> {
        let held = held_reservation(self, r).await?;
        let token = match &r.proof {
            Proof::Token(t) => Some(t),
            Proof::Phone(_) => None,
        };
        self.move_reservation(catalog, held, to, token, false).await
    }

    /// One reservation for staff, if it is in their scope (else
    /// `not_found`).
    pub async fn staff_reservation(
        &self,
        scope: &super::StaffScope,
        code: &str,
    ) -> Result<Reservation> {
        let not_found = || Error::rejected(Code::NotFound, Msg::ReservationNotFound);
        let code: ReservationCode = code.parse().map_err(|_| not_found())?;
        self.store
            .reservation(&code)
            .await?
            .filter(|r| scope.covers(Some(&r.facility)))
            .ok_or_else(not_found)
    }

    /// 예약 변경 by staff (the person asked by phone or at the desk): the
    /// rules, quota and free slots as for the holder, but not the cancel
    /// deadline. A reservation outside the staff member's scope is not
    /// found.
    pub async fn staff_reschedule_reservation(
        &self,
        catalog: &Catalog,
        scope: &super::StaffScope,
        code: &str,
        to: SlotRun,
    ) -> Result<Reservation> {
        let not_found = || Error::rejected(Code::NotFound, Msg::ReservationNotFound);
        let code: ReservationCode = code.parse().map_err(|_| not_found())?;
        let r = self.store.reservation(&code).await?.ok_or_else(not_found)?;
        if !scope.covers(Some(&r.facility)) {
            return Err(not_found());
        }
        self.move_reservation(catalog, r, to, None, true).await
    }

    /// Moves a reservation whose holder was checked (or by staff, who are
    /// not held to the cancel deadline) to `to`, keeping its code.
    pub(crate) async fn move_reservation(
        &self,
        catalog: &Catalog,
        r: Reservation,
        to: SlotRun,
        token: Option<&ManageToken>,
        by_staff: bool,
    ) -> Result<Reservation> {
        let now = self.now();
        if !matches!(
            r.status,
            ReservationStatus::Pending | ReservationStatus::Confirmed
        ) {
            return Err(Error::rejected(
                Code::InvalidStatus,
                Msg::ReservationNotMovable(r.status),
            ));
        }
        let eq = equipment(catalog, r.run.equipment().as_str())?;
        if !by_staff && now.at > cancel_until(eq, &r) {
            return Err(Error::rejected(
                Code::CancelDeadlinePassed,
                Msg::MoveHours(eq.rules.cancel_hours_before),
            ));
        }
        if to == r.run {
            return Err(Error::field("start", Msg::SameTime));
        }
        rules::check_run(catalog, eq, &to, now.date, now.time)?;
        let quota = eq.rules.weekly_quota_hours.map(|h| WeeklyQuota {
            week_start: to.date().week_start(),
            limit_minutes: u32::from(h) * 60,
        });
        let mut moved = r.clone();
        moved.run = to.clone();
        let messages =
            super::notify::reservation_rescheduled(catalog, &self.secret, &moved, token, now.at);
        let mv = Reschedule {
            to,
            from: vec![ReservationStatus::Pending, ReservationStatus::Confirmed],
            quota,
            at: now.at,
            messages,
        };
        match self.store.reschedule_reservation(&r.code, mv).await {
            Err(e) if e.is(Code::QuotaExceeded) => {
                let hours = eq.rules.weekly_quota_hours.unwrap_or(0);
                Err(Error::rejected(
                    Code::QuotaExceeded,
                    Msg::WeeklyQuota(hours),
                ))
            }
            Err(e) if e.is(Code::SlotTaken) => {
                Err(Error::rejected(Code::SlotTaken, Msg::SlotTakenChosen))
            }
            other => {
                if let Ok(m) = &other {
                    tracing::info!(code = %m.code, by_staff, "reservation moved");
                }
                other
            }
        }
    }
}

impl Now {
    pub fn is_after(&self, date: Date, time: TimeOfDay) -> bool {
        self.at >= kst_instant(date, time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(slots: &[(&str, &str, bool)]) -> DayAvailability {
        let t = |s: &str| s.parse::<TimeOfDay>().expect("time");
        DayAvailability {
            date: "2026-03-05".parse().expect("date"),
            state: "open",
            closure: None,
            slots: slots
                .iter()
                .map(|(start, end, free)| SlotAvailability {
                    start: t(start),
                    end: t(end),
                    free: *free,
                })
                .collect(),
        }
    }

    #[test]
    fn free_starts_need_the_whole_run_free_and_unbroken() {
        let d = day(&[
            ("09:00", "10:00", true),
            ("10:00", "11:00", true),
            ("11:00", "12:00", true),
            // The lunch break: 12:00~13:00 is no slot.
            ("13:00", "14:00", true),
            ("14:00", "15:00", false),
            ("15:00", "16:00", true),
        ]);
        let shown = |count| {
            d.free_starts(count)
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(1), ["09:00", "10:00", "11:00", "13:00", "15:00"]);
        assert_eq!(shown(2), ["09:00", "10:00"]);
        assert_eq!(shown(3), ["09:00"]);
        assert!(shown(4).is_empty());
        assert!(day(&[]).free_starts(1).is_empty());
    }
}
