"""The pytest plugin of ``sendivent`` (registered through the ``pytest11`` entry point, so it loads
whenever ``sendivent`` and pytest are installed; ``-p no:sendivent`` turns it off).

Fixtures:

- ``sendivent_mock``: a running ``sendivent-mock`` (:class:`sendivent.testing.MockServer`) whose
  data is reset to its fixtures before each test. One server serves the whole session.
- ``sendivent_mock_server``: that session's server, without the reset.

The binary comes from ``$SENDIVENT_MOCK_BIN`` or ``PATH`` (``pip install sendivent-mock``); the
``sendivent_mock_args`` ini option adds flags (``sendivent_mock_args = --no-limits``).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .testing import MockServer, _flags, start

__all__ = ["sendivent_mock", "sendivent_mock_server"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "sendivent_mock_args",
        "flags for the sendivent-mock the sendivent_mock fixture starts (e.g. --no-limits)",
        default="",
    )


@pytest.fixture(scope="session")
def sendivent_mock_server(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    """One ``sendivent-mock`` for the test session, stopped at its end."""
    server = start(*_flags(str(pytestconfig.getini("sendivent_mock_args"))))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sendivent_mock(sendivent_mock_server: MockServer) -> MockServer:
    """The session's ``sendivent-mock``, reset to its fixtures for this test."""
    sendivent_mock_server.reset()
    return sendivent_mock_server
