//! Standard Webhooks signing and verification (docs/contract.md §2 "Webhook signatures").
//!
//! Sendivent signs every webhook it POSTs with the three
//! [Standard Webhooks](https://www.standardwebhooks.com/) headers:
//!
//! - `webhook-id`: the message id, the same on every retry of one event (deduplicate on it);
//! - `webhook-timestamp`: unix seconds when it was signed;
//! - `webhook-signature`: a space-separated list of `v1,<base64 HMAC-SHA256>` and/or
//!   `v1a,<base64 ed25519>` signatures of `{id}.{timestamp}.{raw body}` (a list, so keys can rotate).
//!
//! The receiving side in three lines, with the **raw** body bytes (never a re-serialised object):
//!
//! ```
//! use sendivent::webhook::{self, VerifyOptions};
//! # let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! # let body = br#"{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}"#;
//! # let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, body).unwrap();
//! # let headers: Vec<(&str, String)> = headers.into_iter().collect();
//! let options = VerifyOptions::default(); // 5 minutes tolerance, platform clock
//! # let options = options.now(1_700_000_010);
//! let event = webhook::verify_event(body, &headers, secret, &options)?;
//! assert_eq!(event.event.as_str(), "delivery.sent");
//! # Ok::<(), sendivent::Error>(())
//! ```
//!
//! # Order of the checks
//!
//! Each failure has its own [`ErrorCode`]; when several things are wrong, the first check in this
//! order decides (the shared vectors pin it):
//!
//! 1. the secret(s): `WEBHOOK_SECRET_EMPTY`, `WEBHOOK_SECRET_IS_API_KEY`, `WEBHOOK_SECRET_IS_SIGNATURE`,
//!    `WEBHOOK_INVALID_SECRET` (a [`Verifier`] checks them once, at construction);
//! 2. the headers, independent of any key: a missing `webhook-id`, `webhook-timestamp` or
//!    `webhook-signature` (or an empty `webhook-id`) is `WEBHOOK_MISSING_HEADER`; a timestamp that
//!    is not an integer (or empty) is `WEBHOOK_INVALID_TIMESTAMP`; a signature header without a
//!    single well-formed `v1,`/`v1a,` entry (or empty) is `WEBHOOK_INVALID_SIGNATURE_HEADER`;
//! 3. the timestamp against the clock: `WEBHOOK_TIMESTAMP_TOO_OLD` / `WEBHOOK_TIMESTAMP_TOO_NEW`
//!    (unless [`VerifyOptions::skip_timestamp_check`]);
//! 4. the signatures: `WEBHOOK_NO_MATCHING_SIGNATURE` unless one entry matches one key;
//! 5. for [`verify_event`] only, the body: `WEBHOOK_INVALID_PAYLOAD` unless it is a JSON event.
//!
//! Header names are matched case-insensitively; header values are trimmed of surrounding
//! whitespace. A header that arrives more than once: `webhook-signature` entries all count, as
//! one list (also when comma-joined, as fetch's `Headers` joins repeats); `webhook-id` and
//! `webhook-timestamp` (also comma-joined) must carry the same value every time, else
//! `WEBHOOK_AMBIGUOUS_HEADER`.
//! Entries of unknown versions (`v2,…`) and entries that are not well-formed are skipped as long as
//! one well-formed `v1`/`v1a` entry remains; a header over [`MAX_SIGNATURE_HEADER_BYTES`] or with
//! more than [`MAX_SIGNATURE_ENTRIES`] entries is refused before any crypto runs. A `v1` entry is
//! well-formed when it is base64 (padded or not) of 32 bytes, a `v1a` entry of 64.
//! The timestamp is `-`? followed by ASCII digits; it is signed in its canonical decimal form.
//! Signatures are compared in constant time.

mod replay;
mod secret;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
#[cfg(feature = "ed25519")]
use ed25519_dalek::{Signature, VerifyingKey};
use hmac::Mac as _;
use subtle::ConstantTimeEq as _;

use crate::error::{Error, ErrorCode, Result};
use crate::models::WebhookEvent;

#[cfg(feature = "redis")]
pub use replay::RedisStore;
pub use replay::{
    DEFAULT_MEMORY_ENTRIES, DEFAULT_NAMESPACE, MemoryStore, ReplayEntry, ReplayGuard, ReplayStore,
    UNBOUNDED_REPLAY_TTL, duplicate, store_error,
};
use secret::{BASE64, HmacSha256, Key};
pub use secret::{MIN_SECRET_BYTES, Secret, SecretKind};

/// Name of the message id header.
pub const HEADER_ID: &str = "webhook-id";
/// Name of the timestamp header (unix seconds).
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the signature list header.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// The default timestamp tolerance, either way: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(crate::api::bounds::TOLERANCE.default as u64);

/// One HTTP header, as anything that has a name and a value: `(K, V)` tuples of string types,
/// references to them (so `&Vec<(String, String)>` and `&[(&str, &str)]` work as header lists),
/// and the `(&String, &String)` pairs a `HashMap` iterates over.
pub trait HeaderPair {
    /// The header name (matched case-insensitively).
    fn name(&self) -> &str;
    /// The header value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> HeaderPair for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<T: HeaderPair + ?Sized> HeaderPair for &T {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn value(&self) -> &str {
        (**self).value()
    }
}

