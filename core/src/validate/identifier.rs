//! Identifier resolution.
use crate::error::{Error, ErrorCode, Result};

/// Kinds of identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    /// `#channel`.
    SlackChannel,
    /// Email.
    Email,
    /// Phone.
    Phone,
    /// UUID.
    Uuid,
    /// Slack user id.
    SlackUser,
    /// External id.
    ExternalId,
}

/// A resolved identifier.
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
    /// The normalised value.
    pub fn as_str(&self) -> &str {
        &self.value
    }
    /// Consumes into the normalised value.
    pub fn into_string(self) -> String {
        self.value
    }
}

/// Resolves an identifier.
pub fn resolve_identifier(input: &str) -> Result<Identifier> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Error::invalid(ErrorCode::ValidationError, "empty"));
    }
    if s.contains('@') {
        return Ok(Identifier { kind: IdentifierKind::Email, value: super::validate_email(s)?.into_string() });
    }
    if s.starts_with('+') {
        return Ok(Identifier { kind: IdentifierKind::Phone, value: super::validate_phone(s)?.into_string() });
    }
    Ok(Identifier { kind: IdentifierKind::ExternalId, value: s.to_owned() })
}
