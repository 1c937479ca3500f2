//! Staff work: lists, status changes, CSV exports, survey summaries. Every
//! operation takes the staff member's scope: one facility, or all.

use std::collections::BTreeMap;

use sbiz_catalog::{Catalog, Id, Lang, QuestionKind};
use serde::Serialize;

use super::{Service, notify};
use crate::domain::{
    Answer, Application, ApplicationCode, ApplicationStatus, CancelledBy, Reservation,
    ReservationCode, ReservationStatus, TargetKind, kst_instant,
};
use crate::store::{ApplicationChange, ApplicationFilter, ReservationFilter, StatusChange};
use crate::{Code, Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffScope {
    All,
    Facility(Id),
}

impl StaffScope {
    pub fn covers(&self, facility: Option<&Id>) -> bool {
        match self {
            StaffScope::All => true,
            StaffScope::Facility(f) => facility == Some(f),
        }
    }
    pub(super) fn restrict(&self, asked: Option<Id>) -> Result<Option<Id>> {
        match (self, asked) {
            (StaffScope::All, asked) => Ok(asked),
            (StaffScope::Facility(f), Some(a)) if *f != a => Err(Error::new(Code::Forbidden)),
            (StaffScope::Facility(f), _) => Ok(Some(f.clone())),
        }
    }
}

/// Which statuses staff may move a reservation from, to reach `to`.
fn reservation_sources(to: ReservationStatus) -> Result<Vec<ReservationStatus>> {
    use ReservationStatus::*;
    Ok(match to {
        Confirmed => vec![Pending],
        Rejected | Cancelled => vec![Pending, Confirmed],
        Attended => vec![Confirmed, NoShow],
        NoShow => vec![Confirmed, Attended],
        Pending => {
            return Err(Error::with_message(
                Code::InvalidStatus,
                "승인 대기로 되돌릴 수 없습니다.",
            ));
        }
    })
}

fn application_sources(kind: TargetKind, to: ApplicationStatus) -> Result<Vec<ApplicationStatus>> {
    use ApplicationStatus::*;
    let sources = match (kind, to) {
        (TargetKind::Programme, Attended) => vec![Enrolled, NoShow],
        (TargetKind::Programme, NoShow) => vec![Enrolled, Attended],
        (TargetKind::Programme, Rejected | Cancelled) => vec![Enrolled, Waitlisted],
        (TargetKind::Policy, Approved) => vec![Submitted],
        (TargetKind::Policy, Rejected) => vec![Submitted, Approved],
        (TargetKind::Policy, Cancelled) => vec![Submitted],
        // 접수 → 검토 → 면접 → 채용 / 불채용; a step may be skipped, never
        // taken back, and a decision is final.
        (TargetKind::Job, Reviewing) => vec![Submitted],
        (TargetKind::Job, Interview) => vec![Submitted, Reviewing],
        (TargetKind::Job, Hired | NotHired) => vec![Submitted, Reviewing, Interview],
        _ => {
            return Err(Error::with_message(
                Code::InvalidStatus,
                "이 신청에는 할 수 없는 처리입니다.",
            ));
        }
    };
    Ok(sources)
}

/// Whether the first session of an enrolment's course has begun (수료 and
/// 불참 are marked from then on: a 수료 counts for equipment training at
/// once). A course no longer in the catalog counts as begun.
pub fn course_begun(catalog: &Catalog, a: &Application, now: jiff::Timestamp) -> bool {
    if a.target.kind != TargetKind::Programme {
        return true;
    }
    catalog
        .programme(a.target.id.as_str())
        .and_then(|p| p.sessions.iter().map(|s| (s.date, s.time.start)).min())
        .is_none_or(|(d, t)| now >= kst_instant(d, t))
}

impl Service {
    pub async fn staff_reservations(
        &self,
        scope: &StaffScope,
        mut filter: ReservationFilter,
    ) -> Result<Vec<Reservation>> {
        filter.facility = scope.restrict(filter.facility)?;
        self.store.reservations(&filter).await
    }

    /// Staff change a reservation's status; the person hears of an
    /// approval, a rejection or a cancellation (with `reason` as staff
    /// typed it, or "ask the facility" when none is given, in the
    /// reservation's language: [`staff_reason_in`](super::staff_reason_in)).
    pub async fn staff_set_reservation_status(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        code: &str,
        to: ReservationStatus,
        reason: &str,
    ) -> Result<Reservation> {
        self.set_reservation_status_with(catalog, scope, code, to, CancelledBy::Staff, |lang| {
            super::staff_reason_in(reason, lang)
        })
        .await
    }

    /// [`Service::staff_set_reservation_status`] with the reason the person
    /// reads written by `reason` in the reservation's language; a
    /// cancellation records `by` as who cancelled.
    pub(super) async fn set_reservation_status_with(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        code: &str,
        to: ReservationStatus,
        by: CancelledBy,
        reason: impl FnOnce(Lang) -> String,
    ) -> Result<Reservation> {
        let not_found = || Error::rejected(Code::NotFound, crate::Msg::ReservationNotFound);
        let code: ReservationCode = code.parse().map_err(|_| not_found())?;
        let r = self.store.reservation(&code).await?.ok_or_else(not_found)?;
        if !scope.covers(Some(&r.facility)) {
            return Err(not_found());
        }
        let now = self.now();
        if matches!(to, ReservationStatus::Attended | ReservationStatus::NoShow)
            && now.at < kst_instant(r.run.date(), r.run.start())
        {
            return Err(Error::with_message(
                Code::InvalidStatus,
                "이용 시작 시간이 지난 뒤에 표시할 수 있습니다.",
            ));
        }
        let from = reservation_sources(to)?;
        let out = self
            .store
            .set_reservation_status(
                &code,
                StatusChange {
                    from,
                    to,
                    at: now.at,
                    messages: notify::reservation_changed(
                        catalog,
                        &r,
                        to,
                        true,
                        &reason(r.lang),
                        now.at,
                    ),
                    cancel_queued: notify::reservation_ends_queued(to),
                    training: None,
                    promotion_messages: Vec::new(),
                    cancelled_by: Some(by),
                },
            )
            .await?;
        tracing::info!(code = %out.code, status = out.status.as_str(), "staff changed a reservation");
        Ok(out)
    }

    pub async fn staff_applications(
        &self,
        scope: &StaffScope,
        mut filter: ApplicationFilter,
    ) -> Result<Vec<Application>> {
        filter.facility = scope.restrict(filter.facility)?;
        self.store.applications(&filter).await
    }

    /// Staff change an application's status; the person hears of a
    /// programme seat cancelled or a policy application's new status (with
    /// `reason` in the application's language, as for a reservation), and
    /// whoever moves up the waitlist of their promotion.
    pub async fn staff_set_application_status(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        code: &str,
        to: ApplicationStatus,
        reason: &str,
    ) -> Result<ApplicationChange> {
        let not_found = || Error::with_message(Code::NotFound, "신청 내역을 찾을 수 없습니다.");
        let code: ApplicationCode = code.parse().map_err(|_| not_found())?;
        let a = self.store.application(&code).await?.ok_or_else(not_found)?;
        if !scope.covers(a.facility.as_ref()) {
            return Err(not_found());
        }
        let from = application_sources(a.target.kind, to)?;
        let now = self.now().at;
        if a.target.kind == TargetKind::Programme
            && matches!(to, ApplicationStatus::Attended | ApplicationStatus::NoShow)
            && !course_begun(catalog, &a, now)
        {
            return Err(Error::with_message(
                Code::InvalidStatus,
                "교육의 첫 수업이 시작된 뒤에 표시할 수 있습니다.",
            ));
        }
        let out = self
            .store
            .set_application_status(
                &code,
                StatusChange {
                    from,
                    to,
                    at: now,
                    messages: notify::application_changed(
                        catalog,
                        &a,
                        to,
                        &super::staff_reason_in(reason, a.lang),
                        now,
                    ),
                    cancel_queued: matches!(
                        to,
                        ApplicationStatus::Cancelled | ApplicationStatus::NoShow
                    ),
                    training: super::training_on_attendance(scope, &a, to, now),
                    promotion_messages: notify::promotion(catalog, &a, now),
                    cancelled_by: None,
                },
            )
            .await?;
        tracing::info!(code = %out.application.code, status = out.application.status.as_str(), "staff changed an application");
        Ok(out)
    }

    pub async fn survey_summary(
        &self,
        catalog: &Catalog,
        scope: &StaffScope,
        survey_id: &str,
    ) -> Result<SurveySummary> {
        let survey = catalog
            .survey(survey_id)
            .ok_or_else(|| Error::with_message(Code::NotFound, "해당 설문을 찾을 수 없습니다."))?;
        let responses: Vec<_> = self
            .store
            .survey_responses(&survey.id)
            .await?
            .into_iter()
            .filter(|r| scope.covers(r.facility.as_ref()))
            .collect();
        let questions = survey
            .questions
            .iter()
            .map(|q| {
                let answers: Vec<&Answer> = responses
                    .iter()
                    .filter_map(|r| r.answers.get(q.id.as_str()))
                    .collect();
                let mut summary = QuestionSummary {
                    id: q.id.clone(),
                    label: q.label.clone(),
                    kind: match q.kind {
                        QuestionKind::Rating { .. } => "rating",
                        QuestionKind::Choice { .. } => "choice",
                        QuestionKind::Text { .. } => "text",
                    },
                    answered: answers.len(),
                    average: None,
                    counts: BTreeMap::new(),
                    texts: Vec::new(),
                };
                match &q.kind {
                    QuestionKind::Rating { scale } => {
                        let scale = if *scale == 0 { 5 } else { *scale };
                        for n in 1..=scale {
                            summary.counts.insert(n.to_string(), 0);
                        }
                        let ratings: Vec<u8> = answers
                            .iter()
                            .filter_map(|a| {
                                if let Answer::Rating(n) = a {
                                    Some(*n)
                                } else {
                                    None
                                }
                            })
                            .collect();
                        for n in &ratings {
                            *summary.counts.entry(n.to_string()).or_default() += 1;
                        }
                        if !ratings.is_empty() {
                            let sum: u32 = ratings.iter().map(|n| u32::from(*n)).sum();
                            summary.average = Some(
                                (f64::from(sum) / ratings.len() as f64 * 100.0).round() / 100.0,
                            );
                        }
                    }
                    QuestionKind::Choice { options } => {
                        for o in options {
                            summary.counts.insert(o.clone(), 0);
                        }
                        for a in &answers {
                            if let Answer::Choice(c) = a {
                                *summary.counts.entry(c.clone()).or_default() += 1;
                            }
                        }
                    }
                    QuestionKind::Text { .. } => {
                        summary.texts = answers
                            .iter()
                            .rev()
                            .filter_map(|a| {
                                if let Answer::Text(t) = a {
                                    Some(t.clone())
                                } else {
                                    None
                                }
                            })
                            .take(100)
                            .collect();
                    }
                }
                summary
            })
            .collect();
        Ok(SurveySummary {
            survey: survey.id.clone(),
            title: survey.title.clone(),
            responses: responses.len(),
            questions,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveySummary {
    pub survey: Id,
    pub title: String,
    pub responses: usize,
    pub questions: Vec<QuestionSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionSummary {
    pub id: Id,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub answered: usize,
    /// Ratings only, to two decimals.
    pub average: Option<f64>,
    /// Ratings (per score) and choices (per option).
    pub counts: BTreeMap<String, u32>,
    /// Free text, newest first, at most 100.
    pub texts: Vec<String>,
}

/// One CSV cell: quoted when needed, and defused when a spreadsheet would
/// take it for a formula.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub(crate) fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    // A byte-order mark so that spreadsheet programs read Korean correctly.
    let mut out = String::from("\u{feff}");
    out.push_str(&header.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn kst_string(at: jiff::Timestamp) -> String {
    let (d, t) = crate::domain::kst_parts(at);
    format!("{d} {t}")
}

/// The reservations as CSV; `status` is each one's status as the admin
/// page shows it (지난 예약 once its time is over and nobody marked it).
/// Who took a 전화·방문 접수, in words for staff (the admin page and the
/// CSV): the facility's name, or 모든 시설 담당자 for the entry of every
/// facility (`*`).
pub fn staff_entry_label(catalog: &Catalog, entry: &str) -> String {
    match entry {
        "*" => "모든 시설 담당자".to_owned(),
        id => catalog
            .facility(id)
            .map_or_else(|| id.to_owned(), |f| f.name.clone()),
    }
}

pub fn reservations_csv(
    catalog: &Catalog,
    list: &[Reservation],
    status: impl Fn(&Reservation) -> &'static str,
) -> String {
    let header = [
        "예약번호",
        "상태",
        "장비ID",
        "장비",
        "시설ID",
        "이용일",
        "시작",
        "종료",
        "이름",
        "휴대전화 번호",
        "상호",
        "이메일",
        "교육 수료 확인 필요",
        "신청일시",
        "동의문 버전",
        "접수 방법",
        "면제한 규칙",
    ];
    csv(
        &header,
        list.iter().map(|r| {
            let p = r.person.as_ref();
            let taken = r.taken_by_staff.as_ref();
            vec![
                r.code.to_string(),
                status(r).to_owned(),
                r.run.equipment().to_string(),
                catalog
                    .equipment(r.run.equipment().as_str())
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                r.facility.to_string(),
                r.run.date().to_string(),
                r.run.start().to_string(),
                r.run.end().to_string(),
                p.map(|p| p.name.to_string()).unwrap_or_default(),
                p.map(|p| p.phone.to_string()).unwrap_or_default(),
                p.and_then(|p| p.business.as_ref())
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                p.and_then(|p| p.email.as_ref())
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                if r.training_check { "예" } else { "" }.to_owned(),
                kst_string(r.created_at),
                r.consent.version.clone(),
                taken
                    .map(|t| {
                        format!(
                            "전화·방문 접수({} 동의, {})",
                            t.consent.korean(),
                            staff_entry_label(catalog, &t.entry)
                        )
                    })
                    .unwrap_or_else(|| "온라인".to_owned()),
                taken
                    .map(|t| {
                        t.overrides
                            .iter()
                            .map(|o| o.korean())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
            ]
        }),
    )
}

pub fn applications_csv(catalog: &Catalog, list: &[Application]) -> String {
    let mut field_ids: Vec<String> = list
        .iter()
        .flat_map(|a| a.answers.keys().cloned())
        .collect();
    field_ids.sort();
    field_ids.dedup();
    let labels: Vec<String> = field_ids
        .iter()
        .map(|id| field_label(catalog, list, id))
        .collect();
    let mut header: Vec<&str> = vec![
        "접수번호",
        "상태",
        "구분",
        "대상ID",
        "대상",
        "순번",
        "이름",
        "휴대전화 번호",
        "상호",
        "이메일",
        "신청일시",
        "동의문 버전",
    ];
    header.extend(labels.iter().map(String::as_str));
    csv(
        &header,
        list.iter().map(|a| {
            let p = a.person.as_ref();
            let title = match a.target.kind {
                TargetKind::Programme => catalog
                    .programme(a.target.id.as_str())
                    .map(|p| p.title.clone()),
                TargetKind::Policy => catalog
                    .policy(a.target.id.as_str())
                    .map(|p| p.title.clone()),
                TargetKind::Job => catalog.job(a.target.id.as_str()).map(|j| j.title.clone()),
            };
            let mut row = vec![
                a.code.to_string(),
                a.status.korean().to_owned(),
                match a.target.kind {
                    TargetKind::Programme => "교육",
                    TargetKind::Policy => "지원사업",
                    TargetKind::Job => "구인",
                }
                .to_owned(),
                a.target.id.to_string(),
                title.unwrap_or_default(),
                a.seq.to_string(),
                p.map(|p| p.name.to_string()).unwrap_or_default(),
                p.map(|p| p.phone.to_string()).unwrap_or_default(),
                p.and_then(|p| p.business.as_ref())
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                p.and_then(|p| p.email.as_ref())
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                kst_string(a.created_at),
                a.consent.version.clone(),
            ];
            row.extend(
                field_ids
                    .iter()
                    .map(|f| a.answers.get(f).cloned().unwrap_or_default()),
            );
            row
        }),
    )
}

/// The column header of a form field's answers: the field's label in the
/// forms of the listed applications' policies and jobs (the labels, when
/// forms label the same id differently), else its id.
fn field_label(catalog: &Catalog, list: &[Application], id: &str) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for a in list.iter().filter(|a| a.answers.contains_key(id)) {
        let form = match a.target.kind {
            TargetKind::Policy => catalog
                .policy(a.target.id.as_str())
                .and_then(|p| p.form.as_deref()),
            TargetKind::Job => catalog.job(a.target.id.as_str()).map(|j| j.form.as_slice()),
            TargetKind::Programme => None,
        };
        let label = form
            .into_iter()
            .flatten()
            .find(|f| f.id.as_str() == id)
            .map(|f| f.label.as_str());
        if let Some(l) = label.filter(|l| !labels.contains(l)) {
            labels.push(l);
        }
    }
    if labels.is_empty() {
        id.to_owned()
    } else {
        labels.join(" / ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(cell("홍길동"), "홍길동");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }

    #[test]
    fn scopes() {
        let f: Id = "a".parse().unwrap();
        let g: Id = "b".parse().unwrap();
        let s = StaffScope::Facility(f.clone());
        assert!(s.covers(Some(&f)) && !s.covers(Some(&g)) && !s.covers(None));
        assert!(StaffScope::All.covers(None));
        assert_eq!(s.restrict(None).unwrap(), Some(f.clone()));
        assert!(s.restrict(Some(g)).is_err());
    }
}
