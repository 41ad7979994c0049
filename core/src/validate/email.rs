//! Email validation.
use crate::error::{Error, ErrorCode, Result};

/// A valid, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Consumes into the normalised address.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Validates an email address.
pub fn validate_email(input: &str) -> Result<Email> {
    let s = input.trim();
    match s.split_once('@') {
        Some((l, d)) if !l.is_empty() && d.contains('.') => Ok(Email(s.to_owned())),
        _ => Err(Error::invalid(ErrorCode::InvalidEmail, "invalid email")),
    }
}
