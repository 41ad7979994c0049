//! Every file in `tests/vectors/` names a function that one of this crate's vector runners
//! executes (`vectors_validate.rs`, `vectors_webhook.rs`, `vectors_decoding.rs`,
//! `vectors_behaviour.rs`), so a new file
//! cannot be silently skipped, and the counts the contract asks for hold.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::PathBuf;

const RUN_BY_THIS_CRATE: [&str; 10] = [
    "resolve_identifier",
    "validate_email",
    "validate_phone",
    "webhook_verify",
    "webhook_sign",
    "decode_response",
    "behaviour",
    "webhook_replay",
    "resolve_recipient",
    "prepare_send",
];

#[test]
fn every_vector_file_is_run_and_the_counts_hold() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut cases: BTreeMap<String, usize> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let function = doc["function"].as_str().unwrap_or_default().to_owned();
        assert!(
            RUN_BY_THIS_CRATE.contains(&function.as_str()),
            "{}: no runner for function {function:?}",
            path.display()
        );
        assert_eq!(doc["schema"], 1, "{}", path.display());
        *cases.entry(function).or_default() += doc["cases"].as_array().map_or(0, Vec::len);
    }
    write_counts(&dir);
    let validation: usize = ["resolve_identifier", "validate_email", "validate_phone"].iter().map(|f| cases[*f]).sum();
    assert!(validation >= 120, "{cases:?}");
    assert!(cases["webhook_verify"] >= 30, "{cases:?}");
    assert!(cases["decode_response"] >= 20, "{cases:?}");
    assert!(cases["behaviour"] >= 50, "{cases:?}");
}

/// Writes `rust.json` for tools/check-vector-counts.py: every file's case count, which the Rust
/// runners (one per function, each asserting every case) run in full.
fn write_counts(vectors: &std::path::Path) {
    let dir = std::env::var_os("SENDIVENT_VECTOR_COUNTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/vector-counts"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut counts = BTreeMap::new();
    for entry in std::fs::read_dir(vectors).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            counts.insert(name, doc["cases"].as_array().map_or(0, Vec::len));
        }
    }
    std::fs::write(dir.join("rust.json"), serde_json::to_string_pretty(&counts).unwrap()).unwrap();
    println!("rust: {counts:?}");
}
