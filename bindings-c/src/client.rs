//! The client handle and one function per API endpoint. Requests go in as UTF-8 JSON that is
//! decoded into core's request types (so core validates them), and answers come back as an
//! owned JSON string `{"data": <answer>, "meta": <response metadata>}`.

use std::ffi::c_char;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use sendivent::client::blocking::Client;
use sendivent::client::{ClientOptions, RequestOptions, Response};
use sendivent::models::{
    Channel, ContactInput, ContactListParams, CreateWebhook, DeliveryListParams, ResponseMeta, SendRequest,
    UpdateWebhook,
};
use sendivent::{Error, ErrorCode};

use crate::error::{sendivent_error, sendivent_result};
use crate::ffi::{
    check_out, ffi_boundary, ffi_infallible, null_argument, optional_str, owned_c_string, required_str, write_out,
};

/// Options for `sendivent_client_new`. Start from `sendivent_client_options_default()` and set
/// the fields you need, so that fields added in later versions get their defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sendivent_client_options {
    /// The API key (`live_…` or `test_…`). NULL: the `SENDIVENT_API_KEY` environment variable.
    /// Copied by `sendivent_client_new`; the caller keeps ownership.
    pub api_key: *const c_char,
    /// Base URL override, e.g. a mock server. NULL: `SENDIVENT_BASE_URL`, else chosen by the
    /// key's prefix. Copied by `sendivent_client_new`.
    pub base_url: *const c_char,
    /// Per-attempt timeout in milliseconds. 0: the default, 30000.
    pub timeout_ms: u64,
    /// Retries after the first attempt. Negative: the default, 2 (3 attempts). 0 disables retries.
    pub max_retries: i32,
    /// Allow plain `http://` to hosts other than loopback (e.g. a mock in a container network).
    /// Default: false, so an API key is never sent in clear text by accident.
    pub allow_insecure_http: bool,
}

/// The default options: every field at its documented default (key and base URL from the
/// environment, 30 s timeout, 2 retries, no insecure HTTP).
/// Thread safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sendivent_client_options_default() -> sendivent_client_options {
    sendivent_client_options {
        api_key: std::ptr::null(),
        base_url: std::ptr::null(),
        timeout_ms: 0,
        max_retries: -1,
        allow_insecure_http: false,
    }
}

/// An API client. Create it with `sendivent_client_new`, free it with `sendivent_client_free`.
///
/// One client may be used from many threads at once: calls share its connection pool and the
/// library's runtime. Create one per process (or per API key) and reuse it.
pub struct sendivent_client {
    inner: Client,
}

/// Creates a client. Fails with MISSING_API_KEY, INVALID_API_KEY, INVALID_BASE_URL or
/// INSECURE_BASE_URL before any request is made.
///
/// - `options`: must not be NULL; its strings are copied, the caller keeps ownership.
/// - `out_client`: must not be NULL; on success receives a new client owned by the caller,
///   to be released with `sendivent_client_free`. Untouched on failure.
/// - `out_err`: may be NULL; on failure receives an error object to be released with
///   `sendivent_error_free`. Untouched on success.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use; strings are NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_client_new(
    options: *const sendivent_client_options,
    out_client: *mut *mut sendivent_client,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_client, "out_client")?;
        // SAFETY: NULL or a valid options struct (caller's contract).
        let options = unsafe { options.as_ref() }.ok_or_else(|| null_argument("options"))?;
        // SAFETY: the option strings are NULL or NUL-terminated (caller's contract).
        let api_key = unsafe { optional_str(options.api_key, "options.api_key") }?;
        // SAFETY: as above.
        let base_url = unsafe { optional_str(options.base_url, "options.base_url") }?;
        let core_options = ClientOptions {
            api_key: api_key.map(str::to_owned),
            base_url: base_url.map(str::to_owned),
            timeout: (options.timeout_ms > 0).then(|| Duration::from_millis(options.timeout_ms)),
            max_retries: u32::try_from(options.max_retries).ok(),
            allow_insecure_http: options.allow_insecure_http,
            binding: Some("c".to_owned()),
            ..ClientOptions::default()
        };
        let client = Box::new(sendivent_client { inner: Client::new(core_options)? });
        // SAFETY: checked non-null above.
        unsafe { write_out(out_client, Box::into_raw(client)) };
        Ok(())
    })
}

/// Frees a client. NULL is accepted and ignored.
///
/// Thread safety: call it once, after every call using `client` on every thread has returned.
///
/// # Safety
/// `client` is NULL or a pointer from `sendivent_client_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_client_free(client: *mut sendivent_client) {
    ffi_infallible((), || {
        if !client.is_null() {
            // SAFETY: from Box::into_raw in sendivent_client_new, freed once (caller's contract).
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// The answer of every endpoint function, serialised for the caller.
#[derive(Serialize)]
struct Answer<'a, T: Serialize> {
    data: &'a T,
    meta: &'a ResponseMeta,
}

fn parse_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(json)
        .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("{what} is not valid: {e}")))
}

