//! Reads: partitions, items, idempotency records, counters.

use super::*;

impl DynamoStore {
    /// Every item of a partition (strongly consistent), following pages.
    pub(super) async fn partition(&self, context: &'static str, pk: &str) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(pk))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage(context, e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    pub(super) async fn get(
        &self,
        context: &'static str,
        pk: &str,
        sk: &str,
    ) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .consistent_read(true)
            .set_key(Some(key(pk, sk)))
            .send()
            .await
            .map_err(|e| storage(context, e))?;
        Ok(out.item().cloned())
    }

    pub(super) async fn idem_record(
        &self,
        idem: &IdempotencyRequest,
    ) -> Result<Option<IdemRecord>> {
        let Some(item) = self
            .get(
                "reading an idempotency record",
                &keys::idem(idem.id()),
                keys::IDEM_SK,
            )
            .await?
        else {
            return Ok(None);
        };
        let token = get_s(&item, "token")
            .and_then(|t| idem.open(t))
            .ok_or_else(|| corrupt("an idempotency record without its token"))?;
        Ok(Some(IdemRecord {
            fingerprint: get_s(&item, "fingerprint").unwrap_or_default().to_owned(),
            record: get_s(&item, "record").unwrap_or_default().to_owned(),
            token,
        }))
    }

    pub(super) async fn load_reservation(&self, pk: &str) -> Result<Option<Reservation>> {
        let items = self.partition("reading a reservation", pk).await?;
        let meta = items.iter().find(|i| get_s(i, "sk") == Some(keys::META));
        let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
        meta.map(|m| reservation_from(m, person)).transpose()
    }

    pub(super) async fn load_application(&self, pk: &str) -> Result<Option<Application>> {
        let items = self.partition("reading an application", pk).await?;
        let meta = items
            .iter()
            .find(|i| get_s(i, "sk") == Some(keys::APP_META));
        let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
        meta.map(|m| application_from(m, person)).transpose()
    }

    /// Query an index (eventually consistent), following pages.
    pub(super) async fn query_index(
        &self,
        index: &str,
        pk_attr: &'static str,
        pk: String,
        sk_range: Option<(&'static str, String, String)>,
    ) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .expression_attribute_names("#pk", pk_attr)
                .expression_attribute_values(":pk", s(pk.clone()));
            q = match &sk_range {
                Some((sk_attr, from, to)) => q
                    .key_condition_expression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expression_attribute_names("#sk", *sk_attr)
                    .expression_attribute_values(":from", s(from.clone()))
                    .expression_attribute_values(":to", s(to.clone())),
                None => q.key_condition_expression("#pk = :pk"),
            };
            let page = q
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("querying an index", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// Every item of one type (`t`): the admin fallback when a list is not
    /// narrowed to a facility, equipment or target.
    pub(super) async fn scan_type(&self, t: &'static str) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("#t = :t")
                .expression_attribute_names("#t", "t")
                .expression_attribute_values(":t", s(t))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("scanning the table", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// The personal items of these partitions (missing when purged), by pk.
    /// Records from their meta items: those with `status` (when given),
    /// joined with their personal items in one batch, kept when `keep`
    /// says so. The list reads of reservations and applications.
    pub(super) async fn records<T>(
        &self,
        metas: Vec<Item>,
        status: Option<&str>,
        from: fn(&Item, Option<&Item>) -> Result<T>,
        keep: impl Fn(&T) -> bool,
    ) -> Result<Vec<T>> {
        let metas: Vec<Item> = metas
            .into_iter()
            .filter(|m| status.is_none_or(|st| get_s(m, "status") == Some(st)))
            .collect();
        let pks = metas
            .iter()
            .filter_map(|m| get_s(m, "pk").map(str::to_owned))
            .collect();
        let personal = self.personal_items(pks).await?;
        let mut out = Vec::with_capacity(metas.len());
        for m in &metas {
            let record = from(m, get_s(m, "pk").and_then(|pk| personal.get(pk)))?;
            if keep(&record) {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// The items with these keys (strongly consistent; missing ones are
    /// left out), 100 keys a call.
    pub(super) async fn batch_get(
        &self,
        context: &'static str,
        keys: Vec<Item>,
    ) -> Result<Vec<Item>> {
        let mut found = Vec::new();
        for chunk in keys.chunks(100) {
            let mut pending: Vec<Item> = chunk.to_vec();
            let mut backoff = Backoff::new();
            while !pending.is_empty() {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(build_err)?;
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(|e| storage(context, e))?;
                if let Some(items) = out.responses().and_then(|r| r.get(&self.table)) {
                    found.extend(items.iter().cloned());
                }
                if let Some(rest) = out.unprocessed_keys().and_then(|u| u.get(&self.table)) {
                    pending = rest.keys().to_vec();
                    if !pending.is_empty() && !backoff.wait("batch_get").await {
                        return Err(too_busy(context));
                    }
                }
            }
        }
        Ok(found)
    }

    pub(super) async fn personal_items(&self, pks: Vec<String>) -> Result<HashMap<String, Item>> {
        let mut found = HashMap::new();
        for chunk in pks.chunks(100) {
            let mut pending: Vec<Item> = chunk
                .iter()
                .map(|pk| key(pk.clone(), keys::PERSON))
                .collect();
            let mut backoff = Backoff::new();
            while !pending.is_empty() {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(build_err)?;
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(|e| storage("reading personal data", e))?;
                if let Some(items) = out.responses().and_then(|r| r.get(&self.table)) {
                    for item in items {
                        if let Some(pk) = get_s(item, "pk") {
                            found.insert(pk.to_owned(), item.clone());
                        }
                    }
                }
                if let Some(rest) = out.unprocessed_keys().and_then(|u| u.get(&self.table)) {
                    pending = rest.keys().to_vec();
                    if !pending.is_empty() && !backoff.wait("batch_get").await {
                        return Err(too_busy("reading personal data"));
                    }
                }
            }
        }
        Ok(found)
    }

    pub(super) async fn counter(&self, target: &Target) -> Result<Counter> {
        let item = self
            .get(
                "reading a programme counter",
                &keys::target(target),
                keys::COUNTER,
            )
            .await?;
        Ok(item.as_ref().map(Counter::from_item).unwrap_or_default())
    }

    /// The waitlist entries of `target` with arrival numbers up to `upto`,
    /// earliest first, as (seq, code) (strongly consistent: the waitlist
    /// lives in the target's partition, not in an index).
    pub(super) async fn waiters(&self, target: &Target, upto: u64) -> Result<Vec<(u64, String)>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
                .expression_attribute_values(":pk", s(keys::target(target)))
                .expression_attribute_values(":from", s(keys::waiter_sk(0)))
                .expression_attribute_values(":to", s(keys::waiter_sk(upto)))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("reading a waitlist", e))?;
            for item in page.items() {
                let seq =
                    get_n(item, "seq").ok_or_else(|| corrupt("a waitlist entry without seq"))?;
                out.push((seq, get_s(item, "code").unwrap_or_default().to_owned()));
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }
}

/// How long a seat given out waits for the waitlist to settle (see
/// [`DynamoStore::give_seat`]). Writing an admitted application takes
/// milliseconds; this bounds the wait when its writer died in between.
pub(super) const WAITLIST_GRACE: Duration = Duration::from_secs(2);

/// A target's counter item: `seq` (the last arrival number given), `seats`
/// taken, `waiting` (waitlist places taken, entries being written
/// included), `wl_out` (how many waiters ever left the list: promoted,
/// cancelled, given back; only grows), `ver` (bumped by closing and
/// opening) and `closed_at`.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counter {
    pub(super) seq: u64,
    pub(super) seats: u64,
    pub(super) waiting: u64,
    pub(super) wl_out: u64,
    pub(super) closed: Option<i64>,
}

impl Counter {
    pub(super) fn from_item(i: &Item) -> Counter {
        Counter {
            seq: get_n(i, "seq").unwrap_or(0),
            seats: get_n(i, "seats").unwrap_or(0),
            waiting: get_n(i, "waiting").unwrap_or(0),
            wl_out: get_n(i, "wl_out").unwrap_or(0),
            closed: get_n(i, "closed_at"),
        }
    }
}

/// How long a claim (idempotency record, one-per-person item) may stay
/// without its application before it is taken for the claim of a request
/// that died between its steps: well above the longest an `apply` takes
/// (its retries stop after `MAX_RETRY_TIME` per step).
pub(super) const CLAIM_GRACE: Duration = Duration::from_secs(60);

/// The claims of a new application.
pub(super) struct Claims<'a> {
    pub(super) idem: Option<&'a IdempotencyRequest>,
    /// The key of the one-per-person item.
    pub(super) one: Option<Item>,
    /// The application's partition key and compact code.
    pub(super) pk: &'a str,
    pub(super) code: &'a str,
}

impl Claims<'_> {
    /// Checks, inside the application's transaction, that the claims are
    /// still this application's.
    pub(super) fn check(&self, tx: &mut Tx, table: &str) -> Result<()> {
        if let Some(idem) = self.idem {
            tx.check(
                table,
                Role::Fresh,
                key(keys::idem(idem.id()), keys::IDEM_SK),
                Cond::new("#r = :r")
                    .name("#r", "record")
                    .value(":r", s(self.pk)),
            )?;
        }
        if let Some(one) = &self.one {
            tx.check(
                table,
                Role::Fresh,
                one.clone(),
                Cond::new("#c = :c")
                    .name("#c", "code")
                    .value(":c", s(self.code)),
            )?;
        }
        Ok(())
    }
}

/// Whose the claims are.
pub(super) enum Claimed {
    Ours,
    /// The idempotency key made an application: replay it.
    Replay,
    /// The person has an active application to the target.
    Active,
    /// Ask again after a pause (a conflict, or a claim whose application
    /// is still being written).
    Conflict,
}

/// An arrival number and the admission taken with it.
pub(super) struct Admitted {
    pub(super) seq: u64,
    pub(super) status: ApplicationStatus,
    /// Waitlisted: the place on the waitlist when admitted, from 1.
    pub(super) position: Option<u64>,
}

/// A seat given out: the counter change to write, and who moved up.
pub(super) struct GivenSeat {
    pub(super) delta: CounterDelta,
    pub(super) promoted: Option<Application>,
}

/// The condition of a counter change in a transaction.
#[derive(Debug, Default, Clone, Copy)]
pub(super) enum CounterCond {
    #[default]
    None,
    /// A seat goes back to the programme: nobody waits.
    NobodyWaits,
    /// A seat goes back although the count says someone waits (an entry
    /// that was never written): the count is still as read.
    WaitingIs(u64),
    /// A waiter is promoted: no waiter left the list since it was read.
    RemovedIs(u64),
}

/// A relative change of a counter, written inside a transaction
/// (`ADD`: applicants taking arrival numbers meanwhile are kept).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct CounterDelta {
    pub(super) seats: i64,
    pub(super) waiting: i64,
    pub(super) wl_out: i64,
    pub(super) cond: CounterCond,
}

impl CounterDelta {
    pub(super) fn write(&self, tx: &mut Tx, table: &str, target: &Target) -> Result<()> {
        let mut cond = match self.cond {
            CounterCond::None => Cond::new(""),
            CounterCond::NobodyWaits => {
                Cond::new("attribute_not_exists(waiting) OR waiting = :zero").value(":zero", n(0))
            }
            CounterCond::WaitingIs(w) => Cond::new("waiting = :w").value(":w", n(w)),
            CounterCond::RemovedIs(0) => {
                Cond::new("attribute_not_exists(wl_out) OR wl_out = :zero").value(":zero", n(0))
            }
            CounterCond::RemovedIs(o) => Cond::new("wl_out = :o").value(":o", n(o)),
        };
        cond = cond
            .name("#t", "t")
            .value(":t", s(keys::T_COUNTER))
            .value(":ds", n(self.seats))
            .value(":dw", n(self.waiting))
            .value(":do", n(self.wl_out));
        tx.update(
            table,
            Role::Fresh,
            key(keys::target(target), keys::COUNTER),
            "SET #t = :t ADD seats :ds, waiting :dw, wl_out :do",
            cond,
        )
    }
}

pub(super) fn status_is(old: &'static str) -> Cond {
    Cond::new("#st = :old")
        .name("#st", "status")
        .value(":old", s(old))
}

impl DynamoStore {
    /// The record key (`prefix`: `RES#`, `APP#`) and token a retried
    /// request's idempotency key made, or `idempotency_conflict` if the key
    /// was used for something else.
    async fn replayed_key(
        &self,
        idem: &IdempotencyRequest,
        prefix: &str,
    ) -> Result<(String, crate::domain::ManageToken)> {
        let record = self
            .idem_record(idem)
            .await?
            .ok_or_else(|| corrupt("an idempotency record that vanished"))?;
        if record.fingerprint != idem.fingerprint || !record.record.starts_with(prefix) {
            return Err(Error::new(Code::IdempotencyConflict));
        }
        Ok((record.record, record.token))
    }

    /// The answer to a retry of a reservation.
    pub(super) async fn replay_reservation(
        &self,
        idem: &IdempotencyRequest,
    ) -> Result<Created<Reservation>> {
        let (pk, token) = self.replayed_key(idem, "RES#").await?;
        let r = self
            .load_reservation(&pk)
            .await?
            .ok_or_else(|| corrupt("an idempotency record for a missing reservation"))?;
        Ok(Created {
            record: r,
            token,
            replayed: true,
        })
    }

    /// The answer to a retry of an application.
    pub(super) async fn replay_application(
        &self,
        idem: &IdempotencyRequest,
    ) -> Result<Created<Application>> {
        let (pk, token) = self.replayed_key(idem, "APP#").await?;
        let a = self
            .load_application(&pk)
            .await?
            .ok_or_else(|| corrupt("an idempotency record for a missing application"))?;
        Ok(Created {
            record: a,
            token,
            replayed: true,
        })
    }
}
