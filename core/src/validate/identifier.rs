//! Identifier resolution (docs/contract.md §2 "Identifier resolution").
//!
//! One function decides what a recipient string (`to`) or a contact identifier is. After
//! trimming surrounding whitespace, the first matching rule wins:
//!
//! 1. starts with `#`: a Slack channel (broadcast), kept as given;
//! 2. contains `@`: an email address, validated and normalised ([`validate_email`]);
//! 3. starts with `+`, or is a formatted number without country code (only digits and the
//!    separators space `-` `.` `(` `)`, at least one separator, at least 7 digits): a phone
//!    number, validated and normalised to E.164 ([`validate_phone`]), so a number missing its
//!    country code fails with INVALID_PHONE instead of becoming an external id;
//! 4. digits alone: an external id (numeric user ids are common);
//! 5. a UUID (8-4-4-4-12 hex digits, any case): lower-cased;
//! 6. `U` or `W` followed by 8 to 11 upper-case letters or digits: a Slack user id;
//! 7. anything else: an external id.
//!
//! ```
//! use sendivent::validate::{resolve_identifier, IdentifierKind};
//!
//! let id = resolve_identifier("Ada@Example.COM").unwrap();
//! assert_eq!((id.kind(), id.as_str()), (IdentifierKind::Email, "Ada@example.com"));
//! assert_eq!(resolve_identifier("U024BE7LH").unwrap().kind(), IdentifierKind::SlackUser);
//! assert_eq!(resolve_identifier("12345").unwrap().kind(), IdentifierKind::ExternalId);
//! assert_eq!(resolve_identifier("070-123 45 67").unwrap_err().code(), "INVALID_PHONE");
//! ```

use std::fmt;

use super::phone::is_phone_separator;
use super::{validate_email, validate_phone};
use crate::error::{Error, ErrorCode, Result};

/// What kind of recipient an identifier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentifierKind {
    /// A Slack channel, `#general`: the event is broadcast to it.
    SlackChannel,
    /// An email address.
    Email,
    /// A phone number in E.164.
    Phone,
    /// A contact's UUID.
    Uuid,
    /// A Slack user id such as `U024BE7LH`.
    SlackUser,
    /// The caller's own id for the contact (`externalId`).
    ExternalId,
}

impl IdentifierKind {
    /// The stable snake_case name used by the test vectors and the bindings:
    /// `slack_channel`, `email`, `phone`, `uuid`, `slack_user`, `external_id`.
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::SlackChannel => "slack_channel",
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::Uuid => "uuid",
            IdentifierKind::SlackUser => "slack_user",
            IdentifierKind::ExternalId => "external_id",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved identifier: its kind and its normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identifier {
    kind: IdentifierKind,
    value: String,
}

impl Identifier {
    /// The kind.
    pub fn kind(&self) -> IdentifierKind {
        self.kind
    }

