//! The native client: parses Python arguments into core request types, runs the core's calls
//! (blocking with the GIL released, or as asyncio awaitables), and returns JSON-shaped data
//! plus response metadata for the typed Python classes.

use std::sync::Arc;
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use sendivent::client::{self, ClientOptions, LogLevel, LogRecord, Paginator, RequestOptions, Response, SendItem};
use sendivent::models::{
    Channel, Contact, ContactInput, ContactListParams, CreateWebhook, Delivery, DeliveryListParams, ResponseMeta,
    SendRequest, SendResponse, UpdateWebhook,
};
use sendivent::{Error, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::convert::{json_to_py, meta_to_py, py_to_json};
use crate::errors::{IntoPyResult, to_pyerr};
use crate::runtime::{block_on, into_awaitable};

/// One parsed API call.
enum Op {
    Send { event: String, channel: Option<Channel>, request: SendRequest },
    ContactsList(ContactListParams),
    ContactsGet(String),
    ContactsCreate(ContactInput),
    ContactsUpdate(String, ContactInput),
    ContactsDelete(String),
    PushTokenAdd(String, String),
    PushTokenRemove(String, String),
    EventsList,
    EventsGet(String),
    DeliveriesList(DeliveryListParams),
    DeliveriesTrace(String),
    IntegrationsList(Option<Channel>),
    WebhooksCreate(CreateWebhook),
    WebhooksGet,
    WebhooksUpdate(String, UpdateWebhook),
    WebhooksDelete(String),
}

fn invalid(message: String) -> Error {
    Error::invalid(ErrorCode::InvalidRequest, message)
}

/// Deserialises `args[field]` (or all of `args` when `field` is empty) into a core type, so the
/// core's serde rules decide what is accepted.
fn take<T: DeserializeOwned>(args: &Value, field: &str) -> sendivent::Result<T> {
    let value = if field.is_empty() { args.clone() } else { args.get(field).cloned().unwrap_or(Value::Null) };
    serde_json::from_value(value).map_err(|e| {
        if field.is_empty() {
            invalid(format!("invalid arguments: {e}"))
        } else {
            invalid(format!("invalid {field}: {e}"))
        }
    })
}

fn text(args: &Value, field: &str) -> sendivent::Result<String> {
    match args.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(invalid(format!("{field} must be a str"))),
    }
}

fn parse(op: &str, args: &Value) -> sendivent::Result<Op> {
    Ok(match op {
        "send" => Op::Send {
            event: text(args, "event")?,
            channel: take::<Option<Channel>>(args, "channel")?,
            request: take(args, "request")?,
        },
        "contacts.list" => Op::ContactsList(take(args, "")?),
        "contacts.get" => Op::ContactsGet(text(args, "identifier")?),
        "contacts.create" => Op::ContactsCreate(take(args, "contact")?),
        "contacts.update" => Op::ContactsUpdate(text(args, "identifier")?, take(args, "changes")?),
        "contacts.delete" => Op::ContactsDelete(text(args, "identifier")?),
        "contacts.add_push_token" => Op::PushTokenAdd(text(args, "identifier")?, text(args, "token")?),
        "contacts.remove_push_token" => Op::PushTokenRemove(text(args, "identifier")?, text(args, "token")?),
        "events.list" => Op::EventsList,
        "events.get" => Op::EventsGet(text(args, "identifier")?),
        "deliveries.list" => Op::DeliveriesList(take(args, "")?),
        "deliveries.trace" => Op::DeliveriesTrace(text(args, "uuid")?),
        "integrations.list" => Op::IntegrationsList(take(args, "channel")?),
        "webhooks.create" => Op::WebhooksCreate(take(args, "")?),
        "webhooks.get" => Op::WebhooksGet,
        "webhooks.update" => Op::WebhooksUpdate(text(args, "uuid")?, take(args, "changes")?),
        "webhooks.delete" => Op::WebhooksDelete(text(args, "uuid")?),
        other => return Err(Error::invalid(ErrorCode::InvalidArgument, format!("unknown operation {other:?}"))),
    })
}

