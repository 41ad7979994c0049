//! Replay protection for received webhooks (docs/contract.md §2 "Webhook replays"): the Standard
//! Webhooks specification asks receivers to deduplicate on `webhook-id`; a [`ReplayGuard`]
//! records every verified id for as long as its timestamp could still pass the tolerance check,
//! and reports a second delivery of the same id as WEBHOOK_DUPLICATE (a duplicate deserves a 2xx
//! answer, so the handler runs once and the sender stops retrying).
//!
//! ```
//! use sendivent::webhook::{self, ReplayGuard, Verifier, VerifyOptions};
//!
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let verifier = Verifier::new(secret)?;
//! let guard = ReplayGuard::in_memory();
//! let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}")?;
//! let options = VerifyOptions::default().now(1_700_000_000);
//! verifier.verify_once(b"{}", &headers, &options, &guard)?;
//! let again = verifier.verify_once(b"{}", &headers, &options, &guard).unwrap_err();
//! assert_eq!(again.code(), "WEBHOOK_DUPLICATE");
//! # Ok::<(), sendivent::Error>(())
//! ```

use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Verified, VerifyOptions};
use crate::error::{Error, ErrorCode, Result};

/// Where a guard records ids. Implement it to keep ids in your own database or key-value store.
///
/// The check-and-record must be atomic: of concurrent calls with one key, exactly one returns
/// `Ok(true)`. A failure to reach the store is `Err` (REPLAY_STORE_ERROR): the webhook is then
/// neither accepted nor reported as a duplicate, so answer 5xx and let the sender retry.
pub trait ReplayStore: Send + Sync {
    /// Records `key` for `ttl` from `now` (unix seconds, the verification's clock) unless it is
    /// recorded; `true` when it was not.
    fn insert_if_absent(&self, key: &str, now: i64, ttl: Duration) -> Result<bool>;

    /// Forgets `key`, so a redelivery is handled again: for a handler that failed after the
    /// message was recorded. The default does nothing (a store that cannot forget keeps the id
    /// until it expires).
    fn remove(&self, key: &str) -> Result<()> {
        let _ = key;
        Ok(())
    }
}

/// The prefix of the stored keys unless [`ReplayGuard::namespace`] sets another.
pub const DEFAULT_NAMESPACE: &str = "sendivent:webhook:";

/// The default bound of an in-memory guard's entries.
pub const DEFAULT_MEMORY_ENTRIES: usize = 100_000;
/// How long an id is kept when the timestamp check is skipped (no tolerance to derive it from).
pub const UNBOUNDED_REPLAY_TTL: Duration = Duration::from_secs(24 * 3600);

/// An in-process store, bounded in entries and time: each id is kept for its ttl on the
/// verification's clock; when full, the id closest to expiry makes room (a flood of authentic
/// webhooks beyond the bound can then let an old id through again — use a shared store such as
/// Redis across processes).
pub struct MemoryStore {
    max_entries: usize,
    state: Mutex<MemoryState>,
}

#[derive(Default)]
struct MemoryState {
    /// Expiry (unix seconds) of every recorded key.
    expiry_of: HashMap<String, i64>,
    /// (reversed expiry, key): the soonest expiry on top.
    by_expiry: BinaryHeap<(std::cmp::Reverse<i64>, String)>,
}

impl MemoryStore {
    /// A store of at most `max_entries` ids.
    pub fn new(max_entries: usize) -> MemoryStore {
        MemoryStore { max_entries: max_entries.max(1), state: Mutex::default() }
    }

    /// How many ids are recorded (expired ones included until the next insertion drops them).
    pub fn len(&self) -> usize {
        self.state.lock().map_or(0, |s| s.expiry_of.len())
    }

