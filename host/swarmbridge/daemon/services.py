"""What the daemon hands to each component: the shared services, and the component contract.

The daemon (``daemon/app.py``) builds one ``Services`` and starts every component listed in
``daemon.app.COMPONENTS`` inside its task group. A component registers its RPC methods on
``services.router`` and starts its long-running loops with ``tg.create_task`` (nothing detached).
Components never import each other's internals; they meet through these services.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Protocol

from ..paths import Paths
from ..policy.approver import Approver
from ..rpc.router import Router


class EventSink(Protocol):
    """Publish an event to every subscriber whose topic prefix matches ``method``
    (clients subscribe with ``events.subscribe {"topics": ["run.", "schedule."]}``)."""

    def publish(self, method: str, params: dict[str, Any]) -> None: ...

    def listen(self, topics: tuple[str, ...], fn: Callable[[str, dict[str, Any]], None]) -> None:
        """Call ``fn`` in-process for every event whose method starts with one of ``topics``."""
        ...


class BrowserLink(Protocol):
    """The daemon's way into the connected browsers (implemented in ``browser/link.py``)."""

    async def call(self, method: str, params: dict[str, Any] | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        """Send a ``browser.*`` command to one bridge (the only one, or the one named) and return
        its result; raises ``RpcError`` (``no_bridge``, ``timeout``, or the extension's error)."""
        ...

    def bridges(self) -> list[dict[str, Any]]: ...

    async def wait_for_bridge(self, timeout: float, bridge: str | None = None) -> bool: ...


@dataclass
class Services:
    paths: Paths
    router: Router
    events: EventSink
    browser: BrowserLink
    approver: Approver
    extras: dict[str, Any] = field(default_factory=dict)  # component -> its public facade


class Component(Protocol):
    name: str

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        """Open storage, register methods on ``services.router``, start loops in ``tg``; return
        once ready to serve (the daemon says ready only after every component has started)."""
        ...

    async def stop(self) -> None:
        """Reach a safe point and persist; called before the task group is cancelled."""
        ...
