#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
#[cfg(feature = "ed25519")]
const SEED_B64: &str = "whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

fn at(now: i64) -> VerifyOptions {
    VerifyOptions::default().now(now)
}

#[test]
fn timestamps_format_canonically() {
    let mut buf = [0u8; 20];
    for value in [0, 7, -7, 1_700_000_000, i64::MAX, i64::MIN, -1, 10, 1_000_000_000_000] {
        assert_eq!(format_timestamp(value, &mut buf), value.to_string().as_bytes());
    }
}

#[test]
fn timestamp_parsing_is_strict() {
    assert_eq!(parse_timestamp("1700000000").unwrap(), 1_700_000_000);
    assert_eq!(parse_timestamp("-5").unwrap(), -5);
    assert_eq!(parse_timestamp("0001").unwrap(), 1);
    for bad in ["", "-", "+1", "1.5", "1e9", " 1", "abc", "99999999999999999999", "--1", "١٢"] {
        let err = parse_timestamp(bad).unwrap_err();
        assert_eq!(err.code(), "WEBHOOK_INVALID_TIMESTAMP", "{bad:?}");
    }
}

#[test]
fn entries_skip_anything_not_well_formed() {
    let sig32 = BASE64.encode([1u8; 32]);
    let sig64 = BASE64.encode([2u8; 64]);
    let unpadded = sig32.trim_end_matches('=');
    let header =
        format!("v2,{sig32} v1 v1, v1,!!! v1,{} v1a,{sig32} v1,{unpadded}  v1a,{sig64}", BASE64.encode([0u8; 31]));
    let kinds: Vec<&str> = parse_signature_header(&header)
        .unwrap()
        .into_iter()
        .map(|e| match e {
            Entry::V1(s) => {
                assert_eq!(s, [1u8; 32]);
                "v1"
            }
            Entry::V1a(s) => {
                assert_eq!(s, [2u8; 64]);
                "v1a"
            }
        })
        .collect();
    assert_eq!(kinds, ["v1", "v1a"]);
    assert_eq!(parse_signature_header("v2,abc v1").unwrap_err().code(), "WEBHOOK_INVALID_SIGNATURE_HEADER");
}

#[test]
fn oversized_signature_headers_are_refused_before_decoding() {
    let entry = format!("v1a,{}", BASE64.encode([2u8; 64]));
    let thousand = vec![entry.as_str(); 1000].join(" ");
    let err = parse_signature_header(&thousand).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_INVALID_SIGNATURE_HEADER");
    assert!(err.message().contains("more than"), "{err}");
    // 16 entries pass the cap; repeats are kept once.
    let sixteen = vec![entry.as_str(); 16].join(" ");
    assert_eq!(parse_signature_header(&sixteen).unwrap().len(), 1);
}

#[test]
fn signed_content_matches_the_incremental_hmac() {
    let secret = Secret::parse(SECRET).unwrap();
    let Key::Hmac(mac) = &secret.key else { panic!("symmetric") };
    let mut whole = mac.clone();
    whole.update(&signed_content(b"msg", b"12", b"body"));
    let whole: [u8; 32] = whole.finalize().into_bytes().into();
    assert_eq!(hmac_tag(mac, b"msg", b"12", b"body"), whole);
}

#[test]
#[cfg(feature = "ed25519")]
fn ed25519_round_trip_and_public_key_verification() {
    let private = Secret::parse(SEED_B64).unwrap();
    assert_eq!(private.kind(), SecretKind::Ed25519Private);
    assert!(private.can_sign());
    let public = private.public_key().unwrap();
    let signature = private.sign("msg_1", 1_700_000_000, b"hello").unwrap();
    assert!(signature.starts_with("v1a,"));
    let headers = [("webhook-id", "msg_1"), ("webhook-timestamp", "1700000000"), ("webhook-signature", &signature)];
    for key in [SEED_B64, public.as_str()] {
        Verifier::new(key).unwrap().verify(b"hello", headers, &at(1_700_000_000)).unwrap();
        let err = Verifier::new(key).unwrap().verify(b"hellO", headers, &at(1_700_000_000)).unwrap_err();
        assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    }
    let public = Secret::parse(&public).unwrap();
    assert!(!public.can_sign());
    assert_eq!(public.sign("msg_1", 1, b"").unwrap_err().code(), "WEBHOOK_INVALID_SECRET");
}

#[test]
#[cfg(feature = "ed25519")]
fn keypair_form_must_be_consistent() {
    let private = Secret::parse(SEED_B64).unwrap();
    let public = BASE64.decode(&private.public_key().unwrap()["whpk_".len()..]).unwrap();
    let mut pair = vec![7u8; 32];
    pair.extend_from_slice(&public);
    let good = format!("whsk_{}", BASE64.encode(&pair));
    assert_eq!(
        Secret::parse(&good).unwrap().sign("m", 1, b"x").unwrap(),
        private.sign("m", 1, b"x").unwrap(),
        "seed and seed||public sign alike"
    );
    pair[40] ^= 1;
    let bad = format!("whsk_{}", BASE64.encode(&pair));
    assert_eq!(Secret::parse(&bad).unwrap_err().code(), "WEBHOOK_INVALID_SECRET");
}

