//! Attribute helpers, storage errors, and records as items (and back).

use super::*;

pub(super) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}
pub(super) fn n(v: impl fmt::Display) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
pub(super) fn key(pk: impl Into<String>, sk: impl Into<String>) -> Item {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}
pub(super) fn get_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}
pub(super) fn get_n<T: std::str::FromStr>(item: &Item, name: &str) -> Option<T> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}

/// Epoch seconds at which the personal data of a record whose `purge_after`
/// is this day must be gone: the start of the next day, Korea time.
pub(super) fn personal_expiry(purge_after: Date) -> i64 {
    kst_instant(
        purge_after.add_days(1),
        TimeOfDay::from_minutes(0).expect("00:00"),
    )
    .as_second()
}

pub(super) fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::storage("encoding a record", e))
}
pub(super) fn from_json<T: for<'de> Deserialize<'de>>(item: &Item, attr: &str) -> Result<T> {
    let text = get_s(item, attr).ok_or_else(|| corrupt("an item without its document"))?;
    serde_json::from_str(text).map_err(|e| Error::storage("decoding a record", e))
}

/// A DynamoDB failure, reduced to what is safe to log: the error code and
/// DynamoDB's message (which names no attribute values).
#[derive(Debug)]
pub(super) struct DynamoFailure {
    pub(super) code: String,
    pub(super) message: String,
}

impl fmt::Display for DynamoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
impl std::error::Error for DynamoFailure {}

