//! Webhook verification, replay protection and signing for `sendivent.webhooks`. Every check is
//! the core's (`sendivent::webhook`): this module turns the body into bytes, hands over every
//! header pair the framework's headers object holds (repeated headers included, in order), wraps
//! the core's replay guards (and a Python store as a core `ReplayStore`), and returns the
//! verified event and the core's `Verified` built as their generated classes (`topy::typed`).

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyException;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString, PyTuple};
use sendivent::models::WebhookEvent;
use sendivent::webhook::{self, HeaderPair, ReplayGuard, ReplayStore, SecretKind, Verified, Verifier, VerifyOptions};

use crate::convert::{invalid_argument, py_to_json};
use crate::errors::{IntoPyResult, to_pyerr};
use crate::topy;

/// How to get the raw body in the frameworks Python receivers run on: the hint of
/// WEBHOOK_BODY_NOT_RAW.
const RAW_BODY_HINT: &str = "pass the raw request body as bytes or str: Flask request.get_data(), FastAPI/Starlette \
                             await request.body(), Django request.body";

/// Work (bytes hashed, or their equivalent) above which verification runs with the GIL released:
/// about 100 µs, far more than releasing and re-taking the GIL costs.
const DETACH_ABOVE_WORK: usize = 64 * 1024;
/// One ed25519 verification costs about as much as hashing this many bytes (besides hashing the
/// message itself).
const ED25519_WORK: usize = 32 * 1024;

/// What a body that is not raw bytes is, for WEBHOOK_BODY_NOT_RAW.
fn not_raw(body: &Bound<'_, PyAny>) -> PyErr {
    let found = if body.is_none() {
        "None".to_owned()
    } else if body.cast::<PyDict>().is_ok() || body.cast::<PyList>().is_ok() {
        let name = body.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        format!("a {name} (parsed JSON)")
    } else {
        let name = body.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "unknown".to_owned());
        format!("an object of type {name}")
    };
    to_pyerr(body.py(), webhook::body_not_raw(&found, RAW_BODY_HINT))
}

/// A raw body: borrowed from the Python object where it can be (`bytes`, and the UTF-8 encoding
/// CPython makes of a `str`), copied otherwise.
enum Body<'py> {
    Python(Bound<'py, PyBytes>),
    Copied(Vec<u8>),
}

impl Body<'_> {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Python(bytes) => bytes.as_bytes(),
            Body::Copied(bytes) => bytes,
        }
    }
}

/// The raw body as bytes: `bytes`, `bytearray`, `memoryview`, or `str` (UTF-8). Anything else —
/// a parsed dict above all — is WEBHOOK_BODY_NOT_RAW.
fn body_bytes<'py>(body: &Bound<'py, PyAny>) -> PyResult<Body<'py>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(Body::Python(b.clone()));
    }
    if let Ok(s) = body.cast::<PyString>() {
        return Ok(Body::Python(s.encode_utf8()?));
    }
    if let Ok(b) = body.cast::<PyByteArray>() {
        return Ok(Body::Copied(b.to_vec()));
    }
    if body.cast::<PyMemoryView>().is_ok() {
        let bytes = body.call_method0(intern!(body.py(), "tobytes"))?;
        return Ok(Body::Python(bytes.cast_into::<PyBytes>()?));
    }
    Err(not_raw(body))
}

/// A header name or value: the UTF-8 bytes of a `str` or a `bytes` value as Python holds them
/// (no copy on the Rust side), or text made here (Django's `HTTP_…` names, other objects).
#[derive(Clone)]
enum Text<'py> {
    Python(Bound<'py, PyBytes>),
    Made(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            // Only valid UTF-8 is kept as Python bytes (see `text`).
            Text::Python(bytes) => std::str::from_utf8(bytes.as_bytes()).unwrap_or_default(),
            Text::Made(text) => text,
        }
    }
}

/// A header name or value as text (`str`, `bytes` as in ASGI scopes, or anything printable).
fn text<'py>(value: &Bound<'py, PyAny>) -> PyResult<Text<'py>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Text::Python(s.encode_utf8()?));
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(match std::str::from_utf8(b.as_bytes()) {
            Ok(_) => Text::Python(b.clone()),
            Err(_) => Text::Made(String::from_utf8_lossy(b.as_bytes()).into_owned()),
        });
    }
    Ok(Text::Made(value.str()?.to_cow()?.into_owned()))
}

