#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes from JSON text, the way a response body is decoded.
fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_str(&value.to_string()).unwrap()
}

fn decode_err<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_str::<T>(&value.to_string()).unwrap_err().to_string()
}

/// Encodes, decodes the encoding and checks that nothing changed.
fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let encoded = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&encoded).unwrap();
    assert_eq!(&back, value, "round trip through {encoded}");
}

// ---------------------------------------------------------------- open enums

#[test]
fn open_enums_know_their_values_and_keep_unknown_ones() {
    for channel in ["email", "sms", "slack", "push", "telegram", "whatsapp", "discord"] {
        let parsed = Channel::from(channel);
        assert!(parsed.is_known(), "{channel}");
        assert_eq!(parsed.as_str(), channel);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(channel));
    }
    assert_eq!(Channel::KNOWN.len(), 7);
    for status in ["pending", "queued", "sent", "delivered", "failed", "bounced", "complained"] {
        assert!(DeliveryStatus::from(status).is_known(), "{status}");
    }
    for event in ["delivery.sent", "delivery.delivered", "delivery.failed", "delivery.bounced", "delivery.complained"] {
        assert!(WebhookEventType::from(event).is_known(), "{event}");
    }
    for code in ["VALIDATION_ERROR", "PROVIDER_ERROR", "MISSING_IDENTIFIER", "EVENT_NOT_FOUND", "INVALID_PHONE"] {
        assert!(ApiCode::from(code).is_known(), "{code}");
        assert_eq!(ApiCode::from(code).error_code().map(|c| c.as_str()), Some(code));
    }

    let unknown: Vec<Channel> = decode(json!(["fax", "Email", ""]));
    assert_eq!(unknown, [Channel::Other("fax".into()), Channel::Other("Email".into()), Channel::Other("".into())]);
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!(["fax", "Email", ""]));
    assert_eq!(decode::<DeliveryStatus>(json!("opened")), DeliveryStatus::Other("opened".into()));
    assert_eq!(decode::<WebhookEventType>(json!("delivery.opened")).to_string(), "delivery.opened");
    assert_eq!(decode::<ApiCode>(json!("BRAND_NEW")).error_code(), None);
    // An open set is still a string: another type is an error.
    assert!(decode_err::<Channel>(json!(7)).contains("invalid type"));
    assert!(decode_err::<DeliveryStatus>(json!(null)).contains("invalid type"));
}

// ---------------------------------------------------------------- send request

