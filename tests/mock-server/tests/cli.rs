//! The `sendivent-mock` binary: first line, flags, fixtures file, clean exit on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sendivent-mock");

struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Running {
    spawn_with_env(args, &[])
}

fn spawn_with_env(args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(BIN);
    command.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).env_remove(sendivent_mock::RECORD_ENV);
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url =
        line.trim_end().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line:?}")).to_owned();
    let port: u16 = url.strip_prefix("http://127.0.0.1:").unwrap().parse().unwrap();
    assert_ne!(port, 0);
    Running { child, url }
}

fn get(url: &str, key: Option<&str>) -> (u16, serde_json::Value) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut request = sendivent_mock::http_client().get(url);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    })
}

fn terminate(mut running: Running) -> std::process::ExitStatus {
    let pid = running.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = running.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn port_zero_prints_the_url_first_serves_and_exits_zero_on_sigterm() {
    let running = spawn(&["--port", "0", "--seed", "1"]);
    let (status, body) = get(&format!("{}/health", running.url), None);
    assert_eq!((status, body), (200, serde_json::json!({"ok": true})));
    let (status, _) = get(&format!("{}/v1/events", running.url), Some("test_cli"));
    assert_eq!(status, 200);
    assert!(terminate(running).success());
}

#[test]
fn flags_and_a_fixtures_file_are_applied() {
    let dir = std::env::temp_dir().join(format!("sendivent-mock-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fixtures.json");
    std::fs::write(
        &path,
        r#"{"app": {"name": "Custom"}, "events": [{"identifier": "custom.ping", "channels": ["email"],
            "templates": [{"channel": "email", "subject": "Ping", "body": "Hi {{name | you}}"}]}],
            "integrations": [{"channel": "email", "provider": "sendgrid"}]}"#,
    )
    .unwrap();
    let running =
        spawn(&["--port=0", "--fixtures", path.to_str().unwrap(), "--api-key", "ci-key", "--rate-limit-live", "2"]);
    let (status, body) = get(&format!("{}/v1/events", running.url), Some("ci-key"));
    assert_eq!(status, 200);
    assert_eq!(body["data"]["events"][0]["identifier"], "custom.ping");
    let (_, state) = get(&format!("{}/_mock/state", running.url), None);
    assert_eq!(state["limits"]["rate_limit_live"], 2);
    assert_eq!(state["contacts"], 0);
    let (status, _) = get(&format!("{}/v1/events", running.url), Some("ci-key"));
    assert_eq!(status, 200);
    let (status, body) = get(&format!("{}/v1/events", running.url), Some("ci-key"));
    assert_eq!((status, body["code"].as_str()), (429, Some("RATE_LIMITED")));
    assert!(terminate(running).success());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_arguments_and_fixtures_fail_with_a_message() {
    let output = Command::new(BIN).args(["--error-rate", "2"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("between 0 and 1"));
    let output = Command::new(BIN).args(["--bogus"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(BIN).args(["--fixtures", "/nonexistent/fixtures.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
    let output = Command::new(BIN).arg("--help").output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("--drop-rate"));
    let output = Command::new(BIN).arg("--print-fixtures").output().unwrap();
    let fixtures: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(fixtures["events"].as_array().unwrap().len() >= 5);
}

#[test]
fn hardening_flags_are_applied_and_checked() {
    let running = spawn(&[
        "--max-body-bytes",
        "200",
        "--idempotency-max-keys=1",
        "--idempotency-ttl-secs",
        "60",
        "--header-read-timeout-ms",
        "300",
        "--no-limits",
    ]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let http = sendivent_mock::http_client();
        let post = |body: serde_json::Value, key: &str| {
            http.post(format!("{}/v1/send/user.welcome/email", running.url))
                .bearer_auth("test_cli")
                .header("X-Idempotency-Key", key)
                .json(&body)
        };
        let big = post(serde_json::json!({"to": "ada@example.com", "payload": {"x": "y".repeat(300)}}), "a");
        assert_eq!(big.send().await.unwrap().status().as_u16(), 413);
        for key in ["a", "b"] {
            let ok = post(serde_json::json!({"to": "ada@example.com", "payload": {}}), key).send().await.unwrap();
            assert_eq!(ok.status().as_u16(), 200);
        }
        let state: serde_json::Value =
            http.get(format!("{}/_mock/state", running.url)).send().await.unwrap().json().await.unwrap();
        assert_eq!(state["idempotency_keys"], 1);
        // A connection that never finishes its headers is closed after 300 ms.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = running.url.strip_prefix("http://").unwrap().to_owned();
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        let mut rest = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "still open");
    });
    assert!(terminate(running).success());
    for bad in [["--max-body-bytes", "0"], ["--idempotency-max-keys", "-1"], ["--header-read-timeout-ms", "x"]] {
        let output = Command::new(BIN).args(bad).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn record_flag_and_environment_variable_write_json_lines() {
    let dir = std::env::temp_dir().join(format!("sendivent-mock-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let by_flag = dir.join("flag.jsonl");
    let by_env = dir.join("env.jsonl");
    let flagged = spawn(&["--record", by_flag.to_str().unwrap()]);
    let from_env = spawn_with_env(&[], &[(sendivent_mock::RECORD_ENV, by_env.to_str().unwrap())]);
    for running in [&flagged, &from_env] {
        let (status, _) = get(&format!("{}/v1/contacts/ada%40example.com", running.url), Some("test_rec"));
        assert_eq!(status, 200);
        assert_eq!(get(&format!("{}/health", running.url), None).0, 200);
    }
    assert!(terminate(flagged).success());
    assert!(terminate(from_env).success());
    for file in [&by_flag, &by_env] {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0]["kind"], "request");
        assert_eq!(lines[1]["kind"], "response");
        assert_eq!(lines[1]["method"], "GET");
        assert_eq!(lines[1]["route"], "/v1/contacts/{identifier}");
        assert_eq!(lines[1]["status"], 200);
        assert_eq!(lines[1]["body"]["data"]["contact"]["email"], "ada@example.com");
    }
    let output = Command::new(BIN).args(["--record", "/nonexistent-dir/x.jsonl"]).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("record file"));
    std::fs::remove_dir_all(dir).unwrap();
}