/// Options of a verification: the timestamp tolerance and the clock.
///
/// ```
/// use std::time::Duration;
/// use sendivent::webhook::VerifyOptions;
///
/// let options = VerifyOptions::default().tolerance(Duration::from_secs(60)).now(1_700_000_000);
/// assert_eq!(options.tolerance, Duration::from_secs(60));
/// assert_eq!(options.now, Some(1_700_000_000));
/// assert!(!options.skip_timestamp_check);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// How far the timestamp may be from now, either way (default 5 minutes). Whole seconds
    /// count; `Duration::ZERO` means the timestamp must equal now — it never disables the check.
    pub tolerance: Duration,
    /// The current unix time in seconds; `None` reads the platform clock. On
    /// `wasm32-unknown-unknown`, which has no clock, pass it (e.g. `Date.now() / 1000`).
    pub now: Option<i64>,
    /// Skips the timestamp tolerance check entirely (the timestamp must still be an integer, as it
    /// is part of the signed content). For replaying stored webhooks; leaves you open to replays.
    pub skip_timestamp_check: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions { tolerance: DEFAULT_TOLERANCE, now: None, skip_timestamp_check: false }
    }
}

impl VerifyOptions {
    /// The defaults: 5 minutes tolerance, platform clock, timestamp checked.
    pub fn new() -> VerifyOptions {
        VerifyOptions::default()
    }

    /// Sets the tolerance (either way).
    pub fn tolerance(mut self, tolerance: Duration) -> VerifyOptions {
        self.tolerance = tolerance;
        self
    }

    /// Sets the tolerance from a number of seconds, as bindings receive it: 0 to 7 days
    /// ([`crate::api::bounds::TOLERANCE`]); anything else (negative, NaN, `1e20`) is
    /// INVALID_ARGUMENT.
    ///
    /// ```
    /// use sendivent::webhook::VerifyOptions;
    ///
    /// assert!(VerifyOptions::default().tolerance_seconds(60.0).is_ok());
    /// assert_eq!(VerifyOptions::default().tolerance_seconds(1e20).unwrap_err().code(), "INVALID_ARGUMENT");
    /// ```
    pub fn tolerance_seconds(self, seconds: f64) -> Result<VerifyOptions> {
        Ok(self.tolerance(crate::api::bounds::TOLERANCE.duration(seconds)?))
    }

    /// Pins the current time (unix seconds), e.g. in tests or where there is no clock.
    pub fn now(mut self, unix_seconds: i64) -> VerifyOptions {
        self.now = Some(unix_seconds);
        self
    }

    /// Skips (true) or performs (false) the timestamp tolerance check.
    pub fn skip_timestamp_check(mut self, skip: bool) -> VerifyOptions {
        self.skip_timestamp_check = skip;
        self
    }
}

/// Verifies webhooks with one or more secrets, parsed and keyed once.
///
/// Keep one per process (it is `Send + Sync` and cheap to share): construction checks the secrets
/// and precomputes the HMAC key state, so each verification only hashes the message.
///
/// ```
/// use sendivent::webhook::{self, Verifier, VerifyOptions};
///
/// let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let new = "whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ==";
/// // While rotating, accept both.
/// let verifier = Verifier::from_secrets([new, old])?;
/// let headers = webhook::sign_headers(old, "msg_1", 1_700_000_000, b"{}")?;
/// verifier.verify(b"{}", &headers, &VerifyOptions::default().now(1_700_000_000))?;
///
/// let err = verifier.verify(b"{ }", &headers, &VerifyOptions::default().now(1_700_000_000)).unwrap_err();
/// assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
/// # Ok::<(), sendivent::Error>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<Secret>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("secrets", &self.secrets).finish()
    }
}

impl From<Secret> for Verifier {
    fn from(secret: Secret) -> Verifier {
        Verifier { secrets: vec![secret] }
    }
}

impl Verifier {
    /// A verifier for one secret (`whsec_…`, bare base64, `whpk_…` or `whsk_…`).
    pub fn new(secret: &str) -> Result<Verifier> {
        Ok(Verifier { secrets: vec![Secret::parse(secret)?] })
    }

