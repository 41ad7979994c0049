//! The client handle and the generic entry points every operation goes through: core's
//! `Client::call`, `Client::paginate` and `Client::send_many_json`, with JSON in and JSON out.
//! The per-operation functions (`sendivent_send`, `sendivent_contacts_get`, …) are generated
//! into `operations_gen.rs` and are one call of [`call`] each.

use std::ffi::c_char;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value};

use sendivent::client::blocking::{BlockingIter, Client};
use sendivent::client::{ClientOptions, RequestOptions, Response};
use sendivent::models::ResponseMeta;
use sendivent::{Error, ErrorCode, api};

use crate::error::sendivent_error;
use crate::ffi::{
    check_out, ffi_boundary, ffi_infallible, null_argument, optional_json, optional_str, owned_c_string, owned_json,
    required_str, write_out,
};
use crate::result_gen::sendivent_result;

/// The name core puts in `User-Agent` for calls from this library.
const BINDING: &str = "c";

/// An API client. Create it with `sendivent_client_new`, free it with `sendivent_client_free`.
///
/// One client may be used from many threads at once: calls share its connection pool and the
/// library's runtime. Create one per process (or per API key) and reuse it.
pub struct sendivent_client {
    inner: Client,
}

/// Creates a client. Fails with MISSING_API_KEY, INVALID_API_KEY, INVALID_BASE_URL or
/// INSECURE_BASE_URL before any request is made, and with INVALID_ARGUMENT for an option out of
/// its bounds or an unknown option.
///
/// - `options_json`: may be NULL (every option at its default: the key from
///   `SENDIVENT_API_KEY`, the base URL from `SENDIVENT_BASE_URL` or the key's prefix); else a
///   JSON object with any of `api_key`, `base_url`, `timeout` (seconds per attempt, more than 0
///   and at most 3600; default 30), `max_retries` (0 to 10; default 2), `allow_insecure_http`
///   (plain http:// to hosts other than loopback), `rate_limit` (requests per second, or
///   `"documented"` for the API's documented limits), `default_headers` (an object, or
///   `[name, value]` pairs), `log_level` (`"debug"`, `"info"` or `"off"`; default
///   `SENDIVENT_LOG`), `max_response_bytes` (1024 to 1 GiB; default 10 MiB). Copied; the caller
///   keeps ownership.
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
    options_json: *const c_char,
    out_client: *mut *mut sendivent_client,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_client, "out_client")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let options = unsafe { optional_json(options_json, "options_json", ErrorCode::InvalidArgument) }?;
        let client = Box::new(sendivent_client { inner: Client::new(ClientOptions::from_value(&options, BINDING)?)? });
        // SAFETY: checked non-null above.
        unsafe { write_out(out_client, Box::into_raw(client)) };
        Ok(())
    })
}

/// Frees a client. NULL is accepted and ignored. Paginators made from it stay usable.
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

/// Describes the client for logs and debugging: its configuration with the API key redacted
/// to its prefix and last four characters (`test_…a1b2`).
///
/// - `client`: must not be NULL.
/// - `out_text`: must not be NULL; on success receives the text, owned by the caller: release
///   it with `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe to call concurrently on one client.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_client_debug_string(
    client: *const sendivent_client,
    out_text: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_text, "out_text")?;
        // SAFETY: NULL or a live client (caller's contract).
        let client = unsafe { client_ref(client) }?;
        let text = owned_c_string(format!("{:?}", client.as_async()))?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_text, text) };
        Ok(())
    })
}

/// # Safety
/// `client` is NULL or a live client from `sendivent_client_new`.
unsafe fn client_ref<'a>(client: *const sendivent_client) -> Result<&'a Client, Error> {
    // SAFETY: NULL or live (caller's contract).
    unsafe { client.as_ref() }.map(|c| &c.inner).ok_or_else(|| null_argument("client"))
}

/// The client with the per-request options of `options_json` (NULL: none) applied.
///
/// # Safety
/// `options_json` is NULL or NUL-terminated.
unsafe fn with_request_options(client: &Client, options_json: *const c_char) -> Result<Client, Error> {
    // SAFETY: forwarded contract.
    let options = unsafe { optional_json(options_json, "options_json", ErrorCode::InvalidArgument) }?;
    Ok(match options {
        Value::Null => client.clone(),
        options => client.with_options(RequestOptions::from_value(&options)?),
    })
}

