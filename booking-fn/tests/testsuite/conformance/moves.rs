//! 예약 변경: moving a reservation to other slots in one atomic step.

use sbiz_booking::Code;
use sbiz_booking::catalog::{Channel, MessageEvent};
use sbiz_booking::domain::*;
use sbiz_booking::store::*;

use super::*;

fn run(day: &str, start: &str, count: u16) -> SlotRun {
    SlotRun::new(id("cutter"), date(day), time(start), 60, count).expect("run")
}

fn move_to(to: SlotRun, quota: Option<u32>) -> Reschedule {
    Reschedule {
        quota: quota.map(|limit_minutes| WeeklyQuota {
            week_start: to.date().week_start(),
            limit_minutes,
        }),
        to,
        from: ACTIVE.to_vec(),
        at: now(),
        messages: Vec::new(),
    }
}

async fn starts(s: &S, day: &str) -> Vec<TimeOfDay> {
    let mut out: Vec<TimeOfDay> = s
        .taken_slots(&id("cutter"), date(day), date(day))
        .await
        .expect("slots")
        .into_iter()
        .map(|t| t.start)
        .collect();
    out.sort();
    out
}

fn times(list: &[&str]) -> Vec<TimeOfDay> {
    list.iter().map(|t| time(t)).collect()
}

pub async fn moving_keeps_the_code_and_moves_slots_quota_and_messages(s: S) {
    let d = reservation("cutter", "2026-03-05", "10:00", 2, 1);
    let code = d.reservation.code;
    let purge_after = d.reservation.purge_after;
    let reminder = NewMessage::new(
        MessageEvent::ReservationReminder,
        Channel::Sms,
        kst_instant(date("2026-03-04"), time("18:00")),
    );
    s.create_reservation(NewReservation {
        messages: vec![reminder],
        ..with_quota(d, 180)
    })
    .await
    .expect("created");

    // One hour later, overlapping itself: 11:00 stays held.
    let moved = s
        .reschedule_reservation(&code, move_to(run("2026-03-05", "11:00", 2), Some(180)))
        .await
        .expect("moved");
    assert_eq!(moved.code, code);
    assert_eq!(moved.status, ReservationStatus::Confirmed);
    assert_eq!(moved.run, run("2026-03-05", "11:00", 2));
    assert_eq!(starts(&s, "2026-03-05").await, times(&["11:00", "12:00"]));
    let stored = s.reservation(&code).await.expect("read").expect("found");
    assert_eq!(stored.run, moved.run);
    assert!(stored.person.is_some(), "personal data kept");

    // To another day of the same week, three hours: the quota counts the
    // new run only (2h given back, 3h taken: 3h of 3h).
    let mv = Reschedule {
        messages: vec![NewMessage::new(
            MessageEvent::ReservationRescheduled,
            Channel::Sms,
            now(),
        )],
        ..move_to(run("2026-03-06", "09:00", 3), Some(180))
    };
    let moved = s
        .reschedule_reservation(&code, mv)
        .await
        .expect("moved again");
    assert_eq!(
        moved.purge_after,
        purge_after.add_days(1),
        "retention follows"
    );
    assert!(starts(&s, "2026-03-05").await.is_empty(), "old slots freed");
    assert_eq!(
        starts(&s, "2026-03-06").await,
        times(&["09:00", "10:00", "11:00"])
    );
    // The old slots are free for anyone.
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-05",
        "10:00",
        3,
        2,
    )))
    .await
    .expect("old slots free");
    // The week is full for person 1 (3h of 3h): one more hour elsewhere fails.
    let mut more = reservation("plotter", "2026-03-04", "09:00", 1, 1);
    more.reservation.run =
        SlotRun::new(id("plotter"), date("2026-03-04"), time("09:00"), 60, 1).expect("run");
    assert_code(
        s.create_reservation(with_quota(more, 180)).await,
        Code::QuotaExceeded,
    );
    // Queued messages were cancelled; the move's message is queued.
    let msgs = s
        .messages_of(&Subject::Reservation(code))
        .await
        .expect("messages");
    let status = |e: MessageEvent| {
        msgs.iter()
            .find(|m| m.event == e)
            .map(|m| m.status)
            .expect("message")
    };
    assert_eq!(
        status(MessageEvent::ReservationReminder),
        MessageStatus::Cancelled
    );
    assert_eq!(
        status(MessageEvent::ReservationRescheduled),
        MessageStatus::Queued
    );

    // To the next week: the old week is given back.
    s.reschedule_reservation(&code, move_to(run("2026-03-10", "09:00", 1), Some(180)))
        .await
        .expect("next week");
    let mut back = reservation("plotter", "2026-03-04", "09:00", 3, 1);
    back.reservation.run =
        SlotRun::new(id("plotter"), date("2026-03-04"), time("09:00"), 60, 3).expect("run");
    s.create_reservation(with_quota(back, 180))
        .await
        .expect("the week is free again");
}

