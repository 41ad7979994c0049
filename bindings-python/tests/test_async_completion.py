"""How awaitables get their results: each event loop has one completer, woken through a socket it
watches, that sets the results of the calls that finished. These tests drive it through the
public async client: several loops one after another and at once, a loop that cannot watch a
socket, many calls finishing together, and cancellation closing the request's connection."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any, Dict, List, Optional

import pytest
from conftest import API_KEY, Mock

import sendivent
from sendivent import AsyncSendivent


def _send_many(client: AsyncSendivent, prefix: str, n: int) -> List[sendivent.SendResponse]:
    async def main() -> List[sendivent.SendResponse]:
        return await asyncio.gather(*(client.send("invoice.due", to=f"{prefix}{i}@example.com") for i in range(n)))

    return asyncio.run(main())


def test_one_client_serves_loop_after_loop(mock: Mock) -> None:
    client = AsyncSendivent(API_KEY, base_url=mock.url)
    for round_number in range(4):
        results = _send_many(client, f"loop{round_number}-", 10)
        assert len({r.deliveries[0].uuid for r in results}) == 10


def test_loops_in_several_threads_at_once(mock: Mock) -> None:
    client = AsyncSendivent(API_KEY, base_url=mock.url)
    outcomes: Dict[int, Any] = {}

    def run(number: int) -> None:
        try:
            outcomes[number] = _send_many(client, f"thread{number}-", 25)
        except BaseException as err:  # reported below, with the thread it failed in
            outcomes[number] = err

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == [0, 1, 2, 3]
    for number, outcome in outcomes.items():
        assert isinstance(outcome, list), f"thread {number}: {outcome!r}"
        assert all(r.success for r in outcome)
    assert mock.state()["counts"]["sends"] == 100


class _LoopWithoutReaders(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, as Windows' proactor loop."""

    def add_reader(self, fd: Any, callback: Any, *args: Any) -> None:
        raise NotImplementedError


def test_a_loop_that_cannot_watch_sockets_still_gets_results(mock: Mock) -> None:
    client = AsyncSendivent(API_KEY, base_url=mock.url)
    loop = _LoopWithoutReaders()
    try:

        async def main() -> List[Any]:
            sends = [client.send("invoice.due", to=f"noreader{i}@example.com") for i in range(20)]
            missing = client.contacts.get("nobody@example.com")
            return await asyncio.gather(*sends, missing, return_exceptions=True)

        results = loop.run_until_complete(main())
    finally:
        loop.close()
    assert all(isinstance(r, sendivent.SendResponse) for r in results[:20])
    assert isinstance(results[20], sendivent.NotFoundError)


def test_errors_and_results_of_calls_finishing_together(mock: Mock) -> None:
    async def main() -> List[Any]:
        async with AsyncSendivent(API_KEY, base_url=mock.url) as client:
            calls = []
            for i in range(60):
                if i % 3 == 0:
                    calls.append(client.contacts.get(f"missing{i}@example.com"))
                else:
                    calls.append(client.send("invoice.due", to=f"together{i}@example.com"))
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    for i, result in enumerate(results):
        expected = sendivent.NotFoundError if i % 3 == 0 else sendivent.SendResponse
        assert isinstance(result, expected), (i, result)


class _SilentServer:
    """Accepts one connection, reads the request and never answers: reports when the client
    closes the connection."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received = threading.Event()
        self.closed_at: Optional[float] = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(4096)
            self.received.set()
            try:
                while connection.recv(4096):
                    pass
            except OSError:
                pass
            self.closed_at = time.monotonic()


def test_cancelling_the_task_closes_the_request() -> None:
    server = _SilentServer()

    async def main() -> float:
        client = AsyncSendivent(API_KEY, base_url=server.url, max_retries=0, timeout=60)
        task = asyncio.ensure_future(client.events.list())
        while not server.received.is_set():
            await asyncio.sleep(0.01)
        cancelled_at = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return cancelled_at

    cancelled_at = asyncio.run(main())
    server.thread.join(10)
    assert server.closed_at is not None, "the connection stayed open after the task was cancelled"
    assert server.closed_at - cancelled_at < 5
