//! What the stores keep: reservations, applications, survey responses.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sbiz_catalog::{Date, Id, Lang};
use serde::{Deserialize, Serialize};

use super::{ApplicationCode, Invalid, Person, PersonKey, ReservationCode, SlotRun, TokenHash};

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal / $korean:literal / $english:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            pub fn korean(self) -> &'static str {
                match self { $($name::$variant => $korean),+ }
            }
            /// The label in English (pages and messages in English).
            pub fn english(self) -> &'static str {
                match self { $($name::$variant => $english),+ }
            }
            /// The label in `lang`: what a page or a message in that
            /// language shows.
            pub fn label(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Ko => self.korean(),
                    Lang::En => self.english(),
                }
            }
            pub fn parse(s: &str) -> Result<$name, Invalid> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or(Invalid(crate::Msg::korean_only("알 수 없는 상태입니다.")))
            }
        }
    };
}

status_enum!(
    /// Life of a reservation: pending → confirmed → attended / no_show;
    /// pending or confirmed → cancelled (by the person) or rejected (by staff).
    ReservationStatus {
        Pending = "pending" / "승인 대기" / "Awaiting staff approval",
        Confirmed = "confirmed" / "예약 확정" / "Confirmed",
        Rejected = "rejected" / "반려" / "Declined",
        Cancelled = "cancelled" / "취소" / "Cancelled",
        Attended = "attended" / "이용 완료" / "Used",
        NoShow = "no_show" / "예약 부도" / "No-show",
    }
);

impl ReservationStatus {
    /// Whether a reservation in this status holds its slots and quota.
    pub fn holds_slots(self) -> bool {
        !matches!(
            self,
            ReservationStatus::Rejected | ReservationStatus::Cancelled
        )
    }
}

status_enum!(
    /// Life of an application. Programmes: enrolled or waitlisted →
    /// attended / no_show, or cancelled / rejected (a freed seat goes to the
    /// first on the waitlist). Policies: submitted → approved / rejected, or
    /// cancelled. Jobs: submitted (접수) → reviewing (검토) → interview
    /// (면접) → hired (채용) / not_hired (불채용), or cancelled (withdrawn
    /// by the applicant before a decision).
    ApplicationStatus {
        Enrolled = "enrolled" / "수강 확정" / "Enrolled",
        Waitlisted = "waitlisted" / "대기" / "On the waiting list",
        Submitted = "submitted" / "접수" / "Received",
        Approved = "approved" / "선정" / "Selected",
        Rejected = "rejected" / "미선정" / "Not selected",
        Cancelled = "cancelled" / "취소" / "Cancelled",
        Attended = "attended" / "수료" / "Completed",
        NoShow = "no_show" / "불참" / "Did not attend",
        Reviewing = "reviewing" / "검토" / "Under review",
        Interview = "interview" / "면접" / "Interview",
        Hired = "hired" / "채용" / "Hired",
        NotHired = "not_hired" / "불채용" / "Not hired",
    }
);

impl ApplicationStatus {
    /// Whether an application in this status counts as the person's one
    /// application to its programme, policy or job posting. A job
    /// application that was not successful (불채용) still counts: one
    /// application per person per posting.
    pub fn is_active(self) -> bool {
        !matches!(
            self,
            ApplicationStatus::Rejected | ApplicationStatus::Cancelled
        )
    }
    /// Whether it occupies one of the programme's seats.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Enrolled | ApplicationStatus::Attended | ApplicationStatus::NoShow
        )
    }
}

/// The consent a person gave (개인정보보호법 art. 15, 22): which text, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub version: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reservation {
    pub code: ReservationCode,
    pub token_hash: TokenHash,
    pub facility: Id,
    pub run: SlotRun,
    pub status: ReservationStatus,
    /// Held for staff because the required training is not on record.
    pub training_check: bool,
    /// `None` once purged.
    pub person: Option<Person>,
    /// `None` once purged.
    pub person_key: Option<PersonKey>,
    pub consent: ConsentRecord,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Personal fields are blanked after this day.
    pub purge_after: Date,
    /// Taken by staff on the person's behalf (전화·방문 접수): how consent
    /// was given, which staff entry took it, which rules were waived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by_staff: Option<StaffBooking>,
    /// The language it was made in: its messages and management link are in
    /// that language (Korean unless booked from the English edition).
    #[serde(default, skip_serializing_if = "is_korean")]
    pub lang: Lang,
    /// Who cancelled it, set with the status 취소; `None` while not
    /// cancelled, and for reservations cancelled before this was recorded
    /// (기록 없음).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_by: Option<CancelledBy>,
}

/// Who cancelled a reservation. No personal data: which kind of actor,
/// not who.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The person, with the management link or in 내 예약·신청.
    Applicant,
    /// Staff changing the status on the admin page.
    Staff,
    /// Staff cancelling every booking inside a closure (임시 휴관, 장비
    /// 사용 중지: 모두 취소하고 알리기).
    Closure,
}

