//! Validation of recipients (CONTRACT §2): identifier resolution, E.164 phones, email addresses.
//!
//! PLACEHOLDER — being implemented (see issue 2). The public API below is fixed.

mod email;
mod identifier;
mod phone;

pub use email::{validate_email, Email};
pub use identifier::{resolve_identifier, Identifier, IdentifierKind};
pub use phone::{validate_phone, PhoneNumber};
