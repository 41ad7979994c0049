//! The core's async client, driven from JS (feature `client`).
//!
//! reqwest on wasm32 sends through the runtime's `fetch`; retries, backoff, `Retry-After`,
//! idempotency keys, validation and error mapping are all the core's. Inputs arrive as JSON
//! strings and are decoded into the core's request types (so the core validates them); results
//! leave as JSON strings `{"data": ..., "meta": ...}` that the wrapper parses.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use sendivent::client::{
    Client, ClientOptions, LogHook, LogLevel, LogRecord, Paginator, RateLimit, RequestOptions, Response, SendItem,
};
use sendivent::models::{
    Channel, ContactInput, ContactListParams, CreateWebhook, DeliveryListParams, SendRequest, UpdateWebhook,
};
use sendivent::{Error, ErrorCode};

use crate::error::{details, meta_json, to_js};

/// `ClientOptions` as the JS wrapper sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsClientOptions {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<f64>,
    max_retries: Option<u32>,
    #[serde(default)]
    allow_insecure_http: bool,
    rate_limit: Option<Value>,
    #[serde(default)]
    headers: Vec<(String, String)>,
    log_level: Option<String>,
}

/// `RequestOptions` as the JS wrapper sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsRequestOptions {
    timeout_ms: Option<f64>,
    max_retries: Option<u32>,
    idempotency_key: Option<String>,
    #[serde(default)]
    headers: Vec<(String, String)>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(ErrorCode::InvalidRequest, message)
}

fn duration_ms(ms: f64, what: &str) -> Result<Duration, Error> {
    if ms.is_finite() && ms > 0.0 && ms <= 3_600_000.0 {
        Ok(Duration::from_secs_f64(ms / 1000.0))
    } else {
        Err(Error::invalid(ErrorCode::ValidationError, format!("{what} must be between 1 ms and 1 hour, got {ms}")))
    }
}

fn parse_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|e| invalid(format!("{what}: {e}")))
}

fn request_options(json: Option<String>) -> Result<RequestOptions, Error> {
    let Some(json) = json else { return Ok(RequestOptions::default()) };
    let raw: JsRequestOptions = parse_json(&json, "request options")?;
    Ok(RequestOptions {
        timeout: raw.timeout_ms.map(|ms| duration_ms(ms, "timeout")).transpose()?,
        max_retries: raw.max_retries,
        idempotency_key: raw.idempotency_key,
        extra_headers: raw.headers,
    })
}

thread_local! {
    /// Per-client JS log functions. The core's log hook must be `Send + Sync`, which a JS
    /// function is not, so the hook carries only the client's id and looks the function up here
    /// (there is one JS thread per wasm instance).
    static LOGGERS: RefCell<HashMap<u32, js_sys::Function>> = RefCell::new(HashMap::new());
}

static NEXT_LOGGER: AtomicU32 = AtomicU32::new(1);

