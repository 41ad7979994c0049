//! Field-level decoding helpers that implement the leniency rules of the models:
//!
//! - `null` is the same as an absent field: an optional field becomes `None`, a field with a
//!   default gets its default (`[]`, `{}`, `0`, `""`, `true` for `success`), and a required field
//!   is still an error;
//! - a `meta`-like object may arrive as `[]` (how PHP encodes an empty associative array);
//! - anything else of the wrong type is an error, so a known field keeps its type.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Map, Value};

/// `null` or absent → `T::default()`; anything else must decode as `T`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `null` or absent → `true` (the `success` flag of a 2xx answer); otherwise a boolean.
pub(crate) fn null_true<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or(true))
}

/// The schema of a field read by [`object_or_empty`]: what the API accepts (an object, `null` or
/// `[]`) when decoding, an object when encoding.
#[cfg(feature = "schema")]
pub(crate) fn object_or_empty_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    if generator.contract().is_serialize() {
        schemars::json_schema!({"type": "object", "additionalProperties": true})
    } else {
        schemars::json_schema!({
            "anyOf": [
                {"type": ["object", "null"], "additionalProperties": true},
                {"type": "array", "maxItems": 0, "description": "PHP's encoding of an empty associative array."},
            ],
        })
    }
}

/// A JSON object; `null` and `[]` (PHP's empty associative array) are an empty object.
pub(crate) fn object_or_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    struct ObjectVisitor;

    impl<'de> Visitor<'de> for ObjectVisitor {
        type Value = Map<String, Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Map::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Map::new())
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Map::deserialize(de::value::MapAccessDeserializer::new(map))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            match seq.next_element::<de::IgnoredAny>()? {
                None => Ok(Map::new()),
                Some(_) => Err(de::Error::invalid_type(Unexpected::Seq, &"a JSON object (or an empty array)")),
            }
        }
    }

    deserializer.deserialize_any(ObjectVisitor)
}
