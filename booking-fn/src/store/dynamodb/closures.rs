//! Closures (임시 휴관, 장비 사용 중지) and the audit log on DynamoDB.
//!
//! * A closure is one item in the partition `CLOSURES` (sort key: its last
//!   day, then its id, so the current and future ones are one query) plus
//!   one day marker per day: `CLOSEDF#<facility>` (whole facility) or
//!   `CLOSEDE#<equipment>`, sort key the day, with the string set `ids` of
//!   the closures covering it. All in one `TransactWriteItems`.
//! * A reservation's transaction checks both markers of its day
//!   (`attribute_not_exists(ids)`), so a booking and a closure of the same
//!   day are serialised by DynamoDB: the booking either commits first (and
//!   the closure lists it) or fails `closed`.
//! * The audit log: `AUDIT#<yyyy-mm>` (Korea time) partitions, sort key the
//!   instant in microseconds then a random suffix; written with
//!   `attribute_not_exists`, never updated or deleted, without TTL.

use super::*;
use crate::domain::{AuditEntry, AuditFilter, Closure, ClosureReason, MAX_CLOSURE_DAYS};

const CLOSURES_PK: &str = "CLOSURES";
const T_CLOSURE: &str = "closure";
const T_CLOSED_DAY: &str = "closed_day";
const T_AUDIT: &str = "audit";

/// The day marker a closure writes and a booking checks.
pub(super) fn marker_of_facility(facility: &Id, day: Date) -> Item {
    key(format!("CLOSEDF#{facility}"), day.to_string())
}
pub(super) fn marker_of_equipment(equipment: &Id, day: Date) -> Item {
    key(format!("CLOSEDE#{equipment}"), day.to_string())
}

fn marker(c: &Closure, day: Date) -> Item {
    match &c.equipment {
        Some(e) => marker_of_equipment(e, day),
        None => marker_of_facility(&c.facility, day),
    }
}

/// Adds the checks that no closure covers the reservation's day.
pub(super) fn check_open(tx: &mut Tx, table: &str, r: &Reservation) -> Result<()> {
    for k in [
        marker_of_facility(&r.facility, r.run.date()),
        marker_of_equipment(r.run.equipment(), r.run.date()),
    ] {
        tx.check(
            table,
            Role::Closed,
            k,
            Cond::new("attribute_not_exists(ids)"),
        )?;
    }
    Ok(())
}

fn closure_item(c: &Closure) -> Item {
    let mut i = key(CLOSURES_PK, format!("{}#{}", c.to, c.id));
    i.insert("t".into(), s(T_CLOSURE));
    i.insert("id".into(), s(&c.id));
    i.insert("facility".into(), s(c.facility.as_str()));
    if let Some(e) = &c.equipment {
        i.insert("equipment".into(), s(e.as_str()));
    }
    i.insert("from".into(), s(c.from.to_string()));
    i.insert("to".into(), s(c.to.to_string()));
    i.insert("reason".into(), s(c.reason.as_str()));
    i.insert("note".into(), s(&c.note));
    i.insert("staff".into(), s(&c.staff));
    i.insert("created_us".into(), n(c.created_at.as_microsecond()));
    i
}

fn closure_from(i: &Item) -> Result<Closure> {
    let bad = || corrupt("a closure item");
    let text = |name: &str| get_s(i, name).map(str::to_owned).ok_or_else(bad);
    Ok(Closure {
        id: text("id")?,
        facility: text("facility")?.parse().map_err(|_| bad())?,
        equipment: get_s(i, "equipment")
            .map(|e| e.parse().map_err(|_| bad()))
            .transpose()?,
        from: text("from")?.parse().map_err(|_| bad())?,
        to: text("to")?.parse().map_err(|_| bad())?,
        reason: ClosureReason::parse(&text("reason")?).ok_or_else(bad)?,
        note: text("note")?,
        staff: text("staff")?,
        created_at: get_n::<i64>(i, "created_us")
            .and_then(|us| Timestamp::from_microsecond(us).ok())
            .ok_or_else(bad)?,
    })
}

fn audit_month(at: Timestamp) -> String {
    let day = kst_parts(at).0.to_string();
    format!("AUDIT#{}", &day[..7])
}

