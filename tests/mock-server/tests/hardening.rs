//! Robustness: slow headers, a bounded idempotency store, oversized bodies, non-UTF-8 paths.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Api, fast_config, raw};
use sendivent_mock::{MockConfig, MockServer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    assert!((1..=10).contains(&MockConfig::default().header_read_timeout.as_secs()), "a few seconds by default");
    let config = MockConfig { header_read_timeout: Duration::from_millis(300), ..fast_config() };
    let server = MockServer::start(config).await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: mock\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (perhaps after a 408); the read then ends.
    let closed = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection was still open after 3 s");
    assert!(started.elapsed() >= Duration::from_millis(250), "closed too early: {:?}", started.elapsed());
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    // Other connections are served as usual.
    let health = raw(server.addr(), b"GET /health HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n").await;
    assert_eq!(health.status, 200);
    server.shutdown().await;
}

async fn keyed_send(api: &Api, key: &str, message: &str) -> common::Reply {
    api.send(
        api.request(reqwest::Method::POST, "/v1/send/user.welcome/email")
            .header("X-Idempotency-Key", key)
            .json(&json!({"to": "ada@example.com", "payload": {"message": message}})),
    )
    .await
}

#[tokio::test]
async fn idempotency_keys_expire_after_their_ttl() {
    assert_eq!(MockConfig::default().idempotency_ttl, Duration::from_secs(24 * 3600), "like the real API");
    let config = MockConfig { idempotency_ttl: Duration::from_millis(300), ..fast_config() };
    let server = MockServer::start(config).await.unwrap();
    let api = Api::new(&server, "test_key");
    assert_eq!(keyed_send(&api, "k", "one").await.header("x-idempotent-replay"), None);
    assert_eq!(keyed_send(&api, "k", "one").await.header("x-idempotent-replay"), Some("true"));
    assert_eq!(keyed_send(&api, "k", "two").await.status, 409, "a live key refuses another request");
    tokio::time::sleep(Duration::from_millis(400)).await;
    // Expired: the key is free again, for this request or another one.
    let fresh = keyed_send(&api, "k", "two").await;
    assert_eq!((fresh.status, fresh.header("x-idempotent-replay")), (200, None));
    assert_eq!(keyed_send(&api, "k", "two").await.header("x-idempotent-replay"), Some("true"));
    let state = server.state();
    assert_eq!((state.counts.sends, state.counts.replays), (2, 2));
    assert_eq!(state.idempotency_keys, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn the_idempotency_store_forgets_its_oldest_keys_beyond_the_cap() {
    assert!(MockConfig::default().idempotency_max_keys >= 1000);
    let config = MockConfig { idempotency_max_keys: 3, ..fast_config() };
    let server = MockServer::start(config).await.unwrap();
    let api = Api::new(&server, "test_key");
    for key in ["a", "b", "c", "d"] {
        assert_eq!(keyed_send(&api, key, "m").await.status, 200);
    }
    assert_eq!(server.state().idempotency_keys, 3);
    assert_eq!(keyed_send(&api, "d", "m").await.header("x-idempotent-replay"), Some("true"));
    // `a` was the oldest: forgotten, so this is a new send (and `b` goes next).
    assert_eq!(keyed_send(&api, "a", "m").await.header("x-idempotent-replay"), None);
    assert_eq!(keyed_send(&api, "b", "m").await.header("x-idempotent-replay"), None);
    assert_eq!(keyed_send(&api, "a", "m").await.header("x-idempotent-replay"), Some("true"));
    let state = server.state();
    assert_eq!((state.counts.sends, state.idempotency_keys), (6, 3));
    // A reset empties the store.
    server.reset();
    assert_eq!(server.state().idempotency_keys, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_with_the_error_envelope() {
    assert_eq!(MockConfig::default().max_body_bytes, 1024 * 1024);
    let config = MockConfig { max_body_bytes: 1024, ..fast_config() };
    let server = MockServer::start(config).await.unwrap();
    let api = Api::new(&server, "test_key");
    let big = json!({"email": "big@example.com", "notes": "x".repeat(4000)});
    let reply = api.post("/v1/contacts", big).await;
    assert_eq!((reply.status, reply.code()), (413, "VALIDATION_ERROR"), "{:?}", reply.body);
    assert!(reply.body["error"].as_str().unwrap().contains("1024 bytes"), "{:?}", reply.body);
    let send =
        api.post("/v1/send/user.welcome", json!({"to": "ada@example.com", "payload": {"x": "y".repeat(2000)}})).await;
    assert_eq!((send.status, send.code()), (413, "VALIDATION_ERROR"));
    // Also without a Content-Length (chunked), and before auth.
    let chunk = "z".repeat(3000);
    let chunked = format!(
        "POST /v1/contacts HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let reply = raw(server.addr(), chunked.as_bytes()).await;
    assert_eq!((reply.status, reply.body["code"].as_str()), (413, Some("VALIDATION_ERROR")));
    // At the limit is fine.
    let fits = json!({"email": "fits@example.com", "notes": "x".repeat(900)});
    assert!(serde_json::to_vec(&fits).unwrap().len() <= 1024);
    assert_eq!(api.post("/v1/contacts", fits).await.status, 201);
    assert_eq!(server.state().counts.sends, 0, "an oversized send is never handled");
    server.shutdown().await;
}

#[tokio::test]
async fn paths_that_are_not_utf8_after_percent_decoding_get_400() {
    let server = MockServer::start(fast_config()).await.unwrap();
    let request = |path: &str, auth: bool| {
        let auth = if auth { "Authorization: Bearer test_key\r\n" } else { "" };
        format!("GET {path} HTTP/1.1\r\nHost: mock\r\n{auth}Connection: close\r\n\r\n")
    };
    for (path, auth) in [
        ("/v1/contacts/%FF", true),
        ("/v1/contacts/%FF", false),
        ("/v1/contacts/ada%C3%28/push-tokens", true),
        ("/v1/nothing/%FF", true),
        ("/_mock/%FE", false),
        ("/v1/contacts?search=%FF", true),
    ] {
        let reply = raw(server.addr(), request(path, auth).as_bytes()).await;
        assert_eq!(reply.status, 400, "{path}: {:?}", reply.body);
        assert_eq!(reply.body["code"], "VALIDATION_ERROR", "{path}");
        assert!(reply.body["error"].as_str().unwrap().contains("UTF-8"), "{path}: {:?}", reply.body);
        assert!(reply.headers.iter().any(|(k, _)| k == "x-request-id"));
    }
    // Valid UTF-8 in percent-encoding is an ordinary identifier.
    let reply = raw(server.addr(), request("/v1/contacts/%C3%A5sa%40example.com", true).as_bytes()).await;
    assert_eq!((reply.status, reply.body["code"].as_str()), (404, Some("NOT_FOUND")));
    server.shutdown().await;
}
