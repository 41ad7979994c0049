//! Client-side rate limiting: a GCRA token bucket shared by every clone of a client, so bulk
//! senders stay under the key's documented rate instead of meeting 429s.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces requests at `1/rate` seconds with a small burst allowance.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    burst: Duration,
    next_free: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter at `rate` requests per second. The burst allowance is kept small (at most a
    /// tenth of a second of requests) because servers count in one-second windows.
    pub(crate) fn new(rate: f64) -> RateLimiter {
        let interval = Duration::from_secs_f64(1.0 / rate);
        RateLimiter { interval, burst: interval.mul_f64((rate / 10.0).floor().max(0.0)), next_free: Mutex::new(None) }
    }

    /// Waits until a request may be sent.
    pub(crate) async fn acquire(&self) {
        let wait_until = {
            let mut next = self.next_free.lock().await;
            let now = Instant::now();
            // GCRA: the theoretical arrival time of this request.
            let tat = next.map_or(now, |t| t.max(now));
            *next = Some(tat + self.interval);
            tat.checked_sub(self.burst).filter(|t| *t > now)
        };
        if let Some(at) = wait_until {
            tokio::time::sleep_until(at).await;
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
        // 21 requests at 10/s with a burst of one: the last goes out at ~1.9 s.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(1850) && elapsed <= Duration::from_millis(2050), "{elapsed:?}");
    }
}
