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

/// Where a code comes from: the API's error answers, a failed send's reasons, webhook
/// verification, the client itself, or a binding's argument checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    /// The `code` of an HTTP error answer (the reference's error table).
    Api,
    /// A reason in a failed send's `errors` list.
    Send,
    /// A webhook verification outcome.
    Webhook,
    /// Raised by the SDK itself: configuration, validation, transport.
    Client,
    /// A binding's argument checks and caught panics.
    Binding,
}

impl ErrorCategory {
    /// Every category.
    pub const ALL: &'static [ErrorCategory] = &[
        ErrorCategory::Api,
        ErrorCategory::Send,
        ErrorCategory::Webhook,
        ErrorCategory::Client,
        ErrorCategory::Binding,
    ];

    /// The lower-case name used in generated code and documentation.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCategory::Api => "api",
            ErrorCategory::Send => "send",
            ErrorCategory::Webhook => "webhook",
            ErrorCategory::Client => "client",
            ErrorCategory::Binding => "binding",
        }
    }
}

/// Defines the error classes: the exception (Python, Kotlin, Swift) or `Error` subclass (JS)
/// an error is raised as. The name is the same in every language, so `NotFoundError` means one
/// thing wherever a user meets it; Go exposes the same names as `Class…` constants.
macro_rules! class_table {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, parent $parent:ident;)*) => {
        /// The class an error is raised as in every binding (see the README's error table).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorClass {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorClass {
            /// Every class, parents before children.
            pub const ALL: &'static [ErrorClass] = &[$(ErrorClass::$variant),*];

            /// The class name, identical in every language.
            pub const fn name(self) -> &'static str {
                match self { $(ErrorClass::$variant => $name),* }
            }

            /// The parent class (`None` for the root, [`ErrorClass::Sendivent`]).
            pub fn parent(self) -> Option<ErrorClass> {
                let parent = match self { $(ErrorClass::$variant => ErrorClass::$parent),* };
                (parent != self).then_some(parent)
            }

            /// What the class means, for generated documentation.
            pub fn doc(self) -> String {
                let lines: &[&str] = match self { $(ErrorClass::$variant => &[$($doc),*]),* };
                join_doc(lines)
            }
        }
    };
}

class_table! {
    /// Root of every error the SDK raises; carries `code` and `message`.
    Sendivent = "SendiventError", parent Sendivent;
    /// The API answered with an error status; carries `status`, `request_id` and the response.
    Api = "APIError", parent Sendivent;
    /// HTTP 400 (or 422): the API refused the parameters (`VALIDATION_ERROR`, or a field code
    /// such as `INVALID_EMAIL`).
    BadRequest = "BadRequestError", parent Api;
    /// HTTP 401 `UNAUTHORIZED`: the API key is invalid or revoked.
    Authentication = "AuthenticationError", parent Api;
    /// HTTP 402 `QUOTA_EXCEEDED`: the contact or daily quota is used up.
    QuotaExceeded = "QuotaExceededError", parent Api;
    /// HTTP 403 `FORBIDDEN`: inactive subscription or an addon that is not enabled.
    PermissionDenied = "PermissionDeniedError", parent Api;
    /// HTTP 404 `NOT_FOUND`: the event, contact or resource does not exist.
    NotFound = "NotFoundError", parent Api;
    /// HTTP 409 `CONFLICT`: the resource already exists (one webhook per application).
    Conflict = "ConflictError", parent Api;
    /// HTTP 429 `RATE_LIMITED`, after the client's retries; carries `retry_after`.
    RateLimit = "RateLimitError", parent Api;
    /// HTTP 500, 503, 504 or another 5xx but 502, after the client's retries.
    InternalServer = "InternalServerError", parent Api;
    /// HTTP 502 `PROVIDER_ERROR`: a third-party provider (SES, Twilio, …) failed.
    Provider = "ProviderError", parent Api;
    /// A 2xx answer whose body is not the documented shape, or too large to read.
    InvalidResponse = "InvalidResponseError", parent Api;
    /// A send answered `success: false`; carries `errors`, one reason per recipient or channel.
    SendFailed = "SendFailedError", parent Api;
    /// No answer arrived: the connection failed or dropped (after the retries that were safe).
    Connection = "APIConnectionError", parent Sendivent;
    /// An attempt exceeded its timeout (after the retries that were safe).
    Timeout = "APITimeoutError", parent Connection;
    /// The SDK refused an argument before sending anything (a bad recipient, an out-of-range
    /// option, a wrong type).
    Validation = "ValidationError", parent Sendivent;
    /// An email address that no mail system would accept (`INVALID_EMAIL`).
    InvalidEmail = "InvalidEmailError", parent Validation;
    /// A phone number that is not valid E.164 (`INVALID_PHONE`); the message says why.
    InvalidPhone = "InvalidPhoneError", parent Validation;
    /// The client cannot be built: a missing or malformed API key, a bad or insecure base URL.
    Configuration = "ConfigurationError", parent Sendivent;
    /// A webhook failed verification: answer it with HTTP 400 and do not process it; carries
    /// `reason`.
    WebhookVerification = "WebhookVerificationError", parent Sendivent;
    /// A bug in the SDK (a panic caught at a binding boundary). Please report it.
    Internal = "InternalError", parent Sendivent;
    /// A webhook that was already received and verified (the same `webhook-id`): answer it 2xx
    /// without handling it again. Not a verification failure.
    WebhookDuplicate = "WebhookDuplicateError", parent Sendivent;
    /// The replay guard's store (Redis, your own) failed: answer 5xx so the sender retries.
    ReplayStore = "ReplayStoreError", parent Sendivent;
}

