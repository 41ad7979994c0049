"""Shared fixtures: one `sendivent-mock` process per test session, reset before every test."""

from __future__ import annotations

import collections
import json
import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.request
from typing import Any, Dict, Iterator, Optional

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MOCK_BIN = pathlib.Path(os.environ.get("SENDIVENT_MOCK_BIN", ROOT / "target" / "debug" / "sendivent-mock"))
API_KEY = "test_python_suite_0001"
OFFICIAL_FIXTURES = ROOT / "tests" / "mock-server" / "fixtures" / "official-examples.json"


class Mock:
    """A running mock server and its admin API."""

    def __init__(self, url: str, process: subprocess.Popen[str]) -> None:
        self.url = url
        self.process = process

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def state(self) -> Dict[str, Any]:
        return self.admin("GET", "/_mock/state")  # type: ignore[no-any-return]

    def faults(self, **faults: Any) -> None:
        self.admin("PUT", "/_mock/faults", faults)

    def limits(self, **limits: Any) -> None:
        self.admin("PUT", "/_mock/limits", limits)

    def reset(self) -> None:
        self.admin("POST", "/_mock/reset")


def _start_mock(*flags: str) -> Iterator[Mock]:
    """Runs sendivent-mock on a free port until the generator is closed."""
    if not MOCK_BIN.exists():
        pytest.fail(f"{MOCK_BIN} does not exist: run `cargo build -p sendivent-mock` (bindings-python/test.sh does)")
    process = subprocess.Popen(
        [
            str(MOCK_BIN),
            "--port",
            "0",
            "--no-limits",
            "--seed",
            "7",
            "--transition-delay-ms",
            "5",
            "--webhook-backoff-ms",
            "20",
            *flags,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    prefix = "listening on "
    if not line.startswith(prefix):
        process.kill()
        pytest.fail(f"sendivent-mock did not start: {line!r} {process.stderr.read() if process.stderr else ''}")
    mock = Mock(line[len(prefix) :], process)
    try:
        yield mock
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Mock]:
    yield from _start_mock()


@pytest.fixture(scope="session")
def official_mock_server() -> Iterator[Mock]:
    """The mock with the application of the official Node and PHP SDKs' examples."""
    yield from _start_mock("--fixtures", str(OFFICIAL_FIXTURES))


@pytest.fixture
def official_mock(official_mock_server: Mock) -> Mock:
    official_mock_server.reset()
    return official_mock_server


@pytest.fixture
def mock(mock_server: Mock) -> Mock:
    mock_server.reset()
    return mock_server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A redis-server of the suite's own on a free port, stopped at the end of the session."""
    if not os.path.exists(REDIS_SERVER):
        pytest.fail("redis-server is not installed (apt-get install redis-server; `make redis-server` does it)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def client(mock: Mock) -> Iterator[Any]:
    from sendivent import Sendivent

    with Sendivent(API_KEY, base_url=mock.url) as c:
        yield c


# ------------------------------------------------------------------------------------------
# Vector counts: how many cases of each tests/vectors file passed through the Python layer.
# ------------------------------------------------------------------------------------------

VECTOR_COUNTS: collections.Counter[str] = collections.Counter()


def _counts_path() -> pathlib.Path:
    directory = os.environ.get("SENDIVENT_VECTOR_COUNTS_DIR") or str(ROOT / "target" / "vector-counts")
    return pathlib.Path(directory) / "python.json"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not VECTOR_COUNTS:
        return
    path = _counts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(VECTOR_COUNTS.items())), indent=2) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if VECTOR_COUNTS:
        counts = ", ".join(f"{name}: {count}" for name, count in sorted(VECTOR_COUNTS.items()))
        terminalreporter.write_line(f"vector cases run (python): {counts} -> {_counts_path()}")
