//! # sendivent-wasm
//!
//! The WebAssembly build of the Sendivent SDK, published to npm as `@sendivent/wasm`. Every
//! behaviour comes from the Rust core crate `sendivent`; this crate only moves values across
//! the JS boundary:
//!
//! - strings and bytes in, JSON strings out (parsed by the JS wrapper in `js/`, which also
//!   gives the public API its TypeScript types);
//! - core errors become JS `Error` objects carrying `code` and a `sendivent` JSON detail
//!   string, which the wrapper turns into `SendiventError` subclasses ([`error::to_js`]).
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

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of the core crate this module was built from.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    sendivent::VERSION.to_owned()
}

/// Every error code of the core's table, in number order, as `[code, number]` pairs (JSON), so
/// the JS tests can check that the TypeScript union covers all of them.
#[wasm_bindgen(js_name = errorCodesJson)]
pub fn error_codes_json() -> String {
    let pairs: Vec<(&str, u32)> = sendivent::ErrorCode::ALL.iter().map(|c| (c.as_str(), c.number())).collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_owned())
}

/// Whether this build includes the HTTP client.
#[wasm_bindgen(js_name = hasClient)]
pub fn has_client() -> bool {
    cfg!(feature = "client")
}
