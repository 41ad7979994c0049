//! The per-target pieces of the client: sleeping, the clocks, boxed futures and concurrent
//! sends. Native builds use tokio; `wasm32-unknown-unknown` (the WASM package, running on the
//! host's event loop in Node, Deno, Bun, workerd or a browser) uses `setTimeout`, `Date.now()`
//! and `spawn_local`, because tokio's timers, `std::time::Instant::now()` and
//! `SystemTime::now()` do not work there.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// A boxed future: `Send` on native targets (tokio may move it between threads), not on wasm32,
/// where futures hold JS values and run on the single JS thread.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future: `Send` on native targets (tokio may move it between threads), not on wasm32,
/// where futures hold JS values and run on the single JS thread.
#[cfg(target_arch = "wasm32")]
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// The wall clock, for `Retry-After` dates.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

/// The wall clock, for `Retry-After` dates: `Date.now()`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn now() -> SystemTime {
    let millis = js_sys::Date::now();
    let millis = if millis.is_finite() && millis > 0.0 { millis } else { 0.0 };
    SystemTime::UNIX_EPOCH + Duration::from_secs_f64(millis / 1000.0)
}

/// A monotonic instant: tokio's (so paused test time applies) on native targets.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use tokio::time::Instant;

/// Sleeps for `duration`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// Sleeps until `deadline`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn sleep_until(deadline: Instant) {
    tokio::time::sleep_until(deadline).await;
}

/// A spawned task whose output can be awaited.
pub(crate) struct Task<T> {
    #[cfg(not(target_arch = "wasm32"))]
    handle: tokio::task::JoinHandle<T>,
    #[cfg(target_arch = "wasm32")]
    receiver: tokio::sync::oneshot::Receiver<T>,
}

/// Runs `future` concurrently on the current runtime.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn spawn<T: Send + 'static>(future: impl Future<Output = T> + Send + 'static) -> Task<T> {
    Task { handle: tokio::spawn(future) }
}

/// Runs `future` concurrently on the JS event loop.
#[cfg(target_arch = "wasm32")]
pub(crate) fn spawn<T: 'static>(future: impl Future<Output = T> + 'static) -> Task<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        // The receiver is gone only when the caller stopped waiting: nothing to report then.
        let _ = sender.send(future.await);
    });
    Task { receiver }
}

impl<T> Task<T> {
    /// Waits for the task; `Err` carries why it produced no output (it panicked or was dropped).
    pub(crate) async fn join(self) -> Result<T, String> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.handle.await.map_err(|e| e.to_string())
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.receiver.await.map_err(|_| "the task ended without a result".to_owned())
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::time::Duration;

    use wasm_bindgen::{JsCast, JsValue};

    /// A monotonic-enough instant from `Date.now()` (milliseconds); only differences are used.
    #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
    pub(crate) struct Instant(f64);

    impl Instant {
        /// Now.
        pub(crate) fn now() -> Instant {
            Instant(js_sys::Date::now())
        }

        /// Time since `self` (zero if the clock stepped back).
        pub(crate) fn elapsed(&self) -> Duration {
            Duration::from_secs_f64(((js_sys::Date::now() - self.0) / 1000.0).max(0.0))
        }

        /// The later of two instants.
        pub(crate) fn max(self, other: Instant) -> Instant {
            if other.0 > self.0 { other } else { self }
        }

        fn until(self) -> Duration {
            Duration::from_secs_f64(((self.0 - js_sys::Date::now()) / 1000.0).max(0.0))
        }
    }

    impl std::ops::Add<Duration> for Instant {
        type Output = Instant;
        fn add(self, duration: Duration) -> Instant {
            Instant(self.0 + duration.as_secs_f64() * 1000.0)
        }
    }

    /// Sleeps with the runtime's `setTimeout` (a global in Node, Deno, Bun, workerd and
    /// browsers). If there is no `setTimeout`, returns at once rather than hanging.
    pub(crate) async fn sleep(duration: Duration) {
        let millis = duration.as_millis().min(i32::MAX as u128) as i32;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            let global = js_sys::global();
            let scheduled = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .map(|set_timeout| set_timeout.call2(&global, &resolve, &JsValue::from(millis)).is_ok())
                .unwrap_or(false);
            if !scheduled {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    /// Sleeps until `deadline`.
    pub(crate) async fn sleep_until(deadline: Instant) {
        sleep(deadline.until()).await;
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use wasm::{Instant, sleep, sleep_until};
