//! YAML input: where fields are (`locate`), and typed field-by-field reading
//! that reports every problem of a file instead of stopping at the first.

pub mod locate;
pub mod read;

pub use locate::Locator;
pub use read::{Fields, FromYaml, Mismatch, Origin, Source};
