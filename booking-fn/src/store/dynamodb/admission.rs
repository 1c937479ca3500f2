//! Step 3 of an application (writing it once admitted), and giving an
//! admission back when it cannot be written.

use super::*;

/// Why an admitted application was not written, and what its request holds.
pub(super) struct NotWritten {
    pub(super) error: Error,
    /// The admission held now: a waitlist place (its number, in
    /// [`Admitted::number`]) or a seat (admitted, or handed to the number
    /// by a promotion).
    pub(super) holds: ApplicationStatus,
    /// The last attempt's outcome is unknown: the application may exist.
    pub(super) unknown: bool,
}

impl DynamoStore {
    /// Writes the admitted application in one transaction that does not
    /// touch the counter: the claims checked, the application and its
    /// personal item, a waiter's entry (`attribute_not_exists`) and the
    /// messages of its status.
    ///
    /// A waiter whose entry was written first by a promotion (`handed`:
    /// the seat is its number's) is written enrolled instead, with the
    /// enrolled messages. A transient failure is retried with the same
    /// `ClientRequestToken` (bounded backoff), after reading back whether
    /// the application was written: it is written once, or not at all.
    pub(super) async fn write_application(
        &self,
        claims: &Claims<'_>,
        new: &NewApplication,
        admitted: &Admitted,
    ) -> std::result::Result<Created<Application>, NotWritten> {
        const OP: &str = "applying";
        let pk = keys::app(&new.application.code);
        let mut status = admitted.status;
        let mut token = Some(self.application_token(new, "application"));
        // Built once per variant: the same transaction is sent again with
        // its token.
        let mut built: Option<Tx> = None;
        let mut backoff = Backoff::new();
        loop {
            let failed = move |error, unknown| NotWritten {
                error,
                holds: status,
                unknown,
            };
            let tx = match &mut built {
                Some(tx) => tx,
                empty => empty.insert(
                    self.application_tx(claims, new, admitted, status)
                        .map_err(|e| failed(e, false))?,
                ),
            };
            let outcome = match self.run(OP, tx, token.as_deref()).await {
                Ok(outcome) => outcome,
                Err(e) => {
                    // The outcome is unknown (a timeout, a lost connection).
                    if let Ok(Some(written)) = self.written(&pk, new).await {
                        return Ok(created(new, admitted, written));
                    }
                    if transient(&e) && backoff.wait("apply").await {
                        continue;
                    }
                    return Err(failed(e, true));
                }
            };
            match outcome {
                TxOutcome::Committed => return Ok(created(new, admitted, status)),
                TxOutcome::Failed(roles) if roles.contains(&Role::Code) => {
                    // The code exists: this request's own attempt whose
                    // answer was lost, or another application.
                    return match self.written(&pk, new).await {
                        Ok(Some(written)) => Ok(created(new, admitted, written)),
                        Ok(None) => Err(failed(Error::new(Code::DuplicateCode), false)),
                        Err(e) => Err(failed(e, true)),
                    };
                }
                TxOutcome::Failed(roles) if roles.contains(&Role::Wait) => {
                    let target = &new.application.target;
                    let number = admitted.number.unwrap_or_default();
                    match self.waiter_state(target, number).await {
                        Ok(Some(state)) if state == HANDED => {
                            // A promotion gave this number a seat.
                            status = ApplicationStatus::Enrolled;
                            token = Some(self.application_token(new, "application-handed"));
                            built = None;
                        }
                        Ok(_) => return Err(failed(corrupt("a waiter number taken twice"), false)),
                        Err(e) => return Err(failed(e, false)),
                    }
                }
                // A claim was taken over: this request was taken for dead
                // (see `CLAIM_GRACE`).
                TxOutcome::Failed(_) => return Err(failed(too_busy(OP), false)),
                TxOutcome::TokenReused => token = None,
                TxOutcome::Conflict => {
                    if let Err(e) = backoff.retry("apply", OP).await {
                        return Err(failed(e, false));
                    }
                }
            }
        }
    }

