//! # sendivent-mock
//!
//! A faithful in-memory implementation of the Sendivent API, for the SDK's own tests, `make demo`,
//! and your integration tests. It validates like the real service (core's identifier, email and
//! phone rules), renders the event templates, creates deliveries that move through
//! queued → sent → delivered (or fail, by documented triggers), POSTs signed webhook events with
//! retries, enforces rate limits and quotas, replays idempotent requests, and can inject faults:
//! 5xx answers, lost responses and latency. See the crate's README for the admin API under
//! `/_mock/`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sendivent_mock::{MockConfig, MockServer};
//!
//! let server = MockServer::start(MockConfig::default()).await?;
//! let base_url = server.url(); // e.g. http://127.0.0.1:41234
//! // ... point your client at base_url with any `test_…` key, send, then assert:
//! let state = server.state();
//! assert_eq!(state.counts.sends, 0);
//! server.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod api;
mod contact;
pub mod fixtures;
mod idempotency;
mod lifecycle;
mod record;
// Public for the fuzz target `mock_render` (fuzz/), not part of the mock's API.
#[doc(hidden)]
pub mod render;
mod routes;
mod send;
mod server;
mod state;
mod store;

pub use fixtures::Fixtures;
pub use record::RECORD_ENV;

/// A `reqwest::ClientBuilder` that works whatever TLS features reqwest was unified to: when the
/// SDK client is in the same build, reqwest uses `rustls-no-provider`, which panics unless a
/// crypto provider is installed, so one (ring) is installed first if none is.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Err: the process already installed a provider, which is what we need.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}

/// A default `reqwest::Client` built with [`http_client_builder`], for tests.
pub fn http_client() -> reqwest::Client {
    http_client_builder().build().unwrap_or_default()
}
pub use server::MockServer;
pub use state::{Counts, DeliveryInfo, Faults, Limits, MockConfig, MockState};
pub use store::{SendRecord, WebhookAttempt};
