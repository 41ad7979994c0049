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

use wasm_bindgen::prelude::wasm_bindgen;

/// The core's redaction of a secret (`whsec_…LaSw`): how objects holding a secret show it.
#[wasm_bindgen]
pub fn redact(secret: &str) -> String {
    sendivent::error::redact(secret)
}
