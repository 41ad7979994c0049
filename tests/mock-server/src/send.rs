//! `POST /v1/send/{event}[/{channel}]`: recipients, channel checks, rendering, deliveries.

use std::collections::HashSet;

use sendivent::models::{
    ApiCode, Channel, ContactInput, Delivery, DeliveryRef, DeliveryStatus, SendError, SendResponse, Sender,
    TimelineEntry,
};
use sendivent::validate::{IdentifierKind, resolve_identifier, resolve_recipient, validate_email};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::contact::ContactFields;

use crate::fixtures::{EventFixture, Fixtures};
use crate::render;
use crate::state::Inner;
use crate::store::{DeliveryRec, Fail, Outcome, new_uuid, now_rfc3339};

/// What identifies the send being handled.
pub(crate) struct SendCtx<'a> {
    pub event: &'a str,
    pub channel: Option<&'a str>,
    pub request_id: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub request_hash: &'a str,
}

/// The answer of a handled send and the deliveries it created.
pub(crate) struct SendResult {
    pub status: u16,
    pub body: Value,
    pub created: Vec<String>,
    pub error_codes: Vec<String>,
}

/// A failed send's body: `{success:false, deliveries:[], errors:[…], error, code}`.
pub(crate) fn failure_body(errors: &[SendError]) -> Value {
    let mut body = SendResponse { success: false, deliveries: Vec::new(), errors: errors.to_vec() }.to_wire();
    if let (Value::Object(map), Some(first)) = (&mut body, errors.first()) {
        map.insert("errors".into(), serde_json::to_value(errors).unwrap_or(Value::Array(Vec::new())));
        map.insert("error".into(), Value::String(first.message.clone()));
        map.insert("code".into(), Value::String(first.code.to_string()));
    }
    body
}

fn send_error(code: &str, message: impl Into<String>) -> SendError {
    SendError { code: ApiCode::from(code), message: message.into() }
}

fn failed(status: u16, errors: Vec<SendError>) -> SendResult {
    let error_codes = errors.iter().map(|e| e.code.to_string()).collect();
    SendResult { status, body: failure_body(&errors), created: Vec::new(), error_codes }
}

fn invalid(message: impl Into<String>) -> SendResult {
    failed(400, vec![send_error("VALIDATION_ERROR", message)])
}

/// One `to` entry before resolution.
enum RecipientIn {
    Identifier(String),
    Contact(Map<String, Value>),
}

/// Who a delivery goes to.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Target {
    /// A stored contact.
    Contact(usize),
    /// A Slack channel (`#name`, or with the slack channel a channel id): a broadcast, no contact.
    SlackChannel(String),
    /// A Slack user id that names no contact: a direct message on Slack, no contact is created.
    SlackUser(String),
}

fn parse_recipients(to: &Value) -> Result<Vec<RecipientIn>, String> {
    let one = |v: &Value| match v {
        Value::String(s) => Ok(RecipientIn::Identifier(s.clone())),
        Value::Object(map) => Ok(RecipientIn::Contact(map.clone())),
        _ => Err("each recipient in `to` must be an identifier string or a contact object".to_owned()),
    };
    match to {
        Value::Array(list) if list.is_empty() => {
            Err("`to` is an empty list: leave it out to broadcast, or give at least one recipient".to_owned())
        }
        Value::Array(list) => list.iter().map(one).collect(),
        other => one(other).map(|r| vec![r]),
    }
}

/// The sender of a send (`from`), read as core's [`Sender`]: a string is an email, a phone or
/// (anything else) a name; a contact object gives its email, phone and name.
#[derive(Debug, Default)]
struct SenderIn {
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
}

impl SenderIn {
    fn parse(value: &Value) -> Result<Option<SenderIn>, Fail> {
        let sender = Sender::deserialize(value).map_err(|_| {
            Fail::validation("`from` must be a string (an email, a phone or a name) or a contact object")
        })?;
        let sender = match sender {
            Sender::Text(text) if text.trim().is_empty() => return Ok(None),
            Sender::Text(text) => {
                let id = resolve_identifier(&text)
                    .map_err(|e| Fail::new(400, e.code(), format!("`from`: {}", e.message())))?;
                match id.kind() {
                    IdentifierKind::Email => SenderIn { email: Some(id.into_string()), ..SenderIn::default() },
                    IdentifierKind::Phone => SenderIn { phone: Some(id.into_string()), ..SenderIn::default() },
                    _ => SenderIn { name: Some(text.trim().to_owned()), ..SenderIn::default() },
                }
            }
            Sender::Contact(contact) => {
                let fields = ContactFields::from_input(contact);
                let sender = SenderIn { email: fields.email()?, phone: fields.phone()?, name: fields.name() };
                if sender.email.is_none() && sender.phone.is_none() && sender.name.is_none() {
                    return Err(Fail::validation("`from` needs an email, a phone or a name"));
                }
                sender
            }
        };
        Ok(Some(sender))
    }

