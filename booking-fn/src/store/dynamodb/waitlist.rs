//! A programme's waitlist: numbered entries, promotions and hand-overs.
//! `booking-fn/DYNAMODB.md` (*The waitlist*) gives the reasoning.
//!
//! Every waiter admitted by `apply` takes a waiter number (`wl_in` of the
//! counter, in the same update as its arrival number), and its application
//! writes the entry `Q#<number>` afterwards. A promotion walks the numbers
//! from the counter's `wl_head` and takes the first that has not ended:
//! a waiting entry is promoted; a missing one belongs to an applicant still
//! being written (or whose request died in between), and the seat is handed
//! to that number, so an earlier arrival is never passed over.

use std::collections::BTreeMap;

use super::*;

/// The attribute of an application's main item and of its waitlist entry
/// that holds the waiter number.
pub(super) const WAITER_NUMBER: &str = "wl_no";
/// The attribute of a numbered entry that says where it stands.
const STATE: &str = "state";
/// Still waiting.
const WAITING: &str = "waiting";
/// Cancelled or rejected while waiting, or given back by its writer.
pub(super) const LEFT: &str = "left";
/// Moved up into a seat.
const PROMOTED: &str = "promoted";
/// Written by a promotion before its application: the seat is the
/// number's, and its application is written enrolled.
pub(super) const HANDED: &str = "handed";

/// A target's waitlist from its head on, as read (strongly consistent: the
/// entries live in the target's partition, not in an index).
#[derive(Default)]
pub(super) struct Waitlist {
    /// Numbered entries from the head on: the code of a waiting
    /// application, or `None` for an entry that ended.
    numbered: BTreeMap<u64, Option<String>>,
    /// Legacy entries (each of them waits), earliest arrival first:
    /// (seq, code).
    legacy: Vec<(u64, String)>,
}

impl DynamoStore {
    /// The numbered entries of `target` from `head` on, and its legacy
    /// entries: one query (a page holds thousands of entries).
    pub(super) async fn waitlist(&self, target: &Target, head: u64) -> Result<Waitlist> {
        let items = self
            .sort_key_range(
                "reading a waitlist",
                &keys::target(target),
                &keys::waiter_sk(head),
                keys::WAITLIST_END,
            )
            .await?;
        let mut out = Waitlist::default();
        for item in &items {
            let code = get_s(item, "code").map(str::to_owned);
            if get_s(item, "sk").is_some_and(|sk| sk.starts_with("W#")) {
                let seq =
                    get_n(item, "seq").ok_or_else(|| corrupt("a waitlist entry without seq"))?;
                out.legacy.push((seq, code.unwrap_or_default()));
            } else {
                let number = get_n(item, WAITER_NUMBER)
                    .ok_or_else(|| corrupt("a waitlist entry without its number"))?;
                let waiting = get_s(item, STATE) == Some(WAITING);
                out.numbered.insert(number, code.filter(|_| waiting));
            }
        }
        Ok(out)
    }

    /// Where a waiter number's entry stands (`None`: not written).
    pub(super) async fn waiter_state(
        &self,
        target: &Target,
        number: u64,
    ) -> Result<Option<String>> {
        let item = self
            .get(
                "reading a waitlist entry",
                &keys::target(target),
                &keys::waiter_sk(number),
            )
            .await?;
        Ok(item.map(|i| get_s(&i, STATE).unwrap_or_default().to_owned()))
    }

