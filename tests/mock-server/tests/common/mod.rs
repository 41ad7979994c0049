//! Helpers shared by the integration tests: a fast mock and a plain HTTP client.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use reqwest::header::HeaderMap;
use sendivent_mock::{Limits, MockConfig, MockServer};
use serde_json::Value;

/// Production behaviour with fast status changes and webhook retries, and no limits unless a
/// test sets them.
pub fn fast_config() -> MockConfig {
    MockConfig {
        limits: Limits::unlimited(),
        transition_delay: Duration::from_millis(5),
        webhook_backoff: Duration::from_millis(20),
        seed: Some(7),
        ..MockConfig::default()
    }
}

pub async fn start() -> MockServer {
    MockServer::start(fast_config()).await.unwrap()
}

/// A response reduced to what tests look at.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// A plain reqwest client bound to one server and key.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub key: Option<String>,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(server: &MockServer, key: &str) -> Api {
        Api { base: server.url(), key: Some(key.to_owned()), http: sendivent_mock::http_client() }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        request
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::POST, path).json(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::PATCH, path).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    pub async fn delete_json(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::DELETE, path).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::PUT, path).json(&body)).await
    }
}

/// Polls until `check` passes or 3 s have gone by.
pub async fn eventually<F: FnMut() -> bool>(mut check: F) -> bool {
    for _ in 0..300 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    check()
}

/// What a raw HTTP/1.1 exchange returned: status, lower-case headers and the JSON body.
#[derive(Debug)]
pub struct RawReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// Sends `request` as is on a fresh connection (it should say `Connection: close`) and reads the
/// answer to the end: for requests no HTTP client library would write.
pub async fn raw(addr: std::net::SocketAddr, request: &[u8]) -> RawReply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no header end in {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let body =
        if body.is_empty() { Value::Null } else { serde_json::from_str(body).unwrap_or(Value::String(body.into())) };
    RawReply { status, headers, body }
}
