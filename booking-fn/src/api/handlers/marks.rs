//! 이용 완료 / 예약 부도 for several reservations, and 수료 / 불참 for
//! several course enrolments, at once: the admin page's checkboxes, so that
//! staff mark a morning's users or a class in one step.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::after_action::html_form;
use super::staff_auth::staff_action;
use crate::api::answer::{Answer, Refused};
use crate::api::input::Fields;
use crate::api::reply::{Ctx, Reply};
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{ApplicationCode, ApplicationStatus, ReservationCode, ReservationStatus};
use crate::{Error, Result};

/// At most one page of the admin list at once.
const MAX_MARKS: usize = 50;

/// The field of the page's checkbox for a reservation.
const PICK: &str = "pick.";

/// The records chosen: a `pick.<CODE>` field each (the page's
/// checkboxes), or `codes` separated by commas or spaces (API clients);
/// in order, each once, written as codes are when they read as one.
fn picked(fields: &Fields) -> Vec<String> {
    let listed = fields
        .get("codes")
        .map(|c| {
            c.split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let checked = fields
        .keys()
        .filter_map(|k| k.strip_prefix(PICK))
        .map(str::to_owned);
    let mut out: Vec<String> = Vec::new();
    for c in listed.into_iter().chain(checked) {
        let c = match (c.parse::<ReservationCode>(), c.parse::<ApplicationCode>()) {
            (Ok(code), _) => code.to_string(),
            (_, Ok(code)) => code.to_string(),
            _ => c,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// `status`: `attended` or `no_show`, read by `parse`.
fn status<T>(fields: &Fields, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    fields
        .get("status")
        .filter(|s| matches!(s.trim(), "attended" | "no_show"))
        .and_then(|s| parse(s.trim()))
        .ok_or_else(|| Error::staff_field("status", "attended, no_show 중 하나여야 합니다."))
}

/// The codes chosen, at least one and at most [`MAX_MARKS`].
fn chosen(fields: &Fields) -> Result<Vec<String>> {
    let codes = picked(fields);
    if codes.is_empty() {
        return Err(Error::staff_field(
            "codes",
            "처리할 예약·신청을 하나 이상 골라 주세요.",
        ));
    }
    if codes.len() > MAX_MARKS {
        return Err(Error::staff_field(
            "codes",
            format!("한 번에 {MAX_MARKS}건까지 처리할 수 있습니다."),
        ));
    }
    Ok(codes)
}

/// Back to the admin page: how many were marked (`done`), how (`did`)
/// and which were not (`left`: only real codes go into the address, for
/// what was posted may be anything).
fn back<C: std::str::FromStr + std::fmt::Display>(
    fields: &Fields,
    marked: usize,
    did: &str,
    refused: &[Refused],
) -> Reply {
    let left: Vec<String> = refused
        .iter()
        .filter_map(|r| r.code.parse::<C>().ok())
        .map(|c| c.to_string())
        .collect();
    super::after_action::dashboard_with(
        fields,
        &format!("done={marked}&did={did}&left={}", left.join("_")),
    )
}

/// Marks each chosen record through `set` (its own checks, message and
/// audit entry, as by its own button): a refusal is kept with its code and
/// the others go on; any other error ends the request.
async fn each<R, Fut>(
    codes: Vec<String>,
    set: impl Fn(String) -> Fut,
) -> Result<(Vec<R>, Vec<Refused>)>
where
    Fut: std::future::Future<Output = Result<R>>,
{
    let (mut marked, mut refused) = (Vec::new(), Vec::new());
    for code in codes {
        match set(code.clone()).await {
            Ok(r) => marked.push(r),
            Err(e @ Error::Rejected { .. }) => refused.push(self::refused(code, &e)),
            Err(e) => return Err(e),
        }
    }
    Ok((marked, refused))
}

fn refused(code: String, e: &Error) -> Refused {
    Refused {
        code,
        error: e.code().as_str(),
        message: e.message(),
    }
}

/// `POST /api/admin/reservations/marks`: `status` (`attended` or
/// `no_show`) for each reservation chosen. Each is changed on its own, as
/// by its own button (the same checks, message and audit entry); one that
/// cannot be (not begun, not confirmed, another facility's) is left as it
/// is and named in the answer. The admin page's form is answered `303` to
/// the page with how many were marked and which were not.
pub(crate) async fn reservations(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let input = app.input(&headers, body).await?;
        let fields = input.fields()?;
        let to = status(fields, |s| ReservationStatus::parse(s).ok())?;
        let codes = chosen(fields)?;
        let cat = app.catalog();
        let (svc, cat_ref, m_ref) = (app.service(), &cat, &m);
        let (marked, refused) = each(codes, |code| async move {
            let r = svc
                .staff_set_reservation_status(cat_ref, &m_ref.scope, &code, to, "")
                .await?;
            svc.audit(
                m_ref,
                "reservation_status",
                &r.code.to_string(),
                to.as_str(),
            )
            .await;
            Ok(r)
        })
        .await?;
        if html_form(&headers) {
            let did = format!("marked:{}", to.as_str());
            return Ok(back::<ReservationCode>(
                fields,
                marked.len(),
                &did,
                &refused,
            ));
        }
        let now = app.service().now().at;
        Ok(Reply::ok(Answer::Marked {
            reservations: marked
                .iter()
                .map(|r| views::reservation(&cat, r, now, true))
                .collect(),
            refused,
        }))
    }
    .await;
    ctx.back_to(super::after_action::DASHBOARD)
        .returning(ret)
        .reply(result)
}

/// `POST /api/admin/applications/marks`: `status` (`attended` 수료 or
/// `no_show` 불참) for each course enrolment chosen, as
/// [`reservations`] does for reservations (a 수료 writes the training
/// record as its own button does).
pub(crate) async fn applications(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let input = app.input(&headers, body).await?;
        let fields = input.fields()?;
        let to = status(fields, |s| ApplicationStatus::parse(s).ok())?;
        let codes = chosen(fields)?;
        let cat = app.catalog();
        let (svc, cat_ref, m_ref) = (app.service(), &cat, &m);
        let (marked, refused) = each(codes, |code| async move {
            let a = svc
                .staff_set_application_status(cat_ref, &m_ref.scope, &code, to, "")
                .await?
                .application;
            svc.audit(
                m_ref,
                "application_status",
                &a.code.to_string(),
                to.as_str(),
            )
            .await;
            Ok(a)
        })
        .await?;
        if html_form(&headers) {
            let did = format!("amarked:{}", to.as_str());
            return Ok(back::<ApplicationCode>(
                fields,
                marked.len(),
                &did,
                &refused,
            ));
        }
        let now = app.service().now().at;
        Ok(Reply::ok(Answer::MarkedApplications {
            applications: marked
                .iter()
                .map(|a| views::application(&cat, a, now, None, true))
                .collect(),
            refused,
        }))
    }
    .await;
    ctx.back_to(super::after_action::DASHBOARD)
        .returning(ret)
        .reply(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_checkboxes_and_a_list_each_once() {
        let mut f = Fields::new();
        f.insert("codes".into(), "r7k2-9qxh, ABCD-EFGH".into());
        f.insert("pick.R7K2-9QXH".into(), "1".into());
        f.insert("pick.WXYZ-2345".into(), "1".into());
        f.insert("filter".into(), "page=2".into());
        assert_eq!(picked(&f), ["R7K2-9QXH", "ABCD-EFGH", "WXYZ-2345"]);
    }
}
