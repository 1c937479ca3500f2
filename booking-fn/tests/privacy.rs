//! No personal data in logs: every log line of a full booking, application,
//! survey and admin session is captured at TRACE level and searched for the
//! personal values (and the secret tokens). The session is in
//! `support/privacy_session.rs`, shared with `dynamodb_privacy.rs`.
#![cfg(feature = "sqlite")]

mod common;
mod support {
    pub mod privacy_session;
}

use common::*;
use support::privacy_session::{self, Captured};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_personal_data() {
    let logs = Captured::default();
    let sink = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .init();

    let app = app();
    privacy_session::logs_hold_no_personal_data(app, logs).await;
}
