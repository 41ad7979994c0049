//! Recipient validation: the core's identifier resolution, E.164 phones and email addresses
//! (docs/contract.md §2 "Identifier resolution", "Phones and emails").

use crate::call::guard;
use crate::errors_gen::SendiventError;

/// What a `to` string or contact identifier names (the core's `validate::Identifier`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ResolvedIdentifier {
    /// `slack_channel`, `email`, `phone`, `uuid`, `slack_user` or `external_id`.
    pub kind: String,
    /// The normalised value (an E.164 phone, a lower-cased domain, a lower-cased UUID, …).
    pub value: String,
}

/// Resolves a `to` string: an email, an E.164 phone, a UUID, a Slack user id, `#channel` or an
/// external id. With `channel = "slack"`, a Slack channel id (`C01234ABCDE`) is a channel too.
/// An invalid email is INVALID_EMAIL, an invalid phone INVALID_PHONE, an empty string
/// VALIDATION_ERROR.
#[uniffi::export(default(channel = None))]
pub fn resolve_identifier(input: String, channel: Option<String>) -> Result<ResolvedIdentifier, SendiventError> {
    guard(|| {
        let identifier = match channel {
            Some(channel) => sendivent::validate::resolve_recipient(
                &input,
                Some(&sendivent::models::Channel::from(channel.as_str())),
            )?,
            None => sendivent::validate::resolve_identifier(&input)?,
        };
        Ok(ResolvedIdentifier { kind: identifier.kind().as_str().to_owned(), value: identifier.into_string() })
    })
}

/// Checks an email address and normalises it (domain lower-cased, IDN decoded); INVALID_EMAIL
/// otherwise.
#[uniffi::export]
pub fn validate_email(input: String) -> Result<String, SendiventError> {
    guard(|| Ok(sendivent::validate::validate_email(&input)?.as_str().to_owned()))
}

/// Checks a phone number and normalises it to E.164 (`+46701234567`); INVALID_PHONE otherwise,
/// with a message saying what to change.
#[uniffi::export]
pub fn validate_phone(input: String) -> Result<String, SendiventError> {
    guard(|| Ok(sendivent::validate::validate_phone(&input)?.as_str().to_owned()))
}
