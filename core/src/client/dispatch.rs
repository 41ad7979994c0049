//! Operations by name, with JSON arguments and results: the one entry point every binding's
//! generated surface calls, so no binding parses requests or encodes answers on its own.
//!
//! Arguments are a JSON object: each path parameter by name (`"identifier"`), each query
//! parameter by name (`"limit"`), and the request body under `"body"`. The result is the
//! operation's response model encoded by the core (the SDK's canonical JSON), with the response
//! metadata beside it.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{Client, ClientOptions, LogLevel, Paginator, RateLimit, RequestOptions, Response, SendItem};
use crate::api::{self, Operation, bounds};
use crate::error::{Error, ErrorCode, Result};
use crate::models::{
    Channel, ContactInput, ContactListParams, CreateWebhook, DeliveryListParams, IntegrationListParams, PushToken,
    SendRequest, UpdateWebhook,
};

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(ErrorCode::InvalidRequest, message)
}

/// The arguments of one call, split by where they go.
struct Args<'a> {
    op: &'static Operation,
    path: Vec<Option<&'a str>>,
    rest: Map<String, Value>,
    body: Option<&'a Value>,
}

impl<'a> Args<'a> {
    fn new(op: &'static Operation, args: &'a Value) -> Result<Args<'a>> {
        static NO_ARGUMENTS: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        let object = match args {
            Value::Object(object) => object,
            Value::Null => &*NO_ARGUMENTS,
            other => return Err(invalid(format!("{} takes an object of arguments, not {other}", op.name))),
        };
        let mut path = Vec::with_capacity(op.path_params.len());
        for param in op.path_params {
            match object.get(param.name) {
                Some(Value::String(s)) => path.push(Some(s.as_str())),
                None | Some(Value::Null) if param.optional => path.push(None),
                None | Some(Value::Null) => return Err(invalid(format!("{} needs `{}`", op.name, param.name))),
                Some(other) => return Err(invalid(format!("`{}` must be a string, not {other}", param.name))),
            }
        }
        let body = object.get("body").filter(|b| !b.is_null());
        if op.body.is_none() && body.is_some() {
            return Err(invalid(format!("{} takes no body", op.name)));
        }
        let rest: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| k.as_str() != "body" && !op.path_params.iter().any(|p| p.name == k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if op.query.is_none()
            && let Some(key) = rest.keys().next()
        {
            return Err(invalid(format!("{} has no argument `{key}`", op.name)));
        }
        Ok(Args { op, path, rest, body })
    }

    fn path(&self, index: usize) -> Option<&'a str> {
        self.path.get(index).copied().flatten()
    }

    fn required(&self, index: usize) -> Result<&'a str> {
        self.path(index).ok_or_else(|| invalid(format!("{} needs a path parameter", self.op.name)))
    }

    fn body<T: DeserializeOwned>(&self) -> Result<T> {
        let body = self.body.ok_or_else(|| invalid(format!("{} needs `body`", self.op.name)))?;
        T::deserialize(body).map_err(|e| invalid(format!("invalid body of {}: {e}", self.op.name)))
    }

    fn query<T: DeserializeOwned>(&self) -> Result<T> {
        T::deserialize(Value::Object(self.rest.clone()))
            .map_err(|e| invalid(format!("invalid arguments of {}: {e}", self.op.name)))
    }
}

fn encode<T: serde::Serialize>(response: Result<Response<T>>) -> Result<Response<Value>> {
    let (data, meta) = response?.into_parts();
    let value = serde_json::to_value(data)
        .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot encode the answer: {e}")))?;
    Ok(Response::new(value, meta))
}

