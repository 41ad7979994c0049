//! Decoding an API answer into the model the SDK returns: one path for the client and for the
//! decoding vectors (`tests/vectors/decoding.json`) that every binding runs through its own
//! typed objects.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{
    Acknowledged, Contact, ContactList, Deleted, DeliveryList, DeliveryTrace, ErrorBody, Event, EventList,
    IntegrationList, SendResponse, WebhookConfig, WebhookEvent,
};
use crate::api::{self, Envelope, Operation};
use crate::error::{Error, ErrorCode, Result};

/// The kinds [`decode_response`] knows besides the operation names: the body POSTed to a
/// webhook endpoint and the error envelope of a non-2xx answer.
pub const EXTRA_KINDS: &[&str] = &["webhook_event", "error_body"];

/// Decodes the answer body of `op` into the model it returns: the envelope is unwrapped as the
/// description says ([`Envelope`]), an empty body reads as `{}`, and a body that is not JSON,
/// not an object or not the model is INVALID_RESPONSE with the JSON path of the field that
/// failed (`data.contacts[2].uuid`).
pub fn decode_answer<T: DeserializeOwned>(op: &Operation, body: &[u8]) -> Result<T> {
    let value = parse_object(op.name, body)?;
    let (inner, path) = unwrap(op, value)?;
    typed(op.name, inner, &path)
}

/// Decodes `body` as the answer of the operation named `kind` ([`crate::api::OPERATIONS`]), or
/// as one of [`EXTRA_KINDS`], and re-encodes the model the SDK returns: its canonical JSON.
/// Unknown fields are dropped, absent or `null` optional fields are `null`, absent collections
/// `[]`/`{}`, unknown enum values kept as sent, a send's deliveries `{channel, uuid}` objects.
///
/// Errors: an unknown `kind` is INVALID_REQUEST (the message lists the kinds); a body that is
/// not the shape is INVALID_RESPONSE, and the message names the field, e.g. `data.total`.
///
/// ```
/// use sendivent::models::decode_response;
/// use serde_json::json;
///
/// let body = br#"{"success": true, "deliveries": [{"email": "d4e5", "fax": "a1b2"}], "extra": 1}"#;
/// assert_eq!(
///     decode_response("send", body).unwrap(),
///     json!({"success": true, "errors": [], "deliveries": [
///         {"channel": "email", "uuid": "d4e5"}, {"channel": "fax", "uuid": "a1b2"}]}),
/// );
///
/// let err = decode_response("contacts.list", br#"{"data": {"total": "many"}}"#).unwrap_err();
/// assert_eq!(err.code(), "INVALID_RESPONSE");
/// assert!(err.message().contains("data.total"), "{err}");
/// ```
pub fn decode_response(kind: &str, body: &[u8]) -> Result<Value> {
    match kind {
        "webhook_event" => return canonical::<WebhookEvent>(kind, parse_object(kind, body)?, ""),
        "error_body" => return canonical::<ErrorBody>(kind, parse_object(kind, body)?, ""),
        _ => {}
    }
    let Some(op) = api::operation(kind) else {
        let mut kinds: Vec<&str> = api::OPERATIONS.iter().map(|op| op.name).collect();
        kinds.extend(EXTRA_KINDS);
        return Err(Error::invalid(
            ErrorCode::InvalidRequest,
            format!("unknown response kind {kind:?}; the kinds are: {}", kinds.join(", ")),
        ));
    };
    let (inner, path) = unwrap(op, parse_object(op.name, body)?)?;
    match op.response {
        "SendResponse" => canonical::<SendResponse>(op.name, inner, &path),
        "ContactList" => canonical::<ContactList>(op.name, inner, &path),
        "Contact" => canonical::<Contact>(op.name, inner, &path),
        "Deleted" => canonical::<Deleted>(op.name, inner, &path),
        "Acknowledged" => canonical::<Acknowledged>(op.name, inner, &path),
        "EventList" => canonical::<EventList>(op.name, inner, &path),
        "Event" => canonical::<Event>(op.name, inner, &path),
        "DeliveryList" => canonical::<DeliveryList>(op.name, inner, &path),
        "DeliveryTrace" => canonical::<DeliveryTrace>(op.name, inner, &path),
        "IntegrationList" => canonical::<IntegrationList>(op.name, inner, &path),
        "WebhookConfig" => canonical::<WebhookConfig>(op.name, inner, &path),
        other => Err(Error::invalid(ErrorCode::InternalError, format!("no decoder for the model {other}"))),
    }
}

fn parse_object(what: &str, body: &[u8]) -> Result<Value> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(Error::invalid(ErrorCode::InvalidResponse, format!("the {what} answer is not a JSON object"))),
        Err(err) => {
            Err(Error::invalid(ErrorCode::InvalidResponse, format!("the {what} answer is not valid JSON: {err}")))
        }
    }
}

