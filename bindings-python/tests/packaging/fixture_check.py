"""Run by bindings-python/dist.sh with pytest in a fresh virtual environment holding only the
`sendivent`, `sendivent-mock` and `sendivent-cli` wheels and pytest: the `sendivent_mock` fixture
is there without any conftest (the pytest11 entry point) and finds the mock on the environment's
own PATH entry."""

from __future__ import annotations

from sendivent.testing import MockServer


def test_a_send_against_the_fixture(sendivent_mock: MockServer) -> None:
    with sendivent_mock.client() as client:
        assert client.send("order.confirmed", to="ada@example.com", payload={"order": 1}).success
    assert sendivent_mock.state()["counts"]["sends"] == 1


def test_each_test_starts_from_the_fixtures(sendivent_mock: MockServer) -> None:
    assert sendivent_mock.state()["counts"]["sends"] == 0