#[test]
fn send_request_encodes_every_to_form() {
    let contact = ContactInput::email("user@example.com").name("Jane").field("tier", "premium");
    let cases: Vec<(SendRequest, Value)> = vec![
        (SendRequest::to("user@example.com"), json!({"to": "user@example.com", "payload": {}})),
        (
            SendRequest::to(contact.clone()).payload(json!({"order": 42})),
            json!({"to": {"email": "user@example.com", "name": "Jane", "tier": "premium"}, "payload": {"order": 42}}),
        ),
        (
            SendRequest::to(vec!["+14155551234", "550e8400-e29b-41d4-a716-446655440000"]),
            json!({"to": ["+14155551234", "550e8400-e29b-41d4-a716-446655440000"], "payload": {}}),
        ),
        (
            SendRequest::to(vec![
                Recipient::from(ContactInput::email("user1@example.com").name("Alice").field("tier", "premium")),
                Recipient::from("#alerts"),
            ])
            .payload(json!({"company": "ACME"})),
            json!({
                "to": [{"email": "user1@example.com", "name": "Alice", "tier": "premium"}, "#alerts"],
                "payload": {"company": "ACME"}
            }),
        ),
        (
            SendRequest::broadcast()
                .language("sv")
                .from("billing@acme.example")
                .overrides(json!({"email": {"reply_to": "help@acme.example"}}).as_object().cloned().unwrap()),
            json!({
                "payload": {},
                "language": "sv",
                "from": "billing@acme.example",
                "overrides": {"email": {"reply_to": "help@acme.example"}}
            }),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(serde_json::to_value(&request).unwrap(), expected);
        assert_eq!(decode::<SendRequest>(expected), request);
        assert_round_trip(&request);
    }
}

#[test]
fn send_request_decodes_recipient_forms() {
    let r: SendRequest = decode(json!({"to": {"email": "a@example.com", "plan": "pro"}, "payload": {"x": 1}}));
    let Some(Recipients::One(Recipient::Contact(contact))) = &r.to else { panic!("{r:?}") };
    assert_eq!(contact.email.as_deref(), Some("a@example.com"));
    assert_eq!(contact.extra["plan"], "pro");

    let r: SendRequest = decode(json!({"to": ["a@example.com", {"phone": "+14155552671"}]}));
    let slice = r.to.as_ref().unwrap().as_slice();
    assert_eq!(slice.len(), 2);
    assert_eq!(slice[0], Recipient::Identifier("a@example.com".into()));
    assert!(matches!(&slice[1], Recipient::Contact(c) if c.phone.as_deref() == Some("+14155552671")));

    // Absent or null `to` is a broadcast; absent or null payload is `{}`.
    for body in [json!({}), json!({"to": null, "payload": null})] {
        let r: SendRequest = decode(body);
        assert_eq!(r, SendRequest::broadcast());
    }
    assert!(decode_err::<SendRequest>(json!({"to": 42})).contains("a recipient string, a contact object, or an array"));
    assert!(
        decode_err::<SendRequest>(json!({"to": [["a@example.com"]]}))
            .contains("a recipient string or a contact object")
    );
    // A bad contact object reports its real problem.
    assert!(decode_err::<SendRequest>(json!({"to": [{"email": 5}]})).contains("invalid type: integer"));
}

#[test]
fn send_request_validation() {
    let ok = SendRequest::to(vec!["ada@example.com", "+14155552671"]).validated().unwrap();
    assert_eq!(
        ok.to.unwrap().as_slice(),
        [Recipient::Identifier("ada@example.com".into()), Recipient::Identifier("+14155552671".into())]
    );
    let contact = SendRequest::to(ContactInput::email("ada@example.com").field("tier", "gold")).validated().unwrap();
    let Some(Recipients::One(Recipient::Contact(c))) = contact.to else { panic!() };
    assert_eq!(c.extra["tier"], "gold");
    assert!(SendRequest::broadcast().validated().is_ok());

    let code = |r: SendRequest| r.validated().unwrap_err().code().to_owned();
    assert_eq!(code(SendRequest::to("not-an-email@")), "INVALID_EMAIL");
    assert_eq!(code(SendRequest::to("+0701234567")), "INVALID_PHONE");
    assert_eq!(code(SendRequest::to(vec!["ada@example.com", "not-an-email@"])), "INVALID_EMAIL");
    assert_eq!(code(SendRequest::to(ContactInput::phone("0701234567"))), "INVALID_PHONE");
    assert_eq!(code(SendRequest::to(ContactInput::default().name("Nobody"))), "VALIDATION_ERROR");
    assert_eq!(code(SendRequest::to(Vec::<String>::new())), "VALIDATION_ERROR");
    assert_eq!(code(SendRequest::to("ada@example.com").payload(json!([1]))), "VALIDATION_ERROR");
    assert_eq!(code(SendRequest::to("   ")), "VALIDATION_ERROR");
}

// ---------------------------------------------------------------- contact input

#[test]
fn contact_input_renames_external_id_and_flattens_extra_fields() {
    let input = ContactInput::external_id("user_1").name("Ada").field("favouriteColour", "teal").field("score", 3);
    let encoded = serde_json::to_value(&input).unwrap();
    assert_eq!(encoded, json!({"externalId": "user_1", "name": "Ada", "favouriteColour": "teal", "score": 3}));
    assert_round_trip(&input);

    // Both spellings decode; unknown fields land in `extra`, known ones keep their type.
    let decoded: ContactInput = decode(json!({"external_id": "u2", "slack": "U0ADA12345", "tier": {"level": 2}}));
    assert_eq!(decoded.external_id.as_deref(), Some("u2"));
    assert_eq!(decoded.slack.as_deref(), Some("U0ADA12345"));
    assert_eq!(decoded.extra, json!({"tier": {"level": 2}}).as_object().cloned().unwrap());
    assert_eq!(serde_json::to_value(&decoded).unwrap()["externalId"], "u2");
    assert!(decode_err::<ContactInput>(json!({"email": 5})).contains("invalid type"));
    assert_eq!(decode::<ContactInput>(json!({"email": null})), ContactInput::default());
}

#[test]
fn contact_input_never_encodes_a_key_twice() {
    // `field` with a standard name sets the standard field.
    let input = ContactInput::email("tg@example.com").field("telegram", "123456").field("external_id", "u9");
    assert_eq!(input.telegram.as_deref(), Some("123456"));
    assert_eq!(input.external_id.as_deref(), Some("u9"));
    assert!(input.extra.is_empty());
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"email":"tg@example.com","externalId":"u9","telegram":"123456"}"#
    );
    // A non-string value for a standard name stays in `extra` (the server decides).
    let input = ContactInput::email("a@example.com").field("phone", Value::Null);
    assert_eq!(serde_json::to_value(&input).unwrap(), json!({"email": "a@example.com", "phone": null}));
    // Keys put into `extra` directly never duplicate a set standard field.
    let mut input = ContactInput::email("a@example.com");
    input.extra.insert("email".into(), json!("b@example.com"));
    input.extra.insert("external_id".into(), json!("x"));
    input.extra.insert("plan".into(), json!("pro"));
    assert_eq!(serde_json::to_string(&input).unwrap(), r#"{"email":"a@example.com","external_id":"x","plan":"pro"}"#);
}

