"""The Python client's part of `make soak` (tools/soak.sh): mixed calls against a sendivent-mock
that injects errors and lost answers, measuring this process's resident memory and open file
descriptors after a warm-up and at the end. Prints one JSON line (see examples/rust/src/bin/soak.rs).

    python bench/soak/soak.py --seconds 60 --base-url http://127.0.0.1:PORT
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections import Counter

import sendivent
from sendivent import AsyncSendivent, Sendivent, webhooks


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()

    options = {"api_key": "test_soak_python_0123456789", "base_url": args.base_url, "max_retries": 3, "timeout": 5}
    client = Sendivent(**options)
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}'
    errors: Counter[str] = Counter()
    operations = 0

    def attempt(call) -> None:  # type: ignore[no-untyped-def]
        nonlocal operations
        operations += 1
        try:
            call()
        except sendivent.SendiventError as err:
            errors[err.code] += 1

    async def async_round(n: int) -> None:
        async with AsyncSendivent(**options) as aclient:
            results = await asyncio.gather(
                *(aclient.send("user.welcome", to=f"soak-py-async-{n}-{i}@example.com") for i in range(4)),
                return_exceptions=True,
            )
        for result in results:
            if isinstance(result, sendivent.SendiventError):
                errors[result.code] += 1

    started = time.monotonic()
    deadline = started + args.seconds
    warm_up = started + max(args.seconds / 10, 2)
    start = None
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if start is None and time.monotonic() >= warm_up:
            start = (rss_kb(), open_fds())
        email = f"soak-py-{n % 500}@example.com"
        attempt(lambda email=email, n=n: client.send("user.welcome", to=email, idempotency_key=f"soak-py-{n}"))
        attempt(lambda email=email, n=n: client.contacts.create(email=f"c{n}-{email}"))
        attempt(lambda email=email, n=n: client.contacts.delete(f"c{n}-{email}"))
        attempt(lambda: client.contacts.list(limit=20))
        attempt(lambda: client.deliveries.list(limit=20))
        attempt(lambda: client.events.list())
        headers = webhooks.sign_headers(body, secret, msg_id=f"msg_{n}", timestamp=1_700_000_000)
        webhooks.verify(body, headers, secret, now=1_700_000_000)
        operations += 1
        if n % 50 == 0:
            asyncio.run(async_round(n))
            operations += 4
    if start is None:
        start = (rss_kb(), open_fds())
    client.close()
    print(
        json.dumps(
            {
                "language": "python",
                "seconds": args.seconds,
                "operations": operations,
                "errors": dict(errors),
                "start_rss_kb": start[0],
                "end_rss_kb": rss_kb(),
                "start_fds": start[1],
                "end_fds": open_fds(),
            }
        )
    )


if __name__ == "__main__":
    main()
