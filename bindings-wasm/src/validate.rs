//! Recipient validation (docs/contract.md §2 "Phones and emails"): thin exports of `sendivent::validate`.

use sendivent::models::Channel;
use sendivent::validate;
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::error::to_js;

/// Validates an email address; returns its normalised form or throws INVALID_EMAIL.
#[wasm_bindgen(js_name = validateEmail)]
pub fn validate_email(input: &str) -> Result<String, JsValue> {
    validate::validate_email(input).map(|e| e.into_string()).map_err(|e| to_js(&e))
}

/// Validates a phone number; returns it in E.164 or throws INVALID_PHONE.
#[wasm_bindgen(js_name = validatePhone)]
pub fn validate_phone(input: &str) -> Result<String, JsValue> {
    validate::validate_phone(input).map(|p| p.into_string()).map_err(|e| to_js(&e))
}

/// Resolves a recipient identifier, as a `to` string on a send to `channel` (`None`: every
/// channel of the event; with `slack`, a Slack channel id is a channel broadcast):
/// [`validate::resolve_recipient`]. Returns a two-element array `[kind, value]` (the wrapper
/// turns it into `{kind, value}`), or throws INVALID_EMAIL, INVALID_PHONE or VALIDATION_ERROR.
#[wasm_bindgen(js_name = resolveIdentifier)]
pub fn resolve_identifier(input: &str, channel: Option<String>) -> Result<Vec<String>, JsValue> {
    let channel = channel.map(|c| Channel::from(c.as_str()));
    let id = validate::resolve_recipient(input, channel.as_ref()).map_err(|e| to_js(&e))?;
    Ok(vec![id.kind().as_str().to_owned(), id.into_string()])
}
