//! Standard Webhooks verification and signing, and the replay guard: the core's
//! `sendivent::webhook`, with headers as a list of pairs (every occurrence, in order) and the
//! verified event as the generated `WebhookEvent` record.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::call::guard;
use crate::errors_gen::SendiventError;
use crate::json::{Header, from_canonical, to_canonical};
use crate::models_gen::{Verified, WebhookEvent};

/// Options of a verification: the timestamp tolerance and the clock.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct VerifyOptions {
    /// How far `webhook-timestamp` may be from now, either way, in seconds (the `tolerance`
    /// bound and default of docs/contract.md §2 "Option bounds"; out of range is
    /// INVALID_ARGUMENT). 0 means "exactly now", never "off".
    #[uniffi(default = None)]
    pub tolerance: Option<f64>,
    /// The current unix time in seconds; the platform clock when left out (tests pin it).
    #[uniffi(default = None)]
    pub now: Option<i64>,
    /// Skips the tolerance check (the timestamp must still be an integer): for replaying stored
    /// webhooks; it leaves you open to replays.
    #[uniffi(default = false)]
    pub skip_timestamp_check: bool,
}

fn core_options(options: Option<VerifyOptions>) -> Result<sendivent::webhook::VerifyOptions, SendiventError> {
    let options = options.unwrap_or_default();
    let mut core = sendivent::webhook::VerifyOptions::default().skip_timestamp_check(options.skip_timestamp_check);
    if let Some(tolerance) = options.tolerance {
        core = core.tolerance_seconds(tolerance)?;
    }
    if let Some(now) = options.now {
        core = core.now(now);
    }
    Ok(core)
}

fn pairs(headers: &[Header]) -> impl Iterator<Item = (&str, &str)> {
    headers.iter().map(|h| (h.name.as_str(), h.value.as_str()))
}

/// A verified webhook's event, with what the verification found.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VerifiedEvent {
    /// The event.
    pub event: WebhookEvent,
    /// Id, timestamp and matching secret.
    pub verified: Verified,
}

fn event(core: sendivent::models::WebhookEvent) -> Result<WebhookEvent, SendiventError> {
    from_canonical(to_canonical(&core)?)
}

fn verified(core: sendivent::webhook::Verified) -> Result<Verified, SendiventError> {
    from_canonical(to_canonical(&core)?)
}

/// Verifies webhooks with one or more secrets (`whsec_…`, `whpk_…`, or several while rotating),
/// parsed and keyed once: keep one per process. Every check and its order are the core's
/// (docs/contract.md §2 "Webhook signatures"); each failure is a `WebhookVerificationError`
/// with its own code.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Verifier {
    inner: sendivent::webhook::Verifier,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

#[uniffi::export]
impl Verifier {
    /// A verifier accepting a signature by any of `secrets`; an unusable secret fails here with
    /// its code (WEBHOOK_SECRET_EMPTY, WEBHOOK_INVALID_SECRET, …).
    #[uniffi::constructor]
    pub fn new(secrets: Vec<String>) -> Result<Arc<Verifier>, SendiventError> {
        guard(|| Ok(Arc::new(Verifier { inner: sendivent::webhook::Verifier::from_secrets(&secrets)? })))
    }

    /// Verifies a webhook: `body` is the raw request body, exactly as received; `headers` every
    /// request header, in order (repeats included).
    #[uniffi::method(default(options = None))]
    pub fn verify(
        &self,
        body: Vec<u8>,
        headers: Vec<Header>,
        options: Option<VerifyOptions>,
    ) -> Result<Verified, SendiventError> {
        guard(|| verified(self.inner.verify_detailed(&body, pairs(&headers), &core_options(options)?)?))
    }

    /// `verify`, then the body as a `WebhookEvent` (WEBHOOK_INVALID_PAYLOAD if it is not one).
    #[uniffi::method(default(options = None))]
    pub fn verify_event(
        &self,
        body: Vec<u8>,
        headers: Vec<Header>,
        options: Option<VerifyOptions>,
    ) -> Result<WebhookEvent, SendiventError> {
        guard(|| event(self.inner.verify_event(&body, pairs(&headers), &core_options(options)?)?))
    }

    /// `verify`, then records the webhook in `guard`: a second delivery of the same
    /// `webhook-id` is a `WebhookDuplicateError` (answer it 2xx without handling it again).
    #[uniffi::method(default(options = None))]
    pub fn verify_once(
        &self,
        body: Vec<u8>,
        headers: Vec<Header>,
        guard: Arc<ReplayGuard>,
        options: Option<VerifyOptions>,
    ) -> Result<Verified, SendiventError> {
        crate::call::guard(|| {
            verified(self.inner.verify_once(&body, pairs(&headers), &core_options(options)?, &guard.inner)?)
        })
    }

