//! The async HTTP client (docs/contract.md §1–§2) and its [`blocking`] facade.
//!
//! One [`Client`] covers every endpoint. It is cheap to clone (an `Arc`) and safe to share
//! across tasks and threads. Every call retries connection errors, timeouts, 408, 429 and 5xx
//! with jittered exponential backoff (honouring `Retry-After`); every send carries an
//! idempotency key that is reused by its retries, so a retried send never notifies twice.
//!
//! ```
//! use sendivent::client::{Client, ClientOptions, RequestOptions};
//! use sendivent::models::{ContactInput, SendRequest};
//! use serde_json::json;
//!
//! # let mock = sendivent_mock::MockServer::start_in_thread(Default::default()).unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! // In production `Client::from_env()` reads SENDIVENT_API_KEY and the key's prefix picks the
//! // API; here the client talks to the bundled mock.
//! let client = Client::new(ClientOptions {
//!     api_key: Some("test_docs_0123456789".into()),
//!     base_url: Some(mock.url()),
//!     ..ClientOptions::default()
//! })?;
//!
//! let to = ContactInput::email("ada@example.com").name("Ada").field("tier", "gold");
//! let sent = client.send("order.confirmed", SendRequest::to(to).payload(json!({"order": 1042}))).await?;
//! assert!(sent.success);
//! println!("deliveries {:?}, request id {:?}", sent.deliveries, sent.meta().request_id);
//!
//! // The same idempotency key twice: the second answer is the stored first one.
//! let keyed = client.with_options(RequestOptions::default().idempotency_key("order-1042"));
//! let first = keyed.send("order.confirmed", SendRequest::to("ada@example.com")).await?;
//! let again = keyed.send("order.confirmed", SendRequest::to("ada@example.com")).await?;
//! assert!(again.meta().idempotent_replay && again.deliveries == first.deliveries);
//!
//! // A failed send is an error value with a stable code and the API's reasons.
//! let err = client.send("no.such.event", SendRequest::to("ada@example.com")).await.unwrap_err();
//! assert_eq!(err.code(), "SEND_FAILED");
//! assert_eq!(err.send_errors()[0].code.as_str(), "EVENT_NOT_FOUND");
//! assert_eq!(err.status(), Some(404));
//!
//! // Every list endpoint also walks all pages.
//! let contacts = client.contacts().list_all(Default::default()).collect_all().await?;
//! assert!(contacts.iter().any(|c| c.email.as_deref() == Some("ada@example.com")));
//! # Ok::<(), sendivent::Error>(()) }).unwrap();
//! ```

mod config;
mod dispatch;
#[cfg(target_arch = "wasm32")]
mod fetch;
mod paginate;
mod ratelimit;
mod resources;
pub mod retry;
mod rt;
mod transport;

#[cfg(not(target_arch = "wasm32"))]
pub mod blocking;

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

pub use config::{
    API_KEY_ENV, BASE_URL_ENV, ClientOptions, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    KeyMode, LOG_ENV, LogHook, LogLevel, LogRecord, PRODUCTION_URL, RateLimit, SANDBOX_URL, key_mode,
};
pub use dispatch::{CLIENT_OPTION_NAMES, REQUEST_OPTION_NAMES};
pub use paginate::Paginator;
pub use resources::{Contacts, DEFAULT_SEND_MANY_CONCURRENCY, Deliveries, Events, Integrations, SendItem, Webhooks};
pub(crate) use transport::api_error as answer_error;

use crate::error::Result;
#[cfg(not(target_arch = "wasm32"))]
use crate::error::{Error, ErrorCode};
use crate::models::ResponseMeta;
use config::Config;
use ratelimit::RateLimiter;

