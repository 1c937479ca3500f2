//! Training records (교육 수료 기록): staff record that someone completed a
//! programme, online or offline; marking a programme application attended
//! records it too. `booking.training` is checked against them (through
//! `Store::person_history`), and they outlive the personal-data purge in a
//! minimal form: the keyed hash of the person, the programme, the day.

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Date, Phone, Programme};

use super::StaffScope;
use crate::domain::{
    Application, ApplicationStatus, PersonKey, TargetKind, TrainingRecord, kst_parts,
};
use crate::{Error, Result};

/// A training record staff enter (parsed at the edge).
#[derive(Debug, Clone)]
pub struct RecordTraining {
    pub phone: Phone,
    pub programme: String,
    pub completed: Date,
}

/// The record written with a status change that marks a programme
/// application attended (수료), completed on the day it is marked.
pub(crate) fn training_on_attendance(
    scope: &StaffScope,
    a: &Application,
    to: ApplicationStatus,
    now: Timestamp,
) -> Option<TrainingRecord> {
    if to != ApplicationStatus::Attended || a.target.kind != TargetKind::Programme {
        return None;
    }
    Some(TrainingRecord {
        person: a.person_key.clone()?,
        programme: a.target.id.clone(),
        completed: kst_parts(now).0,
        entry: scope.label(),
        recorded_at: now,
    })
}

/// Whether staff of `scope` may record that someone completed
/// `programme`: staff of the facility that runs it, and staff of a facility
/// whose equipment requires it (`booking.training`), who check the
/// completion of a course run by another facility before their machine is
/// used (the record is the same whoever writes it; its entry says who).
pub fn may_record_training(catalog: &Catalog, scope: &StaffScope, programme: &Programme) -> bool {
    scope.covers(Some(&programme.facility))
        || catalog.equipment.iter().any(|e| {
            e.rules.training.as_ref() == Some(&programme.id) && scope.covers(Some(&e.facility))
        })
}

/// The programmes staff of `scope` may record a completion of
/// ([`may_record_training`]), in the catalog's order.
pub fn recordable_programmes<'a>(
    catalog: &'a Catalog,
    scope: &'a StaffScope,
) -> impl Iterator<Item = &'a Programme> + 'a {
    catalog
        .programmes
        .iter()
        .filter(move |p| may_record_training(catalog, scope, p))
}

impl super::Service {
    /// Records that the person with this phone number completed the
    /// programme on `completed` (not in the future), for staff who may
    /// ([`may_record_training`]).
    pub async fn staff_record_training(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        request: RecordTraining,
    ) -> Result<TrainingRecord> {
        let now = self.now();
        let programme = catalog
            .programme(&request.programme)
            .filter(|p| may_record_training(catalog, scope, p))
            .ok_or_else(|| {
                Error::staff_field(
                    "programme",
                    "담당 시설의 교육이나 담당 시설 장비에 필요한 교육을 골라 주세요.",
                )
            })?;
        if request.completed > now.date {
            return Err(Error::staff_field(
                "completed",
                "수료일은 오늘이나 그 전 날짜여야 합니다.",
            ));
        }
        let record = TrainingRecord {
            person: PersonKey::of(&self.secret, &request.phone),
            programme: programme.id.clone(),
            completed: request.completed,
            entry: scope.label(),
            recorded_at: now.at,
        };
        self.store.record_training(record.clone()).await?;
        tracing::info!(programme = %record.programme, "training recorded by staff");
        Ok(record)
    }
}
