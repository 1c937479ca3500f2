//! Amazon SES v2 (e-mail) and Amazon SNS (문자). Region, credentials and
//! endpoints come from the AWS SDK's usual environment (the Lambda role on
//! AWS; `AWS_ENDPOINT_URL` for an emulator).

use async_trait::async_trait;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageTag};
use aws_sdk_sns::types::MessageAttributeValue;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use sbiz_catalog::Channel;

use super::{Outgoing, SendError, Sender};
use crate::{Error, Result};

/// Provider error codes worth retrying.
const TRANSIENT: [&str; 8] = [
    "TooManyRequestsException",
    "LimitExceededException",
    "Throttling",
    "ThrottlingException",
    "Throttled",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
];

fn classify<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> SendError {
    match e {
        SdkError::ServiceError(s) => {
            let code = s.err().code().unwrap_or("Unknown").to_owned();
            if TRANSIENT.contains(&code.as_str()) {
                SendError::Transient(code)
            } else {
                SendError::Permanent(code)
            }
        }
        SdkError::TimeoutError(_) => SendError::Transient("timeout".into()),
        SdkError::DispatchFailure(_) => SendError::Transient("connection".into()),
        SdkError::ResponseError(_) => SendError::Transient("response".into()),
        _ => SendError::Transient("request".into()),
    }
}

pub struct SesSender {
    client: aws_sdk_sesv2::Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesSender {
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> SesSender {
        SesSender {
            client,
            from: from.into(),
            configuration_set: None,
        }
    }

    /// `SBIZ_EMAIL_FROM` (a verified identity) and, optionally,
    /// `SBIZ_SES_CONFIGURATION_SET`.
    pub async fn from_env() -> Result<SesSender> {
        let from = std::env::var("SBIZ_EMAIL_FROM")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| Error::Config("SBIZ_EMAIL=ses needs SBIZ_EMAIL_FROM".into()))?;
        let config = crate::aws::sdk_config().await;
        let mut s = SesSender::new(aws_sdk_sesv2::Client::new(&config), from);
        s.configuration_set = std::env::var("SBIZ_SES_CONFIGURATION_SET")
            .ok()
            .filter(|v| !v.trim().is_empty());
        Ok(s)
    }
}

#[async_trait]
impl Sender for SesSender {
    fn channel(&self) -> Channel {
        Channel::Email
    }
    fn provider(&self) -> &'static str {
        "ses"
    }
    async fn send(&self, m: &Outgoing) -> std::result::Result<(), SendError> {
        let text = |s: &str| {
            Content::builder()
                .data(s)
                .charset("UTF-8")
                .build()
                .map_err(|_| SendError::Permanent("invalid_message".into()))
        };
        let message = Message::builder()
            .subject(text(&m.subject)?)
            .body(Body::builder().text(text(&m.body)?).build())
            .build();
        let tag = MessageTag::builder()
            .name("message_id")
            .value(m.id.as_str())
            .build()
            .map_err(|_| SendError::Permanent("invalid_message".into()))?;
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&m.to).build())
            .content(EmailContent::builder().simple(message).build())
            .email_tags(tag)
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map(drop)
            .map_err(|e| classify(&e))
    }
}

pub struct SnsSender {
    client: aws_sdk_sns::Client,
}

impl SnsSender {
    pub fn new(client: aws_sdk_sns::Client) -> SnsSender {
        SnsSender { client }
    }

    pub async fn from_env() -> SnsSender {
        let config = crate::aws::sdk_config().await;
        SnsSender::new(aws_sdk_sns::Client::new(&config))
    }
}

#[async_trait]
impl Sender for SnsSender {
    fn channel(&self) -> Channel {
        Channel::Sms
    }
    fn provider(&self) -> &'static str {
        "sns"
    }
    /// SNS `Publish` to a phone number, as a transactional message. SNS has
    /// no idempotency key for SMS: the outbox's lease keeps duplicates to a
    /// crash between the send and its mark.
    async fn send(&self, m: &Outgoing) -> std::result::Result<(), SendError> {
        let kind = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .map_err(|_| SendError::Permanent("invalid_message".into()))?;
        self.client
            .publish()
            .phone_number(&m.to)
            .message(&m.body)
            .message_attributes("AWS.SNS.SMS.SMSType", kind)
            .send()
            .await
            .map(drop)
            .map_err(|e| classify(&e))
    }
}
