//! Message templates: what the portal sends by 문자 (SMS/LMS) and e-mail at
//! each step of a booking, written by editors in `content/messages.yaml`,
//! checked by `sbiz check` and carried to the function in `catalog.json`.
//!
//! A template is plain text with placeholders in braces, `{code}`; `{{` and
//! `}}` stand for literal braces. Each event allows only the placeholders a
//! message about it may carry (code, item, time, link, position, reason…),
//! never a name, phone number or e-mail address.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::TimeOfDay;

/// Every event that sends a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageEvent {
    /// A reservation is waiting for staff approval (or a training check).
    ReservationReceived,
    /// A reservation was confirmed at once.
    ReservationConfirmed,
    /// Staff approved a pending reservation.
    ReservationApproved,
    /// Staff rejected a reservation (`reason`).
    ReservationRejected,
    /// The person cancelled their reservation.
    ReservationCancelled,
    /// Staff cancelled a reservation (`reason`).
    ReservationCancelledByStaff,
    /// Before use (site setting `reminder`).
    ReservationReminder,
    /// The reservation moved to another time (예약 변경), by the person or
    /// by staff; `time` is the new time.
    ReservationRescheduled,
    /// After use: the satisfaction survey.
    SurveyInvitation,
    /// A programme application was received (before a decision).
    ProgrammeReceived,
    /// A seat in a programme.
    ProgrammeEnrolled,
    /// On a programme's waitlist (`position`).
    ProgrammeWaitlisted,
    /// Moved up from the waitlist into a seat.
    ProgrammePromoted,
    /// A programme application was cancelled (`reason` when by staff).
    ProgrammeCancelled,
    /// A policy application was received (`documents`: how and by when
    /// to send the documents the policy asks for, when it asks for any).
    PolicyReceived,
    /// A policy application's status changed (`status`, `reason`).
    PolicyStatusChanged,
    /// A one-time code for 내 예약 (`code`, `minutes`).
    OneTimeCode,
    /// A job application was received (to the applicant).
    JobReceived,
    /// Staff moved a job application on (`status`: 검토, 면접, 채용,
    /// 불채용), or the applicant withdrew it (to the applicant).
    JobStatusChanged,
    /// A new application, to the employer's e-mail named by the posting
    /// (`application`: the applicant's details and answers, which the
    /// applicant consented to give the employer). E-mail only.
    JobToEmployer,
}

