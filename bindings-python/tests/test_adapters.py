"""The framework adapters (`sendivent.webhooks.fastapi`, `.flask`, `.django`) with the real
frameworks: each verifies the raw body, gives the handler the typed event, answers 400 with the
failed check, 200 for a delivery seen before (without calling the handler) and 503 when the
replay store fails. The end-to-end tests run each framework's own server on 127.0.0.1, register
it with sendivent-mock, and make a real send so that the mock POSTs a signed webhook to it; then
they replay that exact request and send a tampered copy."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import sys
import threading
import time
import types
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import django
import pytest
import uvicorn
from conftest import API_KEY, Mock
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client as DjangoClient
from django.urls import clear_url_caches, path
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from flask import Flask
from werkzeug.serving import make_server

from sendivent import Sendivent, WebhookEvent, webhooks
from sendivent.webhooks import django as django_adapter
from sendivent.webhooks import fastapi as fastapi_adapter
from sendivent.webhooks import flask as flask_adapter

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OTHER_SECRET = "whsec_c2VuZGl2ZW50LXZlY3Rvci1rZXktbWFpbi0wMDAxISE="
PATH = "/webhooks/sendivent"
EVENT: Dict[str, Any] = {
    "event": "delivery.failed",
    "delivery": {"uuid": "d-1", "channel": "email", "status": "failed", "error": "mailbox full"},
    "request_id": "req_1",
}

#: An app receiving webhooks: built from the endpoint's secret, its replay guard and the list
#: the handler appends each event to; a WSGI or ASGI callable.
AppFactory = Callable[[str, Optional[webhooks.ReplayGuard], List[WebhookEvent]], Any]


def fastapi_app(secret: str, guard: Optional[webhooks.ReplayGuard], received: List[WebhookEvent]) -> FastAPI:
    app = FastAPI()
    sendivent_event = fastapi_adapter.verified_webhook(secret, replay_guard=guard)

    @app.post(PATH, status_code=204)
    def on_sendivent_event(event: WebhookEvent = Depends(sendivent_event)) -> None:
        received.append(event)

    return app


def flask_app(secret: str, guard: Optional[webhooks.ReplayGuard], received: List[WebhookEvent]) -> Flask:
    app = Flask(__name__)

    @app.post(PATH)
    @flask_adapter.verified_webhook(secret, replay_guard=guard)
    def on_sendivent_event(event: WebhookEvent) -> None:
        received.append(event)

    @app.post("/tenants/<tenant>/webhook")
    @flask_adapter.verified_webhook(secret, replay_guard=guard)
    def on_tenant_event(event: WebhookEvent, tenant: str) -> Tuple[str, int]:
        received.append(event)
        return tenant, 202

    return app


#: The URLconf the Django tests install their views in.
DJANGO_URLS = types.ModuleType("sendivent_adapter_test_urls")
DJANGO_URLS.urlpatterns = []  # type: ignore[attr-defined]
sys.modules[DJANGO_URLS.__name__] = DJANGO_URLS


def _django() -> None:
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="sendivent-adapter-tests",
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
            ROOT_URLCONF=DJANGO_URLS.__name__,
            # CSRF is on, as in a default project: the adapter's views must be exempt.
            MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            DATABASES={},
            USE_TZ=True,
        )
        django.setup()


def django_app(secret: str, guard: Optional[webhooks.ReplayGuard], received: List[WebhookEvent]) -> Any:
    _django()

    @django_adapter.verified_webhook(secret, replay_guard=guard)
    def on_sendivent_event(request: Any, event: WebhookEvent) -> None:
        assert request.method == "POST"
        received.append(event)

    DJANGO_URLS.urlpatterns = [path(PATH.lstrip("/"), on_sendivent_event)]  # type: ignore[attr-defined]
    clear_url_caches()
    return get_wsgi_application()


# ------------------------------------------------------------------------------------------
# In-process: each framework's test client
# ------------------------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, text: str) -> None:
        self.status, self.text = status, text


def _poster(framework: str, app: Any) -> Callable[[bytes, Dict[str, str]], Answer]:
    """POSTs through the framework's own test client."""
    if framework == "fastapi":
        client = TestClient(app)

        def post_fastapi(body: bytes, headers: Dict[str, str]) -> Answer:
            r = client.post(PATH, content=body, headers=headers)
            return Answer(r.status_code, r.text)

        return post_fastapi
    if framework == "flask":
        flask_client = app.test_client()

        def post_flask(body: bytes, headers: Dict[str, str]) -> Answer:
            r = flask_client.post(PATH, data=body, headers=headers)
            return Answer(r.status_code, r.get_data(as_text=True))

        return post_flask
    django_client = DjangoClient(enforce_csrf_checks=True)

    def post_django(body: bytes, headers: Dict[str, str]) -> Answer:
        r = django_client.post(PATH, data=body, content_type="application/json", headers=headers)
        return Answer(r.status_code, r.content.decode())

    return post_django


