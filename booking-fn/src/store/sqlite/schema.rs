//! Connection settings and the schema, versioned with `PRAGMA user_version`.

use rusqlite::Connection;

pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // In-memory databases answer "memory" here; files switch to WAL.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // `secure_delete`: what a purge blanks or deletes is overwritten with
    // zeros in its page (and freed pages, overflow pages of long answers
    // included, are zeroed), so that personal data is gone from the file,
    // not only from query results. Together with the checkpoint after each
    // purge (`wipe_wal`), nothing purged stays readable on disk.
    // `synchronous = FULL`: every commit syncs the log before the writer
    // answers, so an acknowledged booking survives a power cut (NORMAL could
    // lose the last commits). The writer commits waiting operations
    // together, so one sync serves many bookings.
    // `temp_store = MEMORY`: the statement journals of the writer's
    // savepoints (what rolls one failed operation back inside a group) are
    // kept in memory instead of a temporary file the kernel writes; they
    // only ever serve a rollback inside the open transaction, so a crash
    // loses nothing the log would have kept.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// `VACUUM` with its transient copy of the database in a temporary file, as
/// before the writer kept temporary storage in memory (`configure`): the
/// copy is as large as the database.
pub(super) fn vacuum(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA temp_store = DEFAULT;")?;
    let done = conn.execute_batch("VACUUM");
    conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    done
}

/// Statements kept prepared per connection: every statement of a booking
/// (the writer's transaction control included) and of the reads before it,
/// with room for the other operations.
const STATEMENT_CACHE: usize = 64;

pub(super) fn configure_reader(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(std::time::Duration::from_secs(5))
}

