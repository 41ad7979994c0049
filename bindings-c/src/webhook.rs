//! Standard Webhooks verification and signing: one-shot functions taking the secret, and a
//! reusable verifier handle (several secrets while rotating, keyed once).

use std::ffi::c_char;

use sendivent::Error;
use sendivent::webhook::{self, Verifier, VerifyOptions};

use crate::error::sendivent_error;
use crate::ffi::{
    bytes, check_out, ffi_boundary, ffi_infallible, null_argument, owned_c_string, owned_json, required_str, write_out,
};
use crate::replay::sendivent_replay_guard;
use crate::result_gen::sendivent_result;

/// One HTTP header of a received webhook request. Names are matched case-insensitively; headers
/// other than `webhook-id`, `webhook-timestamp` and `webhook-signature` are ignored.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sendivent_webhook_header {
    /// The header name, NUL-terminated. Must not be NULL.
    pub name: *const c_char,
    /// The header value, NUL-terminated. Must not be NULL.
    pub value: *const c_char,
}

/// Options of a verification. Start from `sendivent_verify_options_default()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sendivent_verify_options {
    /// How far `webhook-timestamp` may be from now, either way, in seconds: 0 to 604800 (7
    /// days), default 300. Out of bounds (negative, NaN, too large) is
    /// `SENDIVENT_ERR_INVALID_ARGUMENT`. 0 means the timestamp must equal now: it never disables
    /// the check (use `skip_timestamp_check`).
    pub tolerance: f64,
    /// When true, `now` is the current time; when false (default) the system clock is read.
    pub use_now: bool,
    /// The current unix time in seconds, used when `use_now` is true (tests, replays).
    pub now: i64,
    /// Skip the timestamp tolerance check entirely (the timestamp must still be an integer).
    /// Default false. Only for replaying stored webhooks: it leaves you open to replays.
    pub skip_timestamp_check: bool,
}

/// The default verification options: 300 s tolerance, system clock, timestamp checked.
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sendivent_verify_options_default() -> sendivent_verify_options {
    sendivent_verify_options {
        tolerance: webhook::DEFAULT_TOLERANCE.as_secs_f64(),
        use_now: false,
        now: 0,
        skip_timestamp_check: false,
    }
}

/// Core's options for a C options struct (NULL: the defaults); the tolerance is checked
/// against its bounds by core.
///
/// # Safety
/// `options` is NULL or points to a valid options struct.
unsafe fn core_options(options: *const sendivent_verify_options) -> Result<VerifyOptions, Error> {
    // SAFETY: NULL or a valid options struct (caller's contract).
    let Some(options) = (unsafe { options.as_ref() }).copied() else { return Ok(VerifyOptions::default()) };
    let core = VerifyOptions::default()
        .tolerance_seconds(options.tolerance)?
        .skip_timestamp_check(options.skip_timestamp_check);
    Ok(if options.use_now { core.now(options.now) } else { core })
}

/// Borrows the header array as `(name, value)` pairs.
///
/// # Safety
/// `headers` is NULL (only with `count == 0`) or points to `count` headers whose strings are
/// NUL-terminated and alive for 'a.
unsafe fn header_pairs<'a>(
    headers: *const sendivent_webhook_header,
    count: usize,
) -> Result<Vec<(&'a str, &'a str)>, Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if headers.is_null() {
        return Err(null_argument("headers"));
    }
    // SAFETY: `count` readable headers (caller's contract).
    let headers = unsafe { std::slice::from_raw_parts(headers, count) };
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            // SAFETY: NUL-terminated or NULL (caller's contract).
            let name = unsafe { required_str(h.name, &format!("headers[{i}].name")) }?;
            // SAFETY: as above.
            let value = unsafe { required_str(h.value, &format!("headers[{i}].value")) }?;
            Ok((name, value))
        })
        .collect()
}

