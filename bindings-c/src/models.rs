//! `sendivent_decode_response`: decodes an API answer body with core's lenient models.

use std::ffi::c_char;

use sendivent::models::decode_response;
use sendivent::{Error, ErrorCode};

use crate::error::sendivent_error;
use crate::ffi::{check_out, ffi_boundary, owned_c_string, required_str, write_out};
use crate::result_gen::sendivent_result;

/// Decodes an API answer body the way the client does and returns its canonical JSON: unknown
/// fields dropped, absent optional fields as `null`, unknown enum values (channels, statuses,
/// codes) kept as sent, known fields type-checked. The shared test vectors use it to check the
/// models from C and Go; applications can use it for bodies they received by other means.
///
/// - `kind`: must not be NULL; an operation name (`"send"`, `"contacts.get"`, … as for
///   `sendivent_call`: the answer is decoded as that operation's response), `"webhook_event"`
///   (the body POSTed to a webhook endpoint) or `"error_body"` (the `{error, code}` of an error
///   answer). Another value is `SENDIVENT_ERR_INVALID_REQUEST` (the message lists the kinds).
/// - `json`: must not be NULL; the body, NUL-terminated UTF-8. A body that is not that shape is
///   `SENDIVENT_ERR_INVALID_RESPONSE`, and the message names the field (e.g. `data.total`).
/// - `out_json`: must not be NULL; on success receives the canonical JSON, owned by the caller:
///   release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_decode_response(
    kind: *const c_char,
    json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (kind, json) = unsafe { (required_str(kind, "kind")?, required_str(json, "json")?) };
        let value = decode_response(kind, json.as_bytes())?;
        let text = serde_json::to_string(&value).map_err(|e| {
            Error::invalid(ErrorCode::InternalError, format!("cannot serialise the decoded value: {e}"))
        })?;
        let out = owned_c_string(text)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, out) };
        Ok(())
    })
}
