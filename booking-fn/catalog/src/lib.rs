//! Domain values and the catalog of everything bookable and applicable.
//!
//! The generator parses `content/` into these types and writes them as
//! `catalog.json`; the booking function loads that file and enforces the same
//! rules. Every value type here parses from the text an editor writes and
//! cannot hold bad data once constructed ("parse, don't validate").

mod catalog;
pub mod clock;
mod lang;
mod messages;
mod values;

pub use catalog::*;
pub use lang::Lang;
pub use messages::*;
pub use values::*;
