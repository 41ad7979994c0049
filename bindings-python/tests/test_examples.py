"""The examples are tested: the Flask and FastAPI receivers, and the demo against the mock."""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Tuple

import pytest
from conftest import Mock
from fastapi.testclient import TestClient

from sendivent import webhooks

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
    body, headers = webhooks.sign_event(EVENT, SECRET)
    ok = http.post("/webhooks/sendivent", data=body, headers=headers)
    assert ok.status_code == 204
    assert [e.delivery.error for e in app.config["RECEIVED"]] == ["mailbox full"]
    again = http.post("/webhooks/sendivent", data=body, headers=headers)
    assert (again.status_code, again.get_data(as_text=True)) == (200, "duplicate")
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
    body, headers = webhooks.sign_event(EVENT, SECRET)
    upper = {k.upper(): v for k, v in headers.items()}
    assert http.post("/webhooks/sendivent", content=body, headers=upper).status_code == 204
    assert app.state.received[0].event == "delivery.failed"
    tampered = http.post("/webhooks/sendivent", content=body.replace(b"full", b"fine"), headers=upper)
    assert tampered.status_code == 400 and tampered.json() == {"detail": "no_matching_signature"}
    again = http.post("/webhooks/sendivent", content=body, headers=upper)
    assert again.status_code == 200 and again.json() == {"detail": "duplicate"}
    assert len(app.state.received) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _post(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_django_receiver_on_runserver() -> None:
    """The one-file Django project, on Django's own development server."""
    port = _free_port()
    env = dict(os.environ, SENDIVENT_WEBHOOK_SECRET=SECRET, PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "django_receiver.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/webhooks/sendivent"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.05)
        body, headers = webhooks.sign_event(EVENT, SECRET)
        assert _post(url, body, headers) == (204, "")
        assert _post(url, body, headers) == (200, "duplicate")
        assert _post(url, body.replace(b"full", b"fine"), headers) == (400, "no_matching_signature")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=10)
    assert out.count("received delivery.failed for delivery d-1") == 1, (out, err)


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
    assert "verified webhook msg_" in out.stdout
    assert "not handled twice: 200 duplicate" in out.stdout
    assert "tampered body is rejected: 400 no_matching_signature" in out.stdout


@pytest.mark.parametrize("example", ["quickstart.py", "async_quickstart.py"])
def test_quickstarts_run_against_the_mock(mock: Mock, example: str) -> None:
    env = dict(os.environ, SENDIVENT_BASE_URL=mock.url, SENDIVENT_API_KEY="test_examples")
    out = subprocess.run([sys.executable, str(EXAMPLES / example)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