#[test]
fn contact_input_validation() {
    let ok = ContactInput::email("ada@example.com").field("tier", "gold").validated().unwrap();
    assert_eq!(ok.email.as_deref(), Some("ada@example.com"));
    assert_eq!(ok.extra["tier"], "gold");
    assert_eq!(ContactInput::phone("+14155552671").validated().unwrap().phone.as_deref(), Some("+14155552671"));
    assert!(ContactInput::external_id("42").validated().is_ok());

    assert_eq!(ContactInput::email("not-an-email@").validated().unwrap_err().code(), "INVALID_EMAIL");
    assert_eq!(ContactInput::phone("0701234567").validated().unwrap_err().code(), "INVALID_PHONE");
    // The reference: at least one of email, phone, externalId.
    for input in [
        ContactInput::default(),
        ContactInput::external_id("   "),
        ContactInput { slack: Some("U0ADA12345".into()), ..ContactInput::default() },
    ] {
        assert!(!input.has_identifier());
        assert_eq!(input.validated().unwrap_err().code(), "VALIDATION_ERROR", "{input:?}");
    }
    // A partial update needs no identifier, but what it sets must be valid.
    assert!(ContactInput::default().name("Ada").validated_fields().is_ok());
    assert_eq!(
        ContactInput::default().field("phone", "0701234567").validated_fields().unwrap_err().code(),
        "INVALID_PHONE"
    );
}

// ---------------------------------------------------------------- send response

#[test]
fn send_response_decodes_channel_map_entries() {
    // From text: an entry's channels keep the order they were sent in.
    let body = r#"{"success": true, "deliveries": [{"email": "a"}, {"sms": "b", "fax": "c"}], "unknown": 1}"#;
    let r: SendResponse = serde_json::from_str(body).unwrap();
    let refs: Vec<(&str, &str)> = r.deliveries.iter().map(|d| (d.channel.as_str(), d.uuid.as_str())).collect();
    assert_eq!(refs, [("email", "a"), ("sms", "b"), ("fax", "c")]);
    assert_eq!(r.deliveries[2].channel, Channel::Other("fax".into()));
    assert_eq!(r.deliveries_on(&Channel::Sms).collect::<Vec<_>>(), ["b"]);
    assert!(r.errors.is_empty());
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(
        back,
        json!({"success": true, "errors": [], "deliveries": [
            {"channel": "email", "uuid": "a"}, {"channel": "sms", "uuid": "b"}, {"channel": "fax", "uuid": "c"}]})
    );
    assert_eq!(r.to_wire(), json!({"success": true, "deliveries": [{"email": "a"}, {"sms": "b"}, {"fax": "c"}]}));
    assert_round_trip(&r);
}