/// Shared body of the endpoint functions: checks the handle and out-params, runs `call`,
/// serialises the answer and writes it to `out_json` on success only.
fn endpoint<T, F>(
    client: *const sendivent_client,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
    call: F,
) -> sendivent_result
where
    T: Serialize,
    F: FnOnce(&Client) -> Result<Response<T>, Error>,
{
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: NULL or a live client from sendivent_client_new (caller's contract).
        let client = unsafe { client.as_ref() }.ok_or_else(|| null_argument("client"))?;
        let response = call(&client.inner)?;
        let json = serde_json::to_string(&Answer { data: response.data(), meta: response.meta() })
            .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot serialise the answer: {e}")))?;
        let json = owned_c_string(json)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, json) };
        Ok(())
    })
}

/// `POST /v1/send/{event}`: sends the event on all its channels.
///
/// `request_json` is a send request: `{"to": ..., "payload": {...}, "language": ..., "from": ...,
/// "overrides": {...}}` (`to` left out broadcasts to the event's listeners). Recipients are
/// validated before anything is sent (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR).
/// `idempotency_key` may be NULL: a key is generated and reused by every retry, so a retried
/// send never notifies twice. A send the API answers with `success: false` fails with
/// `SENDIVENT_ERR_SEND_FAILED` and the API's reasons in `sendivent_error_details_json`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_send(
    client: *const sendivent_client,
    event: *const c_char,
    request_json: *const c_char,
    idempotency_key: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NUL-terminated strings or NULL (caller's contract), for all three.
        let (event, request, key) = unsafe {
            (
                required_str(event, "event")?,
                required_str(request_json, "request_json")?,
                optional_str(idempotency_key, "idempotency_key")?,
            )
        };
        let request: SendRequest = parse_json(request, "request_json")?;
        with_key(c, key).send(event, request)
    })
}

/// `POST /v1/send/{event}/{channel}`: sends on one channel only (`email`, `sms`, `slack`,
/// `push`, `telegram`, `whatsapp`, `discord`). Otherwise as `sendivent_send`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_send_on(
    client: *const sendivent_client,
    event: *const c_char,
    channel: *const c_char,
    request_json: *const c_char,
    idempotency_key: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (event, channel, request, key) = unsafe {
            (
                required_str(event, "event")?,
                required_str(channel, "channel")?,
                required_str(request_json, "request_json")?,
                optional_str(idempotency_key, "idempotency_key")?,
            )
        };
        let request: SendRequest = parse_json(request, "request_json")?;
        with_key(c, key).send_on(event, Channel::from(channel), request)
    })
}

fn with_key(client: &Client, key: Option<&str>) -> Client {
    match key {
        Some(key) => client.with_options(RequestOptions::default().idempotency_key(key)),
        None => client.clone(),
    }
}

/// `GET /v1/contacts`: one page. `params_json` may be NULL (defaults) or
/// `{"limit": 1..100, "offset": n, "search": "..."}`. `data` is `{contacts, total, limit, offset}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_list(
    client: *const sendivent_client,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let params = unsafe { optional_str(params_json, "params_json") }?;
        let params: ContactListParams = params.map(|p| parse_json(p, "params_json")).transpose()?.unwrap_or_default();
        c.run(|c| async move { c.contacts().list(&params).await })
    })
}

/// `GET /v1/contacts/{identifier}`: by email, phone, UUID, external id or Slack user id
/// (percent-encoded for you). `data` is the contact.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_get(
    client: *const sendivent_client,
    identifier: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let identifier = unsafe { required_str(identifier, "identifier") }?;
        c.run(|c| async move { c.contacts().get(identifier).await })
    })
}

/// `POST /v1/contacts`. `contact_json` needs `email`, `phone` or `externalId`; unknown fields go
/// to the contact's `meta`. `data` is the created contact.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_create(
    client: *const sendivent_client,
    contact_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let contact: ContactInput = parse_json(unsafe { required_str(contact_json, "contact_json") }?, "contact_json")?;
        c.run(|c| async move { c.contacts().create(&contact).await })
    })
}

/// `PATCH /v1/contacts/{identifier}`: only the fields in `changes_json` change. `data` is the
/// updated contact.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_update(
    client: *const sendivent_client,
    identifier: *const c_char,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (identifier, changes) =
            unsafe { (required_str(identifier, "identifier")?, required_str(changes_json, "changes_json")?) };
        let changes: ContactInput = parse_json(changes, "changes_json")?;
        c.run(|c| async move { c.contacts().update(identifier, &changes).await })
    })
}

/// `DELETE /v1/contacts/{identifier}`: hard delete. `data` is `{success, deleted}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_delete(
    client: *const sendivent_client,
    identifier: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let identifier = unsafe { required_str(identifier, "identifier") }?;
        c.run(|c| async move { c.contacts().delete(identifier).await })
    })
}

