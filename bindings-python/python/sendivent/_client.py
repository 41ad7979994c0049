"""The synchronous :class:`Sendivent` and asynchronous :class:`AsyncSendivent` clients.

Their operations are generated (:mod:`sendivent._resources`); this module adds what is Python's
own: construction, ``with_options``, closing, context managers, and routing the core's request
log to the ``sendivent`` logger. Every option is checked by the core.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _native
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._resources import AsyncOperations, SyncOperations

__all__ = ["Sendivent", "AsyncSendivent"]

_C = TypeVar("_C", bound="_Client")

_LOGGER = logging.getLogger("sendivent")


def _log(level: str, message: str) -> None:
    _LOGGER.log(logging.DEBUG if level == "debug" else logging.INFO, message)


def _log_routing(log_level: Optional[str]) -> Tuple[Optional[Callable[[str, str], None]], Optional[str]]:
    """Where the core's log records go: the ``sendivent`` logger, at the level asked for
    (``log_level=``, else ``SENDIVENT_LOG``, which gets a stderr handler when logging is not
    configured), else at the level that logger is enabled for; nowhere when none is."""
    if log_level is not None:
        return _log, log_level
    level = _native.log_level_from_env()
    if level is not None:
        if _LOGGER.level == logging.NOTSET and not _LOGGER.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            _LOGGER.addHandler(handler)
            _LOGGER.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
        return _log, level
    if _LOGGER.isEnabledFor(logging.DEBUG):
        return _log, "debug"
    if _LOGGER.isEnabledFor(logging.INFO):
        return _log, "info"
    return None, None


class _Client:
    """What both clients share: the native client and its construction."""

    _native_client: _native.NativeClient

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        allow_insecure_http: bool = False,
        rate_limit: Union[float, str, None] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        log_level: Optional[str] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        log, level = _log_routing(log_level)
        options = {
            "api_key": api_key,
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "allow_insecure_http": allow_insecure_http,
            "rate_limit": rate_limit,
            "default_headers": default_headers,
            "log_level": level,
            "max_response_bytes": max_response_bytes,
        }
        self._native_client = _native.NativeClient(options, log)
        self._init_resources()

    def _init_resources(self) -> None:
        raise NotImplementedError

    def _with_native(self: _C, native: _native.NativeClient) -> _C:
        clone = object.__new__(type(self))
        clone._native_client = native
        clone._init_resources()
        return clone

    def _options(
        self,
        timeout: Optional[float],
        max_retries: Optional[int],
        idempotency_key: Optional[str],
        extra_headers: Optional[Mapping[str, str]],
    ) -> _native.NativeClient:
        options = {
            "timeout": timeout,
            "max_retries": max_retries,
            "idempotency_key": idempotency_key,
            "extra_headers": extra_headers,
        }
        return self._native_client.with_options({k: v for k, v in options.items() if v is not None})

    @property
    def base_url(self) -> str:
        """The base URL requests go to (from ``base_url``, ``SENDIVENT_BASE_URL`` or the key)."""
        return self._native_client.base_url

    @property
    def key_mode(self) -> str:
        """``"live"`` for production keys, ``"test"`` for sandbox keys."""
        return self._native_client.key_mode

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._native_client!r})"


class Sendivent(SyncOperations, _Client):
    """The synchronous Sendivent client. Safe to share between threads.

    Args:
        api_key: ``live_…`` or ``test_…``; default ``SENDIVENT_API_KEY``.
        base_url: Override of the API URL; default ``SENDIVENT_BASE_URL``, else chosen by the
            key's prefix (production or sandbox).
        timeout: Seconds per attempt.
        max_retries: Retries after the first attempt for connection errors, timeouts, 408, 429
            and 5xx (with backoff and ``Retry-After``), where the operation's retry policy allows.
        allow_insecure_http: Allow plain ``http://`` to hosts other than loopback (e.g. a mock
            in a container network).
        rate_limit: Client-side limit in requests per second, or ``"documented"`` for the key's
            documented rate (default: none).
        default_headers: Headers added to every request.
        log_level: ``"debug"`` (every attempt), ``"info"`` (outcomes) or ``"off"``: the level at
            which requests are logged to the ``sendivent`` logger. Default: ``SENDIVENT_LOG``, else
            the level that logger is enabled for.
        max_response_bytes: The largest response body read; a larger one is an
            ``InvalidResponseError``.

    Every option out of its documented range is a :class:`ValidationError` (``INVALID_ARGUMENT``).

    Example::

        from sendivent import Sendivent

        with Sendivent() as client:  # SENDIVENT_API_KEY
            sent = client.send("order.shipped", to="ada@example.com", payload={"order": 1042})
            print(sent.deliveries, sent.last_response.request_id)
    """

    def _call(self, operation: str, args: Dict[str, Any], options: Optional[Dict[str, Any]]) -> Tuple[Any, Any]:
        return self._native_client.call(operation, args, options)

    def _paginate(
        self, operation: str, args: Dict[str, Any], options: Optional[Dict[str, Any]]
    ) -> _native.NativePaginator:
        return self._native_client.paginate(operation, args, options)

    def _send_many(self, items: List[Dict[str, Any]], concurrency: float) -> List[Tuple[bool, Any]]:
        return self._native_client.send_many(items, concurrency)

    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Sendivent:
        """A client sharing this one's connections whose calls use these request options::

        client.with_options(timeout=5, max_retries=0).events.list()
        """
        return self._with_native(self._options(timeout, max_retries, idempotency_key, extra_headers))

    def close(self) -> None:
        """Releases the client's connections. Further calls raise."""
        self._native_client.close()

    def __enter__(self) -> Sendivent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSendivent(AsyncOperations, _Client):
    """The asyncio Sendivent client: the same surface as :class:`Sendivent`, with ``await``.

    Requests run on the Rust core's tokio runtime; cancelling the awaiting task cancels the
    request. The arguments are those of :class:`Sendivent`. Example::

        async with AsyncSendivent() as client:
            sent = await client.send("order.shipped", to="ada@example.com")
            async for delivery in client.deliveries.list_all(status="failed"):
                print(delivery.uuid, delivery.error)
    """

    def _call(
        self, operation: str, args: Dict[str, Any], options: Optional[Dict[str, Any]]
    ) -> Awaitable[Tuple[Any, Any]]:
        # The native awaitable itself, not a coroutine around it: one frame less per call.
        return self._native_client.call_async(operation, args, options)

    def _paginate(
        self, operation: str, args: Dict[str, Any], options: Optional[Dict[str, Any]]
    ) -> _native.NativePaginator:
        return self._native_client.paginate(operation, args, options)

    def _send_many(self, items: List[Dict[str, Any]], concurrency: float) -> Awaitable[List[Tuple[bool, Any]]]:
        return self._native_client.send_many_async(items, concurrency)

    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> AsyncSendivent:
        """A client sharing this one's connections whose calls use these request options."""
        return self._with_native(self._options(timeout, max_retries, idempotency_key, extra_headers))

    async def close(self) -> None:
        """Releases the client's connections. Further calls raise."""
        self._native_client.close()

    async def __aenter__(self) -> AsyncSendivent:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
