//! The catalog's booking rules, as pure functions.
