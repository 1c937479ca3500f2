//! Concurrency through the whole HTTP stack on an SQLite file: many
//! simultaneous requests, one winner per slot, one record per idempotency
//! key, exactly `capacity` enrolments. The scenarios are in
//! `support/http_concurrency.rs`, shared with `dynamodb_http.rs`.

use std::sync::Arc;

use sbiz_booking::store::sqlite::SqliteStore;

use crate::common::*;
use crate::support::http_concurrency;

fn file_app() -> App {
    app_with(Arc::new(SqliteStore::temporary().expect("open")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_requests_for_overlapping_slots() {
    http_concurrency::two_hundred_simultaneous_requests_for_overlapping_slots(file_app()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_retries_with_one_key_make_one_record() {
    http_concurrency::simultaneous_retries_with_one_key_make_one_record(file_app()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_n_with_3n_simultaneous_applicants() {
    http_concurrency::capacity_n_with_3n_simultaneous_applicants(file_app()).await;
}
