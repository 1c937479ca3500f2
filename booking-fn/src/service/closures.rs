//! Closures by staff (임시 휴관 of a facility, 장비 사용 중지 of one piece
//! of equipment): stored, so availability and booking see them at once,
//! without a rebuild. Bookings already inside a closure stay until staff
//! cancel them, all at once, through the ordinary staff cancellation (the
//! person is told why, and the reminders are cancelled).

use sbiz_catalog::{Catalog, Date, Equipment, Id, Lang};
use serde::Serialize;

use super::{STAFF_NOTE_LABEL_EN, Service, StaffMember, StaffScope};
use crate::domain::{
    CancelledBy, Closure, ClosureNotice, ClosureReason, MAX_CLOSURE_DAYS, Reservation,
    ReservationStatus,
};
use crate::store::ReservationFilter;
use crate::{Code, Error, Msg, Result};

/// What staff fill in to close something.
#[derive(Debug, Clone)]
pub struct NewClosure {
    pub facility: Id,
    /// `None`: the whole facility (임시 휴관).
    pub equipment: Option<Id>,
    pub from: Date,
    pub to: Date,
    pub reason: ClosureReason,
    /// At most [`CLOSURE_NOTE_CHARS`] characters; may be empty.
    pub note: String,
}

/// Longest note staff may add to a closure's reason (it goes into the
/// cancellation message with the term and the reason).
pub const CLOSURE_NOTE_CHARS: usize = 40;

/// A closure with the live bookings (승인 대기, 확정) that fall inside it.
#[derive(Debug, Clone, Serialize)]
pub struct ClosureWithBookings {
    pub closure: Closure,
    pub bookings: Vec<Reservation>,
}

/// The reason a person reads in the cancellation message, e.g.
/// `장비 사용 중지(고장: 모터 교체)`.
pub fn closure_reason_text(c: &Closure) -> String {
    closure_reason_in(c, Lang::Ko)
}

/// [`closure_reason_text`] in the language of the reservation's messages:
/// in English, the kind and the reason in English
/// ([`ClosureNotice::english`]) with the staff's note after it, as typed
/// and labelled as Korean: `equipment out of service (breakdown). Note from
/// the support center (in Korean): 모터 교체`.
pub fn closure_reason_in(c: &Closure, lang: Lang) -> String {
    let notice = ClosureNotice::of(c);
    match (lang, notice.note()) {
        (Lang::Ko, _) => notice.korean(),
        (Lang::En, None) => notice.english(),
        (Lang::En, Some(note)) => {
            format!("{}. {STAFF_NOTE_LABEL_EN} {note}", notice.english())
        }
    }
}

/// What a booking into a closed day answers.
pub(crate) fn closed_error(c: Option<&Closure>) -> Error {
    match c {
        Some(c) => Error::rejected(
            Code::Closed,
            Msg::Closed {
                from: c.from,
                to: c.to,
                notice: ClosureNotice::of(c),
            },
        ),
        None => Error::new(Code::Closed),
    }
}

fn not_found() -> Error {
    Error::with_message(
        Code::NotFound,
        "해당 휴관·사용 중지 기록을 찾을 수 없습니다.",
    )
}

impl Service {
    /// The closures covering `eq` on any day of `from..=to`.
    pub(crate) async fn closures_of(
        &self,
        eq: &Equipment,
        from: Date,
        to: Date,
    ) -> Result<Vec<Closure>> {
        Ok(self
            .store
            .closures(Some(&eq.facility), from)
            .await?
            .into_iter()
            .filter(|c| c.from <= to && c.equipment.as_ref().is_none_or(|e| *e == eq.id))
            .collect())
    }