impl Client {
    /// Runs the operation `name` of [`crate::api::OPERATIONS`] with JSON arguments (see the
    /// module documentation) and returns its answer as the SDK's canonical JSON.
    ///
    /// Errors: an unknown operation, a missing or mistyped argument, or an argument the
    /// operation does not take is INVALID_REQUEST; everything else as the typed method.
    ///
    /// ```
    /// # let mock = sendivent_mock::MockServer::start_in_thread(Default::default()).unwrap();
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use sendivent::client::{Client, ClientOptions};
    /// use serde_json::json;
    ///
    /// let client = Client::new(ClientOptions {
    ///     api_key: Some("test_docs_0123456789".into()),
    ///     base_url: Some(mock.url()),
    ///     ..ClientOptions::default()
    /// })?;
    /// let sent = client.call("send", &json!({"event": "order.confirmed", "body": {"to": "ada@example.com"}})).await?;
    /// assert_eq!(sent.data()["deliveries"][0]["channel"], "email");
    /// let err = client.call("contacts.get", &json!({})).await.unwrap_err();
    /// assert_eq!(err.code(), "INVALID_REQUEST");
    /// # Ok::<(), sendivent::Error>(()) }).unwrap();
    /// ```
    pub async fn call(&self, name: &str, args: &Value) -> Result<Response<Value>> {
        let op = api::operation(name).ok_or_else(|| unknown_operation(name))?;
        let args = Args::new(op, args)?;
        match op.name {
            "send" => {
                let channel = args.path(1).map(Channel::from);
                let request: SendRequest = match args.body {
                    Some(_) => args.body()?,
                    None => SendRequest::broadcast(),
                };
                encode(self.send_impl(args.required(0)?, channel.as_ref(), &request).await)
            }
            "contacts.list" => encode(self.contacts().list(&args.query::<ContactListParams>()?).await),
            "contacts.get" => encode(self.contacts().get(args.required(0)?).await),
            "contacts.create" => encode(self.contacts().create(&args.body::<ContactInput>()?).await),
            "contacts.update" => encode(self.contacts().update(args.required(0)?, &args.body::<ContactInput>()?).await),
            "contacts.delete" => encode(self.contacts().delete(args.required(0)?).await),
            "contacts.add_push_token" => {
                let token: PushToken = args.body()?;
                encode(self.contacts().add_push_token(args.required(0)?, &token.token).await)
            }
            "contacts.remove_push_token" => {
                let token: PushToken = args.body()?;
                encode(self.contacts().remove_push_token(args.required(0)?, &token.token).await)
            }
            "events.list" => encode(self.events().list().await),
            "events.get" => encode(self.events().get(args.required(0)?).await),
            "deliveries.list" => encode(self.deliveries().list(&args.query::<DeliveryListParams>()?).await),
            "deliveries.trace" => encode(self.deliveries().trace(args.required(0)?).await),
            "integrations.list" => {
                encode(self.integrations().list(args.query::<IntegrationListParams>()?.channel).await)
            }
            "webhooks.create" => encode(self.webhooks().create(&args.body::<CreateWebhook>()?).await),
            "webhooks.get" => encode(self.webhooks().get().await),
            "webhooks.update" => {
                encode(self.webhooks().update(args.required(0)?, &args.body::<UpdateWebhook>()?).await)
            }
            "webhooks.delete" => encode(self.webhooks().delete(args.required(0)?).await),
            other => Err(unknown_operation(other)),
        }
    }

    /// Walks every page of the list operation `name` (one with [`Operation::pagination`]),
    /// yielding each item as canonical JSON. The arguments are those of the operation; `offset`
    /// sets where the walk starts.
    pub fn paginate(&self, name: &str, args: &Value) -> Result<Paginator<Value>> {
        let op = api::operation(name).ok_or_else(|| unknown_operation(name))?;
        let args = Args::new(op, args)?;
        fn items<T: serde::Serialize + Send + 'static>(pager: Paginator<T>) -> Paginator<Value> {
            pager.map_items(|item| {
                serde_json::to_value(item)
                    .map_err(|e| Error::invalid(ErrorCode::InternalError, format!("cannot encode an item: {e}")))
            })
        }
        match op.name {
            "contacts.list" => {
                let params = args.query::<ContactListParams>()?.validated()?;
                Ok(items(self.contacts().list_all(params)))
            }
            "deliveries.list" => {
                let params = args.query::<DeliveryListParams>()?.validated()?;
                Ok(items(self.deliveries().list_all(params)))
            }
            other => Err(invalid(format!("{other} has no auto-paginating form"))),
        }
    }

    /// [`Client::send_many`] with items as JSON: a list of `{event, channel?, body,
    /// idempotency_key?}` (the arguments of `send` plus a per-item key). A malformed list is an
    /// error; a malformed item is that item's error.
    pub async fn send_many_json(
        &self,
        items: &Value,
        concurrency: Option<f64>,
    ) -> Result<Vec<Result<Response<Value>>>> {
        let concurrency: usize = match concurrency {
            Some(n) => bounds::CONCURRENCY.count(n)?,
            None => super::DEFAULT_SEND_MANY_CONCURRENCY,
        };
        let Value::Array(list) = items else { return Err(invalid("send_many takes a list of items")) };
        let parsed: Vec<Result<SendItem>> = list
            .iter()
            .map(|item| SendItem::deserialize(item).map_err(|e| invalid(format!("invalid send_many item: {e}"))))
            .collect();
        let valid: Vec<SendItem> = parsed.iter().filter_map(|p| p.as_ref().ok().cloned()).collect();
        let mut sent = self.send_many(valid, concurrency).await.into_iter();
        Ok(parsed
            .into_iter()
            .map(|p| match p {
                Ok(_) => encode(sent.next().unwrap_or_else(|| Err(invalid("send_many lost an item")))),
                Err(err) => Err(err),
            })
            .collect())
    }
}

