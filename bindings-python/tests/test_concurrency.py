"""Idempotent retries under fault injection, and one sync client shared by 32 threads."""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from typing import List

from conftest import API_KEY, Mock

import sendivent
from sendivent import AsyncSendivent, Sendivent


def _assert_each_send_committed_once(mock: Mock, expected: int) -> None:
    state = mock.state()
    committed = collections.Counter(s["idempotency_key"] for s in state["sends"] if s["status"] == 200)
    assert len(committed) == expected, f"{len(committed)} keys committed, expected {expected}"
    assert max(committed.values()) == 1, "a send was committed twice"
    by_key = collections.Counter(d["idempotency_key"] for d in state["deliveries"])
    assert len(by_key) == expected and set(by_key.values()) == {1}, "duplicate deliveries"


def test_retries_under_faults_never_duplicate_a_send(mock: Mock) -> None:
    mock.faults(error_rate=0.25, drop_rate=0.25)
    client = Sendivent(API_KEY, base_url=mock.url, max_retries=10)
    items = [{"event": "invoice.due", "to": f"retry{i}@example.com", "payload": {"i": i}} for i in range(40)]
    results = client.send_many(items, concurrency=20)
    errors = [r for r in results if not isinstance(r, sendivent.SendResponse)]
    assert not errors, errors[:3]
    mock.faults(error_rate=0, drop_rate=0)
    state = mock.state()
    assert state["counts"]["faults_injected"] > 0 and state["counts"]["dropped_responses"] > 0
    assert state["counts"]["replays"] >= state["counts"]["dropped_responses"]
    retried = [
        r for r in results if isinstance(r, sendivent.SendResponse) and r.last_response and r.last_response.attempts > 1
    ]
    assert retried, "the faults should have forced retries"
    _assert_each_send_committed_once(mock, 40)


def test_async_retries_under_faults_never_duplicate_a_send(mock: Mock) -> None:
    mock.faults(error_rate=0.2, drop_rate=0.2)

    async def main() -> List[sendivent.SendResponse]:
        client = AsyncSendivent(API_KEY, base_url=mock.url, max_retries=10)
        return await asyncio.gather(*(client.send("invoice.due", to=f"ar{i}@example.com") for i in range(30)))

    results = asyncio.run(main())
    mock.faults(error_rate=0, drop_rate=0)
    assert len(results) == 30
    _assert_each_send_committed_once(mock, 30)


def test_32_threads_share_one_client(mock: Mock) -> None:
    client = Sendivent(API_KEY, base_url=mock.url)
    failures: List[BaseException] = []
    uuids: List[str] = []
    lock = threading.Lock()
    start = threading.Barrier(32)

    def worker(t: int) -> None:
        start.wait()
        try:
            for i in range(50):
                sent = client.send("invoice.due", to=f"t{t}-{i}@example.com", payload={"t": t, "i": i})
                with lock:
                    uuids.extend(d.uuid for d in sent.deliveries)
        except BaseException as err:
            with lock:
                failures.append(err)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(32)]
    began = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - began
    assert not failures, failures[:3]
    assert len(uuids) == len(set(uuids)) == 1600
    state = mock.state()
    assert state["counts"]["sends"] == 1600 and state["counts"]["replays"] == 0
    _assert_each_send_committed_once(mock, 1600)
    print(f"32 threads x 50 sends: {1600 / elapsed:.0f} sends/s")


def test_gil_is_released_during_requests(mock: Mock) -> None:
    mock.faults(latency_ms=300)
    client = Sendivent(API_KEY, base_url=mock.url)
    ticks = 0
    done = threading.Event()

    def request() -> None:
        client.events.list()
        done.set()

    th = threading.Thread(target=request)
    th.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    th.join()
    mock.faults(latency_ms=0)
    assert ticks > 50, "the main thread should keep running while a request is in flight"


def test_ctrl_c_interrupts_a_blocking_call(mock: Mock) -> None:
    import signal
    import subprocess
    import sys

    mock.faults(latency_ms=10_000)
    code = (
        "import sendivent, sys\n"
        f"c = sendivent.Sendivent({API_KEY!r}, base_url={mock.url!r}, max_retries=0)\n"
        "print('ready', flush=True)\n"
        "c.events.list()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    began = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=5)
    mock.faults(latency_ms=0)
    assert "KeyboardInterrupt" in err
    assert time.perf_counter() - began < 2
