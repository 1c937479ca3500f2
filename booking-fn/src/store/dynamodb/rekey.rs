//! [`Store::rekey_persons`] on DynamoDB: one `TransactWriteItems` per record.
//!
//! The person key appears in the personal item of each reservation and
//! application (`doc.person_key`), in the weekly quota counters
//! (`QUOTA#<key>`), in the one-application-per-person items
//! (`ONE#<kind>#<id>#<key>`) and in the history (`HIST#<key>`: no-shows and
//! attended trainings), and in the person index's key of the personal item
//! (`gsi3pk`, moved with the document). No other index key, idempotency
//! record, slot lock, waitlist entry or survey response holds it. A record moves with
//! everything that belongs to it, in one transaction whose conditions make
//! a concurrent change either come first (the move reads again) or see the
//! new key (see [`person_key_unchanged`]).

use std::collections::BTreeMap;

use super::*;
use crate::domain::ServerKey;
use crate::store::{ForeignKey, foreign_keys_error, rekeyed};

const OP: &str = "moving a person key";

/// What one run did.
#[derive(Debug, Default)]
pub(super) struct Rekeyed {
    /// Reservations and applications moved to the new key.
    pub moved: u64,
    /// Active applications left on the legacy key because their person
    /// already holds an active application to the same target under the
    /// new one.
    pub duplicates: u64,
}

/// What became of one record.
enum Outcome {
    Moved,
    /// An active application whose person applied again under the new key.
    Duplicate,
    /// Purged, or moved by someone else, in the meantime.
    Unchanged,
}

/// One person's legacy key, the new key and their records (partition keys).
struct LegacyPerson {
    old: PersonKey,
    new: PersonKey,
    records: Vec<String>,
}

/// What a personal item's document holds for this key: a status change
/// checks it (`contains`) to know that the key it read is still the
/// record's. The JSON encoding escapes every `"` inside a string, so this
/// text can only be the `person_key` field itself.
/// The condition that a record's personal item still holds `person`.
pub(super) fn person_key_is(person: &PersonKey) -> Cond {
    Cond::new("contains(#doc, :pkey)")
        .name("#doc", "doc")
        .value(":pkey", s(key_field(person)))
}

fn key_field(person: &PersonKey) -> String {
    format!("\"person_key\":\"{}\"", person.as_str())
}

/// Adds to a status change's transaction the condition that the record's
/// personal item still holds `person`, the key the change read and writes
/// quota minutes and history under. If [`DynamoStore::rekey_all`] moved the
/// record in between, the change fails, reads again and uses the new key;
/// nothing is written under a key the record has left.
pub(super) fn person_key_unchanged(
    tx: &mut Tx,
    table: &str,
    record_pk: &str,
    person: &PersonKey,
) -> Result<()> {
    tx.check(
        table,
        Role::Fresh,
        key(record_pk, keys::PERSON),
        Cond::new("contains(#doc, :pkey)")
            .name("#doc", "doc")
            .value(":pkey", s(key_field(person))),
    )
}