/// Takes the model out of its envelope; the path says where it was found.
fn unwrap(op: &Operation, mut value: Value) -> Result<(Value, String)> {
    match op.envelope {
        Envelope::Bare => Ok((value, String::new())),
        Envelope::Data => match value.get_mut("data").map(Value::take) {
            Some(data) if !data.is_null() => Ok((data, "data".to_owned())),
            _ => Err(Error::invalid(
                ErrorCode::InvalidResponse,
                format!("the {} answer does not decode: missing field `data`", op.name),
            )),
        },
        // `{data: {<field>: …}}`, or without `data`, or the model bare: what answers of these
        // endpoints have been seen to look like.
        Envelope::DataField(field) => {
            let (mut inner, mut path) = match value.get_mut("data").map(Value::take) {
                Some(data @ Value::Object(_)) => (data, "data".to_owned()),
                _ => (value, String::new()),
            };
            match inner.get_mut(field).map(Value::take) {
                Some(model) => {
                    path = if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") };
                    Ok((model, path))
                }
                None => Ok((inner, path)),
            }
        }
    }
}

fn typed<T: DeserializeOwned>(what: &str, value: Value, path: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let inner = err.path().to_string();
        let full = match (path.is_empty(), inner.as_str()) {
            (_, ".") => path.to_owned(),
            (true, _) => inner,
            (false, _) => format!("{path}.{inner}"),
        };
        let message = if full.is_empty() {
            format!("the {what} answer does not decode: {}", err.inner())
        } else {
            format!("the {what} answer does not decode at `{full}`: {}", err.inner())
        };
        Error::invalid(ErrorCode::InvalidResponse, message)
    })
}

fn canonical<T: DeserializeOwned + Serialize>(what: &str, value: Value, path: &str) -> Result<Value> {
    let model: T = typed(what, value, path)?;
    serde_json::to_value(&model)
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot re-encode the {what} answer: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn error_messages_name_the_field() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("contacts.list", br#"{"success": true, "data": {"contacts": [], "total": "many"}}"#, "data.total"),
            (
                "contacts.list",
                b"{\"data\":\n {\"contacts\": [{\"uuid\": \"a\"}, {\"uuid\": 7}]}}",
                "data.contacts[1].uuid",
            ),
            ("send", br#"{"success": true, "deliveries": [{"email": "a"}, {"sms": 5}]}"#, "deliveries[1]"),
            ("deliveries.list", br#"{"data": {"deliveries": {"uuid": "x"}}}"#, "data.deliveries"),
            ("events.get", br#"{"data": {"event": {"name": "x"}}}"#, "data.event"),
        ];
        for (kind, body, path) in cases {
            let err = decode_response(kind, body).unwrap_err();
            assert_eq!(err.code(), "INVALID_RESPONSE");
            assert!(err.message().contains(&format!("`{path}")), "{kind}: {err}");
        }
        let err = decode_response("send", br#"{"deliveries": []}"#).unwrap_err();
        assert!(err.message().contains("missing field `success`"), "{err}");
        let err = decode_response("contacts.delete", b"{\"success\": tru").unwrap_err();
        assert!(err.message().contains("not valid JSON"), "{err}");
        let err = decode_response("deliveries.trace", b"[]").unwrap_err();
        assert!(err.message().contains("not a JSON object"), "{err}");
    }

    #[test]
    fn envelopes_are_unwrapped_as_described() {
        let contact = br#"{"uuid": "c1", "email": "a@example.com"}"#;
        for body in [
            format!(r#"{{"success": true, "data": {{"contact": {}}}}}"#, String::from_utf8_lossy(contact)),
            format!(r#"{{"contact": {}}}"#, String::from_utf8_lossy(contact)),
            String::from_utf8_lossy(contact).into_owned(),
        ] {
            let value = decode_response("contacts.get", body.as_bytes()).unwrap();
            assert_eq!(value["uuid"], "c1", "{body}");
        }
        assert!(decode_response("contacts.list", br#"{"success": true}"#).unwrap_err().message().contains("`data`"));
        assert_eq!(
            decode_response("contacts.delete", b"").unwrap(),
            serde_json::json!({"success": true, "deleted": true})
        );
    }

    #[test]
    fn unknown_kind_lists_the_kinds() {
        let err = decode_response("contact", b"{}").unwrap_err();
        assert_eq!(err.code(), "INVALID_REQUEST");
        for op in api::OPERATIONS {
            assert!(err.message().contains(op.name), "{err}");
        }
    }

    #[test]
    fn every_operation_has_a_decoder() {
        for op in api::OPERATIONS {
            // Every kind answers with a shape error, not a missing-decoder error, for `[]`.
            let err = decode_response(op.name, b"[]").unwrap_err();
            assert_eq!(err.code(), "INVALID_RESPONSE", "{}", op.name);
            let err = decode_response(op.name, br#"{"data": 1, "success": 1, "deliveries": 1}"#).unwrap_err();
            assert_eq!(err.code(), "INVALID_RESPONSE", "{}: {err}", op.name);
        }
    }
}
