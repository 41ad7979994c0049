//! The error object of the C ABI: everything core's `Error::details()` says about a failure,
//! with C strings borrowed from the object. The result codes themselves (`sendivent_result`)
//! are generated from core's error table (`result_gen.rs`).

use std::ffi::{CString, c_char};

use sendivent::{Error, ErrorClass, ErrorCode};

use crate::ffi::{ffi_boundary, ffi_infallible, optional_json, optional_str, required_str};
use crate::result_gen::sendivent_result;

/// The result a failing call returns for `err`: the number of its code in core's table.
pub(crate) fn result_of(err: &Error) -> sendivent_result {
    sendivent_result::from_number(err.error_code().number()).unwrap_or(sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR)
}

/// Details of a failed call, as core describes every error (`ErrorDetails`): the stable code,
/// its result number, the error class, the HTTP status, messages, the request id, whether a
/// retry may succeed, and the whole description as JSON.
///
/// Created by the library on failure and handed to the caller through a
/// `sendivent_error **out_err` parameter; free it with `sendivent_error_free`.
pub struct sendivent_error {
    result: sendivent_result,
    class: ErrorClass,
    retryable: bool,
    status: u16,
    code: CString,
    class_name: CString,
    message: CString,
    display: CString,
    request_id: Option<CString>,
    details_json: CString,
}

fn c_string_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

impl sendivent_error {
    pub(crate) fn from_core(err: &Error) -> sendivent_error {
        let details = err.details();
        let details_json = serde_json::to_string(&details).unwrap_or_else(|_| "{}".to_owned());
        sendivent_error {
            result: result_of(err),
            class: err.class(),
            retryable: details.retryable,
            status: details.status.unwrap_or(0),
            code: c_string_lossy(&details.code),
            class_name: c_string_lossy(details.class),
            message: c_string_lossy(&details.message),
            display: c_string_lossy(&details.display),
            request_id: details.request_id.as_deref().map(c_string_lossy),
            details_json: c_string_lossy(&details_json),
        }
    }
}

/// Reads a field of an error, or returns `fallback` for a NULL error.
///
/// # Safety
/// `err` is NULL or a live error object.
unsafe fn read<T: Copy>(err: *const sendivent_error, fallback: T, get: impl FnOnce(&sendivent_error) -> T) -> T {
    ffi_infallible(fallback, || {
        // SAFETY: NULL or a pointer from `Box::into_raw` not yet freed (caller's contract).
        unsafe { err.as_ref() }.map_or(fallback, get)
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
    unsafe { read(err, c"INVALID_ARGUMENT".as_ptr(), |e| e.code.as_ptr()) }
}

/// The error's `sendivent_result` number (the same value the failing call returned).
/// Returns `SENDIVENT_ERR_INVALID_ARGUMENT` when `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_number(err: *const sendivent_error) -> u32 {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, sendivent_result::SENDIVENT_ERR_INVALID_ARGUMENT as u32, |e| e.result as u32) }
}

/// The class the error is raised as in every language, e.g. `"NotFoundError"`,
/// `"InvalidPhoneError"` (docs/errors.md lists the classes and their parents; an API answer's
/// class follows its HTTP status). Use `sendivent_error_is_a` to test for a class and its
/// descendants.
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Returns `"ValidationError"` (the class of INVALID_ARGUMENT) when `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_class(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, c"ValidationError".as_ptr(), |e| e.class_name.as_ptr()) }
}

/// Whether the error's class is `class_name` or derives from it: with a `NotFoundError`,
/// `"NotFoundError"`, `"APIError"` and `"SendiventError"` are true. False for a NULL `err`, a
/// NULL `class_name` or a name that is not a class.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed; `class_name`
/// is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_is_a(err: *const sendivent_error, class_name: *const c_char) -> bool {
    ffi_infallible(false, || {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let Ok(Some(name)) = (unsafe { optional_str(class_name, "class_name") }) else { return false };
        let Some(ancestor) = ErrorClass::ALL.iter().copied().find(|c| c.name() == name) else { return false };
        // SAFETY: forwarded contract of the accessor.
        unsafe { read(err, false, |e| e.class.is_a(ancestor)) }
    })
}

/// Whether the same call may succeed when retried later (connection errors, timeouts, 408,
/// 429, 5xx), as core judges it. The client has already made the retries that were safe.
/// False for a NULL `err`. Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_is_retryable(err: *const sendivent_error) -> bool {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, false, |e| e.retryable) }
}

/// The HTTP status of the response the error came from, or 0 when there was none (validation,
/// connection, timeout, webhook errors) or `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_status(err: *const sendivent_error) -> u16 {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, 0, |e| e.status) }
}

/// A message for people, without the code (never contains the API key or a webhook secret).
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
    unsafe { read(err, c"".as_ptr(), |e| e.message.as_ptr()) }
}

/// The whole error on one line for logs: `CODE: message (HTTP status, request id …)`, what
/// other languages show for the error.
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Returns `""` when `err` is NULL.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_display(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, c"".as_ptr(), |e| e.display.as_ptr()) }
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
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, std::ptr::null(), |e| e.request_id.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())) }
}

