//! Every operation's answer decoded from the same bytes, as the client decodes it (envelope
//! unwrapping, JSON paths of failures). Oracles: no panic; success or INVALID_RESPONSE only; a
//! decoded answer's canonical JSON decodes again (as the bare model) to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::api::OPERATIONS;
use sendivent::models::{EXTRA_KINDS, decode_response};

fuzz_target!(|data: &[u8]| {
    for kind in OPERATIONS.iter().map(|op| op.name).chain(EXTRA_KINDS.iter().copied()) {
        match decode_response(kind, data) {
            Ok(value) => {
                let text = value.to_string();
                // The canonical form of an enveloped model is the bare model, which the
                // lenient envelopes accept too; bare kinds must round-trip exactly.
                if let Ok(again) = decode_response(kind, text.as_bytes()) {
                    assert_eq!(again, value, "{kind}: {text}");
                }
            }
            Err(err) => assert_eq!(err.code(), "INVALID_RESPONSE", "{kind}: {err}"),
        }
    }
});
