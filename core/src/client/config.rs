//! Client configuration: where the key and base URL come from, and what is refused.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::api::bounds;
use crate::error::{Error, ErrorCode, Result, redact};

/// Production base URL, chosen for `live_` keys.
pub const PRODUCTION_URL: &str = "https://api.sendivent.com";
/// Sandbox base URL, chosen for `test_` keys.
pub const SANDBOX_URL: &str = "https://api-sandbox.sendivent.com";
/// Environment variable read when no key is given.
pub const API_KEY_ENV: &str = "SENDIVENT_API_KEY";
/// Environment variable read when no base URL is given.
pub const BASE_URL_ENV: &str = "SENDIVENT_BASE_URL";
/// Environment variable that turns on request logging (`debug` or `info`).
pub const LOG_ENV: &str = "SENDIVENT_LOG";

/// Default per-attempt timeout ([`bounds::TIMEOUT`]).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(bounds::TIMEOUT.default as u64);
/// Default number of retries after the first attempt ([`bounds::MAX_RETRIES`]).
pub const DEFAULT_MAX_RETRIES: u32 = bounds::MAX_RETRIES.default as u32;
/// Default cap on a response body ([`bounds::MAX_RESPONSE_BYTES`]).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = bounds::MAX_RESPONSE_BYTES.default as usize;

/// Whether a key is for production or the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyMode {
    /// `live_` keys: real deliveries, 100 requests/s.
    Live,
    /// `test_` keys: the sandbox, 10 requests/s.
    Test,
}

impl KeyMode {
    /// The documented request rate of keys of this mode, per second.
    pub fn documented_rate(self) -> f64 {
        match self {
            KeyMode::Live => 100.0,
            KeyMode::Test => 10.0,
        }
    }
}

/// Client-side rate limiting, so bulk senders don't meet 429s.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum RateLimit {
    /// No client-side limit (the server's 429s are still retried). Default.
    #[default]
    Off,
    /// The documented rate of the key's mode (100/s live, 10/s test).
    Documented,
    /// A custom rate in requests per second.
    PerSecond(f64),
}

/// A log line the client emits for each attempt (`SENDIVENT_LOG`). Keys never appear in it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    /// `debug` for every attempt, `info` for final outcomes.
    pub level: LogLevel,
    /// HTTP method.
    pub method: String,
    /// Request path (no query string values are secret, but the path is what is logged).
    pub path: String,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// 1-based attempt number.
    pub attempt: u32,
    /// Time the attempt took.
    pub duration: Duration,
    /// `X-Request-Id`, when the server sent one.
    pub request_id: Option<String>,
    /// The error, when the attempt failed.
    pub error: Option<String>,
}

impl fmt::Display for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sendivent {} {} attempt={}", self.method, self.path, self.attempt)?;
        match self.status {
            Some(status) => write!(f, " status={status}")?,
            None => f.write_str(" status=-")?,
        }
        write!(f, " duration_ms={}", self.duration.as_millis())?;
        if let Some(id) = &self.request_id {
            write!(f, " request_id={id}")?;
        }
        if let Some(err) = &self.error {
            write!(f, " error=\"{err}\"")?;
        }
        Ok(())
    }
}

/// Verbosity of [`LogRecord`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Every attempt.
    Debug,
    /// Final outcomes only.
    Info,
    /// Nothing, even when `SENDIVENT_LOG` is set (records never carry this level).
    Off,
}

impl LogLevel {
    /// Reads `SENDIVENT_LOG` (`debug` or `info`, case-insensitive; anything else is off).
    pub fn from_env() -> Option<LogLevel> {
        LogLevel::parse(std::env::var(LOG_ENV).ok().as_deref()).ok().flatten()
    }

