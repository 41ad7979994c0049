//! What happens after a send: status changes (queued → sent → delivered, or a failure) and the
//! signed webhook events they trigger, with retries.

use std::sync::Arc;
use std::time::Duration;

use sendivent::models::{DeliveryStatus, TimelineEntry, WebhookDelivery, WebhookEvent, WebhookEventType};

use crate::state::{Inner, Shared};
use crate::store::{Outcome, WebhookAttempt, new_uuid, now_rfc3339, unix_millis};

/// A webhook message to deliver.
struct Message {
    url: String,
    secret: String,
    webhook_id: String,
    event: String,
    delivery_uuid: String,
    body: Vec<u8>,
}

fn plan(outcome: &Outcome) -> Vec<(DeliveryStatus, Option<String>)> {
    match outcome {
        Outcome::Deliver => vec![(DeliveryStatus::Sent, None), (DeliveryStatus::Delivered, None)],
        Outcome::Fail(e) => vec![(DeliveryStatus::Failed, Some(e.clone()))],
        Outcome::Bounce(e) => vec![(DeliveryStatus::Sent, None), (DeliveryStatus::Bounced, Some(e.clone()))],
        Outcome::Complain => vec![
            (DeliveryStatus::Sent, None),
            (DeliveryStatus::Delivered, None),
            (DeliveryStatus::Complained, Some("the recipient marked the message as spam".into())),
        ],
    }
}

/// Moves the given deliveries through their planned statuses, one step per `transition_delay`.
pub(crate) fn schedule(shared: Arc<Shared>, generation: u64, uuids: Vec<String>) {
    if uuids.is_empty() {
        return;
    }
    tokio::spawn(async move {
        for step in 0.. {
            tokio::time::sleep(shared.config.transition_delay).await;
            let mut messages = Vec::new();
            let mut more = false;
            {
                let mut inner = shared.lock();
                if inner.generation != generation {
                    return;
                }
                for uuid in &uuids {
                    let Some(index) = inner.data.deliveries.iter().position(|d| &d.delivery.uuid == uuid) else {
                        continue;
                    };
                    let steps = plan(&inner.data.deliveries[index].outcome);
                    more |= steps.len() > step + 1;
                    if let Some((status, error)) = steps.get(step).cloned()
                        && let Some(message) = advance(&mut inner, index, status, error)
                    {
                        messages.push(message);
                    }
                }
            }
            for message in messages {
                tokio::spawn(deliver(Arc::clone(&shared), generation, message));
            }
            if !more {
                return;
            }
        }
    });
}

/// Applies one status change and builds the webhook message for it, if one is due.
fn advance(inner: &mut Inner, index: usize, status: DeliveryStatus, error: Option<String>) -> Option<Message> {
    let now = now_rfc3339();
    let message_id = {
        let rng = &mut inner.rng;
        format!("mock-{}", new_uuid(rng))
    };
    let rec = &mut inner.data.deliveries[index];
    let d = &mut rec.delivery;
    match status {
        DeliveryStatus::Sent => {
            d.sent_at = Some(now.clone());
            d.message_id = Some(message_id);
        }
        DeliveryStatus::Delivered => d.delivered_at = Some(now.clone()),
        _ => {}
    }
    if error.is_some() {
        d.error = error.clone();
    }
    d.status = status.clone();
    rec.timeline.push(TimelineEntry { event: status.clone(), timestamp: now.clone(), detail: error });

    let webhook = inner.data.webhook.as_ref()?;
    let event_type = WebhookEventType::from(format!("delivery.{status}"));
    if !webhook.is_active || !webhook.enabled_events.contains(&event_type) {
        return None;
    }
    let d = &rec.delivery;
    let event = WebhookEvent {
        event: event_type.clone(),
        delivery: WebhookDelivery {
            uuid: d.uuid.clone(),
            channel: d.channel.clone(),
            status: d.status.clone(),
            event_name: d.event_name.clone(),
            message_id: d.message_id.clone(),
            sent_at: d.sent_at.clone(),
            delivered_at: d.delivered_at.clone(),
            error: d.error.clone(),
        },
        request_id: Some(rec.request_id.clone()),
        timestamp: Some(now),
    };
    let body = serde_json::to_vec(&event).ok()?;
    let url = webhook.url.clone();
    let secret = webhook.signing_secret.clone().unwrap_or_default();
    let delivery_uuid = d.uuid.clone();
    let webhook_id = format!("msg_{}", new_uuid(&mut inner.rng));
    Some(Message { url, secret, webhook_id, event: event_type.to_string(), delivery_uuid, body })
}

/// POSTs a message, retrying non-2xx answers and connection failures with exponential backoff.
/// Every attempt carries the same `webhook-id` and a fresh timestamp and signature.
async fn deliver(shared: Arc<Shared>, generation: u64, message: Message) {
    let attempts = shared.config.webhook_retries.saturating_add(1);
    for attempt in 1..=attempts {
        if shared.lock().generation != generation {
            return;
        }
        let timestamp = (unix_millis() / 1000) as i64;
        let (status, error) = match sign(&message.secret, &message.webhook_id, timestamp, &message.body) {
            Err(e) => (None, Some(format!("signing failed: {e}"))),
            Ok(headers) => {
                let mut request = shared
                    .http
                    .post(&message.url)
                    .header("content-type", "application/json")
                    .body(message.body.clone());
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                match request.send().await {
                    Ok(response) => (Some(response.status().as_u16()), None),
                    Err(e) => (None, Some(describe(&e))),
                }
            }
        };
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        {
            let mut inner = shared.lock();
            if inner.generation != generation {
                return;
            }
            inner.counts.webhook_attempts += 1;
            inner.data.webhook_attempts.push(WebhookAttempt {
                webhook_id: message.webhook_id.clone(),
                event: message.event.clone(),
                delivery_uuid: message.delivery_uuid.clone(),
                url: message.url.clone(),
                attempt,
                status,
                error,
                at: now_rfc3339(),
            });
        }
        if ok || attempt == attempts {
            return;
        }
        let factor = 1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX);
        let backoff = shared.config.webhook_backoff.saturating_mul(factor).min(Duration::from_secs(300));
        tokio::time::sleep(backoff).await;
    }
}

fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// Signs a webhook message with core's Standard Webhooks signer.
fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<Vec<(String, String)>, String> {
    sendivent::webhook::sign_headers(secret, msg_id, timestamp, body)
        .map(|headers| headers.into_pairs().into_iter().map(|(n, v)| (n.to_string(), v.to_string())).collect())
        .map_err(|e| e.to_string())
}
