"""One table of named handlers; every request gets exactly one response, errors included.

A handler is ``async def handler(params: dict, ctx: CallContext) -> Any``. Raise ``RpcError`` for
an error the caller should see with its code; any other exception becomes ``internal_error`` and a
log line. Subsystems expose ``register(router, services)`` and the daemon calls each one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pydantic

from ..protocol import envelope
from ..protocol.envelope import ErrorCode, Message
from ..validation import summary

log = logging.getLogger(__name__)


class RpcError(Exception):
    def __init__(self, code: str, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class CallContext:
    """Who is calling: a connection id, and the bridge id if the caller is a browser extension."""

    conn_id: str
    bridge_id: str | None = None
    peer: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[dict[str, Any], CallContext], Awaitable[Any]]


class Router:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._prefixes: dict[str, Handler] = {}

    def register(self, method: str, handler: Handler) -> None:
        if method in self._handlers:
            raise ValueError(f"method {method!r} registered twice")
        self._handlers[method] = handler

    def register_prefix(self, prefix: str, handler: Handler) -> None:
        """Route every method starting with ``prefix`` (e.g. ``browser.``) to one handler; the
        handler finds the full name in ``params['__method__']``."""
        self._prefixes[prefix] = handler

    def methods(self) -> list[str]:
        return sorted(self._handlers) + sorted(p + "*" for p in self._prefixes)

    def find(self, method: str) -> Handler | None:
        handler = self._handlers.get(method)
        if handler is not None:
            return handler
        for prefix, h in self._prefixes.items():
            if method.startswith(prefix):
                return h
        return None

    async def dispatch(self, msg: Message, ctx: CallContext) -> Message:
        assert msg.kind == "request"
        method = msg.method
        handler = self.find(method)  # type: ignore[arg-type]
        if handler is None:
            return envelope.fail(msg.id, ErrorCode.METHOD_NOT_FOUND, f"no method {method!r}")
        params = dict(msg.params) if isinstance(msg.params, dict) else {}
        if method not in self._handlers:
            params["__method__"] = method
        try:
            result = await handler(params, ctx)
        except RpcError as exc:
            return envelope.fail(msg.id, exc.code, exc.message, exc.data)
        except pydantic.ValidationError as exc:
            return envelope.fail(msg.id, ErrorCode.INVALID_PARAMS, _pydantic_message(exc), exc.errors(include_url=False, include_context=False, include_input=False))
        except Exception as exc:  # noqa: BLE001 - the router always replies
            log.exception("handler for %s failed", method)
            return envelope.fail(msg.id, ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}")
        return envelope.ok(msg.id, result)


def _pydantic_message(exc: pydantic.ValidationError) -> str:
    return "invalid params: " + summary(exc, "params", limit=1)