    /// Adds to `tx` what a seat freed in `target` does, and returns the
    /// counter change to write with it:
    ///
    /// - nobody waits: the seat goes back to the programme (`seats -1`, on
    ///   condition that still nobody waits);
    /// - a legacy entry waits: the earliest is promoted (they all arrived
    ///   before any numbered waiter);
    /// - else the first waiter number from the head that has not ended:
    ///   its application is promoted if its entry waits, or, if its entry
    ///   is not written yet, the seat is handed to the number (an entry
    ///   `handed`: its application is then written enrolled). The head
    ///   moves past it, on condition that it is still as read.
    ///
    /// `except` (a code) is never promoted; `purge_after` dates the TTL of
    /// the entries that end.
    pub(super) async fn give_seat(
        &self,
        tx: &mut Tx,
        target: &Target,
        except: &str,
        at: Timestamp,
        purge_after: Date,
        promotion_messages: &[NewMessage],
    ) -> Result<GivenSeat> {
        let counter = self.counter(target).await?;
        let mut delta = CounterDelta::default();
        if counter.waiting == 0 {
            delta.seats = -1;
            delta.cond = CounterCond::NobodyWaits;
            return Ok(GivenSeat {
                delta,
                promoted: None,
            });
        }
        let head = counter.head();
        let list = self.waitlist(target, head).await?;
        delta.waiting = -1;
        delta.wl_out = 1;
        if let Some((seq, code)) = list.legacy.iter().find(|(_, c)| c != except) {
            tx.delete(
                &self.table,
                Role::Fresh,
                key(keys::target(target), keys::legacy_waiter_sk(*seq)),
                Some(Cond::new("attribute_exists(pk)")),
            )?;
            let promoted = self.promote(tx, code, at, promotion_messages).await?;
            return Ok(GivenSeat {
                delta,
                promoted: Some(promoted),
            });
        }
        let expires = personal_expiry(purge_after);
        for number in head..=counter.wl_in {
            match list.numbered.get(&number) {
                // Ended: cancelled or given back while waiting.
                Some(None) => continue,
                Some(Some(code)) => {
                    if code == except {
                        return Err(corrupt("a waitlist entry of an application with a seat"));
                    }
                    end_entry(tx, &self.table, target, number, code, PROMOTED, expires)?;
                    delta.head = Some((head, number + 1));
                    let promoted = self.promote(tx, code, at, promotion_messages).await?;
                    return Ok(GivenSeat {
                        delta,
                        promoted: Some(promoted),
                    });
                }
                None => {
                    // Admitted, its application not written yet (or its
                    // request died in between): the seat is the number's.
                    tx.put(
                        &self.table,
                        Role::Fresh,
                        ended_entry(target, number, HANDED, expires),
                        Some(Cond::new(NOT_EXISTS)),
                    )?;
                    delta.head = Some((head, number + 1));
                    return Ok(GivenSeat {
                        delta,
                        promoted: None,
                    });
                }
            }
        }
        // Every number has ended, yet the count says someone waits: an
        // admission of an earlier version (no waiter number) that was never
        // written. The seat goes back, unless the waitlist changed since.
        tracing::warn!(
            op = "give_seat",
            "dynamodb: the waitlist count is ahead of its entries (an interrupted application?)"
        );
        delta = CounterDelta {
            seats: -1,
            cond: CounterCond::Unchanged {
                waiting: counter.waiting,
                wl_in: counter.wl_in,
            },
            head: (counter.wl_in >= head).then_some((head, counter.wl_in + 1)),
            ..Default::default()
        };
        Ok(GivenSeat {
            delta,
            promoted: None,
        })
    }

    /// Adds to `tx` the promotion of the waiting application `code`
    /// (condition: still waitlisted) with `promotion_messages` by the
    /// channels its person chose; returns it as promoted.
    async fn promote(
        &self,
        tx: &mut Tx,
        code: &str,
        at: Timestamp,
        promotion_messages: &[NewMessage],
    ) -> Result<Application> {
        let pk = keys::app_compact(code);
        let Some(mut w) = self.load_application(&pk).await? else {
            return Err(corrupt("a waitlist entry without its application"));
        };
        tx.update(
            &self.table,
            Role::Fresh,
            key(&pk, keys::APP_META),
            "SET #st = :enrolled, updated_at = :at",
            status_is(ApplicationStatus::Waitlisted.as_str())
                .value(":enrolled", s(ApplicationStatus::Enrolled.as_str()))
                .value(":at", s(at.to_string())),
        )?;
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
        Ok(w)
    }
}

/// The entry of a waiter: written with its application, on condition that
/// the number has no entry yet (else a promotion handed it a seat).
pub(super) fn waiting_entry(target: &Target, number: u64, code: &str, seq: u64) -> Item {
    let mut w = key(keys::target(target), keys::waiter_sk(number));
    w.insert("t".into(), s(keys::T_WAIT));
    w.insert(WAITER_NUMBER.into(), n(number));
    w.insert(STATE.into(), s(WAITING));
    w.insert("code".into(), s(code));
    w.insert("seq".into(), n(seq));
    w
}

/// The entry of a number that ends before its application was written
/// (`handed` a seat by a promotion, or `left`: given back by its writer),
/// to put on condition that it has no entry yet. It expires (`expires`,
/// epoch seconds) with the programme's personal data.
pub(super) fn ended_entry(target: &Target, number: u64, state: &'static str, expires: i64) -> Item {
    let mut w = key(keys::target(target), keys::waiter_sk(number));
    w.insert("t".into(), s(keys::T_WAIT));
    w.insert(WAITER_NUMBER.into(), n(number));
    w.insert(STATE.into(), s(state));
    w.insert(TTL_ATTRIBUTE.into(), n(expires));
    w
}

/// Adds to `tx` the end of a waiting entry (`promoted`, or `left` when its
/// application is cancelled or rejected), on condition that it still waits
/// for `code`. The entry is kept (a missing number means a waiter still
/// being written) until it expires with the application's personal data.
pub(super) fn end_entry(
    tx: &mut Tx,
    table: &str,
    target: &Target,
    number: u64,
    code: &str,
    state: &'static str,
    expires: i64,
) -> Result<()> {
    tx.update(
        table,
        Role::Fresh,
        key(keys::target(target), keys::waiter_sk(number)),
        "SET #state = :ended, #exp = :exp",
        Cond::new("#state = :waiting AND #code = :code")
            .name("#state", STATE)
            .name("#exp", TTL_ATTRIBUTE)
            .name("#code", "code")
            .value(":ended", s(state))
            .value(":exp", n(expires))
            .value(":waiting", s(WAITING))
            .value(":code", s(code)),
    )
}