    /// Parses a level name, any case: `debug`, `info`, `off`; `None` or empty means "not
    /// given". Other names are INVALID_ARGUMENT.
    pub fn parse(name: Option<&str>) -> Result<Option<LogLevel>> {
        match name.map(|n| n.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") => Ok(None),
            Some("off") => Ok(Some(LogLevel::Off)),
            Some("debug") => Ok(Some(LogLevel::Debug)),
            Some("info") => Ok(Some(LogLevel::Info)),
            Some(other) => Err(Error::invalid(
                ErrorCode::InvalidArgument,
                format!("log level must be \"debug\", \"info\" or \"off\", not {other:?}"),
            )),
        }
    }

    /// The level's name.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Off => "off",
        }
    }
}

/// Receives the client's log records; bindings route them to their language's logging.
pub type LogHook = Arc<dyn Fn(&LogRecord) + Send + Sync>;

/// Options for building a [`crate::client::Client`]. Every field has a documented default;
/// `ClientOptions::default()` reads the key and base URL from the environment.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// The API key. Default: `SENDIVENT_API_KEY`.
    pub api_key: Option<String>,
    /// Base URL override. Default: `SENDIVENT_BASE_URL`, else chosen by the key's prefix.
    pub base_url: Option<String>,
    /// Per-attempt timeout. Default: 30 s.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt. Default: 2 (3 attempts).
    pub max_retries: Option<u32>,
    /// Allow plain `http://` to hosts other than loopback. Default: false.
    pub allow_insecure_http: bool,
    /// Client-side rate limiting. Default: off.
    pub rate_limit: RateLimit,
    /// The binding name in `User-Agent: sendivent-<binding>/<version>`. Default: `rust`.
    pub binding: Option<String>,
    /// Headers added to every request.
    pub default_headers: Vec<(String, String)>,
    /// Where log records go. Default: stderr when `SENDIVENT_LOG` is set, else nowhere (the
    /// records are also emitted as `tracing` events at debug level).
    pub log_hook: Option<LogHook>,
    /// Minimum level passed to `log_hook`. Default: `SENDIVENT_LOG`, else `Info` when a hook is
    /// set.
    pub log_level: Option<LogLevel>,
    /// The largest response body read; a larger 2xx body fails with INVALID_RESPONSE.
    /// Default: 10 MiB.
    pub max_response_bytes: Option<usize>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_deref().map(redact))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("rate_limit", &self.rate_limit)
            .field("binding", &self.binding)
            .field("default_headers", &self.default_headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("log_level", &self.log_level)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// The resolved, validated configuration a client runs with.
#[derive(Clone)]
pub(crate) struct Config {
    pub api_key: String,
    pub mode: KeyMode,
    pub base_url: reqwest::Url,
    pub timeout: Duration,
    pub max_retries: u32,
    pub rate: Option<f64>,
    pub user_agent: String,
    pub default_headers: Vec<(String, String)>,
    pub log_hook: Option<LogHook>,
    pub log_level: LogLevel,
    pub max_response_bytes: usize,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &redact(&self.api_key))
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Checks an API key's prefix and returns its mode.
///
/// ```
/// use sendivent::client::{key_mode, KeyMode};
/// assert_eq!(key_mode("test_abc").unwrap(), KeyMode::Test);
/// assert_eq!(key_mode("sk_live_abc").unwrap_err().code(), "INVALID_API_KEY");
/// ```
pub fn key_mode(key: &str) -> Result<KeyMode> {
    if key.starts_with("live_") && key.len() > 5 {
        Ok(KeyMode::Live)
    } else if key.starts_with("test_") && key.len() > 5 {
        Ok(KeyMode::Test)
    } else if key.starts_with("whsec_") {
        Err(Error::invalid(
            ErrorCode::InvalidApiKey,
            "this is a webhook signing secret (whsec_…), not an API key: API keys start with live_ or test_",
        ))
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidApiKey,
            format!("API keys start with live_ or test_; got {}", redact(key)),
        ))
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost"),
    }
}

