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