fn unknown_operation(name: &str) -> Error {
    let names: Vec<&str> = api::OPERATIONS.iter().map(|op| op.name).collect();
    invalid(format!("unknown operation {name:?}; the operations are: {}", names.join(", ")))
}

/// Reads a `seconds` option given as a JSON number.
fn seconds(bound: &bounds::Bound, value: &Value) -> Result<Option<std::time::Duration>> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => bound.duration(n.as_f64().unwrap_or(f64::NAN)).map(Some),
        other => Err(Error::invalid(
            ErrorCode::InvalidArgument,
            format!("{} must be a number of seconds, not {other}", bound.name),
        )),
    }
}

fn count<T: TryFrom<u64>>(bound: &bounds::Bound, value: &Value) -> Result<Option<T>> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => bound.count(n.as_f64().unwrap_or(f64::NAN)).map(Some),
        other => {
            Err(Error::invalid(ErrorCode::InvalidArgument, format!("{} must be a number, not {other}", bound.name)))
        }
    }
}

fn text(name: &str, value: &Value) -> Result<Option<String>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(Error::invalid(ErrorCode::InvalidArgument, format!("{name} must be a string, not {other}"))),
    }
}

fn headers(name: &str, value: &Value) -> Result<Vec<(String, String)>> {
    let bad = || Error::invalid(ErrorCode::InvalidArgument, format!("{name} must map header names to strings"));
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Object(map) => {
            map.iter().map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())).ok_or_else(bad)).collect()
        }
        Value::Array(pairs) => pairs
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

fn unknown_option(what: &str, key: &str, known: &[&str]) -> Error {
    Error::invalid(ErrorCode::InvalidArgument, format!("unknown {what} `{key}`; the options are: {}", known.join(", ")))
}

/// The client options every binding accepts, by their description names.
pub const CLIENT_OPTION_NAMES: &[&str] = &[
    "api_key",
    "base_url",
    "timeout",
    "max_retries",
    "allow_insecure_http",
    "rate_limit",
    "default_headers",
    "log_level",
    "max_response_bytes",
];

/// The per-request options every binding accepts, by their description names.
pub const REQUEST_OPTION_NAMES: &[&str] = &["timeout", "max_retries", "idempotency_key", "extra_headers"];

impl ClientOptions {
    /// Client options from a JSON object with the description's names: `api_key`, `base_url`,
    /// `timeout` (seconds), `max_retries`, `allow_insecure_http`, `rate_limit` (requests per
    /// second, or `"documented"`), `default_headers` (an object or `[name, value]` pairs),
    /// `log_level` (`"debug"`, `"info"` or `"off"`), `max_response_bytes`. `null` means "not
    /// given". Numbers out of their bounds ([`crate::api::bounds`]) and unknown names are
    /// INVALID_ARGUMENT. `binding` names the binding in `User-Agent`.
    pub fn from_value(value: &Value, binding: &str) -> Result<ClientOptions> {
        let mut options = ClientOptions { binding: Some(binding.to_owned()), ..ClientOptions::default() };
        let Value::Object(map) = value else {
            return match value {
                Value::Null => Ok(options),
                _ => Err(Error::invalid(ErrorCode::InvalidArgument, "client options must be an object")),
            };
        };
        for (key, value) in map {
            match key.as_str() {
                "api_key" => options.api_key = text(key, value)?,
                "base_url" => options.base_url = text(key, value)?,
                "timeout" => options.timeout = seconds(&bounds::TIMEOUT, value)?,
                "max_retries" => options.max_retries = count(&bounds::MAX_RETRIES, value)?,
                "allow_insecure_http" => {
                    options.allow_insecure_http = match value {
                        Value::Null => false,
                        Value::Bool(b) => *b,
                        other => {
                            return Err(Error::invalid(
                                ErrorCode::InvalidArgument,
                                format!("allow_insecure_http must be a boolean, not {other}"),
                            ));
                        }
                    }
                }
                "rate_limit" => {
                    options.rate_limit = match value {
                        Value::Null => RateLimit::Off,
                        Value::String(s) if s == "off" => RateLimit::Off,
                        Value::String(s) if s == "documented" => RateLimit::Documented,
                        Value::Number(n) => {
                            RateLimit::PerSecond(bounds::RATE_LIMIT.check(n.as_f64().unwrap_or(f64::NAN))?)
                        }
                        other => {
                            return Err(Error::invalid(
                                ErrorCode::InvalidArgument,
                                format!("rate_limit must be requests per second or \"documented\", not {other}"),
                            ));
                        }
                    }
                }
                "default_headers" => options.default_headers = headers(key, value)?,
                "log_level" => options.log_level = LogLevel::parse(text(key, value)?.as_deref())?,
                "max_response_bytes" => options.max_response_bytes = count(&bounds::MAX_RESPONSE_BYTES, value)?,
                other => return Err(unknown_option("client option", other, CLIENT_OPTION_NAMES)),
            }
        }
        Ok(options)
    }
}

