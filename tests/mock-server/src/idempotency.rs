//! The idempotency store: the first answer of each (API key, `X-Idempotency-Key`) pair, kept for
//! a time to live (the real API's 24 h) and bounded in size, the oldest keys forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The stored first answer of an idempotency key.
#[derive(Debug, Clone)]
pub(crate) struct StoredAnswer {
    pub status: u16,
    pub body: Value,
    pub request_hash: String,
}

/// One key's slot. Concurrent duplicates queue on its lock: the first commits and fills it, the
/// others replay what it stored.
pub(crate) type IdemSlot = Arc<tokio::sync::Mutex<Option<StoredAnswer>>>;

/// (API key, idempotency key).
type Key = (String, String);

/// Slots by key, with their creation order for expiry and eviction.
#[derive(Debug)]
pub(crate) struct IdempotencyStore {
    ttl: Duration,
    max_keys: usize,
    slots: HashMap<Key, IdemSlot>,
    /// Every key of `slots` once, oldest first. Keys are only ever removed from the front, so the
    /// two stay in step.
    created: VecDeque<(Key, Instant)>,
}

impl IdempotencyStore {
    /// An empty store. `max_keys` is at least 1.
    pub fn new(ttl: Duration, max_keys: usize) -> IdempotencyStore {
        IdempotencyStore { ttl, max_keys: max_keys.max(1), slots: HashMap::new(), created: VecDeque::new() }
    }

    /// The slot of `key` at time `now` (passed in so tests can move the clock): the live one, or
    /// a new empty one when the key is unknown or has expired.
    pub fn slot(&mut self, api_key: &str, idempotency_key: &str, now: Instant) -> IdemSlot {
        self.expire(now);
        let key = (api_key.to_owned(), idempotency_key.to_owned());
        if let Some(slot) = self.slots.get(&key) {
            return Arc::clone(slot);
        }
        let slot = IdemSlot::default();
        self.slots.insert(key.clone(), Arc::clone(&slot));
        self.created.push_back((key, now));
        while self.slots.len() > self.max_keys {
            self.forget_oldest();
        }
        slot
    }

    /// Keys currently remembered (after dropping those expired at `now`).
    pub fn len(&mut self, now: Instant) -> usize {
        self.expire(now);
        self.slots.len()
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.created.clear();
    }

    fn expire(&mut self, now: Instant) {
        while self.created.front().is_some_and(|(_, at)| now.saturating_duration_since(*at) >= self.ttl) {
            self.forget_oldest();
        }
    }

    fn forget_oldest(&mut self) {
        if let Some((key, _)) = self.created.pop_front() {
            self.slots.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn answer(store: &mut IdempotencyStore, key: &str, now: Instant) -> Option<u16> {
        let slot = store.slot("test_k", key, now);
        let mut stored = slot.try_lock().unwrap();
        let status = stored.as_ref().map(|a| a.status);
        if stored.is_none() {
            *stored = Some(StoredAnswer { status: 200, body: Value::Null, request_hash: key.to_owned() });
        }
        status
    }

    #[test]
    fn keys_live_for_the_ttl_on_an_injected_clock() {
        let start = Instant::now();
        let day = Duration::from_secs(24 * 3600);
        let mut store = IdempotencyStore::new(day, 100);
        assert_eq!(answer(&mut store, "a", start), None, "first use");
        assert_eq!(answer(&mut store, "a", start + day - Duration::from_secs(1)), Some(200), "still stored");
        assert_eq!(answer(&mut store, "b", start + Duration::from_secs(3600)), None);
        assert_eq!(answer(&mut store, "a", start + day), None, "expired after 24 h, a new slot");
        assert_eq!(store.len(start + day), 2, "b and the new a");
        assert_eq!(store.len(start + day + Duration::from_secs(3600)), 1, "b expired too");
        assert_eq!(store.len(start + 3 * day), 0);
    }

    #[test]
    fn the_oldest_keys_go_first_beyond_the_cap() {
        let now = Instant::now();
        let mut store = IdempotencyStore::new(Duration::from_secs(60), 2);
        for key in ["a", "b", "c"] {
            assert_eq!(answer(&mut store, key, now), None);
        }
        assert_eq!(store.len(now), 2);
        assert_eq!(answer(&mut store, "c", now), Some(200));
        assert_eq!(answer(&mut store, "b", now), Some(200));
        assert_eq!(answer(&mut store, "a", now), None, "evicted");
        assert_eq!(answer(&mut store, "b", now), None, "evicted by the new a");
        // Keys are per API key.
        let other = store.slot("live_other", "b", now);
        assert!(other.try_lock().unwrap().is_none());
        store.clear();
        assert_eq!(store.len(now), 0);
    }
}