/// Django's `request.META` spells `webhook-id` as `HTTP_WEBHOOK_ID`.
fn header_name(name: Text<'_>) -> Text<'_> {
    match name.as_str().strip_prefix("HTTP_") {
        Some(rest) => Text::Made(rest.replace('_', "-").to_ascii_lowercase()),
        None => name,
    }
}

/// One header as the framework gave it.
struct Header<'py> {
    name: Text<'py>,
    value: Text<'py>,
}

/// Adds `name: value`, or one pair per element when the value is a list (a dict of lists).
fn push<'py>(name: &Text<'py>, value: &Bound<'py, PyAny>, pairs: &mut Vec<Header<'py>>) -> PyResult<()> {
    if value.is_none() {
        return Ok(());
    }
    if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
        for item in value.try_iter()? {
            push(name, &item?, pairs)?;
        }
        return Ok(());
    }
    pairs.push(Header { name: name.clone(), value: text(value)? });
    Ok(())
}

/// Every header pair, in order, from a list of `(name, value)` pairs (str or bytes, as in ASGI
/// scopes), a multi-dict (`multi_items()`), or any mapping with `items()`: Werkzeug/Flask,
/// Starlette/FastAPI, aiohttp and `email.message` headers objects yield every occurrence there,
/// Django's `request.headers` and `request.META` the values the server joined.
fn header_pairs<'py>(headers: &Bound<'py, PyAny>) -> PyResult<Vec<Header<'py>>> {
    let py = headers.py();
    let mut pairs = Vec::new();
    if let Ok(dict) = headers.cast::<PyDict>() {
        pairs.reserve(dict.len());
        for (name, value) in dict.iter() {
            push(&header_name(text(&name)?), &value, &mut pairs)?;
        }
        return Ok(pairs);
    }
    let items = if headers.cast::<PyList>().is_ok() || headers.cast::<PyTuple>().is_ok() {
        headers.clone()
    } else if headers.hasattr(intern!(py, "multi_items"))? {
        headers.call_method0(intern!(py, "multi_items"))?
    } else if headers.hasattr(intern!(py, "items"))? {
        headers.call_method0(intern!(py, "items"))?
    } else {
        return Err(invalid_argument(
            py,
            "headers must be a mapping (dict, a framework's headers object) or a list of (name, value) pairs",
        ));
    };
    for item in items.try_iter()? {
        let item = item?;
        let Ok((name, value)) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>() else {
            return Err(invalid_argument(py, "each header must be a (name, value) pair"));
        };
        push(&header_name(text(&name)?), &value, &mut pairs)?;
    }
    Ok(pairs)
}

/// The verification options; the core checks the tolerance's bounds.
fn options(
    py: Python<'_>,
    tolerance: Option<f64>,
    now: Option<i64>,
    skip_timestamp_check: bool,
) -> PyResult<VerifyOptions> {
    let mut options = VerifyOptions::default().skip_timestamp_check(skip_timestamp_check);
    if let Some(tolerance) = tolerance {
        options = options.tolerance_seconds(tolerance).py_err(py)?;
    }
    if let Some(now) = now {
        options = options.now(now);
    }
    Ok(options)
}

/// How much work verifying takes, in bytes hashed or their equivalent: each HMAC key hashes the
/// message once, and each ed25519 key checks every `v1a` entry (hashing the message each time);
/// the core refuses more than `MAX_SIGNATURE_ENTRIES` entries before any crypto runs.
fn work(verifier: &Verifier, body_len: usize, pairs: &[(&str, &str)]) -> usize {
    let (mut v1, mut v1a) = (0usize, 0usize);
    for header in pairs.iter().filter(|h| h.name().trim().eq_ignore_ascii_case(webhook::HEADER_SIGNATURE)) {
        for entry in header.value().split_ascii_whitespace() {
            if entry.starts_with("v1a,") {
                v1a += 1;
            } else if entry.starts_with("v1,") {
                v1 += 1;
            }
        }
    }
    let v1a = v1a.min(webhook::MAX_SIGNATURE_ENTRIES);
    let message = body_len.saturating_add(64);
    let hmac_keys = verifier.secrets().iter().filter(|s| s.kind() == SecretKind::Symmetric).count();
    let ed25519_keys = verifier.secrets().len() - hmac_keys;
    let hmac = if v1 > 0 { hmac_keys.saturating_mul(message) } else { 0 };
    let ed25519 = ed25519_keys.saturating_mul(v1a).saturating_mul(ED25519_WORK.saturating_add(message));
    // Parsing the event reads the body once more.
    hmac.saturating_add(ed25519).saturating_add(message)
}

