#!/usr/bin/env bash
# Assembles bench/RESULTS.md from the parts `make bench` just wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# Benchmark results"
echo
echo "Assembled by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m)) from the parts below (git log says when"
echo "each part was last measured). Every comparison is a ratio measured side by side in one run; absolute times on"
echo "this shared machine are noisy."
for part in bench/results/rust-client.md bench/results/accuracy.md bench/python/RESULTS.md bench/wasm/RESULTS.md; do
  echo
  if [ -f "$part" ]; then sed 's/^# /## /' "$part"; else echo "($part missing)"; fi
done
echo
echo "## Where the bytes of the WebAssembly modules go (twiggy, names kept, after wasm-opt -Oz)"
echo
if [ -f bench/results/wasm-size-profile.md ]; then cat bench/results/wasm-size-profile.md; else echo "(bench/results/wasm-size-profile.md missing)"; fi
