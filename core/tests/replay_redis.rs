//! The replay guard on a real Redis (docs/contract.md §2 "Webhook replays"): the test starts
//! its own `redis-server` (Debian's package; `make test` installs it) on a free port and stops
//! it. Run with `--features redis`.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sendivent::webhook::{self, ReplayGuard, Verifier, VerifyOptions};

struct Redis {
    child: Child,
    url: String,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_redis() -> Redis {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server is installed (apt-get install redis-server; `make test` does it)");
    let url = format!("redis://127.0.0.1:{port}/0");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "redis-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Redis { child, url }
}

#[test]
fn concurrent_receivers_accept_every_delivery_exactly_once() {
    let redis = start_redis();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verifier = Verifier::new(secret).unwrap();
    let options = VerifyOptions::default().now(1_700_000_000);
    let deliveries: Vec<_> =
        (0..1000).map(|i| webhook::sign_headers(secret, &format!("msg_{i}"), 1_700_000_000, b"{}").unwrap()).collect();
    let accepted = AtomicUsize::new(0);
    let duplicates = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        // Four receivers, each with its own connection, all receiving every delivery.
        for _ in 0..4 {
            scope.spawn(|| {
                let guard = ReplayGuard::redis(&redis.url).unwrap();
                for headers in &deliveries {
                    match verifier.verify_once(b"{}", headers, &options, &guard) {
                        Ok(_) => accepted.fetch_add(1, Ordering::SeqCst),
                        Err(err) if err.code() == "WEBHOOK_DUPLICATE" => duplicates.fetch_add(1, Ordering::SeqCst),
                        Err(err) => panic!("{err}"),
                    };
                }
            });
        }
    });
    assert_eq!(accepted.load(Ordering::SeqCst), 1000);
    assert_eq!(duplicates.load(Ordering::SeqCst), 3000);
}

#[test]
fn a_released_id_is_handled_again_in_redis() {
    let redis = start_redis();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verifier = Verifier::new(secret).unwrap();
    let guard = ReplayGuard::redis(&redis.url).unwrap();
    let options = VerifyOptions::default().now(1_700_000_000);
    let headers = webhook::sign_headers(secret, "msg_released", 1_700_000_000, b"{}").unwrap();
    verifier.verify_once(b"{}", &headers, &options, &guard).unwrap();
    assert_eq!(verifier.verify_once(b"{}", &headers, &options, &guard).unwrap_err().code(), "WEBHOOK_DUPLICATE");
    guard.release("msg_released").unwrap();
    verifier.verify_once(b"{}", &headers, &options, &guard).unwrap();
}

#[test]
fn an_unreachable_store_is_a_retryable_store_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let guard = ReplayGuard::redis(&format!("redis://127.0.0.1:{port}/0")).unwrap();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let headers = webhook::sign_headers(secret, "msg_1", 1_700_000_000, b"{}").unwrap();
    let err = Verifier::new(secret)
        .unwrap()
        .verify_once(b"{}", &headers, &VerifyOptions::default().now(1_700_000_000), &guard)
        .unwrap_err();
    assert_eq!(err.code(), "REPLAY_STORE_ERROR", "{err}");
    assert_eq!(err.class().name(), "ReplayStoreError");
    assert!(err.error_code().is_retryable());
    assert_eq!(ReplayGuard::redis("not a url").unwrap_err().code(), "REPLAY_STORE_ERROR");
}
