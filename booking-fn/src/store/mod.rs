//! Storage behind one trait, with domain-level atomic operations rather than
//! generic CRUD, so that every store can guarantee the invariants itself:
//!
//! * never two reservations holding one slot (equipment, day, slot start);
//! * at most one record per idempotency key;
//! * never more than `capacity` seats taken in a programme, and a waitlist in
//!   arrival order;
//! * at most one active application per person per programme, policy or
//!   job posting;
//! * no application to a target once it is closed (a job posting marked
//!   filled), decided atomically with the applications racing the close;
//! * a person's weekly quota never exceeded, even by simultaneous requests.
//!
//! Each method's doc says what must happen atomically. The service layer
//! (`crate::service`) checks everything else (opening hours, windows,
//! deadlines) before calling the store; the store re-checks only what can
//! race.
//!
//! # Designed for DynamoDB
//! Every atomic operation maps onto one `TransactWriteItems` (at most 100
//! items) or one conditional write:
//! * a reservation = one lock item per slot (`attribute_not_exists`) + the
//!   reservation item + the idempotency item + the quota counter update with a
//!   condition `minutes <= limit - run.minutes()` + two condition checks on
//!   the day's closure markers (facility, equipment); hence
//!   [`MAX_SLOTS_PER_RUN`](crate::domain::MAX_SLOTS_PER_RUN) = 96 (94 fit
//!   with the closure checks, more are `too_long` on DynamoDB);
//! * a closure = the closure item + one marker per day (at most
//!   [`MAX_CLOSURE_DAYS`](crate::domain::MAX_CLOSURE_DAYS) = 90);
//! * an application = three conditional steps, so that a burst of applicants
//!   to one programme costs O(N) requests, never a transaction per applicant
//!   on one hot item: the claims (the idempotency item and the
//!   person-per-target uniqueness item), then the arrival number and the
//!   admission in one atomic counter update on the target (`seats <
//!   capacity`, else `waiting < waitlist` with the next waiter number,
//!   adding 1 to `seq`), then the application item (with its waitlist
//!   entry) and its messages in a transaction that does not touch the
//!   counter;
//! * a cancellation that frees a seat = the status update (conditioned on the
//!   old status) + the promotion of the first waiter by waiter number
//!   (conditioned on it still waiting), or the seat handed to that number
//!   when its application is still being written, + relative counter
//!   updates, retried when the waitlist changed in between.
//!
//! Stores report rule conflicts as [`Error::Rejected`](crate::Error) with the
//! codes named below, and failures of the backend as `Error::Storage`.

use async_trait::async_trait;
use jiff::Timestamp;
use sbiz_catalog::{Date, Id, TimeOfDay};

use crate::domain::{
    Application, ApplicationCode, ApplicationStatus, AuditEntry, AuditFilter, CancelledBy, Closure,
    IdempotencyRequest, ManageToken, MessageId, MessageOutcome, NewMessage, OutboxMessage,
    PersonKey, Reservation, ReservationCode, ReservationStatus, SlotRun, Subject, SurveyResponse,
    Target, TargetKind, TrainingRecord,
};
use crate::{Code, Error, Result};

#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(feature = "sqlite")]
pub mod sqlite;

/// How long an idempotency record (with the management token needed to
/// answer a retry) is kept. Purged afterwards; a TTL attribute in DynamoDB.
pub const IDEMPOTENCY_HOURS: i64 = 24;

/// A record the store just wrote, or the one a retry with the same
/// idempotency key wrote before (`replayed`), with its management token.
#[derive(Debug, Clone)]
pub struct Created<T> {
    pub record: T,
    pub token: ManageToken,
    pub replayed: bool,
}

/// The weekly quota a new reservation must fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyQuota {
    /// Monday of the reservation's week.
    pub week_start: Date,
    /// Most minutes one person may hold in that week, counting this one.
    pub limit_minutes: u32,
}

#[derive(Debug, Clone)]
pub struct NewReservation {
    /// Complete, with the status the rules decided (pending or confirmed).
    pub reservation: Reservation,
    /// The plaintext token (the record holds only its hash), kept with the
    /// idempotency record so that a retry can be answered in full.
    pub token: ManageToken,
    pub quota: Option<WeeklyQuota>,
    pub idempotency: Option<IdempotencyRequest>,
    /// Messages stored in the same atomic step (the outbox): the
    /// confirmation now, the reminder and the survey invitation later.
    /// Not written when the call replays an earlier one.
    pub messages: Vec<NewMessage>,
}

