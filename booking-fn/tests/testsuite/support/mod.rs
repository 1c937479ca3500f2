//! Harness shared by several test modules: DynamoDB Local, the HTTP
//! concurrency scenarios and the privacy session run on each store, and the
//! one log capture of the process.

#[cfg(feature = "dynamodb")]
pub mod dynamodb_local;
#[cfg(feature = "sqlite")]
pub mod http_concurrency;
#[cfg(feature = "sqlite")]
pub mod log_capture;
#[cfg(feature = "sqlite")]
pub mod privacy_session;
#[cfg(all(feature = "smtp", feature = "aws-messaging", feature = "sqlite"))]
pub mod pyserver;
