//! The dispatcher: claims due messages from the outbox, renders each from
//! its template, sends it and records the outcome.
//!
//! Delivery is at least once. A message is claimed with a lease (its due
//! time moves to the lease's end, so no other dispatcher takes it), sent,
//! then marked sent on the condition that the lease is still ours. If the
//! process dies after the provider accepted the message and before the
//! mark, the lease runs out and the message is sent again: one duplicate,
//! at most once per crash in that window (milliseconds: the mark follows
//! each send at once, never batched). E-mails keep their `Message-ID`
//! (the message id) across attempts, so mail clients may fold the copy.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sbiz_catalog::{Catalog, Channel, MessageTemplate};

use super::{Channels, Outgoing, SendError, e164};
use crate::Result;
use crate::domain::{MessageOutcome, OutboxMessage, Person, Subject};
use crate::store::Store;

/// Leases, retries and backoff.
#[derive(Debug, Clone, Copy)]
pub struct DispatchPolicy {
    /// How long a claimed message is reserved for its dispatcher; longer
    /// than any send may take (SMTP and the AWS clients time out sooner).
    pub lease: Duration,
    /// Attempts before a message is given up (status `failed`).
    pub max_attempts: u32,
    /// Backoff after the n-th failed attempt: `base · 2^(n-1)`, at most `cap`.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Messages sent at the same time.
    pub concurrency: usize,
}

impl Default for DispatchPolicy {
    fn default() -> DispatchPolicy {
        DispatchPolicy {
            lease: Duration::from_secs(120),
            max_attempts: 8,
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(3600),
            concurrency: 16,
        }
    }
}

impl DispatchPolicy {
    /// The wait after `attempts` failed attempts.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32 << attempts.saturating_sub(1).min(20);
        self.backoff_base
            .checked_mul(factor)
            .unwrap_or(self.backoff_cap)
            .min(self.backoff_cap)
    }
}

/// What one [`dispatch_due`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub claimed: usize,
    pub sent: usize,
    /// Failed, to be tried again later.
    pub retried: usize,
    /// Given up after the last attempt.
    pub failed: usize,
    /// Not sendable: no recipient (purged, no e-mail, not a mobile number).
    pub dropped: usize,
    /// Sent, but the lease had ended or the booking changed before the mark.
    pub lost_lease: usize,
}

/// Claims up to `limit` messages due at `now` and sends them with
/// `channels`, rendering each from `catalog`'s templates. Each message ends
/// sent, retried later (backoff), failed (after `policy.max_attempts`) or
/// dropped (no recipient).
pub async fn dispatch_due(
    store: Arc<dyn Store>,
    channels: Arc<Channels>,
    catalog: Arc<Catalog>,
    now: Timestamp,
    limit: usize,
) -> Result<DispatchReport> {
    dispatch_with(
        store,
        channels,
        catalog,
        now,
        limit,
        DispatchPolicy::default(),
    )
    .await
}

/// [`dispatch_due`] with an explicit policy.
pub async fn dispatch_with(
    store: Arc<dyn Store>,
    channels: Arc<Channels>,
    catalog: Arc<Catalog>,
    now: Timestamp,
    limit: usize,
    policy: DispatchPolicy,
) -> Result<DispatchReport> {
    let mut owner = [0u8; 12];
    crate::domain::random_bytes(&mut owner);
    let owner = hex::encode(owner);
    let lease_until = now
        .checked_add(SignedDuration::try_from(policy.lease).unwrap_or(SignedDuration::MAX))
        .unwrap_or(now);
    let claimed = store
        .claim_messages(now, lease_until, &owner, limit)
        .await?;
    let mut report = DispatchReport {
        claimed: claimed.len(),
        ..DispatchReport::default()
    };
    let owner: Arc<str> = owner.into();
    let mut tasks = tokio::task::JoinSet::new();
    let mut queue = claimed.into_iter();
    loop {
        while tasks.len() < policy.concurrency.max(1) {
            let Some(m) = queue.next() else { break };
            let (store, channels, catalog, owner) = (
                store.clone(),
                channels.clone(),
                catalog.clone(),
                owner.clone(),
            );
            tasks.spawn(async move {
                deliver(&*store, &channels, &catalog, &owner, m, now, policy).await
            });
        }
        let Some(done) = tasks.join_next().await else {
            break;
        };
        match done {
            Ok(Ok(Delivered::Sent)) => report.sent += 1,
            Ok(Ok(Delivered::Retried)) => report.retried += 1,
            Ok(Ok(Delivered::Failed)) => report.failed += 1,
            Ok(Ok(Delivered::Dropped)) => report.dropped += 1,
            Ok(Ok(Delivered::LostLease)) => report.lost_lease += 1,
            // The store failed while recording: the lease runs out and the
            // message is claimed again.
            Ok(Err(e)) => tracing::warn!(error = %e, "dispatch: recording an outcome failed"),
            Err(e) => tracing::error!(error = %e, "dispatch: a send task failed"),
        }
    }
    if report.claimed > 0 {
        tracing::info!(
            claimed = report.claimed,
            sent = report.sent,
            retried = report.retried,
            failed = report.failed,
            dropped = report.dropped,
            lost_lease = report.lost_lease,
            "dispatched messages"
        );
    }
    Ok(report)
}

