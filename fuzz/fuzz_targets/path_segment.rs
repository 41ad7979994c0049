//! Path parameters as URL path segments. Oracles: no panic; an accepted value encodes to one
//! segment that URL resolution cannot change (no `/`, `?`, `#`, not `.`/`..` raw or encoded),
//! and decodes back to the trimmed input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::api::path_segment;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(segment) = path_segment(text, "identifier") else { return };
    assert!(!segment.contains(['/', '?', '#', '\\']), "{segment}");
    assert!(segment != "." && segment != "..", "{segment}");
    let lower = segment.to_ascii_lowercase();
    assert!(lower != "%2e" && lower != "%2e%2e" && lower != ".%2e" && lower != "%2e.", "{segment}");
    let decoded: Vec<u8> = percent_decode(segment.as_bytes());
    assert_eq!(decoded, text.trim().as_bytes());
});

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' && i + 3 <= input.len() {
            let hex = std::str::from_utf8(&input[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(input[i]);
        i += 1;
    }
    out
}
