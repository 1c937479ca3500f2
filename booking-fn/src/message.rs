//! The catalogue of the function's messages to people: every message a
//! citizen can read (a field's problem, a refused rule, a record not found)
//! is a [`Msg`], an id with typed values (dates, durations, labels,
//! counts), and each id has its Korean and its English text here, in one
//! exhaustive `match` per language: a new id without English does not
//! compile.
//!
//! The domain and the service say what went wrong with a `Msg`; the edge
//! renders it in the answer's language ([`Msg::korean`], [`Msg::english`]).
//! The Korean text is what JSON clients, logs and staff pages have always
//! read, and never changes with the language. The error codes' defaults are
//! [`Msg::Code`] ([`Code::korean`], [`Code::english`]).
//!
//! How to add a message: add a variant (its values typed, never a
//! pre-formatted Korean string), its Korean in [`Msg::korean`] and its
//! English in [`Msg::english`] (the compiler asks for both), and a sample
//! in `tests::samples` (the test renders every sample in both languages and
//! checks the English has no Hangul and carries the values). A value that
//! reads differently in English (a duration, a status) gets its own type
//! or is rendered per language in both arms; a form field's label is the
//! `label` value, replaced in English by the English label the form shows
//! when the edge knows it.
//!
//! [`Msg::KoreanOnly`] is the one exception: texts only staff read (staff
//! pages and the staff API stay Korean). It has no English: an English answer shows the error code's English text
//! instead of it (a field message stays Korean).

use std::borrow::Cow;
use std::fmt;

use sbiz_catalog::{Date, TimeOfDay, TimeRange};

use crate::Code;
use crate::domain::{ApplicationStatus, ClosureNotice, RecordStatus, ReservationStatus};

/// A message id and its values. See the [module](self) for how to add one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// The default message of an error code.
    Code(Code),
    /// A Korean-only text (what only staff read); no English.
    KoreanOnly(Cow<'static, str>),

    // Person fields (domain/person.rs, api/requests.rs).
    NameMissing,
    NameTooLong,
    BusinessMissing,
    BusinessTooLong,
    EmailFormat,
    PhoneMissing,
    PhoneFormat,
    EmailForUpdates,
    NotifyChoice,
    ControlCharacters,
    InvisibleFormat,
    IdempotencyKey,
    // Reading the request (api/input.rs).
    InputTooLong,
    FormUnreadable,
    JsonUnreadable,
    TooManyFields,
    BodyCutShort,
    JsonObject,
    JsonValues,
    // Reservation numbers, links, codes.
    NumberFormat,
    ReservationNumberMissing,
    ManageLinkInvalid,
    VerificationCodeFormat,
    VerificationCodeMissing,
    // The time of a booking (api/requests.rs, domain/slot.rs, rules).
    StartMissing,
    LengthMissing,
    LengthAndEnd,
    SlotLengthInvalid,
    RunTooLong,
    /// A run of slots and its messages that do not fit in one DynamoDB
    /// transaction (100 items).
    TooManyAtOnce,
    PastMidnight,
    PastDate,
    Holiday,
    PastTime,
    /// The end time is not after the start on the slot grid of `0` minutes.
    EndTimeStep(u16),
    /// At most `0` days of availability at a time.
    AvailabilityDays(i32),
    EndBeforeStart,
    /// A booking's date, with an example date.
    UseDateFormat(Date),
    /// Any date, with an example date.
    DateFormat(Date),
    // Booking rules (domain/rules.rs, service/reservations.rs).
    /// Booked less than `days` ahead; bookable from `from`.
    BookAhead {
        days: u16,
        from: Date,
    },
    /// Booked more than `0` days ahead.
    BookWithin(u16),
    /// Shorter than the shortest run.
    AtLeast(Duration),
    /// Longer than the longest run.
    AtMost(Duration),
    /// Partly outside the day's opening hours (before the first range or
    /// after the last).
    OpeningHours(Vec<TimeRange>),
    /// Over the break `gap` between two of the day's opening hours.
    BreakTime {
        gap: TimeRange,
        hours: Vec<TimeRange>,
    },
    /// Within the opening hours but not starting on a slot: starts go in
    /// steps of `unit` from `from`.
    StartOnGrid {
        from: TimeOfDay,
        unit: Duration,
    },
    /// Over the weekly quota of `0` hours.
    WeeklyQuota(u16),
    /// No new reservations until the day, after a no-show.
    NoShowReservations(Date),
    ReservationNotCancellable(ReservationStatus),
    /// A status change the record's status does not allow, found by the
    /// store (the service checks first; this is the store's last word when
    /// a change raced another).
    StatusNotAllowed(RecordStatus),
    ReservationNotMovable(ReservationStatus),
    /// Cancelling is allowed until `0` hours before the start.
    CancelHours(u16),
    /// Moving is allowed until `0` hours before the start.
    MoveHours(u16),
    /// A reservation number locked after wrong phone numbers, until a time.
    LookupLocked(TimeOfDay),
    SameTime,
    SlotTakenChosen,
    // Not found, closed, full (service).
    EquipmentNotFound,
    ReservationNotFoundCheck,
    ReservationNotFound,
    ProgrammeNotFound,
    PolicyNotFound,
    ApplicationNotFound,
    CourseStarted,
    JobNotFound,
    JobFilled,
    JobAlreadyApplied,
    SurveyNotForThis,
    SurveyNotUsed,
    SurveyNotAttended,
    ChooseOption,
    CapacityFull,
    // Applications (service/applications.rs, service/jobs.rs).
    ApplicationsOpen(Date),
    ApplicationsClosed {
        from: Date,
        until: Date,
    },
    // A booking into days staff closed (service/closures.rs): the note
    // inside `notice` stays Korean, as typed.
    Closed {
        from: Date,
        to: Date,
        notice: ClosureNotice,
    },
    NoShowApplications(Date),
    ApplicationNotCancellable(ApplicationStatus),
    JobOpens(Date),
    JobDeadline(Date),
    // Form fields and survey answers (domain/forms.rs): `label` is the
    // field's Korean label.
    FieldConsent {
        label: String,
    },
    FieldMissing {
        label: String,
    },
    FieldTooLong {
        label: String,
        max: u32,
    },
    FieldNumber {
        label: String,
    },
    FieldMin {
        label: String,
        min: i64,
    },
    FieldMax {
        label: String,
        max: i64,
    },
    FieldDateFormat {
        label: String,
        example: Date,
    },
    FieldDateRange {
        label: String,
    },
    FieldChoose {
        label: String,
    },
    FieldControlCharacters {
        label: String,
    },
    FieldInvisibleFormat {
        label: String,
    },
    AnswerMissing {
        label: String,
    },
    /// A rating outside 1 to `0`.
    RatingRange(u8),
    /// An answer longer than `0` characters.
    AnswerTooLong(u32),
    // 내 예약·신청 (service/my.rs, api/handlers/my.rs).
    SmsNotConfigured,
    SmsPhone,
    SmsNotSent,
    CodeTimeUp,
    SignInRequired,
    /// Too many codes asked from one device, locked until the date and time.
    DeviceLocked(Date, TimeOfDay),
    /// Too many wrong codes for one phone, locked until the date and time.
    WrongCodesLocked(Date, TimeOfDay),
    /// Too many codes asked for one phone, locked until the date and time.
    PhoneLocked(Date, TimeOfDay),
    /// A wrong code, `0` more tries left.
    CodeWrong(u32),
    CodeWrongSpent,
    /// A code spent after `0` wrong tries.
    CodeLocked(u32),
    /// A code past its `0` minutes, or used.
    CodeExpired(i64),
    // The router.
    NoSuchAddress,
    MethodNotAllowed,
}