impl ErrorClass {
    /// The class of an error the API answered with `status` (openai-python's rule: the status
    /// decides, whatever code the body carries).
    pub fn for_status(status: u16) -> ErrorClass {
        match status {
            200..=299 => ErrorClass::InvalidResponse,
            400 | 422 => ErrorClass::BadRequest,
            401 => ErrorClass::Authentication,
            402 => ErrorClass::QuotaExceeded,
            403 => ErrorClass::PermissionDenied,
            404 => ErrorClass::NotFound,
            409 => ErrorClass::Conflict,
            429 => ErrorClass::RateLimit,
            502 => ErrorClass::Provider,
            500..=599 => ErrorClass::InternalServer,
            _ => ErrorClass::Api,
        }
    }

    /// Whether `self` is `ancestor` or derives from it.
    pub fn is_a(self, ancestor: ErrorClass) -> bool {
        let mut class = Some(self);
        while let Some(c) = class {
            if c == ancestor {
                return true;
            }
            class = c.parent();
        }
        false
    }
}

fn join_doc(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
}

/// Defines [`ErrorCode`] and its table in one place: variant, C number, stable string, the
/// HTTP status the API pairs it with, category, class (when the SDK raises it itself) and
/// whether retrying later may succeed.
macro_rules! code_table {
    ($($(#[doc = $doc:literal])* $variant:ident = $num:literal, $text:literal, $status:expr, $category:ident, $class:ident, $retryable:literal;)*) => {
        /// A stable error code. The string form ([`ErrorCode::as_str`]) is the API's own
        /// spelling where the API defines one, and the number ([`ErrorCode::number`]) is what the
        /// C ABI returns. Codes are never renamed and numbers are never reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)*
        }

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

            /// The HTTP status the API answers with this code, for the codes of the
            /// reference's error table.
            pub const fn status(self) -> Option<u16> {
                match self { $(ErrorCode::$variant => $status),* }
            }

            /// Where the code comes from.
            pub const fn category(self) -> ErrorCategory {
                match self { $(ErrorCode::$variant => ErrorCategory::$category),* }
            }

            /// The class of an error with this code that the SDK raises itself. An error the
            /// API answered takes the class of its HTTP status instead ([`ErrorClass::for_status`]).
            pub const fn class(self) -> ErrorClass {
                match self { $(ErrorCode::$variant => ErrorClass::$class),* }
            }

            /// Whether the same request may succeed when retried later.
            pub const fn is_retryable(self) -> bool {
                match self { $(ErrorCode::$variant => $retryable),* }
            }

            /// What the code means, for generated documentation.
            pub fn doc(self) -> String {
                let lines: &[&str] = match self { $(ErrorCode::$variant => &[$($doc),*]),* };
                join_doc(lines)
            }

            /// Looks a code up by its string form.
            pub fn from_code_str(s: &str) -> Option<ErrorCode> {
                match s { $($text => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

code_table! {
    // --- the API's error answers (reference "Errors" table) ---
    /// HTTP 400: missing or invalid parameters; raised by the SDK too when it refuses a request
    /// before sending it.
    ValidationError = 1, "VALIDATION_ERROR", Some(400), Api, Validation, false;
    /// HTTP 401: invalid or missing API key.
    Unauthorized = 2, "UNAUTHORIZED", Some(401), Api, Authentication, false;
    /// HTTP 402: contact or daily quota exceeded.
    QuotaExceeded = 3, "QUOTA_EXCEEDED", Some(402), Api, QuotaExceeded, false;
    /// HTTP 403: subscription inactive or addon not enabled.
    Forbidden = 4, "FORBIDDEN", Some(403), Api, PermissionDenied, false;
    /// HTTP 404: event, contact or resource not found.
    NotFound = 5, "NOT_FOUND", Some(404), Api, NotFound, false;
    /// HTTP 409: the resource already exists (one webhook per application).
    Conflict = 6, "CONFLICT", Some(409), Api, Conflict, false;
    /// HTTP 429: too many requests.
    RateLimited = 7, "RATE_LIMITED", Some(429), Api, RateLimit, true;
    /// HTTP 500 (and other 5xx answers without a code): internal server error.
    ServerError = 8, "SERVER_ERROR", Some(500), Api, InternalServer, true;
    /// HTTP 502: a third-party provider failed.
    ProviderError = 9, "PROVIDER_ERROR", Some(502), Api, Provider, true;
    // --- a failed send's reasons ---
    /// The contact lacks the identifier a channel needs.
    MissingIdentifier = 20, "MISSING_IDENTIFIER", None, Send, SendFailed, false;
    /// The channel has no configured integration.
    IntegrationMissing = 21, "INTEGRATION_MISSING", None, Send, SendFailed, false;
    /// SMS/WhatsApp addon not on the plan.
    AddonNotEnabled = 22, "ADDON_NOT_ENABLED", None, Send, SendFailed, false;
    /// The sender email/phone is not verified.
    UnverifiedSender = 23, "UNVERIFIED_SENDER", None, Send, SendFailed, false;
    /// An email address is not valid (a send's reason, or the SDK's own check).
    InvalidEmail = 24, "INVALID_EMAIL", None, Send, InvalidEmail, false;
    /// A phone number is not valid E.164 (a send's reason, or the SDK's own check).
    InvalidPhone = 25, "INVALID_PHONE", None, Send, InvalidPhone, false;
    /// The event name does not exist.
    EventNotFound = 26, "EVENT_NOT_FOUND", None, Send, SendFailed, false;
    // --- webhook verification ---
    /// A required `webhook-*` header is absent.
    WebhookMissingHeader = 40, "WEBHOOK_MISSING_HEADER", None, Webhook, WebhookVerification, false;
    /// `webhook-timestamp` is not a unix time in seconds.
    WebhookInvalidTimestamp = 41, "WEBHOOK_INVALID_TIMESTAMP", None, Webhook, WebhookVerification, false;
    /// The timestamp is older than the tolerance allows.
    WebhookTimestampTooOld = 42, "WEBHOOK_TIMESTAMP_TOO_OLD", None, Webhook, WebhookVerification, false;
    /// The timestamp is further in the future than the tolerance allows.
    WebhookTimestampTooNew = 43, "WEBHOOK_TIMESTAMP_TOO_NEW", None, Webhook, WebhookVerification, false;
    /// `webhook-signature` has no well-formed `v1,`/`v1a,` entry, or more entries than allowed.
    WebhookInvalidSignatureHeader = 44, "WEBHOOK_INVALID_SIGNATURE_HEADER", None, Webhook, WebhookVerification, false;
    /// No signature in the header matches the body with the given secret.
    WebhookNoMatchingSignature = 45, "WEBHOOK_NO_MATCHING_SIGNATURE", None, Webhook, WebhookVerification, false;
    /// The secret cannot be used: not `whsec_`/`whpk_` base64 of a usable key.
    WebhookInvalidSecret = 46, "WEBHOOK_INVALID_SECRET", None, Webhook, WebhookVerification, false;
    /// The secret is empty.
    WebhookSecretEmpty = 47, "WEBHOOK_SECRET_EMPTY", None, Webhook, WebhookVerification, false;
    /// An API key (`live_…`/`test_…`) was passed where the webhook signing secret belongs.
    WebhookSecretIsApiKey = 48, "WEBHOOK_SECRET_IS_API_KEY", None, Webhook, WebhookVerification, false;
    /// A signature (`v1,…`) was pasted where the signing secret belongs.
    WebhookSecretIsSignature = 49, "WEBHOOK_SECRET_IS_SIGNATURE", None, Webhook, WebhookVerification, false;
    /// The signature is valid but the body is not a JSON webhook event.
    WebhookInvalidPayload = 50, "WEBHOOK_INVALID_PAYLOAD", None, Webhook, WebhookVerification, false;
    /// `webhook-id` or `webhook-timestamp` appears more than once with different values.
    WebhookAmbiguousHeader = 51, "WEBHOOK_AMBIGUOUS_HEADER", None, Webhook, WebhookVerification, false;
    /// The webhook was already received and verified: a redelivery of the same `webhook-id`.
    WebhookDuplicate = 52, "WEBHOOK_DUPLICATE", None, Webhook, WebhookDuplicate, false;
    /// The body given to verification is a parsed object, not the raw bytes that were signed.
    WebhookBodyNotRaw = 53, "WEBHOOK_BODY_NOT_RAW", None, Webhook, WebhookVerification, false;
    /// The replay guard's store could not record the webhook (Redis unreachable, a user
    /// store's failure).
    ReplayStoreError = 54, "REPLAY_STORE_ERROR", None, Webhook, ReplayStore, true;
    // --- the client ---
    /// No API key was given and `SENDIVENT_API_KEY` is not set.
    MissingApiKey = 60, "MISSING_API_KEY", None, Client, Configuration, false;
    /// The API key does not start with `live_` or `test_`.
    InvalidApiKey = 61, "INVALID_API_KEY", None, Client, Configuration, false;
    /// The base URL cannot be parsed or uses an unsupported scheme.
    InvalidBaseUrl = 62, "INVALID_BASE_URL", None, Client, Configuration, false;
    /// Plain `http://` to a non-loopback host without the explicit opt-in.
    InsecureBaseUrl = 63, "INSECURE_BASE_URL", None, Client, Configuration, false;
    /// A request could not be built from the given input (bad JSON, wrong shape, a path
    /// segment that would change the route).
    InvalidRequest = 64, "INVALID_REQUEST", None, Client, Validation, false;
    /// The connection failed or was lost before a response arrived.
    ConnectionError = 65, "CONNECTION_ERROR", None, Client, Connection, true;
    /// An attempt took longer than the configured timeout.
    Timeout = 66, "TIMEOUT", None, Client, Timeout, true;
    /// The server answered with something that is not the documented shape, or a body larger
    /// than the client reads.
    InvalidResponse = 67, "INVALID_RESPONSE", None, Client, InvalidResponse, false;
    /// A send answered `success: false`; the error carries the `errors` list.
    SendFailed = 68, "SEND_FAILED", None, Client, SendFailed, false;
    /// An API error answer without a code this SDK knows (the raw code is kept).
    ApiError = 69, "API_ERROR", None, Client, Api, false;
    // --- bindings ---
    /// An invalid argument: a NULL pointer, invalid UTF-8, a wrong type, or an option outside
    /// its documented bounds.
    InvalidArgument = 90, "INVALID_ARGUMENT", None, Binding, Validation, false;
    /// A bug: a panic was caught at a binding boundary.
    InternalError = 91, "INTERNAL_ERROR", None, Binding, Internal, false;
}

impl ErrorCode {
    /// The code of an error answer whose body carries none: the reference's status table, any
    /// other 5xx but 502 as `SERVER_ERROR`, anything else `API_ERROR`.
    pub fn for_status(status: u16) -> ErrorCode {
        match status {
            400 | 422 => ErrorCode::ValidationError,
            401 => ErrorCode::Unauthorized,
            402 => ErrorCode::QuotaExceeded,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            409 => ErrorCode::Conflict,
            429 => ErrorCode::RateLimited,
            502 => ErrorCode::ProviderError,
            500..=599 => ErrorCode::ServerError,
            _ => ErrorCode::ApiError,
        }
    }

    /// Whether this code belongs to webhook verification.
    pub fn is_webhook(self) -> bool {
        self.category() == ErrorCategory::Webhook
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
/// Match on [`Error::error_code`] for behaviour and show its `to_string()` to people. The
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
    /// 429, 5xx). An API answer is judged by its status whatever its code, so a 500 with a code
    /// this SDK does not know is retryable. Useful to callers with their own queues; the
    /// client's own retries also depend on whether the request is safe to repeat.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Api(api) => is_retryable_status(api.status),
            Error::Invalid { code, .. } | Error::Webhook { code, .. } | Error::Binding { code, .. } => {
                code.is_retryable()
            }
            Error::SendFailed(_) => false,
        }
    }

    /// The class this error is raised as in every binding: an API answer by its HTTP status,
    /// anything else by its code.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Api(api) => ErrorClass::for_status(api.status),
            Error::SendFailed(_) => ErrorClass::SendFailed,
            Error::Connection { .. } => ErrorClass::Connection,
            Error::Timeout { .. } => ErrorClass::Timeout,
            Error::Invalid { code, .. } | Error::Webhook { code, .. } | Error::Binding { code, .. } => code.class(),
        }
    }

    /// The error for an HTTP answer with a non-2xx `status`, exactly as the client builds it
    /// from a response (docs/contract.md §2 "Errors"): a send's `success: false` reasons, else
    /// the `{error, code}` envelope, else the status's code; `Retry-After` is read for
    /// retryable statuses. Bindings' tests and the behaviour vectors use it to check their error
    /// mapping without a server.
    ///
    /// ```
    /// use sendivent::Error;
    ///
    /// let err = Error::from_answer(503, vec![("Retry-After".into(), "2".into())], b"<html>busy</html>", false);
    /// assert_eq!((err.code(), err.class().name(), err.is_retryable()), ("SERVER_ERROR", "InternalServerError", true));
    /// ```
    #[cfg(feature = "client")]
    pub fn from_answer(status: u16, headers: Vec<(String, String)>, body: &[u8], is_send: bool) -> Error {
        crate::client::answer_error(ResponseMeta::from_headers(status, headers), body, is_send)
    }

    /// An error the SDK raises itself, by code (for bindings' tests): `None` for a code that is
    /// not in the table or that only an API answer carries.
    pub fn from_code(code: &str, message: impl Into<String>) -> Option<Error> {
        let code = ErrorCode::from_code_str(code)?;
        let message = message.into();
        Some(match code.category() {
            ErrorCategory::Webhook => Error::webhook(code, message),
            ErrorCategory::Binding => Error::Binding { code, message },
            ErrorCategory::Api | ErrorCategory::Send => Error::invalid(code, message),
            ErrorCategory::Client => match code {
                ErrorCode::ConnectionError => Error::Connection { message },
                ErrorCode::Timeout => {
                    Error::Timeout { timeout: Duration::from_secs(30), elapsed: Duration::from_secs(90) }
                }
                ErrorCode::SendFailed | ErrorCode::ApiError => return None,
                _ => Error::invalid(code, message),
            },
        })
    }

    /// Everything a binding needs to raise this error in its own language: see [`ErrorDetails`].
    pub fn details(&self) -> ErrorDetails {
        let meta = self.meta().cloned();
        ErrorDetails {
            code: self.code().to_owned(),
            class: self.class().name(),
            message: self.message(),
            display: self.to_string(),
            status: meta.as_ref().map(|m| m.status),
            request_id: meta.as_ref().and_then(|m| m.request_id.clone()),
            retryable: self.is_retryable(),
            retry_after: match self {
                Error::Api(api) => api.retry_after.map(|d| d.as_secs_f64()),
                _ => None,
            },
            errors: self.send_errors().to_vec(),
            reason: match self {
                Error::Webhook { code, .. } => Some(webhook_reason(*code)),
                _ => None,
            },
            timeout: match self {
                Error::Timeout { timeout, .. } => Some(timeout.as_secs_f64()),
                _ => None,
            },
            elapsed: match self {
                Error::Timeout { elapsed, .. } => Some(elapsed.as_secs_f64()),
                _ => None,
            },
            response: meta,
        }
    }
}

/// `WEBHOOK_TIMESTAMP_TOO_OLD` → `timestamp_too_old`: the `reason` of a webhook verification
/// error.
pub fn webhook_reason(code: ErrorCode) -> String {
    code.as_str().trim_start_matches("WEBHOOK_").to_ascii_lowercase()
}

/// Statuses whose answers may succeed when retried: 408, 429, and every 5xx.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500..=599)
}

/// An error as data: what every binding reads to raise it as its own exception, error value or
/// C error object, so that the fields and their meaning are the same in every language.
///
/// ```
/// use sendivent::validate::validate_phone;
///
/// let details = validate_phone("0701234567").unwrap_err().details();
/// assert_eq!((details.code.as_str(), details.class), ("INVALID_PHONE", "InvalidPhoneError"));
/// assert!(!details.retryable);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorDetails {
    /// The stable code; for API errors the server's code exactly as sent.
    pub code: String,
    /// The class name the error is raised as ([`ErrorClass::name`]).
    pub class: &'static str,
    /// The message for a person, without the code prefix.
    pub message: String,
    /// `CODE: message (HTTP status, request id …)`: what `str()`/`toString()` show.
    pub display: String,
    /// The HTTP status, when the error came from a response.
    pub status: Option<u16>,
    /// `X-Request-Id` of the failed response, for support tickets.
    pub request_id: Option<String>,
    /// Whether the same request may succeed when retried later.
    pub retryable: bool,
    /// Seconds the server asked to wait (`Retry-After`), when it said.
    pub retry_after: Option<f64>,
    /// A failed send's reasons, one per recipient or channel (empty otherwise).
    pub errors: Vec<SendError>,
    /// Which webhook check failed (`timestamp_too_old`, …): the code without `WEBHOOK_`,
    /// lower-cased. Only for webhook verification errors.
    pub reason: Option<String>,
    /// The per-attempt timeout in seconds, for timeouts.
    pub timeout: Option<f64>,
    /// Seconds spent over all attempts, for timeouts.
    pub elapsed: Option<f64>,
    /// Status, headers and request id of the failed response, when there was one.
    pub response: Option<ResponseMeta>,
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
    fn errors_the_sdk_raises_are_retryable_as_the_code_table_says() {
        let store = crate::webhook::store_error("connection refused");
        assert!(store.is_retryable() && store.details().retryable, "{store:?}");
        assert!(!crate::webhook::duplicate("msg_1").is_retryable());
        assert!(!Error::invalid(ErrorCode::ValidationError, "no").is_retryable());
    }

    #[test]
    fn redaction_keeps_prefix_and_tail_only() {
        assert_eq!(redact("test_0123456789abcdefXYZW"), "test_…XYZW");
        assert_eq!(redact("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_…LaSw");
        assert_eq!(redact("live_tiny"), "live_…");
        assert!(!redact("test_0123456789abcdefXYZW").contains("0123"));
    }
}
