//! `sendivent`: the Sendivent API from a shell, over the SDK's Rust core (the same validation,
//! retries, idempotency and error codes as every language of the SDK).
//!
//! ```text
//! sendivent send order.confirmed --to ada@example.com --payload '{"order": 1042}'
//! sendivent send newsletter --batch recipients.jsonl --rate documented
//! sendivent contacts list --search ada --all --json
//! sendivent verify --secret "$WHSEC" --body-file body.json -H "webhook-id: msg_1" -H …
//! sendivent validate phone "+46 70-123 45 67"
//! ```
//!
//! Exit codes follow the error's class (README "Command line"): 0 success, 1 the API refused
//! the request, 2 usage, 3 the SDK refused the input before sending, 4 worth retrying later
//! (rate limit, 5xx, connection, timeout), 5 webhook verification failed, 6 an answer the SDK
//! could not read, or a bug.

mod batch;

use std::io::Read as _;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use sendivent::client::{Client, ClientOptions, RateLimit, RequestOptions};
use sendivent::models::{Channel, SendRequest};
use sendivent::webhook::{self, Verifier, VerifyOptions};
use sendivent::{Error, ErrorClass, validate};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(name = "sendivent", version, about = "The Sendivent API from the command line", long_about = None)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// API key (live_… or test_…).
    #[arg(long, env = "SENDIVENT_API_KEY", global = true, hide_env_values = true)]
    api_key: Option<String>,
    /// Base URL override (e.g. a sendivent-mock).
    #[arg(long, env = "SENDIVENT_BASE_URL", global = true)]
    base_url: Option<String>,
    /// Per-attempt timeout in seconds.
    #[arg(long, global = true)]
    timeout: Option<f64>,
    /// Retries after the first attempt.
    #[arg(long, global = true)]
    max_retries: Option<u32>,
    /// Print the answer as JSON (the SDK's canonical form) instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Send an event to recipients, or to its listeners without --to.
    Send(SendArgs),
    /// Contacts: get, list, create, delete.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Deliveries: list, trace.
    #[command(subcommand)]
    Deliveries(DeliveriesCommand),
    /// The webhook endpoint: get, create, delete.
    #[command(subcommand)]
    Webhooks(WebhooksCommand),
    /// Verify a received webhook: the raw body from a file or stdin, the headers as flags.
    Verify(VerifyArgs),
    /// Sign a body as Sendivent signs webhooks (for testing a receiver).
    Sign(SignArgs),
    /// Validate an email, a phone number or a recipient identifier, as the SDK does before sending.
    #[command(subcommand)]
    Validate(ValidateCommand),
}

#[derive(Args)]
struct SendArgs {
    /// The event name, e.g. order.confirmed.
    event: String,
    /// A recipient: email, E.164 phone, UUID, external id, Slack id, #channel, or a contact as JSON.
    /// Repeat for several.
    #[arg(long, conflicts_with = "batch")]
    to: Vec<String>,
    /// Template variables as a JSON object.
    #[arg(long)]
    payload: Option<String>,
    /// Only this channel (email, sms, slack, push, telegram, whatsapp, discord).
    #[arg(long)]
    channel: Option<String>,
    /// Template language, e.g. sv.
    #[arg(long)]
    language: Option<String>,
    /// Sender override: an email, a phone or a name, or a contact as JSON.
    #[arg(long)]
    from: Option<String>,
    /// Your idempotency key: sending again with it never notifies twice.
    #[arg(long, conflicts_with = "batch")]
    idempotency_key: Option<String>,
    /// Send one request per line of a JSON lines file ("-" for stdin): each line is a send body
    /// ({"to", "payload", …}) and may name its own "event", "channel" and "idempotency_key".
    /// Lines without a key get one derived from the line, so running the batch again resumes
    /// it: what was sent is answered from the API's idempotency store, nothing is sent twice.
    #[arg(long)]
    batch: Option<String>,
    /// Sends in flight at once in a batch.
    #[arg(long, default_value_t = sendivent::client::DEFAULT_SEND_MANY_CONCURRENCY)]
    concurrency: usize,
    /// Client-side rate limit: requests per second, or "documented" (the key's documented rate).
    #[arg(long)]
    rate: Option<String>,
}

#[derive(Subcommand)]
enum ContactsCommand {
    /// A contact by email, phone, UUID, external id or Slack user id.
    Get { identifier: String },
    /// Contacts, one page or --all.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        offset: Option<u64>,
        /// Walk every page.
        #[arg(long)]
        all: bool,
    },
    /// Create a contact from JSON ({"email", "phone", "name", "externalId", … and custom fields}).
    Create { contact: String },
    /// Delete a contact for good.
    Delete { identifier: String },
}