/// A webhook verifier: one or more secrets (several while rotating), parsed and keyed once.
/// Create it with `sendivent_webhook_verifier_new`, free it with `sendivent_webhook_verifier_free`.
/// One verifier may be used from many threads at once.
pub struct sendivent_webhook_verifier {
    inner: Verifier,
}

/// Creates a verifier from `count` secrets (`whsec_…` HMAC secrets, or `whpk_…` ed25519 public
/// keys); a signature matching any of them passes. Secret pitfalls have their own errors:
/// `WEBHOOK_SECRET_EMPTY`, `WEBHOOK_SECRET_IS_API_KEY`, `WEBHOOK_SECRET_IS_SIGNATURE`,
/// `WEBHOOK_INVALID_SECRET`.
///
/// - `secrets`: must not be NULL; `count` NUL-terminated strings, copied (the caller keeps them).
/// - `count`: at least 1.
/// - `out_verifier`: must not be NULL; on success receives a verifier owned by the caller, to be
///   released with `sendivent_webhook_verifier_free`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_new(
    secrets: *const *const c_char,
    count: usize,
    out_verifier: *mut *mut sendivent_webhook_verifier,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_verifier, "out_verifier")?;
        if secrets.is_null() {
            return Err(null_argument("secrets"));
        }
        // SAFETY: `count` readable pointers (caller's contract).
        let list = unsafe { std::slice::from_raw_parts(secrets, count) };
        let list = list
            .iter()
            .enumerate()
            // SAFETY: each NUL-terminated or NULL (caller's contract).
            .map(|(i, s)| unsafe { required_str(*s, &format!("secrets[{i}]")) })
            .collect::<Result<Vec<&str>, Error>>()?;
        let inner = Verifier::from_secrets(list)?;
        let verifier = Box::into_raw(Box::new(sendivent_webhook_verifier { inner }));
        // SAFETY: checked non-null above.
        unsafe { write_out(out_verifier, verifier) };
        Ok(())
    })
}

/// Frees a verifier. NULL is accepted and ignored.
/// Thread safety: call it once, after every call using `verifier` has returned.
///
/// # Safety
/// `verifier` is NULL or from `sendivent_webhook_verifier_new` and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_free(verifier: *mut sendivent_webhook_verifier) {
    ffi_infallible((), || {
        if !verifier.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller's contract).
            drop(unsafe { Box::from_raw(verifier) });
        }
    })
}

/// Describes the verifier for logs and debugging: its secrets' kinds, each secret redacted to
/// its prefix and last four characters (`whsec_…LaSw`).
///
/// - `verifier`: must not be NULL.
/// - `out_text`: must not be NULL; on success receives the text, owned by the caller: release
///   it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe to call concurrently on one verifier.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_debug_string(
    verifier: *const sendivent_webhook_verifier,
    out_text: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_text, "out_text")?;
        // SAFETY: NULL or live (caller's contract).
        let verifier = unsafe { verifier.as_ref() }.ok_or_else(|| null_argument("verifier"))?;
        let text = owned_c_string(format!("{:?}", verifier.inner))?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_text, text) };
        Ok(())
    })
}