pub async fn moves_are_refused_by_taken_slots_quota_and_status(s: S) {
    let mine = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = mine.reservation.code;
    s.create_reservation(with_quota(mine, 120))
        .await
        .expect("mine");
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-05",
        "13:00",
        1,
        2,
    )))
    .await
    .expect("theirs");
    // Overlapping someone else's slot: refused, nothing changed.
    assert_code(
        s.reschedule_reservation(&code, move_to(run("2026-03-05", "12:00", 2), None))
            .await,
        Code::SlotTaken,
    );
    assert_eq!(starts(&s, "2026-03-05").await, times(&["10:00", "13:00"]));
    // Over the quota of the new week.
    assert_code(
        s.reschedule_reservation(&code, move_to(run("2026-03-06", "09:00", 3), Some(120)))
            .await,
        Code::QuotaExceeded,
    );
    let same = s.reservation(&code).await.expect("read").expect("found");
    assert_eq!(same.run, run("2026-03-05", "10:00", 1));
    // Within the quota: 2h of 2h (the old hour given back first).
    s.reschedule_reservation(&code, move_to(run("2026-03-06", "09:00", 2), Some(120)))
        .await
        .expect("fits");
    // Another equipment is not a move.
    let other = SlotRun::new(id("plotter"), date("2026-03-06"), time("09:00"), 60, 1).expect("run");
    assert_code(
        s.reschedule_reservation(&code, move_to(other, None)).await,
        Code::InvalidStatus,
    );
    // A cancelled reservation does not move; an unknown one is not found.
    s.set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
        .await
        .expect("cancel");
    assert_code(
        s.reschedule_reservation(&code, move_to(run("2026-03-07", "09:00", 1), None))
            .await,
        Code::InvalidStatus,
    );
    assert_code(
        s.reschedule_reservation(
            &ReservationCode::generate(),
            move_to(run("2026-03-07", "09:00", 1), None),
        )
        .await,
        Code::NotFound,
    );
    assert!(starts(&s, "2026-03-06").await.is_empty());
}