impl CancelledBy {
    pub const ALL: &'static [CancelledBy] = &[
        CancelledBy::Applicant,
        CancelledBy::Staff,
        CancelledBy::Closure,
    ];
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelledBy::Applicant => "applicant",
            CancelledBy::Staff => "staff",
            CancelledBy::Closure => "closure",
        }
    }
    pub fn parse(s: &str) -> Option<CancelledBy> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// The status of a reservation or of an application, where one message
/// serves both (a store's refusal of a change the status does not allow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStatus {
    Reservation(ReservationStatus),
    Application(ApplicationStatus),
}

impl RecordStatus {
    pub fn korean(self) -> &'static str {
        match self {
            RecordStatus::Reservation(s) => s.korean(),
            RecordStatus::Application(s) => s.korean(),
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            RecordStatus::Reservation(s) => s.english(),
            RecordStatus::Application(s) => s.english(),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordStatus::Reservation(s) => s.label(lang),
            RecordStatus::Application(s) => s.label(lang),
        }
    }
}

impl From<ReservationStatus> for RecordStatus {
    fn from(s: ReservationStatus) -> Self {
        RecordStatus::Reservation(s)
    }
}

impl From<ApplicationStatus> for RecordStatus {
    fn from(s: ApplicationStatus) -> Self {
        RecordStatus::Application(s)
    }
}

/// Whether a record's language is the default (not written).
pub fn is_korean(lang: &Lang) -> bool {
    *lang == Lang::Ko
}

/// How a person gave consent to staff taking a booking for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// 구두: said on the phone or at the desk.
    Verbal,
    /// 서면: signed on paper (kept by the facility).
    Paper,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 2] = [ConsentMethod::Verbal, ConsentMethod::Paper];
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Verbal => "verbal",
            ConsentMethod::Paper => "paper",
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            ConsentMethod::Verbal => "구두",
            ConsentMethod::Paper => "서면",
        }
    }
    pub fn parse(s: &str) -> Option<ConsentMethod> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A booking rule staff may waive when taking a booking for someone.
/// Never waivable: a slot already held, a closed day or holiday, the
/// opening hours and slot grid, the run's length limits, a time already
/// past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOverride {
    /// 예약 가능 기간: `min_days_ahead` / `max_days_ahead`.
    Window,
    /// The weekly quota (`weekly_quota_hours`).
    Quota,
    /// The block after repeated no-shows.
    NoShowBlock,
    /// The training requirement (the reservation is confirmed without
    /// waiting for a training check).
    Training,
}

impl RuleOverride {
    pub const ALL: [RuleOverride; 4] = [
        RuleOverride::Window,
        RuleOverride::Quota,
        RuleOverride::NoShowBlock,
        RuleOverride::Training,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RuleOverride::Window => "window",
            RuleOverride::Quota => "quota",
            RuleOverride::NoShowBlock => "no_show_block",
            RuleOverride::Training => "training",
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            RuleOverride::Window => "예약 가능 기간",
            RuleOverride::Quota => "주간 이용 한도",
            RuleOverride::NoShowBlock => "예약 부도에 따른 예약 제한",
            RuleOverride::Training => "필수 교육 수료",
        }
    }
    pub fn parse(s: &str) -> Option<RuleOverride> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// How long a training record is kept after the completion date: it
/// outlives the purge of the person's reservations and applications (it
/// holds no personal data beyond the keyed hash of the person), so that a
/// person trained once still counts as trained for bookings.
pub const TRAINING_RETENTION_YEARS: i32 = 5;

/// That someone completed a programme (including training done offline):
/// the minimal form kept after the personal-data purge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// The person, as the keyed hash of their phone number.
    pub person: PersonKey,
    pub programme: Id,
    /// The day of completion (Korea).
    pub completed: Date,
    /// The staff entry that recorded it (its scope label, never the token).
    pub entry: String,
    pub recorded_at: Timestamp,
}

impl TrainingRecord {
    /// The last day the record is kept.
    pub fn keep_until(&self) -> Date {
        // Whole years, counting the leap days they may hold.
        self.completed
            .add_days(TRAINING_RETENTION_YEARS * 365 + TRAINING_RETENTION_YEARS / 4 + 1)
    }
}

/// A booking staff took on someone's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffBooking {
    /// The staff entry that took it: its scope label (a facility id, or
    /// `*`), never the token.
    pub entry: String,
    pub consent: ConsentMethod,
    /// The rules staff waived, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<RuleOverride>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Programme,
    Policy,
    /// A job posting (구인정보) that takes applications on the portal.
    Job,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Programme => "programme",
            TargetKind::Policy => "policy",
            TargetKind::Job => "job",
        }
    }
    pub fn parse(s: &str) -> Result<TargetKind, Invalid> {
        match s {
            "programme" => Ok(TargetKind::Programme),
            "policy" => Ok(TargetKind::Policy),
            "job" => Ok(TargetKind::Job),
            _ => Err(Invalid(crate::Msg::korean_only(
                "programme, policy, job 중 하나여야 합니다.",
            ))),
        }
    }
}

