//! The client against servers that misbehave on purpose (docs/contract.md §2 "Redirects and
//! response bodies", "Option bounds"): huge bodies, redirects to another origin, absurd
//! `Retry-After` values, answers with hostile headers. Each server is a raw TCP listener that
//! writes exactly what the test says, and records what it receives.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sendivent::client::{Client, ClientOptions};
use sendivent::models::SendRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What a raw server received: every request's head and body, as text.
type Received = Arc<Mutex<Vec<String>>>;

/// Serves `answer(n)` to the n-th request on each connection, for as many connections as come.
async fn raw_server(answer: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let seen = Arc::clone(&received);
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        let mut count = 0usize;
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            let answer = Arc::clone(&answer);
            count += 1;
            let n = count;
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut request = Vec::new();
                // Read the head and whatever body Content-Length announces.
                loop {
                    let read = match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => read,
                    };
                    request.extend_from_slice(&buf[..read]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(str::to_owned))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                seen.lock().unwrap().push(String::from_utf8_lossy(&request).into_owned());
                let _ = socket.write_all(&answer(n)).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, received)
}

fn client(url: &str, max_retries: u32) -> Client {
    Client::new(ClientOptions {
        api_key: Some("test_hostile_0123456789SECRET".into()),
        base_url: Some(url.to_owned()),
        max_retries: Some(max_retries),
        timeout: Some(Duration::from_secs(5)),
        ..ClientOptions::default()
    })
    .unwrap()
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_without_reading_it_whole() {
    // Declared too large: refused from Content-Length alone.
    let (url, _) = raw_server(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{\"success\":".to_vec()
    })
    .await;
    let err = client(&url, 0).events().list().await.unwrap_err();
    assert_eq!(err.code(), "INVALID_RESPONSE", "{err}");
    assert!(err.message().contains("larger than"), "{err}");

    // Streamed without a length, past the cap of a client that lowered it to 4 KiB.
    let (url, _) = raw_server(|_| {
        let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
        answer.extend(std::iter::repeat_n(b' ', 64 * 1024));
        answer
    })
    .await;
    let small = Client::new(ClientOptions {
        api_key: Some("test_hostile_0123456789".into()),
        base_url: Some(url),
        max_retries: Some(0),
        max_response_bytes: Some(4096),
        ..ClientOptions::default()
    })
    .unwrap();
    let err = small.events().list().await.unwrap_err();
    assert_eq!(err.code(), "INVALID_RESPONSE", "{err}");

    // An error answer too large to read is still judged by its status.
    let (url, _) = raw_server(|_| {
        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{".to_vec()
    })
    .await;
    let err = client(&url, 0).contacts().get("ada@example.com").await.unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND", "{err}");
}

#[tokio::test]
async fn redirects_are_not_followed_and_nothing_reaches_another_origin() {
    let (elsewhere, reached) = raw_server(|_| b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec()).await;
    for status in [301u16, 302, 303, 307, 308] {
        let target = format!("{elsewhere}/v1/send/x");
        let (url, _) = raw_server(move |_| {
            format!("HTTP/1.1 {status} Moved\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n").into_bytes()
        })
        .await;
        let client = client(&url, 2).with_options(
            sendivent::client::RequestOptions::default().idempotency_key("order-7").header("X-Trace", "trace-secret"),
        );
        let err = client.send("order.confirmed", SendRequest::to("ada@example.com")).await.unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        assert_eq!(err.class().name(), "APIError", "{err}");
        assert_eq!(err.meta().unwrap().attempts, 1, "a redirect is not retried");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(reached.lock().unwrap().is_empty(), "a request reached the other origin: {:?}", reached.lock().unwrap());
}

#[tokio::test]
async fn absurd_retry_after_values_never_panic_and_long_ones_are_not_waited_for() {
    for value in ["1e20", "1e308", "-1", "NaN", "inf", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        let header = value.to_owned();
        let (url, received) = raw_server(move |_| {
            format!(
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: {header}\r\nContent-Type: application/json\r\n\
                 Content-Length: 45\r\n\r\n{{\"error\": \"slow down\", \"code\": \"RATE_LIMITED\"}}"
            )
            .into_bytes()
        })
        .await;
        let started = std::time::Instant::now();
        let err = client(&url, 1).events().list().await.unwrap_err();
        assert_eq!(err.code(), "RATE_LIMITED", "{value}: {err}");
        // Either not retried (a long Retry-After) or retried after the jittered backoff (an
        // unusable one is ignored): never a wait of the value itself.
        assert!(started.elapsed() < Duration::from_secs(5), "{value}: waited {:?}", started.elapsed());
        assert!(received.lock().unwrap().len() <= 2, "{value}");
    }
}

#[tokio::test]
async fn hostile_headers_and_bodies_become_errors_not_crashes() {
    let answers: Vec<&'static [u8]> = vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n[1,2]",
        b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnull",
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\xff\xfe\xfd",
        b"HTTP/1.1 500 Oops\r\nX-Request-Id: \xff\xfe\r\nX-RateLimit-Limit: 99999999999999999999999\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\":",
    ];
    for answer in answers {
        let (url, _) = raw_server(move |_| answer.to_vec()).await;
        let err = client(&url, 0).events().list().await.unwrap_err();
        assert!(
            matches!(err.code(), "INVALID_RESPONSE" | "SERVER_ERROR" | "CONNECTION_ERROR"),
            "{}: {err}",
            String::from_utf8_lossy(answer)
        );
    }
}
