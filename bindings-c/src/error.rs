//! Result codes and the error object of the C ABI.
//!
//! `sendivent_result` mirrors core's `ErrorCode` table number for number (a unit test keeps the
//! two in sync and prints the line to add when core grows a code). Numbers are never reused.

use std::ffi::{CString, c_char};

use sendivent::{Error, ErrorCode};

use crate::ffi::ffi_infallible;

/// The outcome of every fallible `sendivent_*` function: `SENDIVENT_OK` (0) or the stable number
/// of one of the SDK's error codes (`sendivent_error_code()` gives its string form).
///
/// New codes may be added in later versions: treat unknown values like
/// `SENDIVENT_ERR_API_ERROR` and read the code string from the error object.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum sendivent_result {
    /// Success.
    SENDIVENT_OK = 0,
    /// `VALIDATION_ERROR`: 400: missing or invalid parameters; also client-side validation of other fields.
    SENDIVENT_ERR_VALIDATION_ERROR = 1,
    /// `UNAUTHORIZED`: 401: invalid or missing API key.
    SENDIVENT_ERR_UNAUTHORIZED = 2,
    /// `QUOTA_EXCEEDED`: 402: contact or daily quota exceeded.
    SENDIVENT_ERR_QUOTA_EXCEEDED = 3,
    /// `FORBIDDEN`: 403: subscription inactive or addon not enabled.
    SENDIVENT_ERR_FORBIDDEN = 4,
    /// `NOT_FOUND`: 404: event, contact or resource not found.
    SENDIVENT_ERR_NOT_FOUND = 5,
    /// `CONFLICT`: 409: the resource already exists (one webhook per application).
    SENDIVENT_ERR_CONFLICT = 6,
    /// `RATE_LIMITED`: 429: too many requests.
    SENDIVENT_ERR_RATE_LIMITED = 7,
    /// `SERVER_ERROR`: 500: internal server error.
    SENDIVENT_ERR_SERVER_ERROR = 8,
    /// `PROVIDER_ERROR`: 502: a third-party provider failed.
    SENDIVENT_ERR_PROVIDER_ERROR = 9,
    /// `MISSING_IDENTIFIER`: The contact lacks the identifier a channel needs.
    SENDIVENT_ERR_MISSING_IDENTIFIER = 20,
    /// `INTEGRATION_MISSING`: The channel has no configured integration.
    SENDIVENT_ERR_INTEGRATION_MISSING = 21,
    /// `ADDON_NOT_ENABLED`: SMS/WhatsApp addon not on the plan.
    SENDIVENT_ERR_ADDON_NOT_ENABLED = 22,
    /// `UNVERIFIED_SENDER`: The sender email/phone is not verified.
    SENDIVENT_ERR_UNVERIFIED_SENDER = 23,
    /// `INVALID_EMAIL`: An email address is not valid (server-side or client-side validation).
    SENDIVENT_ERR_INVALID_EMAIL = 24,
    /// `INVALID_PHONE`: A phone number is not valid E.164 (server-side or client-side validation).
    SENDIVENT_ERR_INVALID_PHONE = 25,
    /// `EVENT_NOT_FOUND`: The event name does not exist.
    SENDIVENT_ERR_EVENT_NOT_FOUND = 26,
    /// `WEBHOOK_MISSING_HEADER`: A required `webhook-*` header is absent.
    SENDIVENT_ERR_WEBHOOK_MISSING_HEADER = 40,
    /// `WEBHOOK_INVALID_TIMESTAMP`: `webhook-timestamp` is not a unix time in seconds.
    SENDIVENT_ERR_WEBHOOK_INVALID_TIMESTAMP = 41,
    /// `WEBHOOK_TIMESTAMP_TOO_OLD`: The timestamp is older than the tolerance allows.
    SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD = 42,
    /// `WEBHOOK_TIMESTAMP_TOO_NEW`: The timestamp is further in the future than the tolerance allows.
    SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_NEW = 43,
    /// `WEBHOOK_INVALID_SIGNATURE_HEADER`: `webhook-signature` has no well-formed `v1,`/`v1a,` entry.
    SENDIVENT_ERR_WEBHOOK_INVALID_SIGNATURE_HEADER = 44,
    /// `WEBHOOK_NO_MATCHING_SIGNATURE`: No signature in the header matches the body with the given secret.
    SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE = 45,
    /// `WEBHOOK_INVALID_SECRET`: The secret cannot be used: not `whsec_`/`whpk_` base64 of a usable key.
    SENDIVENT_ERR_WEBHOOK_INVALID_SECRET = 46,
    /// `WEBHOOK_SECRET_EMPTY`: The secret is empty.
    SENDIVENT_ERR_WEBHOOK_SECRET_EMPTY = 47,
    /// `WEBHOOK_SECRET_IS_API_KEY`: An API key (`live_…`/`test_…`) was passed where the webhook signing secret belongs.
    SENDIVENT_ERR_WEBHOOK_SECRET_IS_API_KEY = 48,
    /// `WEBHOOK_SECRET_IS_SIGNATURE`: A signature (`v1,…`) was pasted where the signing secret belongs.
    SENDIVENT_ERR_WEBHOOK_SECRET_IS_SIGNATURE = 49,
    /// `WEBHOOK_INVALID_PAYLOAD`: The signature is valid but the body is not a JSON webhook event.
    SENDIVENT_ERR_WEBHOOK_INVALID_PAYLOAD = 50,
    /// `MISSING_API_KEY`: No API key was given and `SENDIVENT_API_KEY` is not set.
    SENDIVENT_ERR_MISSING_API_KEY = 60,
    /// `INVALID_API_KEY`: The API key does not start with `live_` or `test_`.
    SENDIVENT_ERR_INVALID_API_KEY = 61,
    /// `INVALID_BASE_URL`: The base URL cannot be parsed or uses an unsupported scheme.
    SENDIVENT_ERR_INVALID_BASE_URL = 62,
    /// `INSECURE_BASE_URL`: Plain `http://` to a non-loopback host without the explicit opt-in.
    SENDIVENT_ERR_INSECURE_BASE_URL = 63,
    /// `INVALID_REQUEST`: A request could not be built from the given input (bad JSON, wrong shape).
    SENDIVENT_ERR_INVALID_REQUEST = 64,
    /// `CONNECTION_ERROR`: The connection failed or was lost before a response arrived.
    SENDIVENT_ERR_CONNECTION_ERROR = 65,
    /// `TIMEOUT`: An attempt took longer than the configured timeout.
    SENDIVENT_ERR_TIMEOUT = 66,
    /// `INVALID_RESPONSE`: The server answered with something that is not the documented shape.
    SENDIVENT_ERR_INVALID_RESPONSE = 67,
    /// `SEND_FAILED`: A send answered `success: false`; the error carries the `errors` list.
    SENDIVENT_ERR_SEND_FAILED = 68,
    /// `API_ERROR`: An API error whose code this SDK version does not know (the raw code is kept).
    SENDIVENT_ERR_API_ERROR = 69,
    /// `INVALID_ARGUMENT`: A binding received an invalid argument (a NULL pointer, invalid UTF-8, a wrong type).
    SENDIVENT_ERR_INVALID_ARGUMENT = 90,
    /// `INTERNAL_ERROR`: A bug: a panic was caught at a binding boundary.
    SENDIVENT_ERR_INTERNAL_ERROR = 91,
}

