//! The store conformance and concurrency suite, the same for every store.
//!
//! Use from a test module of the testsuite:
//! ```ignore
//! use crate::store_tests;
//! store_tests!(async || std::sync::Arc::new(MyStore::new().await) as Arc<dyn Store>);
//! ```
//! Each check gets a fresh, empty store from the factory. All records are
//! built here, without a catalog: the store must not depend on one.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use sbiz_booking::Code;
use sbiz_booking::catalog::{Channel, Date, Id, MessageEvent, TimeOfDay};
use sbiz_booking::domain::*;
use sbiz_booking::store::*;

/// The server secret of the suite's records (person keys, idempotency).
pub static TEST_SECRET: std::sync::LazyLock<ServerKey> =
    std::sync::LazyLock::new(ServerKey::generate);

/// Generates one `#[tokio::test]` per check, each with a fresh store from
/// `$make` (an `async` closure returning `Arc<dyn Store>`).
#[macro_export]
macro_rules! store_tests {
    ($make:expr) => {
        $crate::store_tests!(@each $make;
            reservation_round_trip, overlapping_runs_conflict, cancelling_releases_slots_and_quota,
            weekly_quota_is_enforced, idempotent_reservation_replays, idempotent_key_reuse_conflicts,
            duplicate_codes_are_refused, status_changes_are_conditional, reservation_filters,
            person_history_reports_no_shows_and_training, capacity_then_waitlist_then_full,
            one_active_application_per_person, cancellation_promotes_in_arrival_order,
            policy_applications_are_submitted, idempotent_application_replays, surveys_once_per_subject,
            purge_blanks_personal_data, concurrent_overlapping_reservations, concurrent_retries_make_one_record,
            concurrent_applicants_fill_capacity_exactly, concurrent_quota_is_never_exceeded,
            staff_sessions_end_and_expire, attempt_counters_count_per_key_and_window,
            concurrent_attempts_are_counted_exactly, rekeying_moves_legacy_person_keys,
            rekeying_refuses_keys_of_another_secret, rekeying_during_bookings_loses_nothing,
            messages_are_written_with_their_change, cancelling_cancels_queued_messages,
            claims_lease_and_finish_conditionally, an_expired_lease_is_claimed_again,
            application_messages_follow_the_admission, purge_deletes_messages_with_their_record,
            concurrent_dispatchers_claim_each_message_once,
            job_applications_once_per_person_and_withdrawn, job_application_statuses_move_forward,
            filled_jobs_take_no_applications, concurrent_applications_and_filling,
            purge_blanks_job_applications, the_channel_choice_is_kept_and_steers_promotions,
            opening_burst_fills_in_arrival_order, a_seat_given_back_goes_to_the_next_applicant,
            one_time_codes_are_used_once_and_expire,
            one_time_codes_lock_after_the_allowed_tries, concurrent_code_checks_count_every_try,
            person_sessions_end_and_expire, records_of_a_person_are_listed_until_purged,
            moved_records_are_listed_under_their_new_key,
            closures_are_created_listed_and_removed, bookings_into_a_closure_are_refused,
            closure_racing_bookings_never_both, audit_entries_are_appended_and_filtered,
            moves_into_a_closure_are_refused,
            moving_keeps_the_code_and_moves_slots_quota_and_messages,
            moves_are_refused_by_taken_slots_quota_and_status,
            concurrent_moves_hold_exactly_the_final_run,
            concurrent_move_and_booking_never_share_a_slot,
            staff_bookings_keep_how_they_were_taken,
            training_records_count_as_training_and_outlive_the_purge,
            attendance_writes_the_training_record_with_it,
            the_language_is_kept_with_its_record,
            cancelling_records_who_cancelled,
            purge_drops_survey_text_with_its_record);
    };
    (@each $make:expr; $($name:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let make = $make;
                $crate::conformance::$name(make().await).await;
            }
        )+
    };
}

pub type S = Arc<dyn Store>;

mod burst;
mod closures;
mod moves;
mod my;
mod outbox;
mod training;
#[allow(unused_imports)]
pub use burst::*;
#[allow(unused_imports)]
pub use closures::*;
pub use moves::*;
#[allow(unused_imports)]
pub use my::*;
#[allow(unused_imports)]
pub use outbox::*;
#[allow(unused_imports)]
pub use training::*;

pub fn date(s: &str) -> Date {
    s.parse().expect("test date")
}
pub fn time(s: &str) -> TimeOfDay {
    s.parse().expect("test time")
}
pub fn id(s: &str) -> Id {
    s.parse().expect("test id")
}
pub fn now() -> Timestamp {
    kst_instant(date("2026-03-02"), time("09:00"))
}

/// A person whose phone ends in `n`.
pub fn person(n: u32) -> Person {
    Person {
        name: PersonName::parse(&format!("시험{n}")).expect("name"),
        phone: format!("010-{:04}-{:04}", 1000 + n / 10_000, n % 10_000)
            .parse()
            .expect("phone"),
        business: Some(BusinessName::parse(&format!("시험봉제{n}")).expect("business")),
        email: Some(Email::parse(&format!("p{n}@example.kr")).expect("email")),
        notify: Default::default(),
    }
}

pub struct Draft {
    pub reservation: Reservation,
    pub token: ManageToken,
}

/// A confirmed reservation of `count` one-hour slots from `start`.
pub fn reservation(equipment: &str, day: &str, start: &str, count: u16, who: u32) -> Draft {
    let token = ManageToken::generate();
    let p = person(who);
    let run = SlotRun::new(id(equipment), date(day), time(start), 60, count).expect("run");
    Draft {
        reservation: Reservation {
            code: ReservationCode::generate(),
            token_hash: token.hash(),
            facility: id("seoul-fashion"),
            purge_after: run.date().add_days(365),
            run,
            status: ReservationStatus::Confirmed,
            training_check: false,
            person_key: Some(p.key(&TEST_SECRET)),
            person: Some(p),
            consent: ConsentRecord {
                version: "2026-01".into(),
                at: now(),
            },
            created_at: now(),
            updated_at: now(),
            taken_by_staff: None,
            cancelled_by: None,
            lang: sbiz_booking::catalog::Lang::Ko,
        },
        token,
    }
}

pub fn new_reservation(d: Draft) -> NewReservation {
    NewReservation {
        reservation: d.reservation,
        token: d.token,
        quota: None,
        idempotency: None,
        messages: Vec::new(),
    }
}

pub fn idem(key: &str, body: &str) -> Option<IdempotencyRequest> {
    Some(IdempotencyRequest::new(
        &TEST_SECRET,
        &key.parse().expect("key"),
        &["test", body],
    ))
}

pub fn application(kind: TargetKind, target: &str, who: u32) -> (Application, ManageToken) {
    let token = ManageToken::generate();
    let p = person(who);
    (
        Application {
            code: ApplicationCode::generate(),
            token_hash: token.hash(),
            target: Target {
                kind,
                id: id(target),
            },
            facility: (kind == TargetKind::Programme).then(|| id("seoul-fashion")),
            status: ApplicationStatus::Submitted,
            seq: 0,
            answers: BTreeMap::from([("plan".to_owned(), "자동재단기 도입".to_owned())]),
            person_key: Some(p.key(&TEST_SECRET)),
            person: Some(p),
            consent: ConsentRecord {
                version: "2026-01".into(),
                at: now(),
            },
            created_at: now(),
            updated_at: now(),
            purge_after: date("2026-12-31"),
            lang: sbiz_booking::catalog::Lang::Ko,
        },
        token,
    )
}

pub fn enrol(target: &str, who: u32, capacity: u32, waitlist: u32) -> NewApplication {
    let (application, token) = application(TargetKind::Programme, target, who);
    NewApplication {
        application,
        token,
        admission: Admission::Capacity { capacity, waitlist },
        idempotency: None,
        messages: Vec::new(),
        messages_when: Vec::new(),
    }
}

pub fn change<T>(from: &[T], to: T) -> StatusChange<T>
where
    T: Copy,
{
    StatusChange {
        from: from.to_vec(),
        to,
        at: now(),
        messages: Vec::new(),
        cancel_queued: false,
        training: None,
        promotion_messages: Vec::new(),
        cancelled_by: None,
    }
}

pub fn assert_code<T: std::fmt::Debug>(r: Result<T, sbiz_booking::Error>, code: Code) {
    match r {
        Err(e) => assert_eq!(e.code(), code, "expected {code}, got {e}"),
        Ok(v) => panic!("expected {code}, got Ok({v:?})"),
    }
}

pub const ACTIVE: [ReservationStatus; 2] =
    [ReservationStatus::Pending, ReservationStatus::Confirmed];

