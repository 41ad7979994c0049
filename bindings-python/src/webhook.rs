//! Webhook verification and signing: `sendivent.webhooks` in Python. All checks are the core's
//! (`sendivent::webhook`); this module extracts the three headers from whatever mapping the web
//! framework hands over and converts the result.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};
use sendivent::models::{WebhookDelivery, WebhookEvent};
use sendivent::webhook::{self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Verifier, VerifyOptions};

use crate::errors::IntoPyResult;

/// Bodies above this size are verified with the GIL released.
const DETACH_ABOVE: usize = 64 * 1024;

/// The raw body as bytes: `bytes`, `bytearray`, `memoryview`-like buffers or `str` (UTF-8).
fn body_bytes<'a>(body: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = body.cast::<PyString>() {
        return Ok(Cow::Owned(s.to_cow()?.as_bytes().to_vec()));
    }
    if let Ok(b) = body.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if let Ok(v) = body.extract::<Vec<u8>>() {
        return Ok(Cow::Owned(v));
    }
    Err(PyTypeError::new_err("body must be the raw request body as bytes or str (not a parsed object)"))
}

fn header_text(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Some(String::from_utf8_lossy(b.as_bytes()).into_owned()));
    }
    // Multi-value containers (e.g. a list from `headers.getlist`): the first value wins.
    if let Ok(l) = value.cast::<PyList>() {
        return match l.iter().next() {
            Some(first) => header_text(&first),
            None => Ok(None),
        };
    }
    Ok(Some(value.str()?.to_cow()?.into_owned()))
}

/// Django's `request.META` spells `webhook-id` as `HTTP_WEBHOOK_ID`.
fn meta_name(name: &str) -> String {
    format!("HTTP_{}", name.to_ascii_uppercase().replace('-', "_"))
}

/// The three Standard Webhooks header values from a dict, any mapping with `.get` (Werkzeug,
/// Django and Starlette header objects are case-insensitive already), Django's `META`, or a list
/// of `(name, value)` pairs (str or bytes, as in ASGI scopes).
fn extract_headers(headers: &Bound<'_, PyAny>) -> PyResult<[Option<String>; 3]> {
    const NAMES: [&str; 3] = [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE];
    let mut found: [Option<String>; 3] = [None, None, None];
    if headers.cast::<PyList>().is_ok() || headers.cast::<PyTuple>().is_ok() {
        for pair in headers.try_iter()? {
            let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
            let Some(name) = header_text(&name)? else { continue };
            if let Some(slot) = NAMES.iter().position(|n| name.trim().eq_ignore_ascii_case(n)) {
                if found[slot].is_none() {
                    found[slot] = header_text(&value)?;
                }
            }
        }
        return Ok(found);
    }
    let dict = headers.cast::<PyDict>().ok();
    let py = headers.py();
    // Interned key objects: no string is created per lookup on the hot path.
    let keys = [intern!(py, "webhook-id"), intern!(py, "webhook-timestamp"), intern!(py, "webhook-signature")];
    for (slot, name) in NAMES.iter().enumerate() {
        let value = match dict {
            Some(d) => d.get_item(keys[slot])?,
            None => match headers.call_method1(pyo3::intern!(headers.py(), "get"), (*name,)) {
                Ok(v) => Some(v),
                Err(_) => {
                    return Err(PyTypeError::new_err(
                        "headers must be a mapping (dict, framework headers object) or a list of (name, value) pairs",
                    ));
                }
            },
        };
        found[slot] = match value {
            Some(v) => header_text(&v)?,
            None => None,
        };
    }
    if found.iter().any(Option::is_none) {
        // A plain dict with other capitalisation, or Django's META: one pass over the items.
        if let Some(d) = dict {
            for (name, value) in d.iter() {
                let Some(name) = header_text(&name)? else { continue };
                let name = name.trim();
                for (slot, wanted) in NAMES.iter().enumerate() {
                    if found[slot].is_none() && (name.eq_ignore_ascii_case(wanted) || name == meta_name(wanted)) {
                        found[slot] = header_text(&value)?;
                    }
                }
            }
            return Ok(found);
        }
        let items = headers.call_method0(pyo3::intern!(headers.py(), "items"))?;
        for pair in items.try_iter()? {
            let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
            let Some(name) = header_text(&name)? else { continue };
            let name = name.trim();
            for (slot, wanted) in NAMES.iter().enumerate() {
                if found[slot].is_none() && (name.eq_ignore_ascii_case(wanted) || name == meta_name(wanted)) {
                    found[slot] = header_text(&value)?;
                }
            }
        }
    }
    Ok(found)
}

