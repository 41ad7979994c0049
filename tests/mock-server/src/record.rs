//! `--record FILE`: one JSON line per `/v1` request and per answer, for checking what clients
//! send and what the mock answers against `api/openapi.json`.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use serde_json::{Value, json};

/// The environment variable that turns recording on for harnesses that cannot pass flags (it
/// sets [`crate::MockConfig::record`]'s default).
pub const RECORD_ENV: &str = "SENDIVENT_MOCK_RECORD";

/// Appends whole lines to one file. Every server of the process recording to the same file
/// shares one handle and its lock, so lines never interleave; the file is opened for appending,
/// so several processes may record to it too.
pub(crate) struct Recorder {
    file: Arc<Mutex<File>>,
    warned: AtomicBool,
    /// Names this server in every line: request ids come from the server's random generator,
    /// which `--seed` makes repeat, so servers sharing a file can reuse each other's ids.
    server: String,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").finish_non_exhaustive()
    }
}

/// Open record files by canonical path.
fn open_files() -> &'static Mutex<HashMap<PathBuf, Weak<Mutex<File>>>> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, Weak<Mutex<File>>>>> = OnceLock::new();
    FILES.get_or_init(Mutex::default)
}

impl Recorder {
    /// Opens (creating it if needed) `path` for appending.
    pub fn open(path: &Path) -> io::Result<Recorder> {
        let file =
            OpenOptions::new().create(true).append(true).open(path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot open the record file {}: {e}", path.display()))
            })?;
        let key = path.canonicalize()?;
        let mut files = open_files().lock().unwrap_or_else(|p| p.into_inner());
        files.retain(|_, file| file.strong_count() > 0);
        let shared = match files.get(&key).and_then(Weak::upgrade) {
            Some(shared) => shared,
            None => {
                let shared = Arc::new(Mutex::new(file));
                files.insert(key, Arc::downgrade(&shared));
                shared
            }
        };
        static SERVERS: AtomicU64 = AtomicU64::new(0);
        let server = format!("{}-{}", std::process::id(), SERVERS.fetch_add(1, Ordering::Relaxed));
        Ok(Recorder { file: shared, warned: AtomicBool::new(false), server })
    }

    /// `{"kind": "request", "server", "request_id", "method", "route", "query", "body"}`.
    pub fn request(&self, request_id: &str, method: &str, route: Option<&str>, query: Option<&str>, body: &[u8]) {
        let query: serde_json::Map<String, Value> = query
            .map(|q| {
                reqwest::Url::parse(&format!("http://mock/?{q}"))
                    .map(|url| {
                        url.query_pairs().map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect()
                    })
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        self.write(&json!({
            "kind": "request",
            "server": self.server,
            "request_id": request_id,
            "method": method,
            "route": route,
            "query": query,
            "body": json_or_null(body),
        }));
    }

    /// `{"kind": "response", "server", "request_id", "method", "route", "status", "body"}`.
    pub fn response(&self, request_id: &str, method: &str, route: Option<&str>, status: u16, body: &[u8]) {
        self.write(&json!({
            "kind": "response",
            "server": self.server,
            "request_id": request_id,
            "method": method,
            "route": route,
            "status": status,
            "body": json_or_null(body),
        }));
    }

    fn write(&self, line: &Value) {
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        let written = self.file.lock().unwrap_or_else(|p| p.into_inner()).write_all(&bytes);
        // A failing record file must not fail the answers; say so once.
        if let Err(e) = written
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            eprintln!("sendivent-mock: cannot write to the record file: {e}");
        }
    }
}

/// The body as JSON, or `null` when it is empty or not JSON.
fn json_or_null(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}
