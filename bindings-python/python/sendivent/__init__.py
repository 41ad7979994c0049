"""The Sendivent Python SDK: multi-channel notifications on a Rust core.

Quick start::

    from sendivent import Sendivent

    client = Sendivent()  # reads SENDIVENT_API_KEY
    sent = client.send("user.welcome", to="ada@example.com", payload={"name": "Ada"})

* :class:`Sendivent` / :class:`AsyncSendivent`: the API clients.
* :mod:`sendivent.webhooks`: verify the webhooks Sendivent sends you.
* :func:`validate_email`, :func:`validate_phone`, :func:`resolve_identifier`: the same
  validation the client applies before sending.
* Exceptions: :class:`SendiventError` and its subclasses, each with a stable ``code``.

Names are imported lazily, so ``import sendivent`` is cheap.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing `typing` alone costs more than the rest of
# this module, and type checkers treat any constant named TYPE_CHECKING as true.
TYPE_CHECKING = False

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typing import Any, List

    from . import webhooks as webhooks
    from ._client import AsyncSendivent as AsyncSendivent
    from ._client import Recipient as Recipient
    from ._client import SendItem as SendItem
    from ._client import Sendivent as Sendivent
    from ._exceptions import APIConnectionError as APIConnectionError
    from ._exceptions import APIError as APIError
    from ._exceptions import APITimeoutError as APITimeoutError
    from ._exceptions import AuthenticationError as AuthenticationError
    from ._exceptions import ConfigurationError as ConfigurationError
    from ._exceptions import ConflictError as ConflictError
    from ._exceptions import InternalError as InternalError
    from ._exceptions import InternalServerError as InternalServerError
    from ._exceptions import InvalidEmailError as InvalidEmailError
    from ._exceptions import InvalidPhoneError as InvalidPhoneError
    from ._exceptions import InvalidRequestError as InvalidRequestError
    from ._exceptions import InvalidResponseError as InvalidResponseError
    from ._exceptions import NotFoundError as NotFoundError
    from ._exceptions import PermissionDeniedError as PermissionDeniedError
    from ._exceptions import ProviderError as ProviderError
    from ._exceptions import QuotaExceededError as QuotaExceededError
    from ._exceptions import RateLimitError as RateLimitError
    from ._exceptions import SendFailedError as SendFailedError
    from ._exceptions import SendiventError as SendiventError
    from ._exceptions import ValidationError as ValidationError
    from ._exceptions import WebhookVerificationError as WebhookVerificationError
    from ._models import Acknowledged as Acknowledged
    from ._models import Contact as Contact
    from ._models import ContactList as ContactList
    from ._models import Deleted as Deleted
    from ._models import Delivery as Delivery
    from ._models import DeliveryList as DeliveryList
    from ._models import DeliveryRef as DeliveryRef
    from ._models import DeliveryTrace as DeliveryTrace
    from ._models import Event as Event
    from ._models import EventList as EventList
    from ._models import Integration as Integration
    from ._models import IntegrationList as IntegrationList
    from ._models import RateLimit as RateLimit
    from ._models import ResponseMeta as ResponseMeta
    from ._models import SendResult as SendResult
    from ._models import Template as Template
    from ._models import TimelineEntry as TimelineEntry
    from ._models import WebhookConfig as WebhookConfig
    from ._native import Identifier as Identifier
    from ._native import WebhookDelivery as WebhookDelivery
    from ._native import WebhookEvent as WebhookEvent
    from ._native import resolve_identifier as resolve_identifier
    from ._native import validate_email as validate_email
    from ._native import validate_phone as validate_phone

# Where each public name lives; imported on first access (PEP 562).
_WHERE = {
    "Sendivent": "._client",
    "AsyncSendivent": "._client",
    "Recipient": "._client",
    "SendItem": "._client",
    "SendiventError": "._exceptions",
    "APIError": "._exceptions",
    "ValidationError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "QuotaExceededError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "NotFoundError": "._exceptions",
    "ConflictError": "._exceptions",
    "RateLimitError": "._exceptions",
    "InternalServerError": "._exceptions",
    "ProviderError": "._exceptions",
    "InvalidResponseError": "._exceptions",
    "SendFailedError": "._exceptions",
    "APIConnectionError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "InvalidRequestError": "._exceptions",
    "InvalidEmailError": "._exceptions",
    "InvalidPhoneError": "._exceptions",
    "ConfigurationError": "._exceptions",
    "WebhookVerificationError": "._exceptions",
    "InternalError": "._exceptions",
    "Acknowledged": "._models",
    "Contact": "._models",
    "ContactList": "._models",
    "Deleted": "._models",
    "Delivery": "._models",
    "DeliveryList": "._models",
    "DeliveryRef": "._models",
    "DeliveryTrace": "._models",
    "Event": "._models",
    "EventList": "._models",
    "Integration": "._models",
    "IntegrationList": "._models",
    "RateLimit": "._models",
    "ResponseMeta": "._models",
    "SendResult": "._models",
    "Template": "._models",
    "TimelineEntry": "._models",
    "WebhookConfig": "._models",
    "Identifier": "._native",
    "WebhookDelivery": "._native",
    "WebhookEvent": "._native",
    "resolve_identifier": "._native",
    "validate_email": "._native",
    "validate_phone": "._native",
}

__all__ = [
    "__version__",
    "webhooks",
    "Sendivent",
    "AsyncSendivent",
    "Recipient",
    "SendItem",
    "SendiventError",
    "APIError",
    "ValidationError",
    "AuthenticationError",
    "QuotaExceededError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "InternalServerError",
    "ProviderError",
    "InvalidResponseError",
    "SendFailedError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidRequestError",
    "InvalidEmailError",
    "InvalidPhoneError",
    "ConfigurationError",
    "WebhookVerificationError",
    "InternalError",
    "Acknowledged",
    "Contact",
    "ContactList",
    "Deleted",
    "Delivery",
    "DeliveryList",
    "DeliveryRef",
    "DeliveryTrace",
    "Event",
    "EventList",
    "Integration",
    "IntegrationList",
    "RateLimit",
    "ResponseMeta",
    "SendResult",
    "Template",
    "TimelineEntry",
    "WebhookConfig",
    "Identifier",
    "WebhookDelivery",
    "WebhookEvent",
    "resolve_identifier",
    "validate_email",
    "validate_phone",
]


def __getattr__(name: str) -> Any:
    import importlib

    if name == "webhooks":
        return importlib.import_module(".webhooks", __name__)
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sendivent' has no attribute {name!r}")

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(__all__)
