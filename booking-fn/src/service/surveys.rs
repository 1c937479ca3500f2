//! Satisfaction surveys: open after use, once per reservation or enrolment.

use std::collections::BTreeMap;

use sbiz_catalog::{Catalog, Survey};

use super::applications::{ApplicationRef, owned_application};
use super::reservations::ReservationRef;
use super::{Proof, Service};
use crate::domain::{
    Answer, Application, ApplicationCode, ApplicationStatus, ManageToken, Reservation,
    ReservationCode, ReservationStatus, Subject, SurveyResponse, TargetKind,
};
use crate::{Code, Error, Msg, Result};

/// The holder of a reservation or an application (the two kinds of codes
/// look alike: the reservation is tried first) with its management token.
#[derive(Debug, Clone)]
pub struct SurveyHolder {
    pub reservation: ReservationCode,
    pub application: ApplicationCode,
    pub token: ManageToken,
}

/// What a survey is about, found from a code and its token.
pub struct SurveyTarget<'c> {
    pub survey: &'c Survey,
    pub subject: Subject,
    pub facility: Option<sbiz_catalog::Id>,
    /// The equipment's name or the programme's title.
    pub title: String,
    /// The language the reservation or application was made in: the
    /// survey's language unless the request asks for one.
    pub lang: sbiz_catalog::Lang,
}

impl Service {
    /// Finds survey `survey_id` for the reservation or application of this
    /// holder, and checks that it is open: after the end of use, and for a
    /// reservation or enrolment that took place.
    pub async fn survey_target<'c>(
        &self,
        catalog: &'c Catalog,
        survey_id: &str,
        holder: &SurveyHolder,
    ) -> Result<SurveyTarget<'c>> {
        let target = self.open_survey(catalog, holder).await?;
        if target.survey.id.as_str() != survey_id {
            return Err(Error::rejected(Code::NotFound, Msg::SurveyNotForThis));
        }
        Ok(target)
    }

    /// Whether the target's survey was answered already.
    pub async fn survey_answered(&self, target: &SurveyTarget<'_>) -> Result<bool> {
        self.store
            .has_survey_response(&target.survey.id, &target.subject)
            .await
    }

    async fn open_survey<'c>(
        &self,
        catalog: &'c Catalog,
        holder: &SurveyHolder,
    ) -> Result<SurveyTarget<'c>> {
        let reservation = ReservationRef {
            code: holder.reservation,
            proof: Proof::Token(holder.token.clone()),
        };
        if let Ok(r) = self.reservation(&reservation).await {
            return self.reservation_survey(catalog, r);
        }
        let application = ApplicationRef {
            code: holder.application,
            token: holder.token.clone(),
        };
        let a = owned_application(self, &application).await?;
        self.application_survey(catalog, a)
    }

    /// The open survey of a reservation whose holder was checked.
    pub(crate) fn reservation_survey<'c>(
        &self,
        catalog: &'c Catalog,
        r: Reservation,
    ) -> Result<SurveyTarget<'c>> {
        let now = self.now();
        let not_ended = || Error::new(Code::SurveyNotOpen);
        let eq = catalog
            .equipment(r.run.equipment().as_str())
            .ok_or_else(|| Error::new(Code::NoSurvey))?;
        let survey = eq
            .rules
            .survey
            .as_ref()
            .and_then(|s| catalog.survey(s.as_str()))
            .ok_or_else(|| Error::new(Code::NoSurvey))?;
        if !matches!(
            r.status,
            ReservationStatus::Confirmed | ReservationStatus::Attended
        ) {
            return Err(Error::rejected(Code::SurveyNotOpen, Msg::SurveyNotUsed));
        }
        if !now.is_after(r.run.date(), r.run.end()) {
            return Err(not_ended());
        }
        Ok(SurveyTarget {
            survey,
            subject: Subject::Reservation(r.code),
            facility: Some(r.facility),
            title: eq.name.clone(),
            lang: r.lang,
        })
    }

    /// The open survey of an application whose holder was checked.
    pub(crate) fn application_survey<'c>(
        &self,
        catalog: &'c Catalog,
        a: Application,
    ) -> Result<SurveyTarget<'c>> {
        let now = self.now();
        let not_ended = || Error::new(Code::SurveyNotOpen);
        let p = match a.target.kind {
            TargetKind::Programme => catalog.programme(a.target.id.as_str()),
            TargetKind::Policy | TargetKind::Job => None,
        }
        .ok_or_else(|| Error::new(Code::NoSurvey))?;
        let survey = p
            .survey
            .as_ref()
            .and_then(|s| catalog.survey(s.as_str()))
            .ok_or_else(|| Error::new(Code::NoSurvey))?;
        if !matches!(
            a.status,
            ApplicationStatus::Enrolled | ApplicationStatus::Attended
        ) {
            return Err(Error::rejected(Code::SurveyNotOpen, Msg::SurveyNotAttended));
        }
        match p.ends() {
            Some((d, t)) if now.is_after(d, t) => {}
            _ => return Err(not_ended()),
        }
        Ok(SurveyTarget {
            survey,
            subject: Subject::Application(a.code),
            facility: a.facility,
            title: p.title.clone(),
            lang: a.lang,
        })
    }

    /// Records a response to an open survey; `answers` were checked
    /// against its questions.
    pub async fn submit_survey(
        &self,
        target: SurveyTarget<'_>,
        answers: BTreeMap<String, Answer>,
    ) -> Result<SurveyResponse> {
        let response = SurveyResponse {
            survey: target.survey.id.clone(),
            subject: target.subject,
            facility: target.facility,
            answers,
            submitted_at: self.now().at,
        };
        self.store.submit_survey(response.clone()).await?;
        tracing::info!(survey = %response.survey, "survey response");
        Ok(response)
    }
}

/// What an unknown code or token of a survey link answers (the
/// application's message: a reservation code that matches nothing is
/// tried as an application code).
pub(crate) fn survey_holder_not_found() -> Error {
    super::applications::application_not_found()
}
