//! Response metadata from arbitrary headers. Input: two status bytes, then `name: value` lines.
//! Oracles: no panic; the status is kept; `header()` finds what `from_headers` stored, case
//! insensitively.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::models::ResponseMeta;

fuzz_target!(|data: &[u8]| {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => return,
    };
    let text = String::from_utf8_lossy(rest);
    let headers: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let meta = ResponseMeta::from_headers(status, headers.clone());
    assert_eq!(meta.status, status);
    assert_eq!(meta.headers.len(), headers.len());
    if let Some((name, _)) = headers.first() {
        assert!(meta.header(&name.to_ascii_uppercase()).is_some(), "{name:?} is not found again");
    }
});