    /// Whether no id is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ReplayStore for MemoryStore {
    fn insert_if_absent(&self, key: &str, now: i64, ttl: Duration) -> Result<bool> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = &mut *state;
        // Drop what expired; heap entries whose key was re-recorded later are stale, skip them.
        while let Some((std::cmp::Reverse(expiry), key)) = state.by_expiry.peek() {
            if *expiry > now {
                break;
            }
            if state.expiry_of.get(key) == Some(expiry) {
                state.expiry_of.remove(key);
            }
            state.by_expiry.pop();
        }
        if state.expiry_of.get(key).is_some_and(|expiry| *expiry > now) {
            return Ok(false);
        }
        while state.expiry_of.len() >= self.max_entries {
            match state.by_expiry.pop() {
                Some((std::cmp::Reverse(expiry), old)) => {
                    if state.expiry_of.get(&old) == Some(&expiry) {
                        state.expiry_of.remove(&old);
                    }
                }
                None => break,
            }
        }
        let expiry = now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
        state.expiry_of.insert(key.to_owned(), expiry);
        state.by_expiry.push((std::cmp::Reverse(expiry), key.to_owned()));
        Ok(true)
    }

    fn remove(&self, key: &str) -> Result<()> {
        // The heap entry stays and is skipped as stale when it surfaces.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).expiry_of.remove(key);
        Ok(())
    }
}

/// Records verified webhook ids in a [`ReplayStore`] and refuses repeats.
#[derive(Clone)]
pub struct ReplayGuard {
    store: Arc<dyn ReplayStore>,
    namespace: String,
}

impl fmt::Debug for ReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayGuard").field("namespace", &self.namespace).finish_non_exhaustive()
    }
}

impl ReplayGuard {
    /// A guard in this process's memory, bounded to [`DEFAULT_MEMORY_ENTRIES`] ids.
    pub fn in_memory() -> ReplayGuard {
        ReplayGuard::with_store(Arc::new(MemoryStore::new(DEFAULT_MEMORY_ENTRIES)))
    }

    /// A guard over any store; ids are stored under `sendivent:webhook:<id>`.
    pub fn with_store(store: Arc<dyn ReplayStore>) -> ReplayGuard {
        ReplayGuard { store, namespace: DEFAULT_NAMESPACE.to_owned() }
    }

    /// A guard in Redis (`redis://host:port/db`): `SET <key> 1 NX PX <ttl>`, atomic across every
    /// process that shares the server.
    #[cfg(feature = "redis")]
    pub fn redis(url: &str) -> Result<ReplayGuard> {
        Ok(ReplayGuard::with_store(Arc::new(RedisStore::open(url)?)))
    }

    /// Sets the prefix of the stored keys (default `sendivent:webhook:`), e.g. per endpoint.
    pub fn namespace(mut self, prefix: impl Into<String>) -> ReplayGuard {
        self.namespace = prefix.into();
        self
    }

    /// The store key of a message id.
    pub fn key(&self, msg_id: &str) -> String {
        ReplayEntry::key_in(&self.namespace, msg_id)
    }

    /// What this guard records for a verified message ([`ReplayEntry`]).
    pub fn entry(&self, verified: &Verified, options: &VerifyOptions) -> Result<ReplayEntry> {
        ReplayEntry::new(&self.namespace, verified, options)
    }

    /// Records a verified message as [`ReplayGuard::entry`] says: WEBHOOK_DUPLICATE when its id
    /// was recorded within its window, REPLAY_STORE_ERROR when the store cannot be reached.
    pub fn record_verified(&self, verified: &Verified, options: &VerifyOptions) -> Result<()> {
        let entry = self.entry(verified, options)?;
        entry.outcome(verified, self.store.insert_if_absent(&entry.key, entry.now, entry.ttl)?)
    }

    /// How long a verified message must be remembered: until its timestamp leaves the tolerance
    /// window (at least one second), or [`UNBOUNDED_REPLAY_TTL`] when the timestamp check is
    /// skipped.
    pub fn ttl(verified: &Verified, options: &VerifyOptions, now: i64) -> Duration {
        if options.skip_timestamp_check {
            return UNBOUNDED_REPLAY_TTL;
        }
        let until = i128::from(verified.timestamp) + i128::from(options.tolerance.as_secs()) + 1;
        let seconds = (until - i128::from(now)).clamp(1, i128::from(u32::MAX));
        Duration::from_secs(seconds as u64)
    }

