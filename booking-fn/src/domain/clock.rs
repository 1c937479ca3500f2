//! The time source, in Korea time: one copy in the shared crate
//! (`sbiz_catalog::clock`), re-exported under the names the function uses.

pub use sbiz_catalog::clock::{
    Clock, FixedClock, KST, SystemClock, Window, kst_instant, kst_parts,
};
