//! Identifier resolution and email/phone validation (pure functions, no I/O).

use std::ffi::c_char;

use sendivent::models::Channel;
use sendivent::validate::{resolve_recipient, validate_email, validate_phone};
use sendivent::{Error, ErrorCode};

use crate::error::sendivent_error;
use crate::ffi::{check_out, ffi_boundary, ffi_infallible, optional_str, owned_c_string, required_str, write_out};
use crate::identifier_gen::sendivent_identifier_kind;
use crate::result_gen::sendivent_result;

/// The stable snake_case name of an identifier kind (`"email"`, `"phone"`, `"uuid"`,
/// `"slack_channel"`, `"slack_user"`, `"external_id"`), or NULL for an unknown value.
///
/// Ownership: a static string; do not free it. Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sendivent_identifier_kind_name(kind: u32) -> *const c_char {
    ffi_infallible(std::ptr::null(), || {
        sendivent_identifier_kind::from_number(kind).map_or(std::ptr::null(), |k| k.name().as_ptr())
    })
}

/// Resolves a recipient string the way the API does (email, E.164 phone, UUID, Slack user or
/// channel, external id; first matching rule wins after trimming) and normalises it.
///
/// - `input`: must not be NULL; NUL-terminated UTF-8, borrowed for the call.
/// - `out_kind`: must not be NULL; receives the kind on success.
/// - `out_value`: must not be NULL; on success receives the normalised identifier, owned by the
///   caller: release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error (`INVALID_EMAIL`, `INVALID_PHONE`,
///   `VALIDATION_ERROR` for an empty string) to release with `sendivent_error_free`.
///
/// Out-parameters are written only in their case. Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_resolve_identifier(
    input: *const c_char,
    out_kind: *mut sendivent_identifier_kind,
    out_value: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    // SAFETY: this function's contract is `resolve`'s.
    unsafe { resolve(input, std::ptr::null(), out_kind, out_value, out_err) }
}

/// Resolves what a `to` string names on a send to `channel`, as the send does
/// (docs/contract.md §3): with the `slack` channel a Slack channel id (`C` or `G` followed by 8
/// to 11 upper-case letters or digits, `C01234ABCDE`) is a channel broadcast, as `#name` is;
/// otherwise, and for every other string, as `sendivent_resolve_identifier` (without a channel
/// a bare `C…` stays an external id: it is ambiguous).
///
/// - `input`: must not be NULL; NUL-terminated UTF-8, borrowed for the call.
/// - `channel`: may be NULL for a send on every channel of the event; else a channel name
///   (`"email"`, `"slack"`, …).
/// - `out_kind`, `out_value`, `out_err`: as `sendivent_resolve_identifier`.
///
/// Out-parameters are written only in their case. Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_resolve_recipient(
    input: *const c_char,
    channel: *const c_char,
    out_kind: *mut sendivent_identifier_kind,
    out_value: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    // SAFETY: this function's contract is `resolve`'s.
    unsafe { resolve(input, channel, out_kind, out_value, out_err) }
}

/// The body of both resolution functions: core's `resolve_recipient` on `channel` (NULL: none,
/// which is `resolve_identifier`).
///
/// # Safety
/// Pointers are NULL or valid for the documented use of `sendivent_resolve_recipient`.
unsafe fn resolve(
    input: *const c_char,
    channel: *const c_char,
    out_kind: *mut sendivent_identifier_kind,
    out_value: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_kind, "out_kind")?;
        check_out(out_value, "out_value")?;
        // SAFETY: NULL or NUL-terminated (caller's contract), for both.
        let (input, channel) = unsafe { (required_str(input, "input")?, optional_str(channel, "channel")?) };
        let id = resolve_recipient(input, channel.map(Channel::from).as_ref())?;
        let kind = sendivent_identifier_kind::from_name(id.kind().as_str()).ok_or_else(|| Error::Binding {
            code: ErrorCode::InternalError,
            message: format!("identifier kind {:?} is not in the description: regenerate", id.kind().as_str()),
        })?;
        let value = owned_c_string(id.into_string())?;
        // SAFETY: both checked non-null above.
        unsafe {
            write_out(out_kind, kind);
            write_out(out_value, value);
        }
        Ok(())
    })
}

/// Validates an email address (RFC 5321/5322 dot-atom local part, LDH or internationalised
/// domain) and returns it normalised (domain lower-cased).
///
/// - `input`: must not be NULL; NUL-terminated UTF-8, borrowed for the call.
/// - `out_normalized`: must not be NULL; on success receives the normalised address, owned by
///   the caller: release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an `INVALID_EMAIL` error saying what is wrong,
///   to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_validate_email(
    input: *const c_char,
    out_normalized: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_normalized, "out_normalized")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let input = unsafe { required_str(input, "input") }?;
        let value = owned_c_string(validate_email(input)?.into_string())?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_normalized, value) };
        Ok(())
    })
}

/// Validates a phone number and returns it in E.164 (`+<digits>`). Formatting characters
/// (spaces, `-`, `.`, `(`, `)`) are accepted; a number without its country code fails with
/// `INVALID_PHONE` and a message saying the country code is needed.
///
/// - `input`: must not be NULL; NUL-terminated UTF-8, borrowed for the call.
/// - `out_e164`: must not be NULL; on success receives the E.164 number, owned by the caller:
///   release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_validate_phone(
    input: *const c_char,
    out_e164: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_e164, "out_e164")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let input = unsafe { required_str(input, "input") }?;
        let value = owned_c_string(validate_phone(input)?.into_string())?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_e164, value) };
        Ok(())
    })
}
