//! Types shared by every endpoint: channels, codes, envelopes and response metadata.

use serde::{Deserialize, Serialize};

use super::{lenient, open_enum};
use crate::error::ErrorCode;

open_enum! {
    /// A delivery channel.
    Channel {
        /// Email (SES, SendGrid, Brevo).
        Email = "email",
        /// SMS to an E.164 phone.
        Sms = "sms",
        /// Slack (user ID or `#channel`).
        Slack = "slack",
        /// Mobile push (Expo, FCM, APNs).
        Push = "push",
        /// Telegram.
        Telegram = "telegram",
        /// WhatsApp Business to an E.164 phone.
        Whatsapp = "whatsapp",
        /// Discord.
        Discord = "discord",
    }
}

open_enum! {
    /// An error code sent by the API (status codes and send codes). Codes newer than this SDK
    /// are kept as `Other`.
    ApiCode {
        /// 400.
        ValidationError = "VALIDATION_ERROR",
        /// 401.
        Unauthorized = "UNAUTHORIZED",
        /// 402.
        QuotaExceeded = "QUOTA_EXCEEDED",
        /// 403.
        Forbidden = "FORBIDDEN",
        /// 404.
        NotFound = "NOT_FOUND",
        /// 409.
        Conflict = "CONFLICT",
        /// 429.
        RateLimited = "RATE_LIMITED",
        /// 500.
        ServerError = "SERVER_ERROR",
        /// 502.
        ProviderError = "PROVIDER_ERROR",
        /// The contact lacks the identifier the channel needs.
        MissingIdentifier = "MISSING_IDENTIFIER",
        /// The channel has no integration.
        IntegrationMissing = "INTEGRATION_MISSING",
        /// SMS/WhatsApp addon not on the plan.
        AddonNotEnabled = "ADDON_NOT_ENABLED",
        /// The sender is not verified.
        UnverifiedSender = "UNVERIFIED_SENDER",
        /// Invalid email.
        InvalidEmail = "INVALID_EMAIL",
        /// Invalid phone.
        InvalidPhone = "INVALID_PHONE",
        /// Unknown event name.
        EventNotFound = "EVENT_NOT_FOUND",
    }
}

impl ApiCode {
    /// The SDK's [`ErrorCode`] for this API code, if it has one.
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_code_str(self.as_str())
    }
}

/// The error body of every non-2xx answer: `{"error": "...", "code": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// A message for a person (empty when the body had none).
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub error: String,
    /// The machine-readable code; absent on some proxies' answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ApiCode>,
}

/// One reason a send failed: an entry of a failed send's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendError {
    /// The send code (MISSING_IDENTIFIER, INTEGRATION_MISSING, …), unknown codes kept.
    pub code: ApiCode,
    /// A message for a person.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub message: String,
}

/// The `{success, data}` envelope of most successful answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Envelope"))]
pub struct Envelope<T> {
    /// Always true on a 2xx answer (absent or `null` reads as true).
    #[serde(default = "default_true", deserialize_with = "lenient::null_true")]
    pub success: bool,
    /// The payload.
    pub data: T,
}

pub(crate) fn default_true() -> bool {
    true
}

/// One page of a list endpoint.
pub trait Page {
    /// The item type.
    type Item;
    /// The items of this page.
    fn items(&self) -> &[Self::Item];
    /// Moves the items out.
    fn into_items(self) -> Vec<Self::Item>;
    /// The total number of items across all pages.
    fn total(&self) -> u64;
    /// The offset this page starts at.
    fn offset(&self) -> u64;
}

/// `{success, deleted}`, the answer of a hard delete.
///
/// A 2xx answer to a DELETE means the resource is gone, so an absent (or `null`) `deleted`
/// reads as `true`; only an explicit `"deleted": false` is `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Deleted {
    /// True when the request succeeded.
    #[serde(default = "default_true", deserialize_with = "lenient::null_true")]
    pub success: bool,
    /// True when the resource was deleted.
    #[serde(default = "default_true", deserialize_with = "lenient::null_true")]
    pub deleted: bool,
}

/// `{success}`, the answer of calls that return nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Acknowledged {
    /// True when the request succeeded.
    #[serde(default = "default_true", deserialize_with = "lenient::null_true")]
    pub success: bool,
}

/// The `X-RateLimit-*` headers of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimit {
    /// Requests allowed in the window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets, unix seconds (`X-RateLimit-Reset`).
    pub reset: Option<u64>,
}

/// What the HTTP layer said about a response: every call's result and error carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: u16,
    /// Every response header, names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    /// `X-Request-Id`, when the server sent one.
    pub request_id: Option<String>,
    /// True when `X-Idempotent-Replay: true`: this is the stored answer to an earlier request
    /// with the same idempotency key, and nothing was sent again.
    pub idempotent_replay: bool,
    /// The idempotency key the request carried, if any.
    pub idempotency_key: Option<String>,
    /// Rate-limit headers, when present.
    pub rate_limit: Option<RateLimit>,
    /// How many attempts the call took (1 when it was not retried).
    pub attempts: u32,
    /// True when an answer was lost and the SDK completed the call from the resource's state
    /// instead (a repeated delete that met 404, a repeated create that met 409 and read the
    /// resource back): `status` and `headers` are those of the last response.
    pub recovered: bool,
}

impl ResponseMeta {
    /// Builds metadata from a status and headers, deriving the request id, replay flag and
    /// rate limit. Header names are matched case-insensitively.
    pub fn from_headers(status: u16, headers: impl IntoIterator<Item = (String, String)>) -> ResponseMeta {
        let headers: Vec<(String, String)> =
            headers.into_iter().map(|(name, value)| (name.to_ascii_lowercase(), value)).collect();
        let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_owned());
        let number = |name: &str| find(name).and_then(|v| v.parse::<u64>().ok());
        let rate_limit = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        };
        let has_rate_limit = rate_limit != RateLimit::default();
        ResponseMeta {
            status,
            request_id: find("x-request-id"),
            idempotent_replay: find("x-idempotent-replay").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            rate_limit: has_rate_limit.then_some(rate_limit),
            idempotency_key: None,
            attempts: 1,
            recovered: false,
            headers,
        }
    }

    /// The first value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
