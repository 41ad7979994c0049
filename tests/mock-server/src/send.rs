//! `POST /v1/send/{event}[/{channel}]`: recipients, channel checks, rendering, deliveries.

use std::collections::HashSet;

use sendivent::models::{
    ApiCode, Channel, Delivery, DeliveryRef, DeliveryStatus, SendError, SendResponse, TimelineEntry,
};
use sendivent::validate::{IdentifierKind, resolve_identifier};
use serde_json::{Map, Value, json};

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
    Contact(usize),
    SlackChannel(String),
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
        Some(_) => return invalid("`payload` must be a JSON object"),
    };
    let text_field = |name: &str| -> Result<Option<String>, SendResult> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(_) => Err(invalid(format!("`{name}` must be a string"))),
        }
    };
    let language = match text_field("language") {
        Ok(v) => v,
        Err(e) => return e,
    };
    let from = match text_field("from") {
        Ok(v) => v,
        Err(e) => return e,
    };
    if !matches!(body.get("overrides"), None | Some(Value::Null) | Some(Value::Object(_))) {
        return invalid("`overrides` must be a JSON object");
    }
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
    if let Some(from) = from.as_ref().filter(|f| !fixtures.verified_senders.iter().any(|s| s.eq_ignore_ascii_case(f))) {
        return failed(400, vec![send_error("UNVERIFIED_SENDER", format!("Sender '{from}' is not verified"))]);
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
        match resolve_target(inner, recipient, &now) {
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
    let sender = serde_json::to_value(&fixtures.sender).unwrap_or_default();
    let mut created = Vec::new();
    let mut refs = Vec::new();
    for (target, label) in &targets {
        let contact = match target {
            Target::Contact(i) => inner.data.contacts.get(*i).cloned(),
            Target::SlackChannel(_) => None,
        };
        let contact_json =
            contact.as_ref().and_then(|c| serde_json::to_value(c).ok()).unwrap_or_else(|| json!({"slack": label}));
        let context = render::context(&contact_json, &payload, &app, &sender);
        for channel in &usable {
            let address = match (target, &contact) {
                (Target::SlackChannel(name), _) if *channel == Channel::Slack => Some(name.clone()),
                (Target::SlackChannel(_), _) => None,
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
            if let Some(subject) = subject {
                content.insert("subject".into(), Value::String(subject));
            }
            content.insert("body".into(), Value::String(text.unwrap_or_default()));
            content.insert("language".into(), json!(template_language));
            if matches!(channel, Channel::Email | Channel::Sms | Channel::Whatsapp) {
                let from = from.clone().unwrap_or_else(|| match channel {
                    Channel::Email => format!("{} <{}>", fixtures.sender.name, fixtures.sender.email),
                    _ => fixtures.app.name.clone(),
                });
                content.insert("from".into(), Value::String(from));
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

/// Resolves one `to` entry to a contact (looked up or upserted) or a Slack channel.
fn resolve_target(inner: &mut Inner, recipient: &RecipientIn, now: &str) -> Result<(Target, String), Fail> {
    match recipient {
        RecipientIn::Identifier(raw) => {
            let id = resolve_identifier(raw)
                .map_err(|e| Fail::new(400, e.code(), format!("Recipient '{}': {}", raw.trim(), e.message())))?;
            let label = id.as_str().to_owned();
            if id.kind() == IdentifierKind::SlackChannel {
                return Ok((Target::SlackChannel(label.clone()), label));
            }
            if let Some(i) = inner.data.find_contact(raw)? {
                return Ok((Target::Contact(i), label));
            }
            let field = match id.kind() {
                IdentifierKind::Email => "email",
                IdentifierKind::Phone => "phone",
                IdentifierKind::ExternalId => "externalId",
                _ => return Err(Fail::not_found(format!("Contact '{label}' not found"))),
            };
            let mut fields = Map::new();
            fields.insert(field.into(), Value::String(label.clone()));
            let i = inner.data.create_contact(&fields, now, &mut inner.rng, false)?;
            Ok((Target::Contact(i), label))
        }
        RecipientIn::Contact(fields) => {
            let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_owned);
            let label = text("email")
                .or_else(|| text("phone"))
                .or_else(|| text("externalId"))
                .or_else(|| text("external_id"))
                .or_else(|| text("uuid"))
                .unwrap_or_else(|| "contact".to_owned());
            let mut found = None;
            if let Some(uuid) = text("uuid") {
                found = inner.data.contacts.iter().position(|c| c.uuid.eq_ignore_ascii_case(uuid.trim()));
                if found.is_none() {
                    return Err(Fail::not_found(format!("Contact '{uuid}' not found")));
                }
            }
            for key in ["email", "phone", "externalId", "external_id"] {
                if found.is_some() {
                    break;
                }
                if let Some(value) = text(key).filter(|v| !v.trim().is_empty()) {
                    found = if matches!(key, "externalId" | "external_id") {
                        inner.data.contacts.iter().position(|c| c.external_id.as_deref() == Some(value.trim()))
                    } else {
                        inner.data.find_contact(&value)?
                    };
                }
            }
            let index = match found {
                Some(i) => {
                    inner.data.update_contact(i, fields, now)?;
                    i
                }
                None => inner.data.create_contact(fields, now, &mut inner.rng, false)?,
            };
            Ok((Target::Contact(index), label))
        }
    }
}
