//! Webhook verification and signing (CONTRACT §2): exports of `sendivent::webhook`.
//!
//! The JS wrapper extracts the three `webhook-*` header values (from a `Headers` object or a
//! plain object) and passes them with the body; the core does every check. WebAssembly has no
//! clock, so the wrapper passes `Date.now() / 1000` (or the caller's `now`).

use std::time::Duration;

use sendivent::models::{WebhookDelivery, WebhookEvent};
use sendivent::webhook::{self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Verifier, VerifyOptions};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::error::{invalid_argument, to_js};

/// Builds the core's options. `tolerance_seconds` NaN means the default (5 minutes).
fn options(now: f64, tolerance_seconds: f64, skip_timestamp_check: bool) -> Result<VerifyOptions, JsValue> {
    if !now.is_finite() {
        return Err(invalid_argument("`now` must be a finite unix time in seconds"));
    }
    let mut options = VerifyOptions::default().now(now.floor() as i64).skip_timestamp_check(skip_timestamp_check);
    if !tolerance_seconds.is_nan() {
        if !(tolerance_seconds.is_finite() && tolerance_seconds >= 0.0) {
            return Err(invalid_argument("`toleranceSeconds` must be a finite number of seconds, 0 or more"));
        }
        options = options.tolerance(Duration::from_secs_f64(tolerance_seconds));
    }
    Ok(options)
}

/// The headers the wrapper found, as name/value pairs; absent ones are left out so the core
/// reports which are missing.
fn header_pairs<'a>(
    id: &'a Option<String>,
    timestamp: &'a Option<String>,
    signature: &'a Option<String>,
) -> impl Iterator<Item = (&'static str, &'a str)> {
    [(HEADER_ID, id), (HEADER_TIMESTAMP, timestamp), (HEADER_SIGNATURE, signature)]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
}

/// Up to this body size the parsed event leaves as JSON text (the wrapper `JSON.parse`s it);
/// above it, as an object built field by field (see [`event_to_js`]). Measured with
/// bench/verify.mjs: each string crossing costs a `TextDecoder` call, which dominates small
/// events, while escaping and re-parsing a large field dominates big ones.
const SMALL_BODY: usize = 8 * 1024;

/// The typed event as a plain JS object with exactly the fields (and `null`s) of its canonical
/// JSON, built directly: for large bodies a JSON text round trip (serialize here, `JSON.parse`
/// there) costs more than the HMAC. The vectors' `parse_event` cases and the webhook tests
/// check that both paths give the same shape.
fn event_to_js(event: &WebhookEvent) -> JsValue {
    fn set(object: &js_sys::Object, key: &str, value: JsValue) {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value);
    }
    fn text(value: &Option<String>) -> JsValue {
        value.as_deref().map_or(JsValue::NULL, JsValue::from_str)
    }
    let WebhookEvent { event: kind, delivery, request_id, timestamp } = event;
    let WebhookDelivery { uuid, channel, status, event_name, message_id, sent_at, delivered_at, error } = delivery;
    let d = js_sys::Object::new();
    set(&d, "uuid", JsValue::from_str(uuid));
    set(&d, "channel", JsValue::from_str(channel.as_str()));
    set(&d, "status", JsValue::from_str(status.as_str()));
    set(&d, "event_name", text(event_name));
    set(&d, "message_id", text(message_id));
    set(&d, "sent_at", text(sent_at));
    set(&d, "delivered_at", text(delivered_at));
    set(&d, "error", text(error));
    let out = js_sys::Object::new();
    set(&out, "event", JsValue::from_str(kind.as_str()));
    set(&out, "delivery", d.into());
    set(&out, "request_id", text(request_id));
    set(&out, "timestamp", text(timestamp));
    out.into()
}

/// A verifier for one or more secrets (key rotation), decoded once.
#[wasm_bindgen]
pub struct RawVerifier {
    inner: Verifier,
}

impl RawVerifier {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        body: &[u8],
        id: Option<String>,
        timestamp: Option<String>,
        signature: Option<String>,
        now: f64,
        tolerance_seconds: f64,
        skip_timestamp_check: bool,
        parse: bool,
    ) -> Result<JsValue, JsValue> {
        let options = options(now, tolerance_seconds, skip_timestamp_check)?;
        let headers = header_pairs(&id, &timestamp, &signature);
        if parse {
            let event = self.inner.verify_event(body, headers, &options).map_err(|e| to_js(&e))?;
            if body.len() <= SMALL_BODY {
                // One string out and one native JSON.parse beat ~20 small string crossings.
                let json = serde_json::to_string(&event)
                    .map_err(|e| invalid_argument(format!("cannot encode the webhook event: {e}")))?;
                Ok(JsValue::from_str(&json))
            } else {
                Ok(event_to_js(&event))
            }
        } else {
            self.inner.verify(body, headers, &options).map_err(|e| to_js(&e))?;
            Ok(JsValue::UNDEFINED)
        }
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

    /// Verifies a body given as a JS string (encoded to UTF-8 on the way in, as sent on the wire).
    /// With `parse`, returns the typed event as JSON text (small bodies) or an object (large
    /// ones); else `undefined`.
    #[wasm_bindgen(js_name = verifyStr)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify_str(
        &self,
        body: &str,
        id: Option<String>,
        timestamp: Option<String>,
        signature: Option<String>,
        now: f64,
        tolerance_seconds: f64,
        skip_timestamp_check: bool,
        parse: bool,
    ) -> Result<JsValue, JsValue> {
        self.run(body.as_bytes(), id, timestamp, signature, now, tolerance_seconds, skip_timestamp_check, parse)
    }

    /// Verifies a body given as bytes.
    #[wasm_bindgen(js_name = verifyBytes)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify_bytes(
        &self,
        body: &[u8],
        id: Option<String>,
        timestamp: Option<String>,
        signature: Option<String>,
        now: f64,
        tolerance_seconds: f64,
        skip_timestamp_check: bool,
        parse: bool,
    ) -> Result<JsValue, JsValue> {
        self.run(body, id, timestamp, signature, now, tolerance_seconds, skip_timestamp_check, parse)
    }
}

/// Signs a body: returns the `webhook-signature` header value.
#[wasm_bindgen(js_name = signWebhook)]
pub fn sign_webhook(body: &[u8], id: &str, timestamp: f64, secret: &str) -> Result<String, JsValue> {
    if !(timestamp.is_finite() && timestamp.fract() == 0.0 && timestamp.abs() < 9.0e15) {
        return Err(invalid_argument("`timestamp` must be an integer unix time in seconds"));
    }
    webhook::sign(secret, id, timestamp as i64, body).map_err(|e| to_js(&e))
}
