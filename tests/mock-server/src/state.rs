//! Configuration, shared runtime state, counters and the snapshot tests assert on.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::fixtures::Fixtures;
use crate::idempotency::IdempotencyStore;
use crate::record::{RECORD_ENV, Recorder};
use crate::routes::{self, Route};
use crate::store::{Data, SendRecord, WebhookAttempt, now_rfc3339};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

/// How the mock server starts. `MockConfig::default()` is the real service's behaviour with the
/// built-in fixtures: production limits, no faults, webhook retries 4 (5 attempts) from 200 ms.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// An extra API key accepted as is (keys starting `test_` or `live_` are always accepted).
    /// It counts as a production (`live_`) key for limits.
    pub api_key: Option<String>,
    /// The application, events, templates, integrations and seed contacts.
    pub fixtures: Fixtures,
    /// Rate limits and daily quotas (`None` = unlimited).
    pub limits: Limits,
    /// Fault injection (all off by default).
    pub faults: Faults,
    /// Retries of a webhook message after the first failed attempt (default 4: 5 attempts).
    pub webhook_retries: u32,
    /// Backoff before the first webhook retry; doubles each retry (default 200 ms).
    pub webhook_backoff: Duration,
    /// Delay between a delivery's status changes: queued → sent → delivered (default 50 ms).
    pub transition_delay: Duration,
    /// Seed of every random choice (UUIDs, secrets, faults) for reproducible runs.
    pub seed: Option<u64>,
    /// How long a client may take to send a request's headers, counted from when the connection
    /// waits for them (an idle keep-alive connection waits too). Past it the connection is
    /// closed (default 5 s).
    pub header_read_timeout: Duration,
    /// The largest request body accepted; a larger one gets 413 (default 1 MiB).
    pub max_body_bytes: usize,
    /// How long an idempotency key is remembered after its first request (default 24 h, the
    /// real API's).
    pub idempotency_ttl: Duration,
    /// How many idempotency keys are remembered at most; beyond it the oldest are forgotten first
    /// (default 10,000).
    pub idempotency_max_keys: usize,
    /// Appends one JSON line per `/v1` request and per answer to this file (see the README,
    /// "Recording"). The default is the `SENDIVENT_MOCK_RECORD` environment variable, so
    /// harnesses that start the mock without flags can turn recording on.
    pub record: Option<PathBuf>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            port: 0,
            api_key: None,
            fixtures: Fixtures::builtin(),
            limits: Limits::production(),
            faults: Faults::default(),
            webhook_retries: 4,
            webhook_backoff: Duration::from_millis(200),
            transition_delay: Duration::from_millis(50),
            seed: None,
            header_read_timeout: Duration::from_secs(5),
            max_body_bytes: 1024 * 1024,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            idempotency_max_keys: 10_000,
            record: std::env::var_os(RECORD_ENV).filter(|v| !v.is_empty()).map(PathBuf::from),
        }
    }
}

/// Rate limits (requests in any 1000 ms, per API key) and daily send quotas (per API key);
/// `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Requests per second for `live_` keys (real service: 100).
    pub rate_limit_live: Option<u32>,
    /// Requests per second for `test_` keys (real service: 10).
    pub rate_limit_test: Option<u32>,
    /// Send requests per UTC day for `live_` keys (real service: 1000).
    pub quota_live: Option<u64>,
    /// Send requests per UTC day for `test_` keys (real service: 150).
    pub quota_test: Option<u64>,
}

impl Limits {
    /// The real service's limits: 100 req/s and 1,000 sends/day live; 10 req/s and 150 sends/day test.
    pub fn production() -> Limits {
        Limits { rate_limit_live: Some(100), rate_limit_test: Some(10), quota_live: Some(1000), quota_test: Some(150) }
    }

    /// No limits at all.
    pub fn unlimited() -> Limits {
        Limits { rate_limit_live: None, rate_limit_test: None, quota_live: None, quota_test: None }
    }
}

/// Fault injection settings.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Faults {
    /// Probability (0..=1) that a `/v1` request is answered 500, 502 or 503 before it is handled.
    pub error_rate: f64,
    /// Probability (0..=1) that a send that committed loses its answer: the connection is closed
    /// without a response. Replays are never dropped.
    pub drop_rate: f64,
    /// Added to every `/v1` answer.
    pub latency_ms: u64,
}

/// Request and outcome counters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// `/v1` requests received (including rejected ones).
    pub requests: u64,
    /// Send requests handled (not replays), including failed sends.
    pub sends: u64,
    /// Deliveries that exist.
    pub deliveries: u64,
    /// Deliveries per current status.
    pub deliveries_by_status: BTreeMap<String, u64>,
    /// Idempotent replays answered.
    pub replays: u64,
    /// 429 answers.
    pub rate_limited: u64,
    /// 402 answers.
    pub quota_exceeded: u64,
    /// Injected 5xx answers.
    pub faults_injected: u64,
    /// Answers dropped by closing the connection.
    pub dropped_responses: u64,
    /// Webhook POST attempts.
    pub webhook_attempts: u64,
}

