//! 내 예약·신청 (`/my/`): a person proves they hold a phone with a 6-digit
//! 인증번호 sent to it by 문자, then sees, for 30 minutes, every current
//! reservation and application made with that phone, and may view, cancel
//! and answer the survey of each.
//!
//! * The code is sent at once through the 문자 channel (not the outbox:
//!   no record changes with it), rendered from the catalog's
//!   `one_time_code` template. It is always sent, whether or not the phone
//!   has records: the answer, its timing and the message are the same
//!   either way, so nobody learns from `/my/` whether a number booked
//!   anything; only the holder of the phone sees the (possibly empty) list.
//! * The store keeps only a keyed hash of the code, bound to the person key
//!   (the phone's HMAC), for 5 minutes; at most [`MY_CODE_TRIES`] wrong
//!   tries per code, [`MY_CODES_PER_PHONE`] codes per phone and hour,
//!   [`MY_WRONG_PER_PHONE`] wrong codes per phone and day, and
//!   [`MY_CODES_PER_CLIENT`] code requests per client address and hour
//!   (counters in the store, shared by every instance).
//! * Between the two steps a short-lived cookie remembers the person key,
//!   signed with the server secret (never the phone number).
//! * The session is a random id in a cookie signed with the server secret,
//!   kept in the store by a keyed hash with the person key and its expiry
//!   (as staff sessions are), so ending it ends it everywhere at once.
//! * Every action from the list checks that the record's person key is the
//!   session's: the management token (stored only hashed) is not needed,
//!   and a code of someone else's record looks exactly like an unknown one.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use sbiz_catalog::{Catalog, Channel, Date, MessageEvent, Phone, TimeOfDay};

use super::{Service, SurveyTarget, application_not_found, reservation_not_found};
use crate::domain::{
    Application, ApplicationCode, MessageId, PersonKey, Reservation, ReservationCode, TargetKind,
    VerificationCode, Window, kst_parts, random_bytes,
};
use crate::messaging::{Channels, Outgoing, e164};
use crate::store::{ApplicationChange, CodeCheck, OneTimeCode, PersonSession};
use crate::{Code, Error, FieldErrors, Msg, Result};

/// How long a code can be used.
pub const MY_CODE_MINUTES: i64 = 5;
/// Wrong tries allowed per code; the code is then refused, right or wrong.
pub const MY_CODE_TRIES: u32 = 5;
/// Codes sent to one phone in one hour.
pub const MY_CODES_PER_PHONE: u32 = 5;
/// Wrong codes typed for one phone in one day (24-hour window); then no
/// code is checked or sent for it until the window ends.
pub const MY_WRONG_PER_PHONE: u32 = 10;
/// Code requests from one client address in one hour.
pub const MY_CODES_PER_CLIENT: u32 = 20;
/// How long a 내 예약·신청 session lasts.
pub const MY_SESSION_SECONDS: i64 = 30 * 60;
/// How long the cookie between sending and typing the code lives: the
/// code's life and 5 minutes more, so that a late try is told the code
/// expired rather than asked for the phone again.
pub const MY_PENDING_SECONDS: i64 = (MY_CODE_MINUTES + 5) * 60;
/// Records whose last day (or last change) is at most this many days ago
/// are still listed: a finished reservation's survey, a policy's decision.
pub const MY_RECENT_DAYS: i32 = 30;

const PENDING_PURPOSE: &str = "my-code-pending";
const SESSION_PURPOSE: &str = "my-session";
const COOKIE_VERSION: &str = "v1";

/// A code on its way: the cookie that remembers to whom, and when the
/// code stops working.
#[derive(Debug, Clone)]
pub struct CodeSent {
    pub pending: String,
    pub expires: Timestamp,
}

/// A verified person: the session cookie and its end.
#[derive(Debug, Clone)]
pub struct MySignIn {
    pub cookie: String,
    pub expires: Timestamp,
}

/// A live 내 예약·신청 session.
#[derive(Debug, Clone)]
pub struct MySession {
    pub person: PersonKey,
    pub expires: Timestamp,
}

/// The current records of a person (see [`Service::my_records`]).
#[derive(Debug, Clone, Default)]
pub struct MyRecords {
    /// By day and start time.
    pub reservations: Vec<Reservation>,
    /// Oldest first.
    pub applications: Vec<Application>,
}