    /// The transaction that writes the admitted application as `status`.
    fn application_tx(
        &self,
        claims: &Claims<'_>,
        new: &NewApplication,
        admitted: &Admitted,
        status: ApplicationStatus,
    ) -> Result<Tx> {
        let mut application = new.application.clone();
        application.seq = admitted.seq;
        application.status = status;
        let code = application.code.compact();
        let mut tx = Tx::default();
        claims.check(&mut tx, &self.table)?;
        let (mut meta, person) = application_items(&application)?;
        let number = match status {
            ApplicationStatus::Waitlisted => Some(
                admitted
                    .number
                    .ok_or_else(|| corrupt("a waitlist place without its number"))?,
            ),
            _ => None,
        };
        if let Some(number) = number {
            meta.insert(WAITER_NUMBER.into(), n(number));
        }
        tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
        tx.put(&self.table, Role::Plain, person, None)?;
        if let Some(number) = number {
            let entry = waiting_entry(&application.target, number, code, admitted.seq);
            tx.put(&self.table, Role::Wait, entry, Some(Cond::new(NOT_EXISTS)))?;
        }
        let mut messages = new.messages.clone();
        if let Some((_, when)) = new.messages_when.iter().find(|(st, _)| *st == status) {
            messages.extend(when.iter().cloned());
        }
        if let (ApplicationStatus::Waitlisted, Some(position)) = (status, admitted.position) {
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
        Ok(tx)
    }

    /// The `ClientRequestToken` of one variant (`step`) of the application's
    /// transaction.
    fn application_token(&self, new: &NewApplication, step: &str) -> String {
        match &new.idempotency {
            Some(idem) => client_token_for(&self.table, idem, step),
            None => application_token(&self.table, new.application.code.compact(), step),
        }
    }

    /// The status this request wrote its application with, if it did (the
    /// application's document keeps the status it was written with, and
    /// its token hash tells this request's from another's).
    async fn written(&self, pk: &str, new: &NewApplication) -> Result<Option<ApplicationStatus>> {
        let Some(meta) = self
            .get("reading an application back", pk, keys::APP_META)
            .await?
        else {
            return Ok(None);
        };
        let doc: Application = from_json(&meta, "doc")?;
        Ok((doc.token_hash == new.application.token_hash).then_some(doc.status))
    }

    /// Gives back an admission whose application was not written: a
    /// waitlist place is marked `left` under its number (unless a promotion
    /// handed the number a seat meanwhile: then that seat is given back); a
    /// seat goes to the first waiter, or back to the programme (see
    /// [`DynamoStore::give_seat`]). When the outcome of the last attempt
    /// was unknown, this holds only if the application does not exist;
    /// if it does, it is returned.
    pub(super) async fn release(
        &self,
        target: &Target,
        failed: &NotWritten,
        new: &NewApplication,
        admitted: &Admitted,
    ) -> Result<Option<Created<Application>>> {
        const OP: &str = "giving back an admission";
        let pk = keys::app(&new.application.code);
        let (at, purge_after) = (new.application.created_at, new.application.purge_after);
        let number = admitted.number.unwrap_or_default();
        let mut holds = failed.holds;
        let mut backoff = Backoff::new();
        loop {
            let mut tx = Tx::default();
            let delta = match holds {
                ApplicationStatus::Waitlisted => {
                    let entry = ended_entry(target, number, LEFT, personal_expiry(purge_after));
                    tx.put(&self.table, Role::Wait, entry, Some(Cond::new(NOT_EXISTS)))?;
                    CounterDelta {
                        waiting: -1,
                        wl_out: 1,
                        ..Default::default()
                    }
                }
                ApplicationStatus::Enrolled => {
                    self.give_seat(&mut tx, target, "", at, purge_after, &[])
                        .await?
                        .delta
                }
                _ => return Ok(None),
            };
            if failed.unknown {
                tx.check(
                    &self.table,
                    Role::Code,
                    key(&pk, keys::APP_META),
                    Cond::new(NOT_EXISTS),
                )?;
            }
            delta.write(&mut tx, &self.table, target)?;
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(None),
                TxOutcome::Failed(roles) if roles.contains(&Role::Code) => {
                    return Ok(self
                        .written(&pk, new)
                        .await?
                        .map(|status| created(new, admitted, status)));
                }
                TxOutcome::Failed(roles) if roles.contains(&Role::Wait) => {
                    if self.waiter_state(target, number).await?.as_deref() != Some(HANDED) {
                        // Ended already: nothing to give back.
                        return Ok(None);
                    }
                    holds = ApplicationStatus::Enrolled;
                }
                _ => backoff.retry("release", OP).await?,
            }
        }
    }
}

/// The answer for an application written as `status`.
fn created(
    new: &NewApplication,
    admitted: &Admitted,
    status: ApplicationStatus,
) -> Created<Application> {
    let mut record = new.application.clone();
    record.seq = admitted.seq;
    record.status = status;
    Created {
        record,
        token: new.token.clone(),
        replayed: false,
    }
}
