#!/usr/bin/env bash
# make demo step: the Go package against the mock (SENDIVENT_BASE_URL, SENDIVENT_API_KEY): a send,
# the signed webhook it triggers received through sendivent.WebhookMiddleware, a tampered copy
# rejected and a redelivery not handled twice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "== Go (bindings-c/go/examples/demo) =="
"$root/bindings-c/build.sh" lib release >/dev/null
# Go does not hash libraries named in #cgo LDFLAGS: an (ignored) -L path naming the library's hash
# makes a rebuilt libsendivent.a relink.
lib_key="$(sha256sum "$root/target/release/libsendivent.a" | cut -c1-16)"
export CGO_ENABLED=1 CGO_LDFLAGS="${CGO_LDFLAGS:-} -L$root/target/go-cgo-key/$lib_key"
cd "$root/bindings-c/go"
exec go run ./examples/demo
