"""A Flask endpoint that receives Sendivent webhooks.

Run it with ``SENDIVENT_WEBHOOK_SECRET=whsec_... flask --app flask_receiver run``.
"""

from __future__ import annotations

import os
from typing import List, Tuple

from flask import Flask, request

import sendivent
from sendivent import webhooks


def create_app(secret: str) -> Flask:
    """A Flask app with ``POST /webhooks/sendivent``."""
    app = Flask(__name__)
    received: List[sendivent.WebhookEvent] = []
    app.config["RECEIVED"] = received

    @app.post("/webhooks/sendivent")
    def sendivent_webhook() -> Tuple[str, int]:
        try:
            # The raw body, exactly as sent: never request.json re-serialised.
            event = webhooks.verify(request.get_data(), request.headers, secret)
        except sendivent.WebhookVerificationError as err:
            app.logger.warning("rejected webhook: %s", err.reason)
            return err.reason or err.code, 400  # e.g. "timestamp_too_old"
        received.append(event)
        if event.event == "delivery.failed":
            app.logger.error("delivery %s failed: %s", event.delivery.uuid, event.delivery.error)
        return "", 204

    return app


if __name__ == "__main__":
    create_app(os.environ["SENDIVENT_WEBHOOK_SECRET"]).run(port=8000)
