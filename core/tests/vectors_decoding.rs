//! Runs the shared decoding vectors (`tests/vectors/decoding.json`) against
//! [`sendivent::models::decode_response`]. Every binding runs the same file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::PathBuf;

use sendivent::api::OPERATIONS;
use sendivent::models::{EXTRA_KINDS, decode_response};
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/decoding.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Runs one case; `Err` describes how the outcome differs from the expectation.
fn run_case(case: &Value) -> Result<(), String> {
    let input = &case["input"];
    let kind = input["kind"].as_str().ok_or("input.kind is not a string")?;
    let body = serde_json::to_vec(input.get("body").ok_or("input.body is missing")?).map_err(|e| e.to_string())?;
    let expect = case["expect"].as_object().ok_or("expect is not an object")?;
    if expect.len() != 1 {
        return Err("expect must have exactly one of `ok` and `error`".into());
    }
    let outcome = decode_response(kind, &body);
    match (expect.get("ok"), expect.get("error"), outcome) {
        (Some(want), None, Ok(got)) if &got == want => Ok(()),
        (Some(want), None, Ok(got)) => Err(format!("decoded to\n  {got}\nexpected\n  {want}")),
        (Some(_), None, Err(e)) => Err(format!("failed with {e}, expected success")),
        (None, Some(want), Err(e)) => {
            let code = want["code"].as_str().ok_or("expect.error.code is not a string")?;
            if e.code() == code { Ok(()) } else { Err(format!("failed with {} ({e}), expected {code}", e.code())) }
        }
        (None, Some(want), Ok(got)) => Err(format!("decoded to {got}, expected error {want}")),
        _ => Err("expect must have exactly one of `ok` and `error`".into()),
    }
}

#[test]
fn decoding_vectors() {
    let doc = vectors();
    assert_eq!(doc["schema"], 1, "unsupported schema");
    let function = doc["function"].as_str().expect("function is a string");
    assert_eq!(function, "decode_response", "unknown function {function:?}: this runner only knows decode_response");
    let cases = doc["cases"].as_array().expect("cases is a list");
    assert!(cases.len() >= 20, "expected at least 20 cases, found {}", cases.len());

    let mut names = HashSet::new();
    let mut kinds_seen = HashSet::new();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("every case has a name");
        assert!(names.insert(name), "duplicate case name {name:?}");
        if let Some(kind) = case["input"]["kind"].as_str() {
            kinds_seen.insert(kind);
        }
        if let Err(why) = run_case(case) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));

    // Every operation's answer, and every extra kind, is decoded by at least one vector.
    for kind in OPERATIONS.iter().map(|op| op.name).chain(EXTRA_KINDS.iter().copied()) {
        assert!(kinds_seen.contains(kind), "no vector for kind {kind:?}");
    }
}
