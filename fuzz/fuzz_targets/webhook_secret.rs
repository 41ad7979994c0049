//! `Secret::parse` on arbitrary text. Oracles: no panic; errors are webhook errors; `Debug` never
//! shows the key material; a secret that can sign verifies its own signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::webhook::{Secret, Verifier, VerifyOptions};

fuzz_target!(|input: &str| {
    match Secret::parse(input) {
        Err(err) => assert!(err.error_code().is_webhook(), "{err}"),
        Ok(secret) => {
            let shown = format!("{secret:?}");
            let trimmed = input.trim();
            if let Some(head) = trimmed.get(..trimmed.len().saturating_sub(4)).filter(|h| h.len() > 12) {
                assert!(!shown.contains(head), "Debug shows the secret: {shown}");
            }
            if secret.can_sign() {
                let signature = match secret.sign("msg_fuzz", 1_700_000_000, input.as_bytes()) {
                    Ok(signature) => signature,
                    Err(err) => panic!("a signing secret cannot sign: {err}"),
                };
                let headers = [("webhook-id", "msg_fuzz"), ("webhook-timestamp", "1700000000"), ("webhook-signature", signature.as_str())];
                let verifier = Verifier::from(secret.clone());
                let result = verifier.verify(input.as_bytes(), headers, &VerifyOptions::default().now(1_700_000_000));
                assert!(result.is_ok(), "own signature rejected: {result:?}");
            }
            if let Some(public) = secret.public_key() {
                assert!(Secret::parse(&public).is_ok(), "derived public key does not parse: {public}");
            }
        }
    }
});
