//! Closures by staff (임시 휴관 of a facility, 장비 사용 중지 of one piece of
//! equipment) and the staff audit log. Both are stored, not content: they
//! take effect at once, without a rebuild (unlike the content's 휴관일).

use jiff::Timestamp;
use sbiz_catalog::{Date, Id};
use serde::Serialize;

/// Longest closure, in days (both ends counted). A closure is written in
/// one atomic step with one marker per day (DynamoDB: at most 100 items per
/// transaction).
pub const MAX_CLOSURE_DAYS: i32 = 90;

/// Why staff closed something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// 고장
    Breakdown,
    /// 점검
    Inspection,
    /// 행사
    Event,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 3] = [
        ClosureReason::Breakdown,
        ClosureReason::Inspection,
        ClosureReason::Event,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ClosureReason::Breakdown => "breakdown",
            ClosureReason::Inspection => "inspection",
            ClosureReason::Event => "event",
        }
    }
    pub fn korean(self) -> &'static str {
        match self {
            ClosureReason::Breakdown => "고장",
            ClosureReason::Inspection => "점검",
            ClosureReason::Event => "행사",
        }
    }
    pub fn parse(s: &str) -> Option<ClosureReason> {
        ClosureReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A stored closure: the whole facility (`equipment: None`, 임시 휴관) or
/// one piece of equipment (장비 사용 중지), whole days `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closure {
    /// 32 hex digits, random.
    pub id: String,
    pub facility: Id,
    pub equipment: Option<Id>,
    pub from: Date,
    pub to: Date,
    pub reason: ClosureReason,
    /// What staff added to the reason (shown to people in the cancellation
    /// message), at most 60 characters; may be empty.
    pub note: String,
    /// The staff entry that made it (its label, never its token or hash).
    pub staff: String,
    pub created_at: Timestamp,
}

impl Closure {
    /// A new id.
    pub fn new_id() -> String {
        let mut b = [0u8; 16];
        super::random_bytes(&mut b);
        hex::encode(b)
    }

    /// Whether the closure covers this equipment of this facility on `day`.
    pub fn covers(&self, facility: &Id, equipment: &Id, day: Date) -> bool {
        self.facility == *facility
            && self.equipment.as_ref().is_none_or(|e| e == equipment)
            && self.from <= day
            && day <= self.to
    }

    /// Its days, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + '_ {
        (0..=self.from.days_until(self.to)).map(|i| self.from.add_days(i))
    }

    /// The term staff and people read: 장비 사용 중지 or 임시 휴관.
    pub fn term(&self) -> &'static str {
        if self.equipment.is_some() {
            "장비 사용 중지"
        } else {
            "임시 휴관"
        }
    }
}

/// What people read about a closure on a day they look at or book: its
/// kind (임시 휴관 or 장비 사용 중지), its reason, and the note staff typed
/// (Korean, as typed; never translated). Serialised as its Korean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureNotice {
    /// One machine (장비 사용 중지) rather than the whole facility.
    pub equipment: bool,
    pub reason: ClosureReason,
    /// What staff added, may be empty.
    pub note: String,
}

impl ClosureNotice {
    pub fn of(c: &Closure) -> ClosureNotice {
        ClosureNotice {
            equipment: c.equipment.is_some(),
            reason: c.reason,
            note: c.note.clone(),
        }
    }

    /// `장비 사용 중지(고장: 모터 교체)`, `임시 휴관(행사)`: the kind, the
    /// reason and the note, as staff and Korean pages read it.
    pub fn korean(&self) -> String {
        let term = if self.equipment {
            "장비 사용 중지"
        } else {
            "임시 휴관"
        };
        if self.note.is_empty() {
            format!("{term}({})", self.reason.korean())
        } else {
            format!("{term}({}: {})", self.reason.korean(), self.note)
        }
    }

    /// `equipment out of service (breakdown)`, `temporary closure
    /// (event)`: the kind and the reason in English (to follow a colon),
    /// without the note, which English pages show after it in Korean,
    /// marked as such.
    pub fn english(&self) -> String {
        let term = if self.equipment {
            "equipment out of service"
        } else {
            "temporary closure"
        };
        let reason = match self.reason {
            ClosureReason::Breakdown => "breakdown",
            ClosureReason::Inspection => "inspection",
            ClosureReason::Event => "event",
        };
        format!("{term} ({reason})")
    }

    /// The staff's note, when there is one.
    pub fn note(&self) -> Option<&str> {
        Some(self.note.as_str()).filter(|n| !n.is_empty())
    }
}

impl Serialize for ClosureNotice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.korean())
    }
}

/// One staff action in the audit log. Holds no personal data: who (the
/// staff entry's label), what, when, and the record's code or id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// The staff entry's label (see `api::auth::StaffTokens`).
    pub staff: String,
    /// What was done, e.g. `reservation_status`, `closure_create`.
    pub action: String,
    /// The record: a reservation or application code, a closure id, a job
    /// id, or empty (sign-in, sign-out).
    pub record: String,
    /// Machine-readable detail without personal data (a new status, a
    /// closure's equipment and days).
    pub detail: String,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Korea-time days `from..=to` of `at`.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub staff: Option<String>,
    pub action: Option<String>,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        let day = super::kst_parts(e.at).0;
        self.from.is_none_or(|d| day >= d)
            && self.to.is_none_or(|d| day <= d)
            && self.staff.as_ref().is_none_or(|s| *s == e.staff)
            && self.action.as_ref().is_none_or(|a| *a == e.action)
    }
}