/// A finished call: JSON data and metadata, or the core error. Converted to Python objects
/// (or raised) once the GIL is held again.
pub enum Outcome {
    /// Success.
    Ok(Value, ResponseMeta),
    /// Failure.
    Err(Error),
}

fn to_value<T: Serialize>(data: &T) -> sendivent::Result<Value> {
    serde_json::to_value(data)
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot convert the response: {e}")))
}

fn finish<T: Serialize>(result: sendivent::Result<Response<T>>) -> Outcome {
    match result.and_then(|r| {
        let (data, meta) = r.into_parts();
        Ok((to_value(&data)?, meta))
    }) {
        Ok((data, meta)) => Outcome::Ok(data, meta),
        Err(e) => Outcome::Err(e),
    }
}

fn send_value(sent: &SendResponse) -> Value {
    let deliveries: Vec<Value> =
        sent.deliveries.iter().map(|d| json!({"channel": d.channel.as_str(), "uuid": d.uuid})).collect();
    let errors: Vec<Value> =
        sent.errors.iter().map(|e| json!({"code": e.code.as_str(), "message": e.message})).collect();
    json!({"success": sent.success, "deliveries": deliveries, "errors": errors})
}

fn finish_send(result: sendivent::Result<Response<SendResponse>>) -> Outcome {
    match result {
        Ok(r) => Outcome::Ok(send_value(r.data()), r.meta().clone()),
        Err(e) => Outcome::Err(e),
    }
}

async fn run(client: client::Client, op: Op) -> Outcome {
    match op {
        Op::Send { event, channel: Some(channel), request } => {
            finish_send(client.send_on(&event, channel, request).await)
        }
        Op::Send { event, channel: None, request } => finish_send(client.send(&event, request).await),
        Op::ContactsList(p) => finish(client.contacts().list(&p).await),
        Op::ContactsGet(id) => finish(client.contacts().get(&id).await),
        Op::ContactsCreate(c) => finish(client.contacts().create(&c).await),
        Op::ContactsUpdate(id, c) => finish(client.contacts().update(&id, &c).await),
        Op::ContactsDelete(id) => finish(client.contacts().delete(&id).await),
        Op::PushTokenAdd(id, t) => finish(client.contacts().add_push_token(&id, &t).await),
        Op::PushTokenRemove(id, t) => finish(client.contacts().remove_push_token(&id, &t).await),
        Op::EventsList => finish(client.events().list().await),
        Op::EventsGet(id) => finish(client.events().get(&id).await),
        Op::DeliveriesList(p) => finish(client.deliveries().list(&p).await),
        Op::DeliveriesTrace(uuid) => finish(client.deliveries().trace(&uuid).await),
        Op::IntegrationsList(channel) => finish(client.integrations().list(channel).await),
        Op::WebhooksCreate(w) => finish(client.webhooks().create(&w).await),
        Op::WebhooksGet => finish(client.webhooks().get().await),
        Op::WebhooksUpdate(uuid, w) => finish(client.webhooks().update(&uuid, &w).await),
        Op::WebhooksDelete(uuid) => finish(client.webhooks().delete(&uuid).await),
    }
}

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyTuple;
    type Output = Bound<'py, PyTuple>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match self {
            Outcome::Ok(data, meta) => PyTuple::new(py, [json_to_py(py, &data)?, meta_to_py(py, &meta)?.into_any()]),
            Outcome::Err(err) => Err(to_pyerr(py, err)),
        }
    }
}

/// The results of a bulk send, one per item: `(True, (data, meta))` or `(False, exception)`.
pub struct Outcomes(Vec<Outcome>);

impl<'py> IntoPyObject<'py> for Outcomes {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for outcome in self.0 {
            match outcome {
                Outcome::Ok(data, meta) => {
                    let pair = PyTuple::new(py, [json_to_py(py, &data)?, meta_to_py(py, &meta)?.into_any()])?;
                    list.append((true, pair))?;
                }
                Outcome::Err(err) => list.append((false, to_pyerr(py, err).into_value(py)))?,
            }
        }
        Ok(list)
    }
}

fn opt_duration(seconds: Option<f64>, what: &str) -> PyResult<Option<Duration>> {
    match seconds {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(_) => Err(PyValueError::new_err(format!("{what} must be a positive number of seconds"))),
    }
}