#[test]
fn send_response_leniency_and_strictness() {
    let r: SendResponse = decode(json!({"success": true, "deliveries": [{"email": null, "sms": "b"}, {}]}));
    assert_eq!(r.deliveries, [DeliveryRef { channel: Channel::Sms, uuid: "b".into() }]);
    let r: SendResponse = decode(json!({"success": true, "deliveries": null, "errors": null}));
    assert!(r.deliveries.is_empty() && r.errors.is_empty());
    let r: SendResponse = decode(json!({"success": true}));
    assert!(r.deliveries.is_empty());

    assert!(decode_err::<SendResponse>(json!({"deliveries": []})).contains("missing field `success`"));
    assert!(decode_err::<SendResponse>(json!({"success": "yes"})).contains("invalid type"));
    assert!(
        decode_err::<SendResponse>(json!({"success": true, "deliveries": {"email": "a"}})).contains("invalid type")
    );
    assert!(decode_err::<SendResponse>(json!({"success": true, "deliveries": ["a"]})).contains("invalid type"));
    assert!(
        decode_err::<SendResponse>(json!({"success": true, "deliveries": [{"email": 5}]})).contains("invalid type")
    );
}

#[test]
fn failed_send_keeps_every_error_and_unknown_codes() {
    let r: SendResponse = decode(json!({
        "success": false,
        "deliveries": [],
        "errors": [
            {"code": "INTEGRATION_MISSING", "message": "No email integration configured"},
            {"code": "MISSING_IDENTIFIER", "message": "Contact has no phone", "channel": "sms"},
            {"code": "CARRIER_BLOCKED", "message": null}
        ]
    }));
    assert!(!r.success);
    let codes: Vec<&ApiCode> = r.errors.iter().map(|e| &e.code).collect();
    assert_eq!(
        codes,
        [&ApiCode::IntegrationMissing, &ApiCode::MissingIdentifier, &ApiCode::Other("CARRIER_BLOCKED".into())]
    );
    assert_eq!(r.errors[2].message, "");
    assert_eq!(serde_json::to_value(&r).unwrap()["errors"][2], json!({"code": "CARRIER_BLOCKED", "message": ""}));
    assert_round_trip(&r);
    assert!(decode_err::<SendError>(json!({"message": "x"})).contains("missing field `code`"));
}

// ---------------------------------------------------------------- contacts

fn reference_contact() -> Value {
    json!({
        "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "email": "ada@example.com",
        "phone": "+46701234567",
        "name": "Ada Lovelace",
        "externalId": "user_1",
        "slack": "U0ADA12345",
        "meta": {"tier": "premium"},
        "pushTokens": ["ExponentPushToken[ada-device-1]"],
        "createdAt": "2026-03-30T12:00:00Z",
        "score": 99
    })
}

#[test]
fn contact_decodes_both_spellings_and_encodes_snake_case() {
    let contact: Contact = decode(reference_contact());
    assert_eq!(contact.external_id.as_deref(), Some("user_1"));
    assert_eq!(contact.push_tokens, ["ExponentPushToken[ada-device-1]"]);
    assert_eq!(contact.created_at.as_deref(), Some("2026-03-30T12:00:00Z"));
    assert_eq!(contact.updated_at, None);
    assert_eq!(contact.meta["tier"], "premium");
    let encoded = serde_json::to_value(&contact).unwrap();
    assert_eq!(encoded["external_id"], "user_1");
    assert_eq!(encoded["push_tokens"], json!(["ExponentPushToken[ada-device-1]"]));
    assert!(encoded.get("externalId").is_none() && encoded.get("score").is_none());
    assert_round_trip(&contact);

    // Both spellings at once: snake_case wins, no duplicate-field failure.
    let both: Contact = decode(json!({"uuid": "u", "external_id": "snake", "externalId": "camel"}));
    assert_eq!(both.external_id.as_deref(), Some("snake"));
}