#[derive(Subcommand)]
enum DeliveriesCommand {
    /// Deliveries, newest first, one page or --all.
    List {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        all: bool,
    },
    /// A delivery's timeline and content.
    Trace { uuid: String },
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// The application's webhook endpoint.
    Get,
    /// Register the endpoint; prints its signing secret.
    Create {
        #[arg(long)]
        url: String,
        /// Event types, comma-separated (delivery.sent,delivery.failed,…).
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete the endpoint.
    Delete { uuid: String },
}

#[derive(Args)]
struct VerifyArgs {
    /// The endpoint's signing secret (whsec_…); repeat while rotating.
    #[arg(long, env = "SENDIVENT_WEBHOOK_SECRET", hide_env_values = true, required = true)]
    secret: Vec<String>,
    /// The raw body as received; "-" or absent reads stdin.
    #[arg(long)]
    body_file: Option<String>,
    /// A header as "name: value" (webhook-id, webhook-timestamp, webhook-signature); repeat.
    #[arg(short = 'H', long = "header")]
    headers: Vec<String>,
    /// Tolerance in seconds either way (default 300).
    #[arg(long)]
    tolerance: Option<f64>,
    /// The current unix time (default: the clock).
    #[arg(long)]
    now: Option<i64>,
}

#[derive(Args)]
struct SignArgs {
    /// The signing secret (whsec_… or whsk_…).
    #[arg(long, env = "SENDIVENT_WEBHOOK_SECRET", hide_env_values = true)]
    secret: String,
    /// The webhook-id.
    #[arg(long)]
    id: String,
    /// Unix seconds (default: now).
    #[arg(long)]
    timestamp: Option<i64>,
    /// The body; "-" or absent reads stdin.
    #[arg(long)]
    body_file: Option<String>,
}

#[derive(Subcommand)]
enum ValidateCommand {
    /// An email address; prints it normalised.
    Email { address: String },
    /// A phone number; prints it in E.164.
    Phone { number: String },
    /// What a recipient string names, optionally on one channel.
    Id {
        value: String,
        #[arg(long)]
        channel: Option<String>,
    },
}

/// The exit code of an error, by its class (README "Command line").
fn exit_code(err: &Error) -> u8 {
    let class = err.class();
    if class.is_a(ErrorClass::Validation) || class == ErrorClass::Configuration {
        3
    } else if class == ErrorClass::WebhookVerification {
        5
    } else if class == ErrorClass::InvalidResponse || class == ErrorClass::Internal {
        6
    } else if err.is_retryable() || class == ErrorClass::ReplayStore {
        4
    } else {
        1
    }
}

fn fail(err: &Error, json_output: bool) -> ExitCode {
    if json_output {
        println!("{}", serde_json::to_string_pretty(&err.details()).unwrap_or_default());
    }
    eprintln!("sendivent: {err}");
    for reason in err.send_errors() {
        eprintln!("  {}: {}", reason.code, reason.message);
    }
    ExitCode::from(exit_code(err))
}

fn usage(message: impl Into<String>) -> Error {
    Error::invalid(sendivent::ErrorCode::InvalidArgument, message)
}

fn json_arg(what: &str, text: &str) -> sendivent::Result<Value> {
    serde_json::from_str(text).map_err(|e| usage(format!("{what} is not JSON: {e}")))
}

/// A recipient or sender flag: JSON when it looks like an object, else the string itself.
fn string_or_json(text: &str) -> sendivent::Result<Value> {
    if text.trim_start().starts_with('{') { json_arg("the contact", text) } else { Ok(Value::String(text.to_owned())) }
}

fn read_input(path: Option<&str>) -> sendivent::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => std::io::stdin().read_to_end(&mut bytes).map(|_| ()),
        Some(path) => std::fs::read(path).map(|b| bytes = b),
    }
    .map_err(|e| usage(format!("cannot read the input: {e}")))?;
    Ok(bytes)
}

fn client(global: &Global, rate: Option<&str>) -> sendivent::Result<Client> {
    let rate_limit = match rate {
        None => RateLimit::Off,
        Some("documented") => RateLimit::Documented,
        Some(n) => {
            RateLimit::PerSecond(n.parse().map_err(|_| usage("--rate takes requests per second or documented"))?)
        }
    };
    Client::new(ClientOptions {
        api_key: global.api_key.clone(),
        base_url: global.base_url.clone(),
        timeout: global.timeout.map(|t| sendivent::api::bounds::TIMEOUT.duration(t)).transpose()?,
        max_retries: global.max_retries,
        rate_limit,
        binding: Some("cli".into()),
        ..ClientOptions::default()
    })
}

