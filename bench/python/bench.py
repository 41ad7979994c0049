"""Benchmarks of the `sendivent` Python package against the libraries Python users would
otherwise use, measured side by side in one run on one machine. Writes Markdown to stdout, ending
with one verdict line per aim of the performance issue.

    bench/python/run.sh          (what `make bench` runs; writes bench/python/RESULTS.md)

Needs SENDIVENT_MOCK_BIN (a release build of sendivent-mock) for the client benchmarks. Every
comparison interleaves its contenders round by round (BENCH_ROUNDS, default 7) and keeps each
one's best round, so that a machine shared with other work slows every contender alike. The
numbers are measurements, never assertions: nothing here fails when an aim is missed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import timeit
import uuid
from typing import Any, Callable, Dict

import sendivent
from sendivent import webhooks

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
KEY = "live_bench_key_0001"
SEND_BODY = {"to": "ada@example.com", "payload": {"order": 1}}


def per_call_us(rows: Dict[str, Callable[[], Any]], min_time: float = 0.05) -> Dict[str, float]:
    """Microseconds per call of each row: each round times every row once, in turn (timeit's
    method, calls repeated to about `min_time` seconds); a row keeps its best round."""
    numbers = {}
    for name, fn in rows.items():
        number, took = timeit.Timer(fn).autorange()
        numbers[name] = max(1, int(number * min_time / max(took, 1e-9)))
    best = {name: float("inf") for name in rows}
    for _ in range(ROUNDS):
        for name, fn in rows.items():
            took = timeit.Timer(fn).timeit(numbers[name])
            best[name] = min(best[name], took / numbers[name] * 1e6)
    return best


class Rate(float):
    """Requests per second measured by the row itself (a native client in its own process,
    timing its requests but not its start)."""


def rates(rows: Dict[str, Callable[[], Any]], reset: Callable[[], None]) -> Dict[str, float]:
    """Requests per second of each row (a row runs its requests and returns how many, or the
    `Rate` it measured): rounds interleave the rows, the mock's state is reset before each run,
    and a row keeps its best."""
    best = dict.fromkeys(rows, 0.0)
    for _ in range(ROUNDS):
        for name, fn in rows.items():
            reset()
            began = time.perf_counter()
            n = fn()
            rate = n if isinstance(n, Rate) else n / (time.perf_counter() - began)
            best[name] = max(best[name], rate)
    return best


def native_rate(args: list) -> Callable[[], Rate]:
    """A rate measured by examples/rust bench_client against the mock."""
    command = [os.environ.get("BENCH_CLIENT_BIN", "target/release/bench_client"), *args]
    return lambda: Rate(subprocess.check_output(command, text=True))


def native_ceiling(mock: MockProcess, requests: int, concurrency: int) -> Callable[[], Rate]:
    """The rate a plain native client reaches against the mock (bench_client ceiling): what no
    client can beat on this machine, as the mock shares its two cores."""
    return native_rate(["ceiling", mock.url, str(requests), str(concurrency)])


# ---------------------------------------------------------------------------------------------
# Webhooks


def webhook_payload(size: int = 1024) -> bytes:
    event: Dict[str, Any] = {
        "event": "delivery.delivered",
        "delivery": {
            "uuid": "6f1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04",
            "channel": "email",
            "status": "delivered",
            "event_name": "order.confirmed",
            "message_id": "0100018c-ses-4f2a",
            "sent_at": "2026-11-28T12:00:00Z",
            "delivered_at": "2026-11-28T12:00:02Z",
            "error": None,
        },
        "request_id": "req_01HF8Z3K9Q",
        "timestamp": "2026-11-28T12:00:02Z",
        "note": "",
    }
    body = json.dumps(event, separators=(",", ":"))
    event["note"] = "x" * (size - len(body))
    out = json.dumps(event, separators=(",", ":")).encode()
    assert len(out) == size, len(out)
    return out


VERIFY_ONLY = "sendivent webhooks.verify_signature (verify only)"
VERIFY_PEERS = (
    "standardwebhooks Webhook.verify(json_parse=False)",
    "svix Webhook.verify (verify only)",
    "stripe WebhookSignature.verify_header (verify only)",
)
TYPED = "sendivent webhooks.verify -> typed WebhookEvent"
TYPED_PEER = "standardwebhooks Webhook.verify -> dict (json.loads)"
SHA_FLOOR = "floor: hashlib.sha256(signed content).digest() (OpenSSL: an HMAC hashes this and two blocks more)"
HMAC_ONLY = "hmac.digest(key, signed content, sha256) alone (no headers, base64 or compare)"
JSON_ONLY = "json.loads of the body alone"


def bench_webhooks() -> Dict[str, float]:
    import standardwebhooks
    import stripe
    import svix.webhooks

    body = webhook_payload()
    body_str = body.decode()
    now = int(time.time())
    headers = webhooks.sign_headers(body, SECRET, msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=now)
    flask_like = {k.title(): v for k, v in headers.items()}
    sw = standardwebhooks.Webhook(SECRET)
    sv = svix.webhooks.Webhook(SECRET)
    stripe_secret = "whsec_test_secret"
    stripe_sig = hmac.new(stripe_secret.encode(), f"{now}.{body_str}".encode(), hashlib.sha256).hexdigest()
    stripe_header = f"t={now},v1={stripe_sig}"
    verifier = webhooks.Webhook(SECRET)
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = headers["webhook-signature"].split(",", 1)[1]
    assert base64.b64encode(hmac.digest(key, signed, "sha256")).decode() == expected

    # Every verifier must accept the same message before it is timed.
    webhooks.verify_signature(body, headers, SECRET)
    assert webhooks.verify(body, flask_like, SECRET).delivery.status == "delivered"
    sw.verify(body_str, headers, json_parse=False)
    sv.verify(body, headers)
    stripe.WebhookSignature.verify_header(body_str, stripe_header, stripe_secret, 300)
    stripe.Webhook.construct_event(body_str, stripe_header, stripe_secret)

    return per_call_us(
        {
            VERIFY_ONLY: lambda: webhooks.verify_signature(body, headers, SECRET),
            "sendivent Webhook(secret).verify_signature (verify only, one verifier)": lambda: verifier.verify_signature(
                body, headers
            ),
            VERIFY_PEERS[0]: lambda: sw.verify(body_str, headers, json_parse=False),
            VERIFY_PEERS[1]: lambda: sv.verify(body, headers),
            VERIFY_PEERS[2]: lambda: stripe.WebhookSignature.verify_header(body_str, stripe_header, stripe_secret, 300),
            TYPED: lambda: webhooks.verify(body, headers, SECRET),
            "sendivent webhooks.verify, Flask-style capitalised header dict": lambda: webhooks.verify(
                body, flask_like, SECRET
            ),
            TYPED_PEER: lambda: sw.verify(body_str, headers),
            "stripe Webhook.construct_event -> Event": lambda: stripe.Webhook.construct_event(
                body_str, stripe_header, stripe_secret
            ),
            SHA_FLOOR: lambda: hashlib.sha256(signed).digest(),
            HMAC_ONLY: lambda: hmac.digest(key, signed, "sha256"),
            JSON_ONLY: lambda: json.loads(body),
        }
    )


# ---------------------------------------------------------------------------------------------
# Validation

PHONES = ["+46 70-123 45 67", "+1 (415) 555-2671", "+44 20 7946 0958", "+4915123456789", "+81 3-1234-5678"]
EMAILS = ["ada@example.com", "Grace.Hopper+news@Navy.MIL", "josé@bücher.example", "first.last@sub.example.co.uk"]


def bench_validation() -> Dict[str, float]:
    import email_validator
    import phonenumbers

    def ours_phone() -> None:
        for p in PHONES:
            sendivent.validate_phone(p)

    def pn_phone() -> None:
        for p in PHONES:
            n = phonenumbers.parse(p, None)
            assert phonenumbers.is_possible_number(n)
            phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)

    def ours_email() -> None:
        for e in EMAILS:
            sendivent.validate_email(e)

    def ev_email() -> None:
        for e in EMAILS:
            email_validator.validate_email(e, check_deliverability=False)

    for p in PHONES:
        expected = phonenumbers.format_number(phonenumbers.parse(p, None), phonenumbers.PhoneNumberFormat.E164)
        assert sendivent.validate_phone(p) == expected
    per_value = per_call_us(
        {
            "sendivent.validate_phone": ours_phone,
            "phonenumbers parse + is_possible_number + format E164": pn_phone,
            "sendivent.validate_email": ours_email,
            "email_validator.validate_email(check_deliverability=False)": ev_email,
        }
    )
    counts = [len(PHONES), len(PHONES), len(EMAILS), len(EMAILS)]
    return {name: us / count for (name, us), count in zip(per_value.items(), counts)}


# ---------------------------------------------------------------------------------------------
# HTTP clients against sendivent-mock


class MockProcess:
    def __init__(self) -> None:
        binary = os.environ.get("SENDIVENT_MOCK_BIN", "target/release/sendivent-mock")
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--no-limits", "--seed", "1", "--transition-delay-ms", "600000"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip().removeprefix("listening on ")

    def reset(self) -> None:
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(self.url + "/_mock/reset", method="POST")).read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


SYNC_CEILING = "ceiling: a native client (Rust reqwest, one thread), same requests, no validation"
SYNC_CORE = "the core's blocking client from Rust (what the binding calls), same sends"
ASYNC_CEILING = "ceiling: a native client (Rust reqwest, one thread), same requests, 50 concurrent"
SYNC_SEND = "sendivent Sendivent.send"
SYNC_PEER = "httpx.Client POST + json()"
ASYNC_SEND = "sendivent AsyncSendivent.send, 50 concurrent"
ASYNC_PEER = "aiohttp POST + json(), 50 concurrent"


def bench_sync(mock: MockProcess) -> Dict[str, float]:
    import httpx
    import requests
    import urllib3

    n = REQUESTS
    client = sendivent.Sendivent(KEY, base_url=mock.url)
    auth = {"Authorization": f"Bearer {KEY}"}
    hx = httpx.Client(base_url=mock.url, headers=auth)
    pool = urllib3.PoolManager(headers=auth)
    session = requests.Session()
    session.headers.update(auth)
    send_url = mock.url + "/v1/send/invoice.due"

    def ours() -> int:
        for i in range(n):
            client.send("invoice.due", to="ada@example.com", payload={"order": i})
        return n

    def with_httpx() -> int:
        for _ in range(n):
            r = hx.post("/v1/send/invoice.due", json=SEND_BODY, headers={"X-Idempotency-Key": uuid.uuid4().hex})
            r.raise_for_status()
            r.json()
        return n

    def with_urllib3() -> int:
        for _ in range(n):
            r = pool.request(
                "POST",
                send_url,
                body=json.dumps(SEND_BODY).encode(),
                headers={**auth, "Content-Type": "application/json", "X-Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status == 200, r.status
            json.loads(r.data)
        return n

    def with_requests() -> int:
        for _ in range(n):
            r = session.post(send_url, json=SEND_BODY, headers={"X-Idempotency-Key": uuid.uuid4().hex})
            r.raise_for_status()
            r.json()
        return n

    def ours_get() -> int:
        for _ in range(n):
            client.events.list()
        return n

    def httpx_get() -> int:
        for _ in range(n):
            r = hx.get("/v1/events")
            r.raise_for_status()
            r.json()
        return n

    def threaded() -> int:
        per = n // 8
        threads = [threading.Thread(target=lambda: [client.events.list() for _ in range(per)]) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return per * 8

    for warm in (ours, with_httpx, with_urllib3, with_requests):
        warm()
    return rates(
        {
            SYNC_SEND: ours,
            SYNC_PEER: with_httpx,
            "urllib3.PoolManager POST + json.loads": with_urllib3,
            "requests.Session POST + json()": with_requests,
            "sendivent Sendivent.events.list (GET)": ours_get,
            "httpx.Client GET + json()": httpx_get,
            "sendivent Sendivent.events.list, 8 threads sharing one client": threaded,
            SYNC_CEILING: native_ceiling(mock, n, 1),
            SYNC_CORE: native_rate(["blocking", mock.url, str(n)]),
        },
        mock.reset,
    )


def bench_async(mock: MockProcess) -> Dict[str, float]:
    import aiohttp
    import httpx

    # Rounds long enough (about half a second) for the scheduling noise of a client and a mock on two
    # cores to even out; httpx.AsyncClient, two orders of magnitude slower here, makes fewer.
    n = REQUESTS * 5
    n_slow = REQUESTS // 2

    async def gathered(send: Callable[[int], Any], n: int = n) -> None:
        sem = asyncio.Semaphore(50)

        async def one(i: int) -> None:
            async with sem:
                await send(i)

        await asyncio.gather(*(one(i) for i in range(n)))

    async def ours() -> None:
        async with sendivent.AsyncSendivent(KEY, base_url=mock.url) as client:
            await gathered(lambda i: client.send("invoice.due", to="ada@example.com", payload={"order": i}))

    async def with_aiohttp() -> None:
        async with aiohttp.ClientSession(mock.url, headers={"Authorization": f"Bearer {KEY}"}) as session:

            async def send(i: int) -> None:
                headers = {"X-Idempotency-Key": uuid.uuid4().hex}
                async with session.post("/v1/send/invoice.due", json=SEND_BODY, headers=headers) as r:
                    r.raise_for_status()
                    await r.json()

            await gathered(send)

    async def with_httpx() -> None:
        limits = httpx.Limits(max_connections=50)
        headers = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(base_url=mock.url, headers=headers, limits=limits) as hx:

            async def send(i: int) -> None:
                headers = {"X-Idempotency-Key": uuid.uuid4().hex}
                r = await hx.post("/v1/send/invoice.due", json=SEND_BODY, headers=headers)
                r.raise_for_status()
                r.json()

            await gathered(send, n_slow)

    def run(main: Callable[[], Any], n: int = n) -> Callable[[], int]:
        def once() -> int:
            asyncio.run(main())
            return n

        return once

    return rates(
        {
            ASYNC_SEND: run(ours),
            ASYNC_PEER: run(with_aiohttp),
            "httpx.AsyncClient POST + json(), 50 concurrent": run(with_httpx, n_slow),
            ASYNC_CEILING: native_ceiling(mock, n, 50),
        },
        mock.reset,
    )


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(7)]
    return statistics.median(samples) * 1000


# ---------------------------------------------------------------------------------------------
# Report


def table(title: str, unit: str, rows: Dict[str, float], fmt: str) -> None:
    print(f"## {title}\n\n| implementation | {unit} |\n|---|---:|")
    for name, value in rows.items():
        print(f"| {name} | {format(value, fmt)} |")
    print()


def verdict(aim: str, ratio: float, target: float, against: str) -> str:
    met = "met" if ratio >= target else "NOT met"
    # Two decimals near the aim, so that a ratio just under it does not print as the aim.
    shown = f"{ratio:.2f}" if abs(ratio - target) < 0.1 else f"{ratio:.1f}"
    return f"- {aim}: **{shown}×** {against} (aim ≥ {target:g}×): {met}"


def floor_note(aim_us: float, hashing_us: float, ours_us: float, rest: str) -> str:
    """Where a verification's time goes, against the time the aim allows and the hashing every
    verification does (one SHA-256 pass over the signed content)."""
    if aim_us <= hashing_us:
        reach = (
            f"hashing the signed content once takes {hashing_us:.2f} µs (OpenSSL, SHA instructions), and an "
            "HMAC hashes it and more: no implementation that checks the signature can reach the aim"
        )
    else:
        reach = (
            f"hashing the signed content once takes {hashing_us:.2f} µs, leaving {aim_us - hashing_us:.2f} µs "
            "for everything else"
        )
    return (
        f"  - The aim allows {aim_us:.2f} µs a call: {reach}. Ours: that hashing + {ours_us - hashing_us:.2f} µs "
        f"({rest})."
    )


def ceiling_note(aim_rate: float, ceiling_rate: float, ours_rate: float) -> str:
    """Where a client's rate stands against the rate the mock gives a native client."""
    share = aim_rate / ceiling_rate
    reach = (
        "beyond what a native client reaches: no client can meet it against this mock on this machine"
        if share >= 1
        else f"{share:.0%} of what a native client reaches ({ceiling_rate:,.0f}/s; the mock and the "
        "client share two cores, so most of a request's time is the mock's and the kernel's)"
    )
    ours = ours_rate / ceiling_rate
    return f"  - The aim is {aim_rate:,.0f} requests/s, {reach}. Ours reaches {ours:.0%} of that ceiling."


