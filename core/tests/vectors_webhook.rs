//! Runs the shared webhook vectors (`tests/vectors/webhooks.json`, `tests/vectors/webhook_sign.json`)
//! against the core, and checks that regenerating them gives the committed files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::{Value, json};

use sendivent::webhook::{self, Verifier, VerifyOptions};

#[allow(dead_code)]
#[path = "../examples/gen_webhook_vectors.rs"]
mod generator;

fn load(file: &str, function: &str) -> Vec<Value> {
    let path = generator::vectors_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["function"], function);
    let cases = doc["cases"].as_array().unwrap().clone();
    for case in &cases {
        let expect = case["expect"].as_object().unwrap();
        assert_eq!(expect.len(), 1, "{}: expect has exactly one of ok/error", case["name"]);
        assert!(expect.contains_key("ok") || expect.contains_key("error"), "{}", case["name"]);
    }
    cases
}

fn outcome(result: sendivent::Result<Value>) -> Value {
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(err) => {
            // Every failure of these functions is a webhook (or validation) error with a message.
            assert!(!err.message().is_empty());
            json!({ "error": { "code": err.code() } })
        }
    }
}

fn run_verify(input: &Value, now: Option<i64>) -> sendivent::Result<Value> {
    let headers: Vec<(String, String)> = serde_json::from_value(input["headers"].clone()).unwrap();
    let body = input["body"].as_str().unwrap().as_bytes();
    let verifier = match (input.get("secret"), input.get("secrets")) {
        (Some(secret), None) => Verifier::new(secret.as_str().unwrap())?,
        (None, Some(secrets)) => {
            Verifier::from_secrets(secrets.as_array().unwrap().iter().map(|s| s.as_str().unwrap()))?
        }
        other => panic!("a case has exactly one of secret/secrets, got {other:?}"),
    };
    let mut options = VerifyOptions::default();
    if let Some(now) = now {
        options = options.now(now);
    }
    if let Some(seconds) = input.get("tolerance_seconds") {
        options = options.tolerance(Duration::from_secs(seconds.as_u64().unwrap()));
    }
    if let Some(skip) = input.get("skip_timestamp_check") {
        options = options.skip_timestamp_check(skip.as_bool().unwrap());
    }
    if input["parse_event"].as_bool().unwrap() {
        let event = verifier.verify_event(body, &headers, &options)?;
        Ok(serde_json::to_value(event).unwrap())
    } else {
        verifier.verify(body, &headers, &options)?;
        Ok(Value::Bool(true))
    }
}

#[test]
fn webhook_verify_vectors() {
    let cases = load("webhooks.json", "webhook_verify");
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let now = case.get("now").map(|n| n.as_i64().unwrap());
        assert!(now.is_some(), "{}: verification reads a clock, so every case pins now", case["name"]);
        let got = outcome(run_verify(&case["input"], now));
        if got != case["expect"] {
            failures.push(format!("{}: expected {}, got {got}", case["name"], case["expect"]));
        }
        // The one-shot function agrees with the Verifier for single-secret cases.
        if let (Some(secret), Some(now)) = (case["input"].get("secret"), now) {
            let headers: Vec<(String, String)> = serde_json::from_value(case["input"]["headers"].clone()).unwrap();
            if case["input"].get("tolerance_seconds").is_none() && case["input"].get("skip_timestamp_check").is_none() {
                let body = case["input"]["body"].as_str().unwrap().as_bytes();
                let one_shot = if case["input"]["parse_event"].as_bool().unwrap() {
                    webhook::verify_event(body, &headers, secret.as_str().unwrap(), &VerifyOptions::default().now(now))
                        .map(|e| serde_json::to_value(e).unwrap())
                } else {
                    webhook::verify(body, &headers, secret.as_str().unwrap(), &VerifyOptions::default().now(now))
                        .map(|()| Value::Bool(true))
                };
                assert_eq!(outcome(one_shot), got, "{}: one-shot and Verifier differ", case["name"]);
            }
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

/// The split verification for hosts with their own HMAC ([`Verifier::prepare_host_hmac`],
/// [`Verifier::finish_host_hmac`]) gives every case of `webhooks.json` the same answer as
/// [`Verifier::verify_detailed`]: the host computes only the tags, the core decides the rest.
#[test]
fn webhook_verify_vectors_through_a_host_hmac() {
    use hmac::{Hmac, Mac};
    for case in load("webhooks.json", "webhook_verify") {
        let input = &case["input"];
        let verifier = match (input.get("secret"), input.get("secrets")) {
            (Some(secret), None) => Verifier::new(secret.as_str().unwrap()),
            (None, Some(secrets)) => {
                Verifier::from_secrets(secrets.as_array().unwrap().iter().map(|s| s.as_str().unwrap()))
            }
            other => panic!("{other:?}"),
        };
        let Ok(verifier) = verifier else { continue };
        let headers: Vec<(String, String)> = serde_json::from_value(input["headers"].clone()).unwrap();
        let body = input["body"].as_str().unwrap().as_bytes();
        let mut options = VerifyOptions::default().now(case["now"].as_i64().unwrap());
        if let Some(seconds) = input.get("tolerance_seconds") {
            options = options.tolerance(Duration::from_secs(seconds.as_u64().unwrap()));
        }
        options = options.skip_timestamp_check(input["skip_timestamp_check"] == true);
        let split = verifier.prepare_host_hmac(body, &headers, &options).and_then(|pending| {
            assert_eq!(pending.body(), body);
            let tags: Vec<Vec<u8>> = pending
                .secrets()
                .iter()
                .map(|&index| {
                    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(verifier.hmac_key(index).unwrap()).unwrap();
                    mac.update(pending.signed_content());
                    mac.finalize().into_bytes().to_vec()
                })
                .collect();
            verifier.finish_host_hmac(&pending, &tags)
        });
        let whole = verifier.verify_detailed(body, &headers, &options);
        match (split, whole) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", case["name"]),
            (Err(a), Err(b)) => assert_eq!((a.code(), a.message()), (b.code(), b.message()), "{}", case["name"]),
            (a, b) => panic!("{}: split {a:?}, whole {b:?}", case["name"]),
        }
    }
}

#[test]
fn host_hmac_tags_of_the_wrong_number_or_length_are_refused() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verifier = Verifier::new(secret).unwrap();
    let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}").unwrap();
    let pending = verifier.prepare_host_hmac(b"{}", &headers, &VerifyOptions::default().now(1_700_000_000)).unwrap();
    assert_eq!(pending.secrets(), [0]);
    let none: [&[u8]; 0] = [];
    assert_eq!(verifier.finish_host_hmac(&pending, &none).unwrap_err().code(), "INVALID_ARGUMENT");
    assert_eq!(verifier.finish_host_hmac(&pending, &[[0u8; 31]]).unwrap_err().code(), "INVALID_ARGUMENT");
    assert_eq!(verifier.finish_host_hmac(&pending, &[[0u8; 32]]).unwrap_err().code(), "WEBHOOK_NO_MATCHING_SIGNATURE");
    assert!(verifier.hmac_key(1).is_none());
}