    /// Staff close a piece of equipment or a whole facility of their scope.
    pub async fn staff_create_closure(
        &self,
        catalog: &Catalog,
        staff: &StaffMember,
        new: NewClosure,
    ) -> Result<Closure> {
        let facility = catalog
            .facility(new.facility.as_str())
            .filter(|f| staff.scope.covers(Some(&f.id)))
            .ok_or_else(|| Error::staff_field("facility", "담당 시설을 골라 주세요."))?;
        if let Some(e) = &new.equipment {
            let eq = catalog
                .equipment(e.as_str())
                .filter(|eq| eq.facility == facility.id)
                .ok_or_else(|| Error::staff_field("equipment", "이 시설의 장비를 골라 주세요."))?;
            let _ = eq;
        }
        let today = self.now().date;
        if new.to < new.from {
            return Err(Error::field("to", crate::Msg::EndBeforeStart));
        }
        if new.to < today {
            return Err(Error::staff_field(
                "to",
                "이미 지난 기간은 닫을 수 없습니다.",
            ));
        }
        if new.from.days_until(new.to) >= MAX_CLOSURE_DAYS {
            return Err(Error::staff_field(
                "to",
                format!(
                    "한 번에 {MAX_CLOSURE_DAYS}일까지 닫을 수 있습니다. 더 길면 나누어 등록해 주세요."
                ),
            ));
        }
        let note = new.note.split_whitespace().collect::<Vec<_>>().join(" ");
        if note.chars().count() > CLOSURE_NOTE_CHARS {
            return Err(Error::staff_field(
                "note",
                format!("설명은 {CLOSURE_NOTE_CHARS}자까지 적을 수 있습니다."),
            ));
        }
        crate::domain::check_text(&note).map_err(|e| Error::field("note", e.0))?;
        let closure = Closure {
            id: Closure::new_id(),
            facility: facility.id.clone(),
            equipment: new.equipment,
            from: new.from,
            to: new.to,
            reason: new.reason,
            note,
            staff: staff.label.clone(),
            created_at: self.now().at,
        };
        self.store.create_closure(closure.clone()).await?;
        tracing::info!(closure = %closure.id, facility = %closure.facility, "staff closed");
        self.audit(
            staff,
            "closure_create",
            &closure.id,
            &format!(
                "{} {}~{} {}",
                closure.equipment.as_ref().map_or_else(
                    || format!("facility={}", closure.facility),
                    |e| format!("equipment={e}")
                ),
                closure.from,
                closure.to,
                closure.reason.as_str()
            ),
        )
        .await;
        Ok(closure)
    }

    /// The current and future closures of the scope, each with its live
    /// bookings.
    pub async fn staff_closures(&self, staff: &StaffScope) -> Result<Vec<ClosureWithBookings>> {
        let facility = match staff {
            StaffScope::All => None,
            StaffScope::Facility(f) => Some(f),
        };
        let today = self.now().date;
        let mut out = Vec::new();
        for closure in self.store.closures(facility, today).await? {
            let bookings = self.bookings_in(&closure).await?;
            out.push(ClosureWithBookings { closure, bookings });
        }
        Ok(out)
    }

    async fn bookings_in(&self, c: &Closure) -> Result<Vec<Reservation>> {
        let filter = ReservationFilter {
            facility: Some(c.facility.clone()),
            equipment: c.equipment.clone(),
            from: Some(c.from),
            to: Some(c.to),
            ..Default::default()
        };
        Ok(self
            .store
            .reservations(&filter)
            .await?
            .into_iter()
            .filter(|r| r.status.holds_slots())
            .collect())
    }

    async fn scoped_closure(&self, scope: &StaffScope, id: &str) -> Result<Closure> {
        // Past closures are not listed and cannot be acted on.
        let today = self.now().date;
        self.store
            .closures(None, today)
            .await?
            .into_iter()
            .find(|c| c.id == id && scope.covers(Some(&c.facility)))
            .ok_or_else(not_found)
    }

    /// Staff remove a closure: its days open again at once (unless another
    /// closure covers them). Bookings cancelled because of it stay
    /// cancelled.
    pub async fn staff_remove_closure(&self, staff: &StaffMember, id: &str) -> Result<Closure> {
        let c = self.scoped_closure(&staff.scope, id).await?;
        let removed = self.store.remove_closure(&c.id).await?;
        tracing::info!(closure = %removed.id, "staff removed a closure");
        self.audit(staff, "closure_remove", &removed.id, "").await;
        Ok(removed)
    }

    /// Cancels every live booking inside the closure, each through the
    /// staff cancellation with the closure's reason (the person gets the
    /// 시설 사정 cancellation message; reminders are cancelled). Bookings
    /// changed meanwhile (cancelled by their holder) are skipped. Returns
    /// the cancelled ones.
    pub async fn staff_cancel_closed(
        &self,
        catalog: &Catalog,
        staff: &StaffMember,
        id: &str,
    ) -> Result<Vec<Reservation>> {
        let c = self.scoped_closure(&staff.scope, id).await?;
        let mut done = Vec::new();
        for r in self.bookings_in(&c).await? {
            // Each person reads the reason in their reservation's language.
            match self
                .set_reservation_status_with(
                    catalog,
                    &staff.scope,
                    &r.code.to_string(),
                    ReservationStatus::Cancelled,
                    CancelledBy::Closure,
                    |lang| closure_reason_in(&c, lang),
                )
                .await
            {
                Ok(out) => {
                    self.audit(
                        staff,
                        "reservation_status",
                        &out.code.to_string(),
                        &format!("cancelled closure={}", c.id),
                    )
                    .await;
                    done.push(out);
                }
                Err(e) if e.is(Code::InvalidStatus) => {}
                Err(e) => return Err(e),
            }
        }
        self.audit(
            staff,
            "closure_cancel_bookings",
            &c.id,
            &format!("cancelled={}", done.len()),
        )
        .await;
        Ok(done)
    }
}
