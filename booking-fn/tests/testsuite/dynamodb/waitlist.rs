//! The waitlist on DynamoDB: waiter numbers, hand-overs to applicants
//! still being written, legacy `W#` entries, and step 3 of `apply` under
//! transient failures (DYNAMODB.md, *The waitlist*).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue as V;
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::{Application, ApplicationStatus as St, NewMessage, Subject};
use sbiz_booking::store::dynamodb::DynamoStore;
use sbiz_booking::store::{ApplicationChange, ApplicationFilter, Created, NewApplication, Store};

use super::fresh_store;
use crate::conformance;
use crate::support::dynamodb_local;

fn target_pk(programme: &str) -> String {
    format!("TGT#programme#{programme}")
}

/// The counter's waitlist attributes: (seats, waiting, wl_in, wl_head).
async fn counter(store: &DynamoStore, programme: &str) -> [Option<u64>; 4] {
    let item = store
        .client()
        .get_item()
        .table_name(store.table())
        .key("pk", V::S(target_pk(programme)))
        .key("sk", V::S("C".into()))
        .consistent_read(true)
        .send()
        .await
        .expect("read the counter")
        .item
        .unwrap_or_default();
    ["seats", "waiting", "wl_in", "wl_head"].map(|a| {
        item.get(a)
            .and_then(|v| v.as_n().ok())
            .map(|n| n.parse().expect("a number"))
    })
}

/// An item of the target's partition, by sort key.
async fn entry(store: &DynamoStore, programme: &str, sk: &str) -> Option<HashMap<String, V>> {
    store
        .client()
        .get_item()
        .table_name(store.table())
        .key("pk", V::S(target_pk(programme)))
        .key("sk", V::S(sk.into()))
        .consistent_read(true)
        .send()
        .await
        .expect("read an entry")
        .item
}

