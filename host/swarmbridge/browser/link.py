"""The daemon's way into the connected browsers: the bridge registry and ``BrowserLink``.

Each connected extension (one per browser profile, through its relay) says ``bridge.hello`` and
becomes a named *bridge*. ``call()`` sends a ``browser.*`` command to the only bridge, or to the one
named by id, browser name or profile. When a bridge's connection closes, every command still
waiting on it is rejected with ``unavailable`` (the ``Connection`` does that) and the bridge is
forgotten; when the browser comes back it says hello again and is a bridge again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pydantic

from ..protocol.envelope import ErrorCode
from ..rpc.connection import Connection
from ..rpc.router import CallContext, Router, RpcError

log = logging.getLogger(__name__)


class HelloParams(pydantic.BaseModel):
    """What an extension says about itself; every field bounded, unknown fields tolerated
    (newer extensions may say more) but dropped."""

    model_config = pydantic.ConfigDict(extra="ignore")
    browser: str = pydantic.Field(default="unknown", max_length=64)
    profile: str = pydantic.Field(default="", max_length=256)
    extensionVersion: str = pydantic.Field(default="", max_length=64)
    extensionId: str = pydantic.Field(default="", max_length=128)
    userAgent: str = pydantic.Field(default="", max_length=512)


@dataclass
class Bridge:
    bridge_id: str
    conn: Connection
    hello: HelloParams
    connected_at: float = field(default_factory=time.time)

    def describe(self) -> dict[str, Any]:
        return {
            "bridgeId": self.bridge_id,
            "browser": self.hello.browser,
            "profile": self.hello.profile,
            "extensionVersion": self.hello.extensionVersion,
            "extensionId": self.hello.extensionId,
            "connectedAt": self.connected_at,
        }

    def matches(self, name: str) -> bool:
        low = name.lower()
        return name == self.bridge_id or low == self.hello.browser.lower() or (bool(self.hello.profile) and name == self.hello.profile)


class BridgeLink:
    """Implements ``daemon.services.BrowserLink`` over the bridges connected to this daemon."""

    def __init__(self, events=None) -> None:
        self._bridges: dict[str, Bridge] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()  # set (and replaced) on every registry change
        self._events = events

    # -- registry --------------------------------------------------------------------------
    def attach(self, conn: Connection, hello: HelloParams) -> Bridge:
        """Register ``conn`` as a bridge (a repeated hello on the same connection keeps its id)."""
        old = self._by_conn(conn)
        bridge_id = old.bridge_id if old else f"b{next(self._ids)}"
        bridge = Bridge(bridge_id, conn, hello)
        self._bridges[bridge_id] = bridge
        conn.ctx.bridge_id = bridge_id
        if old is None:
            conn.on_close(lambda c: self._detach(bridge_id))
        log.info("bridge %s connected: %s %s %s", bridge_id, hello.browser, hello.profile, hello.extensionVersion)
        self._publish("bridge.connected", bridge.describe())
        self._notify()
        return bridge

    def _detach(self, bridge_id: str) -> None:
        bridge = self._bridges.pop(bridge_id, None)
        if bridge is not None:
            log.info("bridge %s disconnected", bridge_id)
            self._publish("bridge.disconnected", {"bridgeId": bridge_id})
            self._notify()

    def _by_conn(self, conn: Connection) -> Bridge | None:
        return next((b for b in self._bridges.values() if b.conn is conn), None)

    def _publish(self, method: str, params: dict[str, Any]) -> None:
        if self._events is not None:
            self._events.publish(method, params)

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def bridges(self) -> list[dict[str, Any]]:
        return [b.describe() for b in self._bridges.values()]

    def pick(self, bridge: str | None) -> Bridge:
        """The bridge a command goes to; raises ``no_bridge`` with a message that says why."""
        live = [b for b in self._bridges.values() if not b.conn.closed]
        if bridge:
            found = [b for b in live if b.matches(bridge)]
            if len(found) == 1:
                return found[0]
            if not found:
                raise RpcError(ErrorCode.NO_BRIDGE, f"no connected browser matches {bridge!r}", {"bridges": self.bridges()})
            raise RpcError(ErrorCode.NO_BRIDGE, f"{bridge!r} matches {len(found)} bridges; name one by id", {"bridges": self.bridges()})
        if len(live) == 1:
            return live[0]
        if not live:
            raise RpcError(ErrorCode.NO_BRIDGE, "no browser is connected: open a browser with the SwarmBridge extension")
        raise RpcError(ErrorCode.NO_BRIDGE, f"{len(live)} browsers are connected; name one with bridge=", {"bridges": self.bridges()})

    # -- BrowserLink -----------------------------------------------------------------------
    async def call(self, method: str, params: dict[str, Any] | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        if not method.startswith("browser."):
            raise RpcError(ErrorCode.METHOD_NOT_FOUND, f"{method!r} is not a browser command")
        target = self.pick(bridge)
        return await target.conn.request(method, params or {}, timeout=timeout)

    async def wait_for_bridge(self, timeout: float, bridge: str | None = None) -> bool:
        def ready() -> bool:
            try:
                self.pick(bridge)
                return True
            except RpcError:
                return False

        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    if ready():
                        return True
                    await changed.wait()
        except TimeoutError:
            return ready()

    # -- RPC methods -----------------------------------------------------------------------
    def register(self, router: Router, connection_of) -> None:
        """Add ``bridge.hello``, ``bridges.list`` and the ``browser.`` forwarding route."""

        async def hello(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            from .. import __version__

            conn = connection_of(ctx)
            if conn is None:
                raise RpcError(ErrorCode.UNAVAILABLE, "the connection saying hello is gone")
            bridge = self.attach(conn, HelloParams.model_validate(params))
            return {"bridgeId": bridge.bridge_id, "daemonVersion": __version__}

        async def bridges_list(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            return {"bridges": self.bridges()}

        async def forward(params: dict[str, Any], ctx: CallContext) -> Any:
            method = params.pop("__method__")
            bridge = params.pop("bridge", None)
            if bridge is not None and not isinstance(bridge, str):
                raise RpcError(ErrorCode.INVALID_PARAMS, "bridge must be a bridge id or browser name")
            timeout = params.pop("timeoutS", None)
            timeout = float(timeout) if isinstance(timeout, (int, float)) and 0 < timeout <= 600 else 60.0
            return await self.call(method, params, bridge=bridge, timeout=timeout)

        router.register("bridge.hello", hello)
        router.register("bridges.list", bridges_list)
        router.register_prefix("browser.", forward)
