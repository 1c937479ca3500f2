//! 내 예약·신청: one-time codes (used once, expiring, locked after the
//! allowed tries, counted exactly under concurrency), person sessions, and
//! the records of one person key (purged and moved records never listed
//! under the old key).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use sbiz_booking::domain::*;
use sbiz_booking::store::*;

use super::*;

fn at(minutes: i64) -> Timestamp {
    now()
        .checked_add(SignedDuration::from_mins(minutes))
        .expect("time")
}

fn key(who: u32) -> PersonKey {
    person(who).key(&TEST_SECRET)
}

fn hash(who: u32, code: &str) -> String {
    VerificationCode::parse(code)
        .expect("code")
        .hash(&TEST_SECRET, &key(who))
}

fn code(who: u32, digits: &str, expires: Timestamp) -> OneTimeCode {
    OneTimeCode {
        person: key(who),
        hash: hash(who, digits),
        expires,
    }
}

async fn check(s: &S, who: u32, digits: &str, when: Timestamp) -> CodeCheck {
    s.check_one_time_code(&key(who), &hash(who, digits), when, 5)
        .await
        .expect("check")
}

pub async fn one_time_codes_are_used_once_and_expire(s: S) {
    s.put_one_time_code(code(1, "123456", at(5)))
        .await
        .expect("put");
    assert_eq!(
        check(&s, 1, "654321", now()).await,
        CodeCheck::Wrong { left: 4 }
    );
    // Nobody else has a code; the same digits are no one else's.
    assert_eq!(check(&s, 2, "123456", now()).await, CodeCheck::Missing);
    assert_eq!(check(&s, 1, "123456", now()).await, CodeCheck::Valid);
    assert_eq!(
        check(&s, 1, "123456", now()).await,
        CodeCheck::Missing,
        "used once"
    );

    // Until its expiry, not at it.
    s.put_one_time_code(code(1, "111111", at(5)))
        .await
        .expect("put");
    assert_eq!(check(&s, 1, "111111", at(5)).await, CodeCheck::Missing);
    assert_eq!(check(&s, 1, "111111", at(6)).await, CodeCheck::Missing);
    assert_eq!(check(&s, 1, "111111", at(4)).await, CodeCheck::Valid);

    // A new code replaces the old one, and its tries start again.
    s.put_one_time_code(code(1, "222222", at(5)))
        .await
        .expect("put");
    for _ in 0..4 {
        assert!(matches!(
            check(&s, 1, "000000", now()).await,
            CodeCheck::Wrong { .. }
        ));
    }
    s.put_one_time_code(code(1, "333333", at(5)))
        .await
        .expect("put");
    assert_eq!(
        check(&s, 1, "222222", now()).await,
        CodeCheck::Wrong { left: 4 }
    );
    assert_eq!(check(&s, 1, "333333", now()).await, CodeCheck::Valid);
}

pub async fn one_time_codes_lock_after_the_allowed_tries(s: S) {
    s.put_one_time_code(code(3, "987654", at(5)))
        .await
        .expect("put");
    for left in (0..5).rev() {
        assert_eq!(
            check(&s, 3, "000000", now()).await,
            CodeCheck::Wrong { left }
        );
    }
    assert_eq!(check(&s, 3, "000000", now()).await, CodeCheck::Locked);
    assert_eq!(
        check(&s, 3, "987654", now()).await,
        CodeCheck::Locked,
        "the right code too"
    );
    // Expired, a locked code is simply gone.
    assert_eq!(check(&s, 3, "987654", at(5)).await, CodeCheck::Missing);
    // A new code works again.
    s.put_one_time_code(code(3, "121212", at(10)))
        .await
        .expect("put");
    assert_eq!(check(&s, 3, "121212", now()).await, CodeCheck::Valid);
}

