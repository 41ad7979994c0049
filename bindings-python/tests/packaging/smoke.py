"""The smoke suite of an installed `sendivent` (run by bindings-python/dist.sh in fresh virtual
environments, on the oldest and the newest CPython the package claims, from the wheel and from
the sdist): import, validators, webhook signing and verification, sync and async sends against
`sendivent-mock` (the `sendivent-mock` wheel's binary, found by `sendivent.testing`), and the
`sendivent` command of the `sendivent-cli` wheel when it is installed.

    python smoke.py             # exits non-zero at the first failed check
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import sysconfig

import sendivent
from sendivent import _native, testing, webhooks

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def check_import() -> None:
    native = _native.__file__
    assert native and "site-packages" in native, f"imported from {native}, not the installed package"
    assert sendivent.__version__, "no version"
    print(f"import: sendivent {sendivent.__version__} on Python {sys.version.split()[0]} ({native})")


def check_validators() -> None:
    assert sendivent.validate_phone("+46 70-123 45 67") == "+46701234567"
    assert sendivent.validate_email("ada@Example.COM") == "ada@example.com"
    assert sendivent.resolve_identifier("C01234ABCDE", channel="slack").kind == "slack_channel"
    try:
        sendivent.validate_phone("0701234567")
    except sendivent.InvalidPhoneError as err:
        assert err.code == "INVALID_PHONE"
    else:
        raise AssertionError("a number without country code was accepted")
    print("validators: ok")


def check_webhooks() -> None:
    event = {"event": "delivery.failed", "delivery": {"uuid": "d-1", "channel": "email", "status": "failed"}}
    body, headers = webhooks.sign_event(event, SECRET, msg_id="msg_smoke", timestamp=1_700_000_000)
    verified = webhooks.verify(body, headers, SECRET, now=1_700_000_000)
    assert isinstance(verified, sendivent.WebhookEvent) and verified.delivery.uuid == "d-1"
    assert verified.verified is not None and verified.verified.msg_id == "msg_smoke"
    try:
        webhooks.verify(body + b" ", headers, SECRET, now=1_700_000_000)
    except sendivent.WebhookVerificationError as err:
        assert err.reason == "no_matching_signature", err.reason
    else:
        raise AssertionError("a tampered body verified")
    print("webhooks: ok")


def check_sends(mock: testing.MockServer) -> None:
    with mock.client() as client:
        sent = client.send("order.confirmed", to="ada@example.com", payload={"order": 1042})
        assert sent.success and sent.deliveries, sent
        assert sent.last_response is not None and sent.last_response.status == 200

    async def send_async() -> sendivent.SendResponse:
        async with mock.async_client() as client:
            results = await asyncio.gather(*(client.send("invoice.due", to=f"a{i}@example.com") for i in range(5)))
            return results[0]

    assert asyncio.run(send_async()).success
    assert mock.state()["counts"]["sends"] == 6
    print(f"sends against {mock}: ok")


def check_cli(mock: testing.MockServer) -> None:
    command = shutil.which("sendivent", path=sysconfig.get_path("scripts"))
    if command is None:
        print("cli: sendivent-cli is not installed here, skipped")
        return
    env = {**os.environ, **mock.env}

    def run(*args: str) -> str:
        done = subprocess.run([command, *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"sendivent {' '.join(args)}: {done.returncode} {done.stderr}"
        return done.stdout

    assert run("--version").startswith("sendivent ")
    assert run("validate", "phone", "+46 70-123 45 67").strip() == "+46701234567"
    sent = json.loads(
        run("send", "order.confirmed", "--to", "grace@example.com", "--payload", '{"order": 7}', "--json")
    )
    assert sent["success"] is True and sent["deliveries"], sent
    print(f"cli: {command} sends against the mock: ok")


def main() -> None:
    check_import()
    check_validators()
    check_webhooks()
    with testing.mock_server() as mock:
        check_sends(mock)
        check_cli(mock)
    print("smoke: every check passed")


if __name__ == "__main__":
    main()