/// How an application is admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Programmes: `enrolled` while fewer than `capacity` seats are taken,
    /// else `waitlisted` while fewer than `waitlist` wait, else `full`.
    Capacity { capacity: u32, waitlist: u32 },
    /// Policies and job postings: always `submitted`.
    Open,
}

#[derive(Debug, Clone)]
pub struct NewApplication {
    /// Complete except `status` and `seq`, which the store sets.
    pub application: Application,
    pub token: ManageToken,
    pub admission: Admission,
    pub idempotency: Option<IdempotencyRequest>,
    /// Messages stored in the same atomic step. Their `params` may name
    /// the status with `{status}`: the store does not fill it in; the
    /// caller decides per admission which event to send (see
    /// [`NewApplication::messages_when`]).
    pub messages: Vec<NewMessage>,
    /// Per status the store may decide (enrolled, waitlisted, submitted):
    /// the messages to store instead of `messages` when the application
    /// ends in that status. The store adds `position` (the place on the
    /// waitlist, from 1) to waitlisted messages.
    pub messages_when: Vec<(ApplicationStatus, Vec<NewMessage>)>,
}

/// A conditional status change: applied only if the current status is one
/// of `from`; otherwise `invalid_status`.
#[derive(Debug, Clone)]
pub struct StatusChange<S> {
    pub from: Vec<S>,
    pub to: S,
    pub at: Timestamp,
    /// Messages about the change, stored in the same atomic step.
    pub messages: Vec<NewMessage>,
    /// Cancel the record's queued messages (reminders, invitations) in the
    /// same atomic step, before `messages` are stored.
    pub cancel_queued: bool,
    /// Applications only: a training record to write in the same atomic
    /// step (staff marking a programme application attended).
    pub training: Option<TrainingRecord>,
    /// Applications only: messages for the waitlisted application promoted
    /// into a freed seat, if one is. The store sets their `code` parameter
    /// to the promoted application's code.
    pub promotion_messages: Vec<NewMessage>,
    /// Reservations only: who cancels, recorded on the reservation
    /// ([`Reservation::cancelled_by`](crate::domain::Reservation)) in the
    /// same write when `to` is 취소 (`None`: not recorded).
    pub cancelled_by: Option<CancelledBy>,
}

impl<S> StatusChange<S> {
    /// A change without messages.
    pub fn new(from: Vec<S>, to: S, at: Timestamp) -> StatusChange<S> {
        StatusChange {
            from,
            to,
            at,
            messages: Vec::new(),
            cancel_queued: false,
            training: None,
            promotion_messages: Vec::new(),
            cancelled_by: None,
        }
    }
}

/// A move of a reservation to another run of slots of the same equipment
/// (예약 변경), keeping its code, token and status.
#[derive(Debug, Clone)]
pub struct Reschedule {
    /// The new run: same equipment and slot length as the reservation's.
    pub to: SlotRun,
    /// Moved only from one of these statuses (else `invalid_status`).
    pub from: Vec<ReservationStatus>,
    /// The weekly quota the new run must fit in (its own week), if the
    /// equipment has one.
    pub quota: Option<WeeklyQuota>,
    pub at: Timestamp,
    /// Messages about the move (예약 변경, the new reminder and survey
    /// invitation), stored after the record's queued messages are cancelled,
    /// in the same atomic step.
    pub messages: Vec<NewMessage>,
}

/// The result of an application status change: the changed application and,
/// when a seat was freed, the waitlisted application promoted into it.
#[derive(Debug, Clone)]
pub struct ApplicationChange {
    pub application: Application,
    pub promoted: Option<Application>,
}

/// A slot held by a live reservation (for availability; no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenSlot {
    pub date: Date,
    pub start: TimeOfDay,
}

/// What the rules need to know about one person's past.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonHistory {
    /// Days of reservations marked no-show, and days programme no-shows were
    /// recorded, any order.
    pub no_show_dates: Vec<Date>,
    /// Programmes in which the person has an `attended` enrolment or a
    /// [training record](Store::record_training).
    pub attended_programmes: Vec<Id>,
}

