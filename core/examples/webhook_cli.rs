//! A tiny JSON front end to the core's webhook functions, for the interop checks against the
//! reference Standard Webhooks libraries (`tests/interop/`).
//!
//! Reads one JSON array of requests from stdin and writes one JSON array of results to stdout,
//! in order. Requests:
//!
//! ```text
//! {"op": "verify", "body": "...", "headers": [["webhook-id", "..."], ...], "secret": "whsec_..."
//!  | "secrets": [...], "now": 1700000000, "tolerance_seconds": 300, "skip_timestamp_check": false,
//!  "parse_event": false}
//! {"op": "sign", "secret": "whsec_...", "id": "msg_...", "timestamp": 1700000000, "body": "..."}
//! ```
//!
//! `body_base64` may replace `body` for bodies that are not UTF-8. Results are `{"ok": value}`
//! or `{"error": {"code": "WEBHOOK_...", "message": "..."}}`.
//!
//! ```text
//! echo '[{"op":"sign","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","id":"m","timestamp":1,"body":"{}"}]' \
//!   | cargo run -q -p sendivent --no-default-features --example webhook_cli
//! ```

use std::io::Read as _;
use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};

use sendivent::webhook::{self, Verifier, VerifyOptions};

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    Verify {
        #[serde(flatten)]
        body: Body,
        headers: Vec<(String, String)>,
        #[serde(default)]
        secret: Option<String>,
        #[serde(default)]
        secrets: Option<Vec<String>>,
        #[serde(default)]
        now: Option<i64>,
        #[serde(default)]
        tolerance_seconds: Option<u64>,
        #[serde(default)]
        skip_timestamp_check: bool,
        #[serde(default)]
        parse_event: bool,
    },
    Sign {
        #[serde(flatten)]
        body: Body,
        secret: String,
        id: String,
        timestamp: i64,
    },
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_base64: Option<String>,
}

impl Body {
    fn bytes(&self) -> Result<Vec<u8>, String> {
        match (&self.body, &self.body_base64) {
            (Some(text), None) => Ok(text.as_bytes().to_vec()),
            (None, Some(encoded)) => {
                base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|e| format!("body_base64: {e}"))
            }
            _ => Err("give exactly one of body and body_base64".to_owned()),
        }
    }
}

fn run(request: &Request) -> Result<Value, sendivent::Error> {
    let bad = |message: String| sendivent::Error::Binding { code: sendivent::ErrorCode::InvalidArgument, message };
    match request {
        Request::Sign { body, secret, id, timestamp } => {
            let bytes = body.bytes().map_err(bad)?;
            Ok(Value::String(webhook::sign(secret, id, *timestamp, &bytes)?))
        }
        Request::Verify {
            body,
            headers,
            secret,
            secrets,
            now,
            tolerance_seconds,
            skip_timestamp_check,
            parse_event,
        } => {
            let bytes = body.bytes().map_err(bad)?;
            let verifier = match (secret, secrets) {
                (Some(secret), None) => Verifier::new(secret)?,
                (None, Some(secrets)) => Verifier::from_secrets(secrets)?,
                _ => return Err(bad("give exactly one of secret and secrets".to_owned())),
            };
            let mut options = VerifyOptions::default().skip_timestamp_check(*skip_timestamp_check);
            if let Some(now) = now {
                options = options.now(*now);
            }
            if let Some(seconds) = tolerance_seconds {
                options = options.tolerance(Duration::from_secs(*seconds));
            }
            if *parse_event {
                let event = verifier.verify_event(&bytes, headers, &options)?;
                serde_json::to_value(event).map_err(|e| bad(e.to_string()))
            } else {
                verifier.verify(&bytes, headers, &options)?;
                Ok(Value::Bool(true))
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let requests: Vec<Request> = serde_json::from_str(&input)?;
    let results: Vec<Value> = requests
        .iter()
        .map(|request| match run(request) {
            Ok(value) => json!({ "ok": value }),
            Err(err) => json!({ "error": { "code": err.code(), "message": err.message() } }),
        })
        .collect();
    println!("{}", serde_json::to_string(&results)?);
    Ok(())
}
