//! Synthetic content (filled in below).
pub fn write(_root: &std::path::Path, _out: &std::path::Path, _n: usize) -> Result<usize, String> { Err("not yet".into()) }