const V1: &str = "
CREATE TABLE reservations (
    code            TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL,
    facility        TEXT NOT NULL,
    equipment       TEXT NOT NULL,
    date            TEXT NOT NULL,
    start_min       INTEGER NOT NULL,
    slot_minutes    INTEGER NOT NULL,
    slot_count      INTEGER NOT NULL,
    status          TEXT NOT NULL,
    training_check  INTEGER NOT NULL,
    person_key      TEXT,
    name            TEXT,
    phone           TEXT,
    business        TEXT,
    email           TEXT,
    consent_version TEXT NOT NULL,
    consent_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    purge_after     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX reservations_by_equipment ON reservations (equipment, date, start_min);
CREATE INDEX reservations_by_facility ON reservations (facility, date, start_min);
CREATE INDEX reservations_by_person ON reservations (person_key) WHERE person_key IS NOT NULL;
CREATE INDEX reservations_by_purge ON reservations (purge_after) WHERE name IS NOT NULL;

-- One row per held slot: the primary key is what makes a double booking impossible.
CREATE TABLE slot_holds (
    equipment TEXT NOT NULL,
    date      TEXT NOT NULL,
    start_min INTEGER NOT NULL,
    code      TEXT NOT NULL,
    PRIMARY KEY (equipment, date, start_min)
) WITHOUT ROWID;
CREATE INDEX slot_holds_by_code ON slot_holds (code);

CREATE TABLE quota_usage (
    person_key TEXT NOT NULL,
    week_start TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    PRIMARY KEY (person_key, week_start)
) WITHOUT ROWID;

CREATE TABLE idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    token       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency (created_at);

CREATE TABLE applications (
    code            TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL,
    target_kind     TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    facility        TEXT,
    status          TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    answers         TEXT NOT NULL,
    person_key      TEXT,
    name            TEXT,
    phone           TEXT,
    business        TEXT,
    email           TEXT,
    consent_version TEXT NOT NULL,
    consent_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    purge_after     TEXT NOT NULL,
    UNIQUE (target_kind, target_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX applications_one_per_person ON applications (target_kind, target_id, person_key)
    WHERE person_key IS NOT NULL AND status NOT IN ('cancelled', 'rejected');
CREATE INDEX applications_by_status ON applications (target_kind, target_id, status, seq);
CREATE INDEX applications_by_facility ON applications (facility);
CREATE INDEX applications_by_person ON applications (person_key) WHERE person_key IS NOT NULL;

CREATE TABLE target_seq (
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    last_seq    INTEGER NOT NULL,
    PRIMARY KEY (target_kind, target_id)
) WITHOUT ROWID;

CREATE TABLE survey_responses (
    subject      TEXT PRIMARY KEY,
    survey       TEXT NOT NULL,
    facility     TEXT,
    answers      TEXT NOT NULL,
    submitted_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_responses_by_survey ON survey_responses (survey, submitted_at);
";

/// Version 2 changes no table: it marks the files written with
/// `secure_delete` on. A database from before is vacuumed once on the way
/// (see [`migrate`]), which wipes what earlier purges left in free space.
const V2_SECURE_DELETE: &str = "";

/// Attempt counters (`Store::count_attempt`): one row per key and fixed
/// window; times in microseconds since the epoch, like every other column.
const V3_ATTEMPTS: &str = "
CREATE TABLE attempts (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE INDEX attempts_by_expiry ON attempts (expires_at);
";

/// Staff sessions (so that signing out ends them on the server), and the
/// idempotency records written before tokens were sealed are dropped: they
/// held management tokens in plain text.
const V4_SESSIONS: &str = "
CREATE TABLE staff_sessions (
    id      TEXT PRIMARY KEY,
    entry   TEXT NOT NULL,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires);
DELETE FROM idempotency;
";

/// The outbox: messages written with the change that causes them, sent by
/// the dispatcher. `due` is the next time the message may be claimed (the
/// end of the lease while a dispatcher holds it); the partial index keeps
/// the queue small however many messages were ever sent. No personal data:
/// the recipient is the record (`subject`), the link token is sealed.
const V5_OUTBOX: &str = "
CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    subject      TEXT NOT NULL,
    event        TEXT NOT NULL,
    channel      TEXT NOT NULL,
    params       TEXT NOT NULL,
    link_path    TEXT,
    link_sealed  TEXT,
    due          INTEGER NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_error   TEXT,
    lease_owner  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    purge_after  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX outbox_queue ON outbox (due) WHERE status = 'queued';
CREATE INDEX outbox_by_subject ON outbox (subject, created_at);
CREATE INDEX outbox_by_purge ON outbox (purge_after);
";

/// A target (a job posting) closed by staff (`Store::set_target_closed`):
/// when, in microseconds since the epoch; `NULL` while open.
const V6_CLOSED_TARGETS: &str = "
ALTER TABLE target_seq ADD COLUMN closed_at INTEGER;
";

/// The person's choice of message channels (`Notify::as_str`); `NULL`
/// for records made before the forms asked (both), and after a purge.
const V7_NOTIFY: &str = "
ALTER TABLE reservations ADD COLUMN notify TEXT;
ALTER TABLE applications ADD COLUMN notify TEXT;
";

/// 내 예약·신청: one-time codes (one per person key: a keyed hash of the
/// code, its expiry and the wrong tries) and the person sessions opened
/// with them. A code's expiry in microseconds since the epoch, a session's
/// in seconds (as staff sessions).
const V8_MY: &str = "
CREATE TABLE one_time_codes (
    person_key TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    expires    INTEGER NOT NULL,
    attempts   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX one_time_codes_by_expiry ON one_time_codes (expires);
CREATE TABLE person_sessions (
    id         TEXT PRIMARY KEY,
    person_key TEXT NOT NULL,
    expires    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_sessions_by_expiry ON person_sessions (expires);
";

/// Closures by staff (임시 휴관 with `equipment` NULL, 장비 사용 중지) in
/// whole days `from_date..=to_date` (`YYYY-MM-DD`, compared as text), and
/// the staff audit log, append-only (triggers refuse updates and deletes).
const V9_CLOSURES_AUDIT: &str = "
CREATE TABLE closures (
    id         TEXT PRIMARY KEY,
    facility   TEXT NOT NULL,
    equipment  TEXT,
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    note       TEXT NOT NULL,
    staff      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX closures_by_facility ON closures (facility, to_date);
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    staff  TEXT NOT NULL,
    action TEXT NOT NULL,
    record TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// 전화·방문 접수: a reservation staff took on someone's behalf records
/// how consent was given, the staff entry and the waived rules (JSON of
/// `StaffBooking`; no personal data).
const V10_STAFF_BOOKINGS: &str = "
ALTER TABLE reservations ADD COLUMN taken_by_staff TEXT;
";

/// Training records (교육 수료 기록): the keyed hash of the person, the
/// programme and the day, kept past the personal-data purge until
/// `TrainingRecord::keep_until`.
const V11_TRAINING_RECORDS: &str = "
CREATE TABLE training_records (
    person_key  TEXT NOT NULL,
    programme   TEXT NOT NULL,
    completed   TEXT NOT NULL,
    entry       TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    keep_until  TEXT NOT NULL,
    PRIMARY KEY (person_key, programme, completed)
) WITHOUT ROWID;
CREATE INDEX training_records_by_age ON training_records (keep_until);
";

/// The language a reservation or application was made in (`en` for the
/// English edition; NULL is Korean): its messages and management link are
/// in that language.
const V12_LANG: &str = "
ALTER TABLE reservations ADD COLUMN lang TEXT;
ALTER TABLE applications ADD COLUMN lang TEXT;
";

/// Who cancelled a reservation (`CancelledBy::as_str`: applicant, staff,
/// closure), written with the status 취소; NULL otherwise, and for
/// reservations cancelled before this version (기록 없음).
const V13_CANCELLED_BY: &str = "
ALTER TABLE reservations ADD COLUMN cancelled_by TEXT;
";

/// Schema versions in order; `user_version` counts those applied.
const MIGRATIONS: [&str; 13] = [
    V1,
    V2_SECURE_DELETE,
    V3_ATTEMPTS,
    V4_SESSIONS,
    V5_OUTBOX,
    V6_CLOSED_TARGETS,
    V7_NOTIFY,
    V8_MY,
    V9_CLOSURES_AUDIT,
    V10_STAFF_BOOKINGS,
    V11_TRAINING_RECORDS,
    V12_LANG,
    V13_CANCELLED_BY,
];

pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let before: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // Purges before version 2 blanked personal data without overwriting it:
    // the old bytes may still sit in free space. VACUUM rewrites the file
    // from its live content (it cannot run inside a transaction).
    if before == 1 {
        wipe_free_space(conn);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()
}

/// Rewrites the database without its free space and empties the
/// write-ahead log. A failure (another process holding the file) is logged,
/// not fatal: the store works all the same, and `VACUUM` can be run by hand.
fn wipe_free_space(conn: &Connection) {
    let done = vacuum(conn).and_then(|()| {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    match done {
        Ok(0) => tracing::info!("sqlite: vacuumed once to wipe data purged before secure_delete"),
        Ok(_) => {
            tracing::warn!("sqlite: vacuumed, but the write-ahead log could not be emptied yet")
        }
        Err(e) => {
            tracing::warn!(error = %e, "sqlite: could not vacuum to wipe data purged before secure_delete; run VACUUM by hand")
        }
    }
}
