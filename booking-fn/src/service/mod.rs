//! The use cases: what the API does, with the catalog's rules applied and
//! the store doing the atomic part. Independent of HTTP.

mod admin;
mod applications;
mod reservations;
mod sessions;
mod surveys;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Date, TimeOfDay};

pub use admin::*;
pub use reservations::*;
pub use sessions::SESSION_SECONDS;
pub use surveys::*;

use crate::domain::{
    BusinessName, Clock, ConsentRecord, Email, IdempotencyKey, Person, PersonName, ServerKey,
    kst_parts,
};
use crate::store::Store;
use crate::{Code, Error, FieldErrors, Result};

/// The fields of one request: form-encoded pairs or a flattened JSON object.
pub type Fields = BTreeMap<String, String>;

#[derive(Clone)]
pub struct Service {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// The server secret (person keys, idempotency seals, sessions).
    pub secret: Arc<ServerKey>,
}

/// "Now" in Korea time, taken once per request.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub at: Timestamp,
    pub date: Date,
    pub time: TimeOfDay,
}

impl Service {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, secret: Arc<ServerKey>) -> Service {
        Service {
            store,
            clock,
            secret,
        }
    }
    pub fn now(&self) -> Now {
        let at = self.clock.now();
        let (date, time) = kst_parts(at);
        Now { at, date, time }
    }
}

/// How many times a freshly generated code is retried when it collides.
const CODE_ATTEMPTS: usize = 4;

/// The personal fields and consent shared by every form, checked together
/// so that one answer lists every problem.
pub(crate) fn person_and_consent(
    catalog: &Catalog,
    fields: &Fields,
    now: &Now,
    errors: &mut FieldErrors,
) -> Option<(Person, ConsentRecord)> {
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let mut err = |k: &str, m: String| {
        errors.insert(k.to_owned(), m);
    };
    let name = PersonName::parse(get("name"))
        .map_err(|e| err("name", e.0.to_owned()))
        .ok();
    let phone = if get("phone").trim().is_empty() {
        err("phone", "연락처를 입력해 주세요.".to_owned());
        None
    } else {
        get("phone")
            .parse::<sbiz_catalog::Phone>()
            .map_err(|_| {
                err(
                    "phone",
                    "전화번호를 010-1234-5678처럼 입력해 주세요.".to_owned(),
                )
            })
            .ok()
    };
    let business = BusinessName::parse(get("business"))
        .map_err(|e| err("business", e.0.to_owned()))
        .ok();
    let email = match get("email").trim() {
        "" => Some(None),
        e => Email::parse(e)
            .map(Some)
            .map_err(|e| err("email", e.0.to_owned()))
            .ok(),
    };
    let consent = crate::domain::forms::truthy(get("consent"));
    if !consent {
        err("consent", Code::ConsentRequired.korean().to_owned());
    }
    let person = Person {
        name: name?,
        phone: phone?,
        business: business?,
        email: email?,
    };
    consent.then(|| {
        (
            person,
            ConsentRecord {
                version: catalog.consent.version.clone(),
                at: now.at,
            },
        )
    })
}

/// The idempotency key from the header or, for plain HTML forms that cannot
/// set headers, the `idempotency_key` field.
pub fn idempotency_key(header: Option<&str>, fields: &Fields) -> Result<Option<IdempotencyKey>> {
    match header
        .or(fields.get("idempotency_key").map(String::as_str))
        .map(str::trim)
    {
        None | Some("") => Ok(None),
        Some(k) => k
            .parse()
            .map(Some)
            .map_err(|e: crate::domain::Invalid| Error::field("idempotency_key", e.0)),
    }
}

/// Fails with all field errors at once, or `consent_required` when consent
/// was the only thing missing.
pub(crate) fn fail_fields(errors: FieldErrors) -> Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    if errors.len() == 1 && errors.contains_key("consent") {
        let mut e = Error::new(Code::ConsentRequired);
        if let Error::Rejected { fields, .. } = &mut e {
            *fields = errors;
        }
        return Err(e);
    }
    Err(Error::fields(errors))
}

/// A replayed answer carries the token unsealed from the idempotency record;
/// it must be the one the record was made with (it is not when the server
/// secret changed since), or the answer would hand out a useless link.
pub(crate) fn check_replayed_token(
    replayed: bool,
    hash: &crate::domain::TokenHash,
    token: &crate::domain::ManageToken,
) -> Result<()> {
    if replayed && !hash.matches(token) {
        return Err(Error::new(Code::IdempotencyConflict));
    }
    Ok(())
}