    /// A verifier accepting a signature by any of several secrets (receiver-side rotation).
    /// An error names the position of the offending secret; an empty list is
    /// `WEBHOOK_SECRET_EMPTY`.
    pub fn from_secrets<I, S>(secrets: I) -> Result<Verifier>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut parsed = Vec::new();
        for (index, secret) in secrets.into_iter().enumerate() {
            match Secret::parse(secret.as_ref()) {
                Ok(secret) => parsed.push(secret),
                Err(Error::Webhook { code, message }) => {
                    return Err(Error::webhook(code, format!("secret #{}: {message}", index + 1)));
                }
                Err(other) => return Err(other),
            }
        }
        Verifier::from_parsed(parsed)
    }

    /// A verifier from already parsed secrets; an empty list is `WEBHOOK_SECRET_EMPTY`.
    pub fn from_parsed(secrets: impl IntoIterator<Item = Secret>) -> Result<Verifier> {
        let secrets: Vec<Secret> = secrets.into_iter().collect();
        if secrets.is_empty() {
            return Err(Error::webhook(ErrorCode::WebhookSecretEmpty, "no webhook secret was given"));
        }
        Ok(Verifier { secrets })
    }

    /// The secrets this verifier accepts, in the order given.
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// Verifies a webhook: `body` is the raw request body, `headers` the request headers (any
    /// iterable of name/value pairs). See the [module documentation](self) for the checks and
    /// their order.
    pub fn verify<H, P>(&self, body: &[u8], headers: H, options: &VerifyOptions) -> Result<()>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        self.verify_detailed(body, headers, options).map(|_| ())
    }

    /// [`Verifier::verify`], telling which secret matched ([`Verified`]): a receiver rotating
    /// secrets logs `secret_fingerprint` and retires the old secret once it stops appearing.
    pub fn verify_detailed<H, P>(&self, body: &[u8], headers: H, options: &VerifyOptions) -> Result<Verified>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        with_header_values(headers, |id, timestamp, signature| {
            self.verify_parts_detailed(body, id, timestamp, signature, options)
        })
    }

    /// The first half of a verification whose HMAC-SHA256 the host computes (WebCrypto in edge
    /// runtimes, where a native HMAC is faster or the only one there is): every check up to the
    /// signatures — headers, timestamp syntax and tolerance, signature-header syntax — runs
    /// here, in the order of [`Verifier::verify_detailed`], and the answer holds the signed
    /// content `{id}.{timestamp}.{body}` and which secrets need a tag
    /// ([`HostHmac::secrets`], keys from [`Verifier::hmac_key`]). [`Verifier::finish_host_hmac`]
    /// takes the tags and decides, with the same results as [`Verifier::verify_detailed`].
    ///
    /// ```
    /// use hmac::{Hmac, Mac};
    /// use sendivent::webhook::{self, Verifier, VerifyOptions};
    ///
    /// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /// let verifier = Verifier::new(secret)?;
    /// let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}")?;
    /// let options = VerifyOptions::default().now(1_700_000_000);
    /// let pending = verifier.prepare_host_hmac(b"{}", &headers, &options)?;
    /// // The host's HMAC-SHA256 of the signed content with each key it is asked for.
    /// let tags: Vec<Vec<u8>> = pending
    ///     .secrets()
    ///     .iter()
    ///     .map(|&i| {
    ///         let mut mac = Hmac::<sha2::Sha256>::new_from_slice(verifier.hmac_key(i).unwrap()).unwrap();
    ///         mac.update(pending.signed_content());
    ///         mac.finalize().into_bytes().to_vec()
    ///     })
    ///     .collect();
    /// let verified = verifier.finish_host_hmac(&pending, &tags)?;
    /// assert_eq!(verified, verifier.verify_detailed(b"{}", &headers, &options)?);
    /// # Ok::<(), sendivent::Error>(())
    /// ```
    pub fn prepare_host_hmac<H, P>(&self, body: &[u8], headers: H, options: &VerifyOptions) -> Result<HostHmac>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        with_header_values(headers, |id, timestamp, signature| {
            let parts = check_parts(id, timestamp, signature, options)?;
            let mut ts_buf = [0u8; 20];
            let signed = signed_content(parts.msg_id.as_bytes(), format_timestamp(parts.timestamp, &mut ts_buf), body);
            let has_v1 = parts.entries.iter().any(|e| matches!(e, Entry::V1(_)));
            let secrets = if has_v1 {
                self.secrets
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.kind() == SecretKind::Symmetric)
                    .map(|(i, _)| i)
                    .collect()
            } else {
                Vec::new()
            };
            Ok(HostHmac {
                msg_id: parts.msg_id.to_owned(),
                timestamp: parts.timestamp,
                entries: parts.entries,
                body_start: signed.len() - body.len(),
                signed,
                secrets,
            })
        })
    }

    /// The second half of [`Verifier::prepare_host_hmac`]: `tags` are the host's HMAC-SHA256
    /// tags of [`HostHmac::signed_content`], one per [`HostHmac::secrets`] entry, in that order.
    /// Compares them in constant time with every `v1` entry, verifies `v1a` entries itself, and
    /// answers exactly as [`Verifier::verify_detailed`] would. Tags of the wrong number or length
    /// are INVALID_ARGUMENT.
    pub fn finish_host_hmac<T: AsRef<[u8]>>(&self, pending: &HostHmac, tags: &[T]) -> Result<Verified> {
        if tags.len() != pending.secrets.len() {
            return Err(Error::invalid(
                ErrorCode::InvalidArgument,
                format!("{} HMAC tags were given for {} secrets", tags.len(), pending.secrets.len()),
            ));
        }
        let parts = Parts { msg_id: &pending.msg_id, timestamp: pending.timestamp, entries: &pending.entries };
        self.match_secrets(&parts, pending.body(), Some(&pending.signed), |index, _| {
            let position = pending.secrets.iter().position(|&i| i == index);
            let tag = position.map(|p| tags[p].as_ref()).unwrap_or_default();
            <[u8; 32]>::try_from(tag).map_err(|_| {
                Error::invalid(
                    ErrorCode::InvalidArgument,
                    format!("the HMAC tag of secret #{} is {} bytes, not 32", index + 1, tag.len()),
                )
            })
        })
    }

    /// The symmetric key of the secret at `index`, as bytes, for a host's own HMAC
    /// ([`Verifier::prepare_host_hmac`]); `None` for an ed25519 key or an index out of range.
    /// It is the secret itself: hand it only to the host's crypto.
    pub fn hmac_key(&self, index: usize) -> Option<&[u8]> {
        self.secrets.get(index)?.hmac_key()
    }

    /// [`Verifier::verify_detailed`], then records the message in `guard`: a second delivery of
    /// the same `webhook-id` within its window is WEBHOOK_DUPLICATE (answer it 2xx without
    /// handling it). Only authentic messages are recorded, so forged ones cannot fill the store.
    pub fn verify_once<H, P>(
        &self,
        body: &[u8],
        headers: H,
        options: &VerifyOptions,
        guard: &ReplayGuard,
    ) -> Result<Verified>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        let verified = self.verify_detailed(body, headers, options)?;
        guard.record_verified(&verified, options)?;
        Ok(verified)
    }

    /// [`Verifier::verify_once`], then parses the body as a [`WebhookEvent`].
    pub fn verify_event_once<H, P>(
        &self,
        body: &[u8],
        headers: H,
        options: &VerifyOptions,
        guard: &ReplayGuard,
    ) -> Result<(WebhookEvent, Verified)>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        // The payload is checked before the id is recorded: a body that is not an event is
        // refused every time, not recorded once and reported as a duplicate after.
        let verified = self.verify_detailed(body, headers, options)?;
        let event = parse_event(body)?;
        guard.record_verified(&verified, options)?;
        Ok((event, verified))
    }

    /// [`Verifier::verify`], then parses the body as a [`WebhookEvent`]. Unknown fields and
    /// unknown event types are accepted (the type is kept as sent).
    pub fn verify_event<H, P>(&self, body: &[u8], headers: H, options: &VerifyOptions) -> Result<WebhookEvent>
    where
        H: IntoIterator<Item = P>,
        P: HeaderPair,
    {
        self.verify(body, headers, options)?;
        parse_event(body)
    }

    /// Verifies with the three header values already extracted (surrounding whitespace is
    /// ignored). For bindings and frameworks that hand over headers one by one.
    pub fn verify_parts(
        &self,
        body: &[u8],
        msg_id: &str,
        timestamp: &str,
        signature_header: &str,
        options: &VerifyOptions,
    ) -> Result<()> {
        self.verify_parts_detailed(body, msg_id, timestamp, signature_header, options).map(|_| ())
    }

    /// [`Verifier::verify_parts`], telling which secret matched.
    pub fn verify_parts_detailed(
        &self,
        body: &[u8],
        msg_id: &str,
        timestamp: &str,
        signature_header: &str,
        options: &VerifyOptions,
    ) -> Result<Verified> {
        let parts = check_parts(msg_id, timestamp, signature_header, options)?;
        let mut ts_buf = [0u8; 20];
        let ts = format_timestamp(parts.timestamp, &mut ts_buf);
        let id = parts.msg_id.as_bytes();
        let parts = Parts { msg_id: parts.msg_id, timestamp: parts.timestamp, entries: &parts.entries };
        self.match_secrets(&parts, body, None, |_, mac| Ok(hmac_tag(mac, id, ts, body)))
    }

    /// Matches the signature entries against each secret in order; the first secret with a
    /// matching entry wins. `signed` is the signed content when the caller already has it;
    /// `tag_of(index, key)` gives the HMAC tag of the secret at `index`.
    fn match_secrets(
        &self,
        parts: &Parts<'_>,
        body: &[u8],
        signed: Option<&[u8]>,
        mut tag_of: impl FnMut(usize, &HmacSha256) -> Result<[u8; 32]>,
    ) -> Result<Verified> {
        let entries = parts.entries;
        #[cfg(feature = "ed25519")]
        let mut ts_buf = [0u8; 20];
        #[cfg(feature = "ed25519")]
        let (ts, id) = (format_timestamp(parts.timestamp, &mut ts_buf), parts.msg_id.as_bytes());
        #[cfg(feature = "ed25519")]
        let mut ed25519_message: Option<std::borrow::Cow<'_, [u8]>> = signed.map(std::borrow::Cow::Borrowed);
        #[cfg(not(feature = "ed25519"))]
        let _ = signed;
        let has_v1 = entries.iter().any(|e| matches!(e, Entry::V1(_)));
        let has_v1a = entries.iter().any(|e| matches!(e, Entry::V1a(_)));
        for (index, secret) in self.secrets.iter().enumerate() {
            let matched = match &secret.key {
                Key::Hmac(mac) if has_v1 => {
                    let tag = tag_of(index, mac)?;
                    let matched = entries
                        .iter()
                        .filter_map(|entry| match entry {
                            Entry::V1(sig) => Some(sig),
                            Entry::V1a(_) => None,
                        })
                        .fold(subtle::Choice::from(0), |acc, sig| acc | tag.ct_eq(sig));
                    bool::from(matched)
                }
                #[cfg(feature = "ed25519")]
                Key::Public(public) if has_v1a => {
                    let message = ed25519_message.get_or_insert_with(|| signed_content(id, ts, body).into());
                    ed25519_matches(public, message, entries)
                }
                #[cfg(feature = "ed25519")]
                Key::Private(private) if has_v1a => {
                    let message = ed25519_message.get_or_insert_with(|| signed_content(id, ts, body).into());
                    ed25519_matches(&private.verifying_key(), message, entries)
                }
                _ => false,
            };
            if matched {
                return Ok(Verified {
                    msg_id: parts.msg_id.to_owned(),
                    timestamp: parts.timestamp,
                    secret_index: index,
                    secret_fingerprint: secret.fingerprint().to_owned(),
                });
            }
        }
        Err(Error::webhook(
            ErrorCode::WebhookNoMatchingSignature,
            no_match_message(&self.secrets, has_v1, has_v1a, body),
        ))
    }
}