/// A successful result with its HTTP metadata. Derefs to the data, so the common path stays
/// short (`sent.deliveries`), and [`Response::meta`] has the status, headers, request id,
/// rate-limit headers and the idempotent-replay flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    data: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    /// Wraps data and metadata (useful for test doubles).
    pub fn new(data: T, meta: ResponseMeta) -> Response<T> {
        Response { data, meta }
    }

    /// The HTTP metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The data, dropping the metadata.
    pub fn into_inner(self) -> T {
        self.data
    }

    /// Data and metadata.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.data, self.meta)
    }

    /// Applies `f` to the data, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { data: f(self.data), meta: self.meta }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

/// Per-request overrides, applied with [`Client::with_options`].
#[derive(Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// Per-attempt timeout for these calls.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt for these calls.
    pub max_retries: Option<u32>,
    /// The idempotency key of the next POST (a send): the caller's, instead of a generated one.
    /// Use a key derived from your own data (e.g. `order-1042-confirmation`) to make sends
    /// idempotent across process restarts too.
    pub idempotency_key: Option<String>,
    /// Headers added to these requests.
    pub extra_headers: Vec<(String, String)>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("idempotency_key", &self.idempotency_key)
            .field("extra_headers", &self.extra_headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .finish()
    }
}

impl RequestOptions {
    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> RequestOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the number of retries.
    pub fn max_retries(mut self, retries: u32) -> RequestOptions {
        self.max_retries = Some(retries);
        self
    }

    /// Sets the idempotency key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> RequestOptions {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        self.extra_headers.push((name.into(), value.into()));
        self
    }
}

struct ClientInner {
    config: Config,
    /// On wasm32 each attempt calls the runtime's `fetch` itself (`fetch.rs`).
    #[cfg(not(target_arch = "wasm32"))]
    http: HttpClient,
    limiter: Option<RateLimiter>,
}

/// The reqwest client and the process it was built in. A connection pool made before `fork()`
/// holds connections whose I/O tasks lived on the parent's runtime, so a child process builds
/// its own on first use (docs/contract.md §2 "Processes").
#[cfg(not(target_arch = "wasm32"))]
struct HttpClient {
    slot: std::sync::Mutex<(u32, reqwest::Client)>,
}

#[cfg(not(target_arch = "wasm32"))]
impl HttpClient {
    fn new(config: &Config) -> Result<HttpClient> {
        let client = build_http(config)?;
        Ok(HttpClient { slot: std::sync::Mutex::new((std::process::id(), client)) })
    }

    /// The client of this process (cheap: reqwest clients are reference-counted).
    fn get(&self, config: &Config) -> Result<reqwest::Client> {
        let mut slot = self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let pid = std::process::id();
        if slot.0 != pid {
            // The parent's pool is unusable here; leak it rather than run its destructors,
            // which would touch the parent's runtime.
            let stale = std::mem::replace(&mut *slot, (pid, build_http(config)?));
            std::mem::forget(stale);
        }
        Ok(slot.1.clone())
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn build_http(config: &Config) -> Result<reqwest::Client> {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(config.timeout.min(Duration::from_secs(10)))
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        // The API never redirects; following one would re-send the body, the key and the
        // idempotency key to wherever it points (docs/contract.md §2 "Redirects").
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot build the HTTP client: {e}")))
}

/// The Sendivent API client. Cheap to clone; clones share connections and the rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
    options: RequestOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).field("options", &self.options).finish()
    }
}

