//! The bounds of every number a user or a server hands the SDK (docs/contract.md §2
//! "Option bounds"): timeouts, retries, rates, tolerances, concurrency, body sizes.
//!
//! Every binding converts its language's numbers through these functions, so `timeout=1e20`,
//! `NaN` or `-1` is the same clear INVALID_ARGUMENT error in every language and never a panic
//! (`Duration::from_secs_f64` panics on values it cannot represent).
//!
//! ```
//! use std::time::Duration;
//! use sendivent::api::bounds;
//!
//! assert_eq!(bounds::TIMEOUT.duration(2.5).unwrap(), Duration::from_millis(2500));
//! let err = bounds::TIMEOUT.duration(1e20).unwrap_err();
//! assert_eq!(err.code(), "INVALID_ARGUMENT");
//! assert!(err.message().contains("at most 3600"), "{err}");
//! ```

use std::time::Duration;

use crate::error::{Error, ErrorCode, Result};

/// The allowed range of one option, with its default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The option's name in the description (snake_case; bindings spell it their way).
    pub name: &'static str,
    /// What the number counts: `seconds`, `count`, `per_second`, `bytes`.
    pub unit: &'static str,
    /// The smallest allowed value.
    pub min: f64,
    /// Whether `min` itself is refused (a timeout must be greater than 0).
    pub min_exclusive: bool,
    /// The largest allowed value.
    pub max: f64,
    /// The value used when the option is not given.
    pub default: f64,
    /// Whether the value must be a whole number.
    pub integer: bool,
    /// What the option does, for generated documentation.
    pub doc: &'static str,
}

/// Per-attempt timeout of a request.
pub const TIMEOUT: Bound = Bound {
    name: "timeout",
    unit: "seconds",
    min: 0.0,
    min_exclusive: true,
    max: 3600.0,
    default: 30.0,
    integer: false,
    doc: "Per-attempt timeout of a request.",
};

/// Retries after the first attempt.
pub const MAX_RETRIES: Bound = Bound {
    name: "max_retries",
    unit: "count",
    min: 0.0,
    min_exclusive: false,
    max: 10.0,
    default: 2.0,
    integer: true,
    doc: "Retries after the first attempt (0 disables retries).",
};

/// Client-side rate limit.
pub const RATE_LIMIT: Bound = Bound {
    name: "rate_limit",
    unit: "per_second",
    min: 0.0,
    min_exclusive: true,
    max: 100_000.0,
    default: 0.0,
    integer: false,
    doc: "Client-side request rate limit; not set means no client-side limit.",
};

/// Webhook timestamp tolerance, either way.
pub const TOLERANCE: Bound = Bound {
    name: "tolerance",
    unit: "seconds",
    min: 0.0,
    min_exclusive: false,
    max: 604_800.0,
    default: 300.0,
    integer: false,
    doc: "How far a webhook's timestamp may be from now, either way (0 means exactly now, never off).",
};

/// Sends in flight at once in a bulk send.
pub const CONCURRENCY: Bound = Bound {
    name: "concurrency",
    unit: "count",
    min: 1.0,
    min_exclusive: false,
    max: 256.0,
    default: 8.0,
    integer: true,
    doc: "Sends in flight at once in `send_many`.",
};

/// The largest response body the client reads.
pub const MAX_RESPONSE_BYTES: Bound = Bound {
    name: "max_response_bytes",
    unit: "bytes",
    min: 1024.0,
    min_exclusive: false,
    max: 1_073_741_824.0,
    default: 10_485_760.0,
    integer: true,
    doc: "The largest response body the client reads; a larger one fails with INVALID_RESPONSE.",
};

/// Every bound, for the description.
pub const ALL: &[&Bound] = &[&TIMEOUT, &MAX_RETRIES, &RATE_LIMIT, &TOLERANCE, &CONCURRENCY, &MAX_RESPONSE_BYTES];

impl Bound {
    /// Checks `value` against the bound: finite, in range, whole when it must be.
    pub fn check(&self, value: f64) -> Result<f64> {
        let low_ok = if self.min_exclusive { value > self.min } else { value >= self.min };
        let whole_ok = !self.integer || value.fract() == 0.0;
        if value.is_finite() && low_ok && value <= self.max && whole_ok {
            return Ok(value);
        }
        let low = if self.min_exclusive { "greater than" } else { "at least" };
        let kind = if self.integer { "a whole number" } else { "a number" };
        let unit = match self.unit {
            "seconds" => " of seconds",
            "bytes" => " of bytes",
            "per_second" => " per second",
            _ => "",
        };
        Err(Error::invalid(
            ErrorCode::InvalidArgument,
            format!(
                "{} must be {kind}{unit} {low} {} and at most {}, got {value}",
                self.name,
                format_number(self.min),
                format_number(self.max)
            ),
        ))
    }

    /// Checks a number of seconds and converts it to a [`Duration`].
    pub fn duration(&self, seconds: f64) -> Result<Duration> {
        self.check(seconds).map(Duration::from_secs_f64)
    }

    /// Checks a [`Duration`] given by a Rust caller.
    pub fn check_duration(&self, duration: Duration) -> Result<Duration> {
        self.check(duration.as_secs_f64()).map(|_| duration)
    }

    /// Checks a whole number and converts it.
    pub fn count<T: TryFrom<u64>>(&self, value: f64) -> Result<T> {
        let value = self.check(value)?;
        // In range and whole, so the cast is exact; the conversion can only fail for a `T`
        // narrower than the bound, which is a bug in the caller.
        T::try_from(value as u64)
            .map_err(|_| Error::invalid(ErrorCode::InvalidArgument, format!("{} does not fit: {value}", self.name)))
    }

    /// The default as a [`Duration`] (for `seconds` bounds).
    pub fn default_duration(&self) -> Duration {
        Duration::from_secs_f64(self.default)
    }
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn out_of_range_values_are_errors_not_panics() {
        for bad in [f64::NAN, f64::INFINITY, -1.0, 0.0, 1e20, 3600.5] {
            assert_eq!(TIMEOUT.duration(bad).unwrap_err().code(), "INVALID_ARGUMENT", "{bad}");
        }
        assert_eq!(TOLERANCE.duration(0.0).unwrap(), Duration::ZERO);
        assert_eq!(TOLERANCE.duration(1e20).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(MAX_RETRIES.count::<u32>(2.5).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(MAX_RETRIES.count::<u32>(10.0).unwrap(), 10);
        assert_eq!(CONCURRENCY.count::<usize>(0.0).unwrap_err().code(), "INVALID_ARGUMENT");
        assert!(RATE_LIMIT.check(0.0).is_err() && RATE_LIMIT.check(1e-3).is_ok());
        assert_eq!(TIMEOUT.check_duration(Duration::MAX).unwrap_err().code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn defaults_are_in_range() {
        for bound in ALL {
            if bound.name != "rate_limit" {
                assert!(bound.check(bound.default).is_ok(), "{}", bound.name);
            }
        }
        assert_eq!(TIMEOUT.default_duration(), Duration::from_secs(30));
    }
}
