//! The Lambda entry point: one function answers two kinds of events.
//!
//! * API Gateway HTTP API events (payload 2.0): parsed by `lambda_http`
//!   exactly as `lambda_http::run` does, answered by the [router](crate::router).
//! * Scheduled events: a JSON object with `"sbiz": "scheduled"`, which the
//!   stack's EventBridge Scheduler schedules send as their input
//!   (`deploy/template.yaml`: `DispatchScheduleRule` every minute with
//!   `"tasks": ["dispatch"]`, `TaskScheduleRule` with `"tasks": ["purge"]`,
//!   hourly by default). It runs the
//!   [scheduled tasks](crate::ops::ScheduledTask): all of them, or those named
//!   in `"tasks"`. A failing task fails the invocation, so Lambda counts an
//!   error (the stack's `Errors` alarm) and the scheduler may retry.
//!
//! The dispatch sends due messages in batches and starts no batch once
//! less than [`DISPATCH_MARGIN`] is left before the invocation's deadline
//! (and never runs longer than [`DISPATCH_BUDGET`]); what is left is sent
//! by the next minute's invocation.
//!
//! ```json
//! {"sbiz": "scheduled"}
//! {"sbiz": "scheduled", "tasks": ["dispatch"]}
//! {"sbiz": "scheduled", "tasks": ["purge"]}
//! ```

use std::time::{Duration, Instant};

use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::ServiceExt;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::AppState;
use crate::ops::{ScheduledTask, run_scheduled};
use crate::{Error, router};

/// The value of `"sbiz"` that marks a scheduled event.
pub const SCHEDULED: &str = "scheduled";

/// The time a scheduled dispatch leaves before the invocation's deadline:
/// no batch of messages starts later (a batch's sends are bounded by the
/// providers' timeouts, 20 s for SMTP, and the AWS clients' defaults).
pub const DISPATCH_MARGIN: Duration = Duration::from_secs(8);

/// The longest a scheduled dispatch keeps starting batches, whatever the
/// function's timeout: the next invocation comes a minute later.
pub const DISPATCH_BUDGET: Duration = Duration::from_secs(45);

/// When a scheduled run started at `start` stops starting batches, for an
/// invocation whose deadline is `deadline_ms` (milliseconds since the Unix
/// epoch, as Lambda's context gives it; 0 when unknown).
pub fn dispatch_until(start: Instant, deadline_ms: u64) -> Instant {
    let budget = if deadline_ms == 0 {
        DISPATCH_BUDGET
    } else {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        Duration::from_millis(deadline_ms.saturating_sub(now_ms))
            .saturating_sub(DISPATCH_MARGIN)
            .min(DISPATCH_BUDGET)
    };
    start + budget
}

/// An event the function was invoked with.
#[derive(Debug)]
pub enum Event {
    /// A request through the HTTP API.
    Http(Box<LambdaRequest>),
    /// A scheduled invocation, with the tasks to run.
    Scheduled(Vec<ScheduledTask>),
}

/// The fields that tell a scheduled event from an HTTP one; HTTP API events
/// never have a top-level `sbiz`.
#[derive(Deserialize)]
struct Marker {
    sbiz: Option<String>,
    tasks: Option<Vec<String>>,
}

impl Event {
    /// Reads an invocation payload.
    pub fn parse(payload: &str) -> Result<Event, Error> {
        let marker: Option<Marker> = serde_json::from_str(payload).ok();
        match marker {
            Some(Marker {
                sbiz: Some(kind),
                tasks,
            }) => {
                if kind != SCHEDULED {
                    return Err(Error::Config(format!(
                        "unknown event kind \"sbiz\": {kind:?} (expected {SCHEDULED:?})"
                    )));
                }
                let tasks = match tasks {
                    None => ScheduledTask::ALL.to_vec(),
                    Some(names) => names
                        .iter()
                        .map(|n| {
                            ScheduledTask::from_name(n).ok_or_else(|| {
                                Error::Config(format!("unknown scheduled task {n:?}"))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                };
                Ok(Event::Scheduled(tasks))
            }
            _ => serde_json::from_str::<LambdaRequest>(payload)
                .map(|r| Event::Http(Box::new(r)))
                .map_err(|e| {
                    Error::Config(format!(
                        "the event is neither an HTTP API request nor a scheduled event: {e}"
                    ))
                }),
        }
    }
}

/// Answers one invocation: the HTTP response (as `lambda_http` writes it)
/// or the scheduled run's report.
pub async fn handle(
    state: &AppState,
    app: &axum::Router,
    payload: &str,
    context: lambda_runtime::Context,
) -> Result<Value, lambda_runtime::Error> {
    match Event::parse(payload)? {
        Event::Http(request) => {
            let adapter = lambda_http::Adapter::from(app.clone());
            let response = adapter
                .oneshot(LambdaEvent::new(*request, context))
                .await
                .map_err(|never| match never {})?;
            Ok(serde_json::to_value(response)?)
        }
        Event::Scheduled(tasks) => {
            let names: Vec<&str> = tasks.iter().map(|t| t.name()).collect();
            tracing::info!(tasks = ?names, "scheduled invocation");
            let until = dispatch_until(Instant::now(), context.deadline);
            let run = run_scheduled(state, &tasks, Some(until)).await;
            if run.failed.is_empty() {
                Ok(run.to_json())
            } else {
                Err(format!("scheduled tasks failed: {}", run.to_json()).into())
            }
        }
    }
}

/// Runs the function under the Lambda runtime until it stops. The caller
/// sets the messaging channels on `state` once per cold start
/// (`booking-fn` does, from [`crate::messaging::Channels::from_env`]).
pub async fn run(state: AppState) -> Result<(), Error> {
    let app = router(state.clone());
    let handler = lambda_runtime::service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        let (state, app) = (state.clone(), app.clone());
        async move { handle(&state, &app, event.payload.get(), event.context).await }
    });
    lambda_runtime::run(handler)
        .await
        .map_err(|e| Error::Config(format!("lambda runtime: {e}")))
}
