//! Runs the shared validation vectors (`tests/vectors/identifiers.json`, `emails.json`,
//! `phones.json`) against the Rust core. The other bindings run the same files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::path::PathBuf;

use sendivent::Error;
use sendivent::validate::{resolve_identifier, validate_email, validate_phone};
use serde_json::{Value, json};

const FILES: [&str; 3] = ["identifiers.json", "emails.json", "phones.json"];

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Runs one case; `Ok` is the function's success value in the vectors' JSON shape.
fn run(function: &str, input: &str) -> Result<Value, Error> {
    match function {
        "resolve_identifier" => {
            resolve_identifier(input).map(|id| json!({ "kind": id.kind().as_str(), "value": id.as_str() }))
        }
        "validate_email" => validate_email(input).map(|e| json!(e.as_str())),
        "validate_phone" => validate_phone(input).map(|p| json!(p.as_str())),
        other => panic!("unknown function {other:?}: a runner must fail on functions it does not know"),
    }
}

#[test]
fn validation_vectors() {
    let mut total = 0;
    let mut failures = Vec::new();
    for file in FILES {
        let path = vectors_dir().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(doc["schema"], 1, "{file}: schema");
        let function = doc["function"].as_str().unwrap_or_else(|| panic!("{file}: no function"));
        let cases = doc["cases"].as_array().unwrap_or_else(|| panic!("{file}: no cases"));
        assert!(!cases.is_empty(), "{file}: no cases");
        let mut names = HashSet::new();
        for case in cases {
            let name = case["name"].as_str().unwrap_or_else(|| panic!("{file}: a case without a name"));
            assert!(names.insert(name), "{file}: duplicate case name {name:?}");
            let input = case["input"].as_str().unwrap_or_else(|| panic!("{file} / {name}: input is not a string"));
            let expect = &case["expect"];
            let (want_ok, want_err) = (expect.get("ok"), expect.get("error"));
            assert!(want_ok.is_some() != want_err.is_some(), "{file} / {name}: expect needs exactly one of ok, error");
            total += 1;
            match (run(function, input), want_ok, want_err) {
                (Ok(got), Some(want), _) if &got == want => {}
                (Err(e), _, Some(want)) if want["code"] == e.code() => {
                    assert!(!e.message().is_empty(), "{file} / {name}: empty message");
                }
                (got, _, _) => failures.push(format!(
                    "{file} / {name}: input {input:?}: expected {expect}, got {}",
                    match got {
                        Ok(v) => format!("ok {v}"),
                        Err(e) => format!("error {e}"),
                    }
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 120, "only {total} validation vectors");
}

#[test]
fn unknown_function_fails_instead_of_skipping() {
    let result = std::panic::catch_unwind(|| run("validate_fax", "+46701234567"));
    assert!(result.is_err());
}
