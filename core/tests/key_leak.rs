//! Key-leak scan (docs/contract.md §2 "Errors"): every public object that holds an API key, a
//! webhook secret or an `Authorization` value, and every error the client produces with them,
//! formatted every way Rust has (`Debug`, pretty `Debug`, `Display`, the log hook's records,
//! `ErrorDetails` as JSON), must never show the secret.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};

use sendivent::client::{Client, ClientOptions, LogLevel, LogRecord, RequestOptions};
use sendivent::models::{SendRequest, WebhookConfig};
use sendivent::webhook::{Secret, Verifier};
use sendivent_mock::{MockConfig, MockServer};

const KEY_SECRET_PART: &str = "K3yS3cr3tPart0123456789";
const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn assert_clean(what: &str, text: &str) {
    for secret in [KEY_SECRET_PART, "MfKQ9r8GKYqrTwjUPD8ILPZIo2La", "Bearer "] {
        assert!(!text.contains(secret), "{what} shows a secret ({secret}):\n{text}");
    }
}

fn every_format<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_public_object_or_error_shows_a_secret() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let records: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&records);
    let options = ClientOptions {
        api_key: Some(format!("test_{KEY_SECRET_PART}")),
        base_url: Some(mock.url()),
        max_retries: Some(0),
        default_headers: vec![("Authorization-Extra".into(), format!("Bearer {KEY_SECRET_PART}"))],
        log_hook: Some(Arc::new(move |record: &LogRecord| sink.lock().unwrap().push(record.to_string()))),
        log_level: Some(LogLevel::Debug),
        ..ClientOptions::default()
    };
    every_format("ClientOptions", &options);
    let client = Client::new(options).unwrap();
    every_format("Client", &client);
    let request = RequestOptions::default().header("Authorization", format!("Bearer {KEY_SECRET_PART}"));
    every_format("RequestOptions", &request);
    let keyed = client.with_options(request);
    every_format("Client::with_options", &keyed);
    let blocking = tokio::task::spawn_blocking({
        let client = client.clone();
        move || sendivent::client::blocking::Client::from_async(client).map(|c| format!("{c:?} {c:#?}"))
    })
    .await
    .unwrap()
    .unwrap();
    assert_clean("blocking::Client", &blocking);

    // Errors: refused keys, an API error answered for this key, a failed send, a connection error.
    for key in
        [format!("sk_live_{KEY_SECRET_PART}"), format!("whsec_{KEY_SECRET_PART}"), format!("live{KEY_SECRET_PART}")]
    {
        let err = Client::new(ClientOptions { api_key: Some(key), ..ClientOptions::default() }).unwrap_err();
        every_format("a refused key's error", &err);
        assert_clean("a refused key's error", &err.to_string());
    }
    let revoked = Client::new(ClientOptions {
        api_key: Some(format!("test_revoked_{KEY_SECRET_PART}")),
        base_url: Some(mock.url()),
        max_retries: Some(0),
        ..ClientOptions::default()
    })
    .unwrap();
    let mut errors = vec![
        revoked.events().list().await.unwrap_err(),
        keyed.send("no.such.event", SendRequest::to("ada@example.com")).await.unwrap_err(),
        keyed.contacts().get("nobody@example.com").await.unwrap_err(),
    ];
    let closed = Client::new(ClientOptions {
        api_key: Some(format!("test_{KEY_SECRET_PART}")),
        base_url: Some("http://127.0.0.1:9".into()),
        max_retries: Some(0),
        ..ClientOptions::default()
    })
    .unwrap();
    errors.push(closed.events().list().await.unwrap_err());
    for err in &errors {
        every_format("an error", err);
        assert_clean("an error's Display", &err.to_string());
        assert_clean("an error's details", &serde_json::to_string(&err.details()).unwrap());
    }
    // A successful answer's metadata (it carries the response headers).
    let sent = keyed.send("user.welcome", SendRequest::to("ada@example.com")).await.unwrap();
    every_format("a response", &sent);

    // Webhook secrets.
    let verifier = Verifier::new(WEBHOOK_SECRET).unwrap();
    every_format("Verifier", &verifier);
    every_format("Secret", &Secret::parse(WEBHOOK_SECRET).unwrap());
    let config: WebhookConfig = serde_json::from_value(serde_json::json!({
        "uuid": "w", "url": "https://x.example", "enabled_events": ["delivery.sent"], "signing_secret": WEBHOOK_SECRET,
    }))
    .unwrap();
    every_format("WebhookConfig", &config);
    let err = Verifier::new(&format!("whsec_{KEY_SECRET_PART}!!")).unwrap_err();
    every_format("a refused secret's error", &err);
    assert_clean("a refused secret's error", &err.to_string());

    let records = records.lock().unwrap();
    assert!(!records.is_empty(), "the log hook received records");
    for record in records.iter() {
        assert_clean("a log record", record);
    }
}
