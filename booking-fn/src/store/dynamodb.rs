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
    Admission, ApplicationChange, ApplicationFilter, Created, IDEMPOTENCY_HOURS, NewApplication,
    NewReservation, PersonHistory, PurgeReport, ReservationFilter, StaffSession, StatusChange,
    Store, TakenSlot,
};
use crate::domain::{
    Application, ApplicationCode, ApplicationStatus, IdempotencyRequest, ManageToken, Person,
    PersonKey, Reservation, ReservationCode, ReservationStatus, SurveyResponse, Target, TargetKind,
    kst_instant, kst_parts,
};
use crate::{Code, Error, Result};

type Item = HashMap<String, AttributeValue>;

mod rekey;

/// The global secondary index over facility (admin lists per facility).
pub const GSI_FACILITY: &str = "gsi1";
/// The global secondary index over equipment (reservations) and target
/// (applications).
pub const GSI_SUBJECT: &str = "gsi2";
/// The TTL attribute (epoch seconds) on every item that holds or links to
/// personal data, and on idempotency records.
pub const TTL_ATTRIBUTE: &str = "expires_at";

/// How many times a transaction is tried when DynamoDB reports a conflict
/// with another transaction, or an optimistic check (a programme's counter,
/// a status) finds the data changed in between. Generous because a
/// programme opening draws a burst of applicants onto one counter: each
/// round of retries lets one of them through.
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
        }
    }

    /// A store configured the AWS way: region and credentials from the
    /// environment or the Lambda role; `AWS_ENDPOINT_URL_DYNAMODB` points it at
    /// DynamoDB Local.
    pub async fn from_env(table: impl Into<String>) -> DynamoStore {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        DynamoStore::new(Client::new(&config), table)
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

// ---------------------------------------------------------------------------
// Table creation

/// Creates the table with its two indexes and TTL, and waits until it is
/// active. Fails if it exists already.
pub async fn create_table(client: &Client, table: &str) -> Result<()> {
    let attr = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    let gsi = |name: &str, pk: &str, sk: &str| -> Result<GlobalSecondaryIndex> {
        GlobalSecondaryIndex::builder()
            .index_name(name)
            .key_schema(key(pk, KeyType::Hash)?)
            .key_schema(key(sk, KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .map_err(|e| Error::storage("building the table definition", e))
    };
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("pk")?)
        .attribute_definitions(attr("sk")?)
        .attribute_definitions(attr("gsi1pk")?)
        .attribute_definitions(attr("gsi1sk")?)
        .attribute_definitions(attr("gsi2pk")?)
        .attribute_definitions(attr("gsi2sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(gsi(GSI_FACILITY, "gsi1pk", "gsi1sk")?)
        .global_secondary_indexes(gsi(GSI_SUBJECT, "gsi2pk", "gsi2sk")?)
        .send()
        .await
        .map_err(|e| storage("creating the table", e))?;
    for _ in 0..600 {
        let out = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| storage("waiting for the table", e))?;
        let t = out.table();
        let active = t.and_then(|t| t.table_status()) == Some(&TableStatus::Active)
            && t.map(|t| t.global_secondary_indexes())
                .unwrap_or_default()
                .iter()
                .all(|g| g.index_status() == Some(&aws_sdk_dynamodb::types::IndexStatus::Active));
        if active {
            client
                .update_time_to_live()
                .table_name(table)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder()
                        .enabled(true)
                        .attribute_name(TTL_ATTRIBUTE)
                        .build()
                        .map_err(|e| Error::storage("building the TTL setting", e))?,
                )
                .send()
                .await
                .map_err(|e| storage("enabling TTL", e))?;
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(Error::Config(format!(
        "table {table} did not become active within 5 minutes"
    )))
}

/// [`create_table`] with a client configured from the environment, as in
/// [`DynamoStore::from_env`]: `booking-fn create-table NAME`.
pub async fn create_table_from_env(table: &str) -> Result<()> {
    let store = DynamoStore::from_env(table).await;
    create_table(store.client(), table).await
}

/// Crates of the AWS SDK and its HTTP stack. At TRACE level the SDK logs
/// whole responses (`output_or_error=...`), items and all, so personal data
/// would reach the logs; at DEBUG and above it logs none.
const SDK_LOG_TARGETS: [&str; 8] = [
    "aws_smithy",
    "aws_sdk",
    "aws_config",
    "aws_runtime",
    "aws_credential_types",
    "hyper",
    "h2",
    "rustls",
];

/// Caps the AWS SDK's logs at DEBUG when `filter` enables TRACE anywhere,
/// so that `RUST_LOG=trace` cannot put DynamoDB items (with personal data)
/// into the logs. The binary applies it to its `RUST_LOG` filter.
pub fn cap_sdk_logs(filter: tracing_subscriber::EnvFilter) -> tracing_subscriber::EnvFilter {
    use tracing_subscriber::filter::LevelFilter;
    if filter
        .max_level_hint()
        .is_some_and(|l| l < LevelFilter::TRACE)
    {
        return filter;
    }
    SDK_LOG_TARGETS.iter().fold(filter, |f, target| {
        match format!("{target}=debug").parse() {
            Ok(directive) => f.add_directive(directive),
            Err(_) => f,
        }
    })
}

// ---------------------------------------------------------------------------
// Keys

/// Key and attribute layout. Every key is built here; DYNAMODB.md documents it.
mod keys {
    use super::*;

    pub const META: &str = "R";
    pub const PERSON: &str = "P";
    pub const APP_META: &str = "A";
    pub const COUNTER: &str = "C";
    pub const IDEM_SK: &str = "I";
    pub const ONE_SK: &str = "U";

    /// Item types (attribute `t`), used by scans and purge.
    pub const T_RES: &str = "res";
    pub const T_RES_PERSON: &str = "res_person";
    pub const T_APP: &str = "app";
    pub const T_APP_PERSON: &str = "app_person";
    pub const T_SLOT: &str = "slot";
    pub const T_IDEM: &str = "idem";
    pub const T_SESSION: &str = "session";
    pub const SESSION_SK: &str = "S";
    pub const T_QUOTA: &str = "quota";
    pub const T_COUNTER: &str = "counter";
    pub const T_WAIT: &str = "wait";
    pub const T_ONE: &str = "one";
    pub const T_HIST: &str = "hist";
    pub const T_SURVEY: &str = "survey";
    pub const T_ATTEMPT: &str = "attempt";

    pub fn res(code: &ReservationCode) -> String {
        format!("RES#{}", code.compact())
    }
    pub fn app(code: &ApplicationCode) -> String {
        format!("APP#{}", code.compact())
    }
    pub fn slot_pk(equipment: &Id) -> String {
        format!("SLOT#{equipment}")
    }
    pub fn slot_sk(date: Date, start: TimeOfDay) -> String {
        format!("{date}T{start}")
    }
    pub fn session(id: &str) -> String {
        format!("SESS#{id}")
    }
    pub fn idem(key: &str) -> String {
        format!("IDEM#{key}")
    }
    pub fn quota(person: &PersonKey) -> String {
        format!("QUOTA#{}", person.as_str())
    }
    pub fn target(t: &Target) -> String {
        format!("TGT#{}#{}", t.kind.as_str(), t.id)
    }
    pub fn waiter_sk(seq: u64) -> String {
        format!("W#{seq:020}")
    }
    pub fn one(t: &Target, person: &PersonKey) -> String {
        format!("ONE#{}#{}#{}", t.kind.as_str(), t.id, person.as_str())
    }
    pub fn hist(person: &PersonKey) -> String {
        format!("HIST#{}", person.as_str())
    }
    pub fn hist_no_show(date: Date, code: &str) -> String {
        format!("N#{date}#{code}")
    }
    pub fn hist_attended(programme: &Id, code: &str) -> String {
        format!("A#{programme}#{code}")
    }
    pub fn survey(id: &Id) -> String {
        format!("SURVEY#{id}")
    }
    /// An attempt counter: the caller's key, then its window's start.
    pub fn attempt(key: &str) -> String {
        format!("ATTEMPT#{key}")
    }
    pub fn attempt_window(start: Timestamp) -> String {
        format!("{:020}", start.as_microsecond())
    }
    /// GSI1 partitions: reservations / applications of one facility.
    pub fn res_by_facility(f: &Id) -> String {
        format!("RF#{f}")
    }
    pub fn app_by_facility(f: &Id) -> String {
        format!("AF#{f}")
    }
    /// GSI2 partitions: reservations of one piece of equipment,
    /// applications to one target.
    pub fn res_by_equipment(e: &Id) -> String {
        format!("RE#{e}")
    }
    pub fn app_by_target(t: &Target) -> String {
        format!("AT#{}#{}", t.kind.as_str(), t.id)
    }
    /// Sort key of a reservation in both indexes: day, start, code.
    pub fn res_order(r: &Reservation) -> String {
        format!("{}T{}#{}", r.run.date(), r.run.start(), r.code.compact())
    }
    /// Sort key of an application: by target then arrival.
    pub fn app_order(a: &Application, seq: u64) -> String {
        format!("{}#{}#{seq:020}", a.target.kind.as_str(), a.target.id)
    }
}

// ---------------------------------------------------------------------------
// Attribute helpers

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}
fn n(v: impl fmt::Display) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
fn key(pk: impl Into<String>, sk: impl Into<String>) -> Item {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}
fn get_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}
fn get_n<T: std::str::FromStr>(item: &Item, name: &str) -> Option<T> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}

/// Epoch seconds at which the personal data of a record whose `purge_after`
/// is this day must be gone: the start of the next day, Korea time.
fn personal_expiry(purge_after: Date) -> i64 {
    kst_instant(
        purge_after.add_days(1),
        TimeOfDay::from_minutes(0).expect("00:00"),
    )
    .as_second()
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::storage("encoding a record", e))
}
fn from_json<T: for<'de> Deserialize<'de>>(item: &Item, attr: &str) -> Result<T> {
    let text = get_s(item, attr).ok_or_else(|| corrupt("an item without its document"))?;
    serde_json::from_str(text).map_err(|e| Error::storage("decoding a record", e))
}

