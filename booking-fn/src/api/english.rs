//! The English texts of the function's messages, for answers to the English
//! edition (`lang=en`).
//!
//! The service and the domain say what went wrong in Korean, as they always
//! did: the Korean text is part of the record of a request (JSON clients,
//! logs of codes, the staff pages) and never changes with the language. An
//! answer in English translates at the edge, here, with a small Rust
//! catalogue: each stable Korean message (the default of each error code,
//! [`Code::english`](crate::Code::english), and each field or rule message)
//! has its English text, and messages with values in them (a label, a date,
//! a number of hours) are patterns whose values are carried over, a form
//! field's label replaced by the English label the form shows.
//!
//! Why a Rust catalogue and not keys of the theme's translation table: the
//! messages are made deep in the service with values typed there (dates,
//! durations, labels), the JSON API answers them too (without any theme),
//! and a site's theme cannot drop or break them. A message the catalogue
//! does not know stays Korean (never an empty text); a test checks that the
//! messages people meet most have their English.

use crate::{Code, FieldErrors};

/// Messages without values: (Korean, English).
const FIXED: &[(&str, &str)] = &[
    // Person fields (domain/person.rs, api/requests.rs).
    ("이름을 입력해 주세요.", "Please enter your name."),
    (
        "이름은 40자 이내로 입력해 주세요.",
        "Please keep your name to 40 characters or fewer.",
    ),
    (
        "상호를 입력해 주세요. 사업자등록을 하지 않았으면 '개인'이라고 적어 주세요.",
        "Please enter your business name. If your business is not registered, write 'Individual'.",
    ),
    (
        "상호는 100자 이내로 입력해 주세요.",
        "Please keep the business name to 100 characters or fewer.",
    ),
    (
        "이메일 주소를 name@example.com 형식으로 입력해 주세요.",
        "Please enter an e-mail address like name@example.com.",
    ),
    (
        "휴대전화 번호를 입력해 주세요.",
        "Please enter your mobile number.",
    ),
    (
        "휴대전화 번호를 010-1234-5678처럼 입력해 주세요.",
        "Please enter your mobile number like 010-1234-5678.",
    ),
    (
        "이메일로 안내를 받으시려면 이메일 주소를 적어 주세요.",
        "To get updates by e-mail, please enter your e-mail address.",
    ),
    (
        "안내 받을 방법은 sms, email, sms,email, none 가운데 하나여야 합니다.",
        "notify must be one of sms, email, sms,email or none.",
    ),
    (
        "쓸 수 없는 문자가 들어 있습니다.",
        "It contains characters that cannot be used.",
    ),
    (
        "보이지 않는 서식 문자(글자 방향 바꿈, 폭 없는 공백 등)가 들어 있습니다. 그 문자를 지우고 다시 입력해 주세요.",
        "It contains invisible formatting characters (such as direction marks or zero-width spaces). Please delete them and type it again.",
    ),
    (
        "요청 번호(Idempotency-Key)는 영문·숫자 8~36자여야 합니다.",
        "The request key (Idempotency-Key) must be 8 to 36 letters and digits.",
    ),
    (
        "입력한 내용이 너무 깁니다. 줄여서 다시 보내 주세요.",
        "What you entered is too long. Please shorten it and send it again.",
    ),
    (
        "보낸 양식을 읽을 수 없습니다.",
        "The form sent could not be read.",
    ),
    (
        "보낸 JSON을 읽을 수 없습니다.",
        "The JSON sent could not be read.",
    ),
    ("항목이 너무 많습니다.", "Too many fields."),
    (
        "보낸 내용을 끝까지 받지 못했습니다.",
        "What you sent did not arrive in full.",
    ),
    // Reservation numbers, links, codes.
    (
        "번호는 R7K2-9QXH처럼 영문과 숫자 8자입니다.",
        "The number is 8 letters and digits, like R7K2-9QXH.",
    ),
    (
        "예약번호를 입력해 주세요.",
        "Please enter your reservation number.",
    ),
    (
        "관리 링크가 올바르지 않습니다.",
        "The management link is not valid.",
    ),
    (
        "인증번호는 숫자 6자리입니다.",
        "The verification code is 6 digits.",
    ),
    (
        "문자로 받은 인증번호 6자리를 입력해 주세요.",
        "Please enter the 6-digit verification code from the text message.",
    ),
    // The time of a booking (api/requests.rs, domain/slot.rs, rules).
    ("시작 시간을 골라 주세요.", "Please choose a start time."),
    ("이용 시간을 골라 주세요.", "Please choose how long."),
    (
        "이용 시간(slots)과 끝 시간(end) 중 하나만 보내 주세요.",
        "Send either the length (slots) or the end time (end), not both.",
    ),
    (
        "예약 단위 시간이 올바르지 않습니다.",
        "The booking slot length is not valid.",
    ),
    (
        "한 번에 예약할 수 있는 이용 시간을 초과했습니다.",
        "This is longer than you can book at one time.",
    ),
    (
        "예약은 자정을 넘길 수 없습니다.",
        "A reservation cannot go past midnight.",
    ),
    (
        "지난 날짜는 예약할 수 없습니다.",
        "You cannot book a date in the past.",
    ),
    (
        "공휴일에는 예약할 수 없습니다.",
        "You cannot book on a public holiday.",
    ),
    (
        "이미 지난 시간은 예약할 수 없습니다.",
        "You cannot book a time that has passed.",
    ),
    // Not found, closed, full (service).
    (
        "해당 장비를 찾을 수 없습니다.",
        "We could not find this equipment.",
    ),
    (
        "예약을 찾을 수 없습니다. 예약번호와 관리 링크(또는 휴대전화 번호)를 확인해 주세요.",
        "We could not find the reservation. Please check the reservation number and the management link (or the mobile number).",
    ),
    (
        "예약을 찾을 수 없습니다.",
        "We could not find the reservation.",
    ),
    (
        "해당 교육을 찾을 수 없습니다.",
        "We could not find this course.",
    ),
    (
        "해당 지원사업을 찾을 수 없습니다.",
        "We could not find this support scheme.",
    ),
    (
        "신청 내역을 찾을 수 없습니다. 접수번호와 관리 링크를 확인해 주세요.",
        "We could not find the application. Please check the application number and the management link.",
    ),
    (
        "고른 시간에 이미 다른 예약이 있습니다. 다른 시간을 골라 주세요.",
        "The time you chose is already booked. Please choose another time.",
    ),
    (
        "교육이 이미 시작되어 온라인으로 취소할 수 없습니다. 운영 기관에 문의해 주세요.",
        "The course has already started, so it cannot be cancelled online. Please contact the organiser.",
    ),
    (
        "온라인으로 지원할 수 있는 구인정보를 찾을 수 없습니다.",
        "We could not find a job posting that takes applications online.",
    ),
    (
        "채용이 끝나 이 구인은 더 이상 지원을 받지 않습니다.",
        "This position has been filled, so the posting no longer takes applications.",
    ),
    (
        "이 구인에 이미 지원하셨습니다. 한 구인에는 한 번만 지원할 수 있습니다.",
        "You have already applied for this job. You can apply only once for each job posting.",
    ),
    (
        "이 예약·신청에 해당하는 설문이 아닙니다.",
        "This survey is not for this reservation or application.",
    ),
    (
        "이용한 예약에 대해서만 참여할 수 있습니다.",
        "You can answer only after you have used your reservation.",
    ),
    (
        "교육에 참여한 분만 응답할 수 있습니다.",
        "Only people who attended the course can answer.",
    ),
    (
        "주어진 항목 중에서 골라 주세요.",
        "Please choose one of the options.",
    ),
    (
        "지금 예약과 같은 시간입니다. 다른 날짜나 시간을 골라 주세요.",
        "This is the time you have already booked. Please choose another date or time.",
    ),
    ("정원이 모두 찼습니다.", "All places are taken."),
    (
        "인증번호가 맞지 않습니다. 이 인증번호는 더 이상 쓸 수 없으니 인증번호를 새로 받아 주세요.",
        "The verification code is not correct, and it can no longer be used. Please get a new one.",
    ),
    ("JSON 객체를 보내 주세요.", "Please send a JSON object."),
    (
        "값은 문자열, 숫자 또는 참/거짓이어야 합니다.",
        "Values must be strings, numbers or true/false.",
    ),
    (
        "끝 날짜는 시작 날짜와 같거나 뒤여야 합니다.",
        "The end date must be the same as or after the start date.",
    ),
    // 내 예약·신청.
    (
        "이 누리집은 인증번호 문자를 보내지 않도록 설정되어 있어 내 예약·신청을 쓸 수 없습니다. 예약 조회에서 예약번호와 휴대전화 번호로 예약을 찾거나, 예약·신청을 마칠 때 받은 관리 링크로 확인하고 취소해 주세요.",
        "This website is set up not to send verification codes by text message, so My reservations and applications is not available. Find your reservation on Find my reservation with the reservation number and your mobile number, or use the management link you received when you booked or applied.",
    ),
    (
        "문자를 받을 수 있는 휴대전화 번호를 010-1234-5678처럼 입력해 주세요.",
        "Please enter a mobile number that can receive text messages, like 010-1234-5678.",
    ),
    (
        "인증번호 문자를 보내지 못했습니다. 잠시 후 다시 시도해 주세요. 급하시면 예약 조회나 관리 링크를 이용해 주세요.",
        "We could not send the verification code. Please try again shortly. If it is urgent, use Find my reservation or your management link.",
    ),
    (
        "인증번호를 입력할 시간이 지났습니다. 휴대전화 번호를 다시 넣어 인증번호를 새로 받아 주세요.",
        "The time to enter the verification code has run out. Please enter your mobile number again to get a new code.",
    ),
    (
        "내 예약·신청을 보려면 휴대전화 번호로 인증해 주세요. 인증한 지 30분이 지났으면 다시 인증해 주세요.",
        "To see your reservations and applications, please verify your mobile number. If it has been more than 30 minutes since you verified, please verify again.",
    ),
    // The router.
    ("없는 주소입니다.", "There is no page at this address."),
    (
        "이 주소에서는 지원하지 않는 방식입니다.",
        "This address does not support this method.",
    ),
];