impl Config {
    pub(crate) fn resolve(options: &ClientOptions) -> Result<Config> {
        let api_key = match options.api_key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(key) => key.to_owned(),
            None => non_empty_env(API_KEY_ENV).ok_or_else(|| {
                Error::invalid(
                    ErrorCode::MissingApiKey,
                    format!("no API key: pass api_key or set {API_KEY_ENV} (keys start with live_ or test_)"),
                )
            })?,
        };
        let mode = key_mode(&api_key)?;
        let base = match options.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_owned(),
            None => non_empty_env(BASE_URL_ENV).unwrap_or_else(|| {
                match mode {
                    KeyMode::Live => PRODUCTION_URL,
                    KeyMode::Test => SANDBOX_URL,
                }
                .to_owned()
            }),
        };
        let base_url = parse_base_url(&base, options.allow_insecure_http)?;
        let timeout = bounds::TIMEOUT.check_duration(options.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let max_retries = options.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        bounds::MAX_RETRIES.check(f64::from(max_retries))?;
        let max_response_bytes = options.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        bounds::MAX_RESPONSE_BYTES.check(max_response_bytes as f64)?;
        let rate = match options.rate_limit {
            RateLimit::Off => None,
            RateLimit::Documented => Some(mode.documented_rate()),
            RateLimit::PerSecond(r) => Some(bounds::RATE_LIMIT.check(r)?),
        };
        let env_level = LogLevel::from_env();
        let log_level = options.log_level.or(env_level).unwrap_or(LogLevel::Info);
        let log_hook = if log_level == LogLevel::Off {
            None
        } else {
            options.log_hook.clone().or_else(|| {
                env_level
                    .filter(|level| *level != LogLevel::Off)
                    .map(|_| Arc::new(|record: &LogRecord| eprintln!("{record}")) as LogHook)
            })
        };
        check_headers("default_headers", &options.default_headers)?;
        let binding = options.binding.as_deref().unwrap_or("rust");
        Ok(Config {
            api_key,
            mode,
            base_url,
            timeout,
            max_retries,
            rate,
            user_agent: format!("sendivent-{binding}/{}", crate::VERSION),
            default_headers: options.default_headers.clone(),
            log_hook,
            log_level,
            max_response_bytes,
        })
    }
}

