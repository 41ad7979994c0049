//! The send examples of the API's official SDKs — the Node package `@appitude/sendivent` 0.2.1
//! (README.md, example.ts) and the PHP package `sendivent/sdk` (README.md, example.php) — sent the
//! way those SDKs send them (`POST /v1/send/{event}[/{channel}]`, body `{payload, to?, from?,
//! language?, overrides?}`), each checked for its documented effect. The events are those of
//! `fixtures/official-examples.json`, named as in the examples.
//!
//! Two documented examples cannot have their documented effect under docs/contract.md §2, and the tests
//! say so: the placeholder phone `+1234567890` is not a possible +1 number (INVALID_PHONE), and
//! the READMEs' `U12345` is too short to be a Slack user id (an external id).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Api, Reply, eventually, fast_config};
use sendivent_mock::{Fixtures, MockConfig, MockServer};
use serde_json::{Value, json};

const NODE: &str = "Sendivent-Node/1.0";
const PHP: &str = "Sendivent-PHP/0.1.0";
/// A possible +1 number, for the examples whose placeholder `+1234567890` is not one.
const REAL_PHONE: &str = "+14155552671";

async fn official() -> (MockServer, Api) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/official-examples.json");
    let fixtures = Fixtures::from_file(std::path::Path::new(path)).unwrap();
    let server = MockServer::start(MockConfig { fixtures, ..fast_config() }).await.unwrap();
    let api = Api::new(&server, "test_your_api_key_here");
    (server, api)
}

/// What `.event(event)[.channel(channel)]….send()` sends.
async fn sdk_send(api: &Api, agent: &str, event: &str, channel: Option<&str>, body: Value) -> Reply {
    let path = match channel {
        Some(channel) => format!("/v1/send/{event}/{channel}"),
        None => format!("/v1/send/{event}"),
    };
    api.send(api.request(reqwest::Method::POST, &path).header("User-Agent", agent).json(&body)).await
}