/// Verifies a received webhook with a verifier. Returns `SENDIVENT_OK` when one signature in
/// `webhook-signature` matches and the timestamp is within tolerance, else a `WEBHOOK_*` code:
/// `WEBHOOK_MISSING_HEADER`, `WEBHOOK_INVALID_TIMESTAMP`, `WEBHOOK_TIMESTAMP_TOO_OLD`,
/// `WEBHOOK_TIMESTAMP_TOO_NEW`, `WEBHOOK_INVALID_SIGNATURE_HEADER`, `WEBHOOK_NO_MATCHING_SIGNATURE`.
///
/// - `verifier`: must not be NULL.
/// - `body`, `body_len`: the raw request body exactly as received (never a re-serialised
///   object); `body` may be NULL only when `body_len` is 0. Borrowed for the call.
/// - `headers`, `header_count`: every header of the request, repeated names included, in the
///   order received; `headers` may be NULL only when `header_count` is 0. Borrowed for the call.
/// - `options`: may be NULL for the defaults (`sendivent_verify_options_default()`); a tolerance
///   out of its bounds is `SENDIVENT_ERR_INVALID_ARGUMENT`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe to call concurrently on one verifier.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_verify(
    verifier: *const sendivent_webhook_verifier,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        // SAFETY: NULL or live (caller's contract).
        let verifier = unsafe { verifier.as_ref() }.ok_or_else(|| null_argument("verifier"))?;
        // SAFETY: forwarded contracts for the body and the headers.
        let (body, headers) = unsafe { (bytes(body, body_len, "body")?, header_pairs(headers, header_count)?) };
        // SAFETY: NULL or a valid options struct (caller's contract).
        let options = unsafe { core_options(options) }?;
        verifier.inner.verify(body, headers, &options)
    })
}

/// Verifies like `sendivent_webhook_verifier_verify`, then parses the body as a webhook event
/// (`WEBHOOK_INVALID_PAYLOAD` when it is not one).
///
/// - `out_event_json`: must not be NULL; on success receives the event as JSON
///   (`{event, delivery: {uuid, channel, status, ...}, request_id, timestamp}`), owned by the
///   caller: release it with `sendivent_string_free` (not `free()`).
///
/// Other arguments, ownership and thread safety as `sendivent_webhook_verifier_verify`.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_verify_event(
    verifier: *const sendivent_webhook_verifier,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_event_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_event_json, "out_event_json")?;
        // SAFETY: NULL or live (caller's contract).
        let verifier = unsafe { verifier.as_ref() }.ok_or_else(|| null_argument("verifier"))?;
        // SAFETY: forwarded contracts for the body and the headers.
        let (body, headers) = unsafe { (bytes(body, body_len, "body")?, header_pairs(headers, header_count)?) };
        // SAFETY: NULL or a valid options struct (caller's contract).
        let options = unsafe { core_options(options) }?;
        let event = verifier.inner.verify_event(body, headers, &options)?;
        let json = event_c_string(&event)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_event_json, json) };
        Ok(())
    })
}

/// Verifies like `sendivent_webhook_verifier_verify` and tells which secret matched: for a
/// receiver rotating secrets, log the fingerprint and retire the old secret once it stops
/// appearing.
///
/// - `out_verified_json`: must not be NULL; on success receives `{"msg_id", "timestamp",
///   "secret_index" (0-based, in the order given to `sendivent_webhook_verifier_new`),
///   "secret_fingerprint" (the key's kind and the first 8 bytes of its SHA-256 in hex: safe to
///   log)}`, owned by the caller: release it with `sendivent_string_free` (not `free()`).
///
/// Other arguments, ownership and thread safety as `sendivent_webhook_verifier_verify`.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_verify_detailed(
    verifier: *const sendivent_webhook_verifier,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_verified_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_verified_json, "out_verified_json")?;
        // SAFETY: the caller's contract for every pointer.
        let v = unsafe { verification(verifier, body, body_len, headers, header_count, options) }?;
        let verified = v.verifier.verify_detailed(v.body, v.headers, &v.options)?;
        let json = owned_json(&verified)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_verified_json, json) };
        Ok(())
    })
}