enum Delivered {
    Sent,
    Retried,
    Failed,
    Dropped,
    LostLease,
}

async fn deliver(
    store: &dyn Store,
    channels: &Channels,
    catalog: &Catalog,
    owner: &str,
    m: OutboxMessage,
    now: Timestamp,
    policy: DispatchPolicy,
) -> Result<Delivered> {
    let finish = |outcome: MessageOutcome| store.finish_message(&m.subject, &m.id, owner, outcome);
    let (event, channel) = (m.event.as_str(), m.channel.as_str());
    let fail = |code: &str| -> (MessageOutcome, Delivered) {
        if m.attempts >= policy.max_attempts {
            tracing::warn!(id = %m.id, event, channel, error = code, attempts = m.attempts, "message failed for good");
            (
                MessageOutcome::Failed {
                    at: now,
                    error: code.to_owned(),
                },
                Delivered::Failed,
            )
        } else {
            let wait =
                SignedDuration::try_from(policy.backoff(m.attempts)).unwrap_or(SignedDuration::MAX);
            tracing::info!(id = %m.id, event, channel, error = code, attempts = m.attempts, "message will be retried");
            (
                MessageOutcome::Retry {
                    at: now,
                    error: code.to_owned(),
                    next_due: now.checked_add(wait).unwrap_or(now),
                },
                Delivered::Retried,
            )
        }
    };
    let drop = |code: &str| {
        tracing::info!(id = %m.id, event, channel, reason = code, "message not sendable");
        (
            MessageOutcome::Dropped {
                at: now,
                error: code.to_owned(),
            },
            Delivered::Dropped,
        )
    };
    let (outcome, delivered) = 'decide: {
        let Some(sender) = channels.sender(m.channel) else {
            break 'decide fail("channel_not_configured");
        };
        let Some(template) = catalog.messages.template(m.event) else {
            break 'decide fail("no_template");
        };
        if m.event.to_employer() {
            let (to, application) = match employer_copy(store, catalog, &m.subject).await {
                Ok(Some(found)) => found,
                Ok(None) => break 'decide drop("no_recipient"),
                Err(_) => break 'decide fail("store_unavailable"),
            };
            if m.channel != Channel::Email {
                break 'decide drop("no_email");
            }
            let mut with_application = m.clone();
            with_application
                .params
                .insert("application".into(), application);
            let Some(outgoing) = render(channels, catalog, template, &with_application, to) else {
                break 'decide fail("link_unreadable");
            };
            break 'decide send(sender.as_ref(), &outgoing, now, &fail, &m).await;
        }
        let person = match recipient(store, &m.subject).await {
            Ok(Some(p)) => p,
            Ok(None) => break 'decide drop("no_recipient"),
            Err(_) => break 'decide fail("store_unavailable"),
        };
        let to = match m.channel {
            Channel::Sms | Channel::Kakao => match e164(&person.phone) {
                Some(n) => n,
                None => break 'decide drop("not_a_mobile_number"),
            },
            Channel::Email => match &person.email {
                Some(e) => e.as_str().to_owned(),
                None => break 'decide drop("no_email"),
            },
        };
        let Some(outgoing) = render(channels, catalog, template, &m, to) else {
            break 'decide fail("link_unreadable");
        };
        send(sender.as_ref(), &outgoing, now, &fail, &m).await
    };
    if finish(outcome).await? {
        if matches!(delivered, Delivered::Sent) {
            tracing::debug!(id = %m.id, event, channel, "message sent");
        }
        Ok(delivered)
    } else {
        tracing::warn!(id = %m.id, event, channel, "message lease ended before its outcome was recorded");
        Ok(Delivered::LostLease)
    }
}

