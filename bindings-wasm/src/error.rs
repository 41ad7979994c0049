//! Core errors as JS values.
//!
//! A core [`Error`] crosses as a JS `Error` whose `message` is the core's text, with two extra
//! properties: `code` (the stable code string) and `sendivent` (a JSON string with the kind and
//! details). The JS wrapper (`js/errors.mjs`) rethrows it as the matching `SendiventError`
//! subclass. The JSON is built here so that the wrapper holds no error logic of its own.

use sendivent::Error;
#[cfg(feature = "client")]
use serde_json::json;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

/// The JS class name for a core error: one arm per variant, so a new variant is a decision.
fn kind(err: &Error) -> &'static str {
    match err {
        Error::Invalid { .. } => "ValidationError",
        Error::Webhook { .. } => "WebhookVerificationError",
        Error::Api(_) => "ApiError",
        Error::SendFailed(_) => "SendFailedError",
        Error::Connection { .. } => "ConnectionError",
        Error::Timeout { .. } => "TimeoutError",
        Error::Binding { .. } => "SendiventError",
        // `Error` is non-exhaustive: anything newer is still a SendiventError with its code.
        _ => "SendiventError",
    }
}

/// The JSON detail of an error: `{kind, code, message, ...}` plus response data when the error
/// came from a response.
pub fn details(err: &Error) -> Value {
    let mut out = Map::new();
    out.insert("kind".into(), kind(err).into());
    out.insert("code".into(), err.code().into());
    out.insert("message".into(), message(err).into());
    #[cfg(feature = "client")]
    response_details(err, &mut out);
    Value::Object(out)
}

/// The core's message. The webhook build only ever meets validation, webhook and binding
/// errors; matching those directly keeps the client's formatting (floats, send error lists) out
/// of the small module.
#[cfg(not(feature = "client"))]
fn message(err: &Error) -> String {
    match err {
        Error::Invalid { message, .. } | Error::Webhook { message, .. } | Error::Binding { message, .. } => {
            message.clone()
        }
        other => other.code().to_owned(),
    }
}

#[cfg(feature = "client")]
fn message(err: &Error) -> String {
    err.message()
}

/// The text of the thrown JS error: the core's `Display` without its `CODE: ` prefix (JS shows
/// `name: message` and has `code`).
#[cfg(feature = "client")]
fn text(err: &Error) -> String {
    let text = err.to_string();
    match text.strip_prefix(err.code()).and_then(|rest| rest.strip_prefix(": ")) {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

#[cfg(not(feature = "client"))]
fn text(err: &Error) -> String {
    message(err)
}

#[cfg(feature = "client")]
fn response_details(err: &Error, out: &mut Map<String, Value>) {
    if let Some(status) = err.status() {
        out.insert("status".into(), status.into());
    }
    if let Some(id) = err.request_id() {
        out.insert("requestId".into(), id.into());
    }
    match err {
        Error::SendFailed(failure) => {
            let errors: Vec<Value> =
                failure.errors.iter().map(|e| json!({"code": e.code.as_str(), "message": e.message})).collect();
            out.insert("errors".into(), errors.into());
        }
        Error::Api(api) => {
            if let Some(retry_after) = api.retry_after {
                out.insert("retryAfter".into(), retry_after.as_secs_f64().into());
            }
        }
        Error::Timeout { timeout, elapsed } => {
            out.insert("timeoutMs".into(), (timeout.as_millis() as u64).into());
            out.insert("elapsedMs".into(), (elapsed.as_millis() as u64).into());
        }
        _ => {}
    }
    if let Some(meta) = err.meta() {
        out.insert("meta".into(), meta_json(meta));
    }
}

/// Response metadata in the JS shape (`ResponseMeta` in `index.d.ts`).
#[cfg(feature = "client")]
pub fn meta_json(meta: &sendivent::models::ResponseMeta) -> Value {
    let headers: Map<String, Value> = meta.headers.iter().fold(Map::new(), |mut map, (name, value)| {
        // Repeated headers are joined as the Fetch API's `Headers.get` joins them.
        match map.get_mut(name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                map.insert(name.clone(), Value::String(value.clone()));
            }
        }
        map
    });
    json!({
        "status": meta.status,
        "headers": headers,
        "requestId": meta.request_id,
        "idempotentReplay": meta.idempotent_replay,
        "idempotencyKey": meta.idempotency_key,
        "rateLimit": meta.rate_limit.map(|r| json!({"limit": r.limit, "remaining": r.remaining, "reset": r.reset})),
        "attempts": meta.attempts,
    })
}

/// Converts a core error into the JS value that is thrown.
pub fn to_js(err: &Error) -> JsValue {
    let js = js_sys::Error::new(&text(err));
    js.set_name(kind(err));
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(err.code()));
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("sendivent"), &JsValue::from_str(&details(err).to_string()));
    js.into()
}

/// An INVALID_ARGUMENT error for a value of the wrong type or shape from JS.
pub fn invalid_argument(message: impl Into<String>) -> JsValue {
    to_js(&Error::Binding { code: sendivent::ErrorCode::InvalidArgument, message: message.into() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sendivent::ErrorCode;

    #[test]
    fn webhook_errors_keep_the_core_code() {
        let err = Error::webhook(ErrorCode::WebhookTimestampTooOld, "the timestamp is 400 s old");
        let d = details(&err);
        assert_eq!(d["kind"], "WebhookVerificationError");
        assert_eq!(d["code"], "WEBHOOK_TIMESTAMP_TOO_OLD");
        assert_eq!(d["message"], "the timestamp is 400 s old");
        assert!(d.get("status").is_none());
    }

    #[cfg(feature = "client")]
    #[test]
    fn repeated_headers_are_joined() {
        let meta = sendivent::models::ResponseMeta::from_headers(
            200,
            vec![("Vary".into(), "a".into()), ("vary".into(), "b".into()), ("X-Request-Id".into(), "r1".into())],
        );
        let j = meta_json(&meta);
        assert_eq!(j["headers"]["vary"], "a, b");
        assert_eq!(j["requestId"], "r1");
    }
}
