//! The core's async client, driven from JS (feature `client`).
//!
//! reqwest on wasm32 sends through the runtime's `fetch`; options, arguments, retries, backoff,
//! `Retry-After`, idempotency keys, validation, pagination and error mapping are all the core's
//! ([`Client::call`], [`Client::paginate`], [`Client::send_many_json`],
//! [`ClientOptions::from_value`]). Options and arguments arrive as JSON text with the
//! description's names; results leave as JSON text `{"data", "meta"}` with the core's canonical
//! JSON, which the generated JS builds its model objects from.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use sendivent::client::{Client, ClientOptions, LogHook, LogLevel, LogRecord, Paginator, RequestOptions, Response};
use sendivent::{Error, ErrorCode};

use crate::error::to_js;

fn parse_json(json: &str, what: &str) -> Result<Value, Error> {
    serde_json::from_str(json).map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("{what}: {e}")))
}

fn request_options(json: Option<String>) -> Result<RequestOptions, Error> {
    match json {
        Some(json) => RequestOptions::from_value(&parse_json(&json, "request options")?),
        None => Ok(RequestOptions::default()),
    }
}

/// `{"data": <canonical JSON>, "meta": <ResponseMeta>}`.
fn response_json(response: Response<Value>) -> Value {
    let (data, meta) = response.into_parts();
    json!({"data": data, "meta": meta})
}

thread_local! {
    /// Per-client JS log functions. The core's log hook must be `Send + Sync`, which a JS
    /// function is not, so the hook carries only the client's id and looks the function up here
    /// (there is one JS thread per wasm instance).
    static LOGGERS: RefCell<HashMap<u32, js_sys::Function>> = RefCell::new(HashMap::new());
}

static NEXT_LOGGER: AtomicU32 = AtomicU32::new(1);

/// A registered JS log function, unregistered when the last client using it is freed.
struct Logger(u32);

impl Drop for Logger {
    fn drop(&mut self) {
        LOGGERS.with(|loggers| loggers.borrow_mut().remove(&self.0));
    }
}

fn log_hook(id: u32) -> LogHook {
    Arc::new(move |record: &LogRecord| {
        let json = json!({
            "level": record.level.as_str(),
            "method": record.method,
            "path": record.path,
            "status": record.status,
            "attempt": record.attempt,
            "durationMs": record.duration.as_secs_f64() * 1000.0,
            "requestId": record.request_id,
            "error": record.error,
            "line": record.to_string(),
        });
        LOGGERS.with(|loggers| {
            if let Some(f) = loggers.borrow().get(&id) {
                // A throwing logger must not break the request.
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&json.to_string()));
            }
        });
    })
}

/// The client handle behind the JS `Sendivent` class.
#[wasm_bindgen]
pub struct RawClient {
    inner: Client,
    _logger: Option<Rc<Logger>>,
}

#[wasm_bindgen]
impl RawClient {
    /// Builds a client from options JSON with the description's names
    /// ([`ClientOptions::from_value`]). `env_log_level` is `SENDIVENT_LOG` as the runtime has it
    /// (read as [`LogLevel::from_env`] reads it: anything but a level is off), used when the
    /// options give no `log_level`; `logger` receives the log records as JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options_json: &str,
        env_log_level: Option<String>,
        logger: Option<js_sys::Function>,
    ) -> Result<RawClient, JsValue> {
        let mut options = parse_json(options_json, "client options")
            .and_then(|value| ClientOptions::from_value(&value, "wasm"))
            .map_err(|e| to_js(&e))?;
        if options.log_level.is_none() {
            options.log_level = LogLevel::parse(env_log_level.as_deref()).ok().flatten();
        }
        let logger = match (logger, options.log_level) {
            (Some(f), Some(_)) => {
                let id = NEXT_LOGGER.fetch_add(1, Ordering::Relaxed);
                LOGGERS.with(|loggers| loggers.borrow_mut().insert(id, f));
                options.log_hook = Some(log_hook(id));
                Some(Rc::new(Logger(id)))
            }
            _ => None,
        };
        let inner = Client::new(options).map_err(|e| to_js(&e))?;
        Ok(RawClient { inner, _logger: logger })
    }

    /// A client sharing this one's connections, rate limiter and logger, with per-request
    /// overrides merged by the core ([`Client::with_options`]).
    #[wasm_bindgen(js_name = withOptions)]
    pub fn with_options(&self, options_json: &str) -> Result<RawClient, JsValue> {
        let options = request_options(Some(options_json.to_owned())).map_err(|e| to_js(&e))?;
        Ok(RawClient { inner: self.inner.with_options(options), _logger: self._logger.clone() })
    }

    /// The client's configuration with the key redacted (for `toString`/inspection).
    pub fn describe(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// `"live"` or `"test"`.
    #[wasm_bindgen(js_name = keyMode)]
    pub fn key_mode(&self) -> String {
        match self.inner.key_mode() {
            sendivent::client::KeyMode::Live => "live".to_owned(),
            sendivent::client::KeyMode::Test => "test".to_owned(),
        }
    }

    /// The base URL requests go to.
    #[wasm_bindgen(js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// Runs the operation `op` of the description with JSON arguments ([`Client::call`]);
    /// resolves to `{"data", "meta"}` JSON, rejects with a core error.
    pub fn call(&self, op: String, args_json: &str, options_json: Option<String>) -> js_sys::Promise {
        let prepared = request_options(options_json)
            .and_then(|o| parse_json(args_json, "arguments").map(|a| (self.inner.with_options(o), a)));
        wasm_bindgen_futures::future_to_promise(async move {
            let (client, args) = prepared.map_err(|e| to_js(&e))?;
            let response = client.call(&op, &args).await.map_err(|e| to_js(&e))?;
            Ok(JsValue::from_str(&response_json(response).to_string()))
        })
    }

    /// `sendMany` ([`Client::send_many_json`]): items `[{event, channel?, body,
    /// idempotency_key?}]`; resolves to a JSON array with one `{"ok": {data, meta}}` or
    /// `{"error": details}` per item, in order.
    #[wasm_bindgen(js_name = sendMany)]
    pub fn send_many(
        &self,
        items_json: &str,
        concurrency: Option<f64>,
        options_json: Option<String>,
    ) -> js_sys::Promise {
        let prepared = request_options(options_json)
            .and_then(|o| parse_json(items_json, "items").map(|items| (self.inner.with_options(o), items)));
        wasm_bindgen_futures::future_to_promise(async move {
            let (client, items) = prepared.map_err(|e| to_js(&e))?;
            let results = client.send_many_json(&items, concurrency).await.map_err(|e| to_js(&e))?;
            let results: Vec<Value> = results
                .into_iter()
                .map(|r| match r {
                    Ok(response) => json!({"ok": response_json(response)}),
                    Err(err) => json!({"error": err.details()}),
                })
                .collect();
            Ok(JsValue::from_str(&Value::Array(results).to_string()))
        })
    }

    /// Walks every page of the paginated operation `op` ([`Client::paginate`]).
    pub fn paginate(&self, op: &str, args_json: &str, options_json: Option<String>) -> Result<RawPaginator, JsValue> {
        let paginator = request_options(options_json)
            .and_then(|o| parse_json(args_json, "arguments").map(|a| (self.inner.with_options(o), a)))
            .and_then(|(client, args)| client.paginate(op, &args))
            .map_err(|e| to_js(&e))?;
        Ok(RawPaginator { paginator: Rc::new(RefCell::new(Some(paginator))) })
    }
}

