//! The `Store` implementation: each operation, with the long ones in
//! `reservations.rs`, `applications.rs` and `purge.rs`.

use super::*;
use crate::domain::{AuditEntry, AuditFilter, Closure};

#[async_trait]
impl Store for DynamoStore {
    fn kind(&self) -> &'static str {
        "dynamodb"
    }

    async fn create_reservation(&self, new: NewReservation) -> Result<Created<Reservation>> {
        self.create_reservation_impl(new).await
    }

    async fn reservation(&self, code: &ReservationCode) -> Result<Option<Reservation>> {
        self.load_reservation(&keys::res(code)).await
    }

    async fn set_reservation_status(
        &self,
        code: &ReservationCode,
        change: StatusChange<ReservationStatus>,
    ) -> Result<Reservation> {
        self.set_reservation_status_impl(code, change).await
    }

    async fn reschedule_reservation(
        &self,
        code: &ReservationCode,
        mv: Reschedule,
    ) -> Result<Reservation> {
        self.reschedule_reservation_impl(code, mv).await
    }

    async fn taken_slots(&self, equipment: &Id, from: Date, to: Date) -> Result<Vec<TakenSlot>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        // Sort keys are "YYYY-MM-DDTHH:MM"; "U" sorts after "T".
        let (lo, hi) = (format!("{from}T"), format!("{to}U"));
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk AND sk BETWEEN :lo AND :hi")
                .expression_attribute_values(":pk", s(keys::slot_pk(equipment)))
                .expression_attribute_values(":lo", s(lo.clone()))
                .expression_attribute_values(":hi", s(hi.clone()))
                .projection_expression("sk")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("reading availability", e))?;
            for item in page.items() {
                let sk = get_s(item, "sk").unwrap_or_default();
                let (date, time) = sk
                    .split_once('T')
                    .ok_or_else(|| corrupt("a slot lock with a bad key"))?;
                let date = date
                    .parse()
                    .map_err(|_| corrupt("a slot lock with a bad date"))?;
                let start = time
                    .parse()
                    .map_err(|_| corrupt("a slot lock with a bad time"))?;
                out.push(TakenSlot { date, start });
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    async fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>> {
        let range = match (filter.from, filter.to) {
            (None, None) => None,
            (from, to) => Some((
                "gsi1sk",
                from.map(|d| format!("{d}T")).unwrap_or_else(|| "0".into()),
                to.map(|d| format!("{d}U")).unwrap_or_else(|| "9".into()),
            )),
        };
        let metas = if let Some(f) = &filter.facility {
            self.query_index(GSI_FACILITY, "gsi1pk", keys::res_by_facility(f), range)
                .await?
        } else if let Some(e) = &filter.equipment {
            let range = range.map(|(_, a, b)| ("gsi2sk", a, b));
            self.query_index(GSI_SUBJECT, "gsi2pk", keys::res_by_equipment(e), range)
                .await?
        } else {
            self.scan_type(keys::T_RES).await?
        };
        let status = filter.status.map(|s| s.as_str());
        let mut out = self
            .records(metas, status, reservation_from, |r| filter.matches(r))
            .await?;
        out.sort_by(|a, b| {
            (a.run.date(), a.run.start(), a.code.compact()).cmp(&(
                b.run.date(),
                b.run.start(),
                b.code.compact(),
            ))
        });
        Ok(out)
    }

    async fn person_history(&self, person: &PersonKey) -> Result<PersonHistory> {
        let items = self
            .partition("reading a person's history", &keys::hist(person))
            .await?;
        let mut history = PersonHistory::default();
        for item in &items {
            let sk = get_s(item, "sk").unwrap_or_default();
            if let Some(rest) = sk.strip_prefix("N#") {
                let date = rest.split('#').next().and_then(|d| d.parse().ok());
                history
                    .no_show_dates
                    .push(date.ok_or_else(|| corrupt("a no-show record with a bad date"))?);
            } else if sk.starts_with("T#") {
                let t = training_from(person, item)?;
                if !history.attended_programmes.contains(&t.programme) {
                    history.attended_programmes.push(t.programme);
                }
            } else if let Some(rest) = sk.strip_prefix("A#") {
                let programme: Id = rest
                    .split('#')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| corrupt("an attendance record with a bad programme"))?;
                if !history.attended_programmes.contains(&programme) {
                    history.attended_programmes.push(programme);
                }
            }
        }
        Ok(history)
    }

    async fn record_training(&self, record: crate::domain::TrainingRecord) -> Result<()> {
        // One conditional put: the same person, programme and day again
        // keeps the first record.
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(training_item(&record)))
            .condition_expression(NOT_EXISTS)
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => {
                Ok(())
            }
            Err(e) => Err(storage("recording a training", e)),
        }
    }

    async fn training_records(
        &self,
        person: &PersonKey,
    ) -> Result<Vec<crate::domain::TrainingRecord>> {
        let items = self
            .partition("reading training records", &keys::hist(person))
            .await?;
        let mut out = items
            .iter()
            .filter(|i| get_s(i, "sk").is_some_and(|sk| sk.starts_with("T#")))
            .map(|i| training_from(person, i))
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| (a.completed, &a.programme).cmp(&(b.completed, &b.programme)));
        Ok(out)
    }

    async fn rekey_persons(&self, secret: &crate::domain::ServerKey) -> Result<u64> {
        let done = self.rekey_all(secret).await?;
        if done.duplicates > 0 {
            tracing::warn!(
                applications = done.duplicates,
                "dynamodb: applications left on the legacy person key: their person applied again to the same target meanwhile; cancel one of the two"
            );
        }
        Ok(done.moved)
    }

    async fn apply(&self, new: NewApplication) -> Result<Created<Application>> {
        self.apply_impl(new).await
    }

    async fn application(&self, code: &ApplicationCode) -> Result<Option<Application>> {
        self.load_application(&keys::app(code)).await
    }

    async fn set_application_status(
        &self,
        code: &ApplicationCode,
        change: StatusChange<ApplicationStatus>,
    ) -> Result<ApplicationChange> {
        self.set_application_status_impl(code, change).await
    }

    async fn applications(&self, filter: &ApplicationFilter) -> Result<Vec<Application>> {
        let metas = if let Some(t) = &filter.target {
            self.query_index(GSI_SUBJECT, "gsi2pk", keys::app_by_target(t), None)
                .await?
        } else if let Some(f) = &filter.facility {
            self.query_index(GSI_FACILITY, "gsi1pk", keys::app_by_facility(f), None)
                .await?
        } else {
            self.scan_type(keys::T_APP).await?
        };
        let status = filter.status.map(|s| s.as_str());
        let mut out = self
            .records(metas, status, application_from, |a| filter.matches(a))
            .await?;
        out.sort_by(|a, b| {
            (a.target.kind.as_str(), a.target.id.as_str(), a.seq).cmp(&(
                b.target.kind.as_str(),
                b.target.id.as_str(),
                b.seq,
            ))
        });
        Ok(out)
    }

    async fn set_target_closed(&self, target: &Target, closed: Option<Timestamp>) -> Result<()> {
        // `ver` moves, so an application that read the counter before
        // fails its condition and reads it again.
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::target(target), keys::COUNTER)))
            .expression_attribute_names("#t", "t")
            .expression_attribute_values(":t", s(keys::T_COUNTER))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1));
        update = match closed {
            Some(at) => update
                .update_expression(
                    "SET #t = :t, ver = if_not_exists(ver, :zero) + :one, \
                     closed_at = if_not_exists(closed_at, :c)",
                )
                .expression_attribute_values(":c", n(at.as_microsecond())),
            None => update.update_expression(
                "SET #t = :t, ver = if_not_exists(ver, :zero) + :one REMOVE closed_at",
            ),
        };
        update
            .send()
            .await
            .map_err(|e| storage("closing a target", e))?;
        Ok(())
    }

    async fn target_closed(&self, target: &Target) -> Result<Option<Timestamp>> {
        self.counter(target)
            .await?
            .closed
            .map(|micros| {
                Timestamp::from_microsecond(micros).map_err(|_| corrupt("a closed target's time"))
            })
            .transpose()
    }

    async fn submit_survey(&self, response: SurveyResponse) -> Result<()> {
        let mut item = key(keys::survey(&response.survey), response.subject.key());
        item.insert("t".into(), s(keys::T_SURVEY));
        item.insert("doc".into(), s(to_json(&response)?));
        item.insert("submitted_at".into(), s(response.submitted_at.to_string()));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(NOT_EXISTS)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Err(Error::new(Code::SurveyAlreadySubmitted))
            }
            Err(e) => Err(storage("storing a survey response", e)),
        }
    }

    async fn survey_responses(&self, survey: &Id) -> Result<Vec<SurveyResponse>> {
        let items = self
            .partition("reading survey responses", &keys::survey(survey))
            .await?;
        let mut out: Vec<SurveyResponse> = items
            .iter()
            .map(|i| from_json(i, "doc"))
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| {
            a.submitted_at
                .cmp(&b.submitted_at)
                .then_with(|| a.subject.key().cmp(&b.subject.key()))
        });
        Ok(out)
    }

    async fn has_survey_response(
        &self,
        survey: &Id,
        subject: &crate::domain::Subject,
    ) -> Result<bool> {
        let item = self
            .get(
                "reading a survey response",
                &keys::survey(survey),
                &subject.key(),
            )
            .await?;
        Ok(item.is_some())
    }

    async fn create_staff_session(&self, session: StaffSession) -> Result<()> {
        let mut item = key(keys::session(&session.id), keys::SESSION_SK);
        item.insert("t".into(), s(keys::T_SESSION));
        item.insert("entry".into(), s(session.entry));
        item.insert(TTL_ATTRIBUTE.into(), n(session.expires.as_second()));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| storage("storing a staff session", e))?;
        Ok(())
    }

    async fn staff_session(&self, id: &str) -> Result<Option<StaffSession>> {
        let Some(item) = self
            .get(
                "reading a staff session",
                &keys::session(id),
                keys::SESSION_SK,
            )
            .await?
        else {
            return Ok(None);
        };
        let expires = get_n::<i64>(&item, TTL_ATTRIBUTE)
            .and_then(|e| Timestamp::from_second(e).ok())
            .ok_or_else(|| corrupt("a staff session without its expiry"))?;
        Ok(Some(StaffSession {
            id: id.to_owned(),
            entry: get_s(&item, "entry").unwrap_or_default().to_owned(),
            expires,
        }))
    }

    async fn end_staff_session(&self, id: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::session(id), keys::SESSION_SK)))
            .send()
            .await
            .map_err(|e| storage("ending a staff session", e))?;
        Ok(())
    }

    async fn renew_staff_session(&self, id: &str, expires: Timestamp) -> Result<bool> {
        // The expiry is the table's TTL attribute: moving it keeps the
        // session from DynamoDB's background deletion as well.
        let moved = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::session(id), keys::SESSION_SK)))
            .update_expression("SET #exp = :exp")
            .condition_expression("attribute_exists(pk) AND #exp < :exp")
            .expression_attribute_names("#exp", TTL_ATTRIBUTE)
            .expression_attribute_values(":exp", n(expires.as_second()))
            .send()
            .await;
        match moved {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(storage("renewing a staff session", e)),
        }
    }

    async fn put_one_time_code(&self, code: OneTimeCode) -> Result<()> {
        self.put_code_impl(code).await
    }

    async fn check_one_time_code(
        &self,
        person: &PersonKey,
        hash: &str,
        now: Timestamp,
        max_attempts: u32,
    ) -> Result<CodeCheck> {
        self.check_code_impl(person, hash, now, max_attempts).await
    }

    async fn create_person_session(&self, session: PersonSession) -> Result<()> {
        self.create_person_session_impl(session).await
    }

    async fn person_session(&self, id: &str) -> Result<Option<PersonSession>> {
        self.person_session_impl(id).await
    }

    async fn end_person_session(&self, id: &str) -> Result<()> {
        self.end_person_session_impl(id).await
    }

    async fn records_of_person(&self, person: &PersonKey) -> Result<PersonRecords> {
        self.records_of_person_impl(person).await
    }

    async fn count_attempt(
        &self,
        key: &str,
        window_start: Timestamp,
        expires: Timestamp,
        add: u32,
    ) -> Result<u32> {
        let item_key = self::key(keys::attempt(key), keys::attempt_window(window_start));
        if add == 0 {
            let item = self
                .get(
                    "reading an attempt counter",
                    &keys::attempt(key),
                    &keys::attempt_window(window_start),
                )
                .await?;
            return Ok(item.and_then(|i| get_n::<u32>(&i, "attempts")).unwrap_or(0));
        }
        // ADD is atomic on the item: simultaneous calls from any number of
        // instances each get their own count. The TTL removes the item
        // after `expires`; `purge` does it at once.
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(item_key))
            .update_expression("SET #t = :t, #exp = :exp ADD #n :add")
            .expression_attribute_names("#t", "t")
            .expression_attribute_names("#exp", TTL_ATTRIBUTE)
            .expression_attribute_names("#n", "attempts")
            .expression_attribute_values(":t", s(keys::T_ATTEMPT))
            .expression_attribute_values(":exp", n(expires.as_second()))
            .expression_attribute_values(":add", n(add))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(|e| storage("counting an attempt", e))?;
        out.attributes()
            .and_then(|a| get_n::<u32>(a, "attempts"))
            .ok_or_else(|| corrupt("an attempt counter without its count"))
    }

    async fn purge(&self, today: Date, now: Timestamp) -> Result<PurgeReport> {
        self.purge_impl(today, now).await
    }

    async fn enqueue_messages(
        &self,
        subject: &Subject,
        messages: Vec<NewMessage>,
        now: Timestamp,
    ) -> Result<()> {
        self.outbox_enqueue(subject, messages, now).await
    }

    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>> {
        self.outbox_claim(now, lease_until, owner, limit).await
    }

    async fn finish_message(
        &self,
        subject: &Subject,
        id: &MessageId,
        owner: &str,
        outcome: MessageOutcome,
    ) -> Result<bool> {
        self.outbox_finish(id, owner, outcome, &outbox::subject_pk(subject))
            .await
    }

    async fn messages_of(&self, subject: &Subject) -> Result<Vec<OutboxMessage>> {
        self.outbox_of(subject).await
    }

    async fn create_closure(&self, closure: Closure) -> Result<()> {
        self.create_closure_impl(closure).await
    }

    async fn closures(&self, facility: Option<&Id>, from: Date) -> Result<Vec<Closure>> {
        self.closures_impl(facility, from).await
    }

    async fn remove_closure(&self, id: &str) -> Result<Closure> {
        self.remove_closure_impl(id).await
    }

    async fn append_audit(&self, entry: AuditEntry) -> Result<()> {
        self.append_audit_impl(entry).await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.audit_entries_impl(filter).await
    }
}