/// Verifies like `sendivent_webhook_verifier_verify_detailed`, then records the `webhook-id` in
/// `guard` (docs/contract.md §2 "Webhook replays"): a second delivery of a recorded id is
/// `SENDIVENT_ERR_WEBHOOK_DUPLICATE` (class `WebhookDuplicateError`, not a verification failure:
/// answer it 2xx and do not handle it again); a store that fails is
/// `SENDIVENT_ERR_REPLAY_STORE_ERROR` (answer 5xx so the sender retries). Only authentic
/// webhooks are recorded, so forged ones cannot fill the store; the id is kept until its
/// timestamp leaves the tolerance window (24 hours when the timestamp check is skipped).
///
/// - `guard`: must not be NULL; from a `sendivent_replay_guard_new_*` function.
/// - `out_verified_json`: may be NULL when not wanted; else on success receives which secret
///   matched, as `sendivent_webhook_verifier_verify_detailed` gives it, owned by the caller:
///   release it with `sendivent_string_free` (not `free()`).
///
/// Other arguments, ownership and thread safety as `sendivent_webhook_verifier_verify`; one
/// guard may serve many threads and verifiers at once.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_verify_once(
    verifier: *const sendivent_webhook_verifier,
    guard: *const sendivent_replay_guard,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_verified_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        // SAFETY: the caller's contract for every pointer.
        let v = unsafe { verification(verifier, body, body_len, headers, header_count, options) }?;
        // SAFETY: NULL or live (caller's contract).
        let guard = unsafe { guard.as_ref() }.ok_or_else(|| null_argument("guard"))?;
        let verified = v.verifier.verify_once(v.body, v.headers, &v.options, &guard.inner)?;
        if !out_verified_json.is_null() {
            let json = owned_json(&verified)?;
            // SAFETY: non-null (checked just above).
            unsafe { write_out(out_verified_json, json) };
        }
        Ok(())
    })
}

/// Verifies and records like `sendivent_webhook_verifier_verify_once`, then parses the body as
/// a webhook event. The payload is checked before the id is recorded, so a body that is not an
/// event is `WEBHOOK_INVALID_PAYLOAD` every time, never a duplicate.
///
/// - `out_event_json`: must not be NULL; on success receives the event as JSON, as
///   `sendivent_webhook_verifier_verify_event` gives it, owned by the caller: release it with
///   `sendivent_string_free` (not `free()`).
/// - `out_verified_json`: may be NULL when not wanted; else on success receives which secret
///   matched (see `sendivent_webhook_verifier_verify_detailed`), owned by the caller.
///
/// Other arguments, ownership and thread safety as `sendivent_webhook_verifier_verify_once`.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verifier_verify_event_once(
    verifier: *const sendivent_webhook_verifier,
    guard: *const sendivent_replay_guard,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_event_json: *mut *mut c_char,
    out_verified_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_event_json, "out_event_json")?;
        // SAFETY: the caller's contract for every pointer.
        let v = unsafe { verification(verifier, body, body_len, headers, header_count, options) }?;
        // SAFETY: NULL or live (caller's contract).
        let guard = unsafe { guard.as_ref() }.ok_or_else(|| null_argument("guard"))?;
        let (event, verified) = v.verifier.verify_event_once(v.body, v.headers, &v.options, &guard.inner)?;
        let event = event_c_string(&event)?;
        let verified = if out_verified_json.is_null() { None } else { Some(owned_json(&verified)?) };
        // SAFETY: checked non-null above (the event), and just above (the verification).
        unsafe {
            write_out(out_event_json, event);
            if let Some(verified) = verified {
                write_out(out_verified_json, verified);
            }
        }
        Ok(())
    })
}

/// The arguments every verification of a verifier handle takes, borrowed and converted.
struct Verification<'a> {
    verifier: &'a Verifier,
    body: &'a [u8],
    headers: Vec<(&'a str, &'a str)>,
    options: VerifyOptions,
}

/// Borrows and converts the arguments of a verification.
///
/// # Safety
/// `verifier` is NULL or live; `body` and `headers` as [`bytes`] and [`header_pairs`];
/// `options` NULL or a valid options struct.
unsafe fn verification<'a>(
    verifier: *const sendivent_webhook_verifier,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
) -> Result<Verification<'a>, Error> {
    // SAFETY: NULL or live (caller's contract).
    let verifier = unsafe { verifier.as_ref() }.ok_or_else(|| null_argument("verifier"))?;
    // SAFETY: forwarded contracts.
    let (body, headers, options) =
        unsafe { (bytes(body, body_len, "body")?, header_pairs(headers, header_count)?, core_options(options)?) };
    Ok(Verification { verifier: &verifier.inner, body, headers, options })
}