fn options(tolerance: f64, now: Option<i64>, skip_timestamp_check: bool) -> PyResult<VerifyOptions> {
    if !tolerance.is_finite() || tolerance < 0.0 {
        return Err(PyValueError::new_err(
            "tolerance must be a non-negative number of seconds (use skip_timestamp_check=True to skip the check)",
        ));
    }
    let mut options = VerifyOptions::default().tolerance(Duration::from_secs_f64(tolerance));
    if let Some(now) = now {
        options = options.now(now);
    }
    Ok(options.skip_timestamp_check(skip_timestamp_check))
}

fn pairs(found: &[Option<String>; 3]) -> Vec<(&'static str, &str)> {
    [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE]
        .into_iter()
        .zip(found.iter())
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
        .collect()
}

/// Verifies Standard Webhooks signatures with one or more secrets, parsed once.
#[pyclass(module = "sendivent._native", frozen, name = "Webhook")]
pub struct PyWebhook {
    verifier: Verifier,
}

impl PyWebhook {
    /// Verifies, then parses the body when `parse` is set.
    fn run(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        options: &VerifyOptions,
        parse: bool,
    ) -> PyResult<Option<WebhookEvent>> {
        run_with(py, &self.verifier, body, headers, options, parse)
    }
}

#[pymethods]
impl PyWebhook {
    /// `Webhook(secret)` or `Webhook([new_secret, old_secret])` while rotating keys.
    #[new]
    fn new(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let verifier = if let Ok(s) = secret.cast::<PyString>() {
            Verifier::new(&s.to_cow()?)
        } else {
            let secrets: Vec<String> =
                secret.extract().map_err(|_| PyTypeError::new_err("secret must be a str or a list of str"))?;
            Verifier::from_secrets(secrets.iter().map(String::as_str))
        };
        Ok(PyWebhook { verifier: verifier.py_err(py)? })
    }

    /// Verifies the signature and returns the parsed, typed event.
    #[pyo3(signature = (body, headers, *, tolerance=300.0, now=None, skip_timestamp_check=false))]
    fn verify(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        tolerance: f64,
        now: Option<i64>,
        skip_timestamp_check: bool,
    ) -> PyResult<PyWebhookEventInit> {
        let options = options(tolerance, now, skip_timestamp_check)?;
        match self.run(py, body, headers, &options, true)? {
            Some(event) => Ok(PyWebhookEvent::from(event)),
            None => Err(PyValueError::new_err("the webhook event was not parsed")),
        }
    }

    /// Verifies the signature only (the body is not parsed). Raises on failure.
    #[pyo3(signature = (body, headers, *, tolerance=300.0, now=None, skip_timestamp_check=false))]
    fn verify_signature(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        tolerance: f64,
        now: Option<i64>,
        skip_timestamp_check: bool,
    ) -> PyResult<()> {
        let options = options(tolerance, now, skip_timestamp_check)?;
        self.run(py, body, headers, &options, false).map(|_| ())
    }

    fn __repr__(&self) -> String {
        format!("Webhook({:?})", self.verifier)
    }
}

/// Verifiers by secret, so the module-level functions parse and key each secret once.
static VERIFIERS: Mutex<Vec<(String, Arc<Verifier>)>> = Mutex::new(Vec::new());
const MAX_CACHED: usize = 16;

fn cached_verifier(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Arc<Verifier>> {
    let key = if let Ok(s) = secret.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else {
        // A rotation list: not cached (rare, and the key would need every secret).
        let verifier = PyWebhook::new(py, secret)?.verifier;
        return Ok(Arc::new(verifier));
    };
    let mut cache = VERIFIERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, v)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(v));
    }
    let verifier = Arc::new(Verifier::new(&key).py_err(py)?);
    if cache.len() >= MAX_CACHED {
        cache.remove(0);
    }
    cache.push((key, Arc::clone(&verifier)));
    Ok(verifier)
}

