//! Writing applications and their status changes (with promotions).

use super::*;

impl DynamoStore {
    pub(super) async fn apply_impl(&self, new: NewApplication) -> Result<Created<Application>> {
        const OP: &str = "applying";
        let pk = keys::app(&new.application.code);
        let target = &new.application.target;
        let code = new.application.code.compact().to_owned();
        let claims = Claims {
            idem: new.idempotency.as_ref(),
            one: new
                .application
                .person_key
                .as_ref()
                .map(|p| key(keys::one(target, p), keys::ONE_SK)),
            pk: &pk,
            code: &code,
        };

        // 1. The claims: the idempotency key and the one-per-person item,
        // in one small transaction away from the counter. A retry or a
        // second application of the same person stops here, without an
        // arrival number.
        let mut backoff = Backoff::new();
        loop {
            match self.claim(&claims, &new).await? {
                Claimed::Ours => break,
                Claimed::Replay => {
                    if let Some(idem) = &new.idempotency {
                        return self.replay_application(idem).await;
                    }
                }
                Claimed::Active => return Err(Error::new(Code::AlreadyApplied)),
                Claimed::Conflict => {}
            }
            backoff.retry("apply", OP).await?;
        }

        // 2. The arrival number and the admission, in one conditional
        // `UpdateItem` of the target's counter (an atomic counter: no
        // transaction, so a burst of applicants never conflicts).
        let admitted = match self.admit(target, new.admission).await {
            Ok(admitted) => admitted,
            Err(e) => {
                self.drop_claims(&claims).await?;
                return Err(e);
            }
        };

        // 3. The application, in one transaction that does not touch the
        // counter; it holds only if the claims are still this request's.
        let failed = match self.write_application(&claims, &new, &admitted).await {
            Ok(created) => return Ok(created),
            Err(failed) => failed,
        };
        if let Some(created) = self.release(target, &failed, &new, &admitted).await? {
            // Written after all (an outcome that was unknown).
            return Ok(created);
        }
        self.drop_claims(&claims).await?;
        Err(failed.error)
    }

