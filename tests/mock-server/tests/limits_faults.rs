//! Rate limits (429), quotas (402) and each fault-injection mode.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Api, fast_config};
use sendivent_mock::{Faults, Limits, MockConfig, MockServer};
use serde_json::json;

#[tokio::test]
async fn sandbox_keys_get_ten_requests_per_second() {
    let server = MockServer::start(MockConfig { limits: Limits::production(), ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "test_limited");
    for i in 0..10 {
        let reply = api.get("/v1/events").await;
        assert_eq!(reply.status, 200, "request {i}");
        assert_eq!(reply.header("x-ratelimit-limit"), Some("10"));
        assert_eq!(reply.header("x-ratelimit-remaining"), Some((9 - i).to_string().as_str()));
        let reset: u64 = reply.header("x-ratelimit-reset").unwrap().parse().unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert!(reset >= now && reset <= now + 2, "{reset} vs {now}");
    }
    let limited = api.get("/v1/events").await;
    assert_eq!((limited.status, limited.code()), (429, "RATE_LIMITED"));
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=1).contains(&retry), "{retry}");
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    // Windows are per key, and live keys have 100/s.
    assert_eq!(Api::new(&server, "test_other").get("/v1/events").await.status, 200);
    let live = Api::new(&server, "live_key");
    assert_eq!(live.get("/v1/events").await.header("x-ratelimit-limit"), Some("100"));
    // The window slides: after a second the key may send again.
    tokio::time::sleep(Duration::from_millis(1010)).await;
    assert_eq!(api.get("/v1/events").await.status, 200);
    assert_eq!(server.state().counts.rate_limited, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn daily_quota_answers_402_and_replays_do_not_count() {
    let limits = Limits { quota_test: Some(3), ..Limits::unlimited() };
    let server = MockServer::start(MockConfig { limits, ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "test_quota");
    let body = json!({"to": "ada@example.com", "payload": {}});
    for i in 0..3 {
        let reply = api
            .send(
                api.request(reqwest::Method::POST, "/v1/send/user.welcome")
                    .header("X-Idempotency-Key", format!("q{i}"))
                    .json(&body),
            )
            .await;
        assert_eq!(reply.status, 200, "{i}");
    }
    let replay = api
        .send(api.request(reqwest::Method::POST, "/v1/send/user.welcome").header("X-Idempotency-Key", "q0").json(&body))
        .await;
    assert_eq!(replay.header("x-idempotent-replay"), Some("true"));
    let over = api.post("/v1/send/user.welcome", body.clone()).await;
    assert_eq!((over.status, over.code()), (402, "QUOTA_EXCEEDED"));
    // Reads are not sends; other keys and live keys have their own quota.
    assert_eq!(api.get("/v1/deliveries").await.status, 200);
    assert_eq!(Api::new(&server, "live_key").post("/v1/send/user.welcome", body.clone()).await.status, 200);
    // Raising the limit through the admin API lets the key send again.
    let admin = Api { key: None, ..Api::new(&server, "x") };
    assert_eq!(admin.put("/_mock/limits", json!({"quota_test": 4})).await.status, 200);
    assert_eq!(api.post("/v1/send/user.welcome", body).await.status, 200);
    assert_eq!(server.state().counts.quota_exceeded, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn error_rate_one_answers_every_api_request_with_a_5xx_and_commits_nothing() {
    let faults = Faults { error_rate: 1.0, ..Faults::default() };
    let server = MockServer::start(MockConfig { faults, ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "live_key");
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..30 {
        let reply = api.post("/v1/send/user.welcome", json!({"to": "ada@example.com", "payload": {}})).await;
        assert!([500, 502, 503].contains(&reply.status), "{}", reply.status);
        let want = if reply.status == 502 { "PROVIDER_ERROR" } else { "SERVER_ERROR" };
        assert_eq!(reply.code(), want);
        assert!(reply.body["error"].as_str().unwrap().contains("injected"));
        if reply.status == 503 {
            assert_eq!(reply.header("retry-after"), Some("1"));
        }
        seen.insert(reply.status);
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    // Health and the admin API are never faulted.
    assert_eq!(Api { key: None, ..Api::new(&server, "x") }.get("/health").await.status, 200);
    let state = server.state();
    assert_eq!(state.counts.faults_injected, 30);
    assert_eq!(state.counts.sends, 0);
    assert_eq!(state.deliveries.len(), 0);
    server.shutdown().await;
}

#[tokio::test]
async fn drop_rate_one_loses_the_answer_after_commit_and_a_replay_recovers_it() {
    let faults = Faults { drop_rate: 1.0, ..Faults::default() };
    let server = MockServer::start(MockConfig { faults, ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "live_key");
    let body = json!({"to": "ada@example.com", "payload": {}});
    // Warm the client's connection pool: the lost answer arrives on a reused connection, which
    // must not make the client re-send transparently.
    assert_eq!(api.get("/v1/events").await.status, 200);
    let lost = api
        .request(reqwest::Method::POST, "/v1/send/user.welcome")
        .header("X-Idempotency-Key", "lost-1")
        .json(&body)
        .send()
        .await;
    let err = lost.expect_err("the response must be lost");
    assert!(!err.is_status() && err.status().is_none(), "{err}");

    let state = server.state();
    assert_eq!(state.counts.dropped_responses, 1);
    assert_eq!(state.sends.len(), 1);
    assert!(state.sends[0].response_dropped);
    assert_eq!(state.deliveries.len(), 2, "the send committed");

    // A retry with the same key gets the committed answer (replays are never dropped).
    let replay = api
        .send(
            api.request(reqwest::Method::POST, "/v1/send/user.welcome")
                .header("X-Idempotency-Key", "lost-1")
                .json(&body),
        )
        .await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.header("x-idempotent-replay"), Some("true"));
    let uuids: Vec<String> = replay.body["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d.as_object().unwrap().values().map(|v| v.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(uuids, state.sends[0].deliveries);
    assert_eq!(server.state().deliveries.len(), 2);
    // Only sends are dropped; failed sends are answered.
    assert_eq!(api.get("/v1/events").await.status, 200);
    assert_eq!(api.post("/v1/send/nope", json!({"payload": {}})).await.status, 404);
    server.shutdown().await;
}

#[tokio::test]
async fn latency_is_added_to_api_answers() {
    let server = MockServer::start(fast_config()).await.unwrap();
    server.set_faults(Faults { latency_ms: 150, ..Faults::default() });
    let api = Api::new(&server, "test_key");
    let started = Instant::now();
    assert_eq!(api.get("/v1/events").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    assert_eq!(Api { key: None, ..Api::new(&server, "x") }.get("/health").await.status, 200);
    assert!(started.elapsed() < Duration::from_millis(150));
    server.shutdown().await;
}

#[test]
fn start_in_thread_serves_blocking_tests() {
    let server = MockServer::start_in_thread(fast_config()).unwrap();
    let url = server.url();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async {
        sendivent_mock::http_client().get(format!("{url}/health")).send().await.unwrap().status().as_u16()
    });
    assert_eq!(status, 200);
    server.reset();
    assert_eq!(server.state().contacts, 2);
    server.shutdown_blocking();
    let after = runtime.block_on(async { sendivent_mock::http_client().get(format!("{url}/health")).send().await });
    assert!(after.is_err());
}