pub async fn reservation_round_trip(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let token = d.token.clone();
    let written = d.reservation.clone();
    let created = s
        .create_reservation(new_reservation(d))
        .await
        .expect("create");
    assert!(!created.replayed);
    assert_eq!(created.record, written);
    assert_eq!(created.token, token);
    let read = s
        .reservation(&written.code)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read, written);
    assert!(read.token_hash.matches(&token));
    assert!(
        s.reservation(&ReservationCode::generate())
            .await
            .expect("read")
            .is_none()
    );
    let taken = s
        .taken_slots(&id("cutter"), date("2026-03-01"), date("2026-03-31"))
        .await
        .expect("slots");
    assert_eq!(
        taken,
        vec![
            TakenSlot {
                date: date("2026-03-05"),
                start: time("10:00")
            },
            TakenSlot {
                date: date("2026-03-05"),
                start: time("11:00")
            }
        ]
    );
    assert!(
        s.taken_slots(&id("cutter"), date("2026-03-06"), date("2026-03-31"))
            .await
            .expect("slots")
            .is_empty()
    );
    assert!(
        s.taken_slots(&id("plotter"), date("2026-03-01"), date("2026-03-31"))
            .await
            .expect("slots")
            .is_empty()
    );
}

pub async fn overlapping_runs_conflict(s: S) {
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-05",
        "10:00",
        3,
        1,
    )))
    .await
    .expect("first");
    // 12:00 overlaps the last slot of 10:00-13:00.
    let r = s
        .create_reservation(new_reservation(reservation(
            "cutter",
            "2026-03-05",
            "12:00",
            2,
            2,
        )))
        .await;
    assert_code(r, Code::SlotTaken);
    // Adjacent runs, other days and other equipment are fine.
    for (eq, day, start) in [
        ("cutter", "2026-03-05", "13:00"),
        ("cutter", "2026-03-06", "10:00"),
        ("plotter", "2026-03-05", "10:00"),
    ] {
        s.create_reservation(new_reservation(reservation(eq, day, start, 1, 3)))
            .await
            .expect(start);
    }
    // The failed attempt left nothing behind.
    let all = s
        .reservations(&ReservationFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 4);
    let taken = s
        .taken_slots(&id("cutter"), date("2026-03-05"), date("2026-03-05"))
        .await
        .expect("slots");
    assert_eq!(taken.len(), 4, "10, 11, 12 and 13 o'clock");
}

pub async fn cancelling_releases_slots_and_quota(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let code = d.reservation.code;
    let quota = Some(WeeklyQuota {
        week_start: date("2026-03-02"),
        limit_minutes: 120,
    });
    s.create_reservation(NewReservation {
        quota,
        ..new_reservation(d)
    })
    .await
    .expect("first");
    let cancelled = s
        .set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
        .await
        .expect("cancel");
    assert_eq!(cancelled.status, ReservationStatus::Cancelled);
    assert!(
        s.taken_slots(&id("cutter"), date("2026-03-05"), date("2026-03-05"))
            .await
            .expect("slots")
            .is_empty()
    );
    // Same person, same week, the full quota again, the same slots.
    let again = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    s.create_reservation(NewReservation {
        quota,
        ..new_reservation(again)
    })
    .await
    .expect("slots and quota are free");
    // Rejection releases too.
    let other = reservation("cutter", "2026-03-06", "10:00", 1, 2);
    let other_code = other.reservation.code;
    s.create_reservation(new_reservation(other))
        .await
        .expect("other");
    s.set_reservation_status(&other_code, change(&ACTIVE, ReservationStatus::Rejected))
        .await
        .expect("reject");
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-06",
        "10:00",
        1,
        3,
    )))
    .await
    .expect("free");
}

pub async fn weekly_quota_is_enforced(s: S) {
    let q = |d: &str| {
        Some(WeeklyQuota {
            week_start: date(d).week_start(),
            limit_minutes: 180,
        })
    };
    let first = reservation("cutter", "2026-03-03", "09:00", 2, 7);
    s.create_reservation(NewReservation {
        quota: q("2026-03-03"),
        ..new_reservation(first)
    })
    .await
    .expect("2h");
    // Another machine, same week: 2h + 2h > 3h.
    let over = reservation("plotter", "2026-03-06", "09:00", 2, 7);
    assert_code(
        s.create_reservation(NewReservation {
            quota: q("2026-03-06"),
            ..new_reservation(over)
        })
        .await,
        Code::QuotaExceeded,
    );
    let fits = reservation("plotter", "2026-03-06", "09:00", 1, 7);
    s.create_reservation(NewReservation {
        quota: q("2026-03-06"),
        ..new_reservation(fits)
    })
    .await
    .expect("3h");
    // Next week starts afresh; another person is not affected.
    let next = reservation("plotter", "2026-03-09", "09:00", 3, 7);
    s.create_reservation(NewReservation {
        quota: q("2026-03-09"),
        ..new_reservation(next)
    })
    .await
    .expect("next week");
    let other = reservation("cutter", "2026-03-04", "09:00", 3, 8);
    s.create_reservation(NewReservation {
        quota: q("2026-03-04"),
        ..new_reservation(other)
    })
    .await
    .expect("other");
}