/// A successful call as the caller receives it: the operation's answer and its metadata.
#[derive(Serialize)]
struct Answer<'a> {
    data: &'a Value,
    meta: &'a ResponseMeta,
}

fn answer_json(response: &Response<Value>) -> Result<*mut c_char, Error> {
    owned_json(&Answer { data: response.data(), meta: response.meta() })
}

/// `ptr`, or the INVALID_ARGUMENT error for a NULL one.
fn non_null<T>(ptr: *const T, name: &str) -> Result<*const T, Error> {
    if ptr.is_null() { Err(null_argument(name)) } else { Ok(ptr) }
}

fn invalid_request(message: String) -> Error {
    Error::invalid(ErrorCode::InvalidRequest, message)
}

/// The `call` arguments of an operation from the C arguments of its generated function:
/// `inputs` are, in order, its path parameters (NULL only for an optional one), then
/// `query_json` when it has a query model, `body_json` when it has a body, and `options_json`.
///
/// # Safety
/// Every pointer in `inputs` is NULL or NUL-terminated.
unsafe fn operation_args(op: &api::Operation, inputs: &[*const c_char]) -> Result<(Value, *const c_char), Error> {
    let expected = op.path_params.len() + usize::from(op.query.is_some()) + usize::from(op.body.is_some()) + 1;
    if inputs.len() != expected {
        return Err(Error::Binding {
            code: ErrorCode::InternalError,
            message: format!("{} got {} arguments, its description has {expected}: regenerate", op.name, inputs.len()),
        });
    }
    let mut args = Map::new();
    let mut rest = inputs.iter().copied();
    for (param, ptr) in op.path_params.iter().zip(rest.by_ref()) {
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let value = unsafe {
            if param.optional { optional_str(ptr, param.name)? } else { Some(required_str(ptr, param.name)?) }
        };
        if let Some(value) = value {
            args.insert(param.name.to_owned(), Value::String(value.to_owned()));
        }
    }
    if op.query.is_some() {
        // SAFETY: as above.
        match unsafe {
            optional_json(rest.next().unwrap_or(std::ptr::null()), "query_json", ErrorCode::InvalidRequest)
        }? {
            Value::Null => {}
            Value::Object(query) => {
                for (name, value) in query {
                    args.entry(name).or_insert(value);
                }
            }
            other => return Err(invalid_request(format!("`query_json` must be a JSON object, not {other}"))),
        }
    }
    if op.body.is_some() {
        // SAFETY: as above.
        let body =
            unsafe { optional_json(rest.next().unwrap_or(std::ptr::null()), "body_json", ErrorCode::InvalidRequest) }?;
        if !body.is_null() {
            args.insert("body".to_owned(), body);
        }
    }
    Ok((Value::Object(args), rest.next().unwrap_or(std::ptr::null())))
}

/// The one body of every generated operation function: runs the operation `name` with the
/// function's C arguments (see [`operation_args`]) through core's `Client::call` and writes
/// `{"data": <answer>, "meta": <response metadata>}` to `out_json`.
///
/// # Safety
/// The generated function's contract: `client` is NULL or live, every input is NULL or
/// NUL-terminated, `out_json` and `out_err` are NULL or writable.
pub(crate) unsafe fn call(
    name: &'static str,
    client: *const sendivent_client,
    inputs: &[*const c_char],
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: forwarded contract.
        let client = unsafe { client_ref(client) }?;
        let op = api::operation(name).ok_or_else(|| invalid_request(format!("unknown operation {name:?}")))?;
        // SAFETY: forwarded contract.
        let (args, options_json) = unsafe { operation_args(op, inputs) }?;
        // SAFETY: forwarded contract.
        let client = unsafe { with_request_options(client, options_json) }?;
        let response = client.run(|c| async move { c.call(name, &args).await })?;
        let json = answer_json(&response)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, json) };
        Ok(())
    })
}

