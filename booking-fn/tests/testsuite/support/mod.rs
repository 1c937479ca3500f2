//! Harness shared by several test modules: DynamoDB Local, the HTTP
//! concurrency scenarios and the privacy session run on each store, the
//! one log capture of the process, a record booked and opened as its page
//! (`record_page`), and a site's theme (`forms.json`).

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
#[cfg(feature = "sqlite")]
pub mod record_page;
#[cfg(feature = "sqlite")]
pub mod site_theme;