/// A DynamoDB failure, reduced to what is safe to log: the error code and
/// DynamoDB's message (which names no attribute values).
#[derive(Debug)]
struct DynamoFailure {
    code: String,
    message: String,
}

impl fmt::Display for DynamoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
impl std::error::Error for DynamoFailure {}

fn storage<E, R>(context: &'static str, err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug,
{
    let failure = match &err {
        SdkError::ServiceError(service) => DynamoFailure {
            code: service.err().code().unwrap_or("Unknown").to_owned(),
            message: service.err().message().unwrap_or_default().to_owned(),
        },
        SdkError::TimeoutError(_) => DynamoFailure {
            code: "Timeout".into(),
            message: "request timed out".into(),
        },
        SdkError::DispatchFailure(d) => DynamoFailure {
            code: "DispatchFailure".into(),
            message: if d.is_io() {
                "connection failed".into()
            } else if d.is_timeout() {
                "connection timed out".into()
            } else {
                "request could not be sent".into()
            },
        },
        SdkError::ResponseError(_) => DynamoFailure {
            code: "ResponseError".into(),
            message: "unreadable response".into(),
        },
        SdkError::ConstructionFailure(_) => DynamoFailure {
            code: "ConstructionFailure".into(),
            message: "request could not be built".into(),
        },
        _ => DynamoFailure {
            code: "Unknown".into(),
            message: String::new(),
        },
    };
    tracing::warn!(context, code = %failure.code, "dynamodb request failed");
    Error::storage(context, failure)
}

fn corrupt(what: &'static str) -> Error {
    Error::storage(
        "reading an item",
        DynamoFailure {
            code: "CorruptItem".into(),
            message: what.into(),
        },
    )
}

fn build_err(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::storage("building a request", e)
}

// ---------------------------------------------------------------------------
// Transactions

/// What an item in a transaction stands for, to turn a cancellation into
/// the domain's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The idempotency record (`attribute_not_exists`).
    Idem,
    /// A slot lock (`attribute_not_exists`).
    Slot,
    /// The weekly quota counter (`minutes <= limit - run`).
    Quota,
    /// The new record's main item (`attribute_not_exists`: the code is new).
    Code,
    /// The one-per-person item of an application (`attribute_not_exists`).
    One,
    /// An optimistic check: a programme's counter version, a record's status.
    /// Failing means "changed meanwhile": read again and retry.
    Fresh,
    /// No condition.
    Plain,
}

#[derive(Default)]
struct Tx {
    items: Vec<TransactWriteItem>,
    roles: Vec<Role>,
}

enum TxOutcome {
    Committed,
    /// The conditions that failed (roles), in request order.
    Failed(Vec<Role>),
    /// Only conflicts with other transactions: retry.
    Conflict,
    /// The ClientRequestToken was used before with other parameters.
    TokenReused,
}

/// A condition and its values.
struct Cond {
    expr: &'static str,
    names: Vec<(&'static str, &'static str)>,
    values: Vec<(&'static str, AttributeValue)>,
}

impl Cond {
    fn new(expr: &'static str) -> Cond {
        Cond {
            expr,
            names: Vec::new(),
            values: Vec::new(),
        }
    }
    fn name(mut self, placeholder: &'static str, attr: &'static str) -> Cond {
        self.names.push((placeholder, attr));
        self
    }
    fn value(mut self, placeholder: &'static str, v: AttributeValue) -> Cond {
        self.values.push((placeholder, v));
        self
    }
}

const NOT_EXISTS: &str = "attribute_not_exists(pk)";

impl Tx {
    fn push(&mut self, role: Role, item: TransactWriteItem) {
        self.items.push(item);
        self.roles.push(role);
    }

    fn put(&mut self, table: &str, role: Role, item: Item, cond: Option<Cond>) -> Result<()> {
        let mut b = Put::builder().table_name(table).set_item(Some(item));
        if let Some(c) = cond {
            b = b.condition_expression(c.expr);
            for (p, a) in c.names {
                b = b.expression_attribute_names(p, a);
            }
            for (p, v) in c.values {
                b = b.expression_attribute_values(p, v);
            }
        }
        let put = b.build().map_err(build_err)?;
        self.push(role, TransactWriteItem::builder().put(put).build());
        Ok(())
    }

    /// An update: `expr` is the update expression; names and values of the
    /// update and of the condition go together.
    fn update(&mut self, table: &str, role: Role, key: Item, expr: &str, cond: Cond) -> Result<()> {
        let mut b = Update::builder()
            .table_name(table)
            .set_key(Some(key))
            .update_expression(expr);
        if !cond.expr.is_empty() {
            b = b.condition_expression(cond.expr);
        }
        for (p, a) in cond.names {
            b = b.expression_attribute_names(p, a);
        }
        for (p, v) in cond.values {
            b = b.expression_attribute_values(p, v);
        }
        let update = b.build().map_err(build_err)?;
        self.push(role, TransactWriteItem::builder().update(update).build());
        Ok(())
    }

    fn delete(&mut self, table: &str, role: Role, key: Item, cond: Option<Cond>) -> Result<()> {
        let mut b = Delete::builder().table_name(table).set_key(Some(key));
        if let Some(c) = cond {
            b = b.condition_expression(c.expr);
            for (p, a) in c.names {
                b = b.expression_attribute_names(p, a);
            }
            for (p, v) in c.values {
                b = b.expression_attribute_values(p, v);
            }
        }
        let delete = b.build().map_err(build_err)?;
        self.push(role, TransactWriteItem::builder().delete(delete).build());
        Ok(())
    }

    fn check(&mut self, table: &str, role: Role, key: Item, cond: Cond) -> Result<()> {
        let mut b = ConditionCheck::builder()
            .table_name(table)
            .set_key(Some(key))
            .condition_expression(cond.expr)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::None);
        for (p, a) in cond.names {
            b = b.expression_attribute_names(p, a);
        }
        for (p, v) in cond.values {
            b = b.expression_attribute_values(p, v);
        }
        let check = b.build().map_err(build_err)?;
        self.push(
            role,
            TransactWriteItem::builder().condition_check(check).build(),
        );
        Ok(())
    }
}

