//! Webhook verification and signing (docs/contract.md §2 "Webhook signatures"): exports of `sendivent::webhook`.
//!
//! The JS wrapper passes every request header as `[name, value]` pairs (JSON text, one string
//! across the boundary) and the body; the core picks the `webhook-*` headers and does every
//! check. WebAssembly has no clock, so the wrapper passes `Date.now() / 1000` (or the caller's
//! `now`).
//!
//! Results leave as one JSON text `{"verified": <Verified>, "event"?: <WebhookEvent>,
//! "replay"?: {"key", "ttl"}}`: `event` when the caller asked for the parsed event, `replay`
//! when the caller's own store must record the message ([`ReplayEntry`]; the wrapper awaits the
//! store and hands its answer to [`replay_answer`]).

use sendivent::webhook::{self, HostHmac, ReplayEntry, ReplayGuard, Verified, Verifier, VerifyOptions};
use sendivent::{Error, ErrorCode};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::error::{invalid_argument, to_js};

/// The core's options; `tolerance` in seconds is checked against the core's bound, `None` means
/// the default.
fn options(now: f64, tolerance: Option<f64>, skip_timestamp_check: bool) -> Result<VerifyOptions, JsValue> {
    if !(now.is_finite() && now.abs() < 9.0e15) {
        return Err(invalid_argument("`now` must be a finite unix time in seconds"));
    }
    let options = VerifyOptions::default().now(now.floor() as i64).skip_timestamp_check(skip_timestamp_check);
    match tolerance {
        Some(seconds) => options.tolerance_seconds(seconds).map_err(|e| to_js(&e)),
        None => Ok(options),
    }
}

/// The request headers as `[name, value]` pairs, in the order the runtime gave them.
fn header_pairs(json: &str) -> Result<Vec<(String, String)>, JsValue> {
    serde_json::from_str(json).map_err(|e| invalid_argument(format!("headers must be [name, value] string pairs: {e}")))
}

/// A result as JSON text (plain strings and numbers: encoding cannot fail, but is not unwrapped).
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot encode: {e}")))
}

/// A replay guard in this instance's memory (the core's bounded [`webhook::MemoryStore`]).
#[wasm_bindgen]
pub struct RawReplayGuard {
    inner: ReplayGuard,
}

#[wasm_bindgen]
impl RawReplayGuard {
    /// An in-memory guard; `namespace` prefixes the stored keys (default `sendivent:webhook:`).
    #[wasm_bindgen(constructor)]
    pub fn new(namespace: Option<String>) -> RawReplayGuard {
        let guard = ReplayGuard::in_memory();
        RawReplayGuard { inner: namespace.map_or(guard.clone(), |ns| guard.namespace(ns)) }
    }

    /// A handle on the same store, to hand to one verification (wasm-bindgen moves an optional
    /// object argument into the module; the JS side keeps its own handle).
    pub fn share(&self) -> RawReplayGuard {
        RawReplayGuard { inner: self.inner.clone() }
    }
}

/// The prefix of replay keys in the caller's store unless the caller sets one.
#[wasm_bindgen(js_name = defaultReplayNamespace)]
pub fn default_replay_namespace() -> String {
    webhook::DEFAULT_NAMESPACE.to_owned()
}

