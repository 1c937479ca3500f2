//! No personal data in logs, on the DynamoDB store: the session of
//! `privacy.rs` (booking, clash, bad forms, lookup, applications, admin lists
//! and CSV, survey, purge) against DynamoDB Local, with every log line of the
//! crate captured at TRACE level (the AWS SDK at DEBUG: see
//! `cap_sdk_logs`) and searched for the personal values and the secret
//! tokens.
#![cfg(all(feature = "dynamodb", feature = "sqlite"))]

mod common;
mod support {
    pub mod dynamodb_local;
    pub mod privacy_session;
}

use std::sync::Arc;

use common::*;
use support::privacy_session::{self, Captured};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_personal_data() {
    let logs = Captured::default();
    let sink = logs.clone();
    tracing_subscriber::fmt()
        // Everything at TRACE, with the cap the binary puts on the AWS SDK
        // (which logs whole responses at TRACE).
        .with_env_filter(sbiz_booking::store::dynamodb::cap_sdk_logs(
            tracing_subscriber::EnvFilter::new("trace"),
        ))
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .init();

    let client = support::dynamodb_local::client();
    let table = support::dynamodb_local::unique_table_name("privacy");
    sbiz_booking::store::dynamodb::create_table(&client, &table)
        .await
        .expect("create the table on DynamoDB Local");
    let app = app_with(Arc::new(sbiz_booking::store::dynamodb::DynamoStore::new(
        client, table,
    )));
    privacy_session::logs_hold_no_personal_data(app, logs).await;
}
