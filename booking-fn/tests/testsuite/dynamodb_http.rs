//! Concurrency through the whole HTTP stack (router, service, rules) on the
//! DynamoDB store against DynamoDB Local: the same scenarios as
//! `concurrency.rs` runs on SQLite. Fails, never skips, when DynamoDB Local
//! cannot start.

use std::sync::Arc;

use sbiz_booking::store::dynamodb::{DynamoStore, create_table};

use crate::common::*;
use crate::support::{dynamodb_local, http_concurrency};

async fn dynamo_app() -> App {
    let client = dynamodb_local::client();
    let table = dynamodb_local::unique_table_name("http");
    create_table(&client, &table)
        .await
        .expect("create the table on DynamoDB Local");
    app_with(Arc::new(DynamoStore::new(client, table)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_requests_for_overlapping_slots() {
    http_concurrency::two_hundred_simultaneous_requests_for_overlapping_slots(dynamo_app().await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_retries_with_one_key_make_one_record() {
    http_concurrency::simultaneous_retries_with_one_key_make_one_record(dynamo_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_n_with_3n_simultaneous_applicants() {
    http_concurrency::capacity_n_with_3n_simultaneous_applicants(dynamo_app().await).await;
}
