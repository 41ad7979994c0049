"""Receiving Sendivent webhooks in FastAPI (or Starlette): a dependency that reads the raw body,
verifies it and gives your endpoint the typed event::

    from fastapi import Depends, FastAPI
    from sendivent import WebhookEvent
    from sendivent.webhooks.fastapi import verified_webhook

    app = FastAPI()
    sendivent_event = verified_webhook(os.environ["SENDIVENT_WEBHOOK_SECRET"])

    @app.post("/webhooks/sendivent", status_code=204)
    def on_sendivent_event(event: WebhookEvent = Depends(sendivent_event)) -> None:
        if event.event == "delivery.failed":
            alert(event.delivery.uuid, event.delivery.error)

A delivery that fails verification is answered 400 with the failed check as ``detail``
(``no_matching_signature``, ``timestamp_too_old``, …), a delivery seen before 200 with
``detail: "duplicate"``, in both cases without calling your endpoint; a replay store that cannot
be reached gets 503, so Sendivent retries.
"""

from __future__ import annotations

from typing import AsyncIterator, Callable, Optional

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from .._models import WebhookEvent
from .._native import ReplayGuard
from . import Secrets
from ._receive import Receiver, Refusal

__all__ = ["verified_webhook"]


def verified_webhook(
    secret: Secrets,
    *,
    replay_guard: Optional[ReplayGuard] = None,
    tolerance: Optional[float] = None,
) -> Callable[[Request], AsyncIterator[WebhookEvent]]:
    """A FastAPI dependency giving the verified :class:`~sendivent.WebhookEvent` of the request.

    ``secret`` is the endpoint's ``whsec_…`` secret (a list while rotating). Deliveries are
    deduplicated by ``replay_guard``: in this process's memory unless you pass one, such as
    ``ReplayGuard.redis(url)`` when several processes receive. ``tolerance`` is the timestamp
    tolerance in seconds (default 300).
    """
    receiver = Receiver(secret, replay_guard=replay_guard, tolerance=tolerance)

    async def sendivent_webhook(request: Request) -> AsyncIterator[WebhookEvent]:
        body = await request.body()
        if receiver.does_io:
            outcome = await run_in_threadpool(receiver.receive, body, request.headers)
        else:
            outcome = receiver.receive(body, request.headers)
        if isinstance(outcome, Refusal):
            raise HTTPException(status_code=outcome.status, detail=outcome.reason)
        try:
            yield outcome
        except BaseException:
            # The endpoint failed after the delivery was recorded: forget it so the retry is
            # handled instead of answered as a duplicate.
            if receiver.does_io:
                await run_in_threadpool(receiver.release, outcome)
            else:
                receiver.release(outcome)
            raise

    return sendivent_webhook
