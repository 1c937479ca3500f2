//! The writer thread's work and its group commit: write operations waiting
//! together share one `BEGIN IMMEDIATE` transaction, each in a savepoint of
//! its own (a failed one is rolled back alone), and are answered only after
//! the `COMMIT` (with `synchronous = FULL`, one fsync for the group).
//!
//! The transaction and savepoint statements are prepared once and kept in
//! the connection's statement cache (as are the write operations' own), so
//! a booking costs the writer no SQL parsing.

use rusqlite::Connection;

use crate::{Error, Result};

#[cfg(test)]
use super::db;

/// Work for the writer thread.
pub(super) enum Job {
    /// A write operation, run inside the writer's transaction in a savepoint
    /// of its own.
    Grouped(Box<dyn WriteOp>),
    /// Anything that manages its own transactions or must run outside one
    /// (purge and its checkpoint, migrations, reads of an in-memory
    /// database): runs alone, after the group before it has committed.
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
}

pub(super) type Finish = Box<dyn FnOnce(Option<&str>) + Send>;

/// A write operation of a group.
pub(super) trait WriteOp: Send {
    /// Runs the operation and says whether it succeeded (else its savepoint
    /// is rolled back), with what to do once the transaction's fate is
    /// known: `None` when it committed, the failure otherwise.
    fn run(self: Box<Self>, conn: &Connection) -> (bool, Finish);
    /// Answers without running: no transaction could be opened.
    fn fail(self: Box<Self>, why: &str);
}

pub(super) struct Op<F, T> {
    pub(super) f: F,
    pub(super) tx: tokio::sync::oneshot::Sender<Result<T>>,
}

impl<F, T> WriteOp for Op<F, T>
where
    F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    fn run(self: Box<Self>, conn: &Connection) -> (bool, Finish) {
        let Op { f, tx } = *self;
        let out = f(conn);
        let ok = out.is_ok();
        let finish: Finish = Box::new(move |failed: Option<&str>| {
            let out = match failed {
                Some(why) if ok => Err(Error::storage(
                    "committing a group of writes",
                    GroupFailed(why.to_owned()),
                )),
                // Committed, or the operation's own error (which says more).
                _ => out,
            };
            let _ = tx.send(out);
        });
        (ok, finish)
    }

    fn fail(self: Box<Self>, why: &str) {
        let _ = self.tx.send(Err(Error::storage(
            "starting a group of writes",
            GroupFailed(why.to_owned()),
        )));
    }
}

/// The most write operations committed together.
pub(super) const MAX_GROUP: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct GroupFailed(String);

/// Runs the jobs the writer took from its queue, in order: consecutive
/// write operations share one transaction, each in its own savepoint, and
/// are answered after its `COMMIT`; a job that runs alone closes the group
/// before it.
pub(super) fn run_jobs(conn: &mut Connection, jobs: Vec<Job>) {
    let mut pending: Vec<Finish> = Vec::new();
    let mut open = false;
    for job in jobs {
        match job {
            Job::Alone(f) => {
                finish_group(conn, &mut open, &mut pending);
                f(conn);
            }
            Job::Grouped(op) => {
                if !open {
                    if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
                        op.fail(&format!("starting a transaction: {e}"));
                        continue;
                    }
                    open = true;
                }
                if let Err(e) = exec(conn, "SAVEPOINT op") {
                    op.fail(&format!("starting a savepoint: {e}"));
                    continue;
                }
                let (ok, finish) = op.run(conn);
                let closed = if ok {
                    exec(conn, "RELEASE op")
                } else {
                    exec(conn, "ROLLBACK TO op").and_then(|()| exec(conn, "RELEASE op"))
                };
                pending.push(finish);
                if let Err(e) = closed {
                    // The transaction is in an unknown state: give it up.
                    let why = format!("closing a savepoint: {e}");
                    let _ = conn.execute_batch("ROLLBACK");
                    open = false;
                    for f in pending.drain(..) {
                        f(Some(&why));
                    }
                }
            }
        }
    }
    finish_group(conn, &mut open, &mut pending);
}

/// Runs one transaction-control statement from the statement cache.
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// Commits the open group (if any) and answers its operations.
fn finish_group(conn: &Connection, open: &mut bool, pending: &mut Vec<Finish>) {
    if !*open {
        return;
    }
    *open = false;
    let failed = exec(conn, "COMMIT").err().map(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        format!("committing: {e}")
    });
    for f in pending.drain(..) {
        f(failed.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use std::sync::{Arc, Mutex};

    fn op<T: Send + 'static>(
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> (Job, tokio::sync::oneshot::Receiver<Result<T>>) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        (Job::Grouped(Box::new(Op { f, tx })), rx)
    }

    fn insert(name: &'static str, then_fail: bool) -> impl FnOnce(&Connection) -> Result<()> {
        move |c| {
            c.execute("INSERT INTO t (name) VALUES (?1)", [name])
                .map_err(db("inserting"))?;
            if then_fail {
                return Err(Error::new(Code::SlotTaken));
            }
            Ok(())
        }
    }

    /// A group commits its successful operations together; a failed one is
    /// rolled back alone (its own writes included), and nobody is answered
    /// before the commit.
    #[test]
    fn a_group_commits_together_and_rolls_back_a_failed_operation_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (name TEXT PRIMARY KEY)")
            .unwrap();
        let (a, mut ra) = op(insert("a", false));
        let (b, mut rb) = op(insert("b", true));
        let (c, mut rc) = op(insert("c", false));
        let (dup, mut rdup) = op(insert("a", false));
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen2 = seen.clone();
        // A job alone in the middle sees what the group before it committed.
        let alone = Job::Alone(Box::new(move |c: &mut Connection| {
            let n: Vec<String> = c
                .prepare("SELECT name FROM t ORDER BY name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            *seen2.lock().unwrap() = n;
        }));
        let (d, mut rd) = op(insert("d", false));
        run_jobs(&mut conn, vec![a, b, c, dup, alone, d]);
        assert!(ra.try_recv().unwrap().is_ok());
        assert!(rb.try_recv().unwrap().unwrap_err().is(Code::SlotTaken));
        assert!(rc.try_recv().unwrap().is_ok());
        assert!(
            rdup.try_recv().unwrap().is_err(),
            "a duplicate key fails alone"
        );
        assert!(rd.try_recv().unwrap().is_ok());
        assert_eq!(*seen.lock().unwrap(), ["a", "c"]);
        let all: Vec<String> = conn
            .prepare("SELECT name FROM t ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(all, ["a", "c", "d"]);
        assert!(conn.is_autocommit(), "no transaction left open");
    }
}
