//! The webhook replay guard (docs/contract.md §2 "Webhook replays"): core's `ReplayGuard` over
//! an in-memory store, Redis, or a store the caller implements as a C callback.

use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::Arc;
use std::time::Duration;

use sendivent::Error;
use sendivent::webhook::{DEFAULT_MEMORY_ENTRIES, MemoryStore, RedisStore, ReplayGuard, ReplayStore, store_error};

use crate::error::sendivent_error;
use crate::ffi::{check_out, ffi_boundary, ffi_infallible, null_argument, optional_str, required_str, write_out};
use crate::result_gen::sendivent_result;

/// The size of the buffer a `sendivent_replay_insert_fn` may write a failure message into.
pub const SENDIVENT_REPLAY_ERROR_BUF_LEN: usize = 512;

/// A replay store's check-and-record, implemented by the caller
/// (`sendivent_replay_guard_new_custom`).
///
/// Records `key` for `ttl_seconds` from `now` (unix seconds, the verification's clock) unless it
/// is recorded, atomically: of concurrent calls with one key exactly one may return true.
/// Returns true when the key was not recorded (the webhook is new), false when it was (a
/// duplicate). When the store fails (unreachable, a timeout), write a NUL-terminated message of
/// at most `error_buf_len` bytes (NUL included) into `error_buf`, which the library zeroes
/// before the call: the verification then fails with `SENDIVENT_ERR_REPLAY_STORE_ERROR` and the
/// return value is ignored.
///
/// - `userdata`: the pointer given to `sendivent_replay_guard_new_custom`.
/// - `key`: the store key (the namespace followed by the `webhook-id`), NUL-terminated UTF-8,
///   borrowed for the call.
///
/// The callback may be called from several threads at once (one per concurrent verification)
/// and must not unwind (C++ exceptions, Go panics) into the library.
pub type sendivent_replay_insert_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        key: *const c_char,
        ttl_seconds: f64,
        now: i64,
        error_buf: *mut c_char,
        error_buf_len: usize,
    ) -> bool,
>;

/// Releases the `userdata` of a custom store when its guard is freed.
pub type sendivent_userdata_free_fn = Option<unsafe extern "C" fn(userdata: *mut c_void)>;

/// A replay guard: records the `webhook-id` of every verified webhook for as long as its
/// timestamp could pass the tolerance check, so that a second delivery of one id is
/// `SENDIVENT_ERR_WEBHOOK_DUPLICATE` (answer it 2xx without handling it again). Create it with a
/// `sendivent_replay_guard_new_*` function, use it with `sendivent_webhook_verifier_verify_once`
/// or `_verify_event_once`, free it with `sendivent_replay_guard_free`. One guard may be used
/// from many threads at once.
pub struct sendivent_replay_guard {
    pub(crate) inner: ReplayGuard,
}

/// The caller's store: its callback and its data. The library calls the callback from any
/// thread, as the type's documentation tells the caller.
struct CallbackStore {
    insert: unsafe extern "C" fn(*mut c_void, *const c_char, f64, i64, *mut c_char, usize) -> bool,
    userdata: *mut c_void,
    free: sendivent_userdata_free_fn,
}

// SAFETY: the callback's contract (documented on `sendivent_replay_insert_fn` and
// `sendivent_replay_guard_new_custom`) is that it may be called from any thread, concurrently;
// the library never touches `userdata` itself.
unsafe impl Send for CallbackStore {}
// SAFETY: as above.
unsafe impl Sync for CallbackStore {}

impl ReplayStore for CallbackStore {
    fn insert_if_absent(&self, key: &str, now: i64, ttl: Duration) -> Result<bool, Error> {
        let key = CString::new(key).map_err(|_| store_error("the webhook-id contains a NUL byte"))?;
        let mut message = [0 as c_char; SENDIVENT_REPLAY_ERROR_BUF_LEN];
        // SAFETY: the caller's callback and data, called as its contract says; `key` and
        // `message` outlive the call.
        let inserted = unsafe {
            (self.insert)(self.userdata, key.as_ptr(), ttl.as_secs_f64(), now, message.as_mut_ptr(), message.len())
        };
        if message[0] != 0 {
            // A callback that filled the buffer without a NUL still ends inside it.
            message[SENDIVENT_REPLAY_ERROR_BUF_LEN - 1] = 0;
            // SAFETY: NUL-terminated within the buffer (just ensured).
            let text = unsafe { CStr::from_ptr(message.as_ptr()) }.to_string_lossy().into_owned();
            return Err(store_error(text));
        }
        Ok(inserted)
    }
}

impl Drop for CallbackStore {
    fn drop(&mut self) {
        if let Some(free) = self.free {
            // SAFETY: the caller's release function for its own data, called once.
            unsafe { free(self.userdata) };
        }
    }
}

/// The key prefix argument of the constructors (NULL: core's default, `sendivent:webhook:`).
///
/// # Safety
/// `namespace_prefix` is NULL or NUL-terminated.
unsafe fn namespace<'a>(namespace_prefix: *const c_char) -> Result<Option<&'a str>, Error> {
    // SAFETY: forwarded contract.
    unsafe { optional_str(namespace_prefix, "namespace_prefix") }
}

