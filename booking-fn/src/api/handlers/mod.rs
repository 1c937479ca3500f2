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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Fields, idempotency_key};
    use crate::strategies::{config, messy_text};
    use axum::http::HeaderValue;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(config())]

        /// Any header value a client can send: never a panic, never ignored
        /// when present; an accepted key is a valid one.
        #[test]
        fn idempotency_headers_are_read_or_refused(
            bytes in prop::collection::vec(any::<u8>(), 0..48),
            text in messy_text(40),
            plain in "[A-Za-z0-9._:-]{0,40}",
            field in messy_text(40),
        ) {
            for raw in [bytes, text.into_bytes(), plain.into_bytes()] {
                let Ok(value) = HeaderValue::from_bytes(&raw) else {
                    continue;
                };
                let mut headers = HeaderMap::new();
                headers.insert("idempotency-key", value);
                let fields = Fields::from([("idempotency_key".to_owned(), field.clone())]);
                match idempotency_header(&headers) {
                    Ok(header) => {
                        let header = header.expect("a header that was sent");
                        prop_assert!(header.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)));
                        match idempotency_key(Some(header), &fields) {
                            Ok(Some(k)) => prop_assert_eq!(k.as_str(), header.trim()),
                            Ok(None) => prop_assert!(header.trim().is_empty()),
                            Err(e) => prop_assert!(e.field_errors().is_some_and(|f| f.contains_key("idempotency_key"))),
                        }
                    }
                    Err(e) => {
                        prop_assert!(!raw.is_ascii() || raw.iter().any(|b| b.is_ascii_control() && *b != b'\t'));
                        prop_assert_eq!(e.code(), crate::Code::InvalidInput);
                        prop_assert!(e.field_errors().is_some_and(|f| f.contains_key("idempotency_key")));
                    }
                }
            }
        }
    }
}
