//! The native client under `sendivent.Sendivent` and `sendivent.AsyncSendivent`: options, calls
//! and results cross as JSON, and every operation runs through the core's generic entry points
//! (`Client::call`, `Client::paginate`, `Client::send_many_json`), blocking with the GIL released
//! or as asyncio awaitables.

use std::sync::{Arc, PoisonError, RwLock};

use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use sendivent::client::{self, ClientOptions, LogRecord, Paginator, RequestOptions, Response};
use sendivent::{Error, ErrorCode};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::convert::{json_to_py, py_to_json, to_py};
use crate::errors::{IntoPyResult, exception, to_pyerr};
use crate::runtime::{awaitable, block_on};

/// The binding's name in `User-Agent`.
const BINDING: &str = "python";

/// `(data, meta)`: the canonical JSON of the answer and of its response metadata.
fn answer<'py>(py: Python<'py>, response: Response<Value>) -> PyResult<Bound<'py, PyTuple>> {
    let (data, meta) = response.into_parts();
    PyTuple::new(py, [json_to_py(py, &data)?, to_py(py, &meta)?])
}

/// A finished call, converted (or raised) once the GIL is held again.
pub struct Answer(sendivent::Result<Response<Value>>);

impl<'py> IntoPyObject<'py> for Answer {
    type Target = PyTuple;
    type Output = Bound<'py, PyTuple>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match self.0 {
            Ok(response) => answer(py, response),
            Err(err) => Err(to_pyerr(py, err)),
        }
    }
}

/// The results of a bulk send, one per item: `(True, (data, meta))` or `(False, exception)`.
pub struct Answers(sendivent::Result<Vec<sendivent::Result<Response<Value>>>>);

impl<'py> IntoPyObject<'py> for Answers {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for result in self.0.py_err(py)? {
            match result {
                Ok(response) => list.append((true, answer(py, response)?))?,
                Err(err) => list.append((false, exception(py, &err)?))?,
            }
        }
        Ok(list)
    }
}

/// Routes the core's log records to a Python callable `log(level: str, message: str)`.
fn log_hook(callback: Py<PyAny>) -> client::LogHook {
    Arc::new(move |record: &LogRecord| {
        let message = record.to_string();
        Python::attach(|py| {
            if let Err(err) = callback.call1(py, (record.level.as_str(), message)) {
                err.write_unraisable(py, None);
            }
        });
    })
}

fn closed() -> Error {
    Error::Binding { code: ErrorCode::InvalidArgument, message: "the client is closed".to_owned() }
}

/// A core client, or nothing once closed.
#[pyclass(module = "sendivent._native", frozen)]
pub struct NativeClient {
    client: RwLock<Option<client::Client>>,
}

impl NativeClient {
    fn wrap(client: client::Client) -> NativeClient {
        NativeClient { client: RwLock::new(Some(client)) }
    }

    fn client(&self, py: Python<'_>) -> PyResult<client::Client> {
        let slot = self.client.read().unwrap_or_else(PoisonError::into_inner);
        slot.clone().ok_or_else(|| to_pyerr(py, closed()))
    }

    /// The client with this call's options (`RequestOptions::from_value`) applied.
    fn with_request_options(&self, py: Python<'_>, options: Option<&Bound<'_, PyAny>>) -> PyResult<client::Client> {
        let client = self.client(py)?;
        match options {
            Some(options) if !options.is_none() => {
                let options = RequestOptions::from_value(&py_to_json(options)?).py_err(py)?;
                Ok(client.with_options(options))
            }
            _ => Ok(client),
        }
    }
}

#[pymethods]
impl NativeClient {
    /// Builds a client from options named as in the description (`ClientOptions::from_value`);
    /// `log` receives the core's log records unless `log_level` says `off`.
    #[new]
    #[pyo3(signature = (options, log=None))]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>, log: Option<Py<PyAny>>) -> PyResult<Self> {
        let value = py_to_json(options)?;
        let mut options = ClientOptions::from_value(&value, BINDING).py_err(py)?;
        let logging_off = options.log_level.is_none() && value.get("log_level").is_some_and(|level| !level.is_null());
        options.log_hook = if logging_off { None } else { log.map(log_hook) };
        client::Client::new(options).map(NativeClient::wrap).py_err(py)
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client(py)?.base_url().to_owned())
    }

    /// `"live"` or `"test"`.
    #[getter]
    fn key_mode(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(match self.client(py)?.key_mode() {
            client::KeyMode::Live => "live",
            client::KeyMode::Test => "test",
        })
    }

    /// A client sharing this one's connections whose calls use these request options.
    fn with_options(&self, py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<NativeClient> {
        self.with_request_options(py, Some(options)).map(NativeClient::wrap)
    }

    /// Drops this handle's client; calls made afterwards raise.
    fn close(&self) {
        *self.client.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Runs the operation and blocks (GIL released) until it finishes: `(data, meta)`.
    #[pyo3(signature = (operation, args, options=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let client = self.with_request_options(py, options)?;
        let (operation, args) = (operation.to_owned(), py_to_json(args)?);
        let result = block_on(py, async move { client.call(&operation, &args).await })?;
        Answer(result).into_pyobject(py)
    }

    /// `call` as an asyncio awaitable.
    #[pyo3(signature = (operation, args, options=None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.with_request_options(py, options)?;
        let (operation, args) = (operation.to_owned(), py_to_json(args)?);
        awaitable(py, async move { Answer(client.call(&operation, &args).await) })
    }

    /// Walks every page of a paginated list operation.
    #[pyo3(signature = (operation, args, options=None))]
    fn paginate(
        &self,
        py: Python<'_>,
        operation: &str,
        args: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativePaginator> {
        let client = self.with_request_options(py, options)?;
        let pager = client.paginate(operation, &py_to_json(args)?).py_err(py)?;
        Ok(NativePaginator { pager: Arc::new(Mutex::new(pager)) })
    }

    /// Sends `[{event, channel?, body, idempotency_key?}]` with at most `concurrency` in flight
    /// (`None`: the default); one `(ok, value)` per item, in order.
    #[pyo3(signature = (items, concurrency=None))]
    fn send_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: Option<f64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (client, items) = (self.client(py)?, py_to_json(items)?);
        let results = block_on(py, async move { client.send_many_json(&items, concurrency).await })?;
        Answers(results).into_pyobject(py)
    }

    /// `send_many` as an asyncio awaitable.
    #[pyo3(signature = (items, concurrency=None))]
    fn send_many_async<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, items) = (self.client(py)?, py_to_json(items)?);
        awaitable(py, async move { Answers(client.send_many_json(&items, concurrency).await) })
    }

    /// The core's description of the client, key redacted.
    fn __repr__(&self) -> String {
        match &*self.client.read().unwrap_or_else(PoisonError::into_inner) {
            Some(client) => format!("{client:?}"),
            None => "closed".to_owned(),
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

/// The core's paginator: each item as canonical JSON, `None` at the end.
#[pyclass(module = "sendivent._native", frozen)]
pub struct NativePaginator {
    pager: Arc<Mutex<Paginator<Value>>>,
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
        awaitable(py, async move { Item(pager.lock().await.next().await) })
    }
}