/// Messages with values: the Korean pattern and the English one. In the
/// Korean, `{}` stands for a value; in the English `{0}`, `{1}`, … are the
/// values in the Korean order. A value that is a Korean duration ("2시간
/// 30분") is written in English; the first value of a pattern starting with
/// `'{}'` is a field's label, replaced by the English label when there is
/// one.
const PATTERNS: &[(&str, &str)] = &[
    // Form fields (domain/forms.rs).
    (
        "'{}'에 동의(선택)해야 신청할 수 있습니다.",
        "You must tick '{0}' to apply.",
    ),
    ("'{}'을(를) 입력해 주세요.", "Please fill in '{0}'."),
    (
        "'{}'은(는) {}자 이내로 입력해 주세요.",
        "Please keep '{0}' to {1} characters or fewer.",
    ),
    (
        "'{}'은(는) 숫자로 입력해 주세요.",
        "Please enter '{0}' as a number.",
    ),
    (
        "'{}'은(는) {} 이상이어야 합니다.",
        "'{0}' must be {1} or more.",
    ),
    (
        "'{}'은(는) {} 이하여야 합니다.",
        "'{0}' must be {1} or less.",
    ),
    (
        "'{}'은(는) {}처럼 입력해 주세요.",
        "Please enter '{0}' like {1}.",
    ),
    (
        "'{}'이(가) 허용 범위를 벗어났습니다.",
        "'{0}' is outside the allowed range.",
    ),
    (
        "'{}'은(는) 주어진 항목 중에서 골라 주세요.",
        "Please choose '{0}' from the options given.",
    ),
    (
        "'{}'에 쓸 수 없는 문자가 있습니다.",
        "'{0}' contains characters that cannot be used.",
    ),
    (
        "'{}'에 보이지 않는 서식 문자(글자 방향 바꿈, 폭 없는 공백 등)가 들어 있습니다. 그 문자를 지우고 다시 입력해 주세요.",
        "'{0}' contains invisible formatting characters (such as direction marks or zero-width spaces). Please delete them and type it again.",
    ),
    ("'{}'에 응답해 주세요.", "Please answer '{0}'."),
    (
        "1부터 {} 사이에서 골라 주세요.",
        "Please choose a number from 1 to {0}.",
    ),
    (
        "{}자 이내로 적어 주세요.",
        "Please keep it to {0} characters or fewer.",
    ),
    (
        "끝 시간은 시작 뒤, {}분 단위로 골라 주세요.",
        "Please choose an end time after the start, in steps of {0} minutes.",
    ),
    (
        "한 번에 {}일까지 조회할 수 있습니다.",
        "You can ask for up to {0} days at a time.",
    ),
    // Dates.
    (
        "이용일을 {}처럼 입력해 주세요.",
        "Please enter the date like {0}.",
    ),
    (
        "날짜를 {}처럼 입력해 주세요.",
        "Please enter the date like {0}.",
    ),
    // Booking rules (domain/rules.rs, service/reservations.rs).
    (
        "이 장비는 이용일 {}일 전까지 예약해야 합니다. {}부터 예약할 수 있습니다.",
        "This equipment must be booked at least {0} days ahead. You can book from {1}.",
    ),
    (
        "이 장비는 오늘부터 {}일 뒤까지만 예약할 수 있습니다.",
        "This equipment can be booked only up to {0} days from today.",
    ),
    (
        "한 번에 {} 이상 예약해야 합니다.",
        "You must book at least {0} at a time.",
    ),
    (
        "한 번에 {}까지 예약할 수 있습니다.",
        "You can book up to {0} at a time.",
    ),
    (
        "운영 시간({}) 안에서 예약 단위에 맞춰 골라 주세요.",
        "Please choose booking slots within the opening hours ({0}).",
    ),
    (
        "이 장비는 한 사람이 한 주(월~일)에 {}시간까지 이용할 수 있습니다.",
        "One person can use this equipment for up to {0} hours a week (Monday to Sunday).",
    ),
    (
        "예약하고 이용하지 않은 기록이 있어 {}까지 새로 예약할 수 없습니다.",
        "Because you did not turn up for an earlier reservation, you cannot make new reservations until {0}.",
    ),
    (
        "이 예약은 이미 '{}' 상태라 취소할 수 없습니다.",
        "This reservation cannot be cancelled because its status is already '{0}'.",
    ),
    (
        "이용 시작 {}시간 전까지만 취소할 수 있습니다. 시설에 전화로 문의해 주세요.",
        "You can cancel only until {0} hours before the start. Please call the facility.",
    ),
    (
        "이 예약은 이미 '{}' 상태라 시간을 바꿀 수 없습니다.",
        "This reservation cannot be moved because its status is already '{0}'.",
    ),
    (
        "이용 시작 {}시간 전까지만 예약을 바꿀 수 있습니다. 시설에 전화로 문의해 주세요.",
        "You can change the reservation only until {0} hours before the start. Please call the facility.",
    ),
    (
        "휴대전화 번호 확인에 여러 번 실패하여 이 예약번호는 {}까지 조회할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 급하시면 이용하실 시설에 전화로 문의해 주세요.",
        "The mobile number did not match too many times, so this reservation number cannot be looked up until {0}. Please try again after that or, if it is urgent, call the facility.",
    ),
    // 내 예약·신청's verification codes (service/my.rs).
    (
        "이 기기(주소)에서 인증번호를 너무 많이 요청하여 {} {}까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요.",
        "Too many verification codes were requested from this device, so you cannot get or enter a code until {0} {1}. Please try again after that, or use Find my reservation or your management link.",
    ),
    (
        "인증번호를 여러 번 잘못 입력하여 {} {}까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요.",
        "A wrong verification code was entered too many times, so you cannot get or enter a code until {0} {1}. Please try again after that, or use Find my reservation or your management link.",
    ),
    (
        "이 휴대전화 번호로 인증번호를 너무 많이 요청하여 {} {}까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요.",
        "Too many verification codes were requested for this mobile number, so you cannot get or enter a code until {0} {1}. Please try again after that, or use Find my reservation or your management link.",
    ),
    (
        "인증번호가 맞지 않습니다. {}번 더 입력할 수 있습니다.",
        "The verification code is not correct. You can try {0} more times.",
    ),
    (
        "인증번호를 {}번 잘못 입력하여 이 인증번호는 더 이상 쓸 수 없습니다. 인증번호를 새로 받아 주세요.",
        "A wrong code was entered {0} times, so this verification code can no longer be used. Please get a new one.",
    ),
    (
        "인증번호의 유효 시간({}분)이 지났거나 이미 쓴 인증번호입니다. 인증번호를 새로 받아 주세요.",
        "This verification code has expired (it is valid for {0} minutes) or has already been used. Please get a new one.",
    ),
    // Applications (service/applications.rs, service/jobs.rs).
    ("신청은 {}부터 받습니다.", "Applications open on {0}."),
    (
        "신청 기간({}~{})이 끝났습니다.",
        "The application period ({0} to {1}) has ended.",
    ),
    (
        "신청하고 참여하지 않은 기록이 있어 {}까지 새로 신청할 수 없습니다.",
        "Because you did not attend after applying before, you cannot apply again until {0}.",
    ),
    (
        "이 신청은 이미 '{}' 상태라 취소할 수 없습니다.",
        "This application cannot be cancelled because its status is already '{0}'.",
    ),
    (
        "이 구인은 {}부터 지원을 받습니다.",
        "This job posting takes applications from {0}.",
    ),
    (
        "지원 마감일({})이 지나 더 이상 지원을 받지 않습니다.",
        "The application deadline ({0}) has passed, so no more applications are taken.",
    ),
];

