//! Webhook endpoint configuration and the body of a webhook event.

use serde::{Deserialize, Serialize};

use super::{Channel, DeliveryStatus, lenient, open_enum};

open_enum! {
    /// The type of a webhook event.
    WebhookEventType {
        /// Notification dispatched to the provider.
        DeliverySent = "delivery.sent",
        /// The provider confirmed delivery.
        DeliveryDelivered = "delivery.delivered",
        /// Delivery failed permanently.
        DeliveryFailed = "delivery.failed",
        /// Email bounced.
        DeliveryBounced = "delivery.bounced",
        /// The recipient marked the message as spam.
        DeliveryComplained = "delivery.complained",
    }
}

/// The application's webhook endpoint.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookConfig {
    /// The webhook's UUID (used by update and delete).
    pub uuid: String,
    /// Where events are POSTed.
    pub url: String,
    /// Which events are sent.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub enabled_events: Vec<WebhookEventType>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether events are being sent (absent or `null` reads as true).
    #[serde(default = "super::common::default_true", deserialize_with = "lenient::null_true")]
    pub is_active: bool,
    /// The `whsec_…` secret to verify signatures with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("x-secret" = true)))]
    pub signing_secret: Option<String>,
    /// Creation time, RFC 3339.
    #[serde(default)]
    pub created_at: Option<String>,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("uuid", &self.uuid)
            .field("url", &self.url)
            .field("enabled_events", &self.enabled_events)
            .field("description", &self.description)
            .field("is_active", &self.is_active)
            .field("signing_secret", &self.signing_secret.as_deref().map(crate::error::redact))
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// `data` of the webhook endpoints: `{webhook}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookData {
    /// The configuration.
    pub webhook: WebhookConfig,
}

/// Body of `POST /v1/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateWebhook {
    /// Where events are POSTed (https, or http for local receivers).
    pub url: String,
    /// Which events to send; at least one.
    pub enabled_events: Vec<WebhookEventType>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl CreateWebhook {
    /// A webhook for the given URL and events.
    pub fn new(url: impl Into<String>, enabled_events: impl IntoIterator<Item = WebhookEventType>) -> CreateWebhook {
        CreateWebhook { url: url.into(), enabled_events: enabled_events.into_iter().collect(), description: None }
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> CreateWebhook {
        self.description = Some(description.into());
        self
    }
}

/// Body of `PATCH /v1/webhooks/{uuid}`: only the fields given change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateWebhook {
    /// New URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// New event list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_events: Option<Vec<WebhookEventType>>,
    /// Pause or resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

/// The delivery part of a webhook event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookDelivery {
    /// Delivery UUID.
    pub uuid: String,
    /// Channel.
    pub channel: Channel,
    /// Status after the change.
    pub status: DeliveryStatus,
    /// The event that caused the delivery.
    #[serde(default)]
    pub event_name: Option<String>,
    /// Provider message id.
    #[serde(default)]
    pub message_id: Option<String>,
    /// When it was sent.
    #[serde(default)]
    pub sent_at: Option<String>,
    /// When it was delivered.
    #[serde(default)]
    pub delivered_at: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<String>,
}

/// The JSON body Sendivent POSTs to a webhook endpoint. Get one from
/// [`crate::webhook::verify_event`], which checks the signature first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookEvent {
    /// The event type.
    pub event: WebhookEventType,
    /// The delivery it is about.
    pub delivery: WebhookDelivery,
    /// The request id of the send.
    #[serde(default)]
    pub request_id: Option<String>,
    /// When the event happened, RFC 3339.
    #[serde(default)]
    pub timestamp: Option<String>,
}
