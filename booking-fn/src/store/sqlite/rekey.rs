//! [`Store::rekey_persons`](crate::store::Store::rekey_persons) on SQLite:
//! one `BEGIN IMMEDIATE` transaction moves every legacy person key at once.
//!
//! The person key lives in three places: `reservations.person_key`,
//! `applications.person_key` (under the partial unique index
//! `applications_one_per_person`) and `quota_usage.person_key` (the weekly
//! minutes). The no-show and training history is read from the records
//! themselves, so it follows them. The replaced keys are overwritten in the
//! file (`secure_delete`) and the write-ahead log is emptied afterwards, so
//! no copy of the files keeps them.

use std::collections::BTreeMap;

use rusqlite::{Connection, TransactionBehavior, params};
use sbiz_catalog::Phone;

use super::{StoreFault, db, wipe_wal};
use crate::Result;
use crate::domain::{ApplicationStatus, PersonKey, ServerKey};
use crate::store::{ForeignKey, foreign_keys_error, rekeyed};

/// What one run did.
pub(super) struct Rekeyed {
    /// Reservations and applications moved to the new key.
    pub moved: u64,
    /// Active applications left on the legacy key because their person
    /// already holds an active application to the same target under the
    /// new one.
    pub duplicates: u64,
}

/// A record that holds the legacy key: its code, the legacy key and the new one.
struct Move {
    code: String,
    old: PersonKey,
    new: PersonKey,
    /// Applications: kind, target and whether the status is active.
    target: Option<(String, String, bool)>,
}

fn corrupt(what: &'static str) -> crate::Error {
    crate::Error::storage("moving person keys", StoreFault(what))
}

/// The records of `table` that still hold personal data and the legacy key.
/// Counts those keyed with another secret into `foreign`.
fn legacy_records(
    tx: &rusqlite::Transaction<'_>,
    secret: &ServerKey,
    table: &'static str,
    foreign: &mut u64,
) -> Result<Vec<Move>> {
    let applications = table == "applications";
    let sql = if applications {
        "SELECT code, phone, person_key, target_kind, target_id, status FROM applications
         WHERE phone IS NOT NULL AND person_key IS NOT NULL"
    } else {
        "SELECT code, phone, person_key, NULL, NULL, NULL FROM reservations
         WHERE phone IS NOT NULL AND person_key IS NOT NULL"
    };
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut stmt = tx.prepare(sql).map_err(db("finding legacy person keys"))?;
    let rows = stmt
        .query_map([], |r| -> rusqlite::Result<Row> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .map_err(db("finding legacy person keys"))?;
    let mut out = Vec::new();
    for row in rows {
        let (code, phone, key, kind, target, status) =
            row.map_err(db("finding legacy person keys"))?;
        let phone: Phone = phone.parse().map_err(|_| corrupt("phone"))?;
        let stored = PersonKey::try_from(key).map_err(|_| corrupt("person key"))?;
        let new = match rekeyed(secret, &phone, &stored) {
            Ok(Some(new)) => new,
            Ok(None) => continue,
            Err(ForeignKey) => {
                *foreign += 1;
                continue;
            }
        };
        let target = if applications {
            let (Some(kind), Some(target), Some(status)) = (kind, target, status) else {
                return Err(corrupt("application target"));
            };
            let active = ApplicationStatus::parse(&status)
                .map_err(|_| corrupt("status"))?
                .is_active();
            Some((kind, target, active))
        } else {
            None
        };
        out.push(Move {
            code,
            old: stored,
            new,
            target,
        });
    }
    Ok(out)
}

pub(super) fn rekey_persons_tx(conn: &mut Connection, secret: &ServerKey) -> Result<Rekeyed> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db("starting a transaction"))?;
    let mut foreign = 0;
    let reservations = legacy_records(&tx, secret, "reservations", &mut foreign)?;
    let applications = legacy_records(&tx, secret, "applications", &mut foreign)?;
    if foreign > 0 {
        // Nothing written yet; dropping the transaction rolls it back.
        return Err(foreign_keys_error(foreign));
    }
    let mut done = Rekeyed {
        moved: 0,
        duplicates: 0,
    };
    // Legacy key -> new key, for the quota counters.
    let mut people: BTreeMap<String, PersonKey> = BTreeMap::new();
    for m in &reservations {
        done.moved += tx
            .execute(
                "UPDATE reservations SET person_key = ?3 WHERE code = ?1 AND person_key = ?2",
                params![m.code, m.old.as_str(), m.new.as_str()],
            )
            .map_err(db("moving a reservation's person key"))? as u64;
        people.insert(m.old.as_str().to_owned(), m.new.clone());
    }
    for m in &applications {
        people.insert(m.old.as_str().to_owned(), m.new.clone());
        if let Some((kind, target, true)) = &m.target {
            // `applications_one_per_person` allows one active application
            // per person and target: if the person applied again under the
            // new key before this run, both stay as they are for staff.
            let taken: bool = tx
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM applications WHERE target_kind = ?1 AND target_id = ?2
                       AND person_key = ?3 AND status NOT IN ('cancelled', 'rejected'))",
                    params![kind, target, m.new.as_str()],
                    |r| r.get(0),
                )
                .map_err(db("checking for an application under the new key"))?;
            if taken {
                done.duplicates += 1;
                continue;
            }
        }
        done.moved += tx
            .execute(
                "UPDATE applications SET person_key = ?3 WHERE code = ?1 AND person_key = ?2",
                params![m.code, m.old.as_str(), m.new.as_str()],
            )
            .map_err(db("moving an application's person key"))? as u64;
    }
    // The weekly minutes follow the reservations; a week the new key
    // already counts (booked since the upgrade) adds up.
    let mut counters = 0;
    for (old, new) in &people {
        counters += tx.execute(
            "INSERT INTO quota_usage (person_key, week_start, minutes)
               SELECT ?2, week_start, minutes FROM quota_usage WHERE person_key = ?1
             ON CONFLICT (person_key, week_start) DO UPDATE SET minutes = minutes + excluded.minutes",
            params![old, new.as_str()],
        )
        .map_err(db("moving quota counters"))?;
        tx.execute("DELETE FROM quota_usage WHERE person_key = ?1", [old])
            .map_err(db("moving quota counters"))?;
    }
    tx.commit().map_err(db("committing new person keys"))?;
    if done.moved > 0 || counters > 0 {
        // The replaced (reversible) keys must not linger anywhere on disk.
        // `secure_delete` zeroes deleted cells, but rewriting keys in place
        // can leave old bytes in a page's unused space depending on how
        // the pages were laid out; this runs once per database (only when
        // legacy keys were moved), so rewrite the file from its live
        // content, then empty the write-ahead log.
        if let Err(e) = super::schema::vacuum(conn) {
            tracing::warn!(error = %e, "sqlite: could not vacuum after moving person keys");
        }
        wipe_wal(conn);
    }
    Ok(done)
}
