//! The embedded store: one SQLite file in WAL mode.
//!
//! * One dedicated writer thread owns the only writing connection. Write
//!   operations waiting together are committed together (group commit):
//!   one `BEGIN IMMEDIATE` transaction, each operation in a savepoint of its
//!   own (an operation that fails is rolled back alone), one `COMMIT` with
//!   one fsync of the log (`synchronous = FULL`), and only then is each
//!   operation answered. So an acknowledged booking survives a power cut,
//!   and the cost of the fsync is shared by everything that waited for it.
//!   `BEGIN IMMEDIATE` plus a busy timeout also keeps two processes on one
//!   file correct.
//! * A checkpoint thread with a connection of its own copies the log into
//!   the database file beside the writer (`checkpoint.rs`), instead of
//!   inside a commit that waiting operations are answered after.
//! * Reads run on a pool of eight read-only connections via
//!   `spawn_blocking` (at most eight at once; each connection keeps its
//!   statements prepared); WAL lets them proceed while the writer writes.
//! * Unique keys enforce the invariants a second time, whatever the code
//!   above does: `slot_holds` (equipment, day, start), `idempotency` (key),
//!   one active application per person and target (a partial unique index),
//!   one survey response per subject.

mod checkpoint;
mod closures;
mod my;
mod outbox;
mod rekey;
mod rows;
mod schema;
mod writer;
mod writes;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sbiz_catalog::{Date, Id};

use super::{
    Admission, ApplicationChange, ApplicationFilter, CodeCheck, Created, IDEMPOTENCY_HOURS,
    NewApplication, NewReservation, OneTimeCode, PersonHistory, PersonRecords, PersonSession,
    PurgeReport, Reschedule, ReservationFilter, StaffSession, StatusChange, Store, TakenSlot,
};
use crate::domain::{
    Application, ApplicationCode, ApplicationStatus, AuditEntry, AuditFilter, CancelledBy, Closure,
    IdempotencyRequest, ManageToken, MessageId, MessageOutcome, NewMessage, OutboxMessage,
    PersonKey, Reservation, ReservationCode, ReservationStatus, Subject, SurveyResponse, Target,
    TrainingRecord,
};
use crate::{Code, Error, Result};
use writer::{Job, MAX_GROUP, Op, run_jobs};
use writes::*;

