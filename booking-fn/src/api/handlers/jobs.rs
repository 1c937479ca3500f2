//! `GET /api/jobs/{id}/status`: whether a job posting takes applications
//! now (its dates, and the filled mark staff set without a rebuild), for
//! the page's script. No personal data.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::api::answer::Answer;
use crate::api::reply::{Ctx, Reply};
use crate::api::state::AppState;

pub(crate) async fn status(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> Response {
    let result = app
        .service()
        .job_status(&app.catalog(), &id)
        .await
        .map(|s| Reply::ok(Answer::JobStatus(s)));
    ctx.json_only().reply(result)
}
