//! Runs `tests/vectors/recipients.json` and `tests/vectors/send_requests.json`: what the SDK
//! makes of the request shapes the official SDKs send (docs/contract.md §3).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use sendivent::models::{Channel, prepare_send};
use sendivent::validate::resolve_recipient;
use serde_json::{Value, json};

fn load(file: &str, function: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(file);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["function"], function);
    doc["cases"].as_array().unwrap().clone()
}

fn outcome(result: sendivent::Result<Value>) -> Value {
    match result {
        Ok(value) => json!({"ok": value}),
        Err(err) => json!({"error": {"code": err.code()}}),
    }
}

fn channel(value: &Value) -> Option<Channel> {
    value.as_str().map(Channel::from)
}

#[test]
fn recipient_vectors() {
    let cases = load("recipients.json", "resolve_recipient");
    for case in &cases {
        let input = &case["input"];
        let got = outcome(
            resolve_recipient(input["value"].as_str().unwrap(), channel(&input["channel"]).as_ref())
                .map(|id| json!({"kind": id.kind().as_str(), "value": id.as_str()})),
        );
        assert_eq!(got, case["expect"], "{}", case["name"]);
    }
    println!("recipients.json: {} cases", cases.len());
}

#[test]
fn send_request_vectors() {
    let cases = load("send_requests.json", "prepare_send");
    for case in &cases {
        let input = &case["input"];
        let got = outcome(prepare_send(&input["body"], channel(&input["channel"]).as_ref()));
        assert_eq!(got, case["expect"], "{}", case["name"]);
    }
    println!("send_requests.json: {} cases", cases.len());
}
