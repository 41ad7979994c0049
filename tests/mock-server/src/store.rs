//! The in-memory data: contacts, deliveries, the webhook endpoint, and the records tests assert on.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use sendivent::models::{Contact, Delivery, TimelineEntry, WebhookConfig};
use sendivent::validate::{IdentifierKind, resolve_identifier};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contact::ContactFields;
/// An API error answer: status, code and message (`{"error": message, "code": code}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    /// HTTP status.
    pub status: u16,
    /// The API code.
    pub code: String,
    /// The message.
    pub message: String,
}

impl Fail {
    /// Builds an error answer.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Fail {
        Fail { status, code: code.to_owned(), message: message.into() }
    }
    /// 400 VALIDATION_ERROR.
    pub fn validation(message: impl Into<String>) -> Fail {
        Fail::new(400, "VALIDATION_ERROR", message)
    }
    /// 404 NOT_FOUND.
    pub fn not_found(message: impl Into<String>) -> Fail {
        Fail::new(404, "NOT_FOUND", message)
    }
    /// A 400 from a core validation error (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR).
    pub fn from_core(err: &sendivent::Error) -> Fail {
        Fail::new(400, err.code(), err.message())
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// What the mock decided a delivery's fate is (see the README's failure triggers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// queued → sent → delivered.
    Deliver,
    /// queued → failed with this error (the provider refused it).
    Fail(String),
    /// queued → sent → bounced with this error.
    Bounce(String),
    /// queued → sent → delivered → complained.
    Complain,
}

/// A delivery with everything the trace endpoint and the state API show.
#[derive(Debug, Clone)]
pub struct DeliveryRec {
    /// The delivery as the API shows it.
    pub delivery: Delivery,
    /// Its timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The rendered content snapshot.
    pub content: Value,
    /// The send's idempotency key.
    pub idempotency_key: Option<String>,
    /// The send's request hash.
    pub request_hash: String,
    /// The send's request id.
    pub request_id: String,
    /// What happens to it.
    pub outcome: Outcome,
}

/// One committed send request, for exactly-once assertions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRecord {
    /// `X-Request-Id` of the request that committed it.
    pub request_id: String,
    /// The event.
    pub event: String,
    /// The channel of a `/v1/send/{event}/{channel}` send.
    pub channel: Option<String>,
    /// `X-Idempotency-Key`, when given.
    pub idempotency_key: Option<String>,
    /// FNV-1a 64 of method, path and canonical JSON body (hex).
    pub request_hash: String,
    /// The answer's status.
    pub status: u16,
    /// UUIDs of the deliveries created.
    pub deliveries: Vec<String>,
    /// Codes of the errors reported.
    pub error_codes: Vec<String>,
    /// Whether the answer was dropped (connection closed) by fault injection.
    pub response_dropped: bool,
    /// When, RFC 3339.
    pub at: String,
}

/// One attempt to POST a webhook event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookAttempt {
    /// `webhook-id` (`msg_<uuid>`), the same on every retry of a message.
    pub webhook_id: String,
    /// The event type, e.g. `delivery.sent`.
    pub event: String,
    /// The delivery the event is about.
    pub delivery_uuid: String,
    /// Where it was POSTed.
    pub url: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// The connection error, when it did not.
    pub error: Option<String>,
    /// When, RFC 3339.
    pub at: String,
}

/// The mutable data of the mock.
#[derive(Debug, Default)]
pub struct Data {
    /// Contacts in creation order.
    pub contacts: Vec<Contact>,
    /// Deliveries in creation order.
    pub deliveries: Vec<DeliveryRec>,
    /// The one webhook endpoint.
    pub webhook: Option<WebhookConfig>,
    /// Committed sends in order.
    pub sends: Vec<SendRecord>,
    /// Webhook attempts in order.
    pub webhook_attempts: Vec<WebhookAttempt>,
}

/// Fields of a contact that identify it; each value belongs to at most one contact.
const UNIQUE_FIELDS: [&str; 6] = ["email", "phone", "external_id", "slack", "telegram", "discord"];

