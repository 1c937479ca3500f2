//! Reads: partitions, items, idempotency records, counters.

use super::*;

impl DynamoStore {
    /// Every item of a partition (strongly consistent), following pages.
    pub(super) async fn partition(&self, context: &'static str, pk: &str) -> Result<Vec<Item>> {
        self.query_items(context, pk, None).await
    }

    /// The items of a partition whose sort keys lie in `from..=to`
    /// (strongly consistent), following pages.
    pub(super) async fn sort_key_range(
        &self,
        context: &'static str,
        pk: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Item>> {
        self.query_items(context, pk, Some((from, to))).await
    }

    async fn query_items(
        &self,
        context: &'static str,
        pk: &str,
        range: Option<(&str, &str)>,
    ) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .expression_attribute_values(":pk", s(pk));
            query = match range {
                None => query.key_condition_expression("pk = :pk"),
                Some((from, to)) => query
                    .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expression_attribute_values(":from", s(from))
                    .expression_attribute_values(":to", s(to)),
            };
            let page = query
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
        Ok(self.load_waiter(pk).await?.map(|(a, _)| a))
    }

    /// An application and, while it waits, its waiter number (`wl_no`;
    /// none for a waiter of a legacy `W#` entry).
    pub(super) async fn load_waiter(&self, pk: &str) -> Result<Option<(Application, Option<u64>)>> {
        let items = self.partition("reading an application", pk).await?;
        let meta = items
            .iter()
            .find(|i| get_s(i, "sk") == Some(keys::APP_META));
        let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
        meta.map(|m| Ok((application_from(m, person)?, get_n(m, WAITER_NUMBER))))
            .transpose()
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
}

/// A target's counter item: `seq` (the last arrival number given), `seats`
/// taken, `waiting` (waitlist places taken, entries being written
/// included), `wl_in` (the last waiter number given), `wl_head` (the
/// smallest waiter number that may still wait; absent: 1), `wl_out` (how
/// many waiters ever left the list: promoted, handed a seat, cancelled,
/// given back; only grows), `ver` (bumped by closing and opening) and
/// `closed_at`.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counter {
    pub(super) seq: u64,
    pub(super) seats: u64,
    pub(super) waiting: u64,
    pub(super) wl_in: u64,
    pub(super) wl_head: Option<u64>,
    pub(super) closed: Option<i64>,
}

impl Counter {
    pub(super) fn from_item(i: &Item) -> Counter {
        Counter {
            seq: get_n(i, "seq").unwrap_or(0),
            seats: get_n(i, "seats").unwrap_or(0),
            waiting: get_n(i, "waiting").unwrap_or(0),
            wl_in: get_n(i, "wl_in").unwrap_or(0),
            wl_head: get_n(i, "wl_head"),
            closed: get_n(i, "closed_at"),
        }
    }

    /// The smallest waiter number that may still wait (numbers start at 1).
    pub(super) fn head(&self) -> u64 {
        self.wl_head.unwrap_or(1).max(1)
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
    /// Waitlisted: the waiter number (`wl_in` after the admission).
    pub(super) number: Option<u64>,
}

/// A seat given out: the counter change to write, and who moved up (none
/// when the seat went back, or to a waiter still being written).
pub(super) struct GivenSeat {
    pub(super) delta: CounterDelta,
    pub(super) promoted: Option<Application>,
}

/// The condition of a counter change in a transaction (besides those of
/// [`CounterDelta::head`] and [`CounterDelta::wl_in`]).
#[derive(Debug, Default, Clone, Copy)]
pub(super) enum CounterCond {
    #[default]
    None,
    /// A seat goes back to the programme: nobody waits.
    NobodyWaits,
    /// A seat goes back although the count says someone waits (an
    /// admission of an earlier version that was never written): nobody
    /// entered or left the waitlist since the counter was read.
    Unchanged { waiting: u64, wl_in: u64 },
}

/// A relative change of a counter, written inside a transaction
/// (`ADD`: applicants taking arrival numbers meanwhile are kept).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct CounterDelta {
    pub(super) seats: i64,
    pub(super) waiting: i64,
    pub(super) wl_out: i64,
    /// The waitlist's head moves: (as read, new), on condition that it is
    /// still as read.
    pub(super) head: Option<(u64, u64)>,
    /// A waiter number taken inside a transaction: (`wl_in` as read, new),
    /// on condition that it is still as read.
    pub(super) wl_in: Option<(u64, u64)>,
    pub(super) cond: CounterCond,
}

/// `attr` is `v` (a placeholder), where an absent attribute counts as
/// `v == absent`.
fn attr_is(attr: &str, placeholder: &str, v: u64, absent: u64) -> String {
    if v == absent {
        format!("(attribute_not_exists({attr}) OR {attr} = {placeholder})")
    } else {
        format!("{attr} = {placeholder}")
    }
}

impl CounterDelta {
    pub(super) fn write(&self, tx: &mut Tx, table: &str, target: &Target) -> Result<()> {
        let mut set = String::from("SET #t = :t");
        let mut conds: Vec<String> = Vec::new();
        let mut values: Vec<(&'static str, AttributeValue)> = Vec::new();
        match self.cond {
            CounterCond::None => {}
            CounterCond::NobodyWaits => {
                conds.push("(attribute_not_exists(waiting) OR waiting = :zero)".into());
                values.push((":zero", n(0)));
            }
            CounterCond::Unchanged { waiting, wl_in } => {
                conds.push("waiting = :w".into());
                conds.push(attr_is("wl_in", ":in", wl_in, 0));
                values.push((":w", n(waiting)));
                values.push((":in", n(wl_in)));
            }
        }
        if let Some((read, new)) = self.head {
            set.push_str(", wl_head = :h1");
            conds.push(attr_is("wl_head", ":h0", read, 1));
            values.push((":h0", n(read)));
            values.push((":h1", n(new)));
        }
        if let Some((read, new)) = self.wl_in {
            set.push_str(", wl_in = :i1");
            conds.push(attr_is("wl_in", ":i0", read, 0));
            values.push((":i0", n(read)));
            values.push((":i1", n(new)));
        }
        let mut cond = Cond::new(conds.join(" AND "))
            .name("#t", "t")
            .value(":t", s(keys::T_COUNTER))
            .value(":ds", n(self.seats))
            .value(":dw", n(self.waiting))
            .value(":do", n(self.wl_out));
        for (p, v) in values {
            cond = cond.value(p, v);
        }
        tx.update(
            table,
            Role::Fresh,
            key(keys::target(target), keys::COUNTER),
            &format!("{set} ADD seats :ds, waiting :dw, wl_out :do"),
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
