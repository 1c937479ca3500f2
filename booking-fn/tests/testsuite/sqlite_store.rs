//! The conformance and concurrency suite on the SQLite store, on a file
//! (WAL, the reader pool) and in memory.

use std::sync::Arc;

use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;

use crate::{conformance, store_tests};

/// A fresh database file under the system temp directory.
pub fn temp_db() -> std::path::PathBuf {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random");
    std::env::temp_dir().join(format!(
        "sbiz-test-{}-{}.sqlite3",
        std::process::id(),
        hex::encode(b)
    ))
}

mod on_file {
    use super::*;
    store_tests!(async || Arc::new(SqliteStore::temporary().expect("open")) as Arc<dyn Store>);
}

mod in_memory {
    use super::*;
    store_tests!(async || Arc::new(SqliteStore::in_memory().expect("open")) as Arc<dyn Store>);
}

#[tokio::test]
async fn reopening_keeps_data() {
    let path = temp_db();
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    {
        let s = SqliteStore::open(&path).expect("open");
        s.create_reservation(conformance::new_reservation(d))
            .await
            .expect("create");
    }
    let s = SqliteStore::open(&path).expect("reopen");
    assert!(s.reservation(&code).await.expect("read").is_some());
    drop(s);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Issue 9, finding 3: an idempotency record keeps neither the client's key
/// nor the management token in plain text (the raw database bytes hold
/// neither), yet a retry with the key still gets the token back.
#[tokio::test]
async fn idempotency_records_keep_no_plain_token_or_key() {
    let path = temp_db();
    let key = "plain-key-0123456789abcdef";
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let token = d.token.clone();
    let s = SqliteStore::open(&path).expect("open");
    let new = sbiz_booking::store::NewReservation {
        idempotency: conformance::idem(key, "a"),
        ..conformance::new_reservation(d)
    };
    s.create_reservation(new.clone()).await.expect("create");
    let replay = s.create_reservation(new).await.expect("replay");
    assert!(replay.replayed);
    assert_eq!(replay.token, token);
    drop(s);
    let mut raw = Vec::new();
    for suffix in ["", "-wal"] {
        if let Ok(b) = std::fs::read(format!("{}{suffix}", path.display())) {
            raw.extend(b);
        }
    }
    let raw = String::from_utf8_lossy(&raw);
    assert!(!raw.contains(&token.reveal()), "the plain token is stored");
    assert!(!raw.contains(key), "the plain idempotency key is stored");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The bytes of `path` and of its `-wal` and `-shm` files (those that exist).
fn files_of(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let name = format!("{}{suffix}", path.display());
            std::fs::read(&name).ok().map(|bytes| (name, bytes))
        })
        .collect()
}

/// Whether the UTF-8 text `needle` occurs in `haystack`. (Invalid bytes
/// around it become U+FFFD and cannot swallow it: it starts with a lead or
/// ASCII byte. `str::contains` is fast even in a debug build.)
fn find(haystack: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(haystack).contains(needle)
}

