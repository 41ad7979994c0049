//! Validation of recipients (docs/contract.md §2): identifier resolution, E.164 phones, email addresses.
//!
//! - [`resolve_identifier`] decides what a `to` string or a contact identifier is (Slack channel,
//!   email, phone, UUID, Slack user id, external id) and normalises it.
//! - [`validate_phone`] checks and normalises an E.164 number against libphonenumber's possible
//!   lengths for every ITU-T calling code.
//! - [`validate_email`] checks an address the way a mail system will, with Python's
//!   `email-validator` as the reference point, and normalises its domain.
//!
//! Every function is pure, never panics, and returns an [`Error`](crate::Error) with
//! `INVALID_PHONE`, `INVALID_EMAIL` or `VALIDATION_ERROR` and a message that says what to change.
//! The shared vectors in `tests/vectors/{identifiers,emails,phones}.json` pin the behaviour for
//! every binding; `bench/accuracy/` measures agreement with the reference libraries.

mod email;
mod identifier;
mod phone;

pub use email::{
    Email, MAX_ADDRESS_OCTETS, MAX_DOMAIN_OCTETS, MAX_LABEL_OCTETS, MAX_LOCAL_PART_OCTETS, validate_email,
};
pub use identifier::{Identifier, IdentifierKind, resolve_identifier, resolve_recipient};
pub use phone::{MAX_DIGITS, PhoneNumber, validate_phone};

#[cfg(test)]
mod proptests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    /// Strings shaped like phone numbers, so that many of them are accepted: random ones, and
    /// ones with common calling codes followed by (repeated) trunk prefixes.
    fn phone_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ ]{0,2}[+]?[0-9 ().-]{0,20}[a-z/]?[ ]{0,2}",
            "[+](1|7|33|39|44|46|49|61|62|81|86|234|375|598|800) ?[(]?[018]{0,3}[)]? ?[0-9 -]{4,16}",
        ]
    }

    /// Strings shaped like email addresses: ASCII and Unicode letters, dots, hyphens, Punycode.
    fn email_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ ]?[a-zA-Z0-9.+_!é用ß\u{300}-]{0,12}@(xn--)?[a-zA-Z0-9.\u{e9}\u{4f8b}\u{fc}\u{5d0}\u{966}\u{ff21}\u{3002}-]{0,20}[ ]?",
            "[a-z.]{1,6}@(xn--[a-z0-9-]{1,24}\\.){1,2}[a-z]{1,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn never_panic_on_arbitrary_unicode(s in "\\PC{0,80}|.{0,80}") {
            let _ = validate_phone(&s);
            let _ = validate_email(&s);
            let _ = resolve_identifier(&s);
        }

        #[test]
        fn accepted_phone_is_a_fixed_point(s in phone_like()) {
            if let Ok(phone) = validate_phone(&s) {
                let again = validate_phone(phone.as_str()).unwrap();
                prop_assert_eq!(&again, &phone);
                prop_assert!(phone.as_str().len() <= 16 && phone.as_str().starts_with('+'));
                prop_assert_eq!(format!("+{}{}", phone.country_code(), phone.national_number()), phone.as_str());
            }
        }

        #[test]
        fn accepted_email_is_a_fixed_point(s in email_like()) {
            if let Ok(email) = validate_email(&s) {
                let again = validate_email(email.as_str()).unwrap();
                prop_assert_eq!(again.as_str(), email.as_str());
                prop_assert_eq!(format!("{}@{}", email.local_part(), email.domain()), email.as_str());
                prop_assert!(email.as_str().len() <= MAX_ADDRESS_OCTETS);
            }
        }

        #[test]
        fn resolved_identifier_is_a_fixed_point(s in prop_oneof![phone_like(), email_like(), "\\PC{0,40}"]) {
            if let Ok(id) = resolve_identifier(&s) {
                let again = resolve_identifier(id.as_str()).unwrap();
                prop_assert_eq!(again.kind(), id.kind());
                prop_assert_eq!(again.as_str(), id.as_str());
            }
        }

        #[test]
        fn errors_carry_the_right_code(s in "\\PC{0,40}") {
            if let Err(e) = validate_phone(&s) {
                prop_assert_eq!(e.code(), "INVALID_PHONE");
            }
            if let Err(e) = validate_email(&s) {
                prop_assert_eq!(e.code(), "INVALID_EMAIL");
            }
            if let Err(e) = resolve_identifier(&s) {
                prop_assert!(["INVALID_PHONE", "INVALID_EMAIL", "VALIDATION_ERROR"].contains(&e.code()));
            }
        }
    }
}
