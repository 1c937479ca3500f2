//! Job applications (구인정보 바로 신청): a posting's own form, its deadline,
//! the facility that posted it, and the filled state staff set at once
//! (stored, not content, so no rebuild is needed to close a posting).
//!
//! # Messages (for the messaging outbox)
//! The points where a message will be enqueued are the [`JobMessage`]
//! values that [`application_messages`] and [`status_messages`] return: the
//! service computes them with the write that causes them; once the store
//! takes an outbox (`NewApplication.messages`, `StatusChange.messages`),
//! they go into the same atomic write instead of being only counted.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Id, Job};
use serde::Serialize;

use super::{Applicant, Service, StaffScope};
use crate::domain::{Application, ApplicationCode, ApplicationStatus, Target, TargetKind};
use crate::store::Created;
use crate::{Code, Error, Result};

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
    catalog.job(id).ok_or_else(|| {
        Error::with_message(
            Code::NotFound,
            "온라인으로 지원할 수 있는 구인정보를 찾을 수 없습니다.",
        )
    })
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

/// A message the messaging outbox will send (issue 16, point 3). Holds
/// codes and ids only: the outbox renders the text from the templates in
/// `content/` and reads the addresses from the application when it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobMessage {
    /// To the employer, at the posting's `employer_email`: the new
    /// application (the applicant consented to this transfer, `job_consent.employer`).
    ApplicationToEmployer {
        application: ApplicationCode,
        job: Id,
    },
    /// To the applicant: the application was received (접수).
    Received {
        application: ApplicationCode,
        job: Id,
    },
    /// To the applicant: staff moved the application to `status` (검토,
    /// 면접, 채용, 불채용), or the applicant withdrew it (취소).
    StatusChanged {
        application: ApplicationCode,
        job: Id,
        status: ApplicationStatus,
    },
}

/// The messages a new job application causes: a receipt to the applicant
/// and, where the posting names one, the application to the employer.
/// A replayed application causes none (they went out the first time).
pub fn application_messages(job: &Job, created: &Created<Application>) -> Vec<JobMessage> {
    if created.replayed {
        return Vec::new();
    }
    let application = created.record.code;
    let mut out = vec![JobMessage::Received {
        application,
        job: job.id.clone(),
    }];
    if job.employer_email.is_some() {
        out.push(JobMessage::ApplicationToEmployer {
            application,
            job: job.id.clone(),
        });
    }
    out
}

/// The message a status change of a job application causes (none for
/// other kinds of application, which the messaging work covers itself).
pub fn status_messages(changed: &Application) -> Vec<JobMessage> {
    if changed.target.kind != TargetKind::Job {
        return Vec::new();
    }
    vec![JobMessage::StatusChanged {
        application: changed.code,
        job: changed.target.id.clone(),
        status: changed.status,
    }]
}

/// Until the outbox exists, the messages are only counted in the log
/// (codes only, never an address).
pub(crate) fn note_messages(messages: &[JobMessage]) {
    if !messages.is_empty() {
        tracing::info!(
            messages = messages.len(),
            "job messages to enqueue (no outbox yet)"
        );
    }
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
        } = request.applicant;
        let consent = Applicant::consent(catalog, &now);
        if now.date < j.posted {
            return Err(Error::with_message(
                Code::NotOpen,
                format!("이 구인은 {}부터 지원을 받습니다.", j.posted),
            ));
        }
        if now.date > j.deadline {
            return Err(Error::with_message(
                Code::NotOpen,
                format!(
                    "지원 마감일({})이 지나 더 이상 지원을 받지 않습니다.",
                    j.deadline
                ),
            ));
        }
        let draft = super::applications::Draft {
            target: target(j),
            facility: Some(j.facility.clone()),
            answers: request.answers,
            purge_after: j
                .deadline
                .add_days(i32::from(catalog.booking.job_retention_days)),
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
            Ok(created) => {
                note_messages(&application_messages(j, &created));
                Ok(created)
            }
            Err(e) if e.is(Code::Filled) => Err(Error::with_message(
                Code::Filled,
                "채용이 끝나 이 구인은 더 이상 지원을 받지 않습니다.",
            )),
            Err(e) if e.is(Code::AlreadyApplied) => Err(Error::with_message(
                Code::AlreadyApplied,
                "이 구인에 이미 지원하셨습니다. 한 구인에는 한 번만 지원할 수 있습니다.",
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
            return Err(Error::with_message(
                Code::NotFound,
                "온라인으로 지원할 수 있는 구인정보를 찾을 수 없습니다.",
            ));
        }
        let at: Option<Timestamp> = filled.then(|| self.now().at);
        self.store.set_target_closed(&target(j), at).await?;
        tracing::info!(job = %j.id, filled, "staff changed a job posting");
        self.job_status(catalog, id).await
    }
}
