//! Generates the shared webhook vectors `tests/vectors/webhooks.json` (function `webhook_verify`)
//! and `tests/vectors/webhook_sign.json` (function `webhook_sign`).
//!
//! Deterministic: fixed secrets, a fixed ed25519 seed and fixed timestamps, so regenerating gives
//! the committed files byte for byte (`core/tests/vectors_webhook.rs` checks this).
//!
//! ```text
//! cargo run -p sendivent --no-default-features --features ed25519 --example gen_webhook_vectors
//! ```
//!
//! Each expected outcome is written here by hand (the `error` codes) or derived from the body
//! alone (the `ok` event is the body parsed into the typed `WebhookEvent` and serialised again);
//! the generator then checks that the core agrees with every case before writing anything.

use std::path::PathBuf;

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use sendivent::models::WebhookEvent;
use sendivent::webhook::{self, Secret, Verifier, VerifyOptions};

const NOW: i64 = 1_700_000_000;

/// The primary symmetric key (32 bytes).
const KEY_MAIN: &[u8; 32] = b"sendivent-vector-key-main-0001!!";
/// A stale, rotated-out symmetric key (24 bytes).
const KEY_STALE: &[u8; 24] = b"sendivent-stale-key-0002";
/// The ed25519 seed of the `v1a` cases.
const ED25519_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5,
    0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
];

const EVENT_BODY: &str = r#"{"event":"delivery.sent","delivery":{"uuid":"6f1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04","channel":"email","status":"sent","event_name":"user.welcome","message_id":"0100018c-ses-4f2a","sent_at":"2023-11-14T22:13:15Z","delivered_at":null,"error":null},"request_id":"req_01HF8Z3K9Q","timestamp":"2023-11-14T22:13:15Z"}"#;
const FAILED_BODY: &str = r#"{
  "event": "delivery.failed",
  "delivery": {"uuid": "0b8e4f3c-1d2a-4e5f-8a9b-7c6d5e4f3a2b", "channel": "sms", "status": "failed", "error": "Unreachable number"},
  "request_id": "req_01HF8Z4M2R",
  "timestamp": "2023-11-14T22:13:18Z"
}
"#;
const FUTURE_BODY: &str = r#"{"event":"delivery.opened","delivery":{"uuid":"3d2c1b0a-9f8e-4d7c-b6a5-948372615049","channel":"email","status":"opened","provider":"ses","opened_at":"2023-11-14T22:20:00Z"},"request_id":"req_01HF8Z9X7T","timestamp":"2023-11-14T22:20:00Z","attempt":2,"meta":{"region":"eu-north-1"}}"#;
const UNICODE_BODY: &str = r#"{"event":"delivery.delivered","delivery":{"uuid":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","channel":"telegram","status":"delivered","event_name":"order.shipped","message_id":"tg-88"},"note":"Grüße 👋 — ✓"}"#;
const NOT_JSON_BODY: &str = "event=delivery.sent&delivery=6f1c7d2e";
const NOT_EVENT_BODY: &str = r#"{"hello":"world"}"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn whsec(key: &[u8]) -> String {
    format!("whsec_{}", b64(key))
}

fn whsk() -> String {
    format!("whsk_{}", b64(&ED25519_SEED))
}

fn whpk() -> Result<String, sendivent::Error> {
    Secret::parse(&whsk())?
        .public_key()
        .ok_or_else(|| sendivent::Error::webhook(sendivent::ErrorCode::InternalError, "no public key"))
}

fn sign(secret: &str, id: &str, ts: i64, body: &str) -> Result<String, sendivent::Error> {
    webhook::sign(secret, id, ts, body.as_bytes())
}

/// A vectors file (common schema, tests/vectors/README.md).
#[derive(Serialize)]
pub struct File<I> {
    schema: u32,
    function: &'static str,
    description: &'static str,
    cases: Vec<Case<I>>,
}

/// One case.
#[derive(Serialize)]
pub struct Case<I> {
    name: String,
    input: I,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<i64>,
    expect: Value,
}

/// Input of a `webhook_verify` case.
#[derive(Serialize, Clone)]
pub struct VerifyInput {
    body: String,
    headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secrets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tolerance_seconds: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_timestamp_check: bool,
    parse_event: bool,
}

/// Input of a `webhook_sign` case.
#[derive(Serialize)]
pub struct SignInput {
    secret: String,
    id: String,
    timestamp: i64,
    body: String,
}

fn headers(id: &str, ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".to_owned(), id.to_owned()),
        ("webhook-timestamp".to_owned(), ts.to_owned()),
        ("webhook-signature".to_owned(), sig.to_owned()),
    ]
}

fn input(body: &str, headers: Vec<(String, String)>, secret: &str) -> VerifyInput {
    VerifyInput {
        body: body.to_owned(),
        headers,
        secret: Some(secret.to_owned()),
        secrets: None,
        tolerance_seconds: None,
        skip_timestamp_check: false,
        parse_event: false,
    }
}

fn ok_true() -> Value {
    serde_json::json!({ "ok": true })
}