impl MessageEvent {
    pub const ALL: [MessageEvent; 20] = [
        MessageEvent::ReservationReceived,
        MessageEvent::ReservationConfirmed,
        MessageEvent::ReservationApproved,
        MessageEvent::ReservationRejected,
        MessageEvent::ReservationCancelled,
        MessageEvent::ReservationCancelledByStaff,
        MessageEvent::ReservationReminder,
        MessageEvent::ReservationRescheduled,
        MessageEvent::SurveyInvitation,
        MessageEvent::ProgrammeReceived,
        MessageEvent::ProgrammeEnrolled,
        MessageEvent::ProgrammeWaitlisted,
        MessageEvent::ProgrammePromoted,
        MessageEvent::ProgrammeCancelled,
        MessageEvent::PolicyReceived,
        MessageEvent::PolicyStatusChanged,
        MessageEvent::OneTimeCode,
        MessageEvent::JobReceived,
        MessageEvent::JobStatusChanged,
        MessageEvent::JobToEmployer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::ReservationReceived => "reservation_received",
            MessageEvent::ReservationConfirmed => "reservation_confirmed",
            MessageEvent::ReservationApproved => "reservation_approved",
            MessageEvent::ReservationRejected => "reservation_rejected",
            MessageEvent::ReservationCancelled => "reservation_cancelled",
            MessageEvent::ReservationCancelledByStaff => "reservation_cancelled_by_staff",
            MessageEvent::ReservationReminder => "reservation_reminder",
            MessageEvent::ReservationRescheduled => "reservation_rescheduled",
            MessageEvent::SurveyInvitation => "survey_invitation",
            MessageEvent::ProgrammeReceived => "programme_received",
            MessageEvent::ProgrammeEnrolled => "programme_enrolled",
            MessageEvent::ProgrammeWaitlisted => "programme_waitlisted",
            MessageEvent::ProgrammePromoted => "programme_promoted",
            MessageEvent::ProgrammeCancelled => "programme_cancelled",
            MessageEvent::PolicyReceived => "policy_received",
            MessageEvent::PolicyStatusChanged => "policy_status_changed",
            MessageEvent::OneTimeCode => "one_time_code",
            MessageEvent::JobReceived => "job_received",
            MessageEvent::JobStatusChanged => "job_status_changed",
            MessageEvent::JobToEmployer => "job_to_employer",
        }
    }

    pub fn parse(s: &str) -> Option<MessageEvent> {
        MessageEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The placeholders a template of this event may use. `site` (the
    /// portal's short name) is allowed everywhere.
    pub fn placeholders(self) -> &'static [&'static str] {
        use MessageEvent::*;
        match self {
            ReservationReceived
            | ReservationConfirmed
            | ReservationApproved
            | ReservationCancelled
            | ReservationReminder
            | ReservationRescheduled => &["site", "code", "item", "time", "link"],
            ReservationRejected | ReservationCancelledByStaff | ProgrammeCancelled => {
                &["site", "code", "item", "time", "link", "reason"]
            }
            SurveyInvitation => &["site", "code", "item", "link"],
            ProgrammeReceived | ProgrammeEnrolled | ProgrammePromoted => {
                &["site", "code", "item", "time", "link"]
            }
            ProgrammeWaitlisted => &["site", "code", "item", "time", "link", "position"],
            PolicyReceived => &["site", "code", "item", "link", "documents"],
            PolicyStatusChanged => &["site", "code", "item", "link", "status", "reason"],
            OneTimeCode => &["site", "code", "minutes"],
            JobReceived => &["site", "code", "item", "link"],
            JobStatusChanged => &["site", "code", "item", "link", "status"],
            JobToEmployer => &["site", "code", "item", "application"],
        }
    }

    /// Placeholders a template of this event must use: a one-time code
    /// message without the code, or an invitation without its link, is
    /// useless.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            MessageEvent::OneTimeCode => &["code"],
            MessageEvent::SurveyInvitation => &["link"],
            MessageEvent::JobToEmployer => &["application"],
            _ => &[],
        }
    }

    /// What an editor reads in a list of events.
    pub fn korean(self) -> &'static str {
        use MessageEvent::*;
        match self {
            ReservationReceived => "예약 접수(승인 대기)",
            ReservationConfirmed => "예약 확정",
            ReservationApproved => "예약 승인",
            ReservationRejected => "예약 반려",
            ReservationCancelled => "예약 취소(본인)",
            ReservationCancelledByStaff => "예약 취소(시설)",
            ReservationReminder => "이용 전 알림",
            ReservationRescheduled => "예약 변경",
            SurveyInvitation => "만족도 조사 안내",
            ProgrammeReceived => "교육 신청 접수",
            ProgrammeEnrolled => "교육 수강 확정",
            ProgrammeWaitlisted => "교육 대기 등록",
            ProgrammePromoted => "교육 대기에서 수강 확정",
            ProgrammeCancelled => "교육 신청 취소",
            PolicyReceived => "지원사업 신청 접수",
            PolicyStatusChanged => "지원사업 신청 상태 변경",
            OneTimeCode => "내 예약·신청 인증번호",
            JobReceived => "구인 지원 접수",
            JobStatusChanged => "구인 지원 상태 변경",
            JobToEmployer => "구인 업체에 지원서 전달",
        }
    }

    /// Whether the message goes to the employer of a job posting (by
    /// e-mail, to the posting's `employer_email`) rather than to the
    /// person who made the record. Its `sms` text is optional and unused.
    pub fn to_employer(self) -> bool {
        self == MessageEvent::JobToEmployer
    }
}

