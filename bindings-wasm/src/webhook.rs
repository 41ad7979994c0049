//! Webhook verification and signing (docs/contract.md §2 "Webhook signatures"): exports of `sendivent::webhook`.
//!
//! The JS wrapper passes every request header as `[name, value]` pairs (JSON text, one string
//! across the boundary) and the body; the core picks the `webhook-*` headers and does every
//! check. WebAssembly has no clock, so the wrapper passes `Date.now() / 1000` (or the caller's
//! `now`).
//!
//! Results leave as `{verified: <Verified>, event?: <WebhookEvent>, replay?: {key, ttl}}` with the
//! core's canonical fields: `event` when the caller asked for the parsed event, `replay` when the
//! caller's own store must record the message ([`ReplayEntry`]; the wrapper awaits the store and
//! hands its answer to [`replay_answer`]). For a small body as JSON text, which the wrapper parses
//! (one string crossing is cheaper than building the object field by field); for a larger one as
//! an object built directly ([`crate::js_value`]), since escaping a long string here and parsing
//! it again in JS was most of the time of a 64 KB verification (bench/verify.mjs).

use std::cell::RefCell;

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

/// The body size above which a result is built as an object rather than sent as JSON text: the
/// two cost the same at about 8 KB in Node (bench/verify.mjs; building is ~3 µs slower at 4 KB
/// and twice as fast at 64 KB). Building costs about 5 KB of the module (gzip).
const DIRECT_OBJECT_FROM_BYTES: usize = 8192;

/// A result for JS, as JSON text or an object by the size of the body (module documentation).
/// Plain strings and numbers: encoding cannot fail, but is not unwrapped.
fn result_object(
    body_len: usize,
    verified: &Verified,
    event: Option<&sendivent::models::WebhookEvent>,
    replay: Option<&ReplayEntry>,
) -> Result<JsValue, Error> {
    let encode =
        |e: serde_json::Error| Error::invalid(ErrorCode::InternalError, format!("cannot encode the result: {e}"));
    if body_len <= DIRECT_OBJECT_FROM_BYTES {
        let mut out = String::from("{");
        if let Some(entry) = replay {
            let key = serde_json::to_string(&entry.key).map_err(encode)?;
            out.push_str(&format!("\"replay\":{{\"key\":{key},\"ttl\":{}}},", entry.ttl.as_secs()));
        }
        if let Some(event) = event {
            out.push_str(&format!("\"event\":{},", serde_json::to_string(event).map_err(encode)?));
        }
        out.push_str(&format!("\"verified\":{}}}", serde_json::to_string(verified).map_err(encode)?));
        return Ok(JsValue::from_str(&out));
    }
    let mut out = serde_json::Map::new();
    out.insert("verified".to_owned(), serde_json::to_value(verified).map_err(encode)?);
    if let Some(event) = event {
        out.insert("event".to_owned(), serde_json::to_value(event).map_err(encode)?);
    }
    if let Some(entry) = replay {
        out.insert("replay".to_owned(), serde_json::json!({"key": entry.key, "ttl": entry.ttl.as_secs()}));
    }
    Ok(crate::js_value(&serde_json::Value::Object(out)))
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

    /// Forgets a recorded message so its redelivery is handled ([`ReplayGuard::release`]): for a
    /// handler that failed after verification recorded the id.
    pub fn release(&self, msg_id: &str) -> Result<(), JsValue> {
        self.inner.release(msg_id).map_err(|e| to_js(&e))
    }
}

/// The key under which a caller's store holds message `msg_id` with keys under `namespace`
/// ([`ReplayGuard::key`]), for its `remove(key)`.
#[wasm_bindgen(js_name = replayKey)]
pub fn replay_key(namespace: &str, msg_id: &str) -> String {
    ReplayGuard::in_memory().namespace(namespace).key(msg_id)
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
) -> Result<JsValue, Error> {
    let event = if parse { Some(webhook::parse_event(body)?) } else { None };
    let mut replay = None;
    match record {
        Record::Nowhere => {}
        Record::Guard(guard) => guard.record_verified(&verified, options)?,
        Record::Caller(namespace) => replay = Some(ReplayEntry::new(namespace, &verified, options)?),
    }
    result_object(body.len(), &verified, event.as_ref(), replay.as_ref())
}