/// Hands a rendered message to its provider and says how it ended.
async fn send(
    sender: &dyn super::Sender,
    outgoing: &Outgoing,
    now: Timestamp,
    fail: &(dyn Fn(&str) -> (MessageOutcome, Delivered) + Sync),
    m: &OutboxMessage,
) -> (MessageOutcome, Delivered) {
    match sender.send(outgoing).await {
        Ok(()) => (MessageOutcome::Sent { at: now }, Delivered::Sent),
        Err(SendError::Transient(code)) => fail(&code),
        Err(SendError::Permanent(code)) => {
            tracing::warn!(
                id = %m.id, event = m.event.as_str(), channel = m.channel.as_str(), error = %code,
                "provider refused a message"
            );
            (
                MessageOutcome::Failed {
                    at: now,
                    error: code,
                },
                Delivered::Failed,
            )
        }
    }
}

/// The employer's address (the posting's `employer_email`) and the
/// application as the employer reads it: the applicant's name, phone and
/// e-mail and their answers under the form's labels. Read when sending,
/// never stored in the outbox; `None` once the application is purged or
/// when the posting names no employer e-mail (any more).
async fn employer_copy(
    store: &dyn Store,
    catalog: &Catalog,
    subject: &Subject,
) -> Result<Option<(String, String)>> {
    let Subject::Application(code) = subject else {
        return Ok(None);
    };
    let Some(a) = store.application(code).await? else {
        return Ok(None);
    };
    let (Some(person), Some(job)) = (&a.person, catalog.job(a.target.id.as_str())) else {
        return Ok(None);
    };
    let Some(to) = job.employer_email.clone() else {
        return Ok(None);
    };
    let mut lines = vec![
        format!("이름: {}", person.name.as_str()),
        format!("휴대전화 번호: {}", person.phone.as_str()),
    ];
    if let Some(e) = &person.email {
        lines.push(format!("이메일: {}", e.as_str()));
    }
    for field in &job.form {
        if let Some(v) = a.answers.get(field.id.as_str()).filter(|v| !v.is_empty()) {
            let v = match field.kind {
                sbiz_catalog::FieldKind::Checkbox if sbiz_catalog::truthy(v) => "예",
                _ => v.as_str(),
            };
            lines.push(format!("{}: {v}", field.label));
        }
    }
    Ok(Some((to, lines.join("\n"))))
}

/// The person behind a message's record (`None` once purged).
async fn recipient(store: &dyn Store, subject: &Subject) -> Result<Option<Person>> {
    Ok(match subject {
        Subject::Reservation(c) => store.reservation(c).await?.and_then(|r| r.person),
        Subject::Application(c) => store.application(c).await?.and_then(|a| a.person),
    })
}

