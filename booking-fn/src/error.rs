//! The crate's one error type: a stable machine code, a message for people
//! and per-field messages for forms (ids of the [catalogue](crate::Msg),
//! rendered in Korean or English at the edge), and the source for operators.

use std::collections::BTreeMap;
use std::fmt;

use crate::Msg;

/// Stable error codes. They are part of the API: clients branch on them,
/// so never rename one; add new ones instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    InvalidInput,
    NotFound,
    SlotTaken,
    OutsideHours,
    ClosedDay,
    TooSoon,
    TooFar,
    TooShort,
    TooLong,
    QuotaExceeded,
    NoShowBlocked,
    ConsentRequired,
    AlreadyApplied,
    NotOpen,
    Full,
    CancelDeadlinePassed,
    InvalidStatus,
    SurveyNotOpen,
    SurveyAlreadySubmitted,
    NoSurvey,
    NoOnlineForm,
    IdempotencyConflict,
    /// A freshly generated code already exists; the service retries with a
    /// new one. Never shown to people unless retries run out.
    DuplicateCode,
    /// Too many failed checks on one thing (a reservation code looked up by
    /// phone number) in a short time; refused until the window ends.
    TooManyAttempts,
    /// Staff marked the job posting filled (채용 완료): it takes no more
    /// applications, whatever its deadline.
    Filled,
    /// Staff closed the equipment or the whole facility for the day
    /// (장비 사용 중지, 임시 휴관): no bookings into it until the closure
    /// ends or is removed.
    Closed,
    /// 문자 cannot be sent: this deployment has no 문자 channel (or no
    /// one-time code template), or the provider refused the message.
    SmsUnavailable,
    Unauthorized,
    Forbidden,
    UnsupportedMediaType,
    PayloadTooLarge,
    OriginNotAllowed,
    /// The request did not come through the deployment's front end (on AWS,
    /// CloudFront): the origin verification header (`SBIZ_ORIGIN_SECRET`)
    /// was missing or wrong. Nothing was read or stored.
    DirectRequest,
    Storage,
    Internal,
}