/// A verification waiting for the host's HMAC tags ([`Verifier::prepare_host_hmac`]).
#[derive(Debug, Clone)]
pub struct HostHmac {
    msg_id: String,
    timestamp: i64,
    entries: Vec<Entry>,
    signed: Vec<u8>,
    body_start: usize,
    secrets: Vec<usize>,
}

impl HostHmac {
    /// `{id}.{timestamp}.{body}`: what each HMAC tag is computed over.
    pub fn signed_content(&self) -> &[u8] {
        &self.signed
    }

    /// The body, as given.
    pub fn body(&self) -> &[u8] {
        &self.signed[self.body_start..]
    }

    /// `{id}.{timestamp}.`: the signed content before the body. A host that still holds the body
    /// hashes this prefix and then the body, instead of copying [`HostHmac::signed_content`] out.
    ///
    /// ```
    /// use sendivent::webhook::{self, Verifier, VerifyOptions};
    ///
    /// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /// let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}")?;
    /// let pending = Verifier::new(secret)?.prepare_host_hmac(b"{}", &headers, &VerifyOptions::default().now(1_700_000_000))?;
    /// assert_eq!(pending.signed_prefix(), b"msg_1.1700000000.");
    /// assert_eq!([pending.signed_prefix(), pending.body()].concat(), pending.signed_content());
    /// # Ok::<(), sendivent::Error>(())
    /// ```
    pub fn signed_prefix(&self) -> &[u8] {
        &self.signed[..self.body_start]
    }

