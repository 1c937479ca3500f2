//! Guessing staff tokens: wrong tokens (at the admin page's sign-in or in
//! an `Authorization: Bearer` header) are counted per client address in the
//! store, shared by every instance of the function; past
//! [`STAFF_TOKEN_ATTEMPTS`] in a window of [`STAFF_TOKEN_ATTEMPT_MINUTES`]
//! every token from that address is refused, the right one too, until the
//! window ends. The address is only ever stored as a keyed hash.

use super::Service;
use crate::domain::{Window, kst_parts};
use crate::{Code, Error, Result};

/// Wrong staff tokens allowed per client address and window.
pub const STAFF_TOKEN_ATTEMPTS: u32 = 10;
/// The length of those windows.
pub const STAFF_TOKEN_ATTEMPT_MINUTES: i64 = 15;

impl Service {
    /// Refuses (`too_many_attempts`) a staff token from `client` (its
    /// address) once that address sent [`STAFF_TOKEN_ATTEMPTS`] wrong ones
    /// in the current window.
    pub async fn staff_token_allowed(&self, client: &str) -> Result<()> {
        let window = Window::containing(self.clock.now(), STAFF_TOKEN_ATTEMPT_MINUTES);
        let failed = self
            .store
            .count_attempt(&self.staff_token_key(client), window.start, window.end, 0)
            .await?;
        if failed >= STAFF_TOKEN_ATTEMPTS {
            return Err(locked(window));
        }
        Ok(())
    }

    /// Counts a wrong staff token from `client`, and logs it (never the
    /// token nor the address).
    pub async fn staff_token_failed(&self, client: &str) -> Result<()> {
        let window = Window::containing(self.clock.now(), STAFF_TOKEN_ATTEMPT_MINUTES);
        let failed = self
            .store
            .count_attempt(&self.staff_token_key(client), window.start, window.end, 1)
            .await?;
        tracing::warn!(failed, "wrong staff token");
        Ok(())
    }

    fn staff_token_key(&self, client: &str) -> String {
        let mac = self.secret.mac("staff-token-client", &[client.as_bytes()]);
        format!("staff-token:{}", hex::encode(&mac[..16]))
    }
}

fn locked(window: Window) -> Error {
    let (_, until) = kst_parts(window.end);
    Error::with_message(
        Code::TooManyAttempts,
        format!(
            "관리자 토큰이 여러 번 틀려 {until}까지 로그인할 수 없습니다. 그 뒤에 다시 시도해 주세요."
        ),
    )
}