/// Where a verified message is recorded, if anywhere.
enum Record<'a> {
    Nowhere,
    /// The core's guard, in memory.
    Guard(&'a ReplayGuard),
    /// The caller's store, under this namespace: the entry goes back to JS.
    Caller(&'a str),
}

fn record<'a>(guard: Option<&'a RawReplayGuard>, store_namespace: Option<&'a str>) -> Record<'a> {
    match (guard, store_namespace) {
        (Some(guard), _) => Record::Guard(&guard.inner),
        (None, Some(namespace)) => Record::Caller(namespace),
        (None, None) => Record::Nowhere,
    }
}

/// What follows a successful signature check, in the core's order (as
/// [`Verifier::verify_event_once`]): the payload is parsed before the id is recorded, so a body
/// that is not an event is refused every time instead of being recorded once.
fn conclude(
    verified: Verified,
    body: &[u8],
    options: &VerifyOptions,
    parse: bool,
    record: Record<'_>,
) -> Result<String, Error> {
    let event = if parse { Some(webhook::parse_event(body)?) } else { None };
    let mut out = String::from("{");
    match record {
        Record::Nowhere => {}
        Record::Guard(guard) => guard.record_verified(&verified, options)?,
        Record::Caller(namespace) => {
            let entry = ReplayEntry::new(namespace, &verified, options)?;
            out.push_str(&format!("\"replay\":{{\"key\":{},\"ttl\":{}}},", to_json(&entry.key)?, entry.ttl.as_secs()));
        }
    }
    if let Some(event) = event {
        out.push_str(&format!("\"event\":{},", to_json(&event)?));
    }
    out.push_str(&format!("\"verified\":{}}}", to_json(&verified)?));
    Ok(out)
}

/// A verifier for one or more secrets (key rotation), decoded once.
#[wasm_bindgen]
pub struct RawVerifier {
    inner: Verifier,
}

impl RawVerifier {
    fn run(
        &self,
        body: &[u8],
        headers: &str,
        options: VerifyOptions,
        parse: bool,
        record: Record<'_>,
    ) -> Result<String, JsValue> {
        let headers = header_pairs(headers)?;
        let result = match record {
            // The core's own sequence when the core holds the store.
            Record::Guard(guard) if parse => {
                self.inner.verify_event_once(body, &headers, &options, guard).and_then(|(event, verified)| {
                    Ok(format!("{{\"event\":{},\"verified\":{}}}", to_json(&event)?, to_json(&verified)?))
                })
            }
            Record::Guard(guard) => self
                .inner
                .verify_once(body, &headers, &options, guard)
                .and_then(|verified| Ok(format!("{{\"verified\":{}}}", to_json(&verified)?))),
            other => self
                .inner
                .verify_detailed(body, &headers, &options)
                .and_then(|verified| conclude(verified, body, &options, parse, other)),
        };
        result.map_err(|e| to_js(&e))
    }
}

#[wasm_bindgen]
impl RawVerifier {
    /// Parses the secret (`whsec_…`, bare base64 or `whpk_…`); throws a `WEBHOOK_*` error for a
    /// secret that cannot be used. Several secrets may be given during a key rotation.
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>) -> Result<RawVerifier, JsValue> {
        let inner = match secrets.as_slice() {
            [one] => Verifier::new(one),
            many => Verifier::from_secrets(many.iter()),
        };
        inner.map(|inner| RawVerifier { inner }).map_err(|e| to_js(&e))
    }

    /// Verifies a body given as a JS string (encoded to UTF-8 on the way in, as sent on the
    /// wire). `headers_json`: every request header as `[name, value]` pairs. With `parse`, the
    /// result carries the typed event; with `guard` the id is recorded there, with
    /// `store_namespace` the result carries the entry for the caller's store.
    #[wasm_bindgen(js_name = verifyStr)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify_str(
        &self,
        body: &str,
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
        parse: bool,
        guard: Option<RawReplayGuard>,
        store_namespace: Option<String>,
    ) -> Result<String, JsValue> {
        let options = options(now, tolerance, skip_timestamp_check)?;
        let record = record(guard.as_ref(), store_namespace.as_deref());
        self.run(body.as_bytes(), headers_json, options, parse, record)
    }

    /// Verifies a body given as bytes; as [`RawVerifier::verify_str`].
    #[wasm_bindgen(js_name = verifyBytes)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify_bytes(
        &self,
        body: &[u8],
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
        parse: bool,
        guard: Option<RawReplayGuard>,
        store_namespace: Option<String>,
    ) -> Result<String, JsValue> {
        let options = options(now, tolerance, skip_timestamp_check)?;
        let record = record(guard.as_ref(), store_namespace.as_deref());
        self.run(body, headers_json, options, parse, record)
    }

    /// The first half of a verification whose HMAC the host computes (WebCrypto): every check
    /// up to the signatures, by the core ([`Verifier::prepare_host_hmac`]).
    #[wasm_bindgen(js_name = prepareHostHmac)]
    pub fn prepare_host_hmac(
        &self,
        body: &[u8],
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
    ) -> Result<RawPendingVerification, JsValue> {
        let options = options(now, tolerance, skip_timestamp_check)?;
        let headers = header_pairs(headers_json)?;
        let pending = self.inner.prepare_host_hmac(body, &headers, &options).map_err(|e| to_js(&e))?;
        Ok(RawPendingVerification { pending, options })
    }

    /// The second half: `tags` are the host's 32-byte HMAC-SHA256 tags, concatenated, one per
    /// entry of `pending.secrets()`; the core compares them and decides
    /// ([`Verifier::finish_host_hmac`]), then parses and records as `verifyBytes` does.
    #[wasm_bindgen(js_name = finishHostHmac)]
    pub fn finish_host_hmac(
        &self,
        pending: &RawPendingVerification,
        tags: &[u8],
        parse: bool,
        guard: Option<RawReplayGuard>,
        store_namespace: Option<String>,
    ) -> Result<String, JsValue> {
        let tags: Vec<&[u8]> = tags.chunks(32).collect();
        let record = record(guard.as_ref(), store_namespace.as_deref());
        let RawPendingVerification { pending, options } = pending;
        self.inner
            .finish_host_hmac(pending, &tags)
            .and_then(|verified| conclude(verified, pending.body(), options, parse, record))
            .map_err(|e| to_js(&e))
    }

    /// The symmetric key of the secret at `index` as bytes, for the host's HMAC (WebCrypto
    /// `importKey`, once per verifier); `undefined` for an ed25519 key.
    #[wasm_bindgen(js_name = hmacKey)]
    pub fn hmac_key(&self, index: usize) -> Option<Vec<u8>> {
        self.inner.hmac_key(index).map(<[u8]>::to_vec)
    }
}

