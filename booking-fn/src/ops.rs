//! Running the function: loading the catalog, the secrets and the staff
//! tokens, and the scheduled tasks (the purge, the message dispatch).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sbiz_catalog::{CATALOG_VERSION, Catalog};

use crate::api::{AppState, StaffTokens};
use crate::domain::ServerKey;
use crate::store::{PurgeReport, Store};
use crate::{Error, Result};

/// The environment variable naming the file that holds the server secret.
pub const SECRET_FILE_ENV: &str = "SBIZ_SECRET_FILE";
/// The environment variable naming the AWS Secrets Manager secret (ARN or
/// name) that holds the server secret, on AWS.
pub const SECRET_ARN_ENV: &str = "SBIZ_SECRET_ARN";
/// The environment variable naming the AWS Secrets Manager secret (name or
/// ARN) whose value lists staff tokens like `SBIZ_STAFF_TOKENS`.
pub const STAFF_TOKENS_SECRET_ENV: &str = "SBIZ_STAFF_TOKENS_SECRET";
/// The environment variable naming the catalog file.
pub const CATALOG_ENV: &str = "SBIZ_CATALOG";

/// Where the catalog is when `SBIZ_CATALOG` is not set: beside the binary in
/// the function's code (`$LAMBDA_TASK_ROOT/catalog.json`, which is
/// `/var/task` on AWS) on Lambda, `public/catalog.json` (what `sbiz build`
/// writes) elsewhere.
pub fn default_catalog_path() -> std::path::PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = var(CATALOG_ENV) {
        return path.into();
    }
    match var("LAMBDA_TASK_ROOT") {
        Some(root) => Path::new(&root).join("catalog.json"),
        None => "public/catalog.json".into(),
    }
}

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

/// The value of a Secrets Manager secret; `None` when the secret or its
/// current value does not exist.
#[cfg(feature = "dynamodb")]
async fn aws_secret_value(id: &str, what: &str) -> Result<Option<Vec<u8>>> {
    let config = crate::aws::sdk_config().await;
    let out = match aws_sdk_secretsmanager::Client::new(&config)
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
    {
        Ok(out) => out,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            return Ok(None);
        }
        Err(e) => {
            return Err(Error::Config(format!(
                "cannot read {what} from Secrets Manager: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
            )));
        }
    };
    Ok(out
        .secret_string()
        .map(|s| s.as_bytes().to_vec())
        .or_else(|| out.secret_binary().map(|b| b.as_ref().to_vec())))
}

#[cfg(not(feature = "dynamodb"))]
async fn aws_secret_value(_id: &str, what: &str) -> Result<Option<Vec<u8>>> {
    Err(Error::Config(format!(
        "{what} is in AWS Secrets Manager but this build has no AWS support (feature `dynamodb`)"
    )))
}

async fn secret_from_aws(id: &str) -> Result<ServerKey> {
    let material = aws_secret_value(id, "the server secret")
        .await?
        .filter(|m| !m.is_empty())
        .ok_or_else(|| {
            Error::Config(format!(
                "the server secret {id} does not exist or has no value in Secrets Manager"
            ))
        })?;
    ServerKey::from_material(&material)
        .map_err(|e| Error::Config(format!("the server secret in Secrets Manager: {e}")))
}

