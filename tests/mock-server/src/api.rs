//! The HTTP layer: routes, auth, rate limits, fault injection, and every endpoint's handler.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, any, get, on, post, put};
use axum::{Extension, Router};
use rand::Rng;
use sendivent::api::HttpMethod;
use sendivent::models::{
    Channel, ContactData, ContactList, DeliveryList, DeliveryTrace, Envelope, Event, EventData, EventList, Integration,
    IntegrationList, WebhookConfig, WebhookData, WebhookEventType,
};
use serde_json::{Map, Value, json};

use crate::contact::ContactFields;
use crate::idempotency::StoredAnswer;
use crate::lifecycle;
use crate::routes;
use crate::send::{self, SendCtx};
use crate::state::{Limits, Shared};
use crate::store::{Fail, SendRecord, fnv1a, new_uuid, now_rfc3339, unix_millis};

type AppState = Arc<Shared>;

/// Marks a response whose connection must be closed without writing it (drop-rate fault).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

#[derive(Debug, Clone)]
struct RequestId(String);

#[derive(Debug, Clone)]
struct ApiKey(String);

fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

fn ok<T: serde::Serialize>(status: u16, data: T) -> Response {
    match serde_json::to_value(Envelope { success: true, data }) {
        Ok(body) => json_response(status, body),
        Err(e) => Fail::new(500, "SERVER_ERROR", format!("cannot serialize the answer: {e}")).into_response(),
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        json_response(self.status, json!({"error": self.message, "code": self.code}))
    }
}

type ApiResult = Result<Response, Fail>;

