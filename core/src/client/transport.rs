//! One logical request: the retry loop, idempotency, timeouts, the body cap, logging and error
//! mapping (docs/contract.md §2 "Retries", "Responses").

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::config::{LogLevel, LogRecord};
use super::retry::{MAX_RETRY_AFTER, backoff, parse_retry_after};
use super::rt::{self, Instant};
use super::{Client, Response};
use crate::api::{HttpMethod, Operation, RetryPolicy, bounds, path_segment};
use crate::error::{ApiError, Error, ErrorCode, Result, SendFailure, is_retryable_status};
use crate::models::{ErrorBody, ResponseMeta, SendResponse};

/// A request before it is sent: the operation, its path with the parameters percent-encoded,
/// the query and the JSON body.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    pub op: &'static Operation,
    /// Relative to the base URL, without the leading `/`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

impl RequestSpec {
    /// Fills the operation's path template; each value is one percent-encoded segment. An
    /// optional last parameter given as `None` is left out with its `/`.
    pub(crate) fn new(op: &'static Operation, params: &[Option<&str>]) -> Result<RequestSpec> {
        let mut path = String::with_capacity(op.path.len() + 32);
        let mut params = params.iter();
        for part in op.path.trim_start_matches('/').split('/') {
            let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
                push_segment(&mut path, part);
                continue;
            };
            let spec = op.path_params.iter().find(|p| p.name == name);
            match (params.next().copied().flatten(), spec) {
                (Some(value), _) => push_segment(&mut path, &path_segment(value, name)?),
                (None, Some(spec)) if spec.optional => {}
                (None, _) => {
                    return Err(Error::invalid(ErrorCode::InvalidRequest, format!("{} needs `{name}`", op.name)));
                }
            }
        }
        Ok(RequestSpec { op, path, query: Vec::new(), body: None })
    }

    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Result<RequestSpec> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("request body cannot be encoded: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// Adds every field of a query model that is set (`null` fields are left out).
    pub(crate) fn query_from<T: serde::Serialize>(mut self, params: &T) -> Result<RequestSpec> {
        let value = serde_json::to_value(params)
            .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("query cannot be encoded: {e}")))?;
        let Some(query_model) = self.op.query else { return Ok(self) };
        let serde_json::Value::Object(fields) = value else {
            return Err(Error::invalid(ErrorCode::InvalidRequest, format!("{query_model} must be an object")));
        };
        for (name, value) in fields {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            // Query names are the model's field names: static strings of the description.
            let name: &'static str = match QUERY_NAMES.iter().find(|n| **n == name) {
                Some(n) => n,
                None => {
                    return Err(Error::invalid(ErrorCode::InvalidRequest, format!("unknown query parameter {name}")));
                }
            };
            self.query.push((name, text));
        }
        Ok(self)
    }

    fn is_send(&self) -> bool {
        self.op.retry == RetryPolicy::IdempotencyKey
    }
}

/// Every query parameter name of the description's query models.
const QUERY_NAMES: &[&str] = &["limit", "offset", "search", "event", "channel", "status"];

fn push_segment(path: &mut String, segment: &str) {
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(segment);
}

/// What one attempt produced.
enum Attempt {
    /// A response arrived (any status).
    Response { meta: ResponseMeta, body: Vec<u8> },
    /// No usable response. `sent` is false when the request certainly never reached the server
    /// (the connection was refused), so repeating it is safe for every operation.
    Failed { error: Error, sent: bool },
}

/// The outcome of the retry loop, with what the recovery rules need to know.
pub(crate) struct Raw {
    pub result: Result<(ResponseMeta, Vec<u8>)>,
    /// An earlier attempt may have taken effect although its answer was lost or a 5xx.
    pub maybe_applied: bool,
}

