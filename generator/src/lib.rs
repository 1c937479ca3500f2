//! `sbiz`: the static site generator of the Seoul small-manufacturer portal.
//!
//! The pipeline is load → validate → render → write, around one plain data
//! store (`site::Site`). See `docs/content-model.md` for the content format.

pub mod diagnostics;
pub mod load;
pub mod model;
pub mod yaml;
pub mod clock;
pub mod markdown;
pub mod site;
pub mod validate;
pub mod render;
pub mod build;
pub mod scaffold;
pub mod serve;
pub mod synth;