#[derive(Debug, Clone, Default)]
pub struct ReservationFilter {
    pub facility: Option<Id>,
    pub equipment: Option<Id>,
    pub status: Option<ReservationStatus>,
    /// Reservation day within `from..=to`.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl ReservationFilter {
    pub fn matches(&self, r: &Reservation) -> bool {
        self.facility.as_ref().is_none_or(|f| *f == r.facility)
            && self
                .equipment
                .as_ref()
                .is_none_or(|e| e == r.run.equipment())
            && self.status.is_none_or(|s| s == r.status)
            && self.from.is_none_or(|d| r.run.date() >= d)
            && self.to.is_none_or(|d| r.run.date() <= d)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Only applications whose facility is this one (policies have none).
    pub facility: Option<Id>,
    pub kind: Option<TargetKind>,
    pub target: Option<Target>,
    pub status: Option<ApplicationStatus>,
}

impl ApplicationFilter {
    pub fn matches(&self, a: &Application) -> bool {
        self.facility
            .as_ref()
            .is_none_or(|f| a.facility.as_ref() == Some(f))
            && self.kind.is_none_or(|k| k == a.target.kind)
            && self.target.as_ref().is_none_or(|t| *t == a.target)
            && self.status.is_none_or(|s| s == a.status)
    }
}

/// A staff sign-in, kept by the store so that it ends on the server when
/// the staff member signs out (and on every instance of the function).
#[derive(Clone, PartialEq, Eq)]
pub struct StaffSession {
    /// A keyed hash of the random id in the cookie (64 hex digits); the id
    /// itself is never stored, so the store cannot be turned into cookies.
    pub id: String,
    /// Which configured staff entry signed in: a keyed hash of the entry,
    /// so that removing the entry ends its sessions.
    pub entry: String,
    /// When the session ends unless it is used again: 30 minutes after
    /// its last renewal, never after the cap set at sign-in.
    pub expires: Timestamp,
}

impl std::fmt::Debug for StaffSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaffSession(expires {})", self.expires)
    }
}

/// A one-time code of 내 예약·신청 (인증번호), kept only as a keyed hash:
/// one live code per person, the latest replacing any earlier one.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode {
    /// Whose phone the code was sent to.
    pub person: PersonKey,
    /// An HMAC of the code and the person key under the server secret (64
    /// hex digits): the store can compare it, never recover the code.
    pub hash: String,
    /// The code is refused from this instant on (issue + 5 minutes).
    pub expires: Timestamp,
}

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OneTimeCode(expires {})", self.expires)
    }
}

/// What [`Store::check_one_time_code`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code was right and live: it is used up (deleted).
    Valid,
    /// Wrong; `left` more tries of this code are allowed (0: the next
    /// check finds it `Locked`).
    Wrong { left: u32 },
    /// The code was tried wrongly as often as allowed: refused, right or
    /// wrong, until a new code replaces it.
    Locked,
    /// No live code: none was issued, it expired, or it was used.
    Missing,
}

/// A person's 내 예약·신청 sign-in after a verified one-time code, kept by
/// the store (like [`StaffSession`]) so that it ends on the server.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonSession {
    /// A keyed hash of the random id in the cookie (64 hex digits).
    pub id: String,
    /// Whose records the session shows.
    pub person: PersonKey,
    /// When the session ends at the latest (verification + 30 minutes).
    pub expires: Timestamp,
}

impl std::fmt::Debug for PersonSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonSession(expires {})", self.expires)
    }
}

/// Every reservation and application of one person key (purged records
/// carry no key and are not among them).
#[derive(Debug, Clone, Default)]
pub struct PersonRecords {
    /// By day and start time.
    pub reservations: Vec<Reservation>,
    /// Oldest first.
    pub applications: Vec<Application>,
}