    /// The positions of the verifier's secrets whose HMAC tag the host must compute, in order;
    /// empty when the signature header has no `v1` entry (nothing for an HMAC to match).
    pub fn secrets(&self) -> &[usize] {
        &self.secrets
    }
}

/// The header values of a verification, checked in the documented order.
struct Parts<'a> {
    msg_id: &'a str,
    timestamp: i64,
    entries: &'a [Entry],
}

struct CheckedParts<'a> {
    msg_id: &'a str,
    timestamp: i64,
    entries: Vec<Entry>,
}

/// The checks that need no key: id, timestamp syntax, signature-header syntax, tolerance.
fn check_parts<'a>(
    msg_id: &'a str,
    timestamp: &str,
    signature_header: &str,
    options: &VerifyOptions,
) -> Result<CheckedParts<'a>> {
    let msg_id = msg_id.trim();
    if msg_id.is_empty() {
        return Err(Error::webhook(ErrorCode::WebhookMissingHeader, "the webhook-id header is empty"));
    }
    let signature_header = signature_header.trim();
    if signature_header.is_empty() {
        return Err(Error::webhook(ErrorCode::WebhookInvalidSignatureHeader, "the webhook-signature header is empty"));
    }
    let timestamp = parse_timestamp(timestamp.trim())?;
    let entries = parse_signature_header(signature_header)?;
    if !options.skip_timestamp_check {
        check_timestamp(timestamp, options)?;
    }
    Ok(CheckedParts { msg_id, timestamp, entries })
}

