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

/// An index: name, key schema (attribute, key type), projection type.
type IndexShape = (String, Vec<(String, String)>, String);

/// `dynamodb-table.json` (CloudFormation) describes the same table as
/// `create_table`: attributes, keys, indexes and TTL.
#[tokio::test]
async fn the_cloudformation_template_matches_create_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dynamodb-table.json");
    let template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read the template"))
            .expect("valid JSON");
    let props = &template["Resources"]["BookingTable"]["Properties"];
    let keys = |v: &serde_json::Value| -> Vec<(String, String)> {
        v.as_array()
            .expect("a key schema")
            .iter()
            .map(|k| {
                (
                    k["AttributeName"].as_str().unwrap().to_owned(),
                    k["KeyType"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let mut template_attrs: Vec<(String, String)> = props["AttributeDefinitions"]
        .as_array()
        .expect("attributes")
        .iter()
        .map(|a| {
            (
                a["AttributeName"].as_str().unwrap().to_owned(),
                a["AttributeType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    template_attrs.sort();
    let mut template_indexes: Vec<IndexShape> = props["GlobalSecondaryIndexes"]
        .as_array()
        .expect("indexes")
        .iter()
        .map(|g| {
            (
                g["IndexName"].as_str().unwrap().to_owned(),
                keys(&g["KeySchema"]),
                g["Projection"]["ProjectionType"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    template_indexes.sort();

    let store = fresh_store().await;
    let described = store
        .client()
        .describe_table()
        .table_name(store.table())
        .send()
        .await
        .expect("describe");
    let table = described.table().expect("table");
    let mut attrs: Vec<(String, String)> = table
        .attribute_definitions()
        .iter()
        .map(|a| {
            (
                a.attribute_name().to_owned(),
                a.attribute_type().as_str().to_owned(),
            )
        })
        .collect();
    attrs.sort();
    assert_eq!(attrs, template_attrs);
    let schema: Vec<(String, String)> = table
        .key_schema()
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(schema, keys(&props["KeySchema"]));
    let mut indexes: Vec<IndexShape> = table
        .global_secondary_indexes()
        .iter()
        .map(|g| {
            (
                g.index_name().unwrap_or_default().to_owned(),
                g.key_schema()
                    .iter()
                    .map(|k| {
                        (
                            k.attribute_name().to_owned(),
                            k.key_type().as_str().to_owned(),
                        )
                    })
                    .collect(),
                g.projection()
                    .and_then(|p| p.projection_type())
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    indexes.sort();
    assert_eq!(indexes, template_indexes);
    assert_eq!(
        table
            .billing_mode_summary()
            .and_then(|b| b.billing_mode())
            .map(|b| b.as_str()),
        props["BillingMode"].as_str()
    );
    let ttl = store
        .client()
        .describe_time_to_live()
        .table_name(store.table())
        .send()
        .await
        .expect("ttl");
    assert_eq!(
        ttl.time_to_live_description()
            .and_then(|t| t.attribute_name()),
        props["TimeToLiveSpecification"]["AttributeName"].as_str()
    );
}

/// `booking-fn create-table NAME` creates the table through the AWS SDK's
/// environment configuration (`AWS_ENDPOINT_URL_DYNAMODB` here).
#[tokio::test]
async fn the_binary_creates_the_table() {
    let table = dynamodb_local::unique_table_name("cli");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_booking-fn"))
        .args(["create-table", &table])
        .env("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_local::endpoint())
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_REGION", "ap-northeast-2")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("SBIZ_TABLE")
        .output()
        .expect("run booking-fn");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client = dynamodb_local::client();
    let described = client
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .expect("the table exists");
    assert_eq!(
        described.table().and_then(|t| t.table_name()),
        Some(table.as_str())
    );
    // A second time fails: the table exists.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_booking-fn"))
        .args(["create-table", &table])
        .env("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_local::endpoint())
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_REGION", "ap-northeast-2")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run booking-fn");
    assert!(!again.status.success());
}

/// Issue 9, finding 3: no item of the table holds the management token or
/// the client's idempotency key in plain text, yet a retry with the key
/// still gets the token back.
#[tokio::test]
async fn idempotency_records_keep_no_plain_token_or_key() {
    let store = fresh_store().await;
    let key = "plain-key-0123456789abcdef";
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let token = d.token.clone();
    let new = sbiz_booking::store::NewReservation {
        idempotency: conformance::idem(key, "a"),
        ..conformance::new_reservation(d)
    };
    store.create_reservation(new.clone()).await.expect("create");
    // The retry carries another generated code and token, as a retried
    // request would.
    let mut retry = new;
    let fresh = sbiz_booking::domain::ManageToken::generate();
    retry.reservation.code = sbiz_booking::domain::ReservationCode::generate();
    retry.reservation.token_hash = fresh.hash();
    retry.token = fresh;
    let replay = store.create_reservation(retry).await.expect("replay");
    assert!(replay.replayed);
    assert_eq!(replay.token, token);
    let items = store
        .client()
        .scan()
        .table_name(store.table())
        .send()
        .await
        .expect("scan");
    let dump = format!("{:?}", items.items());
    assert!(dump.contains("IDEM#"), "the idempotency record exists");
    assert!(!dump.contains(&token.reveal()), "the plain token is stored");
    assert!(!dump.contains(key), "the plain idempotency key is stored");
}
