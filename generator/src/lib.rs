//! `sbiz`: the static site generator of the Seoul small-manufacturer portal.
//!
//! The pipeline is load → validate → render → write, around one plain data
//! store (`site::Site`). See `docs/content-model.md` for the content format.

// A `Diagnostic` (file, position, field, found, expected, help) is returned
// only on the error path, where its size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod diagnostics;
mod english;
pub mod i18n;
mod links;
mod load;
mod markdown;
pub mod model;
pub mod production;
mod render;
pub mod scaffold;
pub mod serve;
mod serve_errors;
mod site;
pub mod synth;
mod urls;
mod validate;
pub mod warning;
mod yaml;
