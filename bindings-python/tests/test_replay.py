"""The replay guard (docs/contract.md §2 "Webhook replays") through `sendivent.webhooks`: in
memory, on a real Redis shared by two processes, and over a store the user writes."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Set, Tuple

import pytest
from conftest import free_port

import sendivent
from sendivent import webhooks

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_c2VuZGl2ZW50LXN0YWxlLWtleS0wMDAy"
NOW = 1_700_000_000
BODY = b'{"event":"delivery.sent","delivery":{"uuid":"d-1","channel":"email","status":"sent"}}'


def _signed(msg_id: str = "msg_1", secret: str = SECRET, timestamp: int = NOW) -> Dict[str, str]:
    return webhooks.sign_headers(BODY, secret, msg_id=msg_id, timestamp=timestamp)


# ------------------------------------------------------------------------------------------
# In memory
# ------------------------------------------------------------------------------------------


def test_a_redelivery_is_a_duplicate_not_a_verification_failure() -> None:
    guard = webhooks.ReplayGuard()
    event = webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    assert event.delivery.uuid == "d-1" and event.verified is not None and event.verified.msg_id == "msg_1"
    # The same id again, re-signed later as Sendivent's retries are.
    with pytest.raises(sendivent.WebhookDuplicateError) as info:
        webhooks.verify(BODY, _signed(timestamp=NOW + 60), SECRET, now=NOW + 60, replay_guard=guard)
    err = info.value
    assert err.code == "WEBHOOK_DUPLICATE" and "msg_1" in str(err)
    assert isinstance(err, sendivent.SendiventError) and not isinstance(err, sendivent.WebhookVerificationError)
    # Another id is new; without a guard nothing is remembered.
    webhooks.verify(BODY, _signed("msg_2"), SECRET, now=NOW, replay_guard=guard)
    webhooks.verify(BODY, _signed(), SECRET, now=NOW)


def test_every_verification_entry_point_takes_the_guard() -> None:
    guard = webhooks.ReplayGuard()
    verifier = webhooks.Webhook([SECRET, OLD_SECRET])
    calls = [
        lambda: webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard),
        lambda: webhooks.verify_signature(BODY, _signed(), SECRET, now=NOW, replay_guard=guard),
        lambda: verifier.verify(BODY, _signed(), now=NOW, replay_guard=guard),
        lambda: verifier.verify_signature(BODY, _signed(), now=NOW, replay_guard=guard),
    ]
    calls[0]()
    for call in calls:
        with pytest.raises(sendivent.WebhookDuplicateError):
            call()


def test_forged_deliveries_are_refused_and_not_recorded() -> None:
    guard = webhooks.ReplayGuard()
    with pytest.raises(sendivent.WebhookVerificationError) as info:
        webhooks.verify(BODY + b" ", _signed(), SECRET, now=NOW, replay_guard=guard)
    assert info.value.reason == "no_matching_signature"
    # The authentic delivery of that id is still accepted once.
    webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)


def test_guards_are_independent_and_namespaced() -> None:
    first, second = webhooks.ReplayGuard(), webhooks.ReplayGuard(namespace="shop-a:")
    webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=first)
    webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=second)
    assert first.key("msg_1") == "sendivent:webhook:msg_1" and second.key("msg_1") == "shop-a:msg_1"
    assert (first.store, repr(first)) == ("memory", 'ReplayGuard(store="memory", namespace="sendivent:webhook:")')


def test_threads_sharing_a_guard_accept_each_id_once() -> None:
    guard = webhooks.ReplayGuard()
    deliveries = [_signed(f"msg_{i}") for i in range(200)]
    accepted: List[str] = []
    duplicates = 0
    lock = threading.Lock()

    def receive() -> None:
        nonlocal duplicates
        for headers in deliveries:
            try:
                event = webhooks.verify(BODY, headers, SECRET, now=NOW, replay_guard=guard)
            except sendivent.WebhookDuplicateError:
                with lock:
                    duplicates += 1
                continue
            assert event.verified is not None
            with lock:
                accepted.append(event.verified.msg_id)

    threads = [threading.Thread(target=receive) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(accepted) == sorted(f"msg_{i}" for i in range(200)) and duplicates == 7 * 200


def test_rotation_insight_names_the_secret_that_matched() -> None:
    verifier = webhooks.Webhook([SECRET, OLD_SECRET])
    new = verifier.verify(BODY, _signed("msg_new"), now=NOW)
    old = verifier.verify(BODY, _signed("msg_old", OLD_SECRET), now=NOW)
    assert new.verified is not None and old.verified is not None
    assert (new.verified.secret_index, old.verified.secret_index) == (0, 1)
    assert (
        new.verified.secret_fingerprint.startswith("whsec:")
        and new.verified.secret_fingerprint != old.verified.secret_fingerprint
    )
    # The fingerprint is made to be logged; the secret never shows.
    assert "LaSw" not in new.verified.secret_fingerprint and SECRET not in repr(new.verified)
    only = webhooks.verify_signature(BODY, _signed("msg_old", OLD_SECRET), [SECRET, OLD_SECRET], now=NOW)
    assert isinstance(only, sendivent.Verified) and only == old.verified
    assert only.to_dict() == {
        "msg_id": "msg_old",
        "timestamp": NOW,
        "secret_index": 1,
        "secret_fingerprint": old.verified.secret_fingerprint,
    }
    # An event not from verification says so; equality ignores how an event was verified.
    assert sendivent.WebhookEvent._from(new.to_dict()).verified is None
    assert sendivent.WebhookEvent._from(new.to_dict()) == new


# ------------------------------------------------------------------------------------------
# A store the user writes
# ------------------------------------------------------------------------------------------


class DictStore:
    """A user's store: a dict of key → expiry under a lock (its own clock)."""

    def __init__(self) -> None:
        self.expiry: Dict[str, float] = {}
        self.ttls: List[float] = []
        self.lock = threading.Lock()

    def insert_if_absent(self, key: str, ttl_seconds: float) -> bool:
        with self.lock:
            self.ttls.append(ttl_seconds)
            now = time.monotonic()
            if self.expiry.get(key, 0.0) > now:
                return False
            self.expiry[key] = now + ttl_seconds
            return True


