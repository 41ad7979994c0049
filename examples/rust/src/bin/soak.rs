//! The Rust client's part of `make soak` (tools/soak.sh): a long run of mixed calls against a
//! `sendivent-mock` that injects errors and lost answers, measuring this process's resident
//! memory and open file descriptors after a warm-up and at the end.
//!
//! ```text
//! soak --seconds 60 --base-url http://127.0.0.1:PORT
//! ```
//!
//! Prints one JSON line: {"language", "seconds", "operations", "errors", "start_rss_kb",
//! "end_rss_kb", "start_fds", "end_fds"}. tools/soak.sh judges the growth.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sendivent::client::{Client, ClientOptions, RequestOptions};
use sendivent::models::{ContactInput, ContactListParams, DeliveryListParams, SendRequest};
use sendivent::webhook::{self, Verifier, VerifyOptions};

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = arg("--seconds").and_then(|s| s.parse().ok()).unwrap_or(60);
    let base_url = arg("--base-url").ok_or("--base-url is required")?;
    let client = Client::new(ClientOptions {
        api_key: Some("test_soak_rust_0123456789".into()),
        base_url: Some(base_url),
        max_retries: Some(3),
        timeout: Some(Duration::from_secs(5)),
        ..ClientOptions::default()
    })?;
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verifier = Verifier::new(secret)?;
    let body = br#"{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}"#;

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let warm_up = started + Duration::from_secs(seconds / 10).max(Duration::from_secs(2));
    let mut start: Option<(u64, usize)> = None;
    let mut operations = 0u64;
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        if start.is_none() && Instant::now() >= warm_up {
            start = Some((rss_kb(), open_fds()));
        }
        let email = format!("soak-rust-{}@example.com", n % 500);
        let keyed = client.with_options(RequestOptions::default().idempotency_key(format!("soak-rust-{n}")));
        let results = [
            keyed.send("user.welcome", SendRequest::to(email.as_str())).await.map(|_| ()),
            client.contacts().create(&ContactInput::email(format!("c{n}-{email}"))).await.map(|_| ()),
            client.contacts().delete(&format!("c{n}-{email}")).await.map(|_| ()),
            client.contacts().list(&ContactListParams { limit: Some(20), ..Default::default() }).await.map(|_| ()),
            client.deliveries().list(&DeliveryListParams { limit: Some(20), ..Default::default() }).await.map(|_| ()),
            client.events().list().await.map(|_| ()),
        ];
        for result in results {
            operations += 1;
            if let Err(err) = result {
                *errors.entry(err.code().to_owned()).or_default() += 1;
            }
        }
        let signed = webhook::sign_headers(secret, &format!("msg_{n}"), 1_700_000_000, body)?;
        verifier.verify_event(body, &signed, &VerifyOptions::default().now(1_700_000_000))?;
        operations += 1;
    }
    let (start_rss, start_fds) = start.unwrap_or((rss_kb(), open_fds()));
    println!(
        "{}",
        serde_json::json!({
            "language": "rust", "seconds": seconds, "operations": operations, "errors": errors,
            "start_rss_kb": start_rss, "end_rss_kb": rss_kb(), "start_fds": start_fds, "end_fds": open_fds(),
        })
    );
    Ok(())
}
