"""The synchronous :class:`Sendivent` and asynchronous :class:`AsyncSendivent` clients.

Both are thin: arguments are passed to the Rust core (``sendivent._native``), which validates
them, sends the request with retries and idempotency, and decodes the answer; this module turns
the answer into the typed classes of :mod:`sendivent._models`.
"""

from __future__ import annotations

import os
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _native
from ._exceptions import SendiventError
from ._models import (
    Acknowledged,
    APIObject,
    Contact,
    ContactList,
    Deleted,
    Delivery,
    DeliveryList,
    DeliveryTrace,
    Event,
    EventList,
    IntegrationList,
    SendResult,
    WebhookConfig,
)

__all__ = ["Sendivent", "AsyncSendivent", "Recipient", "SendItem"]

T = TypeVar("T")
_M = TypeVar("_M", bound=APIObject)
_B = TypeVar("_B", bound="_Base")

#: One recipient: an identifier string (email, E.164 phone, UUID, external id, Slack user id,
#: ``#channel``) or a contact dict (``email``, ``phone``, ``name``, ``external_id``, … plus any
#: custom field, kept in the contact's ``meta``).
Recipient = Union[str, Mapping[str, Any]]

#: One item of ``send_many``: a dict with the keyword arguments of ``send`` plus ``event``.
SendItem = Mapping[str, Any]

_ENV_LOG = "SENDIVENT_LOG"


def _log_settings() -> Tuple[Optional[Callable[[int, str], None]], Optional[str]]:
    """Routes the core's request log to the ``sendivent`` logger when ``SENDIVENT_LOG`` is
    ``debug``/``info`` or when that logger is enabled for INFO or DEBUG."""
    level = os.environ.get(_ENV_LOG, "").strip().lower()
    import logging

    logger = logging.getLogger("sendivent")
    if level in ("debug", "info"):
        if logger.level == logging.NOTSET and not logger.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
        return logger.log, level
    if logger.isEnabledFor(logging.DEBUG):
        return logger.log, "debug"
    if logger.isEnabledFor(logging.INFO):
        return logger.log, "info"
    return None, None