/// What an application is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    pub kind: TargetKind,
    pub id: Id,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub code: ApplicationCode,
    pub token_hash: TokenHash,
    pub target: Target,
    /// The programme's facility, or the facility that posted the job;
    /// `None` for policies (city-wide).
    pub facility: Option<Id>,
    pub status: ApplicationStatus,
    /// Arrival order within the target, from 1; set by the store.
    pub seq: u64,
    /// Policy and job form answers by field id (may hold personal data:
    /// purged too).
    pub answers: BTreeMap<String, String>,
    pub person: Option<Person>,
    pub person_key: Option<PersonKey>,
    pub consent: ConsentRecord,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub purge_after: Date,
    /// The language it was made in (see [`Reservation::lang`]).
    #[serde(default, skip_serializing_if = "is_korean")]
    pub lang: Lang,
}

/// Every field but the form answers' values (personal data, as the
/// person's fields, which print as `…`): only their field ids.
impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("code", &self.code)
            .field("token_hash", &self.token_hash)
            .field("target", &self.target)
            .field("facility", &self.facility)
            .field("status", &self.status)
            .field("seq", &self.seq)
            .field("answers", &self.answers.keys().collect::<Vec<_>>())
            .field("person", &self.person)
            .field("person_key", &self.person_key)
            .field("consent", &self.consent)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("purge_after", &self.purge_after)
            .field("lang", &self.lang)
            .finish()
    }
}

/// What a survey response is about: one reservation or one application.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Subject {
    Reservation(ReservationCode),
    Application(ApplicationCode),
}

impl Subject {
    /// A key unique across both kinds, e.g. "reservation:R7K29QXH".
    pub fn key(&self) -> String {
        match self {
            Subject::Reservation(c) => format!("reservation:{}", c.compact()),
            Subject::Application(c) => format!("application:{}", c.compact()),
        }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Rating(u8),
    Choice(String),
    /// Free text, which may name a person: never printed by `{:?}`, and
    /// destroyed with the record's personal data
    /// ([`SurveyResponse::drop_text`]).
    Text(String),
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Rating(n) => write!(f, "Rating({n})"),
            Answer::Choice(c) => write!(f, "Choice({c:?})"),
            Answer::Text(_) => f.write_str("Text(…)"),
        }
    }
}

/// A response: it names the reservation or application once (to allow one
/// response each) but holds no personal fields. Its free-text answers may
/// (someone can write their name or number in a comment): the purge drops
/// them once the record's personal data is purged, and the ratings and
/// choices stay for the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub survey: Id,
    pub subject: Subject,
    /// The equipment's or programme's facility, for scoping staff views.
    pub facility: Option<Id>,
    pub answers: BTreeMap<String, Answer>,
    pub submitted_at: Timestamp,
}

impl SurveyResponse {
    /// Drops the free-text answers; whether there were any.
    pub fn drop_text(&mut self) -> bool {
        drop_text_answers(&mut self.answers)
    }
}

/// Drops the free-text answers of a response's answers; whether there were
/// any.
pub fn drop_text_answers(answers: &mut BTreeMap<String, Answer>) -> bool {
    let before = answers.len();
    answers.retain(|_, a| !matches!(a, Answer::Text(_)));
    answers.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status has an English label without Hangul, its label in a
    /// language is that language's label, and it is written (in JSON, in the
    /// views) as its key.
    #[test]
    fn every_status_has_its_english_label() {
        let all = ReservationStatus::ALL
            .iter()
            .map(|s| RecordStatus::from(*s))
            .chain(
                ApplicationStatus::ALL
                    .iter()
                    .map(|s| RecordStatus::from(*s)),
            );
        for s in all {
            let en = s.english();
            assert!(!en.is_empty() && en.is_ascii(), "{s:?}: {en}");
            assert_eq!(s.label(Lang::En), en, "{s:?}");
            assert_eq!(s.label(Lang::Ko), s.korean(), "{s:?}");
        }
        for s in ReservationStatus::ALL {
            assert_eq!(serde_json::json!(s), s.as_str(), "{s:?}");
        }
        for s in ApplicationStatus::ALL {
            assert_eq!(serde_json::json!(s), s.as_str(), "{s:?}");
        }
        assert_eq!(
            RecordStatus::from(ReservationStatus::Rejected).english(),
            "Declined"
        );
        assert_eq!(
            RecordStatus::from(ApplicationStatus::Rejected).english(),
            "Not selected"
        );
    }
}
