//! `sendivent-mock`: the mock Sendivent API as a command-line server.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use sendivent_mock::{Fixtures, Limits, MockConfig, MockServer};

const USAGE: &str = "\
sendivent-mock: an in-memory Sendivent API for tests and demos

USAGE:
    sendivent-mock [OPTIONS]

OPTIONS:
    --port N                 TCP port on 127.0.0.1 (default 0 = a free port)
    --api-key KEY            also accept exactly this key (counts as a live_ key for limits)
    --fixtures FILE          app, events, templates, integrations, contacts (JSON; default: built-in)
    --rate-limit-live N      requests per second for live_ keys (default 100)
    --rate-limit-test N      requests per second for test_ keys (default 10)
    --quota-live N           send requests per UTC day for live_ keys (default 1000)
    --quota-test N           send requests per UTC day for test_ keys (default 150)
    --no-limits              no rate limits and no quotas (applied before the four above)
    --error-rate P           probability 0..1 of an injected 500/502/503 on /v1 requests
    --drop-rate P            probability 0..1 that a committed send's response is lost
    --latency-ms N           delay added to every /v1 answer
    --webhook-retries N      retries after a failed webhook attempt (default 4 = 5 attempts)
    --webhook-backoff-ms N   first retry delay, doubled each retry (default 200)
    --transition-delay-ms N  delay between delivery status changes (default 50)
    --seed N                 seed every random choice (UUIDs, secrets, faults)
    --header-read-timeout-ms N  close a connection whose request headers take longer (default 5000)
    --max-body-bytes N       larger request bodies get 413 (default 1048576)
    --idempotency-ttl-secs N how long an idempotency key is remembered (default 86400 = 24 h)
    --idempotency-max-keys N how many keys are remembered, the oldest forgotten first (default 10000)
    --record FILE            append one JSON line per /v1 request and per answer to FILE
                             (default: $SENDIVENT_MOCK_RECORD, when set)
    --print-fixtures         print the built-in fixtures and exit
    -h, --help               this help

The first line on stdout is `listening on http://127.0.0.1:<port>`. SIGINT/SIGTERM stop it cleanly.
Admin API (no auth): GET /_mock/state, PUT /_mock/faults, PUT /_mock/limits, POST /_mock/reset.
";

fn parse<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value.parse().map_err(|_| format!("{flag}: invalid value '{value}'"))
}

fn probability(flag: &str, value: Option<String>) -> Result<f64, String> {
    let p: f64 = parse(flag, value)?;
    if (0.0..=1.0).contains(&p) { Ok(p) } else { Err(format!("{flag} must be between 0 and 1, got {p}")) }
}

fn positive<T: std::str::FromStr + PartialOrd + Default + std::fmt::Display>(
    flag: &str,
    value: Option<String>,
) -> Result<T, String> {
    let n: T = parse(flag, value)?;
    if n > T::default() { Ok(n) } else { Err(format!("{flag} must be greater than 0, got {n}")) }
}

enum Command {
    Serve(Box<MockConfig>),
    Help,
    PrintFixtures,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = MockConfig::default();
    let mut limits = Limits::production();
    let (mut rate_live, mut rate_test, mut quota_live, mut quota_test) = (None, None, None, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--print-fixtures" => return Ok(Command::PrintFixtures),
            "--port" => config.port = parse(&flag, value())?,
            "--api-key" => {
                let key = value().ok_or("--api-key needs a value")?;
                if key.trim().is_empty() {
                    return Err("--api-key must not be empty".into());
                }
                config.api_key = Some(key);
            }
            "--fixtures" => {
                let path = value().ok_or("--fixtures needs a file")?;
                config.fixtures = Fixtures::from_file(std::path::Path::new(&path))?;
            }
            "--rate-limit-live" => rate_live = Some(parse::<u32>(&flag, value())?),
            "--rate-limit-test" => rate_test = Some(parse::<u32>(&flag, value())?),
            "--quota-live" => quota_live = Some(parse::<u64>(&flag, value())?),
            "--quota-test" => quota_test = Some(parse::<u64>(&flag, value())?),
            "--no-limits" => limits = Limits::unlimited(),
            "--error-rate" => config.faults.error_rate = probability(&flag, value())?,
            "--drop-rate" => config.faults.drop_rate = probability(&flag, value())?,
            "--latency-ms" => config.faults.latency_ms = parse(&flag, value())?,
            "--webhook-retries" => config.webhook_retries = parse(&flag, value())?,
            "--webhook-backoff-ms" => config.webhook_backoff = Duration::from_millis(parse(&flag, value())?),
            "--transition-delay-ms" => config.transition_delay = Duration::from_millis(parse(&flag, value())?),
            "--seed" => config.seed = Some(parse(&flag, value())?),
            "--header-read-timeout-ms" => {
                config.header_read_timeout = Duration::from_millis(positive(&flag, value())?);
            }
            "--max-body-bytes" => config.max_body_bytes = positive(&flag, value())?,
            "--idempotency-ttl-secs" => config.idempotency_ttl = Duration::from_secs(positive(&flag, value())?),
            "--idempotency-max-keys" => config.idempotency_max_keys = positive(&flag, value())?,
            "--record" => {
                let path = value().filter(|p| !p.is_empty()).ok_or("--record needs a file")?;
                config.record = Some(path.into());
            }
            other => return Err(format!("unknown argument '{other}' (see --help)")),
        }
    }
    limits.rate_limit_live = rate_live.or(limits.rate_limit_live);
    limits.rate_limit_test = rate_test.or(limits.rate_limit_test);
    limits.quota_live = quota_live.or(limits.quota_live);
    limits.quota_test = quota_test.or(limits.quota_test);
    config.limits = limits;
    Ok(Command::Serve(Box::new(config)))
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(config)) => config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::PrintFixtures) => {
            print!("{}", sendivent_mock::fixtures::DEFAULT_FIXTURES);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("sendivent-mock: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sendivent-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match MockServer::start(*config).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("sendivent-mock: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "listening on {}", server.url());
        let _ = stdout.flush();
        stop_signal().await;
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}