fn run_with(
    py: Python<'_>,
    verifier: &Verifier,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    options: &VerifyOptions,
    parse: bool,
) -> PyResult<Option<WebhookEvent>> {
    let found = extract_headers(headers)?;
    let bytes = body_bytes(body)?;
    let pairs = pairs(&found);
    let bytes: &[u8] = &bytes;
    let work = || -> sendivent::Result<Option<WebhookEvent>> {
        verifier.verify(bytes, &pairs, options)?;
        if parse { webhook::parse_event(bytes).map(Some) } else { Ok(None) }
    };
    let result = if bytes.len() > DETACH_ABOVE { py.detach(work) } else { work() };
    result.py_err(py)
}

/// Verifies a webhook and returns the typed event.
///
/// `body` is the raw request body (bytes or str); `headers` any headers mapping (dict, the
/// Flask/Werkzeug, Django or Starlette headers objects, Django's `META`) or a list of pairs;
/// `secret` the `whsec_…` secret or a list of secrets while rotating. `tolerance` is in seconds
/// either way (0 means exactly now; it never disables the check); `now` pins the clock.
/// Raises `WebhookVerificationError`.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, *, tolerance=300.0, now=None, skip_timestamp_check=false))]
pub fn verify(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: f64,
    now: Option<i64>,
    skip_timestamp_check: bool,
) -> PyResult<PyWebhookEventInit> {
    let options = options(tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    match run_with(py, &verifier, body, headers, &options, true)? {
        Some(event) => Ok(PyWebhookEvent::from(event)),
        None => Err(PyValueError::new_err("the webhook event was not parsed")),
    }
}

/// Like `verify`, without parsing the body: returns `None` or raises `WebhookVerificationError`.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, *, tolerance=300.0, now=None, skip_timestamp_check=false))]
pub fn verify_signature(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: f64,
    now: Option<i64>,
    skip_timestamp_check: bool,
) -> PyResult<()> {
    let options = options(tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    run_with(py, &verifier, body, headers, &options, false).map(|_| ())
}

/// Signs `body` as Sendivent does: the `webhook-signature` value (`v1,<base64>`).
#[pyfunction]
#[pyo3(signature = (secret, msg_id, timestamp, body))]
pub fn sign(py: Python<'_>, secret: &str, msg_id: &str, timestamp: i64, body: &Bound<'_, PyAny>) -> PyResult<String> {
    let bytes = body_bytes(body)?;
    webhook::sign(secret, msg_id, timestamp, &bytes).py_err(py)
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
    let signed = webhook::sign_headers(secret, msg_id, timestamp, &bytes).py_err(py)?;
    let dict = PyDict::new(py);
    for (name, value) in signed {
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

/// The current unix time in seconds from the platform clock.
#[pyfunction]
pub fn unix_now() -> i64 {
    webhook::unix_now()
}

fn opt_eq(a: &Option<String>, b: &Option<String>) -> bool {
    a == b
}

fn set_opt(dict: &Bound<'_, PyDict>, key: &str, value: &Option<String>) -> PyResult<()> {
    dict.set_item(key, value.as_deref())
}

/// The delivery a webhook event is about.
#[pyclass(module = "sendivent._native", frozen, eq, name = "WebhookDelivery")]
#[derive(PartialEq)]
pub struct PyWebhookDelivery {
    inner: WebhookDelivery,
}

#[pymethods]
impl PyWebhookDelivery {
    /// Delivery UUID.
    #[getter]
    fn uuid(&self) -> &str {
        &self.inner.uuid
    }
    /// Channel (`email`, `sms`, …; unknown channels kept as sent).
    #[getter]
    fn channel(&self) -> &str {
        self.inner.channel.as_str()
    }
    /// Status after the change.
    #[getter]
    fn status(&self) -> &str {
        self.inner.status.as_str()
    }
    /// The event that caused the delivery.
    #[getter]
    fn event_name(&self) -> Option<&str> {
        self.inner.event_name.as_deref()
    }
    /// Provider message id.
    #[getter]
    fn message_id(&self) -> Option<&str> {
        self.inner.message_id.as_deref()
    }
    /// When it was sent (RFC 3339).
    #[getter]
    fn sent_at(&self) -> Option<&str> {
        self.inner.sent_at.as_deref()
    }
    /// When it was delivered (RFC 3339).
    #[getter]
    fn delivered_at(&self) -> Option<&str> {
        self.inner.delivered_at.as_deref()
    }
    /// Why it failed.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
    }

    /// The fields as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("uuid", &self.inner.uuid)?;
        d.set_item("channel", self.inner.channel.as_str())?;
        d.set_item("status", self.inner.status.as_str())?;
        set_opt(&d, "event_name", &self.inner.event_name)?;
        set_opt(&d, "message_id", &self.inner.message_id)?;
        set_opt(&d, "sent_at", &self.inner.sent_at)?;
        set_opt(&d, "delivered_at", &self.inner.delivered_at)?;
        set_opt(&d, "error", &self.inner.error)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "WebhookDelivery(uuid={:?}, channel={:?}, status={:?}, event_name={:?})",
            self.inner.uuid,
            self.inner.channel.as_str(),
            self.inner.status.as_str(),
            self.inner.event_name
        )
    }
}

/// A verified webhook event: `event` (e.g. `delivery.delivered`), the `delivery`, the send's
/// `request_id` and the `timestamp`.
#[pyclass(module = "sendivent._native", frozen, name = "WebhookEvent")]
pub struct PyWebhookEvent {
    inner: WebhookEvent,
    delivery: Py<PyWebhookDelivery>,
}

impl PyWebhookEvent {
    fn from(event: WebhookEvent) -> PyWebhookEventInit {
        PyWebhookEventInit(event)
    }
}

/// A parsed event not yet turned into its Python object.
pub struct PyWebhookEventInit(WebhookEvent);

impl<'py> IntoPyObject<'py> for PyWebhookEventInit {
    type Target = PyWebhookEvent;
    type Output = Bound<'py, PyWebhookEvent>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyWebhookEvent>> {
        let delivery = Py::new(py, PyWebhookDelivery { inner: self.0.delivery.clone() })?;
        Bound::new(py, PyWebhookEvent { inner: self.0, delivery })
    }
}