/// A length of time, written "1시간 30분" in Korean and "1 hour 30
/// minutes" in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub minutes: u32,
}

impl Duration {
    /// A run of `count` slots of `slot_minutes`.
    pub fn of_slots(slot_minutes: u16, count: u16) -> Duration {
        Duration {
            minutes: u32::from(slot_minutes) * u32::from(count),
        }
    }

    /// "2시간", "30분", "1시간 30분".
    pub fn korean(self) -> String {
        match (self.minutes / 60, self.minutes % 60) {
            (0, m) => format!("{m}분"),
            (h, 0) => format!("{h}시간"),
            (h, m) => format!("{h}시간 {m}분"),
        }
    }

    /// "2 hours", "30 minutes", "1 hour 30 minutes".
    pub fn english(self) -> String {
        let unit = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match (self.minutes / 60, self.minutes % 60) {
            (0, m) => unit(m, "minute", "minutes"),
            (h, 0) => unit(h, "hour", "hours"),
            (h, m) => format!(
                "{} {}",
                unit(h, "hour", "hours"),
                unit(m, "minute", "minutes")
            ),
        }
    }
}

/// A time range as the pages write it: "09:00~12:00".
fn range_text(r: &TimeRange) -> String {
    format!("{}~{}", r.start, r.end)
}

fn hours_list(hours: &[TimeRange]) -> String {
    hours.iter().map(range_text).collect::<Vec<_>>().join(", ")
}

impl Msg {
    /// A Korean-only text (see [`Msg::KoreanOnly`]).
    pub const fn korean_only(text: &'static str) -> Msg {
        Msg::KoreanOnly(Cow::Borrowed(text))
    }