def test_a_user_store_object_records_ids_for_the_tolerance_window() -> None:
    store = DictStore()
    guard = webhooks.ReplayGuard.custom(store)
    assert guard.store == "custom"
    webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    with pytest.raises(sendivent.WebhookDuplicateError):
        webhooks.verify(BODY, _signed(), SECRET, now=NOW + 10, replay_guard=guard)
    assert list(store.expiry) == ["sendivent:webhook:msg_1"]
    # Kept until the timestamp leaves the 300 s window: 301 s at first, 291 s ten seconds later.
    assert store.ttls == [301.0, 291.0]
    webhooks.verify(BODY, _signed("msg_2"), SECRET, now=NOW, tolerance=60, replay_guard=guard)
    assert store.ttls[-1] == 61.0


def test_a_user_store_callable() -> None:
    seen: Set[str] = set()

    def insert_if_absent(key: str, ttl_seconds: float) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    guard = webhooks.ReplayGuard.custom(insert_if_absent, namespace="app:")
    webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    with pytest.raises(sendivent.WebhookDuplicateError):
        webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    assert seen == {"app:msg_1"}


def test_a_failing_user_store_is_a_replay_store_error_caused_by_its_exception() -> None:
    def unreachable(key: str, ttl_seconds: float) -> bool:
        raise ConnectionError("database is down")

    guard = webhooks.ReplayGuard.custom(unreachable)
    with pytest.raises(sendivent.ReplayStoreError) as info:
        webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    err = info.value
    assert err.code == "REPLAY_STORE_ERROR" and "database is down" in str(err)
    assert isinstance(err.__cause__, ConnectionError)
    assert not isinstance(err, (sendivent.WebhookVerificationError, sendivent.WebhookDuplicateError))
    # A forged delivery never reaches the store.
    with pytest.raises(sendivent.WebhookVerificationError):
        webhooks.verify(BODY + b" ", _signed(), SECRET, now=NOW, replay_guard=guard)


def test_a_store_answering_something_else_than_a_bool_is_a_store_error() -> None:
    guard = webhooks.ReplayGuard.custom(lambda key, ttl: None)
    with pytest.raises(sendivent.ReplayStoreError) as info:
        webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    assert "NoneType" in str(info.value) and info.value.__cause__ is None


