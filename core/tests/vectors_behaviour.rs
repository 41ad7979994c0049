//! Runs `tests/vectors/behaviour.json` through the Rust public API: error mapping, option bounds,
//! headers, redaction and path parameters. Every binding runs the same file through its own layer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use sendivent::client::{Client, ClientOptions, RequestOptions};
use sendivent::models::WebhookConfig;
use sendivent::webhook::VerifyOptions;
use sendivent::{Error, ErrorClass};
use serde_json::{Value, json};

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/behaviour.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn offline_client(extra: &Value) -> sendivent::Result<Client> {
    let mut options =
        json!({"api_key": "test_behaviour_0123456789", "base_url": "http://127.0.0.1:9", "max_retries": 0});
    for (k, v) in extra.as_object().into_iter().flatten() {
        options[k] = v.clone();
    }
    Client::new(ClientOptions::from_value(&options, "rust")?)
}

fn error_mapping(input: &Value) -> Result<Value, String> {
    let err = match input["origin"].as_str() {
        Some("answer") => {
            let headers: Vec<(String, String)> = input["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned()))
                .collect();
            let status = input["status"].as_u64().ok_or("status")? as u16;
            Error::from_answer(status, headers, input["body"].as_str().unwrap_or("").as_bytes(), input["send"] == true)
        }
        Some("sdk") => Error::from_code(input["code"].as_str().ok_or("code")?, input["message"].as_str().unwrap_or(""))
            .ok_or("not an SDK code")?,
        other => return Err(format!("unknown origin {other:?}")),
    };
    let mut classes = Vec::new();
    let mut class: Option<ErrorClass> = Some(err.class());
    while let Some(c) = class {
        classes.push(c.name());
        class = c.parent();
    }
    let details = err.details();
    Ok(json!({
        "code": err.code(),
        "class": err.class().name(),
        "classes": classes,
        "status": err.status(),
        "retryable": err.is_retryable(),
        "message": err.message(),
        "retry_after": details.retry_after,
        "errors": details.errors,
        "reason": details.reason,
    }))
}

fn option_bounds(input: &Value) -> sendivent::Result<()> {
    let option = input["option"].as_str().unwrap_or_default();
    let value = &input["value"];
    match input["scope"].as_str() {
        Some("client") => offline_client(&json!({ option: value })).map(|_| ()),
        Some("request") => RequestOptions::from_value(&json!({ option: value })).map(|_| ()),
        Some("verify") => VerifyOptions::default().tolerance_seconds(value.as_f64().unwrap_or(f64::NAN)).map(|_| ()),
        Some("send_many") => {
            let client = offline_client(&json!({}))?;
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(client.send_many_json(&json!([]), value.as_f64())).map(|_| ())
        }
        other => panic!("unknown scope {other:?}"),
    }
}

/// The headers as default headers, or as one call's extra headers (`RequestOptions::header`,
/// Rust's idiom); an accepted header reaches the closed port.
fn header_options(rt: &tokio::runtime::Runtime, input: &Value) -> sendivent::Result<()> {
    let headers = input["headers"].as_array().unwrap();
    match input["scope"].as_str() {
        Some("client") => offline_client(&json!({"default_headers": headers})).map(|_| ()),
        Some("request") => {
            let options = headers.iter().fold(RequestOptions::default(), |options, pair| {
                options.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap())
            });
            let client = offline_client(&json!({}))?.with_options(options);
            match rt.block_on(client.call("events.list", &json!({}))) {
                Err(e) if e.code() == "CONNECTION_ERROR" => Ok(()),
                other => other.map(|_| ()),
            }
        }
        other => panic!("unknown scope {other:?}"),
    }
}

fn redaction(input: &Value) -> String {
    let secret = input["secret"].as_str().unwrap();
    match input["kind"].as_str() {
        Some("api_key") => {
            let client = offline_client(&json!({"api_key": secret})).unwrap();
            format!("{client:?} {client:#?}")
        }
        Some("webhook_secret") => {
            let config: WebhookConfig = serde_json::from_value(
                json!({"uuid": "w", "url": "https://x.example", "enabled_events": [], "signing_secret": secret}),
            )
            .unwrap();
            format!("{config:?} {config:#?}")
        }
        other => panic!("unknown kind {other:?}"),
    }
}

#[test]
fn behaviour_vectors() {
    let doc = vectors();
    assert_eq!(doc["function"], "behaviour");
    let cases = doc["cases"].as_array().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let expect = &case["expect"];
        let result: Result<(), String> = match case["check"].as_str() {
            Some("error_mapping") => error_mapping(input).and_then(|got| {
                let want = expect["ok"].as_object().ok_or("expect.ok")?;
                for (k, v) in want {
                    if &got[k] != v {
                        return Err(format!("{k}: got {}, expected {v}", got[k]));
                    }
                }
                Ok(())
            }),
            Some("option_bounds") => match (option_bounds(input), expect.get("error")) {
                (Ok(()), None) => Ok(()),
                (Err(e), Some(want)) if e.code() == want["code"] => Ok(()),
                (outcome, _) => Err(format!("got {outcome:?}, expected {expect}")),
            },
            Some("header_options") => match (header_options(&rt, input), expect.get("error")) {
                (Ok(()), None) => Ok(()),
                (Err(e), Some(want)) if e.code() == want["code"] => Ok(()),
                (outcome, _) => Err(format!("got {outcome:?}, expected {expect}")),
            },
            Some("redaction") => {
                let shown = redaction(input);
                let want = expect["ok"]["shown"].as_str().unwrap();
                let secret = input["secret"].as_str().unwrap();
                let hidden = &secret[secret.find('_').map_or(0, |i| i + 1)..];
                if !shown.contains(want) {
                    Err(format!("{shown} does not show {want}"))
                } else if hidden.len() >= 8 && shown.contains(hidden) {
                    Err(format!("{shown} shows the secret"))
                } else {
                    Ok(())
                }
            }
            Some("path_params") => {
                let client = offline_client(&json!({})).unwrap();
                let mut args = input["args"].clone();
                args["body"] = json!({"to": "ada@example.com"});
                if input["operation"] != "send" {
                    args.as_object_mut().unwrap().remove("body");
                }
                match rt.block_on(client.call(input["operation"].as_str().unwrap(), &args)) {
                    Err(e) if e.code() == expect["error"]["code"] => Ok(()),
                    other => Err(format!("got {other:?}")),
                }
            }
            other => panic!("unknown check {other:?}: every runner must know every check"),
        };
        if let Err(why) = result {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    println!("behaviour.json: {} cases passed", cases.len());
}
