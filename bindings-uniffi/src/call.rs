//! What every generated client method shares: the `Client` object, arguments into the JSON of
//! the core's `Client::call`, answers into records, the blocking form, and the panic boundary.
//! Nothing here knows an operation: the generated methods (`client_gen.rs`) name them.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use sendivent::client::Paginator;
use sendivent::{Error, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::errors_gen::SendiventError;
use crate::json::{from_canonical, to_canonical};
use crate::models_gen::{ClientOptions, RequestOptions, ResponseMeta, SendItem, SendResponse};

/// The binding's name in `User-Agent: sendivent-<binding>/<version>` (Kotlin and Swift load
/// the same library).
const BINDING: &str = "uniffi";

/// A record an operation answers with: it carries the response it came from.
pub(crate) trait Answer: DeserializeOwned {
    /// Attaches the response metadata (`last_response`).
    fn set_response(&mut self, meta: ResponseMeta);
}

/// The Sendivent API client: `send`, `send_many`, and the resources (`contacts`, `events`,
/// `deliveries`, `integrations`, `webhooks`), each call in a `suspend`/`async` form and a
/// blocking one. Cheap to share between threads and coroutines; clones made by `with_options`
/// share its connections.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Client {
    pub(crate) inner: sendivent::client::Client,
}

// The core's `Debug` shows the key redacted (`test_…a1b2`).
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

#[uniffi::export]
impl Client {
    /// A client. Without options (or with fields left out) the key comes from
    /// `SENDIVENT_API_KEY` and the base URL from `SENDIVENT_BASE_URL`, else from the key's
    /// prefix. Fails with MISSING_API_KEY, INVALID_API_KEY, INVALID_BASE_URL, INSECURE_BASE_URL or
    /// INVALID_ARGUMENT (an option out of its bounds) before any request is made.
    #[uniffi::constructor(default(options = None))]
    pub fn new(options: Option<ClientOptions>) -> Result<Arc<Client>, SendiventError> {
        guard(|| {
            let options = sendivent::client::ClientOptions::from_value(&to_canonical(&options)?, BINDING)?;
            Ok(Arc::new(Client { inner: sendivent::client::Client::new(options)? }))
        })
    }

    /// A client whose calls use these overrides (an idempotency key, a timeout, headers),
    /// sharing this one's connections and rate limiter.
    pub fn with_options(&self, options: RequestOptions) -> Result<Arc<Client>, SendiventError> {
        guard(|| Ok(Arc::new(Client { inner: with_options(&self.inner, Some(options))? })))
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }
}

/// `Client::call`'s arguments, built by the generated methods.
pub(crate) struct Args(Map<String, Value>);

impl Args {
    pub(crate) fn new() -> Args {
        Args(Map::new())
    }

    /// A path parameter.
    pub(crate) fn path(mut self, name: &str, value: String) -> Result<Args, SendiventError> {
        self.0.insert(name.to_owned(), Value::String(value));
        Ok(self)
    }

    /// A path parameter that may be left out.
    pub(crate) fn optional_path(self, name: &str, value: Option<String>) -> Result<Args, SendiventError> {
        match value {
            Some(value) => self.path(name, value),
            None => Ok(self),
        }
    }

    /// The request body.
    pub(crate) fn body<T: Serialize>(mut self, name: &str, body: T) -> Result<Args, SendiventError> {
        self.0.insert(name.to_owned(), to_canonical(&body)?);
        Ok(self)
    }

    /// The query parameters: each field of the record by its name.
    pub(crate) fn query<T: Serialize>(mut self, _name: &str, params: Option<T>) -> Result<Args, SendiventError> {
        if let Some(params) = params {
            match to_canonical(&params)? {
                Value::Object(fields) => self.0.extend(fields),
                other => return Err(internal(format!("query parameters encoded as {other}"))),
            }
        }
        Ok(self)
    }
}

/// The client with per-call overrides applied (the core checks their bounds).
pub(crate) fn with_options(
    client: &sendivent::client::Client,
    options: Option<RequestOptions>,
) -> Result<sendivent::client::Client, SendiventError> {
    match options {
        None => Ok(client.clone()),
        Some(options) => {
            Ok(client.with_options(sendivent::client::RequestOptions::from_value(&to_canonical(&options)?)?))
        }
    }
}

/// Runs an operation of the core's description and reads its answer into `T`.
pub(crate) async fn call<T: Answer>(
    client: &sendivent::client::Client,
    operation: &str,
    args: Args,
    options: Option<RequestOptions>,
) -> Result<T, SendiventError> {
    guarded(async move {
        let client = with_options(client, options)?;
        let (data, meta) = client.call(operation, &Value::Object(args.0)).await?.into_parts();
        let mut answer: T = from_canonical(data)?;
        answer.set_response(from_canonical(to_canonical(&meta)?)?);
        Ok(answer)
    })
    .await
}

