//! `GET /api/health`: liveness, a store probe and the messaging channels.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::api::answer::{Answer, Health};
use crate::api::reply::{Ctx, Reply};
use crate::api::state::AppState;
use crate::api::views;

pub(crate) async fn health(State(app): State<AppState>, ctx: Ctx) -> Response {
    let health = app.service().health().await;
    let status = if health.ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let catalog = app.catalog();
    let channels = app.channels();
    let answer = Answer::Health(Health {
        status: if health.ok { "ok" } else { "degraded" },
        store: health.store,
        catalog_version: catalog.version,
        now: views::kst(app.service().now().at),
        channels: channels.status(),
        site_channels: catalog.messages.channels.clone(),
        channels_match_site: channels.match_site(&catalog.messages.channels),
    });
    ctx.json_only()
        .reply(Ok(Reply::with_status(status, answer)))
}