/// A verification waiting for the host's HMAC tags.
#[wasm_bindgen]
pub struct RawPendingVerification {
    pending: HostHmac,
    options: VerifyOptions,
}

#[wasm_bindgen]
impl RawPendingVerification {
    /// `{id}.{timestamp}.{body}`: what each tag is computed over.
    #[wasm_bindgen(js_name = signedContent)]
    pub fn signed_content(&self) -> Vec<u8> {
        self.pending.signed_content().to_vec()
    }

    /// Which of the verifier's secrets need a tag, in order.
    pub fn secrets(&self) -> Vec<u32> {
        self.pending.secrets().iter().map(|&i| i as u32).collect()
    }
}

/// The outcome of the caller's replay store for message `msg_id`: `answer` is what its
/// `insertIfAbsent` resolved to. `true` returns; `false` throws WEBHOOK_DUPLICATE; anything else
/// throws REPLAY_STORE_ERROR (a store must answer a boolean).
#[wasm_bindgen(js_name = replayAnswer)]
pub fn replay_answer(msg_id: &str, answer: JsValue) -> Result<(), JsValue> {
    match answer.as_bool() {
        Some(true) => Ok(()),
        Some(false) => Err(to_js(&webhook::duplicate(msg_id))),
        None => Err(to_js(&webhook::store_error(format!(
            "insertIfAbsent answered {}, not true (recorded now) or false (already recorded)",
            answer.js_typeof().as_string().unwrap_or_default()
        )))),
    }
}

/// REPLAY_STORE_ERROR for a store that threw or rejected (`message` is its error's message).
#[wasm_bindgen(js_name = replayStoreError)]
pub fn replay_store_error(message: &str) -> JsValue {
    to_js(&webhook::store_error(message))
}

/// WEBHOOK_BODY_NOT_RAW: the body was given as `found` (a parsed object, …); `hint` says how to
/// get the raw body in JavaScript.
#[wasm_bindgen(js_name = bodyNotRaw)]
pub fn body_not_raw(found: &str, hint: &str) -> JsValue {
    to_js(&webhook::body_not_raw(found, hint))
}

/// Signs a body: returns the `webhook-signature` header value.
#[wasm_bindgen(js_name = signWebhook)]
pub fn sign_webhook(body: &[u8], id: &str, timestamp: f64, secret: &str) -> Result<String, JsValue> {
    if !(timestamp.is_finite() && timestamp.fract() == 0.0 && timestamp.abs() < 9.0e15) {
        return Err(invalid_argument("`timestamp` must be an integer unix time in seconds"));
    }
    webhook::sign(secret, id, timestamp as i64, body).map_err(|e| to_js(&e))
}
