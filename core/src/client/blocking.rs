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

/// A blocking client. Cheap to clone; safe to share between threads.
#[derive(Debug, Clone)]
pub struct Client {
    inner: super::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Client {
    /// Builds a client (see [`super::Client::new`]).
    pub fn new(options: ClientOptions) -> Result<Client> {
        Ok(Client { inner: super::Client::new(options)?, runtime: super::shared_runtime()? })
    }

    /// A client configured from the environment.
    pub fn from_env() -> Result<Client> {
        Client::new(ClientOptions::default())
    }

    /// Wraps an async client.
    pub fn from_async(inner: super::Client) -> Result<Client> {
        Ok(Client { inner, runtime: super::shared_runtime()? })
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &super::Client {
        &self.inner
    }

    /// A clone whose calls use these overrides.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client { inner: self.inner.with_options(options), runtime: Arc::clone(&self.runtime) }
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
        BlockingIter { paginator, runtime: Arc::clone(&self.runtime) }
    }
}

/// A blocking iterator over a [`Paginator`].
#[derive(Debug)]
pub struct BlockingIter<T> {
    paginator: Paginator<T>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl<T: Send + 'static> Iterator for BlockingIter<T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.runtime.block_on(self.paginator.next())
    }
}
