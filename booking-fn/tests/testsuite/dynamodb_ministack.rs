//! The DynamoDB store on a second emulator: ministack (Python, from PyPI,
//! pinned in `support/pyserver.rs`), one server for the module, a fresh
//! table per test. The whole conformance suite runs here as on DynamoDB
//! Local (`dynamodb.rs`), and the opening burst with its requests counted,
//! so that the design does not rest on one emulator's way of applying
//! updates and transactions.

use std::sync::{Arc, OnceLock};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use sbiz_booking::store::Store;
use sbiz_booking::store::dynamodb::{DynamoStore, create_table};

use crate::dynamodb::{CountRequests, RequestCounts};
use crate::store_tests;
use crate::support::pyserver;

static SERVER: OnceLock<pyserver::Server> = OnceLock::new();

fn client(counts: Option<Arc<RequestCounts>>) -> aws_sdk_dynamodb::Client {
    let server = SERVER.get_or_init(|| pyserver::ministack(pyserver::free_port()));
    let mut config = aws_sdk_dynamodb::Config::builder()
        .http_client(sbiz_booking::aws::http_client())
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(Credentials::new("test", "test", None, None, "ministack"))
        .endpoint_url(format!("http://127.0.0.1:{}", server.port));
    if let Some(counts) = counts {
        config = config.interceptor(CountRequests(counts));
    }
    aws_sdk_dynamodb::Client::from_conf(config.build())
}

async fn fresh_store(counts: Option<Arc<RequestCounts>>) -> DynamoStore {
    let client = client(counts);
    let table = crate::support::dynamodb_local::unique_table_name("ministack");
    create_table(&client, &table)
        .await
        .expect("create the table on ministack");
    DynamoStore::new(client, table)
}

mod suite {
    use super::*;
    store_tests!(async || Arc::new(fresh_store(None).await) as Arc<dyn Store>);
}

/// The opening of `dynamodb::a_popular_opening_costs_linear_requests`
/// (1,000 applicants, capacity 30) on ministack: the same outcome, at most
/// 6 requests per call.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_popular_opening_costs_linear_requests() {
    let counts = Arc::new(RequestCounts::default());
    let store = fresh_store(Some(counts.clone())).await;
    counts.take();
    crate::dynamodb::linear_opening(Arc::new(store), counts, "ministack").await;
}