fn sms_not_configured() -> Error {
    Error::rejected(Code::SmsUnavailable, Msg::SmsNotConfigured)
}

fn too_many(until: Timestamp, what: fn(Date, TimeOfDay) -> Msg) -> Error {
    let (d, t) = kst_parts(until);
    Error::rejected(Code::TooManyAttempts, what(d, t))
}

fn code_error(code: Code, message: Msg) -> Error {
    Error::Rejected {
        code,
        message: message.clone(),
        fields: FieldErrors::from([("code".to_owned(), message)]),
    }
}

/// An address as an attempt counter's key may hold it: a keyed hash.
fn client_key(svc: &Service, client: &str) -> String {
    let mac = svc.secret.mac("my-client", &[client.as_bytes()]);
    format!("my-client:{}", hex::encode(&mac[..16]))
}

fn phone_key(person: &PersonKey) -> String {
    format!("my-code:{}", person.as_str())
}

fn wrong_key(person: &PersonKey) -> String {
    format!("my-wrong:{}", person.as_str())
}

impl Service {
    /// Sends a 인증번호 to `phone` (always: see the module), after the rate
    /// limits of `client` (the caller's address) and of the phone.
    pub async fn send_my_code(
        &self,
        catalog: &Catalog,
        channels: &Channels,
        phone: &Phone,
        client: &str,
        lang: sbiz_catalog::Lang,
    ) -> Result<CodeSent> {
        let sender = channels
            .sender(Channel::Sms)
            .cloned()
            .ok_or_else(sms_not_configured)?;
        let template = catalog
            .messages
            .template(MessageEvent::OneTimeCode)
            .ok_or_else(sms_not_configured)?;
        let to = e164(phone).ok_or_else(|| Error::field("phone", Msg::SmsPhone))?;
        let now = self.now().at;
        let person = PersonKey::of(&self.secret, phone);
        let hour = Window::containing(now, 60);
        let day = Window::containing(now, 24 * 60);
        // The client first, so that one client cannot use up a phone's codes.
        let sent = self
            .store
            .count_attempt(&client_key(self, client), hour.start, hour.end, 1)
            .await?;
        if sent > MY_CODES_PER_CLIENT {
            tracing::info!("one-time codes: client limit");
            return Err(too_many(hour.end, Msg::DeviceLocked));
        }
        let wrong = self
            .store
            .count_attempt(&wrong_key(&person), day.start, day.end, 0)
            .await?;
        if wrong >= MY_WRONG_PER_PHONE {
            return Err(too_many(day.end, Msg::WrongCodesLocked));
        }
        let sent = self
            .store
            .count_attempt(&phone_key(&person), hour.start, hour.end, 1)
            .await?;
        if sent > MY_CODES_PER_PHONE {
            tracing::info!("one-time codes: phone limit");
            return Err(too_many(hour.end, Msg::PhoneLocked));
        }
        let code = VerificationCode::generate();
        let expires = now
            .checked_add(SignedDuration::from_mins(MY_CODE_MINUTES))
            .unwrap_or(now);
        self.store
            .put_one_time_code(OneTimeCode {
                hash: code.hash(&self.secret, &person),
                person: person.clone(),
                expires,
            })
            .await?;
        // In English when asked from the English edition's page.
        let site = match (lang, &catalog.messages.site_name_en) {
            (sbiz_catalog::Lang::En, Some(en)) => en.clone(),
            _ => catalog.messages.site_name.clone(),
        };
        let params = BTreeMap::from([
            ("site".to_owned(), site),
            ("code".to_owned(), code.reveal()),
            ("minutes".to_owned(), MY_CODE_MINUTES.to_string()),
        ]);
        let (sms, subject, _) = template.text(lang);
        let message = Outgoing {
            id: MessageId::generate(),
            to,
            subject: sbiz_catalog::render(subject, &params),
            body: sbiz_catalog::render(sms, &params),
        };
        if let Err(e) = sender.send(&message).await {
            tracing::warn!(
                provider = sender.provider(),
                error = e.code(),
                "one-time code not sent"
            );
            return Err(Error::rejected(Code::SmsUnavailable, Msg::SmsNotSent));
        }
        tracing::info!(provider = sender.provider(), "one-time code sent");
        let pending = self.signed_cookie(
            COOKIE_VERSION,
            PENDING_PURPOSE,
            person.as_str(),
            now.as_second() + MY_PENDING_SECONDS,
        );
        Ok(CodeSent { pending, expires })
    }

