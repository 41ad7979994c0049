//! `Retry-After` values from a server: seconds (any float text) or an HTTP date. Oracles: no
//! panic (a huge or odd value once crashed the client through `Duration::from_secs_f64`); a
//! parsed delay is at most the clamp (366 days).
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use sendivent::client::retry::parse_retry_after;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    if let Some(delay) = parse_retry_after(&text, now) {
        assert!(delay <= Duration::from_secs(366 * 24 * 3600), "{text:?} gave {delay:?}");
    }
});
