//! Path parameters as path segments (docs/contract.md §2 "Paths").

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::{Error, ErrorCode, Result};

/// Everything but RFC 3986 unreserved characters is escaped in a path segment, so a phone's
/// `+`, an email's `@` and `+`, and a `/` or `#` in an external id survive the trip.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path parameter as a single path segment.
///
/// Surrounding whitespace is trimmed. An empty value, and `.` or `..` written raw or
/// percent-encoded, are refused with VALIDATION_ERROR: URL resolution would turn them into a
/// different route (`contacts.delete("..")` would become `DELETE /v1/`).
///
/// ```
/// use sendivent::api::path_segment;
///
/// assert_eq!(path_segment("+46701234567", "identifier").unwrap(), "%2B46701234567");
/// assert_eq!(path_segment("..", "identifier").unwrap_err().code(), "VALIDATION_ERROR");
/// assert_eq!(path_segment("%2e", "identifier").unwrap_err().code(), "VALIDATION_ERROR");
/// ```
pub fn path_segment(value: &str, what: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(ErrorCode::ValidationError, format!("{what} must not be empty")));
    }
    let decoded = percent_decode_str(value).decode_utf8_lossy();
    if decoded == "." || decoded == ".." {
        return Err(Error::invalid(
            ErrorCode::ValidationError,
            format!("{what} must not be `.` or `..`: the URL would name a different resource"),
        ));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn special_characters_survive_and_dot_segments_are_refused() {
        assert_eq!(path_segment("ada+news@example.com", "x").unwrap(), "ada%2Bnews%40example.com");
        assert_eq!(path_segment("a/b#c d", "x").unwrap(), "a%2Fb%23c%20d");
        assert_eq!(path_segment("user.welcome", "x").unwrap(), "user.welcome");
        assert_eq!(path_segment("...", "x").unwrap(), "...");
        for bad in ["", "  ", ".", "..", " .. ", "%2e", "%2E%2e", ".%2E"] {
            assert_eq!(path_segment(bad, "x").unwrap_err().code(), "VALIDATION_ERROR", "{bad:?}");
        }
    }
}
