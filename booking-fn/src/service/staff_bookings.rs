//! 전화·방문 접수: staff book equipment on someone's behalf, with the
//! person's consent recorded as given verbally or on paper, the staff entry
//! that took it, and the rules staff explicitly waived.

use sbiz_catalog::Catalog;

use super::{CODE_ATTEMPTS, StaffScope, equipment};
use crate::domain::rules;
use crate::domain::{
    ConsentMethod, ConsentRecord, ManageToken, Person, Reservation, ReservationCode,
    ReservationStatus, RuleOverride, SlotRun, StaffBooking,
};
use crate::store::{NewReservation, WeeklyQuota};
use crate::{Code, Error, Result};

/// A booking staff take for someone (parsed at the edge).
#[derive(Debug, Clone)]
pub struct StaffReserve {
    pub run: SlotRun,
    /// The person's details as they gave them; `notify` by 문자 when the
    /// phone is a mobile number, by e-mail when one was given.
    pub person: Person,
    pub consent: ConsentMethod,
    pub overrides: Vec<RuleOverride>,
}

impl StaffScope {
    /// The label a record keeps of the staff entry: its scope (a facility
    /// id, or `*`), never the token.
    pub fn label(&self) -> String {
        match self {
            StaffScope::All => "*".to_owned(),
            StaffScope::Facility(f) => f.to_string(),
        }
    }
}

impl super::Service {
    /// Books for the person: every rule of a booking applies except those
    /// in `overrides`; a slot already held, a closed day, the opening hours
    /// and the run's length are never waived. A booking taken by staff needs
    /// no further staff approval: it is confirmed unless the training
    /// requirement holds it (not waived and not on record). The person gets
    /// the usual messages (with the management link) by the channels given.
    pub async fn staff_reserve(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        request: StaffReserve,
    ) -> Result<Reservation> {
        let now = self.now();
        let StaffReserve {
            run,
            person,
            consent,
            mut overrides,
        } = request;
        overrides.sort();
        overrides.dedup();
        let waived = |o: RuleOverride| overrides.contains(&o);
        let eq = equipment(catalog, run.equipment().as_str())?;
        if !scope.covers(Some(&eq.facility)) {
            return Err(Error::with_message(
                Code::NotFound,
                "담당 시설의 장비가 아닙니다.",
            ));
        }
        rules::check_run_with(
            catalog,
            eq,
            &run,
            now.date,
            now.time,
            waived(RuleOverride::Window),
        )?;
        let person_key = person.key(&self.secret);
        let history = self.store.person_history(&person_key).await?;
        if !waived(RuleOverride::NoShowBlock)
            && let Some(until) =
                rules::blocked_until(&catalog.booking.no_show, &history.no_show_dates, now.date)
        {
            return Err(Error::with_message(
                Code::NoShowBlocked,
                format!(
                    "예약 부도 기록으로 {until}까지 새 예약이 제한된 분입니다. 꼭 필요하면 '예약 부도에 따른 예약 제한'을 예외로 표시해 주세요."
                ),
            ));
        }
        let training_missing = !waived(RuleOverride::Training)
            && eq
                .rules
                .training
                .as_ref()
                .is_some_and(|t| !history.attended_programmes.contains(t));
        let status = if training_missing {
            ReservationStatus::Pending
        } else {
            ReservationStatus::Confirmed
        };
        let quota = if waived(RuleOverride::Quota) {
            None
        } else {
            eq.rules.weekly_quota_hours.map(|h| WeeklyQuota {
                week_start: run.date().week_start(),
                limit_minutes: u32::from(h) * 60,
            })
        };
        let taken = StaffBooking {
            entry: scope.label(),
            consent,
            overrides: overrides.clone(),
        };
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
                training_check: training_missing,
                person: Some(person.clone()),
                person_key: Some(person_key.clone()),
                consent: ConsentRecord {
                    version: catalog.consent.version.clone(),
                    at: now.at,
                },
                created_at: now.at,
                updated_at: now.at,
                purge_after,
                taken_by_staff: Some(taken.clone()),
                // Staff take bookings in Korean.
                lang: sbiz_catalog::Lang::Ko,
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
                idempotency: None,
                messages,
            };
            match self.store.create_reservation(new).await {
                Err(e) if e.is(Code::DuplicateCode) => last = e,
                Err(e) if e.is(Code::QuotaExceeded) => {
                    let hours = eq.rules.weekly_quota_hours.unwrap_or(0);
                    return Err(Error::with_message(
                        Code::QuotaExceeded,
                        format!(
                            "이 장비는 한 사람이 한 주(월~일)에 {hours}시간까지 이용할 수 있습니다. 꼭 필요하면 '주간 이용 한도'를 예외로 표시해 주세요."
                        ),
                    ));
                }
                Err(e) if e.is(Code::SlotTaken) => {
                    return Err(Error::rejected(
                        Code::SlotTaken,
                        crate::Msg::SlotTakenChosen,
                    ));
                }
                other => {
                    let c = other?;
                    tracing::info!(
                        code = %c.record.code, equipment = %eq.id,
                        consent = consent.as_str(), overrides = overrides.len(),
                        "reservation taken by staff"
                    );
                    return Ok(c.record);
                }
            }
        }
        Err(last)
    }
}
