//! `api/openapi.json`: the API as OpenAPI 3.1, from the same description as the bindings.
//!
//! Schemas are the wire forms the SDK accepts (the deserialize side of the core's models), so a
//! body the API or the mock sends that the SDK would refuse does not validate. Examples are the
//! API reference's own (`api/reference-examples.json`).

use serde_json::{Map, Value, json};

use crate::Output;
use crate::ir::{Ir, clean_doc};

const REF_PREFIX: &str = "#/components/schemas/";

/// Rewrites schemars' `#/$defs/X` references to OpenAPI components, and cleans descriptions.
fn rewrite(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(name) = reference.strip_prefix("#/$defs/")
            {
                *reference = format!("{REF_PREFIX}{name}");
            }
            if let Some(Value::String(doc)) = map.get_mut("description") {
                *doc = clean_doc(doc);
            }
            // Our own marker for the generators; OpenAPI tools need only `anyOf`.
            map.remove("x-open-enum");
            map.values_mut().for_each(rewrite);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("{REF_PREFIX}{name}")})
}

/// The schema of an operation's 2xx body, as the API wraps the model.
fn answer_schema(ir: &Ir, op: &Value) -> Value {
    let response = op["response"].as_str().unwrap_or_default();
    match op["envelope"].as_str() {
        Some("bare") => reference(response),
        _ => ir.raw["wire_envelopes"][response].clone(),
    }
}

fn examples(ir_examples: &[Value], op: &str, part: &str) -> Option<Value> {
    let found: Map<String, Value> = ir_examples
        .iter()
        .filter(|e| e["operation"] == op && e["part"] == part)
        .map(|e| {
            let name = e["name"].as_str().unwrap_or("example").to_owned();
            let mut example = json!({"summary": name, "value": e["body"]});
            if let Some(adapted) = e["adapted"].as_str() {
                example["description"] = json!(format!("From the API reference; adapted: {adapted}."));
            } else {
                example["description"] = json!("From the API reference.");
            }
            (name, example)
        })
        .collect();
    (!found.is_empty()).then_some(Value::Object(found))
}

fn operation(ir: &Ir, op: &Value, with_optional: bool, reference_examples: &[Value]) -> Result<Value, String> {
    let name = op["name"].as_str().ok_or("an operation without a name")?;
    let mut parameters = Vec::new();
    for param in op["path_params"].as_array().into_iter().flatten() {
        if param["optional"] == true && !with_optional {
            continue;
        }
        let schema = if param["type"] == "channel" { reference("Channel") } else { json!({"type": "string"}) };
        parameters.push(json!({
            "name": param["name"], "in": "path", "required": true,
            "description": param["doc"], "schema": schema,
        }));
    }
    if let Some(query) = op["query"].as_str() {
        let model = &ir.raw["wire_models"][query];
        for (field, schema) in model["properties"].as_object().into_iter().flatten() {
            let mut schema = schema.clone();
            let description = schema.as_object_mut().and_then(|s| s.remove("description")).unwrap_or(json!(""));
            parameters.push(json!({
                "name": field, "in": "query", "required": false, "description": description, "schema": schema,
            }));
        }
    }
    let mut description = op["doc"].as_str().unwrap_or_default().to_owned();
    let retry = op["retry"].as_str().unwrap_or_default();
    let retry_text = match retry {
        "safe" => "Retried by the SDKs: a read.",
        "idempotency_key" => {
            "Retried by the SDKs with the same `X-Idempotency-Key`, which the API honours: a repeat is answered from its store."
        }
        "idempotent" => "Retried by the SDKs: repeating it has the effect of doing it once.",
        "delete" => "Retried by the SDKs; a 404 on a repeat after a lost answer means the first attempt deleted it.",
        "create_or_read" => {
            "Retried by the SDKs; a 409 on a repeat after a lost answer is resolved by reading the resource back."
        }
        _ => "",
    };
    if !retry_text.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(retry_text);
    }
    let operation_id =
        if with_optional { format!("{}_on_channel", name.replace('.', "_")) } else { name.replace('.', "_") };
    let mut success = json!({
        "description": op["summary"],
        "content": {"application/json": {"schema": answer_schema(ir, op)}},
    });
    if let Some(found) = examples(reference_examples, name, "response") {
        success["content"]["application/json"]["examples"] = found;
    }
    let error_schema = if name == "send" {
        json!({"anyOf": [reference("SendResponse"), reference("ErrorBody")]})
    } else {
        reference("ErrorBody")
    };
    let mut failure = json!({
        "description": "An error: `{error, code}`, or for a send `{success: false, deliveries: [], errors}` (docs/contract.md §1 \"Errors\").",
        "content": {"application/json": {"schema": error_schema}},
    });
    if let Some(found) = examples(reference_examples, name, "error") {
        failure["content"]["application/json"]["examples"] = found;
    }
    let status = match op["http_method"].as_str() {
        Some("POST") if name != "send" => "201",
        _ => "200",
    };
    let mut value = json!({
        "operationId": operation_id,
        "summary": op["summary"],
        "description": description,
        "tags": [op["resource"].as_str().unwrap_or("send")],
        "parameters": parameters,
        "responses": {status: success, "default": failure},
        "x-sendivent-retry": retry,
    });
    if status == "201" {
        // Some answers of a create come back 200 (the mock answers push tokens 201, webhooks 201).
        value["responses"]["200"] = value["responses"]["201"].clone();
    }
    if let Some(body) = op["body"].as_str() {
        let mut content = json!({"schema": reference(body)});
        if let Some(found) = examples(reference_examples, name, "request") {
            content["examples"] = found;
        }
        value["requestBody"] = json!({"required": true, "content": {"application/json": content}});
    }
    Ok(value)
}

