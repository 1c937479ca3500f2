//! The staff audit log: every staff action (who, by the staff entry's
//! label; what; when; on which record) is appended, never changed. No
//! personal data: records are named by their code or id only.

use crate::domain::{AuditEntry, AuditFilter};
use crate::{Code, Error, Result};

use super::{Service, StaffScope};

/// A signed-in staff member: the scope, and the label of the configured
/// entry (`api::auth::StaffTokens`) that the audit log names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub scope: StaffScope,
    pub label: String,
}

/// The actions the audit log names, with their Korean labels for the page.
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("login", "로그인"),
    ("logout", "로그아웃"),
    ("reservation_status", "예약 상태 변경"),
    ("application_status", "신청 상태 변경"),
    ("message_resend", "안내 다시 보내기"),
    ("job_filled", "구인 마감·재모집"),
    ("closure_create", "휴관·사용 중지 등록"),
    ("closure_remove", "휴관·사용 중지 해제"),
    ("closure_cancel_bookings", "휴관·사용 중지 예약 일괄 취소"),
    ("staff_booking", "전화·방문 접수"),
    ("reservation_reschedule", "예약 변경"),
    ("training_record", "교육 수료 기록"),
];

/// The Korean label of an action (the action itself when unknown).
pub fn audit_action_label(action: &str) -> &str {
    AUDIT_ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(action, |(_, l)| l)
}

impl Service {
    /// Appends one staff action to the audit log: `action` (one of
    /// [`AUDIT_ACTIONS`], or a new one added there), `record` (a code or
    /// id, never personal data), `detail` (machine-readable, no personal
    /// data). Called after the action succeeded; a failure to append is
    /// logged as an error and does not undo the action.
    pub async fn audit(&self, staff: &StaffMember, action: &str, record: &str, detail: &str) {
        let entry = AuditEntry {
            at: self.now().at,
            staff: staff.label.clone(),
            action: action.to_owned(),
            record: record.to_owned(),
            detail: detail.to_owned(),
        };
        if let Err(e) = self.store.append_audit(entry).await {
            tracing::error!(error = %e, action, "could not append to the audit log");
        }
    }

    /// The audit log, for `*` staff only.
    pub async fn audit_log(
        &self,
        scope: &StaffScope,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>> {
        if *scope != StaffScope::All {
            return Err(Error::with_message(
                Code::Forbidden,
                "감사 기록은 전체 관리자만 볼 수 있습니다.",
            ));
        }
        self.store.audit_entries(filter).await
    }
}

/// The audit log as CSV (the same escaping and formula defusing as the
/// other exports).
pub fn audit_csv(list: &[AuditEntry]) -> String {
    super::admin::csv(
        &["일시", "담당자", "작업", "작업코드", "대상", "내용"],
        list.iter().map(|e| {
            vec![
                super::admin::kst_string(e.at),
                e.staff.clone(),
                audit_action_label(&e.action).to_owned(),
                e.action.clone(),
                e.record.clone(),
                e.detail.clone(),
            ]
        }),
    )
}