thread_local! {
    /// The exception a Python replay store raised during the verification running on this
    /// thread: it becomes the `__cause__` of the REPLAY_STORE_ERROR the core returns.
    static STORE_FAILURE: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// A core error raised as its Python exception, chained to what a Python store raised. A store
/// that raised something other than an `Exception` (KeyboardInterrupt, SystemExit) gets it
/// re-raised as it was.
fn raise(py: Python<'_>, err: sendivent::Error) -> PyErr {
    let cause = STORE_FAILURE.with(|slot| slot.borrow_mut().take());
    match cause {
        Some(cause) if !cause.is_instance_of::<PyException>(py) => cause,
        cause => {
            let raised = to_pyerr(py, err);
            if cause.is_some() {
                raised.set_cause(py, cause);
            }
            raised
        }
    }
}

/// A user's store (`insert_if_absent(key, ttl_seconds) -> bool`, or a callable taking the same)
/// as a core `ReplayStore`.
struct PythonStore {
    insert_if_absent: Py<PyAny>,
    /// The store's optional `remove(key)`, used by `release`.
    remove: Option<Py<PyAny>>,
}

impl ReplayStore for PythonStore {
    fn insert_if_absent(&self, key: &str, _now: i64, ttl: Duration) -> sendivent::Result<bool> {
        Python::attach(|py| match self.insert_if_absent.call1(py, (key, ttl.as_secs_f64())) {
            Ok(answer) => match answer.bind(py).cast::<PyBool>() {
                Ok(inserted) => Ok(inserted.is_true()),
                Err(_) => {
                    let type_name = answer.bind(py).get_type().name().map(|n| n.to_string()).unwrap_or_default();
                    Err(webhook::store_error(format!(
                        "insert_if_absent returned {type_name}, not True (recorded now) or False (recorded before)"
                    )))
                }
            },
            Err(err) => {
                let message = err.to_string();
                STORE_FAILURE.with(|slot| *slot.borrow_mut() = Some(err));
                Err(webhook::store_error(message))
            }
        })
    }

    fn remove(&self, key: &str) -> sendivent::Result<()> {
        let Some(remove) = &self.remove else { return Ok(()) };
        Python::attach(|py| match remove.call1(py, (key,)) {
            Ok(_) => Ok(()),
            Err(err) => {
                let message = err.to_string();
                STORE_FAILURE.with(|slot| *slot.borrow_mut() = Some(err));
                Err(webhook::store_error(message))
            }
        })
    }
}

/// Where a guard keeps its ids (for `repr`, and whether checking one is I/O).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Store {
    Memory,
    Redis,
    Python,
}

/// A replay guard: the core's `ReplayGuard` over memory, Redis or a Python store.
#[pyclass(module = "sendivent._native", name = "ReplayGuard", frozen)]
pub struct PyReplayGuard {
    guard: ReplayGuard,
    store: Store,
}

impl PyReplayGuard {
    fn with(guard: ReplayGuard, store: Store, namespace: Option<&str>) -> PyReplayGuard {
        let guard = match namespace {
            Some(prefix) => guard.namespace(prefix),
            None => guard,
        };
        PyReplayGuard { guard, store }
    }
}

#[pymethods]
impl PyReplayGuard {
    /// A guard in this process's memory, bounded in entries and time.
    #[new]
    #[pyo3(signature = (*, namespace=None))]
    fn new(namespace: Option<&str>) -> PyReplayGuard {
        PyReplayGuard::with(ReplayGuard::in_memory(), Store::Memory, namespace)
    }