/// Routes the core's log records to a Python callable `log(level: int, message: str)`
/// (the `sendivent` logger's `log` method).
fn log_hook(callback: Py<PyAny>) -> client::LogHook {
    Arc::new(move |record: &LogRecord| {
        let level = match record.level {
            LogLevel::Debug => 10,
            LogLevel::Info => 20,
        };
        let message = record.to_string();
        Python::attach(|py| {
            if let Err(err) = callback.call1(py, (level, message)) {
                err.write_unraisable(py, None);
            }
        });
    })
}

/// The native client under `sendivent.Sendivent` and `sendivent.AsyncSendivent`.
#[pyclass(module = "sendivent._native", frozen)]
pub struct NativeClient {
    client: client::Client,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (api_key=None, *, base_url=None, timeout=None, max_retries=None, allow_insecure_http=false,
        rate_limit=None, default_headers=None, log=None, log_level=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        allow_insecure_http: bool,
        rate_limit: Option<f64>,
        default_headers: Option<Vec<(String, String)>>,
        log: Option<Py<PyAny>>,
        log_level: Option<&str>,
    ) -> PyResult<Self> {
        let rate_limit = match rate_limit {
            None => client::RateLimit::Off,
            Some(r) => client::RateLimit::PerSecond(r),
        };
        let log_level = match log_level {
            None => None,
            Some(l) if l.eq_ignore_ascii_case("debug") => Some(LogLevel::Debug),
            Some(l) if l.eq_ignore_ascii_case("info") => Some(LogLevel::Info),
            Some(other) => {
                return Err(PyValueError::new_err(format!("log_level must be 'debug' or 'info', not {other:?}")));
            }
        };
        let options = ClientOptions {
            api_key,
            base_url,
            timeout: opt_duration(timeout, "timeout")?,
            max_retries,
            allow_insecure_http,
            rate_limit,
            binding: Some("python".to_owned()),
            default_headers: default_headers.unwrap_or_default(),
            log_hook: log.map(log_hook),
            log_level,
            max_response_bytes: None,
        };
        let client = client::Client::new(options).py_err(py)?;
        Ok(NativeClient { client })
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// `"live"` or `"test"`.
    #[getter]
    fn key_mode(&self) -> &'static str {
        match self.client.key_mode() {
            client::KeyMode::Live => "live",
            client::KeyMode::Test => "test",
        }
    }

    /// Runs one API call and blocks (GIL released) until it finishes: `(data, meta)`.
    #[pyo3(signature = (op, args, options=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        args: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (client, op) = self.prepare(py, op, args, options)?;
        block_on(py, run(client, op))?.into_pyobject(py)
    }

    /// Like `call`, as an asyncio awaitable.
    #[pyo3(signature = (op, args, options=None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        args: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, op) = self.prepare(py, op, args, options)?;
        into_awaitable(py, async move { Ok(run(client, op).await) })
    }

    /// Sends many items (`[{event, channel?, request, idempotency_key?}]`) with at most
    /// `concurrency` in flight; one `(ok, value)` per item, in order.
    #[pyo3(signature = (items, concurrency, options=None))]
    fn send_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: usize,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (client, items) = self.prepare_many(py, items, options)?;
        let results = block_on(py, async move { client.send_many(items, concurrency).await })?;
        Outcomes(results.into_iter().map(finish_send).collect()).into_pyobject(py)
    }

    /// Like `send_many`, as an asyncio awaitable.
    #[pyo3(signature = (items, concurrency, options=None))]
    fn send_many_async<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: usize,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, items) = self.prepare_many(py, items, options)?;
        into_awaitable(py, async move {
            let results = client.send_many(items, concurrency).await;
            Ok(Outcomes(results.into_iter().map(finish_send).collect()))
        })
    }

    /// An auto-paginating iterator over `contacts` or `deliveries`.
    #[pyo3(signature = (resource, args, options=None))]
    fn paginate<'py>(
        &self,
        py: Python<'py>,
        resource: &str,
        args: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<NativePaginator> {
        let client = self.with_options(options)?;
        let args = py_to_json(args)?;
        let pager = match resource {
            "contacts" => {
                let params: ContactListParams = take(&args, "").py_err(py)?;
                params.validated().py_err(py)?;
                Pager::Contacts(client.contacts().list_all(params))
            }
            "deliveries" => {
                let params: DeliveryListParams = take(&args, "").py_err(py)?;
                params.validated().py_err(py)?;
                Pager::Deliveries(client.deliveries().list_all(params))
            }
            other => return Err(PyValueError::new_err(format!("no paginated resource {other:?}"))),
        };
        Ok(NativePaginator { pager: Arc::new(Mutex::new(pager)) })
    }

    fn __repr__(&self) -> String {
        format!("NativeClient(base_url={:?})", self.client.base_url())
    }
}