    /// Writes the claims of a new application (idempotency record and
    /// one-per-person item, both naming the application), or says whose
    /// they are. A claim whose application is still being written is
    /// waited for; one whose writer died (older than [`CLAIM_GRACE`], no
    /// application) is removed and claimed again.
    async fn claim(&self, c: &Claims<'_>, new: &NewApplication) -> Result<Claimed> {
        const OP: &str = "claiming an application";
        if c.idem.is_none() && c.one.is_none() {
            return Ok(Claimed::Ours);
        }
        let claimed_ms = n(Timestamp::now().as_millisecond());
        let mut tx = Tx::default();
        if let Some(idem) = c.idem {
            let mut item = idempotency_item(idem, c.pk, &new.token, new.application.created_at);
            item.insert("claimed_ms".into(), claimed_ms.clone());
            tx.put(&self.table, Role::Idem, item, Some(Cond::new(NOT_EXISTS)))?;
        }
        if let Some(one) = &c.one {
            let mut one = one.clone();
            one.insert("t".into(), s(keys::T_ONE));
            one.insert("code".into(), s(c.code));
            one.insert("claimed_ms".into(), claimed_ms);
            one.insert(
                TTL_ATTRIBUTE.into(),
                n(personal_expiry(new.application.purge_after)),
            );
            tx.put(&self.table, Role::One, one, Some(Cond::new(NOT_EXISTS)))?;
        }
        let token = c.idem.map(|i| client_token(&self.table, i));
        let mut outcome = self.run(OP, &tx, token.as_deref()).await?;
        if let TxOutcome::TokenReused = outcome {
            // The token was used by another request with this key (whose
            // claim may be gone since): the condition decides.
            outcome = self.run(OP, &tx, None).await?;
        }
        let failed = match outcome {
            TxOutcome::Committed => return Ok(Claimed::Ours),
            TxOutcome::Conflict => return Ok(Claimed::Conflict),
            TxOutcome::TokenReused => Role::Idem,
            TxOutcome::Failed(roles) if roles.contains(&Role::Idem) => Role::Idem,
            TxOutcome::Failed(_) => Role::One,
        };
        // Whose claim it is: an application that exists (or is being
        // written) answers; a dead claim is removed.
        let claim_key = match (failed, c.idem) {
            (Role::Idem, Some(idem)) => key(keys::idem(idem.id()), keys::IDEM_SK),
            _ => c
                .one
                .clone()
                .ok_or_else(|| corrupt("a claim without its key"))?,
        };
        let (claim_pk, claim_sk) = (
            get_s(&claim_key, "pk").unwrap_or_default().to_owned(),
            get_s(&claim_key, "sk").unwrap_or_default().to_owned(),
        );
        let Some(item) = self.get(OP, &claim_pk, &claim_sk).await? else {
            // Gone meanwhile (given back after `full`): claim again.
            return Ok(Claimed::Conflict);
        };
        let other_pk = match failed {
            Role::Idem => get_s(&item, "record").unwrap_or_default().to_owned(),
            _ => keys::app_compact(get_s(&item, "code").unwrap_or_default()),
        };
        let answer = if failed == Role::Idem {
            Claimed::Replay
        } else {
            Claimed::Active
        };
        let same_request = c
            .idem
            .is_some_and(|i| get_s(&item, "fingerprint") == Some(i.fingerprint.as_str()));
        if failed == Role::Idem && (!same_request || !other_pk.starts_with("APP#")) {
            // The key was used for something else: `idempotency_conflict`.
            return Ok(answer);
        }
        if self.get(OP, &other_pk, keys::APP_META).await?.is_some() {
            return Ok(answer);
        }
        let age_ms =
            Timestamp::now().as_millisecond() - get_n::<i64>(&item, "claimed_ms").unwrap_or(0);
        if age_ms < CLAIM_GRACE.as_millis() as i64 {
            // Its application is being written: ask again shortly.
            return Ok(Claimed::Conflict);
        }
        // Its writer died: remove the claim, if its application still does
        // not exist, and claim again.
        let mut tx = Tx::default();
        let record_is = if failed == Role::Idem {
            Cond::new("#r = :r")
                .name("#r", "record")
                .value(":r", s(&other_pk))
        } else {
            Cond::new("#c = :c")
                .name("#c", "code")
                .value(":c", item.get("code").cloned().unwrap_or_else(|| s("")))
        };
        tx.delete(&self.table, Role::Fresh, claim_key, Some(record_is))?;
        tx.check(
            &self.table,
            Role::Fresh,
            key(&other_pk, keys::APP_META),
            Cond::new(NOT_EXISTS),
        )?;
        tracing::warn!(
            op = "claim",
            "dynamodb: removing the claim of an application never written"
        );
        self.run(OP, &tx, None).await?;
        Ok(Claimed::Conflict)
    }