    /// A guard in Redis (`redis://host:port/db`), shared by every process using that server.
    #[staticmethod]
    #[pyo3(signature = (url, *, namespace=None))]
    fn redis(py: Python<'_>, url: &str, namespace: Option<&str>) -> PyResult<PyReplayGuard> {
        let guard = ReplayGuard::redis(url).py_err(py)?;
        Ok(PyReplayGuard::with(guard, Store::Redis, namespace))
    }

    /// A guard over your own store: an object with `insert_if_absent(key, ttl_seconds) -> bool`,
    /// or a callable with that signature.
    #[staticmethod]
    #[pyo3(signature = (store, *, namespace=None))]
    fn custom(store: &Bound<'_, PyAny>, namespace: Option<&str>) -> PyResult<PyReplayGuard> {
        let py = store.py();
        let insert_if_absent = if store.hasattr(intern!(py, "insert_if_absent"))? {
            store.getattr(intern!(py, "insert_if_absent"))?
        } else if store.is_callable() {
            store.clone()
        } else {
            return Err(invalid_argument(
                py,
                "a replay store is an object with insert_if_absent(key, ttl_seconds) -> bool, or such a callable",
            ));
        };
        let remove = match store.getattr(intern!(py, "remove")) {
            Ok(remove) if remove.is_callable() && !store.is(&insert_if_absent) => Some(remove.unbind()),
            _ => None,
        };
        let store = PythonStore { insert_if_absent: insert_if_absent.unbind(), remove };
        Ok(PyReplayGuard::with(ReplayGuard::with_store(Arc::new(store)), Store::Python, namespace))
    }

    /// Where the ids are kept: `"memory"`, `"redis"` or `"custom"`.
    #[getter]
    fn store(&self) -> &'static str {
        match self.store {
            Store::Memory => "memory",
            Store::Redis => "redis",
            Store::Python => "custom",
        }
    }

    /// The key a message id is stored under.
    fn key(&self, msg_id: &str) -> String {
        self.guard.key(msg_id)
    }

    /// Forgets a recorded message so its redelivery is handled: for a handler that failed after
    /// verification recorded it. A custom store forgets through its `remove(key)`, if it has one.
    fn release(&self, py: Python<'_>, msg_id: &str) -> PyResult<()> {
        let guard = self.guard.clone();
        let msg_id = msg_id.to_owned();
        py.detach(move || guard.release(&msg_id)).map_err(|err| raise(py, err))
    }

    /// The store and the namespace; never a URL (it may hold a password).
    fn __repr__(&self) -> String {
        format!("ReplayGuard(store={:?}, namespace={:?})", self.store(), self.guard.key(""))
    }
}

/// What a verification gives: the event (when parsed) and the core's `Verified`.
type Outcome = (Option<WebhookEvent>, Verified);

/// Verifies (recording the id in `guard` when there is one), then parses the body into the
/// event when `parse` is set.
fn check<P: HeaderPair>(
    verifier: &Verifier,
    body: &[u8],
    pairs: &[P],
    options: &VerifyOptions,
    parse: bool,
    guard: Option<&ReplayGuard>,
) -> sendivent::Result<Outcome> {
    match (parse, guard) {
        (true, Some(guard)) => {
            verifier.verify_event_once(body, pairs, options, guard).map(|(event, v)| (Some(event), v))
        }
        (true, None) => {
            let verified = verifier.verify_detailed(body, pairs, options)?;
            Ok((Some(webhook::parse_event(body)?), verified))
        }
        (false, Some(guard)) => verifier.verify_once(body, pairs, options, guard).map(|v| (None, v)),
        (false, None) => verifier.verify_detailed(body, pairs, options).map(|v| (None, v)),
    }
}