/// Issue 9 (2): after the retention purge the personal data is gone from
/// the database file, its write-ahead log and its shared-memory index (as
/// `strings` would read them, while the server keeps running), and from a
/// backup taken afterwards; not only from what the API shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purged_personal_data_leaves_no_trace_in_the_files() {
    use sbiz_booking::catalog::Phone;
    use sbiz_booking::domain::{
        BusinessName, Email, Person, PersonName, ReservationCode, TargetKind,
    };
    use sbiz_booking::store::{Admission, NewApplication};

    let dir = temp_db().with_extension("d");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("booking.sqlite3");
    let store = SqliteStore::open(&path).expect("open");
    let secret_person = |n: u32| Person {
        name: PersonName::parse(&format!("유출금지이름{n:02}")).expect("name"),
        phone: format!("010-9876-{:04}", 5400 + n)
            .parse::<Phone>()
            .expect("phone"),
        business: Some(BusinessName::parse(&format!("비밀봉제공방{n:02}")).expect("business")),
        email: Some(Email::parse(&format!("leak.check{n:02}@example.kr")).expect("email")),
        notify: Default::default(),
    };
    // A long answer takes overflow pages; many records fill several pages.
    let long_answer = "유출되면안되는사업계획".repeat(400);
    let mut codes: Vec<ReservationCode> = Vec::new();
    for n in 0..40u32 {
        let mut d =
            conformance::reservation("cutter", "2026-03-05", &format!("{:02}:00", n % 24), 1, n);
        d.reservation.run = sbiz_booking::domain::SlotRun::new(
            "cutter".parse().expect("id"),
            conformance::date("2026-03-02").add_days((n / 24) as i32),
            conformance::time(&format!("{:02}:00", n % 24)),
            60,
            1,
        )
        .expect("run");
        d.reservation.purge_after = conformance::date("2026-03-10");
        d.reservation.person_key = Some(secret_person(n).key(&conformance::TEST_SECRET));
        d.reservation.person = Some(secret_person(n));
        codes.push(d.reservation.code);
        let subject = sbiz_booking::domain::Subject::Reservation(d.reservation.code);
        store
            .create_reservation(conformance::new_reservation(d))
            .await
            .expect("reserve");
        // A survey comment that names its writer goes with the record.
        store
            .submit_survey(sbiz_booking::domain::SurveyResponse {
                survey: "equipment-satisfaction".parse().expect("id"),
                subject,
                facility: None,
                answers: [
                    (
                        "overall".to_owned(),
                        sbiz_booking::domain::Answer::Rating(5),
                    ),
                    (
                        "comment".to_owned(),
                        sbiz_booking::domain::Answer::Text(format!("비밀의견{n:02}")),
                    ),
                ]
                .into(),
                submitted_at: conformance::now(),
            })
            .await
            .expect("survey");
        let (mut a, token) = conformance::application(TargetKind::Policy, "smart-factory", n);
        a.purge_after = conformance::date("2026-03-10");
        a.person_key = Some(secret_person(100 + n).key(&conformance::TEST_SECRET));
        a.person = Some(secret_person(100 + n));
        a.answers = [
            ("plan".to_owned(), format!("{long_answer}{n}")),
            ("note".to_owned(), format!("비밀메모{n:02}")),
        ]
        .into();
        store
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
    }
    let mut secrets: Vec<String> = vec!["유출되면안되는사업계획".into()];
    for n in 0..140u32 {
        let p = secret_person(n);
        secrets.extend([
            p.name.as_str().to_owned(),
            p.phone.as_str().to_owned(),
            p.phone.digits(),
            p.business
                .as_ref()
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            p.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            format!("비밀메모{n:02}"),
            format!("비밀의견{n:02}"),
        ]);
    }
    secrets.retain(|s| !s.is_empty());
    // The check finds them before the purge (it reads what it should).
    let before = files_of(&path);
    assert!(
        before.iter().any(|(_, b)| find(b, "유출금지이름00")),
        "the test data is not in the files at all"
    );

    let now = conformance::now();
    let report = store
        .purge(conformance::date("2026-03-11"), now)
        .await
        .expect("purge");
    assert_eq!((report.reservations, report.applications), (40, 40));
    let r = store
        .reservation(&codes[0])
        .await
        .expect("read")
        .expect("kept");
    assert!(r.person.is_none());

    let leaks = |files: Vec<(String, Vec<u8>)>| -> Vec<String> {
        let mut out = Vec::new();
        for (name, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            for s in &secrets {
                if text.contains(s.as_str()) {
                    out.push(format!("{s:?} in {name}"));
                }
            }
        }
        out
    };
    let found = leaks(files_of(&path));
    assert!(found.is_empty(), "purged data still readable: {found:?}");

    // A backup of the purged database holds none of it either.
    let copy = dir.join("backup.sqlite3");
    sbiz_booking::backup::backup(&path, &copy).expect("backup");
    let found = leaks(files_of(&copy));
    assert!(found.is_empty(), "purged data in the backup: {found:?}");

    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database from before who cancelled was recorded (schema version 12)
