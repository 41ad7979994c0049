//! One decoding entry point for every response shape, so that each binding can show, with the
//! shared vectors in `tests/vectors/decoding.json`, that it decodes answers exactly as the core
//! does.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{
    Acknowledged, ContactData, ContactList, Deleted, DeliveryList, DeliveryTrace, Envelope, ErrorBody, EventData,
    EventList, IntegrationList, SendResponse, WebhookConfig, WebhookData, WebhookEvent,
};
use crate::error::{Error, ErrorCode, Result};

/// The kinds [`decode_response`] knows, each naming one response shape:
///
/// | kind | shape | type |
/// |---|---|---|
/// | `send_response` | `{success, deliveries:[{<channel>: <uuid>}], errors?}` | [`SendResponse`] |
/// | `contact_envelope` | `{success, data:{contact}}` | [`Envelope`]`<`[`ContactData`]`>` |
/// | `contact_list_envelope` | `{success, data:{contacts, total, limit, offset}}` | [`Envelope`]`<`[`ContactList`]`>` |
/// | `event_list_envelope` | `{success, data:{events}}` | [`Envelope`]`<`[`EventList`]`>` |
/// | `event_envelope` | `{success, data:{event}}` (with templates) | [`Envelope`]`<`[`EventData`]`>` |
/// | `delivery_list_envelope` | `{success, data:{deliveries, total, limit, offset}}` | [`Envelope`]`<`[`DeliveryList`]`>` |
/// | `delivery_trace_envelope` | `{success, data:{delivery, timeline, content?}}` | [`Envelope`]`<`[`DeliveryTrace`]`>` |
/// | `integration_list_envelope` | `{success, data:{integrations}}` | [`Envelope`]`<`[`IntegrationList`]`>` |
/// | `webhook_config` | a bare webhook config `{uuid, url, enabled_events, …}` | [`WebhookConfig`] |
/// | `webhook_envelope` | `{success, data:{webhook}}` (POST/GET/PATCH `/v1/webhooks`) | [`Envelope`]`<`[`WebhookData`]`>` |
/// | `webhook_event` | the body POSTed to a webhook endpoint | [`WebhookEvent`] |
/// | `error_body` | `{error, code}` of a non-2xx answer | [`ErrorBody`] |
/// | `deleted` | `{success, deleted}` | [`Deleted`] |
/// | `acknowledged` | `{success}` | [`Acknowledged`] |
pub const RESPONSE_KINDS: &[&str] = &[
    "send_response",
    "contact_envelope",
    "contact_list_envelope",
    "event_list_envelope",
    "event_envelope",
    "delivery_list_envelope",
    "delivery_trace_envelope",
    "integration_list_envelope",
    "webhook_config",
    "webhook_envelope",
    "webhook_event",
    "error_body",
    "deleted",
    "acknowledged",
];

/// Decodes `json` as the response shape named by `kind` (one of [`RESPONSE_KINDS`]) and
/// re-encodes the typed value, giving its canonical JSON: unknown fields dropped, absent or
/// `null` optional fields as `null`, absent collections as `[]`/`{}`, unknown enum values kept
/// as sent, delivery entries one channel per object.
///
/// Errors: an unknown `kind` is `INVALID_REQUEST` (the message lists the kinds); a body that is
/// not JSON or not the shape (a known field of the wrong type, a required field missing) is
/// `INVALID_RESPONSE`, and the message names the field, e.g. `data.total`.
///
/// ```
/// use sendivent::models::decode_response;
/// use serde_json::json;
///
/// let body = br#"{"success": true, "deliveries": [{"email": "d4e5", "fax": "a1b2"}], "extra": 1}"#;
/// assert_eq!(
///     decode_response("send_response", body).unwrap(),
///     json!({"success": true, "deliveries": [{"email": "d4e5"}, {"fax": "a1b2"}]}),
/// );
///
/// let err = decode_response("contact_list_envelope", br#"{"data": {"total": "many"}}"#).unwrap_err();
/// assert_eq!(err.code(), "INVALID_RESPONSE");
/// assert!(err.message().contains("data.total"), "{err}");
/// ```
pub fn decode_response(kind: &str, json: &[u8]) -> Result<Value> {
    match kind {
        "send_response" => canonical::<SendResponse>(kind, json),
        "contact_envelope" => canonical::<Envelope<ContactData>>(kind, json),
        "contact_list_envelope" => canonical::<Envelope<ContactList>>(kind, json),
        "event_list_envelope" => canonical::<Envelope<EventList>>(kind, json),
        "event_envelope" => canonical::<Envelope<EventData>>(kind, json),
        "delivery_list_envelope" => canonical::<Envelope<DeliveryList>>(kind, json),
        "delivery_trace_envelope" => canonical::<Envelope<DeliveryTrace>>(kind, json),
        "integration_list_envelope" => canonical::<Envelope<IntegrationList>>(kind, json),
        "webhook_config" => canonical::<WebhookConfig>(kind, json),
        "webhook_envelope" => canonical::<Envelope<WebhookData>>(kind, json),
        "webhook_event" => canonical::<WebhookEvent>(kind, json),
        "error_body" => canonical::<ErrorBody>(kind, json),
        "deleted" => canonical::<Deleted>(kind, json),
        "acknowledged" => canonical::<Acknowledged>(kind, json),
        _ => Err(Error::invalid(
            ErrorCode::InvalidRequest,
            format!("unknown response kind {kind:?}; the kinds are: {}", RESPONSE_KINDS.join(", ")),
        )),
    }
}

fn canonical<T: DeserializeOwned + Serialize>(kind: &str, json: &[u8]) -> Result<Value> {
    let typed: T = decode_typed(kind, json)?;
    serde_json::to_value(&typed)
        .map_err(|e| Error::invalid(ErrorCode::InvalidResponse, format!("cannot re-encode a {kind}: {e}")))
}

