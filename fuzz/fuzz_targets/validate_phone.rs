//! `validate_phone` on arbitrary text. Oracles: no panic; errors are INVALID_PHONE; a valid
//! number is `+` and at most 15 digits and validates to itself again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::validate::validate_phone;

fuzz_target!(|input: &str| {
    match validate_phone(input) {
        Err(err) => assert_eq!(err.code(), "INVALID_PHONE", "{input:?}: {err}"),
        Ok(phone) => {
            let digits = phone.as_str().strip_prefix('+').unwrap_or_else(|| panic!("no +: {:?}", phone.as_str()));
            assert!(!digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()), "{input:?}");
            match validate_phone(phone.as_str()) {
                Ok(again) => assert_eq!(again.as_str(), phone.as_str(), "{input:?}"),
                Err(err) => panic!("{input:?} normalised to {:?}, which is invalid: {err}", phone.as_str()),
            }
        }
    }
});
