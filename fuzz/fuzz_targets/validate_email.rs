//! `validate_email` on arbitrary text. Oracles: no panic; errors are INVALID_EMAIL; a valid
//! address is within the length limits and validates to itself again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::validate::validate_email;

fuzz_target!(|input: &str| {
    match validate_email(input) {
        Err(err) => assert_eq!(err.code(), "INVALID_EMAIL", "{input:?}: {err}"),
        Ok(email) => {
            assert!(email.local_part().len() <= 64, "{input:?}");
            assert!(email.as_str().contains('@'));
            match validate_email(email.as_str()) {
                Ok(again) => assert_eq!(again.as_str(), email.as_str(), "{input:?}"),
                Err(err) => panic!("{input:?} normalised to {:?}, which is invalid: {err}", email.as_str()),
            }
        }
    }
});
