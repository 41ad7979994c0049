"""Hardening: the GIL is released by the work a verification takes (not only its body size), no
API key, webhook secret or Authorization value shows in anything Python can print, and the
package runs clean under ``python -X dev``."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import pprint
import subprocess
import sys
import threading
import traceback
from typing import Any, Callable, Iterator, List

import pytest
from conftest import Mock

import sendivent
from sendivent import AsyncSendivent, Sendivent, webhooks

NOW = 1_700_000_000

# ------------------------------------------------------------------------------------------
# The GIL
# ------------------------------------------------------------------------------------------


def _ed25519_keys(count: int) -> List[str]:
    return [f"whsk_{base64.b64encode(os.urandom(32)).decode()}" for _ in range(count)]


def _progress_during(verify: Callable[[], None]) -> int:
    """How many loop iterations this thread makes while another thread is inside `verify`: none
    when the GIL is held throughout, many when it is released."""
    inside, done = threading.Event(), threading.Event()

    def worker() -> None:
        inside.set()
        try:
            verify()
        finally:
            done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait()
    iterations = 0
    while not done.is_set():
        iterations += 1
    thread.join()
    return iterations


def test_the_gil_is_released_by_the_work_of_a_verification_not_only_its_body_size() -> None:
    """16 ed25519 keys against 16 `v1a` entries by other keys: 256 signature checks, each hashing
    the body, although the body (48 KiB) is smaller than what releases the GIL on its own. A
    forged header like this is what an attacker can send an endpoint rotating keys."""
    body = json.dumps(
        {
            "event": "delivery.sent",
            "delivery": {"uuid": "d", "channel": "email", "status": "sent"},
            "pad": "x" * 48_000,
        },
        separators=(",", ":"),
    )
    signature = " ".join(webhooks.sign(body, key, msg_id="msg_gil", timestamp=NOW) for key in _ed25519_keys(16))
    headers = {"webhook-id": "msg_gil", "webhook-timestamp": str(NOW), "webhook-signature": signature}
    verifier = webhooks.Webhook(_ed25519_keys(16))

    def verify() -> None:
        with pytest.raises(sendivent.WebhookVerificationError) as info:
            verifier.verify(body, headers, now=NOW)
        assert info.value.reason == "no_matching_signature"

    assert _progress_during(verify) > 1000, "the GIL was held through 256 signature checks"
    # A small verification keeps the GIL: releasing it would cost more than the work.
    small = b'{"event":"delivery.sent","delivery":{"uuid":"d","channel":"email","status":"sent"}}'
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    small_headers = webhooks.sign_headers(small, secret, msg_id="msg_small", timestamp=NOW)
    assert webhooks.Webhook(secret).verify(small, small_headers, now=NOW).delivery.uuid == "d"


# ------------------------------------------------------------------------------------------
# Key leaks
# ------------------------------------------------------------------------------------------

API_KEY = "test_leakcanary_7f3a9c2e51d84b06"
LIVE_KEY = "live_leakcanary_0b64e8d7c6a5f4e3"
REVOKED_KEY = "test_revoked_leakcanary_5e4d3c2b1a"
WEBHOOK_SECRET = "whsec_bGVha2NhbmFyeS13ZWJob29rLXNlY3JldC0wMDE="


def _needles(secrets: List[str]) -> List[str]:
    """What must never show: each secret, its body without the prefix, and the Authorization
    header value carrying it."""
    out: List[str] = []
    for secret in secrets:
        out += [secret, secret.split("_", 1)[1], f"Bearer {secret}"]
    return out


class _Records(logging.Handler):
    """Collects every record of the `sendivent` logger, formatted with tracebacks."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def sendivent_debug_log() -> Iterator[_Records]:
    logger = logging.getLogger("sendivent")
    records = _Records()
    old = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        logger.removeHandler(records)
        logger.setLevel(old)


