//! The use cases: what the API does, with the catalog's rules applied and
//! the store doing the atomic part. Independent of HTTP: every request
//! arrives as a typed command (parsed at the edge, `api::requests`) of
//! domain values, never as form fields.

mod admin;
mod applications;
mod audit;
mod closures;
mod jobs;
mod messages;
mod my;
pub mod notify;
mod reasons;
mod reports;
mod reservations;
mod sessions;
mod sign_in;
mod staff_bookings;
mod staff_search;
mod surveys;
mod trainings;

use std::sync::Arc;

use jiff::Timestamp;
use sbiz_catalog::{Catalog, Date, TimeOfDay};

pub use admin::*;
pub use applications::*;
pub use audit::*;
pub use closures::*;
pub use jobs::*;
pub use messages::*;
pub use my::*;
pub use reasons::*;
pub use reports::*;
pub use reservations::*;
pub use sessions::{SESSION_MAX_SECONDS, SESSION_SECONDS};
pub use staff_bookings::*;
pub use staff_search::*;
pub use surveys::*;
pub use trainings::*;

use crate::domain::{
    Clock, ConsentRecord, IdempotencyKey, ManageToken, Person, ServerKey, kst_parts,
};
use crate::store::Store;
use crate::{Code, Error, Result};

/// Someone who filled in a form with their personal data and ticked the
/// consent box (a command holding one cannot exist without consent), and
/// the idempotency key the request came with.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub person: Person,
    pub idempotency: Option<IdempotencyKey>,
    /// The language of the form (`lang=en` from the English edition): the
    /// record's messages and links are in it.
    pub lang: sbiz_catalog::Lang,
}

impl Applicant {
    /// The consent as recorded: the catalog's consent version, now.
    pub(crate) fn consent(catalog: &Catalog, now: &Now) -> ConsentRecord {
        ConsentRecord {
            version: catalog.consent.version.clone(),
            at: now.at,
        }
    }
}

/// How the holder of a reservation or application proves it.
#[derive(Debug, Clone)]
pub enum Proof {
    /// The management link's token.
    Token(ManageToken),
    /// The phone number the reservation was made with (예약 조회); `None`
    /// for one that does not parse, which counts as a wrong one.
    Phone(Option<sbiz_catalog::Phone>),
}

/// Whether the store answers, for the health check.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    pub ok: bool,
    pub store: &'static str,
}

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

impl Now {
    /// The date "write it like this" hints and errors give: a week after
    /// today ([`sbiz_catalog::clock::example_date`]).
    pub fn example_date(&self) -> Date {
        sbiz_catalog::clock::example_date(self.date)
    }
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

    /// Whether the store answers: a cheap read of a code that does not exist.
    pub async fn health(&self) -> Health {
        let probe = self
            .store
            .reservation(&crate::domain::ReservationCode::generate())
            .await;
        Health {
            ok: probe.is_ok(),
            store: self.store.kind(),
        }
    }
}

/// How many times a freshly generated code is retried when it collides.
const CODE_ATTEMPTS: usize = 4;

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
