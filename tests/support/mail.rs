//! E-mail for the browser tests: a real SMTP server (`aiosmtpd==1.4.6`
//! from PyPI, in the git-ignored `tests/.cache/aiosmtpd-venv`, started by
//! the booking crate's test support `pyserver.rs`) that keeps every message
//! in a maildir; the portal sends through the real `SmtpSender`, and the
//! test reads what arrived. No mock: the same path as a self-hosted portal.

use std::path::PathBuf;
use std::sync::Arc;

use sbiz_booking::messaging::Sender;
use sbiz_booking::messaging::smtp::{SmtpSender, SmtpTls};

use crate::sms::pyserver;

/// aiosmtpd on a free loopback port, stopped when dropped.
pub struct Mail {
    server: pyserver::Server,
    maildir: PathBuf,
}

impl Mail {
    /// Installs (first time) and starts the SMTP server; panics with the
    /// reason when it cannot (the tests fail, they never skip).
    pub fn start() -> Mail {
        let port = pyserver::free_port();
        let maildir =
            pyserver::cache_dir().join(format!("maildir-e2e-{}-{port}", std::process::id()));
        Mail {
            server: pyserver::smtp(port, &maildir),
            maildir,
        }
    }

    /// The e-mail sender of a portal that sends to this server.
    pub fn sender(&self) -> Arc<dyn Sender> {
        Arc::new(
            SmtpSender::new(
                "127.0.0.1",
                self.server.port,
                SmtpTls::None,
                None,
                "소공인포털 <no-reply@sbiz.example.kr>",
            )
            .expect("an SMTP sender"),
        )
    }

    /// The messages received (headers and decoded body), waiting up to
    /// 30 s until there are at least `count`.
    pub fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..300 {
            let mails = pyserver::mails(&self.maildir);
            if mails.len() >= count {
                return mails;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("fewer than {count} e-mails arrived in 30 s");
    }
}

impl Drop for Mail {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}