/// The router of the whole API, the admin API and `/health`. The API's routes and methods come
/// from core's operation table; each operation name maps to its handler here.
pub(crate) fn router(shared: AppState) -> Router {
    let mut router = Router::new().route("/health", get(|| async { axum::Json(json!({"ok": true})) }));
    for route in &shared.routes {
        let handler = handler(route.operation.name, method_filter(route.operation.method))
            .unwrap_or_else(|| any(not_implemented));
        router = router.route(&route.template, handler);
    }
    router
        .route("/_mock/state", get(admin_state))
        .route("/_mock/faults", put(admin_faults).post(admin_faults).get(admin_get_faults))
        .route("/_mock/limits", put(admin_limits).post(admin_limits).get(admin_get_limits))
        .route("/_mock/reset", post(admin_reset))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // `guard` enforces `max_body_bytes` (with the error envelope) on every route.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

fn method_filter(method: HttpMethod) -> MethodFilter {
    match method {
        HttpMethod::Get => MethodFilter::GET,
        HttpMethod::Post => MethodFilter::POST,
        HttpMethod::Patch => MethodFilter::PATCH,
        HttpMethod::Delete => MethodFilter::DELETE,
    }
}

/// The handler of a core operation, `None` for one the mock does not implement yet.
fn handler(operation: &str, method: MethodFilter) -> Option<MethodRouter<AppState>> {
    Some(match operation {
        "send" => on(method, send_event),
        "contacts.list" => on(method, list_contacts),
        "contacts.get" => on(method, get_contact),
        "contacts.create" => on(method, create_contact),
        "contacts.update" => on(method, update_contact),
        "contacts.delete" => on(method, delete_contact),
        "contacts.add_push_token" => on(method, add_push_token),
        "contacts.remove_push_token" => on(method, remove_push_token),
        "events.list" => on(method, list_events),
        "events.get" => on(method, get_event),
        "deliveries.list" => on(method, list_deliveries),
        "deliveries.trace" => on(method, trace_delivery),
        "integrations.list" => on(method, list_integrations),
        "webhooks.create" => on(method, create_webhook),
        "webhooks.get" => on(method, get_webhook),
        "webhooks.update" => on(method, update_webhook),
        "webhooks.delete" => on(method, delete_webhook),
        _ => return None,
    })
}

async fn not_implemented(method: Method, uri: Uri) -> Fail {
    Fail::new(501, "SERVER_ERROR", format!("sendivent-mock does not implement {method} {} yet", uri.path()))
}

async fn not_found(method: Method, uri: Uri) -> Fail {
    Fail::not_found(format!("No route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> Fail {
    Fail::new(405, "VALIDATION_ERROR", format!("Method {method} is not allowed on {}", uri.path()))
}

// ---------------------------------------------------------------------------------------------
// Middleware: request id, auth, rate limit, faults, latency.

async fn guard(State(shared): State<AppState>, request: Request, next: Next) -> Response {
    let request_id = format!("req_{}", new_uuid(&mut shared.lock().rng));
    let path = request.uri().path();
    let is_api = path == "/v1" || path.starts_with("/v1/");
    let (mut parts, body) = request.into_parts();
    // A malformed request is refused before anything else (auth included), as a front proxy would.
    let checked = match well_formed(&parts.uri) {
        Ok(()) => read_body(body, shared.config.max_body_bytes).await,
        Err(fail) => Err(fail),
    };
    let recorder = shared.recorder.as_ref().filter(|_| is_api);
    let method = parts.method.clone();
    let route = routes::template_of(&shared.routes, parts.uri.path());
    if let Some(recorder) = recorder {
        let body = checked.as_ref().map_or(&[][..], |b| &b[..]);
        recorder.request(&request_id, method.as_str(), route, parts.uri.query(), body);
    }
    let mut response = match checked {
        Err(fail) => {
            if is_api {
                shared.lock().counts.requests += 1;
            }
            fail.into_response()
        }
        Ok(bytes) => {
            parts.extensions.insert(RequestId(request_id.clone()));
            let request = Request::from_parts(parts, Body::from(bytes));
            if is_api { api_guard(&shared, request, next).await } else { next.run(request).await }
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    // A response lost on purpose (drop-rate fault) was never answered: it is not recorded.
    match recorder {
        Some(recorder) if response.extensions().get::<DropConnection>().is_none() => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            recorder.response(&request_id, method.as_str(), route, parts.status.as_u16(), &bytes);
            Response::from_parts(parts, Body::from(bytes))
        }
        _ => response,
    }
}

/// A 500 answer for a request whose handling failed unexpectedly.
pub(crate) fn internal_error(message: &str) -> Response {
    Fail::new(500, "SERVER_ERROR", message).into_response()
}

/// Refuses a path (or query) that is not valid UTF-8 once percent-decoded: no identifier or
/// event name can be made of it.
fn well_formed(uri: &Uri) -> Result<(), Fail> {
    let utf8 = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8().is_ok();
    if !utf8(uri.path()) {
        return Err(Fail::validation("The request path is not valid UTF-8 after percent-decoding"));
    }
    if uri.query().is_some_and(|query| !utf8(query)) {
        return Err(Fail::validation("The query string is not valid UTF-8 after percent-decoding"));
    }
    Ok(())
}

/// How much of an oversized body is read and thrown away, and for how long, before the 413 is
/// sent: a client still writing its body would otherwise see a reset connection, not the answer.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// Reads a request body of at most `limit` bytes; a larger one is 413 with the error envelope.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, Fail> {
    use http_body_util::BodyExt;
    let mut buffer = Vec::new();
    loop {
        match body.frame().await {
            None => return Ok(Bytes::from(buffer)),
            Some(Err(e)) => return Err(Fail::validation(format!("The request body could not be read: {e}"))),
            Some(Ok(frame)) => {
                let Ok(data) = frame.into_data() else { continue };
                if buffer.len() + data.len() > limit {
                    break;
                }
                buffer.extend_from_slice(&data);
            }
        }
    }
    let drain = async {
        let mut drained = 0;
        while let Some(Ok(frame)) = body.frame().await {
            drained += frame.data_ref().map_or(0, Bytes::len);
            if drained > DRAIN_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
    Err(Fail::new(413, "VALIDATION_ERROR", format!("The request body is larger than the limit of {limit} bytes")))
}

fn key_of(headers: &HeaderMap, extra: Option<&str>) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let prefixed = ["test_", "live_"].iter().any(|p| key.len() > p.len() && key.starts_with(p));
    // Documented test hook: a well-formed key containing `_revoked` is refused like a revoked
    // key, so SDKs can exercise 401 handling with keys their own validation accepts.
    (extra == Some(key) || (prefixed && !key.contains("_revoked"))).then(|| key.to_owned())
}

/// The rate-limit verdict of one request.
struct RateVerdict {
    limit: u32,
    remaining: u32,
    reset: u64,
    retry_after: Option<u64>,
}

fn rate_check(
    windows: &mut HashMap<String, std::collections::VecDeque<Instant>>,
    key: &str,
    limit: u32,
) -> RateVerdict {
    let now = Instant::now();
    let window = windows.entry(key.to_owned()).or_default();
    while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
        window.pop_front();
    }
    let frees_in = |window: &std::collections::VecDeque<Instant>| {
        window.front().map_or(Duration::ZERO, |t| Duration::from_secs(1).saturating_sub(now.duration_since(*t)))
    };
    let now_ms = unix_millis();
    if window.len() >= limit as usize {
        let wait = frees_in(window);
        let reset = (now_ms + wait.as_millis() as u64).div_ceil(1000);
        let retry = wait.as_millis().div_ceil(1000).max(1) as u64;
        return RateVerdict { limit, remaining: 0, reset, retry_after: Some(retry) };
    }
    window.push_back(now);
    let wait = frees_in(window);
    let reset = (now_ms + wait.as_millis() as u64).div_ceil(1000);
    RateVerdict { limit, remaining: limit - window.len() as u32, reset, retry_after: None }
}

fn set_header(response: &mut Response, name: &'static str, value: impl ToString) {
    if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
        response.headers_mut().insert(HeaderName::from_static(name), value);
    }
}

async fn api_guard(shared: &Arc<Shared>, mut request: Request, next: Next) -> Response {
    let key = key_of(request.headers(), shared.config.api_key.as_deref());
    let (verdict, fault, latency) = {
        let mut inner = shared.lock();
        inner.counts.requests += 1;
        let latency = Duration::from_millis(inner.faults.latency_ms);
        match &key {
            None => (None, None, latency),
            Some(key) => {
                let test = key.starts_with("test_");
                let limit = if test { inner.limits.rate_limit_test } else { inner.limits.rate_limit_live };
                let verdict = limit.map(|limit| rate_check(&mut inner.windows, key, limit));
                let limited = verdict.as_ref().is_some_and(|v| v.retry_after.is_some());
                if limited {
                    inner.counts.rate_limited += 1;
                }
                let error_rate = inner.faults.error_rate;
                let fault = if !limited && error_rate > 0.0 && inner.rng.random_bool(error_rate.clamp(0.0, 1.0)) {
                    inner.counts.faults_injected += 1;
                    Some(inner.rng.random_range(0..3u8))
                } else {
                    None
                };
                (verdict, fault, latency)
            }
        }
    };
    let mut response = match (&key, &verdict, fault) {
        (None, _, _) => json_response(401, json!({"error": "Invalid or missing API key", "code": "UNAUTHORIZED"})),
        (Some(_), Some(RateVerdict { retry_after: Some(retry), .. }), _) => {
            let mut response = json_response(
                429,
                json!({"error": format!("Rate limit exceeded: retry in {retry} s"), "code": "RATE_LIMITED"}),
            );
            set_header(&mut response, "retry-after", retry);
            response
        }
        (Some(_), _, Some(kind)) => {
            let (status, code, message) = match kind {
                0 => (500, "SERVER_ERROR", "Internal server error (injected fault)"),
                1 => (502, "PROVIDER_ERROR", "Upstream provider failed (injected fault)"),
                _ => (503, "SERVER_ERROR", "Service temporarily unavailable (injected fault)"),
            };
            let mut response = json_response(status, json!({"error": message, "code": code}));
            if status == 503 {
                set_header(&mut response, "retry-after", 1);
            }
            response
        }
        // Documented test hook: keys containing `_inactive` belong to an application whose
        // subscription is inactive.
        (Some(key), _, None) if key.contains("_inactive") => json_response(
            403,
            json!({"error": "Subscription inactive: reactivate it to use the API", "code": "FORBIDDEN"}),
        ),
        (Some(key), _, None) => {
            request.extensions_mut().insert(ApiKey(key.clone()));
            next.run(request).await
        }
    };
    if let Some(v) = verdict {
        set_header(&mut response, "x-ratelimit-limit", v.limit);
        set_header(&mut response, "x-ratelimit-remaining", v.remaining);
        set_header(&mut response, "x-ratelimit-reset", v.reset);
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Body and query helpers.

fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, Fail> {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" && !mime.ends_with("+json") {
        return Err(Fail::validation(if content_type.is_empty() {
            "Content-Type: application/json is required".to_owned()
        } else {
            format!("Content-Type must be application/json, got '{content_type}'")
        }));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Fail::validation("A JSON request body is required"));
    }
    serde_json::from_slice(body).map_err(|e| Fail::validation(format!("The request body is not valid JSON: {e}")))
}

fn json_object(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Fail> {
    match json_body(headers, body)? {
        Value::Object(map) => Ok(map),
        _ => Err(Fail::validation("The request body must be a JSON object")),
    }
}

fn path_value<T>(path: Result<Path<T>, PathRejection>) -> Result<T, Fail> {
    path.map(|Path(v)| v).map_err(|e| Fail::validation(format!("Invalid path: {e}")))
}

fn query_map(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Result<HashMap<String, String>, Fail> {
    query.map(|Query(q)| q).map_err(|e| Fail::validation(format!("Invalid query string: {e}")))
}

fn number(query: &HashMap<String, String>, name: &str, default: u64, max: Option<u64>) -> Result<u64, Fail> {
    let Some(raw) = query.get(name) else { return Ok(default) };
    let value: u64 = raw
        .trim()
        .parse()
        .map_err(|_| Fail::validation(format!("`{name}` must be a non-negative integer, got '{raw}'")))?;
    if let Some(max) = max
        && (value < 1 || value > max)
    {
        return Err(Fail::validation(format!("`{name}` must be between 1 and {max}, got {value}")));
    }
    Ok(value)
}

fn page<T: Clone>(items: &[T], limit: u64, offset: u64) -> Vec<T> {
    items.iter().skip(offset.min(usize::MAX as u64) as usize).take(limit as usize).cloned().collect()
}

fn known_channel(raw: &str) -> Result<Channel, Fail> {
    let channel = Channel::from(raw.trim());
    if channel.is_known() {
        Ok(channel)
    } else {
        Err(Fail::validation(format!(
            "Unknown channel '{raw}': expected one of email, sms, slack, push, telegram, whatsapp, discord"
        )))
    }
}

// ---------------------------------------------------------------------------------------------
// Send.

/// Both send routes: `/v1/send/{event}` and `/v1/send/{event}/{channel}`.
async fn send_event(
    State(shared): State<AppState>,
    Extension(key): Extension<ApiKey>,
    Extension(request_id): Extension<RequestId>,
    uri: Uri,
    path: Result<Path<Vec<(String, String)>>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match path_value(path) {
        Ok(params) => {
            // In path order: the event, then the optional channel.
            let mut values = params.into_iter().map(|(_, value)| value);
            let event = values.next().unwrap_or_default();
            handle_send(shared, key.0, request_id.0, uri, event, values.next(), headers, body).await
        }
        Err(fail) => fail.into_response(),
    }
}

/// A send's answer before it becomes a response.
struct Answer {
    status: u16,
    body: Value,
    replay: bool,
    drop: bool,
}

impl Answer {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, self.body);
        if self.replay {
            set_header(&mut response, "x-idempotent-replay", "true");
        }
        if self.drop {
            response.extensions_mut().insert(DropConnection);
        }
        response
    }
}

#[allow(clippy::too_many_arguments)]
async fn handle_send(
    shared: AppState,
    key: String,
    request_id: String,
    uri: Uri,
    event: String,
    channel: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let idempotency_key = match headers.get("x-idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) if !v.trim().is_empty() && v.trim().len() <= 255 => Some(v.trim().to_owned()),
        Some(_) => {
            return Fail::validation("X-Idempotency-Key must be 1 to 255 printable ASCII characters").into_response();
        }
    };
    let parsed = json_body(&headers, &body);
    let canonical = match &parsed {
        Ok(value) => sorted_json(value).into_bytes(),
        Err(_) => body.to_vec(),
    };
    let request_hash = fnv1a(&[b"POST", uri.path().as_bytes(), &canonical]);
    let Some(idem) = idempotency_key else {
        return commit(&shared, &key, &request_id, &event, channel.as_deref(), None, &request_hash, parsed)
            .into_response();
    };
    let slot = shared.idempotency().slot(&key, &idem, Instant::now());
    // Concurrent duplicates queue here: the first commits and stores, the others replay.
    let mut stored = slot.lock().await;
    if let Some(answer) = stored.as_ref() {
        if answer.request_hash != request_hash {
            return Fail::new(409, "CONFLICT", format!("Idempotency key '{idem}' was reused with a different request"))
                .into_response();
        }
        shared.lock().counts.replays += 1;
        return Answer { status: answer.status, body: answer.body.clone(), replay: true, drop: false }.into_response();
    }
    let answer = commit(&shared, &key, &request_id, &event, channel.as_deref(), Some(&idem), &request_hash, parsed);
    if answer.status != 402 {
        *stored = Some(StoredAnswer { status: answer.status, body: answer.body.clone(), request_hash });
    }
    drop(stored);
    answer.into_response()
}

#[allow(clippy::too_many_arguments)]
fn commit(
    shared: &Arc<Shared>,
    key: &str,
    request_id: &str,
    event: &str,
    channel: Option<&str>,
    idempotency_key: Option<&str>,
    request_hash: &str,
    parsed: Result<Value, Fail>,
) -> Answer {
    let mut inner = shared.lock();
    let test = key.starts_with("test_");
    let quota = if test { inner.limits.quota_test } else { inner.limits.quota_live };
    if let Some(quota) = quota {
        let today = unix_millis() / 86_400_000;
        let used = inner.quotas.entry(key.to_owned()).or_insert((today, 0));
        if used.0 != today {
            *used = (today, 0);
        }
        if used.1 >= quota {
            inner.counts.quota_exceeded += 1;
            let message = format!("Daily send quota of {quota} exceeded; it resets at 00:00 UTC");
            return Answer {
                status: 402,
                body: json!({"error": message, "code": "QUOTA_EXCEEDED"}),
                replay: false,
                drop: false,
            };
        }
        used.1 += 1;
    }
    inner.counts.sends += 1;
    let result = match parsed {
        Ok(body) => {
            let ctx = SendCtx { event, channel, request_id, idempotency_key, request_hash };
            send::perform(&shared.config.fixtures, &mut inner, &ctx, &body)
        }
        Err(fail) => send::SendResult {
            status: fail.status,
            body: send::failure_body(&[sendivent::models::SendError {
                code: fail.code.as_str().into(),
                message: fail.message.clone(),
            }]),
            created: Vec::new(),
            error_codes: vec![fail.code],
        },
    };
    let drop_rate = inner.faults.drop_rate;
    let dropped = result.status == 200 && drop_rate > 0.0 && inner.rng.random_bool(drop_rate.clamp(0.0, 1.0));
    if dropped {
        inner.counts.dropped_responses += 1;
    }
    inner.data.sends.push(SendRecord {
        request_id: request_id.to_owned(),
        event: event.to_owned(),
        channel: channel.map(str::to_owned),
        idempotency_key: idempotency_key.map(str::to_owned),
        request_hash: request_hash.to_owned(),
        status: result.status,
        deliveries: result.created.clone(),
        error_codes: result.error_codes,
        response_dropped: dropped,
        at: now_rfc3339(),
    });
    let generation = inner.generation;
    drop(inner);
    lifecycle::schedule(Arc::clone(shared), generation, result.created);
    Answer { status: result.status, body: result.body, replay: false, drop: dropped }
}

// ---------------------------------------------------------------------------------------------
// Contacts.

fn contact_at(shared: &Shared, index: usize) -> Response {
    match shared.lock().data.contacts.get(index).cloned() {
        Some(contact) => ok(200, ContactData { contact }),
        None => Fail::not_found("Contact not found").into_response(),
    }
}

fn locate(shared: &Shared, identifier: &str) -> Result<usize, Fail> {
    shared
        .lock()
        .data
        .find_contact(identifier)?
        .ok_or_else(|| Fail::not_found(format!("Contact '{identifier}' not found")))
}

async fn list_contacts(
    State(shared): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult {
    let query = query_map(query)?;
    let limit = number(&query, "limit", 50, Some(100))?;
    let offset = number(&query, "offset", 0, None)?;
    let search = query.get("search").map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let inner = shared.lock();
    let matching: Vec<_> = inner
        .data
        .contacts
        .iter()
        .filter(|c| {
            search.as_deref().is_none_or(|needle| {
                [&c.email, &c.name, &c.phone]
                    .iter()
                    .any(|f| f.as_deref().is_some_and(|v| v.to_lowercase().contains(needle)))
            })
        })
        .cloned()
        .collect();
    Ok(ok(200, ContactList { contacts: page(&matching, limit, offset), total: matching.len() as u64, limit, offset }))
}

async fn get_contact(State(shared): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let identifier = path_value(path)?;
    let index = locate(&shared, &identifier)?;
    Ok(contact_at(&shared, index))
}

async fn create_contact(State(shared): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let fields = ContactFields::parse(&json_object(&headers, &body)?, false)?;
    let index = {
        let mut inner = shared.lock();
        let inner = &mut *inner;
        inner.data.create_contact(&fields, &now_rfc3339(), &mut inner.rng, false)?
    };
    let mut response = contact_at(&shared, index);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

async fn update_contact(
    State(shared): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let identifier = path_value(path)?;
    let fields = ContactFields::parse(&json_object(&headers, &body)?, false)?;
    let index = locate(&shared, &identifier)?;
    shared.lock().data.update_contact(index, &fields, &now_rfc3339())?;
    Ok(contact_at(&shared, index))
}

async fn delete_contact(State(shared): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let identifier = path_value(path)?;
    let mut inner = shared.lock();
    let index = inner
        .data
        .find_contact(&identifier)?
        .ok_or_else(|| Fail::not_found(format!("Contact '{identifier}' not found")))?;
    inner.data.contacts.remove(index);
    Ok(json_response(200, json!({"success": true, "deleted": true})))
}

fn token_of(headers: &HeaderMap, body: &Bytes) -> Result<String, Fail> {
    let fields = json_object(headers, body)?;
    match fields.get("token") {
        Some(Value::String(token)) if !token.trim().is_empty() => Ok(token.trim().to_owned()),
        _ => Err(Fail::validation("`token` is required and must be a non-empty string")),
    }
}

async fn add_push_token(
    State(shared): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let identifier = path_value(path)?;
    let token = token_of(&headers, &body)?;
    let index = locate(&shared, &identifier)?;
    let mut inner = shared.lock();
    if let Some(contact) = inner.data.contacts.get_mut(index)
        && !contact.push_tokens.contains(&token)
    {
        contact.push_tokens.push(token);
        contact.updated_at = Some(now_rfc3339());
    }
    Ok(json_response(201, json!({"success": true})))
}

async fn remove_push_token(
    State(shared): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let identifier = path_value(path)?;
    let token = token_of(&headers, &body)?;
    let index = locate(&shared, &identifier)?;
    let mut inner = shared.lock();
    if let Some(contact) = inner.data.contacts.get_mut(index) {
        let before = contact.push_tokens.len();
        contact.push_tokens.retain(|t| t != &token);
        if contact.push_tokens.len() != before {
            contact.updated_at = Some(now_rfc3339());
        }
    }
    Ok(json_response(200, json!({"success": true})))
}

// ---------------------------------------------------------------------------------------------
// Events, deliveries, integrations.

fn event_view(event: &crate::fixtures::EventFixture, templates: bool) -> Event {
    Event {
        identifier: event.identifier.clone(),
        name: event.name.clone(),
        description: event.description.clone(),
        channels: event.channels.clone(),
        templates: if templates { event.templates.clone() } else { Vec::new() },
        ..Event::default()
    }
}

async fn list_events(State(shared): State<AppState>) -> Response {
    let events = shared.config.fixtures.events.iter().map(|e| event_view(e, false)).collect();
    ok(200, EventList { events })
}

async fn get_event(State(shared): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let identifier = path_value(path)?;
    let event = shared
        .config
        .fixtures
        .events
        .iter()
        .find(|e| e.identifier == identifier)
        .ok_or_else(|| Fail::not_found(format!("Event '{identifier}' not found")))?;
    Ok(ok(200, EventData { event: event_view(event, true) }))
}

async fn list_deliveries(
    State(shared): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult {
    let query = query_map(query)?;
    let limit = number(&query, "limit", 20, Some(100))?;
    let offset = number(&query, "offset", 0, None)?;
    let channel = query.get("channel").map(|c| known_channel(c)).transpose()?;
    let statuses: Option<&[&str]> = match query.get("status").map(|s| s.trim()) {
        None => None,
        Some("pending") => Some(&["pending"]),
        Some("sent") => Some(&["sent"]),
        Some("delivered") => Some(&["delivered", "complained"]),
        Some("failed") => Some(&["failed", "bounced"]),
        Some(other) => {
            return Err(Fail::validation(format!(
                "Unknown status '{other}': expected one of pending, sent, delivered, failed"
            )));
        }
    };
    let event = query.get("event");
    let inner = shared.lock();
    let matching: Vec<_> = inner
        .data
        .deliveries
        .iter()
        .rev()
        .map(|rec| &rec.delivery)
        .filter(|d| event.is_none_or(|e| d.event_name.as_ref() == Some(e)))
        .filter(|d| channel.as_ref().is_none_or(|c| &d.channel == c))
        .filter(|d| statuses.is_none_or(|s| s.contains(&d.status.as_str())))
        .cloned()
        .collect();
    Ok(ok(
        200,
        DeliveryList { deliveries: page(&matching, limit, offset), total: matching.len() as u64, limit, offset },
    ))
}

async fn trace_delivery(State(shared): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let uuid = path_value(path)?;
    let inner = shared.lock();
    let rec = inner
        .data
        .deliveries
        .iter()
        .find(|rec| rec.delivery.uuid.eq_ignore_ascii_case(uuid.trim()))
        .ok_or_else(|| Fail::not_found(format!("Delivery '{uuid}' not found")))?;
    Ok(ok(
        200,
        DeliveryTrace {
            delivery: rec.delivery.clone(),
            timeline: rec.timeline.clone(),
            content: Some(rec.content.clone()),
        },
    ))
}

async fn list_integrations(
    State(shared): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult {
    let query = query_map(query)?;
    let channel = query.get("channel").map(|c| known_channel(c)).transpose()?;
    let integrations = shared
        .config
        .fixtures
        .integrations
        .iter()
        .filter(|i| channel.as_ref().is_none_or(|c| &i.channel == c))
        .map(|i| Integration { channel: i.channel.clone(), provider: i.provider.clone(), status: i.status.clone() })
        .collect();
    Ok(ok(200, IntegrationList { integrations }))
}

// ---------------------------------------------------------------------------------------------
// Webhooks.

fn check_url(url: &Value) -> Result<String, Fail> {
    let Value::String(url) = url else { return Err(Fail::validation("`url` must be a string")) };
    let parsed =
        reqwest::Url::parse(url.trim()).map_err(|e| Fail::validation(format!("Invalid `url` '{url}': {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(Fail::validation(format!("Invalid `url` '{url}': an http(s) URL with a host is required")));
    }
    Ok(url.trim().to_owned())
}

fn check_events(events: &Value) -> Result<Vec<WebhookEventType>, Fail> {
    let Value::Array(list) = events else {
        return Err(Fail::validation("`enabled_events` must be a list of event names"));
    };
    if list.is_empty() {
        return Err(Fail::validation("`enabled_events` must name at least one event"));
    }
    list.iter()
        .map(|e| match e.as_str().map(WebhookEventType::from) {
            Some(event) if event.is_known() => Ok(event),
            _ => Err(Fail::validation(format!(
                "Unknown event {e} in `enabled_events`: expected delivery.sent, delivery.delivered, delivery.failed, delivery.bounced or delivery.complained"
            ))),
        })
        .collect()
}

async fn create_webhook(State(shared): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let fields = json_object(&headers, &body)?;
    let url = check_url(fields.get("url").ok_or_else(|| Fail::validation("`url` is required"))?)?;
    let enabled_events =
        check_events(fields.get("enabled_events").ok_or_else(|| Fail::validation("`enabled_events` is required"))?)?;
    let description = match fields.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Fail::validation("`description` must be a string")),
    };
    let mut inner = shared.lock();
    if inner.data.webhook.is_some() {
        return Err(Fail::new(409, "CONFLICT", "A webhook endpoint already exists for this application"));
    }
    let secret_bytes: [u8; 24] = inner.rng.random();
    let webhook = WebhookConfig {
        uuid: new_uuid(&mut inner.rng),
        url,
        enabled_events,
        description,
        is_active: true,
        signing_secret: Some(format!(
            "whsec_{}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, secret_bytes)
        )),
        created_at: Some(now_rfc3339()),
    };
    inner.data.webhook = Some(webhook.clone());
    Ok(ok(201, WebhookData { webhook }))
}

async fn get_webhook(State(shared): State<AppState>) -> ApiResult {
    let webhook =
        shared.lock().data.webhook.clone().ok_or_else(|| Fail::not_found("No webhook endpoint configured"))?;
    Ok(ok(200, WebhookData { webhook }))
}

fn webhook_matching<'a>(webhook: &'a mut Option<WebhookConfig>, uuid: &str) -> Result<&'a mut WebhookConfig, Fail> {
    webhook
        .as_mut()
        .filter(|w| w.uuid.eq_ignore_ascii_case(uuid.trim()))
        .ok_or_else(|| Fail::not_found(format!("Webhook '{uuid}' not found")))
}

async fn update_webhook(
    State(shared): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let uuid = path_value(path)?;
    let fields = json_object(&headers, &body)?;
    let url = fields.get("url").map(check_url).transpose()?;
    let events = fields.get("enabled_events").map(check_events).transpose()?;
    let active = match fields.get("is_active") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(Fail::validation("`is_active` must be a boolean")),
    };
    let description = match fields.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => return Err(Fail::validation("`description` must be a string")),
    };
    let mut inner = shared.lock();
    let webhook = webhook_matching(&mut inner.data.webhook, &uuid)?;
    if let Some(url) = url {
        webhook.url = url;
    }
    if let Some(events) = events {
        webhook.enabled_events = events;
    }
    if let Some(active) = active {
        webhook.is_active = active;
    }
    if let Some(description) = description {
        webhook.description = description;
    }
    let webhook = webhook.clone();
    Ok(ok(200, WebhookData { webhook }))
}

async fn delete_webhook(State(shared): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let uuid = path_value(path)?;
    let mut inner = shared.lock();
    webhook_matching(&mut inner.data.webhook, &uuid)?;
    inner.data.webhook = None;
    Ok(json_response(200, json!({"success": true, "deleted": true})))
}

// ---------------------------------------------------------------------------------------------
// Admin API.

async fn admin_state(State(shared): State<AppState>) -> Response {
    match serde_json::to_value(shared.snapshot()) {
        Ok(state) => json_response(200, state),
        Err(e) => Fail::new(500, "SERVER_ERROR", e.to_string()).into_response(),
    }
}

async fn admin_get_faults(State(shared): State<AppState>) -> Response {
    json_response(200, json!(shared.lock().faults))
}

async fn admin_get_limits(State(shared): State<AppState>) -> Response {
    json_response(200, json!(shared.lock().limits))
}

fn rate(fields: &Map<String, Value>, name: &str) -> Result<Option<f64>, Fail> {
    match fields.get(name) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(p) if (0.0..=1.0).contains(&p) => Ok(Some(p)),
            _ => Err(Fail::validation(format!("`{name}` must be a number between 0 and 1"))),
        },
    }
}