impl DynamoStore {
    async fn run(&self, context: &'static str, tx: &Tx, token: Option<&str>) -> Result<TxOutcome> {
        debug_assert!(
            tx.items.len() <= 100,
            "a transaction holds at most 100 items"
        );
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(tx.items.clone()))
            .set_client_request_token(token.map(str::to_owned))
            .send()
            .await;
        let err = match result {
            Ok(_) => return Ok(TxOutcome::Committed),
            Err(e) => e,
        };
        if let SdkError::ServiceError(service) = &err {
            match service.err() {
                TransactWriteItemsError::TransactionCanceledException(cancel) => {
                    let reasons = cancel.cancellation_reasons();
                    let failed: Vec<Role> = reasons
                        .iter()
                        .zip(&tx.roles)
                        .filter(|(r, _)| r.code() == Some("ConditionalCheckFailed"))
                        .map(|(_, role)| *role)
                        .collect();
                    if !failed.is_empty() {
                        return Ok(TxOutcome::Failed(failed));
                    }
                    let retryable = reasons.iter().any(|r| {
                        matches!(
                            r.code(),
                            Some(
                                "TransactionConflict"
                                    | "ThrottlingError"
                                    | "ProvisionedThroughputExceeded"
                            )
                        )
                    });
                    // DynamoDB Local may leave the reasons out; its message
                    // lists them instead.
                    let message = cancel.message().unwrap_or_default();
                    if reasons.is_empty() && message.contains("ConditionalCheckFailed") {
                        let listed = listed_reasons(message);
                        let failed: Vec<Role> = listed
                            .iter()
                            .zip(&tx.roles)
                            .filter(|(r, _)| r.as_str() == "ConditionalCheckFailed")
                            .map(|(_, role)| *role)
                            .collect();
                        if !failed.is_empty() {
                            return Ok(TxOutcome::Failed(failed));
                        }
                    }
                    if retryable || message.contains("TransactionConflict") {
                        return Ok(TxOutcome::Conflict);
                    }
                }
                TransactWriteItemsError::TransactionInProgressException(_) => {
                    return Ok(TxOutcome::Conflict);
                }
                TransactWriteItemsError::IdempotentParameterMismatchException(_) => {
                    return Ok(TxOutcome::TokenReused);
                }
                _ => {}
            }
        }
        Err(storage(context, err))
    }
}

/// The reasons in a message like "Transaction cancelled, please refer
/// cancellation reasons for specific reasons [None, ConditionalCheckFailed]".
fn listed_reasons(message: &str) -> Vec<String> {
    let Some(start) = message.rfind('[') else {
        return Vec::new();
    };
    let Some(end) = message[start..].find(']') else {
        return Vec::new();
    };
    message[start + 1..start + end]
        .split(',')
        .map(|r| r.trim().to_owned())
        .collect()
}

/// Exponential backoff with full jitter, bounded in attempts and in time.
struct Backoff {
    attempt: u32,
    started: std::time::Instant,
}

impl Backoff {
    fn new() -> Backoff {
        Backoff {
            attempt: 0,
            started: std::time::Instant::now(),
        }
    }
    /// Waits before the next attempt; `false` when attempts or time are used up.
    async fn wait(&mut self, op: &'static str) -> bool {
        self.attempt += 1;
        if self.attempt >= MAX_ATTEMPTS || self.started.elapsed() >= MAX_RETRY_TIME {
            tracing::warn!(
                op,
                attempts = self.attempt,
                "dynamodb: giving up after repeated conflicts"
            );
            return false;
        }
        let ceiling = BACKOFF_BASE_MS
            .saturating_mul(1 << self.attempt.min(16))
            .min(BACKOFF_CAP_MS);
        let mut b = [0u8; 8];
        crate::domain::random_bytes(&mut b);
        let ms = u64::from_le_bytes(b) % (ceiling + 1);
        tracing::debug!(
            op,
            attempt = self.attempt,
            "dynamodb: retrying after a conflict"
        );
        tokio::time::sleep(Duration::from_millis(ms)).await;
        true
    }
    /// Waits before the next attempt of `what`; when attempts or time are
    /// used up, the error that `op` is too busy.
    async fn retry(&mut self, what: &'static str, op: &'static str) -> Result<()> {
        if self.wait(what).await {
            Ok(())
        } else {
            Err(too_busy(op))
        }
    }
}

fn too_busy(op: &'static str) -> Error {
    Error::storage(
        op,
        DynamoFailure {
            code: "TooManyConflicts".into(),
            message: "gave up after repeated conflicts".into(),
        },
    )
}

// ---------------------------------------------------------------------------
// Records <-> items

/// What the personal item of a record holds.
#[derive(Serialize, Deserialize)]
struct Personal {
    person: Option<Person>,
    person_key: Option<PersonKey>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    answers: std::collections::BTreeMap<String, String>,
}

fn reservation_items(r: &Reservation, quota_week: Option<Date>) -> Result<(Item, Item)> {
    let mut public = r.clone();
    public.person = None;
    public.person_key = None;
    let mut meta = key(keys::res(&r.code), keys::META);
    meta.insert("t".into(), s(keys::T_RES));
    meta.insert("doc".into(), s(to_json(&public)?));
    meta.insert("status".into(), s(r.status.as_str()));
    meta.insert("updated_at".into(), s(r.updated_at.to_string()));
    meta.insert("gsi1pk".into(), s(keys::res_by_facility(&r.facility)));
    meta.insert("gsi1sk".into(), s(keys::res_order(r)));
    meta.insert(
        "gsi2pk".into(),
        s(keys::res_by_equipment(r.run.equipment())),
    );
    meta.insert("gsi2sk".into(), s(keys::res_order(r)));
    if let Some(week) = quota_week {
        meta.insert("quota_week".into(), s(week.to_string()));
    }
    let mut person = key(keys::res(&r.code), keys::PERSON);
    person.insert("t".into(), s(keys::T_RES_PERSON));
    let personal = Personal {
        person: r.person.clone(),
        person_key: r.person_key.clone(),
        answers: Default::default(),
    };
    person.insert("doc".into(), s(to_json(&personal)?));
    person.insert("purge_after".into(), s(r.purge_after.to_string()));
    person.insert(TTL_ATTRIBUTE.into(), n(personal_expiry(r.purge_after)));
    Ok((meta, person))
}

/// A reservation from its main item and, unless purged, its personal item.
fn reservation_from(meta: &Item, person: Option<&Item>) -> Result<Reservation> {
    let mut r: Reservation = from_json(meta, "doc")?;
    r.status = ReservationStatus::parse(get_s(meta, "status").unwrap_or_default())
        .map_err(|_| corrupt("a reservation with an unknown status"))?;
    if let Some(at) = get_s(meta, "updated_at").and_then(|t| t.parse().ok()) {
        r.updated_at = at;
    }
    if let Some(p) = person {
        let personal: Personal = from_json(p, "doc")?;
        r.person = personal.person;
        r.person_key = personal.person_key;
    }
    Ok(r)
}

fn application_items(a: &Application) -> Result<(Item, Item)> {
    let mut public = a.clone();
    public.person = None;
    public.person_key = None;
    public.answers.clear();
    let mut meta = key(keys::app(&a.code), keys::APP_META);
    meta.insert("t".into(), s(keys::T_APP));
    meta.insert("doc".into(), s(to_json(&public)?));
    meta.insert("status".into(), s(a.status.as_str()));
    meta.insert("updated_at".into(), s(a.updated_at.to_string()));
    meta.insert("seq".into(), n(a.seq));
    if let Some(f) = &a.facility {
        meta.insert("gsi1pk".into(), s(keys::app_by_facility(f)));
        meta.insert("gsi1sk".into(), s(keys::app_order(a, a.seq)));
    }
    meta.insert("gsi2pk".into(), s(keys::app_by_target(&a.target)));
    meta.insert("gsi2sk".into(), s(keys::app_order(a, a.seq)));
    let mut person = key(keys::app(&a.code), keys::PERSON);
    person.insert("t".into(), s(keys::T_APP_PERSON));
    let personal = Personal {
        person: a.person.clone(),
        person_key: a.person_key.clone(),
        answers: a.answers.clone(),
    };
    person.insert("doc".into(), s(to_json(&personal)?));
    person.insert("purge_after".into(), s(a.purge_after.to_string()));
    person.insert(TTL_ATTRIBUTE.into(), n(personal_expiry(a.purge_after)));
    Ok((meta, person))
}

fn application_from(meta: &Item, person: Option<&Item>) -> Result<Application> {
    let mut a: Application = from_json(meta, "doc")?;
    a.status = ApplicationStatus::parse(get_s(meta, "status").unwrap_or_default())
        .map_err(|_| corrupt("an application with an unknown status"))?;
    if let Some(at) = get_s(meta, "updated_at").and_then(|t| t.parse().ok()) {
        a.updated_at = at;
    }
    if let Some(seq) = get_n(meta, "seq") {
        a.seq = seq;
    }
    if let Some(p) = person {
        let personal: Personal = from_json(p, "doc")?;
        a.person = personal.person;
        a.person_key = personal.person_key;
        a.answers = personal.answers;
    }
    Ok(a)
}