def _shown(obj: object) -> List[str]:
    """Every way Python shows an object, and a DEBUG line of the `sendivent` logger with it."""
    texts = [repr(obj), str(obj), f"{obj}", f"{obj!r}", "{} {!r}".format(obj, obj), pprint.pformat(obj), str([obj])]  # noqa: UP032
    if isinstance(obj, BaseException):
        texts += [
            repr(obj.args),
            repr(vars(obj)),
            "".join(traceback.format_exception(type(obj), obj, obj.__traceback__)),
        ]
        for attr in ("message", "response", "errors", "reason", "code"):
            texts.append(repr(getattr(obj, attr, None)))
    logging.getLogger("sendivent").debug("shown: %r / %s", obj, obj)
    return texts


def _raised(call: Callable[[], Any]) -> List[str]:
    """The exception `call` raises, shown every way, including `traceback.format_exc()` and
    `logger.exception`."""
    try:
        call()
    except BaseException as err:
        texts = [*_shown(err), traceback.format_exc()]
        logging.getLogger("sendivent").exception("failed")
        return texts
    pytest.fail("expected an exception")


def test_no_key_or_secret_shows_in_any_object_error_or_log_line(mock: Mock, sendivent_debug_log: _Records) -> None:
    shown: List[str] = []
    # Clients, made after DEBUG logging is on, so they log every attempt.
    client = Sendivent(API_KEY, base_url=mock.url, max_retries=1)
    async_client = AsyncSendivent(API_KEY, base_url=mock.url)
    live = Sendivent(LIVE_KEY, base_url=mock.url)
    for obj in (
        client,
        async_client,
        live,
        client.with_options(timeout=5, extra_headers={"X-Trace": "t"}),
        client.contacts,
    ):
        shown += _shown(obj)

    # Results, with their response metadata; a webhook endpoint with its signing secret.
    sent = client.send("invoice.due", to="leak@example.com", payload={"n": 1})
    hook = client.webhooks.create("http://127.0.0.1:9/hook", ["delivery.sent"])
    assert hook.signing_secret is not None
    webhook_secret = hook.signing_secret
    for obj in (sent, sent.last_response, hook, hook.last_response, client.webhooks.get(), client.contacts.list()):
        shown += _shown(obj)
    shown += _shown(asyncio.run(async_client.events.list()))
    # Retries under faults and a 401 go through the debug log too.
    mock.faults(error_rate=1.0)
    shown += _raised(lambda: client.events.list())
    mock.faults(error_rate=0)

    # Errors that involve a key.
    revoked = Sendivent(REVOKED_KEY, base_url=mock.url)
    shown += _raised(lambda: revoked.events.list())
    shown += _raised(lambda: asyncio.run(AsyncSendivent(REVOKED_KEY, base_url=mock.url).events.list()))
    shown += _raised(lambda: Sendivent("sk_" + API_KEY, base_url=mock.url))
    shown += _raised(lambda: Sendivent(API_KEY, base_url="http://api.example.com"))
    shown += _raised(lambda: Sendivent(API_KEY, base_url="http://127.0.0.1:9", max_retries=0).events.list())
    shown += _raised(lambda: client.contacts.get("nobody@example.com"))
    shown += _raised(lambda: client.send("no.such.event", to="leak@example.com"))
    shown += _raised(lambda: client.send("invoice.due", to="not an email@"))

    # Webhooks: verifiers, guards, and every mistake with a secret.
    body, headers = webhooks.sign_event(
        {"event": "delivery.sent", "delivery": {"uuid": "d", "channel": "email", "status": "sent"}}, webhook_secret
    )
    guard = webhooks.ReplayGuard()
    event = webhooks.verify(body, headers, webhook_secret, replay_guard=guard)
    for obj in (
        webhooks.Webhook(webhook_secret),
        webhooks.Webhook([WEBHOOK_SECRET, webhook_secret]),
        guard,
        event,
        event.verified,
        webhooks.ReplayGuard.custom(lambda key, ttl: True),
    ):
        shown += _shown(obj)
    shown += _raised(lambda: webhooks.verify(body, headers, webhook_secret, replay_guard=guard))
    shown += _raised(lambda: webhooks.verify(body + b" ", headers, webhook_secret))
    shown += _raised(lambda: webhooks.verify(body, headers, WEBHOOK_SECRET))
    shown += _raised(lambda: webhooks.verify(body, headers, API_KEY))  # the API key as the secret
    shown += _raised(lambda: webhooks.verify(body, headers, WEBHOOK_SECRET[:-6] + "!!!!!="))  # not base64
    shown += _raised(lambda: webhooks.verify(body, headers, [WEBHOOK_SECRET, LIVE_KEY]))
    shown += _raised(lambda: webhooks.verify(json.loads(body), headers, webhook_secret))

    def failing_store(key: str, ttl_seconds: float) -> bool:
        raise ConnectionError("store down")

    shown += _raised(
        lambda: webhooks.verify(body, headers, webhook_secret, replay_guard=webhooks.ReplayGuard.custom(failing_store))
    )
    client.close()
    shown += _shown(client) + _raised(lambda: client.events.list())

    assert len(sendivent_debug_log.lines) > 10, "the sendivent logger saw the requests at DEBUG"
    shown += sendivent_debug_log.lines
    needles = _needles([API_KEY, LIVE_KEY, REVOKED_KEY, WEBHOOK_SECRET, webhook_secret])
    leaks = [(needle, text) for text in shown for needle in needles if needle in text]
    assert not leaks, leaks[:3]
    # What is shown instead: the redacted forms.
    assert any("test_…4b06" in text for text in shown) and any("whsec_…" in text for text in shown)