def _drop_none(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _send_request(
    to: Union[Recipient, Sequence[Recipient], None],
    payload: Optional[Mapping[str, Any]],
    language: Optional[str],
    from_: Optional[str],
    overrides: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    request: Dict[str, Any] = {"payload": {} if payload is None else payload}
    if to is not None:
        request["to"] = to
    if language is not None:
        request["language"] = language
    if from_ is not None:
        request["from"] = from_
    if overrides is not None:
        request["overrides"] = overrides
    return request


def _send_item(item: SendItem) -> Dict[str, Any]:
    allowed = {"event", "to", "payload", "channel", "language", "from_", "overrides", "idempotency_key"}
    unknown = set(item) - allowed
    if unknown:
        raise TypeError(f"send_many items take {sorted(allowed)}; unknown keys {sorted(unknown)}")
    return _drop_none(
        {
            "event": item["event"],
            "channel": item.get("channel"),
            "idempotency_key": item.get("idempotency_key"),
            "request": _send_request(
                item.get("to"), item.get("payload"), item.get("language"), item.get("from_"), item.get("overrides")
            ),
        }
    )


def _contact_fields(
    email: Optional[str],
    phone: Optional[str],
    name: Optional[str],
    external_id: Optional[str],
    avatar: Optional[str],
    username: Optional[str],
    slack: Optional[str],
    telegram: Optional[str],
    discord: Optional[str],
    fields: Mapping[str, Any],
) -> Dict[str, Any]:
    contact = _drop_none(
        {
            "email": email,
            "phone": phone,
            "name": name,
            "externalId": external_id,
            "avatar": avatar,
            "username": username,
            "slack": slack,
            "telegram": telegram,
            "discord": discord,
        }
    )
    contact.update(fields)
    return contact


def _bulk_results(raw: List[Tuple[bool, Any]]) -> List[Union[SendResult, SendiventError]]:
    out: List[Union[SendResult, SendiventError]] = []
    for ok, value in raw:
        if ok:
            data, meta = value
            out.append(SendResult._from(data)._with_response(meta))
        else:
            out.append(value)
    return out


class _Base:
    _native_client: Optional[_native.NativeClient]
    _options: Dict[str, Any]

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        rate_limit: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        log, log_level = _log_settings()
        self._native_client = _native.NativeClient(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            rate_limit=rate_limit,
            default_headers=list(default_headers.items()) if default_headers else None,
            log=log,
            log_level=log_level,
        )
        self._options = {}

    @property
    def base_url(self) -> str:
        """The base URL requests go to (from ``base_url``, ``SENDIVENT_BASE_URL`` or the key)."""
        return self._native.base_url

    @property
    def key_mode(self) -> str:
        """``"live"`` for production keys, ``"test"`` for sandbox keys."""
        return self._native.key_mode

    @property
    def _native(self) -> _native.NativeClient:
        native = self._native_client
        if native is None:
            raise SendiventError("the client is closed", code="INVALID_ARGUMENT", message="the client is closed")
        return native

    def _copy_with(self: _B, options: Dict[str, Any]) -> _B:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        merged = dict(self._options)
        if "extra_headers" in options and "extra_headers" in merged:
            options = dict(options, extra_headers=list(merged["extra_headers"]) + list(options["extra_headers"]))
        merged.update(options)
        clone._options = merged
        clone._init_resources()
        return clone

    def _init_resources(self) -> None:
        raise NotImplementedError

    def _call_options(
        self,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Optional[Dict[str, Any]]:
        if idempotency_key is None and timeout is None and max_retries is None and extra_headers is None:
            return self._options or None
        options = dict(self._options)
        if idempotency_key is not None:
            options["idempotency_key"] = idempotency_key
        if timeout is not None:
            options["timeout"] = timeout
        if max_retries is not None:
            options["max_retries"] = max_retries
        if extra_headers is not None:
            options["extra_headers"] = list(options.get("extra_headers", [])) + list(extra_headers.items())
        return options

    def __repr__(self) -> str:
        if self._native_client is None:
            return f"{type(self).__name__}(closed)"
        return f"{type(self).__name__}(base_url={self.base_url!r}, key_mode={self.key_mode!r})"


# --------------------------------------------------------------------------------------------
# Synchronous client
# --------------------------------------------------------------------------------------------


class SyncPage(Generic[T]):
    """An auto-paginating iterator: fetches pages on demand, walking ``offset`` until ``total``."""

    def __init__(self, pager: _native.NativePaginator, wrap: Callable[[Any], T]) -> None:
        self._pager = pager
        self._wrap = wrap

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        item = self._pager.next_item()
        if item is None:
            raise StopIteration
        return self._wrap(item)


class Contacts:
    """``client.contacts``: list, search, get, create, update, delete, push tokens."""

    def __init__(self, client: Sendivent) -> None:
        self._client = client

    def list(self, *, limit: Optional[int] = None, offset: Optional[int] = None, search: Optional[str] = None) -> ContactList:
        """``GET /v1/contacts``: one page (``limit`` ≤ 100, default 50)."""
        args = _drop_none({"limit": limit, "offset": offset, "search": search})
        return self._client._request("contacts.list", args, ContactList._from)

    def list_all(self, *, search: Optional[str] = None, limit: Optional[int] = None) -> SyncPage[Contact]:
        """Every contact (matching ``search``), fetched page by page as you iterate."""
        pager = self._client._native.paginate(
            "contacts", _drop_none({"search": search, "limit": limit}), self._client._call_options()
        )
        return SyncPage(pager, Contact._from)

    def get(self, identifier: str) -> Contact:
        """``GET /v1/contacts/{identifier}``: by email, phone, UUID, external id or Slack user id."""
        return self._client._request("contacts.get", {"identifier": identifier}, Contact._from)

    def create(
        self,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        name: Optional[str] = None,
        external_id: Optional[str] = None,
        avatar: Optional[str] = None,
        username: Optional[str] = None,
        slack: Optional[str] = None,
        telegram: Optional[str] = None,
        discord: Optional[str] = None,
        **fields: Any,
    ) -> Contact:
        """``POST /v1/contacts``. Needs email, phone or external id; other keywords go to ``meta``."""
        contact = _contact_fields(email, phone, name, external_id, avatar, username, slack, telegram, discord, fields)
        return self._client._request("contacts.create", {"contact": contact}, Contact._from)

    def update(
        self,
        identifier: str,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        name: Optional[str] = None,
        external_id: Optional[str] = None,
        avatar: Optional[str] = None,
        username: Optional[str] = None,
        slack: Optional[str] = None,
        telegram: Optional[str] = None,
        discord: Optional[str] = None,
        **fields: Any,
    ) -> Contact:
        """``PATCH /v1/contacts/{identifier}``: only the fields given change."""
        changes = _contact_fields(email, phone, name, external_id, avatar, username, slack, telegram, discord, fields)
        return self._client._request("contacts.update", {"identifier": identifier, "changes": changes}, Contact._from)

    def delete(self, identifier: str) -> Deleted:
        """``DELETE /v1/contacts/{identifier}``: hard delete."""
        return self._client._request("contacts.delete", {"identifier": identifier}, Deleted._from)

    def add_push_token(self, identifier: str, token: str) -> Acknowledged:
        """``POST /v1/contacts/{identifier}/push-tokens``."""
        args = {"identifier": identifier, "token": token}
        return self._client._request("contacts.add_push_token", args, Acknowledged._from)

    def remove_push_token(self, identifier: str, token: str) -> Acknowledged:
        """``DELETE /v1/contacts/{identifier}/push-tokens``."""
        args = {"identifier": identifier, "token": token}
        return self._client._request("contacts.remove_push_token", args, Acknowledged._from)


class Events:
    """``client.events``: the application's notification events."""

    def __init__(self, client: Sendivent) -> None:
        self._client = client

    def list(self) -> EventList:
        """``GET /v1/events``."""
        return self._client._request("events.list", {}, EventList._from)

    def get(self, identifier: str) -> Event:
        """``GET /v1/events/{identifier}``: with templates and channel settings."""
        return self._client._request("events.get", {"identifier": identifier}, Event._from)


class Deliveries:
    """``client.deliveries``: delivery history and traces."""

    def __init__(self, client: Sendivent) -> None:
        self._client = client

    def list(
        self,
        *,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        event: Optional[str] = None,
        channel: Optional[str] = None,
        status: Optional[str] = None,
    ) -> DeliveryList:
        """``GET /v1/deliveries``: one page, newest first (``limit`` default 20)."""
        args = _drop_none({"limit": limit, "offset": offset, "event": event, "channel": channel, "status": status})
        return self._client._request("deliveries.list", args, DeliveryList._from)

    def list_all(
        self,
        *,
        event: Optional[str] = None,
        channel: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> SyncPage[Delivery]:
        """Every matching delivery, fetched page by page as you iterate."""
        args = _drop_none({"event": event, "channel": channel, "status": status, "limit": limit})
        pager = self._client._native.paginate("deliveries", args, self._client._call_options())
        return SyncPage(pager, Delivery._from)

    def trace(self, uuid: str) -> DeliveryTrace:
        """``GET /v1/deliveries/{uuid}/trace``: the delivery, its timeline and content."""
        return self._client._request("deliveries.trace", {"uuid": uuid}, DeliveryTrace._from)


class Integrations:
    """``client.integrations``: configured channel providers."""

    def __init__(self, client: Sendivent) -> None:
        self._client = client

    def list(self, *, channel: Optional[str] = None) -> IntegrationList:
        """``GET /v1/integrations``, optionally for one channel. Secrets are never returned."""
        return self._client._request("integrations.list", _drop_none({"channel": channel}), IntegrationList._from)


class Webhooks:
    """``client.webhooks``: the application's webhook endpoint (one per application)."""

    def __init__(self, client: Sendivent) -> None:
        self._client = client

    def create(self, *, url: str, enabled_events: Sequence[str], description: Optional[str] = None) -> WebhookConfig:
        """``POST /v1/webhooks``: the answer has the ``signing_secret``. A second one is a 409."""
        args = _drop_none({"url": url, "enabled_events": list(enabled_events), "description": description})
        return self._client._request("webhooks.create", args, WebhookConfig._from)

    def get(self) -> WebhookConfig:
        """``GET /v1/webhooks``: the application's webhook (404 when there is none)."""
        return self._client._request("webhooks.get", {}, WebhookConfig._from)

    def update(
        self,
        uuid: str,
        *,
        url: Optional[str] = None,
        enabled_events: Optional[Sequence[str]] = None,
        is_active: Optional[bool] = None,
    ) -> WebhookConfig:
        """``PATCH /v1/webhooks/{uuid}``: only the fields given change."""
        changes = _drop_none(
            {"url": url, "enabled_events": list(enabled_events) if enabled_events is not None else None, "is_active": is_active}
        )
        return self._client._request("webhooks.update", {"uuid": uuid, "changes": changes}, WebhookConfig._from)

    def delete(self, uuid: str) -> Deleted:
        """``DELETE /v1/webhooks/{uuid}``."""
        return self._client._request("webhooks.delete", {"uuid": uuid}, Deleted._from)


class Sendivent(_Base):
    """The synchronous Sendivent client. Safe to share between threads.

    Args:
        api_key: ``live_…`` or ``test_…``; default ``SENDIVENT_API_KEY``.
        base_url: Override of the API URL; default ``SENDIVENT_BASE_URL``, else chosen by the
            key's prefix (production or sandbox).
        timeout: Seconds per attempt. Default 30.
        max_retries: Retries after the first attempt for connection errors, timeouts, 408, 429
            and 5xx (with backoff and ``Retry-After``). Default 2.
        allow_insecure_http: Allow plain ``http://`` to hosts other than loopback (e.g. a mock
            in a container network). Default False.
        rate_limit: Client-side limit in requests per second (default: none).
        default_headers: Headers added to every request.

    Example::

        from sendivent import Sendivent

        with Sendivent() as client:  # SENDIVENT_API_KEY
            sent = client.send("order.shipped", to="ada@example.com", payload={"order": 1042})
            print(sent.deliveries, sent.last_response.request_id)
    """

    contacts: Contacts
    """Contacts: list, search, get, create, update, delete, push tokens."""
    events: Events
    """Notification events."""
    deliveries: Deliveries
    """Deliveries and their traces."""
    integrations: Integrations
    """Channel integrations."""
    webhooks: Webhooks
    """The webhook endpoint configuration (verifying received webhooks: ``sendivent.webhooks``)."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        rate_limit: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            rate_limit=rate_limit,
            default_headers=default_headers,
        )
        self._init_resources()

    def _init_resources(self) -> None:
        self.contacts = Contacts(self)
        self.events = Events(self)
        self.deliveries = Deliveries(self)
        self.integrations = Integrations(self)
        self.webhooks = Webhooks(self)

    def _request(self, op: str, args: Any, wrap: Callable[[Any], _M], options: Optional[Dict[str, Any]] = None) -> _M:
        data, meta = self._native.call(op, args, options if options is not None else (self._options or None))
        return wrap(data)._with_response(meta)

    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Sendivent:
        """A client sharing this one's connections whose calls use these overrides::

        client.with_options(timeout=5, max_retries=0).events.list()
        """
        return self._copy_with(
            _drop_none(
                {
                    "timeout": timeout,
                    "max_retries": max_retries,
                    "extra_headers": list(extra_headers.items()) if extra_headers else None,
                }
            )
        )

    def send(
        self,
        event: str,
        *,
        to: Union[Recipient, Sequence[Recipient], None] = None,
        payload: Optional[Mapping[str, Any]] = None,
        channel: Optional[str] = None,
        language: Optional[str] = None,
        from_: Optional[str] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SendResult:
        """Sends ``event`` (``POST /v1/send/{event}[/{channel}]``).

        Args:
            event: The event name, e.g. ``"order.shipped"``.
            to: An identifier string, a contact dict, or a list of them; leave out to send to
                the event's configured listeners.
            payload: Template variables (``{{payload.key}}``).
            channel: Send on this channel only (``email``, ``sms``, ``slack``, ``push``,
                ``telegram``, ``whatsapp``, ``discord``).
            language: Template language, e.g. ``"sv"``.
            from_: Sender override (must be verified).
            overrides: Channel-specific overrides.
            idempotency_key: Your key for this send (e.g. ``"order-1042-shipped"``); one is
                generated otherwise. Retries reuse it, so a retried send never notifies twice.
            timeout, max_retries, extra_headers: Overrides for this call.

        Returns:
            The created deliveries; ``result.last_response`` has the request id and
            ``result.idempotent_replay`` says whether the server answered from its idempotency store.

        Raises:
            InvalidEmailError, InvalidPhoneError, InvalidRequestError: before anything is sent.
            SendFailedError: the API answered ``success: false`` (see ``errors``).
            APIError: any other error answer, as its status's subclass.
            APIConnectionError, APITimeoutError: after the retries were used up.
        """
        args = _drop_none({"event": event, "channel": channel, "request": _send_request(to, payload, language, from_, overrides)})
        options = self._call_options(idempotency_key, timeout, max_retries, extra_headers)
        return self._request("send", args, SendResult._from, options)

    def send_many(self, items: Iterable[SendItem], *, concurrency: int = 8) -> List[Union[SendResult, SendiventError]]:
        """Sends many notifications with at most ``concurrency`` in flight.

        Each item is a dict with ``event`` and the keyword arguments of :meth:`send`. Returns one
        entry per item, in order: the :class:`SendResult`, or the exception that send raised
        (nothing is raised for a single failed item). Each item has its own idempotency key.
        """
        raw = self._native.send_many([_send_item(i) for i in items], concurrency, self._options or None)
        return _bulk_results(raw)

    def close(self) -> None:
        """Releases the client's connections. Further calls raise."""
        self._native_client = None

    def __enter__(self) -> Sendivent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------------------------
# Asynchronous client
# --------------------------------------------------------------------------------------------


class AsyncPage(Generic[T]):
    """An auto-paginating async iterator (``async for``): fetches pages on demand."""

    def __init__(self, pager: _native.NativePaginator, wrap: Callable[[Any], T]) -> None:
        self._pager = pager
        self._wrap = wrap

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        item = await self._pager.next_item_async()
        if item is None:
            raise StopAsyncIteration
        return self._wrap(item)


class AsyncContacts:
    """``client.contacts`` of :class:`AsyncSendivent`."""

    def __init__(self, client: AsyncSendivent) -> None:
        self._client = client

    async def list(
        self, *, limit: Optional[int] = None, offset: Optional[int] = None, search: Optional[str] = None
    ) -> ContactList:
        """``GET /v1/contacts``: one page (``limit`` ≤ 100, default 50)."""
        args = _drop_none({"limit": limit, "offset": offset, "search": search})
        return await self._client._request("contacts.list", args, ContactList._from)

    def list_all(self, *, search: Optional[str] = None, limit: Optional[int] = None) -> AsyncPage[Contact]:
        """Every contact (matching ``search``): ``async for contact in client.contacts.list_all()``."""
        pager = self._client._native.paginate(
            "contacts", _drop_none({"search": search, "limit": limit}), self._client._call_options()
        )
        return AsyncPage(pager, Contact._from)

    async def get(self, identifier: str) -> Contact:
        """``GET /v1/contacts/{identifier}``."""
        return await self._client._request("contacts.get", {"identifier": identifier}, Contact._from)

    async def create(
        self,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        name: Optional[str] = None,
        external_id: Optional[str] = None,
        avatar: Optional[str] = None,
        username: Optional[str] = None,
        slack: Optional[str] = None,
        telegram: Optional[str] = None,
        discord: Optional[str] = None,
        **fields: Any,
    ) -> Contact:
        """``POST /v1/contacts``. Needs email, phone or external id; other keywords go to ``meta``."""
        contact = _contact_fields(email, phone, name, external_id, avatar, username, slack, telegram, discord, fields)
        return await self._client._request("contacts.create", {"contact": contact}, Contact._from)

    async def update(
        self,
        identifier: str,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        name: Optional[str] = None,
        external_id: Optional[str] = None,
        avatar: Optional[str] = None,
        username: Optional[str] = None,
        slack: Optional[str] = None,
        telegram: Optional[str] = None,
        discord: Optional[str] = None,
        **fields: Any,
    ) -> Contact:
        """``PATCH /v1/contacts/{identifier}``: only the fields given change."""
        changes = _contact_fields(email, phone, name, external_id, avatar, username, slack, telegram, discord, fields)
        args = {"identifier": identifier, "changes": changes}
        return await self._client._request("contacts.update", args, Contact._from)

    async def delete(self, identifier: str) -> Deleted:
        """``DELETE /v1/contacts/{identifier}``."""
        return await self._client._request("contacts.delete", {"identifier": identifier}, Deleted._from)

    async def add_push_token(self, identifier: str, token: str) -> Acknowledged:
        """``POST /v1/contacts/{identifier}/push-tokens``."""
        args = {"identifier": identifier, "token": token}
        return await self._client._request("contacts.add_push_token", args, Acknowledged._from)

    async def remove_push_token(self, identifier: str, token: str) -> Acknowledged:
        """``DELETE /v1/contacts/{identifier}/push-tokens``."""
        args = {"identifier": identifier, "token": token}
        return await self._client._request("contacts.remove_push_token", args, Acknowledged._from)


class AsyncEvents:
    """``client.events`` of :class:`AsyncSendivent`."""

    def __init__(self, client: AsyncSendivent) -> None:
        self._client = client

    async def list(self) -> EventList:
        """``GET /v1/events``."""
        return await self._client._request("events.list", {}, EventList._from)

    async def get(self, identifier: str) -> Event:
        """``GET /v1/events/{identifier}``."""
        return await self._client._request("events.get", {"identifier": identifier}, Event._from)


class AsyncDeliveries:
    """``client.deliveries`` of :class:`AsyncSendivent`."""

    def __init__(self, client: AsyncSendivent) -> None:
        self._client = client

    async def list(
        self,
        *,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        event: Optional[str] = None,
        channel: Optional[str] = None,
        status: Optional[str] = None,
    ) -> DeliveryList:
        """``GET /v1/deliveries``: one page, newest first."""
        args = _drop_none({"limit": limit, "offset": offset, "event": event, "channel": channel, "status": status})
        return await self._client._request("deliveries.list", args, DeliveryList._from)

    def list_all(
        self,
        *,
        event: Optional[str] = None,
        channel: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> AsyncPage[Delivery]:
        """Every matching delivery: ``async for d in client.deliveries.list_all(status="failed")``."""
        args = _drop_none({"event": event, "channel": channel, "status": status, "limit": limit})
        pager = self._client._native.paginate("deliveries", args, self._client._call_options())
        return AsyncPage(pager, Delivery._from)

    async def trace(self, uuid: str) -> DeliveryTrace:
        """``GET /v1/deliveries/{uuid}/trace``."""
        return await self._client._request("deliveries.trace", {"uuid": uuid}, DeliveryTrace._from)


class AsyncIntegrations:
    """``client.integrations`` of :class:`AsyncSendivent`."""

    def __init__(self, client: AsyncSendivent) -> None:
        self._client = client

    async def list(self, *, channel: Optional[str] = None) -> IntegrationList:
        """``GET /v1/integrations``."""
        args = _drop_none({"channel": channel})
        return await self._client._request("integrations.list", args, IntegrationList._from)


class AsyncWebhooks:
    """``client.webhooks`` of :class:`AsyncSendivent`."""

    def __init__(self, client: AsyncSendivent) -> None:
        self._client = client

    async def create(self, *, url: str, enabled_events: Sequence[str], description: Optional[str] = None) -> WebhookConfig:
        """``POST /v1/webhooks``: the answer has the ``signing_secret``."""
        args = _drop_none({"url": url, "enabled_events": list(enabled_events), "description": description})
        return await self._client._request("webhooks.create", args, WebhookConfig._from)

    async def get(self) -> WebhookConfig:
        """``GET /v1/webhooks``."""
        return await self._client._request("webhooks.get", {}, WebhookConfig._from)

    async def update(
        self,
        uuid: str,
        *,
        url: Optional[str] = None,
        enabled_events: Optional[Sequence[str]] = None,
        is_active: Optional[bool] = None,
    ) -> WebhookConfig:
        """``PATCH /v1/webhooks/{uuid}``."""
        changes = _drop_none(
            {"url": url, "enabled_events": list(enabled_events) if enabled_events is not None else None, "is_active": is_active}
        )
        args = {"uuid": uuid, "changes": changes}
        return await self._client._request("webhooks.update", args, WebhookConfig._from)

    async def delete(self, uuid: str) -> Deleted:
        """``DELETE /v1/webhooks/{uuid}``."""
        return await self._client._request("webhooks.delete", {"uuid": uuid}, Deleted._from)


class AsyncSendivent(_Base):
    """The asyncio Sendivent client: the same surface as :class:`Sendivent`, with ``await``.

    Requests run on the Rust core's tokio runtime; cancelling the awaiting task cancels the
    request. Example::

        async with AsyncSendivent() as client:
            sent = await client.send("order.shipped", to="ada@example.com")
            async for delivery in client.deliveries.list_all(status="failed"):
                print(delivery.uuid, delivery.error)
    """

    contacts: AsyncContacts
    """Contacts: list, search, get, create, update, delete, push tokens."""
    events: AsyncEvents
    """Notification events."""
    deliveries: AsyncDeliveries
    """Deliveries and their traces."""
    integrations: AsyncIntegrations
    """Channel integrations."""
    webhooks: AsyncWebhooks
    """The webhook endpoint configuration."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        rate_limit: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            rate_limit=rate_limit,
            default_headers=default_headers,
        )
        self._init_resources()

    def _init_resources(self) -> None:
        self.contacts = AsyncContacts(self)
        self.events = AsyncEvents(self)
        self.deliveries = AsyncDeliveries(self)
        self.integrations = AsyncIntegrations(self)
        self.webhooks = AsyncWebhooks(self)

    async def _request(
        self, op: str, args: Any, wrap: Callable[[Any], _M], options: Optional[Dict[str, Any]] = None
    ) -> _M:
        data, meta = await self._native.call_async(op, args, options if options is not None else (self._options or None))
        return wrap(data)._with_response(meta)

    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> AsyncSendivent:
        """A client sharing this one's connections whose calls use these overrides."""
        return self._copy_with(
            _drop_none(
                {
                    "timeout": timeout,
                    "max_retries": max_retries,
                    "extra_headers": list(extra_headers.items()) if extra_headers else None,
                }
            )
        )

    async def send(
        self,
        event: str,
        *,
        to: Union[Recipient, Sequence[Recipient], None] = None,
        payload: Optional[Mapping[str, Any]] = None,
        channel: Optional[str] = None,
        language: Optional[str] = None,
        from_: Optional[str] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SendResult:
        """Sends ``event``; see :meth:`Sendivent.send` for the arguments and errors."""
        args = _drop_none({"event": event, "channel": channel, "request": _send_request(to, payload, language, from_, overrides)})
        options = self._call_options(idempotency_key, timeout, max_retries, extra_headers)
        return await self._request("send", args, SendResult._from, options)

    async def send_many(
        self, items: Iterable[SendItem], *, concurrency: int = 8
    ) -> List[Union[SendResult, SendiventError]]:
        """Sends many notifications with at most ``concurrency`` in flight; see
        :meth:`Sendivent.send_many`."""
        raw = await self._native.send_many_async([_send_item(i) for i in items], concurrency, self._options or None)
        return _bulk_results(raw)

    async def close(self) -> None:
        """Releases the client's connections. Further calls raise."""
        self._native_client = None

    async def __aenter__(self) -> AsyncSendivent:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
