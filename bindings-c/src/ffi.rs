//! The panic boundary and pointer helpers every exported function goes through (the rules of
//! rustls-ffi, see the crate docs).

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use sendivent::{Error, ErrorCode};
use serde_json::Value;

use crate::error::sendivent_error;
use crate::result_gen::sendivent_result;

/// Runs `body` behind a panic boundary and turns its outcome into a `sendivent_result`.
///
/// On failure the error object is written to `*out_err` when `out_err` is not NULL. A panic
/// becomes `SENDIVENT_ERR_INTERNAL_ERROR`: no unwind ever crosses into C.
pub(crate) fn ffi_boundary<F>(out_err: *mut *mut sendivent_error, body: F) -> sendivent_result
where
    F: FnOnce() -> Result<(), Error>,
{
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_owned());
        Err(Error::Binding {
            code: ErrorCode::InternalError,
            message: format!("a bug in libsendivent was caught at the C boundary: {detail}"),
        })
    });
    match outcome {
        Ok(()) => sendivent_result::SENDIVENT_OK,
        Err(err) => {
            let result = crate::error::result_of(&err);
            if !out_err.is_null() {
                // Converting the error cannot panic in practice, but stay behind a boundary anyway.
                let boxed =
                    catch_unwind(AssertUnwindSafe(|| Box::into_raw(Box::new(sendivent_error::from_core(&err)))))
                        .unwrap_or(std::ptr::null_mut());
                // SAFETY: `out_err` is non-null and the caller promises it points to writable
                // storage for one pointer (documented on every function).
                unsafe { out_err.write(boxed) };
            }
            result
        }
    }
}

/// Runs `body` behind a panic boundary for functions that cannot fail (accessors): a panic
/// yields `default`.
pub(crate) fn ffi_infallible<T, F: FnOnce() -> T>(default: T, body: F) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// The INVALID_ARGUMENT error for a NULL pointer.
pub(crate) fn null_argument(name: &str) -> Error {
    Error::Binding { code: ErrorCode::InvalidArgument, message: format!("`{name}` must not be NULL") }
}

/// Borrows a required NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the returned borrow.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-null, NUL-terminated and alive for 'a by the caller's contract.
    let cstr = unsafe { CStr::from_ptr(ptr) };
    cstr.to_str().map_err(|e| Error::Binding {
        code: ErrorCode::InvalidArgument,
        message: format!("`{name}` is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()),
    })
}

/// Borrows an optional string argument: NULL is `None`.
///
/// # Safety
/// As [`required_str`].
pub(crate) unsafe fn optional_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { required_str(ptr, name) }.map(Some)
}

/// Borrows a byte buffer: `len == 0` accepts NULL (an empty body).
///
/// # Safety
/// `ptr` is NULL (only when `len == 0`) or points to `len` readable bytes alive for 'a.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-null and `len` readable bytes by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Parses an optional JSON argument: NULL is `Value::Null`. Text that is not JSON is an error
/// with `code` (INVALID_REQUEST for arguments of a call, INVALID_ARGUMENT for options).
///
/// # Safety
/// As [`required_str`].
pub(crate) unsafe fn optional_json(ptr: *const c_char, name: &str, code: ErrorCode) -> Result<Value, Error> {
    // SAFETY: forwarded contract.
    match unsafe { optional_str(ptr, name) }? {
        None => Ok(Value::Null),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| Error::Binding { code, message: format!("`{name}` is not valid JSON: {e}") }),
    }
}

/// Encodes a value the library returns as JSON text owned by the caller.
pub(crate) fn owned_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<*mut c_char, Error> {
    let text = serde_json::to_string(value).map_err(|e| Error::Binding {
        code: ErrorCode::InternalError,
        message: format!("cannot encode the answer as JSON: {e}"),
    })?;
    owned_c_string(text)
}

/// Checks that an out-parameter is not NULL before any work is done.
pub(crate) fn check_out<T>(ptr: *mut T, name: &str) -> Result<(), Error> {
    if ptr.is_null() { Err(null_argument(name)) } else { Ok(()) }
}

/// Moves a Rust string into a C string owned by the caller (freed by `sendivent_string_free`).
/// Interior NULs cannot come from serde_json or core's validators, but are refused rather than
/// truncated.
pub(crate) fn owned_c_string(s: String) -> Result<*mut c_char, Error> {
    CString::new(s).map(CString::into_raw).map_err(|_| Error::Binding {
        code: ErrorCode::InternalError,
        message: "a returned string contained a NUL byte".to_owned(),
    })
}

/// Writes `value` to an out-parameter already checked by [`check_out`].
///
/// # Safety
/// `ptr` is non-null and writable.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, value: T) {
    // SAFETY: forwarded contract.
    unsafe { ptr.write(value) }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::error::{sendivent_error_code, sendivent_error_free, sendivent_error_message, sendivent_error_number};

    #[test]
    fn a_panic_becomes_internal_error_and_never_unwinds_into_c() {
        let mut err: *mut sendivent_error = std::ptr::null_mut();
        let result = ffi_boundary(&mut err, || panic!("boom in a test"));
        assert_eq!(result, sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR);
        assert!(!err.is_null());
        unsafe {
            assert_eq!(CStr::from_ptr(sendivent_error_code(err)).to_str().unwrap(), "INTERNAL_ERROR");
            assert_eq!(sendivent_error_number(err), 91);
            assert!(CStr::from_ptr(sendivent_error_message(err)).to_str().unwrap().contains("boom in a test"));
            sendivent_error_free(err);
        }
        // Without an error out-parameter the code still comes back.
        let formatted = ffi_boundary(std::ptr::null_mut(), || panic!("{}", String::from("formatted")));
        assert_eq!(formatted, sendivent_result::SENDIVENT_ERR_INTERNAL_ERROR);
        assert_eq!(ffi_infallible(7, || -> i32 { panic!("accessor") }), 7);
    }

    #[test]
    fn success_leaves_the_error_out_parameter_untouched() {
        let sentinel = std::ptr::dangling_mut::<sendivent_error>();
        let mut err = sentinel;
        assert_eq!(ffi_boundary(&mut err, || Ok(())), sendivent_result::SENDIVENT_OK);
        assert_eq!(err, sentinel);
    }

    #[test]
    fn strings_with_nul_are_refused_not_truncated() {
        assert_eq!(owned_c_string("a\0b".to_owned()).unwrap_err().code(), "INTERNAL_ERROR");
        let bad = [0x61u8, 0xff, 0];
        let err = unsafe { required_str(bad.as_ptr().cast(), "input") }.unwrap_err();
        assert_eq!(err.code(), "INVALID_ARGUMENT");
        assert!(unsafe { bytes(std::ptr::null(), 0, "body") }.unwrap().is_empty());
        assert_eq!(unsafe { bytes(std::ptr::null(), 3, "body") }.unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
