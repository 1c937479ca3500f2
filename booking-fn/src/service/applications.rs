//! Programme enrolments (capacity, then a first-come waitlist) and policy
//! applications (validated against the policy's own form).

use std::collections::BTreeMap;

use sbiz_catalog::{Catalog, Date, FormField, Id, Policy, Programme};

use super::{Applicant, CODE_ATTEMPTS, Service};
use crate::domain::rules::blocked_until;
use crate::domain::{
    Application, ApplicationCode, ApplicationStatus, IdempotencyKey, IdempotencyRequest,
    ManageToken, Target, TargetKind, kst_instant,
};
use crate::store::{
    Admission, ApplicationChange, ApplicationFilter, Created, NewApplication, StatusChange,
};
use crate::{Code, Error, Msg, Result};

/// An enrolment in a programme.
#[derive(Debug, Clone)]
pub struct Enrol {
    pub programme: Id,
    pub applicant: Applicant,
}

/// An application to a policy with its online form's answers (by field id,
/// checked against the form).
#[derive(Debug, Clone)]
pub struct ApplyPolicy {
    pub policy: Id,
    pub applicant: Applicant,
    pub answers: BTreeMap<String, String>,
}

/// An application and its management token.
#[derive(Debug, Clone)]
pub struct ApplicationRef {
    pub code: ApplicationCode,
    pub token: ManageToken,
}

/// The programme, or `not_found`.
pub fn programme<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Programme> {
    catalog
        .programme(id)
        .ok_or_else(|| Error::rejected(Code::NotFound, Msg::ProgrammeNotFound))
}

/// The policy and its online form, or `not_found` / `no_online_form`.
pub fn policy_form<'c>(catalog: &'c Catalog, id: &str) -> Result<(&'c Policy, &'c [FormField])> {
    let p = catalog
        .policy(id)
        .ok_or_else(|| Error::rejected(Code::NotFound, Msg::PolicyNotFound))?;
    let form = p
        .form
        .as_deref()
        .ok_or_else(|| Error::new(Code::NoOnlineForm))?;
    Ok((p, form))
}

/// What a reference to an application that is not there (or not the
/// asker's) answers: a wrong token looks exactly like an unknown code.
pub(crate) fn application_not_found() -> Error {
    Error::rejected(Code::NotFound, Msg::ApplicationNotFound)
}

fn window(from: Date, until: Date, today: Date) -> Result<()> {
    if today < from {
        Err(Error::rejected(Code::NotOpen, Msg::ApplicationsOpen(from)))
    } else if today > until {
        Err(Error::rejected(
            Code::NotOpen,
            Msg::ApplicationsClosed { from, until },
        ))
    } else {
        Ok(())
    }
}

pub(crate) async fn owned_application(svc: &Service, a: &ApplicationRef) -> Result<Application> {
    let found = svc.store.application(&a.code).await?;
    found
        .filter(|found| found.token_hash.matches(&a.token))
        .ok_or_else(application_not_found)
}

impl Service {
    /// Enrols in a programme: capacity, then the waitlist.
    pub async fn apply_programme(
        &self,
        catalog: &Catalog,
        request: Enrol,
    ) -> Result<Created<Application>> {
        let p = programme(catalog, request.programme.as_str())?;
        let now = self.now();
        let Applicant {
            person,
            idempotency: key,
            lang,
        } = request.applicant;
        let consent = Applicant::consent(catalog, &now);
        window(p.apply_from, p.apply_until, now.date)?;
        let history = self.store.person_history(&person.key(&self.secret)).await?;
        if let Some(until) =
            blocked_until(&catalog.booking.no_show, &history.no_show_dates, now.date)
        {
            return Err(Error::rejected(
                Code::NoShowBlocked,
                Msg::NoShowApplications(until),
            ));
        }
        let last_day = p.ends().map(|(d, _)| d).unwrap_or(p.apply_until);
        let draft = Draft {
            target: Target {
                kind: TargetKind::Programme,
                id: p.id.clone(),
            },
            facility: Some(p.facility.clone()),
            answers: Default::default(),
            purge_after: last_day.add_days(i32::from(catalog.booking.retention_days)),
            lang,
        };
        let admission = Admission::Capacity {
            capacity: p.capacity,
            waitlist: p.waitlist,
        };
        let out = self
            .insert_application(catalog, draft, person, consent, admission, key, now.at)
            .await;
        if let Err(e) = &out
            && e.is(Code::Full)
        {
            let msg = if p.waitlist == 0 {
                Msg::CapacityFull
            } else {
                Msg::Code(Code::Full)
            };
            return Err(Error::rejected(Code::Full, msg));
        }
        out
    }