fn deliveries(reply: &Reply) -> Vec<(String, String)> {
    reply.body["deliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("no deliveries: {:?}", reply.body))
        .iter()
        .flat_map(|d| d.as_object().unwrap().iter().map(|(c, u)| (c.clone(), u.as_str().unwrap().to_owned())))
        .collect()
}

fn channels(reply: &Reply) -> Vec<String> {
    deliveries(reply).into_iter().map(|(channel, _)| channel).collect()
}

/// The trace (`delivery`, `timeline`, `content`) of the delivery on `channel`.
async fn trace(api: &Api, reply: &Reply, channel: &str) -> Value {
    let (_, uuid) = deliveries(reply).into_iter().find(|(c, _)| c == channel).unwrap();
    let trace = api.get(&format!("/v1/deliveries/{uuid}/trace")).await;
    assert_eq!(trace.status, 200);
    trace.body["data"].clone()
}

async fn contact(api: &Api, identifier: &str) -> Value {
    let reply = api.get(&format!("/v1/contacts/{identifier}")).await;
    assert_eq!(reply.status, 200, "{identifier}: {:?}", reply.body);
    reply.body["data"]["contact"].clone()
}

fn error_codes(reply: &Reply) -> Vec<&str> {
    reply.body["errors"].as_array().map_or(Vec::new(), |e| e.iter().map(|e| e["code"].as_str().unwrap()).collect())
}

/// Node README "Quick Start", "Response Object", "Fire-and-Forget"; PHP README "Quick Start";
/// example.ts / example.php 1 (email detected).
#[tokio::test]
async fn quick_start_email_is_detected_and_becomes_a_contact() {
    let (server, api) = official().await;
    for agent in [NODE, PHP] {
        let body = json!({"payload": {"name": "John Doe"}, "to": "user@example.com"});
        let reply = sdk_send(&api, agent, "welcome", None, body).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(reply.body["success"], true);
        assert_eq!(channels(&reply), ["email"]);
        let content = &trace(&api, &reply, "email").await["content"];
        assert_eq!(content["to"], "user@example.com");
        assert_eq!(content["subject"], "Welcome, John Doe", "a bare {{{{name}}}} falls back to the payload");
    }
    assert_eq!(contact(&api, "user@example.com").await["email"], "user@example.com");
    assert_eq!(server.state().contacts, 1);
    server.shutdown().await;
}

/// example 1 (phone detected), Node/PHP README "sms-code" and "Channel-Specific Sending",
/// example 5 `urgent-alert` forced to SMS.
#[tokio::test]
async fn phones_are_detected_but_the_placeholder_number_is_not_a_possible_one() {
    let (server, api) = official().await;
    for (event, channel, payload) in [
        ("verification-code", None, json!({"code": "123456"})),
        ("sms-code", None, json!({"code": "123456"})),
        ("verification-code", Some("sms"), json!({"code": "123456"})),
        ("urgent-alert", Some("sms"), json!({"alert": "Your account requires attention"})),
    ] {
        let placeholder = sdk_send(&api, NODE, event, channel, json!({"payload": payload, "to": "+1234567890"})).await;
        assert_eq!((placeholder.status, placeholder.code()), (400, "INVALID_PHONE"), "{event}");
        assert!(placeholder.body["error"].as_str().unwrap().contains("10 digits"), "{:?}", placeholder.body);

        let reply = sdk_send(&api, PHP, event, channel, json!({"payload": payload, "to": REAL_PHONE})).await;
        assert_eq!(reply.status, 200, "{event}: {:?}", reply.body);
        assert_eq!(channels(&reply), ["sms"], "{event}: forced to SMS although the event also has email");
        let content = &trace(&api, &reply, "sms").await["content"];
        assert_eq!(content["to"], REAL_PHONE);
        assert!(
            content["body"]
                .as_str()
                .unwrap()
                .contains(payload.as_object().unwrap().values().next().unwrap().as_str().unwrap())
        );
    }
    assert_eq!(server.state().contacts, 1, "one contact for the real number, none for the placeholder");
    server.shutdown().await;
}

/// example.ts / example.php 1 (Slack user id detected); README `alert` → `U12345`.
#[tokio::test]
async fn a_slack_user_id_gets_a_direct_message_without_a_contact() {
    let (server, api) = official().await;
    let body = json!({"payload": {"message": "You have a new message"}, "to": "U12345ABCDE"});
    let reply = sdk_send(&api, NODE, "dm-notification", None, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(channels(&reply), ["slack"]);
    let dm = trace(&api, &reply, "slack").await;
    assert_eq!(dm["content"]["to"], "U12345ABCDE");
    assert_eq!(dm["content"]["body"], "You have a new message");
    assert_eq!(dm["delivery"]["contact_uuid"], Value::Null);
    assert_eq!(server.state().contacts, 0);
    assert_eq!(api.get("/v1/contacts/U12345ABCDE").await.status, 404);

    // The READMEs' `U12345` is too short for a Slack user id (U + 8 to 11): it is an external id,
    // so the contact is created and the Slack-only event has no Slack id to use.
    let short = sdk_send(&api, PHP, "alert", None, json!({"payload": {}, "to": "U12345"})).await;
    assert_eq!((short.status, short.code()), (400, "MISSING_IDENTIFIER"), "{:?}", short.body);
    assert_eq!(contact(&api, "U12345").await["external_id"], "U12345");
    server.shutdown().await;
}

/// example 2 "Rich Contact Objects" (`order-confirmation`) and the READMEs' contact object
/// (`welcome`): `id` maps to the external id, `meta` is merged into the contact's meta.
#[tokio::test]
async fn rich_contact_objects_store_id_as_external_id_and_merge_meta() {
    let (server, api) = official().await;
    let order = |phone: &str| {
        json!({
            "payload": {"order_id": "ORD-98765", "total": 99.99,
                        "items": [{"name": "Product A", "qty": 2}, {"name": "Product B", "qty": 1}]},
            "to": {"id": "user-12345", "email": "customer@example.com", "phone": phone, "name": "Jane Smith",
                   "avatar": "https://example.com/avatar.jpg", "meta": {"tier": "premium", "timezone": "America/New_York"}}
        })
    };
    let placeholder = sdk_send(&api, NODE, "order-confirmation", None, order("+1234567890")).await;
    assert_eq!((placeholder.status, placeholder.code()), (400, "INVALID_PHONE"));
    assert_eq!(server.state().contacts, 0, "an invalid contact is not stored");

    let reply = sdk_send(&api, PHP, "order-confirmation", None, order(REAL_PHONE)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(channels(&reply), ["email", "sms"]);
    let jane = contact(&api, "user-12345").await;
    assert_eq!(jane["external_id"], "user-12345");
    assert_eq!(jane["email"], "customer@example.com");
    assert_eq!(jane["phone"], REAL_PHONE);
    assert_eq!(jane["name"], "Jane Smith");
    assert_eq!(jane["avatar"], "https://example.com/avatar.jpg");
    assert_eq!(jane["meta"], json!({"tier": "premium", "timezone": "America/New_York"}), "no meta.id");
    let email = trace(&api, &reply, "email").await;
    assert_eq!(email["content"]["body"], "Thanks Jane Smith (premium, America/New_York): 99.99");
    assert_eq!(trace(&api, &reply, "sms").await["content"]["to"], REAL_PHONE);

    // The READMEs' version, on `welcome`.
    let readme = json!({
        "payload": {"welcome_message": "Hello!"},
        "to": {"id": "user-777", "email": "user@example.com", "phone": "+14155552672", "name": "John Doe",
               "avatar": "https://example.com/avatar.jpg", "meta": {"tier": "premium"}}
    });
    let reply = sdk_send(&api, NODE, "welcome", None, readme).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(trace(&api, &reply, "email").await["content"]["body"], "Hi John Doe! Hello! Plan: premium.");
    let john = contact(&api, "user-777").await;
    assert_eq!((john["external_id"].clone(), john["meta"].clone()), (json!("user-777"), json!({"tier": "premium"})));
    server.shutdown().await;
}

/// example 3 and the READMEs' "Broadcast Events": no `to`, the event's listeners get it.
#[tokio::test]
async fn broadcast_mode_reaches_the_events_listeners() {
    let (server, api) = official().await;
    let body = json!({"payload": {"severity": "high", "message": "Database backup completed", "timestamp": 1_767_225_600_000_u64}});
    let reply = sdk_send(&api, PHP, "system-alert", None, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(channels(&reply), ["slack"]);
    let content = &trace(&api, &reply, "slack").await["content"];
    assert_eq!(content["to"], "#ops-alerts");
    assert_eq!(content["body"], "[high] Database backup completed");
    assert_eq!(server.state().contacts, 0);
    server.shutdown().await;
}

/// example 4 "Slack Channel Broadcasting" (`#general` and the channel id `C01234ABCDE`) and the
/// READMEs' `system-alert` to `#general`: a broadcast, no contact.
#[tokio::test]
async fn slack_channel_broadcasts_by_name_or_id_create_no_contact() {
    let (server, api) = official().await;
    for to in ["#general", "C01234ABCDE"] {
        let body = json!({"payload": {"title": "Weekly Update", "message": "New features released!"}, "to": to});
        let reply = sdk_send(&api, NODE, "team-announcement", Some("slack"), body).await;
        assert_eq!(reply.status, 200, "{to}: {:?}", reply.body);
        assert_eq!(channels(&reply), ["slack"]);
        let trace = trace(&api, &reply, "slack").await;
        assert_eq!(trace["content"]["to"], to);
        assert_eq!(trace["content"]["body"], "*Weekly Update*: New features released!");
        assert_eq!(trace["delivery"]["contact_uuid"], Value::Null);
    }
    let readme = json!({"payload": {"message": "System update"}, "to": "#general"});
    let reply = sdk_send(&api, PHP, "system-alert", Some("slack"), readme).await;
    assert_eq!(trace(&api, &reply, "slack").await["content"]["to"], "#general");
    assert_eq!(server.state().contacts, 0);

    // Without the slack channel a bare `C…` is ambiguous: it stays an external id.
    let ambiguous = sdk_send(&api, NODE, "team-announcement", None, json!({"payload": {}, "to": "C01234ABCDE"})).await;
    assert_eq!((ambiguous.status, ambiguous.code()), (400, "MISSING_IDENTIFIER"));
    assert_eq!(contact(&api, "C01234ABCDE").await["external_id"], "C01234ABCDE");
    server.shutdown().await;
}

/// example 5 "Force Email" on an email + slack event.
#[tokio::test]
async fn a_path_channel_sends_on_that_channel_only() {
    let (server, api) = official().await;
    let body =
        json!({"payload": {"month": "January", "revenue": 125_000, "growth": 15.5}, "to": "manager@example.com"});
    let reply = sdk_send(&api, PHP, "monthly-report", Some("email"), body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(channels(&reply), ["email"]);
    assert!(reply.body.get("errors").is_none(), "slack is not attempted: {:?}", reply.body);
    let content = &trace(&api, &reply, "email").await["content"];
    assert_eq!(
        (content["subject"].as_str(), content["body"].as_str()),
        (Some("Report for January"), Some("Revenue 125000, growth 15.5%"))
    );
    server.shutdown().await;
}

/// example 6 "Multiple Recipients" and the READMEs' "Multiple recipients".
#[tokio::test]
async fn multiple_recipients_each_get_their_own_rendering() {
    let (server, api) = official().await;
    let body = json!({
        "payload": {"subject": "Monthly Newsletter", "featured_article": "Top 10 Features You Might Have Missed"},
        "to": ["subscriber1@example.com", "subscriber2@example.com",
               {"email": "vip@example.com", "name": "VIP Customer", "meta": {"tier": "platinum"}}]
    });
    let reply = sdk_send(&api, NODE, "newsletter", None, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let made = deliveries(&reply);
    assert_eq!(made.len(), 3);
    let vip = api.get(&format!("/v1/deliveries/{}/trace", made[2].1)).await.body["data"]["content"].clone();
    assert_eq!(vip["to"], "vip@example.com");
    assert_eq!(vip["subject"], "Monthly Newsletter");
    assert_eq!(vip["body"], "Hi VIP Customer (platinum). Top 10 Features You Might Have Missed");
    let first = api.get(&format!("/v1/deliveries/{}/trace", made[0].1)).await.body["data"]["content"].clone();
    assert_eq!(first["body"], "Hi reader (standard). Top 10 Features You Might Have Missed");
    assert_eq!(contact(&api, "vip@example.com").await["meta"], json!({"tier": "platinum"}));

    let readme = json!({"payload": {"subject": "Newsletter"},
                        "to": ["user1@example.com", {"id": "user-456", "email": "user2@example.com", "name": "Jane"}]});
    let reply = sdk_send(&api, PHP, "newsletter", None, readme).await;
    assert_eq!(deliveries(&reply).len(), 2);
    let jane = contact(&api, "user-456").await;
    assert_eq!(
        (jane["email"].as_str(), jane["name"].as_str(), jane["meta"].clone()),
        (Some("user2@example.com"), Some("Jane"), json!({}))
    );
    server.shutdown().await;
}

/// example 7 and the READMEs' "Language Selection".
#[tokio::test]
async fn language_selection_falls_back_to_the_default_language() {
    let (server, api) = official().await;
    let sv = sdk_send(
        &api,
        NODE,
        "welcome",
        None,
        json!({"payload": {"name": "Anders"}, "to": "anders@example.com", "language": "sv"}),
    )
    .await;
    let content = &trace(&api, &sv, "email").await["content"];
    assert_eq!((content["subject"].as_str(), content["language"].as_str()), (Some("Välkommen, Anders"), Some("sv")));
    let body = json!({"payload": {"reset_link": "https://app.example.com/reset/xyz"}, "to": "maria@example.com", "language": "es"});
    let es = sdk_send(&api, PHP, "password-reset", None, body).await;
    assert_eq!(es.status, 200);
    let content = &trace(&api, &es, "email").await["content"];
    assert_eq!(
        (content["language"].as_str(), content["body"].as_str()),
        (Some("en"), Some("Reset: https://app.example.com/reset/xyz"))
    );
    server.shutdown().await;
}

/// example 8 "Template Overrides" and the READMEs' version: the content snapshot shows them.
#[tokio::test]
async fn template_overrides_show_in_the_content_snapshot() {
    let (server, api) = official().await;
    let body = json!({
        "payload": {"invoice_number": "INV-2024-001", "amount": 499.99},
        "to": "customer@example.com",
        "overrides": {"subject": "URGENT: Invoice Due", "from_email": "billing@example.com", "from_name": "Billing Department"}
    });
    let reply = sdk_send(&api, NODE, "invoice", None, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let content = &trace(&api, &reply, "email").await["content"];
    assert_eq!(content["subject"], "URGENT: Invoice Due");
    assert_eq!(content["from"], "Billing Department <billing@example.com>");
    assert_eq!(
        content["body"], "Amount due: 499.99. -- Billing Department",
        "{{{{sender.name}}}} follows the override"
    );

    let readme = json!({"payload": {"amount": 100}, "to": "user@example.com",
                        "overrides": {"subject": "Custom Subject", "from_email": "billing@company.com"}});
    let reply = sdk_send(&api, PHP, "invoice", None, readme).await;
    let content = &trace(&api, &reply, "email").await["content"];
    assert_eq!(
        (content["subject"].as_str(), content["from"].as_str()),
        (Some("Custom Subject"), Some("billing@company.com"))
    );
    // Without overrides: the template's subject and the application's sender.
    let plain =
        sdk_send(&api, NODE, "invoice", None, json!({"payload": {"invoice_number": "7"}, "to": "user@example.com"}))
            .await;
    let content = &trace(&api, &plain, "email").await["content"];
    assert_eq!(
        (content["subject"].as_str(), content["from"].as_str()),
        (Some("Invoice 7"), Some("Example Notifications <notifications@example.com>"))
    );
    // A from_email that is not a verified sender is refused like `from`.
    let stranger =
        json!({"payload": {}, "to": "user@example.com", "overrides": {"from_email": "ceo@elsewhere.example"}});
    let refused = sdk_send(&api, NODE, "invoice", None, stranger).await;
    assert_eq!((refused.status, refused.code()), (400, "UNVERIFIED_SENDER"));
    server.shutdown().await;
}

/// example 9 "Idempotency" and the READMEs' version: the second send is a replay.
#[tokio::test]
async fn the_same_idempotency_key_does_not_send_twice() {
    let (server, api) = official().await;
    let body = json!({"payload": {"order_id": "ORD-12345", "total": 299.99}, "to": "customer@example.com"});
    let mut replies = Vec::new();
    for agent in [NODE, PHP] {
        let request = api
            .request(reqwest::Method::POST, "/v1/send/order-confirmation")
            .header("User-Agent", agent)
            .header("X-Idempotency-Key", "order-ORD-12345-confirmation")
            .json(&body);
        replies.push(api.send(request).await);
    }
    assert_eq!(replies[0].status, 200, "{:?}", replies[0].body);
    assert_eq!(replies[0].header("x-idempotent-replay"), None);
    assert_eq!(replies[1].header("x-idempotent-replay"), Some("true"));
    assert_eq!(replies[1].body, replies[0].body);
    // The customer has an email but no phone: email sent, sms reported.
    assert_eq!(channels(&replies[0]), ["email"]);
    assert_eq!(error_codes(&replies[0]), ["MISSING_IDENTIFIER"]);
    let state = server.state();
    assert_eq!((state.counts.sends, state.deliveries.len()), (1, 1));
    server.shutdown().await;
}

/// example.ts 10 "Error Handling": success reads `success`, failure reads `error`.
#[tokio::test]
async fn error_handling_reads_success_and_error() {
    let (server, api) = official().await;
    let ok =
        sdk_send(&api, NODE, "test-event", None, json!({"payload": {"test": true}, "to": "test@example.com"})).await;
    assert_eq!((ok.status, ok.body["success"].clone()), (200, json!(true)));
    assert_eq!(trace(&api, &ok, "email").await["content"]["body"], "test=true");
    let missing = sdk_send(&api, NODE, "no-such-event", None, json!({"payload": {}, "to": "test@example.com"})).await;
    assert_eq!((missing.status, missing.body["success"].clone()), (404, json!(false)));
    assert!(missing.body["error"].as_str().unwrap().contains("no-such-event"));
    server.shutdown().await;
}

/// example.ts 11 / example.php 12 "Smart Fallback": `id` + `slack_id` only, on an email + slack
/// event, is reached through Slack.
#[tokio::test]
async fn smart_fallback_reaches_a_slack_only_contact_through_slack() {
    let (server, api) = official().await;
    let body = json!({"payload": {"message": "Your report is ready"},
                      "to": {"id": "user-789", "slack_id": "U98765ZYXWV", "name": "Bob"}});
    let reply = sdk_send(&api, PHP, "notification", None, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["success"], true);
    assert_eq!(channels(&reply), ["slack"]);
    assert_eq!(error_codes(&reply), ["MISSING_IDENTIFIER"], "the email it has none for is reported");
    let content = &trace(&api, &reply, "slack").await["content"];
    assert_eq!(
        (content["to"].as_str(), content["body"].as_str()),
        (Some("U98765ZYXWV"), Some("Bob: Your report is ready"))
    );
    let bob = contact(&api, "U98765ZYXWV").await;
    assert_eq!(bob["external_id"], "user-789");
    assert_eq!(bob["slack"], "U98765ZYXWV");
    assert_eq!(bob["email"], Value::Null);
    assert_eq!(bob["meta"], json!({}), "id and slack_id are fields, not meta.id / meta.slackId");
    // The same contact again (found by its external id), now with an email: both channels.
    let again = json!({"payload": {"message": "again"}, "to": {"id": "user-789", "email": "bob@example.com"}});
    let reply = sdk_send(&api, NODE, "notification", None, again).await;
    assert_eq!(channels(&reply), ["email", "slack"]);
    assert_eq!(server.state().contacts, 1);
    server.shutdown().await;
}

/// example.php 10 "Fire-and-Forget": `sendAsync` writes the request on a raw socket with
/// `Connection: Close` and closes it without reading the answer. The send still happens.
#[tokio::test]
async fn php_fire_and_forget_is_handled_after_the_client_hangs_up() {
    use tokio::io::AsyncWriteExt;
    let (server, _api) = official().await;
    let body = json!({"payload": {"event": "page_view", "page": "/dashboard", "timestamp": 1_767_225_600}, "to": "user@example.com"}).to_string();
    let request = format!(
        "POST /v1/send/analytics-event HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer test_your_api_key_here\r\n\
         Content-Type: application/json\r\nUser-Agent: {PHP}\r\nContent-Length: {}\r\nConnection: Close\r\n\r\n{body}",
        server.addr(),
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    drop(stream);
    assert!(eventually(|| server.state().deliveries.len() == 1).await, "{:?}", server.state().counts);
    let state = server.state();
    assert_eq!((state.counts.sends, state.deliveries[0].channel.as_str()), (1, "email"));
    server.shutdown().await;
}

/// The PHP SDK sends `"payload": []` when no payload was set (PHP's empty array), as its
/// test-local.php does.
#[tokio::test]
async fn php_empty_payload_array_is_an_empty_payload() {
    let (server, api) = official().await;
    let reply = sdk_send(&api, PHP, "test-event", None, json!({"payload": [], "to": "test@example.com"})).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(trace(&api, &reply, "email").await["content"]["body"], "test=");
    let not_empty = sdk_send(&api, PHP, "test-event", None, json!({"payload": [1], "to": "test@example.com"})).await;
    assert_eq!(not_empty.status, 400);
    server.shutdown().await;
}
