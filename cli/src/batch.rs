//! `sendivent send EVENT --batch FILE`: one send per JSON line, at most `--concurrency` in
//! flight, under an optional client-side rate limit, with a progress bar on stderr.
//!
//! Every line carries an idempotency key — its own `idempotency_key`, or one derived from the
//! event, the channel and the line's text — so running the same batch again resumes it: what was
//! already sent is answered from the API's idempotency store and nothing notifies twice.

use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sendivent::client::{Client, SendItem};
use sendivent::models::SendRequest;
use serde_json::{Value, json};

use crate::{SendArgs, read_input, usage};

/// Runs the batch and prints its report. `Ok(Some(err))`: some lines failed (the report says
/// which; `err` is the first, for the exit code); `Err`: the batch could not run at all.
pub(crate) async fn run(
    client: &Client,
    args: &SendArgs,
    json_output: bool,
) -> sendivent::Result<Option<sendivent::Error>> {
    let input = read_input(args.batch.as_deref())?;
    let text = String::from_utf8(input).map_err(|_| usage("the batch file is not UTF-8"))?;
    let mut items = Vec::new();
    for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut body: serde_json::Map<String, Value> =
            serde_json::from_str(line).map_err(|e| usage(format!("line {}: not a JSON object: {e}", number + 1)))?;
        let event = take_string(&mut body, "event").unwrap_or_else(|| args.event.clone());
        let channel = take_string(&mut body, "channel").or_else(|| args.channel.clone());
        let key = take_string(&mut body, "idempotency_key").unwrap_or_else(|| {
            format!(
                "batch-{}",
                fingerprint(&[event.as_bytes(), channel.as_deref().unwrap_or("").as_bytes(), line.trim().as_bytes()])
            )
        });
        let request: SendRequest = serde_json::from_value(Value::Object(body))
            .map_err(|e| usage(format!("line {}: not a send: {e}", number + 1)))?;
        items.push(SendItem {
            event,
            channel: channel.map(|c| c.as_str().into()),
            request,
            idempotency_key: Some(key),
        });
    }
    let total = items.len() as u64;
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if json_output {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} sent, {msg} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let failures = Arc::new(Mutex::new(0u64));
    let counted = Arc::clone(&failures);
    let progress = bar.clone();
    let results = client
        .send_many_with(items, args.concurrency, move |_, result| {
            if result.is_err() {
                let mut failed = counted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                *failed += 1;
                progress.set_message(format!("{failed} failed"));
            }
            progress.inc(1);
        })
        .await;
    bar.finish();
    let mut report = Vec::with_capacity(results.len());
    let (mut sent, mut replayed, mut failed) = (0u64, 0u64, 0u64);
    for result in &results {
        report.push(match result {
            Ok(response) => {
                if response.meta().idempotent_replay {
                    replayed += 1;
                } else {
                    sent += 1;
                }
                json!({"ok": serde_json::to_value(response.data()).unwrap_or(Value::Null),
                       "idempotency_key": response.meta().idempotency_key, "idempotent_replay": response.meta().idempotent_replay})
            }
            Err(err) => {
                failed += 1;
                json!({"error": serde_json::to_value(err.details()).unwrap_or(Value::Null)})
            }
        });
    }
    if json_output {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"sent": sent, "replayed": replayed, "failed": failed, "results": report})
            )
            .unwrap_or_default()
        );
    } else {
        for (number, result) in results.iter().enumerate() {
            if let Err(err) = result {
                eprintln!("line {}: {err}", number + 1);
            }
        }
        println!("{sent} sent, {replayed} already sent earlier (replayed), {failed} failed, of {total}");
    }
    Ok(results.into_iter().find_map(Result::err))
}

fn take_string(body: &mut serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match body.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            body.insert(key.to_owned(), other);
            None
        }
        None => None,
    }
}

/// A stable key for a line: the first 12 bytes of the SHA-256 of its parts, in hex.
fn fingerprint(parts: &[&[u8]]) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}