impl fmt::Display for MessageEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a message reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 문자: SMS up to 90 bytes (EUC-KR), LMS beyond.
    Sms,
    Email,
    /// 카카오 알림톡: a seam only (see `booking-fn/README.md`).
    Kakao,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Email, Channel::Kakao];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Kakao => "kakao",
        }
    }
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn korean(self) -> &'static str {
        match self {
            Channel::Sms => "문자",
            Channel::Email => "이메일",
            Channel::Kakao => "알림톡",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The templates of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTemplate {
    pub event: MessageEvent,
    /// The 문자 text.
    pub sms: String,
    pub email_subject: String,
    pub email_body: String,
    /// The 카카오 알림톡 template code registered with the provider, when
    /// the operator uses 알림톡 (the text must be the registered one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kakao_template: Option<String>,
    /// The texts in English, for records made from the English edition;
    /// without them those records get the Korean texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<MessageText>,
}

/// The texts of one event's messages in another language (same
/// placeholders as the Korean ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageText {
    pub sms: String,
    pub email_subject: String,
    pub email_body: String,
}

impl MessageTemplate {
    /// The 문자 text, e-mail subject and body in `lang`: English when the
    /// template has English texts, else Korean.
    pub fn text(&self, lang: crate::Lang) -> (&str, &str, &str) {
        match (&self.en, lang) {
            (Some(en), crate::Lang::En) => (&en.sms, &en.email_subject, &en.email_body),
            _ => (&self.sms, &self.email_subject, &self.email_body),
        }
    }
}

/// When the reminder before use is sent: `days_before` days before the
/// day of use, at `at` (Korea time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub days_before: u16,
    pub at: TimeOfDay,
}

/// Everything about messages in the catalog. Absent in catalogs written
/// before messaging existed: then no templates and no reminder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Messages {
    /// The portal's short name, for `{site}`.
    #[serde(default)]
    pub site_name: String,
    /// The short name in English, for `{site}` in English messages (the
    /// Korean one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
    #[serde(default)]
    pub templates: Vec<MessageTemplate>,
    /// The channels the site says it sends by (`site.yaml` `messaging:`);
    /// forms offer these and, when there are none, say that nothing is
    /// sent. The function compares them with the channels it has.
    #[serde(default)]
    pub channels: Vec<Channel>,
}

impl Messages {
    pub fn template(&self, event: MessageEvent) -> Option<&MessageTemplate> {
        self.templates.iter().find(|t| t.event == event)
    }
}

/// A problem in a template, at a character offset (0-based, in chars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub offset: usize,
    pub message: String,
    pub found: String,
}

