//! The HTTP API under `/api/`: an axum `Router` over [`AppState`].
//!
//! A request is read and parsed at the edge ([`input`], [`requests`]) into
//! typed commands for the [`service`](crate::service); every handler's
//! result is an [`answer::Answer`], which [`reply`] turns into JSON or, for
//! a request whose `Accept` includes `text/html` (a browser following a
//! link or posting a plain form), a Korean page rendered by the theme's
//! templates ([`pages`], [`theme`]). Every error is `{ "error": { "code",
//! "message", "fields" } }` with a stable code. With `SBIZ_ORIGIN_SECRET`
//! set, requests that did not come through the front end are refused
//! before anything else sees them ([`origin_verify`]).
//!
//! Modules depend one way: `handlers` → `requests`, `reply` → `pages` →
//! `answer`, `theme` → `state`; nothing imports `handlers` but `routes`.

mod answer;
pub mod auth;
mod client;
mod english;
mod handlers;
pub(crate) mod input;
mod origin_verify;
mod pages;
mod reply;
mod requests;
pub mod routes;
mod rule_field;
pub mod server;
mod staff_limit;
mod staff_return;
mod state;
pub(crate) mod theme;
pub(crate) mod views;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use auth::StaffTokens;
/// The largest request body the API reads for a catalog (what a reverse
/// proxy in front of it must allow at least).
pub use input::body_limit;
pub use origin_verify::{
    HEADER as ORIGIN_VERIFY_HEADER, MIN_LEN as ORIGIN_SECRET_MIN_LEN, ORIGIN_SECRET_ENV,
    OriginSecret,
};
pub use state::{AppConfig, AppState};

/// The whole API. Mount it at the root: every path starts with `/api/`.
pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for (_, path, handler) in routes::table() {
        r = r.route(path, handler);
    }
    let cors_state = state.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| cors_state.origin_allowed(o))
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            "idempotency-key".parse().unwrap_or(header::ACCEPT),
        ])
        .max_age(std::time::Duration::from_secs(600));
    r.fallback(reply::not_found)
        .method_not_allowed_fallback(reply::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            staff_limit::bearer_guesses,
        ))
        // The last layer runs first: log_and_secure, then origin_verify
        // (before anything reads the request), then CORS (which answers
        // preflights), then bearer_guesses.
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin_verify::require,
        ))
        .layer(axum::middleware::from_fn(reply::log_and_secure))
        .with_state(state)
}
