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
//!
//! [`sdk_config`] reads the configuration the AWS way. With the feature
//! `aws-config` (a default feature) that is the SDK's own loader, aws-config:
//! region and credentials from the environment, profile files
//! (`AWS_PROFILE`), web identity, ECS or EC2 instance metadata. Without it
//! (the Lambda bundle of `deploy/package.sh`, where it was 1.1 MB of the
//! binary) only from environment variables, which is where Lambda puts
//! them: [`env_config`].

use aws_smithy_http_client::{Builder, ConnectorBuilder, proxy::ProxyConfig, tls};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::SdkConfig;

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
/// points the store at DynamoDB Local) with [`http_client`]: aws-config's
/// loader with the feature `aws-config`, [`env_config`] without.
pub async fn sdk_config() -> SdkConfig {
    #[cfg(feature = "aws-config")]
    {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http_client())
            .load()
            .await
    }
    #[cfg(not(feature = "aws-config"))]
    {
        env_config()
    }
}

/// The SDK's configuration from environment variables only, with what
/// aws-config's loader would take from them and its defaults otherwise:
///
/// * region: `AWS_REGION`, else `AWS_DEFAULT_REGION`;
/// * credentials: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
///   `AWS_SESSION_TOKEN`, `AWS_ACCOUNT_ID` (read on every use; a client
///   without them fails its calls with "no credentials");
/// * endpoints: `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_DYNAMODB`,
///   `AWS_ENDPOINT_URL_SECRETS_MANAGER`, …), else `AWS_ENDPOINT_URL`, both
///   ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`;
/// * the standard retry policy (3 attempts), a 3.1 s connect timeout and the
///   latest behaviour version, as aws-config sets them.
pub fn env_config() -> SdkConfig {
    use aws_smithy_async::rt::sleep::default_async_sleep;
    use aws_smithy_async::time::SystemTimeSource;
    use aws_smithy_types::retry::RetryConfig;
    use aws_smithy_types::timeout::TimeoutConfig;
    use aws_types::region::Region;

    let region = env_var("AWS_REGION")
        .or_else(|| env_var("AWS_DEFAULT_REGION"))
        .map(Region::new);
    let mut builder = SdkConfig::builder()
        .behavior_version(aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest())
        .region(region)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(EnvCredentials),
        )
        .http_client(http_client())
        .time_source(SystemTimeSource::new())
        .retry_config(RetryConfig::standard())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(std::time::Duration::from_millis(3100))
                .build(),
        )
        .service_config(EnvEndpoints);
    builder.set_sleep_impl(default_async_sleep());
    builder.build()
}

/// A variable's value, `None` when unset or blank.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when
/// set, `AWS_SESSION_TOKEN` and `AWS_ACCOUNT_ID` (as aws-config's
/// environment provider reads them).
#[derive(Debug)]
struct EnvCredentials;

impl aws_credential_types::provider::ProvideCredentials for EnvCredentials {
    fn provide_credentials<'a>(&'a self) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        use aws_credential_types::Credentials;
        use aws_credential_types::provider::error::CredentialsError;
        let (Some(key), Some(secret)) = (
            env_var("AWS_ACCESS_KEY_ID"),
            env_var("AWS_SECRET_ACCESS_KEY"),
        ) else {
            return aws_credential_types::provider::future::ProvideCredentials::ready(Err(
                CredentialsError::not_loaded(
                    "no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set \
                     (this build reads them from the environment only)",
                ),
            ));
        };
        let mut builder = Credentials::builder()
            .access_key_id(key)
            .secret_access_key(secret)
            .provider_name("Environment");
        builder.set_session_token(env_var("AWS_SESSION_TOKEN"));
        builder.set_account_id(env_var("AWS_ACCOUNT_ID").map(Into::into));
        aws_credential_types::provider::future::ProvideCredentials::ready(Ok(builder.build()))
    }
}

/// The clients' per-service settings from the environment: only endpoint
/// URLs (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`), as the
/// SDK's own environment lookup finds them.
#[derive(Debug)]
struct EnvEndpoints;

impl aws_types::service_config::LoadServiceConfig for EnvEndpoints {
    fn load_config(&self, key: aws_types::service_config::ServiceConfigKey<'_>) -> Option<String> {
        if key.env() == "AWS_ENDPOINT_URL"
            && env_var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return None;
        }
        let env = aws_types::os_shim_internal::Env::real();
        aws_runtime::env_config::EnvConfigValue::new()
            .env(key.env())
            .service_id(key.service_id())
            .load(&env, None)
            .map(|(value, _)| value.into_owned())
    }
}