/// The staff tokens: `SBIZ_STAFF_TOKENS` together with the value of the
/// Secrets Manager secret named by `SBIZ_STAFF_TOKENS_SECRET` (on AWS, so
/// that no stack parameter holds them and no update can blank them). The
/// secret is read once, when an instance starts; a secret that does not
/// exist yet (or has no value) means no tokens from it.
pub async fn load_staff_tokens() -> Result<StaffTokens> {
    let mut spec = match std::env::var(crate::api::auth::STAFF_TOKENS_ENV) {
        Ok(v) => v,
        Err(std::env::VarError::NotPresent) => String::new(),
        Err(e) => {
            return Err(Error::Config(format!(
                "{}: {e}",
                crate::api::auth::STAFF_TOKENS_ENV
            )));
        }
    };
    let id = std::env::var(STAFF_TOKENS_SECRET_ENV)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if let Some(id) = id {
        match aws_secret_value(&id, "the staff tokens").await? {
            Some(value) => {
                let value = String::from_utf8(value).map_err(|_| {
                    Error::Config("the staff tokens secret is not UTF-8 text".into())
                })?;
                StaffTokens::parse(&value).map_err(|e| {
                    Error::Config(format!(
                        "the staff tokens secret ({STAFF_TOKENS_SECRET_ENV}): {e}"
                    ))
                })?;
                spec.push('\n');
                spec.push_str(&value);
            }
            None => tracing::warn!(
                "the staff tokens secret ({STAFF_TOKENS_SECRET_ENV}) does not exist or has no value yet"
            ),
        }
    }
    StaffTokens::parse(&spec)
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

/// The city-wide usage of `month` (`YYYY-MM`) as open data CSV: one row
/// per facility × equipment, no personal data, the booking figures of rows
/// with fewer than three distinct users left blank (see
/// `service::reports`). Only reads the store; needs no secret.
pub async fn usage_open_data(
    store: Arc<dyn Store>,
    catalog: &Catalog,
    month: &str,
) -> Result<String> {
    let month: crate::service::Month = month.parse().map_err(|()| {
        Error::Config(format!(
            "the month must be written YYYY-MM, e.g. 2026-10, not {month:?}"
        ))
    })?;
    let service = crate::service::Service::new(
        store,
        Arc::new(crate::domain::SystemClock),
        Arc::new(ServerKey::default()),
    );
    service.usage_open_data(catalog, month).await
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

/// Work the function does on a schedule rather than for a request. On AWS
/// a schedule invokes the function with a [scheduled event](crate::lambda)
/// that names the tasks (all of them by default); `booking-fn serve` and
/// `sbiz serve` run them on their own timers ([`spawn_purge`],
/// [`crate::messaging::spawn_dispatcher`]). Adding a task: a variant here,
/// its name, and its arm in [`run_scheduled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduledTask {
    /// [`purge_now`]: blank personal data past its retention period (and
    /// move records still under legacy person keys, [`migrate`]).
    Purge,
    /// [`crate::messaging::drain_due`]: send the due messages of the
    /// outbox with the state's channels, until none is due or the run's
    /// time is up.
    Dispatch,
}

impl ScheduledTask {
    /// Every task, in the order a scheduled run does them (the purge
    /// first: the dispatch uses the time that is left).
    pub const ALL: &'static [ScheduledTask] = &[ScheduledTask::Purge, ScheduledTask::Dispatch];

    /// The task's name in scheduled events and logs.
    pub fn name(self) -> &'static str {
        match self {
            ScheduledTask::Purge => "purge",
            ScheduledTask::Dispatch => "dispatch",
        }
    }

    pub fn from_name(name: &str) -> Option<ScheduledTask> {
        ScheduledTask::ALL
            .iter()
            .copied()
            .find(|t| t.name() == name)
    }
}

/// What each task of a scheduled run did: `{"purge": {"reservations": 1, …}}`
/// for the tasks that succeeded, and the failures.
#[derive(Debug, Default)]
pub struct ScheduledRun {
    pub done: serde_json::Map<String, serde_json::Value>,
    pub failed: Vec<(ScheduledTask, Error)>,
}

impl ScheduledRun {
    /// The report as JSON (the scheduled invocation's answer).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "done": self.done,
            "failed": self
                .failed
                .iter()
                .map(|(t, e)| serde_json::json!({ "task": t.name(), "error": e.to_string() }))
                .collect::<Vec<_>>(),
        })
    }
}

/// Runs each task in turn; a failing task does not stop the others. The
/// dispatch starts no new batch of messages after `until` (on Lambda: well
/// before the invocation's deadline, see [`crate::lambda`]); `None` drains
/// everything due.
pub async fn run_scheduled(
    state: &AppState,
    tasks: &[ScheduledTask],
    until: Option<std::time::Instant>,
) -> ScheduledRun {
    let mut run = ScheduledRun::default();
    for &task in tasks {
        let outcome = match task {
            ScheduledTask::Purge => purge_now(state).await.map(|r| {
                serde_json::json!({
                    "reservations": r.reservations,
                    "applications": r.applications,
                    "idempotency_records": r.idempotency_records,
                    "attempt_counters": r.attempt_counters,
                })
            }),
            ScheduledTask::Dispatch => crate::messaging::drain_due(state, until).await.map(|r| {
                serde_json::json!({
                    "claimed": r.claimed,
                    "sent": r.sent,
                    "retried": r.retried,
                    "failed": r.failed,
                    "dropped": r.dropped,
                    "lost_lease": r.lost_lease,
                })
            }),
        };
        match outcome {
            Ok(report) => {
                run.done.insert(task.name().to_owned(), report);
            }
            Err(e) => {
                tracing::error!(task = task.name(), error = %e, "scheduled task failed");
                run.failed.push((task, e));
            }
        }
    }
    run
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
/// site's search indexes (`search/index.json` beside the catalog and the
/// English edition's `en/search/index.json`, as `sbiz build` writes them)
/// for `GET /api/search`; without one, searches find nothing.
pub fn reload_theme(state: &AppState, catalog_path: &Path) -> Result<()> {
    reload_search(state, catalog_path)?;
    reload_forms_theme(state, catalog_path)
}

/// The search indexes half of [`reload_theme`] (`sbiz serve` reloads each
/// half only when its files changed).
pub fn reload_search(state: &AppState, catalog_path: &Path) -> Result<()> {
    for lang in sbiz_catalog::Lang::ALL {
        let search =
            crate::api::theme::load_search_index(catalog_path, lang).map_err(Error::Config)?;
        state.set_search(lang, search.map(Arc::new));
    }
    Ok(())
}

/// The theme half of [`reload_theme`]: `forms.json` beside the catalog.
pub fn reload_forms_theme(state: &AppState, catalog_path: &Path) -> Result<()> {
    let theme = crate::api::theme::load(catalog_path).map_err(Error::Config)?;
    state.set_theme(theme.map(Arc::new));
    Ok(())
}