fn field<'a>(contact: &'a Contact, name: &str) -> Option<&'a str> {
    match name {
        "email" => contact.email.as_deref(),
        "phone" => contact.phone.as_deref(),
        "external_id" => contact.external_id.as_deref(),
        "slack" => contact.slack.as_deref(),
        "telegram" => contact.telegram.as_deref(),
        "discord" => contact.discord.as_deref(),
        _ => None,
    }
}

/// `snake_case`, `kebab-case`, `Title Case` and `PascalCase` keys to `camelCase`.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper_next = false;
    for c in key.chars() {
        if matches!(c, '_' | '-' | ' ') {
            upper_next = !out.is_empty();
        } else if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else if out.is_empty() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl Data {
    /// Index of the contact an identifier (email, phone, UUID, external id, Slack user id, …)
    /// names. Invalid emails and phones are 400 with INVALID_EMAIL / INVALID_PHONE.
    pub fn find_contact(&self, raw: &str) -> Result<Option<usize>, Fail> {
        let id = resolve_identifier(raw).map_err(|e| Fail::from_core(&e))?;
        let value = id.as_str();
        let by = |name: &str, v: &str| {
            self.contacts.iter().position(|c| field(c, name).is_some_and(|f| f.eq_ignore_ascii_case(v)))
        };
        let raw = raw.trim();
        Ok(match id.kind() {
            IdentifierKind::Email => by("email", value),
            IdentifierKind::Phone => by("phone", value),
            IdentifierKind::Uuid => {
                self.contacts.iter().position(|c| c.uuid.eq_ignore_ascii_case(value)).or_else(|| by("external_id", raw))
            }
            IdentifierKind::SlackUser => by("slack", value).or_else(|| by("external_id", raw)),
            IdentifierKind::ExternalId => by("external_id", raw)
                .or_else(|| by("slack", raw))
                .or_else(|| by("telegram", raw))
                .or_else(|| by("discord", raw)),
            IdentifierKind::SlackChannel => None,
        })
    }

    /// Index of the contact whose `name` field (`email`, `phone`, `external_id`, `slack`, …)
    /// equals `value`, ignoring case.
    pub fn find_by(&self, name: &str, value: &str) -> Option<usize> {
        self.contacts.iter().position(|c| field(c, name).is_some_and(|f| f.eq_ignore_ascii_case(value.trim())))
    }

    /// Applies create/update fields to `contact` (at `index`, or a new one when `None`), then
    /// checks that its identifiers stay unique (409 CONFLICT).
    fn apply_fields(
        &self,
        contact: &mut Contact,
        index: Option<usize>,
        fields: &ContactFields,
        seed: bool,
    ) -> Result<(), Fail> {
        fields.apply(contact, seed)?;
        for name in UNIQUE_FIELDS {
            let Some(mine) = field(contact, name) else { continue };
            let clash = self.contacts.iter().enumerate().any(|(i, other)| {
                Some(i) != index && field(other, name).is_some_and(|theirs| theirs.eq_ignore_ascii_case(mine))
            });
            if clash {
                let label = if name == "external_id" { "externalId" } else { name };
                return Err(Fail::new(409, "CONFLICT", format!("Another contact already has {label} '{mine}'")));
            }
        }
        if seed && self.contacts.iter().enumerate().any(|(i, c)| Some(i) != index && c.uuid == contact.uuid) {
            return Err(Fail::new(409, "CONFLICT", format!("Another contact already has uuid '{}'", contact.uuid)));
        }
        Ok(())
    }

    /// Creates a contact from create fields (at least one of email, phone, externalId).
    pub fn create_contact(
        &mut self,
        fields: &ContactFields,
        now: &str,
        rng: &mut impl Rng,
        seed: bool,
    ) -> Result<usize, Fail> {
        let mut contact = Contact {
            uuid: new_uuid(rng),
            created_at: Some(now.to_owned()),
            updated_at: Some(now.to_owned()),
            ..Contact::default()
        };
        self.apply_fields(&mut contact, None, fields, seed)?;
        if contact.email.is_none() && contact.phone.is_none() && contact.external_id.is_none() {
            return Err(Fail::validation("A contact needs at least one identifier: email, phone or externalId"));
        }
        self.contacts.push(contact);
        Ok(self.contacts.len() - 1)
    }

    /// Updates the contact at `index` with the given fields only.
    pub fn update_contact(&mut self, index: usize, fields: &ContactFields, now: &str) -> Result<(), Fail> {
        let Some(current) = self.contacts.get(index) else {
            return Err(Fail::not_found("Contact not found"));
        };
        let mut contact = current.clone();
        self.apply_fields(&mut contact, Some(index), fields, false)?;
        if contact.email.is_none() && contact.phone.is_none() && contact.external_id.is_none() {
            return Err(Fail::validation("A contact must keep at least one identifier: email, phone or externalId"));
        }
        contact.updated_at = Some(now.to_owned());
        self.contacts[index] = contact;
        Ok(())
    }

    /// Adds a fixtures contact.
    pub fn seed_contact(&mut self, value: &Value, now: &str, rng: &mut impl Rng) -> Result<(), String> {
        let Value::Object(fields) = value else {
            return Err("fixtures: every contact must be an object".to_owned());
        };
        ContactFields::parse(fields, true)
            .and_then(|fields| self.create_contact(&fields, now, rng, true))
            .map(|_| ())
            .map_err(|e| format!("fixtures contact {value}: {e}"))
    }
}

/// A random (v4) UUID from the mock's seeded generator.
pub fn new_uuid(rng: &mut impl Rng) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

/// Milliseconds since the unix epoch.
pub fn unix_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The current time, RFC 3339 with milliseconds, UTC.
pub fn now_rfc3339() -> String {
    rfc3339(unix_millis())
}

/// Formats unix milliseconds as RFC 3339 UTC (`2026-03-30T12:00:00.000Z`).
pub fn rfc3339(millis: u64) -> String {
    let secs = millis / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis % 1000
    )
}

