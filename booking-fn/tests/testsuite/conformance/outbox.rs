//! The outbox: messages written atomically with their change, claimed with
//! a lease, finished conditionally, purged with their record.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use sbiz_booking::Code;
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::*;
use sbiz_booking::store::*;

use super::*;

fn at(minutes: i64) -> Timestamp {
    now()
        .checked_add(SignedDuration::from_mins(minutes))
        .expect("time")
}

fn msg(event: MessageEvent, channel: Channel, due: Timestamp) -> NewMessage {
    NewMessage::new(event, channel, due)
        .param("code", "TEST-CODE")
        .param("item", "자동재단기")
}

fn statuses(ms: &[OutboxMessage]) -> Vec<(MessageEvent, Channel, MessageStatus)> {
    ms.iter().map(|m| (m.event, m.channel, m.status)).collect()
}

pub async fn messages_are_written_with_their_change(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let code = d.reservation.code;
    let token = d.token.clone();
    let confirm = msg(MessageEvent::ReservationConfirmed, Channel::Sms, now()).with_link(
        MessageLink::sealed(
            &TEST_SECRET,
            &MessageId::generate(),
            "/api/reservations/X?token=",
            &token,
        ),
    );
    let new = NewReservation {
        idempotency: idem("key-outbox-01", "a"),
        messages: vec![
            confirm,
            msg(MessageEvent::ReservationConfirmed, Channel::Email, now()),
            msg(MessageEvent::ReservationReminder, Channel::Sms, at(60 * 24)),
        ],
        ..new_reservation(d)
    };
    s.create_reservation(new).await.expect("created");
    let subject = Subject::Reservation(code);
    let written = s.messages_of(&subject).await.expect("messages");
    assert_eq!(written.len(), 3);
    assert!(
        written
            .iter()
            .all(|m| m.status == MessageStatus::Queued && m.attempts == 0)
    );
    assert!(written.iter().all(|m| m.subject == subject));
    assert!(
        written[0]
            .link
            .as_ref()
            .is_none_or(|l| l.sealed_token.is_some())
            || written.iter().any(|m| m.link.is_some())
    );
    let with_link = written
        .iter()
        .find(|m| m.link.is_some())
        .expect("a linked message");
    assert_ne!(
        with_link.link.as_ref().and_then(|l| l.sealed_token.clone()),
        Some(token.reveal()),
        "the store never holds the plain token"
    );

    // A retry (a new code, the same key) replays and writes no message; a
    // refused reservation writes no message.
    let retry = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let retry_code = retry.reservation.code;
    let replay = s
        .create_reservation(NewReservation {
            idempotency: idem("key-outbox-01", "a"),
            messages: vec![msg(MessageEvent::ReservationConfirmed, Channel::Sms, now())],
            ..new_reservation(retry)
        })
        .await
        .expect("replayed");
    assert!(replay.replayed);
    assert_eq!(s.messages_of(&subject).await.expect("messages").len(), 3);
    assert!(
        s.messages_of(&Subject::Reservation(retry_code))
            .await
            .expect("messages")
            .is_empty()
    );
    let clash = reservation("cutter", "2026-03-05", "11:00", 1, 2);
    let clash_code = clash.reservation.code;
    let refused = s
        .create_reservation(NewReservation {
            messages: vec![msg(MessageEvent::ReservationConfirmed, Channel::Sms, now())],
            ..new_reservation(clash)
        })
        .await;
    assert_code(refused, Code::SlotTaken);
    assert!(
        s.messages_of(&Subject::Reservation(clash_code))
            .await
            .expect("messages")
            .is_empty()
    );
    // Staff resend: only for an existing record.
    s.enqueue_messages(
        &subject,
        vec![msg(MessageEvent::ReservationConfirmed, Channel::Sms, now())],
        now(),
    )
    .await
    .expect("resend");
    assert_eq!(s.messages_of(&subject).await.expect("messages").len(), 4);
    assert_code(
        s.enqueue_messages(
            &Subject::Reservation(ReservationCode::generate()),
            vec![msg(MessageEvent::ReservationConfirmed, Channel::Sms, now())],
            now(),
        )
        .await,
        Code::NotFound,
    );
}