/// A verifier for one or more secrets (key rotation), decoded once.
#[wasm_bindgen]
pub struct RawVerifier {
    inner: Verifier,
    /// The verification between `prepareHost*` and `finishHost` when the host's HMAC is
    /// synchronous (node:crypto): JS runs nothing else in between, so one slot is enough, and no
    /// object crosses the boundary for it.
    pending: RefCell<Option<(HostHmac, VerifyOptions)>>,
}

impl RawVerifier {
    fn run(
        &self,
        body: &[u8],
        headers: &str,
        options: VerifyOptions,
        parse: bool,
        record: Record<'_>,
    ) -> Result<JsValue, JsValue> {
        let headers = header_pairs(headers)?;
        let result = match record {
            // The core's own sequence when the core holds the store.
            Record::Guard(guard) if parse => self
                .inner
                .verify_event_once(body, &headers, &options, guard)
                .and_then(|(event, verified)| result_object(body.len(), &verified, Some(&event), None)),
            Record::Guard(guard) => self
                .inner
                .verify_once(body, &headers, &options, guard)
                .and_then(|verified| result_object(body.len(), &verified, None, None)),
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
        inner.map(|inner| RawVerifier { inner, pending: RefCell::new(None) }).map_err(|e| to_js(&e))
    }

    /// Verifies a body given as bytes (the wrapper encodes a JS string with TextEncoder, which
    /// is faster than wasm-bindgen's copy of a string at every size measured).
    /// `headers_json`: every request header as `[name, value]` pairs. With `parse`, the result
    /// carries the typed event; with `guard` the id is recorded there, with `store_namespace` the
    /// result carries the entry for the caller's store.
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
    ) -> Result<JsValue, JsValue> {
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
    ) -> Result<JsValue, JsValue> {
        let tags: Vec<&[u8]> = tags.chunks(32).collect();
        let record = record(guard.as_ref(), store_namespace.as_deref());
        let RawPendingVerification { pending, options } = pending;
        self.inner
            .finish_host_hmac(pending, &tags)
            .and_then(|verified| conclude(verified, pending.body(), options, parse, record))
            .map_err(|e| to_js(&e))
    }

    /// The first half of a verification whose HMAC the host computes synchronously (node:crypto):
    /// every check up to the signatures, by the core ([`Verifier::prepare_host_hmac`]). Returns
    /// the positions of the secrets that need a tag; [`RawVerifier::pending_prefix`] gives what
    /// precedes the body in the signed content, and [`RawVerifier::finish_host`] decides.
    #[wasm_bindgen(js_name = prepareHost)]
    pub fn prepare_host(
        &self,
        body: &[u8],
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
    ) -> Result<Vec<u32>, JsValue> {
        let options = options(now, tolerance, skip_timestamp_check)?;
        let headers = header_pairs(headers_json)?;
        let pending = self.inner.prepare_host_hmac(body, &headers, &options).map_err(|e| to_js(&e))?;
        let secrets = pending.secrets().iter().map(|&i| i as u32).collect();
        *self.pending.borrow_mut() = Some((pending, options));
        Ok(secrets)
    }

    /// `{id}.{timestamp}.` of the prepared verification ([`HostHmac::signed_prefix`]): the host
    /// hashes it, then the body it still holds.
    #[wasm_bindgen(js_name = pendingPrefix)]
    pub fn pending_prefix(&self) -> Vec<u8> {
        self.pending.borrow().as_ref().map(|(pending, _)| pending.signed_prefix().to_vec()).unwrap_or_default()
    }

    /// The second half of [`RawVerifier::prepare_host`], as [`RawVerifier::finish_host_hmac`].
    #[wasm_bindgen(js_name = finishHost)]
    pub fn finish_host(
        &self,
        tags: &[u8],
        parse: bool,
        guard: Option<RawReplayGuard>,
        store_namespace: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let Some((pending, options)) = self.pending.borrow_mut().take() else {
            return Err(invalid_argument("finishHost without a prepared verification"));
        };
        let pending = RawPendingVerification { pending, options };
        self.finish_host_hmac(&pending, tags, parse, guard, store_namespace)
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
