//! The API description as data (feature `schema`): what `make generate` renders every binding's
//! surface and `api/openapi.json` from.
//!
//! [`description`] gathers, from the one place each is written in this crate: the operations
//! ([`crate::api::OPERATIONS`]), every model as JSON Schema 2020-12 derived from its serde
//! attributes (`models` in the SDK's canonical form, `wire_models` in the form the API sends and
//! the SDK accepts), the error codes and classes ([`crate::error`]), the option bounds
//! ([`crate::api::bounds`]) and the policy constants.
//!
//! ```
//! let d = sendivent::describe::description();
//! assert_eq!(d["operations"][0]["name"], "send");
//! assert!(d["models"]["Contact"]["properties"]["external_id"].is_object());
//! assert_eq!(d["errors"]["codes"][0]["code"], "VALIDATION_ERROR");
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::api::{self, RetryPolicy, bounds};
use crate::client;
use crate::error::{ErrorCategory, ErrorClass, ErrorCode, ErrorDetails};
use crate::models::*;
use crate::validate::IdentifierKind;
use crate::webhook;

/// Registers every model with a schema generator: one line per type, the only list of them.
fn add_models(generator: &mut SchemaGenerator) {
    macro_rules! add {
        ($($ty:ty),* $(,)?) => { $(generator.subschema_for::<$ty>();)* };
    }
    add!(
        // Requests.
        SendRequest,
        ContactInput,
        ContactListParams,
        DeliveryListParams,
        IntegrationListParams,
        PushToken,
        CreateWebhook,
        UpdateWebhook,
        // Answers.
        SendResponse,
        Contact,
        ContactList,
        Deleted,
        Acknowledged,
        Event,
        EventList,
        Delivery,
        DeliveryList,
        DeliveryTrace,
        IntegrationList,
        WebhookConfig,
        // Received webhooks.
        WebhookEvent,
        webhook::Verified,
        // What every result and error carries.
        ResponseMeta,
        ErrorDetails,
        ErrorBody,
    );
}

/// The wire shapes of the answers, as the API wraps them (for `api/openapi.json`).
fn add_wire_envelopes(generator: &mut SchemaGenerator) -> Map<String, Value> {
    let mut envelopes = Map::new();
    macro_rules! wrap {
        ($($name:literal => $ty:ty),* $(,)?) => {
            $(envelopes.insert($name.to_owned(), generator.subschema_for::<$ty>().to_value());)*
        };
    }
    wrap!(
        "ContactList" => Envelope<ContactList>,
        "Contact" => Envelope<ContactData>,
        "EventList" => Envelope<EventList>,
        "Event" => Envelope<EventData>,
        "DeliveryList" => Envelope<DeliveryList>,
        "DeliveryTrace" => Envelope<DeliveryTrace>,
        "IntegrationList" => Envelope<IntegrationList>,
        "WebhookConfig" => Envelope<WebhookData>,
    );
    envelopes
}

fn schemas(contract_serialize: bool, wire: bool) -> (Map<String, Value>, Map<String, Value>) {
    let settings = SchemaSettings::draft2020_12();
    let settings = if contract_serialize { settings.for_serialize() } else { settings.for_deserialize() };
    let mut generator = settings.into_generator();
    add_models(&mut generator);
    let envelopes = if wire { add_wire_envelopes(&mut generator) } else { Map::new() };
    let definitions = generator.take_definitions(true);
    (definitions.into_iter().collect(), envelopes)
}

fn operation(op: &api::Operation) -> Value {
    let (envelope, envelope_field) = match op.envelope {
        api::Envelope::Bare => ("bare", None),
        api::Envelope::Data => ("data", None),
        api::Envelope::DataField(field) => ("data_field", Some(field)),
    };
    let (retry, read) = match op.retry {
        RetryPolicy::CreateOrRead(read) => (op.retry.as_str(), Some(read)),
        other => (other.as_str(), None),
    };
    json!({
        "name": op.name,
        "resource": op.resource(),
        "method_name": op.method_name(),
        "summary": op.summary,
        "doc": op.doc,
        "http_method": op.method.as_str(),
        "path": op.path,
        "path_params": op.path_params.iter().map(|p| json!({
            "name": p.name, "doc": p.doc, "type": p.ty.as_str(), "optional": p.optional,
        })).collect::<Vec<_>>(),
        "query": op.query,
        "body": op.body,
        "response": op.response,
        "envelope": envelope,
        "envelope_field": envelope_field,
        "retry": retry,
        "retry_read": read,
        "pagination": op.pagination.map(|p| json!({"items": p.items, "item": p.item})),
    })
}