/// What a purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub reservations: u64,
    pub applications: u64,
    pub idempotency_records: u64,
    /// Attempt counters past their expiry (see [`Store::count_attempt`]).
    pub attempt_counters: u64,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short name for logs and health ("sqlite", "dynamodb").
    fn kind(&self) -> &'static str;

    /// Writes a new reservation, all or nothing:
    /// * if `idempotency` is set and its key was used before: with the same
    ///   fingerprint, returns the earlier record (as it is now) and token
    ///   with `replayed: true` and writes nothing; with another fingerprint,
    ///   fails `idempotency_conflict`;
    /// * if any slot of the run is held by a reservation whose status
    ///   [holds slots](ReservationStatus::holds_slots), fails `slot_taken`;
    /// * if `quota` is set and the person's minutes held in that week plus
    ///   this run's would exceed the limit, fails `quota_exceeded`;
    /// * if a [closure](Store::create_closure) of the run's facility (whole)
    ///   or equipment covers the run's day, fails `closed`: decided
    ///   atomically with the closures, so a booking racing a closure either
    ///   committed before it (and is among the bookings the closure lists)
    ///   or fails;
    /// * if the code exists already, fails `duplicate_code` (the caller
    ///   retries with a new code);
    /// * otherwise stores the reservation, a hold on each slot, adds the
    ///   run's minutes to the person's week and records the idempotency key.
    ///
    /// Concurrent calls must behave as if run one after another.
    async fn create_reservation(&self, new: NewReservation) -> Result<Created<Reservation>>;

    /// The reservation with this code, if any (purged ones included).
    async fn reservation(&self, code: &ReservationCode) -> Result<Option<Reservation>>;

    /// Changes the status if it is one of `change.from` (else
    /// `invalid_status`; unknown code: `not_found`), atomically with its
    /// effects: moving to a status that does not hold slots releases the
    /// slots and gives the minutes back to the person's weekly quota; moving
    /// to 취소 records `change.cancelled_by` on the reservation.
    async fn set_reservation_status(
        &self,
        code: &ReservationCode,
        change: StatusChange<ReservationStatus>,
    ) -> Result<Reservation>;

    /// Moves a reservation to `mv.to`, all or nothing (unknown code:
    /// `not_found`; another equipment or slot length: `invalid_status`):
    /// * the status must be one of `mv.from`, else `invalid_status`;
    /// * the slots of the old run are released and those of the new run
    ///   held; if any new slot is held by another reservation, fails
    ///   `slot_taken` (slots shared by the old and the new run stay held);
    /// * the old run's minutes are given back to its week and the new run's
    ///   added to its week; with `quota`, if the person's minutes in the new
    ///   week (without the old run's) plus the new run's exceed the limit,
    ///   fails `quota_exceeded`;
    /// * the record's queued messages are cancelled and `mv.messages`
    ///   stored.
    ///
    /// Concurrent moves and bookings behave as if run one after another:
    /// every slot is held by exactly the run its reservation ends with.
    async fn reschedule_reservation(
        &self,
        code: &ReservationCode,
        mv: Reschedule,
    ) -> Result<Reservation>;

    /// Slots of `equipment` held on days `from..=to`.
    async fn taken_slots(&self, equipment: &Id, from: Date, to: Date) -> Result<Vec<TakenSlot>>;

    /// Reservations matching the filter, by day and start time.
    async fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>>;

    /// The person's no-shows and completed trainings.
    async fn person_history(&self, person: &PersonKey) -> Result<PersonHistory>;

    /// Records that `record.person` completed `record.programme` on
    /// `record.completed` (one record per person, programme and day: the
    /// same again changes nothing). Kept by [`Store::purge`] until
    /// [`TrainingRecord::keep_until`], whatever happens to the person's
    /// reservations and applications.
    async fn record_training(&self, record: TrainingRecord) -> Result<()>;

    /// The person's training records, oldest completion first.
    async fn training_records(&self, person: &PersonKey) -> Result<Vec<TrainingRecord>>;

    /// Moves every record still identified by the unkeyed person key of
    /// earlier versions ([`PersonKey::legacy_v1`] of its phone) to the key
    /// made with `secret` ([`PersonKey::of`]), everywhere that key is used:
    /// the reservation or application, the person's weekly quota minutes
    /// (added to what the new key already holds that week), the
    /// one-active-application-per-person guard and the no-show and training
    /// history. Records without personal data (purged) and records whose key
    /// is not the legacy form of their phone (already moved, or written since)
    /// are left alone.
    ///
    /// Each step is atomic (one record, or the whole run), so a run cut
    /// short leaves every invariant intact and the next run finishes the
    /// work; a run with nothing to move changes nothing and returns 0.
    /// Concurrent bookings and status changes are neither lost nor counted
    /// twice.
    ///
    /// * An active application whose person has meanwhile applied to the
    ///   same target under the new key (two active applications: the second
    ///   was made before the first was moved) keeps its legacy key; it is
    ///   logged as a count, staff cancel one of the two, and the next run
    ///   moves the other.
    /// * If a record holds a key that is neither the legacy form nor the form
    ///   under `secret`, the records were made with another secret (a lost or
    ///   replaced secret file, a mistyped `SBIZ_SECRET_ARN`): fails with
    ///   [`Error::Config`](crate::Error::Config) before changing anything,
    ///   because moving records to a wrong secret would detach them from
    ///   every later booking of the same person.
    ///
    /// Returns how many reservations and applications were moved.
    async fn rekey_persons(&self, secret: &crate::domain::ServerKey) -> Result<u64>;

    /// Writes a new application, all or nothing:
    /// * idempotency exactly as in [`Store::create_reservation`];
    /// * if the target is [closed](Store::set_target_closed), fails
    ///   `filled`;
    /// * if the person already has an [active](ApplicationStatus::is_active)
    ///   application to the same target, fails `already_applied`;
    /// * assigns `seq`, the arrival number: higher than every `seq` given
    ///   before in this target (arrival order is `seq` order). Numbers are
    ///   consecutive except that a store may skip one given to a call that
    ///   then wrote nothing (the DynamoDB store, after a failure).
    ///   The status comes from `admission` in arrival order: the first
    ///   `capacity` arrivals enrolled, then waitlisted; when neither a seat
    ///   nor a waitlist place is free, fails `full`;
    /// * if the code exists already, fails `duplicate_code`.
    ///
    /// With capacity N and any number of simultaneous calls of distinct
    /// persons, exactly min(N, calls) end `enrolled` and the others wait in
    /// arrival order (up to `waitlist`).
    async fn apply(&self, new: NewApplication) -> Result<Created<Application>>;

    /// The application with this code, if any.
    async fn application(&self, code: &ApplicationCode) -> Result<Option<Application>>;

    /// Changes the status if it is one of `change.from` (else
    /// `invalid_status`; unknown code: `not_found`). If this frees a seat
    /// (the old status [holds a seat](ApplicationStatus::holds_seat) and the
    /// new one does not), the same atomic step promotes the `waitlisted`
    /// application of the same target with the lowest `seq` to `enrolled`.
    async fn set_application_status(
        &self,
        code: &ApplicationCode,
        change: StatusChange<ApplicationStatus>,
    ) -> Result<ApplicationChange>;

    /// Applications matching the filter, by target then `seq`.
    async fn applications(&self, filter: &ApplicationFilter) -> Result<Vec<Application>>;

    /// Closes `target` to new applications at once (`Some(at)`: staff
    /// marked a job posting filled at `at`), or opens it again (`None`).
    /// Stored, not content: the function knows it without a rebuild. Atomic
    /// with [`Store::apply`]: every application either committed before the
    /// close or fails `filled`. Existing applications are not changed.
    /// Closing a closed target keeps the first time.
    async fn set_target_closed(&self, target: &Target, closed: Option<Timestamp>) -> Result<()>;

    /// When `target` was closed, if it is closed now.
    async fn target_closed(&self, target: &Target) -> Result<Option<Timestamp>>;

    /// Stores a survey response; a second response for the same subject
    /// fails `survey_already_submitted` (atomically: a conditional put).
    async fn submit_survey(&self, response: SurveyResponse) -> Result<()>;

    /// Every response to this survey, oldest first.
    async fn survey_responses(&self, survey: &Id) -> Result<Vec<SurveyResponse>>;

    /// Whether `subject` has already answered `survey` (so that the survey
    /// page can say so instead of offering the form again).
    async fn has_survey_response(
        &self,
        survey: &Id,
        subject: &crate::domain::Subject,
    ) -> Result<bool>;

    /// Stores a new staff session (a session with the same id is replaced).
    async fn create_staff_session(&self, session: StaffSession) -> Result<()>;

    /// The staff session with this id, if it exists (expired ones may still
    /// be returned until purged: the caller checks `expires`).
    async fn staff_session(&self, id: &str) -> Result<Option<StaffSession>>;

    /// Ends a staff session at once (nothing happens for an unknown id).
    async fn end_staff_session(&self, id: &str) -> Result<()>;

    /// Moves a staff session's expiry to `expires` if the session still
    /// exists (one that ended or was purged is never brought back) and
    /// `expires` is later than its current expiry. Returns whether it moved.
    async fn renew_staff_session(&self, id: &str, expires: Timestamp) -> Result<bool>;

    /// Stores a one-time code for `code.person`, replacing any earlier code
    /// of that person (and its count of wrong tries).
    async fn put_one_time_code(&self, code: OneTimeCode) -> Result<()>;

    /// Checks `hash` against the person's live code, in one atomic step
    /// whichever instance asks:
    /// * no code, or one whose `expires` is not after `now`: `Missing`;
    /// * a code already tried wrongly `max_attempts` times: `Locked`;
    /// * the same hash: the code is deleted (used once) and `Valid`;
    /// * another hash: one wrong try is counted and `Wrong { left }` says
    ///   how many remain.
    ///
    /// N simultaneous wrong checks count N tries: never more than
    /// `max_attempts` of them are answered `Wrong`, and of simultaneous
    /// right checks exactly one is `Valid`.
    async fn check_one_time_code(
        &self,
        person: &PersonKey,
        hash: &str,
        now: Timestamp,
        max_attempts: u32,
    ) -> Result<CodeCheck>;

    /// Stores a new person session (a session with the same id is replaced).
    async fn create_person_session(&self, session: PersonSession) -> Result<()>;

    /// The person session with this id, if it exists (expired ones may
    /// still be returned until purged: the caller checks `expires`).
    async fn person_session(&self, id: &str) -> Result<Option<PersonSession>>;

    /// Ends a person session at once (nothing happens for an unknown id).
    async fn end_person_session(&self, id: &str) -> Result<()>;

    /// Every reservation and application whose person key is `person`, with
    /// their personal data (read strongly enough that a record just made
    /// or just moved to this key may lag by at most a second on DynamoDB,
    /// whose index is eventually consistent; a record whose key changed or
    /// was purged is never returned under the old key).
    async fn records_of_person(&self, person: &PersonKey) -> Result<PersonRecords>;

    /// Adds `add` to the attempt counter `key` of the fixed window that
    /// starts at `window_start`, and returns the count after adding. One
    /// atomic step, whichever instance of the function asks: N simultaneous
    /// calls with `add = 1` on a new counter return exactly 1..=N. `add = 0`
    /// only reads (0 for a counter never counted) and writes nothing.
    ///
    /// The counter is kept at least until `expires` (the window's end, or
    /// later); [`Store::purge`] deletes counters whose `expires` is before
    /// `now` (DynamoDB: a TTL attribute too). The caller chooses the key
    /// and the window; keys must hold no personal data: `lookup:<code>` for
    /// 예약 조회 by phone; `my-code:<person key>` and
    /// `my-client:<keyed hash of the address>` for one-time codes.
    async fn count_attempt(
        &self,
        key: &str,
        window_start: Timestamp,
        expires: Timestamp,
        add: u32,
    ) -> Result<u32>;

    /// Blanks the personal fields (person, person key, policy answers) of
    /// reservations and applications whose `purge_after` is before `today`,
    /// drops the free-text answers of their survey responses,
    /// deletes training records kept past their
    /// [`keep_until`](TrainingRecord::keep_until),
    /// deletes idempotency records older than [`IDEMPOTENCY_HOURS`] before
    /// `now`, attempt counters whose `expires` is before `now`, and staff
    /// sessions, person sessions and one-time codes expired before `now`.
    /// Idempotent.
    async fn purge(&self, today: Date, now: Timestamp) -> Result<PurgeReport>;

    // --- The outbox (messages). Items are also written by
    // `create_reservation`, `apply` and the status changes, in the same
    // atomic step as the change; [`Store::purge`] deletes a record's items
    // with its personal data (when `purge_after` is before `today`).

    /// Stores messages for an existing record (a staff resend): `not_found`
    /// when the record does not exist. All or nothing.
    async fn enqueue_messages(
        &self,
        subject: &Subject,
        messages: Vec<NewMessage>,
        now: Timestamp,
    ) -> Result<()>;

    /// Claims up to `limit` queued messages due at `now` (earliest first)
    /// for the dispatcher `owner`: each claimed message gets `attempts + 1`
    /// and is leased to `owner` until `lease_until` (its `due` becomes
    /// `lease_until`, so no other claim takes it before then). Two
    /// simultaneous claims never return the same message. A dispatcher
    /// that dies holding a lease gives the message back when it ends.
    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<OutboxMessage>>;

    /// Ends `owner`'s lease on a claimed message with `outcome`, only if the
    /// message is still queued and leased to `owner` (`false` otherwise:
    /// the lease ran out and another dispatcher took it, or the booking was
    /// cancelled meanwhile). Sent, failed and dropped messages lose their
    /// sealed link token.
    async fn finish_message(
        &self,
        subject: &Subject,
        id: &MessageId,
        owner: &str,
        outcome: MessageOutcome,
    ) -> Result<bool>;

    /// The messages of one record, oldest first (for staff: event, channel,
    /// status, times; the text is never stored).
    async fn messages_of(&self, subject: &Subject) -> Result<Vec<OutboxMessage>>;

    // --- Closures (임시 휴관, 장비 사용 중지) and the staff audit log.

    /// Stores a closure, all or nothing, with one marker per day (of the
    /// facility when `equipment` is `None`, else of the equipment) that
    /// [`Store::create_reservation`] checks in its own atomic step. Existing
    /// reservations are not changed (staff cancel them). At most
    /// [`MAX_CLOSURE_DAYS`](crate::domain::MAX_CLOSURE_DAYS) days.
    async fn create_closure(&self, closure: Closure) -> Result<()>;

    /// Closures whose last day is `from` or later, of `facility` (all
    /// facilities when `None`), by first day.
    async fn closures(&self, facility: Option<&Id>, from: Date) -> Result<Vec<Closure>>;

    /// Removes a closure and its day markers atomically (the days open again
    /// unless another closure covers them); `not_found` for an unknown id.
    async fn remove_closure(&self, id: &str) -> Result<Closure>;

    /// Appends an entry to the audit log. The log is append-only: no method
    /// changes or deletes an entry, and [`Store::purge`] leaves it alone
    /// (entries hold no personal data).
    async fn append_audit(&self, entry: AuditEntry) -> Result<()>;

    /// Audit entries matching the filter, oldest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
}