async fn admin_faults(State(shared): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let fields = json_object(&headers, &body)?;
    if let Some(unknown) = fields.keys().find(|k| !matches!(k.as_str(), "error_rate" | "drop_rate" | "latency_ms")) {
        return Err(Fail::validation(format!("Unknown field `{unknown}`: expected error_rate, drop_rate, latency_ms")));
    }
    let error_rate = rate(&fields, "error_rate")?;
    let drop_rate = rate(&fields, "drop_rate")?;
    let latency = match fields.get("latency_ms") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| Fail::validation("`latency_ms` must be a non-negative integer"))?),
    };
    let mut inner = shared.lock();
    if let Some(p) = error_rate {
        inner.faults.error_rate = p;
    }
    if let Some(p) = drop_rate {
        inner.faults.drop_rate = p;
    }
    if let Some(ms) = latency {
        inner.faults.latency_ms = ms;
    }
    Ok(json_response(200, json!(inner.faults)))
}

async fn admin_limits(State(shared): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let fields = json_object(&headers, &body)?;
    let mut limits: Limits = shared.lock().limits;
    for (name, value) in &fields {
        let parsed = match value {
            Value::Null => None,
            v => Some(
                v.as_u64()
                    .ok_or_else(|| Fail::validation(format!("`{name}` must be a non-negative integer or null")))?,
            ),
        };
        let as_u32 = |v: Option<u64>| v.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        match name.as_str() {
            "rate_limit_live" => limits.rate_limit_live = as_u32(parsed),
            "rate_limit_test" => limits.rate_limit_test = as_u32(parsed),
            "quota_live" => limits.quota_live = parsed,
            "quota_test" => limits.quota_test = parsed,
            other => {
                return Err(Fail::validation(format!(
                    "Unknown field `{other}`: expected rate_limit_live, rate_limit_test, quota_live, quota_test"
                )));
            }
        }
    }
    shared.lock().limits = limits;
    Ok(json_response(200, json!(limits)))
}

async fn admin_reset(State(shared): State<AppState>) -> Response {
    shared.reset();
    json_response(200, json!({"success": true}))
}

/// JSON text with every object's keys sorted: the same request written with another key order
/// is the same request, whatever order `serde_json` keeps maps in (its `preserve_order` feature
/// may be on in a workspace build).
fn sorted_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}:{}", Value::String((*k).clone()), sorted_json(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(sorted_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_operation_has_a_handler() {
        for op in sendivent::api::OPERATIONS {
            assert!(handler(op.name, method_filter(op.method)).is_some(), "no mock handler for {}", op.name);
        }
    }
}
