//! Domain values and rules. Nothing here touches storage or HTTP.

mod clock;
mod closure;
mod code;
pub mod forms;
mod idempotency;
mod outbox;
mod person;
mod records;
pub mod rules;
mod secret;
mod slot;
mod token;
mod verification;

pub use clock::*;
pub use closure::*;
pub use code::*;
pub use idempotency::*;
pub use outbox::*;
pub use person::*;
pub use records::*;
pub use secret::*;
pub use slot::*;
pub use token::*;
pub use verification::*;

/// Why a piece of input is not a valid value: a message of the
/// [catalogue](crate::Msg) for the form (`Display`: the Korean).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub crate::Msg);

/// Fill `buf` with random bytes from the operating system.
pub fn random_bytes(buf: &mut [u8]) {
    // The OS generator only fails when the platform has none at all; a
    // booking function cannot issue secrets without one, so this is fatal.
    getrandom::fill(buf).expect("the operating system's random number generator is unavailable");
}
