//! Training records (교육 수료 기록): written by staff or with the
//! attendance mark, read by the rules, kept past the personal-data purge.

use sbiz_booking::domain::*;
use sbiz_booking::store::*;

use super::*;

fn training(who: u32, programme: &str, day: &str) -> TrainingRecord {
    TrainingRecord {
        person: person(who).key(&TEST_SECRET),
        programme: id(programme),
        completed: date(day),
        entry: "seoul-fashion".into(),
        recorded_at: now(),
    }
}

pub async fn training_records_count_as_training_and_outlive_the_purge(s: S) {
    let key = person(7).key(&TEST_SECRET);
    let offline = training(7, "laser-safety", "2025-11-20");
    s.record_training(offline.clone()).await.expect("recorded");
    // The same again changes nothing; another day is another record.
    s.record_training(TrainingRecord {
        entry: "*".into(),
        ..offline.clone()
    })
    .await
    .expect("again");
    let later = training(7, "laser-safety", "2026-02-10");
    s.record_training(later.clone()).await.expect("recorded");
    assert_eq!(
        s.training_records(&key).await.expect("records"),
        vec![offline.clone(), later.clone()]
    );
    let h = s.person_history(&key).await.expect("history");
    assert_eq!(h.attended_programmes, vec![id("laser-safety")]);
    assert!(h.no_show_dates.is_empty());
    // Someone else has none.
    assert!(
        s.training_records(&person(8).key(&TEST_SECRET))
            .await
            .expect("records")
            .is_empty()
    );

    // A purge long after the person's records are gone keeps the training
    // until its own end, then deletes it.
    let d = reservation("laser", "2026-03-05", "10:00", 1, 7);
    let code = d.reservation.code;
    s.create_reservation(new_reservation(d))
        .await
        .expect("made");
    let after = date("2027-06-01");
    s.purge(after, kst_instant(after, time("03:00")))
        .await
        .expect("purge");
    let r = s.reservation(&code).await.expect("read").expect("kept");
    assert!(r.person.is_none(), "personal data purged");
    assert_eq!(
        s.person_history(&key)
            .await
            .expect("history")
            .attended_programmes,
        vec![id("laser-safety")],
        "the training is still on record"
    );
    let end = offline.keep_until();
    assert!(
        end >= date("2030-11-20") && end <= date("2030-11-21"),
        "{end}"
    );
    let day_after = end.add_days(1);
    s.purge(day_after, kst_instant(day_after, time("03:00")))
        .await
        .expect("purge");
    assert_eq!(
        s.training_records(&key).await.expect("records"),
        vec![later.clone()],
        "the older record reached its end"
    );
    let gone = later.keep_until().add_days(1);
    s.purge(gone, kst_instant(gone, time("03:00")))
        .await
        .expect("purge");
    assert_eq!(
        s.person_history(&key).await.expect("history"),
        PersonHistory::default()
    );
}

pub async fn attendance_writes_the_training_record_with_it(s: S) {
    let who = 9;
    let key = person(who).key(&TEST_SECRET);
    let e = enrol("laser-safety", who, 10, 0);
    let app = e.application.code;
    s.apply(e).await.expect("enrol");
    // A refused change writes no record.
    let record = training(who, "laser-safety", "2026-03-02");
    let refused = StatusChange {
        training: Some(record.clone()),
        ..change(
            &[ApplicationStatus::Waitlisted],
            ApplicationStatus::Attended,
        )
    };
    assert_code(
        s.set_application_status(&app, refused).await,
        sbiz_booking::Code::InvalidStatus,
    );
    assert!(s.training_records(&key).await.expect("records").is_empty());
    let attended = StatusChange {
        training: Some(record.clone()),
        ..change(&[ApplicationStatus::Enrolled], ApplicationStatus::Attended)
    };
    s.set_application_status(&app, attended)
        .await
        .expect("attended");
    assert_eq!(
        s.training_records(&key).await.expect("records"),
        vec![record.clone()]
    );
    // After the application's personal data is purged, the training counts.
    let after = date("2027-06-01");
    s.purge(after, kst_instant(after, time("03:00")))
        .await
        .expect("purge");
    let a = s.application(&app).await.expect("read").expect("kept");
    assert!(a.person.is_none());
    assert_eq!(
        s.person_history(&key)
            .await
            .expect("history")
            .attended_programmes,
        vec![id("laser-safety")]
    );
}
