//! The `sendivent` binary end to end against an in-process `sendivent-mock`: every command, the
//! JSON output, exit codes by error class, and batches that resume without sending twice.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use sendivent_mock::{MockConfig, MockServer};
use serde_json::Value;

struct Cli {
    mock: MockServer,
}

impl Cli {
    fn start() -> Cli {
        Cli { mock: MockServer::start_in_thread(MockConfig::default()).unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sendivent"))
            .args(args)
            .env("SENDIVENT_API_KEY", "test_cli_0123456789abcdef")
            .env("SENDIVENT_BASE_URL", self.mock.url())
            .env_remove("SENDIVENT_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            input.write_all(bytes).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {output:?}"))
    }
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

#[test]
fn send_one_and_several_with_text_and_json_output() {
    let cli = Cli::start();
    let output = cli.run(&["send", "order.confirmed", "--to", "ada@example.com", "--payload", r#"{"order": 1042}"#]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("email\t"), "{output:?}");

    let sent = cli.json(&[
        "send",
        "order.confirmed",
        "--json",
        "--to",
        r#"{"id": "user-9", "email": "grace@example.com", "name": "Grace"}"#,
        "--to",
        "+14155552671",
        "--idempotency-key",
        "cli-order-1",
    ]);
    assert_eq!(sent["success"], true);
    assert!(!sent["deliveries"].as_array().unwrap().is_empty());
    let again = cli.json(&[
        "send",
        "order.confirmed",
        "--json",
        "--to",
        r#"{"id": "user-9", "email": "grace@example.com", "name": "Grace"}"#,
        "--to",
        "+14155552671",
        "--idempotency-key",
        "cli-order-1",
    ]);
    assert_eq!(again["idempotent_replay"], true);
    assert_eq!(again["deliveries"], sent["deliveries"]);
    let contact = cli.json(&["contacts", "get", "user-9", "--json"]);
    assert_eq!(contact["external_id"], "user-9");
}

#[test]
fn exit_codes_follow_the_error_class() {
    let cli = Cli::start();
    // The SDK refuses before sending: 3.
    let output = cli.run(&["send", "order.confirmed", "--to", "070-123 45 67"]);
    assert_eq!(code(&output), 3, "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("INVALID_PHONE"));
    // The API refuses: 1, with the reasons of a failed send.
    let output = cli.run(&["send", "no.such.event", "--to", "ada@example.com"]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("EVENT_NOT_FOUND"));
    let output = cli.run(&["contacts", "get", "nobody@example.com", "--json"]);
    assert_eq!(code(&output), 1);
    let details: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((details["code"].as_str(), details["class"].as_str()), (Some("NOT_FOUND"), Some("NotFoundError")));
    // Nothing listening: worth retrying later, 4.
    let output =
        Command::new(env!("CARGO_BIN_EXE_sendivent")).args(["events-missing-command-is-usage"]).output().unwrap();
    assert_eq!(code(&output), 2, "an unknown command is a usage error");
    let output = Command::new(env!("CARGO_BIN_EXE_sendivent"))
        .args(["contacts", "get", "ada@example.com", "--max-retries", "0"])
        .env("SENDIVENT_API_KEY", "test_cli_0123456789abcdef")
        .env("SENDIVENT_BASE_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(code(&output), 4, "{output:?}");
    // A bad key never reaches the network and never shows in the message: 3.
    let output = Command::new(env!("CARGO_BIN_EXE_sendivent"))
        .args(["contacts", "list"])
        .env("SENDIVENT_API_KEY", "sk_live_supersecret0123456789")
        .output()
        .unwrap();
    assert_eq!(code(&output), 3, "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("supersecret"));
}

#[test]
fn contacts_deliveries_and_webhooks() {
    let cli = Cli::start();
    let created = cli.json(&[
        "contacts",
        "create",
        r#"{"email": "linus@example.com", "name": "Linus", "plan": "pro"}"#,
        "--json",
    ]);
    assert_eq!(created["meta"]["plan"], "pro");
    let all = cli.json(&["contacts", "list", "--all", "--limit", "2", "--json"]);
    assert!(all.as_array().unwrap().iter().any(|c| c["email"] == "linus@example.com"));
    let deleted = cli.json(&["contacts", "delete", "linus@example.com", "--json"]);
    assert_eq!(deleted["deleted"], true);

    let sent = cli.json(&["send", "user.welcome", "--to", "ada@example.com", "--json"]);
    let uuid = sent["deliveries"][0]["uuid"].as_str().unwrap().to_owned();
    let trace = cli.json(&["deliveries", "trace", &uuid, "--json"]);
    assert_eq!(trace["delivery"]["uuid"], uuid.as_str());
    let deliveries = cli.json(&["deliveries", "list", "--event", "user.welcome", "--json"]);
    assert!(deliveries.as_array().unwrap().iter().any(|d| d["uuid"] == uuid.as_str()));

    let hook = cli.json(&[
        "webhooks",
        "create",
        "--url",
        "http://127.0.0.1:9/hook",
        "--events",
        "delivery.sent,delivery.failed",
        "--json",
    ]);
    assert!(hook["signing_secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(cli.json(&["webhooks", "get", "--json"])["uuid"], hook["uuid"]);
    let output = cli.run(&["webhooks", "create", "--url", "http://127.0.0.1:9/other", "--events", "delivery.sent"]);
    assert_eq!(code(&output), 1, "a second endpoint is a conflict");
    cli.json(&["webhooks", "delete", hook["uuid"].as_str().unwrap(), "--json"]);
}

#[test]
fn sign_then_verify_from_stdin_and_a_tampered_body_fails() {
    let cli = Cli::start();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}"#;
    let signed = cli.run_with_stdin(
        &["sign", "--secret", secret, "--id", "msg_1", "--timestamp", "1700000000", "--json"],
        Some(body),
    );
    assert!(signed.status.success(), "{signed:?}");
    let headers: Value = serde_json::from_slice(&signed.stdout).unwrap();
    let flags: Vec<String> = ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .iter()
        .map(|name| format!("{name}: {}", headers[name].as_str().unwrap()))
        .collect();
    let mut args = vec!["verify", "--secret", secret, "--now", "1700000000", "--json"];
    for flag in &flags {
        args.extend(["-H", flag.as_str()]);
    }
    let verified = cli.run_with_stdin(&args, Some(body));
    assert!(verified.status.success(), "{verified:?}");
    let value: Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(value["event"]["delivery"]["uuid"], "d1");
    assert!(value["verified"]["secret_fingerprint"].as_str().unwrap().starts_with("whsec:"));
    let tampered = cli.run_with_stdin(&args, Some(&body[..body.len() - 1]));
    assert_eq!(code(&tampered), 5, "{tampered:?}");
    assert!(String::from_utf8_lossy(&tampered.stderr).contains("WEBHOOK_NO_MATCHING_SIGNATURE"));
}

#[test]
fn validate_commands() {
    let cli = Cli::start();
    let output = cli.run(&["validate", "phone", "+46 70-123 45 67"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "+46701234567");
    let id = cli.json(&["validate", "id", "C01234ABCDE", "--channel", "slack", "--json"]);
    assert_eq!(id["kind"], "slack_channel");
    assert_eq!(code(&cli.run(&["validate", "email", "nobody@"])), 3);
}

#[test]
fn a_batch_sends_every_line_once_and_resumes_without_sending_twice() {
    let cli = Cli::start();
    let dir = std::env::temp_dir().join(format!("sendivent-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("batch.jsonl");
    let mut lines: Vec<String> =
        (0..30).map(|i| format!(r#"{{"to": "batch{i}@example.com", "payload": {{"n": {i}}}}}"#)).collect();
    lines.push(r#"{"to": "070-123 45 67"}"#.to_owned());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let path = file.to_string_lossy().into_owned();

    let first = cli.run(&["send", "user.welcome", "--batch", &path, "--concurrency", "4", "--json"]);
    assert_eq!(code(&first), 3, "the bad line makes the run fail: {first:?}");
    let report: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!((report["sent"].as_u64(), report["failed"].as_u64()), (Some(30), Some(1)));

    // Run it again: every good line is answered from the idempotency store.
    let again = cli.run(&["send", "user.welcome", "--batch", &path, "--json", "--rate", "documented"]);
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!((report["sent"].as_u64(), report["replayed"].as_u64()), (Some(0), Some(30)), "{report}");
    let state: Value = reqwest_free_state(&cli);
    assert_eq!(state["counts"]["replays"].as_u64(), Some(30), "{state}");
    std::fs::remove_dir_all(dir).ok();
}

/// The mock's admin state, read with the CLI's own process environment (std only).
fn reqwest_free_state(cli: &Cli) -> Value {
    use std::io::Read as _;
    let url = cli.mock.url();
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET /_mock/state HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}