/// Refuses a header HTTP cannot carry (a name that is not a token, a value with control
/// characters, which could smuggle another header, or outside ASCII) as INVALID_ARGUMENT naming
/// `option`; the HTTP layer would otherwise fail the request later as if the connection had.
/// Values are not repeated in the message: they may be credentials.
///
/// The rules are RFC 9110's token for names and the `http` crate's for values given as text
/// (what reqwest applies); not `http::HeaderName` itself, whose table of standard names would
/// add 7 KB (gzip) to the WebAssembly client, which never builds one.
pub(crate) fn check_headers(option: &str, headers: &[(String, String)]) -> Result<()> {
    fn is_token(name: &str) -> bool {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    }
    fn is_value(value: &str) -> bool {
        value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    }
    for (name, value) in headers {
        if !is_token(name) {
            return Err(Error::invalid(
                ErrorCode::InvalidArgument,
                format!("{option}: {name:?} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
            ));
        }
        if !is_value(value) {
            return Err(Error::invalid(
                ErrorCode::InvalidArgument,
                format!(
                    "{option}: the value of {name} is not an HTTP header value (printable ASCII, spaces and tabs only: \
                     no line breaks or other control characters)"
                ),
            ));
        }
    }
    Ok(())
}

/// Parses a base URL; refuses plain http to non-loopback hosts unless allowed.
fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<reqwest::Url> {
    let mut url = reqwest::Url::parse(raw)
        .map_err(|e| Error::invalid(ErrorCode::InvalidBaseUrl, format!("base URL {raw:?} is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || allow_insecure_http => {}
        "http" => {
            return Err(Error::invalid(
                ErrorCode::InsecureBaseUrl,
                format!(
                    "refusing to send the API key over plain http to {}: use https, or opt in with allow_insecure_http for a trusted network (e.g. a mock in a container)",
                    url.host_str().unwrap_or("?")
                ),
            ));
        }
        other => {
            return Err(Error::invalid(
                ErrorCode::InvalidBaseUrl,
                format!("base URL scheme must be https or http, not {other}"),
            ));
        }
    }
    if url.host_str().is_none() || url.cannot_be_a_base() {
        return Err(Error::invalid(ErrorCode::InvalidBaseUrl, format!("base URL {raw:?} has no host")));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn opts(key: &str, url: &str) -> ClientOptions {
        ClientOptions { api_key: Some(key.into()), base_url: Some(url.into()), ..ClientOptions::default() }
    }

    #[test]
    fn key_prefix_routes_to_environment() {
        let live = Config::resolve(&ClientOptions { api_key: Some("live_x1".into()), ..Default::default() });
        // Env may set a base URL in CI; only assert when it does not.
        if std::env::var(BASE_URL_ENV).is_err() {
            assert_eq!(live.unwrap().base_url.as_str(), "https://api.sendivent.com/");
            let test = Config::resolve(&ClientOptions { api_key: Some("test_x1".into()), ..Default::default() });
            assert_eq!(test.unwrap().base_url.as_str(), "https://api-sandbox.sendivent.com/");
        }
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        let err = Config::resolve(&opts("sk_live_supersecretvalue123", "https://x.test")).unwrap_err();
        assert_eq!(err.code(), "INVALID_API_KEY");
        assert!(!err.to_string().contains("supersecret"));
        let err = Config::resolve(&opts("whsec_abc", "https://x.test")).unwrap_err();
        assert!(err.to_string().contains("webhook signing secret"));
    }

    #[test]
    fn plain_http_only_for_loopback_or_opt_in() {
        assert!(Config::resolve(&opts("test_k", "http://127.0.0.1:8080")).is_ok());
        assert!(Config::resolve(&opts("test_k", "http://localhost:8080/api")).is_ok());
        assert!(Config::resolve(&opts("test_k", "http://[::1]:9")).is_ok());
        let err = Config::resolve(&opts("test_k", "http://mock.internal:8080")).unwrap_err();
        assert_eq!(err.code(), "INSECURE_BASE_URL");
        let allowed = ClientOptions { allow_insecure_http: true, ..opts("test_k", "http://mock.internal:8080") };
        assert!(Config::resolve(&allowed).is_ok());
        assert_eq!(Config::resolve(&opts("test_k", "ftp://x")).unwrap_err().code(), "INVALID_BASE_URL");
        assert_eq!(Config::resolve(&opts("test_k", "not a url")).unwrap_err().code(), "INVALID_BASE_URL");
    }

    #[test]
    fn base_url_path_prefix_is_kept() {
        let cfg = Config::resolve(&opts("test_k", "https://proxy.example.com/sendivent")).unwrap();
        assert_eq!(cfg.base_url.join("v1/events").unwrap().as_str(), "https://proxy.example.com/sendivent/v1/events");
    }

    #[test]
    fn out_of_range_options_are_invalid_argument() {
        let with = |f: fn(&mut ClientOptions)| {
            let mut o = opts("test_k", "https://x.test");
            f(&mut o);
            Config::resolve(&o).map(|_| ()).map_err(|e| e.code().to_owned())
        };
        assert_eq!(with(|o| o.timeout = Some(Duration::ZERO)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.timeout = Some(Duration::MAX)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.max_retries = Some(11)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.rate_limit = RateLimit::PerSecond(f64::NAN)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.rate_limit = RateLimit::PerSecond(1e300)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.max_response_bytes = Some(10)), Err("INVALID_ARGUMENT".into()));
        assert_eq!(with(|o| o.timeout = Some(Duration::from_millis(1))), Ok(()));
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let cfg = Config::resolve(&opts("test_0123456789abcdefSECRET", "https://x.test")).unwrap();
        let shown = format!("{cfg:?} {:?}", opts("test_0123456789abcdefSECRET", "https://x.test"));
        assert!(!shown.contains("0123456789"), "{shown}");
    }
}