/// A message in English: from the catalogue, else the Korean unchanged.
/// `label` is the English label of the field the message is about, if any.
pub(crate) fn message(korean: &str, label: Option<&str>) -> String {
    if let Some(code) = Code::ALL.iter().find(|c| c.korean() == korean) {
        return code.english().to_owned();
    }
    if let Some((_, en)) = FIXED.iter().find(|(ko, _)| *ko == korean) {
        return (*en).to_owned();
    }
    for (ko, en) in PATTERNS {
        if let Some(values) = captures(ko, korean) {
            let mut out = (*en).to_owned();
            for (i, v) in values.iter().enumerate() {
                let v = match (i, label) {
                    (0, Some(l)) if ko.starts_with("'{}'") => l.to_owned(),
                    _ => english_value(v),
                };
                out = out.replace(&format!("{{{i}}}"), &v);
            }
            return out;
        }
    }
    korean.to_owned()
}

/// Field messages in English, each with its field's English label.
pub(crate) fn fields(korean: &FieldErrors, label: impl Fn(&str) -> Option<String>) -> FieldErrors {
    korean
        .iter()
        .map(|(name, m)| (name.clone(), message(m, label(name).as_deref())))
        .collect()
}

/// The values of `text` where `pattern` has `{}`, when it matches: each
/// value runs to the first place the pattern's next literal text follows.
fn captures<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let mut parts = pattern.split("{}");
    let first = parts.next()?;
    let mut rest = text.strip_prefix(first)?;
    let literals: Vec<&str> = parts.collect();
    if literals.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    for (i, lit) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let end = if last {
            rest.len().checked_sub(lit.len())?
        } else if lit.is_empty() {
            return None;
        } else {
            rest.find(lit)?
        };
        let value = rest.get(..end)?;
        if value.is_empty() || !rest.get(end..)?.starts_with(lit) {
            return None;
        }
        values.push(value);
        rest = rest.get(end + lit.len()..)?;
    }
    rest.is_empty().then_some(values)
}