/// gains the column when opened: its cancellations read as not recorded
/// (기록 없음), and the next cancellation records who.
#[tokio::test]
async fn a_database_from_before_cancelled_by_gains_it_when_opened() {
    use sbiz_booking::domain::{CancelledBy, ReservationStatus};
    use sbiz_booking::store::StatusChange;
    let dir = temp_db().with_extension("d");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("booking.sqlite3");
    let old = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let new = conformance::reservation("cutter", "2026-03-05", "11:00", 1, 2);
    let (old_code, new_code) = (old.reservation.code, new.reservation.code);
    let cancel = |by| StatusChange {
        cancelled_by: by,
        ..StatusChange::new(
            vec![ReservationStatus::Confirmed],
            ReservationStatus::Cancelled,
            conformance::now(),
        )
    };
    {
        let s = SqliteStore::open(&path).expect("open");
        for d in [old, new] {
            s.create_reservation(conformance::new_reservation(d))
                .await
                .expect("create");
        }
        s.set_reservation_status(&old_code, cancel(None))
            .await
            .expect("cancel");
    }
    {
        let c = rusqlite::Connection::open(&path).expect("raw open");
        c.execute_batch(
            "ALTER TABLE reservations DROP COLUMN cancelled_by; PRAGMA user_version = 12;",
        )
        .expect("version 12");
    }
    let s = SqliteStore::open(&path).expect("reopen");
    let read = s.reservation(&old_code).await.expect("read").expect("kept");
    assert_eq!(
        (read.status, read.cancelled_by),
        (ReservationStatus::Cancelled, None)
    );
    let cancelled = s
        .set_reservation_status(&new_code, cancel(Some(CancelledBy::Applicant)))
        .await
        .expect("cancel");
    assert_eq!(cancelled.cancelled_by, Some(CancelledBy::Applicant));
    let read = s.reservation(&new_code).await.expect("read").expect("kept");
    assert_eq!(read.cancelled_by, Some(CancelledBy::Applicant));
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database written before `secure_delete` (schema version 1) may hold
/// what its purges blanked in free space: opening it vacuums it once.
#[tokio::test]
async fn a_database_purged_before_secure_delete_is_wiped_when_opened() {
    let dir = temp_db().with_extension("d");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("booking.sqlite3");
    let mut d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    let mut p = conformance::person(1);
    p.name = sbiz_booking::domain::PersonName::parse("옛날에지운이름").expect("name");
    // A long business name: the blanked row, much shorter, is written over
    // the end of the old one only, and the name before it stays.
    p.business =
        Some(sbiz_booking::domain::BusinessName::parse(&"긴상호".repeat(33)).expect("business"));
    d.reservation.person = Some(p);
    {
        let s = SqliteStore::open(&path).expect("open");
        s.create_reservation(conformance::new_reservation(d))
            .await
            .expect("create");
    }
    let wal = format!("{}-wal", path.display());
    for _ in 0..500 {
        if !std::path::Path::new(&wal).exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // The old way: blanked without secure_delete, at schema version 1
    // (without the tables of later versions).
    {
        let c = rusqlite::Connection::open(&path).expect("raw open");
        c.execute_batch(
            "PRAGMA secure_delete = OFF;
             UPDATE reservations SET name = NULL, phone = NULL, business = NULL, email = NULL, person_key = NULL;
             DROP TABLE attempts;
             DROP TABLE staff_sessions;
             DROP TABLE outbox;
             ALTER TABLE target_seq DROP COLUMN closed_at;
             ALTER TABLE reservations DROP COLUMN notify;
             ALTER TABLE applications DROP COLUMN notify;
             DROP TABLE one_time_codes;
             DROP TABLE person_sessions;
             DROP TABLE closures;
             DROP TABLE audit_log;
             ALTER TABLE reservations DROP COLUMN taken_by_staff;
             DROP TABLE training_records;
             ALTER TABLE reservations DROP COLUMN lang;
             ALTER TABLE applications DROP COLUMN lang;
             ALTER TABLE reservations DROP COLUMN cancelled_by;
             PRAGMA user_version = 1;",
        )
        .expect("old purge");
    }
    let holds =
        |files: Vec<(String, Vec<u8>)>| files.iter().any(|(_, b)| find(b, "옛날에지운이름"));
    assert!(
        holds(files_of(&path)),
        "the old purge left the name in the file"
    );

    let s = SqliteStore::open(&path).expect("reopen");
    assert!(
        !holds(files_of(&path)),
        "opening did not wipe the free space"
    );
    let r = s.reservation(&code).await.expect("read").expect("kept");
    assert!(r.person.is_none());
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 9, finding 13: once rekeyed, the legacy (reversible) person keys
/// are gone from the database file, its write-ahead log and its index, not
/// only from what the store returns: a copy of the files taken afterwards
/// cannot be searched for phone numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rekeyed_legacy_keys_leave_no_trace_in_the_files() {
    use sbiz_booking::domain::{PersonKey, TargetKind};
    use sbiz_booking::store::{Admission, NewApplication, NewReservation, WeeklyQuota};

    let dir = temp_db().with_extension("d");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("booking.sqlite3");
    let store = SqliteStore::open(&path).expect("open");
    let mut legacy: Vec<String> = Vec::new();
    for n in 0..30u32 {
        let key = PersonKey::legacy_v1(&conformance::person(n).phone);
        legacy.push(key.as_str().to_owned());
        let mut d = conformance::reservation(&format!("m{n}"), "2026-03-05", "10:00", 1, n);
        d.reservation.person_key = Some(key.clone());
        store
            .create_reservation(NewReservation {
                quota: Some(WeeklyQuota {
                    week_start: conformance::date("2026-03-02"),
                    limit_minutes: 600,
                }),
                ..conformance::new_reservation(d)
            })
            .await
            .expect("reserve");
        let (mut a, token) = conformance::application(TargetKind::Policy, "smart-factory", n);
        a.person_key = Some(key);
        store
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
    }
    let found = |files: Vec<(String, Vec<u8>)>| -> Vec<String> {
        let mut out = Vec::new();
        for (name, bytes) in &files {
            for k in &legacy {
                if find(bytes, k) {
                    out.push(format!("{k} in {name}"));
                }
            }
        }
        out
    };
    assert!(
        !found(files_of(&path)).is_empty(),
        "the legacy keys are not in the files at all"
    );
    let moved = store
        .rekey_persons(&conformance::TEST_SECRET)
        .await
        .expect("rekey");
    assert_eq!(moved, 60);
    let left = found(files_of(&path));
    assert!(left.is_empty(), "legacy keys still readable: {left:?}");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 13: the audit log is append-only in the file itself, whatever
/// the code above does: the schema refuses changing or deleting an entry.
#[tokio::test]
async fn the_audit_log_table_refuses_updates_and_deletes() {
    let dir = temp_db().with_extension("d");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("booking.sqlite3");
    let s = SqliteStore::open(&path).expect("open");
    s.append_audit(sbiz_booking::domain::AuditEntry {
        at: conformance::now(),
        staff: "*#1".into(),
        action: "login".into(),
        record: String::new(),
        detail: String::new(),
    })
    .await
    .expect("append");
    let c = rusqlite::Connection::open(&path).expect("raw open");
    for sql in [
        "UPDATE audit_log SET staff = 'someone else'",
        "DELETE FROM audit_log",
    ] {
        let e = c.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    drop(c);
    let entries = s.audit_entries(&Default::default()).await.expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].staff, "*#1");
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}
