//! The types the generated records are made of besides uniffi's own: JSON values, header pairs,
//! the rate-limit option, and the conversions between records and the core's canonical JSON.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::call::{internal, invalid_argument};
use crate::errors_gen::SendiventError;

/// A JSON value, given and returned as JSON text: what the API leaves open, such as a send's
/// `payload` (`"{\"order\": 1042}"`), a contact's custom fields, or a template's extra fields.
/// Kotlin and Swift see a `String`; text that is not JSON is INVALID_ARGUMENT.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonValue(pub Value);

impl From<JsonValue> for String {
    fn from(value: JsonValue) -> String {
        value.0.to_string()
    }
}

impl TryFrom<String> for JsonValue {
    type Error = SendiventError;

    fn try_from(text: String) -> Result<JsonValue, SendiventError> {
        serde_json::from_str(&text).map(JsonValue).map_err(|e| invalid_argument(format!("not JSON text ({e})")))
    }
}

uniffi::custom_type!(JsonValue, String);

/// One HTTP header. Header lists keep their order and their repeats (webhook verification needs
/// every occurrence), and travel as `[name, value]` pairs in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct Header {
    /// The header name, in any case.
    pub name: String,
    /// The value.
    pub value: String,
}

impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.name, &self.value).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Header {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Header, D::Error> {
        let (name, value) = <(String, String)>::deserialize(deserializer)?;
        Ok(Header { name, value })
    }
}

/// A client-side rate limit, so that bulk senders do not meet 429s.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum RateLimitOption {
    /// At most this many requests per second (the `rate_limit` bound of docs/contract.md §2
    /// "Option bounds").
    PerSecond {
        /// Requests per second.
        requests: f64,
    },
    /// The documented rate of the key's mode (`live_` or `test_`).
    Documented,
}

impl Serialize for RateLimitOption {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RateLimitOption::PerSecond { requests } => finite(requests, serializer),
            RateLimitOption::Documented => serializer.serialize_str("documented"),
        }
    }
}

/// Serialises a number of an option, refusing NaN and infinities: JSON has no such numbers, and
/// `serde_json` would turn them into `null`, which reads as "not given".
pub(crate) fn finite<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if !value.is_finite() {
        return Err(serde::ser::Error::custom(format!("{value} is not a finite number")));
    }
    serializer.serialize_f64(*value)
}

/// [`finite`] for an optional number.
pub(crate) fn finite_option<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => finite(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// A secret as `Debug` shows it: its prefix and last four characters (the core's redaction).
pub(crate) fn redacted(secret: Option<&str>) -> Option<String> {
    secret.map(sendivent::error::redact)
}

/// A record from the canonical JSON the core returned. Failing means this file and the core's
/// description disagree (a stale `make generate`): a bug, so INTERNAL_ERROR.
pub(crate) fn from_canonical<T: DeserializeOwned>(value: Value) -> Result<T, SendiventError> {
    serde_json::from_value(value).map_err(|e| internal(format!("cannot read the core's answer: {e}")))
}

/// The canonical JSON of a core value or a record given by the caller (an argument): a value
/// that JSON cannot carry (a NaN option) is INVALID_ARGUMENT.
pub(crate) fn to_canonical<T: Serialize>(value: &T) -> Result<Value, SendiventError> {
    serde_json::to_value(value).map_err(|e| invalid_argument(e.to_string()))
}

/// A record as JSON text.
pub(crate) fn to_text<T: Serialize>(value: &T) -> Result<String, SendiventError> {
    serde_json::to_string(value).map_err(|e| internal(format!("cannot encode the value: {e}")))
}