# ------------------------------------------------------------------------------------------
# python -X dev
# ------------------------------------------------------------------------------------------

DEV_MODE_SCRIPT = """
import asyncio, gc, sys
import sendivent
from sendivent import AsyncSendivent, Sendivent, webhooks

url = sys.argv[1]
with Sendivent("test_devmode_0123456789", base_url=url) as client:
    sent = client.send("invoice.due", to="dev@example.com", payload={"n": 1})
    hook = client.webhooks.create("http://127.0.0.1:9/hook", ["delivery.sent"])
    list(client.contacts.list_all(limit=1))
    client.send_many([{"event": "invoice.due", "to": f"dev{i}@example.com"} for i in range(5)])
    try:
        client.contacts.get("nobody@example.com")
    except sendivent.NotFoundError:
        pass

async def main():
    async with AsyncSendivent("test_devmode_0123456789", base_url=url) as client:
        await asyncio.gather(*(client.send("invoice.due", to=f"a{i}@example.com") for i in range(5)))
        async for _ in client.contacts.list_all(limit=2):
            pass
        # A cancelled request.
        task = asyncio.ensure_future(client.events.list())
        await asyncio.sleep(0)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

asyncio.run(main())
secret = hook.signing_secret
event = {"event": "delivery.sent", "delivery": {"uuid": "d", "channel": "email", "status": "sent"}}
body, headers = webhooks.sign_event(event, secret)
guard = webhooks.ReplayGuard()
webhooks.verify(body, headers, secret, replay_guard=guard)
try:
    webhooks.verify(body, headers, secret, replay_guard=guard)
except sendivent.WebhookDuplicateError:
    pass
try:
    webhooks.verify(body, headers, secret, replay_guard=webhooks.ReplayGuard.custom(lambda k, t: 1 / 0))
except sendivent.ReplayStoreError:
    pass
del client, hook, guard
gc.collect()
print("ok")
"""


def test_the_package_runs_clean_under_python_dev_mode(mock: Mock) -> None:
    """`-X dev` turns on the debug memory allocator, faulthandler, asyncio's debug mode and every
    warning; `-W error` makes any warning (ResourceWarning, DeprecationWarning, a never-awaited
    coroutine) fail the run."""
    out = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", DEV_MODE_SCRIPT, mock.url],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k not in ("SENDIVENT_LOG", "PYTHONWARNINGS")},
    )
    assert out.returncode == 0, out.stderr
    # asyncio's debug mode reports a task step slower than 100 ms: a measure of this busy
    # machine, not of the package.
    reports = [line for line in out.stderr.splitlines() if not (line.startswith("Executing <") and " took " in line)]
    assert out.stdout.strip() == "ok" and reports == [], out.stderr
