"""A Django endpoint that receives Sendivent webhooks, as a one-file project.

Run it with ``SENDIVENT_WEBHOOK_SECRET=whsec_... python django_receiver.py runserver``. In a
project, the view goes in your app's ``views.py`` and the secret in your settings.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from django.conf import settings  # type: ignore[import-untyped]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-receiver-example",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        SENDIVENT_WEBHOOK_SECRET=os.environ["SENDIVENT_WEBHOOK_SECRET"],
    )

from django.urls import path  # type: ignore[import-untyped]

import sendivent
from sendivent.webhooks.django import verified_webhook

log = logging.getLogger(__name__)


# POST only, CSRF-exempt; 400 for a bad signature, 200 for a redelivery: the view is not called.
@verified_webhook(settings.SENDIVENT_WEBHOOK_SECRET)
def sendivent_webhook(request: Any, event: sendivent.WebhookEvent) -> None:
    print(f"received {event.event} for delivery {event.delivery.uuid}", flush=True)
    if event.event == "delivery.failed":
        log.error("delivery %s failed: %s", event.delivery.uuid, event.delivery.error)


urlpatterns = [path("webhooks/sendivent", sendivent_webhook)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line  # type: ignore[import-untyped]

    execute_from_command_line(sys.argv)
