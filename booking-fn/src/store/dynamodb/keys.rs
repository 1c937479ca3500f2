//! Key and attribute layout. Every key is built here; DYNAMODB.md documents it.

use super::*;

pub const META: &str = "R";
pub const PERSON: &str = "P";
pub const APP_META: &str = "A";
pub const COUNTER: &str = "C";
pub const IDEM_SK: &str = "I";
pub const ONE_SK: &str = "U";

/// Item types (attribute `t`), used by scans and purge.
pub const T_RES: &str = "res";
pub const T_RES_PERSON: &str = "res_person";
pub const T_APP: &str = "app";
pub const T_APP_PERSON: &str = "app_person";
pub const T_SLOT: &str = "slot";
pub const T_IDEM: &str = "idem";
pub const T_SESSION: &str = "session";
pub const SESSION_SK: &str = "S";
pub const T_QUOTA: &str = "quota";
pub const T_COUNTER: &str = "counter";
pub const T_WAIT: &str = "wait";
pub const T_ONE: &str = "one";
pub const T_HIST: &str = "hist";
/// A training record (kept past the personal-data purge, to its own TTL).
pub const T_TRAINING: &str = "training";
pub const T_SURVEY: &str = "survey";
pub const T_ATTEMPT: &str = "attempt";
pub const T_CODE: &str = "code";
pub const CODE_SK: &str = "C";
pub const T_PERSON_SESSION: &str = "psession";

pub fn res(code: &ReservationCode) -> String {
    format!("RES#{}", code.compact())
}
pub fn app(code: &ApplicationCode) -> String {
    format!("APP#{}", code.compact())
}
/// An application's partition from its compact code (as items store it).
pub fn app_compact(code: &str) -> String {
    format!("APP#{code}")
}
pub fn slot_pk(equipment: &Id) -> String {
    format!("SLOT#{equipment}")
}
pub fn slot_sk(date: Date, start: TimeOfDay) -> String {
    format!("{date}T{start}")
}
pub fn session(id: &str) -> String {
    format!("SESS#{id}")
}
/// A one-time code of 내 예약·신청: one item per person key.
pub fn one_time_code(person: &PersonKey) -> String {
    format!("CODE#{}", person.as_str())
}
pub fn person_session(id: &str) -> String {
    format!("PSESS#{id}")
}
pub fn idem(key: &str) -> String {
    format!("IDEM#{key}")
}
pub fn quota(person: &PersonKey) -> String {
    format!("QUOTA#{}", person.as_str())
}
pub fn target(t: &Target) -> String {
    format!("TGT#{}#{}", t.kind.as_str(), t.id)
}
/// A legacy waitlist entry (written before waiter numbers), by arrival
/// number: still read and promoted, never written any more.
pub fn legacy_waiter_sk(seq: u64) -> String {
    format!("W#{seq:020}")
}
/// A waitlist entry, by waiter number (`wl_in` of the counter when the
/// waiter was admitted). "Q#…" sorts after the counter ("C") and before
/// the legacy "W#…" entries.
pub fn waiter_sk(number: u64) -> String {
    format!("Q#{number:020}")
}
/// The end of a target's waitlist range: after every `Q#` and `W#` entry.
pub const WAITLIST_END: &str = "W#~";
pub fn one(t: &Target, person: &PersonKey) -> String {
    format!("ONE#{}#{}#{}", t.kind.as_str(), t.id, person.as_str())
}
pub fn hist(person: &PersonKey) -> String {
    format!("HIST#{}", person.as_str())
}
pub fn hist_no_show(date: Date, code: &str) -> String {
    format!("N#{date}#{code}")
}
pub fn hist_attended(programme: &Id, code: &str) -> String {
    format!("A#{programme}#{code}")
}
/// A training record in the person's history partition: `T#<programme>#<day>`.
pub fn hist_training(programme: &Id, completed: Date) -> String {
    format!("T#{programme}#{completed}")
}
pub fn survey(id: &Id) -> String {
    format!("SURVEY#{id}")
}
/// An attempt counter: the caller's key, then its window's start.
pub fn attempt(key: &str) -> String {
    format!("ATTEMPT#{key}")
}
pub fn attempt_window(start: Timestamp) -> String {
    format!("{:020}", start.as_microsecond())
}
/// GSI1 partitions: reservations / applications of one facility.
pub fn res_by_facility(f: &Id) -> String {
    format!("RF#{f}")
}
pub fn app_by_facility(f: &Id) -> String {
    format!("AF#{f}")
}
/// GSI2 partitions: reservations of one piece of equipment,
/// applications to one target.
pub fn res_by_equipment(e: &Id) -> String {
    format!("RE#{e}")
}
pub fn app_by_target(t: &Target) -> String {
    format!("AT#{}#{}", t.kind.as_str(), t.id)
}
/// GSI3 partition: the personal items of one person key (내 예약·신청).
pub fn by_person(person: &PersonKey) -> String {
    format!("PK#{}", person.as_str())
}
/// GSI3 sort key: the record's partition key (`RES#…` / `APP#…`).
pub fn person_order(record_pk: &str) -> String {
    record_pk.to_owned()
}
/// Sort key of a reservation in both indexes: day, start, code.
pub fn res_order(r: &Reservation) -> String {
    format!("{}T{}#{}", r.run.date(), r.run.start(), r.code.compact())
}
/// Sort key of an application: by target then arrival.
pub fn app_order(a: &Application, seq: u64) -> String {
    format!("{}#{}#{seq:020}", a.target.kind.as_str(), a.target.id)
}
