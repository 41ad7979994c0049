//! Webhook verification and signing (CONTRACT §2): exports of `sendivent::webhook`.
//!
//! The JS wrapper passes every request header as `[name, value]` pairs (JSON text, one string
//! across the boundary) and the body; the core picks the `webhook-*` headers and does every
//! check. WebAssembly has no clock, so the wrapper passes `Date.now() / 1000` (or the caller's
//! `now`).

use sendivent::webhook::{self, Verifier, VerifyOptions};
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

/// A verifier for one or more secrets (key rotation), decoded once.
#[wasm_bindgen]
pub struct RawVerifier {
    inner: Verifier,
}

impl RawVerifier {
    fn run(&self, body: &[u8], headers: &str, options: VerifyOptions, parse: bool) -> Result<JsValue, JsValue> {
        let headers = header_pairs(headers)?;
        if parse {
            let event = self.inner.verify_event(body, &headers, &options).map_err(|e| to_js(&e))?;
            // One string out and one native JSON.parse: cheaper than building the object field by
            // field across the boundary up to large bodies, and no code for it in the small module
            // (a generic JSON-to-JS-value builder measured +4 KB gzip for 20% at 64 KB bodies).
            let json = serde_json::to_string(&event)
                .map_err(|e| invalid_argument(format!("cannot encode the webhook event: {e}")))?;
            Ok(JsValue::from_str(&json))
        } else {
            self.inner.verify(body, &headers, &options).map_err(|e| to_js(&e))?;
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

    /// Verifies a body given as a JS string (encoded to UTF-8 on the way in, as sent on the
    /// wire). `headers_json`: every request header as `[name, value]` pairs. With `parse`,
    /// returns the typed event as canonical JSON text; else `undefined`.
    #[wasm_bindgen(js_name = verifyStr)]
    pub fn verify_str(
        &self,
        body: &str,
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
        parse: bool,
    ) -> Result<JsValue, JsValue> {
        self.run(body.as_bytes(), headers_json, options(now, tolerance, skip_timestamp_check)?, parse)
    }

    /// Verifies a body given as bytes; as [`RawVerifier::verify_str`].
    #[wasm_bindgen(js_name = verifyBytes)]
    pub fn verify_bytes(
        &self,
        body: &[u8],
        headers_json: &str,
        now: f64,
        tolerance: Option<f64>,
        skip_timestamp_check: bool,
        parse: bool,
    ) -> Result<JsValue, JsValue> {
        self.run(body, headers_json, options(now, tolerance, skip_timestamp_check)?, parse)
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
