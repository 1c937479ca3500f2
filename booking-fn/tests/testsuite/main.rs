//! The booking crate's integration tests, one binary (as mdBook's
//! `tests/testsuite/`): one link step for all of them, one DynamoDB Local
//! for the process, and the helpers written once (`common`, `conformance`,
//! `support`). Fixtures stay in `booking-fn/tests/fixtures/`.
//!
//! To add tests, write `booking-fn/tests/testsuite/<name>.rs` (no `mod`
//! lines of its own: take helpers with `use crate::common::*;`,
//! `use crate::support::…` or `use crate::{conformance, store_tests};`),
//! then declare it below, gated on the features it needs as the others are
//! (`#[cfg(feature = "sqlite")] mod <name>;`), and keep the list of modules
//! here in order. Every module shares one process: never change the process's
//! environment (`std::env::set_var`) or install a global `tracing`
//! subscriber; pass variables to a child process with `Command::env`, and
//! capture logs with `support::log_capture`. Run one module with
//! `cargo test -p sbiz-booking --test testsuite <name>::`.
//!
//! - `admin_page`: the admin page as staff use it on a busy day (JavaScript
//!   off): today's reservations first, one machine or today in one step,
//!   only the actions that can succeed;
//! - `api`: the HTTP API end to end on SQLite (rules, errors, forms, admin);
//! - `backup`: backup under load, then restore;
//! - `concurrency`, `dynamodb_http`: simultaneous requests through HTTP, on
//!   SQLite and on DynamoDB Local (scenarios in `support/http_concurrency.rs`);
//! - `dynamodb_ministack`: the conformance suite and a programme's opening
//!   on the DynamoDB store against a second emulator, ministack;
//! - `deploy_template`: `deploy/template.yaml` against the table and the binary;
//! - `free_times`: the free times of a piece of equipment as a page
//!   (JavaScript off);
//! - `english`: answers to the English edition (forms, errors, confirmations,
//!   the management page, job applications) over HTTP on SQLite;
//! - `sqlite_store`, `dynamodb`: the store conformance suite (`conformance`)
//!   on each store, and what is particular to each;
//! - `lambda`, `lambda_events`: API Gateway and Function URL events, and the
//!   Lambda entry's scheduled events;
//! - `messaging`, `notify`: the dispatcher against real servers (SMTP,
//!   ministack's SES and SNS), and the messages booking events queue
//!   (through the HTTP API);
//! - `closures`: 임시 휴관·장비 사용 중지, their bulk cancellation, the
//!   audit log and the admin lists' paging and search (HTTP API and pages);
//! - `my`: 내 예약·신청 end to end, its 인증번호 through ministack's SNS;
//! - `openapi`: `openapi.yaml` against the routes and error codes;
//! - `origin_verify`: requests without the front end's secret
//!   (`SBIZ_ORIGIN_SECRET`) refused before anything is read or stored;
//! - `privacy`, `dynamodb_privacy`: no personal data in any log line, on each
//!   store (session in `support/privacy_session.rs`);
//! - `record_pages`: a record's page by its state (a course's sessions and
//!   place, a cancelled or past reservation, cancelling only while
//!   possible, applying twice);
//! - `staff_session`: the admin page's session (idle expiry, its cap) and
//!   the sign-in's return to the page asked for;
//! - `reports`: the usage report and its open data against a fixture of
//!   known bookings.

#[cfg(feature = "sqlite")]
mod common;
#[cfg(any(feature = "sqlite", feature = "dynamodb"))]
mod conformance;
mod support;

#[cfg(feature = "sqlite")]
mod admin_page;
#[cfg(feature = "sqlite")]
mod api;
#[cfg(feature = "sqlite")]
mod backup;
#[cfg(feature = "sqlite")]
mod closures;
#[cfg(feature = "sqlite")]
mod concurrency;
#[cfg(all(feature = "smtp", feature = "aws-messaging", feature = "sqlite"))]
mod crash_safety;
mod deploy_template;
#[cfg(feature = "dynamodb")]
mod dynamodb;
#[cfg(all(feature = "dynamodb", feature = "sqlite"))]
mod dynamodb_http;
#[cfg(all(
    feature = "dynamodb",
    feature = "smtp",
    feature = "aws-messaging",
    feature = "sqlite"
))]
mod dynamodb_ministack;
#[cfg(all(feature = "dynamodb", feature = "sqlite"))]
mod dynamodb_privacy;
#[cfg(feature = "sqlite")]
mod english;
#[cfg(feature = "sqlite")]
mod free_times;
#[cfg(all(feature = "lambda", feature = "sqlite"))]
mod lambda;
#[cfg(all(feature = "lambda", feature = "sqlite"))]
mod lambda_events;
#[cfg(all(feature = "smtp", feature = "aws-messaging", feature = "sqlite"))]
mod messaging;
mod my;
#[cfg(all(feature = "smtp", feature = "aws-messaging", feature = "sqlite"))]
mod notify;
mod openapi;
#[cfg(feature = "sqlite")]
mod origin_verify;
#[cfg(feature = "sqlite")]
mod privacy;
#[cfg(feature = "sqlite")]
mod record_pages;
#[cfg(feature = "sqlite")]
mod reports;
mod reschedule;
#[cfg(feature = "sqlite")]
mod sqlite_store;
#[cfg(feature = "sqlite")]
mod staff_bookings;
#[cfg(all(feature = "smtp", feature = "aws-messaging", feature = "sqlite"))]
mod staff_messages;
#[cfg(feature = "sqlite")]
mod staff_session;