    /// Records a verified message at `now` (unix seconds) for `ttl`; WEBHOOK_DUPLICATE when its
    /// id was recorded within its window, REPLAY_STORE_ERROR when the store cannot be reached.
    pub fn record(&self, verified: &Verified, now: i64, ttl: Duration) -> Result<()> {
        if self.store.insert_if_absent(&self.key(&verified.msg_id), now, ttl)? {
            Ok(())
        } else {
            Err(duplicate(&verified.msg_id))
        }
    }
}

impl ReplayGuard {
    /// Forgets a recorded message, so its redelivery is handled: call it when the handler failed
    /// after verification recorded the id (the sender will retry the delivery).
    pub fn release(&self, msg_id: &str) -> Result<()> {
        self.store.remove(&self.key(msg_id))
    }
}

/// What recording one verified message takes: the store key, how long to keep it and the clock
/// it is kept from. [`ReplayGuard`] records exactly this in its store; a caller that drives a
/// store itself (a binding awaiting an asynchronous key-value store) records `key` for `ttl`
/// and passes the store's answer to [`ReplayEntry::outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplayEntry {
    /// `<namespace><webhook-id>`.
    pub key: String,
    /// Until the message's timestamp leaves the tolerance window ([`ReplayGuard::ttl`]).
    pub ttl: Duration,
    /// The verification's clock, unix seconds.
    pub now: i64,
}

impl ReplayEntry {
    /// The entry of a verified message for keys under `namespace` (e.g. [`DEFAULT_NAMESPACE`]),
    /// on the verification's clock: `options.now`, else the message's own timestamp when the
    /// timestamp check is skipped, else the platform clock.
    pub fn new(namespace: &str, verified: &Verified, options: &VerifyOptions) -> Result<ReplayEntry> {
        let now = match options.now {
            Some(now) => now,
            None if options.skip_timestamp_check => verified.timestamp,
            None => super::clock_now()?,
        };
        Ok(ReplayEntry {
            key: ReplayEntry::key_in(namespace, &verified.msg_id),
            ttl: ReplayGuard::ttl(verified, options, now),
            now,
        })
    }

    fn key_in(namespace: &str, msg_id: &str) -> String {
        format!("{namespace}{msg_id}")
    }

    /// The outcome of recording: `inserted` is the store's answer to "record `key` unless it
    /// is recorded"; `false` is WEBHOOK_DUPLICATE.
    pub fn outcome(&self, verified: &Verified, inserted: bool) -> Result<()> {
        if inserted { Ok(()) } else { Err(duplicate(&verified.msg_id)) }
    }
}

/// The error of a message delivered again: answer it 2xx without handling it again.
pub fn duplicate(msg_id: &str) -> Error {
    let shown: String = msg_id.chars().take(64).collect();
    Error::webhook(
        ErrorCode::WebhookDuplicate,
        format!("webhook {shown:?} was already received and verified; answer 2xx without handling it again"),
    )
}

/// A store that cannot be reached: REPLAY_STORE_ERROR (answer 5xx so the sender retries).
pub fn store_error(message: impl fmt::Display) -> Error {
    Error::invalid(ErrorCode::ReplayStoreError, format!("the replay store failed: {message}"))
}

/// How long connecting to Redis, and each command, may take before the store fails
/// (REPLAY_STORE_ERROR) instead of holding the webhook's request.
#[cfg(feature = "redis")]
pub const REDIS_TIMEOUT: Duration = Duration::from_secs(5);

/// Redis as a [`ReplayStore`].
#[cfg(feature = "redis")]
pub struct RedisStore {
    client: redis::Client,
    /// The connection and the process that opened it: after `fork()` the child opens its own,
    /// as two processes writing commands on one socket read each other's answers
    /// (docs/contract.md §2 "Processes").
    connection: Mutex<Option<(u32, redis::Connection)>>,
}

#[cfg(feature = "redis")]
impl RedisStore {
    /// Connects lazily to `url` (`redis://host:port/db`); a malformed URL is REPLAY_STORE_ERROR.
    pub fn open(url: &str) -> Result<RedisStore> {
        let client = redis::Client::open(url).map_err(store_error)?;
        Ok(RedisStore { client, connection: Mutex::new(None) })
    }