/// [`check`] from Python objects, returning the event and the `Verified` as their generated
/// classes (built from the core's values, no JSON in between). The body and the headers are read
/// where Python holds them; the GIL is released, over copies of the headers, when the work is
/// large or the guard's store is across a network.
fn run<'py>(
    py: Python<'py>,
    verifier: &Verifier,
    body: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    options: &VerifyOptions,
    parse: bool,
    guard: Option<&PyReplayGuard>,
) -> PyResult<(Option<Bound<'py, PyAny>>, Bound<'py, PyAny>)> {
    let headers = header_pairs(headers)?;
    // Each name and value checked as text once, then read in place by the core.
    let pairs: Vec<(&str, &str)> = headers.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect();
    let body = body_bytes(body)?;
    let bytes = body.as_bytes();
    let store = guard.map(|g| g.store);
    let guard = guard.map(|g| &g.guard);
    STORE_FAILURE.with(|slot| slot.borrow_mut().take());
    let detach = store == Some(Store::Redis) || work(verifier, bytes.len(), &pairs) > DETACH_ABOVE_WORK;
    let outcome = if detach {
        let owned: Vec<(String, String)> = pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        py.detach(|| check(verifier, bytes, &owned, options, parse, guard))
    } else {
        check(verifier, bytes, &pairs, options, parse, guard)
    };
    let (event, verified) = outcome.map_err(|err| raise(py, err))?;
    Ok((event.map(|event| topy::typed(py, &event)).transpose()?, topy::typed(py, &verified)?))
}

fn verifier_for(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Verifier> {
    if let Ok(s) = secret.cast::<PyString>() {
        return Verifier::new(&s.to_cow()?).py_err(py);
    }
    let Ok(secrets) = secret.extract::<Vec<String>>() else {
        return Err(invalid_argument(py, "secret must be a str or a list of str"));
    };
    Verifier::from_secrets(secrets.iter().map(String::as_str)).py_err(py)
}

/// A verifier holding one or more secrets, parsed and keyed once.
#[pyclass(module = "sendivent._native", frozen)]
pub struct NativeVerifier {
    verifier: Verifier,
}

#[pymethods]
impl NativeVerifier {
    /// `NativeVerifier(secret)` or `NativeVerifier([new_secret, old_secret])` while rotating.
    #[new]
    fn new(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(NativeVerifier { verifier: verifier_for(py, secret)? })
    }

    /// Verifies and returns the `WebhookEvent`, its `verified` set.
    #[pyo3(signature = (body, headers, tolerance=None, now=None, skip_timestamp_check=false, replay_guard=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        headers: &Bound<'py, PyAny>,
        tolerance: Option<f64>,
        now: Option<i64>,
        skip_timestamp_check: bool,
        replay_guard: Option<PyRef<'py, PyReplayGuard>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = options(py, tolerance, now, skip_timestamp_check)?;
        event(run(py, &self.verifier, body, headers, &options, true, replay_guard.as_deref())?)
    }

    /// Verifies the signature only (the body is not parsed) and returns the `Verified`.
    #[pyo3(signature = (body, headers, tolerance=None, now=None, skip_timestamp_check=false, replay_guard=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify_signature<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        headers: &Bound<'py, PyAny>,
        tolerance: Option<f64>,
        now: Option<i64>,
        skip_timestamp_check: bool,
        replay_guard: Option<PyRef<'py, PyReplayGuard>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = options(py, tolerance, now, skip_timestamp_check)?;
        Ok(run(py, &self.verifier, body, headers, &options, false, replay_guard.as_deref())?.1)
    }

    /// The core's description of the verifier, secrets redacted.
    fn __repr__(&self) -> String {
        format!("{:?}", self.verifier)
    }
}

