"""A Flask endpoint that receives Sendivent webhooks.

Run it with ``SENDIVENT_WEBHOOK_SECRET=whsec_... flask --app flask_receiver run``.
"""

from __future__ import annotations

import os
from typing import List

from flask import Flask

import sendivent
from sendivent.webhooks.flask import verified_webhook


def create_app(secret: str) -> Flask:
    """A Flask app with ``POST /webhooks/sendivent``."""
    app = Flask(__name__)
    received: List[sendivent.WebhookEvent] = []
    app.config["RECEIVED"] = received

    @app.post("/webhooks/sendivent")
    @verified_webhook(secret)  # 400 for a bad signature, 200 for a redelivery: the view is not called
    def sendivent_webhook(event: sendivent.WebhookEvent) -> None:
        received.append(event)
        if event.event == "delivery.failed":
            app.logger.error("delivery %s failed: %s", event.delivery.uuid, event.delivery.error)

    return app


if __name__ == "__main__":
    create_app(os.environ["SENDIVENT_WEBHOOK_SECRET"]).run(port=8000)
