#!/usr/bin/env bash
# make demo step: the Kotlin package (bindings-uniffi) in a Maven project against the mock
# (SENDIVENT_BASE_URL, SENDIVENT_API_KEY).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "== Kotlin (bindings-uniffi/kotlin/demo/src/main/kotlin/Demo.kt) =="
exec "$root/bindings-uniffi/kotlin/demo/run.sh"