    /// `verify_once`, then the body as a `WebhookEvent`.
    #[uniffi::method(default(options = None))]
    pub fn verify_event_once(
        &self,
        body: Vec<u8>,
        headers: Vec<Header>,
        guard: Arc<ReplayGuard>,
        options: Option<VerifyOptions>,
    ) -> Result<VerifiedEvent, SendiventError> {
        crate::call::guard(|| {
            let (core_event, found) =
                self.inner.verify_event_once(&body, pairs(&headers), &core_options(options)?, &guard.inner)?;
            Ok(VerifiedEvent { event: event(core_event)?, verified: verified(found)? })
        })
    }
}

/// Verifies a webhook with one secret. For many webhooks, build a `Verifier` once instead.
#[uniffi::export(default(options = None))]
pub fn webhook_verify(
    body: Vec<u8>,
    headers: Vec<Header>,
    secret: String,
    options: Option<VerifyOptions>,
) -> Result<(), SendiventError> {
    guard(|| Ok(sendivent::webhook::verify(&body, pairs(&headers), &secret, &core_options(options)?)?))
}

/// Verifies a webhook with one secret and returns its event.
#[uniffi::export(default(options = None))]
pub fn webhook_verify_event(
    body: Vec<u8>,
    headers: Vec<Header>,
    secret: String,
    options: Option<VerifyOptions>,
) -> Result<WebhookEvent, SendiventError> {
    guard(|| event(sendivent::webhook::verify_event(&body, pairs(&headers), &secret, &core_options(options)?)?))
}

/// The `webhook-signature` value of a message: `v1,<base64>` for a `whsec_` secret,
/// `v1a,<base64>` for a `whsk_` ed25519 key (for tests, and for sending webhooks yourself).
#[uniffi::export]
pub fn webhook_sign(secret: String, msg_id: String, timestamp: i64, body: Vec<u8>) -> Result<String, SendiventError> {
    guard(|| Ok(sendivent::webhook::sign(&secret, &msg_id, timestamp, &body)?))
}

/// The three Standard Webhooks headers of a signed message: `webhook-id`,
/// `webhook-timestamp`, `webhook-signature`.
#[uniffi::export]
pub fn webhook_sign_headers(
    secret: String,
    msg_id: String,
    timestamp: i64,
    body: Vec<u8>,
) -> Result<Vec<Header>, SendiventError> {
    guard(|| {
        let signed = sendivent::webhook::sign_headers(&secret, &msg_id, timestamp, &body)?;
        Ok(signed.into_pairs().into_iter().map(|(name, value)| Header { name: name.to_owned(), value }).collect())
    })
}

/// Where a replay guard records ids: implement it to keep them in your own database. The
/// check-and-record must be atomic: of concurrent calls with one key, exactly one returns true.
/// Throw (any exception) when the store cannot be reached: the webhook is then refused with
/// REPLAY_STORE_ERROR, neither accepted nor reported as a duplicate.
#[uniffi::export(with_foreign)]
pub trait ReplayStore: Send + Sync {
    /// Records `key` for `ttl_seconds` from `now` (unix seconds, the verification's clock)
    /// unless it is recorded; true when it was not.
    fn insert_if_absent(&self, key: String, now: i64, ttl_seconds: u64) -> Result<bool, SendiventError>;
}

struct ForeignStore(Arc<dyn ReplayStore>);

impl sendivent::webhook::ReplayStore for ForeignStore {
    fn insert_if_absent(&self, key: &str, now: i64, ttl: Duration) -> sendivent::Result<bool> {
        self.0
            .insert_if_absent(key.to_owned(), now, ttl.as_secs())
            .map_err(|err| sendivent::webhook::store_error(err.details_ref().message.as_str()))
    }
}

/// Remembers verified webhook ids and refuses repeats (`Verifier::verify_once`).
#[derive(uniffi::Object)]
pub struct ReplayGuard {
    inner: sendivent::webhook::ReplayGuard,
}

#[uniffi::export]
impl ReplayGuard {
    /// A guard in this process's memory, bounded in entries and time.
    #[uniffi::constructor]
    pub fn in_memory() -> Arc<ReplayGuard> {
        Arc::new(ReplayGuard { inner: sendivent::webhook::ReplayGuard::in_memory() })
    }

    /// A guard over your own store (keys are the webhook ids with the guard's prefix).
    #[uniffi::constructor]
    pub fn with_store(store: Arc<dyn ReplayStore>) -> Arc<ReplayGuard> {
        Arc::new(ReplayGuard { inner: sendivent::webhook::ReplayGuard::with_store(Arc::new(ForeignStore(store))) })
    }
}
