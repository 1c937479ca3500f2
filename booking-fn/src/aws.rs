//! The AWS SDK's configuration and HTTPS client, shared by the DynamoDB
//! store, Secrets Manager, SES and SNS.
//!
//! The SDK crates are built without their `default-https-client` feature,
//! which would bring rustls with aws-lc-rs (a C library of its own: 0.7 MB
//! of the Lambda binary, and a C build). The client here is the one the SDK
//! would create (hyper 1.x, rustls) with *ring* as the crypto provider (as
//! lettre's SMTP already uses), and so every SDK client must be given it:
//! [`sdk_config`] does so for the clients configured from the environment,
//! and a hand-built `Config` takes [`http_client`].

use aws_smithy_http_client::{Builder, ConnectorBuilder, proxy::ProxyConfig, tls};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// A new HTTPS client: rustls with *ring*, the trusted roots of the system
/// (as the SDK's default client), HTTP(S)_PROXY/NO_PROXY from the
/// environment. Build one per SDK configuration: its connections are bound
/// to the Tokio runtime that first uses it. Built as aws-smithy-runtime's
/// `default_https_client` builds its own (through the same, doc-hidden,
/// `build_with_connector_fn`), only the crypto provider differs.
pub fn http_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut conn = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ));
        conn.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            conn.set_sleep_impl(components.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    })
}

/// The SDK's configuration the AWS way (region, credentials and endpoints
/// from the environment or the Lambda role: `AWS_ENDPOINT_URL_DYNAMODB`
/// points the store at DynamoDB Local) with [`http_client`].
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http_client())
        .load()
        .await
}