/// The idempotency record: which record a key made, with the management
/// token needed to answer a retry in full, sealed with the key
/// ([`IdempotencyRequest::seal`]). Kept
/// [`IDEMPOTENCY_HOURS`]; the TTL deletes it afterwards.
fn idempotency_item(
    idem: &IdempotencyRequest,
    record_pk: &str,
    token: &ManageToken,
    now: Timestamp,
) -> Item {
    let mut item = key(keys::idem(idem.id()), keys::IDEM_SK);
    item.insert("t".into(), s(keys::T_IDEM));
    item.insert("fingerprint".into(), s(&idem.fingerprint));
    item.insert("record".into(), s(record_pk));
    item.insert("token".into(), s(idem.seal(token)));
    item.insert(
        TTL_ATTRIBUTE.into(),
        n(now.as_second() + IDEMPOTENCY_HOURS * 3600),
    );
    item
}

/// The `ClientRequestToken` for a transaction made under an idempotency key:
/// at most 36 characters, and distinct per table (tokens are scoped to the
/// account and region, not to a table).
fn client_token(table: &str, idem: &IdempotencyRequest) -> String {
    let mut h = Sha256::new();
    h.update(b"sbiz-ddb-token-v1\0");
    h.update(table.as_bytes());
    h.update(b"\0");
    h.update(idem.id().as_bytes());
    hex::encode(&h.finalize()[..18])
}

/// The idempotency record of a key, if it exists: (fingerprint, record pk, token).
struct IdemRecord {
    fingerprint: String,
    record: String,
    token: ManageToken,
}

// ---------------------------------------------------------------------------
// Reads

impl DynamoStore {
    /// Every item of a partition (strongly consistent), following pages.
    async fn partition(&self, context: &'static str, pk: &str) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(pk))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage(context, e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    async fn get(&self, context: &'static str, pk: &str, sk: &str) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .consistent_read(true)
            .set_key(Some(key(pk, sk)))
            .send()
            .await
            .map_err(|e| storage(context, e))?;
        Ok(out.item().cloned())
    }

    async fn idem_record(&self, idem: &IdempotencyRequest) -> Result<Option<IdemRecord>> {
        let Some(item) = self
            .get(
                "reading an idempotency record",
                &keys::idem(idem.id()),
                keys::IDEM_SK,
            )
            .await?
        else {
            return Ok(None);
        };
        let token = get_s(&item, "token")
            .and_then(|t| idem.open(t))
            .ok_or_else(|| corrupt("an idempotency record without its token"))?;
        Ok(Some(IdemRecord {
            fingerprint: get_s(&item, "fingerprint").unwrap_or_default().to_owned(),
            record: get_s(&item, "record").unwrap_or_default().to_owned(),
            token,
        }))
    }

    async fn load_reservation(&self, pk: &str) -> Result<Option<Reservation>> {
        let items = self.partition("reading a reservation", pk).await?;
        let meta = items.iter().find(|i| get_s(i, "sk") == Some(keys::META));
        let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
        meta.map(|m| reservation_from(m, person)).transpose()
    }

    async fn load_application(&self, pk: &str) -> Result<Option<Application>> {
        let items = self.partition("reading an application", pk).await?;
        let meta = items
            .iter()
            .find(|i| get_s(i, "sk") == Some(keys::APP_META));
        let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
        meta.map(|m| application_from(m, person)).transpose()
    }

    /// Query an index (eventually consistent), following pages.
    async fn query_index(
        &self,
        index: &str,
        pk_attr: &'static str,
        pk: String,
        sk_range: Option<(&'static str, String, String)>,
    ) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .expression_attribute_names("#pk", pk_attr)
                .expression_attribute_values(":pk", s(pk.clone()));
            q = match &sk_range {
                Some((sk_attr, from, to)) => q
                    .key_condition_expression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expression_attribute_names("#sk", *sk_attr)
                    .expression_attribute_values(":from", s(from.clone()))
                    .expression_attribute_values(":to", s(to.clone())),
                None => q.key_condition_expression("#pk = :pk"),
            };
            let page = q
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("querying an index", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// Every item of one type (`t`): the admin fallback when a list is not
    /// narrowed to a facility, equipment or target.
    async fn scan_type(&self, t: &'static str) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("#t = :t")
                .expression_attribute_names("#t", "t")
                .expression_attribute_values(":t", s(t))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("scanning the table", e))?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// The personal items of these partitions (missing when purged), by pk.
    async fn personal_items(&self, pks: Vec<String>) -> Result<HashMap<String, Item>> {
        let mut found = HashMap::new();
        for chunk in pks.chunks(100) {
            let mut pending: Vec<Item> = chunk
                .iter()
                .map(|pk| key(pk.clone(), keys::PERSON))
                .collect();
            let mut backoff = Backoff::new();
            while !pending.is_empty() {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(build_err)?;
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(|e| storage("reading personal data", e))?;
                if let Some(items) = out.responses().and_then(|r| r.get(&self.table)) {
                    for item in items {
                        if let Some(pk) = get_s(item, "pk") {
                            found.insert(pk.to_owned(), item.clone());
                        }
                    }
                }
                if let Some(rest) = out.unprocessed_keys().and_then(|u| u.get(&self.table)) {
                    pending = rest.keys().to_vec();
                    if !pending.is_empty() && !backoff.wait("batch_get").await {
                        return Err(too_busy("reading personal data"));
                    }
                }
            }
        }
        Ok(found)
    }

    async fn counter(&self, target: &Target) -> Result<Counter> {
        let item = self
            .get(
                "reading a programme counter",
                &keys::target(target),
                keys::COUNTER,
            )
            .await?;
        Ok(match item {
            None => Counter::default(),
            Some(i) => Counter {
                exists: true,
                ver: get_n(&i, "ver").unwrap_or(0),
                seq: get_n(&i, "seq").unwrap_or(0),
                seats: get_n(&i, "seats").unwrap_or(0),
                waiting: get_n(&i, "waiting").unwrap_or(0),
                closed: get_n(&i, "closed_at"),
            },
        })
    }

    /// The waitlisted application with the lowest `seq` in a target other
    /// than `except` (strongly consistent: the waitlist lives in the
    /// target's partition, not in an index).
    async fn first_waiter(&self, target: &Target, except: &str) -> Result<Option<(u64, String)>> {
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk AND begins_with(sk, :w)")
                .expression_attribute_values(":pk", s(keys::target(target)))
                .expression_attribute_values(":w", s("W#"))
                .limit(2)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("reading a waitlist", e))?;
            for item in page.items() {
                let code = get_s(item, "code").unwrap_or_default();
                if code != except {
                    let seq = get_n(item, "seq")
                        .ok_or_else(|| corrupt("a waitlist entry without seq"))?;
                    return Ok(Some((seq, code.to_owned())));
                }
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(None),
            }
        }
    }
}

/// A programme's, policy's or job posting's counter item: `seq` (last
/// arrival number given), `seats` taken, `waiting`, `closed_at` (a job
/// posting marked filled: microseconds since the epoch), and `ver`, bumped
/// by every change so that a change conditioned on it sees exactly the
/// state it read (an application racing a close fails its condition and
/// reads the counter again).
#[derive(Debug, Default, Clone, Copy)]
struct Counter {
    exists: bool,
    ver: u64,
    seq: u64,
    seats: u64,
    waiting: u64,
    closed: Option<i64>,
}

impl Counter {
    /// Adds the conditional write of `next` (read as `self`) to `tx`.
    fn write(&self, tx: &mut Tx, table: &str, target: &Target, next: Counter) -> Result<()> {
        let cond = if self.exists {
            Cond::new("ver = :ver").value(":ver", n(self.ver))
        } else {
            Cond::new(NOT_EXISTS)
        };
        let cond = cond
            .name("#t", "t")
            .value(":t", s(keys::T_COUNTER))
            .value(":nver", n(self.ver + 1))
            .value(":seq", n(next.seq))
            .value(":seats", n(next.seats))
            .value(":waiting", n(next.waiting));
        tx.update(
            table,
            Role::Fresh,
            key(keys::target(target), keys::COUNTER),
            "SET #t = :t, ver = :nver, seq = :seq, seats = :seats, waiting = :waiting",
            cond,
        )
    }
    /// A check that the counter is still as read (for an answer that writes
    /// nothing, such as `full`).
    fn check(&self, tx: &mut Tx, table: &str, target: &Target) -> Result<()> {
        let cond = if self.exists {
            Cond::new("ver = :ver").value(":ver", n(self.ver))
        } else {
            Cond::new(NOT_EXISTS)
        };
        tx.check(
            table,
            Role::Fresh,
            key(keys::target(target), keys::COUNTER),
            cond,
        )
    }
}

fn status_is(old: &'static str) -> Cond {
    Cond::new("#st = :old")
        .name("#st", "status")
        .value(":old", s(old))
}

