//! A tiny local webhook receiver for the demo: accepts POSTs, keeps the raw body and headers
//! exactly as received (verification needs the raw bytes), and answers 204.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// One received request.
#[derive(Debug, Clone)]
pub struct Received {
    /// Header names and values as sent.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

/// A receiver listening on 127.0.0.1.
pub struct Receiver {
    /// `http://127.0.0.1:<port>/webhooks/sendivent`.
    pub url: String,
    /// Everything received so far.
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Binds a free port and serves in the background.
    pub async fn start() -> std::io::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/webhooks/sendivent", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    if let Ok(request) = read_request(stream).await {
                        store.lock().await.push(request);
                    }
                });
            }
        });
        Ok(Receiver { url, received })
    }
}

async fn read_request(stream: tokio::net::TcpStream) -> std::io::Result<Received> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?; // request line
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            }
            headers.push((name, value));
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).await?;
    reader.get_mut().write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await?;
    Ok(Received { headers, body })
}
