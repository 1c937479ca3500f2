//! The staff lists' filters: a query's parameters read into the store's
//! filters, every parameter checked.

use std::collections::BTreeMap;

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

/// The admin page's query split into each list's own: the reservations'
/// (`facility`, `equipment`, `status`, `from`, `to`) and the
/// applications' (`facility`, `kind`, `target`, and `astatus` as
/// `status`), empty values left out. 신청 대상 (`target=programme:<id>`)
/// sets the kind with the id.
pub(super) fn page_queries(q: &Query) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let get = |k: &str| q.get(k).map(|v| v.trim()).unwrap_or("").to_owned();
    let mut rq = q.0.clone();
    rq.retain(|k, v| {
        !v.trim().is_empty()
            && ["facility", "equipment", "status", "from", "to"].contains(&k.as_str())
    });
    let (kind, target) = match get("target").split_once(':') {
        Some((k, id)) => (k.to_owned(), id.to_owned()),
        None => (get("kind"), String::new()),
    };
    let mut aq = BTreeMap::new();
    for (k, v) in [
        ("facility", get("facility")),
        ("kind", kind),
        ("target", target),
        ("status", get("astatus")),
    ] {
        if !v.is_empty() {
            aq.insert(k.to_owned(), v);
        }
    }
    (rq, aq)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Query {
        axum::extract::Query(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        query(pairs).0
    }

    #[test]
    fn the_admin_pages_query_splits_into_each_lists_own() {
        let q = query(&[
            ("facility", "seongsu"),
            ("equipment", "cutter"),
            ("status", "pending"),
            ("from", " "),
            ("target", "programme:cad-basics"),
            ("kind", "job"),
            ("astatus", "enrolled"),
            ("page", "2"),
            ("q", "A1B2C3"),
        ]);
        let (rq, aq) = page_queries(&q);
        assert_eq!(
            rq,
            map(&[
                ("facility", "seongsu"),
                ("equipment", "cutter"),
                ("status", "pending"),
            ])
        );
        assert_eq!(
            aq,
            map(&[
                ("facility", "seongsu"),
                ("kind", "programme"),
                ("target", "cad-basics"),
                ("status", "enrolled"),
            ])
        );
        // Without a 신청 대상, `kind` is kept alone.
        let (_, aq) = page_queries(&query(&[("kind", "policy"), ("target", "")]));
        assert_eq!(aq, map(&[("kind", "policy")]));
    }
}
