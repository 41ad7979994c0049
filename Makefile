# The one entry point. `make demo` and `make test` work on a fresh machine: every tool they
# need is installed by these rules, pinned, and cached (in ~/.cargo/bin and the ignored .tools/).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
PREFIX ?= /usr/local
export CARGO_TERM_COLOR ?= never
export DENO_NO_UPDATE_CHECK := 1

MOCK_BIN := target/debug/sendivent-mock

.PHONY: help test demo lint fmt bench fuzz rust-test mock python python-test c c-test header check-header \
        install wasm wasm-test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

test: lint rust-test python-test c-test wasm-test ## every suite, every language
	@echo "make test: every suite passed"

lint: ## rustfmt and clippy over the whole workspace
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## format the Rust tree
	$(CARGO) fmt --all

rust-test: ## Rust unit, vector, property, end-to-end and doc tests
	$(CARGO) test --workspace

mock: ## build sendivent-mock
	$(CARGO) build -p sendivent-mock

demo: mock ## the quick-start story against the bundled mock, offline
	$(CARGO) build -q -p sendivent-examples --bin demo
	examples/demo.sh $(DEMO_STEPS)

bench: ## benchmarks; results go to bench/RESULTS.md
	$(CARGO) build --release -p sendivent-mock -p sendivent-examples
	SENDIVENT_MOCK_BIN=target/release/sendivent-mock target/release/bench_client > bench/results/rust-client.md
	cat bench/results/rust-client.md

fuzz: ## run every fuzz target for a bounded time (FUZZ_SECONDS each)
	tools/fuzz.sh

DEMO_STEPS :=
