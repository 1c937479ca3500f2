//! Where a staff action from the admin page goes afterwards: back to the
//! page with its filters, at the notice of what was done (written here as
//! `done` and `did`, and read here into the notice's sentence).

use axum::http::{HeaderMap, header};

use crate::api::input::Fields;
use crate::api::reply::Reply;
use crate::api::requests::Query;
use crate::domain::{ApplicationStatus, ReservationStatus};

/// A plain form post from the admin page (not an API client).
pub(crate) fn html_form(headers: &HeaderMap) -> bool {
    crate::api::input::is_form(headers)
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// Keeps only the characters of a filter query (no personal data is ever
/// in it: facility, status, dates, kind).
pub(super) fn clean_query(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=&-_:".contains(*c))
        .take(300)
        .collect()
}

/// Back to the admin page after an action, with its filters, the record
/// and what was done (`did`, see [`done_notice`]); the address ends at the
/// notice (`#admin-result`), so that with JavaScript off the browser takes
/// keyboard and screen reader users to it rather than to the page's top.
pub(crate) fn back_to_dashboard(fields: &Fields, code: &str, did: &str) -> Reply {
    dashboard_with(
        fields,
        &format!("done={}&did={}", clean_query(code), clean_query(did)),
    )
}

/// The admin page with the form's filters and `params` (made of values
/// the server chose or checked), at its notice.
pub(crate) fn dashboard_with(fields: &Fields, params: &str) -> Reply {
    let filter = clean_query(fields.get("filter").map(String::as_str).unwrap_or(""));
    let sep = if filter.is_empty() { "" } else { "&" };
    Reply::see_other(&format!(
        "/api/admin/dashboard?{filter}{sep}{params}#{RESULT_ID}"
    ))
}

/// The admin page, where staff actions come back to (and their error
/// pages link to), as where a sign-in returns to by default.
pub(crate) const DASHBOARD: &str = crate::api::staff_return::DASHBOARD;

/// The id of the admin page's notice of what was just done.
pub(crate) const RESULT_ID: &str = "admin-result";

/// The admin page's notice of what was just done: `done` is the record
/// (or how many), `did` the action (`reservation:attended`,
/// `application:rejected`, `booked`, `rescheduled`, `job:filled`, …). The
/// record and the status's label end in a noun (처리), never a particle.
pub(super) fn done_notice(q: &Query) -> Option<String> {
    let done = clean_query(q.get("done")?);
    let did = q.get("did").map(String::as_str).unwrap_or("");
    let label = match did.split_once(':') {
        Some(("reservation", s)) => ReservationStatus::parse(s).ok().map(|s| s.korean()),
        Some(("application", s)) => ApplicationStatus::parse(s).ok().map(|s| s.korean()),
        Some(("job", "filled")) => Some("채용 완료 마감"),
        Some(("job", "reopened")) => Some("다시 모집"),
        _ => match did {
            "booked" => Some("전화·방문 접수"),
            "rescheduled" => Some("예약 변경"),
            _ => None,
        },
    };
    let marked = match did.split_once(':') {
        Some(("marked", s)) => Some(("예약", ReservationStatus::parse(s).ok()?.korean())),
        Some(("amarked", s)) => Some(("신청", ApplicationStatus::parse(s).ok()?.korean())),
        _ => None,
    };
    if let Some((what, label)) = marked {
        let count: usize = done.parse().ok()?;
        let mut text = format!("{what} {count}건을 {label} 처리했습니다.");
        let left: Vec<String> = q
            .get("left")
            .map(|l| clean_query(l))
            .unwrap_or_default()
            .split('_')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if !left.is_empty() {
            let why = if what == "예약" {
                "이용 시작 전이거나 이미 다른 상태인 예약입니다"
            } else {
                "수강 확정이 아니거나 이미 다른 상태인 신청입니다"
            };
            text.push_str(&format!(
                " 처리하지 못한 {what} {}건: {} ({why}).",
                left.len(),
                left.join(", ")
            ));
        }
        return Some(text);
    }
    Some(match label {
        Some(label) => format!("{done}: {label} 처리를 마쳤습니다."),
        None => format!("{done} 처리를 마쳤습니다."),
    })
}