impl Code {
    pub const ALL: [Code; 35] = [
        Code::InvalidInput,
        Code::NotFound,
        Code::SlotTaken,
        Code::OutsideHours,
        Code::ClosedDay,
        Code::TooSoon,
        Code::TooFar,
        Code::TooShort,
        Code::TooLong,
        Code::QuotaExceeded,
        Code::NoShowBlocked,
        Code::ConsentRequired,
        Code::AlreadyApplied,
        Code::NotOpen,
        Code::Full,
        Code::CancelDeadlinePassed,
        Code::InvalidStatus,
        Code::SurveyNotOpen,
        Code::SurveyAlreadySubmitted,
        Code::NoSurvey,
        Code::NoOnlineForm,
        Code::IdempotencyConflict,
        Code::DuplicateCode,
        Code::TooManyAttempts,
        Code::Filled,
        Code::Closed,
        Code::SmsUnavailable,
        Code::Unauthorized,
        Code::Forbidden,
        Code::UnsupportedMediaType,
        Code::PayloadTooLarge,
        Code::OriginNotAllowed,
        Code::DirectRequest,
        Code::Storage,
        Code::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidInput => "invalid_input",
            Code::NotFound => "not_found",
            Code::SlotTaken => "slot_taken",
            Code::OutsideHours => "outside_hours",
            Code::ClosedDay => "closed_day",
            Code::TooSoon => "too_soon",
            Code::TooFar => "too_far",
            Code::TooShort => "too_short",
            Code::TooLong => "too_long",
            Code::QuotaExceeded => "quota_exceeded",
            Code::NoShowBlocked => "no_show_blocked",
            Code::ConsentRequired => "consent_required",
            Code::AlreadyApplied => "already_applied",
            Code::NotOpen => "not_open",
            Code::Full => "full",
            Code::CancelDeadlinePassed => "cancel_deadline_passed",
            Code::InvalidStatus => "invalid_status",
            Code::SurveyNotOpen => "survey_not_open",
            Code::SurveyAlreadySubmitted => "survey_already_submitted",
            Code::NoSurvey => "no_survey",
            Code::NoOnlineForm => "no_online_form",
            Code::IdempotencyConflict => "idempotency_conflict",
            Code::DuplicateCode => "duplicate_code",
            Code::TooManyAttempts => "too_many_attempts",
            Code::Filled => "filled",
            Code::Closed => "closed",
            Code::SmsUnavailable => "sms_unavailable",
            Code::Unauthorized => "unauthorized",
            Code::Forbidden => "forbidden",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::PayloadTooLarge => "payload_too_large",
            Code::OriginNotAllowed => "origin_not_allowed",
            Code::DirectRequest => "direct_request",
            Code::Storage => "storage_unavailable",
            Code::Internal => "internal",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn http_status(self) -> u16 {
        match self {
            Code::InvalidInput | Code::ConsentRequired => 422,
            Code::NotFound | Code::NoSurvey | Code::NoOnlineForm => 404,
            Code::SlotTaken
            | Code::AlreadyApplied
            | Code::Full
            | Code::Filled
            | Code::Closed
            | Code::InvalidStatus
            | Code::SurveyAlreadySubmitted
            | Code::IdempotencyConflict
            | Code::DuplicateCode => 409,
            Code::OutsideHours
            | Code::ClosedDay
            | Code::TooSoon
            | Code::TooFar
            | Code::TooShort
            | Code::TooLong
            | Code::QuotaExceeded
            | Code::NotOpen
            | Code::CancelDeadlinePassed
            | Code::SurveyNotOpen => 422,
            Code::NoShowBlocked
            | Code::Forbidden
            | Code::OriginNotAllowed
            | Code::DirectRequest => 403,
            Code::Unauthorized => 401,
            Code::UnsupportedMediaType => 415,
            Code::PayloadTooLarge => 413,
            Code::TooManyAttempts => 429,
            Code::Storage | Code::SmsUnavailable => 503,
            Code::Internal => 500,
        }
    }

    /// The default message, in plain Korean.
    pub fn korean(self) -> &'static str {
        match self {
            Code::InvalidInput => "입력한 내용을 확인해 주세요.",
            Code::NotFound => "찾는 항목이 없습니다. 주소나 예약번호를 확인해 주세요.",
            Code::SlotTaken => "선택한 시간에 이미 다른 예약이 있습니다. 다른 시간을 골라 주세요.",
            Code::OutsideHours => "운영 시간이 아닌 시간이 포함되어 있습니다.",
            Code::ClosedDay => "휴관일에는 예약할 수 없습니다.",
            Code::TooSoon => {
                "아직 예약할 수 없는 날짜입니다. 장비마다 이용일 며칠 전까지 예약해야 하는지 정해져 있으니 장비의 예약 규칙을 확인해 주세요."
            }
            Code::TooFar => "아직 예약을 받지 않는 날짜입니다.",
            Code::TooShort => "최소 이용 시간보다 짧습니다.",
            Code::TooLong => "한 번에 예약할 수 있는 이용 시간을 초과했습니다.",
            Code::QuotaExceeded => "한 주에 이용할 수 있는 시간을 초과했습니다.",
            Code::NoShowBlocked => {
                "예약하고 이용하지 않은 기록이 있어 당분간 새로 예약할 수 없습니다."
            }
            Code::ConsentRequired => "개인정보 수집·이용에 동의해야 신청할 수 있습니다.",
            Code::AlreadyApplied => "이미 신청한 내역이 있습니다.",
            Code::NotOpen => "신청 기간이 아닙니다.",
            Code::Full => "정원과 대기 인원이 모두 찼습니다.",
            Code::CancelDeadlinePassed => {
                "취소할 수 있는 기한이 지났습니다. 시설에 전화로 문의해 주세요."
            }
            Code::InvalidStatus => "지금 상태에서는 할 수 없는 처리입니다.",
            Code::SurveyNotOpen => "만족도 조사는 이용이 끝난 뒤에 참여할 수 있습니다.",
            Code::SurveyAlreadySubmitted => "이미 만족도 조사에 참여하셨습니다. 감사합니다.",
            Code::NoSurvey => "이 항목에는 만족도 조사가 없습니다.",
            Code::NoOnlineForm => {
                "이 지원사업은 온라인 신청서를 받지 않습니다. 안내된 곳에서 신청해 주세요."
            }
            Code::IdempotencyConflict => {
                "이 신청서는 이미 다른 내용으로 접수되었습니다. 화면을 새로 고친 뒤 다시 보내 주세요."
            }
            Code::DuplicateCode => "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
            Code::TooManyAttempts => {
                "확인에 여러 번 실패하여 잠시 이용할 수 없습니다. 잠시 후 다시 시도해 주시거나 시설에 전화로 문의해 주세요."
            }
            Code::Filled => "채용이 끝나 더 이상 지원을 받지 않습니다.",
            Code::Closed => {
                "시설 사정으로 이 날은 예약을 받지 않습니다(임시 휴관 또는 장비 사용 중지). 다른 날을 골라 주세요."
            }
            Code::SmsUnavailable => {
                "지금은 인증번호 문자를 보낼 수 없습니다. 예약 조회에서 예약번호와 휴대전화 번호로 찾거나, 예약·신청을 마칠 때 받은 관리 링크를 이용해 주세요."
            }
            Code::Unauthorized => "관리자 인증이 필요합니다.",
            Code::Forbidden => "이 항목을 볼 권한이 없습니다.",
            Code::UnsupportedMediaType => "지원하지 않는 요청 형식입니다.",
            Code::PayloadTooLarge => "보낸 내용이 너무 큽니다.",
            Code::OriginNotAllowed => "허용되지 않은 곳에서 보낸 요청입니다.",
            Code::DirectRequest => {
                "포털 사이트를 거치지 않은 요청은 받지 않습니다. 포털 사이트에서 다시 이용해 주세요."
            }
            Code::Storage => "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
            Code::Internal => "처리 중 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
        }
    }
}