impl DynamoStore {
    /// Every personal item (reservations' and applications'), strongly
    /// consistent: partition key and document only.
    async fn personal_documents(&self) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .consistent_read(true)
                .filter_expression("#t IN (:rp, :ap)")
                .projection_expression("pk, #doc, gsi3pk")
                .expression_attribute_names("#t", "t")
                .expression_attribute_names("#doc", "doc")
                .expression_attribute_values(":rp", s(keys::T_RES_PERSON))
                .expression_attribute_values(":ap", s(keys::T_APP_PERSON))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("finding legacy person keys", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// Moves every record that holds the legacy key of its phone; fails,
    /// before writing anything, if a key was made with another secret.
    /// Records already under the secret's key that are missing from the
    /// person index (written before it existed) are added to it.
    pub(super) async fn rekey_all(&self, secret: &ServerKey) -> Result<Rekeyed> {
        let mut people: BTreeMap<PersonKey, LegacyPerson> = BTreeMap::new();
        let mut unindexed: Vec<(String, String, PersonKey)> = Vec::new();
        let mut foreign = 0u64;
        for item in self.personal_documents().await? {
            let personal: Personal = from_json(&item, "doc")?;
            let (Some(person), Some(stored)) = (&personal.person, &personal.person_key) else {
                continue;
            };
            let pk = get_s(&item, "pk").ok_or_else(|| corrupt("a personal item without pk"))?;
            match rekeyed(secret, &person.phone, stored) {
                Ok(Some(new)) => people
                    .entry(stored.clone())
                    .or_insert_with(|| LegacyPerson {
                        old: stored.clone(),
                        new,
                        records: Vec::new(),
                    })
                    .records
                    .push(pk.to_owned()),
                Ok(None) => {
                    if !item.contains_key("gsi3pk") {
                        let doc = get_s(&item, "doc").unwrap_or_default().to_owned();
                        unindexed.push((pk.to_owned(), doc, stored.clone()));
                    }
                }
                Err(ForeignKey) => foreign += 1,
            }
        }
        if foreign > 0 {
            return Err(foreign_keys_error(foreign));
        }
        let mut indexed = 0u64;
        for (pk, doc, person) in &unindexed {
            if self.index_personal_item(pk, doc, person).await? {
                indexed += 1;
            }
        }
        if indexed > 0 {
            tracing::info!(
                records = indexed,
                "dynamodb: records added to the person index"
            );
        }
        let mut done = Rekeyed::default();
        for p in people.values() {
            for pk in &p.records {
                match self.rekey_record(pk, &p.old, &p.new).await? {
                    Outcome::Moved => done.moved += 1,
                    Outcome::Duplicate => done.duplicates += 1,
                    Outcome::Unchanged => {}
                }
            }
            self.drop_empty_counters(&p.old).await?;
        }
        Ok(done)
    }

    /// Adds a personal item written before the person index existed to
    /// it, if its document is still as read (a record moved or purged
    /// meanwhile is left to what moved or purged it).
    async fn index_personal_item(&self, pk: &str, doc: &str, person: &PersonKey) -> Result<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, keys::PERSON)))
            .update_expression("SET gsi3pk = :g3pk, gsi3sk = :g3sk")
            .condition_expression("#doc = :doc")
            .expression_attribute_names("#doc", "doc")
            .expression_attribute_values(":doc", s(doc))
            .expression_attribute_values(":g3pk", s(keys::by_person(person)))
            .expression_attribute_values(":g3sk", s(keys::person_order(pk)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(storage(OP, e)),
        }
    }

    /// Moves one record (`RES#…` or `APP#…`) from `old` to `new` with what
    /// belongs to it, in one transaction conditioned on what was read: the
    /// personal document, the status, the old quota counter and history
    /// items. When a condition fails, reads again.
    async fn rekey_record(&self, pk: &str, old: &PersonKey, new: &PersonKey) -> Result<Outcome> {
        let mut backoff = Backoff::new();
        loop {
            let items = self.partition(OP, pk).await?;
            let Some(person) = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON)) else {
                return Ok(Outcome::Unchanged);
            };
            let doc =
                get_s(person, "doc").ok_or_else(|| corrupt("an item without its document"))?;
            let mut personal: Personal = from_json(person, "doc")?;
            if personal.person_key.as_ref() != Some(old) {
                return Ok(Outcome::Unchanged);
            }
            personal.person_key = Some(new.clone());
            let mut tx = Tx::default();
            // The person index (`gsi3`) follows the key.
            tx.update(
                &self.table,
                Role::Fresh,
                key(pk, keys::PERSON),
                "SET #doc = :new, gsi3pk = :g3pk, gsi3sk = :g3sk",
                Cond::new("#doc = :old")
                    .name("#doc", "doc")
                    .value(":old", s(doc))
                    .value(":new", s(to_json(&personal)?))
                    .value(":g3pk", s(keys::by_person(new)))
                    .value(":g3sk", s(keys::person_order(pk))),
            )?;
            let code = if pk.starts_with("RES#") {
                let meta = items
                    .iter()
                    .find(|i| get_s(i, "sk") == Some(keys::META))
                    .ok_or_else(|| {
                        corrupt("a reservation's personal item without the reservation")
                    })?;
                let r = reservation_from(meta, Some(person))?;
                tx.check(
                    &self.table,
                    Role::Fresh,
                    key(pk, keys::META),
                    status_is(r.status.as_str()),
                )?;
                if r.status.holds_slots()
                    && let Some(week) = get_s(meta, "quota_week")
                {
                    self.move_minutes(&mut tx, &r, week, old, new).await?;
                }
                r.code.compact().to_owned()
            } else {
                let meta = items
                    .iter()
                    .find(|i| get_s(i, "sk") == Some(keys::APP_META))
                    .ok_or_else(|| {
                        corrupt("an application's personal item without the application")
                    })?;
                let a = application_from(meta, Some(person))?;
                tx.check(
                    &self.table,
                    Role::Fresh,
                    key(pk, keys::APP_META),
                    status_is(a.status.as_str()),
                )?;
                if a.status.is_active() {
                    let mut one = key(keys::one(&a.target, new), keys::ONE_SK);
                    one.insert("t".into(), s(keys::T_ONE));
                    one.insert("code".into(), s(a.code.compact()));
                    one.insert(TTL_ATTRIBUTE.into(), n(personal_expiry(a.purge_after)));
                    tx.put(&self.table, Role::One, one, Some(Cond::new(NOT_EXISTS)))?;
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::one(&a.target, old), keys::ONE_SK),
                        None,
                    )?;
                }
                a.code.compact().to_owned()
            };
            // The record's history items end with its code (`N#<day>#<code>`,
            // `A#<programme>#<code>`); they move as they are.
            let suffix = format!("#{code}");
            for h in self.partition(OP, &keys::hist(old)).await? {
                let Some(sk) = get_s(&h, "sk").filter(|sk| sk.ends_with(&suffix)) else {
                    continue;
                };
                tx.delete(
                    &self.table,
                    Role::Fresh,
                    key(keys::hist(old), sk),
                    Some(Cond::new("attribute_exists(pk)")),
                )?;
                let mut moved = h.clone();
                moved.insert("pk".into(), s(keys::hist(new)));
                tx.put(&self.table, Role::Plain, moved, None)?;
            }
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(Outcome::Moved),
                TxOutcome::Failed(roles)
                    if roles.contains(&Role::One) && !roles.contains(&Role::Fresh) =>
                {
                    return Ok(Outcome::Duplicate);
                }
                // Changed meanwhile (a status, a purge, a counter): read again.
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("rekey_persons", OP).await?;
                }
            }
        }
    }

    /// Adds to `tx` the move of a reservation's minutes from the old key's
    /// counter of its week to the new key's (which may already count other
    /// bookings of that week). A counter that is gone (expired) is not
    /// recreated under either key.
    async fn move_minutes(
        &self,
        tx: &mut Tx,
        r: &Reservation,
        week: &str,
        old: &PersonKey,
        new: &PersonKey,
    ) -> Result<()> {
        let counted = self
            .get(OP, &keys::quota(old), week)
            .await?
            .is_some_and(|q| q.contains_key("minutes"));
        if !counted {
            return Ok(());
        }
        let minutes = i64::from(r.run.minutes());
        tx.update(
            &self.table,
            Role::Fresh,
            key(keys::quota(old), week),
            "ADD minutes :m",
            Cond::new("attribute_exists(minutes)").value(":m", n(-minutes)),
        )?;
        tx.update(
            &self.table,
            Role::Plain,
            key(keys::quota(new), week),
            "SET #t = :t, expires_at = :exp ADD minutes :m",
            Cond::new("")
                .name("#t", "t")
                .value(":t", s(keys::T_QUOTA))
                .value(":exp", n(personal_expiry(r.purge_after)))
                .value(":m", n(minutes)),
        )
    }

    /// Deletes the old key's quota counters that no longer count anything
    /// (all their reservations moved). A counter still holding minutes
    /// belongs to records that could not move, and stays with them.
    async fn drop_empty_counters(&self, old: &PersonKey) -> Result<()> {
        let pk = keys::quota(old);
        for item in self.partition(OP, &pk).await? {
            let Some(sk) = get_s(&item, "sk") else {
                continue;
            };
            let result = self
                .client
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(key(&pk, sk)))
                .condition_expression("attribute_not_exists(minutes) OR minutes <= :zero")
                .expression_attribute_values(":zero", n(0))
                .send()
                .await;
            match result {
                Ok(_) => {}
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|e| e.is_conditional_check_failed_exception()) => {}
                Err(e) => return Err(storage(OP, e)),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The status changes' guard looks for this text in the stored
    /// document: it must be exactly how the document spells the key.
    #[test]
    fn the_key_field_is_how_documents_spell_the_key() {
        let phone = "010-1234-5678".parse().expect("phone");
        let person_key = PersonKey::legacy_v1(&phone);
        let personal = Personal {
            person: None,
            person_key: Some(person_key.clone()),
            answers: std::collections::BTreeMap::from([(
                "note".to_owned(),
                key_field(&PersonKey::of(&ServerKey::generate(), &phone)),
            )]),
        };
        let doc = to_json(&personal).expect("json");
        assert!(doc.contains(&key_field(&person_key)));
        // Text typed into an answer is escaped, so it can never pass for the field.
        let typed = personal.answers["note"].clone();
        assert!(!doc.contains(&typed));
    }
}
