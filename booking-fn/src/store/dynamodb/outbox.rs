//! The outbox on DynamoDB. A message is an item in its record's partition
//! (`RES#<code>` / `APP#<code>`, sort key `MSG#<id>`), written inside the
//! record's own `TransactWriteItems`. While queued it is also in index
//! `gsi1` under the partition `OUTBOX`, sorted by due time (`gsi1sk` =
//! due in microseconds, 20 digits, `#`, id): the dispatcher's queue. The
//! index attributes are removed when it is sent, fails or is cancelled, so
//! the queue holds only what is pending. A claim is a conditional
//! `UpdateItem` per message (`status = queued AND due_us <= now`) that moves
//! `due_us` (and `gsi1sk`) to the end of the lease: two dispatchers never
//! both win one message.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use jiff::Timestamp;
use sbiz_catalog::{Channel, Date, MessageEvent};
use serde::{Deserialize, Serialize};

use super::{
    Cond, DynamoStore, Item, Role, TTL_ATTRIBUTE, Tx, corrupt, get_n, get_s, key, n,
    personal_expiry, s, storage, to_json,
};
use crate::domain::{
    MessageId, MessageLink, MessageOutcome, MessageStatus, NewMessage, OutboxMessage, Subject,
};
use crate::{Code, Error, Result};

pub(super) const T_MSG: &str = "msg";
pub(super) const QUEUE: &str = "OUTBOX";
const SK_PREFIX: &str = "MSG#";

fn record_pk(subject: &Subject) -> String {
    match subject {
        Subject::Reservation(c) => super::keys::res(c),
        Subject::Application(c) => super::keys::app(c),
    }
}

fn queue_sk(due: Timestamp, id: &MessageId) -> String {
    format!("{:020}#{id}", due.as_microsecond().max(0))
}

/// What never changes after the message is written.
#[derive(Serialize, Deserialize)]
struct Doc {
    subject: Subject,
    event: MessageEvent,
    channel: Channel,
    params: BTreeMap<String, String>,
    #[serde(default)]
    link_path: Option<String>,
    created_at: Timestamp,
    purge_after: Date,
}

/// The item of a new message (a put for the record's transaction).
pub(super) fn item(m: &OutboxMessage) -> Result<Item> {
    let mut item = key(record_pk(&m.subject), format!("{SK_PREFIX}{}", m.id));
    let doc = Doc {
        subject: m.subject.clone(),
        event: m.event,
        channel: m.channel,
        params: m.params.clone(),
        link_path: m.link.as_ref().map(|l| l.path.clone()),
        created_at: m.created_at,
        purge_after: m.purge_after,
    };
    item.insert("t".into(), s(T_MSG));
    item.insert("doc".into(), s(to_json(&doc)?));
    item.insert("status".into(), s(m.status.as_str()));
    item.insert("due_us".into(), n(m.due.as_microsecond()));
    item.insert("attempts".into(), n(m.attempts));
    item.insert("updated_at".into(), s(m.updated_at.to_string()));
    if let Some(sealed) = m.link.as_ref().and_then(|l| l.sealed_token.as_ref()) {
        item.insert("sealed".into(), s(sealed.clone()));
    }
    if m.status == MessageStatus::Queued {
        item.insert("gsi1pk".into(), s(QUEUE));
        item.insert("gsi1sk".into(), s(queue_sk(m.due, &m.id)));
    }
    // Deleted with the record's personal data (TTL, and `purge` at once).
    item.insert(TTL_ATTRIBUTE.into(), n(personal_expiry(m.purge_after)));
    Ok(item)
}

/// Adds the puts of `messages` for `subject` to a transaction.
pub(super) fn put_all(
    tx: &mut Tx,
    table: &str,
    subject: &Subject,
    purge_after: Date,
    now: Timestamp,
    messages: &[NewMessage],
) -> Result<()> {
    for m in messages {
        let m = OutboxMessage::queued(m.clone(), subject.clone(), purge_after, now);
        tx.put(
            table,
            Role::Plain,
            item(&m)?,
            Some(Cond::new(super::NOT_EXISTS)),
        )?;
    }
    Ok(())
}