/// The refusal of a change that the record's status `current` does not
/// allow (a status change or a move that raced another): `invalid_status`,
/// naming the status in the caller's language.
pub(crate) fn invalid_status(current: impl Into<crate::domain::RecordStatus>) -> Error {
    Error::rejected(
        Code::InvalidStatus,
        crate::Msg::StatusNotAllowed(current.into()),
    )
}

/// Whether `to` is a run of the same equipment with the same slot length as
/// `from` (what [`Store::reschedule_reservation`] accepts).
pub(crate) fn same_line(from: &SlotRun, to: &SlotRun) -> bool {
    from.equipment() == to.equipment() && from.slot_minutes() == to.slot_minutes()
}

/// A moved reservation's `purge_after`: shifted by as many days as the
/// reservation moved, so that its retention after use stays the same.
pub(crate) fn moved_purge_after(r: &Reservation, to: &SlotRun) -> Date {
    r.purge_after.add_days(r.run.date().days_until(to.date()))
}

/// The message of the error [`Store::rekey_persons`] gives when records
/// carry person keys made with another server secret.
pub(crate) fn foreign_keys_error(records: u64) -> crate::Error {
    crate::Error::Config(format!(
        "{records} record(s) carry person keys made with another server secret: \
         is SBIZ_SECRET_FILE / SBIZ_SECRET_ARN the secret the records were made with? \
         No person key was changed"
    ))
}

/// What [`Store::rekey_persons`] makes of one stored record: `None` when it
/// is left alone (no personal data, or already keyed with `secret`), the new
/// key when it holds the legacy one, and an error for a key made with
/// another secret.
pub(crate) fn rekeyed(
    secret: &crate::domain::ServerKey,
    phone: &sbiz_catalog::Phone,
    stored: &PersonKey,
) -> std::result::Result<Option<PersonKey>, ForeignKey> {
    if *stored == PersonKey::legacy_v1(phone) {
        Ok(Some(PersonKey::of(secret, phone)))
    } else if *stored == PersonKey::of(secret, phone) {
        Ok(None)
    } else {
        Err(ForeignKey)
    }
}

/// A stored person key that is neither the legacy form nor made with the
/// secret at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ForeignKey;
