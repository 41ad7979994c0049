//! The accept loop (our own, so that a response can be "lost") and the [`MockServer`] handle.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::api::{self, DropConnection};
use crate::state::{Faults, Limits, MockConfig, MockState, Shared};

/// A running mock server. Dropping it stops the server (without waiting); prefer
/// [`MockServer::shutdown`] / [`MockServer::shutdown_blocking`] for a clean stop.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

/// The error a service returns to make hyper close the connection without writing the response.
#[derive(Debug)]
struct ResponseDropped;

impl std::fmt::Display for ResponseDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("response dropped by fault injection")
    }
}

impl std::error::Error for ResponseDropped {}

impl MockServer {
    /// Starts the server on `127.0.0.1:<config.port>` (0 = a free port) in the current tokio
    /// runtime. Fails when the port cannot be bound or the fixtures are invalid.
    pub async fn start(config: MockConfig) -> io::Result<MockServer> {
        let port = config.port;
        let shared = Arc::new(Shared::new(config).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?);
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let router = api::router(Arc::clone(&shared));
        let task = tokio::spawn(serve(listener, router, shared.config.header_read_timeout, stopped));
        Ok(MockServer { addr, shared, stop, task: Some(task), thread: None })
    }

    /// Starts the server on its own thread with its own tokio runtime, for tests that are not
    /// async. Stop it with [`MockServer::shutdown_blocking`] (or by dropping it).
    pub fn start_in_thread(config: MockConfig) -> io::Result<MockServer> {
        let (ready, started) = std::sync::mpsc::channel::<io::Result<MockServer>>();
        let thread = std::thread::Builder::new().name("sendivent-mock".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                match MockServer::start(config).await {
                    Ok(mut server) => {
                        let task = server.task.take();
                        let _ = ready.send(Ok(server));
                        if let Some(task) = task {
                            let _ = task.await;
                        }
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                    }
                }
            });
        })?;
        let mut server =
            started.recv().map_err(|_| io::Error::other("the mock server thread exited before starting"))??;
        server.thread = Some(thread);
        Ok(server)
    }

    /// The base URL, `http://127.0.0.1:<port>` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A snapshot of counters, sends, deliveries and webhook attempts (what `GET /_mock/state`
    /// returns).
    pub fn state(&self) -> MockState {
        self.shared.snapshot()
    }

    /// Changes fault injection (what `PUT /_mock/faults` does).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().faults = faults;
    }

    /// Changes rate limits and quotas (what `PUT /_mock/limits` does).
    pub fn set_limits(&self, limits: Limits) {
        self.shared.lock().limits = limits;
    }

    /// Back to the fixtures: data, counters, idempotency store, rate windows, and the faults and
    /// limits the server was started with (what `POST /_mock/reset` does).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops accepting, lets in-flight requests finish (up to 2 s) and waits for the server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }

    /// [`MockServer::shutdown`] for code outside an async runtime (a server from
    /// [`MockServer::start_in_thread`]).
    pub fn shutdown_blocking(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn serve(listener: TcpListener, router: Router, header_timeout: Duration, mut stopped: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            () = async { let _ = stopped.wait_for(|stop| *stop).await; } => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, router.clone(), header_timeout, stopped.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained =
        tokio::time::timeout(Duration::from_secs(2), async { while connections.join_next().await.is_some() {} });
    if drained.await.is_err() {
        connections.abort_all();
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    router: Router,
    header_timeout: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        async move {
            // Handled on a task of its own, so a client that hangs up once its request is sent
            // (the official PHP SDK's fire-and-forget sends do) does not cancel the handling.
            let response = match tokio::spawn(router.oneshot(request)).await {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(_) => api::internal_error("the request handler failed"),
            };
            if response.extensions().get::<DropConnection>().is_some() {
                // hyper closes the connection without writing anything.
                Err(ResponseDropped)
            } else {
                Ok::<_, ResponseDropped>(response)
            }
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = async { let _ = stopped.wait_for(|stop| *stop).await; } => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
