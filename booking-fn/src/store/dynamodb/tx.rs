//! Transactions: one builder for TransactWriteItems, its outcome, and the
//! bounded backoff-and-retry loop written once.

use super::*;

/// What an item in a transaction stands for, to turn a cancellation into
/// the domain's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The idempotency record (`attribute_not_exists`).
    Idem,
    /// A slot lock (`attribute_not_exists`).
    Slot,
    /// A closure's day marker (`attribute_not_exists(ids)`): the day is
    /// closed.
    Closed,
    /// The weekly quota counter (`minutes <= limit - run`).
    Quota,
    /// The new record's main item (`attribute_not_exists`: the code is new).
    Code,
    /// The one-per-person item of an application (`attribute_not_exists`).
    One,
    /// A waitlist entry of a new waiter (`attribute_not_exists`): failing
    /// means a promotion handed the waiter's number a seat, or gave it back.
    Wait,
    /// An optimistic check: a programme's counter version, a record's status.
    /// Failing means "changed meanwhile": read again and retry.
    Fresh,
    /// No condition.
    Plain,
}

#[derive(Default)]
pub(super) struct Tx {
    pub(super) items: Vec<TransactWriteItem>,
    pub(super) roles: Vec<Role>,
}

pub(super) enum TxOutcome {
    Committed,
    /// The conditions that failed (roles), in request order.
    Failed(Vec<Role>),
    /// Only conflicts with other transactions: retry.
    Conflict,
    /// The ClientRequestToken was used before with other parameters.
    TokenReused,
}

/// A condition and its values.
pub(super) struct Cond {
    pub(super) expr: std::borrow::Cow<'static, str>,
    pub(super) names: Vec<(&'static str, &'static str)>,
    pub(super) values: Vec<(&'static str, AttributeValue)>,
}

impl Cond {
    pub(super) fn new(expr: impl Into<std::borrow::Cow<'static, str>>) -> Cond {
        Cond {
            expr: expr.into(),
            names: Vec::new(),
            values: Vec::new(),
        }
    }
    pub(super) fn name(mut self, placeholder: &'static str, attr: &'static str) -> Cond {
        self.names.push((placeholder, attr));
        self
    }
    pub(super) fn value(mut self, placeholder: &'static str, v: AttributeValue) -> Cond {
        self.values.push((placeholder, v));
        self
    }
}

pub(super) const NOT_EXISTS: &str = "attribute_not_exists(pk)";

impl Tx {
    pub(super) fn push(&mut self, role: Role, item: TransactWriteItem) {
        self.items.push(item);
        self.roles.push(role);
    }

    pub(super) fn put(
        &mut self,
        table: &str,
        role: Role,
        item: Item,
        cond: Option<Cond>,
    ) -> Result<()> {
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
    pub(super) fn update(
        &mut self,
        table: &str,
        role: Role,
        key: Item,
        expr: &str,
        cond: Cond,
    ) -> Result<()> {
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

    pub(super) fn delete(
        &mut self,
        table: &str,
        role: Role,
        key: Item,
        cond: Option<Cond>,
    ) -> Result<()> {
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

    pub(super) fn check(&mut self, table: &str, role: Role, key: Item, cond: Cond) -> Result<()> {
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
    pub(super) async fn run(
        &self,
        context: &'static str,
        tx: &Tx,
        token: Option<&str>,
    ) -> Result<TxOutcome> {
        // A transaction holds at most 100 items: a run of slots plus its
        // messages that would not fit is refused as too long.
        if tx.items.len() > 100 {
            return Err(Error::rejected(Code::TooLong, crate::Msg::TooManyAtOnce));
        }
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
pub(super) fn listed_reasons(message: &str) -> Vec<String> {
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
pub(super) struct Backoff {
    pub(super) attempt: u32,
    pub(super) started: std::time::Instant,
}

impl Backoff {
    pub(super) fn new() -> Backoff {
        Backoff {
            attempt: 0,
            started: std::time::Instant::now(),
        }
    }
    /// Waits before the next attempt; `false` when attempts or time are used up.
    pub(super) async fn wait(&mut self, op: &'static str) -> bool {
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
    pub(super) async fn retry(&mut self, what: &'static str, op: &'static str) -> Result<()> {
        if self.wait(what).await {
            Ok(())
        } else {
            Err(too_busy(op))
        }
    }
}

pub(super) fn too_busy(op: &'static str) -> Error {
    Error::storage(
        op,
        DynamoFailure {
            code: "TooManyConflicts".into(),
            message: "gave up after repeated conflicts".into(),
        },
    )
}
