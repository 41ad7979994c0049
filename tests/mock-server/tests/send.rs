//! Sends: recipients, rendering, every send error code, delivery life cycle, idempotency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{Api, eventually, start};
use serde_json::{Value, json};

fn deliveries(body: &Value) -> Vec<(String, String)> {
    body["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d.as_object().unwrap().iter().map(|(c, u)| (c.clone(), u.as_str().unwrap().to_owned())))
        .collect()
}

async fn trace(api: &Api, uuid: &str) -> Value {
    let reply = api.get(&format!("/v1/deliveries/{uuid}/trace")).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["data"].clone()
}

#[tokio::test]
async fn send_to_a_contact_object_renders_per_recipient_and_upserts() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let reply = api
        .post(
            "/v1/send/user.welcome",
            json!({"to": [
                {"email": "alice@example.com", "name": "Alice", "tier": "premium", "slack": "U0ALICE1234"},
                {"email": "bob@example.com", "name": ""}
            ], "payload": {"message": "Glad you're here <3"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["success"], true);
    let made = deliveries(&reply.body);
    let channels: Vec<_> = made.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(channels, ["email", "slack", "email"]);
    // Bob has no Slack id: reported, but the send succeeds.
    assert_eq!(reply.body["errors"][0]["code"], "MISSING_IDENTIFIER");
    assert!(reply.body["errors"][0]["message"].as_str().unwrap().contains("bob@example.com"));

    let alice = trace(&api, &made[0].1).await;
    assert_eq!(alice["content"]["subject"], "Welcome to Acme, Alice!");
    assert_eq!(
        alice["content"]["body"],
        "Hi Alice, thanks for joining Acme. Your plan: premium. Glad you&#x27;re here &lt;3\n-- Acme Notifications <notifications@acme.example>"
    );
    assert_eq!(alice["content"]["to"], "alice@example.com");
    let slack = trace(&api, &made[1].1).await;
    assert_eq!(slack["content"]["body"], ":wave: Alice just joined Acme");
    assert_eq!(slack["content"]["to"], "U0ALICE1234");
    let bob = trace(&api, &made[2].1).await;
    assert_eq!(bob["content"]["subject"], "Welcome to Acme, there!");
    assert!(bob["content"]["body"].as_str().unwrap().starts_with("Hi Guest, "));
    assert!(bob["content"]["body"].as_str().unwrap().contains("Your plan: free."));

    // The contacts now exist, with unknown fields in meta.
    let alice = api.get("/v1/contacts/alice@example.com").await;
    assert_eq!(alice.body["data"]["contact"]["meta"], json!({"tier": "premium"}));
    assert_eq!(alice.body["data"]["contact"]["slack"], "U0ALICE1234");
    server.shutdown().await;
}

#[tokio::test]
async fn identifiers_language_channel_path_and_broadcast() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    // A formatted phone resolves to E.164 and a new contact.
    let otp = api
        .post(
            "/v1/send/otp.requested",
            json!({"to": "+46 73 555 12 34", "payload": {"code": "9876"}, "language": "sv"}),
        )
        .await;
    assert_eq!(otp.status, 200, "{:?}", otp.body);
    let made = deliveries(&otp.body);
    let sms = trace(&api, &made[0].1).await;
    assert_eq!(sms["content"]["body"], "Din kod för Acme är 9876");
    assert_eq!(sms["content"]["to"], "+46735551234");
    assert_eq!(sms["delivery"]["recipient"], "+46735551234");
    assert_eq!(api.get("/v1/contacts/%2B46735551234").await.status, 200);
    // Unknown language falls back to the default.
    let en = api
        .post("/v1/send/otp.requested", json!({"to": "+46735551234", "payload": {"code": "1"}, "language": "de"}))
        .await;
    assert_eq!(trace(&api, &deliveries(&en.body)[0].1).await["content"]["body"], "Your Acme code is 1");

    // UUID, external id and Slack user id of a seeded contact; a bare name resolves to the contact.
    for to in ["0F8FAD5B-D9CB-469F-A165-70867728950E", "user_1", "U0ADA12345"] {
        let reply = api.post("/v1/send/user.welcome/slack", json!({"to": to, "payload": {}})).await;
        assert_eq!(reply.status, 200, "{to}: {:?}", reply.body);
        let made = deliveries(&reply.body);
        assert_eq!(made.len(), 1);
        assert_eq!(made[0].0, "slack");
        assert_eq!(trace(&api, &made[0].1).await["content"]["body"], ":wave: Ada Lovelace just joined Acme");
    }
    // A bare name falls back to the payload, then to the fallback.
    let invoice = api
        .post(
            "/v1/send/invoice.due",
            json!({"to": "new@example.com", "payload": {"name": "Payload Name", "invoice": 7}}),
        )
        .await;
    let content = &trace(&api, &deliveries(&invoice.body)[0].1).await["content"];
    assert!(content["body"].as_str().unwrap().starts_with("Dear Payload Name, invoice 7"), "{content}");

    // Broadcast to listeners: `#alerts` Slack channel.
    let alert = api.post("/v1/send/team.alert", json!({"payload": {"message": "disk full"}})).await;
    let made = deliveries(&alert.body);
    assert_eq!(made.len(), 1);
    let alert = trace(&api, &made[0].1).await;
    assert_eq!(alert["content"]["body"], ":rotating_light: Alert: disk full");
    assert_eq!(alert["content"]["to"], "#alerts");
    assert_eq!(alert["delivery"]["contact_uuid"], Value::Null);
    // A Slack channel in `to` on an email+slack event: slack only, email reported.
    let mixed = api.post("/v1/send/user.welcome", json!({"to": "#general", "payload": {}})).await;
    assert_eq!(mixed.status, 200);
    assert_eq!(deliveries(&mixed.body)[0].0, "slack");
    assert_eq!(mixed.body["errors"][0]["code"], "MISSING_IDENTIFIER");
    // A broadcast without listeners is a validation error.
    let none = api.post("/v1/send/otp.requested", json!({"payload": {}})).await;
    assert_eq!((none.status, none.code()), (400, "VALIDATION_ERROR"));
    server.shutdown().await;
}

#[tokio::test]
async fn every_send_error_code() {
    let server = start().await;
    let api = Api::new(&server, "test_key");

    let missing = api.post("/v1/send/order.shipped", json!({"to": "a@example.com", "payload": {}})).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        json!({"success": false, "deliveries": [], "errors": [{"code": "EVENT_NOT_FOUND", "message": "Event 'order.shipped' not found"}],
               "error": "Event 'order.shipped' not found", "code": "EVENT_NOT_FOUND"})
    );

    let cases = [
        ("/v1/send/user.welcome", json!({"to": "broken@", "payload": {}}), "INVALID_EMAIL"),
        ("/v1/send/otp.requested", json!({"to": "+12", "payload": {}}), "INVALID_PHONE"),
        ("/v1/send/otp.requested", json!({"to": "   ", "payload": {}}), "VALIDATION_ERROR"),
        ("/v1/send/otp.requested", json!({"to": {"phone": "0701234567"}, "payload": {}}), "INVALID_PHONE"),
        ("/v1/send/otp.requested", json!({"to": "grace@example.com", "payload": {}}), "MISSING_IDENTIFIER"),
        ("/v1/send/promo.launch/telegram", json!({"to": "ada@example.com", "payload": {}}), "INTEGRATION_MISSING"),
        ("/v1/send/promo.launch/discord", json!({"payload": {}}), "INTEGRATION_MISSING"),
        (
            "/v1/send/user.welcome",
            json!({"to": "ada@example.com", "payload": {}, "from": "ceo@evil.example"}),
            "UNVERIFIED_SENDER",
        ),
        ("/v1/send/user.welcome/fax", json!({"to": "ada@example.com", "payload": {}}), "VALIDATION_ERROR"),
        ("/v1/send/otp.requested/email", json!({"to": "ada@example.com", "payload": {}}), "VALIDATION_ERROR"),
        ("/v1/send/user.welcome", json!({"to": "ada@example.com"}), "VALIDATION_ERROR"),
        ("/v1/send/user.welcome", json!({"to": "ada@example.com", "payload": [1]}), "VALIDATION_ERROR"),
        ("/v1/send/user.welcome", json!({"to": [], "payload": {}}), "VALIDATION_ERROR"),
        ("/v1/send/user.welcome", json!({"to": 5, "payload": {}}), "VALIDATION_ERROR"),
        ("/v1/send/user.welcome", json!({"to": "abcdef99-0000-4000-8000-000000000000", "payload": {}}), "NOT_FOUND"),
    ];
    for (path, body, code) in cases {
        let reply = api.post(path, body.clone()).await;
        assert_eq!(reply.status, 400, "{path} {body}: {:?}", reply.body);
        assert_eq!(reply.code(), code, "{path} {body}: {:?}", reply.body);
        assert_eq!(reply.body["success"], false);
        assert_eq!(reply.body["deliveries"], json!([]));
        assert_eq!(reply.body["errors"][0]["code"], code);
        assert_eq!(reply.body["error"], reply.body["errors"][0]["message"]);
    }

    // ADDON_NOT_ENABLED: WhatsApp has an integration in these fixtures but no addon.
    let mut fixtures = sendivent_mock::Fixtures::builtin();
    fixtures.integrations.push(serde_json::from_value(json!({"channel": "whatsapp", "provider": "meta"})).unwrap());
    let addon = sendivent_mock::MockServer::start(sendivent_mock::MockConfig { fixtures, ..common::fast_config() })
        .await
        .unwrap();
    let reply = Api::new(&addon, "test_k")
        .post("/v1/send/promo.launch/whatsapp", json!({"to": "ada@example.com", "payload": {}}))
        .await;
    assert_eq!((reply.status, reply.code()), (400, "ADDON_NOT_ENABLED"));
    // A verified sender passes.
    let ok = api
        .post(
            "/v1/send/user.welcome/email",
            json!({"to": "ada@example.com", "payload": {}, "from": "billing@acme.example"}),
        )
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(trace(&api, &deliveries(&ok.body)[0].1).await["content"]["from"], "billing@acme.example");
    // Failed sends create nothing.
    assert_eq!(server.state().counts.deliveries, 1);
    addon.shutdown().await;
    server.shutdown().await;
}

#[tokio::test]
async fn deliveries_move_through_their_statuses_and_fail_by_trigger() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let reply = api
        .post(
            "/v1/send/order.confirmed",
            json!({"to": [
                {"email": "ok@example.com", "phone": "+46701111111"},
                {"email": "x@fail.example", "phone": "+46702220000"},
                {"email": "y@bounce.example"},
                {"email": "z@complain.example"}
            ], "payload": {"order_id": "A-1", "total": "$5"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let made = deliveries(&reply.body);
    assert_eq!(made.len(), 6);
    let initial = trace(&api, &made[0].1).await;
    assert!(["pending", "sent", "delivered"].contains(&initial["delivery"]["status"].as_str().unwrap()));

    // Settled when every delivery is in its final status (`delivered` is a step on the way to
    // `complained`, so counting pending and sent alone is not enough).
    let settled = eventually(|| {
        let by_status = server.state().counts.deliveries_by_status;
        [("delivered", 2), ("failed", 2), ("bounced", 1), ("complained", 1)]
            .iter()
            .all(|(status, n)| by_status.get(*status) == Some(n))
    })
    .await;
    assert!(settled, "{:?}", server.state().counts);
    let expect = [
        ("email", "delivered", vec!["queued", "sent", "delivered"]),
        ("sms", "delivered", vec!["queued", "sent", "delivered"]),
        ("email", "failed", vec!["queued", "failed"]),
        ("sms", "failed", vec!["queued", "failed"]),
        ("email", "bounced", vec!["queued", "sent", "bounced"]),
        ("email", "complained", vec!["queued", "sent", "delivered", "complained"]),
    ];
    for ((channel, uuid), (want_channel, status, steps)) in made.iter().zip(expect) {
        let t = trace(&api, uuid).await;
        assert_eq!(channel, want_channel);
        assert_eq!(t["delivery"]["status"], status, "{t}");
        let got: Vec<_> =
            t["timeline"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap().to_owned()).collect();
        assert_eq!(got, steps);
        assert!(t["timeline"][0]["timestamp"].as_str().unwrap().ends_with('Z'));
        if status == "failed" || status == "bounced" {
            assert!(t["delivery"]["error"].is_string());
        }
        if steps.contains(&"sent") {
            assert!(t["delivery"]["message_id"].is_string());
            assert!(t["delivery"]["sent_at"].is_string());
        }
    }
    let content = &trace(&api, &made[1].1).await["content"];
    assert_eq!(content["body"], "Acme: order A-1 confirmed. Thanks customer!");

    // Listing: newest first, filters, status groups, pagination and validation.
    let list = api.get("/v1/deliveries").await;
    assert_eq!(list.body["data"]["total"], 6);
    assert_eq!(list.body["data"]["limit"], 20);
    assert_eq!(list.body["data"]["deliveries"][0]["uuid"], made[5].1.as_str());
    let sms = api.get("/v1/deliveries?channel=sms").await;
    assert_eq!(sms.body["data"]["total"], 2);
    let failed = api.get("/v1/deliveries?status=failed").await;
    assert_eq!(failed.body["data"]["total"], 3, "failed includes bounced");
    let delivered = api.get("/v1/deliveries?status=delivered&event=order.confirmed&limit=1&offset=1").await;
    assert_eq!(delivered.body["data"]["total"], 3);
    assert_eq!(delivered.body["data"]["deliveries"].as_array().unwrap().len(), 1);
    assert_eq!(api.get("/v1/deliveries?event=user.welcome").await.body["data"]["total"], 0);
    assert_eq!(api.get("/v1/deliveries?status=lost").await.status, 400);
    assert_eq!(api.get("/v1/deliveries?limit=500").await.status, 400);
    assert_eq!(api.get("/v1/deliveries?channel=pigeon").await.status, 400);
    assert_eq!(api.get("/v1/deliveries/00000000-0000-4000-8000-000000000000/trace").await.code(), "NOT_FOUND");
    server.shutdown().await;
}

#[tokio::test]
async fn idempotent_replays_are_exact_and_conflicts_are_refused() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let send = |key: &str, body: Value| {
        api.request(reqwest::Method::POST, "/v1/send/user.welcome").header("X-Idempotency-Key", key).json(&body)
    };
    let body = json!({"to": "ada@example.com", "payload": {"message": "hi"}});
    let first = api.send(send("k-1", body.clone())).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-idempotent-replay"), None);
    // Same JSON with other key order and whitespace is the same request.
    let reordered = api
        .send(
            api.request(reqwest::Method::POST, "/v1/send/user.welcome")
                .header("X-Idempotency-Key", "k-1")
                .header("content-type", "application/json")
                .body(r#"{ "payload": {"message": "hi"}, "to": "ada@example.com" }"#),
        )
        .await;
    assert_eq!(reordered.status, 200);
    assert_eq!(reordered.header("x-idempotent-replay"), Some("true"));
    assert_eq!(reordered.body, first.body);
    assert_ne!(reordered.header("x-request-id"), first.header("x-request-id"));

    let conflict = api.send(send("k-1", json!({"to": "ada@example.com", "payload": {"message": "other"}}))).await;
    assert_eq!((conflict.status, conflict.code()), (409, "CONFLICT"));
    assert!(conflict.body["error"].as_str().unwrap().contains("different request"));
    // The key is per API key.
    let other_key = Api::new(&server, "test_other");
    let fresh = other_key
        .send(
            other_key
                .request(reqwest::Method::POST, "/v1/send/user.welcome")
                .header("X-Idempotency-Key", "k-1")
                .json(&body),
        )
        .await;
    assert_eq!(fresh.header("x-idempotent-replay"), None);

    // 4xx answers are stored too.
    let bad = json!({"to": "ada@example.com", "payload": {}, "from": "x@evil.example"});
    let failed = api.send(send("k-2", bad.clone())).await;
    assert_eq!(failed.status, 400);
    let replayed = api.send(send("k-2", bad)).await;
    assert_eq!((replayed.status, replayed.header("x-idempotent-replay")), (400, Some("true")));
    assert_eq!(replayed.body, failed.body);

    let state = server.state();
    assert_eq!(state.counts.replays, 2);
    assert_eq!(state.counts.sends, 3);
    assert_eq!(state.deliveries.len(), 4);
    assert_eq!(state.deliveries.iter().filter(|d| d.idempotency_key.as_deref() == Some("k-1")).count(), 4);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_duplicates_send_exactly_once() {
    let server = start().await;
    let api = Arc::new(Api::new(&server, "live_key"));
    let body = json!({"to": ["ada@example.com", "grace@example.com"], "payload": {"message": "once"}});
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let api = Arc::clone(&api);
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            api.send(
                api.request(reqwest::Method::POST, "/v1/send/user.welcome/email")
                    .header("X-Idempotency-Key", "order-7-confirmation")
                    .json(&body),
            )
            .await
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    let replays = replies.iter().filter(|r| r.header("x-idempotent-replay") == Some("true")).count();
    assert_eq!(replays, 19);
    assert!(replies.iter().all(|r| r.status == 200 && r.body == replies[0].body));
    let state = server.state();
    assert_eq!(state.counts.sends, 1);
    assert_eq!(state.counts.replays, 19);
    assert_eq!(state.sends.len(), 1);
    assert_eq!(state.deliveries.len(), 2);
    assert_eq!(state.sends[0].idempotency_key.as_deref(), Some("order-7-confirmation"));
    assert_eq!(state.sends[0].deliveries.len(), 2);
    assert!(state.deliveries.iter().all(|d| d.request_hash == state.sends[0].request_hash));
    server.shutdown().await;
}

#[tokio::test]
async fn contact_objects_take_the_official_sdks_spellings() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    // `id`, `external_id` and `externalId` are the external id; `slack_id` and `slack` the Slack id;
    // a nested `meta` merges with flat unknown fields, which win and are camelCased.
    let to = json!([
        {"id": "u-1", "slack_id": "U0IDONE1234", "name": "One", "meta": {"tier": "gold", "planTier": "nested"}, "plan_tier": "flat"},
        {"external_id": "u-2", "slack": "U0IDTWO1234", "meta": []},
        {"externalId": "u-3", "email": "three@example.com", "meta": {"source": "ads"}}
    ]);
    let reply = api.post("/v1/send/user.welcome", json!({"to": to, "payload": {}})).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let channels: Vec<_> = deliveries(&reply.body).into_iter().map(|(c, _)| c).collect();
    assert_eq!(channels, ["slack", "slack", "email"]);
    let one = api.get("/v1/contacts/u-1").await.body["data"]["contact"].clone();
    assert_eq!((one["external_id"].as_str(), one["slack"].as_str()), (Some("u-1"), Some("U0IDONE1234")));
    assert_eq!(one["meta"], json!({"tier": "gold", "planTier": "flat"}));
    let two = api.get("/v1/contacts/U0IDTWO1234").await.body["data"]["contact"].clone();
    assert_eq!((two["external_id"].as_str(), two["meta"].clone()), (Some("u-2"), json!({})));
    assert_eq!(api.get("/v1/contacts/u-3").await.body["data"]["contact"]["meta"], json!({"source": "ads"}));
    // The contacts endpoints read contact objects the same way.
    let created = api.post("/v1/contacts", json!({"id": 42, "slack_id": "U0FORTYTWO1", "meta": {"a": 1}})).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let contact = &created.body["data"]["contact"];
    assert_eq!((contact["external_id"].as_str(), contact["slack"].as_str()), (Some("42"), Some("U0FORTYTWO1")));
    assert_eq!(contact["meta"], json!({"a": 1}));
    let patched = api.patch("/v1/contacts/42", json!({"slack_id": null, "meta": {"a": null, "b": 2}})).await;
    assert_eq!(patched.body["data"]["contact"]["slack"], Value::Null);
    assert_eq!(patched.body["data"]["contact"]["meta"], json!({"b": 2}));
    // Two spellings of one field at once are refused.
    let twice = api.post("/v1/contacts", json!({"id": "a", "externalId": "b"})).await;
    assert_eq!((twice.status, twice.code()), (400, "VALIDATION_ERROR"));
    server.shutdown().await;
}

#[tokio::test]
async fn from_may_be_a_string_or_a_contact_object() {
    let server = start().await;
    let api = Api::new(&server, "test_key");
    let send = |path: &'static str, from: Value| {
        let api = api.clone();
        async move { api.post(path, json!({"to": "ada@example.com", "payload": {}, "from": from})).await }
    };
    let object =
        send("/v1/send/user.welcome/email", json!({"email": "billing@acme.example", "name": "Acme Billing"})).await;
    assert_eq!(object.status, 200, "{:?}", object.body);
    let content = &trace(&api, &deliveries(&object.body)[0].1).await["content"];
    assert_eq!(content["from"], "Acme Billing <billing@acme.example>");
    assert!(content["body"].as_str().unwrap().ends_with("-- Acme Billing <billing@acme.example>"), "{content}");
    let text = send("/v1/send/user.welcome/email", json!("billing@acme.example")).await;
    assert_eq!(trace(&api, &deliveries(&text.body)[0].1).await["content"]["from"], "billing@acme.example");
    for from in [json!("+46700000001"), json!({"phone": "+46 70 000 00 01", "name": "Acme"})] {
        let sms = send("/v1/send/order.confirmed/sms", from.clone()).await;
        assert_eq!(sms.status, 200, "{from}: {:?}", sms.body);
        assert_eq!(trace(&api, &deliveries(&sms.body)[0].1).await["content"]["from"], "+46700000001", "{from}");
    }
    for (from, code) in [
        (json!({"email": "ceo@evil.example", "name": "CEO"}), "UNVERIFIED_SENDER"),
        (json!("Some Name"), "UNVERIFIED_SENDER"),
        (json!({"email": "broken@"}), "INVALID_EMAIL"),
        (json!({"name": ""}), "VALIDATION_ERROR"),
        (json!(42), "VALIDATION_ERROR"),
    ] {
        let reply = send("/v1/send/user.welcome", from.clone()).await;
        assert_eq!((reply.status, reply.code()), (400, code), "{from}: {:?}", reply.body);
    }
    server.shutdown().await;
}
