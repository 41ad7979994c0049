//! `make bench`, client part: prints a Markdown section for `bench/RESULTS.md`.
//!
//! 1. Bulk: 1,000 sends through `send_many` against the mock at the production rate limit
//!    (100 requests/s); the minimum is 10 s, the aim is within 5% of it with no 429 reaching
//!    the caller.
//! 2. Overhead: with the mock's limits lifted, requests/second of our client versus a plain
//!    reqwest loop making the same calls, measured side by side in alternating rounds.
//!
//! Needs `SENDIVENT_MOCK_BIN` (path to a built `sendivent-mock`).
//!
//! `bench_client ceiling <base url> <requests> <concurrency>`: the rate at which the mock at
//! `<base url>` answers the Python benchmark's send (same path, headers and body) to a plain
//! native client, for `bench/python/bench.py`: the ceiling any client can reach against that mock
//! on this machine. Prints requests per second. `bench_client blocking <base url> <requests>`: the
//! same sends, one after another, through the core's blocking client (what the Python, C and Go
//! bindings call), to tell its cost from the binding's.

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if let [mode, url, requests, concurrency] = args.as_slice()
        && mode == "ceiling"
    {
        // One thread, as a client beside the mock on a 2-core machine is fastest with (and as the
        // Python clients run).
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Into::into).and_then(|rt| {
            rt.block_on(async {
                let rate = ceiling(url, requests.parse()?, concurrency.parse()?).await.map_err(widen)?;
                println!("{rate:.1}");
                Ok(())
            })
        })
    } else if let [mode, url, requests] = args.as_slice()
        && mode == "blocking"
    {
        requests.parse().map_err(Into::into).and_then(|requests| blocking(url, requests))
    } else {
        tokio::runtime::Runtime::new().map_err(Into::into).and_then(|rt| rt.block_on(run()))
    };
    if let Err(err) = outcome {
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
        let body = serde_json::to_vec(&json!({"to": format!("p{i}@example.com"), "payload": {}}))?;
        plain_send(client, url, body).await.map_err(widen)?;
    }
    Ok(())
}

type SendError = Box<dyn std::error::Error + Send + Sync>;

/// A task's error as the error type of the rest of this program.
fn widen(err: SendError) -> Box<dyn std::error::Error> {
    err
}

/// One send through plain reqwest, with the headers our client sends, the answer decoded.
async fn plain_send(client: &reqwest::Client, url: &str, body: Vec<u8>) -> Result<(), SendError> {
    let response = client
        .post(url)
        .bearer_auth(KEY)
        .header("content-type", "application/json")
        .header("x-idempotency-key", uuid::Uuid::new_v4().simple().to_string())
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let answer: Value = serde_json::from_slice(&response.bytes().await?)?;
    if !status.is_success() || answer["success"] != Value::Bool(true) {
        return Err(format!("plain send failed: {status} {answer}").into());
    }
    Ok(())
}

/// Requests per second of `requests` sequential sends through the core's blocking client.
fn blocking(base_url: &str, requests: usize) -> Result<(), Box<dyn std::error::Error>> {
    sendivent::client::install_crypto_provider();
    let client = sendivent::client::blocking::Client::new(ClientOptions {
        api_key: Some(KEY.into()),
        base_url: Some(base_url.into()),
        rate_limit: RateLimit::Off,
        ..ClientOptions::default()
    })?;
    let send = |i: usize| client.send("invoice.due", SendRequest::to("ada@example.com").payload(json!({"order": i})));
    for i in 0..10 {
        send(i)?;
    }
    let started = Instant::now();
    for i in 0..requests {
        send(i)?;
    }
    println!("{:.1}", requests as f64 / started.elapsed().as_secs_f64());
    Ok(())
}

/// Requests per second of `requests` sends of the Python benchmark's body, `concurrency` at a time,
/// over one pooled reqwest client: the floor of client cost (no validation, no typed result).
async fn ceiling(base_url: &str, requests: usize, concurrency: usize) -> Result<f64, SendError> {
    sendivent::client::install_crypto_provider();
    let plain = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let url = format!("{base_url}/v1/send/invoice.due");
    let body = serde_json::to_vec(&json!({"to": "ada@example.com", "payload": {"order": 1}}))?;
    let concurrency = concurrency.max(1);
    // Warm the connections.
    for _ in 0..concurrency.min(requests) {
        plain_send(&plain, &url, body.clone()).await?;
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let per_task = requests / concurrency;
    for _ in 0..concurrency {
        let (plain, url, body) = (plain.clone(), url.clone(), body.clone());
        tasks.spawn(async move {
            for _ in 0..per_task {
                plain_send(&plain, &url, body.clone()).await?;
            }
            Ok::<(), SendError>(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok((per_task * concurrency) as f64 / started.elapsed().as_secs_f64())
}
