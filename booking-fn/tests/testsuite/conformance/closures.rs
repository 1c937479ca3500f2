//! Closures (임시 휴관, 장비 사용 중지), their race with bookings, and the
//! append-only audit log.

use super::*;

pub fn closure(equipment: Option<&str>, from: &str, to: &str) -> Closure {
    Closure {
        id: Closure::new_id(),
        facility: id("seoul-fashion"),
        equipment: equipment.map(id),
        from: date(from),
        to: date(to),
        reason: ClosureReason::Breakdown,
        note: "모터 교체".into(),
        staff: "seoul-fashion#1".into(),
        created_at: now(),
    }
}

/// Created closures are listed (by facility, from a day on) until removed.
pub async fn closures_are_created_listed_and_removed(s: S) {
    let cutter = closure(Some("cutter"), "2026-03-05", "2026-03-06");
    let mut whole = closure(None, "2026-03-10", "2026-03-10");
    whole.reason = ClosureReason::Event;
    whole.note = String::new();
    let mut elsewhere = closure(None, "2026-03-04", "2026-03-04");
    elsewhere.facility = id("seoul-leather");
    for c in [&cutter, &whole, &elsewhere] {
        s.create_closure(c.clone()).await.expect("create");
    }
    let listed = s
        .closures(Some(&id("seoul-fashion")), date("2026-03-01"))
        .await
        .expect("list");
    assert_eq!(
        listed,
        [cutter.clone(), whole.clone()],
        "by first day, one facility"
    );
    let all = s.closures(None, date("2026-03-01")).await.expect("list");
    assert_eq!(all, [elsewhere.clone(), cutter.clone(), whole.clone()]);
    // Ended before `from`: not listed; ending on `from`: listed.
    let later = s.closures(None, date("2026-03-06")).await.expect("list");
    assert_eq!(later, [cutter.clone(), whole.clone()]);
    let removed = s.remove_closure(&cutter.id).await.expect("remove");
    assert_eq!(removed, cutter);
    assert_code(s.remove_closure(&cutter.id).await, Code::NotFound);
    assert_code(s.remove_closure("0123456789abcdef").await, Code::NotFound);
    let listed = s
        .closures(Some(&id("seoul-fashion")), date("2026-03-01"))
        .await
        .expect("list");
    assert_eq!(listed, [whole]);
}

/// The store itself refuses a booking into a closed day (whatever the
/// service checked before): the equipment's closure, or the facility's.
/// Bookings made before stay; removing the closure opens the day again.
pub async fn bookings_into_a_closure_are_refused(s: S) {
    let before = reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let kept = before.reservation.clone();
    s.create_reservation(new_reservation(before))
        .await
        .expect("before");
    let c = closure(Some("cutter"), "2026-03-05", "2026-03-06");
    s.create_closure(c.clone()).await.expect("close");
    for day in ["2026-03-05", "2026-03-06"] {
        assert_code(
            s.create_reservation(new_reservation(reservation("cutter", day, "14:00", 1, 2)))
                .await,
            Code::Closed,
        );
    }
    // Another day, another piece of equipment: open.
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-07",
        "14:00",
        1,
        3,
    )))
    .await
    .expect("the day after");
    s.create_reservation(new_reservation(reservation(
        "sewing",
        "2026-03-05",
        "14:00",
        1,
        4,
    )))
    .await
    .expect("other equipment");
    let still = s
        .reservation(&kept.code)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(still.status, ReservationStatus::Confirmed, "not changed");
    // The whole facility: every piece of equipment.
    let whole = closure(None, "2026-03-09", "2026-03-09");
    s.create_closure(whole.clone()).await.expect("close all");
    for eq in ["cutter", "sewing"] {
        assert_code(
            s.create_reservation(new_reservation(reservation(
                eq,
                "2026-03-09",
                "10:00",
                1,
                5,
            )))
            .await,
            Code::Closed,
        );
    }
    // Another facility's closure does not close this one.
    let mut other = closure(None, "2026-03-11", "2026-03-11");
    other.facility = id("seoul-leather");
    s.create_closure(other).await.expect("other facility");
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-11",
        "10:00",
        1,
        6,
    )))
    .await
    .expect("not this facility");
    // Two closures over one day: removing one keeps the day closed.
    let overlap = closure(None, "2026-03-06", "2026-03-06");
    s.create_closure(overlap.clone()).await.expect("overlap");
    s.remove_closure(&c.id).await.expect("remove");
    assert_code(
        s.create_reservation(new_reservation(reservation(
            "cutter",
            "2026-03-06",
            "10:00",
            1,
            7,
        )))
        .await,
        Code::Closed,
    );
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-05",
        "14:00",
        1,
        8,
    )))
    .await
    .expect("open again");
    s.remove_closure(&overlap.id).await.expect("remove");
    s.create_reservation(new_reservation(reservation(
        "cutter",
        "2026-03-06",
        "10:00",
        1,
        9,
    )))
    .await
    .expect("open again");
}

