//! `sendivent._native`: the compiled half of the `sendivent` Python package.
//!
//! This crate only converts: Python arguments into JSON for the core's generic entry points
//! (`Client::call`, `ClientOptions::from_value`, …), the core's canonical JSON back into Python
//! objects for the generated classes of `sendivent._models`, and `sendivent::Error` into the
//! generated exception classes through `Error::details`. Validation, HTTP, retries, idempotency,
//! pagination, option bounds, redaction and webhook verification all run in the `sendivent` core.

mod client;
mod convert;
mod errors;
mod runtime;
mod topy;
mod webhook;

use pyo3::prelude::*;
use sendivent::client::LogLevel;
use sendivent::models::Channel;
use sendivent::{Error, validate};

use crate::errors::{IntoPyResult, exception};

/// Validates an email address and returns it normalised.
#[pyfunction]
fn validate_email(py: Python<'_>, address: &str) -> PyResult<String> {
    validate::validate_email(address).map(validate::Email::into_string).py_err(py)
}

/// Validates a phone number and returns it in E.164 (`+<digits>`).
#[pyfunction]
fn validate_phone(py: Python<'_>, number: &str) -> PyResult<String> {
    validate::validate_phone(number).map(validate::PhoneNumber::into_string).py_err(py)
}

/// A resolved recipient identifier: its normalised `value` and its `kind`.
#[pyclass(module = "sendivent._native", frozen, eq, hash, name = "Identifier")]
#[derive(PartialEq, Eq, Hash)]
struct PyIdentifier {
    value: String,
    kind: &'static str,
}

#[pymethods]
impl PyIdentifier {
    /// The normalised identifier (E.164 phone, lower-cased UUID, …).
    #[getter]
    fn value(&self) -> &str {
        &self.value
    }

    /// What the identifier names (`email`, `phone`, `uuid`, …).
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn __str__(&self) -> &str {
        &self.value
    }

    fn __repr__(&self) -> String {
        format!("Identifier(value={:?}, kind={:?})", self.value, self.kind)
    }
}

/// Resolves a recipient identifier the way `to` strings and contact identifiers are resolved on
/// a send to `channel` (`None`: every channel of the event), with the core's `resolve_recipient`.
#[pyfunction]
#[pyo3(signature = (identifier, channel=None))]
fn resolve_identifier(py: Python<'_>, identifier: &str, channel: Option<&str>) -> PyResult<PyIdentifier> {
    let channel = channel.map(Channel::from);
    let id = validate::resolve_recipient(identifier, channel.as_ref()).py_err(py)?;
    let kind = id.kind().as_str();
    Ok(PyIdentifier { value: id.into_string(), kind })
}

/// For tests: the body a send with these arguments (as the generated `send` hands them to the
/// core: `{event, channel?, body}`) puts on the wire, or the error raised before sending
/// (`sendivent::models::prepare_send`).
#[pyfunction]
fn _prepare_send<'py>(py: Python<'py>, args: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let args = convert::py_to_json(args)?;
    let channel = args.get("channel").and_then(serde_json::Value::as_str).map(Channel::from);
    let empty = serde_json::Value::Object(serde_json::Map::new());
    let body = args.get("body").unwrap_or(&empty);
    let prepared = sendivent::models::prepare_send(body, channel.as_ref()).py_err(py)?;
    convert::json_to_py(py, &prepared)
}

/// Decodes a response body as the operation (or extra kind) `kind` exactly as the client does,
/// returning the canonical JSON as Python objects.
#[pyfunction]
fn decode_response<'py>(py: Python<'py>, kind: &str, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value = sendivent::models::decode_response(kind, body).py_err(py)?;
    convert::json_to_py(py, &value)
}

/// A secret as the SDK shows it: its prefix and last four characters.
#[pyfunction]
fn redact(secret: &str) -> String {
    sendivent::error::redact(secret)
}

/// The level `SENDIVENT_LOG` asks for (`"debug"`, `"info"`), or `None` for no logging.
#[pyfunction]
fn log_level_from_env() -> Option<&'static str> {
    LogLevel::from_env().map(LogLevel::as_str)
}

/// For tests: the exception the client raises for an HTTP error answer.
#[pyfunction]
#[pyo3(signature = (status, headers, body, send))]
fn _error_from_answer<'py>(
    py: Python<'py>,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
    send: bool,
) -> PyResult<Bound<'py, PyAny>> {
    exception(py, &Error::from_answer(status, headers, body, send))
}

/// For tests: the exception for an error the SDK raises itself, by code (`None` for a code only
/// an API answer carries, or an unknown one).
#[pyfunction]
fn _error_from_code<'py>(py: Python<'py>, code: &str, message: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Error::from_code(code, message).map(|err| exception(py, &err)).transpose()
}

/// The compiled module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", sendivent::VERSION)?;
    m.add_function(wrap_pyfunction!(validate_email, m)?)?;
    m.add_function(wrap_pyfunction!(validate_phone, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_identifier, m)?)?;
    m.add_function(wrap_pyfunction!(decode_response, m)?)?;
    m.add_function(wrap_pyfunction!(redact, m)?)?;
    m.add_function(wrap_pyfunction!(log_level_from_env, m)?)?;
    m.add_function(wrap_pyfunction!(_error_from_answer, m)?)?;
    m.add_function(wrap_pyfunction!(_error_from_code, m)?)?;
    m.add_function(wrap_pyfunction!(_prepare_send, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::verify, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_headers, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_event, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::unix_now, m)?)?;
    m.add_class::<PyIdentifier>()?;
    m.add_class::<webhook::NativeVerifier>()?;
    m.add_class::<webhook::PyReplayGuard>()?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePaginator>()?;
    Ok(())
}