fn state(item: &Option<HashMap<String, V>>) -> Option<&str> {
    item.as_ref()
        .and_then(|i| i.get("state"))
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

fn q(number: u64) -> String {
    format!("Q#{number:020}")
}

/// Step 2 of `apply` for a waiter, exactly as it changes the counter: an
/// arrival number, a waitlist place and a waiter number, whose application
/// is not written (yet).
async fn admit_unwritten(store: &DynamoStore, programme: &str) {
    store
        .client()
        .update_item()
        .table_name(store.table())
        .key("pk", V::S(target_pk(programme)))
        .key("sk", V::S("C".into()))
        .update_expression("ADD seq :one, waiting :one, wl_in :one")
        .expression_attribute_values(":one", V::N("1".into()))
        .send()
        .await
        .expect("admit a waiter");
}

fn cancel() -> sbiz_booking::store::StatusChange<St> {
    conformance::change(&[St::Enrolled, St::Waitlisted], St::Cancelled)
}

/// Arrival `who` applies to `programme` (`capacity` seats, `waitlist`
/// places on its list); `what` names it if that fails.
async fn arrive(
    store: &DynamoStore,
    programme: &str,
    who: u32,
    (capacity, waitlist): (u32, u32),
    what: &str,
) -> Created<Application> {
    store
        .apply(conformance::enrol(programme, who, capacity, waitlist))
        .await
        .expect(what)
}

/// The scenario of a waiter still being written, in a fresh `programme`
/// of one seat: arrival 1 enrolled, then arrival 2 admitted to the
/// waitlist, its application not yet written. Arrival 1.
async fn enrolled_then_a_waiter_unwritten(
    store: &DynamoStore,
    programme: &str,
) -> Created<Application> {
    let first = arrive(store, programme, 1, (1, 5), "first").await;
    assert_eq!(first.record.status, St::Enrolled);
    // Arrival 2, admitted to the waitlist, its application not yet written.
    admit_unwritten(store, programme).await;
    first
}

/// Arrival 1, enrolled, cancels while arrival 2 is still being written (it
/// never lands in these tests): the answer does not wait for it.
async fn cancel_while_written(
    store: &DynamoStore,
    first: &Created<Application>,
) -> ApplicationChange {
    let cancel = store.set_application_status(
        &first.record.code,
        conformance::change(&[St::Enrolled], St::Cancelled),
    );
    tokio::time::timeout(Duration::from_secs(10), cancel)
        .await
        .expect("the cancellation does not wait for the writer")
        .expect("cancel")
}

/// An applicant with one message per admitted status (enrolled, waitlisted).
fn enrol_with_messages(programme: &str, who: u32, capacity: u32, waitlist: u32) -> NewApplication {
    let mut a = conformance::enrol(programme, who, capacity, waitlist);
    let m = |e| vec![NewMessage::new(e, Channel::Sms, conformance::now())];
    a.messages_when = vec![
        (St::Enrolled, m(MessageEvent::ProgrammeEnrolled)),
        (St::Waitlisted, m(MessageEvent::ProgrammeWaitlisted)),
    ];
    a
}

/// The race behind the flaky `a_popular_opening_costs_linear_requests`: an
/// applicant admitted to the waitlist (step 2 of `apply`, the counter's
/// `UpdateItem`) whose application is still being written (step 3) when an
/// enrolled applicant cancels. The cancellation must not pass over that
/// earlier arrival: it may neither promote a later waiter nor give the seat
/// back. It hands the seat to the earlier arrival's waiter number, at once.
#[tokio::test]
async fn a_promotion_does_not_pass_over_a_waiter_still_being_written() {
    let store = fresh_store().await;
    let programme = "slow-writer";
    let first = enrolled_then_a_waiter_unwritten(&store, programme).await;
    let third = arrive(&store, programme, 3, (1, 5), "third").await;
    assert_eq!(third.record.status, St::Waitlisted);
    assert_eq!((first.record.seq, third.record.seq), (1, 3));
    let ch = cancel_while_written(&store, &first).await;
    assert_eq!(
        ch.promoted.map(|a| a.seq),
        None,
        "arrival 3 promoted over arrival 2"
    );
    assert_eq!(
        state(&entry(&store, programme, &q(1)).await),
        Some("handed")
    );
    let next = arrive(&store, programme, 4, (1, 5), "fourth").await;
    assert_ne!(
        next.record.status,
        St::Enrolled,
        "arrival 4 took the seat before arrivals 2 and 3"
    );
    let third_now = store.application(&third.record.code).await.expect("read");
    assert_eq!(third_now.map(|a| a.status), Some(St::Waitlisted));
}

/// The same race when nobody else waits: the seat must not go back to the
/// programme (and to a later newcomer) while an earlier waiter is still
/// being written.
#[tokio::test]
async fn a_seat_is_not_given_back_past_a_waiter_still_being_written() {
    let store = fresh_store().await;
    let programme = "slow-writer-alone";
    let first = enrolled_then_a_waiter_unwritten(&store, programme).await;
    let ch = cancel_while_written(&store, &first).await;
    assert!(ch.promoted.is_none());
    let next = arrive(&store, programme, 3, (1, 5), "third").await;
    assert_eq!(
        next.record.status,
        St::Waitlisted,
        "arrival 3 took the seat before arrival 2"
    );
}

/// An admission whose request died between steps 2 and 3 (counted, with a
/// waiter number, never written) is handed the next seat freed: one seat
/// fewer, never one taken twice, and the promotions after it go on in
/// arrival order.
#[tokio::test]
async fn an_admission_never_written_forfeits_one_seat_and_never_blocks_promotions() {
    let store = fresh_store().await;
    let programme = "dead-writer";
    let a1 = arrive(&store, programme, 1, (2, 5), "a1").await;
    let a2 = arrive(&store, programme, 2, (2, 5), "a2").await;
    // Arrival 3: admitted to the waitlist (waiter 1), never written.
    admit_unwritten(&store, programme).await;
    let a4 = arrive(&store, programme, 4, (2, 5), "a4").await;
    assert_eq!((a4.record.status, a4.record.seq), (St::Waitlisted, 4));
    let ch = store
        .set_application_status(&a1.record.code, cancel())
        .await
        .expect("cancel a1");
    assert!(ch.promoted.is_none(), "the seat went to arrival 3's number");
    let ch = store
        .set_application_status(&a2.record.code, cancel())
        .await
        .expect("cancel a2");
    assert_eq!(ch.promoted.map(|p| p.code), Some(a4.record.code));
    // Two seats counted (a4 and the forfeited one), nobody waits.
    assert_eq!(
        counter(&store, programme).await,
        [Some(2), Some(0), Some(2), Some(3)]
    );
    let a5 = arrive(&store, programme, 5, (2, 5), "a5").await;
    assert_eq!((a5.record.status, a5.record.seq), (St::Waitlisted, 5));
}

/// Holds or fails, once, the transaction that writes an application (step
/// 3 of `apply`: the one that carries its personal item).
#[derive(Debug, Default)]
struct Step3 {
    mode: Mutex<Mode>,
    /// The request went out (`FailAfter`): its answer is lost.
    lose_answer: AtomicBool,
    /// `Hold`: told when the request is held...
    held: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// ...which goes out once this is `true`.
    gate: (Mutex<bool>, Condvar),
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Mode {
    #[default]
    Pass,
    /// Wait at the gate before sending (a slow writer).
    Hold,
    /// Fail before sending (a connection lost): nothing was written.
    FailBefore,
    /// Send, then fail (the answer lost): the transaction was applied.
    FailAfter,
}

impl Step3 {
    fn open(&self) {
        *self.gate.0.lock().expect("gate") = true;
        self.gate.1.notify_all();
    }
}

/// Opens the gate when dropped: a failing test never leaves a request
/// (and the runtime's shutdown) waiting at it.
struct OpenOnDrop(Arc<Step3>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open();
    }
}

#[derive(Debug)]
struct Step3Hook(Arc<Step3>);

impl aws_sdk_dynamodb::config::Intercept for Step3Hook {
    fn name(&self) -> &'static str {
        "Step3Hook"
    }
    fn read_before_transmit(
        &self,
        context: &aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _: &aws_sdk_dynamodb::config::RuntimeComponents,
        _: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let request = context.request();
        let writes_application = request
            .headers()
            .get("x-amz-target")
            .is_some_and(|t| t.ends_with("TransactWriteItems"))
            && request
                .body()
                .bytes()
                .is_some_and(|b| b.windows(10).any(|w| w == b"app_person"));
        if !writes_application {
            return Ok(());
        }
        let mode = std::mem::take(&mut *self.0.mode.lock().expect("mode"));
        match mode {
            Mode::Pass => {}
            Mode::FailBefore => return Err("injected: the connection was lost".into()),
            Mode::FailAfter => self.0.lose_answer.store(true, Ordering::SeqCst),
            Mode::Hold => {
                if let Some(held) = self.0.held.lock().expect("held").take() {
                    let _ = held.send(());
                }
                let (open, cv) = &self.0.gate;
                let open = open.lock().expect("gate");
                let (_open, _) = cv
                    .wait_timeout_while(open, Duration::from_secs(60), |open| !*open)
                    .expect("gate");
            }
        }
        Ok(())
    }
    fn read_after_transmit(
        &self,
        _: &aws_sdk_dynamodb::config::interceptors::BeforeDeserializationInterceptorContextRef<'_>,
        _: &aws_sdk_dynamodb::config::RuntimeComponents,
        _: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        if self.0.lose_answer.swap(false, Ordering::SeqCst) {
            return Err("injected: the answer was lost".into());
        }
        Ok(())
    }
}

