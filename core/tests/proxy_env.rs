//! `HTTPS_PROXY` / `NO_PROXY` are honoured (docs/contract.md §2 "Pagination"). Its own test binary, because it sets
//! process environment variables, which must not race with other tests.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, unsafe_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use sendivent::client::{Client, ClientOptions};

/// A fake proxy: records the first request line of each connection and refuses it.
fn fake_proxy() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut line = String::new();
            BufReader::new(stream.try_clone().unwrap()).read_line(&mut line).unwrap_or(0);
            let _ = tx.send(line.trim().to_owned());
            let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, rx)
}

#[tokio::test]
async fn https_proxy_is_used_and_no_proxy_bypasses_it() {
    let (proxy, seen) = fake_proxy();
    let mock = sendivent_mock::MockServer::start(sendivent_mock::MockConfig::default()).await.unwrap();
    // SAFETY: this test binary has exactly one test, so no other thread reads the environment.
    unsafe {
        std::env::set_var("HTTPS_PROXY", &proxy);
        std::env::set_var("HTTP_PROXY", &proxy);
        std::env::set_var("NO_PROXY", "127.0.0.1");
    }

    // The production URL goes through the proxy: it is asked to CONNECT to the API host.
    let client = Client::new(ClientOptions {
        api_key: Some("live_proxytest_000000".into()),
        base_url: Some("https://api.sendivent.com".into()),
        max_retries: Some(0),
        ..Default::default()
    })
    .unwrap();
    let err = client.events().list().await.unwrap_err();
    assert_eq!(err.code(), "CONNECTION_ERROR", "{err}");
    let line = seen.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(line, "CONNECT api.sendivent.com:443 HTTP/1.1");

    // A host in NO_PROXY is reached directly.
    let direct = Client::new(ClientOptions {
        api_key: Some("test_proxytest_000000".into()),
        base_url: Some(mock.url()),
        ..Default::default()
    })
    .unwrap();
    direct.events().list().await.unwrap();
    assert!(seen.try_recv().is_err(), "the proxy must not see NO_PROXY traffic");
}
