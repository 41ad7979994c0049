//! Contacts: the input used by create/update and by send recipients, the stored contact, and
//! list/search pages.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Page, lenient};
use crate::error::{Error, ErrorCode, Result};
use crate::validate;

/// Contact fields for create, update and send recipients. Fields the API does not define go
/// into `extra` and end up in the contact's `meta`; a nested `meta` object is merged with them
/// (docs/contract.md §3).
///
/// Decoding accepts the spellings the official SDKs send: the external id as `externalId`,
/// `external_id` or `id` ("'id' maps to external_id in Sendivent"), the Slack user id as
/// `slack` or `slack_id`. Encoding uses `externalId` and `slack`. A key of `extra` that names a
/// standard field which is set is left out, so the body never carries the same key twice, and
/// a `meta` key that is also a flat field is dropped from `meta` (the flat field wins).
///
/// ```
/// use sendivent::models::ContactInput;
/// let c = ContactInput::phone("+46701234567").name("Sven").field("plan", "pro");
/// assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"phone":"+46701234567","name":"Sven","plan":"pro"}"#);
/// // A standard field given through `field` sets that field.
/// let c = ContactInput::email("ada@example.com").field("externalId", "user_1");
/// assert_eq!(c.external_id.as_deref(), Some("user_1"));
/// // The official SDKs' shape.
/// let c: ContactInput = serde_json::from_str(r#"{"id": "user_9", "slack_id": "U024BE7LH", "meta": {"plan": "pro"}}"#).unwrap();
/// assert_eq!((c.external_id.as_deref(), c.slack.as_deref()), (Some("user_9"), Some("U024BE7LH")));
/// assert_eq!(c.meta["plan"], "pro");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContactInput {
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone in E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Your system's user id (`id` and `external_id` are accepted when decoding).
    #[serde(
        default,
        rename = "externalId",
        alias = "external_id",
        alias = "id",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Slack user id (`slack_id` is accepted when decoding).
    #[serde(default, alias = "slack_id", skip_serializing_if = "Option::is_none")]
    pub slack: Option<String>,
    /// Telegram user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram: Option<String>,
    /// Discord user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discord: Option<String>,
    /// Custom fields given as a nested object, merged into the contact's `meta` (flat fields
    /// win on a clash).
    #[cfg_attr(feature = "schema", schemars(schema_with = "lenient::object_or_empty_schema"))]
    #[serde(default, deserialize_with = "lenient::object_or_empty", skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
    /// Any other field: stored in `meta` (keys camelCased by the server).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ContactInput {
    /// A contact identified by email.
    pub fn email(email: impl Into<String>) -> ContactInput {
        ContactInput { email: Some(email.into()), ..ContactInput::default() }
    }

    /// A contact identified by phone.
    pub fn phone(phone: impl Into<String>) -> ContactInput {
        ContactInput { phone: Some(phone.into()), ..ContactInput::default() }
    }

    /// A contact identified by your system's id.
    pub fn external_id(id: impl Into<String>) -> ContactInput {
        ContactInput { external_id: Some(id.into()), ..ContactInput::default() }
    }

    /// Sets the display name.
    pub fn name(mut self, name: impl Into<String>) -> ContactInput {
        self.name = Some(name.into());
        self
    }

    /// Adds a custom field (kept in `meta`, readable in templates as `{{contact.meta.<key>}}`).
    ///
    /// A string value for a standard field name or one of its aliases (`email`, `phone`,
    /// `name`, `externalId`/`external_id`/`id`, `avatar`, `username`, `slack`/`slack_id`,
    /// `telegram`, `discord`) sets that field instead; an object for `meta` is merged into
    /// [`ContactInput::meta`]; any other value goes into `extra` as given.
    pub fn field(mut self, key: impl Into<String>, value: impl Into<Value>) -> ContactInput {
        let key = key.into();
        let value = value.into();
        match (value, self.standard_field_mut(&key)) {
            (Value::String(text), Some(slot)) => {
                *slot = Some(text);
                self.extra.remove(&key);
            }
            (Value::Object(meta), None) if key == "meta" => self.meta.extend(meta),
            (value, _) => {
                self.extra.insert(key, value);
            }
        }
        self
    }

    /// Sets your system's id for the contact (`externalId`; the official SDKs call it `id`).
    pub fn id(mut self, id: impl Into<String>) -> ContactInput {
        self.external_id = Some(id.into());
        self
    }

    /// Sets the Slack user id.
    pub fn slack(mut self, slack_user_id: impl Into<String>) -> ContactInput {
        self.slack = Some(slack_user_id.into());
        self
    }

    /// The standard fields in wire order, with their wire names.
    fn standard_fields(&self) -> [(&'static str, &Option<String>); 9] {
        [
            ("email", &self.email),
            ("phone", &self.phone),
            ("name", &self.name),
            ("externalId", &self.external_id),
            ("avatar", &self.avatar),
            ("username", &self.username),
            ("slack", &self.slack),
            ("telegram", &self.telegram),
            ("discord", &self.discord),
        ]
    }

    fn standard_field_mut(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "name" => &mut self.name,
            "externalId" | "external_id" | "id" => &mut self.external_id,
            "avatar" => &mut self.avatar,
            "username" => &mut self.username,
            "slack" | "slack_id" => &mut self.slack,
            "telegram" => &mut self.telegram,
            "discord" => &mut self.discord,
            _ => return None,
        })
    }

    /// Whether an `extra` key would duplicate a standard field that is set.
    fn shadows_standard_field(&self, key: &str) -> bool {
        let key = match key {
            "external_id" | "id" => "externalId",
            "slack_id" => "slack",
            other => other,
        };
        self.standard_fields().iter().any(|(name, value)| *name == key && value.is_some())
    }

    /// Whether one of the identifiers the API requires of a contact is set and not blank:
    /// email, phone or external id (reference: "at least one identifier (email, phone,
    /// externalId) is required").
    pub fn has_identifier(&self) -> bool {
        [&self.email, &self.phone, &self.external_id].iter().any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    /// Validates and normalises email and phone; requires at least one identifier (email,
    /// phone or externalId), as contact create and send recipients do.
    ///
    /// ```
    /// use sendivent::models::ContactInput;
    ///
    /// let ok = ContactInput::phone("+1 415 555 2671").validated().unwrap();
    /// assert_eq!(ok.phone.as_deref(), Some("+14155552671"));
    /// assert_eq!(ContactInput::default().name("Ada").validated().unwrap_err().code(), "VALIDATION_ERROR");
    /// ```
    pub fn validated(&self) -> Result<ContactInput> {
        if !self.has_identifier() {
            return Err(Error::invalid(
                ErrorCode::ValidationError,
                "a contact needs at least one identifier: email, phone or externalId",
            ));
        }
        self.validated_fields()
    }

    /// Validates and normalises the fields that are set, without requiring an identifier
    /// (what a partial update needs).
    pub fn validated_fields(&self) -> Result<ContactInput> {
        let mut out = self.clone();
        // Flat fields win over the same key in the nested `meta`.
        out.meta.retain(|key, _| !self.extra.contains_key(key));
        if let Some(email) = &self.email {
            out.email = Some(validate::validate_email(email)?.into_string());
        }
        if let Some(phone) = &self.phone {
            out.phone = Some(validate::validate_phone(phone)?.into_string());
        }
        Ok(out)
    }
}