/// The event of a parsed verification, with its `Verified` attached (`WebhookEvent.verified`).
fn event<'py>((event, verified): (Option<Bound<'py, PyAny>>, Bound<'py, PyAny>)) -> PyResult<Bound<'py, PyAny>> {
    let py = verified.py();
    match event {
        Some(event) => event.call_method1(intern!(py, "_with_verified"), (verified,)),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A secret the module-level functions have keyed: the `str` it came as (most callers pass the
/// same object every time, found by identity), its text, and the verifier.
struct Cached {
    secret: Py<PyString>,
    text: String,
    verifier: Arc<Verifier>,
}

/// Verifiers by secret, so the module-level functions parse and key each secret once.
static VERIFIERS: Mutex<Vec<Cached>> = Mutex::new(Vec::new());
const MAX_CACHED: usize = 16;

fn cached_verifier(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Arc<Verifier>> {
    let Ok(given) = secret.cast::<PyString>() else {
        // A rotation list: not cached (rare, and the key would need every secret).
        return verifier_for(py, secret).map(Arc::new);
    };
    let mut cache = VERIFIERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(hit) = cache.iter().find(|c| c.secret.bind(py).is(given)) {
        return Ok(Arc::clone(&hit.verifier));
    }
    let text = given.to_cow()?.into_owned();
    if let Some(hit) = cache.iter_mut().find(|c| c.text == text) {
        hit.secret = given.clone().unbind();
        return Ok(Arc::clone(&hit.verifier));
    }
    let verifier = Arc::new(Verifier::new(&text).py_err(py)?);
    if cache.len() >= MAX_CACHED {
        cache.remove(0);
    }
    cache.push(Cached { secret: given.clone().unbind(), text, verifier: Arc::clone(&verifier) });
    Ok(verifier)
}

/// Verifies a webhook and returns the `WebhookEvent`, its `verified` set (`sendivent.webhooks.verify`).
#[pyfunction]
#[pyo3(signature = (body, headers, secret, tolerance=None, now=None, skip_timestamp_check=false, replay_guard=None))]
#[allow(clippy::too_many_arguments)]
pub fn verify<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    tolerance: Option<f64>,
    now: Option<i64>,
    skip_timestamp_check: bool,
    replay_guard: Option<PyRef<'py, PyReplayGuard>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(py, tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    event(run(py, &verifier, body, headers, &options, true, replay_guard.as_deref())?)
}

/// Verifies a webhook's signature without parsing the body; returns the `Verified`.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, tolerance=None, now=None, skip_timestamp_check=false, replay_guard=None))]
#[allow(clippy::too_many_arguments)]
pub fn verify_signature<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    tolerance: Option<f64>,
    now: Option<i64>,
    skip_timestamp_check: bool,
    replay_guard: Option<PyRef<'py, PyReplayGuard>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(py, tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    Ok(run(py, &verifier, body, headers, &options, false, replay_guard.as_deref())?.1)
}

/// Signs `body` as Sendivent does: the `webhook-signature` value.
#[pyfunction]
#[pyo3(signature = (secret, msg_id, timestamp, body))]
pub fn sign(py: Python<'_>, secret: &str, msg_id: &str, timestamp: i64, body: &Bound<'_, PyAny>) -> PyResult<String> {
    let bytes = body_bytes(body)?;
    webhook::sign(secret, msg_id, timestamp, bytes.as_bytes()).py_err(py)
}

fn headers_dict<'py>(py: Python<'py>, signed: webhook::SignedHeaders) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in signed {
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

/// Signs `body` and returns the three headers as a dict.
#[pyfunction]
#[pyo3(signature = (secret, msg_id, timestamp, body))]
pub fn sign_headers<'py>(
    py: Python<'py>,
    secret: &str,
    msg_id: &str,
    timestamp: i64,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let bytes = body_bytes(body)?;
    headers_dict(py, webhook::sign_headers(secret, msg_id, timestamp, bytes.as_bytes()).py_err(py)?)
}

/// A signed delivery of `event` (a dict or a `WebhookEvent`): the body exactly as Sendivent
/// encodes the event, and the three headers. An `event` that is not a webhook event is
/// WEBHOOK_INVALID_PAYLOAD.
#[pyfunction]
#[pyo3(signature = (secret, msg_id, timestamp, event))]
pub fn sign_event<'py>(
    py: Python<'py>,
    secret: &str,
    msg_id: &str,
    timestamp: i64,
    event: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyDict>)> {
    let given = serde_json::to_vec(&py_to_json(event)?).unwrap_or_default();
    let event = webhook::parse_event(&given).py_err(py)?;
    let body = serde_json::to_vec(&event).unwrap_or_default();
    let headers = headers_dict(py, webhook::sign_headers(secret, msg_id, timestamp, &body).py_err(py)?)?;
    Ok((PyBytes::new(py, &body), headers))
}

/// The current unix time in seconds from the platform clock.
#[pyfunction]
pub fn unix_now() -> i64 {
    webhook::unix_now()
}
