//! Job applications (구인정보 바로 신청): a posting's own form, its deadline,
//! the facility that posted it, and the filled state staff set at once
//! (stored, not content, so no rebuild is needed to close a posting).
//!
//! # Messages
//! A new application queues a receipt to the applicant and, where the
//! posting names an `employer_email`, the application to the employer; a
//! status change queues a message to the applicant (`super::notify`, in the
//! same atomic write).

use std::collections::BTreeMap;

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Id, Job};
use serde::Serialize;

use super::{Applicant, Service, StaffScope};
use crate::domain::{Application, Target, TargetKind};
use crate::store::Created;
use crate::{Code, Error, Msg, Result};

/// An application to a job posting, with its form's answers (by field id,
/// checked against the posting's form).
#[derive(Debug, Clone)]
pub struct ApplyJob {
    pub job: Id,
    pub applicant: Applicant,
    pub answers: BTreeMap<String, String>,
}

/// The posting, or `not_found` (a posting without an online form is not in
/// the catalog).
pub fn job<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Job> {
    catalog
        .job(id)
        .ok_or_else(|| Error::rejected(Code::NotFound, Msg::JobNotFound))
}

fn target(job: &Job) -> Target {
    Target {
        kind: TargetKind::Job,
        id: job.id.clone(),
    }
}

/// Whether a posting takes applications now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Before the day it was posted.
    Upcoming,
    Open,
    /// The deadline has passed.
    Closed,
    /// Staff marked it filled (채용 완료).
    Filled,
}

impl JobState {
    pub fn korean(self) -> &'static str {
        match self {
            JobState::Upcoming => "예정",
            JobState::Open => "모집 중",
            JobState::Closed => "마감",
            JobState::Filled => "채용 완료",
        }
    }
}

/// A posting's state for its page (no personal data).
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    pub job: Id,
    pub state: JobState,
    pub label: &'static str,
    /// Whether an application sent now would be taken.
    pub accepting: bool,
    /// When staff marked it filled (Korea time, "YYYY-MM-DD HH:MM").
    pub filled_at: Option<String>,
}

impl Service {
    /// The posting's state: its dates, then the filled mark in the store.
    pub async fn job_status(&self, catalog: &Catalog, id: &str) -> Result<JobStatus> {
        let j = job(catalog, id)?;
        let today = self.now().date;
        let filled = self.store.target_closed(&target(j)).await?;
        let state = if filled.is_some() {
            JobState::Filled
        } else if today < j.posted {
            JobState::Upcoming
        } else if today > j.deadline {
            JobState::Closed
        } else {
            JobState::Open
        };
        Ok(JobStatus {
            job: j.id.clone(),
            state,
            label: state.korean(),
            accepting: state == JobState::Open,
            filled_at: filled.map(super::admin::kst_string),
        })
    }

    /// Applies to a job posting through its form: within `posted..=deadline`,
    /// not once filled, once per person.
    pub async fn apply_job(
        &self,
        catalog: &Catalog,
        request: ApplyJob,
    ) -> Result<Created<Application>> {
        let j = job(catalog, request.job.as_str())?;
        let now = self.now();
        let Applicant {
            person,
            idempotency: key,
            lang,
        } = request.applicant;
        let consent = Applicant::consent(catalog, &now);
        if now.date < j.posted {
            return Err(Error::rejected(Code::NotOpen, Msg::JobOpens(j.posted)));
        }
        if now.date > j.deadline {
            return Err(Error::rejected(Code::NotOpen, Msg::JobDeadline(j.deadline)));
        }
        let draft = super::applications::Draft {
            target: target(j),
            facility: Some(j.facility.clone()),
            answers: request.answers,
            purge_after: j
                .deadline
                .add_days(i32::from(catalog.booking.job_retention_days)),
            lang,
        };
        let out = self
            .insert_application(
                catalog,
                draft,
                person,
                consent,
                crate::store::Admission::Open,
                key,
                now.at,
            )
            .await;
        match out {
            Ok(created) => Ok(created),
            Err(e) if e.is(Code::Filled) => Err(Error::rejected(Code::Filled, Msg::JobFilled)),
            Err(e) if e.is(Code::AlreadyApplied) => Err(Error::rejected(
                Code::AlreadyApplied,
                Msg::JobAlreadyApplied,
            )),
            Err(e) => Err(e),
        }
    }

    /// Staff of the posting's facility mark it filled (`true`: it takes no
    /// more applications at once) or open it again (`false`).
    pub async fn staff_set_job_filled(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        id: &str,
        filled: bool,
    ) -> Result<JobStatus> {
        let j = job(catalog, id)?;
        if !scope.covers(Some(&j.facility)) {
            return Err(Error::rejected(Code::NotFound, Msg::JobNotFound));
        }
        let at: Option<Timestamp> = filled.then(|| self.now().at);
        self.store.set_target_closed(&target(j), at).await?;
        tracing::info!(job = %j.id, filled, "staff changed a job posting");
        self.job_status(catalog, id).await
    }
}
