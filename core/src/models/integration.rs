//! Channel integrations (secrets are stripped by the API).

use serde::{Deserialize, Serialize};

use super::{Channel, lenient};

/// A configured provider for a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Integration {
    /// The channel.
    pub channel: Channel,
    /// The provider, e.g. `ses`, `twilio`.
    pub provider: String,
    /// The integration's status, e.g. `active` (empty when the API sent none).
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub status: String,
}

/// `data` of `GET /v1/integrations`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IntegrationList {
    /// The integrations.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub integrations: Vec<Integration>,
}

/// Query of `GET /v1/integrations`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationListParams {
    /// Only integrations of this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}
