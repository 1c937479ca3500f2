//! The booking function: equipment reservations, programme and policy
//! applications and satisfaction surveys, behind one HTTP API under `/api/`.
//!
//! * [`domain`]: values that cannot hold bad data, the clock, the rules;
//! * [`message`]: every message to people as an id with typed values,
//!   with its Korean and its English ([`Msg`]);
//! * [`store`]: the storage trait with atomic domain operations, and the
//!   SQLite store;
//! * [`service`]: the use cases, applying the catalog's rules;
//! * [`api`]: the axum router, JSON and HTML form answers, admin;
//! * [`backup`]: online backup and restore of the SQLite file;
//! * [`ops`]: loading the catalog and secrets, scheduled tasks;
//! * `lambda`: the AWS Lambda entry (HTTP API and scheduled events).

pub use sbiz_catalog as catalog;

pub mod api;
#[cfg(any(feature = "dynamodb", feature = "aws-messaging"))]
pub mod aws;
#[cfg(feature = "sqlite")]
pub mod backup;
pub mod domain;
mod error;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod message;
pub mod messaging;
pub mod ops;
pub(crate) mod service;
pub mod store;
#[cfg(test)]
mod strategies;

pub use error::{Code, Error, FieldErrors, Result};
pub use message::Msg;

pub use api::{AppConfig, AppState, OriginSecret, StaffTokens, router};