/// A value carried into English: a Korean duration ("1시간 30분", "2시간",
/// "30분") in English, a status label in English, anything else unchanged.
fn english_value(v: &str) -> String {
    if let Some(label) = status_label(v) {
        return label.to_owned();
    }
    let mut hours = None;
    let mut minutes = None;
    for part in v.split(' ') {
        if let Some(h) = part
            .strip_suffix("시간")
            .and_then(|n| n.parse::<u32>().ok())
        {
            hours = Some(h);
        } else if let Some(m) = part.strip_suffix("분").and_then(|n| n.parse::<u32>().ok()) {
            minutes = Some(m);
        } else {
            return v.to_owned();
        }
    }
    let unit = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (hours, minutes) {
        (Some(h), Some(m)) => format!(
            "{} {}",
            unit(h, "hour", "hours"),
            unit(m, "minute", "minutes")
        ),
        (Some(h), None) => unit(h, "hour", "hours"),
        (None, Some(m)) => unit(m, "minute", "minutes"),
        (None, None) => v.to_owned(),
    }
}

/// The English label of a reservation's or an application's status, by its
/// Korean label.
pub(crate) fn status_label(korean: &str) -> Option<&'static str> {
    crate::domain::english_status(korean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_and_fixed_message_has_english() {
        for c in Code::ALL {
            let en = message(c.korean(), None);
            assert!(en.is_ascii(), "{c}: {en}");
        }
        for (ko, en) in FIXED {
            assert_eq!(&message(ko, None), en);
        }
    }

    #[test]
    fn patterns_carry_values_and_english_labels() {
        assert_eq!(
            message("'경력'을(를) 입력해 주세요.", Some("Experience")),
            "Please fill in 'Experience'."
        );
        assert_eq!(
            message("'경력'은(는) 200자 이내로 입력해 주세요.", None),
            "Please keep '경력' to 200 characters or fewer."
        );
        assert_eq!(
            message("한 번에 1시간 30분 이상 예약해야 합니다.", None),
            "You must book at least 1 hour 30 minutes at a time."
        );
        assert_eq!(
            message("이 예약은 이미 '취소' 상태라 취소할 수 없습니다.", None),
            "This reservation cannot be cancelled because its status is already 'Cancelled'."
        );
        assert_eq!(
            message(
                "이 장비는 이용일 2일 전까지 예약해야 합니다. 2026-03-05부터 예약할 수 있습니다.",
                None
            ),
            "This equipment must be booked at least 2 days ahead. You can book from 2026-03-05."
        );
        assert_eq!(
            message(
                "인증번호를 여러 번 잘못 입력하여 2026-03-04 09:00까지 인증번호를 받거나 입력할 수 없습니다. 그 뒤에 다시 시도해 주시거나, 예약 조회나 관리 링크를 이용해 주세요.",
                None
            ),
            "A wrong verification code was entered too many times, so you cannot get or enter a code until 2026-03-04 09:00. Please try again after that, or use Find my reservation or your management link."
        );
        // Unknown messages stay Korean rather than vanish.
        assert_eq!(message("알 수 없는 문제", None), "알 수 없는 문제");
    }
}