    /// The normalised value: the E.164 phone, the normalised email, the lower-case UUID, or the
    /// trimmed input for the other kinds.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Consumes into the normalised value.
    pub fn into_string(self) -> String {
        self.value
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl AsRef<str> for Identifier {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl std::str::FromStr for Identifier {
    type Err = Error;

    fn from_str(s: &str) -> Result<Identifier> {
        resolve_identifier(s)
    }
}

/// Resolves a recipient or contact identifier: the first matching rule of docs/contract.md §2
/// "Identifier resolution" decides (Slack channel, email, phone, digits, UUID, Slack user id).
///
/// Errors: VALIDATION_ERROR for an empty identifier or a bare `#`, INVALID_EMAIL for an invalid
/// address, INVALID_PHONE for an invalid or incomplete phone number.
pub fn resolve_identifier(input: &str) -> Result<Identifier> {
    let s = input.trim();
    let make = |kind, value: String| Ok(Identifier { kind, value });
    if s.is_empty() {
        return Err(Error::invalid(
            ErrorCode::ValidationError,
            "the identifier is empty: give an email, a phone number in E.164, a UUID, a Slack id or an external id",
        ));
    }
    if let Some(name) = s.strip_prefix('#') {
        if name.is_empty() {
            return Err(Error::invalid(
                ErrorCode::ValidationError,
                "a Slack channel needs a name after the #, e.g. #general",
            ));
        }
        return make(IdentifierKind::SlackChannel, s.to_owned());
    }
    if s.contains('@') {
        return make(IdentifierKind::Email, validate_email(s)?.into_string());
    }
    // A UUID written only with digits (e.g. 12345678-1234-4123-8123-123456789012) also matches
    // the formatted-number rule; the 8-4-4-4-12 shape is unambiguous, so it stays a UUID. This
    // refines docs/contract.md §2 (the UUID rule), which would otherwise reject such UUIDs as INVALID_PHONE.
    if s.starts_with('+') || (is_formatted_number(s) && !is_uuid(s)) {
        return make(IdentifierKind::Phone, validate_phone(s)?.into_string());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return make(IdentifierKind::ExternalId, s.to_owned());
    }
    if is_uuid(s) {
        return make(IdentifierKind::Uuid, s.to_ascii_lowercase());
    }
    if is_slack_user_id(s) {
        return make(IdentifierKind::SlackUser, s.to_owned());
    }
    make(IdentifierKind::ExternalId, s.to_owned())
}

/// Resolves a recipient string of a send on `channel` (docs/contract.md §3): with the `slack`
/// channel, a Slack channel id (`C` or `G` followed by 8 to 11 upper-case letters or digits,
/// e.g. `C01234ABCDE`) is a Slack channel, as `#name` is; otherwise, and for every other
/// string, as [`resolve_identifier`] (without a channel a bare `C…` stays an external id: it is
/// ambiguous).
///
/// ```
/// use sendivent::models::Channel;
/// use sendivent::validate::{resolve_recipient, IdentifierKind};
///
/// let id = resolve_recipient("C01234ABCDE", Some(&Channel::Slack)).unwrap();
/// assert_eq!(id.kind(), IdentifierKind::SlackChannel);
/// assert_eq!(resolve_recipient("C01234ABCDE", None).unwrap().kind(), IdentifierKind::ExternalId);
/// ```
pub fn resolve_recipient(input: &str, channel: Option<&crate::models::Channel>) -> Result<Identifier> {
    let s = input.trim();
    if channel == Some(&crate::models::Channel::Slack) && is_slack_channel_id(s) {
        return Ok(Identifier { kind: IdentifierKind::SlackChannel, value: s.to_owned() });
    }
    resolve_identifier(input)
}

/// `C` or `G` followed by 8 to 11 upper-case ASCII letters or digits.
fn is_slack_channel_id(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(b'C' | b'G'))
        && (9..=12).contains(&b.len())
        && b.iter().skip(1).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Digits and phone separators only, at least one separator and at least 7 digits.
fn is_formatted_number(s: &str) -> bool {
    let mut digits = 0;
    let mut separators = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if is_phone_separator(c) {
            separators += 1;
        } else {
            return false;
        }
    }
    separators > 0 && digits >= 7
}

/// 8-4-4-4-12 hexadecimal digits, any case.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `U` or `W` followed by 8 to 11 upper-case ASCII letters or digits.
fn is_slack_user_id(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(b'U' | b'W'))
        && (9..=12).contains(&b.len())
        && b.iter().skip(1).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn resolved(input: &str) -> (IdentifierKind, String) {
        let id = resolve_identifier(input).unwrap();
        (id.kind(), id.into_string())
    }

    #[test]
    fn each_rule_in_order() {
        use IdentifierKind::*;
        assert_eq!(resolved(" #general "), (SlackChannel, "#general".into()));
        assert_eq!(resolved("#a@b.com"), (SlackChannel, "#a@b.com".into()));
        assert_eq!(resolved("ada@EXAMPLE.com"), (Email, "ada@example.com".into()));
        assert_eq!(resolved("+46 70 123 45 67"), (Phone, "+46701234567".into()));
        assert_eq!(resolved("0701234567"), (ExternalId, "0701234567".into()));
        assert_eq!(
            resolved("3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
            (Uuid, "3f2504e0-4f89-11d3-9a0c-0305e82c3301".into())
        );
        assert_eq!(resolved("U024BE7LH"), (SlackUser, "U024BE7LH".into()));
        assert_eq!(resolved("W0123456789A"), (SlackUser, "W0123456789A".into()));
        assert_eq!(resolved("u024be7lh"), (ExternalId, "u024be7lh".into()));
        assert_eq!(resolved("U1234567"), (ExternalId, "U1234567".into()));
        assert_eq!(resolved("U0123456789AB"), (ExternalId, "U0123456789AB".into()));
        assert_eq!(resolved("user_42"), (ExternalId, "user_42".into()));
    }

    #[test]
    fn failures_have_the_right_code() {
        for (input, code) in [
            ("", "VALIDATION_ERROR"),
            (" \t\n", "VALIDATION_ERROR"),
            ("#", "VALIDATION_ERROR"),
            ("ada@", "INVALID_EMAIL"),
            ("+999 123 456", "INVALID_PHONE"),
            ("070-123 45 67", "INVALID_PHONE"),
            ("(415) 555-2671", "INVALID_PHONE"),
        ] {
            assert_eq!(resolve_identifier(input).unwrap_err().code(), code, "{input:?}");
        }
        assert!(resolve_identifier("070-123 45 67").unwrap_err().to_string().contains("country code"));
    }

    #[test]
    fn formatted_number_needs_a_separator_and_seven_digits() {
        assert!(is_formatted_number("070 1234"));
        assert!(!is_formatted_number("070 123"));
        assert!(!is_formatted_number("0701234"));
        assert!(!is_formatted_number("070-123-abc"));
        assert_eq!(resolved("12-34").0, IdentifierKind::ExternalId);
    }

    #[test]
    fn kind_names_are_stable() {
        let names: Vec<_> = [
            IdentifierKind::SlackChannel,
            IdentifierKind::Email,
            IdentifierKind::Phone,
            IdentifierKind::Uuid,
            IdentifierKind::SlackUser,
            IdentifierKind::ExternalId,
        ]
        .iter()
        .map(|k| k.to_string())
        .collect();
        assert_eq!(names, ["slack_channel", "email", "phone", "uuid", "slack_user", "external_id"]);
    }
}
