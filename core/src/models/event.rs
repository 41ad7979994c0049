//! Notification events and their templates.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Channel;

/// An event as listed by `GET /v1/events`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    /// The event name used in send paths, e.g. `user.welcome`.
    pub identifier: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Channels the event sends on.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Templates, in the detailed form (`GET /v1/events/{identifier}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
}

/// One channel's template of an event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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

impl Default for Channel {
    fn default() -> Self {
        Channel::Email
    }
}

/// `data` of `GET /v1/events`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventList {
    /// All events of the application.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// `data` of `GET /v1/events/{identifier}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventData {
    /// The event with its templates.
    pub event: Event,
}