#[test]
#[cfg(feature = "ed25519")]
fn debug_output_never_shows_key_material() {
    let secret = Secret::parse(SECRET).unwrap();
    let shown = format!("{secret:?}");
    assert!(shown.contains("whsec_…LaSw"), "{shown}");
    assert!(!shown.contains("MfKQ9r8GKY"), "{shown}");
    let verifier = Verifier::from_secrets([SECRET, SEED_B64]).unwrap();
    let shown = format!("{verifier:?}");
    assert!(!shown.contains("MfKQ9r8GKY") && !shown.contains("BwcHBwcH"), "{shown}");
    assert!(shown.contains("whsk_…Bwc="), "{shown}");
}

#[test]
fn secret_pitfalls_have_their_own_codes() {
    let cases = [
        ("", "WEBHOOK_SECRET_EMPTY"),
        (" \n\t", "WEBHOOK_SECRET_EMPTY"),
        ("live_abcdefghijklmnop", "WEBHOOK_SECRET_IS_API_KEY"),
        ("test_abcdefghijklmnop", "WEBHOOK_SECRET_IS_API_KEY"),
        ("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("v1a,AAAA", "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("v2,xxx v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("Webhook-Signature: v2,abc", "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("whsec_", "WEBHOOK_INVALID_SECRET"),
        ("whsec_not base64!", "WEBHOOK_INVALID_SECRET"),
        ("whsec_c2hvcnQ=", "WEBHOOK_INVALID_SECRET"),
        ("whpk_AAAA", "WEBHOOK_INVALID_SECRET"),
        ("whsk_AAAA", "WEBHOOK_INVALID_SECRET"),
        ("sk_live_12345", "WEBHOOK_INVALID_SECRET"),
    ];
    for (input, code) in cases {
        assert_eq!(Secret::parse(input).unwrap_err().code(), code, "{input:?}");
    }
    // Surrounding whitespace from an env file is forgiven; padding is optional.
    let trimmed = Secret::parse(&format!("  {SECRET}\n")).unwrap();
    assert_eq!(trimmed.sign("m", 1, b"").unwrap(), sign(SECRET, "m", 1, b"").unwrap());
    let unpadded = "whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ";
    assert_eq!(sign(unpadded, "m", 1, b"").unwrap(), sign(&format!("{unpadded}=="), "m", 1, b"").unwrap());
}

#[test]
fn rotation_error_names_the_secret() {
    let err = Verifier::from_secrets([SECRET, "test_abcdefghijklmnop"]).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_SECRET_IS_API_KEY");
    assert!(err.to_string().contains("secret #2"), "{err}");
    assert_eq!(Verifier::from_secrets(Vec::<String>::new()).unwrap_err().code(), "WEBHOOK_SECRET_EMPTY");
}

#[test]
fn header_sources_of_every_shape_work() {
    let signed = sign_headers(SECRET, "msg_1", 1_700_000_000, b"{}").unwrap();
    let verifier = Verifier::new(SECRET).unwrap();
    let options = at(1_700_000_000);
    verifier.verify(b"{}", &signed, &options).unwrap();
    let owned: Vec<(String, String)> = signed.clone().into_iter().map(|(k, v)| (k.to_ascii_uppercase(), v)).collect();
    verifier.verify(b"{}", &owned, &options).unwrap();
    let map: std::collections::HashMap<String, String> = owned.iter().cloned().collect();
    verifier.verify(b"{}", &map, &options).unwrap();
    verifier.verify(b"{}", owned.clone(), &options).unwrap();
    let s = &signed;
    verifier.verify_parts(b"{}", &s.id, &s.timestamp.to_string(), &s.signature, &options).unwrap();
}

#[test]
fn repeated_headers_follow_one_policy() {
    let signed = sign_headers(SECRET, "msg_1", 1_700_000_000, b"{}").unwrap();
    // Signature entries of every occurrence count.
    let mut headers: Vec<(&str, String)> = vec![("webhook-signature", "v1,bad".into())];
    headers.extend(signed.pairs());
    verify(b"{}", &headers, SECRET, &at(1_700_000_000)).unwrap();
    // An id that differs between occurrences is refused, in either order.
    let mut headers: Vec<(&str, String)> = signed.pairs().into();
    headers.push(("webhook-id", "msg_2".into()));
    let err = verify(b"{}", &headers, SECRET, &at(1_700_000_000)).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_AMBIGUOUS_HEADER");
    headers.reverse();
    assert_eq!(verify(b"{}", &headers, SECRET, &at(1_700_000_000)).unwrap_err().code(), "WEBHOOK_AMBIGUOUS_HEADER");
}

#[test]
fn missing_headers_are_all_named() {
    let err = verify(b"{}", [("webhook-id", "x")], SECRET, &at(0)).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_MISSING_HEADER");
    assert!(err.message().contains("webhook-timestamp, webhook-signature"), "{err}");
}

#[test]
fn skew_is_measured_in_the_message() {
    let signed = sign_headers(SECRET, "msg_1", 1_700_000_000, b"{}").unwrap();
    let old = verify(b"{}", &signed, SECRET, &at(1_700_000_412)).unwrap_err();
    assert_eq!(old.code(), "WEBHOOK_TIMESTAMP_TOO_OLD");
    assert!(old.message().contains("412 s") && old.message().contains("300 s"), "{old}");
    let new = verify(b"{}", &signed, SECRET, &at(1_699_999_000).tolerance(Duration::from_secs(10))).unwrap_err();
    assert_eq!(new.code(), "WEBHOOK_TIMESTAMP_TOO_NEW");
    assert!(new.message().contains("1000 s") && new.message().contains("10 s"), "{new}");
    let millis = sign_headers(SECRET, "msg_1", 1_700_000_000_000, b"{}").unwrap();
    let err = verify(b"{}", &millis, SECRET, &at(1_700_000_000)).unwrap_err();
    assert!(err.message().contains("milliseconds"), "{err}");
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    for (ts, now) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (i64::MAX, i64::MAX)] {
        let signed = sign_headers(SECRET, "m", ts, b"").unwrap();
        let result = verify(b"", &signed, SECRET, &at(now).tolerance(Duration::MAX));
        assert!(result.is_ok(), "{ts} {now}: {result:?}");
    }
}

#[test]
fn mismatched_scheme_is_explained() {
    let v1a = sign(SEED_B64, "m", 5, b"").unwrap();
    let headers = [("webhook-id", "m"), ("webhook-timestamp", "5"), ("webhook-signature", v1a.as_str())];
    let err = verify(b"", headers, SECRET, &at(5)).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    assert!(err.message().contains("only v1a"), "{err}");
}

#[test]
fn signing_refuses_ids_that_cannot_travel_in_a_header() {
    assert_eq!(sign(SECRET, "", 1, b"").unwrap_err().code(), "WEBHOOK_MISSING_HEADER");
    assert_eq!(sign(SECRET, "a\r\nx: y", 1, b"").unwrap_err().code(), "VALIDATION_ERROR");
    assert_eq!(sign(SECRET, " a", 1, b"").unwrap_err().code(), "VALIDATION_ERROR");
}

#[test]
fn verifier_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
    assert_send_sync::<Secret>();
}