impl Client {
    /// Runs a request with retries and decodes a 2xx answer as the operation's model `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<Response<T>> {
        let (meta, body) = self.execute_raw(&spec).await.result?;
        let data = decode(spec.op, &meta, &body)?;
        Ok(Response { data, meta })
    }

    /// Runs a send: like [`Client::execute`], and a `success: false` answer is an error.
    pub(crate) async fn execute_send(&self, spec: RequestSpec) -> Result<Response<SendResponse>> {
        let response: Response<SendResponse> = self.execute(spec).await?;
        if response.data.success {
            Ok(response)
        } else {
            Err(Error::SendFailed(Box::new(SendFailure { errors: response.data.errors, meta: response.meta })))
        }
    }

    pub(crate) async fn execute_raw(&self, spec: &RequestSpec) -> Raw {
        let config = &self.inner.config;
        let options = &self.options;
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let timeout = options.timeout.unwrap_or(config.timeout);
        let checked = bounds::TIMEOUT
            .check_duration(timeout)
            .and_then(|_| bounds::MAX_RETRIES.check(f64::from(max_retries)))
            .and_then(|_| super::config::check_headers("extra_headers", &options.extra_headers));
        if let Err(err) = checked {
            return Raw { result: Err(err), maybe_applied: false };
        }
        // Fixed once per logical request and reused by every retry, so a retried send whose
        // first response was lost is answered from the server's idempotency store instead of
        // notifying twice.
        let idempotency_key = (spec.op.method == HttpMethod::Post).then(|| {
            options.idempotency_key.clone().unwrap_or_else(|| format!("sdk_{}", uuid::Uuid::new_v4().simple()))
        });
        let url = match self.url(spec) {
            Ok(url) => url,
            Err(err) => return Raw { result: Err(err), maybe_applied: false },
        };
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut maybe_applied = false;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            let attempt_started = Instant::now();
            let outcome = self.attempt(spec, &url, timeout, idempotency_key.as_deref(), attempt).await;
            let duration = attempt_started.elapsed();
            let (err, applied) = match outcome {
                Attempt::Response { mut meta, body } => {
                    meta.attempts = attempt;
                    meta.idempotency_key.clone_from(&idempotency_key);
                    self.log(spec, attempt, duration, Some(&meta), None, LogLevel::Debug);
                    if (200..300).contains(&meta.status) {
                        return Raw { result: Ok((meta, body)), maybe_applied };
                    }
                    if spec.op.retry == RetryPolicy::Delete && meta.status == 404 && maybe_applied {
                        // An earlier attempt that may have gone through deleted it: the call did
                        // what was asked.
                        meta.recovered = true;
                        return Raw {
                            result: Ok((meta, br#"{"success":true,"deleted":true}"#.to_vec())),
                            maybe_applied,
                        };
                    }
                    // A 408 or 429 was refused before anything happened; a 5xx may have been
                    // applied before the server failed.
                    let applied = meta.status >= 500;
                    (api_error(meta, &body, spec.is_send()), applied)
                }
                Attempt::Failed { error, sent } => {
                    self.log(spec, attempt, duration, None, Some(&error), LogLevel::Debug);
                    let error = match error {
                        Error::Timeout { timeout, .. } => Error::Timeout { timeout, elapsed: started.elapsed() },
                        other => other,
                    };
                    (error, sent)
                }
            };
            maybe_applied |= applied;
            let retry_after = match &err {
                Error::Api(api) => api.retry_after,
                _ => None,
            };
            // Every operation of the description may be repeated (its policy says how a repeat
            // after a lost answer is made safe), so only the error and the budget decide.
            let may_retry =
                attempt <= max_retries && err.is_retryable() && retry_after.is_none_or(|d| d <= MAX_RETRY_AFTER);
            if !may_retry {
                self.log(spec, attempt, started.elapsed(), err.meta(), Some(&err), LogLevel::Info);
                return Raw { result: Err(err), maybe_applied };
            }
            let delay = retry_after.unwrap_or_else(|| backoff(attempt - 1));
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, code = err.code(), "sendivent: retrying");
            rt::sleep(delay).await;
        }
    }

    fn url(&self, spec: &RequestSpec) -> Result<reqwest::Url> {
        let mut url = self.inner.config.base_url.join(&spec.path).map_err(|e| {
            Error::invalid(ErrorCode::InvalidRequest, format!("cannot build the URL for {}: {e}", spec.path))
        })?;
        if !spec.query.is_empty() {
            url.query_pairs_mut().extend_pairs(spec.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// One attempt over the runtime's `fetch`, which follows no redirect ([`super::fetch`]).
    #[cfg(target_arch = "wasm32")]
    async fn attempt(
        &self,
        spec: &RequestSpec,
        url: &reqwest::Url,
        timeout: Duration,
        idempotency_key: Option<&str>,
        attempt: u32,
    ) -> Attempt {
        use super::fetch::{self, Failure};
        let config = &self.inner.config;
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {}", config.api_key)),
            ("User-Agent".to_owned(), config.user_agent.clone()),
            ("Accept".to_owned(), "application/json".to_owned()),
            ("X-Sendivent-Retry-Count".to_owned(), (attempt - 1).to_string()),
        ];
        if let Some(key) = idempotency_key {
            headers.push(("X-Idempotency-Key".to_owned(), key.to_owned()));
        }
        headers.extend(config.default_headers.iter().chain(&self.options.extra_headers).cloned());
        if spec.body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        let sent = fetch::send(
            spec.op.method.as_str(),
            url.as_str(),
            &headers,
            spec.body.as_deref(),
            timeout,
            config.max_response_bytes,
        )
        .await;
        // fetch does not say whether a failed request reached the server: count it as sent.
        match sent {
            Err(Failure::Timeout) => {
                Attempt::Failed { error: Error::Timeout { timeout, elapsed: timeout }, sent: true }
            }
            Err(Failure::Network(message)) => Attempt::Failed { error: Error::Connection { message }, sent: true },
            Ok(answer) if answer.opaque_redirect => Attempt::Failed {
                error: Error::Api(Box::new(ApiError {
                    status: 0,
                    code: ErrorCode::ApiError.as_str().to_owned(),
                    message: "the server answered with a redirect, which the SDK does not follow (this runtime \
                              hides its status and target)"
                        .to_owned(),
                    retry_after: None,
                    meta: ResponseMeta::from_headers(0, Vec::new()),
                })),
                sent: true,
            },
            Ok(answer) => {
                let meta = ResponseMeta::from_headers(answer.status, answer.headers);
                match answer.body {
                    Some(body) => Attempt::Response { meta, body },
                    None => over_cap(meta, config.max_response_bytes),
                }
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn attempt(
        &self,
        spec: &RequestSpec,
        url: &reqwest::Url,
        timeout: Duration,
        idempotency_key: Option<&str>,
        attempt: u32,
    ) -> Attempt {
        let config = &self.inner.config;
        let http = match self.http() {
            Ok(http) => http,
            Err(error) => return Attempt::Failed { error, sent: false },
        };
        let mut request = http
            .request(reqwest_method(spec.op.method), url.clone())
            .timeout(timeout)
            .bearer_auth(&config.api_key)
            .header(reqwest::header::USER_AGENT, &config.user_agent)
            .header(reqwest::header::ACCEPT, "application/json")
            .header("X-Sendivent-Retry-Count", (attempt - 1).to_string());
        if let Some(key) = idempotency_key {
            request = request.header("X-Idempotency-Key", key);
        }
        for (name, value) in config.default_headers.iter().chain(&self.options.extra_headers) {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &spec.body {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Attempt::Failed { sent: !is_connect(&err), error: transport_error(&err, timeout) },
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let meta = ResponseMeta::from_headers(status, headers);
        match read_capped(response, config.max_response_bytes).await {
            Ok(Some(body)) => Attempt::Response { meta, body },
            // Dropping the unread response closes its connection instead of draining it.
            Ok(None) => over_cap(meta, config.max_response_bytes),
            // The status line arrived but the body was cut off: as lost as a dropped connection.
            Err(err) => Attempt::Failed { error: transport_error(&err, timeout), sent: true },
        }
    }

    fn log(
        &self,
        spec: &RequestSpec,
        attempt: u32,
        duration: Duration,
        meta: Option<&ResponseMeta>,
        error: Option<&Error>,
        level: LogLevel,
    ) {
        let config = &self.inner.config;
        tracing::debug!(
            method = spec.op.method.as_str(),
            path = spec.path.as_str(),
            status = meta.map(|m| m.status),
            attempt,
            duration_ms = duration.as_millis() as u64,
            request_id = meta.and_then(|m| m.request_id.as_deref()),
            error = error.map(|e| e.code()),
            "sendivent request"
        );
        let Some(hook) = &config.log_hook else { return };
        if level < config.log_level {
            return;
        }
        hook(&LogRecord {
            level,
            method: spec.op.method.as_str().to_owned(),
            path: format!("/{}", spec.path),
            status: meta.map(|m| m.status),
            attempt,
            duration,
            request_id: meta.and_then(|m| m.request_id.clone()),
            error: error.map(|e| e.to_string()),
        });
    }
}

/// An answer whose body was over `max_response_bytes` and was not read: INVALID_RESPONSE for a
/// 2xx; an error answer still has its status, and is judged by that.
fn over_cap(meta: ResponseMeta, cap: usize) -> Attempt {
    if !(200..300).contains(&meta.status) {
        return Attempt::Response { meta, body: Vec::new() };
    }
    Attempt::Failed {
        error: Error::Api(Box::new(ApiError {
            status: meta.status,
            code: ErrorCode::InvalidResponse.as_str().to_owned(),
            message: format!("the response body is larger than {cap} bytes (max_response_bytes); it was not read"),
            retry_after: None,
            meta,
        })),
        sent: true,
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn reqwest_method(method: HttpMethod) -> reqwest::Method {
    match method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Patch => reqwest::Method::PATCH,
        HttpMethod::Delete => reqwest::Method::DELETE,
    }
}

/// Reads the body, refusing more than `cap` bytes: `Ok(None)` when the declared or the actual
/// length is over the cap. One buffer, filled chunk by chunk.
#[cfg(not(target_arch = "wasm32"))]
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response.content_length().is_some_and(|declared| declared > cap as u64) {
        return Ok(None);
    }
    let mut body = Vec::with_capacity(response.content_length().map_or(0, |n| n as usize).min(cap));
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

#[cfg(not(target_arch = "wasm32"))]
fn is_connect(err: &reqwest::Error) -> bool {
    err.is_connect()
}

#[cfg(not(target_arch = "wasm32"))]
fn transport_error(err: &reqwest::Error, timeout: Duration) -> Error {
    if err.is_timeout() {
        return Error::Timeout { timeout, elapsed: timeout };
    }
    // reqwest's Display omits the cause chain ("error sending request"); the chain says why.
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Connection { message }
}

/// Decodes a 2xx answer; a body that is not the model is an API error carrying the response.
pub(crate) fn decode<T: DeserializeOwned>(op: &Operation, meta: &ResponseMeta, body: &[u8]) -> Result<T> {
    crate::models::decode_answer(op, body).map_err(|err| {
        Error::Api(Box::new(ApiError {
            status: meta.status,
            code: ErrorCode::InvalidResponse.as_str().to_owned(),
            message: err.message(),
            retry_after: None,
            meta: meta.clone(),
        }))
    })
}

/// The error for a non-2xx answer: a failed send's reasons, else the error envelope's code and
/// message (docs/contract.md §1 "Errors"), else the status's code.
pub(crate) fn api_error(meta: ResponseMeta, body: &[u8], is_send: bool) -> Error {
    if is_send
        && let Ok(send) = serde_json::from_slice::<SendResponse>(body)
        && !send.success
        && !send.errors.is_empty()
    {
        return Error::SendFailed(Box::new(SendFailure { errors: send.errors, meta }));
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let code = parsed
        .as_ref()
        .and_then(|b| b.code.as_ref())
        .map(|c| c.as_str().to_owned())
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| ErrorCode::for_status(meta.status).as_str().to_owned());
    let message = parsed.map(|b| b.error).filter(|m| !m.trim().is_empty()).unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 200 || text.starts_with('<') {
            format!("HTTP {}", meta.status)
        } else {
            format!("HTTP {}: {text}", meta.status)
        }
    });
    let retry_after = if is_retryable_status(meta.status) {
        meta.header("retry-after").and_then(|v| parse_retry_after(v, rt::now()))
    } else {
        None
    };
    Error::Api(Box::new(ApiError { status: meta.status, code, message, retry_after, meta }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api;

    #[test]
    fn paths_come_from_the_description() {
        let spec = RequestSpec::new(&api::SEND, &[Some("order.confirmed"), None]).unwrap();
        assert_eq!(spec.path, "v1/send/order.confirmed");
        let spec = RequestSpec::new(&api::SEND, &[Some("order.confirmed"), Some("sms")]).unwrap();
        assert_eq!(spec.path, "v1/send/order.confirmed/sms");
        let spec = RequestSpec::new(&api::CONTACTS_ADD_PUSH_TOKEN, &[Some("+46701234567")]).unwrap();
        assert_eq!(spec.path, "v1/contacts/%2B46701234567/push-tokens");
        for bad in ["..", ".", "%2e%2E", " "] {
            let err = RequestSpec::new(&api::CONTACTS_DELETE, &[Some(bad)]).unwrap_err();
            assert_eq!(err.code(), "VALIDATION_ERROR", "{bad:?}");
        }
        assert_eq!(RequestSpec::new(&api::CONTACTS_GET, &[None]).unwrap_err().code(), "INVALID_REQUEST");
    }

    #[test]
    fn error_envelopes() {
        let meta = |status| ResponseMeta { status, ..ResponseMeta::default() };
        let err = api_error(meta(404), br#"{"error": "Contact 'x' not found", "code": "NOT_FOUND"}"#, false);
        assert_eq!((err.code(), err.message().as_str()), ("NOT_FOUND", "Contact 'x' not found"));
        let err = api_error(meta(503), b"<html>Service Unavailable</html>", false);
        assert_eq!((err.code(), err.message().as_str()), ("SERVER_ERROR", "HTTP 503"));
        let err = api_error(meta(418), br#"{"code": "", "error": ""}"#, false);
        assert_eq!((err.code(), err.message().as_str()), ("API_ERROR", "HTTP 418: {\"code\": \"\", \"error\": \"\"}"));
    }
}