    /// Removes this request's claims (after `full`, `filled`, or a failure
    /// after which nothing was written).
    async fn drop_claims(&self, c: &Claims<'_>) -> Result<()> {
        const OP: &str = "giving back claims";
        if c.idem.is_none() && c.one.is_none() {
            return Ok(());
        }
        let mut tx = Tx::default();
        if let Some(idem) = c.idem {
            tx.delete(
                &self.table,
                Role::Fresh,
                key(keys::idem(idem.id()), keys::IDEM_SK),
                Some(
                    Cond::new("#r = :r")
                        .name("#r", "record")
                        .value(":r", s(c.pk)),
                ),
            )?;
        }
        if let Some(one) = &c.one {
            tx.delete(
                &self.table,
                Role::Fresh,
                one.clone(),
                Some(
                    Cond::new("#c = :c")
                        .name("#c", "code")
                        .value(":c", s(c.code)),
                ),
            )?;
        }
        tx.check(
            &self.table,
            Role::Fresh,
            key(c.pk, keys::APP_META),
            Cond::new(NOT_EXISTS),
        )?;
        let mut backoff = Backoff::new();
        loop {
            match self.run(OP, &tx, None).await? {
                // Failed: not ours any more (taken over), nothing to give back.
                TxOutcome::Committed | TxOutcome::Failed(_) => return Ok(()),
                TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("drop_claims", OP).await?
                }
            }
        }
    }

    /// Takes the next arrival number of `target` and, for a programme, a
    /// seat or else a waitlist place with the next waiter number, in one
    /// conditional `UpdateItem` of the counter: `full` when neither is
    /// free, `filled` when the target is closed. A failed condition returns
    /// the counter as it is, and the admission is asked again on it.
    async fn admit(&self, target: &Target, admission: Admission) -> Result<Admitted> {
        const OP: &str = "taking an arrival number";
        // Seats first, unless they were all taken when last seen here; a
        // failed condition returns the counter as it is.
        let hint_key = keys::target(target);
        let mut counter = Counter::default();
        if let Admission::Capacity { capacity, .. } = admission
            && self.seats_taken_hint(&hint_key, None)
        {
            counter.seats = u64::from(capacity);
        }
        // Whether `counter` was read from the table (else it is a guess,
        // which may choose what to ask for but never answers `full`).
        let mut read = false;
        let mut backoff = Backoff::new();
        loop {
            if !read
                && let Admission::Capacity { capacity, waitlist } = admission
                && counter.seats >= u64::from(capacity)
                && counter.waiting >= u64::from(waitlist)
            {
                counter = self.counter(target).await?;
                read = true;
                if counter.closed.is_some() {
                    return Err(Error::new(Code::Filled));
                }
                continue;
            }
            let (status, expr, cond) = match admission {
                Admission::Open => (
                    ApplicationStatus::Submitted,
                    "SET #t = :t ADD seq :one",
                    "attribute_not_exists(closed_at)",
                ),
                Admission::Capacity { capacity, .. } if counter.seats < u64::from(capacity) => (
                    ApplicationStatus::Enrolled,
                    "SET #t = :t ADD seq :one, seats :one",
                    "attribute_not_exists(closed_at) \
                     AND (attribute_not_exists(seats) OR seats < :cap)",
                ),
                Admission::Capacity { waitlist, .. } if counter.waiting < u64::from(waitlist) => (
                    ApplicationStatus::Waitlisted,
                    "SET #t = :t ADD seq :one, waiting :one, wl_in :one",
                    "attribute_not_exists(closed_at) \
                     AND (attribute_not_exists(seats) OR seats >= :cap) \
                     AND (attribute_not_exists(waiting) OR waiting < :wl)",
                ),
                Admission::Capacity { .. } => return Err(Error::new(Code::Full)),
            };
            let (capacity, waitlist) = match admission {
                Admission::Capacity { capacity, waitlist } => (capacity, waitlist),
                Admission::Open => (0, 0),
            };
            let mut update = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(keys::target(target), keys::COUNTER)))
                .update_expression(expr)
                .condition_expression(cond)
                .expression_attribute_names("#t", "t")
                .expression_attribute_values(":t", s(keys::T_COUNTER))
                .expression_attribute_values(":one", n(1))
                .return_values(ReturnValue::AllNew)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                );
            if status != ApplicationStatus::Submitted {
                update = update.expression_attribute_values(":cap", n(capacity));
            }
            if status == ApplicationStatus::Waitlisted {
                update = update.expression_attribute_values(":wl", n(waitlist));
            }
            match update.send().await {
                Ok(out) => {
                    let now = out
                        .attributes()
                        .map(Counter::from_item)
                        .ok_or_else(|| corrupt("a counter update without its values"))?;
                    if let Admission::Capacity { capacity, .. } = admission {
                        self.seats_taken_hint(&hint_key, Some(now.seats >= u64::from(capacity)));
                    }
                    let waitlisted = status == ApplicationStatus::Waitlisted;
                    return Ok(Admitted {
                        seq: now.seq,
                        status,
                        position: waitlisted.then_some(now.waiting),
                        number: waitlisted.then_some(now.wl_in),
                    });
                }
                Err(e) => match e.as_service_error() {
                    Some(UpdateItemError::ConditionalCheckFailedException(failed)) => {
                        // The counter moved (the seats filled, or the
                        // target closed): decide again on what it is now.
                        counter = match failed.item() {
                            Some(item) => Counter::from_item(item),
                            None => self.counter(target).await?,
                        };
                        read = true;
                        if counter.closed.is_some() {
                            return Err(Error::new(Code::Filled));
                        }
                        if let Admission::Capacity { capacity, .. } = admission {
                            self.seats_taken_hint(
                                &hint_key,
                                Some(counter.seats >= u64::from(capacity)),
                            );
                        }
                        if backoff.attempt > 3 {
                            backoff.retry("admit", OP).await?;
                        } else {
                            backoff.attempt += 1;
                        }
                    }
                    Some(UpdateItemError::TransactionConflictException(_)) => {
                        // A cancellation's transaction holds the counter.
                        backoff.retry("admit", OP).await?;
                    }
                    _ => return Err(storage(OP, e)),
                },
            }
        }
    }

    /// Whether this process last saw all seats of the target (counter
    /// key) taken; `set` records what it sees now.
    fn seats_taken_hint(&self, target: &str, set: Option<bool>) -> bool {
        let Ok(mut taken) = self.seats_taken.lock() else {
            return false;
        };
        match set {
            Some(true) => !taken.insert(target.to_owned()),
            Some(false) => taken.remove(target),
            None => taken.contains(target),
        }
    }

    pub(super) async fn set_application_status_impl(
        &self,
        code: &ApplicationCode,
        change: StatusChange<ApplicationStatus>,
    ) -> Result<ApplicationChange> {
        const OP: &str = "changing an application's status";
        let pk = keys::app(code);
        let mut backoff = Backoff::new();
        loop {
            let Some((current, number)) = self.load_waiter(&pk).await? else {
                return Err(Error::new(Code::NotFound));
            };
            let old = current.status;
            if !change.from.contains(&old) {
                return Err(crate::store::invalid_status(old));
            }
            let to = change.to;
            let target = &current.target;
            let at = s(change.at.to_string());
            let enters_wait = to == ApplicationStatus::Waitlisted && to != old;
            // Back on the waitlist (no service does this): at its end,
            // with the next waiter number.
            let wl_in = match enters_wait {
                true => Some(self.counter(target).await?.wl_in),
                false => None,
            };
            let mut tx = Tx::default();
            let mut update_expr = "SET #st = :to, updated_at = :at";
            let mut cond = status_is(old.as_str())
                .value(":to", s(to.as_str()))
                .value(":at", at);
            if to == ApplicationStatus::NoShow && old != ApplicationStatus::NoShow {
                // The day the no-show was recorded, for the no-show rule.
                update_expr = "SET #st = :to, updated_at = :at, no_show_date = :nsd";
                cond = cond.value(":nsd", s(kst_parts(change.at).0.to_string()));
            }
            if let Some(wl_in) = wl_in {
                update_expr = "SET #st = :to, updated_at = :at, #no = :no";
                cond = cond.name("#no", WAITER_NUMBER).value(":no", n(wl_in + 1));
            }
            tx.update(
                &self.table,
                Role::Fresh,
                key(&pk, keys::APP_META),
                update_expr,
                cond,
            )?;

            if let Some(person) = &current.person_key {
                if old.is_active() && !to.is_active() {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::one(target, person), keys::ONE_SK),
                        None,
                    )?;
                }
                // Attendance and no-shows feed the person's history.
                let code_c = current.code.compact();
                let expiry = n(personal_expiry(current.purge_after));
                if target.kind == TargetKind::Programme {
                    let sk = keys::hist_attended(&target.id, code_c);
                    if old == ApplicationStatus::Attended && to != old {
                        tx.delete(&self.table, Role::Plain, key(keys::hist(person), &sk), None)?;
                    }
                    if to == ApplicationStatus::Attended && to != old {
                        let mut h = key(keys::hist(person), &sk);
                        h.insert("t".into(), s(keys::T_HIST));
                        h.insert(TTL_ATTRIBUTE.into(), expiry.clone());
                        tx.put(&self.table, Role::Plain, h, None)?;
                        // The training record, kept past the purge; the
                        // same day again overwrites it with the same.
                        if let Some(t) = change
                            .training
                            .as_ref()
                            .filter(|t| &t.person == person && t.programme == target.id)
                        {
                            tx.put(&self.table, Role::Plain, training_item(t), None)?;
                        }
                    }
                }
                if old == ApplicationStatus::NoShow && to != old {
                    let meta = self.get(OP, &pk, keys::APP_META).await?;
                    if let Some(date) = meta.as_ref().and_then(|m| get_s(m, "no_show_date")) {
                        let sk = format!("N#{date}#{code_c}");
                        tx.delete(&self.table, Role::Plain, key(keys::hist(person), sk), None)?;
                    }
                }
                if to == ApplicationStatus::NoShow && to != old {
                    let sk = keys::hist_no_show(kst_parts(change.at).0, code_c);
                    let mut h = key(keys::hist(person), sk);
                    h.insert("t".into(), s(keys::T_HIST));
                    h.insert(TTL_ATTRIBUTE.into(), expiry);
                    tx.put(&self.table, Role::Plain, h, None)?;
                }
            }

            // Seats and the waitlist: relative changes of the counter, so
            // that applicants taking arrival numbers meanwhile are kept.
            let frees_seat = old.holds_seat() && !to.holds_seat();
            let takes_seat = !old.holds_seat() && to.holds_seat();
            let leaves_wait = old == ApplicationStatus::Waitlisted && to != old;
            let mut promoted: Option<Application> = None;
            if frees_seat || takes_seat || leaves_wait || enters_wait {
                let mut delta = CounterDelta::default();
                if frees_seat {
                    let seat = self
                        .give_seat(
                            &mut tx,
                            target,
                            current.code.compact(),
                            change.at,
                            current.purge_after,
                            &change.promotion_messages,
                        )
                        .await?;
                    delta = seat.delta;
                    promoted = seat.promoted;
                }
                if leaves_wait {
                    delta.waiting -= 1;
                    delta.wl_out += 1;
                    match number {
                        // Kept, marked left: a missing number would be taken
                        // for a waiter still being written.
                        Some(number) => end_entry(
                            &mut tx,
                            &self.table,
                            target,
                            number,
                            current.code.compact(),
                            LEFT,
                            personal_expiry(current.purge_after),
                        )?,
                        None => tx.delete(
                            &self.table,
                            Role::Plain,
                            key(keys::target(target), keys::legacy_waiter_sk(current.seq)),
                            None,
                        )?,
                    }
                }
                if let Some(wl_in) = wl_in {
                    delta.waiting += 1;
                    delta.wl_in = Some((wl_in, wl_in + 1));
                    let entry =
                        waiting_entry(target, wl_in + 1, current.code.compact(), current.seq);
                    tx.put(&self.table, Role::Fresh, entry, Some(Cond::new(NOT_EXISTS)))?;
                }
                if takes_seat {
                    delta.seats += 1;
                }
                delta.write(&mut tx, &self.table, target)?;
            }
            if change.cancel_queued {
                let items = self.partition(OP, &pk).await?;
                outbox::cancel_queued(&mut tx, &self.table, &items, change.at)?;
            }
            outbox::put_all(
                &mut tx,
                &self.table,
                &Subject::Application(current.code),
                current.purge_after,
                change.at,
                &change.messages,
            )?;

            if let Some(person) = &current.person_key {
                rekey::person_key_unchanged(&mut tx, &self.table, &pk, person)?;
            }
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => {
                    let mut application = current;
                    application.status = to;
                    application.updated_at = change.at;
                    return Ok(ApplicationChange {
                        application,
                        promoted,
                    });
                }
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("set_application_status", OP).await?;
                }
            }
        }
    }
}
