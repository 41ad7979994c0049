//! Bridges Python to the core's process-wide tokio runtime (`sendivent::client::shared_runtime`),
//! which the core rebuilds after `fork()`: one runtime per process, shared by the sync client, the
//! async client and the paginators.
//!
//! - Blocking calls ([`block_on`]) run the future on the runtime's workers while the calling
//!   thread waits on a channel with the GIL released, waking every 100 ms to deliver signals.
//! - Awaitables ([`awaitable`]) are asyncio futures of the running loop. The Rust future runs on
//!   the runtime; when it finishes, its output (plain Rust data) is queued in the loop's
//!   [`Completer`] and the loop is woken through a socket it watches (`loop.add_reader`). The
//!   completer then converts every finished output and sets the futures' results on the loop's
//!   own thread. No runtime thread takes the GIL to hand a result back, and one wake-up serves
//!   every call that finished in the meantime.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::task::AbortHandle;

use crate::errors::IntoPyResult;

/// The shared runtime, or the Python exception saying why it could not start.
pub fn runtime(py: Python<'_>) -> PyResult<Arc<tokio::runtime::Runtime>> {
    sendivent::client::shared_runtime().py_err(py)
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
    let (done, mut output) = sync_channel(1);
    let task = rt.spawn(async move {
        // The receiver is gone only when the caller was interrupted.
        let _ = done.send(fut.await);
    });
    loop {
        let (receiver, received) = py.detach(move || {
            let received = output.recv_timeout(Duration::from_millis(100));
            (output, received)
        });
        output = receiver;
        match received {
            Ok(output) => return Ok(output),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(err) = py.check_signals() {
                    task.abort();
                    return Err(err);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err("the sendivent task failed"));
            }
        }
    }
}

/// A finished call's output, turned into its Python value on the loop's thread.
type Deliver = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// A call whose Rust future finished, waiting for the loop.
struct Finished {
    future: Py<PyAny>,
    canceller: Py<Canceller>,
    deliver: Deliver,
}

/// How a completer's loop is woken.
enum Wake {
    /// A socket pair: the loop watches the read end (`add_reader`); a byte on the write end
    /// wakes it.
    #[cfg(unix)]
    Socket { reader: std::os::unix::net::UnixStream, writer: std::os::unix::net::UnixStream },
    /// `loop.call_soon_threadsafe(completer)`, taking the GIL once per wake-up: for loops that
    /// cannot watch a socket (Windows' proactor loop).
    Threadsafe { call_soon_threadsafe: Py<PyAny>, completer: PyOnceLock<Py<PyAny>> },
}

/// What the runtime's threads share with one loop's completer.
struct Inbox {
    finished: Mutex<Vec<Finished>>,
    /// Whether a wake-up is on its way: calls finishing before the loop runs the completer share
    /// one wake-up.
    signalled: AtomicBool,
    wake: Wake,
}

impl Inbox {
    fn push(&self, finished: Finished) {
        self.finished.lock().unwrap_or_else(PoisonError::into_inner).push(finished);
        if self.signalled.swap(true, Ordering::AcqRel) {
            return;
        }
        match &self.wake {
            #[cfg(unix)]
            Wake::Socket { writer, .. } => {
                use std::io::Write;
                // A full buffer means a wake-up is pending already.
                let _ = (&*writer).write(&[1]);
            }
            Wake::Threadsafe { call_soon_threadsafe, completer } => Python::attach(|py| {
                if let Some(completer) = completer.get(py)
                    && let Err(err) = call_soon_threadsafe.call1(py, (completer,))
                {
                    // The loop was closed with calls in flight: their futures are gone with it.
                    drop(err);
                }
            }),
        }
    }