/// A cloneable handle; the writer thread stops when the last handle drops.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: Mutex<mpsc::Sender<Job>>,
    /// `None` for an in-memory database: reads go through the writer.
    path: Option<PathBuf>,
    readers: Mutex<Vec<Connection>>,
    /// At most [`READERS`] reads at once, so that the pool's connections
    /// serve them all: a read never opens (and then closes) a connection of
    /// its own under load.
    reading: tokio::sync::Semaphore,
    /// Delete the files when the last handle drops (tests, benchmarks).
    temporary: bool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let (true, Some(path)) = (self.temporary, &self.path) {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct StoreFault(&'static str);

/// Read-only connections, and so reads at once.
const READERS: usize = 8;

pub(super) fn db(context: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |e| Error::storage(context, e)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and brings its
    /// schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(db("opening the database"))?;
        Self::start(conn, Some(path), false)
    }

    /// A database file of its own in the system's temporary directory,
    /// deleted when the last handle drops: the real file setup (WAL, the
    /// reader pool) for tests and benchmarks.
    pub fn temporary() -> Result<SqliteStore> {
        let mut b = [0u8; 8];
        crate::domain::random_bytes(&mut b);
        let path = std::env::temp_dir().join(format!(
            "sbiz-{}-{}.sqlite3",
            std::process::id(),
            hex::encode(b)
        ));
        let conn = Connection::open(&path).map_err(db("opening the database"))?;
        Self::start(conn, Some(path), true)
    }

    /// A private database in memory, gone when the store is dropped.
    pub fn in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory().map_err(db("opening the database"))?;
        Self::start(conn, None, false)
    }

    fn start(mut conn: Connection, path: Option<PathBuf>, temporary: bool) -> Result<SqliteStore> {
        schema::configure(&conn).map_err(db("configuring the database"))?;
        schema::migrate(&mut conn).map_err(db("creating the schema"))?;
        let checkpoints = match &path {
            Some(path) => Some(checkpoint::start(&mut conn, path)?),
            None => None,
        };
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                if let Some(c) = &checkpoints {
                    c.adopt();
                }
                while let Ok(first) = rx.recv() {
                    let mut jobs = vec![first];
                    while jobs.len() < MAX_GROUP {
                        match rx.try_recv() {
                            Ok(job) => jobs.push(job),
                            Err(_) => break,
                        }
                    }
                    run_jobs(&mut conn, jobs);
                }
                if let Some(c) = checkpoints {
                    c.stop(&mut conn);
                }
            })
            .map_err(|e| Error::storage("starting the writer thread", e))?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                jobs: Mutex::new(tx),
                path,
                readers: Mutex::new(Vec::new()),
                reading: tokio::sync::Semaphore::new(READERS),
                temporary,
            }),
        })
    }

    /// Runs `f` alone on the writer thread, outside the group transactions
    /// (it opens its own, if any).
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job = Job::Alone(Box::new(move |conn| {
            let _ = tx.send(f(conn));
        }));
        self.send(job, rx).await
    }

    /// Runs the write operation `f` atomically on the writer thread, in the
    /// next group commit; answers once it is durable (or failed).
    async fn write_tx<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(Job::Grouped(Box::new(Op { f, tx })), rx).await
    }

    async fn send<T>(&self, job: Job, rx: tokio::sync::oneshot::Receiver<Result<T>>) -> Result<T> {
        let sent = self
            .inner
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job);
        sent.map_err(|_| {
            Error::storage(
                "sending to the writer",
                StoreFault("the writer thread has stopped"),
            )
        })?;
        rx.await.map_err(|_| {
            Error::storage(
                "waiting for the writer",
                StoreFault("the writer thread has stopped"),
            )
        })?
    }

    /// Runs `f` on a read-only connection from the pool.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let Some(path) = self.inner.path.clone() else {
            return self.write(move |c| f(c)).await;
        };
        let inner = self.inner.clone();
        let _slot = self
            .inner
            .reading
            .acquire()
            .await
            .map_err(|e| Error::storage("waiting for a reader", e))?;
        tokio::task::spawn_blocking(move || {
            let pooled = inner
                .readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop();
            let conn = match pooled {
                Some(c) => c,
                None => {
                    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let c = Connection::open_with_flags(&path, flags)
                        .map_err(db("opening a reader"))?;
                    schema::configure_reader(&c).map_err(db("configuring a reader"))?;
                    c
                }
            };
            let out = f(&conn);
            let mut pool = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
            if pool.len() < READERS {
                pool.push(conn);
            }
            out
        })
        .await
        .map_err(|e| Error::storage("running a read", e))?
    }
}

fn purge_tx(conn: &mut Connection, today: Date, now: Timestamp) -> Result<PurgeReport> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db("starting a transaction"))?;
    let today_s = today.to_string();
    let reservations = tx
        .execute(
            "UPDATE reservations SET name = NULL, phone = NULL, business = NULL, email = NULL, notify = NULL,
                 person_key = NULL
             WHERE purge_after < ?1 AND (name IS NOT NULL OR person_key IS NOT NULL)",
            [&today_s],
        )
        .map_err(db("purging reservations"))? as u64;
    let applications = tx
        .execute(
            "UPDATE applications SET name = NULL, phone = NULL, business = NULL, email = NULL, notify = NULL,
                 person_key = NULL,
                 answers = '{}'
             WHERE purge_after < ?1 AND (name IS NOT NULL OR person_key IS NOT NULL OR answers != '{}')",
            [&today_s],
        )
        .map_err(db("purging applications"))? as u64;
    let cutoff = now.as_microsecond() - IDEMPOTENCY_HOURS * 3_600_000_000;
    let idempotency_records = tx
        .execute("DELETE FROM idempotency WHERE created_at < ?1", [cutoff])
        .map_err(db("purging idempotency"))? as u64;
    tx.execute(
        "DELETE FROM staff_sessions WHERE expires < ?1",
        [now.as_second()],
    )
    .map_err(db("purging staff sessions"))?;
    // Quota counters name a person (by key); weeks long gone are not needed.
    tx.execute(
        "DELETE FROM quota_usage WHERE week_start < ?1",
        [today.add_days(-14).to_string()],
    )
    .map_err(db("purging quota counters"))?;
    let attempt_counters = tx
        .execute(
            "DELETE FROM attempts WHERE expires_at < ?1",
            [now.as_microsecond()],
        )
        .map_err(db("purging attempt counters"))? as u64;
    // Training records outlive the personal data, until their own end.
    tx.execute(
        "DELETE FROM training_records WHERE keep_until < ?1",
        [&today_s],
    )
    .map_err(db("purging training records"))?;
    let messages = outbox::purge(&tx, today)?;
    let survey_texts = rows::purge_survey_text(&tx, &today_s)?;
    my::purge(&tx, now)?;
    tx.commit().map_err(db("committing a purge"))?;
    // Personal data (or a management token) was removed: wipe the log too.
    if reservations + applications + idempotency_records + messages + survey_texts > 0 {
        wipe_wal(conn);
    }
    Ok(PurgeReport {
        reservations,
        applications,
        idempotency_records,
        attempt_counters,
    })
}

