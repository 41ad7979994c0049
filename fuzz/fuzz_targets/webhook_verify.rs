//! Webhook verification on arbitrary headers and bodies.
//!
//! Input: `id \n timestamp \n signature-header \n body…` (text seeds stay readable). Oracles: no
//! panic; every error is a webhook error; a message signed by the core verifies, and stops
//! verifying when the body changes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::webhook::{self, Verifier, VerifyOptions};

const HMAC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ED25519: &str = "whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

static VERIFIER: std::sync::OnceLock<Verifier> = std::sync::OnceLock::new();

fn split(data: &[u8]) -> (&[u8], &[u8], &[u8], &[u8]) {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let mut next = || parts.next().unwrap_or_default();
    (next(), next(), next(), next())
}

fuzz_target!(|data: &[u8]| {
    let (id, ts, signature, body) = split(data);
    let (id, ts, signature) = (String::from_utf8_lossy(id), String::from_utf8_lossy(ts), String::from_utf8_lossy(signature));
    let verifier = VERIFIER.get_or_init(|| match Verifier::from_secrets([HMAC, ED25519]) {
        Ok(verifier) => verifier,
        Err(err) => panic!("the fixed secrets parse: {err}"),
    });
    let headers = [("webhook-id", &*id), ("Webhook-Timestamp", &*ts), ("WEBHOOK-SIGNATURE", &*signature)];
    for options in [VerifyOptions::default().now(1_700_000_000), VerifyOptions::default().now(0).skip_timestamp_check(true)] {
        if let Err(err) = verifier.verify_event(body, headers, &options) {
            assert!(err.error_code().is_webhook(), "{err}");
        }
    }

    // Round trip: whatever the core signs, it verifies; a changed body does not. ed25519 is slow,
    // so it takes part for one input in eight.
    let timestamp = ts.trim().parse::<i64>().unwrap_or(1_700_000_000);
    let secrets: &[&str] = if data.len() % 8 == 0 { &[HMAC, ED25519] } else { &[HMAC] };
    for &secret in secrets {
        match webhook::sign_headers(secret, &id, timestamp, body) {
            Ok(signed) => {
                let options = VerifyOptions::default().now(timestamp);
                if let Err(err) = verifier.verify(body, &signed, &options) {
                    panic!("a signed message does not verify: {err}");
                }
                let mut changed = body.to_vec();
                changed.push(b'x');
                assert!(verifier.verify(&changed, &signed, &options).is_err(), "a changed body verifies");
            }
            Err(err) => assert!(
                id.is_empty() || id.trim() != id || id.chars().any(char::is_control),
                "signing refused a usable id {id:?}: {err}"
            ),
        }
    }
});
