//! One logical request: the retry loop, idempotency, timeouts, logging and error mapping.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::config::{Config, LogLevel, LogRecord};
use super::retry::{MAX_RETRY_AFTER, backoff, parse_retry_after};
use super::rt::{self, Instant};
use super::{Client, Response};
use crate::error::{ApiError, Error, ErrorCode, Result, SendFailure, is_retryable_status};
use crate::models::{ErrorBody, ResponseMeta, SendResponse};

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    fn reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A request before it is sent: the path is already percent-encoded.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// Send endpoints: a failed send is [`Error::SendFailed`], and an idempotency key is always
    /// attached.
    pub is_send: bool,
}

impl RequestSpec {
    pub(crate) fn new(method: Method, path: String) -> RequestSpec {
        RequestSpec { method, path, query: Vec::new(), body: None, is_send: false }
    }

    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Result<RequestSpec> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid(ErrorCode::InvalidRequest, format!("request body cannot be encoded: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }

    pub(crate) fn query(mut self, name: &'static str, value: Option<impl ToString>) -> RequestSpec {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }
}

/// What one attempt produced.
enum Attempt {
    /// A response arrived (any status).
    Response { meta: ResponseMeta, body: Vec<u8> },
    /// The transport failed; the error is final or retryable.
    Failed(Error),
}

impl Client {
    /// Runs a request with retries and decodes a 2xx body as `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<Response<T>> {
        let (meta, body) = self.execute_raw(&spec).await?;
        let data = decode(&meta, &body)?;
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

    async fn execute_raw(&self, spec: &RequestSpec) -> Result<(ResponseMeta, Vec<u8>)> {
        let config = &self.inner.config;
        let options = &self.options;
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let timeout = options.timeout.unwrap_or(config.timeout);
        // Fixed once per logical request and reused by every retry, so a retried send whose
        // first response was lost is answered from the server's idempotency store instead of
        // notifying twice.
        let idempotency_key = (spec.method == Method::Post).then(|| {
            options.idempotency_key.clone().unwrap_or_else(|| format!("sdk_{}", uuid::Uuid::new_v4().simple()))
        });
        let url = self.url(spec)?;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            let attempt_started = Instant::now();
            let outcome = self.attempt(spec, &url, timeout, idempotency_key.as_deref(), attempt).await;
            let duration = attempt_started.elapsed();
            let err = match outcome {
                Attempt::Response { mut meta, body } => {
                    meta.attempts = attempt;
                    meta.idempotency_key.clone_from(&idempotency_key);
                    self.log(spec, attempt, duration, Some(&meta), None, LogLevel::Debug);
                    if (200..300).contains(&meta.status) {
                        return Ok((meta, body));
                    }
                    api_error(meta, &body, spec.is_send)
                }
                Attempt::Failed(err) => {
                    self.log(spec, attempt, duration, None, Some(&err), LogLevel::Debug);
                    match err {
                        Error::Timeout { timeout, .. } => Error::Timeout { timeout, elapsed: started.elapsed() },
                        other => other,
                    }
                }
            };
            let retry_after = match &err {
                Error::Api(api) => api.retry_after,
                _ => None,
            };
            let may_retry =
                attempt <= max_retries && err.is_retryable() && retry_after.is_none_or(|d| d <= MAX_RETRY_AFTER);
            if !may_retry {
                self.log(spec, attempt, started.elapsed(), err.meta(), Some(&err), LogLevel::Info);
                return Err(err);
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

    async fn attempt(
        &self,
        spec: &RequestSpec,
        url: &reqwest::Url,
        timeout: Duration,
        idempotency_key: Option<&str>,
        attempt: u32,
    ) -> Attempt {
        let config: &Config = &self.inner.config;
        let mut request = self
            .inner
            .http
            .request(spec.method.reqwest(), url.clone())
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
            Err(err) => return Attempt::Failed(transport_error(&err, timeout)),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        match response.bytes().await {
            Ok(body) => Attempt::Response { meta: ResponseMeta::from_headers(status, headers), body: body.to_vec() },
            // The status line arrived but the body was cut off: as lost as a dropped connection.
            Err(err) => Attempt::Failed(transport_error(&err, timeout)),
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
            method = spec.method.as_str(),
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
            method: spec.method.as_str().to_owned(),
            path: format!("/{}", spec.path),
            status: meta.map(|m| m.status),
            attempt,
            duration,
            request_id: meta.and_then(|m| m.request_id.clone()),
            error: error.map(|e| e.to_string()),
        });
    }
}

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

fn decode<T: DeserializeOwned>(meta: &ResponseMeta, body: &[u8]) -> Result<T> {
    // Some endpoints answer 204 or an empty body; decode that as `{}` so `Acknowledged` works.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    crate::models::decode::decode_typed("response", body).map_err(|err| {
        Error::Api(Box::new(ApiError {
            status: meta.status,
            code: ErrorCode::InvalidResponse.as_str().to_owned(),
            message: err.message(),
            retry_after: None,
            meta: meta.clone(),
        }))
    })
}

fn api_error(meta: ResponseMeta, body: &[u8], is_send: bool) -> Error {
    if is_send {
        if let Ok(send) = serde_json::from_slice::<SendResponse>(body) {
            if !send.success && !send.errors.is_empty() {
                return Error::SendFailed(Box::new(SendFailure { errors: send.errors, meta }));
            }
        }
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let code = parsed
        .as_ref()
        .and_then(|b| b.code.as_ref())
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|| ErrorCode::for_status(meta.status).as_str().to_owned());
    let message = parsed.map(|b| b.error).filter(|m| !m.is_empty()).unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if text.is_empty() || text.len() > 200 {
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
