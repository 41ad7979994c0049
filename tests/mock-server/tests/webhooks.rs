//! Webhook events: signed per Standard Webhooks, verified by core, retried with the same id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{Api, eventually, start};
use sendivent::webhook::{VerifyOptions, verify_event};
use serde_json::json;

/// One request the receiver got: headers and raw body.
type Hit = (Vec<(String, String)>, Vec<u8>);

/// What the test receiver saw.
#[derive(Default)]
struct Received {
    calls: AtomicUsize,
    fail_first: usize,
    hits: Mutex<Vec<Hit>>,
}

async fn receive(State(received): State<Arc<Received>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let n = received.calls.fetch_add(1, Ordering::SeqCst);
    let headers = headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    received.hits.lock().unwrap().push((headers, body.to_vec()));
    if n < received.fail_first { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::NO_CONTENT }
}

/// A tiny receiver on 127.0.0.1:0.
async fn receiver(fail_first: usize) -> (String, Arc<Received>) {
    let received = Arc::new(Received { fail_first, ..Received::default() });
    let app = axum::Router::new().route("/hook", post(receive)).with_state(Arc::clone(&received));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let io = listener;
        loop {
            let (stream, _) = io.accept().await.unwrap();
            let app = app.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    tower::ServiceExt::oneshot(app.clone(), req)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, received)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap()
}

#[tokio::test]
async fn status_changes_are_posted_signed_and_verify_with_core() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let (url, received) = receiver(0).await;
    let created = api
        .post(
            "/v1/webhooks",
            json!({"url": url, "enabled_events": ["delivery.sent", "delivery.delivered", "delivery.failed"]}),
        )
        .await;
    let secret = created.body["data"]["webhook"]["signing_secret"].as_str().unwrap().to_owned();

    let sent = api
        .post("/v1/send/user.welcome/email", json!({"to": ["ada@example.com", "x@fail.example"], "payload": {}}))
        .await;
    assert_eq!(sent.status, 200);
    let request_id = sent.header("x-request-id").unwrap().to_owned();
    assert!(eventually(|| received.calls.load(Ordering::SeqCst) >= 3).await);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let hits = received.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 3, "sent + delivered for ada, failed for x");
    let mut events = Vec::new();
    for (headers, body) in &hits {
        assert!(header(headers, "webhook-id").starts_with("msg_"));
        assert_eq!(header(headers, "content-type"), "application/json");
        let event = verify_event(body, headers.iter(), &secret, &VerifyOptions::default()).unwrap();
        assert_eq!(event.request_id.as_deref(), Some(request_id.as_str()));
        assert_eq!(event.delivery.event_name.as_deref(), Some("user.welcome"));
        // A different secret or a modified body is refused.
        assert!(
            verify_event(body, headers.iter(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &VerifyOptions::default())
                .is_err()
        );
        let mut tampered = body.clone();
        tampered.push(b' ');
        assert!(verify_event(&tampered, headers.iter(), &secret, &VerifyOptions::default()).is_err());
        events.push((event.event.to_string(), event.delivery.status.to_string(), event));
    }
    let mut kinds: Vec<_> = events.iter().map(|(e, s, _)| format!("{e}/{s}")).collect();
    kinds.sort();
    assert_eq!(kinds, ["delivery.delivered/delivered", "delivery.failed/failed", "delivery.sent/sent"]);
    let failed = &events.iter().find(|(e, _, _)| e == "delivery.failed").unwrap().2;
    assert!(failed.delivery.error.is_some());
    let delivered = &events.iter().find(|(e, _, _)| e == "delivery.delivered").unwrap().2;
    assert!(delivered.delivery.sent_at.is_some() && delivered.delivery.delivered_at.is_some());
    assert!(delivered.delivery.message_id.is_some());
    let ids: std::collections::HashSet<_> = hits.iter().map(|(h, _)| header(h, "webhook-id").to_owned()).collect();
    assert_eq!(ids.len(), 3, "each message has its own id");
    let state = server.state();
    assert_eq!(state.webhook_attempts.len(), 3);
    assert!(state.webhook_attempts.iter().all(|a| a.status == Some(204) && a.attempt == 1 && a.url == url));

    // Only enabled events, only while active.
    let uuid = created.body["data"]["webhook"]["uuid"].as_str().unwrap();
    assert_eq!(api.patch(&format!("/v1/webhooks/{uuid}"), json!({"is_active": false})).await.status, 200);
    api.post("/v1/send/user.welcome/email", json!({"to": "ada@example.com", "payload": {}})).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(received.calls.load(Ordering::SeqCst), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn failed_webhook_deliveries_are_retried_with_the_same_id() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let (url, received) = receiver(2).await;
    let created = api.post("/v1/webhooks", json!({"url": url, "enabled_events": ["delivery.sent"]})).await;
    let secret = created.body["data"]["webhook"]["signing_secret"].as_str().unwrap().to_owned();
    assert_eq!(
        api.post("/v1/send/user.welcome/email", json!({"to": "ada@example.com", "payload": {}})).await.status,
        200
    );
    assert!(eventually(|| received.calls.load(Ordering::SeqCst) >= 3).await);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;

    let hits = received.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 3, "fails twice, then succeeds: no more attempts");
    let id = header(&hits[0].0, "webhook-id").to_owned();
    for (headers, body) in &hits {
        assert_eq!(header(headers, "webhook-id"), id);
        verify_event(body, headers.iter(), &secret, &VerifyOptions::default()).unwrap();
        assert_eq!(body, &hits[0].1, "the same body on every attempt");
    }
    let attempts = server.state().webhook_attempts;
    let summary: Vec<_> = attempts.iter().map(|a| (a.attempt, a.status, a.webhook_id == id)).collect();
    assert_eq!(summary, [(1, Some(503), true), (2, Some(503), true), (3, Some(204), true)]);
    server.shutdown().await;
}

#[tokio::test]
async fn unreachable_receivers_are_retried_then_given_up() {
    let config = sendivent_mock::MockConfig { webhook_retries: 2, ..common::fast_config() };
    let server = sendivent_mock::MockServer::start(config).await.unwrap();
    let api = Api::new(&server, "test_key");
    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let url = format!("http://{closed}/hook");
    api.post("/v1/webhooks", json!({"url": url, "enabled_events": ["delivery.failed"]})).await;
    api.post("/v1/send/otp.requested", json!({"to": "+46700000000", "payload": {"code": "1"}})).await;
    assert!(eventually(|| server.state().webhook_attempts.len() >= 3).await);
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let attempts = server.state().webhook_attempts;
    assert_eq!(attempts.len(), 3, "1 attempt + 2 retries");
    assert!(attempts.iter().all(|a| a.status.is_none() && a.error.is_some() && a.event == "delivery.failed"));
    assert_eq!(attempts.iter().map(|a| a.attempt).collect::<Vec<_>>(), [1, 2, 3]);
    server.shutdown().await;
}