FRAMEWORKS: Dict[str, AppFactory] = {"fastapi": fastapi_app, "flask": flask_app, "django": django_app}


def _reason(framework: str, answer: Answer) -> str:
    return str(json.loads(answer.text)["detail"]) if framework == "fastapi" else answer.text


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_the_handler_gets_the_typed_event_once(framework: str) -> None:
    received: List[WebhookEvent] = []
    post = _poster(framework, FRAMEWORKS[framework]([OTHER_SECRET, SECRET], None, received))
    body, headers = webhooks.sign_event(EVENT, SECRET, msg_id="msg_adapter")
    ok = post(body, headers)
    assert ok.status == 204 and ok.text == ""
    assert len(received) == 1 and isinstance(received[0], WebhookEvent)
    event = received[0]
    assert (event.event, event.delivery.uuid, event.delivery.error) == ("delivery.failed", "d-1", "mailbox full")
    assert event.verified is not None and (event.verified.msg_id, event.verified.secret_index) == ("msg_adapter", 1)
    # The same delivery again (the default in-memory guard): 200, the handler is not called.
    again = post(body, headers)
    assert again.status == 200 and _reason(framework, again) == "duplicate"
    # A redelivery as Sendivent retries: the same id, a fresh timestamp and signature.
    retried = webhooks.sign_event(EVENT, SECRET, msg_id="msg_adapter", timestamp=webhooks._unix_now() + 1)
    assert post(*retried).status == 200
    assert len(received) == 1


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_a_bad_delivery_is_answered_400_with_the_reason(framework: str) -> None:
    received: List[WebhookEvent] = []
    post = _poster(framework, FRAMEWORKS[framework](SECRET, webhooks.ReplayGuard(), received))
    body, headers = webhooks.sign_event(EVENT, SECRET)
    cases = [
        (body.replace(b"mailbox full", b"mailbox fine"), headers, "no_matching_signature"),
        (body, webhooks.sign_event(EVENT, OTHER_SECRET).headers, "no_matching_signature"),
        (body, {k: v for k, v in headers.items() if k != "webhook-signature"}, "missing_header"),
        (body, webhooks.sign_headers(body, SECRET, timestamp=webhooks._unix_now() - 3600), "timestamp_too_old"),
        (b"not json", webhooks.sign_headers(b"not json", SECRET), "invalid_payload"),
    ]
    for sent, sent_headers, reason in cases:
        answer = post(sent, sent_headers)
        assert (answer.status, _reason(framework, answer)) == (400, reason)
    assert received == []
    # A refused delivery is not recorded: the authentic one is handled.
    assert post(body, headers).status == 204 and len(received) == 1


class FailsOnce(List[WebhookEvent]):
    """A handler's event list whose first append raises: the handler fails once."""

    failed = False

    def append(self, event: WebhookEvent) -> None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("the handler failed")
        super().append(event)


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_a_delivery_whose_handler_failed_is_handled_when_retried(framework: str) -> None:
    received = FailsOnce()
    post = _poster(framework, FRAMEWORKS[framework](SECRET, webhooks.ReplayGuard(), received))
    body, headers = webhooks.sign_event(EVENT, SECRET, msg_id="msg_fails_once")
    try:
        first = post(body, headers)
        assert first.status >= 500, "a failed handler is an error answer, so Sendivent retries"
    except RuntimeError:
        pass  # the framework's test client re-raises the handler's exception
    assert received.failed and received == []
    # Sendivent retries: the id was released, so this is handled, not answered as a duplicate.
    assert post(body, headers).status == 204
    assert len(received) == 1
    assert _reason(framework, post(body, headers)) == "duplicate"


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_a_failing_replay_store_is_answered_503(framework: str) -> None:
    def down(key: str, ttl_seconds: float) -> bool:
        raise ConnectionError("store down")

    received: List[WebhookEvent] = []
    post = _poster(framework, FRAMEWORKS[framework](SECRET, webhooks.ReplayGuard.custom(down), received))
    answer = post(*webhooks.sign_event(EVENT, SECRET))
    assert (answer.status, _reason(framework, answer)) == (503, "replay_store_error")
    assert received == []


