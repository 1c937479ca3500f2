//! YAML input: where fields are (`locate`), and typed field-by-field reading
//! that reports every problem of a file instead of stopping at the first.

pub(crate) mod block;
pub(crate) mod locate;
pub(crate) mod read;

pub(crate) use read::{Fields, FromYaml, Mismatch, Origin, Source, Target};