/// Decodes `json`, which must be a JSON object, as `T`, mapping a failure to `INVALID_RESPONSE`
/// with the JSON path of the field that failed (`data.contacts[2].uuid`). `what` names the
/// shape in the message.
///
/// The object check matters because serde also decodes a struct from an array of its fields in
/// order, which no API answer is.
pub(crate) fn decode_typed<T: DeserializeOwned>(what: &str, json: &[u8]) -> Result<T> {
    let typed = serde_json::from_slice(json).map_err(|e| invalid_response(what, json, &e))?;
    match json.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(typed),
        _ => Err(Error::invalid(ErrorCode::InvalidResponse, format!("the {what} body is not a JSON object"))),
    }
}

fn invalid_response(what: &str, json: &[u8], err: &serde_json::Error) -> Error {
    let message = if err.is_syntax() || err.is_eof() {
        format!("the {what} body is not valid JSON: {err}")
    } else {
        match error_offset(json, err.line(), err.column()).map(|offset| json_path_at(json, offset)) {
            Some(path) if !path.is_empty() => format!("the {what} body does not decode at `{path}`: {err}"),
            _ => format!("the {what} body does not decode: {err}"),
        }
    };
    Error::invalid(ErrorCode::InvalidResponse, message)
}

/// The byte offset serde_json reports (1-based line, column = bytes consumed on that line).
fn error_offset(json: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        json.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    Some((line_start + column).min(json.len()))
}

enum Frame {
    /// An object; the key whose value is being read, once seen.
    Object { key: Option<String>, expecting_key: bool },
    /// An array; the index of the element being read, once one has started.
    Array { index: usize, started: bool },
}

/// The path (`data.contacts[2].uuid`) of the innermost value that is open, or was just
/// completed, at byte `offset` of a syntactically valid JSON document.
fn json_path_at(json: &[u8], offset: usize) -> String {
    let bytes = &json[..offset.min(json.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // Marks the start of a value inside an array.
    fn value_starts(stack: &mut [Frame]) {
        if let Some(Frame::Array { started, .. }) = stack.last_mut() {
            *started = true;
        }
    }
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                value_starts(&mut stack);
                stack.push(Frame::Object { key: None, expecting_key: true });
            }
            b'[' => {
                value_starts(&mut stack);
                stack.push(Frame::Array { index: 0, started: false });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, expecting_key }) => {
                    *key = None;
                    *expecting_key = true;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                match stack.last_mut() {
                    Some(Frame::Object { key, expecting_key }) if *expecting_key => {
                        let raw = &json[start..end];
                        let text = serde_json::from_slice::<String>(&json[i..(end + 1).min(json.len())])
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
                        *key = Some(text);
                        *expecting_key = false;
                    }
                    _ => value_starts(&mut stack),
                }
                i = j;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
            _ => value_starts(&mut stack),
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index, started: true } => path.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn paths_of_offsets() {
        let doc = br#"{"a": {"b": [1, {"c": "x\"y"}], "d": 2}}"#;
        let at = |needle: &str| {
            let pos = doc.windows(needle.len()).position(|w| w == needle.as_bytes()).unwrap();
            json_path_at(doc, pos + needle.len())
        };
        assert_eq!(at("[1"), "a.b[0]");
        assert_eq!(at("\"x\\\"y\""), "a.b[1].c");
        assert_eq!(at("\"d\": 2"), "a.d");
        assert_eq!(at("]"), "a.b");
        assert_eq!(json_path_at(doc, doc.len()), "");
        assert_eq!(json_path_at(b"[", 1), "");
    }

    #[test]
    fn error_messages_name_the_field() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("contact_list_envelope", br#"{"success": true, "data": {"contacts": [], "total": "many"}}"#, "data.total"),
            (
                "contact_list_envelope",
                b"{\"data\":\n {\"contacts\": [{\"uuid\": \"a\"}, {\"uuid\": 7}]}}",
                "data.contacts[1].uuid",
            ),
            ("send_response", br#"{"success": true, "deliveries": [{"email": "a"}, {"sms": 5}]}"#, "deliveries[1].sms"),
            ("delivery_list_envelope", br#"{"data": {"deliveries": {"uuid": "x"}}}"#, "data.deliveries"),
            ("event_envelope", br#"{"data": {"event": {"name": "x"}}}"#, "data.event"),
        ];
        for (kind, body, path) in cases {
            let err = decode_response(kind, body).unwrap_err();
            assert_eq!(err.code(), "INVALID_RESPONSE");
            assert!(err.message().contains(&format!("`{path}`")), "{kind}: {err}");
        }
        let err = decode_response("send_response", br#"{"deliveries": []}"#).unwrap_err();
        assert!(err.message().contains("missing field `success`"), "{err}");
        let err = decode_response("deleted", b"{\"success\": tru").unwrap_err();
        assert!(err.message().contains("not valid JSON"), "{err}");
    }

    #[test]
    fn unknown_kind_lists_the_kinds() {
        let err = decode_response("contact", b"{}").unwrap_err();
        assert_eq!(err.code(), "INVALID_REQUEST");
        for kind in RESPONSE_KINDS {
            assert!(err.message().contains(kind), "{err}");
        }
    }

    #[test]
    fn every_kind_is_decodable() {
        for kind in RESPONSE_KINDS {
            // Every kind answers with a shape error, not an unknown-kind error, for `[]`.
            let err = decode_response(kind, b"[]").unwrap_err();
            assert_eq!(err.code(), "INVALID_RESPONSE", "{kind}");
        }
    }
}