/// Runs any operation by name, with its arguments as one JSON object: each path parameter by
/// name, each query parameter by name, and the request body under `"body"` (core's
/// `Client::call`). The generated functions (`sendivent_contacts_get`, …) do the same with typed
/// parameters; this one suits callers that build requests as data.
///
/// - `client`, `op_name`: must not be NULL; `op_name` is an operation of the API (`"send"`,
///   `"contacts.get"`, …); another name is `SENDIVENT_ERR_INVALID_REQUEST` listing them.
/// - `args_json`: may be NULL (no arguments); a JSON object. A missing, mistyped or unknown
///   argument is `SENDIVENT_ERR_INVALID_REQUEST`.
/// - `options_json`: may be NULL; per-request options as a JSON object: `timeout` (seconds),
///   `max_retries`, `idempotency_key`, `extra_headers` (an object or `[name, value]` pairs).
///   Out of bounds or unknown: `SENDIVENT_ERR_INVALID_ARGUMENT`.
/// - `out_json`: must not be NULL; on success receives `{"data": <answer>, "meta": <meta>}`
///   (`<meta>`: `status`, `headers`, `request_id`, `idempotent_replay`, `idempotency_key`,
///   `rate_limit`, `attempts`, `recovered`), owned by the caller: release it with
///   `sendivent_string_free` (not `free()`).
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Blocks the calling thread until the call, retries included, ends. Thread safety: safe to
/// call concurrently on one client from many threads.
///
/// # Safety
/// Pointers are NULL or valid for their documented use; strings are NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_call(
    client: *const sendivent_client,
    op_name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: forwarded contract, for every pointer.
        let (client, name, args) = unsafe {
            (
                client_ref(client)?,
                required_str(op_name, "op_name")?.to_owned(),
                optional_json(args_json, "args_json", ErrorCode::InvalidRequest)?,
            )
        };
        // SAFETY: forwarded contract.
        let client = unsafe { with_request_options(client, options_json) }?;
        let response = client.run(|c| async move { c.call(&name, &args).await })?;
        let json = answer_json(&response)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, json) };
        Ok(())
    })
}

/// Walks every page of a list operation (`contacts.list`, `deliveries.list`), one item at a
/// time (core's `Client::paginate`: core steps the offset and stops at the total). Create it
/// with `sendivent_paginator_new`, take items with `sendivent_paginator_next`, free it with
/// `sendivent_paginator_free`.
pub struct sendivent_paginator {
    items: Mutex<BlockingIter<Value>>,
}

/// Creates a paginator over the list operation `op_name`. No request is made until the first
/// `sendivent_paginator_next`.
///
/// - `client`, `op_name`: must not be NULL; an operation with pagination, else
///   `SENDIVENT_ERR_INVALID_REQUEST`. The paginator keeps what it needs of the client, so it may
///   outlive `sendivent_client_free(client)`.
/// - `args_json`: may be NULL; the operation's arguments as for `sendivent_call` (its query
///   parameters; `offset` sets where the walk starts, `limit` the page size).
/// - `options_json`: may be NULL; per-request options as for `sendivent_call`, for every page.
/// - `out_paginator`: must not be NULL; on success receives the paginator, owned by the caller:
///   release it with `sendivent_paginator_free`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use; strings are NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_paginator_new(
    client: *const sendivent_client,
    op_name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_paginator: *mut *mut sendivent_paginator,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_paginator, "out_paginator")?;
        // SAFETY: forwarded contract, for every pointer.
        let (client, name, args) = unsafe {
            (
                client_ref(client)?,
                required_str(op_name, "op_name")?,
                optional_json(args_json, "args_json", ErrorCode::InvalidRequest)?,
            )
        };
        // SAFETY: forwarded contract.
        let client = unsafe { with_request_options(client, options_json) }?;
        let pages = client.as_async().paginate(name, &args)?;
        let items = Mutex::new(client.iter(pages));
        let paginator = Box::into_raw(Box::new(sendivent_paginator { items }));
        // SAFETY: checked non-null above.
        unsafe { write_out(out_paginator, paginator) };
        Ok(())
    })
}

