//! The DynamoDB store: everything in one table, every invariant enforced by
//! DynamoDB itself (conditional writes inside `TransactWriteItems`), so any
//! number of Lambda instances can run at once.
//!
//! The table layout, indexes, TTL and the reasoning behind them are in
//! `booking-fn/DYNAMODB.md`; [`create_table`] creates it and
//! `booking-fn/dynamodb-table.yaml` is the same table as a CloudFormation
//! template.
//!
//! Logging: only operation names, error codes and retry counts. Items and
//! their keys (which hold person keys and idempotency keys) are never logged,
//! and storage errors carry only DynamoDB's error code and message.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, DeleteRequest,
    GlobalSecondaryIndex, KeySchemaElement, KeyType, KeysAndAttributes, Projection, ProjectionType,
    Put, ReturnValue, ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification, TransactWriteItem, Update, WriteRequest,
};
use jiff::Timestamp;
use sbiz_catalog::{Date, Id, TimeOfDay};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    Admission, ApplicationChange, ApplicationFilter, CodeCheck, Created, IDEMPOTENCY_HOURS,
    NewApplication, NewReservation, OneTimeCode, PersonHistory, PersonRecords, PersonSession,
    PurgeReport, Reschedule, ReservationFilter, StaffSession, StatusChange, Store, TakenSlot,
};
use crate::domain::{
    Application, ApplicationCode, ApplicationStatus, IdempotencyRequest, ManageToken, Person,
    PersonKey, Reservation, ReservationCode, ReservationStatus, SurveyResponse, Target, TargetKind,
    kst_instant, kst_parts,
};
use crate::domain::{CancelledBy, MessageId, MessageOutcome, NewMessage, OutboxMessage, Subject};
use crate::{Code, Error, Result};

type Item = HashMap<String, AttributeValue>;

mod admission;
mod applications;
mod closures;
mod items;
mod keys;
mod my;
mod outbox;
mod purge;
mod reads;
mod rekey;
mod reservations;
mod store;
mod table;
#[cfg(test)]
mod tests;
mod tx;
mod waitlist;

use items::*;
use reads::*;
use tx::*;
use waitlist::*;

pub use table::{cap_sdk_logs, create_table, create_table_from_env};

/// The global secondary index over facility (admin lists per facility).
pub const GSI_FACILITY: &str = "gsi1";
/// The global secondary index over equipment (reservations) and target
/// (applications).
pub const GSI_SUBJECT: &str = "gsi2";
/// The global secondary index over the person key of personal items
/// (내 예약·신청: a person's reservations and applications). Purged records
/// have no personal item and so are not in it.
pub const GSI_PERSON: &str = "gsi3";
/// The TTL attribute (epoch seconds) on every item that holds or links to
/// personal data, and on idempotency records.
pub const TTL_ATTRIBUTE: &str = "expires_at";

/// How many times a transaction is tried when DynamoDB reports a conflict
/// with another transaction, or an optimistic check (a programme's counter,
/// a status, a waitlist) finds the data changed in between. Generous
/// because a cancellation during a programme's opening meets a counter busy
/// with arrival numbers (applications themselves never retry on it: they
/// take their number with an atomic counter update, see `applications.rs`).
const MAX_ATTEMPTS: u32 = 400;
/// Backoff between retries: full jitter over base·2^n, capped. With n
/// contenders this spreads them over about the time n transactions take.
const BACKOFF_BASE_MS: u64 = 4;
/// No request keeps retrying longer than this (well inside a Lambda or
/// browser timeout); it then gets `storage_unavailable`.
const MAX_RETRY_TIME: Duration = Duration::from_secs(20);
const BACKOFF_CAP_MS: u64 = 200;

/// The DynamoDB implementation of [`Store`].
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    /// The programmes whose seats this process last saw all taken, so that
    /// their next applicant asks for a waitlist place first (one request
    /// instead of two during an opening). Only a hint: the conditions
    /// decide.
    seats_taken: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl fmt::Debug for DynamoStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoStore")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl DynamoStore {
    /// A store on `table` through `client` (whose configuration decides the
    /// region, credentials and endpoint).
    pub fn new(client: Client, table: impl Into<String>) -> DynamoStore {
        DynamoStore {
            client,
            table: table.into(),
            seats_taken: Default::default(),
        }
    }

    /// A store configured the AWS way: region and credentials from the
    /// environment or the Lambda role; `AWS_ENDPOINT_URL_DYNAMODB` points it at
    /// DynamoDB Local.
    pub async fn from_env(table: impl Into<String>) -> DynamoStore {
        let config = crate::aws::sdk_config().await;
        DynamoStore::new(Client::new(&config), table)
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}
