//! `sbiz`: the static site generator of the Seoul small-manufacturer portal.
//!
//! The pipeline is load → validate → render → write, around one plain data
//! store (`site::Site`). See `docs/content-model.md` for the content format.

// A `Diagnostic` (file, position, field, found, expected, help) is returned
// only on the error path, where its size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod diagnostics;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod production;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod synth;
pub mod urls;
pub mod validate;
pub mod yaml;
