//! Running the function: loading the catalog, the scheduled purge.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sbiz_catalog::{CATALOG_VERSION, Catalog};

use crate::api::AppState;
use crate::domain::ServerKey;
use crate::store::{PurgeReport, Store};
use crate::{Error, Result};

/// The environment variable naming the file that holds the server secret.
pub const SECRET_FILE_ENV: &str = "SBIZ_SECRET_FILE";
/// The environment variable naming the AWS Secrets Manager secret (ARN or
/// name) that holds the server secret, on AWS.
pub const SECRET_ARN_ENV: &str = "SBIZ_SECRET_ARN";

/// The server secret ([`ServerKey`]), from the first of:
/// * `SBIZ_SECRET_ARN`: an AWS Secrets Manager secret (builds with the
///   `dynamodb` feature), read once at start;
/// * `SBIZ_SECRET_FILE`: a file only the server's user may read;
/// * `default_file`, created (mode 0600) when missing: for single-server
///   hosting, beside the database. `None` (the Lambda function) makes a
///   missing configuration an error instead.
pub async fn load_secret(default_file: Option<&Path>) -> Result<ServerKey> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(arn) = var(SECRET_ARN_ENV) {
        return secret_from_aws(arn.trim()).await;
    }
    let key = match (var(SECRET_FILE_ENV), default_file) {
        (Some(file), _) => ServerKey::from_file(Path::new(file.trim())),
        (None, Some(file)) => ServerKey::load_or_create(file),
        (None, None) => {
            return Err(Error::Config(format!(
                "no server secret: set {SECRET_ARN_ENV} (AWS) or {SECRET_FILE_ENV}"
            )));
        }
    };
    key.map_err(|e| Error::Config(e.0))
}

#[cfg(feature = "dynamodb")]
async fn secret_from_aws(id: &str) -> Result<ServerKey> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let out = aws_sdk_secretsmanager::Client::new(&config)
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .map_err(|e| {
            Error::Config(format!(
                "cannot read the server secret from Secrets Manager: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
            ))
        })?;
    let material = out
        .secret_string()
        .map(|s| s.as_bytes().to_vec())
        .or_else(|| out.secret_binary().map(|b| b.as_ref().to_vec()))
        .ok_or_else(|| Error::Config("the server secret in Secrets Manager is empty".into()))?;
    ServerKey::from_material(&material)
        .map_err(|e| Error::Config(format!("the server secret in Secrets Manager: {e}")))
}

#[cfg(not(feature = "dynamodb"))]
async fn secret_from_aws(_id: &str) -> Result<ServerKey> {
    Err(Error::Config(format!(
        "{SECRET_ARN_ENV} is set but this build has no AWS support (feature `dynamodb`)"
    )))
}

/// Reads `catalog.json` as written by `sbiz build`.
pub fn load_catalog(path: &Path) -> Result<Catalog> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read the catalog {}: {e}", path.display())))?;
    let catalog: Catalog = serde_json::from_str(&text)
        .map_err(|e| Error::Config(format!("the catalog {} is not valid: {e}", path.display())))?;
    if catalog.version != CATALOG_VERSION {
        return Err(Error::Config(format!(
            "the catalog {} has format version {}, this function reads version {CATALOG_VERSION}",
            path.display(),
            catalog.version
        )));
    }
    Ok(catalog)
}

/// Blanks personal data whose retention period has ended (see
/// [`Store::purge`]), as of the state's clock, then moves what is left
/// under legacy person keys ([`migrate`]): on DynamoDB, where the Lambda
/// function does not migrate at a cold start, `booking-fn purge` is how a
/// table is migrated.
pub async fn purge_now(state: &AppState) -> Result<PurgeReport> {
    let now = state.service().now();
    let report = state.service().store.purge(now.date, now.at).await?;
    tracing::info!(
        reservations = report.reservations,
        applications = report.applications,
        idempotency_records = report.idempotency_records,
        attempt_counters = report.attempt_counters,
        "purged personal data past its retention period"
    );
    migrate(state).await?;
    Ok(report)
}

/// Moves records still identified by the unkeyed person key of earlier
/// versions to keys made with the server secret
/// ([`Store::rekey_persons`]), and logs how many (a count, nothing
/// personal). Idempotent: once done, a run only reads. On SQLite it is one
/// short transaction, run before serving; on DynamoDB it scans the personal
/// items, so it runs with the purge rather than at a Lambda cold start.
pub async fn migrate(state: &AppState) -> Result<u64> {
    let service = state.service();
    migrate_store(service.store.as_ref(), &service.secret).await
}

/// [`migrate`] for a store and secret not yet in an [`AppState`].
pub async fn migrate_store(store: &dyn Store, secret: &ServerKey) -> Result<u64> {
    let moved = store.rekey_persons(secret).await?;
    if moved > 0 {
        tracing::info!(
            records = moved,
            store = store.kind(),
            "moved records from legacy person keys to keys made with the server secret"
        );
    }
    Ok(moved)
}

/// Runs [`purge_now`] at start and then every `every`, until the task is
/// aborted or the runtime stops.
pub fn spawn_purge(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = purge_now(&state).await {
                tracing::error!(error = %e, "purge failed; retrying at the next interval");
            }
        }
    })
}

/// Replaces the state's catalog with the file's, keeping the old one when
/// the file is unreadable or invalid.
pub fn reload_catalog(state: &AppState, path: &Path) -> Result<()> {
    let catalog = load_catalog(path)?;
    state.set_catalog(Arc::new(catalog));
    tracing::info!("catalog reloaded");
    reload_theme(state, path)
}

/// Loads the theme (`forms.json` beside the catalog) for HTML answers; when
/// there is none, the function answers with its plain pages. Also loads the
/// site's search index (`search/index.json` beside the catalog, as `sbiz
/// build` writes it) for `GET /api/search`; without one, searches find
/// nothing.
pub fn reload_theme(state: &AppState, catalog_path: &Path) -> Result<()> {
    let search = crate::api::theme::load_search_index(catalog_path).map_err(Error::Config)?;
    state.set_search(search.map(Arc::new));
    let theme = crate::api::theme::load(catalog_path).map_err(Error::Config)?;
    state.set_theme(theme.map(Arc::new));
    Ok(())
}
