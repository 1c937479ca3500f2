//! Writing applications and their status changes (with promotions).

use super::*;

impl DynamoStore {
    pub(super) async fn apply_impl(&self, new: NewApplication) -> Result<Created<Application>> {
        const OP: &str = "applying";
        let pk = keys::app(&new.application.code);
        let target = &new.application.target;
        let mut token = new
            .idempotency
            .as_ref()
            .map(|i| client_token(&self.table, i));
        let mut backoff = Backoff::new();
        loop {
            let counter = self.counter(target).await?;
            if counter.closed.is_some() {
                // A retry of an application made before the close gets its
                // answer; anything else is refused.
                if let Some(idem) = &new.idempotency
                    && self.idem_record(idem).await?.is_some()
                {
                    return self.replay_application(idem).await;
                }
                return Err(Error::new(Code::Filled));
            }
            let seq = counter.seq + 1;
            let mut next = Counter { seq, ..counter };
            let status = match new.admission {
                Admission::Capacity { capacity, .. } if counter.seats < u64::from(capacity) => {
                    next.seats += 1;
                    Some(ApplicationStatus::Enrolled)
                }
                Admission::Capacity { waitlist, .. } if counter.waiting < u64::from(waitlist) => {
                    next.waiting += 1;
                    Some(ApplicationStatus::Waitlisted)
                }
                Admission::Capacity { .. } => None,
                Admission::Open => Some(ApplicationStatus::Submitted),
            };
            let mut application = new.application.clone();
            application.seq = seq;
            let mut tx = Tx::default();
            let one_key = application
                .person_key
                .as_ref()
                .map(|p| key(keys::one(target, p), keys::ONE_SK));
            match status {
                Some(status) => {
                    application.status = status;
                    if let Some(idem) = &new.idempotency {
                        let item = idempotency_item(idem, &pk, &new.token, application.created_at);
                        tx.put(&self.table, Role::Idem, item, Some(Cond::new(NOT_EXISTS)))?;
                    }
                    if let Some(mut one) = one_key {
                        one.insert("t".into(), s(keys::T_ONE));
                        one.insert("code".into(), s(application.code.compact()));
                        one.insert(
                            TTL_ATTRIBUTE.into(),
                            n(personal_expiry(application.purge_after)),
                        );
                        tx.put(&self.table, Role::One, one, Some(Cond::new(NOT_EXISTS)))?;
                    }
                    counter.write(&mut tx, &self.table, target, next)?;
                    let (meta, person) = application_items(&application)?;
                    tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
                    tx.put(&self.table, Role::Plain, person, None)?;
                    if status == ApplicationStatus::Waitlisted {
                        let mut w = key(keys::target(target), keys::waiter_sk(seq));
                        w.insert("t".into(), s(keys::T_WAIT));
                        w.insert("code".into(), s(application.code.compact()));
                        w.insert("seq".into(), n(seq));
                        tx.put(&self.table, Role::Plain, w, None)?;
                    }
                    let mut messages = new.messages.clone();
                    if let Some((_, when)) = new.messages_when.iter().find(|(st, _)| *st == status)
                    {
                        messages.extend(when.iter().cloned());
                    }
                    if status == ApplicationStatus::Waitlisted {
                        for m in &mut messages {
                            m.params.insert("position".into(), next.waiting.to_string());
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
                }
                None => {
                    // Full: write nothing, but answer a retry or a duplicate
                    // first, and only if the counter is still as read.
                    if let Some(idem) = &new.idempotency {
                        tx.check(
                            &self.table,
                            Role::Idem,
                            key(keys::idem(idem.id()), keys::IDEM_SK),
                            Cond::new(NOT_EXISTS),
                        )?;
                    }
                    if let Some(one) = one_key {
                        tx.check(&self.table, Role::One, one, Cond::new(NOT_EXISTS))?;
                    }
                    counter.check(&mut tx, &self.table, target)?;
                }
            }
            let outcome = self
                .run(
                    OP,
                    &tx,
                    if status.is_some() {
                        token.as_deref()
                    } else {
                        None
                    },
                )
                .await?;
            match outcome {
                TxOutcome::Committed => {
                    if status.is_none() {
                        return Err(Error::new(Code::Full));
                    }
                    return Ok(Created {
                        record: application,
                        token: new.token.clone(),
                        replayed: false,
                    });
                }
                TxOutcome::Failed(roles) => {
                    if roles.contains(&Role::Idem)
                        && let Some(idem) = &new.idempotency
                    {
                        return self.replay_application(idem).await;
                    }
                    if roles.contains(&Role::One) {
                        return Err(Error::new(Code::AlreadyApplied));
                    }
                    if roles.contains(&Role::Code) {
                        return Err(Error::new(Code::DuplicateCode));
                    }
                    // The counter moved: another application or cancellation
                    // came first. Read it again.
                    backoff.retry("apply", OP).await?;
                }
                TxOutcome::TokenReused => {
                    if let Some(idem) = &new.idempotency
                        && self.idem_record(idem).await?.is_some()
                    {
                        return self.replay_application(idem).await;
                    }
                    token = None;
                }
                TxOutcome::Conflict => {
                    backoff.retry("apply", OP).await?;
                }
            }
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
                .value(":at", at.clone());
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

            // Seats and the waitlist.
            let frees_seat = old.holds_seat() && !to.holds_seat();
            let takes_seat = !old.holds_seat() && to.holds_seat();
            let leaves_wait = old == ApplicationStatus::Waitlisted && to != old;
            let enters_wait = to == ApplicationStatus::Waitlisted && to != old;
            let mut promoted: Option<Application> = None;
            if frees_seat || takes_seat || leaves_wait || enters_wait {
                let counter = self.counter(target).await?;
                let mut next = counter;
                if leaves_wait {
                    next.waiting = next.waiting.saturating_sub(1);
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::target(target), keys::waiter_sk(current.seq)),
                        None,
                    )?;
                }
                if enters_wait {
                    next.waiting += 1;
                    let mut w = key(keys::target(target), keys::waiter_sk(current.seq));
                    w.insert("t".into(), s(keys::T_WAIT));
                    w.insert("code".into(), s(current.code.compact()));
                    w.insert("seq".into(), n(current.seq));
                    tx.put(&self.table, Role::Plain, w, None)?;
                }
                if takes_seat {
                    next.seats += 1;
                }
                if frees_seat {
                    match self.first_waiter(target, current.code.compact()).await? {
                        Some((seq, waiter_code)) => {
                            let waiter_pk = format!("APP#{waiter_code}");
                            let Some(waiter) = self.load_application(&waiter_pk).await? else {
                                return Err(corrupt("a waitlist entry without its application"));
                            };
                            tx.update(
                                &self.table,
                                Role::Fresh,
                                key(&waiter_pk, keys::APP_META),
                                "SET #st = :enrolled, updated_at = :at",
                                status_is(ApplicationStatus::Waitlisted.as_str())
                                    .value(":enrolled", s(ApplicationStatus::Enrolled.as_str()))
                                    .value(":at", at.clone()),
                            )?;
                            tx.delete(
                                &self.table,
                                Role::Fresh,
                                key(keys::target(target), keys::waiter_sk(seq)),
                                Some(Cond::new("attribute_exists(pk)")),
                            )?;
                            next.waiting = next.waiting.saturating_sub(1);
                            let mut w = waiter;
                            w.status = ApplicationStatus::Enrolled;
                            w.updated_at = change.at;
                            let mut messages = change.promotion_messages.clone();
                            // Only by the channels the promoted person chose.
                            let chosen =
                                w.person.as_ref().map(|x| x.channels()).unwrap_or_default();
                            messages.retain(|m| chosen.contains(&m.channel));
                            for m in &mut messages {
                                m.params.insert("code".into(), w.code.to_string());
                            }
                            outbox::put_all(
                                &mut tx,
                                &self.table,
                                &Subject::Application(w.code),
                                w.purge_after,
                                change.at,
                                &messages,
                            )?;
                            promoted = Some(w);
                        }
                        None => next.seats = next.seats.saturating_sub(1),
                    }
                }
                counter.write(&mut tx, &self.table, target, next)?;
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