/// `POST /v1/contacts/{identifier}/push-tokens`: registers a device push token. `data` is
/// `{success}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_add_push_token(
    client: *const sendivent_client,
    identifier: *const c_char,
    token: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (identifier, token) = unsafe { (required_str(identifier, "identifier")?, required_str(token, "token")?) };
        c.run(|c| async move { c.contacts().add_push_token(identifier, token).await })
    })
}

/// `DELETE /v1/contacts/{identifier}/push-tokens`: removes a device push token. `data` is
/// `{success}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_contacts_remove_push_token(
    client: *const sendivent_client,
    identifier: *const c_char,
    token: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (identifier, token) = unsafe { (required_str(identifier, "identifier")?, required_str(token, "token")?) };
        c.run(|c| async move { c.contacts().remove_push_token(identifier, token).await })
    })
}

/// `GET /v1/events`. `data` is an array of events.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_events_list(
    client: *const sendivent_client,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| c.run(|c| async move { c.events().list().await }))
}

/// `GET /v1/events/{identifier}`: one event with its templates. `data` is the event.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_events_get(
    client: *const sendivent_client,
    identifier: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let identifier = unsafe { required_str(identifier, "identifier") }?;
        c.run(|c| async move { c.events().get(identifier).await })
    })
}

/// `GET /v1/deliveries`: one page. `params_json` may be NULL or `{"limit", "offset", "event",
/// "channel", "status"}`. `data` is `{deliveries, total, limit, offset}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_deliveries_list(
    client: *const sendivent_client,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let params = unsafe { optional_str(params_json, "params_json") }?;
        let params: DeliveryListParams = params.map(|p| parse_json(p, "params_json")).transpose()?.unwrap_or_default();
        c.run(|c| async move { c.deliveries().list(&params).await })
    })
}

/// `GET /v1/deliveries/{uuid}/trace`. `data` is `{delivery, timeline, content?}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_deliveries_trace(
    client: *const sendivent_client,
    uuid: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let uuid = unsafe { required_str(uuid, "uuid") }?;
        c.run(|c| async move { c.deliveries().trace(uuid).await })
    })
}

/// `GET /v1/integrations`. `channel` may be NULL (all channels). `data` is `{integrations}`
/// (secrets are never returned).
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_integrations_list(
    client: *const sendivent_client,
    channel: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let channel = unsafe { optional_str(channel, "channel") }?.map(Channel::from);
        c.run(|c| async move { c.integrations().list(channel).await })
    })
}

/// `POST /v1/webhooks`: `webhook_json` is `{"url", "enabled_events": [...], "description"?}`.
/// `data` is the webhook config including its `signing_secret` (store it: it is shown once).
/// A second webhook is `SENDIVENT_ERR_CONFLICT`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhooks_create(
    client: *const sendivent_client,
    webhook_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let webhook: CreateWebhook =
            parse_json(unsafe { required_str(webhook_json, "webhook_json") }?, "webhook_json")?;
        c.run(|c| async move { c.webhooks().create(&webhook).await })
    })
}

/// `GET /v1/webhooks`: the application's webhook (`SENDIVENT_ERR_NOT_FOUND` when none).
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhooks_get(
    client: *const sendivent_client,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| c.run(|c| async move { c.webhooks().get().await }))
}

/// `PATCH /v1/webhooks/{uuid}`: `changes_json` is `{"url"?, "enabled_events"?, "is_active"?}`.
/// `data` is the updated config.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhooks_update(
    client: *const sendivent_client,
    uuid: *const c_char,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (uuid, changes) = unsafe { (required_str(uuid, "uuid")?, required_str(changes_json, "changes_json")?) };
        let changes: UpdateWebhook = parse_json(changes, "changes_json")?;
        c.run(|c| async move { c.webhooks().update(uuid, &changes).await })
    })
}

/// `DELETE /v1/webhooks/{uuid}`. `data` is `{success, deleted}`.
///
/// Ownership: `client` must not be NULL. String arguments are NUL-terminated UTF-8, borrowed
/// for the duration of the call. `out_json` must not be NULL; on success it receives
/// `{"data": <answer>, "meta": {status, headers, request_id, idempotent_replay,
/// idempotency_key, rate_limit, attempts}}` as a new string owned by the caller: release it
/// with `sendivent_string_free` (not `free()`). `out_err` may be NULL; on failure it receives
/// an error object to release with `sendivent_error_free`. Each out-parameter is written only
/// in its case (success or failure).
///
/// Blocks the calling thread until the call, retries included, finishes.
/// Thread safety: safe to call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_webhooks_delete(
    client: *const sendivent_client,
    uuid: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    endpoint(client, out_json, out_err, |c| {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let uuid = unsafe { required_str(uuid, "uuid") }?;
        c.run(|c| async move { c.webhooks().delete(uuid).await })
    })
}
