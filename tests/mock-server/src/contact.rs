//! Contact objects as clients send them (`POST`/`PATCH /v1/contacts`, contact objects in a send's
//! `to`), read with core's [`ContactInput`]: core decides which key is which field (`id`,
//! `external_id` and `externalId` are the external id; `slack_id` and `slack` the Slack user id),
//! and what a nested `meta` object is. The mock adds only what a server does on top: `null` or
//! `""` clears a field (a PATCH), numbers are taken as their text, and unknown flat fields go to
//! `meta` with camelCase keys, over the nested `meta`'s (flat fields win on a clash).

use std::sync::OnceLock;

use sendivent::models::{Contact, ContactInput};
use sendivent::validate::{validate_email, validate_phone};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::store::{Fail, camel_case};

/// A contact object, read.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContactFields {
    /// The fields as core reads them. A standard field given as `null` or blank is `Some("")`.
    input: ContactInput,
    /// `"meta": null`: the custom fields are cleared.
    clear_meta: bool,
    /// `uuid`, which finds a stored contact (and sets it for a fixtures contact).
    pub uuid: Option<String>,
    /// `push_tokens` / `pushTokens` of a fixtures contact.
    push_tokens: Option<Vec<String>>,
}

/// Whether core files `key` under a standard field (aliases included), asked of core itself.
fn is_standard(key: &str) -> bool {
    ContactInput::default().field(key, "").extra.is_empty()
}

/// Keys of a stored contact's encoding that a contact object cannot set (`uuid`, `push_tokens`,
/// `created_at`, …, also camelCased): accepted, so a fetched contact can be sent back, but they
/// never become custom fields.
fn is_stored_only(key: &str) -> bool {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| match serde_json::to_value(Contact::default()) {
        Ok(Value::Object(encoded)) => encoded
            .keys()
            .filter(|k| *k != "meta" && !is_standard(k))
            .flat_map(|k| [k.clone(), camel_case(k)])
            .collect(),
        _ => Vec::new(),
    });
    keys.iter().any(|k| k == key)
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl ContactFields {
    /// Reads a contact object. `seed` is a fixtures contact, which may set `uuid` and
    /// `push_tokens`.
    pub fn parse(fields: &Map<String, Value>, seed: bool) -> Result<ContactFields, Fail> {
        let mut wire = Map::new();
        let mut out = ContactFields::default();
        for (key, value) in fields {
            if key == "meta" && value.is_null() {
                out.clear_meta = true;
            } else if is_stored_only(key) {
                match key.as_str() {
                    "uuid" => {
                        out.uuid = text(value).filter(|u| !u.is_empty());
                        if seed && out.uuid.is_none() {
                            return Err(Fail::validation("`uuid` must be a non-empty string"));
                        }
                    }
                    "push_tokens" | "pushTokens" if seed => {
                        out.push_tokens = Some(
                            serde_json::from_value(value.clone())
                                .map_err(|_| Fail::validation("`push_tokens` must be a list of strings"))?,
                        );
                    }
                    _ => {}
                }
            } else if is_standard(key) {
                let value = match value {
                    Value::Null => Value::String(String::new()),
                    Value::Number(n) => Value::String(n.to_string()),
                    other => other.clone(),
                };
                wire.insert(key.clone(), value);
            } else {
                wire.insert(key.clone(), value.clone());
            }
        }
        out.input = ContactInput::deserialize(Value::Object(wire))
            .map_err(|e| Fail::validation(format!("Invalid contact: {e}")))?;
        Ok(out)
    }

    /// Fields for a contact known by one identifier (core's constructors).
    pub fn from_input(input: ContactInput) -> ContactFields {
        ContactFields { input, ..ContactFields::default() }
    }

    /// The normalised email, if one is given.
    pub fn email(&self) -> Result<Option<String>, Fail> {
        given(&self.input.email)
            .map(|e| validate_email(e).map(|e| e.into_string()).map_err(|e| Fail::from_core(&e)))
            .transpose()
    }

    /// The E.164 phone, if one is given.
    pub fn phone(&self) -> Result<Option<String>, Fail> {
        given(&self.input.phone)
            .map(|p| validate_phone(p).map(|p| p.into_string()).map_err(|e| Fail::from_core(&e)))
            .transpose()
    }

    /// The external id, if one is given.
    pub fn external_id(&self) -> Option<&str> {
        given(&self.input.external_id)
    }

    /// The Slack user id, if one is given.
    pub fn slack(&self) -> Option<&str> {
        given(&self.input.slack)
    }

    /// The display name, if one is given.
    pub fn name(&self) -> Option<String> {
        given(&self.input.name).map(str::to_owned)
    }

    /// A name for messages: the first identifier given.
    pub fn label(&self) -> String {
        [&self.input.email, &self.input.phone, &self.input.external_id, &self.input.slack]
            .into_iter()
            .find_map(given)
            .or(self.uuid.as_deref())
            .unwrap_or("contact")
            .to_owned()
    }

    /// Writes the fields into `contact`: given fields set (blank ones cleared), email and phone
    /// validated and normalised by core, `meta` merged. `seed` also sets `uuid` and
    /// `push_tokens`.
    pub fn apply(&self, contact: &mut Contact, seed: bool) -> Result<(), Fail> {
        let input = &self.input;
        if input.email.is_some() {
            contact.email = self.email()?;
        }
        if input.phone.is_some() {
            contact.phone = self.phone()?;
        }
        for (slot, value) in [
            (&mut contact.name, &input.name),
            (&mut contact.external_id, &input.external_id),
            (&mut contact.avatar, &input.avatar),
            (&mut contact.username, &input.username),
            (&mut contact.slack, &input.slack),
            (&mut contact.telegram, &input.telegram),
            (&mut contact.discord, &input.discord),
        ] {
            if value.is_some() {
                *slot = given(value).map(str::to_owned);
            }
        }
        if self.clear_meta {
            contact.meta.clear();
        }
        // The nested object first, so that flat fields win on a clash.
        merge(&mut contact.meta, &input.meta, str::to_owned);
        merge(&mut contact.meta, &input.extra, camel_case);
        if seed {
            if let Some(uuid) = &self.uuid {
                contact.uuid = uuid.to_ascii_lowercase();
            }
            if let Some(tokens) = &self.push_tokens {
                contact.push_tokens = tokens.clone();
            }
        }
        Ok(())
    }
}

