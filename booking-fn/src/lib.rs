//! The booking function (work in progress).
pub use sbiz_catalog as catalog;
