//! No personal data in logs, on the DynamoDB store: the session of
//! `privacy.rs` (booking, clash, bad forms, lookup, applications, admin lists
//! and CSV, survey, purge) against DynamoDB Local, with every log line of the
//! crate captured at TRACE level (the AWS SDK at DEBUG: see
//! `cap_sdk_logs`, applied by `support/log_capture.rs`) and searched for the
//! personal values and the secret tokens.

use std::sync::Arc;

use crate::common::*;
use crate::support::log_capture;
use crate::support::privacy_session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_personal_data() {
    // Everything at TRACE, with the cap the binary puts on the AWS SDK
    // (which logs whole responses at TRACE).
    let capture = log_capture::open();

    let client = crate::support::dynamodb_local::client();
    let table = crate::support::dynamodb_local::unique_table_name("privacy");
    sbiz_booking::store::dynamodb::create_table(&client, &table)
        .await
        .expect("create the table on DynamoDB Local");
    let app = app_with(Arc::new(sbiz_booking::store::dynamodb::DynamoStore::new(
        client, table,
    )));
    privacy_session::logs_hold_no_personal_data(app, capture.logs()).await;
}

/// Whatever `RUST_LOG` asks (the binary reads it as `Targets`), the AWS
/// SDK's targets never log at TRACE, where the SDK writes whole items; other
/// targets keep the level asked for.
#[test]
fn rust_log_cannot_trace_the_aws_sdk() {
    use sbiz_booking::store::dynamodb::cap_sdk_logs;
    use tracing::Level;
    use tracing_subscriber::filter::Targets;
    let sdk = [
        "aws_smithy_runtime::client::orchestrator",
        "aws_sdk_dynamodb::operation::get_item",
        "aws_config",
        "hyper::proto::h1",
        "h2::codec",
        "rustls::client",
    ];
    for spec in [
        "trace",
        "aws=trace",
        "info,aws_smithy_runtime::client=trace",
        "warn,hyper=trace,aws_sdk_dynamodb=trace",
    ] {
        let filter = cap_sdk_logs(spec.parse::<Targets>().expect(spec));
        for target in sdk {
            assert!(
                !filter.would_enable(target, &Level::TRACE),
                "{spec}: {target}"
            );
        }
    }
    let filter = cap_sdk_logs("trace".parse().unwrap());
    assert!(filter.would_enable("aws_smithy_runtime", &Level::DEBUG));
    assert!(filter.would_enable("sbiz_booking::api", &Level::TRACE));
    let filter = cap_sdk_logs("sbiz_booking=trace,info".parse().unwrap());
    assert!(filter.would_enable("sbiz_booking::api", &Level::TRACE));
    assert!(filter.would_enable("aws_smithy_runtime", &Level::INFO));
    assert!(!filter.would_enable("aws_smithy_runtime", &Level::DEBUG));
}
