//! `sendivent_decode_response` (an API answer body through core's lenient models) and
//! `sendivent_prepare_send` (a send request as the client sends it).

use std::ffi::c_char;

use sendivent::models::{Channel, decode_response, prepare_send};
use sendivent::{Error, ErrorCode};

use crate::error::sendivent_error;
use crate::ffi::{check_out, ffi_boundary, optional_str, owned_c_string, owned_json, required_str, write_out};
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

/// The JSON body a send request is sent as (core's `prepare_send`): `body_json` written in any
/// shape the SDKs accept — the official SDKs' contact spellings (`id`, `external_id`, `slack_id`,
/// a nested `meta`), `from` as a string or a contact, flat overrides — decoded, validated and
/// normalised exactly as `sendivent_send` does before sending (emails' domains lower-cased,
/// phones in E.164, `externalId` and `slack` as the field names). A bad recipient fails here as
/// it would fail the send, before anything is sent.
///
/// - `body_json`: must not be NULL; a send request (`{to?, payload?, language?, from?,
///   overrides?}`). Not JSON, or not that shape: `SENDIVENT_ERR_INVALID_REQUEST`; a bad
///   recipient: `INVALID_EMAIL`, `INVALID_PHONE` or `VALIDATION_ERROR`.
/// - `channel`: may be NULL for a send on every channel of the event; else the channel of the
///   send (with `"slack"`, a Slack channel id in `to` is a channel broadcast).
/// - `out_json`: must not be NULL; on success receives the body as JSON, owned by the caller:
///   release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_prepare_send(
    body_json: *const c_char,
    channel: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: NULL or NUL-terminated (caller's contract), for both.
        let (body, channel) = unsafe { (required_str(body_json, "body_json")?, optional_str(channel, "channel")?) };
        let body: serde_json::Value = serde_json::from_str(body)
            .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("`body_json` is not valid JSON: {e}")))?;
        let prepared = prepare_send(&body, channel.map(Channel::from).as_ref())?;
        let out = owned_json(&prepared)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, out) };
        Ok(())
    })
}