/// A closure racing bookings into its day: never both. Every booking
/// either committed before the closure (and is among the day's bookings
/// the closure lists) or failed `closed`; none that started after the
/// closure was stored got in.
pub async fn closure_racing_bookings_never_both(s: S) {
    let day = "2026-03-05";
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..24u32 {
        let s = s.clone();
        let start = format!("{i:02}:00");
        let d = reservation("cutter", day, &start, 1, 100 + i);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(u64::from(i) * 3)).await;
            let at = std::time::Instant::now();
            (at, s.create_reservation(new_reservation(d)).await)
        }));
    }
    let c = closure(Some("cutter"), day, day);
    let closer = {
        let s = s.clone();
        let c = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            s.create_closure(c).await.expect("close");
            std::time::Instant::now()
        })
    };
    let mut won = HashSet::new();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.expect("task"));
    }
    let closed_at = closer.await.expect("closer");
    for (at, outcome) in outcomes {
        match outcome {
            Ok(c) => {
                assert!(
                    at < closed_at,
                    "a booking started after the closure was stored got in ({:?} after the start)",
                    at - started
                );
                won.insert(c.record.code);
            }
            Err(e) => assert_eq!(e.code(), Code::Closed, "{e}"),
        }
    }
    let listed: HashSet<_> = s
        .reservations(&ReservationFilter {
            equipment: Some(id("cutter")),
            from: Some(date(day)),
            to: Some(date(day)),
            ..Default::default()
        })
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(listed, won, "the winners, and only they, are stored");
    let taken = s
        .taken_slots(&id("cutter"), date(day), date(day))
        .await
        .expect("slots");
    assert_eq!(taken.len(), won.len());
    assert_code(
        s.create_reservation(new_reservation(reservation("cutter", day, "23:00", 1, 99)))
            .await,
        Code::Closed,
    );
}

fn entry(at: &str, staff: &str, action: &str, record: &str) -> AuditEntry {
    let (d, t) = at.split_once(' ').expect("at");
    AuditEntry {
        at: kst_instant(date(d), time(t)),
        staff: staff.into(),
        action: action.into(),
        record: record.into(),
        detail: String::new(),
    }
}

/// Audit entries are appended (never merged, even at the same instant)
/// and listed oldest first, filtered by day range, staff entry and action.
pub async fn audit_entries_are_appended_and_filtered(s: S) {
    let entries = [
        entry("2026-02-27 18:00", "*#1", "login", ""),
        entry(
            "2026-03-02 09:00",
            "seoul-fashion#1",
            "closure_create",
            "c1",
        ),
        entry(
            "2026-03-02 09:00",
            "seoul-fashion#1",
            "closure_create",
            "c1",
        ),
        entry("2026-03-02 10:30", "*#1", "reservation_status", "R-1"),
        entry("2026-03-03 00:10", "seoul-fashion#1", "logout", ""),
    ];
    // Appended out of order: listed by time.
    for e in entries.iter().rev() {
        s.append_audit(e.clone()).await.expect("append");
    }
    let all = s.audit_entries(&AuditFilter::default()).await.expect("all");
    assert_eq!(all.len(), 5, "two entries at one instant are both kept");
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    assert_eq!(all[0], entries[0]);
    assert_eq!(all[4], entries[4]);
    let day = s
        .audit_entries(&AuditFilter {
            from: Some(date("2026-03-02")),
            to: Some(date("2026-03-02")),
            ..Default::default()
        })
        .await
        .expect("day");
    assert_eq!(day.len(), 3, "Korea-time days: 00:10 on the 3rd is the 3rd");
    let staff = s
        .audit_entries(&AuditFilter {
            staff: Some("seoul-fashion#1".into()),
            action: Some("closure_create".into()),
            ..Default::default()
        })
        .await
        .expect("staff");
    assert_eq!(staff, [entries[1].clone(), entries[2].clone()]);
    // Purging never touches the log.
    s.purge(
        date("2030-01-01"),
        kst_instant(date("2030-01-01"), time("00:00")),
    )
    .await
    .expect("purge");
    assert_eq!(
        s.audit_entries(&AuditFilter::default())
            .await
            .expect("all")
            .len(),
        5
    );
}

/// A reservation cannot be moved (예약 변경) into a closed day: the store
/// refuses it `closed` in the same atomic step as the move, and the
/// reservation keeps its time.
pub async fn moves_into_a_closure_are_refused(s: S) {
    let d = reservation("cutter", "2026-03-12", "10:00", 1, 1);
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("booked");
    s.create_closure(closure(Some("cutter"), "2026-03-05", "2026-03-05"))
        .await
        .expect("equipment closed");
    s.create_closure(closure(None, "2026-03-09", "2026-03-09"))
        .await
        .expect("facility closed");
    for day in ["2026-03-05", "2026-03-09"] {
        let to = reservation("cutter", day, "14:00", 1, 1).reservation.run;
        let mv = Reschedule {
            quota: None,
            to,
            from: vec![ReservationStatus::Pending, ReservationStatus::Confirmed],
            at: now(),
            messages: Vec::new(),
        };
        assert_code(s.reschedule_reservation(&code, mv).await, Code::Closed);
    }
    let kept = s.reservation(&code).await.expect("read").expect("kept");
    assert_eq!(kept.run.date(), date("2026-03-12"), "not moved");
    // An open day still takes the move.
    let to = reservation("cutter", "2026-03-13", "10:00", 1, 1)
        .reservation
        .run;
    let mv = Reschedule {
        quota: None,
        to,
        from: vec![ReservationStatus::Pending, ReservationStatus::Confirmed],
        at: now(),
        messages: Vec::new(),
    };
    s.reschedule_reservation(&code, mv).await.expect("moved");
}