    /// Applies to a policy through its online form.
    pub async fn apply_policy(
        &self,
        catalog: &Catalog,
        request: ApplyPolicy,
    ) -> Result<Created<Application>> {
        let (p, _) = policy_form(catalog, request.policy.as_str())?;
        let now = self.now();
        let Applicant {
            person,
            idempotency: key,
            lang,
        } = request.applicant;
        let consent = Applicant::consent(catalog, &now);
        let answers = request.answers;
        window(p.apply_from, p.apply_until, now.date)?;
        let draft = Draft {
            target: Target {
                kind: TargetKind::Policy,
                id: p.id.clone(),
            },
            facility: None,
            answers,
            purge_after: p
                .apply_until
                .add_days(i32::from(catalog.booking.retention_days)),
            lang,
        };
        self.insert_application(
            catalog,
            draft,
            person,
            consent,
            Admission::Open,
            key,
            now.at,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn insert_application(
        &self,
        catalog: &Catalog,
        draft: Draft,
        person: crate::domain::Person,
        consent: crate::domain::ConsentRecord,
        admission: Admission,
        key: Option<IdempotencyKey>,
        at: jiff::Timestamp,
    ) -> Result<Created<Application>> {
        // Everything the application stores from the request: the target,
        // the form's answers, the person and the consent version.
        let idempotency = key
            .map(|k| {
                IdempotencyRequest::of(
                    &self.secret,
                    &k,
                    "application",
                    &(&draft.target, &draft.answers, &person, &consent.version),
                )
            })
            .transpose()
            .map_err(|_| Error::new(Code::Internal))?;
        let person_key = person.key(&self.secret);
        let mut last = Error::new(Code::DuplicateCode);
        for _ in 0..CODE_ATTEMPTS {
            let token = ManageToken::generate();
            let application = Application {
                code: ApplicationCode::generate(),
                token_hash: token.hash(),
                target: draft.target.clone(),
                facility: draft.facility.clone(),
                status: ApplicationStatus::Submitted,
                seq: 0,
                answers: draft.answers.clone(),
                person: Some(person.clone()),
                person_key: Some(person_key.clone()),
                consent: consent.clone(),
                created_at: at,
                updated_at: at,
                purge_after: draft.purge_after,
                lang: draft.lang,
            };
            let messages_when =
                super::notify::application_made(catalog, &self.secret, &application, &token, at);
            let new = NewApplication {
                application,
                token,
                admission,
                idempotency: idempotency.clone(),
                messages: Vec::new(),
                messages_when,
            };
            match self.store.apply(new).await {
                Err(e) if e.is(Code::DuplicateCode) => last = e,
                other => {
                    if let Ok(c) = &other {
                        tracing::info!(
                            code = %c.record.code, target = %c.record.target.id, status = c.record.status.as_str(),
                            seq = c.record.seq, replayed = c.replayed, "application"
                        );
                    }
                    return other.and_then(|c| {
                        super::check_replayed_token(c.replayed, &c.record.token_hash, &c.token)?;
                        Ok(c)
                    });
                }
            }
        }
        Err(last)
    }

    /// The application, for the holder of its management link.
    pub async fn application(&self, a: &ApplicationRef) -> Result<Application> {
        owned_application(self, a).await
    }

    /// How many wait before a waitlisted enrolment; `None` when it does not wait.
    pub async fn waiting_before(&self, a: &Application) -> Result<Option<usize>> {
        if a.status != ApplicationStatus::Waitlisted {
            return Ok(None);
        }
        let filter = ApplicationFilter {
            target: Some(a.target.clone()),
            status: Some(ApplicationStatus::Waitlisted),
            ..Default::default()
        };
        let waiting = self.store.applications(&filter).await?;
        Ok(Some(waiting.iter().filter(|w| w.seq < a.seq).count()))
    }

    /// Withdraws an application. Programme enrolments may be withdrawn until
    /// the first session starts; a freed seat goes to the first waiting. A
    /// job application may be withdrawn until staff decide (채용 / 불채용).
    pub async fn cancel_application(
        &self,
        catalog: &Catalog,
        a: &ApplicationRef,
    ) -> Result<ApplicationChange> {
        let a = owned_application(self, a).await?;
        self.cancel_held_application(catalog, a).await
    }

    /// Withdraws an application whose holder was checked (management link
    /// or 내 예약·신청), with the holder's rules.
    pub(crate) async fn cancel_held_application(
        &self,
        catalog: &Catalog,
        a: Application,
    ) -> Result<ApplicationChange> {
        let now = self.now();
        let cancellable = CANCELLABLE;
        if !cancellable.contains(&a.status) {
            return Err(Error::rejected(
                Code::InvalidStatus,
                Msg::ApplicationNotCancellable(a.status),
            ));
        }
        if course_started(catalog, &a, now.at) {
            return Err(Error::rejected(
                Code::CancelDeadlinePassed,
                Msg::CourseStarted,
            ));
        }
        let to = ApplicationStatus::Cancelled;
        let change = StatusChange {
            from: cancellable.to_vec(),
            to,
            at: now.at,
            messages: super::notify::application_changed(catalog, &a, to, "", now.at),
            cancel_queued: true,
            training: None,
            promotion_messages: super::notify::promotion(catalog, &a, now.at),
            cancelled_by: None,
        };
        let out = self.store.set_application_status(&a.code, change).await?;
        tracing::info!(
            code = %out.application.code,
            promoted = out.promoted.as_ref().map(|p| p.code.to_string()).unwrap_or_default(),
            "application cancelled"
        );
        Ok(out)
    }
}

/// Whether a programme application's course has begun (its first session
/// started): from then on it can no longer be withdrawn online.
fn course_started(catalog: &Catalog, a: &Application, now: jiff::Timestamp) -> bool {
    a.target.kind == TargetKind::Programme
        && catalog
            .programme(a.target.id.as_str())
            .and_then(|p| p.sessions.iter().map(|s| (s.date, s.time.start)).min())
            .is_some_and(|(d, t)| now >= kst_instant(d, t))
}

/// Whether its holder may withdraw the application now: the status, and
/// for a programme, before its first session (what
/// `cancel_held_application` checks), so that a page offers cancelling
/// only when it would work.
pub fn holder_can_cancel(catalog: &Catalog, a: &Application, now: jiff::Timestamp) -> bool {
    CANCELLABLE.contains(&a.status) && !course_started(catalog, a, now)
}

/// The statuses from which the holder may withdraw an application.
pub const CANCELLABLE: [ApplicationStatus; 5] = [
    ApplicationStatus::Enrolled,
    ApplicationStatus::Waitlisted,
    ApplicationStatus::Submitted,
    ApplicationStatus::Reviewing,
    ApplicationStatus::Interview,
];

pub(super) struct Draft {
    pub(super) target: Target,
    pub(super) facility: Option<Id>,
    pub(super) answers: BTreeMap<String, String>,
    pub(super) purge_after: Date,
    pub(super) lang: sbiz_catalog::Lang,
}
