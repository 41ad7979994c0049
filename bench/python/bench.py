"""Benchmarks of the `sendivent` Python package against the libraries Python users would
otherwise use, measured side by side in one run on one machine. Writes Markdown to stdout.

    bench/python/run.sh > bench/python/RESULTS.md     (what `make bench` runs)

Needs SENDIVENT_MOCK_BIN (a release build of sendivent-mock) for the client benchmarks.
"""

from __future__ import annotations

import asyncio
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
from typing import Any, Callable, Dict, List, Tuple

import sendivent
from sendivent import webhooks

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def per_call_us(fn: Callable[[], Any], min_time: float = 0.2) -> float:
    """Best-of-ROUNDS mean time per call in microseconds (timeit's method)."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(number, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=ROUNDS, number=number)) / number * 1e6


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


def bench_webhooks() -> List[Tuple[str, float]]:
    import standardwebhooks
    import stripe
    import svix.webhooks

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = webhook_payload()
    body_str = body.decode()
    now = int(time.time())
    headers = webhooks.sign_headers(body, secret, msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=now)
    flask_like = {k.title(): v for k, v in headers.items()}
    sw = standardwebhooks.Webhook(secret)
    sv = svix.webhooks.Webhook(secret)
    stripe_secret = "whsec_test_secret"
    stripe_sig = hmac.new(stripe_secret.encode(), f"{now}.{body_str}".encode(), hashlib.sha256).hexdigest()
    stripe_header = f"t={now},v1={stripe_sig}"
    verifier = webhooks.Webhook(secret)

    # Every verifier must accept the same message before it is timed.
    webhooks.verify_signature(body, headers, secret)
    assert webhooks.verify(body, flask_like, secret).delivery.status == "delivered"
    sw.verify(body_str, headers, json_parse=False)
    sv.verify(body, headers)
    stripe.WebhookSignature.verify_header(body_str, stripe_header, stripe_secret, 300)
    stripe.Webhook.construct_event(body_str, stripe_header, stripe_secret)

    return [
        (
            "sendivent.webhooks.verify_signature (verify only)",
            per_call_us(lambda: webhooks.verify_signature(body, headers, secret)),
        ),
        (
            "sendivent Webhook(secret).verify_signature (verify only, reused verifier)",
            per_call_us(lambda: verifier.verify_signature(body, headers)),
        ),
        (
            "standardwebhooks Webhook.verify(json_parse=False)",
            per_call_us(lambda: sw.verify(body_str, headers, json_parse=False)),
        ),
        ("svix Webhook.verify (verify only)", per_call_us(lambda: sv.verify(body, headers))),
        (
            "stripe WebhookSignature.verify_header",
            per_call_us(lambda: stripe.WebhookSignature.verify_header(body_str, stripe_header, stripe_secret, 300)),
        ),
        (
            "sendivent.webhooks.verify -> typed WebhookEvent",
            per_call_us(lambda: webhooks.verify(body, headers, secret)),
        ),
        (
            "sendivent.webhooks.verify, Flask-style capitalised header dict",
            per_call_us(lambda: webhooks.verify(body, flask_like, secret)),
        ),
        ("standardwebhooks Webhook.verify -> dict (json.loads)", per_call_us(lambda: sw.verify(body_str, headers))),
        (
            "stripe Webhook.construct_event -> Event",
            per_call_us(lambda: stripe.Webhook.construct_event(body_str, stripe_header, stripe_secret)),
        ),
    ]


PHONES = ["+46 70-123 45 67", "+1 (415) 555-2671", "+44 20 7946 0958", "+4915123456789", "+81 3-1234-5678"]
EMAILS = ["ada@example.com", "Grace.Hopper+news@Navy.MIL", "josé@bücher.example", "first.last@sub.example.co.uk"]


def bench_validation() -> List[Tuple[str, float]]:
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
        assert sendivent.validate_phone(p) == phonenumbers.format_number(
            phonenumbers.parse(p, None), phonenumbers.PhoneNumberFormat.E164
        )
    return [
        ("sendivent.validate_phone", per_call_us(ours_phone) / len(PHONES)),
        ("phonenumbers parse + is_possible_number + format E164", per_call_us(pn_phone) / len(PHONES)),
        ("sendivent.validate_email", per_call_us(ours_email) / len(EMAILS)),
        ("email_validator.validate_email(check_deliverability=False)", per_call_us(ev_email) / len(EMAILS)),
    ]


class MockProcess:
    def __init__(self) -> None:
        binary = os.environ.get("SENDIVENT_MOCK_BIN", "target/release/sendivent-mock")
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--no-limits", "--seed", "1", "--transition-delay-ms", "60000"],
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


def rate(n: int, fn: Callable[[], Any]) -> float:
    began = time.perf_counter()
    fn()
    return n / (time.perf_counter() - began)


def bench_clients(mock: MockProcess) -> List[Tuple[str, float]]:
    import aiohttp
    import httpx

    key = "live_bench_key_0001"
    n = int(os.environ.get("BENCH_REQUESTS", "2000"))
    client = sendivent.Sendivent(key, base_url=mock.url)
    hx = httpx.Client(base_url=mock.url, headers={"Authorization": f"Bearer {key}"})
    body = {"to": "ada@example.com", "payload": {"order": 1}}

    def ours_get() -> None:
        for _ in range(n):
            client.events.list()

    def httpx_get() -> None:
        for _ in range(n):
            r = hx.get("/v1/events")
            r.raise_for_status()
            r.json()

    def ours_send() -> None:
        for _ in range(n):
            client.send("invoice.due", to="ada@example.com", payload={"order": 1})

    def httpx_send() -> None:
        import uuid

        for _ in range(n):
            r = hx.post("/v1/send/invoice.due", json=body, headers={"X-Idempotency-Key": uuid.uuid4().hex})
            r.raise_for_status()
            r.json()

    ours_get(), httpx_get()  # warm up connections and caches
    results = []
    results.append(("sendivent.Sendivent events.list (GET)", statistics.median(rate(n, ours_get) for _ in range(3))))
    results.append(("httpx.Client GET /v1/events + json()", statistics.median(rate(n, httpx_get) for _ in range(3))))
    mock.reset()
    results.append(("sendivent.Sendivent send (POST)", rate(n, ours_send)))
    mock.reset()
    results.append(("httpx.Client POST /v1/send + json()", rate(n, httpx_send)))
    mock.reset()

    # Threads: the GIL is released during I/O, so one shared client scales across threads.
    def threaded() -> None:
        per = n // 8
        threads = [threading.Thread(target=lambda: [client.events.list() for _ in range(per)]) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    results.append(("sendivent.Sendivent events.list, 8 threads sharing one client", rate(n // 8 * 8, threaded)))

    async_n = n

    async def ours_async() -> None:
        async with sendivent.AsyncSendivent(key, base_url=mock.url) as ac:
            sem = asyncio.Semaphore(50)

            async def one(i: int) -> None:
                async with sem:
                    await ac.send("invoice.due", to="ada@example.com", payload={"order": i})

            await asyncio.gather(*(one(i) for i in range(async_n)))

    async def aiohttp_async() -> None:
        import uuid

        async with aiohttp.ClientSession(mock.url, headers={"Authorization": f"Bearer {key}"}) as session:
            sem = asyncio.Semaphore(50)

            async def one(i: int) -> None:
                async with (
                    sem,
                    session.post(
                        "/v1/send/invoice.due", json=body, headers={"X-Idempotency-Key": uuid.uuid4().hex}
                    ) as r,
                ):
                    r.raise_for_status()
                    await r.json()

            await asyncio.gather(*(one(i) for i in range(async_n)))

    mock.reset()
    results.append(("sendivent.AsyncSendivent send, 50 concurrent", rate(async_n, lambda: asyncio.run(ours_async()))))
    mock.reset()
    results.append(("aiohttp POST /v1/send, 50 concurrent tasks", rate(async_n, lambda: asyncio.run(aiohttp_async()))))
    mock.reset()
    return results


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(7)]
    return statistics.median(samples) * 1000


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×"


def main() -> None:
    print("# Python benchmarks (`sendivent` wheel vs. the usual Python libraries)\n")
    print(
        f"Measured side by side in one run by `bench/python/bench.py` on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Per-call times are the best of several timeit rounds; request rates are against a release "
        "build of `sendivent-mock` on 127.0.0.1 (`--no-limits`).\n"
    )

    wh = dict(bench_webhooks())
    print("## Webhook verification, 1 KB body\n\n| implementation | µs per call |\n|---|---:|")
    for name, us in wh.items():
        print(f"| {name} | {us:.2f} |")
    fastest_verify = min(
        wh["standardwebhooks Webhook.verify(json_parse=False)"],
        wh["svix Webhook.verify (verify only)"],
        wh["stripe WebhookSignature.verify_header"],
    )
    fastest_parsed = min(
        wh["standardwebhooks Webhook.verify -> dict (json.loads)"], wh["stripe Webhook.construct_event -> Event"]
    )
    ours_verify = wh["sendivent.webhooks.verify_signature (verify only)"]
    ours_parsed = wh["sendivent.webhooks.verify -> typed WebhookEvent"]
    print(
        f"\nVerify only: **{ratio(fastest_verify, ours_verify)}** faster than the fastest of standardwebhooks, "
        "svix and "
        f"stripe (aim ≥ 5×). Verify and return the parsed event: **{ratio(fastest_parsed, ours_parsed)}** faster than "
        f"the fastest of standardwebhooks (+json.loads) and stripe.construct_event (aim ≥ 10×).\n"
    )

    val = dict(bench_validation())
    print("## Validation\n\n| implementation | µs per value |\n|---|---:|")
    for name, us in val.items():
        print(f"| {name} | {us:.2f} |")
    phone = ratio(val["phonenumbers parse + is_possible_number + format E164"], val["sendivent.validate_phone"])
    email = ratio(val["email_validator.validate_email(check_deliverability=False)"], val["sendivent.validate_email"])
    print(
        f"\nPhone: **{phone}** faster than phonenumbers (aim ≥ 30×). Email: **{email}** "
        "faster than email-validator (aim ≥ 30×).\n"
    )

    mock = MockProcess()
    try:
        cl = dict(bench_clients(mock))
    finally:
        mock.stop()
    print("## HTTP client throughput against sendivent-mock\n\n| client | requests/s |\n|---|---:|")
    for name, rps in cl.items():
        print(f"| {name} | {rps:,.0f} |")
    get = ratio(cl["sendivent.Sendivent events.list (GET)"], cl["httpx.Client GET /v1/events + json()"])
    send = ratio(cl["sendivent.Sendivent send (POST)"], cl["httpx.Client POST /v1/send + json()"])
    ours_async = cl["sendivent.AsyncSendivent send, 50 concurrent"]
    concurrent = ratio(ours_async, cl["aiohttp POST /v1/send, 50 concurrent tasks"])
    print(
        f"\nSync GET: **{get}** the rate of `httpx.Client`; sync send: **{send}** "
        f"(aim ≥ 2×). Async, 50 concurrent sends: **{concurrent}** "
        "the rate of aiohttp (aim ≥ 1×). The sendivent figures include validation of the request, "
        "typed results and response metadata; the baselines only parse JSON.\n"
    )

    imports = {m: import_ms(m) for m in ("sendivent", "httpx", "stripe")}
    print("## Import time (median of 7 fresh interpreters)\n\n| module | ms |\n|---|---:|")
    for name, ms in imports.items():
        print(f"| `import {name}` | {ms:.1f} |")
    print("\nAim: `import sendivent` under 15 ms; names are imported lazily on first use.")


if __name__ == "__main__":
    main()
