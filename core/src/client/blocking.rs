//! A blocking facade over [`super::Client`] for synchronous callers (the C ABI, sync Python).
//!
//! Calls run on the process-wide runtime from [`super::shared_runtime`]; one
//! [`Client`] may be used from many threads at once.
//!
//! ```no_run
//! use sendivent::client::blocking::Client;
//! use sendivent::models::SendRequest;
//!
//! let client = Client::from_env()?;
//! let sent = client.send("user.welcome", SendRequest::to("ada@example.com"))?;
//! let events = client.run(|c| async move { c.events().list().await })?;
//! # Ok::<(), sendivent::Error>(())
//! ```

use std::future::Future;
use std::sync::Arc;

use super::{ClientOptions, Paginator, RequestOptions, Response, SendItem};
use crate::error::Result;
use crate::models::{Channel, SendRequest, SendResponse};

/// A blocking client. Cheap to clone; safe to share between threads, and across `fork()`: the
/// child runs its calls on its own runtime (docs/contract.md §2 "Processes").
#[derive(Debug, Clone)]
pub struct Client {
    inner: super::Client,
    runtime: ProcessRuntime,
}

/// The shared runtime and the process it belongs to. A runtime's threads do not survive
/// `fork()`: in a child, calls go to the child's own [`super::shared_runtime`].
#[derive(Debug, Clone)]
struct ProcessRuntime {
    pid: u32,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl ProcessRuntime {
    fn new() -> Result<ProcessRuntime> {
        Ok(ProcessRuntime { pid: std::process::id(), runtime: super::shared_runtime()? })
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        if std::process::id() == self.pid {
            return self.runtime.block_on(future);
        }
        match super::shared_runtime() {
            Ok(runtime) => runtime.block_on(future),
            // Only when the child cannot start threads; the bindings' panic boundaries report it.
            Err(err) => panic!("sendivent: no async runtime in this process after fork(): {err}"),
        }
    }
}

impl Client {
    /// Builds a client (see [`super::Client::new`]).
    pub fn new(options: ClientOptions) -> Result<Client> {
        Ok(Client { inner: super::Client::new(options)?, runtime: ProcessRuntime::new()? })
    }

    /// A client configured from the environment.
    pub fn from_env() -> Result<Client> {
        Client::new(ClientOptions::default())
    }

    /// Wraps an async client.
    pub fn from_async(inner: super::Client) -> Result<Client> {
        Ok(Client { inner, runtime: ProcessRuntime::new()? })
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &super::Client {
        &self.inner
    }

    /// A clone whose calls use these overrides.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client { inner: self.inner.with_options(options), runtime: self.runtime.clone() }
    }

    /// Runs any async call to completion: `client.run(|c| async move { c.events().list().await })`.
    pub fn run<F, Fut, T>(&self, call: F) -> T
    where
        F: FnOnce(super::Client) -> Fut,
        Fut: Future<Output = T>,
    {
        self.runtime.block_on(call(self.inner.clone()))
    }

    /// See [`super::Client::send`].
    pub fn send(&self, event: &str, request: SendRequest) -> Result<Response<SendResponse>> {
        self.runtime.block_on(self.inner.send(event, request))
    }

    /// See [`super::Client::send_on`].
    pub fn send_on(&self, event: &str, channel: Channel, request: SendRequest) -> Result<Response<SendResponse>> {
        self.runtime.block_on(self.inner.send_on(event, channel, request))
    }

    /// See [`super::Client::send_many`].
    pub fn send_many(&self, items: Vec<SendItem>, concurrency: usize) -> Vec<Result<Response<SendResponse>>> {
        self.runtime.block_on(self.inner.send_many(items, concurrency))
    }

    /// Turns an async paginator into a blocking iterator.
    pub fn iter<T: Send + 'static>(&self, paginator: Paginator<T>) -> BlockingIter<T> {
        BlockingIter { paginator, runtime: self.runtime.clone() }
    }
}

/// A blocking iterator over a [`Paginator`].
#[derive(Debug)]
pub struct BlockingIter<T> {
    paginator: Paginator<T>,
    runtime: ProcessRuntime,
}

impl<T: Send + 'static> Iterator for BlockingIter<T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.runtime.block_on(self.paginator.next())
    }
}