/// FNV-1a 64, hex: the request hash of idempotency checks.
pub fn fnv1a(parts: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_774_872_000_123), "2026-03-30T12:00:00.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn camel_case_keys() {
        assert_eq!(camel_case("tier"), "tier");
        assert_eq!(camel_case("plan_tier"), "planTier");
        assert_eq!(camel_case("Plan-Tier"), "planTier");
        assert_eq!(camel_case("signup source"), "signupSource");
        assert_eq!(camel_case("_private"), "private");
    }

    #[test]
    fn contacts_are_created_found_and_kept_unique() {
        let mut data = Data::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let fields =
            json!({"email": "Ada@Example.COM", "phone": "+46701234567", "plan_tier": "gold", "slack": "U0ADA12345"});
        let read = |v: &Value| ContactFields::parse(v.as_object().unwrap(), false).unwrap();
        let i = data.create_contact(&read(&fields), "t", &mut rng, false).unwrap();
        assert_eq!(data.contacts[i].meta.get("planTier"), Some(&json!("gold")));
        assert_eq!(data.find_contact("+46 70 123 45 67").unwrap(), Some(i));
        assert_eq!(data.find_contact("U0ADA12345").unwrap(), Some(i));
        let uuid = data.contacts[i].uuid.to_uppercase();
        assert_eq!(data.find_contact(&uuid).unwrap(), Some(i));
        assert_eq!(data.find_contact("nobody@example.com").unwrap(), None);
        assert_eq!(data.find_contact("bad@").unwrap_err().code, "INVALID_EMAIL");
        let dup = json!({"phone": "+46701234567"});
        assert_eq!(data.create_contact(&read(&dup), "t", &mut rng, false).unwrap_err().status, 409);
        let none = json!({"name": "x"});
        assert_eq!(data.create_contact(&read(&none), "t", &mut rng, false).unwrap_err().status, 400);
    }
}