/// Adds the cancellation of every queued message among a record's
/// partition `items` to a transaction (each conditioned on still being
/// queued: a message sent meanwhile makes the transaction retry).
pub(super) fn cancel_queued(
    tx: &mut Tx,
    table: &str,
    items: &[Item],
    now: Timestamp,
) -> Result<()> {
    for i in items {
        if get_s(i, "t") != Some(T_MSG) || get_s(i, "status") != Some("queued") {
            continue;
        }
        let (Some(pk), Some(sk)) = (get_s(i, "pk"), get_s(i, "sk")) else {
            continue;
        };
        tx.update(
            table,
            Role::Fresh,
            key(pk, sk),
            "SET #st = :cancelled, updated_at = :at, last_error = :why REMOVE gsi1pk, gsi1sk, sealed, lease_owner",
            super::status_is("queued")
                .value(":cancelled", s("cancelled"))
                .value(":at", s(now.to_string()))
                .value(":why", s("record_changed")),
        )?;
    }
    Ok(())
}

/// A message from its item.
pub(super) fn from_item(i: &Item) -> Result<OutboxMessage> {
    let doc: Doc = super::from_json(i, "doc")?;
    let id = get_s(i, "sk")
        .and_then(|sk| sk.strip_prefix(SK_PREFIX))
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| corrupt("a message without its id"))?;
    let ts = |attr: &str| -> Option<Timestamp> { get_s(i, attr).and_then(|t| t.parse().ok()) };
    Ok(OutboxMessage {
        id,
        subject: doc.subject,
        event: doc.event,
        channel: doc.channel,
        params: doc.params,
        link: doc.link_path.map(|path| MessageLink {
            path,
            sealed_token: get_s(i, "sealed").map(str::to_owned),
        }),
        due: get_n::<i64>(i, "due_us")
            .and_then(|d| Timestamp::from_microsecond(d).ok())
            .ok_or_else(|| corrupt("a message without its due time"))?,
        status: get_s(i, "status")
            .and_then(MessageStatus::parse)
            .ok_or_else(|| corrupt("a message with an unknown status"))?,
        attempts: get_n(i, "attempts").unwrap_or(0),
        last_error: get_s(i, "last_error").map(str::to_owned),
        created_at: doc.created_at,
        updated_at: ts("updated_at").unwrap_or(doc.created_at),
        sent_at: ts("sent_at"),
        purge_after: doc.purge_after,
    })
}

impl DynamoStore {
    pub(super) async fn outbox_enqueue(
        &self,
        subject: &Subject,
        messages: Vec<NewMessage>,
        now: Timestamp,
    ) -> Result<()> {
        const OP: &str = "storing messages";
        let pk = record_pk(subject);
        let sk = match subject {
            Subject::Reservation(_) => super::keys::META,
            Subject::Application(_) => super::keys::APP_META,
        };
        let Some(meta) = self.get(OP, &pk, sk).await? else {
            return Err(Error::new(Code::NotFound));
        };
        let purge_after: Date = match subject {
            Subject::Reservation(_) => super::reservation_from(&meta, None)?.purge_after,
            Subject::Application(_) => super::application_from(&meta, None)?.purge_after,
        };
        let mut tx = Tx::default();
        tx.check(
            &self.table,
            Role::Code,
            key(&pk, sk),
            Cond::new("attribute_exists(pk)"),
        )?;
        put_all(&mut tx, &self.table, subject, purge_after, now, &messages)?;
        let mut backoff = super::Backoff::new();
        loop {
            match self.run(OP, &tx, None).await? {
                super::TxOutcome::Committed => return Ok(()),
                super::TxOutcome::Failed(_) => return Err(Error::new(Code::NotFound)),
                _ => backoff.retry("enqueue_messages", OP).await?,
            }
        }
    }