impl NativeClient {
    fn with_options(&self, options: Option<&Bound<'_, PyDict>>) -> PyResult<client::Client> {
        let Some(options) = options else { return Ok(self.client.clone()) };
        let mut request = RequestOptions::default();
        if let Some(v) = options.get_item("timeout")? {
            request.timeout = opt_duration(v.extract::<Option<f64>>()?, "timeout")?;
        }
        if let Some(v) = options.get_item("max_retries")? {
            request.max_retries = v.extract()?;
        }
        if let Some(v) = options.get_item("idempotency_key")? {
            request.idempotency_key = v.extract()?;
        }
        if let Some(v) = options.get_item("extra_headers")? {
            request.extra_headers = v.extract::<Option<Vec<(String, String)>>>()?.unwrap_or_default();
        }
        Ok(self.client.with_options(request))
    }

    fn prepare(
        &self,
        py: Python<'_>,
        op: &str,
        args: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(client::Client, Op)> {
        let client = self.with_options(options)?;
        let args = py_to_json(args)?;
        let op = parse(op, &args).py_err(py)?;
        Ok((client, op))
    }

    fn prepare_many(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(client::Client, Vec<SendItem>)> {
        let client = self.with_options(options)?;
        let items = py_to_json(items)?;
        let Value::Array(items) = items else {
            return Err(to_pyerr(py, invalid("items must be a list".to_owned())));
        };
        let items = items
            .iter()
            .map(|item| {
                Ok(SendItem {
                    event: text(item, "event")?,
                    channel: take(item, "channel")?,
                    request: take(item, "request")?,
                    idempotency_key: take(item, "idempotency_key")?,
                })
            })
            .collect::<sendivent::Result<Vec<_>>>()
            .py_err(py)?;
        Ok((client, items))
    }
}

enum Pager {
    Contacts(Paginator<Contact>),
    Deliveries(Paginator<Delivery>),
}

impl Pager {
    async fn next(&mut self) -> Option<sendivent::Result<Value>> {
        match self {
            Pager::Contacts(p) => p.next().await.map(|r| r.and_then(|c| to_value(&c))),
            Pager::Deliveries(p) => p.next().await.map(|r| r.and_then(|d| to_value(&d))),
        }
    }
}

/// One item of a paginator: the item, the end, or an error.
pub struct Item(Option<sendivent::Result<Value>>);

impl<'py> IntoPyObject<'py> for Item {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            None => Ok(py.None().into_bound(py)),
            Some(Ok(value)) => json_to_py(py, &value),
            Some(Err(err)) => Err(to_pyerr(py, err)),
        }
    }
}

/// Walks a list endpoint page by page (the core's `Paginator`); `None` marks the end.
#[pyclass(module = "sendivent._native", frozen)]
pub struct NativePaginator {
    pager: Arc<Mutex<Pager>>,
}

#[pymethods]
impl NativePaginator {
    /// The next item (blocking, GIL released), or `None` at the end.
    fn next_item<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pager = Arc::clone(&self.pager);
        let item = block_on(py, async move { pager.lock().await.next().await })?;
        Item(item).into_pyobject(py)
    }

    /// The next item as an awaitable resolving to the item or `None` at the end.
    fn next_item_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pager = Arc::clone(&self.pager);
        into_awaitable(py, async move { Ok(Item(pager.lock().await.next().await)) })
    }
}