/// `send_many`: the items as the core's JSON, one result per item in order.
pub(crate) async fn send_many(
    client: &sendivent::client::Client,
    items: Vec<SendItem>,
    concurrency: Option<i64>,
    options: Option<RequestOptions>,
) -> Result<Vec<Result<SendResponse, SendiventError>>, SendiventError> {
    guarded(async move {
        let client = with_options(client, options)?;
        let items = to_canonical(&items)?;
        // The core checks the bound on a number; an i64 beyond 2^53 loses precision as f64, far
        // outside the bound either way.
        let results = client.send_many_json(&items, concurrency.map(|n| n as f64)).await?;
        Ok(results
            .into_iter()
            .map(|result| {
                let (data, meta) = result?.into_parts();
                let mut answer: SendResponse = from_canonical(data)?;
                answer.set_response(from_canonical(to_canonical(&meta)?)?);
                Ok(answer)
            })
            .collect())
    })
    .await
}

/// The state of an auto-paginating walk (the core steps it); the generated paginators read
/// their item type from it.
pub(crate) struct Pages(tokio::sync::Mutex<Paginator<Value>>);

impl Pages {
    pub(crate) fn open(
        client: &sendivent::client::Client,
        operation: &str,
        args: Args,
        options: Option<RequestOptions>,
    ) -> Result<Pages, SendiventError> {
        guard(|| {
            let client = with_options(client, options)?;
            Ok(Pages(tokio::sync::Mutex::new(client.paginate(operation, &Value::Object(args.0))?)))
        })
    }

    pub(crate) async fn next<T: DeserializeOwned>(&self) -> Result<Option<T>, SendiventError> {
        guarded(async {
            match self.0.lock().await.next().await {
                None => Ok(None),
                Some(item) => Ok(Some(from_canonical(item?)?)),
            }
        })
        .await
    }
}

/// Runs a future to completion on the core's shared runtime: the blocking form of every call.
pub(crate) fn block_on<T>(future: impl Future<Output = Result<T, SendiventError>>) -> Result<T, SendiventError> {
    guard(|| sendivent::client::shared_runtime()?.block_on(guarded(future)))
}

impl From<Error> for SendiventError {
    fn from(err: Error) -> SendiventError {
        crate::errors::from_core(&err)
    }
}

/// INTERNAL_ERROR: a bug in the SDK.
pub(crate) fn internal(message: impl Into<String>) -> SendiventError {
    Error::Binding { code: ErrorCode::InternalError, message: message.into() }.into()
}

/// INVALID_ARGUMENT: an argument the core cannot take.
pub(crate) fn invalid_argument(message: impl Into<String>) -> SendiventError {
    Error::Binding { code: ErrorCode::InvalidArgument, message: message.into() }.into()
}

/// INVALID_REQUEST: a request that cannot be built from the arguments.
pub(crate) fn invalid_request(message: impl Into<String>) -> SendiventError {
    Error::invalid(ErrorCode::InvalidRequest, message).into()
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> SendiventError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned());
    internal(format!("a bug in the SDK ({what}); please report it"))
}

/// Runs `f`, turning a panic into INTERNAL_ERROR (class `InternalError`) instead of uniffi's
/// generic exception, so every failure a caller sees carries a code.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, SendiventError>) -> Result<T, SendiventError> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(payload.as_ref())))
}

/// How many [`guarded`] futures exist: the tests check that a cancelled coroutine's call is
/// dropped (its request cancelled), not merely abandoned.
static IN_FLIGHT: AtomicU64 = AtomicU64::new(0);

/// The number of calls in flight (see [`IN_FLIGHT`]).
pub(crate) fn in_flight() -> u64 {
    IN_FLIGHT.load(Ordering::SeqCst)
}

/// [`guard`] for a future: a panic while it is polled ends it with INTERNAL_ERROR. Dropping it
/// (a cancelled coroutine or task) drops the inner future, which cancels the request.
pub(crate) fn guarded<T, F>(future: F) -> Guarded<F>
where
    F: Future<Output = Result<T, SendiventError>>,
{
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    Guarded(Box::pin(future))
}

/// The future of [`guarded`].
pub(crate) struct Guarded<F>(Pin<Box<F>>);

impl<T, F: Future<Output = Result<T, SendiventError>>> Future for Guarded<F> {
    type Output = Result<T, SendiventError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx)))
            .unwrap_or_else(|payload| Poll::Ready(Err(panicked(payload.as_ref()))))
    }
}

impl<F> Drop for Guarded<F> {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}