// ---------------------------------------------------------------------------
// The store

#[async_trait]
impl Store for DynamoStore {
    fn kind(&self) -> &'static str {
        "dynamodb"
    }

    async fn create_reservation(&self, new: NewReservation) -> Result<Created<Reservation>> {
        const OP: &str = "creating a reservation";
        let r = &new.reservation;
        let pk = keys::res(&r.code);
        let quota = match (new.quota, &r.person_key) {
            (Some(q), Some(person)) => Some((q, person)),
            _ => None,
        };
        let mut tx = Tx::default();
        if let Some(idem) = &new.idempotency {
            tx.put(
                &self.table,
                Role::Idem,
                idempotency_item(idem, &pk, &new.token, r.created_at),
                Some(Cond::new(NOT_EXISTS)),
            )?;
        }
        for start in r.run.slot_starts() {
            let mut lock = key(
                keys::slot_pk(r.run.equipment()),
                keys::slot_sk(r.run.date(), start),
            );
            lock.insert("t".into(), s(keys::T_SLOT));
            lock.insert("code".into(), s(r.code.compact()));
            tx.put(&self.table, Role::Slot, lock, Some(Cond::new(NOT_EXISTS)))?;
        }
        if let Some((q, person)) = quota {
            let minutes = i64::from(r.run.minutes());
            // The item may not exist yet (0 minutes held); when the run alone
            // exceeds the limit, `:room` is negative and the condition fails
            // either way.
            let room = i64::from(q.limit_minutes) - minutes;
            let expr = if room >= 0 {
                "attribute_not_exists(minutes) OR minutes <= :room"
            } else {
                "minutes <= :room"
            };
            let cond = Cond::new(expr)
                .name("#t", "t")
                .value(":room", n(room))
                .value(":m", n(minutes))
                .value(":t", s(keys::T_QUOTA))
                .value(":exp", n(personal_expiry(r.purge_after)));
            tx.update(
                &self.table,
                Role::Quota,
                key(keys::quota(person), q.week_start.to_string()),
                "SET #t = :t, expires_at = :exp ADD minutes :m",
                cond,
            )?;
        }
        let (meta, person) = reservation_items(r, quota.map(|(q, _)| q.week_start))?;
        tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
        tx.put(&self.table, Role::Plain, person, None)?;

        let mut token = new
            .idempotency
            .as_ref()
            .map(|i| client_token(&self.table, i));
        let mut backoff = Backoff::new();
        loop {
            match self.run(OP, &tx, token.as_deref()).await? {
                TxOutcome::Committed => {
                    return Ok(Created {
                        record: r.clone(),
                        token: new.token.clone(),
                        replayed: false,
                    });
                }
                TxOutcome::Failed(roles) => {
                    if roles.contains(&Role::Idem)
                        && let Some(idem) = &new.idempotency
                    {
                        return self.replay_reservation(idem).await;
                    }
                    return Err(if roles.contains(&Role::Slot) {
                        Error::new(Code::SlotTaken)
                    } else if roles.contains(&Role::Quota) {
                        Error::new(Code::QuotaExceeded)
                    } else if roles.contains(&Role::Code) {
                        Error::new(Code::DuplicateCode)
                    } else {
                        Error::storage(
                            OP,
                            DynamoFailure {
                                code: "UnexpectedCondition".into(),
                                message: String::new(),
                            },
                        )
                    });
                }
                TxOutcome::TokenReused => {
                    // An earlier request under this key used the token with
                    // other parameters (another generated code).
                    if let Some(idem) = &new.idempotency
                        && self.idem_record(idem).await?.is_some()
                    {
                        return self.replay_reservation(idem).await;
                    }
                    // That earlier request failed; our own record guards the key.
                    token = None;
                }
                TxOutcome::Conflict => {
                    backoff.retry("create_reservation", OP).await?;
                }
            }
        }
    }

    async fn reservation(&self, code: &ReservationCode) -> Result<Option<Reservation>> {
        self.load_reservation(&keys::res(code)).await
    }

    async fn set_reservation_status(
        &self,
        code: &ReservationCode,
        change: StatusChange<ReservationStatus>,
    ) -> Result<Reservation> {
        const OP: &str = "changing a reservation's status";
        let pk = keys::res(code);
        let mut backoff = Backoff::new();
        loop {
            let items = self.partition(OP, &pk).await?;
            let Some(meta) = items.iter().find(|i| get_s(i, "sk") == Some(keys::META)) else {
                return Err(Error::new(Code::NotFound));
            };
            let person = items.iter().find(|i| get_s(i, "sk") == Some(keys::PERSON));
            let current = reservation_from(meta, person)?;
            let old = current.status;
            if !change.from.contains(&old) {
                return Err(Error::new(Code::InvalidStatus));
            }
            let to = change.to;
            let mut tx = Tx::default();
            tx.update(
                &self.table,
                Role::Fresh,
                key(&pk, keys::META),
                "SET #st = :to, updated_at = :at",
                status_is(old.as_str())
                    .value(":to", s(to.as_str()))
                    .value(":at", s(change.at.to_string())),
            )?;
            if old.holds_slots() && !to.holds_slots() {
                for start in current.run.slot_starts() {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(
                            keys::slot_pk(current.run.equipment()),
                            keys::slot_sk(current.run.date(), start),
                        ),
                        None,
                    )?;
                }
                if let (Some(week), Some(person)) = (get_s(meta, "quota_week"), &current.person_key)
                {
                    tx.update(
                        &self.table,
                        Role::Plain,
                        key(keys::quota(person), week),
                        "ADD minutes :m",
                        Cond::new("").value(":m", n(-i64::from(current.run.minutes()))),
                    )?;
                }
            }
            if let Some(person) = &current.person_key {
                let hist_sk = keys::hist_no_show(current.run.date(), current.code.compact());
                if old == ReservationStatus::NoShow && to != ReservationStatus::NoShow {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::hist(person), &hist_sk),
                        None,
                    )?;
                }
                if to == ReservationStatus::NoShow && old != ReservationStatus::NoShow {
                    let mut h = key(keys::hist(person), &hist_sk);
                    h.insert("t".into(), s(keys::T_HIST));
                    h.insert(
                        TTL_ATTRIBUTE.into(),
                        n(personal_expiry(current.purge_after)),
                    );
                    tx.put(&self.table, Role::Plain, h, None)?;
                }
            }
            if let Some(person) = &current.person_key {
                rekey::person_key_unchanged(&mut tx, &self.table, &pk, person)?;
            }
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => {
                    let mut updated = current;
                    updated.status = to;
                    updated.updated_at = change.at;
                    return Ok(updated);
                }
                // The status changed between the read and the write: look again.
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("set_reservation_status", OP).await?;
                }
            }
        }
    }

    async fn taken_slots(&self, equipment: &Id, from: Date, to: Date) -> Result<Vec<TakenSlot>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        // Sort keys are "YYYY-MM-DDTHH:MM"; "U" sorts after "T".
        let (lo, hi) = (format!("{from}T"), format!("{to}U"));
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :pk AND sk BETWEEN :lo AND :hi")
                .expression_attribute_values(":pk", s(keys::slot_pk(equipment)))
                .expression_attribute_values(":lo", s(lo.clone()))
                .expression_attribute_values(":hi", s(hi.clone()))
                .projection_expression("sk")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("reading availability", e))?;
            for item in page.items() {
                let sk = get_s(item, "sk").unwrap_or_default();
                let (date, time) = sk
                    .split_once('T')
                    .ok_or_else(|| corrupt("a slot lock with a bad key"))?;
                let date = date
                    .parse()
                    .map_err(|_| corrupt("a slot lock with a bad date"))?;
                let start = time
                    .parse()
                    .map_err(|_| corrupt("a slot lock with a bad time"))?;
                out.push(TakenSlot { date, start });
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => return Ok(out),
            }
        }
    }

    async fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>> {
        let range = match (filter.from, filter.to) {
            (None, None) => None,
            (from, to) => Some((
                "gsi1sk",
                from.map(|d| format!("{d}T")).unwrap_or_else(|| "0".into()),
                to.map(|d| format!("{d}U")).unwrap_or_else(|| "9".into()),
            )),
        };
        let metas = if let Some(f) = &filter.facility {
            self.query_index(GSI_FACILITY, "gsi1pk", keys::res_by_facility(f), range)
                .await?
        } else if let Some(e) = &filter.equipment {
            let range = range.map(|(_, a, b)| ("gsi2sk", a, b));
            self.query_index(GSI_SUBJECT, "gsi2pk", keys::res_by_equipment(e), range)
                .await?
        } else {
            self.scan_type(keys::T_RES).await?
        };
        let metas: Vec<Item> = metas
            .into_iter()
            .filter(|m| {
                filter
                    .status
                    .is_none_or(|st| get_s(m, "status") == Some(st.as_str()))
            })
            .collect();
        let pks = metas
            .iter()
            .filter_map(|m| get_s(m, "pk").map(str::to_owned))
            .collect();
        let personal = self.personal_items(pks).await?;
        let mut out = Vec::with_capacity(metas.len());
        for m in &metas {
            let r = reservation_from(m, get_s(m, "pk").and_then(|pk| personal.get(pk)))?;
            if filter.matches(&r) {
                out.push(r);
            }
        }
        out.sort_by(|a, b| {
            (a.run.date(), a.run.start(), a.code.compact()).cmp(&(
                b.run.date(),
                b.run.start(),
                b.code.compact(),
            ))
        });
        Ok(out)
    }

    async fn person_history(&self, person: &PersonKey) -> Result<PersonHistory> {
        let items = self
            .partition("reading a person's history", &keys::hist(person))
            .await?;
        let mut history = PersonHistory::default();
        for item in &items {
            let sk = get_s(item, "sk").unwrap_or_default();
            if let Some(rest) = sk.strip_prefix("N#") {
                let date = rest.split('#').next().and_then(|d| d.parse().ok());
                history
                    .no_show_dates
                    .push(date.ok_or_else(|| corrupt("a no-show record with a bad date"))?);
            } else if let Some(rest) = sk.strip_prefix("A#") {
                let programme: Id = rest
                    .split('#')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| corrupt("an attendance record with a bad programme"))?;
                if !history.attended_programmes.contains(&programme) {
                    history.attended_programmes.push(programme);
                }
            }
        }
        Ok(history)
    }

    async fn rekey_persons(&self, secret: &crate::domain::ServerKey) -> Result<u64> {
        let done = self.rekey_all(secret).await?;
        if done.duplicates > 0 {
            tracing::warn!(
                applications = done.duplicates,
                "dynamodb: applications left on the legacy person key: their person applied again to the same target meanwhile; cancel one of the two"
            );
        }
        Ok(done.moved)
    }

    async fn apply(&self, new: NewApplication) -> Result<Created<Application>> {
        const OP: &str = "applying";
        let pk = keys::app(&new.application.code);
        let target = &new.application.target;
        let mut token = new
            .idempotency
            .as_ref()
            .map(|i| client_token(&self.table, i));
        let mut backoff = Backoff::new();
        loop {
            let counter = self.counter(target).await?;
            if counter.closed.is_some() {
                // A retry of an application made before the close gets its
                // answer; anything else is refused.
                if let Some(idem) = &new.idempotency
                    && self.idem_record(idem).await?.is_some()
                {
                    return self.replay_application(idem).await;
                }
                return Err(Error::new(Code::Filled));
            }
            let seq = counter.seq + 1;
            let mut next = Counter { seq, ..counter };
            let status = match new.admission {
                Admission::Capacity { capacity, .. } if counter.seats < u64::from(capacity) => {
                    next.seats += 1;
                    Some(ApplicationStatus::Enrolled)
                }
                Admission::Capacity { waitlist, .. } if counter.waiting < u64::from(waitlist) => {
                    next.waiting += 1;
                    Some(ApplicationStatus::Waitlisted)
                }
                Admission::Capacity { .. } => None,
                Admission::Open => Some(ApplicationStatus::Submitted),
            };
            let mut application = new.application.clone();
            application.seq = seq;
            let mut tx = Tx::default();
            let one_key = application
                .person_key
                .as_ref()
                .map(|p| key(keys::one(target, p), keys::ONE_SK));
            match status {
                Some(status) => {
                    application.status = status;
                    if let Some(idem) = &new.idempotency {
                        let item = idempotency_item(idem, &pk, &new.token, application.created_at);
                        tx.put(&self.table, Role::Idem, item, Some(Cond::new(NOT_EXISTS)))?;
                    }
                    if let Some(mut one) = one_key {
                        one.insert("t".into(), s(keys::T_ONE));
                        one.insert("code".into(), s(application.code.compact()));
                        one.insert(
                            TTL_ATTRIBUTE.into(),
                            n(personal_expiry(application.purge_after)),
                        );
                        tx.put(&self.table, Role::One, one, Some(Cond::new(NOT_EXISTS)))?;
                    }
                    counter.write(&mut tx, &self.table, target, next)?;
                    let (meta, person) = application_items(&application)?;
                    tx.put(&self.table, Role::Code, meta, Some(Cond::new(NOT_EXISTS)))?;
                    tx.put(&self.table, Role::Plain, person, None)?;
                    if status == ApplicationStatus::Waitlisted {
                        let mut w = key(keys::target(target), keys::waiter_sk(seq));
                        w.insert("t".into(), s(keys::T_WAIT));
                        w.insert("code".into(), s(application.code.compact()));
                        w.insert("seq".into(), n(seq));
                        tx.put(&self.table, Role::Plain, w, None)?;
                    }
                }
                None => {
                    // Full: write nothing, but answer a retry or a duplicate
                    // first, and only if the counter is still as read.
                    if let Some(idem) = &new.idempotency {
                        tx.check(
                            &self.table,
                            Role::Idem,
                            key(keys::idem(idem.id()), keys::IDEM_SK),
                            Cond::new(NOT_EXISTS),
                        )?;
                    }
                    if let Some(one) = one_key {
                        tx.check(&self.table, Role::One, one, Cond::new(NOT_EXISTS))?;
                    }
                    counter.check(&mut tx, &self.table, target)?;
                }
            }
            let outcome = self
                .run(
                    OP,
                    &tx,
                    if status.is_some() {
                        token.as_deref()
                    } else {
                        None
                    },
                )
                .await?;
            match outcome {
                TxOutcome::Committed => {
                    if status.is_none() {
                        return Err(Error::new(Code::Full));
                    }
                    return Ok(Created {
                        record: application,
                        token: new.token.clone(),
                        replayed: false,
                    });
                }
                TxOutcome::Failed(roles) => {
                    if roles.contains(&Role::Idem)
                        && let Some(idem) = &new.idempotency
                    {
                        return self.replay_application(idem).await;
                    }
                    if roles.contains(&Role::One) {
                        return Err(Error::new(Code::AlreadyApplied));
                    }
                    if roles.contains(&Role::Code) {
                        return Err(Error::new(Code::DuplicateCode));
                    }
                    // The counter moved: another application or cancellation
                    // came first. Read it again.
                    backoff.retry("apply", OP).await?;
                }
                TxOutcome::TokenReused => {
                    if let Some(idem) = &new.idempotency
                        && self.idem_record(idem).await?.is_some()
                    {
                        return self.replay_application(idem).await;
                    }
                    token = None;
                }
                TxOutcome::Conflict => {
                    backoff.retry("apply", OP).await?;
                }
            }
        }
    }

    async fn application(&self, code: &ApplicationCode) -> Result<Option<Application>> {
        self.load_application(&keys::app(code)).await
    }

    async fn set_application_status(
        &self,
        code: &ApplicationCode,
        change: StatusChange<ApplicationStatus>,
    ) -> Result<ApplicationChange> {
        const OP: &str = "changing an application's status";
        let pk = keys::app(code);
        let mut backoff = Backoff::new();
        loop {
            let Some(current) = self.load_application(&pk).await? else {
                return Err(Error::new(Code::NotFound));
            };
            let old = current.status;
            if !change.from.contains(&old) {
                return Err(Error::new(Code::InvalidStatus));
            }
            let to = change.to;
            let target = &current.target;
            let at = s(change.at.to_string());
            let mut tx = Tx::default();
            let mut update_expr = "SET #st = :to, updated_at = :at";
            let mut cond = status_is(old.as_str())
                .value(":to", s(to.as_str()))
                .value(":at", at.clone());
            if to == ApplicationStatus::NoShow && old != ApplicationStatus::NoShow {
                // The day the no-show was recorded, for the no-show rule.
                update_expr = "SET #st = :to, updated_at = :at, no_show_date = :nsd";
                cond = cond.value(":nsd", s(kst_parts(change.at).0.to_string()));
            }
            tx.update(
                &self.table,
                Role::Fresh,
                key(&pk, keys::APP_META),
                update_expr,
                cond,
            )?;

            if let Some(person) = &current.person_key {
                if old.is_active() && !to.is_active() {
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::one(target, person), keys::ONE_SK),
                        None,
                    )?;
                }
                // Attendance and no-shows feed the person's history.
                let code_c = current.code.compact();
                let expiry = n(personal_expiry(current.purge_after));
                if target.kind == TargetKind::Programme {
                    let sk = keys::hist_attended(&target.id, code_c);
                    if old == ApplicationStatus::Attended && to != old {
                        tx.delete(&self.table, Role::Plain, key(keys::hist(person), &sk), None)?;
                    }
                    if to == ApplicationStatus::Attended && to != old {
                        let mut h = key(keys::hist(person), &sk);
                        h.insert("t".into(), s(keys::T_HIST));
                        h.insert(TTL_ATTRIBUTE.into(), expiry.clone());
                        tx.put(&self.table, Role::Plain, h, None)?;
                    }
                }
                if old == ApplicationStatus::NoShow && to != old {
                    let meta = self.get(OP, &pk, keys::APP_META).await?;
                    if let Some(date) = meta.as_ref().and_then(|m| get_s(m, "no_show_date")) {
                        let sk = format!("N#{date}#{code_c}");
                        tx.delete(&self.table, Role::Plain, key(keys::hist(person), sk), None)?;
                    }
                }
                if to == ApplicationStatus::NoShow && to != old {
                    let sk = keys::hist_no_show(kst_parts(change.at).0, code_c);
                    let mut h = key(keys::hist(person), sk);
                    h.insert("t".into(), s(keys::T_HIST));
                    h.insert(TTL_ATTRIBUTE.into(), expiry);
                    tx.put(&self.table, Role::Plain, h, None)?;
                }
            }

            // Seats and the waitlist.
            let frees_seat = old.holds_seat() && !to.holds_seat();
            let takes_seat = !old.holds_seat() && to.holds_seat();
            let leaves_wait = old == ApplicationStatus::Waitlisted && to != old;
            let enters_wait = to == ApplicationStatus::Waitlisted && to != old;
            let mut promoted: Option<Application> = None;
            if frees_seat || takes_seat || leaves_wait || enters_wait {
                let counter = self.counter(target).await?;
                let mut next = counter;
                if leaves_wait {
                    next.waiting = next.waiting.saturating_sub(1);
                    tx.delete(
                        &self.table,
                        Role::Plain,
                        key(keys::target(target), keys::waiter_sk(current.seq)),
                        None,
                    )?;
                }
                if enters_wait {
                    next.waiting += 1;
                    let mut w = key(keys::target(target), keys::waiter_sk(current.seq));
                    w.insert("t".into(), s(keys::T_WAIT));
                    w.insert("code".into(), s(current.code.compact()));
                    w.insert("seq".into(), n(current.seq));
                    tx.put(&self.table, Role::Plain, w, None)?;
                }
                if takes_seat {
                    next.seats += 1;
                }
                if frees_seat {
                    match self.first_waiter(target, current.code.compact()).await? {
                        Some((seq, waiter_code)) => {
                            let waiter_pk = format!("APP#{waiter_code}");
                            let Some(waiter) = self.load_application(&waiter_pk).await? else {
                                return Err(corrupt("a waitlist entry without its application"));
                            };
                            tx.update(
                                &self.table,
                                Role::Fresh,
                                key(&waiter_pk, keys::APP_META),
                                "SET #st = :enrolled, updated_at = :at",
                                status_is(ApplicationStatus::Waitlisted.as_str())
                                    .value(":enrolled", s(ApplicationStatus::Enrolled.as_str()))
                                    .value(":at", at.clone()),
                            )?;
                            tx.delete(
                                &self.table,
                                Role::Fresh,
                                key(keys::target(target), keys::waiter_sk(seq)),
                                Some(Cond::new("attribute_exists(pk)")),
                            )?;
                            next.waiting = next.waiting.saturating_sub(1);
                            let mut w = waiter;
                            w.status = ApplicationStatus::Enrolled;
                            w.updated_at = change.at;
                            promoted = Some(w);
                        }
                        None => next.seats = next.seats.saturating_sub(1),
                    }
                }
                counter.write(&mut tx, &self.table, target, next)?;
            }

            if let Some(person) = &current.person_key {
                rekey::person_key_unchanged(&mut tx, &self.table, &pk, person)?;
            }
            match self.run(OP, &tx, None).await? {
                TxOutcome::Committed => {
                    let mut application = current;
                    application.status = to;
                    application.updated_at = change.at;
                    return Ok(ApplicationChange {
                        application,
                        promoted,
                    });
                }
                TxOutcome::Failed(_) | TxOutcome::Conflict | TxOutcome::TokenReused => {
                    backoff.retry("set_application_status", OP).await?;
                }
            }
        }
    }

    async fn applications(&self, filter: &ApplicationFilter) -> Result<Vec<Application>> {
        let metas = if let Some(t) = &filter.target {
            self.query_index(GSI_SUBJECT, "gsi2pk", keys::app_by_target(t), None)
                .await?
        } else if let Some(f) = &filter.facility {
            self.query_index(GSI_FACILITY, "gsi1pk", keys::app_by_facility(f), None)
                .await?
        } else {
            self.scan_type(keys::T_APP).await?
        };
        let metas: Vec<Item> = metas
            .into_iter()
            .filter(|m| {
                filter
                    .status
                    .is_none_or(|st| get_s(m, "status") == Some(st.as_str()))
            })
            .collect();
        let pks = metas
            .iter()
            .filter_map(|m| get_s(m, "pk").map(str::to_owned))
            .collect();
        let personal = self.personal_items(pks).await?;
        let mut out = Vec::with_capacity(metas.len());
        for m in &metas {
            let a = application_from(m, get_s(m, "pk").and_then(|pk| personal.get(pk)))?;
            if filter.matches(&a) {
                out.push(a);
            }
        }
        out.sort_by(|a, b| {
            (a.target.kind.as_str(), a.target.id.as_str(), a.seq).cmp(&(
                b.target.kind.as_str(),
                b.target.id.as_str(),
                b.seq,
            ))
        });
        Ok(out)
    }

    async fn set_target_closed(&self, target: &Target, closed: Option<Timestamp>) -> Result<()> {
        // `ver` moves, so an application that read the counter before
        // fails its condition and reads it again.
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::target(target), keys::COUNTER)))
            .expression_attribute_names("#t", "t")
            .expression_attribute_values(":t", s(keys::T_COUNTER))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1));
        update = match closed {
            Some(at) => update
                .update_expression(
                    "SET #t = :t, ver = if_not_exists(ver, :zero) + :one, \
                     closed_at = if_not_exists(closed_at, :c)",
                )
                .expression_attribute_values(":c", n(at.as_microsecond())),
            None => update.update_expression(
                "SET #t = :t, ver = if_not_exists(ver, :zero) + :one REMOVE closed_at",
            ),
        };
        update
            .send()
            .await
            .map_err(|e| storage("closing a target", e))?;
        Ok(())
    }

    async fn target_closed(&self, target: &Target) -> Result<Option<Timestamp>> {
        self.counter(target)
            .await?
            .closed
            .map(|micros| {
                Timestamp::from_microsecond(micros).map_err(|_| corrupt("a closed target's time"))
            })
            .transpose()
    }

    async fn submit_survey(&self, response: SurveyResponse) -> Result<()> {
        let mut item = key(keys::survey(&response.survey), response.subject.key());
        item.insert("t".into(), s(keys::T_SURVEY));
        item.insert("doc".into(), s(to_json(&response)?));
        item.insert("submitted_at".into(), s(response.submitted_at.to_string()));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(NOT_EXISTS)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Err(Error::new(Code::SurveyAlreadySubmitted))
            }
            Err(e) => Err(storage("storing a survey response", e)),
        }
    }

    async fn survey_responses(&self, survey: &Id) -> Result<Vec<SurveyResponse>> {
        let items = self
            .partition("reading survey responses", &keys::survey(survey))
            .await?;
        let mut out: Vec<SurveyResponse> = items
            .iter()
            .map(|i| from_json(i, "doc"))
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| {
            a.submitted_at
                .cmp(&b.submitted_at)
                .then_with(|| a.subject.key().cmp(&b.subject.key()))
        });
        Ok(out)
    }

    async fn has_survey_response(
        &self,
        survey: &Id,
        subject: &crate::domain::Subject,
    ) -> Result<bool> {
        let item = self
            .get(
                "reading a survey response",
                &keys::survey(survey),
                &subject.key(),
            )
            .await?;
        Ok(item.is_some())
    }

    async fn create_staff_session(&self, session: StaffSession) -> Result<()> {
        let mut item = key(keys::session(&session.id), keys::SESSION_SK);
        item.insert("t".into(), s(keys::T_SESSION));
        item.insert("entry".into(), s(session.entry));
        item.insert(TTL_ATTRIBUTE.into(), n(session.expires.as_second()));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| storage("storing a staff session", e))?;
        Ok(())
    }

    async fn staff_session(&self, id: &str) -> Result<Option<StaffSession>> {
        let Some(item) = self
            .get(
                "reading a staff session",
                &keys::session(id),
                keys::SESSION_SK,
            )
            .await?
        else {
            return Ok(None);
        };
        let expires = get_n::<i64>(&item, TTL_ATTRIBUTE)
            .and_then(|e| Timestamp::from_second(e).ok())
            .ok_or_else(|| corrupt("a staff session without its expiry"))?;
        Ok(Some(StaffSession {
            id: id.to_owned(),
            entry: get_s(&item, "entry").unwrap_or_default().to_owned(),
            expires,
        }))
    }

    async fn end_staff_session(&self, id: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::session(id), keys::SESSION_SK)))
            .send()
            .await
            .map_err(|e| storage("ending a staff session", e))?;
        Ok(())
    }

    async fn count_attempt(
        &self,
        key: &str,
        window_start: Timestamp,
        expires: Timestamp,
        add: u32,
    ) -> Result<u32> {
        let item_key = self::key(keys::attempt(key), keys::attempt_window(window_start));
        if add == 0 {
            let item = self
                .get(
                    "reading an attempt counter",
                    &keys::attempt(key),
                    &keys::attempt_window(window_start),
                )
                .await?;
            return Ok(item.and_then(|i| get_n::<u32>(&i, "attempts")).unwrap_or(0));
        }
        // ADD is atomic on the item: simultaneous calls from any number of
        // instances each get their own count. The TTL removes the item
        // after `expires`; `purge` does it at once.
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(item_key))
            .update_expression("SET #t = :t, #exp = :exp ADD #n :add")
            .expression_attribute_names("#t", "t")
            .expression_attribute_names("#exp", TTL_ATTRIBUTE)
            .expression_attribute_names("#n", "attempts")
            .expression_attribute_values(":t", s(keys::T_ATTEMPT))
            .expression_attribute_values(":exp", n(expires.as_second()))
            .expression_attribute_values(":add", n(add))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(|e| storage("counting an attempt", e))?;
        out.attributes()
            .and_then(|a| get_n::<u32>(a, "attempts"))
            .ok_or_else(|| corrupt("an attempt counter without its count"))
    }

    async fn purge(&self, today: Date, now: Timestamp) -> Result<PurgeReport> {
        // What the TTL does in the background, done now: delete every item
        // whose `expires_at` has passed. Personal items expire at the start
        // of the day after `purge_after` (so: `purge_after` before `today`);
        // idempotency records IDEMPOTENCY_HOURS after they were made, and
        // attempt counters at the `expires` they were given.
        let today_cutoff =
            kst_instant(today, TimeOfDay::from_minutes(0).expect("00:00")).as_second();
        let mut report = PurgeReport::default();
        let mut start: Option<Item> = None;
        let mut doomed: Vec<Item> = Vec::new();
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression(
                    "(#t IN (:idem, :sess, :attempt) AND #exp < :now) OR (NOT (#t IN (:idem, :sess, :attempt)) AND #exp <= :today)",
                )
                .expression_attribute_names("#t", "t")
                .expression_attribute_names("#exp", TTL_ATTRIBUTE)
                .expression_attribute_values(":idem", s(keys::T_IDEM))
                .expression_attribute_values(":sess", s(keys::T_SESSION))
                .expression_attribute_values(":attempt", s(keys::T_ATTEMPT))
                .expression_attribute_values(":now", n(now.as_second()))
                .expression_attribute_values(":today", n(today_cutoff))
                .projection_expression("pk, sk, #t")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| storage("finding expired personal data", e))?;
            for item in page.items() {
                match get_s(item, "t") {
                    Some(keys::T_RES_PERSON) => report.reservations += 1,
                    Some(keys::T_APP_PERSON) => report.applications += 1,
                    Some(keys::T_IDEM) => report.idempotency_records += 1,
                    Some(keys::T_ATTEMPT) => report.attempt_counters += 1,
                    _ => {}
                }
                if let (Some(pk), Some(sk)) = (get_s(item, "pk"), get_s(item, "sk")) {
                    doomed.push(key(pk, sk));
                }
            }
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => break,
            }
        }
        for chunk in doomed.chunks(25) {
            let mut pending: Vec<WriteRequest> = chunk
                .iter()
                .map(|k| {
                    DeleteRequest::builder()
                        .set_key(Some(k.clone()))
                        .build()
                        .map(|d| WriteRequest::builder().delete_request(d).build())
                        .map_err(build_err)
                })
                .collect::<Result<_>>()?;
            let mut backoff = Backoff::new();
            while !pending.is_empty() {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, std::mem::take(&mut pending))
                    .send()
                    .await
                    .map_err(|e| storage("deleting expired personal data", e))?;
                if let Some(rest) = out.unprocessed_items().and_then(|u| u.get(&self.table)) {
                    pending = rest.clone();
                    if !pending.is_empty() && !backoff.wait("purge").await {
                        return Err(too_busy("deleting expired personal data"));
                    }
                }
            }
        }
        tracing::info!(
            reservations = report.reservations,
            applications = report.applications,
            idempotency_records = report.idempotency_records,
            attempt_counters = report.attempt_counters,
            "dynamodb: purged expired personal data"
        );
        Ok(report)
    }
}