    /// Whether a code is on its way for the holder of this cookie (the
    /// code form is shown only then).
    pub fn my_code_pending(&self, pending: &str) -> bool {
        self.pending_person(pending).is_some()
    }

    fn pending_person(&self, pending: &str) -> Option<PersonKey> {
        let now = self.now().at.as_second();
        let (raw, expires) = self.open_cookie(pending, COOKIE_VERSION, PENDING_PURPOSE)?;
        if now >= expires || expires - now > MY_PENDING_SECONDS {
            return None;
        }
        PersonKey::try_from(raw).ok()
    }

    /// Checks a typed code for the person the pending cookie names and, if
    /// right, opens a 30-minute session.
    pub async fn verify_my_code(&self, pending: Option<&str>, typed: &str) -> Result<MySignIn> {
        let person = pending
            .and_then(|p| self.pending_person(p))
            .ok_or_else(|| Error::rejected(Code::NotFound, Msg::CodeTimeUp))?;
        let code =
            VerificationCode::parse(typed).map_err(|e| code_error(Code::InvalidInput, e.0))?;
        let now = self.now().at;
        let day = Window::containing(now, 24 * 60);
        let wrong = self
            .store
            .count_attempt(&wrong_key(&person), day.start, day.end, 0)
            .await?;
        if wrong >= MY_WRONG_PER_PHONE {
            return Err(too_many(day.end, Msg::WrongCodesLocked));
        }
        let hash = code.hash(&self.secret, &person);
        match self
            .store
            .check_one_time_code(&person, &hash, now, MY_CODE_TRIES)
            .await?
        {
            CodeCheck::Valid => {
                tracing::info!("one-time code verified");
                self.open_my_session(person).await
            }
            CodeCheck::Wrong { left } => {
                self.store
                    .count_attempt(&wrong_key(&person), day.start, day.end, 1)
                    .await?;
                tracing::info!(left, "one-time code wrong");
                Err(code_error(
                    Code::InvalidInput,
                    if left > 0 {
                        Msg::CodeWrong(left)
                    } else {
                        Msg::CodeWrongSpent
                    },
                ))
            }
            CodeCheck::Locked => Err(code_error(
                Code::TooManyAttempts,
                Msg::CodeLocked(MY_CODE_TRIES),
            )),
            CodeCheck::Missing => Err(code_error(
                Code::InvalidInput,
                Msg::CodeExpired(MY_CODE_MINUTES),
            )),
        }
    }

    async fn open_my_session(&self, person: PersonKey) -> Result<MySignIn> {
        let mut raw = [0u8; 16];
        random_bytes(&mut raw);
        let raw = hex::encode(raw);
        let now = self.now().at;
        let expires = now.as_second() + MY_SESSION_SECONDS;
        let cookie = self.signed_cookie(COOKIE_VERSION, SESSION_PURPOSE, &raw, expires);
        let expires = Timestamp::from_second(expires).unwrap_or(Timestamp::MAX);
        self.store
            .create_person_session(PersonSession {
                id: self.my_session_id(&raw),
                person,
                expires,
            })
            .await?;
        Ok(MySignIn { cookie, expires })
    }

    fn my_session_id(&self, raw: &str) -> String {
        hex::encode(self.secret.mac("my-session-id", &[raw.as_bytes()]))
    }

    /// The session of a cookie, or `None` for one that is forged, expired,
    /// ended or unknown.
    pub async fn my_session(&self, cookie: &str) -> Result<Option<MySession>> {
        let now = self.now().at.as_second();
        let Some((raw, expires)) = self.open_cookie(cookie, COOKIE_VERSION, SESSION_PURPOSE) else {
            return Ok(None);
        };
        if now >= expires || expires - now > MY_SESSION_SECONDS {
            return Ok(None);
        }
        Ok(self
            .store
            .person_session(&self.my_session_id(&raw))
            .await?
            .filter(|s| s.expires.as_second() == expires && now < expires)
            .map(|s| MySession {
                person: s.person,
                expires: s.expires,
            }))
    }

