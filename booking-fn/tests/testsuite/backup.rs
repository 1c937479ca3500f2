//! Backup while bookings are being made, then restore: every reservation
//! acknowledged before the backup started is in the restored database, which
//! passes SQLite's integrity check and keeps working as a store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sbiz_booking::backup;
use sbiz_booking::domain::ReservationCode;
use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;

use crate::conformance;

fn temp_dir() -> PathBuf {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random");
    let dir = std::env::temp_dir().join(format!(
        "sbiz-backup-test-{}-{}",
        std::process::id(),
        hex::encode(b)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

struct Cleanup(PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Acknowledged reservations, in the order the store answered.
type Acks = Arc<Mutex<Vec<ReservationCode>>>;

/// Books one-hour slots on its own equipment, day after day, until `stop`.
async fn booker(store: Arc<SqliteStore>, worker: u32, acks: Acks, stop: Arc<AtomicBool>) {
    let equipment = format!("cutter-{worker}");
    let mut n = 0u32;
    while !stop.load(Ordering::Relaxed) {
        let day = jiff::civil::date(2026, 3, 2)
            .checked_add(jiff::Span::new().days(i64::from(n / 8)))
            .expect("day");
        let start = format!("{:02}:00", 9 + n % 8);
        let d = conformance::reservation(&equipment, &day.to_string(), &start, 1, worker);
        let code = d.reservation.code;
        store
            .create_reservation(conformance::new_reservation(d))
            .await
            .expect("reservation");
        acks.lock().unwrap().push(code);
        n += 1;
    }
}

fn wal_exists(db: &Path) -> bool {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal).exists()
}

fn wal_is_empty(db: &Path) -> bool {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).map_or(true, |m| m.len() == 0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_during_bookings_then_restore_loses_nothing_acknowledged() {
    let dir = temp_dir();
    let _cleanup = Cleanup(dir.clone());
    let db = dir.join("booking.sqlite3");
    let store = Arc::new(SqliteStore::open(&db).expect("open"));
    let acks: Acks = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=6)
        .map(|w| tokio::spawn(booker(store.clone(), w, acks.clone(), stop.clone())))
        .collect();

    // Let bookings pile up, then back up while they go on.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acks.lock().unwrap().len() < 300 {
        assert!(Instant::now() < deadline, "bookings are too slow");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before: Vec<ReservationCode> = acks.lock().unwrap().clone();
    let dest = dir.join("backup.sqlite3");
    let (db2, dest2) = (db.clone(), dest.clone());
    let report = tokio::task::spawn_blocking(move || backup::backup(&db2, &dest2))
        .await
        .expect("join")
        .expect("backup");
    let during = acks.lock().unwrap().len();
    // Bookings kept being acknowledged while the copy was taken.
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.expect("booker");
    }
    let total = acks.lock().unwrap().len();
    assert!(
        total > before.len(),
        "no booking was acknowledged during or after the backup ({} before, {during} when it ended, {total} in all)",
        before.len()
    );
    assert!(report.reservations >= before.len() as u64, "{report:?}");
    assert!(report.reservations <= total as u64, "{report:?}");
    // A second backup to the same name is refused, never overwritten.
    assert!(backup::backup(&db, &dest).is_err());

    // Stop the "server", then restore over its database.
    drop(store);
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal_exists(&db) {
        assert!(
            Instant::now() < deadline,
            "the closed store left a write-ahead log"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let restored = backup::restore(&dest, &db, false).expect("restore");
    assert_eq!(restored.report.reservations, report.reservations);
    let previous = restored.previous.expect("the old database is kept aside");
    assert!(previous.is_file());
    // The database moved aside still holds everything.
    assert_eq!(
        backup::verify(&previous).expect("old db").reservations,
        total as u64
    );

    // Integrity, then every acknowledged reservation, through the store.
    let check = backup::verify(&db).expect("restored database passes the integrity check");
    assert_eq!(check.reservations, report.reservations);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let quick: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .expect("quick_check");
    assert_eq!(quick, "ok");
    drop(conn);
    let store = SqliteStore::open(&db).expect("reopen restored");
    for code in &before {
        let r = store.reservation(code).await.expect("read");
        let r = r.unwrap_or_else(|| {
            panic!("reservation {code:?} acknowledged before the backup is lost")
        });
        assert!(r.person.is_some(), "personal data kept");
    }
    // The restored database keeps working: the slots it holds stay taken,
    // new ones can be booked.
    let again = conformance::reservation("cutter-1", "2026-03-02", "09:00", 1, 99);
    assert!(
        store
            .create_reservation(conformance::new_reservation(again))
            .await
            .is_err(),
        "a slot held in the backup is free after the restore"
    );
    let fresh = conformance::reservation("lathe", "2026-03-02", "09:00", 1, 99);
    store
        .create_reservation(conformance::new_reservation(fresh))
        .await
        .expect("book after restore");
}

#[test]
fn restore_refuses_a_damaged_backup_and_a_database_in_use() {
    let dir = temp_dir();
    let _cleanup = Cleanup(dir.clone());
    let bad = dir.join("bad.sqlite3");
    std::fs::write(&bad, b"SQLite format 3\0 but not really").expect("write");
    let db = dir.join("booking.sqlite3");
    assert!(backup::restore(&bad, &db, false).is_err());
    assert!(!db.exists(), "nothing replaced by a damaged backup");

    // A live store (write-ahead log in use) is not replaced without --force.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = SqliteStore::open(&db).expect("open");
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    rt.block_on(store.create_reservation(conformance::new_reservation(d)))
        .expect("book");
    let copy = dir.join("copy.sqlite3");
    backup::backup(&db, &copy).expect("backup");
    if !wal_is_empty(&db) {
        let e = backup::restore(&copy, &db, false).expect_err("in use");
        assert!(e.to_string().contains("stop the server"), "{e}");
    }
    // After a purge the running store empties its log (to nothing): still in use.
    let mut old = conformance::reservation("cutter", "2026-03-05", "11:00", 1, 2);
    old.reservation.purge_after = conformance::date("2026-03-06");
    rt.block_on(store.create_reservation(conformance::new_reservation(old)))
        .expect("book");
    let purged = rt
        .block_on(store.purge(conformance::date("2026-03-07"), conformance::now()))
        .expect("purge");
    assert_eq!(purged.reservations, 1);
    assert!(wal_is_empty(&db), "the purge empties the write-ahead log");
    let e = backup::restore(&copy, &db, false).expect_err("in use after a purge");
    assert!(e.to_string().contains("stop the server"), "{e}");
    drop(store);
}

/// A backup holds everyone's personal data: only its owner reads it, and
/// the database it is restored to, whatever the umask of who ran them.
#[cfg(unix)]
#[test]
fn backups_and_restored_databases_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let _cleanup = Cleanup(dir.clone());
    let db = dir.join("booking.sqlite3");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = SqliteStore::open(&db).expect("open");
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    rt.block_on(store.create_reservation(conformance::new_reservation(d)))
        .expect("book");
    drop(store);
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    let copy = dir.join("copy.sqlite3");
    backup::backup(&db, &copy).expect("backup");
    assert_eq!(mode(&copy), 0o600, "the backup");
    // Even a backup someone made readable is restored private.
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let restored = dir.join("restored.sqlite3");
    let r = backup::restore(&copy, &restored, false).expect("restore");
    assert_eq!(r.report.reservations, 1);
    assert_eq!(mode(&restored), 0o600, "the restored database");
}