    /// What `verified_senders` must list: the email, else the phone, else the name.
    fn identity(&self) -> &str {
        self.email.as_deref().or(self.phone.as_deref()).or(self.name.as_deref()).unwrap_or("")
    }
}

/// The flat email overrides of `overrides`: `subject`, `from_email`, `from_name`. Other keys are
/// accepted and ignored.
#[derive(Debug, Default)]
struct EmailOverrides {
    subject: Option<String>,
    from_email: Option<String>,
    from_name: Option<String>,
}

impl EmailOverrides {
    fn parse(value: Option<&Value>) -> Result<EmailOverrides, Fail> {
        let fields = match value {
            None | Some(Value::Null) => return Ok(EmailOverrides::default()),
            // PHP's encoding of an empty array.
            Some(Value::Array(list)) if list.is_empty() => return Ok(EmailOverrides::default()),
            Some(Value::Object(fields)) => fields,
            Some(_) => return Err(Fail::validation("`overrides` must be a JSON object")),
        };
        let text = |name: &str| match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(_) => Err(Fail::validation(format!("`overrides.{name}` must be a string"))),
        };
        let from_email = text("from_email")?
            .map(|e| validate_email(&e).map(|e| e.into_string()).map_err(|e| Fail::from_core(&e)))
            .transpose()?;
        Ok(EmailOverrides { subject: text("subject")?, from_email, from_name: text("from_name")? })
    }
}

/// The `from` of an email: the address (overridden, the sender's, or the application's) and a
/// display name when there is one.
fn email_from(fixtures: &Fixtures, sender: Option<&SenderIn>, overrides: &EmailOverrides) -> String {
    let chosen = overrides.from_email.as_deref().or_else(|| sender.and_then(|s| s.email.as_deref()));
    let address = chosen.unwrap_or(&fixtures.sender.email);
    let name = overrides
        .from_name
        .as_deref()
        .or_else(|| sender.and_then(|s| s.name.as_deref()))
        .or_else(|| chosen.is_none().then_some(fixtures.sender.name.as_str()));
    match name {
        Some(name) => format!("{name} <{address}>"),
        None => address.to_owned(),
    }
}

/// The `from` of an SMS or WhatsApp message: the sender's phone, else its name, else the
/// application's name.
fn text_from(fixtures: &Fixtures, sender: Option<&SenderIn>) -> String {
    sender
        .and_then(|s| s.phone.clone().or_else(|| s.name.clone()).or_else(|| s.email.clone()))
        .unwrap_or_else(|| fixtures.app.name.clone())
}

/// The fixed names of channels' identifiers, for MISSING_IDENTIFIER messages.
fn identifier_name(channel: &Channel) -> &'static str {
    match channel {
        Channel::Email => "email address",
        Channel::Sms | Channel::Whatsapp => "phone number",
        Channel::Slack => "Slack user ID",
        Channel::Push => "push token",
        Channel::Telegram => "Telegram ID",
        Channel::Discord => "Discord ID",
        Channel::Other(_) => "identifier",
    }
}

/// The deterministic failure triggers documented in the README.
fn outcome_for(channel: &Channel, address: &str) -> Outcome {
    let lower = address.to_ascii_lowercase();
    match channel {
        Channel::Email => match lower.rsplit_once('@').map(|(_, domain)| domain) {
            Some("fail.example") => Outcome::Fail("550 mailbox unavailable".into()),
            Some("bounce.example") => Outcome::Bounce("hard bounce: recipient address rejected".into()),
            Some("complain.example") => Outcome::Complain,
            _ => Outcome::Deliver,
        },
        Channel::Sms | Channel::Whatsapp if lower.ends_with("0000") => {
            Outcome::Fail("provider rejected the number (unreachable)".into())
        }
        Channel::Push if lower.contains("invalid") => Outcome::Fail("DeviceNotRegistered".into()),
        Channel::Slack | Channel::Telegram | Channel::Discord if lower.contains("fail") => {
            Outcome::Fail(format!("{channel} API error: recipient not reachable"))
        }
        _ => Outcome::Deliver,
    }
}

