//! The staff lists' filters: a query's parameters read into the store's
//! filters, every parameter checked.

use crate::api::requests;
use crate::api::requests::Query;
use crate::domain::{ApplicationStatus, ReservationStatus, Target, TargetKind};
use crate::store::{ApplicationFilter, ReservationFilter};
use crate::{Error, Msg, Result};
use sbiz_catalog::Date;

fn param<T>(
    q: &Query,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
    msg: Msg,
) -> Result<Option<T>> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(|| Error::field(name, msg)),
    }
}

/// The reservations' filter of the query; `today` (the app's) sets the
/// example of a date's error.
pub(super) fn reservation_filter(q: &Query, today: Date) -> Result<ReservationFilter> {
    Ok(ReservationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            Msg::korean_only("시설 ID가 올바르지 않습니다."),
        )?,
        equipment: param(
            q,
            "equipment",
            |s| s.parse().ok(),
            Msg::korean_only("장비 ID가 올바르지 않습니다."),
        )?,
        status: param(
            q,
            "status",
            |s| ReservationStatus::parse(s).ok(),
            Msg::korean_only("알 수 없는 상태입니다."),
        )?,
        from: param(
            q,
            "from",
            |s| s.parse().ok(),
            requests::date_example_error(today),
        )?,
        to: param(
            q,
            "to",
            |s| s.parse().ok(),
            requests::date_example_error(today),
        )?,
    })
}

pub(super) fn application_filter(q: &Query) -> Result<ApplicationFilter> {
    let kind = param(
        q,
        "kind",
        |s| TargetKind::parse(s).ok(),
        Msg::korean_only("programme, policy, job 중 하나여야 합니다."),
    )?;
    let target = param(
        q,
        "target",
        |s| s.parse().ok(),
        Msg::korean_only("대상 ID가 올바르지 않습니다."),
    )?;
    let target = match (kind, target) {
        (Some(kind), Some(id)) => Some(Target { kind, id }),
        (None, Some(_)) => {
            return Err(Error::staff_field(
                "kind",
                "target과 함께 kind를 지정해 주세요.",
            ));
        }
        _ => None,
    };
    Ok(ApplicationFilter {
        facility: param(
            q,
            "facility",
            |s| s.parse().ok(),
            Msg::korean_only("시설 ID가 올바르지 않습니다."),
        )?,
        kind,
        target,
        status: param(
            q,
            "status",
            |s| ApplicationStatus::parse(s).ok(),
            Msg::korean_only("알 수 없는 상태입니다."),
        )?,
    })
}
