//! The AWS SDK's configuration and HTTPS client, shared by the DynamoDB
//! store, Secrets Manager, SES and SNS.
//!
//! The SDK crates are built without their `default-https-client` feature,
//! which would bring rustls with aws-lc-rs (a C library of its own: 0.7 MB
//! of the Lambda binary, and a C build) and HTTP/2 (h2: 0.4 MB). The client
//! here, [`http_client`], is hyper 1.x and rustls with *ring* (as lettre's
//! SMTP already uses) speaking HTTP/1.1, which every AWS endpoint and
//! emulator answers; every SDK client must be given it: [`sdk_config`] does
//! so for the clients configured from the environment, and a hand-built
//! `Config` takes [`http_client`].
//!
//! [`sdk_config`] reads the configuration the AWS way. With the feature
//! `aws-config` (a default feature) that is the SDK's own loader, aws-config:
//! region and credentials from the environment, profile files
//! (`AWS_PROFILE`), web identity, ECS or EC2 instance metadata. Without it
//! (the Lambda bundle of `deploy/package.sh`) only from environment
//! variables, which is where Lambda puts them: [`env_config`].

use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind;
use aws_types::SdkConfig;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector as TcpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

/// A new HTTPS client (HTTP for `http://` endpoints such as DynamoDB Local):
/// HTTP/1.1 over rustls with *ring* and the trusted roots of the system (as
/// the SDK's default client), with the connect and read timeouts of each
/// SDK client's configuration; no proxy. Build one per SDK configuration:
/// its connections are bound to the Tokio runtime that first uses it.
pub fn http_client() -> SharedHttpClient {
    SharedHttpClient::new(Http1Client::default())
}

/// The SDK's HTTP client: one connector (with its connection pool) per pair
/// of connect and read timeouts, made on first use.
#[derive(Debug, Default)]
struct Http1Client {
    connectors: Mutex<Vec<(Timeouts, SharedHttpConnector)>>,
}

/// Connect and read timeouts.
type Timeouts = (Option<Duration>, Option<Duration>);

impl HttpClient for Http1Client {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        let mut connectors = self.connectors.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, connector)) = connectors.iter().find(|(k, _)| *k == key) {
            return connector.clone();
        }
        let connector = SharedHttpConnector::new(Http1Connector::new(key));
        connectors.push((key, connector.clone()));
        connector
    }
}

/// The TLS settings of every connector: *ring*, and the system's trusted
/// roots, read once per process (as the SDK's own client caches them: they
/// are a file of some 150 certificates to parse).
static TLS: LazyLock<Result<rustls::ClientConfig, Arc<str>>> = LazyLock::new(|| {
    use hyper_rustls::ConfigBuilderExt;
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())
        .and_then(|b| b.with_native_roots().map_err(|e| e.to_string()))
        .map(|b| b.with_no_client_auth())
        .map_err(|e| Arc::from(format!("no trusted root certificates: {e}")))
});

/// Sends the SDK's requests over a pool of HTTP/1.1 connections.
#[derive(Debug)]
struct Http1Connector {
    /// `Err`: the system's trusted roots could not be read (every call
    /// fails with that).
    client: Result<Client<hyper_rustls::HttpsConnector<TcpConnector>, SdkBody>, Arc<str>>,
    read_timeout: Option<Duration>,
}

impl Http1Connector {
    fn new((connect_timeout, read_timeout): Timeouts) -> Http1Connector {
        let mut tcp = TcpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(connect_timeout);
        let client = TLS.clone().map(|tls| {
            let https = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .wrap_connector(tcp);
            Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .build(https)
        });
        Http1Connector {
            client,
            read_timeout,
        }
    }
}

impl HttpConnector for Http1Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let client = match &self.client {
            Ok(client) => client.clone(),
            Err(why) => {
                return HttpConnectorFuture::ready(Err(ConnectorError::other(
                    why.to_string().into(),
                    None,
                )));
            }
        };
        let request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(e) => return HttpConnectorFuture::ready(Err(ConnectorError::user(e.into()))),
        };
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let sent = client.request(request);
            let response = match read_timeout {
                Some(limit) => tokio::time::timeout(limit, sent)
                    .await
                    .map_err(|e| ConnectorError::timeout(e.into()))?,
                None => sent.await,
            }
            .map_err(connector_error)?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// The error the SDK's retry policy classifies: timeouts and I/O errors
/// (refused or reset connections, a connection closed before the answer)
/// are transient and retried, as with the SDK's own client.
fn connector_error(err: hyper_util::client::legacy::Error) -> ConnectorError {
    let io = find_source::<std::io::Error>(&err).map(|e| e.kind());
    if io == Some(std::io::ErrorKind::TimedOut) {
        return ConnectorError::timeout(err.into());
    }
    if let Some(h) = find_source::<hyper::Error>(&err) {
        if h.is_timeout() {
            return ConnectorError::timeout(err.into());
        }
        if h.is_user() {
            return ConnectorError::user(err.into());
        }
        if h.is_incomplete_message() {
            return ConnectorError::other(err.into(), Some(ErrorKind::TransientError));
        }
        if h.is_closed() || h.is_canceled() {
            return ConnectorError::io(err.into());
        }
    }
    if err.is_connect() || io.is_some() {
        return ConnectorError::io(err.into());
    }
    ConnectorError::other(err.into(), None)
}

/// The first error of type `E` in `err`'s chain of sources.
fn find_source<'a, E: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a E> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<E>() {
            return Some(found);
        }
        next = e.source();
    }
    None
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
        .behavior_version(
            aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest(),
        )
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
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
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