def test_flask_views_get_the_route_arguments_and_keep_their_answer() -> None:
    received: List[WebhookEvent] = []
    client = flask_app(SECRET, None, received).test_client()
    body, headers = webhooks.sign_event(EVENT, SECRET)
    answer = client.post("/tenants/acme/webhook", data=body, headers=headers)
    assert (answer.status_code, answer.get_data(as_text=True)) == (202, "acme") and len(received) == 1


def test_django_views_take_post_only() -> None:
    django_app(SECRET, None, [])
    assert DjangoClient().get(PATH).status_code == 405


# ------------------------------------------------------------------------------------------
# End to end: each framework's real server, a real send through the SDK, the mock's webhook
# ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


Captured = List[Tuple[bytes, List[Tuple[str, str]]]]


def _capture_wsgi(app: Any, captured: Captured) -> Any:
    """Records each POST's raw body and headers as the server received them."""

    def wrapper(environ: Dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            headers = [(k[5:].replace("_", "-").lower(), v) for k, v in environ.items() if k.startswith("HTTP_")]
            captured.append((body, headers))
        return app(environ, start_response)

    return wrapper


def _capture_asgi(app: Any, captured: Captured) -> Any:
    async def wrapper(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await app(scope, receive, send)  # type: ignore[no-any-return]
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        captured.append((body, [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]))
        delivered = False

        async def replay() -> Dict[str, Any]:
            nonlocal delivered
            if delivered:
                return await receive()  # type: ignore[no-any-return]
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await app(scope, replay, send)  # type: ignore[no-any-return]

    return wrapper


@contextlib.contextmanager
def _serve(framework: str, app: Any, port: int, captured: Captured) -> Iterator[None]:
    """Runs the framework's own server on 127.0.0.1:port in a thread."""
    if framework == "fastapi":
        server = uvicorn.Server(
            uvicorn.Config(
                _capture_asgi(app, captured), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        try:
            yield
        finally:
            server.should_exit = True
            thread.join(10)
        return
    if framework == "flask":
        wsgi = make_server("127.0.0.1", port, _capture_wsgi(app, captured), threaded=True)
    else:
        wsgi = ThreadedWSGIServer(("127.0.0.1", port), WSGIRequestHandler)
        wsgi.set_app(_capture_wsgi(app, captured))
    thread = threading.Thread(target=wsgi.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        wsgi.shutdown()
        wsgi.server_close()
        thread.join(10)


def _post(url: str, body: bytes, headers: List[Tuple[str, str]]) -> Tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST")
    for name, value in headers:
        if name.lower() not in ("host", "content-length", "connection"):
            request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def _eventually(condition: Callable[[], bool], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_end_to_end_a_real_delivery_a_replay_and_a_tampered_copy(mock: Mock, framework: str) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    with Sendivent(API_KEY, base_url=mock.url) as client:
        hook = client.webhooks.create(url, ["delivery.sent"])
        assert hook.signing_secret is not None
        received: List[WebhookEvent] = []
        captured: Captured = []
        app = FRAMEWORKS[framework](hook.signing_secret, None, received)
        with _serve(framework, app, port, captured):
            sent = client.send("invoice.due", to=f"e2e-{framework}@example.com", payload={"amount": 42})
            uuid = sent.deliveries[0].uuid
            assert _eventually(lambda: len(received) == 1), f"no webhook reached the {framework} handler"
            event = received[0]
            assert (event.event, event.delivery.uuid, event.delivery.channel) == ("delivery.sent", uuid, "email")
            assert event.request_id == (sent.last_response.request_id if sent.last_response else None)
            attempts = [a for a in mock.state()["webhook_attempts"] if a["delivery_uuid"] == uuid]
            assert [a["status"] for a in attempts] == [204], attempts
            body, headers = captured[0]
            assert event.verified is not None and ("webhook-id", event.verified.msg_id) in headers

            # The mock's request again, byte for byte: acknowledged, not handled twice.
            status, text = _post(url, body, headers)
            assert status == 200 and "duplicate" in text
            # A tampered copy: refused with the reason.
            status, text = _post(url, body.replace(b"delivery.sent", b"delivery.failed"), headers)
            assert status == 400 and "no_matching_signature" in text
            assert len(received) == 1
