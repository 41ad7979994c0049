//! HTTP over the runtime's `fetch` on wasm32, with `redirect: "manual"` (docs/contract.md §2
//! "Redirects"): the API never redirects, so the client follows no redirect — a 3xx is an error
//! answer, and nothing (body, key, idempotency key, headers) is ever re-sent to another origin.
//! reqwest's wasm client cannot say `redirect: "manual"`, so this module calls `fetch` itself,
//! through `js-sys` only (no `web-sys` bindings): Node, Deno, Bun and workerd answer a manual
//! redirect with the 3xx itself; browsers with an opaque-redirect response (status 0), which is
//! refused the same way.

use std::time::Duration;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A response: status, every header pair, and the body unless it was over the cap (`None`).
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// A browser's opaque answer to a redirect (status 0, no headers): the redirect was refused.
    pub opaque_redirect: bool,
}

/// Why no response arrived.
pub(crate) enum Failure {
    /// The per-attempt timeout aborted the request or the body.
    Timeout,
    /// `fetch` rejected (connection refused, DNS, TLS, CORS, …), or the runtime has no `fetch`.
    Network(String),
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &JsValue, name: &str, value: &JsValue) {
    // Setting a property of a plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

fn method_of(target: &JsValue, name: &str) -> Option<Function> {
    get(target, name).dyn_into::<Function>().ok()
}

fn describe(error: &JsValue) -> String {
    let message = get(error, "message").as_string().unwrap_or_default();
    let cause = get(&get(error, "cause"), "message").as_string();
    match cause {
        Some(cause) if !cause.is_empty() => format!("{message}: {cause}"),
        _ if message.is_empty() => format!("{error:?}"),
        _ => message,
    }
}

/// Aborts the request after `timeout` with the runtime's `AbortController` and `setTimeout`;
/// dropping it clears the timer.
struct Deadline {
    controller: JsValue,
    timer: JsValue,
}

impl Deadline {
    fn start(timeout: Duration) -> Option<Deadline> {
        let global = js_sys::global();
        let constructor = get(&global, "AbortController").dyn_into::<Function>().ok()?;
        let controller = Reflect::construct(&constructor, &Array::new()).ok()?;
        let abort = method_of(&controller, "abort")?.bind0(&controller);
        let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
        let timer = method_of(&global, "setTimeout")?.call2(&global, &abort, &JsValue::from(millis)).ok()?;
        Some(Deadline { controller, timer })
    }

    fn signal(&self) -> JsValue {
        get(&self.controller, "signal")
    }

    fn fired(&self) -> bool {
        get(&self.signal(), "aborted").as_bool().unwrap_or(false)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Some(clear) = method_of(&global, "clearTimeout") {
            let _ = clear.call1(&global, &self.timer);
        }
    }
}

async fn settle(promise: JsValue) -> Result<JsValue, JsValue> {
    match promise.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(other) => Err(other),
    }
}

/// Sends one request and reads its answer, of at most `cap` body bytes, within `timeout`.
pub(crate) async fn send(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    timeout: Duration,
    cap: usize,
) -> Result<Answer, Failure> {
    let global = js_sys::global();
    let fetch = method_of(&global, "fetch").ok_or_else(|| Failure::Network("this runtime has no fetch".into()))?;
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(method));
    set(&init, "redirect", &JsValue::from_str("manual"));
    let pairs = Array::new();
    for (name, value) in headers {
        pairs.push(&Array::of2(&JsValue::from_str(name), &JsValue::from_str(value)));
    }
    set(&init, "headers", &pairs);
    if let Some(body) = body {
        set(&init, "body", &Uint8Array::from(body));
    }
    let deadline = Deadline::start(timeout);
    if let Some(deadline) = &deadline {
        set(&init, "signal", &deadline.signal());
    }
    let failed = |error: JsValue| {
        if deadline.as_ref().is_some_and(Deadline::fired) {
            Failure::Timeout
        } else {
            Failure::Network(describe(&error))
        }
    };
    let called = fetch.call2(&global, &JsValue::from_str(url), &init).map_err(&failed)?;
    let response = settle(called).await.map_err(&failed)?;
    if get(&response, "type").as_string().as_deref() == Some("opaqueredirect") {
        return Ok(Answer { status: 0, headers: Vec::new(), body: Some(Vec::new()), opaque_redirect: true });
    }
    let status = get(&response, "status").as_f64().unwrap_or(0.0) as u16;
    let mut answer_headers = Vec::new();
    if let Some(entries) = method_of(&get(&response, "headers"), "entries")
        && let Ok(iterator) = entries.call0(&get(&response, "headers"))
        && let Ok(Some(iterator)) = js_sys::try_iter(&iterator)
    {
        for item in iterator.flatten() {
            let pair = Array::from(&item);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                answer_headers.push((name, value));
            }
        }
    }
    let declared = answer_headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > cap as u64) {
        // Not read: cancelling the stream closes the connection instead of draining it.
        if let Some(cancel) = method_of(&get(&response, "body"), "cancel") {
            let _ = cancel.call0(&get(&response, "body"));
        }
        return Ok(Answer { status, headers: answer_headers, body: None, opaque_redirect: false });
    }
    let read = method_of(&response, "arrayBuffer")
        .ok_or_else(|| Failure::Network("the response has no arrayBuffer()".into()))?
        .call0(&response)
        .map_err(&failed)?;
    let buffer = settle(read).await.map_err(&failed)?;
    let bytes = Uint8Array::new(&buffer);
    let body = (bytes.length() as usize <= cap).then(|| bytes.to_vec());
    Ok(Answer { status, headers: answer_headers, body, opaque_redirect: false })
}
