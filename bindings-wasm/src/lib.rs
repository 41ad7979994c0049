//! # sendivent-wasm
//!
//! The WebAssembly build of the Sendivent SDK, published to npm as `@sendivent/wasm`. Every
//! behaviour comes from the Rust core crate `sendivent`; this crate only moves values across
//! the JS boundary:
//!
//! - strings and bytes in, JSON strings out; the JavaScript in `js/` (most of it generated from
//!   the core's description by `tools/codegen`) builds the typed objects from that JSON;
//! - core errors become JS `Error` objects carrying the core's `ErrorDetails` as JSON, which the
//!   generated error classes are built from ([`error::to_js`]).
//!
//! Two builds come from this crate: without the `client` feature it is the small webhook +
//! validation module (`@sendivent/wasm/webhook`); with it, the full package including the
//! `Sendivent` client over the runtime's `fetch`.
// wasm-bindgen's generated glue is `unsafe` code; none is written by hand in this crate.
#![allow(unsafe_code)]

pub mod error;
pub mod validate;
pub mod webhook;

#[cfg(feature = "client")]
pub mod client;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

/// The core's redaction of a secret (`whsec_…LaSw`): how objects holding a secret show it.
#[wasm_bindgen]
pub fn redact(secret: &str) -> String {
    sendivent::error::redact(secret)
}

/// A JSON value as the JS value `JSON.parse` would give for its text (numbers as doubles, objects
/// with own data properties in order), built directly: the core's canonical JSON reaches JS
/// without being written out as text and parsed again.
pub fn js_value(value: &serde_json::Value) -> JsValue {
    use serde_json::Value;
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(js_value).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let object = js_sys::Object::new();
            for (key, item) in map {
                let (key_js, item_js) = (JsValue::from_str(key), js_value(item));
                if key == "__proto__" {
                    // An own data property, as JSON.parse makes it (assigning would set the
                    // prototype). Defining a property on a fresh extensible object cannot fail.
                    let descriptor = js_sys::Object::new();
                    for (name, flag) in [
                        ("value", &item_js),
                        ("enumerable", &JsValue::TRUE),
                        ("writable", &JsValue::TRUE),
                        ("configurable", &JsValue::TRUE),
                    ] {
                        let _ = js_sys::Reflect::set(&descriptor, &JsValue::from_str(name), flag);
                    }
                    js_sys::Object::define_property(&object, &key_js, &descriptor);
                } else {
                    let _ = js_sys::Reflect::set(&object, &key_js, &item_js);
                }
            }
            object.into()
        }
    }
}
