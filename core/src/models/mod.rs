//! Request and response types of the Sendivent API (docs/contract.md §1).
//!
//! Decoding is lenient where the contract asks for it, and strict elsewhere:
//!
//! - unknown fields are ignored;
//! - unknown values of open sets ([`Channel`], [`DeliveryStatus`], [`ApiCode`],
//!   [`WebhookEventType`]) are kept in an `Other` variant instead of failing;
//! - `null` is the same as an absent field: `None` for an optional field, the default (`[]`,
//!   `{}`, `0`, `""`, `true` for `success`) for a field that has one, still an error for a
//!   required field;
//! - a known field of the wrong type is an error (`"total": "many"` does not decode).
//!
//! [`decode_response`] decodes any operation's answer by name and gives the canonical JSON of
//! the model the SDK returns; the shared vectors (`tests/vectors/decoding.json`) pin it for
//! every binding.
//!
//! ```
//! use sendivent::models::{Channel, SendRequest, ContactInput};
//! use serde_json::json;
//!
//! let request = SendRequest::to(ContactInput::email("ada@example.com").name("Ada").field("tier", "gold"))
//!     .payload(json!({"order": 42}));
//! assert_eq!(
//!     serde_json::to_value(&request).unwrap(),
//!     json!({"to": {"email": "ada@example.com", "name": "Ada", "tier": "gold"}, "payload": {"order": 42}})
//! );
//! assert_eq!("fax".parse::<Channel>().unwrap(), Channel::Other("fax".into()));
//! ```

mod common;
mod contact;
pub(crate) mod decode;
mod delivery;
mod event;
mod integration;
mod lenient;
mod send;
mod webhook;

pub use common::*;
pub use contact::*;
pub use decode::{EXTRA_KINDS, decode_answer, decode_response};
pub use delivery::*;
pub use event::*;
pub use integration::*;
pub use send::*;
pub use webhook::*;

/// Defines a string enum of an open set: known values get variants, anything else is kept in
/// `Other(String)` so that a newer server never breaks an older SDK.
macro_rules! open_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant,)*
            /// A value this SDK version does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every known value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }

            /// Whether this is a value this SDK version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match $name::from(s.as_str()) {
                    $name::Other(_) => $name::Other(s),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// An open set: any string is accepted, the known values are listed (`x-open-enum`
        /// marks it for the generator, which keeps unknown values as plain strings).
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let known: Vec<&str> = $name::KNOWN.iter().map(|v| v.as_str()).collect();
                let values: Vec<serde_json::Value> = vec![$(serde_json::json!({
                    "value": $text,
                    "name": stringify!($variant),
                    "doc": ($crate::models::doc_text(&[$($vdoc),*])),
                })),*];
                let doc = $crate::models::doc_text(&[$($doc),*]);
                schemars::json_schema!({
                    "description": doc,
                    "anyOf": [{"type": "string", "enum": known}, {"type": "string"}],
                    "x-open-enum": values,
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(s.into_owned()))
            }
        }
    };
}
pub(crate) use open_enum;

/// Joins doc-comment lines into one paragraph (for schema descriptions).
#[cfg(feature = "schema")]
pub(crate) fn doc_text(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
