//! The one error type of the crate and its table of stable, machine-readable codes.
//!
//! Every binding exposes exactly these codes: Python exception classes carry `.code`, the C ABI
//! returns [`ErrorCode::number`] plus the [`ErrorCode::as_str`] string, and the JS `Error`
//! subclasses carry `code`. Codes are never renamed and numbers are never reused.
//!
//! ```
//! use sendivent::validate::validate_phone;
//!
//! let err = validate_phone("0701234567").unwrap_err();
//! assert_eq!(err.code(), "INVALID_PHONE");
//! assert!(err.to_string().contains("country code"));
//! ```

use std::fmt;
use std::time::Duration;

use crate::models::{ResponseMeta, SendError};

/// A stable error code. The string form ([`ErrorCode::as_str`]) is the API's own spelling where
/// the API defines one, and the number ([`ErrorCode::number`]) is what the C ABI returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    // --- HTTP API status codes (reference "Errors" table) ---
    /// 400: missing or invalid parameters; also client-side validation of other fields.
    ValidationError,
    /// 401: invalid or missing API key.
    Unauthorized,
    /// 402: contact or daily quota exceeded.
    QuotaExceeded,
    /// 403: subscription inactive or addon not enabled.
    Forbidden,
    /// 404: event, contact or resource not found.
    NotFound,
    /// 409: the resource already exists (one webhook per application).
    Conflict,
    /// 429: too many requests.
    RateLimited,
    /// 500: internal server error.
    ServerError,
    /// 502: a third-party provider failed.
    ProviderError,
    // --- send-specific codes (a failed send's `errors` list) ---
    /// The contact lacks the identifier a channel needs.
    MissingIdentifier,
    /// The channel has no configured integration.
    IntegrationMissing,
    /// SMS/WhatsApp addon not on the plan.
    AddonNotEnabled,
    /// The sender email/phone is not verified.
    UnverifiedSender,
    /// An email address is not valid (server-side or client-side validation).
    InvalidEmail,
    /// A phone number is not valid E.164 (server-side or client-side validation).
    InvalidPhone,
    /// The event name does not exist.
    EventNotFound,
    // --- webhook verification ---
    /// A required `webhook-*` header is absent.
    WebhookMissingHeader,
    /// `webhook-timestamp` is not a unix time in seconds.
    WebhookInvalidTimestamp,
    /// The timestamp is older than the tolerance allows.
    WebhookTimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    WebhookTimestampTooNew,
    /// `webhook-signature` has no well-formed `v1,`/`v1a,` entry.
    WebhookInvalidSignatureHeader,
    /// No signature in the header matches the body with the given secret.
    WebhookNoMatchingSignature,
    /// The secret cannot be used: not `whsec_`/`whpk_` base64 of a usable key.
    WebhookInvalidSecret,
    /// The secret is empty.
    WebhookSecretEmpty,
    /// An API key (`live_…`/`test_…`) was passed where the webhook signing secret belongs.
    WebhookSecretIsApiKey,
    /// A signature (`v1,…`) was pasted where the signing secret belongs.
    WebhookSecretIsSignature,
    /// The signature is valid but the body is not a JSON webhook event.
    WebhookInvalidPayload,
    // --- client ---
    /// No API key was given and `SENDIVENT_API_KEY` is not set.
    MissingApiKey,
    /// The API key does not start with `live_` or `test_`.
    InvalidApiKey,
    /// The base URL cannot be parsed or uses an unsupported scheme.
    InvalidBaseUrl,
    /// Plain `http://` to a non-loopback host without the explicit opt-in.
    InsecureBaseUrl,
    /// A request could not be built from the given input (bad JSON, wrong shape).
    InvalidRequest,
    /// The connection failed or was lost before a response arrived.
    ConnectionError,
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// The server answered with something that is not the documented shape.
    InvalidResponse,
    /// A send answered `success: false`; the error carries the `errors` list.
    SendFailed,
    /// An API error whose code this SDK version does not know (the raw code is kept).
    ApiError,
    // --- bindings ---
    /// A binding received an invalid argument (a NULL pointer, invalid UTF-8, a wrong type).
    InvalidArgument,
    /// A bug: a panic was caught at a binding boundary.
    InternalError,
}

