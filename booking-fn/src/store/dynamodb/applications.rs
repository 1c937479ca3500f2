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
        // counter; it holds only if the claims are still ours.
        let mut application = new.application.clone();
        application.seq = admitted.seq;
        application.status = admitted.status;
        let mut tx = Tx::default();
        claims.check(&mut tx, &self.table)?;
        let (meta, person) = application_items(&application)?;
        tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
        tx.put(&self.table, Role::Plain, person, None)?;
        if admitted.status == ApplicationStatus::Waitlisted {
            let mut w = key(keys::target(target), keys::waiter_sk(admitted.seq));
            w.insert("t".into(), s(keys::T_WAIT));
            w.insert("code".into(), s(&code));
            w.insert("seq".into(), n(admitted.seq));
            tx.put(&self.table, Role::Plain, w, None)?;
        }
        let mut messages = new.messages.clone();
        if let Some((_, when)) = new
            .messages_when
            .iter()
            .find(|(st, _)| *st == admitted.status)
        {
            messages.extend(when.iter().cloned());
        }
        if let Some(position) = admitted.position {
            for m in &mut messages {
                m.params.insert("position".into(), position.to_string());
            }
        }
        outbox::put_all(
            &mut tx,
            &self.table,
            &Subject::Application(application.code),
            application.purge_after,
            application.created_at,
            &messages,
        )?;

        let created = Created {
            record: application,
            token: new.token.clone(),
            replayed: false,
        };
        let mut token = new
            .idempotency
            .as_ref()
            .map(|i| client_token_for(&self.table, i, "application"));
        let mut backoff = Backoff::new();
        let failure = loop {
            let outcome = match self.run(OP, &tx, token.as_deref()).await {
                Ok(outcome) => outcome,
                Err(e) => {
                    // The outcome is unknown (a timeout, a lost connection):
                    // the application exists now, or everything is given
                    // back.
                    if self.get(OP, &pk, keys::APP_META).await?.is_some() {
                        return Ok(created);
                    }
                    break e;
                }
            };
            match outcome {
                TxOutcome::Committed => return Ok(created),
                TxOutcome::Failed(roles) if roles.contains(&Role::Code) => {
                    break Error::new(Code::DuplicateCode);
                }
                // A claim was taken over: this request was taken for dead
                // (see `CLAIM_GRACE`).
                TxOutcome::Failed(_) => break too_busy(OP),
                TxOutcome::TokenReused => token = None,
                TxOutcome::Conflict => {
                    if let Err(e) = backoff.retry("apply", OP).await {
                        break e;
                    }
                }
            }
        };
        self.release(target, &admitted, created.record.created_at)
            .await?;
        self.drop_claims(&claims).await?;
        Err(failure)
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
    /// seat or else a waitlist place, in one conditional `UpdateItem` of
    /// the counter: `full` when neither is free, `filled` when the target
    /// is closed. A failed condition returns the counter as it is, and the
    /// admission is asked again on it.
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
                    "SET #t = :t ADD seq :one, waiting :one",
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
                    return Ok(Admitted {
                        seq: now.seq,
                        status,
                        position: (status == ApplicationStatus::Waitlisted).then_some(now.waiting),
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

    /// Gives back an admission whose application was not written: a
    /// waitlist place is freed; a seat goes to the earliest waiting
    /// application, or back to the programme when nobody waits.
    async fn release(&self, target: &Target, admitted: &Admitted, at: Timestamp) -> Result<()> {
        const OP: &str = "giving back an admission";
        let mut backoff = Backoff::new();
        loop {
            let mut tx = Tx::default();
            let mut delta = CounterDelta::default();
            match admitted.status {
                ApplicationStatus::Waitlisted => {
                    delta.waiting = -1;
                    delta.wl_out = 1;
                }
                ApplicationStatus::Enrolled => {
                    let seat = self
                        .give_seat(&mut tx, target, "", at, &[], &backoff)
                        .await?;
                    match seat {
                        None => {
                            backoff.retry("release", OP).await?;
                            continue;
                        }
                        Some(seat) => delta = seat.delta,
                    }
                }
                _ => return Ok(()),
            }
            delta.write(&mut tx, &self.table, target)?;
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(()),
                _ => backoff.retry("release", OP).await?,
            }
        }
    }

    /// Adds to `tx` what a seat freed in `target` does: the earliest
    /// waiting application (other than `except`) is promoted, with
    /// `promotion_messages` by the channels its person chose; or, when
    /// nobody waits, the seat goes back to the programme. Returns the
    /// counter change to write with it, and the promoted application.
    ///
    /// `None`: the waitlist is not settled, read again after a pause. An
    /// application admitted to the waitlist is counted before its entry is
    /// written; while the entries at or below the counter's arrival number
    /// are fewer than the count, an earlier arrival may still be on its
    /// way, and promoting the first entry seen could pass it over. After
    /// [`WAITLIST_GRACE`] the entries seen are taken as they are (an
    /// admission whose writer died is never written).
    pub(super) async fn give_seat(
        &self,
        tx: &mut Tx,
        target: &Target,
        except: &str,
        at: Timestamp,
        promotion_messages: &[NewMessage],
        backoff: &Backoff,
    ) -> Result<Option<GivenSeat>> {
        let counter = self.counter(target).await?;
        let mut delta = CounterDelta::default();
        if counter.waiting == 0 {
            delta.seats = -1;
            delta.cond = CounterCond::NobodyWaits;
            return Ok(Some(GivenSeat {
                delta,
                promoted: None,
            }));
        }
        let waiters = self.waiters(target, counter.seq).await?;
        let settled = waiters.len() as u64 == counter.waiting;
        if !settled && backoff.started.elapsed() < WAITLIST_GRACE {
            return Ok(None);
        }
        if !settled {
            tracing::warn!(
                op = "give_seat",
                "dynamodb: the waitlist count is ahead of its entries (an interrupted application?)"
            );
        }
        let Some((seq, waiter_code)) = waiters.into_iter().find(|(_, c)| c != except) else {
            // Nobody visible waits: the seat goes back, unless a waiter
            // arrives meanwhile.
            delta.seats = -1;
            delta.cond = CounterCond::WaitingIs(counter.waiting);
            return Ok(Some(GivenSeat {
                delta,
                promoted: None,
            }));
        };
        let waiter_pk = format!("APP#{waiter_code}");
        let Some(waiter) = self.load_application(&waiter_pk).await? else {
            return Err(corrupt("a waitlist entry without its application"));
        };
        let at_s = s(at.to_string());
        tx.update(
            &self.table,
            Role::Fresh,
            key(&waiter_pk, keys::APP_META),
            "SET #st = :enrolled, updated_at = :at",
            status_is(ApplicationStatus::Waitlisted.as_str())
                .value(":enrolled", s(ApplicationStatus::Enrolled.as_str()))
                .value(":at", at_s),
        )?;
        tx.delete(
            &self.table,
            Role::Fresh,
            key(keys::target(target), keys::waiter_sk(seq)),
            Some(Cond::new("attribute_exists(pk)")),
        )?;
        delta.waiting = -1;
        delta.wl_out = 1;
        // No waiter left the list since the count was read: then every
        // waiter counted was seen, and this one is the earliest.
        delta.cond = CounterCond::RemovedIs(counter.wl_out);
        let mut w = waiter;
        w.status = ApplicationStatus::Enrolled;
        w.updated_at = at;
        let mut messages = promotion_messages.to_vec();
        // Only by the channels the promoted person chose.
        let chosen = w.person.as_ref().map(|x| x.channels()).unwrap_or_default();
        messages.retain(|m| chosen.contains(&m.channel));
        for m in &mut messages {
            m.params.insert("code".into(), w.code.to_string());
        }
        outbox::put_all(
            tx,
            &self.table,
            &Subject::Application(w.code),
            w.purge_after,
            at,
            &messages,
        )?;
        Ok(Some(GivenSeat {
            delta,
            promoted: Some(w),
        }))
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
            let Some(current) = self.load_application(&pk).await? else {
                return Err(Error::new(Code::NotFound));
            };
            let old = current.status;
            if !change.from.contains(&old) {
                return Err(Error::new(Code::InvalidStatus));
            }
            let to = change.to;
            let target = &current.target;
            let at = s(change.at.to_string());
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
            let enters_wait = to == ApplicationStatus::Waitlisted && to != old;
            let mut promoted: Option<Application> = None;
            if frees_seat || takes_seat || leaves_wait || enters_wait {
                let mut delta = CounterDelta::default();
                if frees_seat {
                    let Some(seat) = self
                        .give_seat(
                            &mut tx,
                            target,
                            current.code.compact(),
                            change.at,
                            &change.promotion_messages,
                            &backoff,
                        )
                        .await?
                    else {
                        backoff.retry("set_application_status", OP).await?;
                        continue;
                    };
                    delta = seat.delta;
                    promoted = seat.promoted;
                }
                if leaves_wait {
                    delta.waiting -= 1;
                    delta.wl_out += 1;
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::target(target), keys::waiter_sk(current.seq)),
                        None,
                    )?;
                }
                if enters_wait {
                    delta.waiting += 1;
                    let mut w = key(keys::target(target), keys::waiter_sk(current.seq));
                    w.insert("t".into(), s(keys::T_WAIT));
                    w.insert("code".into(), s(current.code.compact()));
                    w.insert("seq".into(), n(current.seq));
                    tx.put(&self.table, Role::Plain, w, None)?;
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
