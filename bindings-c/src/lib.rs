//! # sendivent-c: the C ABI of the Sendivent SDK
//!
//! Builds `libsendivent.so` and `libsendivent.a`; cbindgen turns the doc comments of this crate
//! into the committed header `include/sendivent.h`. Every behaviour comes from the core crate
//! `sendivent`; this crate only converts arguments and results. The result codes, the
//! identifier kinds and one function per API operation are generated from core's description
//! (`*_gen.rs`, `make generate`); the rest is the generic code they call.
//!
//! The rules of the ABI (rustls-ffi's, see `bindings-c/README.md`):
//! - every symbol starts with `sendivent_`, and functions are named after the type they act on;
//! - handles are opaque (`sendivent_client`, `sendivent_paginator`, `sendivent_error`, …),
//!   created by the library and released by their `*_free` function, which accepts NULL;
//! - fallible functions return `sendivent_result`: 0 (`SENDIVENT_OK`) or the stable number of a
//!   core error code; details go to an optional `sendivent_error **out_err`;
//! - outputs go through out-parameters, written only on success;
//! - every pointer is checked: NULL where a value is required is `SENDIVENT_ERR_INVALID_ARGUMENT`;
//! - every function runs behind a panic boundary: a bug is `SENDIVENT_ERR_INTERNAL_ERROR`, never
//!   an unwind into C (release builds keep `panic = "unwind"` for this);
//! - every string the library returns is freed with `sendivent_string_free`, never `free()`.

// An FFI crate cannot avoid `unsafe`: it dereferences pointers handed over by C. The workspace
// denies unsafe code everywhere else; here each unsafe block carries a SAFETY comment, and
// unsafe operations inside unsafe functions still need their own block.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]

pub mod client;
pub mod error;
mod ffi;
pub mod identifier_gen;
pub mod models;
pub mod operations_gen;
pub mod replay;
pub mod result_gen;
pub mod validate;
pub mod version_gen;
pub mod webhook;

use std::ffi::{CString, c_char};

use crate::error::sendivent_error;
use crate::ffi::{check_out, ffi_boundary, ffi_infallible, owned_c_string, required_str, write_out};
use crate::result_gen::sendivent_result;

/// The library version (`MAJOR.MINOR.PATCH`): the version of the core SDK it was built from.
///
/// Ownership: a static string; do not free it. Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sendivent_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// Frees a string returned by this library (JSON answers, normalised identifiers, signatures).
/// NULL is accepted and ignored.
///
/// Use this function, not `free()`: the string was allocated by Rust's allocator.
/// Thread safety: safe from any thread; each string must be freed exactly once.
///
/// # Safety
/// `s` is NULL or a string returned by a `sendivent_*` function and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_string_free(s: *mut c_char) {
    ffi_infallible((), || {
        if !s.is_null() {
            // SAFETY: from CString::into_raw in this library, freed once (caller's contract).
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// Redacts a secret the way the SDK shows secrets everywhere (core's `redact`): its prefix
/// (`live_`, `test_`, `whsec_`, `whpk_`) and its last four characters, e.g. `live_…a1b2`; only
/// the prefix for short secrets. Bindings use it to print objects that hold a secret.
///
/// - `secret`: must not be NULL; NUL-terminated UTF-8, borrowed for the call.
/// - `out_redacted`: must not be NULL; on success receives the redacted text, owned by the
///   caller: release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_redact(
    secret: *const c_char,
    out_redacted: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_redacted, "out_redacted")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let secret = unsafe { required_str(secret, "secret") }?;
        let redacted = owned_c_string(sendivent::error::redact(secret))?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_redacted, redacted) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    #[test]
    fn version_matches_core() {
        let v = unsafe { std::ffi::CStr::from_ptr(super::sendivent_version()) };
        assert_eq!(v.to_str().unwrap(), sendivent::VERSION);
    }

    /// The header's version defines are generated from the description (`make generate`, then
    /// `make header`); this catches a build from stale generated files.
    #[test]
    fn header_version_defines_match_the_crate() {
        assert_eq!(crate::version_gen::SENDIVENT_VERSION_MAJOR.to_string(), env!("CARGO_PKG_VERSION_MAJOR"));
        assert_eq!(crate::version_gen::SENDIVENT_VERSION_MINOR.to_string(), env!("CARGO_PKG_VERSION_MINOR"));
        assert_eq!(crate::version_gen::SENDIVENT_VERSION_PATCH.to_string(), env!("CARGO_PKG_VERSION_PATCH"));
    }
}