#[test]
fn contact_nulls_and_empty_meta() {
    for meta in [json!(null), json!([]), json!({})] {
        let c: Contact = decode(json!({"uuid": "u", "meta": meta, "email": null, "push_tokens": null}));
        assert!(c.meta.is_empty() && c.push_tokens.is_empty() && c.email.is_none());
    }
    assert!(decode_err::<Contact>(json!({"uuid": "u", "meta": ["x"]})).contains("invalid type"));
    assert!(decode_err::<Contact>(json!({"uuid": "u", "meta": "x"})).contains("invalid type"));
    assert!(decode_err::<Contact>(json!({"email": "a@example.com"})).contains("missing field `uuid`"));
    assert!(decode_err::<Contact>(json!({"uuid": null})).contains("invalid type"));
    assert!(decode_err::<Contact>(json!({"uuid": "u", "name": 5})).contains("invalid type"));
    assert!(decode_err::<Contact>(json!({"uuid": "u", "push_tokens": "t"})).contains("invalid type"));
}

#[test]
fn contact_envelopes() {
    let one: Envelope<ContactData> = decode(json!({"success": true, "data": {"contact": reference_contact()}}));
    assert!(one.success);
    assert_eq!(one.data.contact.name.as_deref(), Some("Ada Lovelace"));
    assert_round_trip(&one);

    let page: Envelope<ContactList> = decode(json!({
        "success": true,
        "data": {
            "contacts": [{"uuid": "c1", "email": "a@example.com", "name": "A", "meta": {}}, {"uuid": "c2"}],
            "total": 150,
            "limit": 50,
            "offset": 0,
            "has_more": true
        }
    }));
    assert_eq!((page.data.total, page.data.limit, page.data.offset), (150, 50, 0));
    assert_eq!(page.data.items().len(), 2);
    assert_eq!(Page::total(&page.data), 150);
    assert_round_trip(&page);

    let empty: Envelope<ContactList> = decode(json!({"data": {"contacts": null, "total": null}}));
    assert!(empty.success);
    assert_eq!(empty.data, ContactList::default());
    assert!(decode_err::<Envelope<ContactList>>(json!({"data": {"total": "many"}})).contains("invalid type"));
    assert!(decode_err::<Envelope<ContactList>>(json!({"data": {"total": -1}})).contains("invalid value"));
    assert!(decode_err::<Envelope<ContactList>>(json!({"success": true})).contains("missing field `data`"));
}

#[test]
fn contact_list_params_and_push_tokens() {
    let params = ContactListParams { limit: Some(100), offset: None, search: Some("ada".into()) };
    assert_eq!(serde_json::to_value(&params).unwrap(), json!({"limit": 100, "search": "ada"}));
    assert!(params.validated().is_ok());
    for limit in [0, 101] {
        let params = ContactListParams { limit: Some(limit), ..ContactListParams::default() };
        assert_eq!(params.validated().unwrap_err().code(), "VALIDATION_ERROR");
    }
    let token = PushToken { token: "ExponentPushToken[abc]".into() };
    assert_eq!(serde_json::to_value(&token).unwrap(), json!({"token": "ExponentPushToken[abc]"}));
    assert_round_trip(&token);
}

// ---------------------------------------------------------------- events

#[test]
fn events_list_and_detail_with_templates() {
    let list: Envelope<EventList> = decode(json!({
        "success": true,
        "data": {"events": [
            {"identifier": "user.welcome", "name": "User Welcome", "channels": ["email", "slack", "carrier_pigeon"]}
        ]}
    }));
    let event = &list.data.events[0];
    assert_eq!(event.channels, [Channel::Email, Channel::Slack, Channel::Other("carrier_pigeon".into())]);
    assert!(event.templates.is_empty() && event.channel_settings.is_empty());
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        json!({"identifier": "user.welcome", "name": "User Welcome", "channels": ["email", "slack", "carrier_pigeon"]})
    );
    assert_round_trip(&list);

    let detail: Envelope<EventData> = decode(json!({
        "success": true,
        "data": {"event": {
            "identifier": "user.welcome",
            "name": "User Welcome",
            "description": null,
            "channels": ["email", {"channel": "sms", "sender": "ACME", "enabled": false}],
            "templates": [
                {"channel": "email", "language": "en", "subject": "Hi {{contact.name | there}}", "body": "Welcome", "uuid": "t1"},
                {"channel": "sms", "body": "Welcome"}
            ]
        }}
    }));
    let event = &detail.data.event;
    assert_eq!(event.channels, [Channel::Email, Channel::Sms]);
    assert_eq!(event.channel_settings["sms"], json!({"channel": "sms", "sender": "ACME", "enabled": false}));
    assert_eq!(event.templates[0].extra["uuid"], "t1");
    assert_eq!(event.templates[1].language, None);
    assert_round_trip(&detail);

    assert!(decode_err::<Event>(json!({"identifier": "x", "channels": [{"sender": "ACME"}]})).contains("channel"));
    assert!(decode_err::<Event>(json!({"identifier": "x", "channels": [5]})).contains("invalid type"));
    assert!(decode_err::<Event>(json!({"identifier": "x", "templates": [{"body": "b"}]})).contains("channel"));
    assert!(decode_err::<Event>(json!({"name": "x"})).contains("missing field `identifier`"));
    let nulls: Event = decode(json!({"identifier": "x", "channels": null, "templates": null}));
    assert!(nulls.channels.is_empty() && nulls.templates.is_empty());
}