fn errors() -> Value {
    let codes: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| {
            json!({
                "code": c.as_str(),
                "number": c.number(),
                "status": c.status(),
                "category": c.category().as_str(),
                "class": c.class().name(),
                "retryable": c.is_retryable(),
                "doc": c.doc(),
            })
        })
        .collect();
    let classes: Vec<Value> = ErrorClass::ALL
        .iter()
        .map(|c| json!({"name": c.name(), "parent": c.parent().map(ErrorClass::name), "doc": c.doc()}))
        .collect();
    // The class of an API answer by status, for the statuses the reference lists (and the
    // 5xx ones the client meets); anything else is APIError.
    let statuses: Vec<Value> = [400u16, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504]
        .iter()
        .map(|s| json!({"status": s, "class": ErrorClass::for_status(*s).name(), "code": ErrorCode::for_status(*s).as_str()}))
        .collect();
    json!({
        "codes": codes,
        "classes": classes,
        "categories": ErrorCategory::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "statuses": statuses,
    })
}

fn bound(b: &bounds::Bound) -> Value {
    json!({
        "name": b.name, "unit": b.unit, "min": b.min, "min_exclusive": b.min_exclusive, "max": b.max,
        "default": b.default, "integer": b.integer, "doc": b.doc,
    })
}

fn constants() -> Value {
    let identifier_kinds: Vec<&str> = [
        IdentifierKind::SlackChannel,
        IdentifierKind::Email,
        IdentifierKind::Phone,
        IdentifierKind::Uuid,
        IdentifierKind::SlackUser,
        IdentifierKind::ExternalId,
    ]
    .iter()
    .map(|k| k.as_str())
    .collect();
    json!({
        "version": crate::VERSION,
        "production_url": client::PRODUCTION_URL,
        "sandbox_url": client::SANDBOX_URL,
        "api_key_env": client::API_KEY_ENV,
        "base_url_env": client::BASE_URL_ENV,
        "log_env": client::LOG_ENV,
        "initial_backoff_seconds": client::retry::INITIAL_BACKOFF.as_secs_f64(),
        "max_backoff_seconds": client::retry::MAX_BACKOFF.as_secs_f64(),
        "max_retry_after_seconds": client::retry::MAX_RETRY_AFTER.as_secs_f64(),
        "webhook_header_id": webhook::HEADER_ID,
        "webhook_header_timestamp": webhook::HEADER_TIMESTAMP,
        "webhook_header_signature": webhook::HEADER_SIGNATURE,
        "max_signature_entries": webhook::MAX_SIGNATURE_ENTRIES,
        "max_signature_header_bytes": webhook::MAX_SIGNATURE_HEADER_BYTES,
        "client_options": client::CLIENT_OPTION_NAMES,
        "request_options": client::REQUEST_OPTION_NAMES,
        "identifier_kinds": identifier_kinds,
    })
}

/// The whole description. Deterministic: the same crate gives the same value, so generated
/// files can be drift-checked.
pub fn description() -> Value {
    let (models, _) = schemas(true, false);
    let (wire_models, wire_envelopes) = schemas(false, true);
    json!({
        "operations": api::OPERATIONS.iter().map(|op| operation(op)).collect::<Vec<_>>(),
        "resources": api::RESOURCES.iter().map(|(name, doc)| json!({"name": name, "doc": doc})).collect::<Vec<_>>(),
        "models": models,
        "wire_models": wire_models,
        "wire_envelopes": wire_envelopes,
        "errors": errors(),
        "bounds": bounds::ALL.iter().map(|b| bound(b)).collect::<Vec<_>>(),
        "constants": constants(),
    })
}

/// The JSON Schema of one model in the SDK's canonical form (for tests and tools).
pub fn model_schema<T: JsonSchema>() -> Value {
    SchemaSettings::draft2020_12().for_serialize().into_generator().into_root_schema_for::<T>().to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_an_operation_names_is_described() {
        let d = description();
        let models = d["models"].as_object().cloned().unwrap_or_default();
        for op in api::OPERATIONS {
            let mut names = vec![op.response];
            names.extend(op.body);
            names.extend(op.query);
            names.extend(op.pagination.map(|p| p.item));
            for name in names {
                assert!(models.contains_key(name), "{}: model {name} is not described", op.name);
            }
        }
        assert_eq!(description(), d, "the description is deterministic");
    }
}
