#!/usr/bin/env bash
# `make demo`: start the bundled mock API on a free port, run each language's demo step against
# it, and stop everything it started. The Makefile builds what is needed first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mock_bin="${SENDIVENT_MOCK_BIN:-$root/target/debug/sendivent-mock}"
out="$(mktemp -d)"
"$mock_bin" --port 0 >"$out/mock.log" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 100); do
  url="$(head -n1 "$out/mock.log" 2>/dev/null | sed -n 's/^listening on //p')"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "the mock did not start:"; cat "$out/mock.log"; exit 1; }
echo "sendivent-mock listening on $url (pid $mock_pid)"
export SENDIVENT_BASE_URL="$url" SENDIVENT_API_KEY="test_demo_0123456789abcdef"

"$root/target/debug/demo"
for step in "$@"; do
  echo
  "$root/examples/demo-steps/$step.sh"
done
echo
echo "demo finished: every step ran against the local mock; nothing left the machine."