// ---------------------------------------------------------------- deliveries

#[test]
fn deliveries_list_filters_and_unknown_statuses() {
    let page: Envelope<DeliveryList> = decode(json!({
        "success": true,
        "data": {
            "deliveries": [
                {"uuid": "d1", "channel": "email", "status": "sent", "event": "order.confirmed", "cost": 0.01},
                {"uuid": "d2", "channel": "rcs", "status": "throttled", "event_name": "otp.requested", "error": null}
            ],
            "total": 42,
            "limit": 20,
            "offset": 0
        }
    }));
    let [d1, d2] = &page.data.deliveries[..] else { panic!() };
    assert_eq!(d1.event_name.as_deref(), Some("order.confirmed"));
    assert_eq!(d2.channel, Channel::Other("rcs".into()));
    assert_eq!(d2.status, DeliveryStatus::Other("throttled".into()));
    let encoded = serde_json::to_value(d1).unwrap();
    assert_eq!(encoded["event_name"], "order.confirmed");
    assert!(encoded.get("event").is_none() && encoded.get("cost").is_none());
    assert_round_trip(&page);

    let both: Delivery =
        decode(json!({"uuid": "d", "channel": "sms", "status": "failed", "event_name": "a", "event": "b"}));
    assert_eq!(both.event_name.as_deref(), Some("a"));
    assert!(decode_err::<Delivery>(json!({"uuid": "d", "channel": "sms"})).contains("missing field `status`"));

    let params = DeliveryListParams {
        limit: Some(20),
        event: Some("order.confirmed".into()),
        channel: Some(Channel::Email),
        status: Some(DeliveryStatus::Failed),
        ..DeliveryListParams::default()
    };
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({"limit": 20, "event": "order.confirmed", "channel": "email", "status": "failed"})
    );
    assert!(params.validated().is_ok());
    let too_many = DeliveryListParams { limit: Some(500), ..DeliveryListParams::default() };
    assert_eq!(too_many.validated().unwrap_err().code(), "VALIDATION_ERROR");
}

#[test]
fn delivery_trace_with_timeline_and_content_snapshot() {
    let trace: Envelope<DeliveryTrace> = decode(json!({
        "success": true,
        "data": {
            "delivery": {"uuid": "d4e5f6a7", "channel": "email", "status": "sent", "recipient": "ada@example.com"},
            "timeline": [
                {"event": "queued", "timestamp": "2026-03-30T12:00:00Z"},
                {"event": "sent", "timestamp": "2026-03-30T12:00:01Z", "detail": "ses accepted"},
                {"event": "opened", "timestamp": "2026-03-30T12:05:00Z", "ip": "203.0.113.7"}
            ],
            "content": {"subject": "Welcome", "body": "Hi Ada"}
        }
    }));
    let data = &trace.data;
    assert_eq!(data.delivery.recipient.as_deref(), Some("ada@example.com"));
    let events: Vec<&str> = data.timeline.iter().map(|t| t.event.as_str()).collect();
    assert_eq!(events, ["queued", "sent", "opened"]);
    assert_eq!(data.timeline[1].detail.as_deref(), Some("ses accepted"));
    assert_eq!(data.timeline[2].event, DeliveryStatus::Other("opened".into()));
    assert_eq!(data.content, Some(json!({"subject": "Welcome", "body": "Hi Ada"})));
    assert_round_trip(&trace);

    let snapshot: DeliveryTrace = decode(json!({
        "delivery": {"uuid": "d", "channel": "sms", "status": "delivered"},
        "content_snapshot": {"body": "Your code is 1234"}
    }));
    assert_eq!(snapshot.content, Some(json!({"body": "Your code is 1234"})));
    assert!(snapshot.timeline.is_empty());
    assert!(
        decode_err::<DeliveryTrace>(
            json!({"delivery": {"uuid": "d", "channel": "sms", "status": "sent"}, "timeline": [{"event": "sent"}]})
        )
        .contains("missing field `timestamp`")
    );
}

