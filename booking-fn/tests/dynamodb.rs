//! The conformance and concurrency suite on the DynamoDB store, against
//! DynamoDB Local started by the test setup (see `support/dynamodb_local.rs`).
//! Every test gets a fresh table. These tests fail, never skip, when
//! DynamoDB Local cannot be installed or started.
#![cfg(feature = "dynamodb")]

mod conformance;
mod support {
    pub mod dynamodb_local;
}

use std::sync::Arc;

use sbiz_booking::store::Store;
use sbiz_booking::store::dynamodb::{DynamoStore, create_table};
use support::dynamodb_local;

/// A store on a new, empty table.
async fn fresh_store() -> DynamoStore {
    let client = dynamodb_local::client();
    let table = dynamodb_local::unique_table_name("conformance");
    create_table(&client, &table)
        .await
        .expect("create the table on DynamoDB Local");
    DynamoStore::new(client, table)
}

mod suite {
    use super::*;
    store_tests!(async || Arc::new(fresh_store().await) as Arc<dyn Store>);
}

#[tokio::test]
async fn the_table_has_its_indexes_and_ttl() {
    let store = fresh_store().await;
    let client = store.client();
    let table = client
        .describe_table()
        .table_name(store.table())
        .send()
        .await
        .expect("describe");
    let table = table.table().expect("table");
    let mut indexes: Vec<&str> = table
        .global_secondary_indexes()
        .iter()
        .filter_map(|g| g.index_name())
        .collect();
    indexes.sort();
    assert_eq!(indexes, ["gsi1", "gsi2"]);
    let ttl = client
        .describe_time_to_live()
        .table_name(store.table())
        .send()
        .await
        .expect("ttl");
    let ttl = ttl.time_to_live_description().expect("ttl description");
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
    // Creating it twice is an error, not a silent success.
    assert!(create_table(client, store.table()).await.is_err());
}
