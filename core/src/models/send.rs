//! `POST /v1/send/{event}[/{channel}]`: the request, its recipients and the answer.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Channel, ContactInput, SendError};
use crate::error::{Error, ErrorCode, Result};
use crate::validate;

/// Who a send goes to: one recipient or several (each gets an individually rendered message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipients {
    /// A single recipient.
    One(Recipient),
    /// Several recipients.
    Many(Vec<Recipient>),
}

/// One recipient: an identifier string or a contact object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipient {
    /// An email, E.164 phone, UUID, external id, Slack user id or `#channel`.
    Identifier(String),
    /// A contact object; fields the API does not know are kept in the contact's `meta`.
    Contact(ContactInput),
}

impl From<&str> for Recipient {
    fn from(s: &str) -> Self {
        Recipient::Identifier(s.to_owned())
    }
}
impl From<String> for Recipient {
    fn from(s: String) -> Self {
        Recipient::Identifier(s)
    }
}
impl From<ContactInput> for Recipient {
    fn from(c: ContactInput) -> Self {
        Recipient::Contact(c)
    }
}
impl<T: Into<Recipient>> From<T> for Recipients {
    fn from(r: T) -> Self {
        Recipients::One(r.into())
    }
}
impl<T: Into<Recipient>> FromIterator<T> for Recipients {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Recipients::Many(iter.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Recipient>> From<Vec<T>> for Recipients {
    fn from(v: Vec<T>) -> Self {
        v.into_iter().collect()
    }
}

impl Recipients {
    /// The recipients as a slice, whichever form they were given in.
    pub fn as_slice(&self) -> &[Recipient] {
        match self {
            Recipients::One(r) => std::slice::from_ref(r),
            Recipients::Many(v) => v,
        }
    }
}

/// The body of a send. Build it with [`SendRequest::to`] or [`SendRequest::broadcast`].
///
/// ```
/// use sendivent::models::SendRequest;
/// use serde_json::json;
///
/// let single = SendRequest::to("ada@example.com").payload(json!({"code": "1234"}));
/// let many = SendRequest::to(vec!["ada@example.com", "+46701234567"]).language("sv");
/// let broadcast = SendRequest::broadcast();
/// assert_eq!(serde_json::to_value(&broadcast).unwrap(), json!({"payload": {}}));
/// # let _ = (single, many);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRequest {
    /// The recipients; `None` sends to the event's configured listeners (broadcast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Recipients>,
    /// Template variables (`{{payload.key}}`). Required by the API; `{}` when there are none.
    #[serde(default = "empty_object")]
    pub payload: Value,
    /// Template language override, e.g. `sv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Sender override (must be verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Channel-specific overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Map<String, Value>>,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

impl Default for SendRequest {
    fn default() -> Self {
        SendRequest::broadcast()
    }
}

impl SendRequest {
    /// A send to the given recipient(s).
    pub fn to(recipients: impl Into<Recipients>) -> SendRequest {
        SendRequest { to: Some(recipients.into()), ..SendRequest::broadcast() }
    }

    /// A send without recipients: the event goes to its configured listeners.
    pub fn broadcast() -> SendRequest {
        SendRequest { to: None, payload: empty_object(), language: None, from: None, overrides: None }
    }

    /// Sets the template variables; must be a JSON object ([`SendRequest::validated`] checks).
    pub fn payload(mut self, payload: Value) -> SendRequest {
        self.payload = payload;
        self
    }

    /// Sets the template language.
    pub fn language(mut self, language: impl Into<String>) -> SendRequest {
        self.language = Some(language.into());
        self
    }

    /// Sets the sender override.
    pub fn from(mut self, from: impl Into<String>) -> SendRequest {
        self.from = Some(from.into());
        self
    }

    /// Sets the channel-specific overrides.
    pub fn overrides(mut self, overrides: Map<String, Value>) -> SendRequest {
        self.overrides = Some(overrides);
        self
    }

    /// Checks the request the way the API would and returns it with identifiers normalised
    /// (emails lower-cased in the domain, phones in E.164, UUIDs lower-cased), so that a bad
    /// recipient fails before anything is sent.
    ///
    /// ```
    /// use sendivent::models::{Recipient, Recipients, SendRequest};
    ///
    /// let ok = SendRequest::to("+1 (415) 555-2671").validated().unwrap();
    /// assert_eq!(ok.to, Some(Recipients::One(Recipient::Identifier("+14155552671".into()))));
    /// assert_eq!(SendRequest::to("nobody@").validated().unwrap_err().code(), "INVALID_EMAIL");
    /// ```
    pub fn validated(&self) -> Result<SendRequest> {
        if !self.payload.is_object() {
            return Err(Error::invalid(ErrorCode::ValidationError, "payload must be a JSON object (use {} when there are no variables)"));
        }
        let to = match &self.to {
            None => None,
            Some(Recipients::One(r)) => Some(Recipients::One(normalize_recipient(r)?)),
            Some(Recipients::Many(list)) => {
                if list.is_empty() {
                    return Err(Error::invalid(
                        ErrorCode::ValidationError,
                        "`to` is an empty list: leave it out to broadcast, or give at least one recipient",
                    ));
                }
                Some(Recipients::Many(list.iter().map(normalize_recipient).collect::<Result<_>>()?))
            }
        };
        Ok(SendRequest { to, ..self.clone() })
    }
}

fn normalize_recipient(recipient: &Recipient) -> Result<Recipient> {
    match recipient {
        Recipient::Identifier(s) => Ok(Recipient::Identifier(validate::resolve_identifier(s)?.into_string())),
        Recipient::Contact(contact) => Ok(Recipient::Contact(contact.validated()?)),
    }
}

/// A delivery created by a send: the channel and the delivery's UUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeliveryRef {
    /// The channel the delivery goes out on.
    pub channel: Channel,
    /// The delivery UUID (use it with the deliveries trace endpoint).
    pub uuid: String,
}

/// The answer to a send: `{success, deliveries: [{<channel>: <uuid>}], errors?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendResponse {
    /// True when the send was accepted. The client turns `false` into [`Error::SendFailed`].
    pub success: bool,
    /// One entry per created delivery.
    #[serde(default, serialize_with = "serialize_refs", deserialize_with = "deserialize_refs")]
    pub deliveries: Vec<DeliveryRef>,
    /// Why the send failed, when `success` is false.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<SendError>,
}

impl SendResponse {
    /// The UUIDs of the deliveries on one channel.
    pub fn deliveries_on(&self, channel: &Channel) -> impl Iterator<Item = &str> {
        self.deliveries.iter().filter(move |d| &d.channel == channel).map(|d| d.uuid.as_str())
    }
}

fn serialize_refs<S: Serializer>(refs: &[DeliveryRef], serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_seq(refs.iter().map(|r| {
        let mut entry = Map::new();
        entry.insert(r.channel.as_str().to_owned(), Value::String(r.uuid.clone()));
        entry
    }))
}

fn deserialize_refs<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<DeliveryRef>, D::Error> {
    // Each entry is `{channel: uuid}`; an entry with several channels yields several refs, and
    // non-string values are skipped rather than failing the whole answer.
    let entries = Option::<Vec<Map<String, Value>>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(entries
        .into_iter()
        .flat_map(|entry| {
            entry.into_iter().filter_map(|(channel, uuid)| match uuid {
                Value::String(uuid) => Some(DeliveryRef { channel: Channel::from(channel), uuid }),
                _ => None,
            })
        })
        .collect())
}
