//! Runs one of the validators over many inputs, for the accuracy benchmark (`bench/accuracy/`).
//!
//! ```text
//! cargo run -q --release -p sendivent --no-default-features --example validate_batch -- phone < inputs.jsonl
//! ```
//!
//! The argument picks the function: `phone`, `email` or `identifier`. Every stdin line is one
//! input as a JSON string (so any character survives); every stdout line is the JSON result,
//! `{"ok": "<normalised>"}` (plus `"kind"` for identifiers) or `{"error": "<CODE>", "message": "..."}`.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use sendivent::validate::{resolve_identifier, validate_email, validate_phone};
use serde_json::{Value, json};

fn run(function: &str, input: &str) -> Value {
    let result = match function {
        "phone" => validate_phone(input).map(|p| json!({ "ok": p.as_str() })),
        "email" => validate_email(input).map(|e| json!({ "ok": e.as_str() })),
        _ => resolve_identifier(input).map(|id| json!({ "ok": id.as_str(), "kind": id.kind().as_str() })),
    };
    result.unwrap_or_else(|e| json!({ "error": e.code(), "message": e.message() }))
}

fn main() -> ExitCode {
    let function = std::env::args().nth(1).unwrap_or_default();
    if !matches!(function.as_str(), "phone" | "email" | "identifier") {
        eprintln!("usage: validate_batch phone|email|identifier < lines-of-json-strings");
        return ExitCode::from(2);
    }
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for (number, line) in stdin.lock().lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                eprintln!("line {}: cannot read: {e}", number + 1);
                return ExitCode::FAILURE;
            }
        };
        let input: String = match serde_json::from_str(&line) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("line {}: not a JSON string: {e}", number + 1);
                return ExitCode::FAILURE;
            }
        };
        if writeln!(out, "{}", run(&function, &input)).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
