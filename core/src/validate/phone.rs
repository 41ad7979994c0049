//! Phone validation.
use crate::error::{Error, ErrorCode, Result};

/// A valid phone number in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Consumes into the E.164 form.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Validates a phone number.
pub fn validate_phone(input: &str) -> Result<PhoneNumber> {
    let digits: String = input.chars().filter(|c| c.is_ascii_digit()).collect();
    if input.trim().starts_with('+') && (7..=15).contains(&digits.len()) {
        Ok(PhoneNumber(format!("+{digits}")))
    } else {
        Err(Error::invalid(ErrorCode::InvalidPhone, "missing country code"))
    }
}
