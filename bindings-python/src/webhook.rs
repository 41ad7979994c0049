//! Webhook verification and signing for `sendivent.webhooks`. Every check is the core's
//! (`sendivent::webhook`): this module turns the body into bytes, hands over every header pair
//! the framework's headers object holds (repeated headers included, in order), and returns the
//! verified event as canonical JSON for the generated `WebhookEvent` class.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};
use sendivent::webhook::{self, Verifier, VerifyOptions};

use crate::convert::{invalid_argument, to_py};
use crate::errors::IntoPyResult;

/// Bodies above this size are verified with the GIL released.
const DETACH_ABOVE: usize = 64 * 1024;

/// The raw body as bytes: `bytes`, `bytearray`, buffers such as `memoryview`, or `str` (UTF-8).
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
    Err(invalid_argument(body.py(), "body must be the raw request body as bytes or str (not a parsed object)"))
}

/// A header name or value as text (`str`, `bytes` as in ASGI scopes, or anything printable).
fn text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(String::from_utf8_lossy(b.as_bytes()).into_owned());
    }
    Ok(value.str()?.to_cow()?.into_owned())
}

/// Django's `request.META` spells `webhook-id` as `HTTP_WEBHOOK_ID`.
fn header_name(name: String) -> String {
    match name.strip_prefix("HTTP_") {
        Some(rest) => rest.replace('_', "-").to_ascii_lowercase(),
        None => name,
    }
}

/// Adds `name: value`, or one pair per element when the value is a list (a dict of lists).
fn push(name: &str, value: &Bound<'_, PyAny>, pairs: &mut Vec<(String, String)>) -> PyResult<()> {
    if value.is_none() {
        return Ok(());
    }
    if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
        for item in value.try_iter()? {
            push(name, &item?, pairs)?;
        }
        return Ok(());
    }
    pairs.push((name.to_owned(), text(value)?));
    Ok(())
}

/// Every header pair, in order, from a list of `(name, value)` pairs (str or bytes, as in ASGI
/// scopes), a multi-dict (`multi_items()`), or any mapping with `items()`: Werkzeug/Flask,
/// Starlette/FastAPI, aiohttp and `email.message` headers objects yield every occurrence there,
/// Django's `request.headers` and `request.META` the values the server joined.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let py = headers.py();
    let items = if headers.cast::<PyList>().is_ok() || headers.cast::<PyTuple>().is_ok() {
        headers.clone()
    } else if let Ok(dict) = headers.cast::<PyDict>() {
        dict.items().into_any()
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
    let mut pairs = Vec::new();
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

/// Verifies, then parses the body into the event's canonical JSON when `parse` is set.
fn run<'py>(
    py: Python<'py>,
    verifier: &Verifier,
    body: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    options: &VerifyOptions,
    parse: bool,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let pairs = header_pairs(headers)?;
    let bytes = body_bytes(body)?;
    let bytes: &[u8] = &bytes;
    let work = || -> sendivent::Result<Option<sendivent::models::WebhookEvent>> {
        verifier.verify(bytes, &pairs, options)?;
        if parse { webhook::parse_event(bytes).map(Some) } else { Ok(None) }
    };
    let event = if bytes.len() > DETACH_ABOVE { py.detach(work) } else { work() }.py_err(py)?;
    event.map(|event| to_py(py, &event)).transpose()
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

    /// Verifies and returns the event's canonical JSON.
    #[pyo3(signature = (body, headers, *, tolerance=None, now=None, skip_timestamp_check=false))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        headers: &Bound<'py, PyAny>,
        tolerance: Option<f64>,
        now: Option<i64>,
        skip_timestamp_check: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = options(py, tolerance, now, skip_timestamp_check)?;
        Ok(run(py, &self.verifier, body, headers, &options, true)?.unwrap_or_else(|| py.None().into_bound(py)))
    }

    /// Verifies the signature only (the body is not parsed).
    #[pyo3(signature = (body, headers, *, tolerance=None, now=None, skip_timestamp_check=false))]
    fn verify_signature(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        tolerance: Option<f64>,
        now: Option<i64>,
        skip_timestamp_check: bool,
    ) -> PyResult<()> {
        let options = options(py, tolerance, now, skip_timestamp_check)?;
        run(py, &self.verifier, body, headers, &options, false).map(|_| ())
    }

    /// The core's description of the verifier, secrets redacted.
    fn __repr__(&self) -> String {
        format!("{:?}", self.verifier)
    }
}

/// Verifiers by secret, so the module-level functions parse and key each secret once.
static VERIFIERS: Mutex<Vec<(String, Arc<Verifier>)>> = Mutex::new(Vec::new());
const MAX_CACHED: usize = 16;

fn cached_verifier(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Arc<Verifier>> {
    let Ok(key) = secret.cast::<PyString>() else {
        // A rotation list: not cached (rare, and the key would need every secret).
        return verifier_for(py, secret).map(Arc::new);
    };
    let key = key.to_cow()?.into_owned();
    let mut cache = VERIFIERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, verifier)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(verifier));
    }
    let verifier = Arc::new(Verifier::new(&key).py_err(py)?);
    if cache.len() >= MAX_CACHED {
        cache.remove(0);
    }
    cache.push((key, Arc::clone(&verifier)));
    Ok(verifier)
}

/// Verifies a webhook and returns the event's canonical JSON (`sendivent.webhooks.verify`).
#[pyfunction]
#[pyo3(signature = (body, headers, secret, *, tolerance=None, now=None, skip_timestamp_check=false))]
pub fn verify<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    tolerance: Option<f64>,
    now: Option<i64>,
    skip_timestamp_check: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = options(py, tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    Ok(run(py, &verifier, body, headers, &options, true)?.unwrap_or_else(|| py.None().into_bound(py)))
}

/// Verifies a webhook's signature without parsing the body.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, *, tolerance=None, now=None, skip_timestamp_check=false))]
pub fn verify_signature(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: Option<f64>,
    now: Option<i64>,
    skip_timestamp_check: bool,
) -> PyResult<()> {
    let options = options(py, tolerance, now, skip_timestamp_check)?;
    let verifier = cached_verifier(py, secret)?;
    run(py, &verifier, body, headers, &options, false).map(|_| ())
}

/// Signs `body` as Sendivent does: the `webhook-signature` value.
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