impl DynamoStore {
    /// The answer to a retry of a reservation: the record the key made, or
    /// `idempotency_conflict` if the key was used for something else.
    async fn replay_reservation(&self, idem: &IdempotencyRequest) -> Result<Created<Reservation>> {
        let record = self
            .idem_record(idem)
            .await?
            .ok_or_else(|| corrupt("an idempotency record that vanished"))?;
        if record.fingerprint != idem.fingerprint || !record.record.starts_with("RES#") {
            return Err(Error::new(Code::IdempotencyConflict));
        }
        let r = self
            .load_reservation(&record.record)
            .await?
            .ok_or_else(|| corrupt("an idempotency record for a missing reservation"))?;
        Ok(Created {
            record: r,
            token: record.token,
            replayed: true,
        })
    }

    async fn replay_application(&self, idem: &IdempotencyRequest) -> Result<Created<Application>> {
        let record = self
            .idem_record(idem)
            .await?
            .ok_or_else(|| corrupt("an idempotency record that vanished"))?;
        if record.fingerprint != idem.fingerprint || !record.record.starts_with("APP#") {
            return Err(Error::new(Code::IdempotencyConflict));
        }
        let a = self
            .load_application(&record.record)
            .await?
            .ok_or_else(|| corrupt("an idempotency record for a missing application"))?;
        Ok(Created {
            record: a,
            token: record.token,
            replayed: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_reasons_from_a_message() {
        let m = "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]";
        assert_eq!(listed_reasons(m), ["None", "ConditionalCheckFailed"]);
        assert!(listed_reasons("no list").is_empty());
    }

    #[test]
    fn client_tokens_fit_dynamodb_and_differ_per_table() {
        let idem = IdempotencyRequest::new(
            &crate::domain::ServerKey::generate(),
            &"key:with.dots_and-dashes".parse().unwrap(),
            &["op"],
        );
        let a = client_token("table-a", &idem);
        let b = client_token("table-b", &idem);
        assert_eq!(a.len(), 36);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn personal_data_expires_the_day_after_purge_after_kst() {
        let d: Date = "2026-03-02".parse().unwrap();
        // 2026-03-03T00:00+09:00 = 2026-03-02T15:00Z
        let expected: Timestamp = "2026-03-02T15:00:00Z".parse().unwrap();
        assert_eq!(personal_expiry(d), expected.as_second());
    }

    #[test]
    fn slot_keys_sort_by_day_then_time() {
        let d1: Date = "2026-03-02".parse().unwrap();
        let a = keys::slot_sk(d1, "09:00".parse().unwrap());
        let b = keys::slot_sk(d1, "10:30".parse().unwrap());
        let c = keys::slot_sk(d1.add_days(1), "00:00".parse().unwrap());
        assert!(a < b && b < c);
        assert!(format!("{d1}T") <= a && b < format!("{d1}U"));
        assert!(keys::waiter_sk(9) < keys::waiter_sk(10));
    }
}
