"""Receiving Sendivent webhooks in Flask: a view decorator that verifies the raw body and calls
your view with the typed event::

    from flask import Flask
    from sendivent import WebhookEvent
    from sendivent.webhooks.flask import verified_webhook

    app = Flask(__name__)

    @app.post("/webhooks/sendivent")
    @verified_webhook(os.environ["SENDIVENT_WEBHOOK_SECRET"])
    def on_sendivent_event(event: WebhookEvent) -> None:
        if event.event == "delivery.failed":
            alert(event.delivery.uuid, event.delivery.error)

The view gets the event first, then the route's arguments; returning ``None`` answers 204. A
delivery that fails verification is answered 400 with the failed check as text
(``no_matching_signature``, ``timestamp_too_old``, …), a delivery seen before 200
``duplicate``, in both cases without calling your view; a replay store that cannot be reached
gets 503, so Sendivent retries.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from flask import Response, request

from .._native import ReplayGuard
from . import Secrets
from ._receive import Receiver, Refusal

__all__ = ["verified_webhook"]


def verified_webhook(
    secret: Secrets,
    *,
    replay_guard: Optional[ReplayGuard] = None,
    tolerance: Optional[float] = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for the Flask view receiving Sendivent's webhooks.

    ``secret`` is the endpoint's ``whsec_…`` secret (a list while rotating). Deliveries are
    deduplicated by ``replay_guard``: in this process's memory unless you pass one, such as
    ``ReplayGuard.redis(url)`` when several processes receive. ``tolerance`` is the timestamp
    tolerance in seconds (default 300).
    """
    receiver = Receiver(secret, replay_guard=replay_guard, tolerance=tolerance)

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def view(*args: Any, **kwargs: Any) -> Any:
            outcome = receiver.receive(request.get_data(), request.headers)
            if isinstance(outcome, Refusal):
                return Response(outcome.reason, status=outcome.status, mimetype="text/plain")
            try:
                answer = handler(outcome, *args, **kwargs)
            except BaseException:
                # The delivery was recorded when verified; forget it so the retry is handled.
                receiver.release(outcome)
                raise
            return Response(status=204) if answer is None else answer

        return view

    return decorate