impl sendivent_result {
    /// Every error value, in number order (`SENDIVENT_OK` excluded).
    pub const ALL_ERRORS: &'static [sendivent_result] = &[
        sendivent_result::SENDIVENT_ERR_VALIDATION_ERROR,
        sendivent_result::SENDIVENT_ERR_UNAUTHORIZED,
        sendivent_result::SENDIVENT_ERR_QUOTA_EXCEEDED,
        sendivent_result::SENDIVENT_ERR_FORBIDDEN,
        sendivent_result::SENDIVENT_ERR_NOT_FOUND,
        sendivent_result::SENDIVENT_ERR_CONFLICT,
        sendivent_result::SENDIVENT_ERR_RATE_LIMITED,
        sendivent_result::SENDIVENT_ERR_SERVER_ERROR,
        sendivent_result::SENDIVENT_ERR_PROVIDER_ERROR,
        sendivent_result::SENDIVENT_ERR_MISSING_IDENTIFIER,
        sendivent_result::SENDIVENT_ERR_INTEGRATION_MISSING,
        sendivent_result::SENDIVENT_ERR_ADDON_NOT_ENABLED,
        sendivent_result::SENDIVENT_ERR_UNVERIFIED_SENDER,
        sendivent_result::SENDIVENT_ERR_INVALID_EMAIL,
        sendivent_result::SENDIVENT_ERR_INVALID_PHONE,
        sendivent_result::SENDIVENT_ERR_EVENT_NOT_FOUND,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_MISSING_HEADER,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_TIMESTAMP,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_NEW,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_SIGNATURE_HEADER,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_SECRET,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_EMPTY,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_IS_API_KEY,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_IS_SIGNATURE,
        sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_PAYLOAD,
        sendivent_result::SENDIVENT_ERR_MISSING_API_KEY,
        sendivent_result::SENDIVENT_ERR_INVALID_API_KEY,
        sendivent_result::SENDIVENT_ERR_INVALID_BASE_URL,
        sendivent_result::SENDIVENT_ERR_INSECURE_BASE_URL,
        sendivent_result::SENDIVENT_ERR_INVALID_REQUEST,
        sendivent_result::SENDIVENT_ERR_CONNECTION_ERROR,
        sendivent_result::SENDIVENT_ERR_TIMEOUT,
        sendivent_result::SENDIVENT_ERR_INVALID_RESPONSE,
        sendivent_result::SENDIVENT_ERR_SEND_FAILED,
        sendivent_result::SENDIVENT_ERR_API_ERROR,
        sendivent_result::SENDIVENT_ERR_INVALID_ARGUMENT,
        sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR,
    ];

    /// The code string of this result (`"OK"` for success).
    pub const fn name(self) -> &'static str {
        match self {
            sendivent_result::SENDIVENT_OK => "OK",
            sendivent_result::SENDIVENT_ERR_VALIDATION_ERROR => "VALIDATION_ERROR",
            sendivent_result::SENDIVENT_ERR_UNAUTHORIZED => "UNAUTHORIZED",
            sendivent_result::SENDIVENT_ERR_QUOTA_EXCEEDED => "QUOTA_EXCEEDED",
            sendivent_result::SENDIVENT_ERR_FORBIDDEN => "FORBIDDEN",
            sendivent_result::SENDIVENT_ERR_NOT_FOUND => "NOT_FOUND",
            sendivent_result::SENDIVENT_ERR_CONFLICT => "CONFLICT",
            sendivent_result::SENDIVENT_ERR_RATE_LIMITED => "RATE_LIMITED",
            sendivent_result::SENDIVENT_ERR_SERVER_ERROR => "SERVER_ERROR",
            sendivent_result::SENDIVENT_ERR_PROVIDER_ERROR => "PROVIDER_ERROR",
            sendivent_result::SENDIVENT_ERR_MISSING_IDENTIFIER => "MISSING_IDENTIFIER",
            sendivent_result::SENDIVENT_ERR_INTEGRATION_MISSING => "INTEGRATION_MISSING",
            sendivent_result::SENDIVENT_ERR_ADDON_NOT_ENABLED => "ADDON_NOT_ENABLED",
            sendivent_result::SENDIVENT_ERR_UNVERIFIED_SENDER => "UNVERIFIED_SENDER",
            sendivent_result::SENDIVENT_ERR_INVALID_EMAIL => "INVALID_EMAIL",
            sendivent_result::SENDIVENT_ERR_INVALID_PHONE => "INVALID_PHONE",
            sendivent_result::SENDIVENT_ERR_EVENT_NOT_FOUND => "EVENT_NOT_FOUND",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_MISSING_HEADER => "WEBHOOK_MISSING_HEADER",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_TIMESTAMP => "WEBHOOK_INVALID_TIMESTAMP",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD => "WEBHOOK_TIMESTAMP_TOO_OLD",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_NEW => "WEBHOOK_TIMESTAMP_TOO_NEW",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_SIGNATURE_HEADER => "WEBHOOK_INVALID_SIGNATURE_HEADER",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE => "WEBHOOK_NO_MATCHING_SIGNATURE",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_SECRET => "WEBHOOK_INVALID_SECRET",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_EMPTY => "WEBHOOK_SECRET_EMPTY",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_IS_API_KEY => "WEBHOOK_SECRET_IS_API_KEY",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_SECRET_IS_SIGNATURE => "WEBHOOK_SECRET_IS_SIGNATURE",
            sendivent_result::SENDIVENT_ERR_WEBHOOK_INVALID_PAYLOAD => "WEBHOOK_INVALID_PAYLOAD",
            sendivent_result::SENDIVENT_ERR_MISSING_API_KEY => "MISSING_API_KEY",
            sendivent_result::SENDIVENT_ERR_INVALID_API_KEY => "INVALID_API_KEY",
            sendivent_result::SENDIVENT_ERR_INVALID_BASE_URL => "INVALID_BASE_URL",
            sendivent_result::SENDIVENT_ERR_INSECURE_BASE_URL => "INSECURE_BASE_URL",
            sendivent_result::SENDIVENT_ERR_INVALID_REQUEST => "INVALID_REQUEST",
            sendivent_result::SENDIVENT_ERR_CONNECTION_ERROR => "CONNECTION_ERROR",
            sendivent_result::SENDIVENT_ERR_TIMEOUT => "TIMEOUT",
            sendivent_result::SENDIVENT_ERR_INVALID_RESPONSE => "INVALID_RESPONSE",
            sendivent_result::SENDIVENT_ERR_SEND_FAILED => "SEND_FAILED",
            sendivent_result::SENDIVENT_ERR_API_ERROR => "API_ERROR",
            sendivent_result::SENDIVENT_ERR_INVALID_ARGUMENT => "INVALID_ARGUMENT",
            sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR => "INTERNAL_ERROR",
        }
    }

    /// The result for a core error code. Every core code has a value (see the sync test); a
    /// code this binding does not know yet falls back to `SENDIVENT_ERR_API_ERROR` for API codes
    /// and `SENDIVENT_ERR_INTERNAL_ERROR` otherwise, and the error object still has its string.
    pub fn from_code(code: ErrorCode) -> sendivent_result {
        Self::ALL_ERRORS.iter().copied().find(|r| *r as u32 == code.number()).unwrap_or(if code.number() < 40 {
            sendivent_result::SENDIVENT_ERR_API_ERROR
        } else {
            sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR
        })
    }
}