/// Simultaneous checks of one code: every wrong try counts once, never
/// more than the allowed tries are answered `Wrong`, and a right code is
/// `Valid` exactly once.
pub async fn concurrent_code_checks_count_every_try(s: S) {
    s.put_one_time_code(code(4, "456456", at(5)))
        .await
        .expect("put");
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let s = Arc::clone(&s);
        tasks.push(tokio::spawn(
            async move { check(&s, 4, "000000", now()).await },
        ));
    }
    let mut lefts = Vec::new();
    let mut locked = 0;
    for t in tasks {
        match t.await.expect("task") {
            CodeCheck::Wrong { left } => lefts.push(left),
            CodeCheck::Locked => locked += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    lefts.sort_unstable();
    assert_eq!(lefts, [0, 1, 2, 3, 4], "each try counted once");
    assert_eq!(locked, 7);

    s.put_one_time_code(code(4, "789789", at(5)))
        .await
        .expect("put");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = Arc::clone(&s);
        tasks.push(tokio::spawn(
            async move { check(&s, 4, "789789", now()).await },
        ));
    }
    let mut valid = 0;
    for t in tasks {
        match t.await.expect("task") {
            CodeCheck::Valid => valid += 1,
            CodeCheck::Missing => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(valid, 1, "a code opens one session");
}

pub async fn person_sessions_end_and_expire(s: S) {
    let session = |id: &str, who: u32, expires: Timestamp| PersonSession {
        id: id.repeat(64 / id.len()),
        person: key(who),
        expires,
    };
    let live = session("a", 1, at(30));
    let other = session("b", 2, at(30));
    let old = session("c", 1, at(-1));
    for x in [&live, &other, &old] {
        s.create_person_session(x.clone()).await.expect("create");
    }
    assert_eq!(
        s.person_session(&live.id).await.expect("read"),
        Some(live.clone())
    );
    assert_eq!(s.person_session(&"d".repeat(64)).await.expect("read"), None);
    s.end_person_session(&live.id).await.expect("end");
    assert_eq!(s.person_session(&live.id).await.expect("read"), None);
    s.end_person_session(&live.id).await.expect("end again");
    assert_eq!(
        s.person_session(&other.id).await.expect("read"),
        Some(other.clone())
    );
    // The purge removes expired sessions and codes, not live ones.
    s.put_one_time_code(code(5, "555555", at(5)))
        .await
        .expect("put");
    s.put_one_time_code(code(6, "666666", at(-1)))
        .await
        .expect("put");
    s.purge(date("2026-03-02"), now()).await.expect("purge");
    assert_eq!(s.person_session(&old.id).await.expect("read"), None);
    assert!(s.person_session(&other.id).await.expect("read").is_some());
    assert_eq!(check(&s, 5, "555555", now()).await, CodeCheck::Valid);
    assert_eq!(check(&s, 6, "666666", at(-2)).await, CodeCheck::Missing);
}

/// A person's records, as the index of the store shows them (DynamoDB's
/// is eventually consistent: wait up to 5 s for `want`).
async fn records_until(s: &S, person: &PersonKey, want: (usize, usize)) -> PersonRecords {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = s.records_of_person(person).await.expect("records");
        if (r.reservations.len(), r.applications.len()) == want
            || std::time::Instant::now() > deadline
        {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn records_of_a_person_are_listed_until_purged(s: S) {
    let who = 700;
    let mine = reservation("cutter", "2026-03-05", "10:00", 2, who);
    let mine_code = mine.reservation.code;
    s.create_reservation(new_reservation(mine))
        .await
        .expect("mine");
    let mut old = reservation("plotter", "2026-03-04", "10:00", 1, who);
    old.reservation.purge_after = date("2026-03-10");
    let old_code = old.reservation.code;
    s.create_reservation(new_reservation(old))
        .await
        .expect("old");
    let theirs = reservation("cutter", "2026-03-05", "13:00", 1, who + 1);
    s.create_reservation(new_reservation(theirs))
        .await
        .expect("theirs");
    let enrolled = s
        .apply(enrol("pattern-basic", who, 5, 0))
        .await
        .expect("enrol");
    let applied = s.apply(policy("smart-process", who)).await.expect("apply");
    s.apply(policy("smart-process", who + 1))
        .await
        .expect("other applicant");
    // A job application (구인 지원) is the person's too.
    let hired = s
        .apply(job_application("sewing-operator", who))
        .await
        .expect("job application");

    let r = records_until(&s, &key(who), (2, 3)).await;
    let codes: Vec<_> = r.reservations.iter().map(|x| x.code).collect();
    assert_eq!(codes, [old_code, mine_code], "by day");
    assert!(r.reservations.iter().all(|x| x.person.is_some()));
    let apps: Vec<_> = r.applications.iter().map(|a| a.code).collect();
    assert!(
        apps.contains(&enrolled.record.code)
            && apps.contains(&applied.record.code)
            && apps.contains(&hired.record.code),
        "{apps:?}"
    );
    assert!(
        r.applications
            .iter()
            .any(|a| a.code == applied.record.code && !a.answers.is_empty()),
        "with the personal data"
    );
    // Another person's records are theirs only.
    let other = records_until(&s, &key(who + 1), (1, 1)).await;
    assert_eq!((other.reservations.len(), other.applications.len()), (1, 1));
    assert!(
        s.records_of_person(&key(who + 2))
            .await
            .expect("none")
            .reservations
            .is_empty()
    );

    // A cancelled record is still the person's (with its status).
    s.set_reservation_status(
        &mine_code,
        StatusChange::new(
            vec![ReservationStatus::Confirmed],
            ReservationStatus::Cancelled,
            now(),
        ),
    )
    .await
    .expect("cancel");
    let r = s.records_of_person(&key(who)).await.expect("records");
    assert!(
        r.reservations
            .iter()
            .any(|x| x.code == mine_code && x.status == ReservationStatus::Cancelled)
    );

    // Purged: gone from the list at once.
    s.purge(date("2026-03-11"), now()).await.expect("purge");
    let r = s.records_of_person(&key(who)).await.expect("records");
    let codes: Vec<_> = r.reservations.iter().map(|x| x.code).collect();
    assert_eq!(codes, [mine_code], "the purged reservation is not listed");
    assert_eq!(r.applications.len(), 3);
}

/// Records moved from a legacy person key are listed under the new key,
/// never under the old one.
pub async fn moved_records_are_listed_under_their_new_key(s: S) {
    let who = 710;
    let mut d = reservation("cutter", "2026-03-05", "10:00", 1, who);
    d.reservation.person_key = Some(PersonKey::legacy_v1(&person(who).phone));
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("legacy");
    assert!(
        s.records_of_person(&key(who))
            .await
            .expect("records")
            .reservations
            .is_empty(),
        "not yet under the new key"
    );
    s.rekey_persons(&TEST_SECRET).await.expect("rekey");
    let r = records_until(&s, &key(who), (1, 0)).await;
    assert_eq!(
        r.reservations.iter().map(|x| x.code).collect::<Vec<_>>(),
        [code]
    );
    let legacy = PersonKey::legacy_v1(&person(who).phone);
    assert!(
        s.records_of_person(&legacy)
            .await
            .expect("records")
            .reservations
            .is_empty(),
        "nothing under the old key"
    );
}
