//! The Rust step of `make demo`: the whole story against a running `sendivent-mock`.
//!
//! Reads `SENDIVENT_BASE_URL` and `SENDIVENT_API_KEY` (set by `examples/demo.sh`). Registers a
//! webhook pointing at a local receiver, sends notifications (one recipient, several with
//! personal data, one channel only, an idempotent retry), shows a delivery trace, then receives
//! the signed webhook callbacks, verifies each one, and shows a tampered one being rejected.

use std::time::{Duration, Instant};

use sendivent::client::{Client, RequestOptions};
use sendivent::models::{Channel, ContactInput, CreateWebhook, SendRequest, WebhookEventType};
use sendivent::validate::resolve_identifier;
use sendivent::webhook::{VerifyOptions, verify_event};
use sendivent_examples::receiver::Receiver;
use serde_json::json;

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("demo failed: {err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Rust ==");
    println!("-- recipients, resolved and validated by the core before anything is sent");
    for input in [
        "ada@example.com",
        " +46 70-123 45 67 ",
        "550E8400-E29B-41D4-A716-446655440000",
        "U024BE7LH",
        "#alerts",
        "user-1042",
        "0701234567",
        "ada@@example",
    ] {
        match resolve_identifier(input) {
            Ok(id) => println!("   {input:<42} -> {:?} {}", id.kind(), id.as_str()),
            Err(err) => println!("   {input:<42} -> rejected: {err}"),
        }
    }

    let client = Client::from_env()?;
    let receiver = Receiver::start().await?;

    // One webhook per application: replace whatever an earlier run left behind.
    if let Ok(existing) = client.webhooks().get().await {
        client.webhooks().delete(&existing.uuid).await?;
    }
    let webhook = client
        .webhooks()
        .create(
            &CreateWebhook::new(&receiver.url, WebhookEventType::KNOWN.iter().cloned())
                .description("make demo receiver"),
        )
        .await?;
    let secret = webhook.signing_secret.clone().ok_or("the webhook answer had no signing secret")?;
    println!("-- webhook {} -> {}", webhook.uuid, webhook.url);

    let single =
        client.send("user.welcome", SendRequest::to("ada@example.com").payload(json!({"plan": "pro"}))).await?;
    println!("-- single recipient: {} deliveries, request {}", single.deliveries.len(), request_id(single.meta()));

    let people = vec![
        ContactInput::email("grace@example.com").name("Grace").field("tier", "gold"),
        ContactInput::email("linus@example.com").name("Linus").field("tier", "free"),
    ];
    let many = client.send("order.confirmed", SendRequest::to(people).payload(json!({"order": 1042}))).await?;
    println!("-- two recipients with personal data: {} deliveries", many.deliveries.len());

    let sms = client.send_on("order.confirmed", Channel::Sms, SendRequest::to("+1 415 555 2671")).await?;
    println!("-- one channel only (sms): {:?}", sms.deliveries.iter().map(|d| d.channel.as_str()).collect::<Vec<_>>());

    let keyed =
        client.with_options(RequestOptions::default().idempotency_key(format!("demo-{}", uuid::Uuid::new_v4())));
    let first = keyed.send("user.welcome", SendRequest::to("ada@example.com")).await?;
    let again = keyed.send("user.welcome", SendRequest::to("ada@example.com")).await?;
    println!(
        "-- idempotent retry: replay={} same deliveries={}",
        again.meta().idempotent_replay,
        first.deliveries == again.deliveries
    );

    match client.send("order.shipped", SendRequest::to("ada@example.com")).await {
        Err(err) => println!("-- unknown event is an error value: {} ({})", err.code(), err.message()),
        Ok(_) => return Err("an unknown event was accepted".into()),
    }

    let expected = single.deliveries.len() + many.deliveries.len() + sms.deliveries.len() + first.deliveries.len();
    let deadline = Instant::now() + Duration::from_secs(10);
    // Each delivery reports at least `sent` and a final status.
    while receiver.received.lock().await.len() < expected * 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let uuid = &single.deliveries[0].uuid;
    let trace = client.deliveries().trace(uuid).await?;
    println!("-- trace of {uuid} ({}):", trace.delivery.channel);
    for step in &trace.timeline {
        println!("   {:<10} {}", step.event.as_str(), step.timestamp);
    }
    if let Some(content) = &trace.content {
        println!("   content: {content}");
    }

    let received = receiver.received.lock().await.clone();
    let mut verified = 0;
    for callback in &received {
        let event = verify_event(&callback.body, &callback.headers, &secret, &VerifyOptions::default())?;
        verified += 1;
        if verified <= 3 {
            println!("-- webhook verified: {} {} {}", event.event, event.delivery.channel, event.delivery.uuid);
        }
    }
    if let Some(callback) = received.first() {
        let mut tampered = callback.body.clone();
        tampered.extend_from_slice(b" ");
        let err = verify_event(&tampered, &callback.headers, &secret, &VerifyOptions::default())
            .err()
            .ok_or("a tampered webhook verified")?;
        println!("-- tampered webhook rejected: {}", err.code());
    }
    if verified == 0 {
        return Err("no webhook callbacks arrived".into());
    }

    client.webhooks().delete(&webhook.uuid).await?;
    println!(
        "== Rust summary: {} notifications sent ({} deliveries), {} signed webhooks received and verified",
        4, expected, verified
    );
    Ok(())
}

fn request_id(meta: &sendivent::models::ResponseMeta) -> &str {
    meta.request_id.as_deref().unwrap_or("-")
}
