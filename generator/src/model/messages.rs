//! Message templates (`content/messages.yaml`): one entry per event, each
//! with the 문자 text, the e-mail subject and (optionally) body, an
//! optional 카카오 알림톡 template code, and optionally the same texts in
//! English (`en:`), sent for records made from the English edition.

use sbiz_catalog::{
    LMS_MAX_BYTES, MessageEvent, MessageTemplate, MessageText, SmsKind, placeholders, sms_size,
};

use crate::i18n::Text;
use crate::t;
use crate::yaml::Fields;

/// Reads every event's templates; a missing event, an unknown event, a
/// placeholder the event may not carry, a broken brace or a 문자 text that
/// can never fit an LMS is reported at its field.
pub fn read_messages(f: &mut Fields<'_>) -> Vec<MessageTemplate> {
    let mut out = Vec::new();
    for event in MessageEvent::ALL {
        let t = f.nested(event.as_str(), true, t!("the messages of one event"), |m| {
            // The employer's copy goes by e-mail only: its 문자 text is
            // optional (the e-mail body falls back to it when written).
            let sms = if event.to_employer() {
                Some(m.opt::<String>("sms").unwrap_or_default())
            } else {
                m.req::<String>("sms", t!("the 문자 text"))
            };
            let subject = m.req::<String>("email_subject", t!("the e-mail subject line"));
            let body = if event.to_employer() {
                m.req::<String>(
                    "email_body",
                    t!("the e-mail to the employer, with the application placeholder in it"),
                )
            } else {
                m.opt::<String>("email_body")
            };
            let kakao = m.opt::<String>("kakao_template");
            if let Some(s) = sms.as_ref().filter(|s| !s.is_empty()) {
                check_text(m, event, "sms", s);
                check_sms(m, s);
            }
            if let Some(s) = &subject {
                check_text(m, event, "email_subject", s);
                if s.contains('\n') {
                    m.invalid(
                        "email_subject",
                        t!("an e-mail subject is one line"),
                        format!("{:?}", s),
                        t!("a subject without line breaks"),
                    );
                }
            }
            if let Some(b) = &body {
                check_text(m, event, "email_body", b);
            }
            if let Some(k) = &kakao
                && (k.is_empty()
                    || k.len() > 64
                    || !k
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
            {
                m.invalid(
                    "kakao_template",
                    t!("not a 알림톡 template code"),
                    format!("{k:?}"),
                    t!("the template code registered with the 알림톡 provider (letters, digits, - and _)"),
                );
            }
            let en = m.nested("en", false, t!("the messages of one event"), |e| {
                read_english(e, event)
            });
            let sms = sms?;
            Some(MessageTemplate {
                event,
                email_body: body.unwrap_or_else(|| sms.clone()),
                sms,
                email_subject: subject?,
                kakao_template: kakao,
                en,
            })
        });
        out.extend(t);
    }
    out
}

/// The English texts of one event (`en:`), checked as the Korean ones are:
/// the same placeholders, one-line subject, and a 문자 text that fits an
/// LMS (English letters take one byte each: 90 make an SMS).
fn read_english(e: &mut Fields<'_>, event: MessageEvent) -> Option<MessageText> {
    let sms = if event.to_employer() {
        Some(e.opt::<String>("sms").unwrap_or_default())
    } else {
        e.req::<String>("sms", t!("the 문자 text"))
    };
    let subject = e.req::<String>("email_subject", t!("the e-mail subject line"));
    let body = e.opt::<String>("email_body");
    if let Some(s) = sms.as_ref().filter(|s| !s.is_empty()) {
        check_text(e, event, "sms", s);
        check_sms(e, s);
    }
    if let Some(s) = &subject {
        check_text(e, event, "email_subject", s);
        if s.contains('\n') {
            e.invalid(
                "email_subject",
                t!("an e-mail subject is one line"),
                format!("{:?}", s),
                t!("a subject without line breaks"),
            );
        }
    }
    if let Some(b) = &body {
        check_text(e, event, "email_body", b);
    }
    let sms = sms?;
    Some(MessageText {
        email_body: body.unwrap_or_else(|| sms.clone()),
        sms,
        email_subject: subject?,
    })
}

fn check_text(m: &Fields<'_>, event: MessageEvent, key: &str, text: &str) {
    let allowed = event.placeholders();
    let expected = || {
        t!(
            "placeholders of `{event}`: {names}",
            event = event.to_string(),
            names = allowed
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match placeholders(text) {
        Err(e) => m.invalid(
            key,
            t!(
                "{problem} (at character {n})",
                problem = Text::lookup(&e.message),
                n = e.offset + 1
            ),
            e.found,
            expected(),
        ),
        Ok(found) => {
            for (offset, name) in &found {
                if !allowed.contains(&name.as_str()) {
                    let placeholder = format!("{{{name}}}");
                    let n = offset + 1;
                    let message = if ["name", "phone", "email", "business"].contains(&name.as_str())
                    {
                        t!(
                            "unknown placeholder {placeholder} (at character {n}): messages never carry personal data",
                            placeholder = placeholder,
                            n = n
                        )
                    } else {
                        t!(
                            "unknown placeholder {placeholder} (at character {n})",
                            placeholder = placeholder,
                            n = n
                        )
                    };
                    m.invalid(key, message, format!("{{{name}}}"), expected());
                }
            }
            if key != "email_subject" {
                for r in event.required() {
                    if !found.iter().any(|(_, n)| n == r) {
                        m.invalid(
                            key,
                            t!(
                                "the message must contain {placeholder}",
                                placeholder = format!("{{{r}}}")
                            ),
                            format!("{:?}", text.chars().take(40).collect::<String>()),
                            t!(
                                "a text with {placeholder} in it",
                                placeholder = format!("{{{r}}}")
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// A 문자 text is sent as SMS up to 90 bytes (EUC-KR) and as LMS up to
/// 2,000; its fixed part alone must fit an LMS, and every character must
/// exist in EUC-KR (phones show others as `?`).
fn check_sms(m: &Fields<'_>, text: &str) {
    let fixed: String = sbiz_catalog::render(text, &Default::default());
    let size = sms_size(&fixed);
    if size.kind() == SmsKind::TooLong {
        m.invalid(
            "sms",
            t!("the 문자 text is longer than an LMS can ever be"),
            t!(
                "{n} bytes (EUC-KR) before the placeholders are filled",
                n = size.bytes
            ),
            t!(
                "at most {n} bytes (one Hangul syllable = 2 bytes)",
                n = LMS_MAX_BYTES
            ),
        );
    }
    if size.unencodable > 0 {
        let bad: String = fixed
            .chars()
            .filter(|c| !c.is_ascii() && sms_size(&c.to_string()).unencodable > 0)
            .take(5)
            .collect();
        m.invalid(
            "sms",
            t!("characters that 문자 cannot carry (phones would show ?)"),
            bad,
            t!("Hangul, Hanja, ASCII and the symbols of KS X 1001 (no emoji)"),
        );
    }
}