pub(super) fn storage<E, R>(context: &'static str, err: SdkError<E, R>) -> Error
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

/// Whether a storage error may pass if the request is sent again: a
/// timeout, a lost connection or response, throttling, a fault on
/// DynamoDB's side. The outcome of a write that failed so is unknown.
pub(super) fn transient(e: &Error) -> bool {
    let Error::Storage { source, .. } = e else {
        return false;
    };
    source.downcast_ref::<DynamoFailure>().is_some_and(|f| {
        matches!(
            f.code.as_str(),
            "Timeout"
                | "DispatchFailure"
                | "ResponseError"
                | "InternalServerError"
                | "InternalFailure"
                | "ServiceUnavailable"
                | "ThrottlingException"
                | "ProvisionedThroughputExceededException"
                | "RequestLimitExceeded"
        )
    })
}

pub(super) fn corrupt(what: &'static str) -> Error {
    Error::storage(
        "reading an item",
        DynamoFailure {
            code: "CorruptItem".into(),
            message: what.into(),
        },
    )
}

pub(super) fn build_err(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::storage("building a request", e)
}

/// What the personal item of a record holds.
#[derive(Serialize, Deserialize)]
pub(super) struct Personal {
    pub(super) person: Option<Person>,
    pub(super) person_key: Option<PersonKey>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub(super) answers: std::collections::BTreeMap<String, String>,
}

pub(super) fn reservation_items(r: &Reservation, quota_week: Option<Date>) -> Result<(Item, Item)> {
    let mut public = r.clone();
    public.person = None;
    public.person_key = None;
    let mut meta = key(keys::res(&r.code), keys::META);
    meta.insert("t".into(), s(keys::T_RES));
    meta.insert("doc".into(), s(to_json(&public)?));
    meta.insert("status".into(), s(r.status.as_str()));
    meta.insert("updated_at".into(), s(r.updated_at.to_string()));
    if let Some(by) = r.cancelled_by {
        meta.insert("cancelled_by".into(), s(by.as_str()));
    }
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
    index_person(&mut person, r.person_key.as_ref(), &keys::res(&r.code));
    Ok((meta, person))
}

/// Puts a personal item into the person index (`gsi3`) under its key.
pub(super) fn index_person(item: &mut Item, person: Option<&PersonKey>, record_pk: &str) {
    if let Some(p) = person {
        item.insert("gsi3pk".into(), s(keys::by_person(p)));
        item.insert("gsi3sk".into(), s(keys::person_order(record_pk)));
    }
}

/// A reservation from its main item and, unless purged, its personal item.
pub(super) fn reservation_from(meta: &Item, person: Option<&Item>) -> Result<Reservation> {
    let mut r: Reservation = from_json(meta, "doc")?;
    r.status = ReservationStatus::parse(get_s(meta, "status").unwrap_or_default())
        .map_err(|_| corrupt("a reservation with an unknown status"))?;
    if let Some(at) = get_s(meta, "updated_at").and_then(|t| t.parse().ok()) {
        r.updated_at = at;
    }
    // Written with the status, like it (the document's copy is from when
    // the reservation was made or last moved).
    r.cancelled_by = get_s(meta, "cancelled_by")
        .map(|c| {
            CancelledBy::parse(c).ok_or_else(|| corrupt("a reservation with an unknown canceller"))
        })
        .transpose()?;
    if let Some(p) = person {
        let personal: Personal = from_json(p, "doc")?;
        r.person = personal.person;
        r.person_key = personal.person_key;
    }
    Ok(r)
}

pub(super) fn application_items(a: &Application) -> Result<(Item, Item)> {
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
    index_person(&mut person, a.person_key.as_ref(), &keys::app(&a.code));
    Ok((meta, person))
}

pub(super) fn application_from(meta: &Item, person: Option<&Item>) -> Result<Application> {
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
pub(super) fn idempotency_item(
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
pub(super) fn client_token(table: &str, idem: &IdempotencyRequest) -> String {
    client_token_for(table, idem, "")
}

/// The `ClientRequestToken` of one step of a request made of several
/// transactions (`step` names it; `""` is the first or only one).
pub(super) fn client_token_for(table: &str, idem: &IdempotencyRequest, step: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"sbiz-ddb-token-v1\0");
    if !step.is_empty() {
        h.update(step.as_bytes());
        h.update(b"\0");
    }
    h.update(table.as_bytes());
    h.update(b"\0");
    h.update(idem.id().as_bytes());
    hex::encode(&h.finalize()[..18])
}

/// The `ClientRequestToken` of one step (`step`) of writing the
/// application `code` (compact) made without an idempotency key: the
/// same transaction sent again after an unknown outcome is applied once.
pub(super) fn application_token(table: &str, code: &str, step: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"sbiz-ddb-app-token-v1\0");
    h.update(step.as_bytes());
    h.update(b"\0");
    h.update(table.as_bytes());
    h.update(b"\0");
    h.update(code.as_bytes());
    hex::encode(&h.finalize()[..18])
}

/// The idempotency record of a key, if it exists: (fingerprint, record pk, token).
pub(super) struct IdemRecord {
    pub(super) fingerprint: String,
    pub(super) record: String,
    pub(super) token: ManageToken,
}

/// A training record as an item of the person's history partition, with
/// the TTL of [`TrainingRecord::keep_until`](crate::domain::TrainingRecord::keep_until).
pub(super) fn training_item(t: &crate::domain::TrainingRecord) -> Item {
    let mut item = key(
        keys::hist(&t.person),
        keys::hist_training(&t.programme, t.completed),
    );
    item.insert("t".into(), s(keys::T_TRAINING));
    item.insert("entry".into(), s(t.entry.clone()));
    item.insert("recorded_at".into(), s(t.recorded_at.to_string()));
    item.insert(TTL_ATTRIBUTE.into(), n(personal_expiry(t.keep_until())));
    item
}

pub(super) fn training_from(
    person: &PersonKey,
    item: &Item,
) -> Result<crate::domain::TrainingRecord> {
    let sk = get_s(item, "sk").unwrap_or_default();
    let rest = sk
        .strip_prefix("T#")
        .ok_or_else(|| corrupt("a training record with a bad key"))?;
    let (programme, day) = rest
        .rsplit_once('#')
        .ok_or_else(|| corrupt("a training record with a bad key"))?;
    Ok(crate::domain::TrainingRecord {
        person: person.clone(),
        programme: programme
            .parse()
            .map_err(|_| corrupt("a training record with a bad programme"))?,
        completed: day
            .parse()
            .map_err(|_| corrupt("a training record with a bad day"))?,
        entry: get_s(item, "entry").unwrap_or_default().to_owned(),
        recorded_at: get_s(item, "recorded_at")
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| corrupt("a training record without its time"))?,
    })
}