fn find_template<'a>(
    event: &'a EventFixture,
    channel: &Channel,
    language: Option<&str>,
    default: &str,
) -> Option<&'a sendivent::models::Template> {
    let on_channel = || event.templates.iter().filter(move |t| &t.channel == channel);
    let with_language =
        |lang: &str| on_channel().find(|t| t.language.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(lang)));
    language.and_then(with_language).or_else(|| with_language(default)).or_else(|| on_channel().next())
}

/// Handles a send whose quota was already counted. Runs under the state lock: nothing here waits.
pub(crate) fn perform(fixtures: &Fixtures, inner: &mut Inner, ctx: &SendCtx<'_>, body: &Value) -> SendResult {
    let Value::Object(body) = body else {
        return invalid("The request body must be a JSON object");
    };
    let channel_filter = match ctx.channel {
        None => None,
        Some(name) => {
            let channel = Channel::from(name);
            if !channel.is_known() {
                return invalid(format!(
                    "Unknown channel '{name}': expected one of email, sms, slack, push, telegram, whatsapp, discord"
                ));
            }
            Some(channel)
        }
    };
    let payload = match body.get("payload") {
        None | Some(Value::Null) => {
            return invalid("`payload` is required (use {} when there are no variables)");
        }
        Some(Value::Object(_)) => body.get("payload").cloned().unwrap_or_default(),
        // PHP's encoding of an empty array: the official PHP SDK sends it when no payload is set.
        Some(Value::Array(list)) if list.is_empty() => Value::Object(Map::new()),
        Some(_) => return invalid("`payload` must be a JSON object"),
    };
    let language = match body.get("language") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(_) => return invalid("`language` must be a string"),
    };
    let sender = match body.get("from").map(SenderIn::parse).transpose() {
        Ok(sender) => sender.flatten(),
        Err(fail) => return failed(fail.status, vec![send_error(&fail.code, fail.message)]),
    };
    let overrides = match EmailOverrides::parse(body.get("overrides")) {
        Ok(overrides) => overrides,
        Err(fail) => return failed(fail.status, vec![send_error(&fail.code, fail.message)]),
    };
    let recipients = match body.get("to") {
        None | Some(Value::Null) => None,
        Some(to) => match parse_recipients(to) {
            Ok(list) => Some(list),
            Err(message) => return invalid(message),
        },
    };

    let Some(event) = fixtures.events.iter().find(|e| e.identifier == ctx.event) else {
        return failed(404, vec![send_error("EVENT_NOT_FOUND", format!("Event '{}' not found", ctx.event))]);
    };
    let channels: Vec<Channel> = match &channel_filter {
        Some(channel) if !event.channels.contains(channel) => {
            return invalid(format!("Event '{}' does not send on channel '{channel}'", event.identifier));
        }
        Some(channel) => vec![channel.clone()],
        None => event.channels.clone(),
    };
    // Every sender address a send names must be verified: `from`'s and `overrides.from_email`.
    let claimed = sender.as_ref().map(SenderIn::identity).into_iter().chain(overrides.from_email.as_deref());
    for identity in claimed {
        if !fixtures.verified_senders.iter().any(|s| s.eq_ignore_ascii_case(identity)) {
            return failed(400, vec![send_error("UNVERIFIED_SENDER", format!("Sender '{identity}' is not verified"))]);
        }
    }

    // Application-level checks: once per channel.
    let mut errors = Vec::new();
    let mut usable = Vec::new();
    for channel in channels {
        let integrated = fixtures.integrations.iter().any(|i| i.channel == channel && i.status == "active");
        let needs_addon = matches!(channel, Channel::Sms | Channel::Whatsapp);
        if !integrated {
            errors.push(send_error("INTEGRATION_MISSING", format!("No {channel} integration configured")));
        } else if needs_addon && !fixtures.addons.get(channel.as_str()).copied().unwrap_or(false) {
            errors.push(send_error("ADDON_NOT_ENABLED", format!("The {channel} addon is not enabled on this plan")));
        } else {
            usable.push(channel);
        }
    }
    if usable.is_empty() {
        return failed(400, errors);
    }

    // Recipients: listeners when `to` is absent.
    let recipients = match recipients {
        Some(list) => list,
        None if event.listeners.is_empty() => {
            return invalid(format!("`to` is required: event '{}' has no listeners configured", event.identifier));
        }
        None => event.listeners.iter().cloned().map(RecipientIn::Identifier).collect(),
    };
    let now = now_rfc3339();
    let mut targets: Vec<(Target, String)> = Vec::new();
    let mut seen = HashSet::new();
    for recipient in &recipients {
        match resolve_target(inner, recipient, channel_filter.as_ref(), &now) {
            Ok((target, label)) => {
                if seen.insert(target.clone()) {
                    targets.push((target, label));
                }
            }
            Err(fail) => errors.push(send_error(&fail.code, fail.message)),
        }
    }

    // One delivery per recipient × channel.
    let app = serde_json::to_value(&fixtures.app).unwrap_or_default();
    // `{{sender.*}}` is who the message is from: the application's sender unless overridden.
    let sender_vars = json!({
        "name": overrides.from_name.as_deref()
            .or_else(|| sender.as_ref().and_then(|s| s.name.as_deref()))
            .unwrap_or(&fixtures.sender.name),
        "email": overrides.from_email.as_deref()
            .or_else(|| sender.as_ref().and_then(|s| s.email.as_deref()))
            .unwrap_or(&fixtures.sender.email),
    });
    let mut created = Vec::new();
    let mut refs = Vec::new();
    for (target, label) in &targets {
        let contact = match target {
            Target::Contact(i) => inner.data.contacts.get(*i).cloned(),
            Target::SlackChannel(_) | Target::SlackUser(_) => None,
        };
        let contact_json =
            contact.as_ref().and_then(|c| serde_json::to_value(c).ok()).unwrap_or_else(|| json!({"slack": label}));
        let context = render::context(&contact_json, &payload, &app, &sender_vars);
        for channel in &usable {
            let address = match (target, &contact) {
                (Target::SlackChannel(id) | Target::SlackUser(id), _) if *channel == Channel::Slack => Some(id.clone()),
                (Target::SlackChannel(_) | Target::SlackUser(_), _) => None,
                (Target::Contact(_), Some(c)) => match channel {
                    Channel::Email => c.email.clone(),
                    Channel::Sms | Channel::Whatsapp => c.phone.clone(),
                    Channel::Slack => c.slack.clone(),
                    Channel::Push => c.push_tokens.first().cloned(),
                    Channel::Telegram => c.telegram.clone(),
                    Channel::Discord => c.discord.clone(),
                    Channel::Other(_) => None,
                },
                (Target::Contact(_), None) => None,
            };
            let Some(address) = address else {
                let message = match target {
                    Target::SlackChannel(name) => {
                        format!("Slack channel '{name}' can only receive on slack, not {channel}")
                    }
                    Target::SlackUser(id) => {
                        format!("Slack user '{id}' is not a contact, so it can only receive on slack, not {channel}")
                    }
                    Target::Contact(_) => {
                        format!("Contact '{label}' has no {}, needed for channel {channel}", identifier_name(channel))
                    }
                };
                errors.push(send_error("MISSING_IDENTIFIER", message));
                continue;
            };
            let template = find_template(event, channel, language.as_deref(), &fixtures.default_language);
            let html = *channel == Channel::Email;
            let rendered = template.map(|t| {
                let subject = t.subject.as_deref().map(|s| render::render(s, &context, false)).transpose();
                let text = t.body.as_deref().map(|b| render::render(b, &context, html)).transpose();
                (t.language.clone(), subject, text)
            });
            let (template_language, subject, text) = match rendered {
                Some((lang, Ok(subject), Ok(text))) => (lang, subject, text),
                Some((_, Err(e), _)) | Some((_, _, Err(e))) => {
                    errors
                        .push(send_error("VALIDATION_ERROR", format!("The {channel} template failed to render: {e}")));
                    continue;
                }
                None => (None, None, Some(String::new())),
            };
            let mut content = Map::new();
            content.insert("to".into(), Value::String(address.clone()));
            if let (Channel::Push, Some(c)) = (channel, &contact) {
                content.insert("tokens".into(), json!(c.push_tokens));
            }
            // Email overrides replace what the template rendered.
            let subject = match channel {
                Channel::Email => overrides.subject.clone().or(subject),
                _ => subject,
            };
            if let Some(subject) = subject {
                content.insert("subject".into(), Value::String(subject));
            }
            content.insert("body".into(), Value::String(text.unwrap_or_default()));
            content.insert("language".into(), json!(template_language));
            match channel {
                Channel::Email => {
                    content.insert("from".into(), Value::String(email_from(fixtures, sender.as_ref(), &overrides)));
                }
                Channel::Sms | Channel::Whatsapp => {
                    content.insert("from".into(), Value::String(text_from(fixtures, sender.as_ref())));
                }
                _ => {}
            }
            let uuid = new_uuid(&mut inner.rng);
            let outcome = outcome_for(channel, &address);
            inner.data.deliveries.push(DeliveryRec {
                delivery: Delivery {
                    uuid: uuid.clone(),
                    channel: channel.clone(),
                    status: DeliveryStatus::Pending,
                    event_name: Some(event.identifier.clone()),
                    contact_uuid: contact.as_ref().map(|c| c.uuid.clone()),
                    recipient: Some(address),
                    message_id: None,
                    error: None,
                    created_at: Some(now.clone()),
                    sent_at: None,
                    delivered_at: None,
                },
                timeline: vec![TimelineEntry { event: DeliveryStatus::Queued, timestamp: now.clone(), detail: None }],
                content: Value::Object(content),
                idempotency_key: ctx.idempotency_key.map(str::to_owned),
                request_hash: ctx.request_hash.to_owned(),
                request_id: ctx.request_id.to_owned(),
                outcome,
            });
            refs.push(DeliveryRef { channel: channel.clone(), uuid: uuid.clone() });
            created.push(uuid);
        }
    }
    if created.is_empty() {
        if errors.is_empty() {
            errors.push(send_error("VALIDATION_ERROR", "No deliveries could be created"));
        }
        return failed(400, errors);
    }
    let error_codes = errors.iter().map(|e| e.code.to_string()).collect();
    let body = SendResponse { success: true, deliveries: refs, errors }.to_wire();
    SendResult { status: 200, body, created, error_codes }
}

