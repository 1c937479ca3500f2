//! Writing reservations and their status changes.

use super::*;

impl DynamoStore {
    pub(super) async fn create_reservation_impl(
        &self,
        new: NewReservation,
    ) -> Result<Created<Reservation>> {
        const OP: &str = "creating a reservation";
        let r = &new.reservation;
        let pk = keys::res(&r.code);
        let quota = match (new.quota, &r.person_key) {
            (Some(q), Some(person)) => Some((q, person)),
            _ => None,
        };
        let mut tx = Tx::default();
        if let Some(idem) = &new.idempotency {
            tx.put(
                &self.table,
                Role::Idem,
                idempotency_item(idem, &pk, &new.token, r.created_at),
                Some(Cond::new(NOT_EXISTS)),
            )?;
        }
        for start in r.run.slot_starts() {
            let mut lock = key(
                keys::slot_pk(r.run.equipment()),
                keys::slot_sk(r.run.date(), start),
            );
            lock.insert("t".into(), s(keys::T_SLOT));
            lock.insert("code".into(), s(r.code.compact()));
            tx.put(&self.table, Role::Slot, lock, Some(Cond::new(NOT_EXISTS)))?;
        }
        if let Some((q, person)) = quota {
            let minutes = i64::from(r.run.minutes());
            // The item may not exist yet (0 minutes held); when the run alone
            // exceeds the limit, `:room` is negative and the condition fails
            // either way.
            let room = i64::from(q.limit_minutes) - minutes;
            let expr = if room >= 0 {
                "attribute_not_exists(minutes) OR minutes <= :room"
            } else {
                "minutes <= :room"
            };
            let cond = Cond::new(expr)
                .name("#t", "t")
                .value(":room", n(room))
                .value(":m", n(minutes))
                .value(":t", s(keys::T_QUOTA))
                .value(":exp", n(personal_expiry(r.purge_after)));
            tx.update(
                &self.table,
                Role::Quota,
                key(keys::quota(person), q.week_start.to_string()),
                "SET #t = :t, expires_at = :exp ADD minutes :m",
                cond,
            )?;
        }
        closures::check_open(&mut tx, &self.table, r)?;
        let (meta, person) = reservation_items(r, quota.map(|(q, _)| q.week_start))?;
        tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
        tx.put(&self.table, Role::Plain, person, None)?;
        outbox::put_all(
            &mut tx,
            &self.table,
            &Subject::Reservation(r.code),
            r.purge_after,
            r.created_at,
            &new.messages,
        )?;

        let mut token = new
            .idempotency
            .as_ref()
            .map(|i| client_token(&self.table, i));
        let mut backoff = Backoff::new();
        loop {
            match self.run(OP, &tx, token.as_deref()).await? {
                TxOutcome::Committed => {
                    return Ok(Created {
                        record: r.clone(),
                        token: new.token.clone(),
                        replayed: false,
                    });
                }
                TxOutcome::Failed(roles) => {
                    if roles.contains(&Role::Idem)
                        && let Some(idem) = &new.idempotency
                    {
                        return self.replay_reservation(idem).await;
                    }
                    return Err(if roles.contains(&Role::Closed) {
                        Error::new(Code::Closed)
                    } else if roles.contains(&Role::Slot) {
                        Error::new(Code::SlotTaken)
                    } else if roles.contains(&Role::Quota) {
                        Error::new(Code::QuotaExceeded)
                    } else if roles.contains(&Role::Code) {
                        Error::new(Code::DuplicateCode)
                    } else {
                        Error::storage(
                            OP,
                            DynamoFailure {
                                code: "UnexpectedCondition".into(),
                                message: String::new(),
                            },
                        )
                    });
                }
                TxOutcome::TokenReused => {
                    // An earlier request under this key used the token with
                    // other parameters (another generated code).
                    if let Some(idem) = &new.idempotency
                        && self.idem_record(idem).await?.is_some()
                    {
                        return self.replay_reservation(idem).await;
                    }
                    // That earlier request failed; our own record guards the key.
                    token = None;
                }
                TxOutcome::Conflict => {
                    backoff.retry("create_reservation", OP).await?;
                }
            }
        }
    }

