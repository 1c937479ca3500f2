//! WAL checkpoints beside the writer instead of inside its commits.
//!
//! SQLite's automatic checkpoint runs inside the `COMMIT` that brings the
//! log past 1,000 pages: the writer copies the log into the database file
//! and syncs that file before the group's bookings are answered, and every
//! booking waiting behind the group waits too. Here the writer's commit only
//! nudges a checkpoint thread (its own connection, `synchronous = FULL`),
//! which copies and syncs while the writer goes on committing.
//!
//! The log can only start again from its beginning when a write transaction
//! begins with everything in it copied; a checkpoint running beside a busy
//! writer rarely leaves that moment. So once the log holds
//! [`WRITER_CHECKPOINT_PAGES`] the writer checkpoints itself after its
//! commit (after the thread's checkpoint, if one is running), as SQLite
//! would have done, and the log restarts: it stays under about 17 MB. Most
//! of that log has by then been copied by the thread, so the writer's share
//! is short.
//!
//! Durability does not depend on any of this: a commit is durable once its
//! frames are synced in the log (`synchronous = FULL`), before the writer
//! answers. A checkpoint only copies what the log already holds, and syncs
//! the database file before the log may be overwritten.

use std::cell::RefCell;
use std::os::raw::c_int;
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::Connection;
use rusqlite::wal::CheckpointMode;

use super::db;
use crate::{Error, Result};

/// Log pages after a commit that wake the checkpoint thread (SQLite's own
/// automatic checkpoint threshold).
pub(super) const THREAD_CHECKPOINT_PAGES: c_int = 1000;

/// Log pages after a commit at which the writer checkpoints itself, so that
/// the log restarts.
pub(super) const WRITER_CHECKPOINT_PAGES: c_int = 4000;

/// Held while a checkpoint runs (see [`start`]).
type Running = Arc<Mutex<()>>;

thread_local! {
    /// On the writer thread: its database's [`Running`].
    static WRITER: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// Runs `f` (a checkpoint of the writer's own, such as the log's wipe after
/// a purge) once the checkpoint thread has finished its current one: SQLite
/// would refuse the second checkpoint instead of waiting.
pub(super) fn exclusive<R>(f: impl FnOnce() -> R) -> R {
    match WRITER.with(|w| w.borrow().clone()) {
        Some(running) => {
            let _running = running.lock().unwrap_or_else(|p| p.into_inner());
            f()
        }
        None => f(),
    }
}

/// The checkpoint thread of a writer.
pub(super) struct Checkpoints {
    running: Running,
    thread: std::thread::JoinHandle<()>,
}

impl Checkpoints {
    /// On the writer thread: makes it wait for the checkpoint thread in
    /// [`exclusive`].
    pub(super) fn adopt(&self) {
        WRITER.with(|w| *w.borrow_mut() = Some(self.running.clone()));
    }

    /// Stops the thread and closes its connection, before the writer
    /// closes its own: the last connection to close copies the log into
    /// the database and deletes it, and that must be the writer's.
    pub(super) fn stop(self, writer: &mut Connection) {
        // Dropping the hook drops the thread's only sender.
        let _ =
            writer.wal_hook(None::<fn(&mut rusqlite::hooks::Wal, c_int) -> rusqlite::Result<()>>);
        let _ = self.thread.join();
    }
}

/// Starts the checkpoint thread on the database at `path` and hooks the
/// writer's connection to it (replacing SQLite's automatic checkpoint).
/// The writer thread adopts what it returns, and stops it before closing.
pub(super) fn start(writer: &mut Connection, path: &Path) -> Result<Checkpoints> {
    let conn = Connection::open(path).map_err(db("opening the checkpoint connection"))?;
    // The checkpoint syncs the database file before the log may be reused.
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .and_then(|()| conn.execute_batch("PRAGMA synchronous = FULL;"))
        .map_err(db("configuring the checkpoint connection"))?;
    let (nudge, nudged) = mpsc::sync_channel::<()>(1);
    // Held while a checkpoint runs: SQLite refuses a second checkpoint at
    // the same time instead of waiting, so the writer waits here for the
    // thread's to end rather than find its own refused.
    let running: Running = Arc::new(Mutex::new(()));
    let running2 = running.clone();
    let running3 = running.clone();
    let thread = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            // Ends when the writer's connection (and its hook) is dropped.
            while nudged.recv().is_ok() {
                let _running = running2.lock().unwrap_or_else(|p| p.into_inner());
                if let Err(e) = conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE) {
                    tracing::warn!(error = %e, "sqlite: a checkpoint failed; the next one retries");
                }
            }
        })
        .map_err(|e| Error::storage("starting the checkpoint thread", e))?;
    writer.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: c_int| {
        if pages >= WRITER_CHECKPOINT_PAGES {
            let _running = running3.lock().unwrap_or_else(|p| p.into_inner());
            // A failure is not the commit's: it has happened. The hook must
            // not report an error, or the COMMIT would seem to have failed.
            if let Err(e) = wal.checkpoint_v2(CheckpointMode::PASSIVE) {
                tracing::warn!(error = %e, "sqlite: the writer's checkpoint failed; the next one retries");
            }
        } else if pages >= THREAD_CHECKPOINT_PAGES {
            // Already nudged and not yet started: nothing to add.
            let _ = nudge.try_send(());
        }
        Ok(())
    }))
    .map_err(db("hooking the writer to the checkpoint thread"))?;
    Ok(Checkpoints { running, thread })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without SQLite's automatic checkpoint, a log written to without end
    /// would grow without end: the writer's own checkpoint lets it restart,
    /// so it never holds much more than [`WRITER_CHECKPOINT_PAGES`] pages,
    /// and everything committed is there.
    #[test]
    fn the_log_restarts_under_a_steady_writer() {
        let dir = std::env::temp_dir().join(format!(
            "sbiz-checkpoint-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        // No sync per commit: this test is about the log's size, and
        // thousands of syncs would only make it slow.
        conn.execute_batch(
            "PRAGMA synchronous = OFF; CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL);",
        )
        .unwrap();
        let checkpoints = start(&mut conn, &path).unwrap();
        let page = 4096u64;
        let commits = 120;
        let rows_per_commit = 100;
        for c in 0..commits {
            let tx = conn.transaction().unwrap();
            for r in 0..rows_per_commit {
                tx.execute(
                    "INSERT INTO t (id, b) VALUES (?1, zeroblob(?2))",
                    rusqlite::params![c * rows_per_commit + r, page as i64],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        // Each row fills more than a page: well past the threshold in all.
        assert!(commits * rows_per_commit > 2 * WRITER_CHECKPOINT_PAGES as i64);
        let wal = std::fs::metadata(dir.join("db.sqlite3-wal")).unwrap().len();
        // A log frame is a page and a 24-byte header; one commit more than
        // the threshold (two pages a row at most), and the log's header.
        let bound =
            (WRITER_CHECKPOINT_PAGES as u64 + 2 * rows_per_commit as u64 + 50) * (page + 24) + 32;
        assert!(
            wal <= bound,
            "the log holds {wal} bytes (at most {bound} expected)"
        );
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, commits * rows_per_commit);
        checkpoints.stop(&mut conn);
        drop(conn);
        assert!(
            !dir.join("db.sqlite3-wal").exists(),
            "the writer, closing last, removes the log"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
