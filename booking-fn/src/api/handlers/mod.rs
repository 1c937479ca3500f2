//! Route handlers: read the request, call the service, shape the answer.

pub mod admin;
pub mod public;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::HeaderMap;

use super::AppState;
use super::input::{self, Input};
use crate::Result;

pub type Query = axum::extract::Query<BTreeMap<String, String>>;

impl AppState {
    /// Reads a body (strict types, size limit) and checks where it came from.
    pub(crate) async fn input(&self, headers: &HeaderMap, body: Body) -> Result<Input> {
        let input = input::read(headers, body).await?;
        input::check_origin(headers, input.kind, |o| self.origin_allowed(o))?;
        Ok(input)
    }
}

/// The `Idempotency-Key` header, if sent. One that is not visible ASCII
/// (`Idempotency-Key: 키키키키키키키키`) cannot be a valid key: it is refused
/// like any other malformed key, never taken as no key at all.
pub fn idempotency_header(headers: &HeaderMap) -> Result<Option<&str>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| {
            crate::Error::field("idempotency_key", crate::domain::IdempotencyKey::INVALID.0)
        }),
    }
}