// ---------------------------------------------------------------- integrations

#[test]
fn integrations_decode_without_secrets() {
    let list: Envelope<IntegrationList> = decode(json!({
        "success": true,
        "data": {"integrations": [
            {"channel": "email", "provider": "ses", "status": "active", "config": {"region": "eu-north-1"}},
            {"channel": "rcs", "provider": "acme", "status": null}
        ]}
    }));
    assert_eq!(
        list.data.integrations[0],
        Integration { channel: Channel::Email, provider: "ses".into(), status: "active".into() }
    );
    assert_eq!(list.data.integrations[1].channel, Channel::Other("rcs".into()));
    assert_eq!(list.data.integrations[1].status, "");
    assert_round_trip(&list);
    assert!(decode_err::<Integration>(json!({"channel": "email"})).contains("missing field `provider`"));
}

// ---------------------------------------------------------------- webhooks

#[test]
fn webhook_config_create_get_update_delete() {
    let create = CreateWebhook::new(
        "https://yourapp.com/webhooks/sendivent",
        [WebhookEventType::DeliverySent, WebhookEventType::DeliveryFailed],
    )
    .description("Production webhook");
    assert_eq!(
        serde_json::to_value(&create).unwrap(),
        json!({
            "url": "https://yourapp.com/webhooks/sendivent",
            "enabled_events": ["delivery.sent", "delivery.failed"],
            "description": "Production webhook"
        })
    );
    assert_round_trip(&create);

    let update = UpdateWebhook { is_active: Some(false), ..UpdateWebhook::default() };
    assert_eq!(serde_json::to_value(&update).unwrap(), json!({"is_active": false}));
    let update = UpdateWebhook {
        url: Some("https://new.example/hook".into()),
        enabled_events: Some(vec![WebhookEventType::Other("delivery.opened".into())]),
        is_active: None,
    };
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"url": "https://new.example/hook", "enabled_events": ["delivery.opened"]})
    );

    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let created: Envelope<WebhookData> = decode(json!({
        "success": true,
        "data": {"webhook": {
            "uuid": "w1",
            "url": "https://yourapp.com/webhooks/sendivent",
            "enabled_events": ["delivery.sent", "delivery.opened"],
            "description": "Production webhook",
            "signing_secret": secret,
            "created_at": "2026-03-30T12:00:00Z",
            "failure_count": 0
        }}
    }));
    let config = &created.data.webhook;
    assert!(config.is_active);
    assert_eq!(config.enabled_events[1], WebhookEventType::Other("delivery.opened".into()));
    assert_eq!(config.signing_secret.as_deref(), Some(secret));
    let debug = format!("{config:?}");
    assert!(!debug.contains("MfKQ9r8G") && debug.contains("whsec_…LaSw"), "{debug}");
    assert_round_trip(&created);

    let bare: WebhookConfig =
        decode(json!({"uuid": "w1", "url": "https://x.example", "is_active": null, "enabled_events": null}));
    assert!(bare.is_active && bare.enabled_events.is_empty() && bare.signing_secret.is_none());
    assert!(serde_json::to_value(&bare).unwrap().get("signing_secret").is_none());
    let paused: WebhookConfig = decode(json!({"uuid": "w1", "url": "https://x.example", "is_active": false}));
    assert!(!paused.is_active);
    assert!(
        decode_err::<WebhookConfig>(json!({"uuid": "w1", "url": "u", "is_active": "yes"})).contains("invalid type")
    );

    let deleted: Deleted = decode(json!({"success": true, "deleted": true}));
    assert_eq!(deleted, Deleted { success: true, deleted: true });
    assert_eq!(decode::<Deleted>(json!({})), Deleted { success: true, deleted: true });
    assert_eq!(decode::<Deleted>(json!({"deleted": false})), Deleted { success: true, deleted: false });
    assert_eq!(decode::<Acknowledged>(json!({"success": null})), Acknowledged { success: true });
    assert_eq!(decode::<Acknowledged>(json!({"success": false})), Acknowledged { success: false });
}