impl Serialize for ContactInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in self.standard_fields() {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        for (key, value) in &self.extra {
            if !self.shadows_standard_field(key) && key != "meta" {
                map.serialize_entry(key, value)?;
            }
        }
        if !self.meta.is_empty() {
            map.serialize_entry("meta", &self.meta)?;
        }
        map.end()
    }
}

/// A stored contact.
///
/// Decoding accepts `external_id` or `externalId`, `push_tokens` or `pushTokens`, `created_at`
/// or `createdAt`, `updated_at` or `updatedAt` (the snake_case spelling wins when both are
/// sent); `meta` may be `null` or `[]` for "no custom fields". Encoding uses snake_case.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "ContactWire")]
pub struct Contact {
    /// The contact's UUID.
    pub uuid: String,
    /// Email.
    pub email: Option<String>,
    /// Phone in E.164.
    pub phone: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Your system's user id.
    pub external_id: Option<String>,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Slack user id.
    pub slack: Option<String>,
    /// Telegram user id.
    pub telegram: Option<String>,
    /// Discord user id.
    pub discord: Option<String>,
    /// Custom fields.
    pub meta: Map<String, Value>,
    /// Registered push tokens.
    pub push_tokens: Vec<String>,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Last update time, RFC 3339.
    pub updated_at: Option<String>,
}

