//! A popular programme's opening: many simultaneous applicants to one
//! programme, some of them sending their form twice at once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sbiz_booking::Code;
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::*;
use sbiz_booking::store::*;

use super::*;

/// The shape of an opening.
#[derive(Debug, Clone, Copy)]
pub struct Opening {
    /// Distinct applicants.
    pub applicants: u32,
    pub capacity: u32,
    pub waitlist: u32,
    /// How many calls run at once.
    pub concurrency: usize,
    /// How many of the first enrolled cancel while the opening runs (each
    /// as soon as it is answered), promoting waiters or giving the seat
    /// back meanwhile.
    pub cancel_during: usize,
}

/// What the burst cost: one entry per `apply` call of the burst.
#[derive(Debug)]
pub struct BurstReport {
    pub calls: usize,
    pub latencies: Vec<Duration>,
    /// Calls that failed otherwise than `already_applied` (the second of
    /// a double click): none, when the store copes.
    pub failed: usize,
}

impl BurstReport {
    /// The latency below which `p` (0..=1) of the calls finished.
    pub fn percentile(&self, p: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort();
        let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
        l[i]
    }
}

/// Applicant `who` sends twice at once with one idempotency key (a retry
/// storm of one) when this holds...
fn retries_with_key(who: u32) -> bool {
    who % 100 == 7
}
/// ...and twice at once without a key (a double click) when this holds.
fn sends_twice(who: u32) -> bool {
    who % 100 == 57
}

const PROGRAMME: &str = "opening-day";

fn applicant(who: u32, o: Opening, key: bool) -> NewApplication {
    let mut a = enrol(PROGRAMME, who, o.capacity, o.waitlist);
    if key {
        a.idempotency = idem(&format!("burst-key-{who:06}"), "same form");
    }
    let message = |e| vec![NewMessage::new(e, Channel::Sms, now()).param("item", "재단 실습")];
    a.messages_when = vec![
        (
            ApplicationStatus::Enrolled,
            message(MessageEvent::ProgrammeEnrolled),
        ),
        (
            ApplicationStatus::Waitlisted,
            message(MessageEvent::ProgrammeWaitlisted),
        ),
    ];
    a
}