pub async fn cancelling_cancels_queued_messages(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    s.create_reservation(NewReservation {
        messages: vec![
            msg(MessageEvent::ReservationReminder, Channel::Sms, at(60 * 24)),
            msg(MessageEvent::SurveyInvitation, Channel::Email, at(60 * 48)),
        ],
        ..new_reservation(d)
    })
    .await
    .expect("created");
    // A refused change writes no message.
    let mut wrong = StatusChange::new(
        vec![ReservationStatus::Pending],
        ReservationStatus::Confirmed,
        at(1),
    );
    wrong.messages = vec![msg(MessageEvent::ReservationApproved, Channel::Sms, at(1))];
    wrong.cancel_queued = true;
    assert_code(
        s.set_reservation_status(&code, wrong).await,
        Code::InvalidStatus,
    );
    let subject = Subject::Reservation(code);
    let mut before = statuses(&s.messages_of(&subject).await.expect("messages"));
    before.sort();
    assert_eq!(
        before,
        [
            (
                MessageEvent::ReservationReminder,
                Channel::Sms,
                MessageStatus::Queued
            ),
            (
                MessageEvent::SurveyInvitation,
                Channel::Email,
                MessageStatus::Queued
            ),
        ]
    );
    let mut cancel = StatusChange::new(
        vec![ReservationStatus::Confirmed],
        ReservationStatus::Cancelled,
        at(2),
    );
    cancel.cancel_queued = true;
    cancel.messages = vec![msg(MessageEvent::ReservationCancelled, Channel::Sms, at(2))];
    s.set_reservation_status(&code, cancel)
        .await
        .expect("cancelled");
    let after = s.messages_of(&subject).await.expect("messages");
    let mut got = statuses(&after);
    got.sort();
    assert_eq!(
        got,
        [
            (
                MessageEvent::ReservationCancelled,
                Channel::Sms,
                MessageStatus::Queued
            ),
            (
                MessageEvent::ReservationReminder,
                Channel::Sms,
                MessageStatus::Cancelled
            ),
            (
                MessageEvent::SurveyInvitation,
                Channel::Email,
                MessageStatus::Cancelled
            ),
        ]
    );
    // Only the cancellation notice is ever claimed, however late.
    let claimed = s
        .claim_messages(at(60 * 72), at(60 * 73), "d1", 10)
        .await
        .expect("claim");
    assert_eq!(
        statuses(&claimed),
        [(
            MessageEvent::ReservationCancelled,
            Channel::Sms,
            MessageStatus::Queued
        )]
    );
}