/// The wire form of [`Contact`]: both spellings of the renamed fields, so that a server sending
/// both never fails the answer with a duplicate field.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ContactWire {
    uuid: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default, rename = "externalId")]
    external_id_camel: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    slack: Option<String>,
    #[serde(default)]
    telegram: Option<String>,
    #[serde(default)]
    discord: Option<String>,
    #[cfg_attr(feature = "schema", schemars(schema_with = "lenient::object_or_empty_schema"))]
    #[serde(default, deserialize_with = "lenient::object_or_empty")]
    meta: Map<String, Value>,
    #[serde(default)]
    push_tokens: Option<Vec<String>>,
    #[serde(default, rename = "pushTokens")]
    push_tokens_camel: Option<Vec<String>>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default, rename = "createdAt")]
    created_at_camel: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default, rename = "updatedAt")]
    updated_at_camel: Option<String>,
}

impl From<ContactWire> for Contact {
    fn from(w: ContactWire) -> Contact {
        Contact {
            uuid: w.uuid,
            email: w.email,
            phone: w.phone,
            name: w.name,
            external_id: w.external_id.or(w.external_id_camel),
            avatar: w.avatar,
            username: w.username,
            slack: w.slack,
            telegram: w.telegram,
            discord: w.discord,
            meta: w.meta,
            push_tokens: w.push_tokens.or(w.push_tokens_camel).unwrap_or_default(),
            created_at: w.created_at.or(w.created_at_camel),
            updated_at: w.updated_at.or(w.updated_at_camel),
        }
    }
}

/// `data` of `GET /v1/contacts/{identifier}` and of create/update answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContactData {
    /// The contact.
    pub contact: Contact,
}

/// Query of `GET /v1/contacts`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactListParams {
    /// Page size, at most 100 (server default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Offset of the first item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Search by email, name or phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

impl ContactListParams {
    /// Rejects a limit the API would refuse.
    pub fn validated(&self) -> Result<ContactListParams> {
        match self.limit {
            Some(0) | Some(101..) => Err(Error::invalid(ErrorCode::ValidationError, "limit must be between 1 and 100")),
            _ => Ok(self.clone()),
        }
    }
}

/// `data` of `GET /v1/contacts`: one page. Absent or `null` fields read as `[]` / `0`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContactList {
    /// The contacts of this page.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub contacts: Vec<Contact>,
    /// Total matching contacts.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub total: u64,
    /// Page size used.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub limit: u64,
    /// Offset used.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub offset: u64,
}

impl Page for ContactList {
    type Item = Contact;
    fn items(&self) -> &[Contact] {
        &self.contacts
    }
    fn into_items(self) -> Vec<Contact> {
        self.contacts
    }
    fn total(&self) -> u64 {
        self.total
    }
    fn offset(&self) -> u64 {
        self.offset
    }
}

/// Body of the push-token endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PushToken {
    /// The device token, e.g. `ExponentPushToken[…]`.
    pub token: String,
}
