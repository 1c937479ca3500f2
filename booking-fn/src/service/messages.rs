//! Staff and the messages of a record: the history (event, channel,
//! status, times, last error; never the text) and a resend.
//!
//! A resend is a new outbox item for the same event and channel, with the
//! original's parameters, due now; the dispatcher sends it like any other.
//! A management link cannot be sent again: its token is stored only as a
//! hash, and the sealed copy in the original message is erased once that
//! message is sent or fails. So a resent message that carried a management
//! (or survey) link carries instead the link to 예약 조회 (`/reservation/`,
//! where the person finds the reservation by its code and phone number)
//! for a reservation, and no link for an application (its code is in the
//! text; 신청 has no lookup page yet).

use sbiz_catalog::MessageEvent;

use super::{Service, StaffScope};
use crate::domain::{
    ApplicationCode, MessageId, MessageLink, MessageStatus, NewMessage, OutboxMessage,
    ReservationCode, Subject,
};
use crate::{Code, Error, Result};

/// The path a resent message links to instead of a reservation's
/// management link.
pub const LOOKUP_PATH: &str = "/reservation/";
/// [`LOOKUP_PATH`] of the English edition.
pub const LOOKUP_PATH_EN: &str = "/en/reservation/";

/// Which record's messages staff ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Reservation,
    Application,
}

/// Whether staff may resend a message: it was sent, or it failed for good.
/// A queued one is still going to be sent; a cancelled one belongs to a
/// change that was undone, or has no recipient.
pub fn resendable(m: &OutboxMessage) -> bool {
    matches!(m.status, MessageStatus::Sent | MessageStatus::Failed)
        && m.event != MessageEvent::OneTimeCode
}

/// The link of a resent message (see the module's documentation).
pub fn resend_link(subject: &Subject, link: Option<&MessageLink>) -> Option<MessageLink> {
    let link = link?;
    let had_token = link.sealed_token.is_some() || link.path.contains("token=");
    if !had_token {
        return Some(MessageLink::plain(link.path.clone()));
    }
    // A message of a record made in English linked to an English page
    // (`?lang=en&token=`): the English lookup page instead.
    let english = link.path.contains("lang=en");
    match subject {
        Subject::Reservation(_) if english => Some(MessageLink::plain(LOOKUP_PATH_EN)),
        Subject::Reservation(_) => Some(MessageLink::plain(LOOKUP_PATH)),
        Subject::Application(_) => None,
    }
}

/// What a failed or cancelled message's error code means, for staff.
pub fn error_korean(code: &str) -> String {
    let text = match code {
        "channel_not_configured" => {
            "이 발송 수단이 설정되어 있지 않습니다. 운영 담당자에게 알려 주세요."
        }
        "no_template" => "이 안내의 문구가 없습니다(content/messages.yaml).",
        "no_recipient" => "개인정보가 파기되어 받을 사람이 없습니다.",
        "not_a_mobile_number" => "휴대전화 번호가 아니어서 문자를 보낼 수 없습니다.",
        "no_email" => "이메일 주소를 받지 않았습니다.",
        "link_unreadable" => {
            "안내 주소를 만들 수 없습니다(서버 비밀키가 바뀌었습니다). 다시 보내면 예약 조회 주소로 보냅니다."
        }
        "record_changed" => "예약·신청 상태가 바뀌어 보내지 않았습니다.",
        "store_unavailable" => "저장소에 잠시 접속하지 못했습니다.",
        "smtp_connection" | "connection" => "발송 서버에 연결하지 못했습니다.",
        "smtp_timeout" | "timeout" => "발송 서버가 제때 응답하지 않았습니다.",
        "invalid_address" => "받는 주소가 올바르지 않습니다.",
        "invalid_message" => "메시지를 만들 수 없었습니다.",
        "MessageRejected" | "InvalidParameter" | "InvalidParameterException" => {
            "발송 서비스가 메시지를 받지 않았습니다."
        }
        "MailFromDomainNotVerifiedException"
        | "NotFoundException"
        | "AccountSuspendedException"
        | "SendingPausedException"
        | "AuthorizationError"
        | "AccessDeniedException" => {
            "발송 서비스 계정 설정 문제로 보내지 못했습니다. 운영 담당자에게 알려 주세요."
        }
        c if c.starts_with("smtp_5") => "메일 서버가 메시지를 받지 않았습니다.",
        c if c.starts_with("smtp_4") => "메일 서버가 잠시 받지 못했습니다.",
        _ => "발송 서비스 오류로 보내지 못했습니다.",
    };
    format!("{text} (코드: {code})")
}

