"""The examples are tested: the Flask and FastAPI receivers, and the demo against the mock."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any, Dict

import pytest
from fastapi.testclient import TestClient

from sendivent import webhooks

from conftest import Mock

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import fastapi_receiver  # noqa: E402
import flask_receiver  # noqa: E402

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EVENT: Dict[str, Any] = {
    "event": "delivery.failed",
    "delivery": {"uuid": "d-1", "channel": "email", "status": "failed", "error": "mailbox full"},
    "request_id": "req_1",
    "timestamp": "2026-11-28T12:00:00Z",
}
BODY = json.dumps(EVENT).encode()


def test_flask_receiver_accepts_signed_and_rejects_forged() -> None:
    app = flask_receiver.create_app(SECRET)
    http = app.test_client()
    ok = http.post("/webhooks/sendivent", data=BODY, headers=webhooks.sign_headers(BODY, SECRET))
    assert ok.status_code == 204
    assert [e.delivery.error for e in app.config["RECEIVED"]] == ["mailbox full"]
    forged = webhooks.sign_headers(BODY, "whsec_c2VuZGl2ZW50LXZlY3Rvci1rZXktbWFpbi0wMDAxISE=")
    bad = http.post("/webhooks/sendivent", data=BODY, headers=forged)
    assert bad.status_code == 400 and bad.get_data(as_text=True) == "no_matching_signature"
    old = webhooks.sign_headers(BODY, SECRET, timestamp=webhooks._unix_now() - 3600)
    assert http.post("/webhooks/sendivent", data=BODY, headers=old).get_data(as_text=True) == "timestamp_too_old"
    assert http.post("/webhooks/sendivent", data=BODY).status_code == 400
    assert len(app.config["RECEIVED"]) == 1


def test_fastapi_receiver_accepts_signed_and_rejects_forged() -> None:
    app = fastapi_receiver.create_app(SECRET)
    http = TestClient(app)
    headers = {k.upper(): v for k, v in webhooks.sign_headers(BODY, SECRET).items()}
    assert http.post("/webhooks/sendivent", content=BODY, headers=headers).status_code == 204
    assert app.state.received[0].event == "delivery.failed"
    tampered = http.post("/webhooks/sendivent", content=BODY.replace(b"full", b"fine"), headers=headers)
    assert tampered.status_code == 400 and tampered.json() == {"detail": "no_matching_signature"}


def test_django_style_headers() -> None:
    headers = webhooks.sign_headers(BODY, SECRET)
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    meta["CONTENT_TYPE"] = "application/json"
    assert webhooks.verify(BODY, meta, SECRET).delivery.uuid == "d-1"
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]  # an ASGI scope's headers
    assert webhooks.verify(BODY.decode(), raw, SECRET).event == "delivery.failed"


def test_demo_runs_against_the_mock(mock: Mock) -> None:
    env = dict(os.environ, SENDIVENT_BASE_URL=mock.url)
    env.pop("SENDIVENT_API_KEY", None)
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "verified webhook" in out.stdout and "tampered body is rejected" in out.stdout


@pytest.mark.parametrize("example", ["quickstart.py", "async_quickstart.py"])
def test_quickstarts_run_against_the_mock(mock: Mock, example: str) -> None:
    env = dict(os.environ, SENDIVENT_BASE_URL=mock.url, SENDIVENT_API_KEY="test_examples")
    out = subprocess.run([sys.executable, str(EXAMPLES / example)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
