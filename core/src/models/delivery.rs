//! Deliveries, their filters and traces.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Channel, Page, lenient, open_enum};
use crate::error::{Error, ErrorCode, Result};

open_enum! {
    /// The status of a delivery (also the `event` of a timeline entry).
    DeliveryStatus {
        /// Created, not yet handed to a provider.
        Pending = "pending",
        /// Queued for sending (timeline).
        Queued = "queued",
        /// Handed to the provider.
        Sent = "sent",
        /// The provider confirmed delivery.
        Delivered = "delivered",
        /// Delivery failed permanently.
        Failed = "failed",
        /// Email bounced.
        Bounced = "bounced",
        /// The recipient marked the message as spam.
        Complained = "complained",
    }
}

/// A delivery: one message to one recipient on one channel.
///
/// Decoding takes the event name from `event_name` or, when that is absent, `event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "DeliveryWire")]
pub struct Delivery {
    /// The delivery UUID.
    pub uuid: String,
    /// The channel.
    pub channel: Channel,
    /// Current status.
    pub status: DeliveryStatus,
    /// The event that caused it.
    pub event_name: Option<String>,
    /// The recipient contact's UUID.
    pub contact_uuid: Option<String>,
    /// The address used (email, phone, user id).
    pub recipient: Option<String>,
    /// The provider's message id.
    pub message_id: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// When it was handed to the provider.
    pub sent_at: Option<String>,
    /// When the provider confirmed delivery.
    pub delivered_at: Option<String>,
}

/// The wire form of [`Delivery`]: `event_name` and `event` both accepted, without a
/// duplicate-field failure when a server sends both.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct DeliveryWire {
    uuid: String,
    channel: Channel,
    status: DeliveryStatus,
    #[serde(default)]
    event_name: Option<String>,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    contact_uuid: Option<String>,
    #[serde(default)]
    recipient: Option<String>,
    #[serde(default)]
    message_id: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    sent_at: Option<String>,
    #[serde(default)]
    delivered_at: Option<String>,
}

impl From<DeliveryWire> for Delivery {
    fn from(w: DeliveryWire) -> Delivery {
        Delivery {
            uuid: w.uuid,
            channel: w.channel,
            status: w.status,
            event_name: w.event_name.or(w.event),
            contact_uuid: w.contact_uuid,
            recipient: w.recipient,
            message_id: w.message_id,
            error: w.error,
            created_at: w.created_at,
            sent_at: w.sent_at,
            delivered_at: w.delivered_at,
        }
    }
}

/// Filters of `GET /v1/deliveries`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryListParams {
    /// Page size (server default 20, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Offset of the first item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Only deliveries of this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Only deliveries on this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Only deliveries in this status (pending, sent, delivered, failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeliveryStatus>,
}

impl DeliveryListParams {
    /// Rejects a limit the API would refuse.
    pub fn validated(&self) -> Result<DeliveryListParams> {
        match self.limit {
            Some(0) | Some(101..) => Err(Error::invalid(ErrorCode::ValidationError, "limit must be between 1 and 100")),
            _ => Ok(self.clone()),
        }
    }
}

/// `data` of `GET /v1/deliveries`: one page. Absent or `null` fields read as `[]` / `0`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliveryList {
    /// The deliveries of this page, newest first.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub deliveries: Vec<Delivery>,
    /// Total matching deliveries.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub total: u64,
    /// Page size used.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub limit: u64,
    /// Offset used.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub offset: u64,
}

impl Page for DeliveryList {
    type Item = Delivery;
    fn items(&self) -> &[Delivery] {
        &self.deliveries
    }
    fn into_items(self) -> Vec<Delivery> {
        self.deliveries
    }
    fn total(&self) -> u64 {
        self.total
    }
    fn offset(&self) -> u64 {
        self.offset
    }
}

/// One step of a delivery's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineEntry {
    /// What happened (queued, sent, delivered, failed, …).
    pub event: DeliveryStatus,
    /// When, RFC 3339.
    pub timestamp: String,
    /// Extra detail, e.g. a provider error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `data` of `GET /v1/deliveries/{uuid}/trace`.
///
/// The content snapshot is read from `content` or, when that is absent, `content_snapshot`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "DeliveryTraceWire")]
pub struct DeliveryTrace {
    /// The delivery.
    pub delivery: Delivery,
    /// Its timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The rendered content snapshot (subject, body, …) as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
}

/// The wire form of [`DeliveryTrace`].
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct DeliveryTraceWire {
    delivery: Delivery,
    #[serde(default, deserialize_with = "lenient::null_default")]
    timeline: Vec<TimelineEntry>,
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    content_snapshot: Option<Value>,
}

impl From<DeliveryTraceWire> for DeliveryTrace {
    fn from(w: DeliveryTraceWire) -> DeliveryTrace {
        DeliveryTrace { delivery: w.delivery, timeline: w.timeline, content: w.content.or(w.content_snapshot) }
    }
}
