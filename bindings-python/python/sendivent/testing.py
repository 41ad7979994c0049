"""Testing your integration against ``sendivent-mock``, a local fake of the Sendivent API.

``pip install sendivent-mock`` puts the ``sendivent-mock`` binary on ``PATH`` (or set
``SENDIVENT_MOCK_BIN`` to a binary of your own, e.g. from ``cargo install``). Then::

    from sendivent.testing import mock_server

    with mock_server() as mock:
        client = mock.client()
        sent = client.send("order.confirmed", to="ada@example.com", payload={"order": 1042})
        assert sent.success

With pytest, the ``sendivent_mock`` fixture gives the same object, with the mock's data reset
before each test (the plugin is registered when ``sendivent`` is installed)::

    def test_checkout_notifies(sendivent_mock):
        checkout(api_key=sendivent_mock.api_key, base_url=sendivent_mock.url)
        assert sendivent_mock.state()["counts"]["sends"] == 1

The server listens on a free port of 127.0.0.1 and is stopped (by its process id) when the
``with`` block or the test session ends.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Type, Union

if TYPE_CHECKING:
    from ._client import AsyncSendivent, Sendivent

__all__ = ["MockServer", "MockServerError", "find_mock_binary", "mock_server"]

#: The environment variable naming the ``sendivent-mock`` binary to start.
MOCK_BIN_ENV = "SENDIVENT_MOCK_BIN"
#: The first line the mock prints, followed by its URL.
_LISTENING = "listening on "
#: How long the mock may take to print its URL.
_START_TIMEOUT = 30.0


class MockServerError(RuntimeError):
    """``sendivent-mock`` could not be found or started."""


def find_mock_binary() -> str:
    """The ``sendivent-mock`` binary to start: ``$SENDIVENT_MOCK_BIN``, else the one on ``PATH``
    (``pip install sendivent-mock``), else the one next to this Python (a virtual environment's
    ``bin/`` that is not on ``PATH``)."""
    configured = os.environ.get(MOCK_BIN_ENV)
    if configured:
        if not os.path.isfile(configured):
            raise MockServerError(f"{MOCK_BIN_ENV}={configured} is not a file")
        return configured
    found = shutil.which("sendivent-mock")
    if found:
        return found
    beside = os.path.join(os.path.dirname(sys.executable), "sendivent-mock")
    if os.path.isfile(beside):
        return beside
    raise MockServerError(
        "sendivent-mock was not found: `pip install sendivent-mock`, "
        f"`cargo install --path tests/mock-server`, or set {MOCK_BIN_ENV} to its path"
    )


class MockServer:
    """A running ``sendivent-mock``: its ``url``, an ``api_key`` it accepts, clients configured for
    it, and its control endpoints (``reset``, ``state``, ``faults``, ``limits``)."""

    def __init__(self, process: subprocess.Popen[str], url: str, api_key: str) -> None:
        self.process = process
        """The server's process (stopped by :meth:`stop`)."""
        self.url = url
        """The base URL, e.g. ``http://127.0.0.1:41234``: pass it as ``base_url``."""
        self.api_key = api_key
        """A key the mock accepts (``test_…`` keys are limited to the sandbox's rates)."""

    @property
    def env(self) -> Dict[str, str]:
        """``SENDIVENT_BASE_URL`` and ``SENDIVENT_API_KEY`` for this server: for code that reads
        the environment, or a subprocess (``subprocess.run(..., env={**os.environ, **mock.env})``)."""
        return {"SENDIVENT_BASE_URL": self.url, "SENDIVENT_API_KEY": self.api_key}

    def client(self, **options: Any) -> Sendivent:
        """A :class:`sendivent.Sendivent` for this server (``options`` as the client takes them)."""
        from ._client import Sendivent

        return Sendivent(options.pop("api_key", self.api_key), base_url=self.url, **options)

    def async_client(self, **options: Any) -> AsyncSendivent:
        """A :class:`sendivent.AsyncSendivent` for this server."""
        from ._client import AsyncSendivent

        return AsyncSendivent(options.pop("api_key", self.api_key), base_url=self.url, **options)

    def _control(self, method: str, path: str, body: Optional[Mapping[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def reset(self) -> None:
        """Back to the fixtures: contacts, deliveries, counters, idempotency keys, rate windows,
        faults and limits as they were at start."""
        self._control("POST", "/_mock/reset")

    def state(self) -> Dict[str, Any]:
        """What the mock holds: ``counts`` (sends, …), ``contacts``, ``deliveries``, webhook
        attempts (``GET /_mock/state``)."""
        state: Dict[str, Any] = self._control("GET", "/_mock/state")
        return state

    def faults(self, **faults: float) -> Dict[str, Any]:
        """Injects faults: ``error_rate`` and ``drop_rate`` (0 to 1), ``latency_ms``."""
        answer: Dict[str, Any] = self._control("POST", "/_mock/faults", faults)
        return answer

    def limits(self, **limits: Optional[int]) -> Dict[str, Any]:
        """Sets ``rate_limit_live``, ``rate_limit_test``, ``quota_live``, ``quota_test``
        (``None``: unlimited)."""
        answer: Dict[str, Any] = self._control("POST", "/_mock/limits", limits)
        return answer

    def stop(self) -> None:
        """Stops the server (SIGTERM to its process id, SIGKILL when it has not exited in 5 s)."""
        if self.process.poll() is not None:
            return
        try:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()

    def __enter__(self) -> MockServer:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"MockServer(url={self.url!r}, pid={self.process.pid})"


def start(
    *args: str,
    binary: Optional[str] = None,
    api_key: str = "test_sendivent_mock",
    stderr: Union[int, IO[Any], None] = None,
) -> MockServer:
    """Starts ``sendivent-mock`` on a free port and returns once it listens. ``args`` are further
    command-line flags (``"--no-limits"``, ``"--latency-ms", "50"``, ``"--fixtures", path``; see
    ``sendivent-mock --help``); ``api_key`` is the key :meth:`MockServer.client` uses (any key
    starting ``test_`` or ``live_`` is accepted)."""
    command: List[str] = [binary or find_mock_binary(), "--port", "0", *args]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    except OSError as err:
        raise MockServerError(f"cannot start {command[0]}: {err}") from err
    url = _read_url(process)
    return MockServer(process, url, api_key)


def _read_url(process: subprocess.Popen[str]) -> str:
    """The URL from the mock's first line, ``listening on <url>``; the process is stopped when it
    says anything else or nothing in time."""
    assert process.stdout is not None
    lines: List[str] = []

    def read() -> None:
        assert process.stdout is not None
        lines.append(process.stdout.readline())

    import threading

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(_START_TIMEOUT)
    line = lines[0].strip() if lines else ""
    if not line.startswith(_LISTENING):
        process.kill()
        process.wait(timeout=5)
        what = repr(line) if lines else f"nothing within {_START_TIMEOUT:.0f} s"
        raise MockServerError(f"sendivent-mock did not start (exit status {process.returncode}; it printed {what})")
    return line[len(_LISTENING) :]


@contextmanager
def mock_server(
    *args: str,
    binary: Optional[str] = None,
    api_key: str = "test_sendivent_mock",
) -> Iterator[MockServer]:
    """Runs ``sendivent-mock`` for the ``with`` block::

        with mock_server("--no-limits") as mock:
            mock.client().send("user.welcome", to="ada@example.com")

    ``args`` are further flags of ``sendivent-mock``; the binary comes from
    ``$SENDIVENT_MOCK_BIN`` or ``PATH`` (``pip install sendivent-mock``) unless ``binary`` names
    one."""
    server = start(*args, binary=binary, api_key=api_key)
    try:
        yield server
    finally:
        server.stop()


def _flags(value: Union[str, Sequence[str], None]) -> List[str]:
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)