/// Verifies a received webhook with one secret: `sendivent_webhook_verifier_verify` without
/// keeping a verifier (the secret is parsed on every call; keep a verifier on hot paths).
///
/// - `secret`: must not be NULL; the endpoint's signing secret (`whsec_…`) or public key
///   (`whpk_…`). Secret pitfalls have their own codes (see `sendivent_webhook_verifier_new`).
///
/// Other arguments, ownership and return values as `sendivent_webhook_verifier_verify`.
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verify(
    secret: *const c_char,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        // SAFETY: forwarded contracts for the secret, the body and the headers.
        let (secret, body, headers) = unsafe {
            (required_str(secret, "secret")?, bytes(body, body_len, "body")?, header_pairs(headers, header_count)?)
        };
        // SAFETY: NULL or a valid options struct (caller's contract).
        let options = unsafe { core_options(options) }?;
        webhook::verify(body, headers, secret, &options)
    })
}

/// Verifies with one secret, then parses the body as a webhook event: as
/// `sendivent_webhook_verifier_verify_event` without keeping a verifier.
///
/// - `out_event_json`: must not be NULL; on success receives the event JSON, owned by the
///   caller: release it with `sendivent_string_free` (not `free()`).
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_verify_event(
    secret: *const c_char,
    body: *const u8,
    body_len: usize,
    headers: *const sendivent_webhook_header,
    header_count: usize,
    options: *const sendivent_verify_options,
    out_event_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_event_json, "out_event_json")?;
        // SAFETY: forwarded contracts for the secret, the body and the headers.
        let (secret, body, headers) = unsafe {
            (required_str(secret, "secret")?, bytes(body, body_len, "body")?, header_pairs(headers, header_count)?)
        };
        // SAFETY: NULL or a valid options struct (caller's contract).
        let options = unsafe { core_options(options) }?;
        let event = webhook::verify_event(body, headers, secret, &options)?;
        let json = event_c_string(&event)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_event_json, json) };
        Ok(())
    })
}

/// Signs a message the way Sendivent does (for tests and local senders): returns the
/// `webhook-signature` header value, `v1,<base64>` for a `whsec_` secret (`v1a,<base64>` for an
/// ed25519 `whsk_` private key). The signed content is `{msg_id}.{timestamp}.{body}`.
///
/// - `secret`, `msg_id`: must not be NULL; NUL-terminated, borrowed for the call.
/// - `body`, `body_len`: the exact body bytes; `body` may be NULL only when `body_len` is 0.
/// - `out_signature`: must not be NULL; on success receives the header value, owned by the
///   caller: release it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhook_sign(
    secret: *const c_char,
    msg_id: *const c_char,
    timestamp: i64,
    body: *const u8,
    body_len: usize,
    out_signature: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_signature, "out_signature")?;
        // SAFETY: forwarded contracts.
        let (secret, msg_id, body) = unsafe {
            (required_str(secret, "secret")?, required_str(msg_id, "msg_id")?, bytes(body, body_len, "body")?)
        };
        let signature = owned_c_string(webhook::sign(secret, msg_id, timestamp, body)?)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_signature, signature) };
        Ok(())
    })
}

/// The typed event as an owned JSON C string (both verify-event entry points return this).
fn event_c_string(event: &sendivent::models::WebhookEvent) -> Result<*mut c_char, Error> {
    let json = serde_json::to_string(event).map_err(|e| Error::Binding {
        code: sendivent::ErrorCode::InternalError,
        message: format!("cannot serialise the event: {e}"),
    })?;
    owned_c_string(json)
}