    pub(super) async fn set_reservation_status_impl(
        &self,
        code: &ReservationCode,
        change: StatusChange<ReservationStatus>,
    ) -> Result<Reservation> {
        const OP: &str = "changing a reservation's status";
        let pk = keys::res(code);
        let mut backoff = Backoff::new();
        loop {
            let items = self.partition(OP, &pk).await?;
            let Some(meta) = items.iter().find(|i| get_s(i, "sk") == Some(keys::META)) else {
                return Err(Error::new(Code::NotFound));
            };
            let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
            let current = reservation_from(meta, person)?;
            let old = current.status;
            if !change.from.contains(&old) {
                return Err(crate::store::invalid_status(old));
            }
            let to = change.to;
            let mut tx = Tx::default();
            // Conditioned on the document too: a move (which changes the
            // run, not the status) in between makes this read again, so the
            // slots released are those the reservation holds.
            let doc = get_s(meta, "doc").unwrap_or_default().to_owned();
            // 취소 records who cancelled (the attribute `cancelled_by`,
            // read over the document's copy).
            let cancelled_by = if to == ReservationStatus::Cancelled {
                change.cancelled_by
            } else {
                current.cancelled_by
            };
            let mut cond = Cond::new("#st = :old AND #doc = :olddoc")
                .name("#st", "status")
                .name("#doc", "doc")
                .value(":old", s(old.as_str()))
                .value(":olddoc", s(doc))
                .value(":to", s(to.as_str()))
                .value(":at", s(change.at.to_string()));
            let set = match cancelled_by {
                Some(by) => {
                    cond = cond.value(":by", s(by.as_str()));
                    "SET #st = :to, updated_at = :at, cancelled_by = :by"
                }
                None => "SET #st = :to, updated_at = :at REMOVE cancelled_by",
            };
            tx.update(&self.table, Role::Fresh, key(&pk, keys::META), set, cond)?;
            if old.holds_slots() && !to.holds_slots() {
                for start in current.run.slot_starts() {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(
                            keys::slot_pk(current.run.equipment()),
                            keys::slot_sk(current.run.date(), start),
                        ),
                        None,
                    )?;
                }
                if let (Some(week), Some(person)) = (get_s(meta, "quota_week"), &current.person_key)
                {
                    tx.update(
                        &self.table,
                        Role::Plain,
                        key(keys::quota(person), week),
                        "ADD minutes :m",
                        Cond::new("").value(":m", n(-i64::from(current.run.minutes()))),
                    )?;
                }
            }
            if let Some(person) = &current.person_key {
                let hist_sk = keys::hist_no_show(current.run.date(), current.code.compact());
                if old == ReservationStatus::NoShow && to != ReservationStatus::NoShow {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::hist(person), &hist_sk),
                        None,
                    )?;
                }
                if to == ReservationStatus::NoShow && old != ReservationStatus::NoShow {
                    let mut h = key(keys::hist(person), &hist_sk);
                    h.insert("t".into(), s(keys::T_HIST));
                    h.insert(
                        TTL_ATTRIBUTE.into(),
                        n(personal_expiry(current.purge_after)),
                    );
                    tx.put(&self.table, Role::Plain, h, None)?;
                }
            }
            if let Some(person) = &current.person_key {
                rekey::person_key_unchanged(&mut tx, &self.table, &pk, person)?;
            }
            if change.cancel_queued {
                outbox::cancel_queued(&mut tx, &self.table, &items, change.at)?;
            }
            outbox::put_all(
                &mut tx,
                &self.table,
                &Subject::Reservation(current.code),
                current.purge_after,
                change.at,
                &change.messages,
            )?;
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => {
                    let mut updated = current;
                    updated.status = to;
                    updated.updated_at = change.at;
                    updated.cancelled_by = cancelled_by;
                    return Ok(updated);
                }
                // The status changed between the read and the write: look again.
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("set_reservation_status", OP).await?;
                }
            }
        }
    }

    pub(super) async fn reschedule_reservation_impl(
        &self,
        code: &ReservationCode,
        mv: Reschedule,
    ) -> Result<Reservation> {
        const OP: &str = "moving a reservation";
        let pk = keys::res(code);
        let mut backoff = Backoff::new();
        loop {
            let items = self.partition(OP, &pk).await?;
            let Some(meta) = items.iter().find(|i| get_s(i, "sk") == Some(keys::META)) else {
                return Err(Error::new(Code::NotFound));
            };
            let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
            let current = reservation_from(meta, person)?;
            let old = current.status;
            if !mv.from.contains(&old) || !old.holds_slots() {
                return Err(crate::store::invalid_status(old));
            }
            if !super::super::same_line(&current.run, &mv.to) {
                return Err(Error::new(Code::InvalidStatus));
            }
            let old_doc = get_s(meta, "doc")
                .ok_or_else(|| corrupt("a reservation without its document"))?
                .to_owned();
            let mut moved = current.clone();
            moved.purge_after = super::super::moved_purge_after(&current, &mv.to);
            moved.run = mv.to.clone();
            moved.updated_at = mv.at;
            let new_week = match (mv.quota, &current.person_key) {
                (Some(q), Some(_)) => Some(q.week_start),
                _ => None,
            };
            let (new_meta, _) = reservation_items(&moved, new_week)?;
            let mut tx = Tx::default();
            let order = keys::res_order(&moved);
            let (set_week, cond) = match new_week {
                Some(w) => (", quota_week = :qw", Some(s(w.to_string()))),
                None => (" REMOVE quota_week", None),
            };
            let mut c = Cond::new("#st = :old AND #doc = :olddoc")
                .name("#st", "status")
                .name("#doc", "doc")
                .value(":old", s(old.as_str()))
                .value(":olddoc", s(old_doc))
                .value(
                    ":doc",
                    new_meta.get("doc").cloned().unwrap_or_else(|| s("")),
                )
                .value(":at", s(mv.at.to_string()))
                .value(":order", s(order));
            if let Some(w) = cond {
                c = c.value(":qw", w);
            }
            tx.update(
                &self.table,
                Role::Fresh,
                key(&pk, keys::META),
                &format!(
                    "SET #doc = :doc, updated_at = :at, gsi1sk = :order, gsi2sk = :order{set_week}"
                ),
                c,
            )?;
            let old_slots: Vec<_> = current.run.slot_starts().collect();
            let same_day = current.run.date() == mv.to.date();
            for start in &old_slots {
                if same_day && mv.to.slot_starts().any(|n| n == *start) {
                    continue;
                }
                tx.delete(
                    &self.table,
                    Role::Plain,
                    key(
                        keys::slot_pk(current.run.equipment()),
                        keys::slot_sk(current.run.date(), *start),
                    ),
                    None,
                )?;
            }
            // A closure of the new day refuses the move, as it refuses a
            // booking (checked inside the same transaction).
            closures::check_open(&mut tx, &self.table, &moved)?;
            for start in mv.to.slot_starts() {
                if same_day && old_slots.contains(&start) {
                    continue;
                }
                let mut lock = key(
                    keys::slot_pk(mv.to.equipment()),
                    keys::slot_sk(mv.to.date(), start),
                );
                lock.insert("t".into(), s(keys::T_SLOT));
                lock.insert("code".into(), s(current.code.compact()));
                tx.put(&self.table, Role::Slot, lock, Some(Cond::new(NOT_EXISTS)))?;
            }
            if let Some(person) = &current.person_key {
                let old_week = get_s(meta, "quota_week").map(str::to_owned);
                let old_minutes = i64::from(current.run.minutes());
                let new_minutes = i64::from(mv.to.minutes());
                let exp = n(personal_expiry(moved.purge_after));
                match (old_week, mv.quota) {
                    (Some(w), Some(q)) if w == q.week_start.to_string() => {
                        quota_add(
                            &mut tx,
                            &self.table,
                            person,
                            q.week_start,
                            new_minutes - old_minutes,
                            Some(i64::from(q.limit_minutes) - new_minutes + old_minutes),
                            exp,
                        )?;
                    }
                    (old_week, quota) => {
                        if let Some(w) = old_week {
                            tx.update(
                                &self.table,
                                Role::Plain,
                                key(keys::quota(person), w),
                                "ADD minutes :m",
                                Cond::new("").value(":m", n(-old_minutes)),
                            )?;
                        }
                        if let Some(q) = quota {
                            quota_add(
                                &mut tx,
                                &self.table,
                                person,
                                q.week_start,
                                new_minutes,
                                Some(i64::from(q.limit_minutes) - new_minutes),
                                exp,
                            )?;
                        }
                    }
                }
                // The personal item follows the new retention; its condition
                // is that of `rekey::person_key_unchanged`.
                tx.update(
                    &self.table,
                    Role::Fresh,
                    key(&pk, keys::PERSON),
                    "SET purge_after = :pa, #exp = :exp",
                    rekey::person_key_is(person)
                        .name("#exp", TTL_ATTRIBUTE)
                        .value(":pa", s(moved.purge_after.to_string()))
                        .value(":exp", n(personal_expiry(moved.purge_after))),
                )?;
            }
            outbox::cancel_queued(&mut tx, &self.table, &items, mv.at)?;
            outbox::put_all(
                &mut tx,
                &self.table,
                &Subject::Reservation(current.code),
                moved.purge_after,
                mv.at,
                &mv.messages,
            )?;
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(moved),
                // The record or a queued message changed between the read
                // and the write: look again.
                TxOutcome::Failed(roles) if roles.contains(&Role::Fresh) => {
                    backoff.retry("reschedule_reservation", OP).await?;
                }
                TxOutcome::Failed(roles) if roles.contains(&Role::Closed) => {
                    return Err(Error::new(Code::Closed));
                }
                TxOutcome::Failed(roles) if roles.contains(&Role::Slot) => {
                    return Err(Error::new(Code::SlotTaken));
                }
                TxOutcome::Failed(roles) if roles.contains(&Role::Quota) => {
                    return Err(Error::new(Code::QuotaExceeded));
                }
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("reschedule_reservation", OP).await?;
                }
            }
        }
    }
}

/// Adds `minutes` (negative: gives back) to a person's week, with the
/// condition that the week then holds at most the limit (`room`: the most
/// minutes the week may hold before the change).
fn quota_add(
    tx: &mut Tx,
    table: &str,
    person: &PersonKey,
    week: Date,
    minutes: i64,
    room: Option<i64>,
    expires: AttributeValue,
) -> Result<()> {
    let expr = match room {
        Some(r) if r >= 0 => "attribute_not_exists(minutes) OR minutes <= :room",
        Some(_) => "minutes <= :room",
        None => "",
    };
    let mut cond = Cond::new(expr)
        .name("#t", "t")
        .value(":m", n(minutes))
        .value(":t", s(keys::T_QUOTA))
        .value(":exp", expires);
    if let Some(r) = room {
        cond = cond.value(":room", n(r));
    }
    tx.update(
        table,
        if room.is_some() {
            Role::Quota
        } else {
            Role::Plain
        },
        key(keys::quota(person), week.to_string()),
        "SET #t = :t, expires_at = :exp ADD minutes :m",
        cond,
    )
}
