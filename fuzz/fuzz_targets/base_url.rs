//! Base URLs as users and environments give them. Oracles: no panic; an accepted URL is https,
//! or http to a loopback host; requests then go below it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::client::{Client, ClientOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = ClientOptions {
        api_key: Some("test_fuzz_0123456789".into()),
        base_url: Some(text.to_owned()),
        ..ClientOptions::default()
    };
    match Client::new(options) {
        Ok(client) => {
            let url = client.base_url();
            assert!(url.starts_with("https://") || url.starts_with("http://"), "{url}");
            assert!(url.ends_with('/'), "{url}");
            assert!(!url.contains('?') && !url.contains('#'), "{url}");
        }
        Err(err) => assert!(
            matches!(err.code(), "INVALID_BASE_URL" | "INSECURE_BASE_URL"),
            "{text:?}: {err}"
        ),
    }
});
