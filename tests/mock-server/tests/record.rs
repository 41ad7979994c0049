//! `--record`: one JSON line per `/v1` request and per answer, whole lines under concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use common::{Api, Reply, fast_config};
use reqwest::Method;
use sendivent_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

fn record_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("sendivent-mock-{name}-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn lines(path: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON value: {e}: {line}")))
        .collect()
}

/// The operation name of core's table for a method and route template.
fn operation(method: &str, route: &str) -> Option<&'static str> {
    sendivent::api::OPERATIONS
        .iter()
        .find(|op| {
            op.method.as_str() == method
                && (op.path == route || op.path.strip_suffix("/{channel}").is_some_and(|p| p == route))
        })
        .map(|op| op.name)
}

#[tokio::test]
async fn every_answered_api_request_is_one_response_line_with_its_route() {
    let path = record_file("session");
    let server = MockServer::start(MockConfig { record: Some(path.clone()), ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "test_key");
    let mut replies: Vec<(&str, &str, Reply)> = Vec::new();
    macro_rules! call {
        ($method:expr, $route:expr, $request:expr) => {
            replies.push(($method, $route, api.send($request).await))
        };
    }
    let json_call = |method: Method, path: &str, body: Value| api.request(method, path).json(&body);
    call!(
        "POST",
        "/v1/send/{event}",
        json_call(Method::POST, "/v1/send/user.welcome", json!({"to": "ada@example.com", "payload": {}}))
    );
    let uuid = replies[0].2.body["deliveries"][0]["email"].as_str().unwrap().to_owned();
    call!(
        "POST",
        "/v1/send/{event}/{channel}",
        json_call(
            Method::POST,
            "/v1/send/order.confirmed/sms",
            json!({"to": "+46701234567", "payload": {"order_id": 1}})
        )
    );
    call!("POST", "/v1/send/{event}", json_call(Method::POST, "/v1/send/nope", json!({"payload": {}})));
    call!("GET", "/v1/contacts", api.request(Method::GET, "/v1/contacts?limit=2&search=ada"));
    call!(
        "POST",
        "/v1/contacts",
        json_call(Method::POST, "/v1/contacts", json!({"email": "rec@example.com", "tier": "gold"}))
    );
    call!("GET", "/v1/contacts/{identifier}", api.request(Method::GET, "/v1/contacts/rec%40example.com"));
    call!(
        "PATCH",
        "/v1/contacts/{identifier}",
        json_call(Method::PATCH, "/v1/contacts/rec@example.com", json!({"name": "Rec"}))
    );
    call!(
        "POST",
        "/v1/contacts/{identifier}/push-tokens",
        json_call(Method::POST, "/v1/contacts/rec@example.com/push-tokens", json!({"token": "t1"}))
    );
    call!(
        "DELETE",
        "/v1/contacts/{identifier}/push-tokens",
        json_call(Method::DELETE, "/v1/contacts/rec@example.com/push-tokens", json!({"token": "t1"}))
    );
    call!("DELETE", "/v1/contacts/{identifier}", api.request(Method::DELETE, "/v1/contacts/rec@example.com"));
    call!("GET", "/v1/events", api.request(Method::GET, "/v1/events"));
    call!("GET", "/v1/events/{identifier}", api.request(Method::GET, "/v1/events/user.welcome"));
    call!("GET", "/v1/deliveries", api.request(Method::GET, "/v1/deliveries?channel=email"));
    call!("GET", "/v1/deliveries/{uuid}/trace", api.request(Method::GET, &format!("/v1/deliveries/{uuid}/trace")));
    call!("GET", "/v1/integrations", api.request(Method::GET, "/v1/integrations"));
    call!(
        "POST",
        "/v1/webhooks",
        json_call(
            Method::POST,
            "/v1/webhooks",
            json!({"url": "http://127.0.0.1:9/h", "enabled_events": ["delivery.failed"]})
        )
    );
    let hook = replies.last().unwrap().2.body["data"]["webhook"]["uuid"].as_str().unwrap().to_owned();
    call!("GET", "/v1/webhooks", api.request(Method::GET, "/v1/webhooks"));
    call!(
        "PATCH",
        "/v1/webhooks/{uuid}",
        json_call(Method::PATCH, &format!("/v1/webhooks/{hook}"), json!({"is_active": false}))
    );
    call!("DELETE", "/v1/webhooks/{uuid}", api.request(Method::DELETE, &format!("/v1/webhooks/{hook}")));
    // Refusals are answers too: unknown route (no template), wrong method, no key, not JSON.
    call!("GET", "", api.request(Method::GET, "/v1/nothing"));
    call!("PUT", "/v1/contacts", json_call(Method::PUT, "/v1/contacts", json!({})));
    call!("GET", "/v1/events", Api { key: None, ..api.clone() }.request(Method::GET, "/v1/events"));
    call!("POST", "/v1/contacts", api.request(Method::POST, "/v1/contacts").body("email=x"));
    // Not recorded: outside /v1.
    assert_eq!(api.get("/health").await.status, 200);
    assert_eq!(api.get("/_mock/state").await.status, 200);
    server.shutdown().await;

    let recorded = lines(&path);
    assert_eq!(recorded.len(), 2 * replies.len(), "one request and one response line per call");
    let mut by_id: HashMap<String, Vec<&Value>> = HashMap::new();
    for line in &recorded {
        by_id.entry(line["request_id"].as_str().unwrap().to_owned()).or_default().push(line);
    }
    let mut operations = BTreeSet::new();
    for (method, route, reply) in &replies {
        let id = reply.header("x-request-id").unwrap();
        let pair = &by_id[id];
        let (request, response) = (pair[0], pair[1]);
        assert_eq!(request["kind"], "request");
        assert_eq!(response["kind"], "response");
        let route = (!route.is_empty()).then_some(*route);
        for line in [request, response] {
            assert_eq!(line["method"], *method, "{line}");
            assert_eq!(line["route"].as_str(), route, "{line}");
        }
        assert_eq!(response["status"], reply.status, "{response}");
        assert_eq!(response["body"], reply.body, "the exact body answered");
        // What the checker will do against api/openapi.json, here with core's decoders: every
        // answer decodes as its operation's response (2xx) or as an error body.
        let body = serde_json::to_vec(&response["body"]).unwrap();
        if let Some(op) = route.and_then(|r| operation(method, r))
            && (200..300).contains(&reply.status)
        {
            operations.insert(op);
            sendivent::models::decode_response(op, &body).unwrap_or_else(|e| panic!("{op}: {e}: {}", response["body"]));
        }
        if reply.status >= 400 {
            sendivent::models::decode_response("error_body", &body).unwrap();
        }
    }
    assert_eq!(operations.len(), sendivent::api::OPERATIONS.len(), "every operation answered: {operations:?}");

    // Request lines carry the JSON body sent (null when there is none or it is not JSON) and the
    // decoded query.
    let request_of = |i: usize| by_id[replies[i].2.header("x-request-id").unwrap()][0];
    assert_eq!(request_of(0)["body"], json!({"to": "ada@example.com", "payload": {}}));
    assert_eq!(request_of(3)["query"], json!({"limit": "2", "search": "ada"}));
    assert_eq!(request_of(3)["body"], Value::Null);
    assert_eq!(request_of(replies.len() - 1)["body"], Value::Null, "a form body is not JSON");
    std::fs::remove_file(path).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_answers_from_two_servers_are_whole_lines() {
    let path = record_file("concurrent");
    let config = || MockConfig { record: Some(path.clone()), ..fast_config() };
    let servers = [MockServer::start(config()).await.unwrap(), MockServer::start(config()).await.unwrap()];
    let mut tasks = Vec::new();
    for server in &servers {
        let api = Arc::new(Api::new(server, "live_key"));
        for i in 0..40 {
            let api = Arc::clone(&api);
            tasks.push(tokio::spawn(async move {
                // Big enough bodies that unsynchronised writes would tear.
                let body = json!({"email": format!("c{i}@example.com"), "notes": "n".repeat(8000)});
                api.post("/v1/contacts", body).await.status
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    for server in servers {
        server.shutdown().await;
    }
    let recorded = lines(&path);
    assert_eq!(recorded.len(), 2 * 80);
    let responses: Vec<_> = recorded.iter().filter(|l| l["kind"] == "response").collect();
    assert_eq!(responses.len(), 80);
    assert!(responses.iter().all(|l| l["status"] == 201 && l["route"] == "/v1/contacts"));
    assert!(
        recorded.iter().filter(|l| l["kind"] == "request").all(|l| l["body"]["notes"].as_str().unwrap().len() == 8000)
    );
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn a_lost_response_is_not_recorded() {
    let path = record_file("dropped");
    let faults = sendivent_mock::Faults { drop_rate: 1.0, ..Default::default() };
    let server = MockServer::start(MockConfig { record: Some(path.clone()), faults, ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "test_key");
    let lost =
        api.request(Method::POST, "/v1/send/user.welcome").json(&json!({"to": "ada@example.com", "payload": {}}));
    assert!(lost.send().await.is_err());
    server.shutdown().await;
    let recorded = lines(&path);
    assert_eq!(recorded.iter().map(|l| l["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["request"]);
    std::fs::remove_file(path).unwrap();
}
