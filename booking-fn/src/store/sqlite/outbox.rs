//! The outbox table (`Store` messaging operations), inside the writer's
//! transactions.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};
use sbiz_catalog::{Channel, Date, MessageEvent};

use super::{StoreFault, db};
use crate::domain::{
    MessageId, MessageLink, MessageOutcome, MessageStatus, NewMessage, OutboxMessage, Subject,
};
use crate::{Error, Result};

fn corrupt(what: &'static str) -> Error {
    Error::storage("reading a stored message", StoreFault(what))
}

const COLUMNS: &str =
    "id, subject, event, channel, params, link_path, link_sealed, due, status, attempts,
    last_error, created_at, updated_at, sent_at, purge_after";

/// Stores `messages` for `subject` (inside the caller's transaction).
pub(super) fn insert(
    tx: &Connection,
    subject: &Subject,
    purge_after: Date,
    now: Timestamp,
    messages: Vec<NewMessage>,
) -> Result<()> {
    for m in messages {
        let m = OutboxMessage::queued(m, subject.clone(), purge_after, now);
        let params_json = serde_json::to_string(&m.params)
            .map_err(|e| Error::storage("encoding a message", e))?;
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO outbox (id, subject, event, channel, params, link_path, link_sealed, due, status,
                 attempts, created_at, updated_at, purge_after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', 0, ?9, ?9, ?10)",
            )
            .map_err(db("storing a message"))?;
        insert
            .execute(params![
                m.id.as_str(),
                m.subject.key(),
                m.event.as_str(),
                m.channel.as_str(),
                params_json,
                m.link.as_ref().map(|l| l.path.as_str()),
                m.link.as_ref().and_then(|l| l.sealed_token.as_deref()),
                m.due.as_microsecond(),
                now.as_microsecond(),
                purge_after.to_string(),
            ])
            .map_err(db("storing a message"))?;
    }
    Ok(())
}

/// Cancels the queued messages of `subject` (inside the caller's transaction).
pub(super) fn cancel_queued(tx: &Connection, subject: &Subject, now: Timestamp) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = 'record_changed', link_sealed = NULL,
             lease_owner = NULL, updated_at = ?2
         WHERE subject = ?1 AND status = 'queued'",
        params![subject.key(), now.as_microsecond()],
    )
    .map_err(db("cancelling messages"))?;
    Ok(())
}

fn ts(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|_| corrupt("timestamp"))
}

fn row(r: &Row<'_>) -> rusqlite::Result<RawMessage> {
    Ok(RawMessage {
        text: [
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(8)?,
            r.get(14)?,
        ],
        link: (r.get(5)?, r.get(6)?),
        due: r.get(7)?,
        attempts: r.get(9)?,
        last_error: r.get(10)?,
        times: (r.get(11)?, r.get(12)?, r.get(13)?),
    })
}

struct RawMessage {
    /// id, subject, event, channel, params, status, purge_after
    text: [String; 7],
    link: (Option<String>, Option<String>),
    due: i64,
    attempts: i64,
    last_error: Option<String>,
    times: (i64, i64, Option<i64>),
}

fn message(raw: RawMessage) -> Result<OutboxMessage> {
    let [id, subject, event, channel, params, status, purge_after] = raw.text;
    Ok(OutboxMessage {
        id: id.parse().map_err(|_| corrupt("message id"))?,
        subject: Subject::from_key(&subject).ok_or_else(|| corrupt("message subject"))?,
        event: MessageEvent::parse(&event).ok_or_else(|| corrupt("message event"))?,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt("message channel"))?,
        params: serde_json::from_str(&params).map_err(|_| corrupt("message parameters"))?,
        link: raw.link.0.map(|path| MessageLink {
            path,
            sealed_token: raw.link.1,
        }),
        due: ts(raw.due)?,
        status: MessageStatus::parse(&status).ok_or_else(|| corrupt("message status"))?,
        attempts: u32::try_from(raw.attempts).unwrap_or(0),
        last_error: raw.last_error,
        created_at: ts(raw.times.0)?,
        updated_at: ts(raw.times.1)?,
        sent_at: raw.times.2.map(ts).transpose()?,
        purge_after: purge_after
            .parse()
            .map_err(|_| corrupt("message purge day"))?,
    })
}

