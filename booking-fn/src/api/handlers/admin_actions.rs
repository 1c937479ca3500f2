//! The status changes the admin page offers on a record (its buttons):
//! only those its status allows and its time does not refuse.

use sbiz_catalog::Catalog;

use crate::api::answer::{Action, Row};
use crate::domain::{Application, Reservation, TargetKind};
use crate::service;

const RESERVATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    ("pending", &[("confirmed", "승인"), ("rejected", "반려")]),
    (
        "confirmed",
        &[
            ("attended", "이용 완료"),
            ("no_show", "예약 부도"),
            ("cancelled", "취소"),
        ],
    ),
];

const APPLICATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    ("submitted", &[("approved", "선정"), ("rejected", "미선정")]),
    (
        "enrolled",
        &[
            ("attended", "수료"),
            ("no_show", "불참"),
            ("cancelled", "취소"),
        ],
    ),
    ("waitlisted", &[("cancelled", "취소")]),
];

/// A job application: 접수 → 검토 → 면접 → 채용 / 불채용.
const JOB_APPLICATION_ACTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "submitted",
        &[
            ("reviewing", "검토 시작"),
            ("interview", "면접 요청"),
            ("not_hired", "불채용"),
        ],
    ),
    (
        "reviewing",
        &[("interview", "면접 요청"), ("not_hired", "불채용")],
    ),
    ("interview", &[("hired", "채용"), ("not_hired", "불채용")]),
];

fn actions(table: &[(&str, &[(&'static str, &'static str)])], status: &str) -> Vec<Action> {
    table
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, a)| {
            a.iter()
                .map(|&(status, label)| Action { status, label })
                .collect()
        })
        .unwrap_or_default()
}

/// The actions on a reservation: 이용 완료 and 예약 부도 only once its
/// time has begun (the service refuses them before), so that staff are
/// never offered a button that can only fail.
pub(super) fn reservation_actions(r: &Reservation, now: jiff::Timestamp) -> Vec<Action> {
    let started = now >= crate::domain::kst_instant(r.run.date(), r.run.start());
    actions(RESERVATION_ACTIONS, r.status.as_str())
        .into_iter()
        .filter(|a| started || !matches!(a.status, "attended" | "no_show"))
        .collect()
}

/// The actions on an application: a job application's steps, or an
/// enrolment's and a policy's; 수료 and 불참 only once the course has
/// begun (the service refuses them before).
pub(super) fn application_actions(
    cat: &Catalog,
    a: &Application,
    now: jiff::Timestamp,
) -> Vec<Action> {
    let table = if a.target.kind == TargetKind::Job {
        JOB_APPLICATION_ACTIONS
    } else {
        APPLICATION_ACTIONS
    };
    let mut actions = actions(table, a.status.as_str());
    if !service::course_begun(cat, a, now) {
        actions.retain(|x| !matches!(x.status, "attended" | "no_show"));
    }
    actions
}

/// A record of the admin page's lists with its actions; it has a checkbox
/// (marked with others at once) when 이용 완료 or 수료 is among them.
pub(super) fn row<V>(record: V, actions: Vec<Action>) -> Row<V> {
    let markable = actions.iter().any(|a| a.status == "attended");
    Row {
        record,
        actions,
        markable,
    }
}
