//! The purge: what the TTL does in the background, done at once.

use super::*;

impl DynamoStore {
    pub(super) async fn purge_impl(&self, today: Date, now: Timestamp) -> Result<PurgeReport> {
        // What the TTL does in the background, done now: delete every item
        // whose `expires_at` has passed. Personal items expire at the start
        // of the day after `purge_after` (so: `purge_after` before `today`);
        // idempotency records IDEMPOTENCY_HOURS after they were made,
        // attempt counters at the `expires` they were given, sessions and
        // one-time codes when they end.
        let today_cutoff =
            kst_instant(today, TimeOfDay::from_minutes(0).expect("00:00")).as_second();
        let mut report = PurgeReport::default();
        let mut start: Option<Item> = None;
        let mut doomed: Vec<Item> = Vec::new();
        // Survey responses with free text: checked once the records are
        // purged (their text goes with the record's personal data).
        let mut texts: Vec<Item> = Vec::new();
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression(
                    "(#t IN (:idem, :sess, :attempt, :code, :psess) AND #exp < :now) OR (NOT (#t IN (:idem, :sess, :attempt, :code, :psess)) AND #exp <= :today) OR (#t = :survey AND contains(doc, :text))",
                )
                .expression_attribute_names("#t", "t")
                .expression_attribute_names("#exp", TTL_ATTRIBUTE)
                .expression_attribute_values(":idem", s(keys::T_IDEM))
                .expression_attribute_values(":sess", s(keys::T_SESSION))
                .expression_attribute_values(":attempt", s(keys::T_ATTEMPT))
                .expression_attribute_values(":code", s(keys::T_CODE))
                .expression_attribute_values(":psess", s(keys::T_PERSON_SESSION))
                .expression_attribute_values(":survey", s(keys::T_SURVEY))
                .expression_attribute_values(":text", s(TEXT_ANSWER))
                .expression_attribute_values(":now", n(now.as_second()))
                .expression_attribute_values(":today", n(today_cutoff))
                .projection_expression("pk, sk, #t, doc")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("finding expired personal data", e))?;
            for item in page.items() {
                if get_s(item, "t") == Some(keys::T_SURVEY) {
                    texts.push(item.clone());
                    continue;
                }
                match get_s(item, "t") {
                    Some(keys::T_RES_PERSON) => report.reservations += 1,
                    Some(keys::T_APP_PERSON) => report.applications += 1,
                    Some(keys::T_IDEM) => report.idempotency_records += 1,
                    Some(keys::T_ATTEMPT) => report.attempt_counters += 1,
                    _ => {}
                }
                if let (Some(pk), Some(sk)) = (get_s(item, "pk"), get_s(item, "sk")) {
                    doomed.push(key(pk, sk));
                }
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => break,
            }
        }
        for chunk in doomed.chunks(25) {
            let mut pending: Vec<WriteRequest> = chunk
                .iter()
                .map(|k| {
                    DeleteRequest::builder()
                        .set_key(Some(k.clone()))
                        .build()
                        .map(|d| WriteRequest::builder().delete_request(d).build())
                        .map_err(build_err)
                })
                .collect::<Result<_>>()?;
            let mut backoff = Backoff::new();
            while !pending.is_empty() {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, std::mem::take(&mut pending))
                    .send()
                    .await
                    .map_err(|e| storage("deleting expired personal data", e))?;
                if let Some(rest) = out.unprocessed_items().and_then(|u| u.get(&self.table)) {
                    pending = rest.clone();
                    if !pending.is_empty() && !backoff.wait("purge").await {
                        return Err(too_busy("deleting expired personal data"));
                    }
                }
            }
        }
        let survey_texts = self.purge_survey_text(texts, today).await?;
        tracing::info!(
            survey_texts,
            reservations = report.reservations,
            applications = report.applications,
            idempotency_records = report.idempotency_records,
            attempt_counters = report.attempt_counters,
            "dynamodb: purged expired personal data"
        );
        Ok(report)
    }

    /// Drops the free-text answers of the survey responses `found` (items
    /// of the purge's scan) whose record's personal data is purged
    /// (`purge_after` before `today`, or the record gone); returns how many
    /// changed.
    async fn purge_survey_text(&self, found: Vec<Item>, today: Date) -> Result<u64> {
        let mut changed = 0;
        for item in found {
            let mut response: SurveyResponse = from_json(&item, "doc")?;
            let purged = match &response.subject {
                Subject::Reservation(c) => self
                    .reservation(c)
                    .await?
                    .is_none_or(|r| r.purge_after < today),
                Subject::Application(c) => self
                    .application(c)
                    .await?
                    .is_none_or(|a| a.purge_after < today),
            };
            if !purged || !response.drop_text() {
                continue;
            }
            let (Some(pk), Some(sk)) = (get_s(&item, "pk"), get_s(&item, "sk")) else {
                continue;
            };
            self.client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(pk, sk)))
                .update_expression("SET doc = :doc")
                .expression_attribute_values(":doc", s(to_json(&response)?))
                .send()
                .await
                .map_err(|e| storage("purging survey answers", e))?;
            changed += 1;
        }
        Ok(changed)
    }
}

/// How a free-text answer reads in a stored response (`doc`).
const TEXT_ANSWER: &str = "\"type\":\"text\"";