#[test]
fn a_reserialised_body_is_named_in_the_error() {
    let body = br#"{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}"#;
    let signed = sign_headers(SECRET, "msg_1", 1_700_000_000, body).unwrap();
    let options = at(1_700_000_000);
    for (changed, hint) in [
        (
            &br#"{"event": "delivery.sent", "delivery": {"uuid": "d1", "channel": "email", "status": "sent"}}"#[..],
            "json.dumps",
        ),
        (&b"{\n  \"event\": \"delivery.sent\"\n}"[..], "indented"),
    ] {
        let err = verify(changed, &signed, SECRET, &options).unwrap_err();
        assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
        assert!(err.message().contains(hint), "{err}");
        assert!(err.message().contains("raw bytes"), "{err}");
    }
    // Compact JSON signed with another key gets the general hint, not a false diagnosis.
    let err = verify(body, &signed, "whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ==", &options).unwrap_err();
    assert!(!err.message().contains("looks re-serialised"), "{err}");
}

#[test]
fn verification_reports_the_secret_that_matched() {
    let old = "whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ==";
    let verifier = Verifier::from_secrets([SECRET, old]).unwrap();
    let signed = sign_headers(old, "msg_1", 1_700_000_000, b"{}").unwrap();
    let verified = verifier.verify_detailed(b"{}", &signed, &at(1_700_000_000)).unwrap();
    assert_eq!(verified.secret_index, 1);
    assert_eq!(verified.secret_fingerprint, Secret::parse(old).unwrap().fingerprint());
    assert!(verified.secret_fingerprint.starts_with("whsec:") && verified.secret_fingerprint.len() == 22);
    assert!(!format!("{verified:?}").contains("c2VuZGl2"), "the fingerprint does not reveal the secret");
}

/// A build without the `ed25519` feature (the small WebAssembly webhook module) refuses ed25519
/// keys with a message saying why, and says so when a header carries only v1a signatures.
#[test]
#[cfg(not(feature = "ed25519"))]
fn builds_without_ed25519_say_so() {
    for key in
        ["whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "whpk_6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw="]
    {
        let err = Secret::parse(key).unwrap_err();
        assert_eq!(err.code(), "WEBHOOK_INVALID_SECRET", "{key}");
        assert!(err.to_string().contains("not supported by this build"), "{err}");
    }
    let v1a = format!("v1a,{}", BASE64.encode([7u8; 64]));
    let headers = [("webhook-id", "msg_1"), ("webhook-timestamp", "1700000000"), ("webhook-signature", v1a.as_str())];
    let err = verify(b"{}", headers, SECRET, &at(1_700_000_000)).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    assert!(err.to_string().contains("no ed25519 support"), "{err}");
}
