//! 문자 for the browser tests: ministack (`ministack==1.5.33` from PyPI, in
//! the git-ignored `tests/.cache/ministack-venv`, started and stopped by the
//! booking crate's own test support, `pyserver.rs`, included here as is)
//! emulates Amazon SNS; the portal sends through the real `SnsSender`, and
//! the test reads what a phone received from ministack's
//! `/_ministack/sns/sms-messages`. No mock: the same path as production.

use std::sync::Arc;

use sbiz_booking::domain::ServerKey;
use sbiz_booking::messaging::aws::SnsSender;
use sbiz_booking::messaging::{Channels, Sender};

#[allow(dead_code, clippy::all)]
#[path = "../../booking-fn/tests/testsuite/support/pyserver.rs"]
pub(crate) mod pyserver;

/// ministack on a free loopback port, stopped when dropped (and when the
/// test process ends, however it ends).
pub struct Sms {
    server: pyserver::Server,
}

impl Sms {
    /// Installs (first time) and starts ministack; panics with the reason
    /// when it cannot (the tests fail, they never skip).
    pub fn start() -> Sms {
        Sms {
            server: pyserver::ministack(pyserver::free_port()),
        }
    }

    /// The 문자 sender of a portal that sends through this ministack
    /// (the real `SnsSender`).
    pub fn sender(&self) -> Arc<dyn Sender> {
        use aws_sdk_sns::config::{BehaviorVersion, Credentials, Region};
        let client = aws_sdk_sns::Client::from_conf(
            aws_sdk_sns::Config::builder()
                .http_client(sbiz_booking::aws::http_client())
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("test", "test", None, None, "ministack"))
                .endpoint_url(format!("http://127.0.0.1:{}", self.server.port))
                .build(),
        );
        Arc::new(SnsSender::new(client))
    }

    /// The channels of a portal whose server secret is `secret`, sending
    /// 문자 through this ministack (and nothing else).
    pub fn channels(&self, secret: Arc<ServerKey>) -> Arc<Channels> {
        Arc::new(Channels::none(secret).with(self.sender()))
    }

    /// The 인증번호 texts `phone` (`010-1234-5678`) received, oldest first.
    pub fn received(&self, phone: &str) -> Vec<String> {
        self.received_with(phone, "인증번호")
    }

    /// The texts `phone` received that contain `needle`, oldest first.
    pub fn received_with(&self, phone: &str, needle: &str) -> Vec<String> {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let path = format!(
            "/_ministack/sns/sms-messages?phoneNumber=%2B82{}",
            &digits[1..]
        );
        let (status, body) =
            pyserver::http_get(self.server.port, &path).expect("ministack answers");
        assert_eq!(status, 200, "{body}");
        let json = body
            .find(['{', '['])
            .and_then(|i| serde_json::from_str::<serde_json::Value>(&body[i..]).ok());
        let mut out = Vec::new();
        if let Some(v) = json {
            collect(&v, needle, &mut out);
        }
        out
    }

    /// The 인증번호 of the last text `phone` received after `before` texts,
    /// waiting up to 10 s for it.
    pub fn next_code(&self, phone: &str, before: usize) -> String {
        for _ in 0..200 {
            let texts = self.received(phone);
            if texts.len() > before
                && let Some(code) = texts.last().and_then(|t| code_in(t))
            {
                return code;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("no 인증번호 reached {phone}");
    }
}

/// Every string of a JSON value that contains `needle`.
fn collect(v: &serde_json::Value, needle: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.contains(needle) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, needle, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| collect(x, needle, out)),
        _ => {}
    }
}

/// The six digits after "인증번호 ".
fn code_in(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("인증번호 ")?;
    let digits: String = rest.chars().take(6).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}
