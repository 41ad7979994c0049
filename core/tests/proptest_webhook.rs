//! Property tests of Standard Webhooks signing and verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use proptest::prelude::*;

use sendivent::webhook::{self, Secret, Verifier, VerifyOptions};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn hmac_secret() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 16..=64).prop_flat_map(|key| {
        let encoded = B64.encode(&key);
        prop_oneof![
            Just(format!("whsec_{encoded}")),
            Just(encoded.clone()),
            Just(format!("whsec_{}", encoded.trim_end_matches('='))),
        ]
    })
}

fn ed25519_secret() -> impl Strategy<Value = String> {
    any::<[u8; 32]>().prop_map(|seed| format!("whsk_{}", B64.encode(seed)))
}

fn any_secret() -> impl Strategy<Value = String> {
    prop_oneof![4 => hmac_secret(), 1 => ed25519_secret()]
}

/// Message ids as senders produce them: visible ASCII and Unicode, no surrounding whitespace.
fn msg_id() -> impl Strategy<Value = String> {
    "[!-~][ -~\u{a0}-\u{2fff}]{0,40}".prop_filter("no surrounding whitespace", |s| s.trim() == s)
}

fn timestamp() -> impl Strategy<Value = i64> {
    prop_oneof![4 => 0i64..4_000_000_000, 1 => any::<i64>()]
}

fn at(ts: i64) -> VerifyOptions {
    VerifyOptions::default().now(ts)
}