macro_rules! code_table {
    ($($variant:ident = $num:literal, $text:literal;)*) => {
        impl ErrorCode {
            /// Every code, in number order: bindings test that their mapping covers all of them.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The stable SCREAMING_SNAKE_CASE string of this code.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text),* }
            }

            /// The stable number of this code in the C ABI (0 is reserved for success).
            pub const fn number(self) -> u32 {
                match self { $(ErrorCode::$variant => $num),* }
            }

            /// Looks a code up by its string form.
            pub fn from_code_str(s: &str) -> Option<ErrorCode> {
                match s { $($text => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

code_table! {
    ValidationError = 1, "VALIDATION_ERROR";
    Unauthorized = 2, "UNAUTHORIZED";
    QuotaExceeded = 3, "QUOTA_EXCEEDED";
    Forbidden = 4, "FORBIDDEN";
    NotFound = 5, "NOT_FOUND";
    Conflict = 6, "CONFLICT";
    RateLimited = 7, "RATE_LIMITED";
    ServerError = 8, "SERVER_ERROR";
    ProviderError = 9, "PROVIDER_ERROR";
    MissingIdentifier = 20, "MISSING_IDENTIFIER";
    IntegrationMissing = 21, "INTEGRATION_MISSING";
    AddonNotEnabled = 22, "ADDON_NOT_ENABLED";
    UnverifiedSender = 23, "UNVERIFIED_SENDER";
    InvalidEmail = 24, "INVALID_EMAIL";
    InvalidPhone = 25, "INVALID_PHONE";
    EventNotFound = 26, "EVENT_NOT_FOUND";
    WebhookMissingHeader = 40, "WEBHOOK_MISSING_HEADER";
    WebhookInvalidTimestamp = 41, "WEBHOOK_INVALID_TIMESTAMP";
    WebhookTimestampTooOld = 42, "WEBHOOK_TIMESTAMP_TOO_OLD";
    WebhookTimestampTooNew = 43, "WEBHOOK_TIMESTAMP_TOO_NEW";
    WebhookInvalidSignatureHeader = 44, "WEBHOOK_INVALID_SIGNATURE_HEADER";
    WebhookNoMatchingSignature = 45, "WEBHOOK_NO_MATCHING_SIGNATURE";
    WebhookInvalidSecret = 46, "WEBHOOK_INVALID_SECRET";
    WebhookSecretEmpty = 47, "WEBHOOK_SECRET_EMPTY";
    WebhookSecretIsApiKey = 48, "WEBHOOK_SECRET_IS_API_KEY";
    WebhookSecretIsSignature = 49, "WEBHOOK_SECRET_IS_SIGNATURE";
    WebhookInvalidPayload = 50, "WEBHOOK_INVALID_PAYLOAD";
    MissingApiKey = 60, "MISSING_API_KEY";
    InvalidApiKey = 61, "INVALID_API_KEY";
    InvalidBaseUrl = 62, "INVALID_BASE_URL";
    InsecureBaseUrl = 63, "INSECURE_BASE_URL";
    InvalidRequest = 64, "INVALID_REQUEST";
    ConnectionError = 65, "CONNECTION_ERROR";
    Timeout = 66, "TIMEOUT";
    InvalidResponse = 67, "INVALID_RESPONSE";
    SendFailed = 68, "SEND_FAILED";
    ApiError = 69, "API_ERROR";
    InvalidArgument = 90, "INVALID_ARGUMENT";
    InternalError = 91, "INTERNAL_ERROR";
}

impl ErrorCode {
    /// The code the API uses for an HTTP status, used when an error body carries no code.
    pub fn for_status(status: u16) -> ErrorCode {
        match status {
            400 | 422 => ErrorCode::ValidationError,
            401 => ErrorCode::Unauthorized,
            402 => ErrorCode::QuotaExceeded,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            409 => ErrorCode::Conflict,
            429 => ErrorCode::RateLimited,
            500 => ErrorCode::ServerError,
            502 => ErrorCode::ProviderError,
            _ => ErrorCode::ApiError,
        }
    }

    /// Whether this code belongs to webhook verification.
    pub fn is_webhook(self) -> bool {
        (40..60).contains(&self.number())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answered by the API (any non-2xx status), or a 2xx body that is not the documented shape.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The server's code exactly as sent (unknown codes survive), or the status's code when the
    /// body had none.
    pub code: String,
    /// The server's message, or a description of the status.
    pub message: String,
    /// Seconds to wait before retrying, from `Retry-After`, when the server sent it.
    pub retry_after: Option<Duration>,
    /// Status, headers, request id of the response.
    pub meta: ResponseMeta,
}

/// A send the API answered with `success: false`.
#[derive(Debug, Clone, PartialEq)]
pub struct SendFailure {
    /// The reasons, one per failed recipient/channel, codes kept as sent.
    pub errors: Vec<SendError>,
    /// Status, headers, request id of the response.
    pub meta: ResponseMeta,
}

/// The error type of every fallible function in this crate.
///
/// Match on [`Error::error_code`] for behaviour and show [`Error::to_string`] to people. The
/// message never contains an API key or a webhook secret.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// Client-side validation failed (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR,
    /// INVALID_REQUEST) or configuration was refused (MISSING_API_KEY, INVALID_API_KEY,
    /// INVALID_BASE_URL, INSECURE_BASE_URL).
    Invalid {
        /// Which rule failed.
        code: ErrorCode,
        /// What to do about it, for a person.
        message: String,
    },
    /// Webhook verification failed; the code says why (one of the `WEBHOOK_*` codes).
    Webhook {
        /// Which check failed.
        code: ErrorCode,
        /// Details for a person, e.g. the measured clock skew.
        message: String,
    },
    /// The API answered with an error status.
    Api(Box<ApiError>),
    /// A send answered `success: false`.
    SendFailed(Box<SendFailure>),
    /// The connection failed or dropped before a response (after all retries).
    Connection {
        /// What the transport reported.
        message: String,
    },
    /// The last attempt exceeded its timeout (after all retries).
    Timeout {
        /// The per-attempt timeout that was exceeded.
        timeout: Duration,
        /// Time spent over all attempts.
        elapsed: Duration,
    },
    /// A binding-level failure: INVALID_ARGUMENT or INTERNAL_ERROR.
    Binding {
        /// Which.
        code: ErrorCode,
        /// Details.
        message: String,
    },
}

impl Error {
    /// A validation or configuration error.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::Invalid { code, message: message.into() }
    }

    /// A webhook verification error.
    pub fn webhook(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::Webhook { code, message: message.into() }
    }

    /// The stable code as a string. For API errors this is the server's code exactly as sent,
    /// so codes newer than this SDK survive.
    pub fn code(&self) -> &str {
        match self {
            Error::Api(api) => &api.code,
            other => other.error_code().as_str(),
        }
    }

    /// The stable code. API errors with a code this SDK does not know map to
    /// [`ErrorCode::ApiError`]; [`Error::code`] still has the raw string.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::Invalid { code, .. } | Error::Webhook { code, .. } | Error::Binding { code, .. } => *code,
            Error::Api(api) => ErrorCode::from_code_str(&api.code).unwrap_or(ErrorCode::ApiError),
            Error::SendFailed(_) => ErrorCode::SendFailed,
            Error::Connection { .. } => ErrorCode::ConnectionError,
            Error::Timeout { .. } => ErrorCode::Timeout,
        }
    }

    /// The message without the code prefix.
    pub fn message(&self) -> String {
        match self {
            Error::Invalid { message, .. }
            | Error::Webhook { message, .. }
            | Error::Binding { message, .. }
            | Error::Connection { message } => message.clone(),
            Error::Api(api) => api.message.clone(),
            Error::SendFailed(failure) => {
                let parts: Vec<String> = failure.errors.iter().map(|e| format!("{}: {}", e.code, e.message)).collect();
                if parts.is_empty() {
                    "the send failed without a reason".to_owned()
                } else {
                    format!("the send failed: {}", parts.join("; "))
                }
            }
            Error::Timeout { timeout, elapsed } => format!(
                "request timed out after {:.1} s (timeout per attempt {:.1} s)",
                elapsed.as_secs_f64(),
                timeout.as_secs_f64()
            ),
        }
    }

    /// The HTTP status when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        self.meta().map(|m| m.status)
    }

    /// The response metadata (headers, request id) when the error came from a response.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Api(api) => Some(&api.meta),
            Error::SendFailed(failure) => Some(&failure.meta),
            _ => None,
        }
    }

    /// The `X-Request-Id` of the failed response, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(|m| m.request_id.as_deref())
    }

    /// The send errors of a failed send (empty for other errors).
    pub fn send_errors(&self) -> &[SendError] {
        match self {
            Error::SendFailed(failure) => &failure.errors,
            _ => &[],
        }
    }

    /// Whether retrying the same request later may succeed (connection errors, timeouts, 408,
    /// 429, 5xx). Used by the client's retry loop and useful to callers with their own queues.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Api(api) => is_retryable_status(api.status),
            _ => false,
        }
    }
}