    pub(super) async fn outbox_claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>> {
        const OP: &str = "claiming messages";
        if limit == 0 {
            return Ok(Vec::new());
        }
        // The queue index is eventually consistent: it may still list a
        // message another dispatcher has just leased. The conditional
        // update below decides; the index only finds candidates.
        let upper = format!("{:020}#~", now.as_microsecond().max(0));
        let page = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(super::GSI_FACILITY)
            .key_condition_expression("gsi1pk = :q AND gsi1sk <= :upper")
            .expression_attribute_values(":q", s(QUEUE))
            .expression_attribute_values(":upper", s(upper))
            .limit(i32::try_from(limit.saturating_mul(2)).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| storage(OP, e))?;
        let mut out = Vec::new();
        for candidate in page.items() {
            if out.len() >= limit {
                break;
            }
            let (Some(pk), Some(sk)) = (get_s(candidate, "pk"), get_s(candidate, "sk")) else {
                continue;
            };
            let Some(id) = sk
                .strip_prefix(SK_PREFIX)
                .and_then(|i| i.parse::<MessageId>().ok())
            else {
                continue;
            };
            let result = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(pk, sk)))
                .update_expression(
                    "SET due_us = :lease, gsi1sk = :qsk, lease_owner = :owner, updated_at = :at ADD attempts :one",
                )
                .condition_expression("#st = :queued AND due_us <= :now")
                .expression_attribute_names("#st", "status")
                .expression_attribute_values(":lease", n(lease_until.as_microsecond()))
                .expression_attribute_values(":qsk", s(queue_sk(lease_until, &id)))
                .expression_attribute_values(":owner", s(owner))
                .expression_attribute_values(":at", s(now.to_string()))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":queued", s("queued"))
                .expression_attribute_values(":now", n(now.as_microsecond()))
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match result {
                Ok(updated) => {
                    if let Some(item) = updated.attributes() {
                        out.push(from_item(item)?);
                    }
                }
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_conditional_check_failed_exception()) => {}
                Err(e) => return Err(storage(OP, e)),
            }
        }
        Ok(out)
    }

    pub(super) async fn outbox_finish(
        &self,
        id: &MessageId,
        owner: &str,
        outcome: MessageOutcome,
        subject_pk: &str,
    ) -> Result<bool> {
        const OP: &str = "finishing a message";
        let mut values: Vec<(&str, AttributeValue)> =
            vec![(":queued", s("queued")), (":owner", s(owner))];
        let expr = match &outcome {
            MessageOutcome::Sent { at } => {
                values.push((":st", s("sent")));
                values.push((":at", s(at.to_string())));
                "SET #st = :st, updated_at = :at, sent_at = :at REMOVE gsi1pk, gsi1sk, sealed, lease_owner, last_error"
            }
            MessageOutcome::Retry {
                at,
                error,
                next_due,
            } => {
                values.push((":at", s(at.to_string())));
                values.push((":err", s(error.clone())));
                values.push((":due", n(next_due.as_microsecond())));
                values.push((":qsk", s(queue_sk(*next_due, id))));
                "SET updated_at = :at, last_error = :err, due_us = :due, gsi1sk = :qsk REMOVE lease_owner"
            }
            MessageOutcome::Failed { at, error } | MessageOutcome::Dropped { at, error } => {
                let st = if matches!(outcome, MessageOutcome::Failed { .. }) {
                    "failed"
                } else {
                    "cancelled"
                };
                values.push((":st", s(st)));
                values.push((":at", s(at.to_string())));
                values.push((":err", s(error.clone())));
                "SET #st = :st, updated_at = :at, last_error = :err REMOVE gsi1pk, gsi1sk, sealed, lease_owner"
            }
        };
        let mut req = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(subject_pk, format!("{SK_PREFIX}{id}"))))
            .update_expression(expr)
            .condition_expression("#st = :queued AND lease_owner = :owner")
            .expression_attribute_names("#st", "status");
        for (p, v) in values {
            req = req.expression_attribute_values(p, v);
        }
        match req.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(storage(OP, e)),
        }
    }

    pub(super) async fn outbox_of(&self, subject: &Subject) -> Result<Vec<OutboxMessage>> {
        let items = self
            .partition("reading messages", &record_pk(subject))
            .await?;
        let mut out: Vec<OutboxMessage> = items
            .iter()
            .filter(|i| get_s(i, "t") == Some(T_MSG))
            .map(from_item)
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }
}

/// The partition key of a message's record.
pub(super) fn subject_pk(subject: &Subject) -> String {
    record_pk(subject)
}
