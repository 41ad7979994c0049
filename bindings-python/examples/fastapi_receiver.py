"""A FastAPI endpoint that receives Sendivent webhooks.

Run it with ``SENDIVENT_WEBHOOK_SECRET=whsec_... uvicorn fastapi_receiver:app``.
"""

from __future__ import annotations

import os
from typing import List

from fastapi import Depends, FastAPI

import sendivent
from sendivent.webhooks.fastapi import verified_webhook


def create_app(secret: str) -> FastAPI:
    """A FastAPI app with ``POST /webhooks/sendivent``."""
    app = FastAPI()
    received: List[sendivent.WebhookEvent] = []
    app.state.received = received
    # Reads the raw body and verifies it: 400 for a bad signature, 200 for a redelivery.
    sendivent_event = verified_webhook(secret)

    @app.post("/webhooks/sendivent", status_code=204)
    def sendivent_webhook(event: sendivent.WebhookEvent = Depends(sendivent_event)) -> None:
        received.append(event)

    return app


app = create_app(os.environ.get("SENDIVENT_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
