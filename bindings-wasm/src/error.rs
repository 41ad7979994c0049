//! Core errors as JS values.
//!
//! A core [`Error`] crosses as a JS `Error` whose `message` is the core's message, named after
//! the error's class, with two extra properties: `code` and `sendivent`, the core's
//! [`sendivent::error::ErrorDetails`] as JSON. `js/lib/errors.mjs` rethrows it as the generated
//! class of that name; no error data is assembled here.

use sendivent::{Error, ErrorCode};
use wasm_bindgen::JsValue;

/// Converts a core error into the JS value that is thrown.
pub fn to_js(err: &Error) -> JsValue {
    let details = err.details();
    let js = js_sys::Error::new(&details.message);
    js.set_name(details.class);
    // Encoding plain strings, numbers and lists cannot fail; an empty detail still carries `code`.
    let json = serde_json::to_string(&details).unwrap_or_default();
    // Setting a data property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(&details.code));
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("sendivent"), &JsValue::from_str(&json));
    js.into()
}

/// An INVALID_ARGUMENT error for a value of the wrong type or shape from JS.
pub fn invalid_argument(message: impl Into<String>) -> JsValue {
    to_js(&Error::Binding { code: ErrorCode::InvalidArgument, message: message.into() })
}