    /// Ends the session of this cookie on the server.
    pub async fn end_my_session(&self, cookie: &str) -> Result<()> {
        match self.open_cookie(cookie, COOKIE_VERSION, SESSION_PURPOSE) {
            Some((raw, _)) => {
                self.store
                    .end_person_session(&self.my_session_id(&raw))
                    .await
            }
            None => Ok(()),
        }
    }

    /// The person's current records: not purged, and whose last day (the
    /// reservation's day; a programme's last session; a policy's closing
    /// day; a job posting's deadline) is at most [`MY_RECENT_DAYS`] ago,
    /// or that changed within as many days.
    pub async fn my_records(&self, catalog: &Catalog, session: &MySession) -> Result<MyRecords> {
        let now = self.now();
        let since = now.date.add_days(-MY_RECENT_DAYS);
        let changed_since = now
            .at
            .checked_sub(SignedDuration::from_hours(24 * i64::from(MY_RECENT_DAYS)))
            .unwrap_or(now.at);
        let all = self.store.records_of_person(&session.person).await?;
        let reservations = all
            .reservations
            .into_iter()
            .filter(|r| r.person.is_some())
            .filter(|r| r.run.date() >= since || r.updated_at >= changed_since)
            .collect();
        let applications = all
            .applications
            .into_iter()
            .filter(|a| a.person.is_some())
            .filter(|a| {
                last_day(catalog, a).is_none_or(|d| d >= since) || a.updated_at >= changed_since
            })
            .collect();
        Ok(MyRecords {
            reservations,
            applications,
        })
    }

    /// One of the session's reservations; someone else's looks unknown.
    pub async fn my_reservation(
        &self,
        session: &MySession,
        code: &ReservationCode,
    ) -> Result<Reservation> {
        self.store
            .reservation(code)
            .await?
            .filter(|r| r.person_key.as_ref() == Some(&session.person))
            .ok_or_else(reservation_not_found)
    }

    /// Cancels one of the session's reservations, with the rules of the
    /// management link (status, deadline).
    pub async fn cancel_my_reservation(
        &self,
        catalog: &Catalog,
        session: &MySession,
        code: &ReservationCode,
    ) -> Result<Reservation> {
        let r = self.my_reservation(session, code).await?;
        self.cancel_held_reservation(catalog, r).await
    }

    /// One of the session's applications; someone else's looks unknown.
    pub async fn my_application(
        &self,
        session: &MySession,
        code: &ApplicationCode,
    ) -> Result<Application> {
        self.store
            .application(code)
            .await?
            .filter(|a| a.person_key.as_ref() == Some(&session.person))
            .ok_or_else(application_not_found)
    }

    /// Withdraws one of the session's applications, with the rules of the
    /// management link.
    pub async fn cancel_my_application(
        &self,
        catalog: &Catalog,
        session: &MySession,
        code: &ApplicationCode,
    ) -> Result<ApplicationChange> {
        let a = self.my_application(session, code).await?;
        self.cancel_held_application(catalog, a).await
    }

    /// The open survey of one of the session's reservations.
    pub async fn my_reservation_survey<'c>(
        &self,
        catalog: &'c Catalog,
        session: &MySession,
        code: &ReservationCode,
    ) -> Result<SurveyTarget<'c>> {
        let r = self.my_reservation(session, code).await?;
        self.reservation_survey(catalog, r)
    }

    /// The open survey of one of the session's applications.
    pub async fn my_application_survey<'c>(
        &self,
        catalog: &'c Catalog,
        session: &MySession,
        code: &ApplicationCode,
    ) -> Result<SurveyTarget<'c>> {
        let a = self.my_application(session, code).await?;
        self.application_survey(catalog, a)
    }
}

/// The last day an application is about, from the catalog; `None` when
/// its target is no longer in the catalog (then it is listed until purged).
fn last_day(catalog: &Catalog, a: &Application) -> Option<Date> {
    let id = a.target.id.as_str();
    match a.target.kind {
        TargetKind::Programme => catalog
            .programme(id)
            .map(|p| p.ends().map(|(d, _)| d).unwrap_or(p.apply_until)),
        TargetKind::Policy => catalog.policy(id).map(|p| p.apply_until),
        TargetKind::Job => catalog.job(id).map(|j| j.deadline),
    }
}