pub fn render(ir: &Ir) -> Result<Vec<Output>, String> {
    let examples_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api/reference-examples.json");
    let examples_text =
        std::fs::read_to_string(&examples_path).map_err(|e| format!("cannot read {}: {e}", examples_path.display()))?;
    let examples_doc: Value = serde_json::from_str(&examples_text).map_err(|e| format!("reference-examples: {e}"))?;
    let reference_examples = examples_doc["examples"].as_array().cloned().unwrap_or_default();

    let mut paths = Map::new();
    for op in ir.operations() {
        let path = op["path"].as_str().ok_or("an operation without a path")?;
        let method = op["http_method"].as_str().unwrap_or("GET").to_ascii_lowercase();
        let optional = op["path_params"].as_array().into_iter().flatten().any(|p| p["optional"] == true);
        let mut variants = vec![(path.to_owned(), false)];
        if optional {
            // The optional last segment: one path without it, one with it.
            let short = path.rsplit_once('/').map(|(head, _)| head.to_owned()).unwrap_or_default();
            variants = vec![(short, false), (path.to_owned(), true)];
        }
        for (path, with_optional) in variants {
            let item = paths.entry(path).or_insert_with(|| json!({}));
            item[method.as_str()] = operation(ir, op, with_optional, &reference_examples)?;
        }
    }
    let mut schemas = ir.raw["wire_models"].clone();
    rewrite(&mut schemas);
    let mut webhook_event = reference("WebhookEvent");
    if let Some(found) = examples(&reference_examples, "webhook_event", "webhook") {
        webhook_event = json!({"content": {"application/json": {"schema": webhook_event, "examples": found}}});
    }
    let constants = &ir.raw["constants"];
    let tags: Vec<Value> = ir.raw["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| json!({"name": r["name"], "description": r["doc"]}))
        .chain(std::iter::once(json!({"name": "send", "description": "Sending events to recipients."})))
        .collect();
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Sendivent API",
            "version": ir.version(),
            "description": "The Sendivent multi-channel notification API (email, SMS, Slack, push, Telegram, WhatsApp, Discord), as the Sendivent SDKs understand it: generated from the SDK core's description (tools/codegen), restating docs/contract.md §1. `x-sendivent-retry` names each operation's retry policy (docs/contract.md §2 \"Retries\").",
            "x-generated": crate::header("").trim(),
        },
        "servers": [
            {"url": constants["production_url"], "description": "Production (`live_` keys)"},
            {"url": constants["sandbox_url"], "description": "Sandbox (`test_` keys)"},
        ],
        "security": [{"bearer": []}],
        "tags": tags,
        "paths": paths,
        "webhooks": {
            "delivery": {
                "post": {
                    "summary": "A delivery's status changed (signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).",
                    "requestBody": if webhook_event.get("content").is_some() { webhook_event } else { json!({"content": {"application/json": {"schema": webhook_event}}}) },
                    "responses": {"2XX": {"description": "Received. Any other status makes Sendivent retry."}},
                }
            }
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API key: `live_…` (production) or `test_…` (sandbox)."}},
            "schemas": schemas,
        },
    });
    rewrite(&mut doc["paths"]);
    let mut contents = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    contents.push('\n');
    Ok(vec![Output { path: "api/openapi.json", contents }])
}
