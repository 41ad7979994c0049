//! Contacts: the input used by create/update and by send recipients, the stored contact, and
//! list/search pages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Page;
use crate::error::{Error, ErrorCode, Result};
use crate::validate;

/// Contact fields for create, update and send recipients. Fields the API does not define go
/// into `extra` and end up in the contact's `meta`.
///
/// ```
/// use sendivent::models::ContactInput;
/// let c = ContactInput::phone("+46701234567").name("Sven").field("plan", "pro");
/// assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"phone":"+46701234567","name":"Sven","plan":"pro"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    /// Your system's user id.
    #[serde(default, rename = "externalId", alias = "external_id", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Slack user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack: Option<String>,
    /// Telegram user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram: Option<String>,
    /// Discord user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discord: Option<String>,
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
    pub fn field(mut self, key: impl Into<String>, value: impl Into<Value>) -> ContactInput {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Whether any field that identifies a person is set (email, phone, external id, Slack,
    /// Telegram or Discord id).
    pub fn has_identifier(&self) -> bool {
        [&self.email, &self.phone, &self.external_id, &self.slack, &self.telegram, &self.discord]
            .iter()
            .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    /// Validates and normalises email and phone; requires at least one identifier.
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
        if let Some(email) = &self.email {
            out.email = Some(validate::validate_email(email)?.into_string());
        }
        if let Some(phone) = &self.phone {
            out.phone = Some(validate::validate_phone(phone)?.into_string());
        }
        Ok(out)
    }
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// The contact's UUID.
    pub uuid: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone in E.164.
    #[serde(default)]
    pub phone: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Your system's user id.
    #[serde(default, alias = "externalId")]
    pub external_id: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// Slack user id.
    #[serde(default)]
    pub slack: Option<String>,
    /// Telegram user id.
    #[serde(default)]
    pub telegram: Option<String>,
    /// Discord user id.
    #[serde(default)]
    pub discord: Option<String>,
    /// Custom fields.
    #[serde(default)]
    pub meta: Map<String, Value>,
    /// Registered push tokens.
    #[serde(default, alias = "pushTokens")]
    pub push_tokens: Vec<String>,
    /// Creation time, RFC 3339.
    #[serde(default, alias = "createdAt")]
    pub created_at: Option<String>,
    /// Last update time, RFC 3339.
    #[serde(default, alias = "updatedAt")]
    pub updated_at: Option<String>,
}

/// `data` of `GET /v1/contacts/{identifier}` and of create/update answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactData {
    /// The contact.
    pub contact: Contact,
}

/// Query of `GET /v1/contacts`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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

/// `data` of `GET /v1/contacts`: one page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContactList {
    /// The contacts of this page.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Total matching contacts.
    #[serde(default)]
    pub total: u64,
    /// Page size used.
    #[serde(default)]
    pub limit: u64,
    /// Offset used.
    #[serde(default)]
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
pub struct PushToken {
    /// The device token, e.g. `ExponentPushToken[…]`.
    pub token: String,
}