    /// The message in Korean.
    pub fn korean(&self) -> Cow<'static, str> {
        let fixed = |s: &'static str| Cow::Borrowed(s);
        let made = |s: String| Cow::Owned(s);
        match self {
            Msg::Code(code) => fixed(code.korean()),
            Msg::KoreanOnly(text) => text.clone(),
            Msg::NameMissing => fixed("이름을 입력해 주세요."),
            Msg::NameTooLong => fixed("이름은 40자 이내로 입력해 주세요."),
            Msg::BusinessMissing => {
                fixed("상호를 입력해 주세요. 사업자등록을 하지 않았으면 '개인'이라고 적어 주세요.")
            }
            Msg::BusinessTooLong => fixed("상호는 100자 이내로 입력해 주세요."),
            Msg::EmailFormat => fixed("이메일 주소를 name@example.com 형식으로 입력해 주세요."),
            Msg::PhoneMissing => fixed("휴대전화 번호를 입력해 주세요."),
            Msg::PhoneFormat => fixed("휴대전화 번호를 010-1234-5678처럼 입력해 주세요."),
            Msg::EmailForUpdates => fixed("이메일로 안내를 받으시려면 이메일 주소를 적어 주세요."),
            Msg::NotifyChoice => {
                fixed("안내 받을 방법은 sms, email, sms,email, none 가운데 하나여야 합니다.")
            }
            Msg::ControlCharacters => fixed("쓸 수 없는 문자가 들어 있습니다."),
            Msg::InvisibleFormat => fixed(
                "보이지 않는 서식 문자(글자 방향 바꿈, 폭 없는 공백 등)가 들어 있습니다. 그 문자를 지우고 다시 입력해 주세요.",
            ),
            Msg::IdempotencyKey => {
                fixed("요청 번호(Idempotency-Key)는 영문·숫자 8~36자여야 합니다.")
            }
            Msg::InputTooLong => fixed("입력한 내용이 너무 깁니다. 줄여서 다시 보내 주세요."),
            Msg::FormUnreadable => fixed("보낸 양식을 읽을 수 없습니다."),
            Msg::JsonUnreadable => fixed("보낸 JSON을 읽을 수 없습니다."),
            Msg::TooManyFields => fixed("항목이 너무 많습니다."),
            Msg::BodyCutShort => fixed("보낸 내용을 끝까지 받지 못했습니다."),
            Msg::JsonObject => fixed("JSON 객체를 보내 주세요."),
            Msg::JsonValues => fixed("값은 문자열, 숫자 또는 참/거짓이어야 합니다."),
            Msg::NumberFormat => fixed("번호는 R7K2-9QXH처럼 영문과 숫자 8자입니다."),
            Msg::ReservationNumberMissing => fixed("예약번호를 입력해 주세요."),
            Msg::ManageLinkInvalid => fixed("관리 링크가 올바르지 않습니다."),
            Msg::VerificationCodeFormat => fixed("인증번호는 숫자 6자리입니다."),
            Msg::VerificationCodeMissing => fixed("문자로 받은 인증번호 6자리를 입력해 주세요."),
            Msg::StartMissing => fixed("시작 시간을 골라 주세요."),
            Msg::LengthMissing => fixed("이용 시간을 골라 주세요."),
            Msg::LengthAndEnd => fixed("이용 시간(slots)과 끝 시간(end) 중 하나만 보내 주세요."),
            Msg::SlotLengthInvalid => fixed("예약 단위 시간이 올바르지 않습니다."),
            Msg::RunTooLong => fixed("한 번에 예약할 수 있는 이용 시간을 초과했습니다."),
            Msg::TooManyAtOnce => {
                fixed("한 번에 예약할 수 있는 시간을 넘었습니다. 나누어 예약해 주세요.")
            }
            Msg::PastMidnight => fixed("예약은 자정을 넘길 수 없습니다."),
            Msg::PastDate => fixed("지난 날짜는 예약할 수 없습니다."),
            Msg::Holiday => fixed("공휴일에는 예약할 수 없습니다."),
            Msg::PastTime => fixed("이미 지난 시간은 예약할 수 없습니다."),
            Msg::EndTimeStep(step) => {
                made(format!("끝 시간은 시작 뒤, {step}분 단위로 골라 주세요."))
            }
            Msg::AvailabilityDays(days) => {
                made(format!("한 번에 {days}일까지 조회할 수 있습니다."))
            }
            Msg::EndBeforeStart => fixed("끝 날짜는 시작 날짜와 같거나 뒤여야 합니다."),
            Msg::UseDateFormat(example) => made(format!("이용일을 {example}처럼 입력해 주세요.")),
            Msg::DateFormat(example) => made(format!("날짜를 {example}처럼 입력해 주세요.")),
            Msg::BookAhead { days, from } => made(format!(
                "이 장비는 이용일 {days}일 전까지 예약해야 합니다. {from}부터 예약할 수 있습니다."
            )),
            Msg::BookWithin(days) => made(format!(
                "이 장비는 오늘부터 {days}일 뒤까지만 예약할 수 있습니다."
            )),
            Msg::AtLeast(d) => made(format!("한 번에 {} 이상 예약해야 합니다.", d.korean())),
            Msg::AtMost(d) => made(format!("한 번에 {}까지 예약할 수 있습니다.", d.korean())),
            Msg::OpeningHours(hours) => made(format!(
                "고른 시간이 이 날의 이용 시간({})을 벗어납니다. 이용 시간 안에서 골라 주세요.",
                hours_list(hours)
            )),
            Msg::BreakTime { gap, hours } => made(format!(
                "쉬는 시간({})에는 예약할 수 없습니다. 이 날의 이용 시간은 {}입니다.",
                range_text(gap),
                hours_list(hours)
            )),
            Msg::StartOnGrid { from, unit } => made(format!(
                "시작 시간은 {from}부터 {} 단위로 골라 주세요.",
                unit.korean()
            )),
            Msg::WeeklyQuota(hours) => made(format!(
                "이 장비는 한 사람이 한 주(월~일)에 {hours}시간까지 이용할 수 있습니다."
            )),
            Msg::NoShowReservations(until) => made(format!(
                "예약하고 이용하지 않은 기록이 있어 {until}까지 새로 예약할 수 없습니다."
            )),
            Msg::StatusNotAllowed(s) => made(format!(
                "지금 상태({})에서는 할 수 없는 처리입니다.",
                s.korean()
            )),
            Msg::ReservationNotCancellable(s) => made(format!(
                "이 예약은 이미 '{}' 상태라 취소할 수 없습니다.",
                s.korean()
            )),
            Msg::ReservationNotMovable(s) => made(format!(
                "이 예약은 이미 '{}' 상태라 시간을 바꿀 수 없습니다.",
                s.korean()
            )),
            Msg::CancelHours(h) => made(format!(
                "이용 시작 {h}시간 전까지만 취소할 수 있습니다. 시설에 전화로 문의해 주세요."
            )),
            Msg::MoveHours(h) => made(format!(
                "이용 시작 {h}시간 전까지만 예약을 바꿀 수 있습니다. 시설에 전화로 문의해 주세요."
            )),
            Msg::LookupLocked(until) => made(format!(
                "휴대전화 번호 확인에 여러 번 실패하여 이 예약번호는 {until}까지 조회할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 급하시면 이용하실 시설에 전화로 문의해 주세요."
            )),
            Msg::SameTime => fixed("지금 예약과 같은 시간입니다. 다른 날짜나 시간을 골라 주세요."),
            Msg::SlotTakenChosen => {
                fixed("고른 시간에 이미 다른 예약이 있습니다. 다른 시간을 골라 주세요.")
            }
            Msg::EquipmentNotFound => fixed("해당 장비를 찾을 수 없습니다."),
            Msg::ReservationNotFoundCheck => fixed(
                "예약을 찾을 수 없습니다. 예약번호와 관리 링크(또는 휴대전화 번호)를 확인해 주세요.",
            ),
            Msg::ReservationNotFound => fixed("예약을 찾을 수 없습니다."),
            Msg::ProgrammeNotFound => fixed("해당 교육을 찾을 수 없습니다."),
            Msg::PolicyNotFound => fixed("해당 지원사업을 찾을 수 없습니다."),
            Msg::ApplicationNotFound => {
                fixed("신청 내역을 찾을 수 없습니다. 접수번호와 관리 링크를 확인해 주세요.")
            }
            Msg::CourseStarted => fixed(
                "교육이 이미 시작되어 온라인으로 취소할 수 없습니다. 운영 기관에 문의해 주세요.",
            ),
            Msg::JobNotFound => fixed("온라인으로 지원할 수 있는 구인정보를 찾을 수 없습니다."),
            Msg::JobFilled => fixed("채용이 끝나 이 구인은 더 이상 지원을 받지 않습니다."),
            Msg::JobAlreadyApplied => {
                fixed("이 구인에 이미 지원하셨습니다. 한 구인에는 한 번만 지원할 수 있습니다.")
            }
            Msg::SurveyNotForThis => fixed("이 예약·신청에 해당하는 설문이 아닙니다."),
            Msg::SurveyNotUsed => fixed("이용한 예약에 대해서만 참여할 수 있습니다."),
            Msg::SurveyNotAttended => fixed("교육에 참여한 분만 응답할 수 있습니다."),
            Msg::ChooseOption => fixed("주어진 항목 중에서 골라 주세요."),
            Msg::CapacityFull => fixed("정원이 모두 찼습니다."),
            Msg::ApplicationsOpen(from) => made(format!("신청은 {from}부터 받습니다.")),
            Msg::ApplicationsClosed { from, until } => {
                made(format!("신청 기간({from}~{until})이 끝났습니다."))
            }
            Msg::Closed { from, to, notice } => made(format!(
                "{from}~{to}에는 예약을 받지 않습니다(사유: {}). 다른 날을 골라 주세요.",
                notice.korean()
            )),
            Msg::NoShowApplications(until) => made(format!(
                "신청하고 참여하지 않은 기록이 있어 {until}까지 새로 신청할 수 없습니다."
            )),
            Msg::ApplicationNotCancellable(s) => made(format!(
                "이 신청은 이미 '{}' 상태라 취소할 수 없습니다.",
                s.korean()
            )),
            Msg::JobOpens(from) => made(format!("이 구인은 {from}부터 지원을 받습니다.")),
            Msg::JobDeadline(day) => made(format!(
                "지원 마감일({day})이 지나 더 이상 지원을 받지 않습니다."
            )),
            Msg::FieldConsent { label } => {
                made(format!("'{label}'에 동의(선택)해야 신청할 수 있습니다."))
            }
            Msg::FieldMissing { label } => made(format!("'{label}' 항목을 입력해 주세요.")),
            Msg::FieldTooLong { label, max } => {
                made(format!("'{label}' 항목은 {max}자 이내로 입력해 주세요."))
            }
            Msg::FieldNumber { label } => made(format!("'{label}' 항목은 숫자로 입력해 주세요.")),
            Msg::FieldMin { label, min } => {
                made(format!("'{label}' 항목은 {min} 이상이어야 합니다."))
            }
            Msg::FieldMax { label, max } => {
                made(format!("'{label}' 항목은 {max} 이하여야 합니다."))
            }
            Msg::FieldDateFormat { label, example } => {
                made(format!("'{label}' 항목은 {example}처럼 입력해 주세요."))
            }
            Msg::FieldDateRange { label } => made(format!(
                "'{label}' 항목의 날짜는 고를 수 있는 기간 안에서 골라 주세요."
            )),
            Msg::FieldChoose { label } => {
                made(format!("'{label}' 항목은 주어진 보기 중에서 골라 주세요."))
            }
            Msg::FieldControlCharacters { label } => {
                made(format!("'{label}'에 쓸 수 없는 문자가 있습니다."))
            }
            Msg::FieldInvisibleFormat { label } => {
                made(format!("'{label}'에 {}", Msg::InvisibleFormat.korean()))
            }
            Msg::AnswerMissing { label } => made(format!("'{label}'에 응답해 주세요.")),
            Msg::RatingRange(scale) => made(format!("1부터 {scale} 사이에서 골라 주세요.")),
            Msg::AnswerTooLong(max) => made(format!("{max}자 이내로 적어 주세요.")),
            Msg::SmsNotConfigured => fixed(
                "이 누리집은 인증번호 문자를 보내지 않도록 설정되어 있어 내 예약·신청을 쓸 수 없습니다. 예약 조회에서 예약번호와 휴대전화 번호로 예약을 찾거나, 예약·신청을 마칠 때 받은 관리 링크로 확인하고 취소해 주세요.",
            ),
            Msg::SmsPhone => {
                fixed("문자를 받을 수 있는 휴대전화 번호를 010-1234-5678처럼 입력해 주세요.")
            }
            Msg::SmsNotSent => fixed(
                "인증번호 문자를 보내지 못했습니다. 잠시 후 다시 시도해 주세요. 급하시면 예약 조회나 관리 링크를 이용해 주세요.",
            ),
            Msg::CodeTimeUp => fixed(
                "인증번호를 입력할 시간이 지났습니다. 휴대전화 번호를 다시 넣어 인증번호를 새로 받아 주세요.",
            ),
            Msg::SignInRequired => fixed(
                "내 예약·신청을 보려면 휴대전화 번호로 인증해 주세요. 인증한 지 30분이 지났으면 다시 인증해 주세요.",
            ),
            Msg::DeviceLocked(d, t) => made(locked_korean(
                "이 기기(주소)에서 인증번호를 너무 많이 요청하여",
                *d,
                *t,
            )),
            Msg::WrongCodesLocked(d, t) => {
                made(locked_korean("인증번호를 여러 번 잘못 입력하여", *d, *t))
            }
            Msg::PhoneLocked(d, t) => made(locked_korean(
                "이 휴대전화 번호로 인증번호를 너무 많이 요청하여",
                *d,
                *t,
            )),
            Msg::CodeWrong(left) => made(format!(
                "인증번호가 맞지 않습니다. {left}번 더 입력할 수 있습니다."
            )),
            Msg::CodeWrongSpent => fixed(
                "인증번호가 맞지 않습니다. 이 인증번호는 더 이상 쓸 수 없으니 인증번호를 새로 받아 주세요.",
            ),
            Msg::CodeLocked(tries) => made(format!(
                "인증번호를 {tries}번 잘못 입력하여 이 인증번호는 더 이상 쓸 수 없습니다. 인증번호를 새로 받아 주세요."
            )),
            Msg::CodeExpired(minutes) => made(format!(
                "인증번호의 유효 시간({minutes}분)이 지났거나 이미 쓴 인증번호입니다. 인증번호를 새로 받아 주세요."
            )),
            Msg::NoSuchAddress => fixed("없는 주소입니다."),
            Msg::MethodNotAllowed => fixed("이 주소에서는 지원하지 않는 방식입니다."),
        }
    }

    /// The message in English, `None` for [`Msg::KoreanOnly`]. `label` is
    /// the English label of the field the message is about, when the edge
    /// knows it; without it a field message names the field's Korean label.
    pub fn english(&self, label: Option<&str>) -> Option<Cow<'static, str>> {
        let fixed = |s: &'static str| Some(Cow::Borrowed(s));
        let made = |s: String| Some(Cow::Owned(s));
        let l = |korean: &str| label.unwrap_or(korean).to_owned();
        match self {
            Msg::Code(code) => fixed(code.english()),
            Msg::KoreanOnly(_) => None,
            Msg::NameMissing => fixed("Please enter your name."),
            Msg::NameTooLong => fixed("Please keep your name to 40 characters or fewer."),
            Msg::BusinessMissing => fixed(
                "Please enter your business name. If your business is not registered, write 'Individual'.",
            ),
            Msg::BusinessTooLong => {
                fixed("Please keep the business name to 100 characters or fewer.")
            }
            Msg::EmailFormat => fixed("Please enter an e-mail address like name@example.com."),
            Msg::PhoneMissing => fixed("Please enter your mobile number."),
            Msg::PhoneFormat => fixed("Please enter your mobile number like 010-1234-5678."),
            Msg::EmailForUpdates => {
                fixed("To get updates by e-mail, please enter your e-mail address.")
            }
            Msg::NotifyChoice => fixed("notify must be one of sms, email, sms,email or none."),
            Msg::ControlCharacters => fixed("It contains characters that cannot be used."),
            Msg::InvisibleFormat => fixed(
                "It contains invisible formatting characters (such as direction marks or zero-width spaces). Please delete them and type it again.",
            ),
            Msg::IdempotencyKey => {
                fixed("The request key (Idempotency-Key) must be 8 to 36 letters and digits.")
            }
            Msg::InputTooLong => {
                fixed("What you entered is too long. Please shorten it and send it again.")
            }
            Msg::FormUnreadable => fixed("The form sent could not be read."),
            Msg::JsonUnreadable => fixed("The JSON sent could not be read."),
            Msg::TooManyFields => fixed("Too many fields."),
            Msg::BodyCutShort => fixed("What you sent did not arrive in full."),
            Msg::JsonObject => fixed("Please send a JSON object."),
            Msg::JsonValues => fixed("Values must be strings, numbers or true/false."),
            Msg::NumberFormat => fixed("The number is 8 letters and digits, like R7K2-9QXH."),
            Msg::ReservationNumberMissing => fixed("Please enter your reservation number."),
            Msg::ManageLinkInvalid => fixed("The management link is not valid."),
            Msg::VerificationCodeFormat => fixed("The verification code is 6 digits."),
            Msg::VerificationCodeMissing => {
                fixed("Please enter the 6-digit verification code from the text message.")
            }
            Msg::StartMissing => fixed("Please choose a start time."),
            Msg::LengthMissing => fixed("Please choose how long."),
            Msg::LengthAndEnd => {
                fixed("Send either the length (slots) or the end time (end), not both.")
            }
            Msg::SlotLengthInvalid => fixed("The booking slot length is not valid."),
            Msg::RunTooLong => fixed("This is longer than you can book at one time."),
            Msg::TooManyAtOnce => {
                fixed("This is more than can be booked at once. Please book it in parts.")
            }
            Msg::PastMidnight => fixed("A reservation cannot go past midnight."),
            Msg::PastDate => fixed("You cannot book a date in the past."),
            Msg::Holiday => fixed("You cannot book on a public holiday."),
            Msg::PastTime => fixed("You cannot book a time that has passed."),
            Msg::EndTimeStep(step) => made(format!(
                "Please choose an end time after the start, in steps of {step} minutes."
            )),
            Msg::AvailabilityDays(days) => {
                made(format!("You can ask for up to {days} days at a time."))
            }
            Msg::EndBeforeStart => {
                fixed("The end date must be the same as or after the start date.")
            }
            Msg::UseDateFormat(example) | Msg::DateFormat(example) => {
                made(format!("Please enter the date like {example}."))
            }
            Msg::BookAhead { days, from } => made(format!(
                "This equipment must be booked at least {days} days ahead. You can book from {from}."
            )),
            Msg::BookWithin(days) => made(format!(
                "This equipment can be booked only up to {days} days from today."
            )),
            Msg::AtLeast(d) => made(format!("You must book at least {} at a time.", d.english())),
            Msg::AtMost(d) => made(format!("You can book up to {} at a time.", d.english())),
            Msg::OpeningHours(hours) => made(format!(
                "The time you chose is outside this day's hours ({}). Please choose a time within them.",
                hours_list(hours)
            )),
            Msg::BreakTime { gap, hours } => made(format!(
                "{} is a break and cannot be booked. This day's hours are {}.",
                range_text(gap),
                hours_list(hours)
            )),
            Msg::StartOnGrid { from, unit } => made(format!(
                "Start times go in steps of {} from {from}. Please choose one of them.",
                unit.english()
            )),
            Msg::WeeklyQuota(hours) => made(format!(
                "One person can use this equipment for up to {hours} hours a week (Monday to Sunday)."
            )),
            Msg::NoShowReservations(until) => made(format!(
                "Because you did not turn up for an earlier reservation, you cannot make new reservations until {until}."
            )),
            Msg::StatusNotAllowed(s) => made(format!(
                "This cannot be done in its current status ({}).",
                s.english()
            )),
            Msg::ReservationNotCancellable(s) => made(format!(
                "This reservation cannot be cancelled because its status is already '{}'.",
                s.english()
            )),
            Msg::ReservationNotMovable(s) => made(format!(
                "This reservation cannot be moved because its status is already '{}'.",
                s.english()
            )),
            Msg::CancelHours(h) => made(format!(
                "You can cancel only until {h} hours before the start. Please call the support center."
            )),
            Msg::MoveHours(h) => made(format!(
                "You can change the reservation only until {h} hours before the start. Please call the support center."
            )),
            Msg::LookupLocked(until) => made(format!(
                "The mobile number did not match too many times, so this reservation number cannot be looked up until {until}. Please try again after that or, if it is urgent, call the support center."
            )),
            Msg::SameTime => fixed(
                "This is the time you have already booked. Please choose another date or time.",
            ),
            Msg::SlotTakenChosen => {
                fixed("The time you chose is already booked. Please choose another time.")
            }
            Msg::EquipmentNotFound => fixed("We could not find this equipment."),
            Msg::ReservationNotFoundCheck => fixed(
                "We could not find the reservation. Please check the reservation number and the management link (or the mobile number).",
            ),
            Msg::ReservationNotFound => fixed("We could not find the reservation."),
            Msg::ProgrammeNotFound => fixed("We could not find this course."),
            Msg::PolicyNotFound => fixed("We could not find this support scheme."),
            Msg::ApplicationNotFound => fixed(
                "We could not find the application. Please check the application number and the management link.",
            ),
            Msg::CourseStarted => fixed(
                "The course has already started, so it cannot be cancelled online. Please contact the organizer.",
            ),
            Msg::JobNotFound => {
                fixed("We could not find a job posting that takes applications online.")
            }
            Msg::JobFilled => {
                fixed("This position has been filled, so the posting no longer takes applications.")
            }
            Msg::JobAlreadyApplied => fixed(
                "You have already applied for this job. You can apply only once for each job posting.",
            ),
            Msg::SurveyNotForThis => {
                fixed("This survey is not for this reservation or application.")
            }
            Msg::SurveyNotUsed => {
                fixed("You can answer only after you have used your reservation.")
            }
            Msg::SurveyNotAttended => fixed("Only people who attended the course can answer."),
            Msg::ChooseOption => fixed("Please choose one of the options."),
            Msg::CapacityFull => fixed("All places are taken."),
            Msg::ApplicationsOpen(from) => made(format!("Applications open on {from}.")),
            Msg::ApplicationsClosed { from, until } => made(format!(
                "The application period ({from} to {until}) has ended."
            )),
            Msg::Closed { from, to, notice } => made(format!(
                "We are not taking reservations from {from} to {to}: {}. Please choose another day.",
                notice.english()
            )),
            Msg::NoShowApplications(until) => made(format!(
                "Because you did not attend after applying before, you cannot apply again until {until}."
            )),
            Msg::ApplicationNotCancellable(s) => made(format!(
                "This application cannot be cancelled because its status is already '{}'.",
                s.english()
            )),
            Msg::JobOpens(from) => {
                made(format!("This job posting takes applications from {from}."))
            }
            Msg::JobDeadline(day) => made(format!(
                "The application deadline ({day}) has passed, so no more applications are taken."
            )),
            Msg::FieldConsent { label } => made(format!("You must tick '{}' to apply.", l(label))),
            Msg::FieldMissing { label } => made(format!("Please fill in '{}'.", l(label))),
            Msg::FieldTooLong { label, max } => made(format!(
                "Please keep '{}' to {max} characters or fewer.",
                l(label)
            )),
            Msg::FieldNumber { label } => made(format!("Please enter '{}' as a number.", l(label))),
            Msg::FieldMin { label, min } => made(format!("'{}' must be {min} or more.", l(label))),
            Msg::FieldMax { label, max } => made(format!("'{}' must be {max} or less.", l(label))),
            Msg::FieldDateFormat { label, example } => {
                made(format!("Please enter '{}' like {example}.", l(label)))
            }
            Msg::FieldDateRange { label } => made(format!(
                "Please choose a date for '{}' within the dates allowed.",
                l(label)
            )),
            Msg::FieldChoose { label } => made(format!(
                "Please choose '{}' from the options given.",
                l(label)
            )),
            Msg::FieldControlCharacters { label } => made(format!(
                "'{}' contains characters that cannot be used.",
                l(label)
            )),
            Msg::FieldInvisibleFormat { label } => made(format!(
                "'{}' contains invisible formatting characters (such as direction marks or zero-width spaces). Please delete them and type it again.",
                l(label)
            )),
            Msg::AnswerMissing { label } => made(format!("Please answer '{}'.", l(label))),
            Msg::RatingRange(scale) => made(format!("Please choose a number from 1 to {scale}.")),
            Msg::AnswerTooLong(max) => {
                made(format!("Please keep it to {max} characters or fewer."))
            }
            Msg::SmsNotConfigured => fixed(
                "This website is set up not to send verification codes by text message, so My reservations and applications is not available. Please use the Look up a reservation page with your reservation number and mobile number, or the management link you received when you booked or applied.",
            ),
            Msg::SmsPhone => fixed(
                "Please enter a mobile number that can receive text messages, like 010-1234-5678.",
            ),
            Msg::SmsNotSent => fixed(
                "We could not send the verification code. Please try again shortly. If it is urgent, use the Look up a reservation page or your management link.",
            ),
            Msg::CodeTimeUp => fixed(
                "The time to enter the verification code has run out. Please enter your mobile number again to get a new code.",
            ),
            Msg::SignInRequired => fixed(
                "To see your reservations and applications, please verify your mobile number. If it has been more than 30 minutes since you verified, please verify again.",
            ),
            Msg::DeviceLocked(d, t) => made(format!(
                "Too many verification codes were requested from this device, so you cannot get or enter a code until {d} {t}. {LOCKED_AFTER}"
            )),
            Msg::WrongCodesLocked(d, t) => made(format!(
                "A wrong verification code was entered too many times, so you cannot get or enter a code until {d} {t}. {LOCKED_AFTER}"
            )),
            Msg::PhoneLocked(d, t) => made(format!(
                "Too many verification codes were requested for this mobile number, so you cannot get or enter a code until {d} {t}. {LOCKED_AFTER}"
            )),
            Msg::CodeWrong(left) => made(format!(
                "The verification code is not correct. You can try {left} more times."
            )),
            Msg::CodeWrongSpent => fixed(
                "The verification code is not correct, and it can no longer be used. Please get a new one.",
            ),
            Msg::CodeLocked(tries) => made(format!(
                "A wrong code was entered {tries} times, so this verification code can no longer be used. Please get a new one."
            )),
            Msg::CodeExpired(minutes) => made(format!(
                "This verification code has expired (it is valid for {minutes} minutes) or has already been used. Please get a new one."
            )),
            Msg::NoSuchAddress => fixed("There is no page at this address."),
            Msg::MethodNotAllowed => fixed("This address does not support this method."),
        }
    }
}

