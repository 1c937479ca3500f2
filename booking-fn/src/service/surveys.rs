//! Satisfaction surveys: open after use, once per reservation or enrolment.

use sbiz_catalog::{Catalog, Survey};

use super::applications::owned_application;
use super::reservations::owned_reservation;
use super::{Fields, Service};
use crate::domain::forms::validate_answers;
use crate::domain::{ApplicationStatus, ReservationStatus, Subject, SurveyResponse, TargetKind};
use crate::{Code, Error, Result};

/// What a survey is about, found from a code and its token.
pub struct SurveyTarget<'c> {
    pub survey: &'c Survey,
    pub subject: Subject,
    pub facility: Option<sbiz_catalog::Id>,
    /// The equipment's name or the programme's title.
    pub title: String,
}

impl Service {
    /// Finds the survey for the reservation or application with this code
    /// and token, and checks that it is open: after the end of use, and for
    /// a reservation or enrolment that took place.
    pub async fn survey_target<'c>(
        &self,
        catalog: &'c Catalog,
        code: &str,
        token: &str,
    ) -> Result<SurveyTarget<'c>> {
        let now = self.now();
        let not_ended = || Error::new(Code::SurveyNotOpen);
        if let Ok(r) = owned_reservation(self, code, token).await {
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
                return Err(Error::with_message(
                    Code::SurveyNotOpen,
                    "이용한 예약에 대해서만 참여할 수 있습니다.",
                ));
            }
            if !now.is_after(r.run.date(), r.run.end()) {
                return Err(not_ended());
            }
            return Ok(SurveyTarget {
                survey,
                subject: Subject::Reservation(r.code),
                facility: Some(r.facility),
                title: eq.name.clone(),
            });
        }
        let a = owned_application(self, code, token).await?;
        let p = match a.target.kind {
            TargetKind::Programme => catalog.programme(a.target.id.as_str()),
            TargetKind::Policy => None,
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
            return Err(Error::with_message(
                Code::SurveyNotOpen,
                "교육에 참여한 분만 응답할 수 있습니다.",
            ));
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
        })
    }

    /// Records a response. Fields: `code`, `token`, `answers.<question id>`.
    pub async fn submit_survey(
        &self,
        catalog: &Catalog,
        survey_id: &str,
        fields: &Fields,
    ) -> Result<SurveyResponse> {
        let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
        let target = self
            .survey_target(catalog, get("code"), get("token"))
            .await?;
        if target.survey.id.as_str() != survey_id {
            return Err(Error::with_message(
                Code::NotFound,
                "이 예약·신청에 해당하는 설문이 아닙니다.",
            ));
        }
        let answers = validate_answers(&target.survey.questions, fields).map_err(Error::fields)?;
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
