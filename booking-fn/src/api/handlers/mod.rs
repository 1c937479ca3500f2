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
        let limit = input::body_limit(&self.catalog());
        let input = input::read(headers, body, limit).await?;
        input::check_origin(headers, input.kind, |o| self.origin_allowed(o))?;
        Ok(input)
    }
}

pub fn idempotency_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}
