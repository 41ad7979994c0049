//! Inputs found by the fuzz targets in `fuzz/` (`tools/fuzz.sh`), kept as regression tests.
//!
//! The three validation findings were bugs in `validate/` (normalisation that was not idempotent),
//! fixed by its owner; these tests keep them fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sendivent::validate::{resolve_identifier, validate_email, validate_phone};

/// Normalisation is idempotent: what a validator outputs, it accepts unchanged.
fn assert_phone_idempotent(input: &str) {
    if let Ok(phone) = validate_phone(input) {
        let again = validate_phone(phone.as_str()).unwrap_or_else(|e| panic!("{input:?} -> {:?}: {e}", phone.as_str()));
        assert_eq!(again.as_str(), phone.as_str(), "{input:?}");
    }
}

fn assert_email_idempotent(input: &str) {
    if let Ok(email) = validate_email(input) {
        let again = validate_email(email.as_str()).unwrap_or_else(|e| panic!("{input:?} -> {:?}: {e}", email.as_str()));
        assert_eq!(again.as_str(), email.as_str(), "{input:?}");
    }
}

#[test]
fn phone_trunk_prefix_is_stripped_once_and_for_all() {
    // validate_phone gave "+440794609958", which validates to "+44794609958".
    assert_phone_idempotent("+44 00 7946 09958");
}

#[test]
fn a_prefix_written_more_times_than_the_step_bound_is_stripped_to_the_end() {
    // fuzz-short (validate_phone) found it: the rule stopped after 8 strips, giving
    // "+900000000000000", which validates to "+90000000000000".
    assert_phone_idempotent("+90000000000000000000000");
    assert_phone_idempotent(&format!("+90{}", "0".repeat(60)));
    // Input longer than libphonenumber takes is refused before the rule runs.
    let long = format!("+90{}", "0".repeat(300));
    assert_eq!(validate_phone(&long).unwrap_err().code(), "INVALID_PHONE");
}

#[test]
fn a_punycode_label_that_decodes_to_full_width_letters_is_refused() {
    // fuzz-short (resolve_identifier) found it: the label decoded to a full-width "ｒ", which the
    // next validation mapped to "r", so the accepted address did not validate to itself.
    assert_email_idempotent("ada@exxW21mple.xn--xncco--l1pcomc55Pc555m");
    assert_eq!(validate_email("ada@exxW21mple.xn--xncco--l1pcomc55Pc555m").unwrap_err().code(), "INVALID_EMAIL");
}

#[test]
fn email_punycode_label_is_checked_after_decoding() {
    // Accepted, and normalised to a Unicode domain whose label ends with a hyphen, which is then refused.
    assert_email_idempotent("aa`aaaaaaaaaaaaaaaaaaaaaaaaaaausCer@xn--bqmplaaaaaaaaaaaaxn--bqmplemple.com");
}

#[test]
fn identifier_email_with_punycode_resolves_to_itself() {
    let input = "ada@xn--exanxm--ple.c";
    if let Ok(id) = resolve_identifier(input) {
        let again = resolve_identifier(id.as_str()).unwrap_or_else(|e| panic!("{input:?} -> {:?}: {e}", id.as_str()));
        assert_eq!((again.kind(), again.as_str()), (id.kind(), id.as_str()));
    }
}

#[test]
fn validators_are_idempotent_on_the_fuzz_seeds() {
    for phone in ["+46701234567", "+1 (415) 555-0132", "+44 20 7946 0958", "+8613800138000", "+33.1.23.45.67.89"] {
        assert_phone_idempotent(phone);
    }
    for email in ["ada@example.com", "first.last+tag@sub.example.co.uk", "用户@例子.广告", "ADA@EXAMPLE.COM"] {
        assert_email_idempotent(email);
    }
}
