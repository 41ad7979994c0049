#!/usr/bin/env bash
# `make demo` C step: builds examples/c/send.c against the freshly built libsendivent and sends a
# notification to the mock (SENDIVENT_BASE_URL and SENDIVENT_API_KEY are set by examples/demo.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$("$root/bindings-c/build.sh" lib debug)"
out="$root/target/examples-c"
mkdir -p "$out"
cc -std=c11 -O1 -I"$root/include" -o "$out/send" "$root/examples/c/send.c" "$lib/libsendivent.a" -lpthread -ldl -lm
"$out/send" user.welcome ada@example.com
