//! 내 예약·신청 on SQLite: one-time codes and person sessions.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{StoreFault, db};
use crate::Result;
use crate::domain::PersonKey;
use crate::store::{CodeCheck, OneTimeCode, PersonSession};

pub(super) fn put_code(conn: &Connection, code: &OneTimeCode) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO one_time_codes (person_key, hash, expires, attempts)
         VALUES (?1, ?2, ?3, 0)",
        params![
            code.person.as_str(),
            code.hash,
            code.expires.as_microsecond()
        ],
    )
    .map(drop)
    .map_err(db("storing a one-time code"))
}

/// One transaction of the writer: the read, then the delete or the count.
pub(super) fn check_code(
    conn: &Connection,
    person: &PersonKey,
    hash: &str,
    now: Timestamp,
    max_attempts: u32,
) -> Result<CodeCheck> {
    let found: Option<(String, i64, i64)> = conn
        .query_row(
            "SELECT hash, expires, attempts FROM one_time_codes WHERE person_key = ?1",
            [person.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(db("reading a one-time code"))?;
    let Some((stored, expires, attempts)) = found else {
        return Ok(CodeCheck::Missing);
    };
    if expires <= now.as_microsecond() {
        return Ok(CodeCheck::Missing);
    }
    let max = i64::from(max_attempts);
    if attempts >= max {
        return Ok(CodeCheck::Locked);
    }
    // Both are keyed hashes: comparing them reveals nothing about the code.
    if stored == hash {
        conn.execute(
            "DELETE FROM one_time_codes WHERE person_key = ?1",
            [person.as_str()],
        )
        .map_err(db("using a one-time code"))?;
        return Ok(CodeCheck::Valid);
    }
    conn.execute(
        "UPDATE one_time_codes SET attempts = attempts + 1 WHERE person_key = ?1",
        [person.as_str()],
    )
    .map_err(db("counting a wrong one-time code"))?;
    let left = u32::try_from(max - attempts - 1).unwrap_or(0);
    Ok(CodeCheck::Wrong { left })
}

pub(super) fn create_session(conn: &Connection, s: &PersonSession) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO person_sessions (id, person_key, expires) VALUES (?1, ?2, ?3)",
        params![s.id, s.person.as_str(), s.expires.as_second()],
    )
    .map(drop)
    .map_err(db("storing a person session"))
}

pub(super) fn session(conn: &Connection, id: &str) -> Result<Option<PersonSession>> {
    let found: Option<(String, i64)> = conn
        .query_row(
            "SELECT person_key, expires FROM person_sessions WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(db("reading a person session"))?;
    found
        .map(|(person, expires)| {
            let bad =
                || crate::Error::storage("reading a person session", StoreFault("bad session row"));
            Ok(PersonSession {
                id: id.to_owned(),
                person: PersonKey::try_from(person).map_err(|_| bad())?,
                expires: Timestamp::from_second(expires).map_err(|_| bad())?,
            })
        })
        .transpose()
}

pub(super) fn end_session(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM person_sessions WHERE id = ?1", [id])
        .map(drop)
        .map_err(db("ending a person session"))
}

/// Deletes codes and sessions whose expiry is before `now`.
pub(super) fn purge(conn: &Connection, now: Timestamp) -> Result<()> {
    let now = now.as_microsecond();
    conn.execute("DELETE FROM one_time_codes WHERE expires < ?1", [now])
        .map_err(db("purging one-time codes"))?;
    conn.execute(
        "DELETE FROM person_sessions WHERE expires < ?1",
        [now / 1_000_000],
    )
    .map_err(db("purging person sessions"))?;
    Ok(())
}
