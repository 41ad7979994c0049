"""`make demo`, Python step: send a notification through the mock, receive the signed webhook
it triggers, and verify it.

Needs SENDIVENT_BASE_URL (the mock's URL). Uses SENDIVENT_API_KEY if set, else a test key.
"""

from __future__ import annotations

import http.server
import os
import queue
import sys
import threading
from typing import Dict, Tuple

import sendivent
from sendivent import Sendivent, webhooks


def start_receiver() -> Tuple[str, "queue.Queue[Tuple[bytes, Dict[str, str]]]", http.server.HTTPServer]:
    """A local HTTP endpoint that queues every POST it gets."""
    inbox: "queue.Queue[Tuple[bytes, Dict[str, str]]]" = queue.Queue()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            inbox.put((body, dict(self.headers.items())))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/webhooks/sendivent", inbox, server


def main() -> int:
    if not os.environ.get("SENDIVENT_BASE_URL"):
        print("set SENDIVENT_BASE_URL to the mock's URL", file=sys.stderr)
        return 2
    client = Sendivent(os.environ.get("SENDIVENT_API_KEY") or "test_demo_python")
    url, inbox, server = start_receiver()
    try:
        try:
            existing = client.webhooks.get()
            client.webhooks.delete(existing.uuid)
        except sendivent.NotFoundError:
            pass
        hook = client.webhooks.create(url=url, enabled_events=["delivery.sent", "delivery.delivered"])
        secret = hook.signing_secret
        assert secret is not None
        print(f"[python] webhook endpoint {hook.uuid} -> {url}")

        sent = client.send("user.welcome", to="ada@example.com", channel="email", payload={"message": "from Python"})
        request_id = sent.last_response.request_id if sent.last_response else None
        print(f"[python] sent user.welcome: {[(d.channel, d.uuid) for d in sent.deliveries]} (request {request_id})")

        body, headers = inbox.get(timeout=10)
        event = webhooks.verify(body, headers, secret)
        print(f"[python] verified webhook {headers.get('webhook-id') or headers.get('Webhook-Id')}: "
              f"{event.event} for delivery {event.delivery.uuid} ({event.delivery.channel})")
        try:
            webhooks.verify(body + b" ", headers, secret)
        except sendivent.WebhookVerificationError as err:
            print(f"[python] a tampered body is rejected: {err.reason}")
        client.webhooks.delete(hook.uuid)
        return 0
    finally:
        server.shutdown()
        client.close()


if __name__ == "__main__":
    sys.exit(main())