/// One transaction on the writer: the claimed rows are leased before any
/// other claim can read them.
pub(super) fn claim(
    conn: &mut Connection,
    now: Timestamp,
    lease_until: Timestamp,
    owner: &str,
    limit: usize,
) -> Result<Vec<OutboxMessage>> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db("starting a transaction"))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    {
        let mut claim = tx
            .prepare_cached(&format!(
                "UPDATE outbox SET due = ?2, lease_owner = ?3, attempts = attempts + 1, updated_at = ?1
                 WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND due <= ?1 ORDER BY due LIMIT ?4)
                 RETURNING {COLUMNS}"
            ))
            .map_err(db("claiming messages"))?;
        let rows = claim
            .query_map(
                params![
                    now.as_microsecond(),
                    lease_until.as_microsecond(),
                    owner,
                    limit
                ],
                row,
            )
            .map_err(db("claiming messages"))?;
        for r in rows {
            out.push(message(r.map_err(db("claiming messages"))?)?);
        }
    }
    tx.commit().map_err(db("committing a claim"))?;
    out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(out)
}

pub(super) fn finish(
    conn: &mut Connection,
    id: &MessageId,
    owner: &str,
    outcome: MessageOutcome,
) -> Result<bool> {
    let (sql, at, error, next): (&str, Timestamp, Option<String>, Option<i64>) = match outcome {
        MessageOutcome::Sent { at } => (
            "UPDATE outbox SET status = 'sent', sent_at = ?3, updated_at = ?3, last_error = NULL,
                 link_sealed = NULL, lease_owner = NULL
             WHERE id = ?1 AND status = 'queued' AND lease_owner = ?2",
            at,
            None,
            None,
        ),
        MessageOutcome::Retry {
            at,
            error,
            next_due,
        } => (
            "UPDATE outbox SET due = ?5, updated_at = ?3, last_error = ?4, lease_owner = NULL
             WHERE id = ?1 AND status = 'queued' AND lease_owner = ?2",
            at,
            Some(error),
            Some(next_due.as_microsecond()),
        ),
        MessageOutcome::Failed { at, error } => (
            "UPDATE outbox SET status = 'failed', updated_at = ?3, last_error = ?4, link_sealed = NULL,
                 lease_owner = NULL
             WHERE id = ?1 AND status = 'queued' AND lease_owner = ?2",
            at,
            Some(error),
            None,
        ),
        MessageOutcome::Dropped { at, error } => (
            "UPDATE outbox SET status = 'cancelled', updated_at = ?3, last_error = ?4, link_sealed = NULL,
                 lease_owner = NULL
             WHERE id = ?1 AND status = 'queued' AND lease_owner = ?2",
            at,
            Some(error),
            None,
        ),
    };
    let changed = match next {
        Some(next) => conn.execute(
            sql,
            params![id.as_str(), owner, at.as_microsecond(), error, next],
        ),
        None if error.is_some() => {
            conn.execute(sql, params![id.as_str(), owner, at.as_microsecond(), error])
        }
        None => conn.execute(sql, params![id.as_str(), owner, at.as_microsecond()]),
    }
    .map_err(db("finishing a message"))?;
    Ok(changed == 1)
}

pub(super) fn of_subject(conn: &Connection, subject: &Subject) -> Result<Vec<OutboxMessage>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE subject = ?1 ORDER BY created_at, id"
        ))
        .map_err(db("reading messages"))?;
    let rows = stmt
        .query_map([subject.key()], row)
        .map_err(db("reading messages"))?;
    rows.map(|r| message(r.map_err(db("reading messages"))?))
        .collect()
}

/// The purge day of a record, for messages added to it later: `None` when
/// the record does not exist.
pub(super) fn record_purge_after(tx: &Connection, subject: &Subject) -> Result<Option<Date>> {
    let (table, code) = match subject {
        Subject::Reservation(c) => ("reservations", c.compact()),
        Subject::Application(c) => ("applications", c.compact()),
    };
    let day: Option<String> = tx
        .query_row(
            &format!("SELECT purge_after FROM {table} WHERE code = ?1"),
            [code],
            |r| r.get(0),
        )
        .optional()
        .map_err(db("reading a record"))?;
    day.map(|d| d.parse().map_err(|_| corrupt("purge day")))
        .transpose()
}

/// Deletes the messages of records whose personal data is purged.
pub(super) fn purge(tx: &Connection, today: Date) -> Result<u64> {
    let n = tx
        .execute(
            "DELETE FROM outbox WHERE purge_after < ?1",
            [today.to_string()],
        )
        .map_err(db("purging messages"))?;
    Ok(n as u64)
}
