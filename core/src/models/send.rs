//! `POST /v1/send/{event}[/{channel}]`: the request, its recipients and the answer.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{Channel, ContactInput, SendError, lenient};
use crate::error::{Error, ErrorCode, Result};
use crate::validate;

/// Who a send goes to: one recipient or several (each gets an individually rendered message).
// Built once per send and matched by callers: boxing the large variant would only make the API
// clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Recipients {
    /// A single recipient.
    One(Recipient),
    /// Several recipients.
    Many(Vec<Recipient>),
}

/// One recipient: an identifier string or a contact object.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Recipient {
    /// An email, E.164 phone, UUID, external id, Slack user id or `#channel`.
    Identifier(String),
    /// A contact object; fields the API does not know are kept in the contact's `meta`.
    Contact(ContactInput),
}

/// Decodes a string, an object or (for [`Recipients`]) an array, reporting the real problem of a
/// bad contact object (`invalid type: integer, expected a string` for `{"email": 5}`) instead of
/// an untagged enum's "did not match any variant".
struct RecipientVisitor {
    allow_list: bool,
}

impl<'de> Visitor<'de> for RecipientVisitor {
    type Value = Recipients;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.allow_list {
            f.write_str("a recipient string, a contact object, or an array of those")
        } else {
            f.write_str("a recipient string or a contact object")
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Recipients, E> {
        Ok(Recipients::One(Recipient::Identifier(v.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Recipients, E> {
        Ok(Recipients::One(Recipient::Identifier(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Recipients, A::Error> {
        let contact = ContactInput::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Recipients::One(Recipient::Contact(contact)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Recipients, A::Error> {
        if !self.allow_list {
            return Err(serde::de::Error::invalid_type(serde::de::Unexpected::Seq, &self));
        }
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(recipient) = seq.next_element::<Recipient>()? {
            list.push(recipient);
        }
        Ok(Recipients::Many(list))
    }
}

impl<'de> Deserialize<'de> for Recipients {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(RecipientVisitor { allow_list: true })
    }
}

impl<'de> Deserialize<'de> for Recipient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        match deserializer.deserialize_any(RecipientVisitor { allow_list: false })? {
            Recipients::One(recipient) => Ok(recipient),
            // Unreachable: the visitor refuses arrays when `allow_list` is false.
            Recipients::Many(_) => Err(serde::de::Error::custom("a recipient cannot be an array")),
        }
    }
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

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Recipient {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Recipient".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let contact = generator.subschema_for::<ContactInput>();
        schemars::json_schema!({
            "description": "One recipient: an identifier string (email, E.164 phone, UUID, external id, Slack user id, `#channel`, or with the slack channel a Slack channel id) or a contact object.",
            "anyOf": [{"type": "string"}, contact],
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Recipients {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Recipients".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = generator.subschema_for::<Recipient>();
        schemars::json_schema!({
            "description": "One recipient or a list of them (each gets an individually rendered message).",
            "anyOf": [one, {"type": "array", "items": one}],
        })
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendRequest {
    /// The recipients; `None` sends to the event's configured listeners (broadcast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Recipients>,
    /// Template variables (`{{payload.key}}`). Required by the API; `{}` when there are none
    /// (an absent or `null` payload decodes as `{}`).
    #[serde(default = "empty_object", deserialize_with = "payload_or_empty")]
    pub payload: Value,
    /// Template language override, e.g. `sv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Sender override (must be verified): an email, a phone or a name, or a contact object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Sender>,
    /// Channel-specific overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Map<String, Value>>,
}

/// The sender of a send (`from`): a string — an email, a phone or a name — or a contact object
/// such as `{"email": …, "name": …}` (both forms are what the official SDKs send).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Sender {
    /// An email, a phone or a name.
    Text(String),
    /// A contact object; its email (or phone) is the sender, its name the display name.
    Contact(ContactInput),
}

impl From<&str> for Sender {
    fn from(s: &str) -> Self {
        Sender::Text(s.to_owned())
    }
}
impl From<String> for Sender {
    fn from(s: String) -> Self {
        Sender::Text(s)
    }
}
impl From<ContactInput> for Sender {
    fn from(c: ContactInput) -> Self {
        Sender::Contact(c)
    }
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

fn payload_or_empty<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Value, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?.unwrap_or_else(empty_object))
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

    /// Sets the sender override: a string (email, phone or name) or a [`ContactInput`].
    pub fn from(mut self, from: impl Into<Sender>) -> SendRequest {
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
        self.validated_on(None)
    }

    /// [`SendRequest::validated`] for a send on one channel: with `slack`, a Slack channel id
    /// (`C01234ABCDE`) in `to` is a channel broadcast ([`validate::resolve_recipient`]).
    pub fn validated_on(&self, channel: Option<&Channel>) -> Result<SendRequest> {
        if !self.payload.is_object() {
            return Err(Error::invalid(
                ErrorCode::ValidationError,
                "payload must be a JSON object (use {} when there are no variables)",
            ));
        }
        let normalize = |recipient: &Recipient| -> Result<Recipient> {
            match recipient {
                Recipient::Identifier(s) => {
                    Ok(Recipient::Identifier(validate::resolve_recipient(s, channel)?.into_string()))
                }
                Recipient::Contact(contact) => Ok(Recipient::Contact(contact.validated()?)),
            }
        };
        let to = match &self.to {
            None => None,
            Some(Recipients::One(r)) => Some(Recipients::One(normalize(r)?)),
            Some(Recipients::Many(list)) => {
                if list.is_empty() {
                    return Err(Error::invalid(
                        ErrorCode::ValidationError,
                        "`to` is an empty list: leave it out to broadcast, or give at least one recipient",
                    ));
                }
                Some(Recipients::Many(list.iter().map(normalize).collect::<Result<_>>()?))
            }
        };
        let from = match &self.from {
            Some(Sender::Contact(contact)) => Some(Sender::Contact(contact.validated_fields()?)),
            other => other.clone(),
        };
        Ok(SendRequest { to, from, ..self.clone() })
    }
}

/// The body the SDK sends for a send request given as JSON (in any shape the SDKs accept: the
/// official SDKs' contact aliases, `from` objects, …) on `channel`: decoded, validated and
/// normalised exactly as [`crate::client::Client::send`] does before sending. Bindings use it to
/// show, through `tests/vectors/send_requests.json`, that they send the same bytes.
///
/// ```
/// use sendivent::models::{Channel, prepare_send};
/// use serde_json::json;
///
/// let body = prepare_send(&json!({"to": {"id": "user-1", "slack_id": "U98765ZYXWV"}}), None).unwrap();
/// assert_eq!(body, json!({"to": {"externalId": "user-1", "slack": "U98765ZYXWV"}, "payload": {}}));
/// let body = prepare_send(&json!({"to": "C01234ABCDE"}), Some(&Channel::Slack)).unwrap();
/// assert_eq!(body["to"], "C01234ABCDE");
/// ```
pub fn prepare_send(body: &Value, channel: Option<&Channel>) -> Result<Value> {
    let request = SendRequest::deserialize(body)
        .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("invalid send request: {e}")))?;
    serde_json::to_value(request.validated_on(channel)?)
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot encode the send request: {e}")))
}

/// A delivery created by a send: the channel and the delivery's UUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliveryRef {
    /// The channel the delivery goes out on.
    pub channel: Channel,
    /// The delivery UUID (use it with the deliveries trace endpoint).
    pub uuid: String,
}

/// The answer to a send. On the wire it is `{success, deliveries: [{<channel>: <uuid>}],
/// errors?}`; the SDK gives each delivery as a [`DeliveryRef`] `{channel, uuid}`.
///
/// An entry with several channels yields several [`DeliveryRef`]s (in the entry's order), a
/// `null` UUID is skipped, and any other non-string UUID is an error. An entry written as
/// `{"channel": …, "uuid": …}` (the SDK's own form) is read as one delivery. `success` is
/// required. A send that reached some recipients but not others succeeds and lists the skipped
/// ones in `errors`.
///
/// ```
/// use sendivent::models::{Channel, SendResponse};
///
/// let r: SendResponse = serde_json::from_str(
///     r#"{"success": true, "deliveries": [{"email": "d4e5f6a7"}, {"sms": "a1b2c3d4"}]}"#,
/// ).unwrap();
/// assert_eq!(r.deliveries_on(&Channel::Sms).collect::<Vec<_>>(), ["a1b2c3d4"]);
/// assert_eq!(serde_json::to_value(&r.deliveries[0]).unwrap(), serde_json::json!({"channel": "email", "uuid": "d4e5f6a7"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendResponse {
    /// True when the send was accepted. The client turns `false` into [`Error::SendFailed`].
    pub success: bool,
    /// One entry per created delivery.
    #[serde(default, deserialize_with = "deserialize_refs")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "delivery_refs_schema"))]
    pub deliveries: Vec<DeliveryRef>,
    /// Recipients or channels that were skipped (every one of them when `success` is false),
    /// one reason each.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub errors: Vec<SendError>,
}

impl SendResponse {
    /// The UUIDs of the deliveries on one channel.
    pub fn deliveries_on(&self, channel: &Channel) -> impl Iterator<Item = &str> {
        self.deliveries.iter().filter(move |d| &d.channel == channel).map(|d| d.uuid.as_str())
    }

    /// The wire form the API sends: `{success, deliveries: [{<channel>: <uuid>}], errors?}`.
    pub fn to_wire(&self) -> Value {
        let deliveries: Vec<Value> = self
            .deliveries
            .iter()
            .map(|r| {
                let mut entry = Map::new();
                entry.insert(r.channel.as_str().to_owned(), Value::String(r.uuid.clone()));
                Value::Object(entry)
            })
            .collect();
        let mut body = Map::new();
        body.insert("success".into(), Value::Bool(self.success));
        body.insert("deliveries".into(), Value::Array(deliveries));
        if !self.errors.is_empty() {
            body.insert("errors".into(), serde_json::to_value(&self.errors).unwrap_or(Value::Null));
        }
        Value::Object(body)
    }
}

/// The SDK gives `{channel, uuid}` objects; the API sends `{<channel>: <uuid>}` ones.
#[cfg(feature = "schema")]
fn delivery_refs_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    if generator.contract().is_serialize() {
        let item = generator.subschema_for::<DeliveryRef>();
        schemars::json_schema!({"type": "array", "items": item})
    } else {
        schemars::json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "description": "Maps a channel to the UUID of the delivery created on it.",
                "additionalProperties": {"type": ["string", "null"]},
            },
        })
    }
}

fn deserialize_refs<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<DeliveryRef>, D::Error> {
    let entries = Option::<Vec<DeliveryEntry>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(entries.into_iter().flat_map(|entry| entry.0).collect())
}

/// One `{<channel>: <uuid>, ...}` object of `deliveries`, decoded entry by entry so that an
/// error points at the offending key.
struct DeliveryEntry(Vec<DeliveryRef>);

impl<'de> Deserialize<'de> for DeliveryEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = DeliveryEntry;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object mapping a channel to a delivery UUID")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<DeliveryEntry, A::Error> {
                let mut pairs: Vec<(String, Option<String>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<Option<String>>()?;
                    pairs.push((key, value));
                }
                // The SDK's own `{channel, uuid}` form: exactly those two keys.
                if let [(a, Some(channel)), (b, uuid)] | [(b, uuid), (a, Some(channel))] = pairs.as_slice()
                    && a == "channel"
                    && b == "uuid"
                {
                    let refs = uuid
                        .iter()
                        .map(|uuid| DeliveryRef { channel: Channel::from(channel.as_str()), uuid: uuid.clone() });
                    return Ok(DeliveryEntry(refs.collect()));
                }
                let refs = pairs
                    .into_iter()
                    .filter_map(|(channel, uuid)| {
                        uuid.map(|uuid| DeliveryRef { channel: Channel::from(channel), uuid })
                    })
                    .collect();
                Ok(DeliveryEntry(refs))
            }
        }

        deserializer.deserialize_map(EntryVisitor)
    }
}
