//! Bridges asyncio to the core's process-wide tokio runtime (`sendivent::client::shared_runtime`).
//!
//! pyo3-async-runtimes' own tokio runtime is a `OnceLock` that cannot be replaced, so a forked
//! child (gunicorn, multiprocessing) would keep a runtime whose threads do not exist. This
//! adapter implements the crate's generic `Runtime` traits over the core's shared runtime,
//! which the core rebuilds after `fork()`: one runtime per process, shared by the sync client,
//! the async client and the blocking paginators.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime};
use tokio::runtime::Handle;

use crate::errors::IntoPyResult;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

/// The core's shared runtime, as a pyo3-async-runtimes runtime.
pub struct SharedTokio;

/// Why a spawned task produced no output.
pub enum SpawnError {
    /// The task panicked or was cancelled.
    Join(tokio::task::JoinError),
    /// No runtime could be started (thread creation failed).
    NoRuntime,
}

impl JoinError for SpawnError {
    fn is_panic(&self) -> bool {
        matches!(self, SpawnError::Join(e) if e.is_panic())
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        match self {
            SpawnError::Join(e) if e.is_panic() => e.into_panic(),
            _ => Box::new("the sendivent runtime is not available"),
        }
    }
}

/// A spawned task.
pub struct Task(Option<tokio::task::JoinHandle<()>>);

impl Future for Task {
    type Output = Result<(), SpawnError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.0.as_mut() {
            None => Poll::Ready(Err(SpawnError::NoRuntime)),
            Some(handle) => Pin::new(handle).poll(cx).map(|r| r.map_err(SpawnError::Join)),
        }
    }
}

fn handle() -> Option<Handle> {
    Handle::try_current().ok().or_else(|| sendivent::client::shared_runtime().ok().map(|rt| rt.handle().clone()))
}

impl Runtime for SharedTokio {
    type JoinError = SpawnError;
    type JoinHandle = Task;

    fn spawn<F>(fut: F) -> Task
    where
        F: Future<Output = ()> + Send + 'static,
    {
        Task(handle().map(|h| h.spawn(fut)))
    }

    fn spawn_blocking<F>(f: F) -> Task
    where
        F: FnOnce() + Send + 'static,
    {
        // pyo3-async-runtimes hands results back to asyncio from these blocking tasks, holding
        // Python objects. They are counted so that interpreter exit can wait for them: a thread
        // that touches Python after finalisation has started crashes the process.
        let guard = InFlight::enter();
        Task(handle().map(|h| {
            h.spawn_blocking(move || {
                let _guard = guard;
                f();
            })
        }))
    }
}

impl ContextExt for SharedTokio {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        // A fresh cell is empty, so `set` cannot fail.
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|c| c.get().cloned()).unwrap_or_default()
    }
}

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Counts a blocking task that may touch Python objects until it is dropped.
struct InFlight;

impl InFlight {
    fn enter() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Registered with `atexit`: waits (GIL released, at most `timeout` seconds) until no task that
/// hands a result back to asyncio is still running, so none of them touches a finalising
/// interpreter.
#[pyfunction]
#[pyo3(signature = (timeout=2.0))]
pub fn _drain(py: Python<'_>, timeout: f64) {
    let deadline = Instant::now() + Duration::from_secs_f64(timeout.clamp(0.0, 60.0));
    py.detach(|| {
        while IN_FLIGHT.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
    });
}

/// The shared runtime, or the Python exception saying why it could not start.
pub fn runtime(py: Python<'_>) -> PyResult<Arc<tokio::runtime::Runtime>> {
    sendivent::client::shared_runtime().py_err(py)
}

/// Turns a Rust future into an asyncio awaitable running on the shared runtime. Cancelling the
/// awaitable drops the Rust future (and with it any request in flight).
pub fn into_awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    // Start (or rebuild after fork) the runtime here, where a failure can still be raised.
    runtime(py)?;
    pyo3_async_runtimes::generic::future_into_py::<SharedTokio, F, T>(py, fut)
}

/// Runs a future to completion from a Python thread. The future runs on the runtime's worker
/// threads (where the I/O driver is, so no wake-up has to cross threads mid-request) while this
/// thread waits with the GIL released; every 100 ms it re-acquires the GIL briefly to deliver
/// signals, so Ctrl-C interrupts a long call (the task is aborted, cancelling the request).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = runtime(py)?;
    let mut task = rt.spawn(fut);
    loop {
        let step =
            py.detach(|| rt.block_on(async { tokio::time::timeout(Duration::from_millis(100), &mut task).await }));
        match step {
            Ok(Ok(output)) => return Ok(output),
            Ok(Err(join)) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!("the sendivent task failed: {join}")));
            }
            Err(_) => {
                if let Err(err) = py.check_signals() {
                    task.abort();
                    return Err(err);
                }
            }
        }
    }
}