/// Details of a failed call: the stable code string, its number, the HTTP status, a message for
/// people, the request id and, for a failed send, the API's `errors` list as JSON.
///
/// Created by the library on failure and handed to the caller through a
/// `sendivent_error **out_err` parameter; free it with `sendivent_error_free`.
pub struct sendivent_error {
    number: u32,
    code: CString,
    message: CString,
    status: u16,
    request_id: Option<CString>,
    details_json: CString,
}

fn c_string_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

impl sendivent_error {
    pub(crate) fn from_core(err: &Error) -> sendivent_error {
        let details = serde_json::to_string(err.send_errors()).unwrap_or_else(|_| "[]".to_owned());
        sendivent_error {
            number: sendivent_result::from_code(err.error_code()) as u32,
            code: c_string_lossy(err.code()),
            message: c_string_lossy(&err.message()),
            status: err.status().unwrap_or(0),
            request_id: err.request_id().map(c_string_lossy),
            details_json: c_string_lossy(&details),
        }
    }
}

/// Borrows a field of an error, or returns `fallback` for a NULL error.
///
/// # Safety
/// `err` is NULL or a live error object.
unsafe fn field(
    err: *const sendivent_error,
    fallback: &'static [u8],
    get: impl FnOnce(&sendivent_error) -> *const c_char,
) -> *const c_char {
    ffi_infallible(fallback.as_ptr().cast(), || {
        // SAFETY: NULL or a pointer from `Box::into_raw` not yet freed (caller's contract).
        match unsafe { err.as_ref() } {
            Some(err) => get(err),
            None => fallback.as_ptr().cast(),
        }
    })
}