/// A store on `table` whose client goes through `hook`.
fn hooked_store(table: &str, hook: Arc<Step3>) -> DynamoStore {
    let config = dynamodb_local::client()
        .config()
        .to_builder()
        .interceptor(Step3Hook(hook))
        .build();
    DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), table)
}

/// A waiter still being written when a seat is freed is handed that seat:
/// its application, written afterwards, finds its number's entry taken by
/// the hand-over and is written enrolled, with the enrolled message (not
/// the waitlisted one); the later waiter keeps waiting, and the next seat
/// freed goes to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_waiter_handed_a_seat_while_being_written_is_written_enrolled() {
    let store = fresh_store().await;
    let programme = "late-writer";
    let hook = Arc::new(Step3::default());
    let _open = OpenOnDrop(hook.clone());
    let slow = hooked_store(store.table(), hook.clone());
    let first = store
        .apply(enrol_with_messages(programme, 1, 1, 5))
        .await
        .expect("first");
    assert_eq!(first.record.status, St::Enrolled);
    // Arrival 2 is admitted to the waitlist, then held before its
    // application is written.
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    *hook.held.lock().expect("held") = Some(held_tx);
    *hook.mode.lock().expect("mode") = Mode::Hold;
    let second =
        tokio::spawn(async move { slow.apply(enrol_with_messages(programme, 2, 1, 5)).await });
    tokio::time::timeout(Duration::from_secs(30), held_rx)
        .await
        .expect("arrival 2 reaches its write")
        .expect("held");
    let third = store
        .apply(enrol_with_messages(programme, 3, 1, 5))
        .await
        .expect("third");
    assert_eq!((third.record.status, third.record.seq), (St::Waitlisted, 3));
    let ch = store
        .set_application_status(&first.record.code, cancel())
        .await
        .expect("cancel the first");
    assert!(ch.promoted.is_none(), "arrival 3 promoted over arrival 2");
    assert_eq!(
        state(&entry(&store, programme, &q(1)).await),
        Some("handed")
    );
    // Arrival 2's write goes out now.
    hook.open();
    let second = second.await.expect("task").expect("second");
    assert_eq!((second.record.status, second.record.seq), (St::Enrolled, 2));
    let stored = store
        .application(&second.record.code)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(stored.status, St::Enrolled);
    let events = |code| {
        let store = &store;
        async move {
            store
                .messages_of(&Subject::Application(code))
                .await
                .expect("messages")
                .iter()
                .map(|m| m.event)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        events(second.record.code).await,
        [MessageEvent::ProgrammeEnrolled]
    );
    assert_eq!(
        events(third.record.code).await,
        [MessageEvent::ProgrammeWaitlisted]
    );
    // One seat (arrival 2), one waiter (arrival 3), waiter numbers 1 and 2
    // given, the head past the hand-over.
    assert_eq!(
        counter(&store, programme).await,
        [Some(1), Some(1), Some(2), Some(2)]
    );
    // The next seat freed goes to arrival 3.
    let ch = store
        .set_application_status(&second.record.code, cancel())
        .await
        .expect("cancel the second");
    assert_eq!(ch.promoted.map(|p| p.code), Some(third.record.code));
    assert_eq!(
        state(&entry(&store, programme, &q(2)).await),
        Some("promoted")
    );
}