fn log_hook(id: u32) -> LogHook {
    Arc::new(move |record: &LogRecord| {
        let json = json!({
            "level": match record.level { LogLevel::Debug => "debug", LogLevel::Info => "info" },
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
    logger: Option<u32>,
}

impl Drop for RawClient {
    fn drop(&mut self) {
        if let Some(id) = self.logger {
            LOGGERS.with(|loggers| loggers.borrow_mut().remove(&id));
        }
    }
}

fn ok_json<T: serde::Serialize>(response: Response<T>) -> Result<JsValue, JsValue> {
    let (data, meta) = response.into_parts();
    let data = serde_json::to_value(data).map_err(|e| to_js(&invalid(format!("cannot encode the result: {e}"))))?;
    Ok(JsValue::from_str(&json!({"data": data, "meta": meta_json(&meta)}).to_string()))
}

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, Error> {
    T::deserialize(args.get(name).unwrap_or(&Value::Null)).map_err(|e| invalid(format!("`{name}`: {e}")))
}

fn optional_arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<Option<T>, Error> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::deserialize(v).map(Some).map_err(|e| invalid(format!("`{name}`: {e}"))),
    }
}

async fn dispatch(client: Client, op: String, args: Value) -> Result<JsValue, JsValue> {
    let e = |err: Error| to_js(&err);
    let s = |name: &str| arg::<String>(&args, name).map_err(e);
    match op.as_str() {
        "send" => {
            let event = s("event")?;
            let request: SendRequest = arg(&args, "request").map_err(e)?;
            let response = match optional_arg::<Channel>(&args, "channel").map_err(e)? {
                Some(channel) => client.send_on(&event, channel, request).await,
                None => client.send(&event, request).await,
            };
            ok_json(response.map_err(e)?)
        }
        "contacts.list" => {
            let params: ContactListParams = optional_arg(&args, "params").map_err(e)?.unwrap_or_default();
            ok_json(client.contacts().list(&params).await.map_err(e)?)
        }
        "contacts.get" => ok_json(client.contacts().get(&s("identifier")?).await.map_err(e)?),
        "contacts.create" => {
            let contact: ContactInput = arg(&args, "contact").map_err(e)?;
            ok_json(client.contacts().create(&contact).await.map_err(e)?)
        }
        "contacts.update" => {
            let changes: ContactInput = arg(&args, "changes").map_err(e)?;
            ok_json(client.contacts().update(&s("identifier")?, &changes).await.map_err(e)?)
        }
        "contacts.delete" => ok_json(client.contacts().delete(&s("identifier")?).await.map_err(e)?),
        "contacts.addPushToken" => {
            ok_json(client.contacts().add_push_token(&s("identifier")?, &s("token")?).await.map_err(e)?)
        }
        "contacts.removePushToken" => {
            ok_json(client.contacts().remove_push_token(&s("identifier")?, &s("token")?).await.map_err(e)?)
        }
        "events.list" => ok_json(client.events().list().await.map_err(e)?),
        "events.get" => ok_json(client.events().get(&s("identifier")?).await.map_err(e)?),
        "deliveries.list" => {
            let params: DeliveryListParams = optional_arg(&args, "params").map_err(e)?.unwrap_or_default();
            ok_json(client.deliveries().list(&params).await.map_err(e)?)
        }
        "deliveries.trace" => ok_json(client.deliveries().trace(&s("uuid")?).await.map_err(e)?),
        "integrations.list" => {
            let channel: Option<Channel> = optional_arg(&args, "channel").map_err(e)?;
            ok_json(client.integrations().list(channel).await.map_err(e)?)
        }
        "webhooks.create" => {
            let webhook: CreateWebhook = arg(&args, "webhook").map_err(e)?;
            ok_json(client.webhooks().create(&webhook).await.map_err(e)?)
        }
        "webhooks.get" => ok_json(client.webhooks().get().await.map_err(e)?),
        "webhooks.update" => {
            let changes: UpdateWebhook = arg(&args, "changes").map_err(e)?;
            ok_json(client.webhooks().update(&s("uuid")?, &changes).await.map_err(e)?)
        }
        "webhooks.delete" => ok_json(client.webhooks().delete(&s("uuid")?).await.map_err(e)?),
        other => Err(e(invalid(format!("unknown operation {other:?}")))),
    }
}

/// One item of `sendMany`, as the wrapper sends it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsSendItem {
    event: String,
    #[serde(default)]
    channel: Option<Channel>,
    request: SendRequest,
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[wasm_bindgen]
impl RawClient {
    /// Builds a client from `ClientOptions` JSON; `logger` receives log records as JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, logger: Option<js_sys::Function>) -> Result<RawClient, JsValue> {
        let raw: JsClientOptions = parse_json(options_json, "client options").map_err(|e| to_js(&e))?;
        let build = || -> Result<ClientOptions, Error> {
            let rate_limit = match &raw.rate_limit {
                None | Some(Value::Null) => RateLimit::Off,
                Some(Value::String(s)) if s == "off" => RateLimit::Off,
                Some(Value::String(s)) if s == "documented" => RateLimit::Documented,
                Some(Value::Number(n)) => RateLimit::PerSecond(n.as_f64().unwrap_or(0.0)),
                Some(other) => {
                    return Err(Error::invalid(
                        ErrorCode::ValidationError,
                        format!("rateLimit must be \"off\", \"documented\" or requests per second, got {other}"),
                    ));
                }
            };
            let log_level = match raw.log_level.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("") | Some("off") => None,
                Some("debug") => Some(LogLevel::Debug),
                Some("info") => Some(LogLevel::Info),
                Some(other) => {
                    return Err(Error::invalid(
                        ErrorCode::ValidationError,
                        format!("logLevel must be \"debug\", \"info\" or \"off\", got {other:?}"),
                    ));
                }
            };
            Ok(ClientOptions {
                api_key: raw.api_key.clone(),
                base_url: raw.base_url.clone(),
                timeout: raw.timeout_ms.map(|ms| duration_ms(ms, "timeout")).transpose()?,
                max_retries: raw.max_retries,
                allow_insecure_http: raw.allow_insecure_http,
                rate_limit,
                binding: Some("wasm".to_owned()),
                default_headers: raw.headers.clone(),
                log_hook: None,
                log_level,
            })
        };
        let mut options = build().map_err(|e| to_js(&e))?;
        let logger_id = match (logger, options.log_level) {
            (Some(f), Some(_)) => {
                let id = NEXT_LOGGER.fetch_add(1, Ordering::Relaxed);
                LOGGERS.with(|loggers| loggers.borrow_mut().insert(id, f));
                options.log_hook = Some(log_hook(id));
                Some(id)
            }
            _ => None,
        };
        match Client::new(options) {
            Ok(inner) => Ok(RawClient { inner, logger: logger_id }),
            Err(err) => {
                if let Some(id) = logger_id {
                    LOGGERS.with(|loggers| loggers.borrow_mut().remove(&id));
                }
                Err(to_js(&err))
            }
        }
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

    /// Runs one operation (`"send"`, `"contacts.get"`, …) with JSON arguments; resolves to
    /// `{"data", "meta"}` JSON, rejects with a core error.
    pub fn call(&self, op: String, args_json: &str, options_json: Option<String>) -> js_sys::Promise {
        let prepared = request_options(options_json)
            .and_then(|o| parse_json::<Value>(args_json, "arguments").map(|a| (o, a)))
            .map(|(options, args)| (self.inner.with_options(options), args));
        wasm_bindgen_futures::future_to_promise(async move {
            let (client, args) = prepared.map_err(|e| to_js(&e))?;
            dispatch(client, op, args).await
        })
    }

    /// `sendMany`: resolves to a JSON array with one `{"ok": {data, meta}}` or
    /// `{"error": details}` per item, in order.
    #[wasm_bindgen(js_name = sendMany)]
    pub fn send_many(&self, items_json: &str, concurrency: u32, options_json: Option<String>) -> js_sys::Promise {
        let prepared = request_options(options_json).and_then(|options| {
            let items: Vec<JsSendItem> = parse_json(items_json, "items")?;
            Ok((self.inner.with_options(options), items))
        });
        wasm_bindgen_futures::future_to_promise(async move {
            let (client, items) = prepared.map_err(|e| to_js(&e))?;
            let items = items
                .into_iter()
                .map(|i| SendItem {
                    event: i.event,
                    channel: i.channel,
                    request: i.request,
                    idempotency_key: i.idempotency_key,
                })
                .collect();
            let results: Vec<Value> = client
                .send_many(items, concurrency.max(1) as usize)
                .await
                .into_iter()
                .map(|r| match r {
                    Ok(response) => {
                        let (data, meta) = response.into_parts();
                        json!({"ok": {"data": serde_json::to_value(data).unwrap_or(Value::Null), "meta": meta_json(&meta)}})
                    }
                    Err(err) => json!({"error": details(&err)}),
                })
                .collect();
            Ok(JsValue::from_str(&Value::Array(results).to_string()))
        })
    }

    /// An auto-paginating walk (`"contacts.listAll"` or `"deliveries.listAll"`).
    pub fn paginate(&self, op: &str, args_json: &str, options_json: Option<String>) -> Result<RawPaginator, JsValue> {
        let e = |err: Error| to_js(&err);
        let client = self.inner.with_options(request_options(options_json).map_err(e)?);
        let args: Value = parse_json(args_json, "arguments").map_err(e)?;
        let pager = match op {
            "contacts.listAll" => {
                let params: ContactListParams = optional_arg(&args, "params").map_err(e)?.unwrap_or_default();
                let params = params.validated().map_err(e)?;
                Pager::Contacts(client.contacts().list_all(params))
            }
            "deliveries.listAll" => {
                let params: DeliveryListParams = optional_arg(&args, "params").map_err(e)?.unwrap_or_default();
                let params = params.validated().map_err(e)?;
                Pager::Deliveries(client.deliveries().list_all(params))
            }
            other => return Err(e(invalid(format!("unknown paginated operation {other:?}")))),
        };
        Ok(RawPaginator { pager: Rc::new(RefCell::new(Some(pager))) })
    }
}

enum Pager {
    Contacts(Paginator<sendivent::models::Contact>),
    Deliveries(Paginator<sendivent::models::Delivery>),
}

impl Pager {
    async fn next(&mut self) -> Option<Result<Value, Error>> {
        fn encode<T: serde::Serialize>(item: Result<T, Error>) -> Result<Value, Error> {
            item.and_then(|v| serde_json::to_value(v).map_err(|e| invalid(format!("cannot encode an item: {e}"))))
        }
        match self {
            Pager::Contacts(p) => p.next().await.map(encode),
            Pager::Deliveries(p) => p.next().await.map(encode),
        }
    }
}

/// The state of one async iteration over a list endpoint.
#[wasm_bindgen]
pub struct RawPaginator {
    pager: Rc<RefCell<Option<Pager>>>,
}

#[wasm_bindgen]
impl RawPaginator {
    /// Resolves to the next item as JSON, or `undefined` at the end; rejects once on an error,
    /// which ends the walk.
    pub fn next(&self) -> js_sys::Promise {
        let slot = Rc::clone(&self.pager);
        wasm_bindgen_futures::future_to_promise(async move {
            // Taken out while a page is fetched, so overlapping `next()` calls see a clear error
            // instead of a RefCell panic.
            let Some(mut pager) = slot.borrow_mut().take() else {
                return Err(to_js(&invalid("next() called again before the previous call finished")));
            };
            let item = pager.next().await;
            // Put back in every case: after an error or the end the core's paginator answers
            // `None` again, so later calls resolve to `undefined`.
            *slot.borrow_mut() = Some(pager);
            match item {
                Some(Ok(value)) => Ok(JsValue::from_str(&value.to_string())),
                Some(Err(err)) => Err(to_js(&err)),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}

/// Decodes a response body (JSON text) as the named shape (`sendivent::models::RESPONSE_KINDS`)
/// and returns the canonical JSON the client would produce: how answers fetched by other means
/// are read exactly as the core reads them. Throws INVALID_RESPONSE or INVALID_REQUEST.
#[wasm_bindgen(js_name = decodeResponse)]
pub fn decode_response(kind: &str, body: &str) -> Result<String, JsValue> {
    sendivent::models::decode_response(kind, body.as_bytes()).map(|v| v.to_string()).map_err(|e| to_js(&e))
}