#[pymethods]
impl PyWebhookEvent {
    /// The event type, e.g. `delivery.delivered` (unknown types kept as sent).
    #[getter]
    fn event(&self) -> &str {
        self.inner.event.as_str()
    }
    /// The delivery it is about.
    #[getter]
    fn delivery(&self, py: Python<'_>) -> Py<PyWebhookDelivery> {
        self.delivery.clone_ref(py)
    }
    /// The request id of the send.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// When the event happened (RFC 3339).
    #[getter]
    fn timestamp(&self) -> Option<&str> {
        self.inner.timestamp.as_deref()
    }

    /// The fields as a dict (the delivery as a nested dict).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("event", self.inner.event.as_str())?;
        d.set_item("delivery", self.delivery.bind(py).get().to_dict(py)?)?;
        set_opt(&d, "request_id", &self.inner.request_id)?;
        set_opt(&d, "timestamp", &self.inner.timestamp)?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<PyWebhookEvent>() {
            Ok(o) => {
                let o = o.get();
                self.inner.event == o.inner.event
                    && self.inner.delivery == o.inner.delivery
                    && opt_eq(&self.inner.request_id, &o.inner.request_id)
                    && opt_eq(&self.inner.timestamp, &o.inner.timestamp)
            }
            Err(_) => false,
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "WebhookEvent(event={:?}, delivery=WebhookDelivery(uuid={:?}, channel={:?}, status={:?}), request_id={:?})",
            self.inner.event.as_str(),
            self.inner.delivery.uuid,
            self.inner.delivery.channel.as_str(),
            self.inner.delivery.status.as_str(),
            self.inner.request_id
        )
    }
}