impl RequestOptions {
    /// Per-request options from a JSON object with the description's names: `timeout`
    /// (seconds), `max_retries`, `idempotency_key`, `extra_headers`. As
    /// [`ClientOptions::from_value`] for `null`, bounds and unknown names.
    pub fn from_value(value: &Value) -> Result<RequestOptions> {
        let mut options = RequestOptions::default();
        let Value::Object(map) = value else {
            return match value {
                Value::Null => Ok(options),
                _ => Err(Error::invalid(ErrorCode::InvalidArgument, "request options must be an object")),
            };
        };
        for (key, value) in map {
            match key.as_str() {
                "timeout" => options.timeout = seconds(&bounds::TIMEOUT, value)?,
                "max_retries" => options.max_retries = count(&bounds::MAX_RETRIES, value)?,
                "idempotency_key" => options.idempotency_key = text(key, value)?,
                "extra_headers" => {
                    options.extra_headers = headers(key, value)?;
                    super::config::check_headers(key, &options.extra_headers)?;
                }
                other => return Err(unknown_option("request option", other, REQUEST_OPTION_NAMES)),
            }
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn options_from_json_check_bounds_and_names() {
        let o = ClientOptions::from_value(
            &json!({"api_key": "test_x", "timeout": 2.5, "max_retries": 0, "rate_limit": "documented",
                    "default_headers": {"X-A": "1"}, "log_level": "debug"}),
            "python",
        )
        .unwrap();
        assert_eq!(o.timeout, Some(std::time::Duration::from_millis(2500)));
        assert_eq!((o.max_retries, o.rate_limit), (Some(0), RateLimit::Documented));
        assert_eq!(o.default_headers, vec![("X-A".to_owned(), "1".to_owned())]);
        for bad in [
            json!({"timeout": 1e20}),
            json!({"timeout": 0}),
            json!({"timeout": "5"}),
            json!({"max_retries": -1}),
            json!({"max_retries": 1.5}),
            json!({"rate_limit": 0}),
            json!({"timout": 5}),
            json!({"log_level": "loud"}),
        ] {
            let err = ClientOptions::from_value(&bad, "python").unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}: {err}");
        }
        let r = RequestOptions::from_value(&json!({"idempotency_key": "k", "extra_headers": [["X-T", "1"]]})).unwrap();
        assert_eq!(r.idempotency_key.as_deref(), Some("k"));
        assert_eq!(RequestOptions::from_value(&json!({"timeout": -1})).unwrap_err().code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn headers_that_http_cannot_carry_are_invalid_arguments_before_anything_is_sent() {
        let options = |headers: Vec<(String, String)>| ClientOptions {
            api_key: Some("test_dispatch_0123456789".into()),
            // Nothing listens there: an error that is not INVALID_ARGUMENT would be the connection's.
            base_url: Some("http://127.0.0.1:9".into()),
            max_retries: Some(0),
            default_headers: headers,
            ..ClientOptions::default()
        };
        let bad: [(&str, &str); 3] = [("X Bad", "1"), ("", "1"), ("X-Line", "a\r\nInjected: 1")];
        for (name, value) in bad {
            let err = Client::new(options(vec![(name.into(), value.into())])).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{name:?}: {err}");
            assert!(err.message().contains("default_headers"), "{err}");
            assert!(!err.message().contains("Injected"), "a value is not echoed: {err}");

            let err = RequestOptions::from_value(&json!({"extra_headers": [[name, value]]})).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{name:?}: {err}");

            let client = Client::new(options(Vec::new())).unwrap();
            let client = client.with_options(RequestOptions::default().header(name, value));
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let err = rt.block_on(client.call("events.list", &json!({}))).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{name:?}: {err}");
            assert!(err.message().contains("extra_headers"), "{err}");
        }
    }

    #[test]
    fn every_operation_is_dispatched() {
        let client = Client::new(ClientOptions {
            api_key: Some("test_dispatch_0123456789".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            max_retries: Some(0),
            ..ClientOptions::default()
        })
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        for op in api::OPERATIONS {
            // Arguments that cannot be valid: the error must come from the arguments, never
            // "unknown operation".
            let err = rt.block_on(client.call(op.name, &json!({"no_such_argument": 1}))).unwrap_err();
            assert!(!err.message().contains("unknown operation"), "{}: {err}", op.name);
        }
        let err = rt.block_on(client.call("contacts.fetch", &json!({}))).unwrap_err();
        assert!(err.message().contains("unknown operation"), "{err}");
        assert!(client.paginate("contacts.list", &json!({"limit": 10})).is_ok());
        assert_eq!(client.paginate("events.list", &json!({})).unwrap_err().code(), "INVALID_REQUEST");
    }
}
