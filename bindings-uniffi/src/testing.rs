//! Testing hooks for the shared vectors (`tests/vectors/behaviour.json`, `send_requests.json`):
//! errors built exactly as the client builds them, without a server, and the body a send would
//! carry, and a count of the calls in flight. Not for applications; their names start with
//! `testing_`.

use crate::call::guard;
use crate::errors_gen::SendiventError;
use crate::json::{Header, JsonValue, to_canonical};
use crate::models_gen::SendRequest;

/// Raises the error the client raises for an HTTP error answer (the core's
/// `Error::from_answer`): `is_send` for the answer to a send.
#[uniffi::export]
pub fn testing_raise_from_answer(
    status: u16,
    headers: Vec<Header>,
    body: Vec<u8>,
    is_send: bool,
) -> Result<(), SendiventError> {
    guard(|| {
        let headers = headers.into_iter().map(|h| (h.name, h.value)).collect();
        Err(sendivent::Error::from_answer(status, headers, &body, is_send).into())
    })
}

/// Raises the error the SDK raises itself with `code` (the core's `Error::from_code`); a code
/// the SDK never raises itself is INVALID_ARGUMENT.
#[uniffi::export]
pub fn testing_raise_from_code(code: String, message: String) -> Result<(), SendiventError> {
    guard(|| match sendivent::Error::from_code(&code, message) {
        Some(err) => Err(err.into()),
        None => Err(crate::call::invalid_argument(format!("{code} is not a code the SDK raises itself"))),
    })
}

/// The JSON body `send` would carry for `body` on `channel` (all of `send` but the request),
/// or the error it would raise before sending.
#[uniffi::export(default(channel = None))]
pub fn testing_prepare_send(body: SendRequest, channel: Option<String>) -> Result<JsonValue, SendiventError> {
    guard(|| {
        let channel = channel.as_deref().map(sendivent::models::Channel::from);
        Ok(JsonValue(sendivent::models::prepare_send(&to_canonical(&body)?, channel.as_ref())?))
    })
}

/// How many client calls exist right now, awaited or not: a cancelled coroutine's call must be
/// dropped (its request cancelled), which brings this back down.
#[uniffi::export]
pub fn testing_calls_in_flight() -> u64 {
    crate::call::in_flight()
}