pub async fn idempotent_reservation_replays(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let (code, token) = (d.reservation.code, d.token.clone());
    let first = NewReservation {
        idempotency: idem("key-00000001", "a"),
        ..new_reservation(d)
    };
    let retry = first.clone();
    s.create_reservation(first).await.expect("first");
    // The retry carries another generated code and token, as a retried
    // request would; it gets the first ones back.
    let mut retry_new = retry;
    let fresh = ManageToken::generate();
    retry_new.reservation.code = ReservationCode::generate();
    retry_new.reservation.token_hash = fresh.hash();
    retry_new.token = fresh;
    let replay = s.create_reservation(retry_new).await.expect("replay");
    assert!(replay.replayed);
    assert_eq!(replay.record.code, code);
    assert_eq!(replay.token, token);
    assert_eq!(
        s.reservations(&ReservationFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
}

pub async fn idempotent_key_reuse_conflicts(s: S) {
    let a = NewReservation {
        idempotency: idem("key-00000002", "a"),
        ..new_reservation(reservation("cutter", "2026-03-05", "10:00", 1, 1))
    };
    s.create_reservation(a).await.expect("first");
    let b = NewReservation {
        idempotency: idem("key-00000002", "b"),
        ..new_reservation(reservation("cutter", "2026-03-05", "14:00", 1, 1))
    };
    assert_code(s.create_reservation(b).await, Code::IdempotencyConflict);
    let (app, token) = application(TargetKind::Policy, "smart-factory", 1);
    let c = NewApplication {
        application: app,
        token,
        admission: Admission::Open,
        idempotency: idem("key-00000002", "c"),
        messages: Vec::new(),
        messages_when: Vec::new(),
    };
    assert_code(s.apply(c).await, Code::IdempotencyConflict);
    assert_eq!(
        s.reservations(&ReservationFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
}

pub async fn duplicate_codes_are_refused(s: S) {
    let a = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let mut b = reservation("cutter", "2026-03-05", "15:00", 1, 2);
    b.reservation.code = a.reservation.code;
    s.create_reservation(new_reservation(a))
        .await
        .expect("first");
    assert_code(
        s.create_reservation(new_reservation(b)).await,
        Code::DuplicateCode,
    );
    assert_eq!(
        s.taken_slots(&id("cutter"), date("2026-03-05"), date("2026-03-05"))
            .await
            .expect("slots")
            .len(),
        1
    );
    let first = enrol("pattern-basic", 1, 5, 0);
    let mut second = enrol("pattern-basic", 2, 5, 0);
    second.application.code = first.application.code;
    s.apply(first).await.expect("first");
    assert_code(s.apply(second).await, Code::DuplicateCode);
}

/// Issue 17: a record made from the English edition keeps its language
/// through reads and status changes (its messages and links are English).
/// A cancellation records who cancelled (신청자, 담당자, 휴관·사용 중지)
/// with the status, in the same write; it is read back by every read, and
/// kept past the purge (it is no personal data). A cancellation that does
/// not say stores nothing (기록 없음), and another status records nothing.
pub async fn cancelling_records_who_cancelled(s: S) {
    let mut codes = Vec::new();
    let whos = [
        Some(CancelledBy::Applicant),
        Some(CancelledBy::Staff),
        Some(CancelledBy::Closure),
        None,
    ];
    for (i, by) in whos.into_iter().enumerate() {
        let start = ["09:00", "10:00", "11:00", "12:00"][i];
        let d = reservation("cutter", "2026-03-05", start, 1, i as u32 + 1);
        let code = d.reservation.code;
        s.create_reservation(new_reservation(d))
            .await
            .expect("create");
        assert_eq!(
            s.reservation(&code)
                .await
                .expect("read")
                .expect("exists")
                .cancelled_by,
            None
        );
        let cancelled = s
            .set_reservation_status(
                &code,
                StatusChange {
                    cancelled_by: by,
                    ..change(&ACTIVE, ReservationStatus::Cancelled)
                },
            )
            .await
            .expect("cancel");
        assert_eq!(cancelled.cancelled_by, by);
        codes.push((code, by));
    }
    // Only a cancellation records it.
    let d = reservation("cutter", "2026-03-05", "13:00", 1, 5);
    let used = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("create");
    let attended = s
        .set_reservation_status(
            &used,
            StatusChange {
                cancelled_by: Some(CancelledBy::Staff),
                ..change(&ACTIVE, ReservationStatus::Attended)
            },
        )
        .await
        .expect("attended");
    assert_eq!(attended.cancelled_by, None);
    codes.push((used, None));
    let check = async |s: &S, when: &str| {
        for (code, by) in &codes {
            let read = s.reservation(code).await.expect("read").expect("exists");
            assert_eq!(read.cancelled_by, *by, "{when}: {code}");
        }
        let listed = s
            .reservations(&ReservationFilter {
                facility: Some(id("seoul-fashion")),
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(listed.len(), codes.len(), "{when}");
        for r in listed {
            let by = codes.iter().find(|(c, _)| *c == r.code).expect("known").1;
            assert_eq!(r.cancelled_by, by, "{when}: listed {}", r.code);
        }
    };
    check(&s, "stored").await;
    let after = date("2027-06-01");
    s.purge(after, kst_instant(after, time("03:00")))
        .await
        .expect("purge");
    check(&s, "after the purge").await;
}

pub async fn the_language_is_kept_with_its_record(s: S) {
    use sbiz_booking::catalog::Lang;
    let mut d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    d.reservation.lang = Lang::En;
    d.reservation.status = ReservationStatus::Pending;
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("create");
    let approved = s
        .set_reservation_status(
            &code,
            change(&[ReservationStatus::Pending], ReservationStatus::Confirmed),
        )
        .await
        .expect("approve");
    assert_eq!(approved.lang, Lang::En);
    let read = s.reservation(&code).await.expect("read").expect("exists");
    assert_eq!(read.lang, Lang::En);
    let korean = reservation("cutter", "2026-03-06", "10:00", 1, 2);
    let korean_code = korean.reservation.code;
    s.create_reservation(new_reservation(korean))
        .await
        .expect("create");
    let read = s
        .reservation(&korean_code)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read.lang, Lang::Ko);
    let (mut a, token) = application(TargetKind::Policy, "smart-factory", 3);
    a.lang = Lang::En;
    let created = s
        .apply(NewApplication {
            application: a,
            token,
            admission: Admission::Open,
            idempotency: None,
            messages: Vec::new(),
            messages_when: Vec::new(),
        })
        .await
        .expect("apply");
    let read = s
        .application(&created.record.code)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read.lang, Lang::En);
    assert_eq!(read, created.record);
}

pub async fn status_changes_are_conditional(s: S) {
    let mut d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    d.reservation.status = ReservationStatus::Pending;
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("create");
    assert_code(
        s.set_reservation_status(
            &code,
            change(&[ReservationStatus::Confirmed], ReservationStatus::Attended),
        )
        .await,
        Code::InvalidStatus,
    );
    let approved = s
        .set_reservation_status(
            &code,
            change(&[ReservationStatus::Pending], ReservationStatus::Confirmed),
        )
        .await
        .expect("approve");
    assert_eq!(approved.status, ReservationStatus::Confirmed);
    s.set_reservation_status(
        &code,
        change(&[ReservationStatus::Confirmed], ReservationStatus::Attended),
    )
    .await
    .expect("attended");
    // The refusal names the status the record is in, in both languages.
    let refused = s
        .set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
        .await
        .expect_err("an attended reservation cannot be cancelled");
    assert_eq!(refused.code(), Code::InvalidStatus, "{refused}");
    assert_eq!(
        refused.message(),
        "지금 상태(이용 완료)에서는 할 수 없는 처리입니다."
    );
    assert_eq!(
        refused.english_message(),
        "This cannot be done in its current status (Used)."
    );
    assert_eq!(
        s.reservation(&code)
            .await
            .expect("read")
            .expect("exists")
            .status,
        ReservationStatus::Attended
    );
    assert_code(
        s.set_reservation_status(
            &ReservationCode::generate(),
            change(&ACTIVE, ReservationStatus::Cancelled),
        )
        .await,
        Code::NotFound,
    );
    assert_code(
        s.set_application_status(
            &ApplicationCode::generate(),
            change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
        )
        .await,
        Code::NotFound,
    );
}

pub async fn reservation_filters(s: S) {
    let mut other_facility = reservation("lathe", "2026-03-05", "10:00", 1, 3);
    other_facility.reservation.facility = id("guro-metal");
    let mut pending = reservation("cutter", "2026-03-06", "10:00", 1, 2);
    pending.reservation.status = ReservationStatus::Pending;
    for d in [
        reservation("cutter", "2026-03-05", "10:00", 1, 1),
        pending,
        other_facility,
    ] {
        s.create_reservation(new_reservation(d))
            .await
            .expect("create");
    }
    let count = |f: ReservationFilter| {
        let s = s.clone();
        async move { s.reservations(&f).await.expect("list").len() }
    };
    assert_eq!(count(ReservationFilter::default()).await, 3);
    assert_eq!(
        count(ReservationFilter {
            facility: Some(id("seoul-fashion")),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(ReservationFilter {
            equipment: Some(id("lathe")),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ReservationFilter {
            status: Some(ReservationStatus::Pending),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ReservationFilter {
            from: Some(date("2026-03-06")),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ReservationFilter {
            to: Some(date("2026-03-05")),
            ..Default::default()
        })
        .await,
        2
    );
    let listed = s
        .reservations(&ReservationFilter::default())
        .await
        .expect("list");
    let days: Vec<Date> = listed.iter().map(|r| r.run.date()).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "ordered by day");
}

pub async fn person_history_reports_no_shows_and_training(s: S) {
    let who = 42;
    let key = person(who).key(&TEST_SECRET);
    assert_eq!(
        s.person_history(&key).await.expect("history"),
        PersonHistory::default()
    );
    let d = reservation("cutter", "2026-03-05", "10:00", 1, who);
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("create");
    s.set_reservation_status(&code, change(&ACTIVE, ReservationStatus::NoShow))
        .await
        .expect("no-show");
    let e = enrol("safety-course", who, 10, 0);
    let app = e.application.code;
    s.apply(e).await.expect("enrol");
    s.set_application_status(
        &app,
        change(&[ApplicationStatus::Enrolled], ApplicationStatus::Attended),
    )
    .await
    .expect("attended");
    let h = s.person_history(&key).await.expect("history");
    assert_eq!(h.no_show_dates, vec![date("2026-03-05")]);
    assert_eq!(h.attended_programmes, vec![id("safety-course")]);
    assert_eq!(
        s.person_history(&person(43).key(&TEST_SECRET))
            .await
            .expect("history"),
        PersonHistory::default()
    );
}

pub async fn capacity_then_waitlist_then_full(s: S) {
    let mut statuses = Vec::new();
    for who in 1..=3 {
        let created = s
            .apply(enrol("pattern-basic", who, 2, 1))
            .await
            .expect("apply");
        statuses.push((created.record.status, created.record.seq));
    }
    assert_eq!(
        statuses,
        vec![
            (ApplicationStatus::Enrolled, 1),
            (ApplicationStatus::Enrolled, 2),
            (ApplicationStatus::Waitlisted, 3)
        ]
    );
    assert_code(s.apply(enrol("pattern-basic", 4, 2, 1)).await, Code::Full);
    // Another programme is independent; waitlist 0 means none.
    s.apply(enrol("cad-advanced", 4, 1, 0))
        .await
        .expect("other programme");
    assert_code(s.apply(enrol("cad-advanced", 5, 1, 0)).await, Code::Full);
}

pub async fn one_active_application_per_person(s: S) {
    let first = s
        .apply(enrol("pattern-basic", 1, 5, 5))
        .await
        .expect("first");
    assert_code(
        s.apply(enrol("pattern-basic", 1, 5, 5)).await,
        Code::AlreadyApplied,
    );
    s.set_application_status(
        &first.record.code,
        change(
            &[ApplicationStatus::Enrolled, ApplicationStatus::Waitlisted],
            ApplicationStatus::Cancelled,
        ),
    )
    .await
    .expect("cancel");
    // After cancelling, the person may apply again.
    let again = s
        .apply(enrol("pattern-basic", 1, 5, 5))
        .await
        .expect("again");
    assert_eq!(again.record.seq, 2);
    let (p, token) = application(TargetKind::Policy, "smart-factory", 1);
    s.apply(NewApplication {
        application: p,
        token,
        admission: Admission::Open,
        idempotency: None,
        messages: Vec::new(),
        messages_when: Vec::new(),
    })
    .await
    .expect("policy");
    let (p, token) = application(TargetKind::Policy, "smart-factory", 1);
    assert_code(
        s.apply(NewApplication {
            application: p,
            token,
            admission: Admission::Open,
            idempotency: None,
            messages: Vec::new(),
            messages_when: Vec::new(),
        })
        .await,
        Code::AlreadyApplied,
    );
}

pub async fn cancellation_promotes_in_arrival_order(s: S) {
    let mut codes = Vec::new();
    for who in 1..=5 {
        codes.push(
            s.apply(enrol("pattern-basic", who, 2, 3))
                .await
                .expect("apply")
                .record
                .code,
        );
    }
    let cancel = [ApplicationStatus::Enrolled, ApplicationStatus::Waitlisted];
    // Cancelling a waitlisted one promotes nobody.
    let ch = s
        .set_application_status(&codes[3], change(&cancel, ApplicationStatus::Cancelled))
        .await
        .expect("cancel 4");
    assert!(ch.promoted.is_none());
    // Cancelling an enrolled one promotes the earliest still waiting (3), then 5.
    let ch = s
        .set_application_status(&codes[0], change(&cancel, ApplicationStatus::Cancelled))
        .await
        .expect("cancel 1");
    assert_eq!(ch.application.status, ApplicationStatus::Cancelled);
    let promoted = ch.promoted.expect("someone promoted");
    assert_eq!(
        (promoted.code, promoted.status),
        (codes[2], ApplicationStatus::Enrolled)
    );
    let ch = s
        .set_application_status(&codes[1], change(&cancel, ApplicationStatus::Rejected))
        .await
        .expect("reject 2");
    assert_eq!(ch.promoted.map(|p| p.code), Some(codes[4]));
    let ch = s
        .set_application_status(&codes[2], change(&cancel, ApplicationStatus::Cancelled))
        .await
        .expect("cancel 3");
    assert!(ch.promoted.is_none(), "nobody left waiting");
    let enrolled = s
        .applications(&ApplicationFilter {
            status: Some(ApplicationStatus::Enrolled),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        enrolled.iter().map(|a| a.code).collect::<Vec<_>>(),
        vec![codes[4]]
    );
}

/// The person's choice of channels (문자, 이메일) is stored with the
/// record, and a promotion is messaged only by the promoted person's
/// chosen channels.
pub async fn the_channel_choice_is_kept_and_steers_promotions(s: S) {
    let email_only = Notify {
        sms: false,
        email: true,
    };
    let mut d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    if let Some(p) = d.reservation.person.as_mut() {
        p.notify = email_only;
    }
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("create");
    let read = s.reservation(&code).await.expect("read").expect("exists");
    assert_eq!(read.person.expect("person").notify, email_only);

    // One seat: the first enrols, the second (문자 only) waits.
    let first = s
        .apply(enrol("pattern-basic", 1, 1, 3))
        .await
        .expect("apply");
    let mut second = enrol("pattern-basic", 2, 1, 3);
    if let Some(p) = second.application.person.as_mut() {
        p.notify = Notify {
            sms: true,
            email: false,
        };
    }
    let second = s.apply(second).await.expect("apply").record;
    assert_eq!(second.status, ApplicationStatus::Waitlisted);
    assert_eq!(
        s.application(&second.code)
            .await
            .expect("read")
            .and_then(|a| a.person)
            .map(|p| p.notify.as_str()),
        Some("sms")
    );
    let promotion = [Channel::Sms, Channel::Email]
        .map(|c| NewMessage::new(MessageEvent::ProgrammePromoted, c, now()))
        .to_vec();
    let ch = s
        .set_application_status(
            &first.record.code,
            StatusChange {
                training: None,
                promotion_messages: promotion,
                ..change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled)
            },
        )
        .await
        .expect("cancel");
    assert_eq!(ch.promoted.map(|p| p.code), Some(second.code));
    let ms = s
        .messages_of(&Subject::Application(second.code))
        .await
        .expect("messages");
    assert_eq!(
        ms.iter().map(|m| m.channel).collect::<Vec<_>>(),
        [Channel::Sms],
        "문자 only"
    );
    assert_eq!(ms[0].params["code"], second.code.to_string());
}

pub async fn policy_applications_are_submitted(s: S) {
    let (p, token) = application(TargetKind::Policy, "smart-factory", 1);
    let answers = p.answers.clone();
    let created = s
        .apply(NewApplication {
            application: p,
            token,
            admission: Admission::Open,
            idempotency: None,
            messages: Vec::new(),
            messages_when: Vec::new(),
        })
        .await
        .expect("apply");
    assert_eq!(created.record.status, ApplicationStatus::Submitted);
    let read = s
        .application(&created.record.code)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read.answers, answers);
    assert_eq!(read.facility, None);
    assert_eq!(read, created.record);
    let by_kind = |kind| ApplicationFilter {
        kind: Some(kind),
        ..Default::default()
    };
    s.apply(enrol("pattern-basic", 1, 1, 0))
        .await
        .expect("programme");
    assert_eq!(
        s.applications(&by_kind(TargetKind::Policy))
            .await
            .expect("list")
            .len(),
        1
    );
    assert_eq!(
        s.applications(&by_kind(TargetKind::Programme))
            .await
            .expect("list")
            .len(),
        1
    );
    let scoped = ApplicationFilter {
        facility: Some(id("seoul-fashion")),
        ..Default::default()
    };
    assert_eq!(
        s.applications(&scoped).await.expect("list").len(),
        1,
        "policies belong to no facility"
    );
}

pub async fn idempotent_application_replays(s: S) {
    let first = NewApplication {
        idempotency: idem("key-app-0001", "x"),
        ..enrol("pattern-basic", 1, 1, 0)
    };
    let mut retry = NewApplication {
        idempotency: idem("key-app-0001", "x"),
        ..enrol("pattern-basic", 1, 1, 0)
    };
    retry.token = ManageToken::generate();
    let a = s.apply(first).await.expect("first");
    let b = s
        .apply(retry)
        .await
        .expect("replay, not already_applied nor full");
    assert!(b.replayed);
    assert_eq!(b.record.code, a.record.code);
    assert_eq!(b.token, a.token);
}

pub async fn surveys_once_per_subject(s: S) {
    let response = |subject: Subject, rating: u8, minutes: i64| SurveyResponse {
        survey: id("equipment-satisfaction"),
        subject,
        facility: Some(id("seoul-fashion")),
        answers: BTreeMap::from([
            ("overall".to_owned(), Answer::Rating(rating)),
            ("comment".to_owned(), Answer::Text("좋았습니다".into())),
        ]),
        submitted_at: now()
            .saturating_add(SignedDuration::from_mins(minutes))
            .expect("time"),
    };
    let r1 = Subject::Reservation(ReservationCode::generate());
    let survey = id("equipment-satisfaction");
    assert!(!s.has_survey_response(&survey, &r1).await.expect("read"));
    s.submit_survey(response(r1.clone(), 5, 0))
        .await
        .expect("first");
    assert!(s.has_survey_response(&survey, &r1).await.expect("read"));
    assert!(
        !s.has_survey_response(&id("other"), &r1)
            .await
            .expect("read")
    );
    assert_code(
        s.submit_survey(response(r1.clone(), 1, 1)).await,
        Code::SurveyAlreadySubmitted,
    );
    s.submit_survey(response(
        Subject::Application(ApplicationCode::generate()),
        4,
        2,
    ))
    .await
    .expect("second subject");
    let all = s
        .survey_responses(&id("equipment-satisfaction"))
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].answers["overall"], Answer::Rating(5));
    assert!(
        s.survey_responses(&id("other"))
            .await
            .expect("list")
            .is_empty()
    );
}

/// A survey comment may name its writer: it is destroyed with the personal
/// data of its record; the ratings stay for the statistics.
pub async fn purge_drops_survey_text_with_its_record(s: S) {
    let survey = id("equipment-satisfaction");
    let response = |subject: Subject| SurveyResponse {
        survey: survey.clone(),
        subject,
        facility: Some(id("seoul-fashion")),
        answers: BTreeMap::from([
            ("overall".to_owned(), Answer::Rating(4)),
            ("visit".to_owned(), Answer::Choice("again".into())),
            (
                "comment".to_owned(),
                Answer::Text("홍길동입니다. 010-1234-5678로 연락 주세요".into()),
            ),
        ]),
        submitted_at: now(),
    };
    let mut old = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    old.reservation.purge_after = date("2026-03-10");
    let old_subject = Subject::Reservation(old.reservation.code);
    let young = reservation("cutter", "2026-03-05", "11:00", 1, 2);
    let young_subject = Subject::Reservation(young.reservation.code);
    let mut app = enrol("pattern-basic", 3, 5, 0);
    app.application.purge_after = date("2026-03-10");
    let app_subject = Subject::Application(app.application.code);
    s.create_reservation(new_reservation(old))
        .await
        .expect("old");
    s.create_reservation(new_reservation(young))
        .await
        .expect("young");
    s.apply(app).await.expect("apply");
    for subject in [&old_subject, &young_subject, &app_subject] {
        s.submit_survey(response(subject.clone()))
            .await
            .expect("response");
    }
    let later = now()
        .saturating_add(SignedDuration::from_hours(1))
        .expect("time");
    let texts = async || -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = s
            .survey_responses(&survey)
            .await
            .expect("list")
            .into_iter()
            .map(|r| {
                assert_eq!(r.answers["overall"], Answer::Rating(4));
                assert_eq!(r.answers["visit"], Answer::Choice("again".into()));
                (r.subject.key(), r.answers.contains_key("comment"))
            })
            .collect();
        out.sort();
        out
    };
    s.purge(date("2026-03-10"), later).await.expect("purge");
    assert!(texts().await.iter().all(|(_, text)| *text), "not yet");
    s.purge(date("2026-03-11"), later).await.expect("purge");
    let mut expected = vec![
        (old_subject.key(), false),
        (young_subject.key(), true),
        (app_subject.key(), false),
    ];
    expected.sort();
    assert_eq!(texts().await, expected);
    // Still one response each.
    assert_code(
        s.submit_survey(response(old_subject.clone())).await,
        Code::SurveyAlreadySubmitted,
    );
}

pub async fn purge_blanks_personal_data(s: S) {
    let mut old = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    old.reservation.purge_after = date("2026-03-10");
    let old_code = old.reservation.code;
    let young = reservation("cutter", "2026-03-05", "11:00", 1, 2);
    let young_code = young.reservation.code;
    s.create_reservation(NewReservation {
        idempotency: idem("key-purge-1", "a"),
        ..new_reservation(old)
    })
    .await
    .expect("old");
    s.create_reservation(new_reservation(young))
        .await
        .expect("young");
    let mut app = enrol("pattern-basic", 3, 5, 0);
    app.application.purge_after = date("2026-03-10");
    let app_code = app.application.code;
    s.apply(app).await.expect("apply");

    // Not yet: the purge day itself still keeps the data.
    let later = now()
        .saturating_add(SignedDuration::from_hours(1))
        .expect("time");
    assert_eq!(
        s.purge(date("2026-03-10"), later)
            .await
            .expect("purge")
            .reservations,
        0
    );
    let report = s.purge(date("2026-03-11"), later).await.expect("purge");
    assert_eq!(
        (
            report.reservations,
            report.applications,
            report.idempotency_records
        ),
        (1, 1, 0)
    );
    let r = s.reservation(&old_code).await.expect("read").expect("kept");
    assert!(r.person.is_none() && r.person_key.is_none());
    assert_eq!(
        r.run.date(),
        date("2026-03-05"),
        "the booking itself stays for statistics"
    );
    let a = s.application(&app_code).await.expect("read").expect("kept");
    assert!(a.person.is_none() && a.person_key.is_none() && a.answers.is_empty());
    assert!(
        s.reservation(&young_code)
            .await
            .expect("read")
            .expect("kept")
            .person
            .is_some()
    );
    // Idempotent, and idempotency records go after a day.
    let report = s.purge(date("2026-03-11"), later).await.expect("purge");
    assert_eq!((report.reservations, report.applications), (0, 0));
    let day_later = now()
        .saturating_add(SignedDuration::from_hours(IDEMPOTENCY_HOURS + 1))
        .expect("time");
    assert_eq!(
        s.purge(date("2026-03-11"), day_later)
            .await
            .expect("purge")
            .idempotency_records,
        1
    );
}

/// 200 simultaneous requests for overlapping runs on one day: every slot
/// ends held by exactly one reservation, every loser gets `slot_taken`.
pub async fn concurrent_overlapping_reservations(s: S) {
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let s = s.clone();
        // Runs of 1 to 3 hours starting 08:00 to 17:00: heavy overlap.
        let start = format!("{:02}:00", 8 + i % 10);
        let count = 1 + (i % 3) as u16;
        let d = reservation("cutter", "2026-03-05", &start, count, i);
        tasks.push(tokio::spawn(async move {
            s.create_reservation(new_reservation(d)).await
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(c) => won.push(c.record),
            Err(e) => assert_eq!(e.code(), Code::SlotTaken, "{e}"),
        }
    }
    assert!(!won.is_empty());
    let mut holder: HashMap<TimeOfDay, ReservationCode> = HashMap::new();
    for r in &won {
        for start in r.run.slot_starts() {
            if let Some(other) = holder.insert(start, r.code) {
                panic!("slot {start} held by {other} and {}", r.code);
            }
        }
    }
    let taken = s
        .taken_slots(&id("cutter"), date("2026-03-05"), date("2026-03-05"))
        .await
        .expect("slots");
    assert_eq!(taken.len(), holder.len());
    let stored = s
        .reservations(&ReservationFilter::default())
        .await
        .expect("list");
    assert_eq!(stored.len(), won.len(), "losers left no records");
}

/// The same submission sent 50 times at once with one key: one record.
pub async fn concurrent_retries_make_one_record(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let template = NewReservation {
        idempotency: idem("key-retry-0001", "same"),
        ..new_reservation(d)
    };
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let s = s.clone();
        let mut n = template.clone();
        // Every retry arrives with its own freshly generated code and token.
        let t = ManageToken::generate();
        n.reservation.code = ReservationCode::generate();
        n.reservation.token_hash = t.hash();
        n.token = t;
        tasks.push(tokio::spawn(async move { s.create_reservation(n).await }));
    }
    let mut codes = HashSet::new();
    let mut tokens = HashSet::new();
    for t in tasks {
        let c = t.await.expect("task").expect("every retry succeeds");
        codes.insert(c.record.code);
        tokens.insert(c.token.reveal());
    }
    assert_eq!(codes.len(), 1);
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        s.reservations(&ReservationFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
}

/// Capacity N, 3N simultaneous applicants: exactly N enrolled, the rest
/// waitlisted in arrival order (`seq`), and cancellations promote in it.
pub async fn concurrent_applicants_fill_capacity_exactly(s: S) {
    const N: u32 = 20;
    let mut tasks = Vec::new();
    for who in 0..3 * N {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.apply(enrol("pattern-basic", who, N, 2 * N)).await
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.push(
            t.await
                .expect("task")
                .expect("everyone gets a seat or a waitlist place")
                .record,
        );
    }
    all.sort_by_key(|a| a.seq);
    let seqs: Vec<u64> = all.iter().map(|a| a.seq).collect();
    assert_eq!(
        seqs,
        (1..=u64::from(3 * N)).collect::<Vec<_>>(),
        "arrival numbers are unique and dense"
    );
    for a in &all {
        let expected = if a.seq <= u64::from(N) {
            ApplicationStatus::Enrolled
        } else {
            ApplicationStatus::Waitlisted
        };
        assert_eq!(a.status, expected, "seq {}", a.seq);
    }
    assert_code(
        s.apply(enrol("pattern-basic", 999, N, 2 * N)).await,
        Code::Full,
    );
    // Cancel three enrolled at once: exactly the three earliest waiting move up.
    let mut tasks = Vec::new();
    for a in all.iter().take(3) {
        let (s, code) = (s.clone(), a.code);
        tasks.push(tokio::spawn(async move {
            s.set_application_status(
                &code,
                change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
            )
            .await
        }));
    }
    let mut promoted: Vec<u64> = Vec::new();
    for t in tasks {
        promoted.push(
            t.await
                .expect("task")
                .expect("cancel")
                .promoted
                .expect("promotion")
                .seq,
        );
    }
    promoted.sort();
    assert_eq!(
        promoted,
        vec![u64::from(N) + 1, u64::from(N) + 2, u64::from(N) + 3]
    );
    let enrolled = s
        .applications(&ApplicationFilter {
            status: Some(ApplicationStatus::Enrolled),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(enrolled.len() as u32, N);
}

/// One person firing 30 one-hour requests at once against a 5-hour weekly
/// quota on free slots: exactly 5 succeed.
pub async fn concurrent_quota_is_never_exceeded(s: S) {
    let mut tasks = Vec::new();
    for i in 0..30u32 {
        let s = s.clone();
        let day = ["2026-03-02", "2026-03-03", "2026-03-04"][(i % 3) as usize];
        let start = format!("{:02}:00", 8 + i / 3);
        let d = reservation("cutter", day, &start, 1, 77);
        let quota = Some(WeeklyQuota {
            week_start: date("2026-03-02"),
            limit_minutes: 300,
        });
        tasks.push(tokio::spawn(async move {
            s.create_reservation(NewReservation {
                quota,
                ..new_reservation(d)
            })
            .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), Code::QuotaExceeded, "{e}"),
        }
    }
    assert_eq!(ok, 5);
}

pub async fn staff_sessions_end_and_expire(s: S) {
    let session = |id: &str, expires: Timestamp| StaffSession {
        id: id.repeat(64 / id.len()),
        entry: "e".repeat(64),
        expires,
    };
    let live = session("a", now() + SignedDuration::from_mins(30));
    let other = session("b", now() + SignedDuration::from_mins(30));
    let old = session("c", now() - SignedDuration::from_mins(1));
    for x in [&live, &other, &old] {
        s.create_staff_session(x.clone()).await.expect("create");
    }
    assert_eq!(
        s.staff_session(&live.id).await.expect("read"),
        Some(live.clone())
    );
    assert_eq!(s.staff_session(&"d".repeat(64)).await.expect("read"), None);
    s.end_staff_session(&live.id).await.expect("end");
    assert_eq!(s.staff_session(&live.id).await.expect("read"), None);
    // Ending one leaves the others; ending twice is harmless.
    s.end_staff_session(&live.id).await.expect("end again");
    assert!(s.staff_session(&other.id).await.expect("read").is_some());
    // Renewing moves the expiry forward only, and never brings back a
    // session that ended.
    let later = now() + SignedDuration::from_mins(45);
    assert!(
        s.renew_staff_session(&other.id, later)
            .await
            .expect("renew")
    );
    let renewed = s
        .staff_session(&other.id)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(
        (renewed.expires, renewed.entry),
        (later, other.entry.clone())
    );
    assert!(
        !s.renew_staff_session(&other.id, now())
            .await
            .expect("renew")
    );
    assert_eq!(
        s.staff_session(&other.id)
            .await
            .expect("read")
            .map(|x| x.expires),
        Some(later)
    );
    assert!(!s.renew_staff_session(&live.id, later).await.expect("renew"));
    assert_eq!(s.staff_session(&live.id).await.expect("read"), None);
    // The purge removes expired sessions, not live ones, by their
    // renewed expiry.
    s.purge(date("2026-03-02"), now() + SignedDuration::from_mins(40))
        .await
        .expect("purge");
    assert_eq!(s.staff_session(&old.id).await.expect("read"), None);
    assert!(s.staff_session(&other.id).await.expect("read").is_some());
}

/// Attempt counters (`count_attempt`): per key and window, `add = 0` only
/// reads, and the purge removes them after `expires`, not before.
pub async fn attempt_counters_count_per_key_and_window(s: S) {
    let w1 = now();
    let w2 = w1
        .saturating_add(SignedDuration::from_mins(15))
        .expect("time");
    let end1 = w2;
    let end2 = w2
        .saturating_add(SignedDuration::from_mins(15))
        .expect("time");
    let key = "lookup:AAAABBBB";
    assert_eq!(s.count_attempt(key, w1, end1, 0).await.expect("read"), 0);
    assert_eq!(
        s.count_attempt(key, w1, end1, 0).await.expect("read"),
        0,
        "a read writes nothing"
    );
    for expected in 1..=3 {
        assert_eq!(
            s.count_attempt(key, w1, end1, 1).await.expect("count"),
            expected
        );
    }
    assert_eq!(s.count_attempt(key, w1, end1, 0).await.expect("read"), 3);
    assert_eq!(s.count_attempt(key, w1, end1, 2).await.expect("count"), 5);
    assert_eq!(
        s.count_attempt("lookup:CCCCDDDD", w1, end1, 1)
            .await
            .expect("count"),
        1,
        "another key"
    );
    assert_eq!(
        s.count_attempt(key, w2, end2, 1).await.expect("count"),
        1,
        "another window"
    );

    let today = date("2026-03-02");
    let before_end = end1
        .saturating_sub(SignedDuration::from_secs(1))
        .expect("time");
    let report = s.purge(today, before_end).await.expect("purge");
    assert_eq!(report.attempt_counters, 0);
    assert_eq!(
        s.count_attempt(key, w1, end1, 0).await.expect("read"),
        5,
        "kept until it expires"
    );
    let after_end = end1
        .saturating_add(SignedDuration::from_secs(1))
        .expect("time");
    let report = s.purge(today, after_end).await.expect("purge");
    assert_eq!(
        report.attempt_counters, 2,
        "both counters of the first window"
    );
    assert_eq!(report.reservations + report.applications, 0);
    assert_eq!(s.count_attempt(key, w1, end1, 0).await.expect("read"), 0);
    assert_eq!(
        s.count_attempt(key, w2, end2, 0).await.expect("read"),
        1,
        "the second window stays"
    );
}

/// N simultaneous increments of one counter return exactly 1..=N.
pub async fn concurrent_attempts_are_counted_exactly(s: S) {
    const N: u32 = 60;
    let start = now();
    let end = start
        .saturating_add(SignedDuration::from_mins(15))
        .expect("time");
    let mut tasks = Vec::new();
    for _ in 0..N {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.count_attempt("lookup:RACE0000", start, end, 1).await
        }));
    }
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.expect("join").expect("count"));
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=N).collect::<Vec<_>>());
    assert_eq!(
        s.count_attempt("lookup:RACE0000", start, end, 0)
            .await
            .expect("read"),
        N
    );
}

/// The person key of earlier versions (an unkeyed SHA-256 of the phone).
fn legacy_key(who: u32) -> PersonKey {
    PersonKey::legacy_v1(&person(who).phone)
}

fn legacy_reservation(equipment: &str, day: &str, start: &str, count: u16, who: u32) -> Draft {
    let mut d = reservation(equipment, day, start, count, who);
    d.reservation.person_key = Some(legacy_key(who));
    d
}

pub fn with_quota(d: Draft, limit_minutes: u32) -> NewReservation {
    NewReservation {
        quota: Some(WeeklyQuota {
            week_start: d.reservation.run.date().week_start(),
            limit_minutes,
        }),
        ..new_reservation(d)
    }
}

fn policy(target: &str, who: u32) -> NewApplication {
    let (application, token) = application(TargetKind::Policy, target, who);
    NewApplication {
        application,
        token,
        admission: Admission::Open,
        idempotency: None,
        messages: Vec::new(),
        messages_when: Vec::new(),
    }
}

/// Issue 9, finding 13: records written with the legacy, enumerable person
/// key move to the key made with the server secret, and with them the
/// weekly quota, the one-application-per-person guard and the history.
pub async fn rekeying_moves_legacy_person_keys(s: S) {
    let who = 500;
    let (old, new) = (legacy_key(who), person(who).key(&TEST_SECRET));
    // Two reservations in the week of 2026-03-02 (3 hours of a 4-hour
    // quota), the second a no-show.
    let r1 = legacy_reservation("cutter", "2026-03-03", "09:00", 2, who);
    let r1_code = r1.reservation.code;
    s.create_reservation(with_quota(r1, 240)).await.expect("r1");
    let r2 = legacy_reservation("plotter", "2026-03-04", "09:00", 1, who);
    let r2_code = r2.reservation.code;
    s.create_reservation(with_quota(r2, 240)).await.expect("r2");
    s.set_reservation_status(&r2_code, change(&ACTIVE, ReservationStatus::NoShow))
        .await
        .expect("no-show");
    // A programme enrolment, attended, and a policy application.
    let mut e = enrol("sewing-basics", who, 5, 5);
    e.application.person_key = Some(old.clone());
    let a1_code = e.application.code;
    s.apply(e).await.expect("enrol");
    s.set_application_status(
        &a1_code,
        change(&[ApplicationStatus::Enrolled], ApplicationStatus::Attended),
    )
    .await
    .expect("attended");
    let mut p = policy("smart-factory", who);
    p.application.person_key = Some(old.clone());
    let a2_code = p.application.code;
    s.apply(p).await.expect("policy");
    // A legacy record already purged, in another week.
    let mut gone = legacy_reservation("cutter", "2026-03-10", "09:00", 1, who);
    gone.reservation.purge_after = date("2026-03-10");
    let gone_code = gone.reservation.code;
    s.create_reservation(new_reservation(gone))
        .await
        .expect("gone");
    s.purge(date("2026-03-11"), now()).await.expect("purge");
    let gone_before = s.reservation(&gone_code).await.expect("read");
    assert!(gone_before.as_ref().is_some_and(|r| r.person_key.is_none()));
    // Someone else's reservation, made with the new key already.
    let current = reservation("cutter", "2026-03-05", "09:00", 1, 501);
    let current_code = current.reservation.code;
    s.create_reservation(with_quota(current, 240))
        .await
        .expect("current");
    let current_before = s.reservation(&current_code).await.expect("read");
    assert_eq!(
        s.person_history(&old).await.expect("history").no_show_dates,
        [date("2026-03-04")],
        "the legacy records are what the store was given"
    );

    assert_eq!(s.rekey_persons(&TEST_SECRET).await.expect("rekey"), 4);

    for code in [r1_code, r2_code] {
        let r = s.reservation(&code).await.expect("read").expect("kept");
        assert_eq!(r.person_key.as_ref(), Some(&new));
        assert!(r.person.is_some());
    }
    for code in [a1_code, a2_code] {
        let a = s.application(&code).await.expect("read").expect("kept");
        assert_eq!(a.person_key.as_ref(), Some(&new));
        assert!(a.person.is_some());
    }
    assert_eq!(
        s.reservation(&r2_code)
            .await
            .expect("read")
            .map(|r| r.status),
        Some(ReservationStatus::NoShow)
    );
    let h = s.person_history(&new).await.expect("history");
    assert_eq!(h.no_show_dates, [date("2026-03-04")]);
    assert_eq!(h.attended_programmes, [id("sewing-basics")]);
    assert_eq!(
        s.person_history(&old).await.expect("history"),
        PersonHistory::default(),
        "no history is left under the legacy key"
    );
    // Untouched: the purged record and the one keyed with the secret.
    assert_eq!(s.reservation(&gone_code).await.expect("read"), gone_before);
    assert_eq!(
        s.reservation(&current_code).await.expect("read"),
        current_before
    );
    // A second run has nothing to do.
    assert_eq!(s.rekey_persons(&TEST_SECRET).await.expect("rekey"), 0);

    // The weekly quota still counts the 3 hours: 2 more do not fit, 1 does.
    assert_code(
        s.create_reservation(with_quota(
            reservation("laser", "2026-03-06", "09:00", 2, who),
            240,
        ))
        .await,
        Code::QuotaExceeded,
    );
    s.create_reservation(with_quota(
        reservation("laser", "2026-03-06", "09:00", 1, who),
        240,
    ))
    .await
    .expect("the fourth hour fits");
    // Cancelling a moved reservation gives its minutes back to the new key.
    s.set_reservation_status(&r1_code, change(&ACTIVE, ReservationStatus::Cancelled))
        .await
        .expect("cancel");
    s.create_reservation(with_quota(
        reservation("laser", "2026-03-07", "09:00", 2, who),
        240,
    ))
    .await
    .expect("the cancelled two hours are free again");
    // One active application per person and target, under the new key.
    assert_code(
        s.apply(enrol("sewing-basics", who, 5, 5)).await,
        Code::AlreadyApplied,
    );
    assert_code(
        s.apply(policy("smart-factory", who)).await,
        Code::AlreadyApplied,
    );

    // Nothing is left under the legacy key: its quota week is empty and its
    // one-per-person guards are gone.
    s.create_reservation(with_quota(
        legacy_reservation("laser", "2026-03-05", "09:00", 4, who),
        240,
    ))
    .await
    .expect("no minutes are left on the legacy key");
    let mut again = enrol("sewing-basics", who, 5, 5);
    again.application.person_key = Some(old.clone());
    s.apply(again)
        .await
        .expect("no enrolment is left on the legacy key");
}

/// A secret that did not make the stored keys (a lost or replaced secret
/// file) must not move the legacy records to keys nobody will ask for.
pub async fn rekeying_refuses_keys_of_another_secret(s: S) {
    let current = reservation("cutter", "2026-03-05", "09:00", 1, 1);
    let current_code = current.reservation.code;
    s.create_reservation(new_reservation(current))
        .await
        .expect("current");
    let legacy = legacy_reservation("cutter", "2026-03-05", "10:00", 1, 2);
    let legacy_code = legacy.reservation.code;
    s.create_reservation(new_reservation(legacy))
        .await
        .expect("legacy");
    let e = s
        .rekey_persons(&ServerKey::generate())
        .await
        .expect_err("another secret is refused");
    assert!(matches!(e, sbiz_booking::Error::Config(_)), "{e}");
    let kept = s.reservation(&legacy_code).await.expect("read");
    assert_eq!(
        kept.and_then(|r| r.person_key),
        Some(legacy_key(2)),
        "nothing was moved"
    );
    // With the right secret, the legacy record moves and the other stays.
    assert_eq!(s.rekey_persons(&TEST_SECRET).await.expect("rekey"), 1);
    assert_eq!(
        s.reservation(&current_code)
            .await
            .expect("read")
            .and_then(|r| r.person_key),
        Some(person(1).key(&TEST_SECRET))
    );
}

/// Rekeying while the same person books, cancels and is marked no-show
/// and back: every minute ends up counted once, under the new key, the
/// history follows, and nothing stays under the old key.
pub async fn rekeying_during_bookings_loses_nothing(s: S) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let who = 600;
    let (old, new) = (legacy_key(who), person(who).key(&TEST_SECRET));
    let mut legacy = Vec::new();
    for i in 0..20 {
        let d = legacy_reservation(&format!("m{i}"), "2026-03-03", "09:00", 1, who);
        legacy.push(d.reservation.code);
        s.create_reservation(with_quota(d, 100_000))
            .await
            .expect("legacy");
    }
    let moving = Arc::new(AtomicBool::new(true));
    let rekey = {
        let (s, moving) = (s.clone(), moving.clone());
        tokio::spawn(async move {
            let moved = s.rekey_persons(&TEST_SECRET).await;
            moving.store(false, Ordering::SeqCst);
            moved
        })
    };
    let mut tasks = Vec::new();
    // Half are cancelled, spread over the time the move takes.
    for (i, code) in legacy.iter().step_by(2).copied().enumerate() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20 * i as u64)).await;
            s.set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
                .await
                .map(drop)
        }));
    }
    // The other half go to no-show and back for as long as the move lasts.
    for half in legacy[1..].chunks(10) {
        let codes: Vec<ReservationCode> = half.iter().step_by(2).copied().collect();
        let (s, moving) = (s.clone(), moving.clone());
        tasks.push(tokio::spawn(async move {
            while moving.load(Ordering::SeqCst) {
                for code in &codes {
                    let to_no_show = change(&ACTIVE, ReservationStatus::NoShow);
                    s.set_reservation_status(code, to_no_show).await?;
                    let back = change(&[ReservationStatus::NoShow], ReservationStatus::Confirmed);
                    s.set_reservation_status(code, back).await?;
                }
            }
            Ok(())
        }));
    }
    for i in 0..5 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let d = reservation(&format!("n{i}"), "2026-03-04", "09:00", 1, who);
            s.create_reservation(with_quota(d, 100_000)).await.map(drop)
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("booking or status change");
    }
    rekey.await.expect("task").expect("rekey");
    assert_eq!(s.rekey_persons(&TEST_SECRET).await.expect("rekey"), 0);
    for code in &legacy {
        let r = s.reservation(code).await.expect("read").expect("kept");
        assert_eq!(r.person_key.as_ref(), Some(&new));
    }
    assert_eq!(
        s.person_history(&old).await.expect("history"),
        PersonHistory::default(),
        "no history is left under the legacy key"
    );
    assert_eq!(
        s.person_history(&new).await.expect("history"),
        PersonHistory::default(),
        "every no-show was taken back"
    );
    // 10 legacy hours still held + 5 new ones = 15 hours: a 16th fits in a
    // 16-hour quota, and a 17th does not.
    let probe = |i: u32, count: u16| {
        with_quota(
            reservation(&format!("p{i}"), "2026-03-05", "09:00", count, who),
            16 * 60,
        )
    };
    assert_code(s.create_reservation(probe(0, 2)).await, Code::QuotaExceeded);
    s.create_reservation(probe(1, 1))
        .await
        .expect("the 16th hour fits");
    // Nothing under the old key: a legacy booking of the whole 16 hours fits.
    s.create_reservation(with_quota(
        legacy_reservation("q", "2026-03-06", "00:00", 16, who),
        16 * 60,
    ))
    .await
    .expect("no minutes are left on the legacy key");
}