/// The stable code string of the error, e.g. `"INVALID_PHONE"`, `"SEND_FAILED"`, or an API
/// code newer than this library exactly as the server sent it.
///
/// Ownership: the string is borrowed from `err` and valid until `sendivent_error_free(err)`;
/// do not free it. Returns `"INVALID_ARGUMENT"` when `err` is NULL.
/// Thread safety: safe to call from any thread while no thread frees `err`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_code(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { field(err, b"INVALID_ARGUMENT\0", |e| e.code.as_ptr()) }
}

/// The error's `sendivent_result` number (the same value the failing call returned).
/// Returns `SENDIVENT_ERR_INVALID_ARGUMENT` when `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_number(err: *const sendivent_error) -> u32 {
    ffi_infallible(sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR as u32, || {
        // SAFETY: NULL or a live error (caller's contract).
        unsafe { err.as_ref() }.map_or(sendivent_result::SENDIVENT_ERR_INVALID_ARGUMENT as u32, |e| e.number)
    })
}

/// The HTTP status of the response the error came from, or 0 when there was none (validation,
/// connection, timeout, webhook errors) or `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_status(err: *const sendivent_error) -> u16 {
    ffi_infallible(0, || {
        // SAFETY: NULL or a live error (caller's contract).
        unsafe { err.as_ref() }.map_or(0, |e| e.status)
    })
}