/// A delivery as the state API shows it, with the send it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryInfo {
    /// Delivery UUID.
    pub uuid: String,
    /// Channel.
    pub channel: String,
    /// Current status.
    pub status: String,
    /// Event name.
    pub event_name: Option<String>,
    /// Contact UUID (none for a Slack channel).
    pub contact_uuid: Option<String>,
    /// Address used.
    pub recipient: Option<String>,
    /// Error, when failed or bounced.
    pub error: Option<String>,
    /// The send's `X-Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// The send's request hash.
    pub request_hash: String,
    /// The send's `X-Request-Id`.
    pub request_id: String,
}

/// Everything `GET /_mock/state` returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockState {
    /// Counters.
    pub counts: Counts,
    /// Current fault settings.
    pub faults: Faults,
    /// Current limits.
    pub limits: Limits,
    /// Number of contacts.
    pub contacts: u64,
    /// Committed sends, oldest first.
    pub sends: Vec<SendRecord>,
    /// Deliveries, oldest first.
    pub deliveries: Vec<DeliveryInfo>,
    /// Webhook attempts, oldest first.
    pub webhook_attempts: Vec<WebhookAttempt>,
    /// Idempotency keys currently remembered (expired and evicted ones are gone).
    pub idempotency_keys: u64,
}

pub(crate) struct Inner {
    pub data: Data,
    pub counts: Counts,
    pub faults: Faults,
    pub limits: Limits,
    pub windows: HashMap<String, VecDeque<Instant>>,
    pub quotas: HashMap<String, (u64, u64)>,
    pub rng: StdRng,
    /// Bumped by reset: pending status changes and webhook retries of older generations stop.
    pub generation: u64,
}

pub(crate) struct Shared {
    pub config: MockConfig,
    pub inner: Mutex<Inner>,
    pub idempotency: Mutex<IdempotencyStore>,
    pub http: reqwest::Client,
    /// The API's routes, from core's operation table.
    pub routes: Vec<Route>,
    pub recorder: Option<Recorder>,
}

fn rng_for(seed: Option<u64>) -> StdRng {
    match seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_os_rng(),
    }
}

fn seeded_data(fixtures: &Fixtures, rng: &mut StdRng) -> Data {
    let mut data = Data::default();
    let now = now_rfc3339();
    for contact in &fixtures.contacts {
        // Fixtures were checked when loaded; a contact that fails here is skipped.
        let _ = data.seed_contact(contact, &now, rng);
    }
    data
}

impl Shared {
    pub fn new(config: MockConfig) -> Result<Shared, String> {
        config.fixtures.check()?;
        let mut rng = rng_for(config.seed);
        let data = seeded_data(&config.fixtures, &mut rng);
        let http = crate::http_client_builder()
            .timeout(Duration::from_secs(5))
            .user_agent(concat!("sendivent-mock-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the webhook HTTP client: {e}"))?;
        let recorder = config.record.as_deref().map(Recorder::open).transpose().map_err(|e| e.to_string())?;
        Ok(Shared {
            inner: Mutex::new(Inner {
                data,
                counts: Counts::default(),
                faults: config.faults,
                limits: config.limits,
                windows: HashMap::new(),
                quotas: HashMap::new(),
                rng,
                generation: 0,
            }),
            idempotency: Mutex::new(IdempotencyStore::new(config.idempotency_ttl, config.idempotency_max_keys)),
            http,
            routes: routes::all(),
            recorder,
            config,
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn reset(&self) {
        let mut inner = self.lock();
        let mut rng = rng_for(self.config.seed);
        inner.data = seeded_data(&self.config.fixtures, &mut rng);
        inner.rng = rng;
        inner.counts = Counts::default();
        inner.faults = self.config.faults;
        inner.limits = self.config.limits;
        inner.windows.clear();
        inner.quotas.clear();
        inner.generation += 1;
        drop(inner);
        self.idempotency().clear();
    }

    pub fn idempotency(&self) -> MutexGuard<'_, IdempotencyStore> {
        self.idempotency.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn snapshot(&self) -> MockState {
        let idempotency_keys = self.idempotency().len(Instant::now()) as u64;
        let inner = self.lock();
        let mut counts = inner.counts.clone();
        counts.deliveries = inner.data.deliveries.len() as u64;
        for status in ["pending", "sent", "delivered", "failed", "bounced", "complained"] {
            counts.deliveries_by_status.insert(status.to_owned(), 0);
        }
        for rec in &inner.data.deliveries {
            *counts.deliveries_by_status.entry(rec.delivery.status.to_string()).or_insert(0) += 1;
        }
        MockState {
            counts,
            faults: inner.faults,
            limits: inner.limits,
            contacts: inner.data.contacts.len() as u64,
            sends: inner.data.sends.clone(),
            deliveries: inner
                .data
                .deliveries
                .iter()
                .map(|rec| DeliveryInfo {
                    uuid: rec.delivery.uuid.clone(),
                    channel: rec.delivery.channel.to_string(),
                    status: rec.delivery.status.to_string(),
                    event_name: rec.delivery.event_name.clone(),
                    contact_uuid: rec.delivery.contact_uuid.clone(),
                    recipient: rec.delivery.recipient.clone(),
                    error: rec.delivery.error.clone(),
                    idempotency_key: rec.idempotency_key.clone(),
                    request_hash: rec.request_hash.clone(),
                    request_id: rec.request_id.clone(),
                })
                .collect(),
            webhook_attempts: inner.data.webhook_attempts.clone(),
            idempotency_keys,
        }
    }
}