/// Prints an answer: the canonical JSON with --json, else a short text form.
fn print(json_output: bool, value: &Value, text: impl FnOnce(&Value) -> String) {
    if json_output {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text(value));
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// How a command ended.
enum Outcome {
    /// Success.
    Done,
    /// A batch with failed lines: the report was printed; the first error sets the exit code.
    Reported(Error),
}

async fn run(cli: Cli) -> sendivent::Result<Outcome> {
    let Cli { global, command } = cli;
    let json_output = global.json;
    match command {
        Command::Send(args) if args.batch.is_some() => {
            let client = client(&global, args.rate.as_deref())?;
            Ok(match batch::run(&client, &args, json_output).await? {
                Some(first) => Outcome::Reported(first),
                None => Outcome::Done,
            })
        }
        command => run_one(global, command).await.map(|()| Outcome::Done),
    }
}

async fn run_one(global: Global, command: Command) -> sendivent::Result<()> {
    let json_output = global.json;
    match command {
        Command::Send(args) if args.batch.is_some() => Err(usage("a batch is run by `run`")),
        Command::Send(args) => {
            let client = client(&global, args.rate.as_deref())?;
            let mut body = serde_json::Map::new();
            let to: Vec<Value> = args.to.iter().map(|t| string_or_json(t)).collect::<sendivent::Result<_>>()?;
            match to.len() {
                0 => {}
                1 => _ = body.insert("to".into(), to[0].clone()),
                _ => _ = body.insert("to".into(), Value::Array(to)),
            }
            body.insert("payload".into(), args.payload.as_deref().map_or(Ok(json!({})), |p| json_arg("--payload", p))?);
            if let Some(language) = &args.language {
                body.insert("language".into(), json!(language));
            }
            if let Some(from) = &args.from {
                body.insert("from".into(), string_or_json(from)?);
            }
            let request: SendRequest =
                serde_json::from_value(Value::Object(body)).map_err(|e| usage(format!("invalid send: {e}")))?;
            let client = match &args.idempotency_key {
                Some(key) => client.with_options(RequestOptions::default().idempotency_key(key.clone())),
                None => client,
            };
            let sent = match args.channel.as_deref() {
                Some(channel) => client.send_on(&args.event, Channel::from(channel), request).await?,
                None => client.send(&args.event, request).await?,
            };
            let mut value = to_json(sent.data());
            value["idempotent_replay"] = json!(sent.meta().idempotent_replay);
            print(json_output, &value, |_| {
                let mut lines: Vec<String> =
                    sent.deliveries.iter().map(|d| format!("{}\t{}", d.channel, d.uuid)).collect();
                lines.extend(sent.errors.iter().map(|e| format!("skipped\t{}: {}", e.code, e.message)));
                if sent.meta().idempotent_replay {
                    lines.push("(an idempotent replay: nothing was sent again)".into());
                }
                lines.join("\n")
            });
            Ok(())
        }
        Command::Contacts(command) => {
            let client = client(&global, None)?;
            match command {
                ContactsCommand::Get { identifier } => {
                    let contact = client.contacts().get(&identifier).await?;
                    print(json_output, &to_json(contact.data()), pretty);
                }
                ContactsCommand::List { search, limit, offset, all } => {
                    let params = sendivent::models::ContactListParams { limit, offset, search };
                    if all {
                        let contacts = client.contacts().list_all(params).collect_all().await?;
                        print(json_output, &to_json(&contacts), |_| {
                            contacts.iter().map(|c| contact_line(&to_json(c))).collect::<Vec<_>>().join("\n")
                        });
                    } else {
                        let page = client.contacts().list(&params).await?;
                        print(json_output, &to_json(page.data()), |v| {
                            let mut lines: Vec<String> =
                                v["contacts"].as_array().into_iter().flatten().map(contact_line).collect();
                            lines.push(format!("({} of {} from offset {})", lines.len(), page.total, page.offset));
                            lines.join("\n")
                        });
                    }
                }
                ContactsCommand::Create { contact } => {
                    let input = serde_json::from_value(json_arg("the contact", &contact)?)
                        .map_err(|e| usage(format!("invalid contact: {e}")))?;
                    let created = client.contacts().create(&input).await?;
                    print(json_output, &to_json(created.data()), contact_line);
                }
                ContactsCommand::Delete { identifier } => {
                    let deleted = client.contacts().delete(&identifier).await?;
                    print(json_output, &to_json(deleted.data()), |_| format!("deleted {identifier}"));
                }
            }
            Ok(())
        }
        Command::Deliveries(command) => {
            let client = client(&global, None)?;
            match command {
                DeliveriesCommand::List { event, channel, status, limit, all } => {
                    let params = sendivent::models::DeliveryListParams {
                        limit,
                        offset: None,
                        event,
                        channel: channel.map(Channel::from),
                        status: status.map(|s| s.as_str().into()),
                    };
                    let deliveries: Vec<Value> = if all {
                        client.deliveries().list_all(params).collect_all().await?.iter().map(to_json).collect()
                    } else {
                        client.deliveries().list(&params).await?.deliveries.iter().map(to_json).collect()
                    };
                    let value = Value::Array(deliveries);
                    print(json_output, &value, |v| {
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .map(|d| {
                                format!(
                                    "{}\t{}\t{}\t{}",
                                    d["uuid"].as_str().unwrap_or(""),
                                    d["channel"].as_str().unwrap_or(""),
                                    d["status"].as_str().unwrap_or(""),
                                    d["event_name"].as_str().unwrap_or("")
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    });
                }
                DeliveriesCommand::Trace { uuid } => {
                    let trace = client.deliveries().trace(&uuid).await?;
                    print(json_output, &to_json(trace.data()), pretty);
                }
            }
            Ok(())
        }
        Command::Webhooks(command) => {
            let client = client(&global, None)?;
            match command {
                WebhooksCommand::Get => {
                    let config = client.webhooks().get().await?;
                    print(json_output, &to_json(config.data()), pretty);
                }
                WebhooksCommand::Create { url, events, description } => {
                    let mut create =
                        sendivent::models::CreateWebhook::new(url, events.iter().map(|e| e.as_str().into()));
                    create.description = description;
                    let config = client.webhooks().create(&create).await?;
                    // The secret is shown once, here: it is what the receiver verifies with.
                    print(json_output, &to_json(config.data()), pretty);
                }
                WebhooksCommand::Delete { uuid } => {
                    let deleted = client.webhooks().delete(&uuid).await?;
                    print(json_output, &to_json(deleted.data()), |_| format!("deleted {uuid}"));
                }
            }
            Ok(())
        }
        Command::Verify(args) => {
            let body = read_input(args.body_file.as_deref())?;
            let headers: Vec<(String, String)> = args
                .headers
                .iter()
                .map(|h| {
                    h.split_once(':')
                        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                        .ok_or_else(|| usage(format!("a header is \"name: value\", not {h:?}")))
                })
                .collect::<sendivent::Result<_>>()?;
            let mut options = VerifyOptions::default();
            if let Some(tolerance) = args.tolerance {
                options = options.tolerance_seconds(tolerance)?;
            }
            if let Some(now) = args.now {
                options = options.now(now);
            }
            let verifier = Verifier::from_secrets(&args.secret)?;
            let verified = verifier.verify_detailed(&body, &headers, &options)?;
            let event = webhook::parse_event(&body)?;
            let value = json!({"event": to_json(&event), "verified": to_json(&verified)});
            print(json_output, &value, |_| {
                format!(
                    "verified {} (secret #{}, {}): {} {} {}",
                    verified.msg_id,
                    verified.secret_index + 1,
                    verified.secret_fingerprint,
                    event.event,
                    event.delivery.uuid,
                    event.delivery.status
                )
            });
            Ok(())
        }
        Command::Sign(args) => {
            let body = read_input(args.body_file.as_deref())?;
            let timestamp = args.timestamp.unwrap_or_else(webhook::unix_now);
            let signed = webhook::sign_headers(&args.secret, &args.id, timestamp, &body)?;
            let value = json!({
                webhook::HEADER_ID: signed.id,
                webhook::HEADER_TIMESTAMP: signed.timestamp.to_string(),
                webhook::HEADER_SIGNATURE: signed.signature,
            });
            print(json_output, &value, |v| {
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        Command::Validate(command) => {
            let value = match command {
                ValidateCommand::Email { address } => json!(validate::validate_email(&address)?.as_str()),
                ValidateCommand::Phone { number } => json!(validate::validate_phone(&number)?.as_str()),
                ValidateCommand::Id { value, channel } => {
                    let id = validate::resolve_recipient(&value, channel.map(Channel::from).as_ref())?;
                    json!({"kind": id.kind().as_str(), "value": id.as_str()})
                }
            };
            print(json_output, &value, |v| match v {
                Value::String(s) => s.clone(),
                other => format!("{}\t{}", other["kind"].as_str().unwrap_or(""), other["value"].as_str().unwrap_or("")),
            });
            Ok(())
        }
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn contact_line(contact: &Value) -> String {
    let field = |name: &str| contact[name].as_str().unwrap_or("").to_owned();
    format!("{}\t{}\t{}\t{}", field("uuid"), field("email"), field("phone"), field("name"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json_output = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sendivent: cannot start the runtime: {e}");
            return ExitCode::from(6);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Reported(first)) => ExitCode::from(exit_code(&first)),
        Err(err) => fail(&err, json_output),
    }
}
