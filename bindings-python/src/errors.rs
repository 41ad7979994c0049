//! The one conversion from core errors to the Python exception classes of
//! `sendivent._exceptions`. Every exception carries the core's stable `code`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};
use sendivent::{Error, ErrorCode};

use crate::convert::meta_to_py;

static EXCEPTIONS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class name for a code, for every code in [`ErrorCode::ALL`].
///
/// `ErrorCode` is `#[non_exhaustive]`, so the compiler cannot prove this table complete; the
/// Python test `test_every_error_code_maps_to_a_class` walks `ErrorCode::ALL` and fails on any
/// code that reaches the fallback arm.
pub fn class_for_code(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::ValidationError | ErrorCode::InvalidRequest | ErrorCode::InvalidArgument => "InvalidRequestError",
        ErrorCode::InvalidEmail => "InvalidEmailError",
        ErrorCode::InvalidPhone => "InvalidPhoneError",
        ErrorCode::Unauthorized => "AuthenticationError",
        ErrorCode::QuotaExceeded => "QuotaExceededError",
        ErrorCode::Forbidden => "PermissionDeniedError",
        ErrorCode::NotFound => "NotFoundError",
        ErrorCode::Conflict => "ConflictError",
        ErrorCode::RateLimited => "RateLimitError",
        ErrorCode::ServerError => "InternalServerError",
        ErrorCode::ProviderError => "ProviderError",
        ErrorCode::MissingIdentifier
        | ErrorCode::IntegrationMissing
        | ErrorCode::AddonNotEnabled
        | ErrorCode::UnverifiedSender
        | ErrorCode::EventNotFound
        | ErrorCode::SendFailed => "SendFailedError",
        ErrorCode::WebhookMissingHeader
        | ErrorCode::WebhookInvalidTimestamp
        | ErrorCode::WebhookTimestampTooOld
        | ErrorCode::WebhookTimestampTooNew
        | ErrorCode::WebhookInvalidSignatureHeader
        | ErrorCode::WebhookNoMatchingSignature
        | ErrorCode::WebhookInvalidSecret
        | ErrorCode::WebhookSecretEmpty
        | ErrorCode::WebhookSecretIsApiKey
        | ErrorCode::WebhookSecretIsSignature
        | ErrorCode::WebhookInvalidPayload => "WebhookVerificationError",
        ErrorCode::MissingApiKey
        | ErrorCode::InvalidApiKey
        | ErrorCode::InvalidBaseUrl
        | ErrorCode::InsecureBaseUrl => "ConfigurationError",
        ErrorCode::ConnectionError => "APIConnectionError",
        ErrorCode::Timeout => "APITimeoutError",
        ErrorCode::InvalidResponse => "InvalidResponseError",
        ErrorCode::ApiError => "APIError",
        ErrorCode::InternalError => "InternalError",
        _ => "SendiventError",
    }
}

/// The class of an error the API answered, by HTTP status (the reference's error table).
fn class_for_status(status: u16, code: &str) -> &'static str {
    match status {
        200..=299 => "InvalidResponseError",
        400 | 422 => "ValidationError",
        401 => "AuthenticationError",
        402 => "QuotaExceededError",
        403 => "PermissionDeniedError",
        404 => "NotFoundError",
        409 => "ConflictError",
        429 => "RateLimitError",
        502 => "ProviderError",
        500..=599 => "InternalServerError",
        _ if code == ErrorCode::InvalidResponse.as_str() => "InvalidResponseError",
        _ => "APIError",
    }
}

fn class_name(err: &Error) -> &'static str {
    match err {
        Error::Api(api) => class_for_status(api.status, &api.code),
        Error::SendFailed(_) => "SendFailedError",
        Error::Connection { .. } => "APIConnectionError",
        Error::Timeout { .. } => "APITimeoutError",
        Error::Invalid { code, .. } | Error::Webhook { code, .. } | Error::Binding { code, .. } => {
            class_for_code(*code)
        }
        _ => class_for_code(err.error_code()),
    }
}

/// `WEBHOOK_TIMESTAMP_TOO_OLD` → `timestamp_too_old`: the `reason` of a
/// `WebhookVerificationError`.
pub fn webhook_reason(code: ErrorCode) -> String {
    code.as_str().trim_start_matches("WEBHOOK_").to_ascii_lowercase()
}

/// Converts a core error into an instance of the matching `sendivent` exception class.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let module = EXCEPTIONS.get_or_try_init(py, || PyModule::import(py, "sendivent._exceptions").map(Bound::unbind))?;
    let cls = module.bind(py).getattr(class_name(err))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", err.code())?;
    kwargs.set_item("message", err.message())?;
    if let Some(meta) = err.meta() {
        kwargs.set_item("status", meta.status)?;
        kwargs.set_item("request_id", meta.request_id.as_deref())?;
        kwargs.set_item("response", meta_to_py(py, meta)?)?;
    }
    match err {
        Error::Api(api) => {
            if let Some(after) = api.retry_after {
                kwargs.set_item("retry_after", after.as_secs_f64())?;
            }
        }
        Error::SendFailed(failure) => {
            let errors = PyList::empty(py);
            for e in &failure.errors {
                let d = PyDict::new(py);
                d.set_item("code", e.code.as_str())?;
                d.set_item("message", &e.message)?;
                errors.append(d)?;
            }
            kwargs.set_item("errors", errors)?;
        }
        Error::Webhook { code, .. } => kwargs.set_item("reason", webhook_reason(*code))?,
        _ => {}
    }
    let instance = cls.call((err.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// Shorthand for converting `sendivent::Result<T>` while holding the GIL.
pub trait IntoPyResult<T> {
    /// Converts the error side into the matching Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for sendivent::Result<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}
