"""A FastAPI endpoint that receives Sendivent webhooks.

Run it with ``SENDIVENT_WEBHOOK_SECRET=whsec_... uvicorn fastapi_receiver:app``.
"""

from __future__ import annotations

import os
from typing import List

from fastapi import FastAPI, HTTPException, Request, Response

import sendivent
from sendivent import webhooks


def create_app(secret: str) -> FastAPI:
    """A FastAPI app with ``POST /webhooks/sendivent``."""
    app = FastAPI()
    received: List[sendivent.WebhookEvent] = []
    app.state.received = received

    @app.post("/webhooks/sendivent", status_code=204)
    async def sendivent_webhook(request: Request) -> Response:
        body = await request.body()  # the raw bytes, exactly as sent
        try:
            event = webhooks.verify(body, request.headers, secret)
        except sendivent.WebhookVerificationError as err:
            raise HTTPException(status_code=400, detail=err.reason) from err
        received.append(event)
        return Response(status_code=204)

    return app


app = create_app(os.environ.get("SENDIVENT_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
