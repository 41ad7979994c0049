//! The error-envelope parser: any status, headers and body become an error. Input: two status
//! bytes, a send flag byte, `Retry-After` up to the first newline, then the body. Oracles: no
//! panic; a non-empty code; the class is the status's; retryability follows the status.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::{Error, ErrorClass};

fuzz_target!(|data: &[u8]| {
    let (status, send, rest) = match data {
        [a, b, s, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 600, s & 1 == 1, rest),
        _ => return,
    };
    let (retry_after, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (String::from_utf8_lossy(&rest[..i]).into_owned(), &rest[i + 1..]),
        None => (String::new(), rest),
    };
    let err = Error::from_answer(status, vec![("Retry-After".into(), retry_after)], body, send);
    assert!(!err.code().is_empty());
    if !matches!(err, Error::SendFailed(_)) {
        assert_eq!(err.class(), ErrorClass::for_status(status), "{err}");
        assert_eq!(err.is_retryable(), matches!(status, 408 | 429 | 500..=599), "{err}");
    }
    let details = err.details();
    assert_eq!(details.status, Some(status));
});