impl Code {
    /// The default message in English, for answers to the English edition
    /// (the code itself never changes with the language).
    pub fn english(self) -> &'static str {
        match self {
            Code::InvalidInput => "Please check what you entered.",
            Code::NotFound => {
                "We could not find what you are looking for. Please check the address or the reservation number."
            }
            Code::SlotTaken => "The time you chose is already booked. Please choose another time.",
            Code::OutsideHours => "The time you chose is outside the opening hours.",
            Code::ClosedDay => "You cannot book on a closed day.",
            Code::TooSoon => {
                "You cannot book this date yet. Each piece of equipment must be booked a set number of days ahead; please check its booking rules."
            }
            Code::TooFar => "This date is not open for booking yet.",
            Code::TooShort => "This is shorter than the shortest time you can book.",
            Code::TooLong => "This is longer than you can book at one time.",
            Code::QuotaExceeded => "This is more than you can use in one week.",
            Code::NoShowBlocked => {
                "Because you did not turn up for an earlier reservation, you cannot make new reservations for a while."
            }
            Code::ConsentRequired => {
                "You must agree to the collection and use of your personal information to apply."
            }
            Code::AlreadyApplied => "You have already applied.",
            Code::NotOpen => "Applications are not open now.",
            Code::Full => "All places and the waiting list are full.",
            Code::CancelDeadlinePassed => {
                "The cancellation deadline has passed. Please call the support center."
            }
            Code::InvalidStatus => "This cannot be done in the current status.",
            Code::SurveyNotOpen => "You can answer the satisfaction survey after your visit.",
            Code::SurveyAlreadySubmitted => {
                "You have already answered the satisfaction survey. Thank you."
            }
            Code::NoSurvey => "There is no satisfaction survey for this.",
            Code::NoOnlineForm => {
                "This support scheme does not take applications online. Please apply where its page says."
            }
            Code::IdempotencyConflict => {
                "This form has already been sent with different details. Please reload the page and send it again."
            }
            Code::DuplicateCode => "Something went wrong for a moment. Please try again shortly.",
            Code::TooManyAttempts => {
                "There were too many failed attempts, so this is blocked for a while. Please try again later or call the support center."
            }
            Code::Filled => "The position has been filled; no more applications are taken.",
            Code::Closed => {
                "The support center is not taking reservations for this day (temporary closure or equipment out of service). Please choose another day."
            }
            Code::SmsUnavailable => {
                "We cannot send verification codes by text message now. Please use the Look up a reservation page with your reservation number and mobile number, or the management link you received when you booked or applied."
            }
            Code::Unauthorized => "Staff sign-in is required.",
            Code::Forbidden => "You do not have permission to see this.",
            Code::UnsupportedMediaType => "This request format is not supported.",
            Code::PayloadTooLarge => "What you sent is too large.",
            Code::OriginNotAllowed => "This request came from a place that is not allowed.",
            Code::DirectRequest => {
                "Requests that do not come through the portal's website are not accepted. Please use the website."
            }
            Code::Storage => "Something went wrong for a moment. Please try again shortly.",
            Code::Internal => "Something went wrong. Please try again shortly.",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Messages per input field, keyed by the field's name in the request.
pub type FieldErrors = BTreeMap<String, Msg>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request broke a rule; safe to show to the person as is (in
    /// Korean by `Display`, in either language at the edge).
    #[error("{code}: {message}")]
    Rejected {
        code: Code,
        message: Msg,
        fields: FieldErrors,
    },
    /// The store failed; the context names the operation, never personal data.
    #[error("storage failure while {context}")]
    Storage {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Configuration the operator must fix (environment, files).
    #[error("configuration: {0}")]
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code) -> Error {
        Error::rejected(code, Msg::Code(code))
    }
    /// A refusal with its own message (an id of the [catalogue](Msg)).
    pub fn rejected(code: Code, message: Msg) -> Error {
        Error::Rejected {
            code,
            message,
            fields: FieldErrors::new(),
        }
    }
    /// A refusal with a Korean-only message ([`Msg::KoreanOnly`]): for what
    /// only staff read, and the store's fallbacks. Whatever a citizen may
    /// read is a [`Msg`] id, through [`Error::rejected`].
    pub fn with_message(code: Code, message: impl Into<String>) -> Error {
        Error::rejected(code, Msg::KoreanOnly(message.into().into()))
    }
    /// Invalid input with a message per field.
    pub fn fields(fields: FieldErrors) -> Error {
        Error::Rejected {
            code: Code::InvalidInput,
            message: Msg::Code(Code::InvalidInput),
            fields,
        }
    }
    pub fn field(name: &str, message: Msg) -> Error {
        Error::fields(FieldErrors::from([(name.to_owned(), message)]))
    }
    /// A Korean-only field message, for staff forms ([`Msg::KoreanOnly`]).
    pub fn staff_field(name: &str, message: impl Into<String>) -> Error {
        Error::field(name, Msg::KoreanOnly(message.into().into()))
    }
    pub fn storage(
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Storage {
            context,
            source: Box::new(source),
        }
    }
    pub fn code(&self) -> Code {
        match self {
            Error::Rejected { code, .. } => *code,
            Error::Storage { .. } => Code::Storage,
            Error::Config(_) => Code::Internal,
        }
    }
    /// The message for people (never internal details), to render in the
    /// answer's language.
    pub fn msg(&self) -> Msg {
        match self {
            Error::Rejected { message, .. } => message.clone(),
            other => Msg::Code(other.code()),
        }
    }
    /// The message in Korean.
    pub fn message(&self) -> String {
        self.msg().korean().into_owned()
    }
    /// The message in English: a Korean-only message gives way to the
    /// code's English default.
    pub fn english_message(&self) -> String {
        let code = self.code();
        self.msg()
            .english(None)
            .map_or_else(|| code.english().to_owned(), |m| m.into_owned())
    }
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Error::Rejected { fields, .. } if !fields.is_empty() => Some(fields),
            _ => None,
        }
    }
    pub fn is(&self, code: Code) -> bool {
        self.code() == code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            assert!((400..600).contains(&c.http_status()));
            assert!(!c.korean().is_empty());
            assert!(c.english().is_ascii() && !c.english().is_empty());
        }
    }
}