/// Picks the three webhook headers out of every request header (names case-insensitive,
/// repeats by the documented policy) and hands their values to `then`.
fn with_header_values<H, P, R>(headers: H, then: impl FnOnce(&str, &str, &str) -> Result<R>) -> Result<R>
where
    H: IntoIterator<Item = P>,
    P: HeaderPair,
{
    let mut ids: Vec<P> = Vec::new();
    let mut timestamps: Vec<P> = Vec::new();
    let mut signatures: Vec<P> = Vec::new();
    for header in headers {
        let name = header.name().trim();
        if name.eq_ignore_ascii_case(HEADER_ID) {
            ids.push(header);
        } else if name.eq_ignore_ascii_case(HEADER_TIMESTAMP) {
            timestamps.push(header);
        } else if name.eq_ignore_ascii_case(HEADER_SIGNATURE) {
            signatures.push(header);
        }
    }
    if ids.is_empty() || timestamps.is_empty() || signatures.is_empty() {
        let missing: Vec<&str> = [(&ids, HEADER_ID), (&timestamps, HEADER_TIMESTAMP), (&signatures, HEADER_SIGNATURE)]
            .into_iter()
            .filter(|(values, _)| values.is_empty())
            .map(|(_, name)| name)
            .collect();
        return Err(Error::webhook(
            ErrorCode::WebhookMissingHeader,
            format!(
                "missing webhook header{} {} (a Standard Webhooks request carries webhook-id, \
                 webhook-timestamp and webhook-signature)",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
        ));
    }
    let id = single_value(HEADER_ID, &ids)?;
    let timestamp = single_value(HEADER_TIMESTAMP, &timestamps)?;
    // Repeated signature headers are one list, as if joined with a space.
    let joined;
    let signature = if signatures.len() == 1 {
        signatures[0].value()
    } else {
        joined = signatures.iter().map(|h| h.value()).collect::<Vec<_>>().join(" ");
        joined.as_str()
    };
    then(id, timestamp, signature)
}

/// The one value of a header that may arrive more than once: every occurrence must carry the
/// same value. A timestamp may also arrive comma-joined (as fetch's `Headers` joins repeats); an
/// id may contain commas, so its occurrences are compared whole.
fn single_value<'a, P: HeaderPair>(name: &str, headers: &'a [P]) -> Result<&'a str> {
    let split = name == HEADER_TIMESTAMP;
    let mut values = headers
        .iter()
        .flat_map(|h| if split { h.value().split(',').collect::<Vec<_>>() } else { vec![h.value()] })
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let first = match values.next() {
        Some(first) => first,
        // Empty values are judged by the checks of each header.
        None => return Ok(headers[0].value()),
    };
    if values.any(|other| other != first) {
        return Err(Error::webhook(
            ErrorCode::WebhookAmbiguousHeader,
            format!("{name} appears more than once with different values; a webhook carries exactly one"),
        ));
    }
    Ok(if headers.len() == 1 && !(split && headers[0].value().contains(',')) { headers[0].value() } else { first })
}

#[cfg(feature = "ed25519")]
fn ed25519_matches(public: &VerifyingKey, message: &[u8], entries: &[Entry]) -> bool {
    entries.iter().any(|entry| match entry {
        Entry::V1a(sig) => public.verify_strict(message, &Signature::from_bytes(sig)).is_ok(),
        Entry::V1(_) => false,
    })
}

fn no_match_message(secrets: &[Secret], has_v1: bool, has_v1a: bool, body: &[u8]) -> String {
    let symmetric = secrets.iter().any(|s| s.kind() == SecretKind::Symmetric);
    let asymmetric = secrets.iter().any(|s| s.kind() != SecretKind::Symmetric);
    let base = "no signature in webhook-signature matches the body with the given secret";
    if !has_v1 && symmetric && !asymmetric {
        let also = if cfg!(feature = "ed25519") {
            ""
        } else {
            " (and this build of the SDK has no ed25519 support: v1a needs a build with it, in JavaScript \
             @sendivent/wasm/webhook-ed25519 or @sendivent/wasm)"
        };
        format!("{base}: the header has only v1a (ed25519) signatures but the secret is a symmetric whsec_ key{also}")
    } else if !has_v1a && asymmetric && !symmetric {
        format!("{base}: the header has only v1 (HMAC) signatures but the secret is an ed25519 key")
    } else if let Some(how) = reserialised(body) {
        format!(
            "{base}: the body looks re-serialised ({how}), not the raw bytes received; verify the request body \
             exactly as it arrived (e.g. Flask request.get_data(), FastAPI await request.body(), Express \
             express.raw())"
        )
    } else {
        format!(
            "{base} (was the body re-serialised instead of passed as the raw bytes received? is it the secret of \
             this endpoint?)"
        )
    }
}

/// How a JSON body looks re-serialised by the receiver, when it does: Sendivent sends compact
/// JSON, so separators with spaces (Python's `json.dumps`) or indentation (pretty printers) mean
/// the bytes are not the ones that were signed.
fn reserialised(body: &[u8]) -> Option<&'static str> {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return None;
    }
    let (mut in_string, mut escaped) = (false, false);
    let mut spaced = false;
    for window in body.windows(2) {
        let (c, next) = (window[0], window[1]);
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'\n' => return Some("it is indented"),
            b',' | b':' if next == b' ' => spaced = true,
            _ => {}
        }
    }
    spaced.then_some("its separators have spaces, as Python's json.dumps writes them")
}

/// A verified webhook: its id and timestamp, and which secret matched (for rotation insight).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verified {
    /// `webhook-id`: the same on every delivery attempt of one event (deduplicate on it).
    pub msg_id: String,
    /// `webhook-timestamp`, unix seconds.
    pub timestamp: i64,
    /// Which of the verifier's secrets matched, 0-based in the order they were given.
    pub secret_index: usize,
    /// That secret's fingerprint (`whsec:` or `whpk:` and 16 hex digits of a SHA-256): safe to
    /// log, reveals nothing of the secret.
    pub secret_fingerprint: String,
}

