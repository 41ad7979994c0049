//! Every non-send endpoint and the generic error statuses (400, 401, 404, 405, 409).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, start};
use serde_json::json;

#[tokio::test]
async fn health_needs_no_auth_and_every_response_has_a_request_id() {
    let server = start().await;
    let anon = Api { key: None, ..Api::new(&server, "x") };
    let health = anon.get("/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body, json!({"ok": true}));
    let id = health.header("x-request-id").unwrap();
    assert!(id.starts_with("req_") && id.len() == 40, "{id}");
    let other = anon.get("/health").await;
    assert_ne!(other.header("x-request-id"), Some(id));
    server.shutdown().await;
}

#[tokio::test]
async fn auth_rejects_missing_and_unprefixed_keys() {
    let server = start().await;
    for key in [None, Some("sk_live_123"), Some("test_"), Some("Bearer")] {
        let api = Api { key: key.map(str::to_owned), ..Api::new(&server, "x") };
        let reply = api.get("/v1/events").await;
        assert_eq!(reply.status, 401, "{key:?}");
        assert_eq!(reply.body, json!({"error": "Invalid or missing API key", "code": "UNAUTHORIZED"}));
        assert!(reply.header("x-request-id").is_some());
    }
    let basic = Api::new(&server, "x").http.get(format!("{}/v1/events", server.url())).basic_auth("test_a", Some("b"));
    assert_eq!(Api::new(&server, "x").send(basic).await.status, 401);
    assert_eq!(Api::new(&server, "live_abc").get("/v1/events").await.status, 200);
    assert_eq!(Api::new(&server, "test_abc").get("/v1/events").await.status, 200);
    // Unknown routes answer 401 first without a key, 404 with one.
    assert_eq!(Api { key: None, ..Api::new(&server, "x") }.get("/v1/nothing").await.status, 401);
    server.shutdown().await;
}

#[tokio::test]
async fn a_configured_api_key_is_accepted_as_is() {
    let server = sendivent_mock::MockServer::start(sendivent_mock::MockConfig {
        api_key: Some("my-ci-key".into()),
        ..common::fast_config()
    })
    .await
    .unwrap();
    assert_eq!(Api::new(&server, "my-ci-key").get("/v1/events").await.status, 200);
    assert_eq!(Api::new(&server, "my-other-key").get("/v1/events").await.status, 401);
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_bad_bodies() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let missing = api.get("/v1/nothing/here").await;
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));
    assert!(missing.body["error"].as_str().unwrap().contains("/v1/nothing/here"));

    let wrong = api.put("/v1/contacts", json!({})).await;
    assert_eq!((wrong.status, wrong.code()), (405, "VALIDATION_ERROR"));
    assert!(wrong.body["error"].as_str().unwrap().contains("PUT"));
    assert_eq!(api.delete("/v1/events").await.status, 405);

    let no_type = api.send(api.request(reqwest::Method::POST, "/v1/contacts").body(r#"{"email":"a@b.example"}"#)).await;
    assert_eq!((no_type.status, no_type.code()), (400, "VALIDATION_ERROR"));
    assert!(no_type.body["error"].as_str().unwrap().contains("Content-Type"), "{:?}", no_type.body);

    let bad_json = api
        .send(
            api.request(reqwest::Method::POST, "/v1/contacts").header("content-type", "application/json").body("{nope"),
        )
        .await;
    assert_eq!((bad_json.status, bad_json.code()), (400, "VALIDATION_ERROR"));
    assert!(bad_json.body["error"].as_str().unwrap().contains("not valid JSON"));

    let not_object = api.post("/v1/contacts", json!([1, 2])).await;
    assert_eq!(not_object.status, 400);
    let empty = api
        .send(
            api.request(reqwest::Method::PATCH, "/v1/contacts/ada@example.com")
                .header("content-type", "application/json"),
        )
        .await;
    assert_eq!(empty.status, 400);
    server.shutdown().await;
}

#[tokio::test]
async fn contacts_crud_search_pagination_and_lookups() {
    let server = start().await;
    let api = Api::new(&server, "test_key");

    let created = api
        .post(
            "/v1/contacts",
            json!({"email": "Linus@Example.com", "phone": "+1 (415) 555-2671", "name": "Linus", "externalId": "u-42",
                   "slack": "U0LINUS123", "plan_tier": "gold", "Signup Source": "ads"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["success"], true);
    let contact = &created.body["data"]["contact"];
    let uuid = contact["uuid"].as_str().unwrap().to_owned();
    let email = contact["email"].clone();
    assert!(email.as_str().unwrap().eq_ignore_ascii_case("linus@example.com"));
    assert_eq!(contact["phone"], "+14155552671");
    assert_eq!(contact["external_id"], "u-42");
    assert_eq!(contact["meta"], json!({"planTier": "gold", "signupSource": "ads"}));
    assert_eq!(contact["push_tokens"], json!([]));
    assert!(contact["created_at"].as_str().unwrap().ends_with('Z'));

    // Every identifier kind finds it; the phone's `+` arrives percent-encoded.
    for id in ["linus@example.com", "%2B14155552671", uuid.as_str(), "u-42", "U0LINUS123"] {
        let found = api.get(&format!("/v1/contacts/{id}")).await;
        assert_eq!(found.status, 200, "{id}");
        assert_eq!(found.body["data"]["contact"]["uuid"], uuid.as_str(), "{id}");
    }
    assert_eq!(api.get("/v1/contacts/nobody@example.com").await.code(), "NOT_FOUND");
    assert_eq!(api.get("/v1/contacts/bad@").await.code(), "INVALID_EMAIL");

    // Validation and conflicts.
    let invalid_email = api.post("/v1/contacts", json!({"email": "not-an-email@"})).await;
    assert_eq!((invalid_email.status, invalid_email.code()), (400, "INVALID_EMAIL"));
    let invalid_phone = api.post("/v1/contacts", json!({"phone": "0701234567"})).await;
    assert_eq!((invalid_phone.status, invalid_phone.code()), (400, "INVALID_PHONE"));
    let no_id = api.post("/v1/contacts", json!({"name": "Nobody"})).await;
    assert_eq!((no_id.status, no_id.code()), (400, "VALIDATION_ERROR"));
    let wrong_type = api.post("/v1/contacts", json!({"email": 42})).await;
    assert_eq!(wrong_type.status, 400);
    let taken = api.post("/v1/contacts", json!({"email": "LINUS@example.com"})).await;
    assert_eq!((taken.status, taken.code()), (409, "CONFLICT"));

    // PATCH changes only the given fields.
    let patched = api.patch("/v1/contacts/u-42", json!({"name": "Linus T", "tier": "pro", "plan_tier": null})).await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let contact = &patched.body["data"]["contact"];
    assert_eq!(contact["name"], "Linus T");
    assert_eq!(contact["email"], email);
    assert_eq!(contact["meta"], json!({"signupSource": "ads", "tier": "pro"}));
    assert_eq!(api.patch("/v1/contacts/u-42", json!({"phone": "12"})).await.code(), "INVALID_PHONE");
    assert_eq!(api.patch("/v1/contacts/u-42", json!({"email": "ada@example.com"})).await.status, 409);
    assert_eq!(api.patch("/v1/contacts/ghost-id", json!({"name": "x"})).await.status, 404);

    // Push tokens.
    let added = api.post("/v1/contacts/u-42/push-tokens", json!({"token": "ExponentPushToken[abc]"})).await;
    assert_eq!((added.status, added.body.clone()), (201, json!({"success": true})));
    let contact = api.get("/v1/contacts/u-42").await;
    assert_eq!(contact.body["data"]["contact"]["push_tokens"], json!(["ExponentPushToken[abc]"]));
    assert_eq!(api.post("/v1/contacts/u-42/push-tokens", json!({})).await.status, 400);
    let removed = api.delete_json("/v1/contacts/u-42/push-tokens", json!({"token": "ExponentPushToken[abc]"})).await;
    assert_eq!((removed.status, removed.body.clone()), (200, json!({"success": true})));
    assert_eq!(api.get("/v1/contacts/u-42").await.body["data"]["contact"]["push_tokens"], json!([]));

    // List, search, pagination.
    for i in 0..4 {
        assert_eq!(api.post("/v1/contacts", json!({"email": format!("page{i}@example.com")})).await.status, 201);
    }
    let all = api.get("/v1/contacts").await;
    assert_eq!(all.body["data"]["total"], 7);
    assert_eq!(all.body["data"]["limit"], 50);
    assert_eq!(all.body["data"]["contacts"][0]["email"], "ada@example.com");
    let page = api.get("/v1/contacts?limit=2&offset=3").await;
    let emails: Vec<_> = page.body["data"]["contacts"].as_array().unwrap().iter().map(|c| c["email"].clone()).collect();
    assert_eq!(emails, [json!("page0@example.com"), json!("page1@example.com")]);
    assert_eq!(page.body["data"]["offset"], 3);
    let search = api.get("/v1/contacts?search=PAGE").await;
    assert_eq!(search.body["data"]["total"], 4);
    let by_name = api.get("/v1/contacts?search=lovelace").await;
    assert_eq!(by_name.body["data"]["contacts"][0]["email"], "ada@example.com");
    let by_phone = api.get("/v1/contacts?search=555").await;
    assert_eq!(by_phone.body["data"]["total"], 1);
    for bad in ["limit=0", "limit=101", "limit=abc", "offset=-1"] {
        let reply = api.get(&format!("/v1/contacts?{bad}")).await;
        assert_eq!((reply.status, reply.code()), (400, "VALIDATION_ERROR"), "{bad}");
    }

    // Hard delete.
    let deleted = api.delete(&format!("/v1/contacts/{uuid}")).await;
    assert_eq!(deleted.body, json!({"success": true, "deleted": true}));
    assert_eq!(api.get(&format!("/v1/contacts/{uuid}")).await.status, 404);
    assert_eq!(api.delete(&format!("/v1/contacts/{uuid}")).await.status, 404);
    server.shutdown().await;
}

#[tokio::test]
async fn events_and_integrations() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let events = api.get("/v1/events").await;
    assert_eq!(events.status, 200);
    let list = events.body["data"]["events"].as_array().unwrap();
    let welcome = list.iter().find(|e| e["identifier"] == "user.welcome").unwrap();
    assert_eq!(welcome["channels"], json!(["email", "slack"]));
    assert_eq!(welcome["name"], "User Welcome");
    assert!(welcome.get("templates").is_none());

    let detail = api.get("/v1/events/user.welcome").await;
    let templates = detail.body["data"]["event"]["templates"].as_array().unwrap();
    assert!(templates.iter().any(|t| t["channel"] == "email" && t["language"] == "sv"));
    assert!(templates[0]["body"].as_str().unwrap().contains("{{contact.name | Guest}}"));
    let missing = api.get("/v1/events/nope").await;
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));

    let integrations = api.get("/v1/integrations").await;
    let list = integrations.body["data"]["integrations"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0], json!({"channel": "email", "provider": "ses", "status": "active"}));
    assert!(!integrations.body.to_string().contains("never-returned"));
    let sms = api.get("/v1/integrations?channel=sms").await;
    assert_eq!(
        sms.body["data"]["integrations"],
        json!([{"channel": "sms", "provider": "cellsynt", "status": "active"}])
    );
    assert_eq!(api.get("/v1/integrations?channel=telegram").await.body["data"]["integrations"], json!([]));
    assert_eq!(api.get("/v1/integrations?channel=fax").await.status, 400);
    server.shutdown().await;
}