/// Installs rustls' `ring` crypto provider as the process default unless one is installed.
///
/// [`Client::new`] calls it. Call it yourself before building other `reqwest` clients in a
/// program that links this crate: reqwest is built with `rustls-no-provider` here, and panics
/// when a client is built with no provider installed.
#[cfg(not(target_arch = "wasm32"))]
pub fn install_crypto_provider() {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Err means the host application installed its own provider first: keep theirs.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Client {
    /// Builds a client. Fails with MISSING_API_KEY, INVALID_API_KEY, INVALID_BASE_URL or
    /// INSECURE_BASE_URL before any request is made.
    ///
    /// ```
    /// use sendivent::client::{Client, ClientOptions};
    /// let client = Client::new(ClientOptions {
    ///     api_key: Some("test_abc123".into()),
    ///     base_url: Some("http://127.0.0.1:8080".into()),
    ///     ..ClientOptions::default()
    /// }).unwrap();
    /// assert!(!format!("{client:?}").contains("abc123"));
    /// ```
    pub fn new(options: ClientOptions) -> Result<Client> {
        let config = Config::resolve(&options)?;
        #[cfg(not(target_arch = "wasm32"))]
        let http = HttpClient::new(&config)?;
        let limiter = config.rate.map(RateLimiter::new);
        let inner = ClientInner {
            config,
            #[cfg(not(target_arch = "wasm32"))]
            http,
            limiter,
        };
        Ok(Client { inner: Arc::new(inner), options: RequestOptions::default() })
    }

    /// A client configured from `SENDIVENT_API_KEY` and `SENDIVENT_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        Client::new(ClientOptions::default())
    }

    /// A client for the given key (base URL from `SENDIVENT_BASE_URL` or the key's prefix).
    pub fn with_key(api_key: impl Into<String>) -> Result<Client> {
        Client::new(ClientOptions { api_key: Some(api_key.into()), ..ClientOptions::default() })
    }

    /// A clone whose calls use these overrides (timeout, retries, idempotency key, headers).
    /// Shares connections and the rate limiter with `self`.
    ///
    /// ```no_run
    /// # use sendivent::client::{Client, RequestOptions};
    /// # use sendivent::models::SendRequest;
    /// # async fn f(client: Client) -> sendivent::Result<()> {
    /// let sent = client
    ///     .with_options(RequestOptions::default().idempotency_key("order-1042-confirmation"))
    ///     .send("order.confirmed", SendRequest::to("ada@example.com"))
    ///     .await?;
    /// if sent.meta().idempotent_replay {
    ///     println!("already sent earlier; nothing was sent twice");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let merged = RequestOptions {
            timeout: options.timeout.or(self.options.timeout),
            max_retries: options.max_retries.or(self.options.max_retries),
            idempotency_key: options.idempotency_key.or_else(|| self.options.idempotency_key.clone()),
            extra_headers: self.options.extra_headers.iter().cloned().chain(options.extra_headers).collect(),
        };
        Client { inner: Arc::clone(&self.inner), options: merged }
    }

    /// Whether the key is a production or sandbox key.
    pub fn key_mode(&self) -> KeyMode {
        self.inner.config.mode
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.config.base_url.as_str()
    }

    /// The API key as it may be shown: its prefix and last four characters (`test_…QRST`),
    /// for bindings' `repr`/`toString`.
    pub fn redacted_api_key(&self) -> String {
        crate::error::redact(&self.inner.config.api_key)
    }

    /// The HTTP client of the current process.
    #[cfg(not(target_arch = "wasm32"))]
    fn http(&self) -> Result<reqwest::Client> {
        self.inner.http.get(&self.inner.config)
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// A multi-threaded tokio runtime shared by the blocking facade and the bindings, built on
/// first use. After `fork()` the child gets a fresh one (a runtime's threads do not survive a
/// fork, and pre-fork servers such as gunicorn fork after import).
pub fn shared_runtime() -> Result<Arc<tokio::runtime::Runtime>> {
    static RUNTIME: std::sync::Mutex<Option<(u32, Arc<tokio::runtime::Runtime>)>> = std::sync::Mutex::new(None);
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((owner, runtime)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(Arc::clone(runtime));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4)))
        .thread_name("sendivent")
        .enable_all()
        .build()
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot start the async runtime: {e}")))?;
    let runtime = Arc::new(runtime);
    if let Some((_, stale)) = slot.replace((pid, Arc::clone(&runtime))) {
        // The parent's runtime threads do not exist in this child: never run its shutdown.
        std::mem::forget(stale);
    }
    Ok(runtime)
}
