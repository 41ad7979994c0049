//! `make bench`, client part: prints a Markdown section for `bench/RESULTS.md`.
//!
//! 1. Bulk: 1,000 sends through `send_many` against the mock at the production rate limit
//!    (100 requests/s); the minimum is 10 s, the aim is within 5% of it with no 429 reaching
//!    the caller.
//! 2. Overhead: with the mock's limits lifted, requests/second of our client versus a plain
//!    reqwest loop making the same calls, measured side by side in alternating rounds.
//!
//! Needs `SENDIVENT_MOCK_BIN` (path to a built `sendivent-mock`).

use std::process::Stdio;
use std::time::{Duration, Instant};

use sendivent::client::{Client, ClientOptions, RateLimit, SendItem};
use sendivent::models::{Channel, SendRequest};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const KEY: &str = "live_bench_key_0000";

struct Mock {
    child: Child,
    url: String,
}

async fn start_mock(args: &[&str]) -> Result<Mock, Box<dyn std::error::Error>> {
    let bin = std::env::var("SENDIVENT_MOCK_BIN").map_err(|_| "set SENDIVENT_MOCK_BIN to the sendivent-mock binary")?;
    let mut child = Command::new(bin)
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).await?;
    let url = line.trim().strip_prefix("listening on ").ok_or("unexpected first line from the mock")?.to_owned();
    Ok(Mock { child, url })
}

fn client(url: &str, rate_limit: RateLimit) -> sendivent::Result<Client> {
    Client::new(ClientOptions {
        api_key: Some(KEY.into()),
        base_url: Some(url.into()),
        rate_limit,
        ..ClientOptions::default()
    })
}

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("bench failed: {err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("## Rust client (`examples/rust/src/bin/bench_client.rs`)\n");
    bulk().await?;
    overhead().await?;
    Ok(())
}

async fn bulk() -> Result<(), Box<dyn std::error::Error>> {
    // Production rate limit (100/s) as the mock enforces it; the daily quota is raised so that it
    // is not what is measured.
    sendivent::client::install_crypto_provider();
    let mut mock = start_mock(&["--rate-limit-live", "100", "--quota-live", "1000000"]).await?;
    let client = client(&mock.url, RateLimit::Documented)?;
    let items: Vec<SendItem> = (0..1000)
        .map(|i| SendItem {
            channel: Some(Channel::Email),
            ..SendItem::new("user.welcome", SendRequest::to(format!("bulk{i}@example.com")))
        })
        .collect();
    let started = Instant::now();
    let results = client.send_many(items, 32).await;
    let elapsed = started.elapsed();
    let failures: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(|e| e.code().to_owned())).collect();
    let caller_429 = failures.iter().filter(|c| *c == "RATE_LIMITED").count();
    let retried = results.iter().filter_map(|r| r.as_ref().ok()).filter(|r| r.meta().attempts > 1).count();
    let state: Value =
        serde_json::from_slice(&reqwest::get(format!("{}/_mock/state", mock.url)).await?.bytes().await?)?;
    mock.child.kill().await?;
    let minimum = Duration::from_secs(10);
    println!("### Bulk: 1,000 sends, `send_many` (concurrency 32) at the production limit (100 requests/s)\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| elapsed | {:.2} s (minimum 10 s; {:+.1}% over) |",
        elapsed.as_secs_f64(),
        (elapsed.as_secs_f64() / minimum.as_secs_f64() - 1.0) * 100.0
    );
    println!("| succeeded | {} / 1000 |", results.len() - failures.len());
    println!("| 429s reaching the caller | {caller_429} |");
    println!("| sends that needed a retry | {retried} |");
    println!("| mock state (429s answered, sends) | {} |\n", summarize_state(&state));
    if !failures.is_empty() {
        println!("failures: {failures:?}\n");
    }
    Ok(())
}

fn summarize_state(state: &Value) -> String {
    let pick = |keys: &[&str]| keys.iter().find_map(|k| state.pointer(k)).cloned().unwrap_or(Value::Null);
    format!("rate_limited={} sends={}", pick(&["/counts/rate_limited"]), pick(&["/counts/sends"]))
}

async fn overhead() -> Result<(), Box<dyn std::error::Error>> {
    let mut mock = start_mock(&["--no-limits"]).await?;
    let ours = client(&mock.url, RateLimit::Off)?;
    sendivent::client::install_crypto_provider();
    let plain = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let url = format!("{}/v1/send/user.welcome", mock.url);
    const PER_ROUND: usize = 300;
    const ROUNDS: usize = 5;
    // Warm both paths (connections, allocator, mock caches).
    run_ours(&ours, 50).await?;
    run_plain(&plain, &url, 50).await?;
    let (mut ours_time, mut plain_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        run_ours(&ours, PER_ROUND).await?;
        ours_time += t.elapsed();
        let t = Instant::now();
        run_plain(&plain, &url, PER_ROUND).await?;
        plain_time += t.elapsed();
    }
    mock.child.kill().await?;
    let total = (PER_ROUND * ROUNDS) as f64;
    let (ours_rps, plain_rps) = (total / ours_time.as_secs_f64(), total / plain_time.as_secs_f64());
    println!("### Overhead: sequential sends, limits lifted, {ROUNDS} alternating rounds of {PER_ROUND}\n");
    println!("| client | requests/s |\n|---|---|");
    println!("| plain reqwest loop (same calls, same headers, JSON decode) | {plain_rps:.0} |");
    println!("| `sendivent::client::Client::send` | {ours_rps:.0} |");
    println!("| ratio (ours / plain) | {:.3} |\n", ours_rps / plain_rps);
    Ok(())
}

async fn run_ours(client: &Client, n: usize) -> sendivent::Result<()> {
    for i in 0..n {
        client.send("user.welcome", SendRequest::to(format!("o{i}@example.com"))).await?;
    }
    Ok(())
}

async fn run_plain(client: &reqwest::Client, url: &str, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    for i in 0..n {
        let response = client
            .post(url)
            .bearer_auth(KEY)
            .header("content-type", "application/json")
            .header("x-idempotency-key", uuid::Uuid::new_v4().simple().to_string())
            .body(serde_json::to_vec(&json!({"to": format!("p{i}@example.com"), "payload": {}}))?)
            .send()
            .await?;
        let status = response.status();
        let body: Value = serde_json::from_slice(&response.bytes().await?)?;
        if !status.is_success() || body["success"] != Value::Bool(true) {
            return Err(format!("plain send failed: {status} {body}").into());
        }
    }
    Ok(())
}