/// The text of a message from its template and parameters, with the site's
/// name and the opened link (see [`super::text`]: a line of absent values
/// is left out, a 문자 stays within an LMS). `None` when a sealed link does
/// not open.
pub(crate) fn render(
    channels: &Channels,
    catalog: &Catalog,
    template: &MessageTemplate,
    m: &OutboxMessage,
    to: String,
) -> Option<Outgoing> {
    let mut params = m.params.clone();
    // A message about a record made in English is written in English
    // (`lang` is set when it was queued; see `service::notify`).
    let lang = match params.remove("lang").as_deref() {
        Some("en") => sbiz_catalog::Lang::En,
        _ => sbiz_catalog::Lang::Ko,
    };
    let (sms, subject, body) = template.text(lang);
    let site = match (lang, &catalog.messages.site_name_en) {
        (sbiz_catalog::Lang::En, Some(en)) => en.clone(),
        _ => catalog.messages.site_name.clone(),
    };
    params.insert("site".into(), site);
    if let Some(link) = &m.link {
        let path = link.open(&channels.secret, &m.id)?;
        let base = channels
            .public_base
            .clone()
            .unwrap_or_else(|| catalog.origin.trim_end_matches('/').to_owned());
        params.insert("link".into(), format!("{base}{path}"));
    }
    let fill = |t: &str| super::text::fill(t, &params);
    Some(match m.channel {
        Channel::Email => Outgoing {
            id: m.id.clone(),
            to,
            subject: fill(subject),
            body: fill(body),
        },
        Channel::Sms | Channel::Kakao => Outgoing {
            id: m.id.clone(),
            to,
            subject: fill(subject),
            body: super::text::fill_sms(sms, &params),
        },
    })
}

/// How often `sbiz serve` and the plain server look for due messages
/// (`SBIZ_DISPATCH_SECONDS` overrides it, e.g. for tests): a message is
/// sent at most this long after its change was committed. On AWS the
/// stack's schedule invokes the function every minute instead.
pub const DISPATCH_EVERY: Duration = Duration::from_secs(10);

/// The messages claimed per [`dispatch_due`] call while draining.
pub const DISPATCH_BATCH: usize = 100;

/// The dispatch interval: `SBIZ_DISPATCH_SECONDS` (1 to 86,400) or
/// [`DISPATCH_EVERY`].
pub fn dispatch_every_from_env() -> Result<Duration> {
    match std::env::var("SBIZ_DISPATCH_SECONDS") {
        Err(_) => Ok(DISPATCH_EVERY),
        Ok(v) if v.trim().is_empty() => Ok(DISPATCH_EVERY),
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=86_400).contains(s))
            .map(Duration::from_secs)
            .ok_or_else(|| {
                crate::Error::Config(format!(
                    "SBIZ_DISPATCH_SECONDS={v}: expected a number of seconds from 1 to 86400"
                ))
            }),
    }
}

/// Sends everything due now with the state's channels, [`DISPATCH_BATCH`]
/// at a time, until nothing due is left or `until` has passed (checked
/// before each batch; a batch in flight finishes, each send being bounded
/// by its provider's timeout). The reports of the batches are added up.
pub async fn drain_due(
    state: &crate::AppState,
    until: Option<std::time::Instant>,
) -> Result<DispatchReport> {
    let mut total = DispatchReport::default();
    loop {
        if until.is_some_and(|u| std::time::Instant::now() >= u) {
            break;
        }
        let now = state.service().now().at;
        let store = state.service().store.clone();
        let r = dispatch_due(
            store,
            state.channels(),
            state.catalog(),
            now,
            DISPATCH_BATCH,
        )
        .await?;
        total.claimed += r.claimed;
        total.sent += r.sent;
        total.retried += r.retried;
        total.failed += r.failed;
        total.dropped += r.dropped;
        total.lost_lease += r.lost_lease;
        if r.claimed < DISPATCH_BATCH {
            break;
        }
    }
    Ok(total)
}

/// Sets `channels` on the state, logs which channels send
/// ([`Channels::report`]) and runs [`drain_due`] every `every` (as of the
/// state's clock) until the task is aborted: the background task of `sbiz
/// serve` and the plain server. On AWS a scheduled event runs the
/// `dispatch` task instead.
pub fn spawn_dispatcher(
    state: crate::AppState,
    channels: Arc<Channels>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    channels.report();
    state.set_channels(channels);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = drain_due(&state, None).await {
                tracing::error!(error = %e, "dispatch failed; retrying at the next interval");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = DispatchPolicy::default();
        assert_eq!(p.backoff(1), Duration::from_secs(30));
        assert_eq!(p.backoff(2), Duration::from_secs(60));
        assert_eq!(p.backoff(5), Duration::from_secs(480));
        assert_eq!(p.backoff(30), Duration::from_secs(3600));
    }
}