#[test]
fn webhook_event_body() {
    let reference = json!({
        "event": "delivery.sent",
        "delivery": {
            "uuid": "d4e5f6a7-b8c9-4d0e-a1f2-3b4c5d6e7f8a",
            "channel": "email",
            "status": "sent",
            "event_name": "order.confirmed",
            "message_id": "ses-message-id",
            "sent_at": "2026-03-30T12:00:00Z",
            "delivered_at": null,
            "error": null
        },
        "request_id": "req-uuid",
        "timestamp": "2026-03-30T12:00:00Z"
    });
    let event: WebhookEvent = decode(reference.clone());
    assert_eq!(event.event, WebhookEventType::DeliverySent);
    assert_eq!(event.delivery.channel, Channel::Email);
    assert_eq!(event.delivery.status, DeliveryStatus::Sent);
    assert_eq!(event.delivery.delivered_at, None);
    // Every field of the reference example is known: encoding gives the example back.
    assert_eq!(serde_json::to_value(&event).unwrap(), reference);

    let newer: WebhookEvent = decode(json!({
        "event": "delivery.opened",
        "delivery": {"uuid": "d", "channel": "rcs", "status": "opened", "opened_at": "2026-03-30T12:00:00Z"},
        "attempt": 2
    }));
    assert_eq!(newer.event, WebhookEventType::Other("delivery.opened".into()));
    assert_eq!(newer.delivery.status, DeliveryStatus::Other("opened".into()));
    assert_eq!(newer.request_id, None);
    assert!(decode_err::<WebhookEvent>(json!({"event": "delivery.sent"})).contains("missing field `delivery`"));
}

// ---------------------------------------------------------------- errors and metadata

#[test]
fn error_body() {
    let body: ErrorBody = decode(json!({"error": "Event 'order.shipped' not found", "code": "EVENT_NOT_FOUND"}));
    assert_eq!(body.code, Some(ApiCode::EventNotFound));
    assert_eq!(body.code.as_ref().and_then(ApiCode::error_code), Some(crate::ErrorCode::EventNotFound));
    assert_round_trip(&body);

    let unknown: ErrorBody = decode(json!({"error": "slow down", "code": "TOO_CHATTY", "retry_in": 3}));
    assert_eq!(unknown.code, Some(ApiCode::Other("TOO_CHATTY".into())));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!({"error": "slow down", "code": "TOO_CHATTY"}));
    let bare: ErrorBody = decode(json!({"error": null, "code": null}));
    assert_eq!(bare, ErrorBody { error: String::new(), code: None });
    assert_eq!(serde_json::to_value(&bare).unwrap(), json!({"error": ""}));
    assert!(decode_err::<ErrorBody>(json!({"error": "x", "code": 404})).contains("invalid type"));
}

#[test]
fn response_meta_from_headers() {
    let meta = ResponseMeta::from_headers(
        200,
        [
            ("X-Request-Id".to_owned(), " req-1 ".to_owned()),
            ("X-Idempotent-Replay".to_owned(), "TRUE".to_owned()),
            ("X-RateLimit-Remaining".to_owned(), "9".to_owned()),
        ],
    );
    assert_eq!(meta.request_id.as_deref(), Some("req-1"));
    assert!(meta.idempotent_replay);
    assert_eq!(meta.rate_limit, Some(RateLimit { limit: None, remaining: Some(9), reset: None }));
    assert_eq!(meta.header("x-ratelimit-remaining"), Some("9"));
    let plain = ResponseMeta::from_headers(204, Vec::new());
    assert!(!plain.idempotent_replay && plain.rate_limit.is_none() && plain.request_id.is_none());
}