impl DynamoStore {
    pub(super) async fn create_closure_impl(&self, c: Closure) -> Result<()> {
        const OP: &str = "creating a closure";
        if c.to < c.from || c.from.days_until(c.to) >= MAX_CLOSURE_DAYS {
            return Err(Error::new(Code::InvalidInput));
        }
        let mut tx = Tx::default();
        tx.put(
            &self.table,
            Role::Code,
            closure_item(&c),
            Some(Cond::new(NOT_EXISTS)),
        )?;
        for day in c.days() {
            tx.update(
                &self.table,
                Role::Plain,
                marker(&c, day),
                "SET #t = :t ADD ids :id",
                Cond::new("")
                    .name("#t", "t")
                    .value(":t", s(T_CLOSED_DAY))
                    .value(":id", AttributeValue::Ss(vec![c.id.clone()])),
            )?;
        }
        let mut backoff = Backoff::new();
        loop {
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(()),
                TxOutcome::Failed(_) => return Err(Error::new(Code::DuplicateCode)),
                TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("create_closure", OP).await?;
                }
            }
        }
    }

    async fn closure_items(&self, from: Option<Date>) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        let lo = from.map(|d| d.to_string()).unwrap_or_else(|| "0".into());
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk AND sk >= :lo")
                .expression_attribute_values(":pk", s(CLOSURES_PK))
                .expression_attribute_values(":lo", s(lo.clone()))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("reading closures", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    pub(super) async fn closures_impl(
        &self,
        facility: Option<&Id>,
        from: Date,
    ) -> Result<Vec<Closure>> {
        let mut out = Vec::new();
        for i in self.closure_items(Some(from)).await? {
            let c = closure_from(&i)?;
            if facility.is_none_or(|f| *f == c.facility) {
                out.push(c);
            }
        }
        out.sort_by(|a, b| (a.from, a.created_at, &a.id).cmp(&(b.from, b.created_at, &b.id)));
        Ok(out)
    }

    pub(super) async fn remove_closure_impl(&self, id: &str) -> Result<Closure> {
        const OP: &str = "removing a closure";
        let found = self
            .closure_items(None)
            .await?
            .into_iter()
            .find(|i| get_s(i, "id") == Some(id));
        let Some(item) = found else {
            return Err(Error::new(Code::NotFound));
        };
        let c = closure_from(&item)?;
        let mut tx = Tx::default();
        tx.delete(
            &self.table,
            Role::Fresh,
            key(CLOSURES_PK, format!("{}#{}", c.to, c.id)),
            Some(Cond::new("attribute_exists(pk)")),
        )?;
        for day in c.days() {
            tx.update(
                &self.table,
                Role::Plain,
                marker(&c, day),
                "DELETE ids :id",
                Cond::new("").value(":id", AttributeValue::Ss(vec![c.id.clone()])),
            )?;
        }
        let mut backoff = Backoff::new();
        loop {
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => return Ok(c),
                // Removed meanwhile by someone else.
                TxOutcome::Failed(_) => return Err(Error::new(Code::NotFound)),
                TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("remove_closure", OP).await?;
                }
            }
        }
    }

    pub(super) async fn append_audit_impl(&self, e: AuditEntry) -> Result<()> {
        let mut suffix = [0u8; 8];
        crate::domain::random_bytes(&mut suffix);
        let mut i = key(
            audit_month(e.at),
            format!("{:020}#{}", e.at.as_microsecond(), hex::encode(suffix)),
        );
        i.insert("t".into(), s(T_AUDIT));
        i.insert("at_us".into(), n(e.at.as_microsecond()));
        i.insert("staff".into(), s(e.staff));
        i.insert("action".into(), s(e.action));
        i.insert("record".into(), s(e.record));
        i.insert("detail".into(), s(e.detail));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(i))
            .condition_expression(NOT_EXISTS)
            .send()
            .await
            .map_err(|e| storage("appending to the audit log", e))?;
        Ok(())
    }

    pub(super) async fn audit_entries_impl(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        // The months to read: those of the filter's days, or every month
        // since the first entry could have been written (a scan-free walk
        // from 2025-01 to this month).
        let first = f
            .from
            .unwrap_or_else(|| "2025-01-01".parse().expect("date"));
        let last = f.to.unwrap_or_else(|| kst_parts(Timestamp::now()).0);
        let mut months = Vec::new();
        let mut d = first;
        while d <= last {
            let m = d.to_string()[..7].to_owned();
            if months.last() != Some(&m) {
                months.push(m);
            }
            d = d.add_days(1);
        }
        let mut out = Vec::new();
        for m in months {
            for i in self
                .partition("reading the audit log", &format!("AUDIT#{m}"))
                .await?
            {
                let bad = || corrupt("an audit item");
                let e = AuditEntry {
                    at: get_n::<i64>(&i, "at_us")
                        .and_then(|us| Timestamp::from_microsecond(us).ok())
                        .ok_or_else(bad)?,
                    staff: get_s(&i, "staff").ok_or_else(bad)?.to_owned(),
                    action: get_s(&i, "action").ok_or_else(bad)?.to_owned(),
                    record: get_s(&i, "record").ok_or_else(bad)?.to_owned(),
                    detail: get_s(&i, "detail").ok_or_else(bad)?.to_owned(),
                };
                if f.matches(&e) {
                    out.push(e);
                }
            }
        }
        Ok(out)
    }
}
