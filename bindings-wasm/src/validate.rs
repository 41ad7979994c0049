//! Recipient validation (CONTRACT §2): thin exports of `sendivent::validate`.

use sendivent::validate::{self, IdentifierKind};
use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

use crate::error::to_js;

/// The stable string of an identifier kind (`IdentifierKind` in `index.d.ts`).
pub fn kind_str(kind: IdentifierKind) -> &'static str {
    match kind {
        IdentifierKind::SlackChannel => "slack_channel",
        IdentifierKind::Email => "email",
        IdentifierKind::Phone => "phone",
        IdentifierKind::Uuid => "uuid",
        IdentifierKind::SlackUser => "slack_user",
        IdentifierKind::ExternalId => "external_id",
    }
}

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

/// Resolves a recipient identifier. Returns a two-element array `[kind, value]` (the wrapper
/// turns it into `{kind, value}`), or throws INVALID_EMAIL, INVALID_PHONE or VALIDATION_ERROR.
#[wasm_bindgen(js_name = resolveIdentifier)]
pub fn resolve_identifier(input: &str) -> Result<Vec<String>, JsValue> {
    let id = validate::resolve_identifier(input).map_err(|e| to_js(&e))?;
    Ok(vec![kind_str(id.kind()).to_owned(), id.into_string()])
}