/// Many simultaneous moves of one reservation: it ends on one run, and
/// exactly that run's slots are held.
pub async fn concurrent_moves_hold_exactly_the_final_run(s: S) {
    let d = reservation("cutter", "2026-03-05", "08:00", 2, 1);
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("made");
    let mut tasks = Vec::new();
    for i in 0..12u32 {
        let s = s.clone();
        let start = format!("{:02}:00", 9 + i % 8);
        tasks.push(tokio::spawn(async move {
            s.reschedule_reservation(&code, move_to(run("2026-03-05", &start, 2), None))
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(e) => panic!("a move of one's own reservation failed: {e}"),
        }
    }
    assert_eq!(ok, 12);
    let r = s.reservation(&code).await.expect("read").expect("found");
    let expected: Vec<TimeOfDay> = r.run.slot_starts().collect();
    assert_eq!(starts(&s, "2026-03-05").await, expected);
    // And a cancellation after all that frees everything.
    s.set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
        .await
        .expect("cancel");
    assert!(starts(&s, "2026-03-05").await.is_empty());
}

/// A move and a new booking racing for the same slot: never both; and a
/// move racing a cancellation leaves no slot held.
pub async fn concurrent_move_and_booking_never_share_a_slot(s: S) {
    for round in 0..8u32 {
        let day = format!("2026-03-{:02}", 10 + round);
        let d = reservation("cutter", &day, "09:00", 1, 1);
        let code = d.reservation.code;
        s.create_reservation(new_reservation(d))
            .await
            .expect("made");
        let target = run(&day, "14:00", 2);
        let mover = {
            let s = s.clone();
            tokio::spawn(
                async move { s.reschedule_reservation(&code, move_to(target, None)).await },
            )
        };
        let booker = {
            let s = s.clone();
            let b = reservation("cutter", &day, "15:00", 1, 2);
            tokio::spawn(async move { s.create_reservation(new_reservation(b)).await })
        };
        let moved = mover.await.expect("task");
        let booked = booker.await.expect("task");
        match (&moved, &booked) {
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => assert_eq!(e.code(), Code::SlotTaken, "{e}"),
            (Ok(_), Ok(_)) => panic!("both the move and the booking hold 15:00"),
            (Err(a), Err(b)) => panic!("neither won: {a}; {b}"),
        }
        let taken = starts(&s, &day).await;
        if moved.is_ok() {
            assert_eq!(taken, times(&["14:00", "15:00"]));
        } else {
            assert_eq!(taken, times(&["09:00", "15:00"]));
        }
        // A move racing a cancellation: whichever wins, nothing stays held.
        let c = {
            let s = s.clone();
            tokio::spawn(async move {
                s.set_reservation_status(&code, change(&ACTIVE, ReservationStatus::Cancelled))
                    .await
            })
        };
        let m = {
            let s = s.clone();
            let to = run(&day, "11:00", 1);
            tokio::spawn(async move { s.reschedule_reservation(&code, move_to(to, None)).await })
        };
        c.await.expect("task").expect("cancel always succeeds");
        if let Err(e) = m.await.expect("task") {
            assert_eq!(e.code(), Code::InvalidStatus, "{e}");
        }
        let expect = if booked.is_ok() {
            times(&["15:00"])
        } else {
            Vec::new()
        };
        assert_eq!(
            starts(&s, &day).await,
            expect,
            "a cancelled reservation holds nothing"
        );
    }
}

/// 전화·방문 접수: how staff took a booking is stored with it (and moves
/// with it), on every store.
pub async fn staff_bookings_keep_how_they_were_taken(s: S) {
    let mut d = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    let taken = StaffBooking {
        entry: "seoul-fashion".into(),
        consent: ConsentMethod::Paper,
        overrides: vec![RuleOverride::Window, RuleOverride::Quota],
    };
    d.reservation.taken_by_staff = Some(taken.clone());
    s.create_reservation(new_reservation(d))
        .await
        .expect("made");
    let plain = reservation("cutter", "2026-03-05", "12:00", 1, 2);
    let plain_code = plain.reservation.code;
    s.create_reservation(new_reservation(plain))
        .await
        .expect("made");
    let got = s.reservation(&code).await.expect("read").expect("found");
    assert_eq!(got.taken_by_staff.as_ref(), Some(&taken));
    let listed = s
        .reservations(&ReservationFilter::default())
        .await
        .expect("list");
    assert_eq!(
        listed
            .iter()
            .find(|r| r.code == code)
            .and_then(|r| r.taken_by_staff.clone()),
        Some(taken.clone())
    );
    let other = s
        .reservation(&plain_code)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(other.taken_by_staff, None);
    let moved = s
        .reschedule_reservation(&code, move_to(run("2026-03-05", "14:00", 1), None))
        .await
        .expect("moved");
    assert_eq!(moved.taken_by_staff.as_ref(), Some(&taken));
    let got = s.reservation(&code).await.expect("read").expect("found");
    assert_eq!(got.taken_by_staff, Some(taken));
}
