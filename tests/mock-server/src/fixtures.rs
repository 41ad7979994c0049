//! The fixtures file: the application, its events, templates, integrations and seed contacts.

use std::collections::BTreeMap;

use sendivent::models::{Channel, Template};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The built-in fixtures (`fixtures/default.json`), used when no `--fixtures` file is given.
pub const DEFAULT_FIXTURES: &str = include_str!("../fixtures/default.json");

/// Everything the mock starts with (and returns to on `POST /_mock/reset`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// The application (`{{app.name}}`).
    #[serde(default)]
    pub app: AppFixture,
    /// The default sender (`{{sender.name}}`, `{{sender.email}}`).
    #[serde(default)]
    pub sender: SenderFixture,
    /// Senders a `from` override may name; anything else is UNVERIFIED_SENDER.
    #[serde(default)]
    pub verified_senders: Vec<String>,
    /// Plan addons by channel, e.g. `{"sms": true, "whatsapp": false}`; SMS and WhatsApp need theirs.
    #[serde(default)]
    pub addons: BTreeMap<String, bool>,
    /// The template language used when a send names none or one without a template.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// The notification events.
    #[serde(default)]
    pub events: Vec<EventFixture>,
    /// Channel integrations (an active one is needed to send on a channel).
    #[serde(default)]
    pub integrations: Vec<IntegrationFixture>,
    /// Seed contacts: objects in the `POST /v1/contacts` shape, plus optional `uuid` and
    /// `push_tokens`.
    #[serde(default)]
    pub contacts: Vec<Value>,
}

fn default_language() -> String {
    "en".to_owned()
}

/// `app` of the fixtures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppFixture {
    /// The application name.
    pub name: String,
}

impl Default for AppFixture {
    fn default() -> Self {
        AppFixture { name: "Mock App".to_owned() }
    }
}

/// `sender` of the fixtures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderFixture {
    /// Display name.
    pub name: String,
    /// Sender address.
    pub email: String,
}

impl Default for SenderFixture {
    fn default() -> Self {
        SenderFixture { name: "Mock Sender".to_owned(), email: "noreply@mock.example".to_owned() }
    }
}

/// One event of the fixtures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFixture {
    /// The event name used in send paths.
    pub identifier: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Channels the event sends on.
    pub channels: Vec<Channel>,
    /// Recipients of a send without `to` (identifier strings; `#channel` is a Slack channel).
    #[serde(default)]
    pub listeners: Vec<String>,
    /// Templates per channel and language.
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// One integration of the fixtures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationFixture {
    /// The channel.
    pub channel: Channel,
    /// The provider name.
    pub provider: String,
    /// `active` enables sending; anything else counts as not configured.
    #[serde(default = "active")]
    pub status: String,
    /// Provider credentials: accepted so fixtures look real, never returned by the API.
    #[serde(default, skip_serializing)]
    pub secret: Option<Value>,
}

fn active() -> String {
    "active".to_owned()
}

impl Fixtures {
    /// The built-in fixtures.
    pub fn builtin() -> Fixtures {
        // The embedded file is checked by a unit test; a broken build fails there, not here.
        serde_json::from_str(DEFAULT_FIXTURES).unwrap_or_else(|_| Fixtures::empty())
    }

    /// No events, integrations or contacts.
    pub fn empty() -> Fixtures {
        Fixtures {
            app: AppFixture::default(),
            sender: SenderFixture::default(),
            verified_senders: Vec::new(),
            addons: BTreeMap::new(),
            default_language: default_language(),
            events: Vec::new(),
            integrations: Vec::new(),
            contacts: Vec::new(),
        }
    }

    /// Parses a fixtures document and checks it (channels, listeners, templates, contacts).
    pub fn from_json(text: &str) -> Result<Fixtures, String> {
        let fixtures: Fixtures = serde_json::from_str(text).map_err(|e| format!("invalid fixtures: {e}"))?;
        fixtures.check()?;
        Ok(fixtures)
    }

    /// Reads and checks a fixtures file.
    pub fn from_file(path: &std::path::Path) -> Result<Fixtures, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Fixtures::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Checks what serde cannot: known channels, resolvable listeners, compilable templates and
    /// valid seed contacts.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for event in &self.events {
            if !seen.insert(event.identifier.as_str()) {
                return Err(format!("event '{}' is defined twice", event.identifier));
            }
            for channel in &event.channels {
                if !channel.is_known() {
                    return Err(format!("event '{}': unknown channel '{channel}'", event.identifier));
                }
            }
            for listener in &event.listeners {
                sendivent::validate::resolve_identifier(listener)
                    .map_err(|e| format!("event '{}': listener '{listener}': {e}", event.identifier))?;
            }
            for template in &event.templates {
                for text in [&template.subject, &template.body].into_iter().flatten() {
                    crate::render::check(text)
                        .map_err(|e| format!("event '{}': {} template: {e}", event.identifier, template.channel))?;
                }
            }
        }
        for integration in &self.integrations {
            if !integration.channel.is_known() {
                return Err(format!("integration: unknown channel '{}'", integration.channel));
            }
        }
        let mut store = crate::store::Data::default();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
        for contact in &self.contacts {
            store.seed_contact(contact, "1970-01-01T00:00:00.000Z", &mut rng)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn builtin_fixtures_parse_and_check() {
        let fixtures = Fixtures::from_json(DEFAULT_FIXTURES).unwrap();
        assert!(fixtures.events.iter().any(|e| e.identifier == "user.welcome"));
        assert!(!fixtures.integrations.iter().any(|i| i.channel == Channel::Telegram));
        assert_eq!(Fixtures::builtin(), fixtures);
        // Other suites (the Python e2e tests) count the built-in events and contacts.
        assert_eq!((fixtures.events.len(), fixtures.contacts.len()), (6, 2));
    }

    #[test]
    fn official_examples_fixtures_parse_and_check() {
        let fixtures = Fixtures::from_json(include_str!("../fixtures/official-examples.json")).unwrap();
        let notification = fixtures.events.iter().find(|e| e.identifier == "notification").unwrap();
        assert_eq!(notification.channels, [Channel::Email, Channel::Slack]);
    }

    #[test]
    fn bad_fixtures_are_refused_with_a_reason() {
        let err = Fixtures::from_json(r#"{"events":[{"identifier":"a","channels":["fax"]}]}"#).unwrap_err();
        assert!(err.contains("unknown channel 'fax'"), "{err}");
        let err = Fixtures::from_json(r#"{"events":[{"identifier":"a","channels":["email"],"templates":[{"channel":"email","body":"{{#if x}}open"}]}]}"#).unwrap_err();
        assert!(err.contains("template"), "{err}");
        let err = Fixtures::from_json(r#"{"evnts":[]}"#).unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
        let err = Fixtures::from_json(r#"{"contacts":[{"email":"nope@"}]}"#).unwrap_err();
        assert!(err.contains("INVALID_EMAIL"), "{err}");
    }
}