/// Takes the next item, fetching the next page when needed (blocking, retries included).
///
/// - `paginator`: must not be NULL.
/// - `out_item_json`: must not be NULL; on success receives the item as JSON (a `Contact`,
///   a `Delivery`), owned by the caller (release it with `sendivent_string_free`), or NULL when
///   the walk is over.
/// - `out_err`: may be NULL; on failure receives the error of the page that failed, to release
///   with `sendivent_error_free`. A failure ends the walk: the next call gives NULL.
///
/// Thread safety: calls on one paginator are serialised; use one paginator per thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_paginator_next(
    paginator: *const sendivent_paginator,
    out_item_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_item_json, "out_item_json")?;
        // SAFETY: NULL or a live paginator (caller's contract).
        let paginator = unsafe { paginator.as_ref() }.ok_or_else(|| null_argument("paginator"))?;
        // A panic while fetching poisons the lock; the walk's state is still consistent.
        let mut items = paginator.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let json = match items.next().transpose()? {
            Some(item) => owned_json(&item)?,
            None => std::ptr::null_mut(),
        };
        // SAFETY: checked non-null above.
        unsafe { write_out(out_item_json, json) };
        Ok(())
    })
}

/// Frees a paginator. NULL is accepted and ignored.
/// Thread safety: call it once, after every call using `paginator` has returned.
///
/// # Safety
/// `paginator` is NULL or from `sendivent_paginator_new` and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_paginator_free(paginator: *mut sendivent_paginator) {
    ffi_infallible((), || {
        if !paginator.is_null() {
            // SAFETY: from Box::into_raw in sendivent_paginator_new, freed once (caller's contract).
            drop(unsafe { Box::from_raw(paginator) });
        }
    })
}

/// One item's outcome in `sendivent_send_many`'s answer.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum ItemOutcome<'a> {
    Ok(Answer<'a>),
    Error(Box<sendivent::error::ErrorDetails>),
}

/// Sends many events at once, at most `concurrency` in flight (core's `send_many`): one result
/// per item, in order; one item failing does not stop the others. Each send keeps its own
/// idempotency key, so its retries never notify twice.
///
/// - `client`, `items_json`: must not be NULL; `items_json` is a JSON array of
///   `{"event", "channel"?, "body": <SendRequest>, "idempotency_key"?}`. A list that is not an
///   array is `SENDIVENT_ERR_INVALID_REQUEST`; a malformed item is that item's error.
/// - `concurrency`: may be NULL for the default (8); else sends in flight at once, 1 to 256
///   (out of bounds: `SENDIVENT_ERR_INVALID_ARGUMENT`).
/// - `options_json`: may be NULL; per-request options as for `sendivent_call`, for every send
///   (give idempotency keys per item, in `items_json`).
/// - `out_json`: must not be NULL; on success receives a JSON array with, per item,
///   `{"ok": {"data": <SendResponse>, "meta": <ResponseMeta>}}` or `{"error": <details>}` (the
///   details are those of `sendivent_error_details_json`), owned by the caller: release it with
///   `sendivent_string_free`.
/// - `out_err`: may be NULL; on failure (of the whole call) receives an error to release with
///   `sendivent_error_free`.
///
/// Blocks the calling thread until every send ends. Thread safety: safe to call concurrently on
/// one client.
///
/// # Safety
/// Pointers are NULL or valid for their documented use; strings are NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_send_many(
    client: *const sendivent_client,
    items_json: *const c_char,
    concurrency: *const f64,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_json, "out_json")?;
        // SAFETY: forwarded contract, for every pointer.
        let (client, items, concurrency) = unsafe {
            (
                client_ref(client)?,
                optional_json(non_null(items_json, "items_json")?, "items_json", ErrorCode::InvalidRequest)?,
                concurrency.as_ref().copied(),
            )
        };
        // SAFETY: forwarded contract.
        let client = unsafe { with_request_options(client, options_json) }?;
        let results = client.run(|c| async move { c.send_many_json(&items, concurrency).await })?;
        let outcomes: Vec<ItemOutcome<'_>> = results
            .iter()
            .map(|result| match result {
                Ok(response) => ItemOutcome::Ok(Answer { data: response.data(), meta: response.meta() }),
                Err(err) => ItemOutcome::Error(Box::new(err.details())),
            })
            .collect();
        let json = owned_json(&outcomes)?;
        // SAFETY: checked non-null above.
        unsafe { write_out(out_json, json) };
        Ok(())
    })
}
