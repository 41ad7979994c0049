#!/usr/bin/env bash
# Assembles bench/RESULTS.md from the parts `make bench` just wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# Benchmark results"
echo
echo "Assembled by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m)) from the parts below (git log says when"
echo "each part was last measured). Every comparison is a ratio measured side by side in one run; absolute times on"
echo "this shared machine are noisy."
echo
echo "## Verdicts of this run, one per aim (details and the profiles of the aims not met follow)"
echo
for part in bench/results/accuracy.md bench/python/RESULTS.md bench/wasm/RESULTS.md; do
  # The lines of each part's "## Verdict…" section, up to its next heading.
  [ -f "$part" ] && awk '/^## Verdict/ {on = 1; next} /^#/ {on = 0} on && /^ *- / {print}' "$part"
done
for part in bench/results/rust-client.md bench/results/accuracy.md bench/python/RESULTS.md bench/wasm/RESULTS.md; do
  echo
  if [ -f "$part" ]; then sed 's/^# /## /' "$part"; else echo "($part missing)"; fi
done
echo
echo "## Where the bytes of the WebAssembly modules go (twiggy, names kept, after wasm-opt -Oz)"
echo
if [ -f bench/results/wasm-size-profile.md ]; then cat bench/results/wasm-size-profile.md; else echo "(bench/results/wasm-size-profile.md missing)"; fi
cat <<'TEXT'

### What a further step would cost (sizes)

The aims are 50 KB gzip for `@sendivent/wasm/webhook` (HMAC verification and the validators) and
200 KB for the full package; the tables above say where the bytes of each module go.

- **webhook.** No single part is large enough: reaching 50 KB means removing about 60 % of the
  module. The typed event (serde_json and the event's models) and the contract's error messages
  (codes with sentences that say what to do) are what users take this entry for; the phone
  metadata is the validators; the Rust runtime (formatting, allocation, panics) comes with any
  Rust module. Core's `f64` formatting is linked by serde's own error messages (`Unexpected::Float`),
  not by ours: replacing our float formatting with serde_json's changed nothing (tried). A
  verifier of this size is a JavaScript one (standardwebhooks is 4.8 KB) — a second
  implementation of the checks, which this design rules out.
- **full.** The client's own code (17 operations' async state machines and models, generated
  from the description) and JSON decoding (serde_path_to_error keeps the field path that
  INVALID_RESPONSE messages name, monomorphised per model) are over a third of the module;
  the URL stack that reqwest brings on wasm32 is under a twentieth in code and, with its ICU data
  tables (counted under data segments), under a tenth in all — and the core parses base URLs with
  url on every platform, so a fetch transport without reqwest would save less than that. Halving the module would mean decoding answers in JavaScript instead of
  the core — moving the response contract out of core.
TEXT