pub async fn claims_lease_and_finish_conditionally(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    let token = d.token.clone();
    let now_id = MessageId::generate();
    let mut now_msg = msg(MessageEvent::ReservationConfirmed, Channel::Sms, now());
    now_msg.id = now_id.clone();
    now_msg.link = Some(MessageLink::sealed(
        &TEST_SECRET,
        &now_id,
        "/r?token=",
        &token,
    ));
    s.create_reservation(NewReservation {
        messages: vec![
            now_msg,
            msg(MessageEvent::ReservationReminder, Channel::Sms, at(60)),
        ],
        ..new_reservation(d)
    })
    .await
    .expect("created");
    let subject = Subject::Reservation(code);

    // Only what is due; leased until the lease's end.
    let first = s
        .claim_messages(now(), at(2), "d1", 10)
        .await
        .expect("claim");
    assert_eq!(first.len(), 1);
    let m = &first[0];
    assert_eq!(
        (m.id.clone(), m.attempts, m.due),
        (now_id.clone(), 1, at(2))
    );
    assert_eq!(
        m.link.as_ref().and_then(|l| l.open(&TEST_SECRET, &m.id)),
        Some(format!("/r?token={}", token.reveal()))
    );
    assert!(
        s.claim_messages(at(1), at(3), "d2", 10)
            .await
            .expect("claim")
            .is_empty()
    );

    // Another owner cannot finish it; the owner can, once.
    let sent = MessageOutcome::Sent { at: at(1) };
    assert!(
        !s.finish_message(&subject, &m.id, "d2", sent.clone())
            .await
            .expect("finish")
    );
    assert!(
        s.finish_message(&subject, &m.id, "d1", sent.clone())
            .await
            .expect("finish")
    );
    assert!(
        !s.finish_message(&subject, &m.id, "d1", sent)
            .await
            .expect("finish")
    );
    let stored = s.messages_of(&subject).await.expect("messages");
    let done = stored.iter().find(|x| x.id == now_id).expect("the message");
    assert_eq!(
        (done.status, done.sent_at),
        (MessageStatus::Sent, Some(at(1)))
    );
    assert!(
        done.link.as_ref().is_none_or(|l| l.sealed_token.is_none()),
        "a sent message keeps no token"
    );
    assert!(
        s.claim_messages(at(5), at(7), "d1", 10)
            .await
            .expect("claim")
            .is_empty()
    );

    // The reminder: a failure with backoff, then the last failure.
    let r = s
        .claim_messages(at(60), at(62), "d1", 10)
        .await
        .expect("claim");
    assert_eq!(r.len(), 1);
    let rid = r[0].id.clone();
    let retry = MessageOutcome::Retry {
        at: at(60),
        error: "smtp_421".into(),
        next_due: at(90),
    };
    assert!(
        s.finish_message(&subject, &rid, "d1", retry)
            .await
            .expect("retry")
    );
    assert!(
        s.claim_messages(at(89), at(91), "d1", 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = s
        .claim_messages(at(90), at(92), "d3", 10)
        .await
        .expect("claim");
    assert_eq!((again.len(), again[0].attempts), (1, 2));
    assert_eq!(again[0].last_error.as_deref(), Some("smtp_421"));
    let failed = MessageOutcome::Failed {
        at: at(91),
        error: "smtp_550".into(),
    };
    assert!(
        s.finish_message(&subject, &rid, "d3", failed)
            .await
            .expect("failed")
    );
    let stored = s.messages_of(&subject).await.expect("messages");
    let f = stored.iter().find(|x| x.id == rid).expect("reminder");
    assert_eq!(
        (f.status, f.attempts, f.last_error.as_deref()),
        (MessageStatus::Failed, 2, Some("smtp_550"))
    );
    assert!(
        s.claim_messages(at(60 * 24), at(60 * 25), "d1", 10)
            .await
            .expect("claim")
            .is_empty()
    );
}

pub async fn an_expired_lease_is_claimed_again(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let subject = Subject::Reservation(d.reservation.code);
    s.create_reservation(NewReservation {
        messages: vec![msg(
            MessageEvent::ReservationConfirmed,
            Channel::Email,
            now(),
        )],
        ..new_reservation(d)
    })
    .await
    .expect("created");
    let a = s
        .claim_messages(now(), at(2), "crashed", 10)
        .await
        .expect("claim");
    assert_eq!(a.len(), 1);
    // The first dispatcher dies; at the lease's end another takes over.
    assert!(
        s.claim_messages(at(1), at(3), "next", 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let b = s
        .claim_messages(at(2), at(4), "next", 10)
        .await
        .expect("claim");
    assert_eq!((b.len(), b[0].attempts), (1, 2));
    assert!(
        !s.finish_message(
            &subject,
            &a[0].id,
            "crashed",
            MessageOutcome::Sent { at: at(2) }
        )
        .await
        .expect("late")
    );
    let dropped = MessageOutcome::Dropped {
        at: at(3),
        error: "no_email".into(),
    };
    assert!(
        s.finish_message(&subject, &b[0].id, "next", dropped)
            .await
            .expect("drop")
    );
    let m = s.messages_of(&subject).await.expect("messages");
    assert_eq!(
        (m[0].status, m[0].last_error.as_deref()),
        (MessageStatus::Cancelled, Some("no_email"))
    );
}

pub async fn application_messages_follow_the_admission(s: S) {
    let enrolled_msg = |e| vec![msg(e, Channel::Sms, now())];
    let with_messages = |mut a: NewApplication| {
        a.messages_when = vec![
            (
                ApplicationStatus::Enrolled,
                enrolled_msg(MessageEvent::ProgrammeEnrolled),
            ),
            (
                ApplicationStatus::Waitlisted,
                enrolled_msg(MessageEvent::ProgrammeWaitlisted),
            ),
        ];
        a
    };
    let first = s
        .apply(with_messages(enrol("pattern-basic", 1, 1, 5)))
        .await
        .expect("first");
    let second = s
        .apply(with_messages(enrol("pattern-basic", 2, 1, 5)))
        .await
        .expect("second");
    let third = s
        .apply(with_messages(enrol("pattern-basic", 3, 1, 5)))
        .await
        .expect("third");
    let of = |c: ApplicationCode| {
        let s = s.clone();
        async move {
            s.messages_of(&Subject::Application(c))
                .await
                .expect("messages")
        }
    };
    let m1 = of(first.record.code).await;
    assert_eq!(
        statuses(&m1),
        [(
            MessageEvent::ProgrammeEnrolled,
            Channel::Sms,
            MessageStatus::Queued
        )]
    );
    let m2 = of(second.record.code).await;
    assert_eq!(m2[0].event, MessageEvent::ProgrammeWaitlisted);
    assert_eq!(m2[0].params.get("position").map(String::as_str), Some("1"));
    let m3 = of(third.record.code).await;
    assert_eq!(m3[0].params.get("position").map(String::as_str), Some("2"));

    // The first cancels: the second moves up and is told so, in the same step.
    let mut cancel = StatusChange::new(
        vec![ApplicationStatus::Enrolled],
        ApplicationStatus::Cancelled,
        at(5),
    );
    cancel.cancel_queued = true;
    cancel.messages = vec![msg(MessageEvent::ProgrammeCancelled, Channel::Sms, at(5))];
    cancel.promotion_messages = vec![NewMessage::new(
        MessageEvent::ProgrammePromoted,
        Channel::Sms,
        at(5),
    )];
    let out = s
        .set_application_status(&first.record.code, cancel)
        .await
        .expect("cancel");
    let promoted = out.promoted.expect("promoted");
    assert_eq!(promoted.code, second.record.code);
    let m1 = of(first.record.code).await;
    let mut got = statuses(&m1);
    got.sort();
    assert_eq!(
        got,
        [
            (
                MessageEvent::ProgrammeEnrolled,
                Channel::Sms,
                MessageStatus::Cancelled
            ),
            (
                MessageEvent::ProgrammeCancelled,
                Channel::Sms,
                MessageStatus::Queued
            ),
        ]
    );
    let m2 = of(second.record.code).await;
    let p = m2
        .iter()
        .find(|m| m.event == MessageEvent::ProgrammePromoted)
        .expect("promotion message");
    assert_eq!(p.params.get("code"), Some(&second.record.code.to_string()));
    assert_eq!(p.status, MessageStatus::Queued);
}

pub async fn purge_deletes_messages_with_their_record(s: S) {
    let mut old = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    old.reservation.purge_after = date("2026-03-10");
    let old_subject = Subject::Reservation(old.reservation.code);
    let young = reservation("cutter", "2026-03-05", "11:00", 1, 2);
    let young_subject = Subject::Reservation(young.reservation.code);
    for d in [old, young] {
        s.create_reservation(NewReservation {
            messages: vec![msg(MessageEvent::ReservationConfirmed, Channel::Sms, now())],
            ..new_reservation(d)
        })
        .await
        .expect("created");
    }
    let later = at(60 * 24 * 10);
    s.purge(date("2026-03-10"), later).await.expect("purge");
    assert_eq!(
        s.messages_of(&old_subject).await.expect("messages").len(),
        1
    );
    s.purge(date("2026-03-11"), later).await.expect("purge");
    assert!(
        s.messages_of(&old_subject)
            .await
            .expect("messages")
            .is_empty()
    );
    assert_eq!(
        s.messages_of(&young_subject).await.expect("messages").len(),
        1
    );
    let due = s
        .claim_messages(later, at(60 * 24 * 11), "d", 10)
        .await
        .expect("claim");
    assert_eq!(
        due.iter().map(|m| m.subject.clone()).collect::<Vec<_>>(),
        [young_subject]
    );
}

/// Eight dispatchers claim from 120 due messages at once, over and over:
/// every message is claimed exactly once.
pub async fn concurrent_dispatchers_claim_each_message_once(s: S) {
    for n in 0..12u32 {
        let d = reservation("cutter", "2026-03-05", &format!("{:02}:00", 8 + n), 1, n);
        let messages = (0..10)
            .map(|_| msg(MessageEvent::ReservationConfirmed, Channel::Sms, now()))
            .collect();
        s.create_reservation(NewReservation {
            messages,
            ..new_reservation(d)
        })
        .await
        .expect("created");
    }
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let owner = format!("dispatcher-{worker}");
            let mut mine = Vec::new();
            for _ in 0..40 {
                let got = s
                    .claim_messages(at(1), at(30), &owner, 7)
                    .await
                    .expect("claim");
                for m in got {
                    assert!(
                        s.finish_message(
                            &m.subject,
                            &m.id,
                            &owner,
                            MessageOutcome::Sent { at: at(1) }
                        )
                        .await
                        .expect("finish"),
                        "the claimer finishes its own message"
                    );
                    mine.push(m.id);
                }
                tokio::task::yield_now().await;
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    let unique: HashSet<_> = all.iter().cloned().collect();
    assert_eq!(unique.len(), all.len(), "a message was claimed twice");
    assert_eq!(all.len(), 120, "every message was claimed");
    let _ = Arc::clone(&s);
}
