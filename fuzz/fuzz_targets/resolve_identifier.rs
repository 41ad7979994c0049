//! `resolve_identifier` on arbitrary text. Oracles: no panic; errors carry a code; a resolved
//! identifier resolves to itself again with the same kind (normalisation is idempotent).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::validate::resolve_identifier;

fuzz_target!(|input: &str| {
    match resolve_identifier(input) {
        Err(err) => assert!(!err.code().is_empty() && !err.message().is_empty()),
        Ok(id) => {
            assert!(!id.as_str().is_empty());
            match resolve_identifier(id.as_str()) {
                Ok(again) => {
                    assert_eq!(again.kind(), id.kind(), "{input:?} -> {:?}", id.as_str());
                    assert_eq!(again.as_str(), id.as_str(), "{input:?}");
                }
                Err(err) => panic!("{input:?} resolved to {:?}, which does not resolve: {err}", id.as_str()),
            }
        }
    }
});