#[tokio::test]
async fn webhook_endpoint_lifecycle() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    assert_eq!(api.get("/v1/webhooks").await.code(), "NOT_FOUND");
    for bad in [
        json!({"url": "not a url", "enabled_events": ["delivery.sent"]}),
        json!({"url": "ftp://example.com/x", "enabled_events": ["delivery.sent"]}),
        json!({"url": "https://example.com/x", "enabled_events": []}),
        json!({"url": "https://example.com/x", "enabled_events": ["delivery.exploded"]}),
        json!({"enabled_events": ["delivery.sent"]}),
    ] {
        let reply = api.post("/v1/webhooks", bad.clone()).await;
        assert_eq!((reply.status, reply.code()), (400, "VALIDATION_ERROR"), "{bad}");
    }
    let created = api
        .post(
            "/v1/webhooks",
            json!({"url": "https://example.com/hooks", "enabled_events": ["delivery.sent", "delivery.failed"], "description": "prod"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let webhook = created.body["data"]["webhook"].clone();
    let secret = webhook["signing_secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    let raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &secret[6..]).unwrap();
    assert_eq!(raw.len(), 24);
    assert_eq!(webhook["is_active"], true);
    assert_eq!(webhook["description"], "prod");
    let uuid = webhook["uuid"].as_str().unwrap();

    let again =
        api.post("/v1/webhooks", json!({"url": "https://example.com/2", "enabled_events": ["delivery.sent"]})).await;
    assert_eq!((again.status, again.code()), (409, "CONFLICT"));
    assert_eq!(api.get("/v1/webhooks").await.body["data"]["webhook"], webhook);

    let patched = api
        .patch(&format!("/v1/webhooks/{uuid}"), json!({"is_active": false, "enabled_events": ["delivery.bounced"]}))
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.body["data"]["webhook"]["is_active"], false);
    assert_eq!(patched.body["data"]["webhook"]["enabled_events"], json!(["delivery.bounced"]));
    assert_eq!(patched.body["data"]["webhook"]["url"], "https://example.com/hooks");
    assert_eq!(api.patch(&format!("/v1/webhooks/{uuid}"), json!({"url": "nope"})).await.status, 400);
    assert_eq!(api.patch(&format!("/v1/webhooks/{uuid}"), json!({"is_active": "yes"})).await.status, 400);
    let other = "00000000-0000-4000-8000-000000000000";
    assert_eq!(api.patch(&format!("/v1/webhooks/{other}"), json!({"is_active": true})).await.status, 404);
    assert_eq!(api.delete(&format!("/v1/webhooks/{other}")).await.status, 404);
    let deleted = api.delete(&format!("/v1/webhooks/{uuid}")).await;
    assert_eq!(deleted.body, json!({"success": true, "deleted": true}));
    assert_eq!(api.get("/v1/webhooks").await.status, 404);
    server.shutdown().await;
}

#[tokio::test]
async fn admin_api_changes_faults_and_limits_and_resets() {
    let server = start().await;
    let admin = Api { key: None, ..Api::new(&server, "x") };
    let api = Api::new(&server, "test_key");
    assert_eq!(api.post("/v1/contacts", json!({"email": "temp@example.com"})).await.status, 201);

    let faults = admin.put("/_mock/faults", json!({"latency_ms": 5})).await;
    assert_eq!(faults.body, json!({"error_rate": 0.0, "drop_rate": 0.0, "latency_ms": 5}));
    assert_eq!(admin.put("/_mock/faults", json!({"error_rate": 2})).await.status, 400);
    assert_eq!(admin.put("/_mock/faults", json!({"bogus": 1})).await.status, 400);
    let limits = admin.put("/_mock/limits", json!({"rate_limit_test": 3, "quota_live": null})).await;
    assert_eq!(
        limits.body,
        json!({"rate_limit_live": null, "rate_limit_test": 3, "quota_live": null, "quota_test": null})
    );
    assert_eq!(admin.put("/_mock/limits", json!({"rate_limit_test": -1})).await.status, 400);

    let state = admin.get("/_mock/state").await;
    assert_eq!(state.status, 200);
    assert_eq!(state.body["contacts"], 3);
    assert_eq!(state.body["limits"]["rate_limit_test"], 3);
    assert!(state.body["counts"]["requests"].as_u64().unwrap() >= 1);
    assert_eq!(server.state().faults.latency_ms, 5);

    let reset = admin.post("/_mock/reset", json!({})).await;
    assert_eq!(reset.body, json!({"success": true}));
    let state = server.state();
    assert_eq!(state.contacts, 2);
    assert_eq!(state.counts.requests, 0);
    assert_eq!(state.faults.latency_ms, 0);
    assert_eq!(state.limits, sendivent_mock::Limits::unlimited());
    assert_eq!(api.get("/v1/contacts/temp@example.com").await.status, 404);
    server.shutdown().await;
}