/// A field's value when it is given and not blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Merges custom fields into `meta`: `null` removes a key.
fn merge(meta: &mut Map<String, Value>, fields: &Map<String, Value>, key: impl Fn(&str) -> String) {
    for (k, v) in fields {
        if v.is_null() {
            meta.remove(&key(k));
        } else {
            meta.insert(key(k), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    fn applied(fields: Value, onto: Contact) -> Result<Contact, Fail> {
        let mut contact = onto;
        ContactFields::parse(fields.as_object().unwrap(), false)?.apply(&mut contact, false)?;
        Ok(contact)
    }

    #[test]
    fn the_official_sdks_spellings_land_in_the_right_fields() {
        let c = applied(
            json!({"id": "user-9", "slack_id": "U98765ZYXWV", "name": "Bob", "plan_tier": "gold",
                   "meta": {"tier": "premium", "planTier": "nested loses", "timezone": "UTC"}}),
            Contact::default(),
        )
        .unwrap();
        assert_eq!(c.external_id.as_deref(), Some("user-9"));
        assert_eq!(c.slack.as_deref(), Some("U98765ZYXWV"));
        assert_eq!(
            c.meta,
            json!({"tier": "premium", "planTier": "gold", "timezone": "UTC"}).as_object().cloned().unwrap()
        );
        for spelling in ["external_id", "externalId"] {
            let c = applied(json!({spelling: 42}), Contact::default()).unwrap();
            assert_eq!(c.external_id.as_deref(), Some("42"), "{spelling}");
            assert!(c.meta.is_empty());
        }
        assert_eq!(applied(json!({"slack": "U1"}), Contact::default()).unwrap().slack.as_deref(), Some("U1"));
        // PHP's empty associative array.
        assert!(applied(json!({"email": "a@b.example", "meta": []}), Contact::default()).unwrap().meta.is_empty());
    }

    #[test]
    fn null_clears_and_stored_only_fields_are_ignored() {
        let mut before = Contact { name: Some("Ada".into()), slack: Some("U0ADA12345".into()), ..Contact::default() };
        before.meta.insert("tier".into(), json!("gold"));
        before.meta.insert("keep".into(), json!(1));
        let c = applied(
            json!({"name": null, "slack_id": "", "tier": null, "uuid": "x", "push_tokens": ["t"], "createdAt": "t"}),
            before,
        )
        .unwrap();
        assert_eq!((&c.name, &c.slack), (&None, &None));
        assert_eq!(c.meta, json!({"keep": 1}).as_object().cloned().unwrap());
        assert!(c.push_tokens.is_empty() && c.uuid.is_empty());
        let cleared = applied(json!({"meta": null}), c).unwrap();
        assert!(cleared.meta.is_empty());
    }

    #[test]
    fn core_validates_and_refuses() {
        let c = applied(json!({"email": "Ada@Example.COM", "phone": "+46 70 123 45 67"}), Contact::default()).unwrap();
        assert_eq!((c.email.as_deref(), c.phone.as_deref()), (Some("Ada@example.com"), Some("+46701234567")));
        assert_eq!(applied(json!({"phone": "+1234567890"}), Contact::default()).unwrap_err().code, "INVALID_PHONE");
        assert_eq!(applied(json!({"email": "nope@"}), Contact::default()).unwrap_err().code, "INVALID_EMAIL");
        let wrong = applied(json!({"name": {"first": "Ada"}}), Contact::default()).unwrap_err();
        assert_eq!((wrong.status, wrong.code.as_str()), (400, "VALIDATION_ERROR"));
        assert_eq!(applied(json!({"id": "a", "externalId": "b"}), Contact::default()).unwrap_err().status, 400);
    }
}