// ---------------------------------------------------------------------------
// Job applications (issue 16): a target kind of its own, no business name,
// the posting's facility, the filled mark.

/// A job application by person `who`: no business name, the posting's
/// facility, the form's answers.
pub fn job_application(job: &str, who: u32) -> NewApplication {
    let (mut application, token) = application(TargetKind::Job, job, who);
    application.facility = Some(id("changsin-center"));
    application.answers = BTreeMap::from([
        ("intro".to_owned(), format!("본봉 경력 {who}년입니다.")),
        ("start".to_owned(), "2026-12-14".to_owned()),
    ]);
    if let Some(p) = application.person.as_mut() {
        p.business = None;
    }
    NewApplication {
        application,
        token,
        admission: Admission::Open,
        idempotency: None,
        messages: Vec::new(),
        messages_when: Vec::new(),
    }
}

fn job_target(job: &str) -> Target {
    Target {
        kind: TargetKind::Job,
        id: id(job),
    }
}

pub async fn job_applications_once_per_person_and_withdrawn(s: S) {
    let first = s
        .apply(job_application("sewing-operator", 1))
        .await
        .expect("apply");
    assert_eq!(first.record.status, ApplicationStatus::Submitted);
    let read = s
        .application(&first.record.code)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        read, first.record,
        "a job application reads back as written"
    );
    assert_eq!(read.person.as_ref().and_then(|p| p.business.as_ref()), None);
    assert_eq!(read.facility, Some(id("changsin-center")));
    // One application per person per posting; another posting is fine.
    assert_code(
        s.apply(job_application("sewing-operator", 1)).await,
        Code::AlreadyApplied,
    );
    s.apply(job_application("cnc-operator", 1))
        .await
        .expect("another posting");
    // Listed by kind, target and facility.
    let jobs = s
        .applications(&ApplicationFilter {
            kind: Some(TargetKind::Job),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(jobs.len(), 2);
    let here = s
        .applications(&ApplicationFilter {
            facility: Some(id("changsin-center")),
            target: Some(job_target("sewing-operator")),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(here.len(), 1);
    // Withdrawn (from 검토 too), the person may apply again.
    s.set_application_status(
        &first.record.code,
        change(
            &[ApplicationStatus::Submitted],
            ApplicationStatus::Reviewing,
        ),
    )
    .await
    .expect("review");
    let withdrawn = s
        .set_application_status(
            &first.record.code,
            change(
                &[
                    ApplicationStatus::Submitted,
                    ApplicationStatus::Reviewing,
                    ApplicationStatus::Interview,
                ],
                ApplicationStatus::Cancelled,
            ),
        )
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.application.status, ApplicationStatus::Cancelled);
    assert!(withdrawn.promoted.is_none());
    let again = s
        .apply(job_application("sewing-operator", 1))
        .await
        .expect("again after withdrawing");
    assert_eq!(again.record.seq, 2, "arrival numbers go on");
}

pub async fn job_application_statuses_move_forward(s: S) {
    use ApplicationStatus::*;
    let a = s
        .apply(job_application("sewing-operator", 1))
        .await
        .expect("apply");
    let code = a.record.code;
    for (from, to) in [
        (vec![Submitted], Reviewing),
        (vec![Submitted, Reviewing], Interview),
        (vec![Submitted, Reviewing, Interview], Hired),
    ] {
        let out = s
            .set_application_status(&code, change(&from, to))
            .await
            .expect("step");
        assert_eq!(out.application.status, to);
    }
    // A decision is final: the conditional change refuses it.
    assert_code(
        s.set_application_status(&code, change(&[Submitted, Reviewing, Interview], NotHired))
            .await,
        Code::InvalidStatus,
    );
    assert_eq!(
        s.application(&code)
            .await
            .expect("read")
            .expect("exists")
            .status,
        Hired
    );
    // 불채용 still counts as the person's one application to the posting.
    let b = s
        .apply(job_application("sewing-operator", 2))
        .await
        .expect("apply");
    s.set_application_status(&b.record.code, change(&[Submitted], NotHired))
        .await
        .expect("not hired");
    assert_code(
        s.apply(job_application("sewing-operator", 2)).await,
        Code::AlreadyApplied,
    );
    let listed = s
        .applications(&ApplicationFilter {
            status: Some(NotHired),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
}

pub async fn filled_jobs_take_no_applications(s: S) {
    let target = job_target("sewing-operator");
    assert_eq!(s.target_closed(&target).await.expect("read"), None);
    let kept = s
        .apply(NewApplication {
            idempotency: idem("key-job-0001", "x"),
            ..job_application("sewing-operator", 1)
        })
        .await
        .expect("before filling");
    let at = now();
    s.set_target_closed(&target, Some(at)).await.expect("fill");
    let later = at
        .saturating_add(SignedDuration::from_hours(1))
        .expect("time");
    s.set_target_closed(&target, Some(later))
        .await
        .expect("fill again");
    assert_eq!(
        s.target_closed(&target).await.expect("read"),
        Some(at),
        "closing a closed target keeps the first time"
    );
    assert_code(
        s.apply(job_application("sewing-operator", 2)).await,
        Code::Filled,
    );
    // A retry of an application made before is still answered.
    let retry = s
        .apply(NewApplication {
            idempotency: idem("key-job-0001", "x"),
            ..job_application("sewing-operator", 1)
        })
        .await
        .expect("replay");
    assert!(retry.replayed);
    assert_eq!(retry.record.code, kept.record.code);
    // Other postings and kinds are not affected; existing applications stay.
    s.apply(job_application("cnc-operator", 2))
        .await
        .expect("another posting");
    assert_eq!(
        s.target_closed(&job_target("cnc-operator"))
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        s.application(&kept.record.code)
            .await
            .expect("read")
            .expect("kept")
            .status,
        ApplicationStatus::Submitted
    );
    // Opened again, it takes applications.
    s.set_target_closed(&target, None).await.expect("reopen");
    assert_eq!(s.target_closed(&target).await.expect("read"), None);
    let after = s
        .apply(job_application("sewing-operator", 2))
        .await
        .expect("after reopening");
    assert_eq!(after.record.seq, 2);
}

/// Applications racing the filled mark: each either committed before it
/// (and is listed) or fails `filled`; none is lost or half written.
pub async fn concurrent_applications_and_filling(s: S) {
    let target = job_target("sewing-operator");
    let mut tasks = Vec::new();
    for who in 0..24u32 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.apply(job_application("sewing-operator", who)).await
        }));
    }
    let closer = {
        let s = s.clone();
        let target = target.clone();
        tokio::spawn(async move { s.set_target_closed(&target, Some(now())).await })
    };
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), Code::Filled, "{e}"),
        }
    }
    closer.await.expect("task").expect("fill");
    let listed = s
        .applications(&ApplicationFilter {
            target: Some(target),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.len(), ok, "every accepted application is stored");
    let mut seqs: Vec<u64> = listed.iter().map(|a| a.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=ok as u64).collect::<Vec<_>>());
    assert_code(
        s.apply(job_application("sewing-operator", 99)).await,
        Code::Filled,
    );
}

pub async fn purge_blanks_job_applications(s: S) {
    let mut old = job_application("sewing-operator", 1);
    old.application.purge_after = date("2026-03-10");
    let old_code = old.application.code;
    let mut young = job_application("sewing-operator", 2);
    young.application.purge_after = date("2026-06-10");
    let young_code = young.application.code;
    s.apply(old).await.expect("old");
    s.apply(young).await.expect("young");
    let later = now()
        .saturating_add(SignedDuration::from_hours(1))
        .expect("time");
    let report = s.purge(date("2026-03-11"), later).await.expect("purge");
    assert_eq!(report.applications, 1);
    let a = s.application(&old_code).await.expect("read").expect("kept");
    assert!(a.person.is_none() && a.person_key.is_none() && a.answers.is_empty());
    assert_eq!(
        a.target,
        job_target("sewing-operator"),
        "kept for statistics"
    );
    let y = s
        .application(&young_code)
        .await
        .expect("read")
        .expect("kept");
    assert!(y.person.is_some() && !y.answers.is_empty());
    // The person's one-application guard went with the data.
    s.apply(job_application("sewing-operator", 1))
        .await
        .expect("the purged person is not remembered");
}