    fn connect(&self) -> Result<redis::Connection> {
        let connection = self.client.get_connection_with_timeout(REDIS_TIMEOUT).map_err(store_error)?;
        connection.set_read_timeout(Some(REDIS_TIMEOUT)).map_err(store_error)?;
        connection.set_write_timeout(Some(REDIS_TIMEOUT)).map_err(store_error)?;
        Ok(connection)
    }
}

#[cfg(feature = "redis")]
impl RedisStore {
    /// Runs one command on this process's connection (reconnecting after fork() or a failure).
    fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T> {
        let mut slot = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let pid = std::process::id();
        // A connection inherited across fork() is the parent's: dropping it here closes only
        // this process's descriptor.
        if slot.as_ref().is_none_or(|(owner, _)| *owner != pid) {
            *slot = None;
            *slot = Some((pid, self.connect()?));
        }
        let Some((_, connection)) = slot.as_mut() else { return Err(store_error("no connection")) };
        command.query(connection).map_err(|err| {
            // The next call reconnects.
            *slot = None;
            store_error(err)
        })
    }
}

#[cfg(feature = "redis")]
impl ReplayStore for RedisStore {
    fn insert_if_absent(&self, key: &str, _now: i64, ttl: Duration) -> Result<bool> {
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let set: Option<String> = self.query(redis::cmd("SET").arg(key).arg(1).arg("NX").arg("PX").arg(millis))?;
        Ok(set.is_some())
    }

    fn remove(&self, key: &str) -> Result<()> {
        let _: i64 = self.query(redis::cmd("DEL").arg(key))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn verified(id: &str, timestamp: i64) -> Verified {
        Verified { msg_id: id.into(), timestamp, secret_index: 0, secret_fingerprint: "whsec:00".into() }
    }

    #[test]
    fn memory_store_is_bounded_in_time_and_entries() {
        let store = MemoryStore::new(3);
        let ttl = Duration::from_secs(10);
        assert!(store.insert_if_absent("a", 0, ttl).unwrap());
        assert!(!store.insert_if_absent("a", 9, ttl).unwrap());
        assert!(store.insert_if_absent("a", 10, ttl).unwrap(), "expired ids are forgotten");
        for key in ["b", "c", "d", "e"] {
            assert!(store.insert_if_absent(key, 10, Duration::from_secs(100)).unwrap());
        }
        assert_eq!(store.len(), 3, "the bound holds");
        assert!(store.insert_if_absent("a", 11, ttl).unwrap(), "the soonest expiry made room");
    }

    #[test]
    fn a_released_id_is_handled_again() {
        let guard = ReplayGuard::in_memory();
        let ttl = Duration::from_secs(60);
        guard.record(&verified("msg_1", 0), 0, ttl).unwrap();
        assert_eq!(guard.record(&verified("msg_1", 0), 1, ttl).unwrap_err().code(), "WEBHOOK_DUPLICATE");
        guard.release("msg_1").unwrap();
        guard.record(&verified("msg_1", 0), 2, ttl).unwrap();
    }

    #[test]
    fn ttl_covers_the_tolerance_window() {
        let options = VerifyOptions::default();
        assert_eq!(ReplayGuard::ttl(&verified("m", 1_000), &options, 1_000), Duration::from_secs(301));
        assert_eq!(ReplayGuard::ttl(&verified("m", 1_000), &options, 1_300), Duration::from_secs(1));
        assert_eq!(
            ReplayGuard::ttl(&verified("m", 1_000), &options.skip_timestamp_check(true), 0),
            UNBOUNDED_REPLAY_TTL
        );
    }

    #[test]
    fn concurrent_deliveries_of_one_id_are_accepted_once() {
        let guard = ReplayGuard::in_memory();
        let accepted = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for i in 0..200 {
                        if guard.record(&verified(&format!("msg_{i}"), 0), 0, Duration::from_secs(60)).is_ok() {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(accepted.load(Ordering::SeqCst), 200);
    }
}
