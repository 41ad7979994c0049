//! # sendivent
//!
//! The Rust core of the Sendivent SDK: every behaviour the Python, C/Go and WASM bindings expose
//! lives here once.
//!
//! - [`models`]: request and response types of the API, lenient where the contract asks.
//! - [`validate`]: recipient identifier resolution, E.164 phones and email addresses.
//! - [`webhook`]: Standard Webhooks signing and verification (`v1` HMAC-SHA256, `v1a` ed25519).
//! - [`api`]: the one description of the API: operations, retry policies, option bounds.
//! - [`error`]: the one [`Error`] type, its stable [`ErrorCode`] table and [`ErrorClass`]es.
//! - `client` (feature `client`, on by default): the async HTTP client and its blocking facade.
//!
//! ```
//! use sendivent::validate::{resolve_identifier, IdentifierKind};
//!
//! let id = resolve_identifier(" +46 70-123 45 67 ").unwrap();
//! assert_eq!(id.kind(), IdentifierKind::Phone);
//! assert_eq!(id.as_str(), "+46701234567");
//! ```
#![forbid(unsafe_code)]

pub mod api;
pub mod error;
pub mod models;
pub mod validate;
pub mod webhook;

#[cfg(feature = "client")]
pub mod client;

#[cfg(all(feature = "schema", feature = "client"))]
pub mod describe;

pub use error::{Error, ErrorClass, ErrorCode, Result};

/// The version of this crate, reported in `User-Agent` and by every binding.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

// Compiles the README's Rust examples as doctests, so the documentation cannot drift.
#[doc = include_str!("../../README.md")]
#[cfg(all(doctest, feature = "client"))]
pub struct ReadmeDoctests;
