//! Notification events and their templates.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{Channel, lenient};

/// An event as listed by `GET /v1/events`, or in detail (with templates and channel settings)
/// by `GET /v1/events/{identifier}`.
///
/// `channels` entries may be channel names (`"email"`) or, in the detailed form, objects with a
/// `channel` field and that channel's settings (`{"channel": "email", "enabled": true}`): the
/// channel goes into `channels` and the whole object into `channel_settings` under the
/// channel's name.
///
/// ```
/// use sendivent::models::{Channel, Event};
///
/// let e: Event = serde_json::from_str(
///     r#"{"identifier": "user.welcome", "channels": ["email", {"channel": "sms", "sender": "ACME"}]}"#,
/// ).unwrap();
/// assert_eq!(e.channels, [Channel::Email, Channel::Sms]);
/// assert_eq!(e.channel_settings["sms"]["sender"], "ACME");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "EventWire")]
pub struct Event {
    /// The event name used in send paths, e.g. `user.welcome`.
    pub identifier: String,
    /// Display name.
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Channels the event sends on.
    pub channels: Vec<Channel>,
    /// Per-channel settings of the detailed form, keyed by channel name: each is the channel
    /// object exactly as sent. Empty when `channels` were plain names.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub channel_settings: Map<String, Value>,
    /// Templates, in the detailed form (`GET /v1/events/{identifier}`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
}

/// The wire form of [`Event`].
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct EventWire {
    identifier: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    channels: Vec<ChannelEntry>,
    /// Present when decoding this SDK's own encoding, so that it round-trips.
    #[cfg_attr(feature = "schema", schemars(schema_with = "lenient::object_or_empty_schema"))]
    #[serde(default, deserialize_with = "lenient::object_or_empty")]
    channel_settings: Map<String, Value>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    templates: Vec<Template>,
}

impl From<EventWire> for Event {
    fn from(w: EventWire) -> Event {
        let mut channels = Vec::with_capacity(w.channels.len());
        let mut channel_settings = w.channel_settings;
        for entry in w.channels {
            match entry {
                ChannelEntry::Name(channel) => channels.push(channel),
                ChannelEntry::Object(channel, settings) => {
                    channel_settings.insert(channel.as_str().to_owned(), Value::Object(settings));
                    channels.push(channel);
                }
            }
        }
        Event {
            identifier: w.identifier,
            name: w.name,
            description: w.description,
            channels,
            channel_settings,
            templates: w.templates,
        }
    }
}

/// One entry of an event's `channels`: a name, or an object with a `channel` field.
enum ChannelEntry {
    Name(Channel),
    Object(Channel, Map<String, Value>),
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ChannelEntry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EventChannel".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let channel = generator.subschema_for::<Channel>();
        schemars::json_schema!({
            "description": "A channel name, or an object with a `channel` field and that channel's settings.",
            "anyOf": [channel, {"type": "object", "properties": {"channel": channel}, "required": ["channel"]}],
        })
    }
}

impl<'de> Deserialize<'de> for ChannelEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = ChannelEntry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a channel name or an object with a `channel` field")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ChannelEntry, E> {
                Ok(ChannelEntry::Name(Channel::from(v)))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ChannelEntry, A::Error> {
                let settings = Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match settings.get("channel") {
                    Some(Value::String(name)) => Ok(ChannelEntry::Object(Channel::from(name.as_str()), settings)),
                    Some(_) => Err(de::Error::custom("the `channel` field of a channel object must be a string")),
                    None => Err(de::Error::missing_field("channel")),
                }
            }
        }

        deserializer.deserialize_any(EntryVisitor)
    }
}

/// One channel's template of an event. Fields other than the four below (channel settings,
/// `uuid`, …) are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Template {
    /// The channel.
    pub channel: Channel,
    /// Template language, e.g. `en`.
    #[serde(default)]
    pub language: Option<String>,
    /// Subject line (email).
    #[serde(default)]
    pub subject: Option<String>,
    /// Handlebars body.
    #[serde(default)]
    pub body: Option<String>,
    /// Channel settings and other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// `open_enum!` generates the enum without a `#[default]` variant, so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for Channel {
    fn default() -> Self {
        Channel::Email
    }
}

/// `data` of `GET /v1/events`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventList {
    /// All events of the application.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub events: Vec<Event>,
}

/// `data` of `GET /v1/events/{identifier}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventData {
    /// The event with its templates.
    pub event: Event,
}