def main() -> None:
    load = os.getloadavg()
    print("# Python benchmarks (`sendivent` wheel vs. the usual Python libraries)\n")
    print(
        f"Measured side by side in one run by `bench/python/bench.py` on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load[0]:.1f} at the start. "
        f"Every comparison interleaves its contenders over {ROUNDS} rounds and keeps each one's best round. "
        "Request rates are against a release build of `sendivent-mock` on 127.0.0.1 (`--no-limits`); "
        "the sendivent figures include validation of the request, typed results and response metadata, "
        "the others only parse the JSON.\n"
    )

    wh = bench_webhooks()
    table("Webhook verification, 1 KB body", "µs per call", wh, ".2f")
    val = bench_validation()
    table("Validation", "µs per value", val, ".2f")

    mock = MockProcess()
    try:
        sync = bench_sync(mock)
        table("Sync HTTP against sendivent-mock", "requests/s", sync, ",.0f")
        aio = bench_async(mock)
        table("Async HTTP against sendivent-mock", "requests/s", aio, ",.0f")
    finally:
        mock.stop()

    imports = {f"`import {m}`": import_ms(m) for m in ("sendivent", "httpx", "stripe")}
    table("Import time (median of 7 fresh interpreters)", "ms", imports, ".1f")

    fastest_peer = min(VERIFY_PEERS, key=lambda name: wh[name])
    end_load = os.getloadavg()[0]
    print(f"## Verdicts (load average {end_load:.1f} at the end)\n")
    verify_aim = wh[fastest_peer] / 6
    typed_aim = wh[TYPED_PEER] / 6
    hashing = wh[SHA_FLOOR]
    lines = [
        verdict(
            "Verify only (1 KB)",
            wh[fastest_peer] / wh[VERIFY_ONLY],
            6,
            f"faster than the fastest peer ({fastest_peer.split(' ')[0]})",
        ),
        floor_note(
            verify_aim,
            hashing,
            wh[VERIFY_ONLY],
            "the call, the header lookups, the HMAC's key blocks, base64 of the signature and the comparison",
        ),
        verdict("Verify → typed event", wh[TYPED_PEER] / wh[TYPED], 6, "faster than standardwebhooks + json"),
        floor_note(
            typed_aim,
            hashing,
            wh[TYPED],
            f"the signature as above; parsing the body and building the typed event: "
            f"{wh[TYPED] - wh[VERIFY_ONLY]:.2f} µs, where json.loads alone takes {wh[JSON_ONLY]:.2f} µs",
        ),
        verdict("Async, 50 concurrent sends", aio[ASYNC_SEND] / aio[ASYNC_PEER], 1.5, "the rate of aiohttp"),
        ceiling_note(aio[ASYNC_PEER] * 1.5, aio[ASYNC_CEILING], aio[ASYNC_SEND]),
        verdict("Sync send", sync[SYNC_SEND] / sync[SYNC_PEER], 2.5, "the rate of httpx.Client"),
        ceiling_note(sync[SYNC_PEER] * 2.5, sync[SYNC_CEILING], sync[SYNC_SEND]),
        f"  - The core's blocking client alone, from Rust, reaches {sync[SYNC_CORE] / sync[SYNC_CEILING]:.0%} of the "
        f"ceiling (the Python binding: {sync[SYNC_SEND] / sync[SYNC_CORE]:.0%} of the core's rate): the caller's "
        "thread blocks while the shared runtime's workers drive the connection, two thread hand-offs a request. "
        "A runtime driven by each calling thread would remove them, but pooled connections would then belong to "
        "one thread: a redesign of the blocking client (pools, fork safety, threads sharing a client), not a tweak.",
        verdict(
            "Phone validation",
            val["phonenumbers parse + is_possible_number + format E164"] / val["sendivent.validate_phone"],
            30,
            "faster than phonenumbers",
        ),
        verdict(
            "Email validation",
            val["email_validator.validate_email(check_deliverability=False)"] / val["sendivent.validate_email"],
            30,
            "faster than email-validator",
        ),
    ]
    print("\n".join(lines))
    print(
        f"\nSync send against urllib3 and requests: "
        f"{sync[SYNC_SEND] / sync['urllib3.PoolManager POST + json.loads']:.1f}× and "
        f"{sync[SYNC_SEND] / sync['requests.Session POST + json()']:.1f}×. "
        f"`import sendivent` takes {imports['`import sendivent`']:.1f} ms (aim: under 15 ms)."
    )


if __name__ == "__main__":
    main()
