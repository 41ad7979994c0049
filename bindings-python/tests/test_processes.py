"""Processes (docs/contract.md §2 "Processes"): a client created before `fork()` works in the
child, with multiprocessing's fork start method and in a pre-fork server (gunicorn with
`--preload`), for the sync and the async client."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any, Dict, List, Optional

import pytest
from conftest import API_KEY, Mock

import sendivent
from sendivent import AsyncSendivent, Sendivent, webhooks

TESTS = pathlib.Path(__file__).resolve().parent

#: Created in the parent before the pool forks; the children inherit them.
_FORKED: Dict[str, Any] = {}


def _send_in_child(number: int) -> Dict[str, Any]:
    client: Sendivent = _FORKED["sync"]
    async_client: AsyncSendivent = _FORKED["async"]
    sent = client.send("invoice.due", to=f"fork-{number}@example.com", payload={"n": number})

    async def send_async() -> str:
        result = await async_client.send("invoice.due", to=f"fork-async-{number}@example.com")
        return result.deliveries[0].uuid

    return {"pid": os.getpid(), "uuids": [sent.deliveries[0].uuid, asyncio.run(send_async())]}


def test_clients_created_before_fork_work_in_multiprocessing_children(mock: Mock) -> None:
    client = Sendivent(API_KEY, base_url=mock.url)
    async_client = AsyncSendivent(API_KEY, base_url=mock.url)
    # Both are used in the parent first, so its runtime, worker threads and pool exist.
    client.send("invoice.due", to="parent@example.com")
    asyncio.run(async_client.send("invoice.due", to="parent-async@example.com"))
    _FORKED.update({"sync": client, "async": async_client})
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(4) as pool:
            results: List[Dict[str, Any]] = pool.map(_send_in_child, range(12), chunksize=1)
    finally:
        _FORKED.clear()
    pids = {r["pid"] for r in results}
    assert os.getpid() not in pids and len(pids) >= 2
    uuids = [u for r in results for u in r["uuids"]]
    assert len(uuids) == len(set(uuids)) == 24
    # The parent's client still works after forking.
    client.send("invoice.due", to="parent-after@example.com")
    assert mock.state()["counts"]["sends"] == 2 + 24 + 1


WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
WEBHOOK_BODY = b'{"event":"delivery.sent","delivery":{"uuid":"d-1","channel":"email","status":"sent"}}'


def _receive_in_child(number: int) -> Dict[str, Any]:
    """Verifies 200 deliveries (the same 200 in every child) through the inherited Redis guard."""
    guard: webhooks.ReplayGuard = _FORKED["guard"]
    accepted, duplicates = [], 0
    for i in range(200):
        headers = webhooks.sign_headers(WEBHOOK_BODY, WEBHOOK_SECRET, msg_id=f"msg_fork_{i}", timestamp=1_700_000_000)
        try:
            webhooks.verify(WEBHOOK_BODY, headers, WEBHOOK_SECRET, now=1_700_000_000, replay_guard=guard)
        except sendivent.WebhookDuplicateError:
            duplicates += 1
        else:
            accepted.append(i)
    return {"accepted": accepted, "duplicates": duplicates}


def test_a_redis_replay_guard_used_before_fork_works_in_the_children(redis_url: str) -> None:
    """The guard's connection belongs to the process that opened it: each child opens its own
    (sharing the parent's socket, children would read each other's answers, or wait forever)."""
    guard = webhooks.ReplayGuard.redis(redis_url, namespace="fork:")
    headers = webhooks.sign_headers(WEBHOOK_BODY, WEBHOOK_SECRET, msg_id="msg_parent", timestamp=1_700_000_000)
    webhooks.verify(WEBHOOK_BODY, headers, WEBHOOK_SECRET, now=1_700_000_000, replay_guard=guard)
    _FORKED["guard"] = guard
    try:
        with multiprocessing.get_context("fork").Pool(3) as pool:
            results: List[Dict[str, Any]] = pool.map_async(_receive_in_child, range(3), chunksize=1).get(timeout=60)
    finally:
        _FORKED.clear()
    accepted = [i for r in results for i in r["accepted"]]
    assert sorted(accepted) == list(range(200)), "each id accepted exactly once across the children"
    assert sum(r["duplicates"] for r in results) == 400
    with pytest.raises(sendivent.WebhookDuplicateError):  # the parent's connection still works
        webhooks.verify(WEBHOOK_BODY, headers, WEBHOOK_SECRET, now=1_700_000_000, replay_guard=guard)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> Optional[Dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:
            data: Dict[str, Any] = json.loads(answer.read())
            return data
    except OSError:
        return None


def test_a_client_created_at_import_works_in_gunicorn_preload_workers(mock: Mock) -> None:
    port = _free_port()
    env = dict(os.environ, SENDIVENT_API_KEY=API_KEY, SENDIVENT_BASE_URL=mock.url)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--preload",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(TESTS),
            "--log-level",
            "warning",
            "prefork_app:app",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while _get(url) is None:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        answers: List[Optional[Dict[str, Any]]] = []
        lock = threading.Lock()

        def hit() -> None:
            for _ in range(10):
                answer = _get(url)
                with lock:
                    answers.append(answer)

        threads = [threading.Thread(target=hit) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert all(a is not None for a in answers), err
    done = [a for a in answers if a is not None]
    assert len(done) == 60
    parent = done[0]["parent"]
    workers = {a["pid"] for a in done}
    assert parent not in workers and len(workers) >= 2, f"served by {workers}"
    assert len({a["uuid"] for a in done}) == 60
    assert "Traceback" not in err, err
