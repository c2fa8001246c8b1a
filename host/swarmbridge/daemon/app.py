"""The daemon's composition root: build the services, start the components, serve the socket.

Lifecycle (``run()``): take the single-instance lock -> log to ``<log dir>/daemon.log`` -> build
``Services`` (EventBus, BridgeLink, DenyAll approver until the policy component replaces it) ->
start every component in ``COMPONENTS`` inside one ``asyncio.TaskGroup`` -> bind the socket: only
now does it accept ("ready") -> wait for SIGTERM/SIGINT or ``daemon.shutdown`` -> stop components
in reverse order -> close the socket -> cancel what remains of the task group -> exit 0.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import signal
import sys
import time
from typing import Any

from .. import __version__
from ..browser.link import BridgeLink
from ..paths import Paths, user_paths
from ..policy.approver import DenyAll
from ..protocol.envelope import Message
from ..rpc.connection import Connection
from ..rpc.events import EventBus
from ..rpc.router import CallContext, Router
from ..rpc.server import AddressInUse, RpcServer
from .lock import AlreadyRunning, InstanceLock
from .services import Component, Services

log = logging.getLogger("swarmbridge.daemon")

#: Components the daemon starts, as "module:Class" (each has a no-argument constructor).
#: Other subsystems append one line here.
COMPONENTS: list[str] = [
    "swarmbridge.policy.component:PolicyComponent",  # first: it becomes services.approver
    "swarmbridge.scheduler.component:SchedulerComponent",
    "swarmbridge.goals.component:GoalsComponent",
    "swarmbridge.autofill.component:AutofillComponent",
    "swarmbridge.sandbox.component:FilesComponent",
    "swarmbridge.llm.component:ModelsComponent",  # before the swarm: it provides extras["model"]
    "swarmbridge.swarm.component:SwarmComponent",
    "swarmbridge.mcp.gatekeeper:McpComponent",  # mcp.browser: external agents through the approval queue
    "swarmbridge.settings.component:SettingsComponent",  # settings.* and models.endpoints.* (options page)
]


class _Shutdown(Exception):
    """Raised inside the task group to cancel every remaining task on the way out."""


def load_component(spec: str) -> Component:
    module, _, cls = spec.partition(":")
    return getattr(importlib.import_module(module), cls)()


def setup_logging(paths: Paths, name: str = "daemon.log", also_stderr: bool = False) -> None:
    from logging.handlers import RotatingFileHandler

    handlers: list[logging.Handler] = [RotatingFileHandler(paths.log_dir / name, maxBytes=5_000_000, backupCount=3, encoding="utf-8")]
    if also_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=os.environ.get("SWARMBRIDGE_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s",
        handlers=handlers,
        force=True,
    )


class Daemon:
    def __init__(self, paths: Paths, components: list[str] | None = None) -> None:
        self.paths = paths
        self.router = Router()
        self.events = EventBus()
        self.link = BridgeLink(self.events)
        self.server = RpcServer(paths.socket, self.router, on_event=self._on_event)
        self.services = Services(paths=paths, router=self.router, events=self.events, browser=self.link, approver=DenyAll())
        self.started_at = time.time()
        self.stopping = asyncio.Event()
        self._component_specs = list(COMPONENTS if components is None else components)

    def _on_event(self, conn: Connection, msg: Message) -> None:
        """Events from a peer (a bridge's ``bridge.event``, ...) are republished to subscribers."""
        params = dict(msg.params) if isinstance(msg.params, dict) else {}
        if conn.ctx.bridge_id:
            params.setdefault("bridgeId", conn.ctx.bridge_id)
        self.events.publish(msg.method, params)  # type: ignore[arg-type]

    def _register_core(self) -> None:
        connection_of = self.server.connection

        async def status(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            return {
                "pid": os.getpid(),
                "version": __version__,
                "startedAt": self.started_at,
                "socket": self.paths.socket,
                "bridges": self.link.bridges(),
                "connections": len(self.server.connections()),
                "methods": self.router.methods(),
            }

        async def shutdown(params: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
            asyncio.get_running_loop().call_later(0.05, self.stopping.set)
            return {"ok": True}

        self.router.register("daemon.status", status)
        self.router.register("daemon.shutdown", shutdown)
        self.events.register(self.router, connection_of)
        self.link.register(self.router, connection_of)

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        self._register_core()
        components: list[Component] = []
        try:
            async with asyncio.TaskGroup() as tg:
                for spec in self._component_specs:
                    comp = load_component(spec)
                    await comp.start(self.services, tg)
                    components.append(comp)
                    log.info("component %s started", getattr(comp, "name", spec))
                await self.server.start(tg)
                log.info("ready: pid %d, socket %s", os.getpid(), self.paths.socket)
                await self.stopping.wait()
                log.info("stopping")
                for comp in reversed(components):
                    try:
                        await comp.stop()
                    except Exception:  # noqa: BLE001 - stop the others regardless
                        log.exception("component %s failed to stop", getattr(comp, "name", comp))
                await self.server.close()
                raise _Shutdown
        except* _Shutdown:
            pass
        finally:
            await self.server.close()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)


def run(paths: Paths | None = None, *, foreground_log: bool = False) -> int:
    """Run the daemon until told to stop; returns the process exit code."""
    paths = (paths or user_paths()).ensure()
    try:
        lock = InstanceLock(paths.lock_file).acquire()
    except AlreadyRunning as exc:
        print(f"swarmbridge daemon: {exc}; socket {paths.socket}", file=sys.stderr)
        return 1
    try:
        setup_logging(paths, also_stderr=foreground_log)
        log.info("swarmbridge daemon %s starting (pid %d)", __version__, os.getpid())
        try:
            asyncio.run(Daemon(paths).serve())
        except AddressInUse as exc:
            print(f"swarmbridge daemon: {exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # noqa: BLE001 - a component that cannot start: say so, exit 1
            log.exception("the daemon failed")
            print(f"swarmbridge daemon failed: {exc!r}; see {paths.log_dir / 'daemon.log'}", file=sys.stderr)
            return 1
        log.info("stopped")
        return 0
    finally:
        lock.release()
