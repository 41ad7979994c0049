//! When and how long to wait before retrying (docs/contract.md §2 "Retries": exponential backoff with full jitter
//! from 0.5 s, capped at 8 s; `Retry-After` in seconds or as an HTTP date is honoured).

use std::time::{Duration, SystemTime};

/// First backoff step.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// Largest backoff step.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// A `Retry-After` longer than this is not waited for: the error is returned instead, so a
/// caller is never blocked for minutes by one call.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The full-jitter delay before retry number `retry` (0-based): uniform in
/// `[0, min(MAX_BACKOFF, INITIAL_BACKOFF * 2^retry)]`.
pub fn backoff(retry: u32) -> Duration {
    let ceiling = INITIAL_BACKOFF.saturating_mul(1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX)).min(MAX_BACKOFF);
    ceiling.mul_f64(random_unit())
}

/// A uniformly distributed number in `[0, 1)`, from the OS RNG that `uuid` already uses.
fn random_unit() -> f64 {
    let bits = uuid::Uuid::new_v4().as_u128() >> 75; // 53 random bits
    bits as f64 / (1u64 << 53) as f64
}

/// The longest `Retry-After` kept as given; longer ones are clamped to it. Anything over
/// [`MAX_RETRY_AFTER`] already means "not retried", so the clamp only keeps huge values (a
/// server's `1e20`) from overflowing a [`Duration`].
const RETRY_AFTER_CLAMP: Duration = Duration::from_secs(366 * 24 * 3600);

/// Parses `Retry-After`: delta-seconds (fractions accepted) or an HTTP date. Values that are
/// not a finite, non-negative number or a date are ignored; huge ones are clamped.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds).map_or(RETRY_AFTER_CLAMP, |d| d.min(RETRY_AFTER_CLAMP)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO).min(RETRY_AFTER_CLAMP))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn backoff_stays_within_the_jitter_window() {
        for retry in 0..10 {
            let ceiling = (INITIAL_BACKOFF * 2u32.pow(retry)).min(MAX_BACKOFF);
            for _ in 0..50 {
                assert!(backoff(retry) <= ceiling);
            }
        }
        // Full jitter: over many draws, both small and large delays occur.
        let draws: Vec<Duration> = (0..200).map(|_| backoff(3)).collect();
        assert!(draws.iter().any(|d| *d < Duration::from_secs(1)));
        assert!(draws.iter().any(|d| *d > Duration::from_secs(3)));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.25 ", now), Some(Duration::from_millis(250)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(parse_retry_after("inf", now), None);
    }

    #[test]
    fn huge_retry_after_is_clamped_not_a_panic() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for huge in ["1e20", "1e308", "18446744073709551616", "99999999999999999999999"] {
            let parsed = parse_retry_after(huge, now).unwrap();
            assert!(parsed > MAX_RETRY_AFTER && parsed <= RETRY_AFTER_CLAMP, "{huge}: {parsed:?}");
        }
        let far = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799));
        assert_eq!(parse_retry_after(&far, now), Some(RETRY_AFTER_CLAMP));
    }
}
