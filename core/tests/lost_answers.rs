//! Retries after a lost answer (docs/contract.md §2 "Retries"): the request reached the API and
//! took effect, but its answer never came back. A proxy between the client and `sendivent-mock`
//! forwards every request and closes the connection instead of answering the first one that
//! matches, so the client's repeat meets the state its own first attempt created.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sendivent::client::{Client, ClientOptions};
use sendivent::models::{ContactInput, CreateWebhook, WebhookEventType};
use sendivent_mock::{Limits, MockConfig, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "test_lost_0123456789abcdef";

/// What the proxy saw: `METHOD /path` of every request, and whether its answer was lost.
type Seen = Arc<Mutex<Vec<(String, bool)>>>;

/// Starts a proxy to `upstream` that loses the answer of the first request whose
/// `METHOD /path` starts with `lose`; returns its URL and what it saw.
async fn lossy_proxy(upstream: String, lose: &'static str) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let http = reqwest::Client::new();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (upstream, log, http) = (upstream.clone(), Arc::clone(&log), http.clone());
            tokio::spawn(async move { forward_one(socket, &upstream, &http, &log, lose).await });
        }
    });
    (url, seen)
}

/// Reads one request, forwards it and answers it (with `connection: close`), unless it is the
/// first to match `lose`: then the connection is closed after the upstream has handled it.
async fn forward_one(mut socket: TcpStream, upstream: &str, http: &reqwest::Client, log: &Seen, lose: &str) {
    let mut request = Vec::new();
    let mut buf = vec![0u8; 16384];
    let (head_end, length) = loop {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buf[..read]),
        }
        let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            break (end, length);
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let body = request[head_end + 4..head_end + 4 + length].to_vec();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let (method, path) = (start.next().unwrap_or_default().to_owned(), start.next().unwrap_or_default().to_owned());
    let mut forwarded = http.request(method.parse().unwrap(), format!("{upstream}{path}")).body(body);
    for line in lines {
        if let Some((name, value)) = line.split_once(':')
            && !matches!(name.to_ascii_lowercase().as_str(), "host" | "content-length" | "connection")
        {
            forwarded = forwarded.header(name.trim(), value.trim());
        }
    }
    let answer = forwarded.send().await.unwrap();
    let request_line = format!("{method} {path}");
    let lost = {
        let mut seen = log.lock().unwrap();
        let lost = request_line.starts_with(lose) && !seen.iter().any(|(_, lost)| *lost);
        seen.push((request_line, lost));
        lost
    };
    if lost {
        return; // dropped: the client sees the connection close without an answer
    }
    let status = answer.status();
    let mut out = format!("HTTP/1.1 {} {}\r\n", status.as_u16(), status.canonical_reason().unwrap_or(""));
    for (name, value) in answer.headers() {
        if !matches!(name.as_str(), "content-length" | "connection" | "transfer-encoding") {
            out.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap_or_default()));
        }
    }
    let body = answer.bytes().await.unwrap();
    out.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()));
    let _ = socket.write_all(out.as_bytes()).await;
    let _ = socket.write_all(&body).await;
    let _ = socket.shutdown().await;
}

async fn mock() -> MockServer {
    let config = MockConfig { limits: Limits::unlimited(), ..MockConfig::default() };
    MockServer::start(config).await.unwrap()
}

fn client(base_url: &str) -> Client {
    Client::new(ClientOptions {
        api_key: Some(KEY.into()),
        base_url: Some(base_url.to_owned()),
        timeout: Some(Duration::from_secs(5)),
        ..ClientOptions::default()
    })
    .unwrap()
}

fn requests(seen: &Seen) -> Vec<(String, bool)> {
    seen.lock().unwrap().clone()
}

#[tokio::test]
async fn a_webhook_created_by_a_lost_attempt_is_read_back_instead_of_a_conflict() {
    let mock = mock().await;
    let (url, seen) = lossy_proxy(mock.url().trim_end_matches('/').to_owned(), "POST /v1/webhooks").await;
    let created = client(&url)
        .webhooks()
        .create(&CreateWebhook::new("https://hooks.example.com/sendivent", [WebhookEventType::DeliverySent]))
        .await
        .expect("the repeat's 409 is resolved by reading the configuration back");
    assert!(created.meta().recovered, "the result says it was recovered");
    assert_eq!(created.url, "https://hooks.example.com/sendivent");
    let seen = requests(&seen);
    assert_eq!(
        seen.iter().map(|(line, lost)| (line.as_str(), *lost)).collect::<Vec<_>>(),
        [("POST /v1/webhooks", true), ("POST /v1/webhooks", false), ("GET /v1/webhooks", false)],
        "the first answer was lost, the repeat met 409, the configuration was read back"
    );
    assert_eq!(client(&mock.url()).webhooks().get().await.unwrap().uuid, created.uuid, "one webhook exists");
}

#[tokio::test]
async fn a_conflict_not_caused_by_our_own_attempt_stays_a_conflict() {
    let mock = mock().await;
    let direct = client(mock.url().trim_end_matches('/'));
    let events = [WebhookEventType::DeliverySent];
    direct.webhooks().create(&CreateWebhook::new("https://one.example.com/hook", events.clone())).await.unwrap();
    // No lost answer: the 409 is the caller's own business, even for the same URL.
    let again = direct.webhooks().create(&CreateWebhook::new("https://one.example.com/hook", events.clone())).await;
    assert_eq!(again.unwrap_err().code(), "CONFLICT");
    // A lost answer, but what exists is not what was sent: the conflict is reported.
    let (url, _) = lossy_proxy(mock.url().trim_end_matches('/').to_owned(), "POST /v1/webhooks").await;
    let other = client(&url).webhooks().create(&CreateWebhook::new("https://two.example.com/hook", events)).await;
    assert_eq!(other.unwrap_err().code(), "CONFLICT");
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_succeeds_instead_of_a_false_404() {
    let mock = mock().await;
    let direct = client(mock.url().trim_end_matches('/'));
    let contact = direct.contacts().create(&ContactInput::email("gone@example.com")).await.unwrap();
    let (url, seen) = lossy_proxy(mock.url().trim_end_matches('/').to_owned(), "DELETE /v1/contacts/").await;
    let deleted = client(&url).contacts().delete(&contact.uuid).await.expect("the repeat's 404 means it is gone");
    assert!(deleted.meta().recovered);
    assert_eq!(requests(&seen).len(), 2, "one lost DELETE and its repeat");
    assert_eq!(direct.contacts().get(&contact.uuid).await.unwrap_err().code(), "NOT_FOUND");
    // Without a lost attempt, deleting what does not exist is a 404 as always.
    assert_eq!(direct.contacts().delete(&contact.uuid).await.unwrap_err().code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_contact_created_by_a_lost_attempt_is_read_back() {
    let mock = mock().await;
    let (url, seen) = lossy_proxy(mock.url().trim_end_matches('/').to_owned(), "POST /v1/contacts").await;
    let created = client(&url).contacts().create(&ContactInput::email("once@example.com")).await;
    let created = created.expect("the repeat's 409 is resolved by reading the contact back");
    assert!(created.meta().recovered);
    assert_eq!(created.email.as_deref(), Some("once@example.com"));
    let lines: Vec<String> = requests(&seen).into_iter().map(|(line, _)| line).collect();
    assert_eq!(lines[..2], ["POST /v1/contacts", "POST /v1/contacts"]);
    assert!(lines[2].starts_with("GET /v1/contacts/"), "then read back: {lines:?}");
}