/// Statuses the client retries: 408, 429, 500, 502, 503, 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())?;
        if let Some(status) = self.status() {
            write!(f, " (HTTP {status}")?;
            if let Some(id) = self.request_id() {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shows a secret as its prefix and last four characters, e.g. `live_…a1b2`, so that logs,
/// errors and `Debug` output can tell keys apart without revealing them.
///
/// ```
/// assert_eq!(sendivent::error::redact("live_abcdefghijkl1234"), "live_…1234");
/// assert_eq!(sendivent::error::redact("short"), "…");
/// ```
pub fn redact(secret: &str) -> String {
    let prefix = ["live_", "test_", "whsec_", "whpk_"].into_iter().find(|p| secret.starts_with(p)).unwrap_or("");
    let rest = &secret[prefix.len()..];
    let chars: Vec<char> = rest.chars().collect();
    if chars.len() < 12 {
        return format!("{prefix}…");
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_numbers_are_unique() {
        let mut numbers = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code_str(code.as_str()), Some(*code));
            assert!(numbers.insert(code.number()), "duplicate number for {code}");
            assert_ne!(code.number(), 0);
        }
    }

    #[test]
    fn unknown_api_codes_survive() {
        let err = Error::Api(Box::new(ApiError {
            status: 418,
            code: "BRAND_NEW_CODE".into(),
            message: "teapot".into(),
            retry_after: None,
            meta: ResponseMeta { status: 418, ..ResponseMeta::default() },
        }));
        assert_eq!(err.code(), "BRAND_NEW_CODE");
        assert_eq!(err.error_code(), ErrorCode::ApiError);
        assert_eq!(err.status(), Some(418));
        assert!(!err.is_retryable());
    }

    #[test]
    fn redaction_keeps_prefix_and_tail_only() {
        assert_eq!(redact("test_0123456789abcdefXYZW"), "test_…XYZW");
        assert_eq!(redact("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_…LaSw");
        assert_eq!(redact("live_tiny"), "live_…");
        assert!(!redact("test_0123456789abcdefXYZW").contains("0123"));
    }
}
