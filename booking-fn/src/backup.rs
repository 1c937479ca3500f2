//! Online backup and offline restore of the SQLite store's file (the
//! self-hosted mode; `sbiz backup` and `sbiz restore`).
//!
//! * [`backup`] takes a consistent snapshot while the server keeps taking
//!   bookings: `VACUUM INTO` runs in one read transaction on its own
//!   connection, so the copy holds exactly the transactions committed before
//!   it started (WAL lets writers go on meanwhile). It writes to a temporary
//!   name beside the destination, checks the copy with
//!   `PRAGMA integrity_check`, syncs it and only then renames it into place.
//!   The copy is readable by its owner only (mode 0600), whatever the umask.
//! * [`restore`] puts a backup back while the server is stopped: it checks
//!   the backup, moves the current database (and its `-wal`/`-shm`) aside as
//!   `<db>.before-restore-<time>`, and renames a synced copy (mode 0600)
//!   into place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// What a backup or restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub path: PathBuf,
    pub bytes: u64,
    pub reservations: u64,
    pub applications: u64,
}

/// What `restore` did with the database it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub report: Report,
    /// The previous database, moved aside (`None` if there was none).
    pub previous: Option<PathBuf>,
}

fn err(context: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |e| Error::storage(context, e)
}

fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::storage(context, e)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens `path` read-only and checks it: `PRAGMA integrity_check` must say
/// `ok`, and it must hold the store's tables. Returns the record counts.
pub fn verify(path: &Path) -> Result<Report> {
    if !path.is_file() {
        return Err(Error::Config(format!("{} does not exist", path.display())));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err("opening the backup"))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(err("setting the busy timeout"))?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(err("checking integrity"))?;
    if problems != ["ok"] {
        return Err(Error::Config(format!(
            "{} fails the integrity check: {}",
            path.display(),
            problems.join("; ")
        )));
    }
    let count = |table: &str| -> Result<u64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n.max(0) as u64)
        .map_err(|e| {
            Error::Config(format!(
                "{} is not a booking database ({table}: {e})",
                path.display()
            ))
        })
    };
    Ok(Report {
        path: path.to_path_buf(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        reservations: count("reservations")?,
        applications: count("applications")?,
    })
}

fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io("syncing the copy"))
}

/// Creates `path` empty, readable and writable by its owner only (a copy
/// of everyone's personal data), whatever the process's umask: `VACUUM
/// INTO` and the restore then write into it and keep its mode.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(io("creating the copy"))
}

fn sync_dir(path: &Path) {
    // Make the rename durable; not every platform lets a folder be synced.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    } else {
        let _ = std::fs::File::open(".").and_then(|d| d.sync_all());
    }
}

/// Writes a consistent copy of the live database `db` to `dest` (which must
/// not exist), while other connections and processes keep writing.
pub fn backup(db: &Path, dest: &Path) -> Result<Report> {
    if !db.is_file() {
        return Err(Error::Config(format!("{} does not exist", db.display())));
    }
    if dest.exists() {
        return Err(Error::Config(format!(
            "{} already exists; choose a new name",
            dest.display()
        )));
    }
    let partial = with_suffix(dest, ".partial");
    let _ = std::fs::remove_file(&partial);
    create_private(&partial)?;
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err("opening the database"))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(err("setting the busy timeout"))?;
    let target = partial
        .to_str()
        .ok_or_else(|| Error::Config(format!("{} is not valid UTF-8", partial.display())))?;
    // Into the empty private file (SQLite accepts an empty one).
    let copied = conn.execute("VACUUM INTO ?1", [target]);
    drop(conn);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::storage("copying the database", e));
    }
    let report = match verify(&partial) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    sync_file(&partial)?;
    std::fs::rename(&partial, dest).map_err(io("renaming the copy into place"))?;
    sync_dir(dest);
    Ok(Report {
        path: dest.to_path_buf(),
        ..report
    })
}

/// Replaces the database `db` with the backup `from`. The server must be
/// stopped: a `db-wal` file means a server has (or had) it open, and is
/// refused unless `force` (after a crash, say). (An empty one counts: the
/// store empties the log after each purge while it keeps running; the last
/// connection to close deletes the file.)
pub fn restore(from: &Path, db: &Path, force: bool) -> Result<Restored> {
    let checked = verify(from)?;
    let wal = with_suffix(db, "-wal");
    let busy = wal.exists();
    if busy && !force {
        return Err(Error::Config(format!(
            "{} is in use (its write-ahead log {} exists): stop the server first, or pass --force after a crash",
            db.display(),
            wal.display()
        )));
    }
    let incoming = with_suffix(db, ".restoring");
    let _ = std::fs::remove_file(&incoming);
    create_private(&incoming)?;
    std::io::copy(
        &mut std::fs::File::open(from).map_err(io("reading the backup"))?,
        &mut std::fs::OpenOptions::new()
            .write(true)
            .open(&incoming)
            .map_err(io("copying the backup"))?,
    )
    .map_err(io("copying the backup"))?;
    sync_file(&incoming)?;
    let previous = if db.exists() {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let aside = with_suffix(db, &format!(".before-restore-{stamp}"));
        std::fs::rename(db, &aside).map_err(io("moving the old database aside"))?;
        for suffix in ["-wal", "-shm"] {
            let side = with_suffix(db, suffix);
            if side.exists() {
                std::fs::rename(&side, with_suffix(&aside, suffix))
                    .map_err(io("moving the old database aside"))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, db).map_err(io("renaming the backup into place"))?;
    sync_dir(db);
    Ok(Restored {
        report: Report {
            path: db.to_path_buf(),
            ..checked
        },
        previous,
    })
}
