//! Closures (임시 휴관, 장비 사용 중지) and the audit log on SQLite. A
//! closure is one row; `create_reservation_tx` checks it inside the
//! writer's transaction, so a booking and a closure are serialised.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use sbiz_catalog::{Date, Id};

use super::{StoreFault, db};
use crate::domain::{AuditEntry, AuditFilter, Closure, ClosureReason, kst_instant};
use crate::{Code, Error, Result};

/// Whether a closure covers `equipment` (or its whole facility) on `day`.
pub(super) fn is_closed(
    conn: &Connection,
    facility: &Id,
    equipment: &Id,
    day: Date,
) -> Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM closures WHERE facility = ?1
             AND (equipment IS NULL OR equipment = ?2) AND from_date <= ?3 AND to_date >= ?3)",
    )
    .and_then(|mut s| {
        s.query_row(
            params![facility.as_str(), equipment.as_str(), day.to_string()],
            |r| r.get(0),
        )
    })
    .map_err(db("checking closures"))
}

pub(super) fn insert(conn: &Connection, c: &Closure) -> Result<()> {
    conn.execute(
        "INSERT INTO closures (id, facility, equipment, from_date, to_date, reason, note, staff, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            c.id,
            c.facility.as_str(),
            c.equipment.as_ref().map(|e| e.as_str()),
            c.from.to_string(),
            c.to.to_string(),
            c.reason.as_str(),
            c.note,
            c.staff,
            c.created_at.as_microsecond()
        ],
    )
    .map(drop)
    .map_err(db("storing a closure"))
}

const COLUMNS: &str =
    "id, facility, equipment, from_date, to_date, reason, note, staff, created_at";

fn bad(_: impl std::fmt::Debug) -> Error {
    Error::storage("reading a closure", StoreFault("bad closure row"))
}

fn closure_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<String>; 8]> {
    Ok([
        Some(r.get(0)?),
        Some(r.get(1)?),
        r.get(2)?,
        Some(r.get(3)?),
        Some(r.get(4)?),
        Some(r.get(5)?),
        Some(r.get(6)?),
        Some(r.get(7)?),
    ])
}

fn closure_of(row: [Option<String>; 8], created: i64) -> Result<Closure> {
    let [id, facility, equipment, from, to, reason, note, staff] = row;
    let text = |v: Option<String>| v.ok_or_else(|| bad("null"));
    Ok(Closure {
        id: text(id)?,
        facility: text(facility)?.parse().map_err(bad)?,
        equipment: equipment.map(|e| e.parse()).transpose().map_err(bad)?,
        from: text(from)?.parse().map_err(bad)?,
        to: text(to)?.parse().map_err(bad)?,
        reason: ClosureReason::parse(&text(reason)?).ok_or_else(|| bad("reason"))?,
        note: text(note)?,
        staff: text(staff)?,
        created_at: Timestamp::from_microsecond(created).map_err(bad)?,
    })
}

pub(super) fn list(conn: &Connection, facility: Option<&Id>, from: Date) -> Result<Vec<Closure>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM closures WHERE to_date >= ?1 AND (?2 IS NULL OR facility = ?2)
             ORDER BY from_date, created_at, id"
        ))
        .map_err(db("listing closures"))?;
    let rows = stmt
        .query_map(
            params![from.to_string(), facility.map(|f| f.as_str())],
            |r| Ok((closure_row(r)?, r.get::<_, i64>(8)?)),
        )
        .map_err(db("listing closures"))?;
    let mut out = Vec::new();
    for row in rows {
        let (row, created) = row.map_err(db("listing closures"))?;
        out.push(closure_of(row, created)?);
    }
    Ok(out)
}

pub(super) fn remove(conn: &Connection, id: &str) -> Result<Closure> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM closures WHERE id = ?1"),
            [id],
            |r| Ok((closure_row(r)?, r.get::<_, i64>(8)?)),
        )
        .optional()
        .map_err(db("reading a closure"))?;
    let Some((row, created)) = found else {
        return Err(Error::new(Code::NotFound));
    };
    let closure = closure_of(row, created)?;
    conn.execute("DELETE FROM closures WHERE id = ?1", [id])
        .map_err(db("removing a closure"))?;
    Ok(closure)
}

pub(super) fn append_audit(conn: &Connection, e: &AuditEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, staff, action, record, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![e.at.as_microsecond(), e.staff, e.action, e.record, e.detail],
    )
    .map(drop)
    .map_err(db("appending to the audit log"))
}

pub(super) fn audit_entries(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    // The day range in Korea time, as instants, narrows the scan by index.
    let lo = f
        .from
        .map(|d| kst_instant(d, midnight()).as_microsecond())
        .unwrap_or(i64::MIN);
    let hi =
        f.to.map(|d| kst_instant(d.add_days(1), midnight()).as_microsecond())
            .unwrap_or(i64::MAX);
    let mut stmt = conn
        .prepare(
            "SELECT at, staff, action, record, detail FROM audit_log
             WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR staff = ?3) AND (?4 IS NULL OR action = ?4)
             ORDER BY at, seq",
        )
        .map_err(db("reading the audit log"))?;
    let rows = stmt
        .query_map(params![lo, hi, f.staff, f.action], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .map_err(db("reading the audit log"))?;
    let mut out = Vec::new();
    for row in rows {
        let (at, staff, action, record, detail) = row.map_err(db("reading the audit log"))?;
        out.push(AuditEntry {
            at: Timestamp::from_microsecond(at)
                .map_err(|_| Error::storage("reading the audit log", StoreFault("time")))?,
            staff,
            action,
            record,
            detail,
        });
    }
    Ok(out)
}

fn midnight() -> sbiz_catalog::TimeOfDay {
    sbiz_catalog::TimeOfDay::from_minutes(0).expect("midnight")
}
