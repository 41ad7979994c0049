//! `sendivent._native`: the compiled half of the `sendivent` Python package.
//!
//! This crate only converts: Python arguments into the core's types, the core's results into
//! Python objects, and `sendivent::Error` into the exception classes of `sendivent._exceptions`.
//! Validation, HTTP, retries, idempotency, pagination and webhook verification all run in the
//! `sendivent` core crate.

mod client;
mod convert;
mod errors;
mod runtime;
mod webhook;

use pyo3::prelude::*;
use pyo3::types::PyList;
use sendivent::ErrorCode;
use sendivent::validate;

use crate::errors::IntoPyResult;

/// Validates an email address (CONTRACT §2) and returns it normalised.
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

    /// One of `slack_channel`, `email`, `phone`, `uuid`, `slack_user`, `external_id`.
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

/// Resolves a recipient identifier the way `to` strings and contact identifiers are resolved.
#[pyfunction]
fn resolve_identifier(py: Python<'_>, identifier: &str) -> PyResult<PyIdentifier> {
    let id = validate::resolve_identifier(identifier).py_err(py)?;
    let kind = id.kind().as_str();
    Ok(PyIdentifier { value: id.into_string(), kind })
}

/// Every stable error code of the core, in number order (`ErrorCode::ALL`).
#[pyfunction]
fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    PyList::new(py, ErrorCode::ALL.iter().map(|c| c.as_str()))
}

/// The exception class name the binding raises for a code (for the drift test).
#[pyfunction]
fn exception_class_name(code: &str) -> Option<&'static str> {
    ErrorCode::from_code_str(code).map(errors::class_for_code)
}

/// Decodes a response body as the shape named by `kind` exactly as the client does, returning the
/// canonical JSON as Python objects (the `decode_response` vectors run through this).
#[pyfunction]
fn decode_response<'py>(py: Python<'py>, kind: &str, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value = sendivent::models::decode_response(kind, body).py_err(py)?;
    convert::json_to_py(py, &value)
}

/// The compiled module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", sendivent::VERSION)?;
    m.add_function(wrap_pyfunction!(validate_email, m)?)?;
    m.add_function(wrap_pyfunction!(validate_phone, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_identifier, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(decode_response, m)?)?;
    m.add_function(wrap_pyfunction!(exception_class_name, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::verify, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_headers, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::unix_now, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_drain, m)?)?;
    let drain = m.getattr("_drain")?;
    m.py().import("atexit")?.call_method1("register", (drain,))?;
    m.add_class::<PyIdentifier>()?;
    m.add_class::<webhook::PyWebhook>()?;
    m.add_class::<webhook::PyWebhookEvent>()?;
    m.add_class::<webhook::PyWebhookDelivery>()?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePaginator>()?;
    Ok(())
}