/// Runs the opening: every applicant once (some twice, see above), at most
/// `concurrency` calls at a time, then checks the outcome (see
/// [`opening_burst_fills_in_arrival_order`]) and the promotions after it.
/// `after_burst` sees the cost of the burst itself, before any check.
pub async fn opening_burst(s: S, o: Opening, after_burst: impl FnOnce(&BurstReport)) {
    assert!(o.waitlist >= o.applicants - o.capacity, "everyone fits");
    // The calls, in the order they are started.
    let mut calls: Vec<(u32, bool)> = Vec::new();
    for who in 0..o.applicants {
        calls.push((who, retries_with_key(who)));
        if retries_with_key(who) || sends_twice(who) {
            calls.push((who, retries_with_key(who)));
        }
    }
    let calls = Arc::new(calls);
    let next = Arc::new(AtomicUsize::new(0));
    let (enrolled_tx, mut enrolled_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut workers = Vec::new();
    for _ in 0..o.concurrency {
        let (s, calls, next) = (s.clone(), calls.clone(), next.clone());
        let enrolled_tx = enrolled_tx.clone();
        workers.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(who, key)) = calls.get(i) else {
                    return done;
                };
                let started = Instant::now();
                let result = s.apply(applicant(who, o, key)).await;
                if let Ok(c) = &result
                    && !c.replayed
                    && c.record.status == ApplicationStatus::Enrolled
                {
                    let _ = enrolled_tx.send(c.record.code);
                }
                done.push((who, result, started.elapsed()));
            }
        }));
    }
    drop(enrolled_tx);
    let canceller = {
        let s = s.clone();
        tokio::spawn(async move {
            let mut cancelled = HashSet::new();
            while cancelled.len() < o.cancel_during {
                let Some(code) = enrolled_rx.recv().await else {
                    break;
                };
                s.set_application_status(
                    &code,
                    change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
                )
                .await
                .expect("a cancellation during the opening");
                cancelled.insert(code);
            }
            cancelled
        })
    };
    let mut results = Vec::new();
    for w in workers {
        results.extend(w.await.expect("worker"));
    }
    let report = BurstReport {
        calls: results.len(),
        latencies: results.iter().map(|(_, _, l)| *l).collect(),
        failed: results
            .iter()
            .filter(|(_, r, _)| r.as_ref().is_err_and(|e| e.code() != Code::AlreadyApplied))
            .count(),
    };
    after_burst(&report);
    assert_eq!(report.calls, calls.len());
    let cancelled = canceller.await.expect("canceller");
    assert_eq!(cancelled.len(), o.cancel_during);

    // Every call is answered: a record, or `already_applied` for the second
    // of a double click. Each person ends with exactly one application.
    let mut answered: HashMap<u32, HashSet<ApplicationCode>> = HashMap::new();
    let mut answered_status: HashMap<ApplicationCode, ApplicationStatus> = HashMap::new();
    for (who, result, _) in &results {
        match result {
            Ok(created) => {
                answered
                    .entry(*who)
                    .or_default()
                    .insert(created.record.code);
                if !created.replayed {
                    answered_status.insert(created.record.code, created.record.status);
                }
            }
            Err(e) => {
                assert_eq!(e.code(), Code::AlreadyApplied, "applicant {who}: {e}");
                assert!(sends_twice(*who), "applicant {who} sent once: {e}");
            }
        }
    }
    assert_eq!(
        answered.len() as u32,
        o.applicants,
        "everyone got an answer"
    );
    for (who, codes) in &answered {
        assert_eq!(codes.len(), 1, "applicant {who} got one application");
    }

    // What is stored: exactly the answered applications, none lost, none
    // twice; `capacity` enrolled, then the waitlist, in arrival order.
    let target = Target {
        kind: TargetKind::Programme,
        id: id(PROGRAMME),
    };
    let stored = s
        .applications(&ApplicationFilter {
            target: Some(target.clone()),
            ..Default::default()
        })
        .await
        .expect("list");
    let stored_codes: HashSet<ApplicationCode> = stored.iter().map(|a| a.code).collect();
    let answered_codes: HashSet<ApplicationCode> =
        answered.values().flat_map(|c| c.iter().copied()).collect();
    assert_eq!(stored.len(), stored_codes.len());
    assert_eq!(stored_codes, answered_codes, "stored = answered");
    let persons: HashSet<&PersonKey> = stored
        .iter()
        .filter_map(|a| a.person_key.as_ref())
        .collect();
    assert_eq!(persons.len(), stored.len(), "one application per person");
    // `applications` lists by arrival (`seq`), each arrival number once.
    let seqs: Vec<u64> = stored.iter().map(|a| a.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "arrival numbers are unique"
    );
    // Those cancelled during the opening are; of the others, the first
    // `capacity` arrivals are enrolled and the rest wait, in arrival order.
    for a in &stored {
        assert_eq!(
            a.status == ApplicationStatus::Cancelled,
            cancelled.contains(&a.code),
            "{}: {:?}",
            a.seq,
            a.status
        );
    }
    let active: Vec<&Application> = stored
        .iter()
        .filter(|a| a.status != ApplicationStatus::Cancelled)
        .collect();
    let statuses: Vec<ApplicationStatus> = active.iter().map(|a| a.status).collect();
    let mut expected = vec![ApplicationStatus::Enrolled; o.capacity as usize];
    expected.resize(active.len(), ApplicationStatus::Waitlisted);
    assert_eq!(
        statuses, expected,
        "the first {} arrivals enrolled, the rest waiting in arrival order",
        o.capacity
    );
    // The answers agree with what is stored, except that a waiting applicant
    // may have moved up (into a seat given back), and the cancelled.
    let mut moved_up = 0;
    for a in &stored {
        match (answered_status.get(&a.code), a.status) {
            (Some(answer), now) if *answer == now => {}
            (Some(ApplicationStatus::Waitlisted), ApplicationStatus::Enrolled) => moved_up += 1,
            (Some(ApplicationStatus::Enrolled), ApplicationStatus::Cancelled) => {}
            (answer, now) => panic!("{}: answered {answer:?}, stored {now:?}", a.seq),
        }
    }
    assert!(moved_up <= results.len() - o.applicants as usize + o.cancel_during);
    // Each stored application has exactly the message of its answer.
    let mut checked = 0;
    for a in stored.iter().step_by(37) {
        let ms = s
            .messages_of(&Subject::Application(a.code))
            .await
            .expect("messages");
        let want = match answered_status[&a.code] {
            ApplicationStatus::Enrolled => MessageEvent::ProgrammeEnrolled,
            _ => MessageEvent::ProgrammeWaitlisted,
        };
        assert_eq!(ms.iter().map(|m| m.event).collect::<Vec<_>>(), [want]);
        checked += 1;
    }
    assert!(checked > 0);

    // Seats and waitlist are counted exactly: the places left are taken
    // by as many newcomers, then the programme is full.
    let waiting = (active.len() - o.capacity as usize) as u32;
    let mut last_seq = seqs[seqs.len() - 1];
    for who in 0..o.waitlist - waiting {
        let late = s
            .apply(applicant(o.applicants + 10 + who, o, false))
            .await
            .expect("a waitlist place left");
        assert_eq!(late.record.status, ApplicationStatus::Waitlisted);
        assert!(late.record.seq > last_seq);
        last_seq = late.record.seq;
    }
    assert_code(
        s.apply(applicant(o.applicants + 1, o, false)).await,
        Code::Full,
    );

    // Three enrolled cancel at once: the three earliest waiting move up.
    let mut tasks = Vec::new();
    for a in active.iter().take(3) {
        let (s, code) = (s.clone(), a.code);
        tasks.push(tokio::spawn(async move {
            s.set_application_status(
                &code,
                change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
            )
            .await
        }));
    }
    let mut promoted: Vec<u64> = Vec::new();
    for t in tasks {
        let ch = t.await.expect("task").expect("cancel");
        promoted.push(ch.promoted.expect("a promotion").seq);
    }
    promoted.sort();
    let first_waiting: Vec<u64> = active
        .iter()
        .filter(|a| a.status == ApplicationStatus::Waitlisted)
        .take(3)
        .map(|a| a.seq)
        .collect();
    assert_eq!(promoted, first_waiting, "promotions in arrival order");
    // Three places came free on the waitlist: a newcomer waits, last.
    let late = s
        .apply(applicant(o.applicants + 2, o, false))
        .await
        .expect("a waitlist place");
    assert_eq!(late.record.status, ApplicationStatus::Waitlisted);
    assert!(late.record.seq > last_seq);
    let by_status = |st| {
        let s = s.clone();
        let target = target.clone();
        async move {
            s.applications(&ApplicationFilter {
                target: Some(target),
                status: Some(st),
                ..Default::default()
            })
            .await
            .expect("list")
            .len()
        }
    };
    assert_eq!(
        by_status(ApplicationStatus::Enrolled).await,
        o.capacity as usize
    );
}