/// Verifies a webhook with one secret. For many webhooks, build a [`Verifier`] once instead.
///
/// ```
/// use sendivent::webhook::{self, VerifyOptions};
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let headers = [
///     ("Webhook-Id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
///     ("Webhook-Timestamp", "1614265330"),
///     ("Webhook-Signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
/// ];
/// let options = VerifyOptions::default().now(1_614_265_330);
/// webhook::verify(br#"{"test": 2432232314}"#, headers, secret, &options)?;
/// # Ok::<(), sendivent::Error>(())
/// ```
pub fn verify<H, P>(body: &[u8], headers: H, secret: &str, options: &VerifyOptions) -> Result<()>
where
    H: IntoIterator<Item = P>,
    P: HeaderPair,
{
    Verifier::new(secret)?.verify(body, headers, options)
}

/// Verifies a webhook with one secret and parses its body as a [`WebhookEvent`].
pub fn verify_event<H, P>(body: &[u8], headers: H, secret: &str, options: &VerifyOptions) -> Result<WebhookEvent>
where
    H: IntoIterator<Item = P>,
    P: HeaderPair,
{
    Verifier::new(secret)?.verify_event(body, headers, options)
}

/// The error for a body given to verification as a parsed object (a dict, a JS object, a
/// struct) instead of the raw bytes: `found` names what was given, `hint` how to get the raw
/// body in the caller's language or framework.
pub fn body_not_raw(found: &str, hint: &str) -> Error {
    Error::webhook(
        ErrorCode::WebhookBodyNotRaw,
        format!(
            "the webhook body is {found}, not the raw bytes received: a signature covers the exact bytes, which \
             parsing and re-serialising changes; {hint}"
        ),
    )
}

/// Parses a (verified) body as a [`WebhookEvent`]; `WEBHOOK_INVALID_PAYLOAD` if it is not one.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent> {
    serde_json::from_slice(body).map_err(|err| {
        let what = if err.is_syntax() || err.is_eof() { "not valid JSON" } else { "not a webhook event" };
        Error::webhook(ErrorCode::WebhookInvalidPayload, format!("the webhook body is {what}: {err}"))
    })
}

/// Signs a message: returns the `webhook-signature` header value, `v1,<base64>` for a `whsec_`
/// (or bare base64) secret and `v1a,<base64>` for a `whsk_` ed25519 private key. A `whpk_` public
/// key cannot sign (`WEBHOOK_INVALID_SECRET`). The id must be non-empty printable text without
/// surrounding whitespace.
///
/// ```
/// let signature = sendivent::webhook::sign(
///     "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
///     "msg_p5jXN8AQM9LWM0D4loKWxJek",
///     1_614_265_330,
///     br#"{"test": 2432232314}"#,
/// )?;
/// assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
/// # Ok::<(), sendivent::Error>(())
/// ```
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<String> {
    Secret::parse(secret)?.sign(msg_id, timestamp, body)
}