/// The end of the English messages of a locked verification code.
const LOCKED_AFTER: &str =
    "Please try again after that, or use the Look up a reservation page or your management link.";

/// A locked verification code, in Korean: why, then until when.
fn locked_korean(why: &str, d: Date, t: TimeOfDay) -> String {
    format!(
        "{why} {d} {t}까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요."
    )
}

/// The Korean text: what logs and `Error`'s `Display` show.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.korean())
    }
}

impl From<Code> for Msg {
    fn from(code: Code) -> Msg {
        Msg::Code(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("a date")
    }

    fn t(s: &str) -> TimeOfDay {
        s.parse().expect("a time")
    }

    fn label(s: &str) -> String {
        s.to_owned()
    }

    /// Which id a message is: one number per variant. The `match` is
    /// exhaustive, so a new id needs a number here, and
    /// `every_id_is_rendered_in_both_languages` fails until `samples` has it.
    fn index(m: &Msg) -> usize {
        match m {
            Msg::Code(_) => 0,
            Msg::KoreanOnly(_) => 1,
            Msg::NameMissing => 2,
            Msg::NameTooLong => 3,
            Msg::BusinessMissing => 4,
            Msg::BusinessTooLong => 5,
            Msg::EmailFormat => 6,
            Msg::PhoneMissing => 7,
            Msg::PhoneFormat => 8,
            Msg::EmailForUpdates => 9,
            Msg::NotifyChoice => 10,
            Msg::ControlCharacters => 11,
            Msg::InvisibleFormat => 12,
            Msg::IdempotencyKey => 13,
            Msg::InputTooLong => 14,
            Msg::FormUnreadable => 15,
            Msg::JsonUnreadable => 16,
            Msg::TooManyFields => 17,
            Msg::BodyCutShort => 18,
            Msg::JsonObject => 19,
            Msg::JsonValues => 20,
            Msg::NumberFormat => 21,
            Msg::ReservationNumberMissing => 22,
            Msg::ManageLinkInvalid => 23,
            Msg::VerificationCodeFormat => 24,
            Msg::VerificationCodeMissing => 25,
            Msg::StartMissing => 26,
            Msg::LengthMissing => 27,
            Msg::LengthAndEnd => 28,
            Msg::SlotLengthInvalid => 29,
            Msg::RunTooLong => 30,
            Msg::PastMidnight => 31,
            Msg::PastDate => 32,
            Msg::Holiday => 33,
            Msg::PastTime => 34,
            Msg::EndTimeStep(_) => 35,
            Msg::AvailabilityDays(_) => 36,
            Msg::EndBeforeStart => 37,
            Msg::UseDateFormat(_) => 38,
            Msg::DateFormat(_) => 39,
            Msg::BookAhead { .. } => 40,
            Msg::BookWithin(_) => 41,
            Msg::AtLeast(_) => 42,
            Msg::AtMost(_) => 43,
            Msg::OpeningHours(_) => 44,
            Msg::WeeklyQuota(_) => 45,
            Msg::NoShowReservations(_) => 46,
            Msg::ReservationNotCancellable(_) => 47,
            Msg::ReservationNotMovable(_) => 48,
            Msg::CancelHours(_) => 49,
            Msg::MoveHours(_) => 50,
            Msg::LookupLocked(_) => 51,
            Msg::SameTime => 52,
            Msg::SlotTakenChosen => 53,
            Msg::EquipmentNotFound => 54,
            Msg::ReservationNotFoundCheck => 55,
            Msg::ReservationNotFound => 56,
            Msg::ProgrammeNotFound => 57,
            Msg::PolicyNotFound => 58,
            Msg::ApplicationNotFound => 59,
            Msg::CourseStarted => 60,
            Msg::JobNotFound => 61,
            Msg::JobFilled => 62,
            Msg::JobAlreadyApplied => 63,
            Msg::SurveyNotForThis => 64,
            Msg::SurveyNotUsed => 65,
            Msg::SurveyNotAttended => 66,
            Msg::ChooseOption => 67,
            Msg::CapacityFull => 68,
            Msg::ApplicationsOpen(_) => 69,
            Msg::ApplicationsClosed { .. } => 70,
            Msg::NoShowApplications(_) => 71,
            Msg::ApplicationNotCancellable(_) => 72,
            Msg::JobOpens(_) => 73,
            Msg::JobDeadline(_) => 74,
            Msg::FieldConsent { .. } => 75,
            Msg::FieldMissing { .. } => 76,
            Msg::FieldTooLong { .. } => 77,
            Msg::FieldNumber { .. } => 78,
            Msg::FieldMin { .. } => 79,
            Msg::FieldMax { .. } => 80,
            Msg::FieldDateFormat { .. } => 81,
            Msg::FieldDateRange { .. } => 82,
            Msg::FieldChoose { .. } => 83,
            Msg::FieldControlCharacters { .. } => 84,
            Msg::FieldInvisibleFormat { .. } => 85,
            Msg::AnswerMissing { .. } => 86,
            Msg::RatingRange(_) => 87,
            Msg::AnswerTooLong(_) => 88,
            Msg::SmsNotConfigured => 89,
            Msg::SmsPhone => 90,
            Msg::SmsNotSent => 91,
            Msg::CodeTimeUp => 92,
            Msg::SignInRequired => 93,
            Msg::DeviceLocked(..) => 94,
            Msg::WrongCodesLocked(..) => 95,
            Msg::PhoneLocked(..) => 96,
            Msg::CodeWrong(_) => 97,
            Msg::CodeWrongSpent => 98,
            Msg::CodeLocked(_) => 99,
            Msg::CodeExpired(_) => 100,
            Msg::NoSuchAddress => 101,
            Msg::MethodNotAllowed => 102,
            Msg::TooManyAtOnce => 103,
            Msg::StatusNotAllowed(_) => 104,
            Msg::BreakTime { .. } => 105,
            Msg::StartOnGrid { .. } => 106,
            Msg::Closed { .. } => 107,
        }
    }

    /// How many ids `index` numbers.
    const IDS: usize = 108;

    /// One message of each id (the Korean-only one aside), with the values
    /// that both languages must show: (message, values in Korean, values in
    /// English). A field's label is `경력` in Korean and `Experience` in
    /// English (the English label given).
    fn samples() -> Vec<(Msg, Vec<&'static str>, Vec<&'static str>)> {
        let same = |v: Vec<&'static str>| (v.clone(), v);
        let mut out = Vec::new();
        let mut add = |m: Msg, (ko, en): (Vec<&'static str>, Vec<&'static str>)| {
            out.push((m, ko, en));
        };
        for code in Code::ALL {
            add(Msg::Code(code), same(vec![]));
        }
        for m in [
            Msg::NameMissing,
            Msg::NameTooLong,
            Msg::BusinessMissing,
            Msg::BusinessTooLong,
            Msg::EmailFormat,
            Msg::PhoneMissing,
            Msg::PhoneFormat,
            Msg::EmailForUpdates,
            Msg::NotifyChoice,
            Msg::ControlCharacters,
            Msg::InvisibleFormat,
            Msg::IdempotencyKey,
            Msg::InputTooLong,
            Msg::FormUnreadable,
            Msg::JsonUnreadable,
            Msg::TooManyFields,
            Msg::BodyCutShort,
            Msg::JsonObject,
            Msg::JsonValues,
            Msg::NumberFormat,
            Msg::ReservationNumberMissing,
            Msg::ManageLinkInvalid,
            Msg::VerificationCodeFormat,
            Msg::VerificationCodeMissing,
            Msg::StartMissing,
            Msg::LengthMissing,
            Msg::LengthAndEnd,
            Msg::SlotLengthInvalid,
            Msg::RunTooLong,
            Msg::PastMidnight,
            Msg::PastDate,
            Msg::Holiday,
            Msg::PastTime,
            Msg::EndBeforeStart,
            Msg::SameTime,
            Msg::SlotTakenChosen,
            Msg::EquipmentNotFound,
            Msg::ReservationNotFoundCheck,
            Msg::ReservationNotFound,
            Msg::ProgrammeNotFound,
            Msg::PolicyNotFound,
            Msg::ApplicationNotFound,
            Msg::CourseStarted,
            Msg::JobNotFound,
            Msg::JobFilled,
            Msg::JobAlreadyApplied,
            Msg::SurveyNotForThis,
            Msg::SurveyNotUsed,
            Msg::SurveyNotAttended,
            Msg::ChooseOption,
            Msg::CapacityFull,
            Msg::SmsNotConfigured,
            Msg::SmsPhone,
            Msg::SmsNotSent,
            Msg::CodeTimeUp,
            Msg::SignInRequired,
            Msg::CodeWrongSpent,
            Msg::NoSuchAddress,
            Msg::MethodNotAllowed,
            Msg::TooManyAtOnce,
        ] {
            add(m, same(vec![]));
        }
        add(
            Msg::StatusNotAllowed(ReservationStatus::Rejected.into()),
            (vec!["(반려)"], vec!["(Declined)"]),
        );
        add(
            Msg::StatusNotAllowed(ApplicationStatus::Rejected.into()),
            (vec!["(미선정)"], vec!["(Not selected)"]),
        );
        add(Msg::EndTimeStep(30), same(vec!["30"]));
        add(Msg::AvailabilityDays(62), same(vec!["62"]));
        add(
            Msg::UseDateFormat(d("2026-12-05")),
            same(vec!["2026-12-05"]),
        );
        add(Msg::DateFormat(d("2026-12-05")), same(vec!["2026-12-05"]));
        add(
            Msg::BookAhead {
                days: 2,
                from: d("2026-03-05"),
            },
            same(vec!["2", "2026-03-05"]),
        );
        add(Msg::BookWithin(30), same(vec!["30"]));
        add(
            Msg::AtLeast(Duration { minutes: 90 }),
            (vec!["1시간 30분"], vec!["1 hour 30 minutes"]),
        );
        add(
            Msg::AtMost(Duration { minutes: 240 }),
            (vec!["4시간"], vec!["4 hours"]),
        );
        add(
            Msg::OpeningHours(vec![
                "09:00-12:00".parse().expect("a range"),
                "13:00-18:00".parse().expect("a range"),
            ]),
            same(vec!["09:00~12:00, 13:00~18:00"]),
        );
        add(
            Msg::BreakTime {
                gap: "12:00-13:00".parse().expect("a range"),
                hours: vec![
                    "09:00-12:00".parse().expect("a range"),
                    "13:00-18:00".parse().expect("a range"),
                ],
            },
            same(vec!["12:00~13:00", "09:00~12:00, 13:00~18:00"]),
        );
        add(
            Msg::StartOnGrid {
                from: t("09:00"),
                unit: Duration { minutes: 60 },
            },
            (vec!["09:00", "1시간"], vec!["09:00", "1 hour"]),
        );
        add(Msg::WeeklyQuota(8), same(vec!["8"]));
        add(
            Msg::NoShowReservations(d("2026-04-01")),
            same(vec!["2026-04-01"]),
        );
        add(
            Msg::ReservationNotCancellable(ReservationStatus::Cancelled),
            (vec!["'취소'"], vec!["'Cancelled'"]),
        );
        add(
            Msg::ReservationNotMovable(ReservationStatus::Attended),
            (vec!["'이용 완료'"], vec!["'Used'"]),
        );
        add(Msg::CancelHours(24), same(vec!["24"]));
        add(Msg::MoveHours(12), same(vec!["12"]));
        add(Msg::LookupLocked(t("10:30")), same(vec!["10:30"]));
        add(
            Msg::ApplicationsOpen(d("2026-05-01")),
            same(vec!["2026-05-01"]),
        );
        add(
            Msg::ApplicationsClosed {
                from: d("2026-05-01"),
                until: d("2026-05-20"),
            },
            same(vec!["2026-05-01", "2026-05-20"]),
        );
        add(
            Msg::NoShowApplications(d("2026-06-01")),
            same(vec!["2026-06-01"]),
        );
        add(
            Msg::Closed {
                from: d("2026-03-05"),
                to: d("2026-03-06"),
                notice: crate::domain::ClosureNotice {
                    equipment: true,
                    reason: crate::domain::ClosureReason::Breakdown,
                    note: "모터 교체".into(),
                },
            },
            (
                vec![
                    "2026-03-05",
                    "2026-03-06",
                    "장비 사용 중지(고장: 모터 교체)",
                ],
                vec![
                    "2026-03-05",
                    "2026-03-06",
                    "to 2026-03-06: equipment out of service (breakdown).",
                ],
            ),
        );
        add(
            Msg::ApplicationNotCancellable(ApplicationStatus::Approved),
            (vec!["'선정'"], vec!["'Selected'"]),
        );
        add(Msg::JobOpens(d("2026-07-01")), same(vec!["2026-07-01"]));
        add(Msg::JobDeadline(d("2026-07-31")), same(vec!["2026-07-31"]));
        let field = (vec!["'경력'"], vec!["'Experience'"]);
        add(
            Msg::FieldConsent {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldMissing {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldTooLong {
                label: label("경력"),
                max: 200,
            },
            (vec!["'경력'", "200"], vec!["'Experience'", "200"]),
        );
        add(
            Msg::FieldNumber {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldMin {
                label: label("경력"),
                min: -3,
            },
            (vec!["'경력'", "-3"], vec!["'Experience'", "-3"]),
        );
        add(
            Msg::FieldMax {
                label: label("경력"),
                max: 9,
            },
            (vec!["'경력'", "9"], vec!["'Experience'", "9"]),
        );
        add(
            Msg::FieldDateFormat {
                label: label("경력"),
                example: d("2026-12-05"),
            },
            (
                vec!["'경력'", "2026-12-05"],
                vec!["'Experience'", "2026-12-05"],
            ),
        );
        add(
            Msg::FieldDateRange {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldChoose {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldControlCharacters {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::FieldInvisibleFormat {
                label: label("경력"),
            },
            field.clone(),
        );
        add(
            Msg::AnswerMissing {
                label: label("경력"),
            },
            field,
        );
        add(Msg::RatingRange(7), same(vec!["7"]));
        add(Msg::AnswerTooLong(500), same(vec!["500"]));
        let at = (d("2026-03-04"), t("09:00"));
        add(
            Msg::DeviceLocked(at.0, at.1),
            same(vec!["2026-03-04 09:00"]),
        );
        add(
            Msg::WrongCodesLocked(at.0, at.1),
            same(vec!["2026-03-04 09:00"]),
        );
        add(Msg::PhoneLocked(at.0, at.1), same(vec!["2026-03-04 09:00"]));
        add(Msg::CodeWrong(3), same(vec!["3"]));
        add(Msg::CodeLocked(5), same(vec!["5"]));
        add(Msg::CodeExpired(5), same(vec!["5"]));
        out
    }

    fn has_hangul(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}'))
    }

    #[test]
    fn every_id_is_rendered_in_both_languages() {
        let samples = samples();
        let mut seen = [false; IDS];
        seen[index(&Msg::korean_only("직원용"))] = true;
        for (m, ko_values, en_values) in &samples {
            seen[index(m)] = true;
            let ko = m.korean();
            let en = m.english(Some("Experience")).expect("an English text");
            assert!(has_hangul(&ko), "{m:?}: {ko}");
            assert!(!has_hangul(&en), "{m:?}: {en}");
            assert!(!en.is_empty() && !en.contains('{'), "{m:?}: {en}");
            for v in ko_values {
                assert!(ko.contains(v), "{m:?}: {ko} lacks {v}");
            }
            for v in en_values {
                assert!(en.contains(v), "{m:?}: {en} lacks {v}");
            }
        }
        let missing: Vec<usize> = (0..IDS).filter(|i| !seen[*i]).collect();
        assert!(missing.is_empty(), "ids without a sample: {missing:?}");
    }

    /// A filled-in value is never followed by a particle whose form
    /// depends on it (docs/glossary.md): no hedged particle, one with its
    /// other form in brackets.
    #[test]
    fn no_message_hedges_a_particle_after_a_value() {
        for (m, _, _) in samples() {
            let ko = m.korean();
            for hedge in [
                "(은)", "(는)", "(을)", "(를)", "(이)", "(가)", "(으)", "(과)", "(와)",
            ] {
                assert!(!ko.contains(hedge), "{m:?}: {ko}");
            }
        }
    }

    #[test]
    fn field_messages_name_the_korean_label_without_an_english_one() {
        let m = Msg::FieldTooLong {
            label: label("경력"),
            max: 200,
        };
        assert_eq!(
            m.english(None).as_deref(),
            Some("Please keep '경력' to 200 characters or fewer.")
        );
        assert_eq!(
            m.english(Some("Experience")).as_deref(),
            Some("Please keep 'Experience' to 200 characters or fewer.")
        );
    }

    #[test]
    fn korean_only_texts_have_no_english() {
        let m = Msg::korean_only("관리자 토큰을 입력해 주세요.");
        assert_eq!(m.korean(), "관리자 토큰을 입력해 주세요.");
        assert_eq!(m.english(None), None);
    }

    /// The texts people read, as they were before messages had ids: the
    /// Korean byte for byte (JSON clients and staff pages read it), and the
    /// English of the translation table that matched the Korean text.
    #[test]
    fn texts_are_those_people_read_before() {
        let cases: Vec<(Msg, &str, &str)> = vec![
            (
                Msg::Code(Code::SlotTaken),
                "선택한 시간에 이미 다른 예약이 있습니다. 다른 시간을 골라 주세요.",
                "The time you chose is already booked. Please choose another time.",
            ),
            (
                Msg::PhoneFormat,
                "휴대전화 번호를 010-1234-5678처럼 입력해 주세요.",
                "Please enter your mobile number like 010-1234-5678.",
            ),
            (
                Msg::FieldMissing {
                    label: label("경력"),
                },
                "'경력' 항목을 입력해 주세요.",
                "Please fill in 'Experience'.",
            ),
            (
                Msg::FieldInvisibleFormat {
                    label: label("사업 계획"),
                },
                "'사업 계획'에 보이지 않는 서식 문자(글자 방향 바꿈, 폭 없는 공백 등)가 들어 있습니다. 그 문자를 지우고 다시 입력해 주세요.",
                "'Experience' contains invisible formatting characters (such as direction marks or zero-width spaces). Please delete them and type it again.",
            ),
            (
                Msg::AtLeast(Duration::of_slots(30, 3)),
                "한 번에 1시간 30분 이상 예약해야 합니다.",
                "You must book at least 1 hour 30 minutes at a time.",
            ),
            (
                Msg::StatusNotAllowed(RecordStatus::Reservation(ReservationStatus::Pending)),
                "지금 상태(승인 대기)에서는 할 수 없는 처리입니다.",
                "This cannot be done in its current status (Awaiting staff approval).",
            ),
            (
                Msg::StatusNotAllowed(RecordStatus::Application(ApplicationStatus::Waitlisted)),
                "지금 상태(대기)에서는 할 수 없는 처리입니다.",
                "This cannot be done in its current status (On the waiting list).",
            ),
            (
                Msg::ReservationNotCancellable(ReservationStatus::Cancelled),
                "이 예약은 이미 '취소' 상태라 취소할 수 없습니다.",
                "This reservation cannot be cancelled because its status is already 'Cancelled'.",
            ),
            (
                Msg::BookAhead {
                    days: 2,
                    from: d("2026-03-05"),
                },
                "이 장비는 이용일 2일 전까지 예약해야 합니다. 2026-03-05부터 예약할 수 있습니다.",
                "This equipment must be booked at least 2 days ahead. You can book from 2026-03-05.",
            ),
            (
                Msg::OpeningHours(vec![
                    "09:00-12:00".parse().expect("a range"),
                    "13:00-18:00".parse().expect("a range"),
                ]),
                "고른 시간이 이 날의 이용 시간(09:00~12:00, 13:00~18:00)을 벗어납니다. 이용 시간 안에서 골라 주세요.",
                "The time you chose is outside this day's hours (09:00~12:00, 13:00~18:00). Please choose a time within them.",
            ),
            (
                Msg::WrongCodesLocked(d("2026-03-04"), t("09:00")),
                "인증번호를 여러 번 잘못 입력하여 2026-03-04 09:00까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요.",
                "A wrong verification code was entered too many times, so you cannot get or enter a code until 2026-03-04 09:00. Please try again after that, or use the Look up a reservation page or your management link.",
            ),
            (
                Msg::ApplicationsClosed {
                    from: d("2026-05-01"),
                    until: d("2026-05-20"),
                },
                "신청 기간(2026-05-01~2026-05-20)이 끝났습니다.",
                "The application period (2026-05-01 to 2026-05-20) has ended.",
            ),
            (
                Msg::CodeExpired(5),
                "인증번호의 유효 시간(5분)이 지났거나 이미 쓴 인증번호입니다. 인증번호를 새로 받아 주세요.",
                "This verification code has expired (it is valid for 5 minutes) or has already been used. Please get a new one.",
            ),
            (
                Msg::DateFormat(d("2026-12-05")),
                "날짜를 2026-12-05처럼 입력해 주세요.",
                "Please enter the date like 2026-12-05.",
            ),
        ];
        for (m, ko, en) in cases {
            assert_eq!(m.korean(), ko);
            assert_eq!(m.english(Some("Experience")).as_deref(), Some(en));
        }
    }
}