/// The state of one async iteration over a list operation.
#[wasm_bindgen]
pub struct RawPaginator {
    paginator: Rc<RefCell<Option<Paginator<Value>>>>,
}

#[wasm_bindgen]
impl RawPaginator {
    /// Resolves to the next item as JSON, or `undefined` at the end; rejects once on an error,
    /// which ends the walk.
    pub fn next(&self) -> js_sys::Promise {
        let slot = Rc::clone(&self.paginator);
        wasm_bindgen_futures::future_to_promise(async move {
            // Taken out while a page is fetched, so overlapping `next()` calls see a clear error
            // instead of a RefCell panic.
            let Some(mut paginator) = slot.borrow_mut().take() else {
                let err = Error::invalid(ErrorCode::InvalidRequest, "next() called before the previous call finished");
                return Err(to_js(&err));
            };
            let item = paginator.next().await;
            // Put back in every case: after an error or the end the core's paginator answers
            // `None` again, so later calls resolve to `undefined`.
            *slot.borrow_mut() = Some(paginator);
            match item {
                Some(Ok(value)) => Ok(JsValue::from_str(&value.to_string())),
                Some(Err(err)) => Err(to_js(&err)),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}

/// Decodes a response body (JSON text) as the answer of the operation `kind` (or one of
/// `sendivent::models::EXTRA_KINDS`) and returns the canonical JSON the client would produce.
/// Throws INVALID_RESPONSE or INVALID_REQUEST.
#[wasm_bindgen(js_name = decodeResponse)]
pub fn decode_response(kind: &str, body: &str) -> Result<String, JsValue> {
    sendivent::models::decode_response(kind, body.as_bytes()).map(|v| v.to_string()).map_err(|e| to_js(&e))
}

/// For the binding's tests only (not exported by the package's entry points): the error the
/// client raises for an HTTP error answer ([`Error::from_answer`]), as the JS value it throws.
/// `headers_json`: `[name, value]` pairs.
#[wasm_bindgen(js_name = __testErrorFromAnswer)]
pub fn test_error_from_answer(status: u16, headers_json: &str, body: &str, is_send: bool) -> JsValue {
    match serde_json::from_str::<Vec<(String, String)>>(headers_json) {
        Ok(headers) => to_js(&Error::from_answer(status, headers, body.as_bytes(), is_send)),
        Err(e) => to_js(&Error::invalid(ErrorCode::InvalidRequest, format!("headers: {e}"))),
    }
}

/// For the binding's tests only: an error the SDK raises itself, by code
/// ([`Error::from_code`]); `undefined` for a code only an answer carries.
#[wasm_bindgen(js_name = __testErrorFromCode)]
pub fn test_error_from_code(code: &str, message: &str) -> JsValue {
    Error::from_code(code, message).map_or(JsValue::UNDEFINED, |err| to_js(&err))
}