/// Signs a message and returns all three headers. Iterating gives `(name, value)` pairs,
/// ready for an HTTP client or for [`verify`].
///
/// ```
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let headers = sendivent::webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}")?;
/// let pairs: Vec<(&str, String)> = headers.into_iter().collect();
/// assert_eq!(pairs[0], ("webhook-id", "msg_1".to_owned()));
/// assert_eq!(pairs[1], ("webhook-timestamp", "1700000000".to_owned()));
/// assert!(pairs[2].1.starts_with("v1,"));
/// # Ok::<(), sendivent::Error>(())
/// ```
pub fn sign_headers(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<SignedHeaders> {
    let signature = sign(secret, msg_id, timestamp, body)?;
    Ok(SignedHeaders { id: msg_id.to_owned(), timestamp, signature })
}

/// The three Standard Webhooks headers of a signed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`, unix seconds.
    pub timestamp: i64,
    /// `webhook-signature`.
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as `(name, value)` pairs: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    pub fn into_pairs(self) -> [(&'static str, String); 3] {
        [(HEADER_ID, self.id), (HEADER_TIMESTAMP, self.timestamp.to_string()), (HEADER_SIGNATURE, self.signature)]
    }

    /// The headers as `(name, value)` pairs, copied.
    pub fn pairs(&self) -> [(&'static str, String); 3] {
        self.clone().into_pairs()
    }
}

impl IntoIterator for SignedHeaders {
    type Item = (&'static str, String);
    type IntoIter = std::array::IntoIter<(&'static str, String), 3>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_pairs().into_iter()
    }
}

impl IntoIterator for &SignedHeaders {
    type Item = (&'static str, String);
    type IntoIter = std::array::IntoIter<(&'static str, String), 3>;

    fn into_iter(self) -> Self::IntoIter {
        self.pairs().into_iter()
    }
}

/// The current unix time from the platform clock (seconds; negative before 1970).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn unix_now() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn clock_now() -> Result<i64> {
    Ok(unix_now())
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn clock_now() -> Result<i64> {
    Err(Error::Binding {
        code: ErrorCode::InvalidArgument,
        message: "wasm32-unknown-unknown has no clock: set VerifyOptions::now (unix seconds)".to_owned(),
    })
}

fn parse_timestamp(value: &str) -> Result<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let shown: String = value.chars().take(32).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::webhook(
            ErrorCode::WebhookInvalidTimestamp,
            format!("webhook-timestamp {shown:?} is not an integer number of unix seconds"),
        ));
    }
    value.parse::<i64>().map_err(|_| {
        Error::webhook(ErrorCode::WebhookInvalidTimestamp, format!("webhook-timestamp {shown:?} is out of range"))
    })
}

fn check_timestamp(timestamp: i64, options: &VerifyOptions) -> Result<()> {
    let now = match options.now {
        Some(now) => now,
        None => clock_now()?,
    };
    let tolerance = i128::from(options.tolerance.as_secs());
    let skew = i128::from(now) - i128::from(timestamp);
    if skew > tolerance {
        return Err(Error::webhook(
            ErrorCode::WebhookTimestampTooOld,
            format!(
                "webhook timestamp is {skew} s older than now, more than the tolerance of {tolerance} s (a replayed \
                 or long-delayed webhook, or a slow clock on this machine)"
            ),
        ));
    }
    if -skew > tolerance {
        let hint = if timestamp > 100_000_000_000 {
            " (it looks like milliseconds; webhook-timestamp is in seconds)"
        } else {
            " (is the clock on this machine behind?)"
        };
        return Err(Error::webhook(
            ErrorCode::WebhookTimestampTooNew,
            format!("webhook timestamp is {} s ahead of now, more than the tolerance of {tolerance} s{hint}", -skew),
        ));
    }
    Ok(())
}

/// The longest `webhook-signature` accepted, in bytes: far more than the entries a key rotation
/// needs, and a bound on the work an attacker can ask for before any crypto runs.
pub const MAX_SIGNATURE_HEADER_BYTES: usize = 8192;
/// The most entries a `webhook-signature` may list (each `v1a` entry costs an ed25519 verify).
pub const MAX_SIGNATURE_ENTRIES: usize = 16;

/// A well-formed signature entry, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    V1([u8; 32]),
    V1a([u8; 64]),
}

/// Parses a signature header once: its size and entry count are checked first, then the
/// well-formed `v1`/`v1a` entries are decoded (unknown versions and malformed entries are
/// skipped, repeated ones kept once). A trailing comma on an entry is dropped, so a header that
/// a proxy or fetch's `Headers` joined with `, ` still parses.
fn parse_signature_header(header: &str) -> Result<Vec<Entry>> {
    let invalid = |why: String| Error::webhook(ErrorCode::WebhookInvalidSignatureHeader, why);
    if header.len() > MAX_SIGNATURE_HEADER_BYTES {
        return Err(invalid(format!(
            "webhook-signature is {} bytes long, more than the {MAX_SIGNATURE_HEADER_BYTES} accepted",
            header.len()
        )));
    }
    if header.split_ascii_whitespace().nth(MAX_SIGNATURE_ENTRIES).is_some() {
        return Err(invalid(format!("webhook-signature lists more than {MAX_SIGNATURE_ENTRIES} entries")));
    }
    let mut entries: Vec<Entry> = Vec::new();
    for token in header.split_ascii_whitespace() {
        if let Some(entry) = parse_entry(token.trim_end_matches(','))
            && !entries.contains(&entry)
        {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        let shown: String = header.chars().take(40).collect();
        let ellipsis = if header.chars().count() > 40 { "…" } else { "" };
        return Err(invalid(format!(
            "webhook-signature {shown:?}{ellipsis} has no well-formed entry; expected space-separated \
             v1,<base64 of 32 bytes> or v1a,<base64 of 64 bytes>"
        )));
    }
    Ok(entries)
}

fn parse_entry(token: &str) -> Option<Entry> {
    let (version, encoded) = token.split_once(',')?;
    let mut buf = [0u8; 96];
    match version {
        "v1" if encoded.len() <= 44 => {
            let len = BASE64.decode_slice(encoded, &mut buf).ok()?;
            let sig: [u8; 32] = buf.get(..len)?.try_into().ok()?;
            Some(Entry::V1(sig))
        }
        "v1a" if encoded.len() <= 88 => {
            let len = BASE64.decode_slice(encoded, &mut buf).ok()?;
            let sig: [u8; 64] = buf.get(..len)?.try_into().ok()?;
            Some(Entry::V1a(sig))
        }
        _ => None,
    }
}

/// The id must be visible text: it travels in an HTTP header and is trimmed on receipt.
pub(crate) fn check_msg_id(msg_id: &str) -> Result<()> {
    if msg_id.is_empty() {
        return Err(Error::webhook(ErrorCode::WebhookMissingHeader, "the webhook-id to sign is empty"));
    }
    if msg_id.trim() != msg_id || msg_id.chars().any(char::is_control) {
        return Err(Error::invalid(
            ErrorCode::ValidationError,
            "the webhook-id to sign must not have surrounding whitespace or control characters",
        ));
    }
    Ok(())
}

/// Writes `value` in decimal into `buf` and returns the digits.
pub(crate) fn format_timestamp(value: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = value.unsigned_abs();
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        start -= 1;
        buf[start] = b'-';
    }
    &buf[start..]
}

pub(crate) fn hmac_tag(mac: &HmacSha256, id: &[u8], ts: &[u8], body: &[u8]) -> [u8; 32] {
    let mut mac = mac.clone();
    mac.update(id);
    mac.update(b".");
    mac.update(ts);
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

pub(crate) fn signed_content(id: &[u8], ts: &[u8], body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(id.len() + ts.len() + body.len() + 2);
    message.extend_from_slice(id);
    message.push(b'.');
    message.extend_from_slice(ts);
    message.push(b'.');
    message.extend_from_slice(body);
    message
}
