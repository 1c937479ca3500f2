//! Guessing staff tokens through the admin API: a request under
//! `/api/admin/` with an `Authorization` header is refused while its client
//! address is locked out for wrong tokens, and counts as a wrong token when
//! it is answered `401` (the limits are the service's, `sign_in.rs`). The
//! admin page's sign-in counts its wrong tokens itself, in its handler.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::client::ClientAddress;
use super::reply::Ctx;
use super::state::AppState;

pub(crate) async fn bearer_guesses(
    State(app): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if !req.uri().path().starts_with("/api/admin/")
        || !req.headers().contains_key(header::AUTHORIZATION)
    {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(ClientAddress(client)) = ClientAddress::from_request_parts(&mut parts, &app).await;
    if let Err(e) = app.service().staff_token_allowed(&client).await {
        let Ok(ctx) = Ctx::from_request_parts(&mut parts, &app).await;
        return ctx.error(e);
    }
    let res = next.run(Request::from_parts(parts, body)).await;
    if res.status() == StatusCode::UNAUTHORIZED
        && let Err(e) = app.service().staff_token_failed(&client).await
    {
        tracing::error!(error = %e, "could not count a wrong staff token");
    }
    res
}