/// The placeholders of a template with their character offsets, or the
/// first syntax error (an unclosed `{`, a lone `}`, an empty or malformed
/// name).
pub fn placeholders(template: &str) -> Result<Vec<(usize, String)>, TemplateError> {
    let chars: Vec<char> = template.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' if chars.get(i + 1) == Some(&'{') => i += 2,
            '}' if chars.get(i + 1) == Some(&'}') => i += 2,
            '{' => {
                let Some(len) = chars[i + 1..].iter().position(|&c| c == '}') else {
                    return Err(TemplateError {
                        offset: i,
                        message: "a `{` without its closing `}`".into(),
                        found: chars[i..].iter().take(20).collect(),
                    });
                };
                let name: String = chars[i + 1..i + 1 + len].iter().collect();
                let ok =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                if !ok {
                    return Err(TemplateError {
                        offset: i,
                        message: "a placeholder is a lowercase name in braces, like {code}".into(),
                        found: format!("{{{name}}}"),
                    });
                }
                out.push((i, name));
                i += len + 2;
            }
            '}' => {
                return Err(TemplateError {
                    offset: i,
                    message: "a `}` without its opening `{` (write `}}` for a brace)".into(),
                    found: "}".into(),
                });
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// Fills a template's placeholders from `params`; a placeholder without a
/// value becomes empty. Syntax errors were refused by `sbiz check`; should
/// one reach here anyway, the text is returned with the broken part as is.
pub fn render(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(stripped) = tail.strip_prefix('{')
            && let Some(end) = stripped.find('}')
        {
            let name = &stripped[..end];
            if let Some(v) = params.get(name) {
                out.push_str(v);
            }
            rest = &stripped[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The most bytes (EUC-KR) of a short message (SMS); longer texts go as LMS.
pub const SMS_MAX_BYTES: usize = 90;
/// The most bytes of a long message (LMS) on Korean carriers.
pub const LMS_MAX_BYTES: usize = 2000;

/// The size of a text message as Korean carriers count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsSize {
    /// Bytes in EUC-KR: 1 per ASCII character, 2 per Hangul syllable,
    /// Hanja or KS X 1001 symbol, and 2 for any character EUC-KR cannot
    /// represent (emoji, most other scripts), which carriers count as one
    /// 2-byte character (and phones may show as `?`).
    pub bytes: usize,
    /// Characters EUC-KR cannot represent.
    pub unencodable: usize,
}

impl SmsSize {
    pub fn kind(self) -> SmsKind {
        if self.bytes <= SMS_MAX_BYTES {
            SmsKind::Sms
        } else if self.bytes <= LMS_MAX_BYTES {
            SmsKind::Lms
        } else {
            SmsKind::TooLong
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsKind {
    /// Fits one short message (90 bytes).
    Sms,
    /// A long message (LMS, up to 2,000 bytes).
    Lms,
    /// Longer than any LMS.
    TooLong,
}

/// Counts `text` as a Korean carrier does: EUC-KR bytes (the WHATWG
/// `EUC-KR` encoding, i.e. code page 949, which covers every Hangul
/// syllable), with characters outside it counted as 2 bytes each.
pub fn sms_size(text: &str) -> SmsSize {
    let mut size = SmsSize {
        bytes: 0,
        unencodable: 0,
    };
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() {
            size.bytes += 1;
            continue;
        }
        let s = c.encode_utf8(&mut buf);
        let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(s);
        if unmappable {
            size.bytes += 2;
            size.unencodable += 1;
        } else {
            size.bytes += bytes.len();
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hangul_ascii_mixed_and_emoji() {
        assert_eq!(sms_size("").bytes, 0);
        assert_eq!(sms_size("ABC 123").bytes, 7);
        assert_eq!(sms_size("가나다").bytes, 6);
        // 똠 is outside the 2,350 syllables of strict EUC-KR but in CP949.
        assert_eq!(sms_size("똠").bytes, 2);
        assert_eq!(sms_size("예약 R7K2 확정").bytes, 4 + 1 + 4 + 1 + 4);
        let emoji = sms_size("확인😀");
        assert_eq!((emoji.bytes, emoji.unencodable), (6, 1));
        // 45 Hangul syllables are exactly one SMS; one more makes it an LMS.
        let forty_five = "가".repeat(45);
        assert_eq!(sms_size(&forty_five).kind(), SmsKind::Sms);
        assert_eq!(sms_size(&format!("{forty_five}a")).kind(), SmsKind::Lms);
        assert_eq!(sms_size(&"a".repeat(90)).kind(), SmsKind::Sms);
        assert_eq!(sms_size(&"a".repeat(91)).kind(), SmsKind::Lms);
        assert_eq!(sms_size(&"가".repeat(1000)).kind(), SmsKind::Lms);
        assert_eq!(sms_size(&"가".repeat(1001)).kind(), SmsKind::TooLong);
        // Hanja and symbols of KS X 1001 are two bytes too.
        assert_eq!(sms_size("漢※").bytes, 4);
    }

    #[test]
    fn placeholders_and_rendering() {
        let t = "[{site}] 예약 {code} 확정 {{안내}} {time}";
        let p = placeholders(t).expect("valid");
        let names: Vec<&str> = p.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["site", "code", "time"]);
        let params = BTreeMap::from([
            ("site".to_owned(), "소공인포털".to_owned()),
            ("code".to_owned(), "R7K2-9QXH".to_owned()),
        ]);
        assert_eq!(
            render(t, &params),
            "[소공인포털] 예약 R7K2-9QXH 확정 {안내} "
        );
        assert_eq!(placeholders("예약 {code").unwrap_err().offset, 3);
        assert_eq!(placeholders("a } b").unwrap_err().offset, 2);
        assert!(placeholders("{Name}").is_err());
        assert!(placeholders("{}").is_err());
    }

    #[test]
    fn every_event_allows_only_non_personal_placeholders() {
        for e in MessageEvent::ALL {
            assert_eq!(MessageEvent::parse(e.as_str()), Some(e));
            for p in e.placeholders() {
                assert!(!["name", "phone", "email", "business"].contains(p));
            }
            for r in e.required() {
                assert!(e.placeholders().contains(r));
            }
        }
    }

    #[test]
    fn old_catalogs_without_messages_still_read() {
        let m: Messages = serde_json::from_str("{}").expect("defaults");
        assert!(m.templates.is_empty() && m.reminder.is_none());
    }
}