// Signing and verifying (ed25519 especially) is slow in debug builds: fewer cases here, more below.
proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_round_trips(
        secret in any_secret(),
        id in msg_id(),
        ts in timestamp(),
        body in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let headers = webhook::sign_headers(&secret, &id, ts, &body).unwrap();
        let prefix = if secret.starts_with("whsk_") { "v1a," } else { "v1," };
        prop_assert!(headers.signature.starts_with(prefix));
        let verifier = Verifier::new(&secret).unwrap();
        verifier.verify(&body, &headers, &at(ts)).unwrap();
        // An ed25519 key verifies with its public half too.
        if let Some(public) = Secret::parse(&secret).unwrap().public_key() {
            webhook::verify(&body, &headers, &public, &at(ts)).unwrap();
        }
    }

    #[test]
    fn any_single_byte_change_of_the_body_fails(
        secret in any_secret(),
        id in msg_id(),
        ts in 0i64..4_000_000_000,
        body in prop::collection::vec(any::<u8>(), 1..512),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let headers = webhook::sign_headers(&secret, &id, ts, &body).unwrap();
        let mut tampered = body.clone();
        tampered[index.index(body.len())] ^= flip;
        let err = webhook::verify(&tampered, &headers, &secret, &at(ts)).unwrap_err();
        prop_assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
        // Appending or dropping a byte fails too.
        let mut longer = body.clone();
        longer.push(b' ');
        prop_assert!(webhook::verify(&longer, &headers, &secret, &at(ts)).is_err());
        prop_assert!(webhook::verify(&body[..body.len() - 1], &headers, &secret, &at(ts)).is_err());
    }

    #[test]
    fn any_single_byte_change_of_the_id_fails(
        secret in any_secret(),
        id in "[A-Za-z0-9_]{1,40}",
        ts in 0i64..4_000_000_000,
        body in prop::collection::vec(any::<u8>(), 0..256),
        index in any::<prop::sample::Index>(),
        replacement in "[A-Za-z0-9_]",
    ) {
        let headers = webhook::sign_headers(&secret, &id, ts, &body).unwrap();
        let at_index = index.index(id.len());
        prop_assume!(id[at_index..at_index + 1] != replacement);
        let mut changed = id.clone();
        changed.replace_range(at_index..at_index + 1, &replacement);
        let pairs = [
            ("webhook-id", changed),
            ("webhook-timestamp", ts.to_string()),
            ("webhook-signature", headers.signature.clone()),
        ];
        let err = webhook::verify(&body, pairs, &secret, &at(ts)).unwrap_err();
        prop_assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    }

    #[test]
    fn any_change_of_the_timestamp_fails(
        secret in any_secret(),
        id in msg_id(),
        ts in 1_000_000_000i64..4_000_000_000,
        body in prop::collection::vec(any::<u8>(), 0..256),
        index in any::<prop::sample::Index>(),
        digit in 0u8..=9,
    ) {
        let headers = webhook::sign_headers(&secret, &id, ts, &body).unwrap();
        let mut text = ts.to_string().into_bytes();
        let at_index = index.index(text.len());
        prop_assume!(text[at_index] != b'0' + digit && !(at_index == 0 && digit == 0));
        text[at_index] = b'0' + digit;
        let changed = String::from_utf8(text).unwrap();
        let pairs = [
            ("webhook-id", id.clone()),
            ("webhook-timestamp", changed),
            ("webhook-signature", headers.signature.clone()),
        ];
        // The timestamp check is skipped so that the signature decides.
        let options = at(ts).skip_timestamp_check(true);
        let err = webhook::verify(&body, pairs, &secret, &options).unwrap_err();
        prop_assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    }

    #[test]
    fn rotation_accepts_any_listed_signature_and_any_listed_secret(
        secrets in prop::collection::vec(any_secret(), 1..4),
        pick in any::<prop::sample::Index>(),
        id in msg_id(),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let ts = 1_700_000_000;
        let signatures: Vec<String> = secrets.iter().map(|s| webhook::sign(s, &id, ts, &body).unwrap()).collect();
        let header = signatures.join(" ");
        let pairs = [
            ("webhook-id", id.as_str()),
            ("webhook-timestamp", "1700000000"),
            ("webhook-signature", header.as_str()),
        ];
        let one = &secrets[pick.index(secrets.len())];
        webhook::verify(&body, pairs, one, &at(ts)).unwrap();
        let verifier = Verifier::from_secrets(&secrets).unwrap();
        let picked = signatures[pick.index(signatures.len())].as_str();
        let single = [("webhook-id", id.as_str()), ("webhook-timestamp", "1700000000"), ("webhook-signature", picked)];
        verifier.verify(&body, single, &at(ts)).unwrap();
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn tolerance_is_two_sided_and_inclusive(
        tolerance in 0u64..100_000,
        skew in -200_000i64..200_000,
    ) {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let ts = 1_700_000_000;
        let headers = webhook::sign_headers(secret, "msg_1", ts, b"{}").unwrap();
        let options = at(ts + skew).tolerance(std::time::Duration::from_secs(tolerance));
        let result = webhook::verify(b"{}", &headers, secret, &options);
        match result {
            Ok(()) => prop_assert!(skew.unsigned_abs() <= tolerance),
            Err(err) if skew > 0 => {
                prop_assert_eq!(err.code(), "WEBHOOK_TIMESTAMP_TOO_OLD");
                prop_assert!(skew.unsigned_abs() > tolerance);
            }
            Err(err) => {
                prop_assert_eq!(err.code(), "WEBHOOK_TIMESTAMP_TOO_NEW");
                prop_assert!(skew.unsigned_abs() > tolerance);
            }
        }
    }

    #[test]
    fn secret_parse_never_panics(input in any::<String>()) {
        match Secret::parse(&input) {
            Ok(secret) => {
                // Debug never shows more than the last four characters of the key material.
                let shown = format!("{secret:?}");
                let trimmed = input.trim();
                if trimmed.len() > 16 {
                    prop_assert!(!shown.contains(&trimmed[..trimmed.len() - 4]));
                }
            }
            Err(err) => prop_assert!(err.error_code().is_webhook(), "{}", err),
        }
    }

    #[test]
    fn secret_parse_never_panics_on_prefixed_input(
        prefix in prop_oneof![Just("whsec_"), Just("whpk_"), Just("whsk_"), Just("")],
        rest in "[A-Za-z0-9+/=_ ,-]{0,120}",
    ) {
        let input = format!("{prefix}{rest}");
        if let Err(err) = Secret::parse(&input) {
            prop_assert!(err.error_code().is_webhook(), "{}", err);
        }
    }

    #[test]
    fn header_parsing_never_panics(
        id in any::<String>(),
        ts in prop_oneof![any::<String>(), "-?[0-9]{1,22}"],
        signature in prop_oneof![
            any::<String>(),
            "((v1a?|v2|V1|x)?,?[A-Za-z0-9+/=!]{0,100} ?){0,5}",
        ],
        body in prop::collection::vec(any::<u8>(), 0..64),
        parse_event in any::<bool>(),
    ) {
        let verifier = Verifier::from_secrets([
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=",
        ])
        .unwrap();
        let pairs = [
            ("webhook-id", id.as_str()),
            ("Webhook-Timestamp", ts.as_str()),
            ("WEBHOOK-SIGNATURE", signature.as_str()),
        ];
        let options = VerifyOptions::default().now(0);
        let result = if parse_event {
            verifier.verify_event(&body, pairs, &options).map(|_| ())
        } else {
            verifier.verify(&body, pairs, &options)
        };
        if let Err(err) = result {
            prop_assert!(err.error_code().is_webhook(), "{}", err);
        }
    }
}