/// A programme of capacity 30 opens to 120 applicants at once (64 calls at
/// a time; some send their form twice at once, with or without an
/// idempotency key; three of the first enrolled cancel while it runs):
/// exactly 30 enrolled, the others waiting in arrival order (`seq`), every
/// applicant with exactly one application, seats and waitlist counted
/// exactly (`full` once the places left are taken), and cancellations
/// promote the earliest waiting.
pub async fn opening_burst_fills_in_arrival_order(s: S) {
    opening_burst(
        s,
        Opening {
            applicants: 120,
            capacity: 30,
            waitlist: 90,
            concurrency: 64,
            cancel_during: 3,
        },
        |_| {},
    )
    .await;
}

/// A seat given back when nobody waits goes to the next applicant, also
/// without a waitlist (a store that remembers the seats were all taken must
/// still ask).
pub async fn a_seat_given_back_goes_to_the_next_applicant(s: S) {
    let first = s
        .apply(enrol("cad-advanced", 1, 1, 0))
        .await
        .expect("first");
    assert_eq!(first.record.status, ApplicationStatus::Enrolled);
    assert_code(s.apply(enrol("cad-advanced", 2, 1, 0)).await, Code::Full);
    let ch = s
        .set_application_status(
            &first.record.code,
            change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
        )
        .await
        .expect("cancel");
    assert!(ch.promoted.is_none());
    let next = s.apply(enrol("cad-advanced", 3, 1, 0)).await.expect("next");
    assert_eq!(next.record.status, ApplicationStatus::Enrolled);
    assert_code(s.apply(enrol("cad-advanced", 4, 1, 0)).await, Code::Full);
    // With a waitlist: the seat given back is taken, then the place.
    let a = s.apply(enrol("pattern-basic", 1, 1, 1)).await.expect("a");
    let ch = s
        .set_application_status(
            &a.record.code,
            change(&[ApplicationStatus::Enrolled], ApplicationStatus::Cancelled),
        )
        .await
        .expect("cancel a");
    assert!(ch.promoted.is_none());
    let b = s.apply(enrol("pattern-basic", 2, 1, 1)).await.expect("b");
    let c = s.apply(enrol("pattern-basic", 3, 1, 1)).await.expect("c");
    assert_eq!(
        (b.record.status, c.record.status),
        (ApplicationStatus::Enrolled, ApplicationStatus::Waitlisted)
    );
    assert!(b.record.seq < c.record.seq);
    assert_code(s.apply(enrol("pattern-basic", 4, 1, 1)).await, Code::Full);
}