/// A table written by the previous version: waitlist entries `W#<seq>`,
/// applications without a waiter number, a counter without `wl_in` and
/// `wl_head`. Its waiters are promoted first (they arrived before anyone
/// numbered), one who cancels leaves the list, numbered waiters follow;
/// a count left by an admission of that version that was never written
/// gives its seat back rather than blocking it.
#[tokio::test]
async fn legacy_waitlist_entries_keep_working() {
    let store = fresh_store().await;
    let client = store.client();
    let programme = "legacy-list";
    let mut codes = Vec::new();
    for who in 1..=4 {
        let a = arrive(&store, programme, who, (1, 10), "apply").await;
        codes.push(a.record.code);
    }
    // Rewrite arrivals 2..=4 (waiters 1..=3) as the previous version wrote
    // them.
    for (number, seq) in [(1u64, 2u64), (2, 3), (3, 4)] {
        let code = codes[seq as usize - 1].compact().to_owned();
        client
            .delete_item()
            .table_name(store.table())
            .key("pk", V::S(target_pk(programme)))
            .key("sk", V::S(q(number)))
            .send()
            .await
            .expect("delete the numbered entry");
        client
            .put_item()
            .table_name(store.table())
            .item("pk", V::S(target_pk(programme)))
            .item("sk", V::S(format!("W#{seq:020}")))
            .item("t", V::S("wait".into()))
            .item("code", V::S(code.clone()))
            .item("seq", V::N(seq.to_string()))
            .send()
            .await
            .expect("put a legacy entry");
        client
            .update_item()
            .table_name(store.table())
            .key("pk", V::S(format!("APP#{code}")))
            .key("sk", V::S("A".into()))
            .update_expression("REMOVE wl_no")
            .send()
            .await
            .expect("an application without its number");
    }
    client
        .update_item()
        .table_name(store.table())
        .key("pk", V::S(target_pk(programme)))
        .key("sk", V::S("C".into()))
        .update_expression("REMOVE wl_in, wl_head")
        .send()
        .await
        .expect("a counter without waiter numbers");
    assert_eq!(
        counter(&store, programme).await,
        [Some(1), Some(3), None, None]
    );
    // A newcomer after the upgrade: waiter number 1, behind the legacy ones.
    let a5 = arrive(&store, programme, 5, (1, 10), "a5").await;
    assert_eq!((a5.record.status, a5.record.seq), (St::Waitlisted, 5));
    assert!(entry(&store, programme, &q(1)).await.is_some());
    // A legacy waiter cancels: its entry goes.
    let ch = store
        .set_application_status(&codes[2], cancel())
        .await
        .expect("cancel arrival 3");
    assert!(ch.promoted.is_none());
    assert!(
        entry(&store, programme, "W#00000000000000000003")
            .await
            .is_none()
    );
    // Seats freed: the legacy waiters first, by arrival, then the numbered.
    let mut promoted = Vec::new();
    for code in [codes[0], codes[1], codes[3]] {
        let ch = store
            .set_application_status(&code, cancel())
            .await
            .expect("cancel");
        promoted.push(ch.promoted.expect("a promotion").seq);
    }
    assert_eq!(promoted, [2, 4, 5]);
    assert_eq!(counter(&store, programme).await[..2], [Some(1), Some(0)]);
    // An admission of the previous version never written: counted, with
    // no waiter number and no entry.
    client
        .update_item()
        .table_name(store.table())
        .key("pk", V::S(target_pk(programme)))
        .key("sk", V::S("C".into()))
        .update_expression("ADD seq :one, waiting :one")
        .expression_attribute_values(":one", V::N("1".into()))
        .send()
        .await
        .expect("a legacy admission");
    let ch = store
        .set_application_status(&a5.record.code, cancel())
        .await
        .expect("cancel a5");
    assert!(ch.promoted.is_none());
    let a7 = arrive(&store, programme, 7, (1, 10), "a7").await;
    assert_eq!(
        (a7.record.status, a7.record.seq),
        (St::Enrolled, 7),
        "the seat went back"
    );
    let enrolled = store
        .applications(&ApplicationFilter {
            status: Some(St::Enrolled),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(enrolled.len(), 1);
}

/// Step 3 of `apply` meets a transient failure (`mode`); the applicant
/// still gets the application, stored once, with its seat counted once.
async fn step3_survives(who: u32, mode: Mode) {
    let store = fresh_store().await;
    let programme = "flaky-network";
    let hook = Arc::new(Step3::default());
    let flaky = hooked_store(store.table(), hook.clone());
    *hook.mode.lock().expect("mode") = mode;
    let created = flaky
        .apply(enrol_with_messages(programme, who, 1, 0))
        .await
        .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
    assert_eq!(*hook.mode.lock().expect("mode"), Mode::Pass, "injected");
    assert_eq!(created.record.status, St::Enrolled);
    let listed = store
        .applications(&ApplicationFilter::default())
        .await
        .expect("list");
    assert_eq!(
        listed.iter().map(|a| a.code).collect::<Vec<_>>(),
        [created.record.code]
    );
    let messages = store
        .messages_of(&Subject::Application(created.record.code))
        .await
        .expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(counter(&store, programme).await[0], Some(1), "one seat");
    conformance::assert_code(
        store
            .apply(conformance::enrol(programme, who + 10, 1, 0))
            .await,
        sbiz_booking::Code::Full,
    );
}

/// The connection is lost before the application's transaction goes out
/// (nothing written): it is sent again, not given up.
#[tokio::test]
async fn an_application_write_lost_on_the_way_is_sent_again() {
    step3_survives(1, Mode::FailBefore).await;
}

/// The answer to the application's transaction is lost after it was
/// applied: it is not applied twice, nor taken for a code already used,
/// and the admission is not given back.
#[tokio::test]
async fn an_application_write_whose_answer_is_lost_is_kept_once() {
    step3_survives(2, Mode::FailAfter).await;
}
