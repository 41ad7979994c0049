"""`sendivent.testing` and its pytest plugin: starting `sendivent-mock` on a free port, finding the
binary, refusing a binary that does not start, and stopping the process."""

from __future__ import annotations

import os
import pathlib
import stat
import sys

import pytest

import sendivent
from sendivent import testing
from sendivent.testing import MockServer, MockServerError, mock_server


def test_the_fixture_gives_a_running_mock_reset_for_each_test(sendivent_mock: MockServer) -> None:
    # Registered through the pytest11 entry point: no conftest imports it.
    assert sendivent_mock.process.poll() is None and sendivent_mock.url.startswith("http://127.0.0.1:")
    assert sendivent_mock.state()["counts"]["sends"] == 0
    with sendivent_mock.client() as client:
        sent = client.send("order.confirmed", to="ada@example.com", payload={"order": 1})
    assert sent.success and sendivent_mock.state()["counts"]["sends"] == 1


def test_the_next_test_starts_from_the_fixtures_again(sendivent_mock: MockServer) -> None:
    assert sendivent_mock.state()["counts"]["sends"] == 0


def test_the_context_manager_starts_and_stops_its_own_server() -> None:
    with mock_server("--no-limits") as mock:
        process = mock.process
        assert mock.env == {"SENDIVENT_BASE_URL": mock.url, "SENDIVENT_API_KEY": mock.api_key}
        with mock.client() as client:
            assert client.events.list().events
        mock.faults(latency_ms=0)
        mock.reset()
    assert process.poll() is not None


def test_the_async_client_of_a_mock() -> None:
    import asyncio

    async def main(mock: MockServer) -> bool:
        async with mock.async_client() as client:
            return (await client.send("user.welcome", to="ada@example.com")).success

    with mock_server() as mock:
        assert asyncio.run(main(mock))


def test_the_binary_comes_from_path_when_not_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    configured = os.environ["SENDIVENT_MOCK_BIN"]
    (tmp_path / "sendivent-mock").symlink_to(configured)
    monkeypatch.delenv("SENDIVENT_MOCK_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert testing.find_mock_binary() == str(tmp_path / "sendivent-mock")
    with mock_server() as mock:
        assert mock.state()["counts"]["sends"] == 0


def test_a_missing_binary_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.delenv("SENDIVENT_MOCK_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(MockServerError, match="pip install sendivent-mock"):
        testing.find_mock_binary()
    monkeypatch.setenv("SENDIVENT_MOCK_BIN", str(tmp_path / "nowhere"))
    with pytest.raises(MockServerError, match="is not a file"):
        testing.find_mock_binary()


def test_a_binary_that_does_not_announce_its_url_is_stopped(tmp_path: pathlib.Path) -> None:
    fake = tmp_path / "fake-mock"
    fake.write_text("#!/bin/sh\necho 'something else'\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(MockServerError, match=r"did not start.*something else"), mock_server(binary=str(fake)):
        pass


def test_bad_flags_are_reported(sendivent_mock: MockServer) -> None:
    with pytest.raises(MockServerError, match="exit status 2"):
        testing.start("--no-such-flag")
    # The session's server is not affected.
    assert sendivent_mock.process.poll() is None
    assert isinstance(sendivent_mock.client(), sendivent.Sendivent)