impl Service {
    /// The record of `kind` and `code` if the staff member may see it.
    async fn staff_subject(
        &self,
        scope: &StaffScope,
        kind: RecordKind,
        code: &str,
    ) -> Result<(Subject, bool)> {
        match kind {
            RecordKind::Reservation => {
                let not_found = || Error::rejected(Code::NotFound, crate::Msg::ReservationNotFound);
                let code: ReservationCode = code.parse().map_err(|_| not_found())?;
                let r = self.store.reservation(&code).await?.ok_or_else(not_found)?;
                if !scope.covers(Some(&r.facility)) {
                    return Err(not_found());
                }
                Ok((Subject::Reservation(code), r.person.is_some()))
            }
            RecordKind::Application => {
                let not_found =
                    || Error::with_message(Code::NotFound, "신청 내역을 찾을 수 없습니다.");
                let code: ApplicationCode = code.parse().map_err(|_| not_found())?;
                let a = self.store.application(&code).await?.ok_or_else(not_found)?;
                if !scope.covers(a.facility.as_ref()) {
                    return Err(not_found());
                }
                Ok((Subject::Application(code), a.person.is_some()))
            }
        }
    }

    /// The messages of one record, oldest first, for staff who may see it.
    pub async fn staff_messages(
        &self,
        scope: &StaffScope,
        kind: RecordKind,
        code: &str,
    ) -> Result<(Subject, Vec<OutboxMessage>)> {
        let (subject, _) = self.staff_subject(scope, kind, code).await?;
        let messages = self.store.messages_of(&subject).await?;
        Ok((subject, messages))
    }

    /// Queues a new message for the event and channel of message `id` of
    /// the record, due now (see the module's documentation for its link).
    /// Returns the record and the new message.
    pub async fn staff_resend(
        &self,
        scope: &StaffScope,
        kind: RecordKind,
        code: &str,
        id: &str,
    ) -> Result<(Subject, OutboxMessage)> {
        let (subject, has_person) = self.staff_subject(scope, kind, code).await?;
        let not_found = || Error::with_message(Code::NotFound, "메시지를 찾을 수 없습니다.");
        let id: MessageId = id.parse().map_err(|_| not_found())?;
        let original = self
            .store
            .messages_of(&subject)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(not_found)?;
        if !has_person {
            return Err(Error::with_message(
                Code::InvalidStatus,
                "개인정보가 파기되어 다시 보낼 수 없습니다.",
            ));
        }
        if !resendable(&original) {
            return Err(Error::with_message(
                Code::InvalidStatus,
                match original.status {
                    MessageStatus::Queued => "아직 발송을 기다리는 메시지입니다. 곧 보내집니다.",
                    _ => "보내지 않기로 한 메시지는 다시 보낼 수 없습니다.",
                },
            ));
        }
        let now = self.now().at;
        let mut new = NewMessage::new(original.event, original.channel, now);
        new.params = original.params.clone();
        new.link = resend_link(&subject, original.link.as_ref());
        let new_id = new.id.clone();
        self.store
            .enqueue_messages(&subject, vec![new], now)
            .await?;
        tracing::info!(
            id = %new_id,
            resend_of = %original.id,
            event = original.event.as_str(),
            channel = original.channel.as_str(),
            "staff queued a message again"
        );
        let queued = self
            .store
            .messages_of(&subject)
            .await?
            .into_iter()
            .find(|m| m.id == new_id)
            .ok_or_else(|| Error::new(Code::Internal))?;
        Ok((subject, queued))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_management_link_is_resent_as_the_lookup_page() {
        let r = Subject::Reservation("R7K29QXH".parse().expect("code"));
        let sealed = MessageLink {
            path: "/api/reservations/R7K29QXH?token=".into(),
            sealed_token: None,
        };
        assert_eq!(
            resend_link(&r, Some(&sealed)),
            Some(MessageLink::plain(LOOKUP_PATH))
        );
        assert_eq!(
            resend_link(&r, Some(&MessageLink::plain("/reservation/"))),
            Some(MessageLink::plain("/reservation/"))
        );
        assert_eq!(resend_link(&r, None), None);
        let english = MessageLink {
            path: "/api/reservations/R7K29QXH?lang=en&token=".into(),
            sealed_token: None,
        };
        assert_eq!(
            resend_link(&r, Some(&english)),
            Some(MessageLink::plain(LOOKUP_PATH_EN))
        );
        let a = Subject::Application("A7K29QXH".parse().expect("code"));
        assert_eq!(resend_link(&a, Some(&sealed)), None);
    }

    #[test]
    fn error_codes_read_in_korean_with_the_code() {
        assert!(error_korean("no_email").contains("이메일 주소를 받지 않았습니다"));
        assert!(error_korean("smtp_550").contains("받지 않았습니다"));
        assert!(error_korean("Weird").ends_with("(코드: Weird)"));
    }
}