def test_a_store_interrupted_by_ctrl_c_lets_the_interrupt_through() -> None:
    def interrupted(key: str, ttl_seconds: float) -> bool:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=webhooks.ReplayGuard.custom(interrupted))


def test_a_store_that_is_neither_is_refused() -> None:
    with pytest.raises(sendivent.ValidationError) as info:
        webhooks.ReplayGuard.custom(42)
    assert info.value.code == "INVALID_ARGUMENT"


# ------------------------------------------------------------------------------------------
# Redis
# ------------------------------------------------------------------------------------------


#: A receiver process: reads the deliveries, waits for "go", verifies every one (first to last,
#: or backward, so that the two receivers contend over every id from both ends) against the
#: shared Redis guard, and prints the ids it accepted and how many were duplicates.
RECEIVER = """
import json, sys
import sendivent
from sendivent import webhooks

url, secret, now, path, order = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
deliveries = json.load(open(path))
if order == "backward":
    deliveries.reverse()
guard = webhooks.ReplayGuard.redis(url)
verifier = webhooks.Webhook(secret)
print("ready", flush=True)
assert sys.stdin.readline().strip() == "go"
accepted, duplicates = [], 0
for body, headers in deliveries:
    try:
        event = verifier.verify(body, headers, now=now, replay_guard=guard)
    except sendivent.WebhookDuplicateError:
        duplicates += 1
    else:
        accepted.append(event.verified.msg_id)
print(json.dumps({"accepted": accepted, "duplicates": duplicates}), flush=True)
"""


def test_two_processes_on_one_redis_accept_each_of_1000_deliveries_exactly_once(
    redis_url: str, tmp_path: pathlib.Path
) -> None:
    deliveries: List[Tuple[str, Dict[str, str]]] = []
    for i in range(1000):
        body = json.dumps(
            {"event": "delivery.sent", "delivery": {"uuid": f"d-{i}", "channel": "email", "status": "sent"}},
            separators=(",", ":"),
        )
        deliveries.append((body, webhooks.sign_headers(body, SECRET, msg_id=f"msg_{i}", timestamp=NOW)))
    path = tmp_path / "deliveries.json"
    path.write_text(json.dumps(deliveries))
    receivers = [
        subprocess.Popen(
            [sys.executable, "-c", RECEIVER, redis_url, SECRET, str(NOW), str(path), order],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in ("forward", "backward")
    ]
    for receiver in receivers:
        assert receiver.stdout is not None and receiver.stdout.readline().strip() == "ready"
    for receiver in receivers:  # both start at once
        assert receiver.stdin is not None
        receiver.stdin.write("go\n")
        receiver.stdin.flush()
    results: List[Dict[str, Any]] = []
    for receiver in receivers:
        out, err = receiver.communicate(timeout=120)
        assert receiver.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    accepted = [set(r["accepted"]) for r in results]
    assert sum(len(r["accepted"]) for r in results) == 1000, "each id accepted once in total"
    assert accepted[0] | accepted[1] == {f"msg_{i}" for i in range(1000)}
    assert not accepted[0] & accepted[1]
    assert sum(r["duplicates"] for r in results) == 1000
    assert all(r["accepted"] for r in results), "both receivers took part"
    print(f"accepted per receiver: {[len(r['accepted']) for r in results]}")


def test_redis_guard_in_process_and_its_repr_hides_the_url(redis_url: str) -> None:
    guard = webhooks.ReplayGuard.redis(redis_url, namespace="inproc:")
    webhooks.verify(BODY, _signed("msg_inproc"), SECRET, now=NOW, replay_guard=guard)
    with pytest.raises(sendivent.WebhookDuplicateError):
        webhooks.verify(BODY, _signed("msg_inproc"), SECRET, now=NOW, replay_guard=guard)
    assert guard.store == "redis" and "127.0.0.1" not in repr(guard)


def test_an_unreachable_redis_is_a_replay_store_error() -> None:
    guard = webhooks.ReplayGuard.redis(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(sendivent.ReplayStoreError) as info:
        webhooks.verify(BODY, _signed(), SECRET, now=NOW, replay_guard=guard)
    assert info.value.code == "REPLAY_STORE_ERROR"
    with pytest.raises(sendivent.ReplayStoreError):
        webhooks.ReplayGuard.redis("not a url")
