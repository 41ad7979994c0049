"""`make demo`, Python step: send a notification through the mock and receive the signed webhook
it triggers on a real Flask server with the SDK's adapter (`sendivent.webhooks.flask`), which
verifies it, hands the typed event to the view, ignores a redelivery and refuses a tampered copy.

Needs SENDIVENT_BASE_URL (the mock's URL). Uses SENDIVENT_API_KEY if set, else a test key.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import sys
import threading
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Iterable, List, Tuple

from flask import Flask
from werkzeug.serving import make_server

import sendivent
from sendivent import Sendivent
from sendivent.webhooks.flask import verified_webhook

#: A request as it arrived: the raw body and the headers.
Delivery = Tuple[bytes, List[Tuple[str, str]]]


def receiver(secret: str, events: queue.Queue[sendivent.WebhookEvent], arrived: queue.Queue[Delivery]) -> Any:
    """The Flask app receiving the webhooks, as a WSGI app that also keeps each raw request (so
    the demo can send one again)."""
    app = Flask("sendivent-demo")

    @app.post("/webhooks/sendivent")
    @verified_webhook(secret)
    def sendivent_webhook(event: sendivent.WebhookEvent) -> None:
        events.put(event)

    def keep_raw(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        arrived.put((body, [(k[5:].replace("_", "-").lower(), v) for k, v in environ.items() if k.startswith("HTTP_")]))
        return app(environ, start_response)

    return keep_raw


def post(url: str, body: bytes, headers: List[Tuple[str, str]]) -> Tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST")
    for name, value in headers:
        if name not in ("host", "content-length", "connection"):
            request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def main() -> int:
    if not os.environ.get("SENDIVENT_BASE_URL"):
        print("set SENDIVENT_BASE_URL to the mock's URL", file=sys.stderr)
        return 2
    # The adapter logs what it refuses (sendivent.webhooks); no access log lines in the demo.
    logging.basicConfig(format="[python] log %(levelname)s %(name)s: %(message)s", stream=sys.stdout)
    logging.getLogger("sendivent.webhooks").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    client = Sendivent(os.environ.get("SENDIVENT_API_KEY") or "test_demo_python")
    try:
        existing = client.webhooks.get()
        client.webhooks.delete(existing.uuid)
    except sendivent.NotFoundError:
        pass
    events: queue.Queue[sendivent.WebhookEvent] = queue.Queue()
    arrived: queue.Queue[Delivery] = queue.Queue()
    # Bind first (port 0: a free one), so that the endpoint's URL is known when registering it.
    server = make_server("127.0.0.1", 0, lambda e, s: [])
    url = f"http://127.0.0.1:{server.server_port}/webhooks/sendivent"
    try:
        hook = client.webhooks.create(url, ["delivery.sent", "delivery.delivered"])
        assert hook.signing_secret is not None
        server.app = receiver(hook.signing_secret, events, arrived)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"[python] Flask endpoint {url} registered as webhook {hook.uuid}")

        sent = client.send("user.welcome", to="ada@example.com", channel="email", payload={"message": "from Python"})
        request_id = sent.last_response.request_id if sent.last_response else None
        print(f"[python] sent user.welcome: {[(d.channel, d.uuid) for d in sent.deliveries]} (request {request_id})")

        event = events.get(timeout=10)
        assert event.verified is not None
        print(
            f"[python] verified webhook {event.verified.msg_id}: {event.event} for delivery "
            f"{event.delivery.uuid} ({event.delivery.channel}), signed by {event.verified.secret_fingerprint}"
        )
        body, headers = arrived.get(timeout=10)
        status, text = post(url, body, headers)
        print(f"[python] the same delivery again is acknowledged and not handled twice: {status} {text}")
        status, text = post(url, body.replace(b'"email"', b'"sms"'), headers)
        print(f"[python] a tampered body is rejected: {status} {text}")
        client.webhooks.delete(hook.uuid)
        return 0
    finally:
        server.shutdown()
        client.close()


if __name__ == "__main__":
    sys.exit(main())