    /// Takes the finished calls, re-arming the wake-up first so that a call finishing meanwhile
    /// wakes the loop again.
    fn take(&self) -> Vec<Finished> {
        #[cfg(unix)]
        if let Wake::Socket { reader, .. } = &self.wake {
            use std::io::Read;
            let mut buf = [0u8; 64];
            while matches!((&*reader).read(&mut buf), Ok(n) if n > 0) {}
        }
        self.signalled.store(false, Ordering::Release);
        std::mem::take(&mut *self.finished.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// One event loop's receiver of finished calls: the loop calls it when woken, and it sets the
/// results of every call that finished.
#[pyclass(module = "sendivent._native", frozen)]
pub struct Completer {
    inbox: Arc<Inbox>,
}

#[pymethods]
impl Completer {
    /// Sets the result (or the exception) of every finished call whose future still waits.
    fn __call__(&self, py: Python<'_>) {
        for finished in self.inbox.take() {
            let future = finished.future.bind(py);
            let outcome = (|| -> PyResult<()> {
                future.call_method1(intern!(py, "remove_done_callback"), (finished.canceller,))?;
                if future.call_method0(intern!(py, "cancelled"))?.is_truthy()? {
                    return Ok(());
                }
                match (finished.deliver)(py) {
                    Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
                    Err(err) => future.call_method1(intern!(py, "set_exception"), (err.into_value(py),))?,
                };
                Ok(())
            })();
            if let Err(err) = outcome {
                err.write_unraisable(py, Some(future));
            }
        }
    }
}

/// The done-callback of a call's future: aborts the Rust task when the future is cancelled
/// (cancelling the awaiting task cancels the request). Removed before a result is set.
#[pyclass(module = "sendivent._native", frozen)]
pub struct Canceller {
    abort: Mutex<Option<AbortHandle>>,
}

#[pymethods]
impl Canceller {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0(intern!(future.py(), "cancelled"))?.is_truthy()?
            && let Some(abort) = self.abort.lock().unwrap_or_else(PoisonError::into_inner).take()
        {
            abort.abort();
        }
        Ok(())
    }
}

/// A loop this thread has run calls on, with its completer and the runtime it was made for (a
/// new runtime means a new process after `fork()`, whose wake-up socket must be its own).
struct LoopEntry {
    event_loop: Py<PyAny>,
    completer: Py<Completer>,
    inbox: Arc<Inbox>,
    runtime: Arc<tokio::runtime::Runtime>,
}

thread_local! {
    static LOOPS: RefCell<Vec<LoopEntry>> = const { RefCell::new(Vec::new()) };
}

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The running loop's inbox, made (and its wake-up registered with the loop) on first use.
fn inbox<'py>(py: Python<'py>, runtime: &Arc<tokio::runtime::Runtime>) -> PyResult<(Bound<'py, PyAny>, Arc<Inbox>)> {
    let get_running_loop = GET_RUNNING_LOOP
        .get_or_try_init(py, || py.import("asyncio")?.getattr("get_running_loop").map(Bound::unbind))?;
    let event_loop = get_running_loop.bind(py).call0()?;
    let found = LOOPS.with(|loops| {
        loops
            .borrow()
            .iter()
            .find(|e| e.event_loop.bind(py).is(&event_loop) && Arc::ptr_eq(&e.runtime, runtime))
            .map(|e| Arc::clone(&e.inbox))
    });
    if let Some(inbox) = found {
        return Ok((event_loop, inbox));
    }
    // Forget loops that are closed or belong to another process's runtime.
    let stale: Vec<LoopEntry> = LOOPS.with(|loops| {
        let mut loops = loops.borrow_mut();
        let (keep, stale) = std::mem::take(&mut *loops).into_iter().partition(|e| {
            Arc::ptr_eq(&e.runtime, runtime)
                && !e
                    .event_loop
                    .bind(py)
                    .call_method0(intern!(py, "is_closed"))
                    .and_then(|closed| closed.is_truthy())
                    .unwrap_or(true)
        });
        *loops = keep;
        stale
    });
    for entry in stale {
        #[cfg(unix)]
        if let Wake::Socket { reader, .. } = &entry.inbox.wake {
            use std::os::fd::AsRawFd;
            let loop_ = entry.event_loop.bind(py);
            // Still open in this process: stop watching the socket. A closed loop, or one of the
            // parent's, has nothing to stop.
            if Arc::ptr_eq(&entry.runtime, runtime) {
                let _ = loop_.call_method1(intern!(py, "remove_reader"), (reader.as_raw_fd(),));
            }
        }
        drop(entry.completer);
    }
    let entry = register(py, &event_loop, runtime)?;
    let inbox = Arc::clone(&entry.inbox);
    LOOPS.with(|loops| loops.borrow_mut().push(entry));
    Ok((event_loop, inbox))
}

/// A completer for `event_loop`, woken through a socket the loop watches, or through
/// `call_soon_threadsafe` when the loop cannot watch one.
fn register(
    py: Python<'_>,
    event_loop: &Bound<'_, PyAny>,
    runtime: &Arc<tokio::runtime::Runtime>,
) -> PyResult<LoopEntry> {
    #[cfg(unix)]
    if let Ok((reader, writer)) = std::os::unix::net::UnixStream::pair()
        && reader.set_nonblocking(true).is_ok()
        && writer.set_nonblocking(true).is_ok()
    {
        use std::os::fd::AsRawFd;
        let fd = reader.as_raw_fd();
        let inbox = Arc::new(Inbox {
            finished: Mutex::new(Vec::new()),
            signalled: AtomicBool::new(false),
            wake: Wake::Socket { reader, writer },
        });
        let completer = Py::new(py, Completer { inbox: Arc::clone(&inbox) })?;
        match event_loop.call_method1(intern!(py, "add_reader"), (fd, completer.clone_ref(py))) {
            Ok(_) => {
                return Ok(LoopEntry {
                    event_loop: event_loop.clone().unbind(),
                    completer,
                    inbox,
                    runtime: Arc::clone(runtime),
                });
            }
            Err(err) if err.is_instance_of::<pyo3::exceptions::PyNotImplementedError>(py) => {}
            Err(err) => return Err(err),
        }
    }
    let inbox = Arc::new(Inbox {
        finished: Mutex::new(Vec::new()),
        signalled: AtomicBool::new(false),
        wake: Wake::Threadsafe {
            call_soon_threadsafe: event_loop.getattr(intern!(py, "call_soon_threadsafe"))?.unbind(),
            completer: PyOnceLock::new(),
        },
    });
    let completer = Py::new(py, Completer { inbox: Arc::clone(&inbox) })?;
    if let Wake::Threadsafe { completer: slot, .. } = &inbox.wake {
        let _ = slot.set(py, completer.clone_ref(py).into_any());
    }
    Ok(LoopEntry { event_loop: event_loop.clone().unbind(), completer, inbox, runtime: Arc::clone(runtime) })
}

/// Turns a Rust future into an asyncio future of the running loop, resolved with the output's
/// Python value (or its exception). Cancelling the awaitable drops the Rust future, and with it
/// any request in flight.
pub fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = T> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    // Start (or rebuild after fork) the runtime here, where a failure can still be raised.
    let rt = runtime(py)?;
    let (event_loop, inbox) = inbox(py, &rt)?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let canceller = Py::new(py, Canceller { abort: Mutex::new(None) })?;
    future.call_method1(intern!(py, "add_done_callback"), (canceller.clone_ref(py),))?;
    let (waiting, callback) = (future.clone().unbind(), canceller.clone_ref(py));
    let task = rt.spawn(async move {
        let output = fut.await;
        let deliver: Deliver = Box::new(move |py| pyo3::IntoPyObjectExt::into_py_any(output, py));
        inbox.push(Finished { future: waiting, canceller: callback, deliver });
    });
    *canceller.get().abort.lock().unwrap_or_else(PoisonError::into_inner) = Some(task.abort_handle());
    Ok(future)
}