/// A message for people (never contains the API key or a webhook secret).
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Returns `""` when `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_message(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { field(err, b"\0", |e| e.message.as_ptr()) }
}

/// The `X-Request-Id` of the failed response (quote it in support requests), or NULL when the
/// server sent none or `err` is NULL.
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_request_id(err: *const sendivent_error) -> *const c_char {
    ffi_infallible(std::ptr::null(), || {
        // SAFETY: NULL or a live error (caller's contract).
        unsafe { err.as_ref() }.and_then(|e| e.request_id.as_ref()).map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The send errors of a failed send (`SENDIVENT_ERR_SEND_FAILED`) as a JSON array of
/// `{"code": "...", "message": "..."}` objects, codes exactly as the API sent them; `"[]"` for
/// every other error and for a NULL `err`.
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_details_json(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { field(err, b"[]\0", |e| e.details_json.as_ptr()) }
}

/// Frees an error object. NULL is accepted and ignored. Every string borrowed from the error
/// becomes invalid. Use this function, not `free()`.
/// Thread safety: the caller must ensure no other thread uses `err` at the same time.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_free(err: *mut sendivent_error) {
    ffi_infallible((), || {
        if !err.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `ffi_boundary`, freed at most once
            // (caller's contract).
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

/// The code string of a result number, e.g. `sendivent_result_name(24)` is `"INVALID_EMAIL"`,
/// `0` is `"OK"`; NULL for a number that is not assigned.
///
/// Ownership: a static string; do not free it. Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sendivent_result_name(result: u32) -> *const c_char {
    ffi_infallible(std::ptr::null(), || {
        STATIC_NAMES.iter().find(|(n, _)| *n == result).map_or(std::ptr::null(), |(_, s)| s.as_ptr().cast())
    })
}

/// `(number, "NAME\0")` for every result, OK included: static C strings for `sendivent_result_name`.
static STATIC_NAMES: std::sync::LazyLock<Vec<(u32, Vec<u8>)>> = std::sync::LazyLock::new(|| {
    std::iter::once(sendivent_result::SENDIVENT_OK)
        .chain(sendivent_result::ALL_ERRORS.iter().copied())
        .map(|r| (r as u32, format!("{}\0", r.name()).into_bytes()))
        .collect()
});

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The C enum and core's table must agree: same numbers, same names, nothing missing on
    /// either side. When core gains a code this test prints the line to add.
    #[test]
    fn result_enum_matches_the_core_table() {
        for code in ErrorCode::ALL {
            let found = sendivent_result::ALL_ERRORS.iter().find(|r| **r as u32 == code.number());
            let Some(found) = found else {
                panic!(
                    "core code {} ({}) has no sendivent_result value: add\n    /// `{}`: ...\n    SENDIVENT_ERR_{} = {},\nto bindings-c/src/error.rs and run `make header`",
                    code.as_str(),
                    code.number(),
                    code.as_str(),
                    code.as_str(),
                    code.number()
                );
            };
            assert_eq!(found.name(), code.as_str(), "number {} has different names", code.number());
            assert_eq!(sendivent_result::from_code(*code), *found);
        }
        assert_eq!(sendivent_result::ALL_ERRORS.len(), ErrorCode::ALL.len(), "the C enum has codes core does not");
    }

    #[test]
    fn names_are_nul_terminated_statics() {
        let ptr = sendivent_result_name(24);
        let name = unsafe { std::ffi::CStr::from_ptr(ptr) };
        assert_eq!(name.to_str().unwrap(), "INVALID_EMAIL");
        assert!(sendivent_result_name(12345).is_null());
    }
}