/// Resolves one `to` entry to a contact (looked up or upserted) or a Slack target. `channel` is
/// the send's path channel: with `slack`, a Slack channel id is a channel (core's
/// `resolve_recipient`).
fn resolve_target(
    inner: &mut Inner,
    recipient: &RecipientIn,
    channel: Option<&Channel>,
    now: &str,
) -> Result<(Target, String), Fail> {
    match recipient {
        RecipientIn::Identifier(raw) => {
            let id = resolve_recipient(raw, channel)
                .map_err(|e| Fail::new(400, e.code(), format!("Recipient '{}': {}", raw.trim(), e.message())))?;
            let label = id.as_str().to_owned();
            if id.kind() == IdentifierKind::SlackChannel {
                return Ok((Target::SlackChannel(label.clone()), label));
            }
            if let Some(i) = inner.data.find_contact(raw)? {
                return Ok((Target::Contact(i), label));
            }
            let input = match id.kind() {
                IdentifierKind::Email => ContactInput::email(label.clone()),
                IdentifierKind::Phone => ContactInput::phone(label.clone()),
                IdentifierKind::ExternalId => ContactInput::external_id(label.clone()),
                IdentifierKind::SlackUser => return Ok((Target::SlackUser(label.clone()), label)),
                IdentifierKind::Uuid | IdentifierKind::SlackChannel => {
                    return Err(Fail::not_found(format!("Contact '{label}' not found")));
                }
            };
            let i = inner.data.create_contact(&ContactFields::from_input(input), now, &mut inner.rng, false)?;
            Ok((Target::Contact(i), label))
        }
        RecipientIn::Contact(map) => {
            let fields = ContactFields::parse(map, false)?;
            let label = fields.label();
            // A known contact is found by uuid, then email, phone, external id, Slack user id.
            let found = match &fields.uuid {
                Some(uuid) => Some(
                    inner
                        .data
                        .contacts
                        .iter()
                        .position(|c| c.uuid.eq_ignore_ascii_case(uuid))
                        .ok_or_else(|| Fail::not_found(format!("Contact '{uuid}' not found")))?,
                ),
                None => {
                    let email = fields.email()?;
                    let phone = fields.phone()?;
                    [("email", email.as_deref()), ("phone", phone.as_deref())]
                        .into_iter()
                        .chain([("external_id", fields.external_id()), ("slack", fields.slack())])
                        .find_map(|(name, value)| value.and_then(|v| inner.data.find_by(name, v)))
                }
            };
            let index = match found {
                Some(i) => {
                    inner.data.update_contact(i, &fields, now)?;
                    i
                }
                None => inner.data.create_contact(&fields, now, &mut inner.rng, false)?,
            };
            Ok((Target::Contact(index), label))
        }
    }
}