#[test]
fn webhook_vectors_cover_every_webhook_code() {
    let mut codes = std::collections::BTreeSet::new();
    for case in load("webhooks.json", "webhook_verify") {
        codes.extend(case["expect"]["error"]["code"].as_str().map(str::to_owned));
    }
    for case in load("replay.json", "webhook_replay") {
        for step in case["input"]["steps"].as_array().unwrap() {
            codes.extend(step["expect"]["error"]["code"].as_str().map(str::to_owned));
        }
    }
    // Raised by the bindings for a parsed body, and by stores that fail: no bytes reach them.
    let binding_only = ["WEBHOOK_BODY_NOT_RAW", "REPLAY_STORE_ERROR"];
    for code in sendivent::ErrorCode::ALL.iter().filter(|c| c.is_webhook()) {
        assert!(codes.contains(code.as_str()) || binding_only.contains(&code.as_str()), "no vector expects {code}");
    }
}

/// `replay.json`: each case's steps in order, through one fresh in-memory guard.
#[test]
fn webhook_replay_vectors() {
    let cases = load("replay.json", "webhook_replay");
    let mut steps_run = 0;
    for case in &cases {
        let input = &case["input"];
        let secrets: Vec<&str> = input["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let verifier = webhook::Verifier::from_secrets(&secrets).unwrap();
        let guard = webhook::ReplayGuard::in_memory();
        for step in input["steps"].as_array().unwrap() {
            let mut body = input["body"].as_str().unwrap().to_owned();
            if step["tamper"] == true {
                body.push(' ');
            }
            let headers: Vec<(String, String)> = serde_json::from_value(step["headers"].clone()).unwrap();
            let options = VerifyOptions::default()
                .now(step["now"].as_i64().unwrap())
                .skip_timestamp_check(step["skip_timestamp_check"] == true);
            let got = outcome(verifier.verify_once(body.as_bytes(), &headers, &options, &guard).map(
                |v| serde_json::json!({"secret_index": v.secret_index, "secret_fingerprint": v.secret_fingerprint}),
            ));
            assert_eq!(got, step["expect"], "{} / {}", case["name"], step["id"]);
            steps_run += 1;
        }
    }
    println!("replay.json: {} cases, {steps_run} steps", cases.len());
}

#[test]
fn webhook_sign_vectors() {
    let cases = load("webhook_sign.json", "webhook_sign");
    assert!(cases.len() >= 5);
    assert!(cases.iter().any(|c| c["expect"]["ok"].as_str().is_some_and(|s| s.starts_with("v1a,"))));
    for case in &cases {
        let input = &case["input"];
        let body = input["body"].as_str().unwrap().as_bytes();
        let (secret, id, ts) =
            (input["secret"].as_str().unwrap(), input["id"].as_str().unwrap(), input["timestamp"].as_i64().unwrap());
        let got = outcome(webhook::sign(secret, id, ts, body).map(Value::String));
        assert_eq!(got, case["expect"], "{}", case["name"]);
        // Whatever signs must verify: sign_headers round-trips through the verifier.
        if let Some(signature) = case["expect"]["ok"].as_str() {
            let headers = webhook::sign_headers(secret, id, ts, body).unwrap();
            assert_eq!(headers.signature, signature);
            webhook::verify(body, &headers, secret, &VerifyOptions::default().now(ts)).unwrap();
        }
    }
}

#[test]
fn vectors_are_up_to_date() {
    let dir = generator::vectors_dir();
    for (file, generated) in [
        ("webhooks.json", generator::webhooks_json().unwrap()),
        ("webhook_sign.json", generator::webhook_sign_json().unwrap()),
        ("replay.json", generator::replay_json().unwrap()),
    ] {
        let committed = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            committed == generated,
            "tests/vectors/{file} differs from what core/examples/gen_webhook_vectors.rs generates; run \
             `cargo run -p sendivent --no-default-features --features ed25519 --example gen_webhook_vectors` and review the diff"
        );
    }
}
