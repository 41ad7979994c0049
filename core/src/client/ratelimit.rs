//! Client-side rate limiting: a GCRA token bucket shared by every clone of a client, so bulk
//! senders stay under the key's documented rate instead of meeting 429s.

use std::time::Duration;

use tokio::sync::Mutex;

use super::rt::{self, Instant};

/// Spaces requests evenly, slightly under the target rate.
///
/// No burst is allowed: servers (and the mock) count requests in a sliding one-second window,
/// where a burst at the start of a window plus the steady rate overshoots the limit. Running at
/// 98% of the rate leaves room for scheduling and network jitter.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    next_free: Mutex<Option<Instant>>,
}

/// The share of the target rate actually used.
const HEADROOM: f64 = 0.98;

impl RateLimiter {
    /// A limiter at `rate` requests per second.
    pub(crate) fn new(rate: f64) -> RateLimiter {
        RateLimiter { interval: Duration::from_secs_f64(1.0 / (rate * HEADROOM)), next_free: Mutex::new(None) }
    }

    /// Waits until a request may be sent.
    pub(crate) async fn acquire(&self) {
        let wait_until = {
            let mut next = self.next_free.lock().await;
            let now = Instant::now();
            // The earliest time this request may go: one interval after the previous one.
            let at = next.map_or(now, |t| t.max(now));
            *next = Some(at + self.interval);
            (at > now).then_some(at)
        };
        if let Some(at) = wait_until {
            rt::sleep_until(at).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_at_the_rate() {
        let limiter = RateLimiter::new(10.0);
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire().await;
        }
        // 21 requests at 98% of 10/s: the last goes out at 20 / 9.8 s = 2.04 s, and no
        // one-second window holds more than 10.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(2030) && elapsed <= Duration::from_millis(2060), "{elapsed:?}");
    }
}
