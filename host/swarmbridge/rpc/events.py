"""Events pub/sub: components publish, connected clients subscribe by method-name prefix (and
components may ``listen`` in-process).

A client sends ``events.subscribe {"topics": ["run.", "schedule."]}`` (an empty prefix ``""``
means everything) and from then on receives matching ``event`` messages on that connection.
Delivery is best effort and never blocks the publisher: a subscriber that stops reading is closed
by its connection (see ``Connection.send_nowait``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pydantic

from ..protocol import envelope
from .connection import Connection
from .router import CallContext, Router, RpcError

log = logging.getLogger(__name__)


class SubscribeParams(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    topics: list[pydantic.constr(max_length=200)] = pydantic.Field(max_length=100)  # type: ignore[valid-type]


class EventBus:
    """The ``EventSink`` of ``daemon.services``; subscriptions die with their connection."""

    def __init__(self) -> None:
        self._subs: dict[str, tuple[Connection, tuple[str, ...]]] = {}
        self._listeners: list[tuple[tuple[str, ...], Callable[[str, dict[str, Any]], None]]] = []

    def listen(self, topics: tuple[str, ...], fn: Callable[[str, dict[str, Any]], None]) -> None:
        """An in-daemon listener (a component reacting to another's events), called synchronously
        on publish; its failure is logged, never the publisher's problem."""
        self._listeners.append((topics, fn))

    def subscribe(self, conn: Connection, topics: list[str]) -> None:
        first = conn.id not in self._subs
        self._subs[conn.id] = (conn, tuple(topics))
        if first:
            conn.on_close(lambda c: self._subs.pop(c.id, None))

    def subscribers(self) -> int:
        return len(self._subs)

    def publish(self, method: str, params: dict[str, Any]) -> None:
        for topics, fn in self._listeners:
            if any(method.startswith(t) for t in topics):
                try:
                    fn(method, params)
                except Exception:
                    log.exception("event listener for %s failed", method)
        msg = None
        for conn, topics in list(self._subs.values()):
            if any(method.startswith(t) for t in topics):
                msg = msg or envelope.event(method, params)
                conn.send_nowait(msg)

    def register(self, router: Router, connection_of) -> None:
        """Add ``events.subscribe``; ``connection_of(ctx)`` finds the caller's ``Connection``."""

        async def subscribe(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            p = SubscribeParams.model_validate(params)
            conn = connection_of(ctx)
            if conn is None:
                raise RpcError("unavailable", "the subscribing connection is gone")
            self.subscribe(conn, p.topics)
            return {"topics": p.topics}

        router.register("events.subscribe", subscribe)
