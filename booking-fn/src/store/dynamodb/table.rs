//! Creating the table (keys, indexes, TTL), and keeping the SDK's logs from items.

use super::*;

/// Creates the table with its three indexes and TTL, and waits until it is
/// active. Fails if it exists already.
pub async fn create_table(client: &Client, table: &str) -> Result<()> {
    let attr = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    let gsi = |name: &str, pk: &str, sk: &str, projection: ProjectionType| {
        GlobalSecondaryIndex::builder()
            .index_name(name)
            .key_schema(key(pk, KeyType::Hash)?)
            .key_schema(key(sk, KeyType::Range)?)
            .projection(Projection::builder().projection_type(projection).build())
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("pk")?)
        .attribute_definitions(attr("sk")?)
        .attribute_definitions(attr("gsi1pk")?)
        .attribute_definitions(attr("gsi1sk")?)
        .attribute_definitions(attr("gsi2pk")?)
        .attribute_definitions(attr("gsi2sk")?)
        .attribute_definitions(attr("gsi3pk")?)
        .attribute_definitions(attr("gsi3sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(gsi(GSI_FACILITY, "gsi1pk", "gsi1sk", ProjectionType::All)?)
        .global_secondary_indexes(gsi(GSI_SUBJECT, "gsi2pk", "gsi2sk", ProjectionType::All)?)
        // Keys only: the personal items' data stays out of the index.
        .global_secondary_indexes(gsi(
            GSI_PERSON,
            "gsi3pk",
            "gsi3sk",
            ProjectionType::KeysOnly,
        )?)
        .send()
        .await
        .map_err(|e| storage("creating the table", e))?;
    for _ in 0..600 {
        let out = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| storage("waiting for the table", e))?;
        let t = out.table();
        let active = t.and_then(|t| t.table_status()) == Some(&TableStatus::Active)
            && t.map(|t| t.global_secondary_indexes())
                .unwrap_or_default()
                .iter()
                .all(|g| g.index_status() == Some(&aws_sdk_dynamodb::types::IndexStatus::Active));
        if active {
            client
                .update_time_to_live()
                .table_name(table)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder()
                        .enabled(true)
                        .attribute_name(TTL_ATTRIBUTE)
                        .build()
                        .map_err(|e| Error::storage("building the TTL setting", e))?,
                )
                .send()
                .await
                .map_err(|e| storage("enabling TTL", e))?;
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(Error::Config(format!(
        "table {table} did not become active within 5 minutes"
    )))
}

/// [`create_table`] with a client configured from the environment, as in
/// [`DynamoStore::from_env`]: `booking-fn create-table NAME`.
pub async fn create_table_from_env(table: &str) -> Result<()> {
    let store = DynamoStore::from_env(table).await;
    create_table(store.client(), table).await
}

/// Crates of the AWS SDK and its HTTP stack. At TRACE level the SDK logs
/// whole responses (`output_or_error=...`), items and all, so personal data
/// would reach the logs; at DEBUG and above it logs none.
pub(super) const SDK_LOG_TARGETS: [&str; 8] = [
    "aws_smithy",
    "aws_sdk",
    "aws_config",
    "aws_runtime",
    "aws_credential_types",
    "hyper",
    "h2",
    "rustls",
];

/// Caps the AWS SDK's logs at DEBUG, so that `RUST_LOG=trace` (or
/// `aws_smithy_runtime=trace`) cannot put DynamoDB items (with personal
/// data) into the logs: a directive naming an SDK target (or a module in one)
/// is lowered to DEBUG, and an SDK target that a broader directive or the
/// default would trace gets a DEBUG directive of its own. The binary applies it to its `RUST_LOG` filter.
pub fn cap_sdk_logs(
    filter: tracing_subscriber::filter::Targets,
) -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    let is_sdk = |target: &str| SDK_LOG_TARGETS.iter().any(|sdk| target.starts_with(sdk));
    let mut capped = Targets::new();
    if let Some(default) = filter.default_level() {
        capped = capped.with_default(default);
    }
    for target in SDK_LOG_TARGETS {
        if filter.would_enable(target, &tracing::Level::TRACE) {
            capped = capped.with_target(target, LevelFilter::DEBUG);
        }
    }
    for (target, level) in filter.iter() {
        let level = if is_sdk(target) {
            level.min(LevelFilter::DEBUG)
        } else {
            level
        };
        capped = capped.with_target(target, level);
    }
    capped
}
