//! Running the function: loading the catalog, the scheduled purge.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sbiz_catalog::{CATALOG_VERSION, Catalog};

use crate::api::AppState;
use crate::store::PurgeReport;
use crate::{Error, Result};

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
/// [`Store::purge`](crate::store::Store::purge)), as of the state's clock.
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
    Ok(report)
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
/// there is none, the function answers with its plain pages.
pub fn reload_theme(state: &AppState, catalog_path: &Path) -> Result<()> {
    let theme = crate::api::theme::load(catalog_path).map_err(Error::Config)?;
    state.set_theme(theme.map(Arc::new));
    Ok(())
}