fn ok_event(body: &str) -> Result<Value, Box<dyn std::error::Error>> {
    let event: WebhookEvent = serde_json::from_str(body)?;
    Ok(serde_json::json!({ "ok": serde_json::to_value(&event)? }))
}

fn error(code: &str) -> Value {
    serde_json::json!({ "error": { "code": code } })
}

struct Builder {
    cases: Vec<Case<VerifyInput>>,
}

impl Builder {
    fn add(&mut self, name: &str, input: VerifyInput, now: i64, expect: Value) {
        self.cases.push(Case { name: name.to_owned(), input, now: Some(now), expect });
    }
}

/// The `webhook_verify` cases.
pub fn verify_cases() -> Result<Vec<Case<VerifyInput>>, Box<dyn std::error::Error>> {
    let main = whsec(KEY_MAIN);
    let stale = whsec(KEY_STALE);
    let bare = b64(KEY_MAIN);
    let (sk, pk) = (whsk(), whpk()?);
    let id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    let ts = NOW - 5;
    let ts_s = ts.to_string();
    let v1 = sign(&main, id, ts, EVENT_BODY)?;
    let v1_stale = sign(&stale, id, ts, EVENT_BODY)?;
    let v1a = sign(&sk, id, ts, EVENT_BODY)?;
    let std_headers = headers(id, &ts_s, &v1);
    let mut b = Builder { cases: Vec::new() };

    // --- valid signatures ---
    b.add(
        "valid v1, whsec_ secret, parsed event",
        VerifyInput { parse_event: true, ..input(EVENT_BODY, std_headers.clone(), &main) },
        NOW,
        ok_event(EVENT_BODY)?,
    );
    b.add("valid v1, whsec_ secret, no parsing", input(EVENT_BODY, std_headers.clone(), &main), NOW, ok_true());
    b.add(
        "valid v1, bare base64 secret (no whsec_ prefix)",
        input(EVENT_BODY, std_headers.clone(), &bare),
        NOW,
        ok_true(),
    );
    let unpadded = main.trim_end_matches('=').to_owned();
    b.add(
        "valid v1, whsec_ secret without base64 padding",
        input(EVENT_BODY, std_headers.clone(), &unpadded),
        NOW,
        ok_true(),
    );
    b.add(
        "valid v1, secret with surrounding whitespace (env file newline)",
        input(EVENT_BODY, std_headers.clone(), &format!("  {main}\n")),
        NOW,
        ok_true(),
    );
    b.add(
        "valid v1a, verified with the whsk_ private key",
        VerifyInput { parse_event: true, ..input(EVENT_BODY, headers(id, &ts_s, &v1a), &sk) },
        NOW,
        ok_event(EVENT_BODY)?,
    );
    b.add(
        "valid v1a, verified with the whpk_ public key",
        input(EVENT_BODY, headers(id, &ts_s, &v1a), &pk),
        NOW,
        ok_true(),
    );
    let keypair = {
        let public = base64::engine::general_purpose::STANDARD.decode(&pk["whpk_".len()..])?;
        let mut pair = ED25519_SEED.to_vec();
        pair.extend_from_slice(&public);
        format!("whsk_{}", b64(&pair))
    };
    b.add(
        "valid v1a, whsk_ key in its 64-byte seed||public form",
        input(EVENT_BODY, headers(id, &ts_s, &v1a), &keypair),
        NOW,
        ok_true(),
    );
    let unpadded_sig = v1.trim_end_matches('=').to_owned();
    b.add(
        "valid v1, signature entry without base64 padding",
        input(EVENT_BODY, headers(id, &ts_s, &unpadded_sig), &main),
        NOW,
        ok_true(),
    );
    let unicode_sig = sign(&main, id, ts, UNICODE_BODY)?;
    b.add(
        "valid v1, non-ASCII body bytes are signed raw",
        VerifyInput { parse_event: true, ..input(UNICODE_BODY, headers(id, &ts_s, &unicode_sig), &main) },
        NOW,
        ok_event(UNICODE_BODY)?,
    );
    let failed_sig = sign(&main, id, ts, FAILED_BODY)?;
    b.add(
        "valid v1, pretty-printed body with trailing newline is verified as sent",
        VerifyInput { parse_event: true, ..input(FAILED_BODY, headers(id, &ts_s, &failed_sig), &main) },
        NOW,
        ok_event(FAILED_BODY)?,
    );
    let padded_headers = vec![
        ("webhook-id".to_owned(), format!(" {id} ")),
        ("webhook-timestamp".to_owned(), format!(" {ts_s}")),
        ("webhook-signature".to_owned(), format!("{v1}  ")),
    ];
    b.add(
        "valid v1, surrounding whitespace in header values is ignored",
        input(EVENT_BODY, padded_headers, &main),
        NOW,
        ok_true(),
    );
    let upper: Vec<(String, String)> = std_headers.iter().map(|(k, v)| (k.to_ascii_uppercase(), v.clone())).collect();
    b.add("header names upper-case", input(EVENT_BODY, upper, &main), NOW, ok_true());
    let mixed = vec![
        ("Webhook-Id".to_owned(), id.to_owned()),
        ("WebHook-TimeStamp".to_owned(), ts_s.clone()),
        ("webhook-SIGNATURE".to_owned(), v1.clone()),
    ];
    b.add("header names mixed-case", input(EVENT_BODY, mixed, &main), NOW, ok_true());
    let mut extra = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("user-agent".to_owned(), "Sendivent-Webhooks/1".to_owned()),
    ];
    extra.extend(std_headers.clone());
    b.add("unrelated headers are ignored", input(EVENT_BODY, extra, &main), NOW, ok_true());

    // --- rotation ---
    b.add(
        "rotation: header lists a stale signature then the valid one",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1_stale} {v1}")), &main),
        NOW,
        ok_true(),
    );
    b.add(
        "rotation: header lists the valid signature then a stale one",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1} {v1_stale}")), &main),
        NOW,
        ok_true(),
    );
    b.add(
        "rotation: v1 and v1a in one header, verified with whpk_",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1_stale} {v1a}")), &pk),
        NOW,
        ok_true(),
    );
    b.add(
        "rotation: verifier holds a stale and the current secret",
        VerifyInput {
            secret: None,
            secrets: Some(vec![stale.clone(), main.clone()]),
            ..input(EVENT_BODY, std_headers.clone(), "")
        },
        NOW,
        ok_true(),
    );
    b.add(
        "rotation: verifier holds a symmetric secret and a whpk_ key, header is v1a",
        VerifyInput {
            secret: None,
            secrets: Some(vec![stale.clone(), pk.clone()]),
            ..input(EVENT_BODY, headers(id, &ts_s, &v1a), "")
        },
        NOW,
        ok_true(),
    );
    b.add(
        "rotation: no secret of the verifier matches",
        VerifyInput {
            secret: None,
            secrets: Some(vec![stale.clone(), bare_of(KEY_STALE)]),
            ..input(EVENT_BODY, std_headers.clone(), "")
        },
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "rotation: a bad secret in the list is reported even if another would match",
        VerifyInput {
            secret: None,
            secrets: Some(vec![main.clone(), "test_4eC39HqLyjWDarjtT1zdp7dc".to_owned()]),
            ..input(EVENT_BODY, std_headers.clone(), "")
        },
        NOW,
        error("WEBHOOK_SECRET_IS_API_KEY"),
    );
    b.add(
        "rotation: an empty secrets list",
        VerifyInput { secret: None, secrets: Some(vec![]), ..input(EVENT_BODY, std_headers.clone(), "") },
        NOW,
        error("WEBHOOK_SECRET_EMPTY"),
    );
    b.add(
        "only a stale key's signature",
        input(EVENT_BODY, headers(id, &ts_s, &v1_stale), &main),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );

    // --- tampering ---
    let tampered_body =
        EVENT_BODY.replace("\"sent\"}", "\"delivered\"}").replace("\"status\":\"sent\"", "\"status\":\"delivered\"");
    b.add(
        "tampered body",
        VerifyInput { parse_event: true, ..input(&tampered_body, std_headers.clone(), &main) },
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "body with one added trailing space",
        input(&format!("{EVENT_BODY} "), std_headers.clone(), &main),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "tampered webhook-id",
        input(EVENT_BODY, headers("msg_2KWPBgLlAfxdpx2AI54pPJ85f4X", &ts_s, &v1), &main),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "tampered webhook-timestamp (one second later, within tolerance)",
        input(EVENT_BODY, headers(id, &(ts + 1).to_string(), &v1), &main),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "tampered v1a body",
        input(&tampered_body, headers(id, &ts_s, &v1a), &pk),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "v1a signature checked with a symmetric secret",
        input(EVENT_BODY, headers(id, &ts_s, &v1a), &main),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "v1 signature checked with a whpk_ key",
        input(EVENT_BODY, std_headers.clone(), &pk),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "right signature, wrong secret",
        input(EVENT_BODY, std_headers.clone(), &stale),
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    let leading_zero = format!("0{ts_s}");
    b.add(
        "timestamp with a leading zero is signed in canonical form",
        input(EVENT_BODY, headers(id, &leading_zero, &v1), &main),
        NOW,
        ok_true(),
    );

    // --- timestamp tolerance ---
    let at = |t: i64| -> Result<VerifyInput, Box<dyn std::error::Error>> {
        Ok(input(EVENT_BODY, headers(id, &t.to_string(), &sign(&main, id, t, EVENT_BODY)?), &main))
    };
    b.add("timestamp 301 s old", at(NOW - 301)?, NOW, error("WEBHOOK_TIMESTAMP_TOO_OLD"));
    b.add("timestamp 301 s in the future", at(NOW + 301)?, NOW, error("WEBHOOK_TIMESTAMP_TOO_NEW"));
    b.add("timestamp exactly 300 s old (edge, accepted)", at(NOW - 300)?, NOW, ok_true());
    b.add("timestamp exactly 300 s in the future (edge, accepted)", at(NOW + 300)?, NOW, ok_true());
    b.add("timestamp in milliseconds is far in the future", at(NOW * 1000)?, NOW, error("WEBHOOK_TIMESTAMP_TOO_NEW"));
    b.add(
        "custom tolerance 600 s accepts 500 s old",
        VerifyInput { tolerance_seconds: Some(600), ..at(NOW - 500)? },
        NOW,
        ok_true(),
    );
    b.add(
        "custom tolerance 60 s rejects 61 s in the future",
        VerifyInput { tolerance_seconds: Some(60), ..at(NOW + 61)? },
        NOW,
        error("WEBHOOK_TIMESTAMP_TOO_NEW"),
    );
    b.add(
        "zero tolerance accepts a timestamp equal to now",
        VerifyInput { tolerance_seconds: Some(0), ..at(NOW)? },
        NOW,
        ok_true(),
    );
    b.add(
        "zero tolerance rejects one second old (0 never disables the check)",
        VerifyInput { tolerance_seconds: Some(0), ..at(NOW - 1)? },
        NOW,
        error("WEBHOOK_TIMESTAMP_TOO_OLD"),
    );
    b.add(
        "zero tolerance rejects one second ahead",
        VerifyInput { tolerance_seconds: Some(0), ..at(NOW + 1)? },
        NOW,
        error("WEBHOOK_TIMESTAMP_TOO_NEW"),
    );
    b.add(
        "skip_timestamp_check accepts a year-old webhook",
        VerifyInput { skip_timestamp_check: true, ..at(NOW - 31_536_000)? },
        NOW,
        ok_true(),
    );
    b.add(
        "skip_timestamp_check still verifies the signature",
        VerifyInput {
            skip_timestamp_check: true,
            ..input(EVENT_BODY, headers(id, &(NOW - 31_536_000).to_string(), &v1), &main)
        },
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );
    b.add(
        "skip_timestamp_check still requires an integer timestamp",
        VerifyInput { skip_timestamp_check: true, ..input(EVENT_BODY, headers(id, "yesterday", &v1), &main) },
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "timestamp with a fraction",
        input(EVENT_BODY, headers(id, &format!("{ts_s}.5"), &v1), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "timestamp as an RFC 3339 date",
        input(EVENT_BODY, headers(id, "2023-11-14T22:13:15Z", &v1), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "timestamp with a plus sign",
        input(EVENT_BODY, headers(id, &format!("+{ts_s}"), &v1), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "timestamp out of the 64-bit range",
        input(EVENT_BODY, headers(id, "99999999999999999999", &v1), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );

    // --- missing and malformed headers ---
    let without =
        |name: &str| -> Vec<(String, String)> { std_headers.iter().filter(|(k, _)| k != name).cloned().collect() };
    b.add("missing webhook-id", input(EVENT_BODY, without("webhook-id"), &main), NOW, error("WEBHOOK_MISSING_HEADER"));
    b.add(
        "missing webhook-timestamp",
        input(EVENT_BODY, without("webhook-timestamp"), &main),
        NOW,
        error("WEBHOOK_MISSING_HEADER"),
    );
    b.add(
        "missing webhook-signature",
        input(EVENT_BODY, without("webhook-signature"), &main),
        NOW,
        error("WEBHOOK_MISSING_HEADER"),
    );
    b.add("no headers at all", input(EVENT_BODY, vec![], &main), NOW, error("WEBHOOK_MISSING_HEADER"));
    b.add(
        "empty webhook-id counts as missing",
        input(EVENT_BODY, headers("", &ts_s, &v1), &main),
        NOW,
        error("WEBHOOK_MISSING_HEADER"),
    );
    b.add(
        "svix-* headers are not webhook-* headers",
        input(
            EVENT_BODY,
            std_headers.iter().map(|(k, v)| (k.replace("webhook-", "svix-"), v.clone())).collect(),
            &main,
        ),
        NOW,
        error("WEBHOOK_MISSING_HEADER"),
    );
    b.add(
        "empty webhook-signature",
        input(EVENT_BODY, headers(id, &ts_s, ""), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "empty webhook-timestamp",
        input(EVENT_BODY, headers(id, "", &v1), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "signature header 'v1' without a comma",
        input(EVENT_BODY, headers(id, &ts_s, "v1"), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "signature header 'v1,' with nothing after the comma",
        input(EVENT_BODY, headers(id, &ts_s, "v1,"), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "signature header 'v1,!!!notbase64'",
        input(EVENT_BODY, headers(id, &ts_s, "v1,!!!notbase64"), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    let sig_part = v1.trim_start_matches("v1,").to_owned();
    b.add(
        "signature header with only an unknown version",
        input(EVENT_BODY, headers(id, &ts_s, &format!("v2,{sig_part}")), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "signature header without a version (bare base64)",
        input(EVENT_BODY, headers(id, &ts_s, &sig_part), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "v1 entry of the wrong length (31 bytes)",
        input(EVENT_BODY, headers(id, &ts_s, &format!("v1,{}", b64(&[0x5a; 31]))), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "v1a entry of the wrong length (32 bytes)",
        input(EVENT_BODY, headers(id, &ts_s, &format!("v1a,{sig_part}")), &pk),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "unknown version next to a valid v1 entry is ignored",
        input(EVENT_BODY, headers(id, &ts_s, &format!("v2,{sig_part} {v1}")), &main),
        NOW,
        ok_true(),
    );
    b.add(
        "garbage next to a valid v1 entry is ignored",
        input(EVENT_BODY, headers(id, &ts_s, &format!("v1,!!! junk {v1}")), &main),
        NOW,
        ok_true(),
    );
    b.add(
        "upper-case version 'V1' is not a known version",
        input(EVENT_BODY, headers(id, &ts_s, &format!("V1,{sig_part}")), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    // --- repeated headers and caps (docs/contract.md §2 "Webhook signatures") ---
    let mut duplicated = vec![("webhook-signature".to_owned(), v1_stale.clone())];
    duplicated.extend(std_headers.clone());
    b.add(
        "repeated webhook-signature: the entries of every occurrence count",
        input(EVENT_BODY, duplicated, &main),
        NOW,
        ok_true(),
    );
    b.add(
        "webhook-signature joined with a comma (fetch Headers) still parses",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1_stale}, {v1}")), &main),
        NOW,
        ok_true(),
    );
    let mut same_id = std_headers.clone();
    same_id.push(("Webhook-Id".into(), id.into()));
    b.add("repeated webhook-id with the same value", input(EVENT_BODY, same_id, &main), NOW, ok_true());
    let mut other_id = std_headers.clone();
    other_id.push(("webhook-id".into(), "msg_other".into()));
    b.add(
        "repeated webhook-id with another value is ambiguous",
        input(EVENT_BODY, other_id, &main),
        NOW,
        error("WEBHOOK_AMBIGUOUS_HEADER"),
    );
    b.add(
        "comma-joined webhook-timestamp values that differ are ambiguous",
        input(EVENT_BODY, headers(id, &format!("{ts_s}, {}", NOW - 1), &v1), &main),
        NOW,
        error("WEBHOOK_AMBIGUOUS_HEADER"),
    );
    let many: Vec<String> = (0..17).map(|i| format!("v1,{}", b64(&[i as u8; 32]))).collect();
    b.add(
        "more than 16 signature entries are refused before any crypto",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{} {v1}", many.join(" "))), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "16 signature entries, the last one valid",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{} {v1}", many[..15].join(" "))), &main),
        NOW,
        ok_true(),
    );
    b.add(
        "a signature header over 8192 bytes is refused",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1} v9,{}", "A".repeat(8200))), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "a repeated entry counts once",
        input(EVENT_BODY, headers(id, &ts_s, &format!("{v1_stale} {v1_stale} {v1}")), &main),
        NOW,
        ok_true(),
    );

    // --- order of the checks ---
    b.add(
        "order: a secret error comes before header errors",
        input(EVENT_BODY, vec![], "whsec_???"),
        NOW,
        error("WEBHOOK_INVALID_SECRET"),
    );
    b.add(
        "order: missing header before an invalid timestamp",
        input(EVENT_BODY, vec![("webhook-id".into(), id.into()), ("webhook-timestamp".into(), "soon".into())], &main),
        NOW,
        error("WEBHOOK_MISSING_HEADER"),
    );
    b.add(
        "order: invalid timestamp before a malformed signature header",
        input(EVENT_BODY, headers(id, "soon", "v1"), &main),
        NOW,
        error("WEBHOOK_INVALID_TIMESTAMP"),
    );
    b.add(
        "order: malformed signature header before an expired timestamp",
        input(EVENT_BODY, headers(id, &(NOW - 3600).to_string(), "v1,!!!"), &main),
        NOW,
        error("WEBHOOK_INVALID_SIGNATURE_HEADER"),
    );
    b.add(
        "order: expired timestamp before a non-matching signature",
        input(EVENT_BODY, headers(id, &(NOW - 3600).to_string(), &v1), &main),
        NOW,
        error("WEBHOOK_TIMESTAMP_TOO_OLD"),
    );
    b.add(
        "order: a bad signature before an invalid payload",
        VerifyInput { parse_event: true, ..input(NOT_JSON_BODY, std_headers.clone(), &main) },
        NOW,
        error("WEBHOOK_NO_MATCHING_SIGNATURE"),
    );

    // --- secret pitfalls ---
    let pitfalls: [(&str, String, &str); 14] = [
        ("secret empty", String::new(), "WEBHOOK_SECRET_EMPTY"),
        ("secret only whitespace", " \t\n".to_owned(), "WEBHOOK_SECRET_EMPTY"),
        ("secret is a live API key", "live_8f3kLm2QpX7vR9sT1wYz4bNc".to_owned(), "WEBHOOK_SECRET_IS_API_KEY"),
        ("secret is a test API key", "test_4eC39HqLyjWDarjtT1zdp7dc".to_owned(), "WEBHOOK_SECRET_IS_API_KEY"),
        ("secret is a v1 signature", v1.clone(), "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("secret is a v1a signature", v1a.clone(), "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("secret is a whole signature list", format!("{v1_stale} {v1}"), "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("secret is the signature header line", format!("webhook-signature: {v1}"), "WEBHOOK_SECRET_IS_SIGNATURE"),
        ("whsec_ with invalid base64", "whsec_MfKQ9r8GKYqrTwjU-PD8ILPZIo2L_aLaSw".to_owned(), "WEBHOOK_INVALID_SECRET"),
        ("whsec_ with nothing after the prefix", "whsec_".to_owned(), "WEBHOOK_INVALID_SECRET"),
        ("whsec_ key shorter than 16 bytes", whsec(b"fifteen bytes!!"), "WEBHOOK_INVALID_SECRET"),
        ("bare secret that is not base64", "my webhook secret".to_owned(), "WEBHOOK_INVALID_SECRET"),
        ("whpk_ key of the wrong length", format!("whpk_{}", b64(&[1u8; 31])), "WEBHOOK_INVALID_SECRET"),
        ("whsk_ key of the wrong length", format!("whsk_{}", b64(&[1u8; 48])), "WEBHOOK_INVALID_SECRET"),
    ];
    for (name, secret, code) in pitfalls {
        b.add(name, input(EVENT_BODY, std_headers.clone(), &secret), NOW, error(code));
    }

    // --- the parsed event ---
    let future_sig = sign(&main, id, ts, FUTURE_BODY)?;
    b.add(
        "event with unknown fields and an unknown event type parses, type preserved",
        VerifyInput { parse_event: true, ..input(FUTURE_BODY, headers(id, &ts_s, &future_sig), &main) },
        NOW,
        ok_event(FUTURE_BODY)?,
    );
    let not_json_sig = sign(&main, id, ts, NOT_JSON_BODY)?;
    b.add(
        "non-JSON body with parse_event",
        VerifyInput { parse_event: true, ..input(NOT_JSON_BODY, headers(id, &ts_s, &not_json_sig), &main) },
        NOW,
        error("WEBHOOK_INVALID_PAYLOAD"),
    );
    b.add(
        "the same non-JSON body without parse_event",
        input(NOT_JSON_BODY, headers(id, &ts_s, &not_json_sig), &main),
        NOW,
        ok_true(),
    );
    let not_event_sig = sign(&main, id, ts, NOT_EVENT_BODY)?;
    b.add(
        "JSON that is not an event, with parse_event",
        VerifyInput { parse_event: true, ..input(NOT_EVENT_BODY, headers(id, &ts_s, &not_event_sig), &main) },
        NOW,
        error("WEBHOOK_INVALID_PAYLOAD"),
    );
    let empty_sig = sign(&main, id, ts, "")?;
    b.add("empty body verifies without parse_event", input("", headers(id, &ts_s, &empty_sig), &main), NOW, ok_true());
    b.add(
        "empty body with parse_event",
        VerifyInput { parse_event: true, ..input("", headers(id, &ts_s, &empty_sig), &main) },
        NOW,
        error("WEBHOOK_INVALID_PAYLOAD"),
    );

    Ok(b.cases)
}

fn bare_of(key: &[u8]) -> String {
    b64(key)
}

/// The `webhook_sign` cases.
pub fn sign_cases() -> Result<Vec<Case<SignInput>>, Box<dyn std::error::Error>> {
    let mut cases = Vec::new();
    let mut add =
        |name: &str, secret: String, id: &str, timestamp: i64, body: &str| -> Result<(), Box<dyn std::error::Error>> {
            let expect = match webhook::sign(&secret, id, timestamp, body.as_bytes()) {
                Ok(value) => serde_json::json!({ "ok": value }),
                Err(err) => error(err.code()),
            };
            cases.push(Case {
                name: name.to_owned(),
                input: SignInput { secret, id: id.to_owned(), timestamp, body: body.to_owned() },
                now: None,
                expect,
            });
            Ok(())
        };
    add(
        "the Standard Webhooks reference example",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1_614_265_330,
        r#"{"test": 2432232314}"#,
    )?;
    add("v1 with the main vector key", whsec(KEY_MAIN), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", NOW, EVENT_BODY)?;
    add(
        "v1 with a bare base64 secret gives the same signature",
        b64(KEY_MAIN),
        "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        NOW,
        EVENT_BODY,
    )?;
    add("v1 over an empty body", whsec(KEY_STALE), "msg_empty", NOW, "")?;
    add("v1 over a non-ASCII body", whsec(KEY_MAIN), "msg_unicode", NOW, UNICODE_BODY)?;
    add("v1 at timestamp 0", whsec(KEY_MAIN), "msg_epoch", 0, "{}")?;
    add("v1a with an ed25519 private key", whsk(), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", NOW, EVENT_BODY)?;
    add("v1a over an empty body", whsk(), "msg_empty", NOW, "")?;
    add("a whpk_ public key cannot sign", whpk()?, "msg_1", NOW, "{}")?;
    add("an API key cannot sign", "live_8f3kLm2QpX7vR9sT1wYz4bNc".into(), "msg_1", NOW, "{}")?;
    add("an empty secret cannot sign", String::new(), "msg_1", NOW, "{}")?;
    add("an empty message id cannot be signed", whsec(KEY_MAIN), "", NOW, "{}")?;
    Ok(cases)
}

/// Runs one `webhook_verify` input through the core, as every binding's runner does.
pub fn run_verify(input: &VerifyInputOwned, now: Option<i64>) -> Result<Value, sendivent::Error> {
    let verifier = match (&input.secret, &input.secrets) {
        (Some(secret), _) => Verifier::new(secret)?,
        (None, Some(secrets)) => Verifier::from_secrets(secrets)?,
        (None, None) => Verifier::from_secrets(Vec::<String>::new())?,
    };
    let mut options = VerifyOptions::default().skip_timestamp_check(input.skip_timestamp_check);
    if let Some(now) = now {
        options = options.now(now);
    }
    if let Some(seconds) = input.tolerance_seconds {
        options = options.tolerance(std::time::Duration::from_secs(seconds));
    }
    if input.parse_event {
        let event = verifier.verify_event(input.body.as_bytes(), &input.headers, &options)?;
        serde_json::to_value(&event)
            .map_err(|e| sendivent::Error::webhook(sendivent::ErrorCode::InternalError, e.to_string()))
    } else {
        verifier.verify(input.body.as_bytes(), &input.headers, &options)?;
        Ok(Value::Bool(true))
    }
}

/// A `webhook_verify` input as read back from JSON.
#[derive(serde::Deserialize, Debug)]
pub struct VerifyInputOwned {
    /// Raw body (UTF-8).
    pub body: String,
    /// Header pairs, in order.
    pub headers: Vec<(String, String)>,
    /// One secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// Several secrets (rotation).
    #[serde(default)]
    pub secrets: Option<Vec<String>>,
    /// Tolerance in seconds (default 300).
    #[serde(default)]
    pub tolerance_seconds: Option<u64>,
    /// Skip the tolerance check.
    #[serde(default)]
    pub skip_timestamp_check: bool,
    /// Parse the event after verifying.
    #[serde(default)]
    pub parse_event: bool,
}

/// The outcome of a run in the vectors' `expect` shape.
pub fn outcome(result: Result<Value, sendivent::Error>) -> Value {
    match result {
        Ok(value) => serde_json::json!({ "ok": value }),
        Err(err) => error(err.code()),
    }
}

fn render<I: Serialize>(file: &File<I>) -> Result<String, serde_json::Error> {
    // Objects' keys sorted whatever serde_json's `preserve_order` feature says (the workspace
    // build turns it on through schemars), so the file is the same from every build.
    fn sorted(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let ordered: std::collections::BTreeMap<String, Value> =
                    map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(ordered.into_iter().collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    let cases: Vec<Value> =
        file.cases.iter().map(|case| serde_json::to_value(case).map(sorted)).collect::<Result<_, _>>()?;
    #[derive(Serialize)]
    struct Sorted<'a> {
        schema: u32,
        function: &'a str,
        description: &'a str,
        cases: Vec<Value>,
    }
    let file = Sorted { schema: file.schema, function: file.function, description: file.description, cases };
    let mut out = serde_json::to_string_pretty(&file)?;
    out.push('\n');
    Ok(out)
}

/// The contents of `tests/vectors/webhooks.json`, after checking the core agrees with each case.
pub fn webhooks_json() -> Result<String, Box<dyn std::error::Error>> {
    let cases = verify_cases()?;
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        if !names.insert(case.name.clone()) {
            return Err(format!("duplicate case name {:?}", case.name).into());
        }
        let input: VerifyInputOwned = serde_json::from_value(serde_json::to_value(&case.input)?)?;
        let got = outcome(run_verify(&input, case.now));
        if got != case.expect {
            return Err(
                format!("case {:?}: the core gives {got}, the vector expects {}", case.name, case.expect).into()
            );
        }
    }
    Ok(render(&File {
        schema: 1,
        function: "webhook_verify",
        description: "Standard Webhooks verification (docs/contract.md §2 \"Webhook signatures\"): v1 HMAC-SHA256 and v1a ed25519 signatures, \
                      rotation, tolerance, header and secret pitfalls, and the order of the checks. Generated by \
                      core/examples/gen_webhook_vectors.rs.",
        cases,
    })?)
}

/// The contents of `tests/vectors/webhook_sign.json`.
pub fn webhook_sign_json() -> Result<String, Box<dyn std::error::Error>> {
    Ok(render(&File {
        schema: 1,
        function: "webhook_sign",
        description: "Standard Webhooks signing: the webhook-signature header value for a secret, id, timestamp and \
                      body. Generated by core/examples/gen_webhook_vectors.rs.",
        cases: sign_cases()?,
    })?)
}

/// One delivery of a `webhook_replay` case.
#[derive(Serialize)]
pub struct ReplayStep {
    id: String,
    timestamp: i64,
    now: i64,
    /// Sign with this secret (one of the case's secrets, or another to forge).
    signed_with: String,
    headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_timestamp_check: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    tamper: bool,
    expect: Value,
}

/// Input of a `webhook_replay` case: deliveries verified in order with one replay guard.
#[derive(Serialize)]
pub struct ReplayInput {
    secrets: Vec<String>,
    body: String,
    steps: Vec<ReplayStep>,
}

fn replay_case(
    name: &str,
    secrets: &[&str],
    steps: Vec<(&str, i64, i64, &str, bool, bool)>,
) -> Result<Case<ReplayInput>, Box<dyn std::error::Error>> {
    use sendivent::webhook::{ReplayGuard, Verifier};
    let verifier = Verifier::from_secrets(secrets)?;
    let guard = ReplayGuard::in_memory();
    let mut out = Vec::new();
    for (id, timestamp, now, signed_with, skip, tamper) in steps {
        let signature = sign(signed_with, id, timestamp, EVENT_BODY)?;
        let headers = headers(id, &timestamp.to_string(), &signature);
        let body = if tamper { format!("{EVENT_BODY} ") } else { EVENT_BODY.to_owned() };
        let options = VerifyOptions::default().now(now).skip_timestamp_check(skip);
        let expect = match verifier.verify_once(body.as_bytes(), &headers, &options, &guard) {
            Ok(verified) => serde_json::json!({"ok": {
                "secret_index": verified.secret_index, "secret_fingerprint": verified.secret_fingerprint,
            }}),
            Err(err) => error(err.code()),
        };
        out.push(ReplayStep {
            id: id.into(),
            timestamp,
            now,
            signed_with: signed_with.into(),
            headers,
            skip_timestamp_check: skip,
            tamper,
            expect,
        });
    }
    Ok(Case {
        name: name.to_owned(),
        input: ReplayInput {
            secrets: secrets.iter().map(|s| (*s).to_owned()).collect(),
            body: EVENT_BODY.into(),
            steps: out,
        },
        now: None,
        expect: serde_json::json!({"ok": true}),
    })
}

/// The contents of `tests/vectors/replay.json`.
pub fn replay_json() -> Result<String, Box<dyn std::error::Error>> {
    let main = whsec(KEY_MAIN);
    let stale = whsec(KEY_STALE);
    let (m, s) = (main.as_str(), stale.as_str());
    let t = NOW;
    let cases = vec![
        replay_case(
            "a second delivery of one id is a duplicate",
            &[m],
            vec![
                ("msg_a", t, t, m, false, false),
                ("msg_a", t, t + 5, m, false, false),
                ("msg_b", t, t + 6, m, false, false),
            ],
        )?,
        replay_case(
            "a redelivery after the tolerance window fails the timestamp check first",
            &[m],
            vec![("msg_a", t, t, m, false, false), ("msg_a", t, t + 301, m, false, false)],
        )?,
        replay_case(
            "a redelivery with a new timestamp and the same id is still a duplicate",
            &[m],
            vec![("msg_a", t, t, m, false, false), ("msg_a", t + 200, t + 200, m, false, false)],
        )?,
        replay_case(
            "a forged delivery of a recorded id fails its signature, not as a duplicate",
            &[m],
            vec![
                ("msg_a", t, t, m, false, false),
                ("msg_a", t, t + 1, m, false, true),
                ("msg_c", t, t + 1, s, false, false),
            ],
        )?,
        replay_case(
            "a forged first delivery is not recorded",
            &[m],
            vec![("msg_a", t, t, m, false, true), ("msg_a", t, t + 1, m, false, false)],
        )?,
        replay_case(
            "without the timestamp check an id is kept for 24 hours",
            &[m],
            vec![
                ("msg_a", t - 90_000, t, m, true, false),
                ("msg_a", t - 90_000, t + 86_399, m, true, false),
                ("msg_a", t - 90_000, t + 86_400, m, true, false),
            ],
        )?,
        replay_case(
            "rotation: which secret matched is reported by index and fingerprint",
            &[m, s],
            vec![("msg_new", t, t, m, false, false), ("msg_old", t, t, s, false, false)],
        )?,
    ];
    Ok(render(&File {
        schema: 1,
        function: "webhook_replay",
        description: "The webhook replay guard (docs/contract.md §2 \"Webhook replays\"): each case verifies its steps in \
                      order with one fresh in-memory guard, each step at its own `now`; `ok` reports which secret \
                      matched (index and fingerprint). Generated by core/examples/gen_webhook_vectors.rs.",
        cases,
    })?)
}

/// `tests/vectors/` of the workspace.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = vectors_dir();
    for (file, contents) in [
        ("webhooks.json", webhooks_json()?),
        ("webhook_sign.json", webhook_sign_json()?),
        ("replay.json", replay_json()?),
    ] {
        std::fs::write(dir.join(file), contents)?;
        println!("wrote tests/vectors/{file}");
    }
    Ok(())
}