/// Writes a new guard over `store` to `out_guard` (checked by the caller with `check_out`).
fn hand_out(out_guard: *mut *mut sendivent_replay_guard, store: Arc<dyn ReplayStore>, prefix: Option<&str>) {
    let inner = ReplayGuard::with_store(store);
    let inner = match prefix {
        Some(prefix) => inner.namespace(prefix),
        None => inner,
    };
    let guard = Box::into_raw(Box::new(sendivent_replay_guard { inner }));
    // SAFETY: every caller checked `out_guard` with `check_out` first.
    unsafe { write_out(out_guard, guard) };
}

/// Creates a guard that keeps ids in this process's memory, bounded in entries (when full, the
/// id closest to expiry makes room) and in time. Use a shared store (Redis, your own) when
/// several processes receive the same endpoint's webhooks.
///
/// - `max_entries`: the most ids kept; 0 for the default (100000).
/// - `namespace_prefix`: may be NULL for `sendivent:webhook:`; the prefix of the stored keys.
/// - `out_guard`: must not be NULL; on success receives the guard, owned by the caller: release
///   it with `sendivent_replay_guard_free`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_replay_guard_new_memory(
    max_entries: usize,
    namespace_prefix: *const c_char,
    out_guard: *mut *mut sendivent_replay_guard,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_guard, "out_guard")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let prefix = unsafe { namespace(namespace_prefix) }?;
        let entries = if max_entries == 0 { DEFAULT_MEMORY_ENTRIES } else { max_entries };
        hand_out(out_guard, Arc::new(MemoryStore::new(entries)), prefix);
        Ok(())
    })
}

/// Creates a guard that keeps ids in Redis (`SET <key> 1 NX PX <ttl>`), atomic across every
/// process sharing the server. The connection is opened on first use and reopened after a
/// failure; a store that cannot be reached makes the verification fail with
/// `SENDIVENT_ERR_REPLAY_STORE_ERROR` (answer 5xx so the sender retries).
///
/// - `url`: must not be NULL; `redis://host:port/db` (a malformed URL is
///   `SENDIVENT_ERR_REPLAY_STORE_ERROR`).
/// - `namespace_prefix`: may be NULL for `sendivent:webhook:`; the prefix of the stored keys.
/// - `out_guard`: must not be NULL; on success receives the guard, owned by the caller: release
///   it with `sendivent_replay_guard_free`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// Thread safety: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_replay_guard_new_redis(
    url: *const c_char,
    namespace_prefix: *const c_char,
    out_guard: *mut *mut sendivent_replay_guard,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_guard, "out_guard")?;
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let (url, prefix) = unsafe { (required_str(url, "url")?, namespace(namespace_prefix)?) };
        hand_out(out_guard, Arc::new(RedisStore::open(url)?), prefix);
        Ok(())
    })
}

/// Creates a guard over the caller's own store (a database, a key-value store): the library
/// calls `insert_if_absent` once per verified webhook (see `sendivent_replay_insert_fn`).
///
/// - `insert_if_absent`: must not be NULL.
/// - `userdata`: passed to every call; the library never reads it.
/// - `free_userdata`: may be NULL; called once with `userdata` when the guard is freed. Not
///   called when this function fails: the caller keeps `userdata` then.
/// - `namespace_prefix`: may be NULL for `sendivent:webhook:`; the prefix of the stored keys.
/// - `out_guard`: must not be NULL; on success receives the guard, owned by the caller: release
///   it with `sendivent_replay_guard_free`.
/// - `out_err`: may be NULL; on failure receives an error to release with `sendivent_error_free`.
///
/// The callback runs on the thread of each verification, possibly several at once: it must be
/// thread-safe as long as the guard lives. Thread safety of this function: safe from any thread.
///
/// # Safety
/// Pointers are NULL or valid for their documented use; the callbacks honour their contracts.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_replay_guard_new_custom(
    insert_if_absent: sendivent_replay_insert_fn,
    userdata: *mut c_void,
    free_userdata: sendivent_userdata_free_fn,
    namespace_prefix: *const c_char,
    out_guard: *mut *mut sendivent_replay_guard,
    out_err: *mut *mut sendivent_error,
) -> sendivent_result {
    ffi_boundary(out_err, || {
        check_out(out_guard, "out_guard")?;
        let insert = insert_if_absent.ok_or_else(|| null_argument("insert_if_absent"))?;
        // Checked before the store exists, so that a failure never calls `free_userdata`.
        // SAFETY: NULL or NUL-terminated (caller's contract).
        let prefix = unsafe { namespace(namespace_prefix) }?;
        hand_out(out_guard, Arc::new(CallbackStore { insert, userdata, free: free_userdata }), prefix);
        Ok(())
    })
}

/// Frees a guard. NULL is accepted and ignored. A custom store's `free_userdata` runs now.
/// Thread safety: call it once, after every verification using `guard` has returned.
///
/// # Safety
/// `guard` is NULL or from a `sendivent_replay_guard_new_*` function and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sendivent_replay_guard_free(guard: *mut sendivent_replay_guard) {
    ffi_infallible((), || {
        if !guard.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller's contract).
            drop(unsafe { Box::from_raw(guard) });
        }
    })
}
