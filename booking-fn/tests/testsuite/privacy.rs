//! No personal data in logs: every log line of a full booking, application,
//! survey and admin session is captured at TRACE level and searched for the
//! personal values (and the secret tokens). The session is in
//! `support/privacy_session.rs`, shared with `dynamodb_privacy.rs`; the
//! capture (one global subscriber for the process) in `support/log_capture.rs`.

use crate::common::*;
use crate::support::log_capture;
use crate::support::privacy_session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_personal_data() {
    let capture = log_capture::open();

    let app = app();
    privacy_session::logs_hold_no_personal_data(app, capture.logs()).await;
}

/// What a `{:?}` could put in a log line: never a phone number, a form's
/// or a survey's free text (the person's fields already print as `…`).
#[test]
fn personal_values_print_as_ellipses_in_debug() {
    use std::collections::BTreeMap;

    use sbiz_booking::catalog::Phone;
    use sbiz_booking::domain::{Answer, Subject, SurveyResponse, TargetKind};

    let phone: Phone = "010-1234-5678".parse().expect("phone");
    let (application, _) = crate::conformance::application(TargetKind::Policy, "smart-factory", 1);
    let survey = SurveyResponse {
        survey: "equipment-satisfaction".parse().expect("id"),
        subject: Subject::Application(application.code),
        facility: None,
        answers: BTreeMap::from([(
            "comment".to_owned(),
            Answer::Text("홍길동, 010-9876-5432".into()),
        )]),
        submitted_at: crate::conformance::now(),
    };
    for printed in [
        format!("{phone:?}"),
        format!("{application:?}"),
        format!("{survey:?}"),
    ] {
        for personal in ["1234-5678", "9876-5432", "자동재단기", "홍길동"] {
            assert!(!printed.contains(personal), "{personal} in {printed}");
        }
    }
    // What is not personal still reads.
    assert!(format!("{application:?}").contains("plan"));
}