/// One atomic upsert (the writer runs one statement at a time; across
/// processes SQLite's write lock does the same).
fn count_attempt_tx(
    conn: &Connection,
    key: &str,
    window_start: Timestamp,
    expires: Timestamp,
    add: u32,
) -> Result<u32> {
    let count: i64 = conn
        .query_row(
            "INSERT INTO attempts (key, window_start, count, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key, window_start) DO UPDATE
                 SET count = count + excluded.count, expires_at = MAX(expires_at, excluded.expires_at)
             RETURNING count",
            params![
                key,
                window_start.as_microsecond(),
                add,
                expires.as_microsecond()
            ],
            |r| r.get(0),
        )
        .map_err(db("counting an attempt"))?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

fn attempts(conn: &Connection, key: &str, window_start: Timestamp) -> Result<u32> {
    let count: Option<i64> = conn
        .query_row(
            "SELECT count FROM attempts WHERE key = ?1 AND window_start = ?2",
            params![key, window_start.as_microsecond()],
            |r| r.get(0),
        )
        .optional()
        .map_err(db("reading an attempt counter"))?;
    Ok(count.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
}

/// Copies everything in the write-ahead log into the database file and
/// truncates the log to nothing, so that the pages a purge replaced (which
/// still hold the personal data) are gone from the `-wal` file too; in the
/// database file `secure_delete` has zeroed what the purge freed. Waits for
/// readers (the busy timeout); when one keeps an old snapshot open the log
/// stays until the next purge, and the failure is logged.
fn wipe_wal(conn: &Connection) {
    let done = checkpoint::exclusive(|| {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    match done {
        Ok(0) => {}
        Ok(_) => tracing::warn!(
            "sqlite: the write-ahead log could not be emptied after a purge (a reader was busy); it will be at the next purge"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "sqlite: emptying the write-ahead log after a purge failed")
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn create_reservation(&self, new: NewReservation) -> Result<Created<Reservation>> {
        self.write_tx(move |c| create_reservation_tx(c, new)).await
    }

    async fn reservation(&self, code: &ReservationCode) -> Result<Option<Reservation>> {
        let code = *code;
        self.read(move |c| rows::reservation_by_code(c, code.compact()))
            .await
    }

    async fn set_reservation_status(
        &self,
        code: &ReservationCode,
        change: StatusChange<ReservationStatus>,
    ) -> Result<Reservation> {
        let code = *code;
        self.write_tx(move |c| set_reservation_status_tx(c, &code, change))
            .await
    }

    async fn reschedule_reservation(
        &self,
        code: &ReservationCode,
        mv: Reschedule,
    ) -> Result<Reservation> {
        let code = *code;
        self.write_tx(move |c| reschedule_reservation_tx(c, &code, mv))
            .await
    }

    async fn taken_slots(&self, equipment: &Id, from: Date, to: Date) -> Result<Vec<TakenSlot>> {
        let equipment = equipment.clone();
        self.read(move |c| rows::taken_slots(c, &equipment, from, to))
            .await
    }

    async fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>> {
        let filter = filter.clone();
        self.read(move |c| rows::reservations(c, &filter)).await
    }

    async fn person_history(&self, person: &PersonKey) -> Result<PersonHistory> {
        let person = person.clone();
        self.read(move |c| rows::person_history(c, &person)).await
    }

    async fn record_training(&self, record: TrainingRecord) -> Result<()> {
        self.write_tx(move |c| record_training_tx(c, &record)).await
    }

    async fn training_records(&self, person: &PersonKey) -> Result<Vec<TrainingRecord>> {
        let person = person.clone();
        self.read(move |c| rows::training_records(c, &person)).await
    }

    async fn rekey_persons(&self, secret: &crate::domain::ServerKey) -> Result<u64> {
        let secret = secret.clone();
        let done = self
            .write(move |c| rekey::rekey_persons_tx(c, &secret))
            .await?;
        if done.duplicates > 0 {
            tracing::warn!(
                applications = done.duplicates,
                "sqlite: applications left on the legacy person key: their person applied again to the same target meanwhile; cancel one of the two"
            );
        }
        Ok(done.moved)
    }

    async fn apply(&self, new: NewApplication) -> Result<Created<Application>> {
        self.write_tx(move |c| apply_tx(c, new)).await
    }

    async fn application(&self, code: &ApplicationCode) -> Result<Option<Application>> {
        let code = *code;
        self.read(move |c| rows::application_by_code(c, code.compact()))
            .await
    }

    async fn set_application_status(
        &self,
        code: &ApplicationCode,
        change: StatusChange<ApplicationStatus>,
    ) -> Result<ApplicationChange> {
        let code = *code;
        self.write_tx(move |c| set_application_status_tx(c, &code, change))
            .await
    }

    async fn applications(&self, filter: &ApplicationFilter) -> Result<Vec<Application>> {
        let filter = filter.clone();
        self.read(move |c| rows::applications(c, &filter)).await
    }

    async fn set_target_closed(&self, target: &Target, closed: Option<Timestamp>) -> Result<()> {
        let target = target.clone();
        self.write_tx(move |c| set_target_closed_tx(c, &target, closed))
            .await
    }

    async fn target_closed(&self, target: &Target) -> Result<Option<Timestamp>> {
        let (kind, id) = (target.kind.as_str(), target.id.to_string());
        let at = self.read(move |c| target_closed_at(c, kind, &id)).await?;
        at.map(|micros| {
            Timestamp::from_microsecond(micros)
                .map_err(|_| Error::storage("reading a closed target", StoreFault("time")))
        })
        .transpose()
    }

    async fn submit_survey(&self, response: SurveyResponse) -> Result<()> {
        self.write_tx(move |c| rows::insert_survey(c, &response))
            .await
    }

    async fn survey_responses(&self, survey: &Id) -> Result<Vec<SurveyResponse>> {
        let survey = survey.clone();
        self.read(move |c| rows::survey_responses(c, &survey)).await
    }

    async fn has_survey_response(
        &self,
        survey: &Id,
        subject: &crate::domain::Subject,
    ) -> Result<bool> {
        let (survey, subject) = (survey.clone(), subject.key());
        self.read(move |c| rows::has_survey_response(c, &survey, &subject))
            .await
    }

    async fn create_staff_session(&self, session: StaffSession) -> Result<()> {
        self.write_tx(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO staff_sessions (id, entry, expires) VALUES (?1, ?2, ?3)",
                params![session.id, session.entry, session.expires.as_second()],
            )
            .map(drop)
            .map_err(db("storing a staff session"))
        })
        .await
    }

    async fn staff_session(&self, id: &str) -> Result<Option<StaffSession>> {
        let id = id.to_owned();
        self.read(move |c| {
            c.query_row(
                "SELECT entry, expires FROM staff_sessions WHERE id = ?1",
                [&id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()
            .map_err(db("reading a staff session"))?
            .map(|(entry, expires)| {
                Ok(StaffSession {
                    id: id.clone(),
                    entry,
                    expires: Timestamp::from_second(expires).map_err(|_| {
                        Error::storage("reading a staff session", StoreFault("bad expiry"))
                    })?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn end_staff_session(&self, id: &str) -> Result<()> {
        let id = id.to_owned();
        self.write_tx(move |c| {
            c.execute("DELETE FROM staff_sessions WHERE id = ?1", [&id])
                .map(drop)
                .map_err(db("ending a staff session"))
        })
        .await
    }

    async fn renew_staff_session(&self, id: &str, expires: Timestamp) -> Result<bool> {
        let id = id.to_owned();
        self.write_tx(move |c| {
            c.execute(
                "UPDATE staff_sessions SET expires = ?2 WHERE id = ?1 AND expires < ?2",
                params![id, expires.as_second()],
            )
            .map(|n| n > 0)
            .map_err(db("renewing a staff session"))
        })
        .await
    }

    async fn put_one_time_code(&self, code: OneTimeCode) -> Result<()> {
        self.write_tx(move |c| my::put_code(c, &code)).await
    }

    async fn check_one_time_code(
        &self,
        person: &PersonKey,
        hash: &str,
        now: Timestamp,
        max_attempts: u32,
    ) -> Result<CodeCheck> {
        let (person, hash) = (person.clone(), hash.to_owned());
        self.write_tx(move |c| my::check_code(c, &person, &hash, now, max_attempts))
            .await
    }

    async fn create_person_session(&self, session: PersonSession) -> Result<()> {
        self.write_tx(move |c| my::create_session(c, &session))
            .await
    }

    async fn person_session(&self, id: &str) -> Result<Option<PersonSession>> {
        let id = id.to_owned();
        self.read(move |c| my::session(c, &id)).await
    }

    async fn end_person_session(&self, id: &str) -> Result<()> {
        let id = id.to_owned();
        self.write_tx(move |c| my::end_session(c, &id)).await
    }

    async fn records_of_person(&self, person: &PersonKey) -> Result<PersonRecords> {
        let person = person.clone();
        self.read(move |c| rows::records_of_person(c, &person))
            .await
    }

    async fn count_attempt(
        &self,
        key: &str,
        window_start: Timestamp,
        expires: Timestamp,
        add: u32,
    ) -> Result<u32> {
        let key = key.to_owned();
        if add == 0 {
            return self.read(move |c| attempts(c, &key, window_start)).await;
        }
        self.write_tx(move |c| count_attempt_tx(c, &key, window_start, expires, add))
            .await
    }

    async fn purge(&self, today: Date, now: Timestamp) -> Result<PurgeReport> {
        self.write(move |c| purge_tx(c, today, now)).await
    }

    async fn enqueue_messages(
        &self,
        subject: &Subject,
        messages: Vec<NewMessage>,
        now: Timestamp,
    ) -> Result<()> {
        let subject = subject.clone();
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db("starting a transaction"))?;
            let purge_after = outbox::record_purge_after(&tx, &subject)?
                .ok_or_else(|| Error::new(Code::NotFound))?;
            outbox::insert(&tx, &subject, purge_after, now, messages)?;
            tx.commit().map_err(db("committing messages"))
        })
        .await
    }

    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>> {
        let owner = owner.to_owned();
        self.write(move |c| outbox::claim(c, now, lease_until, &owner, limit))
            .await
    }

    async fn finish_message(
        &self,
        _subject: &Subject,
        id: &MessageId,
        owner: &str,
        outcome: MessageOutcome,
    ) -> Result<bool> {
        let (id, owner) = (id.clone(), owner.to_owned());
        self.write(move |c| outbox::finish(c, &id, &owner, outcome))
            .await
    }

    async fn messages_of(&self, subject: &Subject) -> Result<Vec<OutboxMessage>> {
        let subject = subject.clone();
        self.read(move |c| outbox::of_subject(c, &subject)).await
    }

    async fn create_closure(&self, closure: Closure) -> Result<()> {
        self.write_tx(move |c| closures::insert(c, &closure)).await
    }

    async fn closures(&self, facility: Option<&Id>, from: Date) -> Result<Vec<Closure>> {
        let facility = facility.cloned();
        self.read(move |c| closures::list(c, facility.as_ref(), from))
            .await
    }

    async fn remove_closure(&self, id: &str) -> Result<Closure> {
        let id = id.to_owned();
        self.write_tx(move |c| closures::remove(c, &id)).await
    }

    async fn append_audit(&self, entry: AuditEntry) -> Result<()> {
        self.write_tx(move |c| closures::append_audit(c, &entry))
            .await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let filter = filter.clone();
        self.read(move |c| closures::audit_entries(c, &filter))
            .await
    }
}
