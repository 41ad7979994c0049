//! Signature headers with many entries: the input is repeated into up to a few thousand entries
//! of mixed versions. Oracles: no panic; a header over the caps is refused with
//! WEBHOOK_INVALID_SIGNATURE_HEADER; any outcome is a webhook error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::webhook::{MAX_SIGNATURE_ENTRIES, MAX_SIGNATURE_HEADER_BYTES, Verifier, VerifyOptions};

static VERIFIER: std::sync::OnceLock<Verifier> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else { return };
    let entry = String::from_utf8_lossy(rest);
    let repeat = usize::from(count) * 16 + 1;
    let header = vec![entry.as_ref(); repeat].join(" ");
    let verifier = VERIFIER.get_or_init(|| match Verifier::from_secrets([
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    ]) {
        Ok(v) => v,
        Err(err) => panic!("the fixed secrets parse: {err}"),
    });
    let options = VerifyOptions::default().now(1_700_000_000);
    let result = verifier.verify_parts(b"{}", "msg_1", "1700000000", &header, &options);
    if let Err(err) = &result {
        assert!(err.error_code().is_webhook(), "{err}");
    }
    let tokens = header.split_ascii_whitespace().count();
    if header.len() > MAX_SIGNATURE_HEADER_BYTES || tokens > MAX_SIGNATURE_ENTRIES {
        let err = result.err().map(|e| e.code().to_owned());
        assert_eq!(err.as_deref(), Some("WEBHOOK_INVALID_SIGNATURE_HEADER"));
    }
});