/// Everything about the error as one JSON object, core's `ErrorDetails` (the same data every
/// language raises its errors from): `code`, `class`, `message`, `display`, `status`,
/// `request_id`, `retryable`, `retry_after` (seconds), `errors` (a failed send's reasons,
/// `[{code, message}]`), `reason` (webhook errors), `timeout`, `elapsed` (timeouts) and
/// `response` (status, headers, request id of the failed response). `"{}"` for a NULL `err`.
///
/// Ownership: borrowed from `err`, valid until `sendivent_error_free(err)`; do not free it.
/// Thread safety: as `sendivent_error_code`.
///
/// # Safety
/// `err` is NULL or an error object from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_details_json(err: *const sendivent_error) -> *const c_char {
    // SAFETY: forwarded contract of the accessor.
    unsafe { read(err, c"{}".as_ptr(), |e| e.details_json.as_ptr()) }
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
        sendivent_result::from_number(result).map_or(std::ptr::null(), |r| r.name().as_ptr())
    })
}

/// For tests of a binding's error mapping: builds the error the client builds from an HTTP
/// error answer (core's `Error::from_answer`), without a server. Returns that error's result,
/// as the failing call would, and writes the error to `out_err`.
///
/// - `status`: the HTTP status of the answer.
/// - `headers_json`: may be NULL; the answer's headers as a JSON array of `[name, value]`
///   pairs (`Retry-After` is read from them).
/// - `body`: may be NULL (an empty body); the answer's body, NUL-terminated.
/// - `is_send`: whether the answer is to a send (a send's `success: false` reasons are read).
/// - `out_err`: may be NULL; receives the error object, to release with `sendivent_error_free`.
///
/// A malformed `headers_json` is `SENDIVENT_ERR_INVALID_ARGUMENT`. Thread safety: safe from any
/// thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_from_answer(
    status: u16,
    headers_json: *const c_char,
    body: *const c_char,
    is_send: bool,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        // SAFETY: NULL or NUL-terminated (caller's contract), for both.
        let (headers, body) = unsafe {
            (optional_json(headers_json, "headers_json", ErrorCode::InvalidArgument)?, optional_str(body, "body")?)
        };
        let headers: Vec<(String, String)> = match headers {
            serde_json::Value::Null => Vec::new(),
            other => serde_json::from_value(other).map_err(|e| Error::Binding {
                code: ErrorCode::InvalidArgument,
                message: format!("`headers_json` must be a list of [name, value] pairs: {e}"),
            })?,
        };
        Err(Error::from_answer(status, headers, body.unwrap_or_default().as_bytes(), is_send))
    })
}

/// For tests of a binding's error mapping: builds an error the SDK raises itself, by code
/// (core's `Error::from_code`). Returns that error's result and writes the error to `out_err`.
///
/// - `code`: must not be NULL; a code of the table (`"INVALID_PHONE"`, `"TIMEOUT"`, …). A code
///   that is not in the table, or that only an API answer carries (`SEND_FAILED`, `API_ERROR`),
///   is `SENDIVENT_ERR_INVALID_ARGUMENT`.
/// - `message`: may be NULL (an empty message).
/// - `out_err`: may be NULL; receives the error object, to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_error_from_code(
    code: *const c_char,
    message: *const c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        // SAFETY: NULL or NUL-terminated (caller's contract), for both.
        let (code, message) = unsafe { (required_str(code, "code")?, optional_str(message, "message")?) };
        Err(Error::from_code(code, message.unwrap_or_default()).unwrap_or_else(|| Error::Binding {
            code: ErrorCode::InvalidArgument,
            message: format!("{code:?} is not a code the SDK raises itself"),
        }))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::ffi::CStr;

    /// The generated enum and core's table agree: same numbers, same names, nothing missing on
    /// either side (`make generate` keeps them so; this catches a stale build).
    #[test]
    fn result_enum_matches_the_core_table() {
        for code in ErrorCode::ALL {
            let result = sendivent_result::from_number(code.number()).expect("every core code has a result");
            assert_eq!(result.name().to_str().unwrap(), code.as_str());
        }
        let assigned = (0..1000).filter(|n| sendivent_result::from_number(*n).is_some()).count();
        assert_eq!(assigned, ErrorCode::ALL.len() + 1, "the C enum has codes core does not");
    }

    #[test]
    fn names_are_nul_terminated_statics() {
        let name = unsafe { CStr::from_ptr(sendivent_result_name(24)) };
        assert_eq!(name.to_str().unwrap(), "INVALID_EMAIL");
        assert!(sendivent_result_name(12345).is_null());
        assert_eq!(sendivent_result::SENDIVENT_OK.name().to_str().unwrap(), "OK");
    }

    #[test]
    fn errors_from_answers_carry_the_class_and_details() {
        let mut err: *mut sendivent_error = std::ptr::null_mut();
        let res = unsafe {
            sendivent_error_from_answer(
                429,
                c"[[\"Retry-After\", \"2\"]]".as_ptr(),
                c"{\"error\": \"slow\", \"code\": \"RATE_LIMITED\"}".as_ptr(),
                false,
                &mut err,
            )
        };
        assert_eq!(res, sendivent_result::SENDIVENT_ERR_RATE_LIMITED);
        unsafe {
            assert_eq!(CStr::from_ptr(sendivent_error_class(err)).to_str().unwrap(), "RateLimitError");
            assert!(sendivent_error_is_a(err, c"APIError".as_ptr()));
            assert!(!sendivent_error_is_a(err, c"ValidationError".as_ptr()));
            assert!(sendivent_error_is_retryable(err));
            let details: serde_json::Value =
                serde_json::from_str(CStr::from_ptr(sendivent_error_details_json(err)).to_str().unwrap()).unwrap();
            assert_eq!(details["retry_after"], 2.0);
            sendivent_error_free(err);
        }
        let res = unsafe { sendivent_error_from_code(c"SEND_FAILED".as_ptr(), std::ptr::null(), std::ptr::null_mut()) };
        assert_eq!(res, sendivent_result::SENDIVENT_ERR_INVALID_ARGUMENT);
    }
}
