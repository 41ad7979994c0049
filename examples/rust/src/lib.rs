//! Shared pieces of the Rust examples.

pub mod receiver;
