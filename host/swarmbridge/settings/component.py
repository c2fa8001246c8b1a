"""Settings as a daemon component: ``settings.get`` / ``settings.set`` and the ``models.endpoints.*``
methods the options page round-trips to.

Settings live in the daemon (``config.toml``), not in the extension: the browser follows them. After
a change the daemon sends ``browser.settings.apply {tabConcurrency, searchEngine}`` to every
connected bridge (best effort, each bridge's outcome in the reply); a bridge that connects later
asks ``settings.get`` itself. ``settings.changed`` is published for other subscribers.

Errors: bad input is ``invalid_params`` with ``data.fields = {wire field: message}`` (the page puts
each next to its input); a config file that does not parse is ``internal_error`` naming the file
and line. Neither changes anything.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .. import config as cfgmod
from ..daemon.services import Services
from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, RpcError
from .endpoints import Changed, EndpointsAPI
from .model import ENGINES, MAX_TABS, FieldErrors, Settings
from .store import SettingsStore

log = logging.getLogger(__name__)

#: how long one bridge may take to apply new settings before the reply says so
APPLY_TIMEOUT_S = 5.0


def _guarded(fn: Callable[[dict], Awaitable[Any]]) -> Callable[[dict, CallContext], Awaitable[Any]]:
    async def handler(params: dict, ctx: CallContext) -> Any:
        try:
            return await fn(params)
        except FieldErrors as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"invalid settings: {exc}", {"fields": exc.fields}) from None
        except cfgmod.ConfigError as exc:
            raise RpcError(ErrorCode.INTERNAL, str(exc)) from None
    return handler


class SettingsComponent:
    name = "settings"

    def __init__(self) -> None:
        self.store: SettingsStore | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        self.services = services
        self.store = store = SettingsStore(services.paths.config_file)
        self._lock = asyncio.Lock()  # one change at a time: read-modify-write of one file
        endpoints = EndpointsAPI(store)
        services.extras["settings"] = store

        def changing(fn: Callable[[dict], Changed | None]) -> Callable[[dict], Awaitable[dict]]:
            async def handler(params: dict) -> dict:
                got = await self._io(fn, params)
                if got is None:
                    raise RpcError(ErrorCode.NOT_FOUND, f"no endpoint named {params.get('name')!r}")
                cfg, out = got
                return {**out, "restartNeeded": not self._models_changed(cfg)}
            return handler

        async def list_(params: dict) -> dict:
            return await self._io(endpoints.list, params)

        for method, fn in {
            "settings.get": self.get,
            "settings.set": self.set,
            "models.endpoints.list": list_,
            "models.endpoints.set": changing(endpoints.set),
            "models.endpoints.remove": changing(endpoints.remove),
            "models.endpoints.test": endpoints.test,
            "models.roles.set": changing(endpoints.set_roles),
        }.items():
            services.router.register(method, _guarded(fn))

    async def _io(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        """File and keyring work off the event loop, one at a time."""
        async with self._lock:
            return await asyncio.to_thread(fn, arg)

    async def stop(self) -> None:
        return None

    def _models_changed(self, cfg: cfgmod.Config) -> bool:
        """Hand the new endpoints/roles to the models component; False when it cannot (then
        runs use them after a daemon restart)."""
        apply = self.services.extras.get("models.apply")
        return bool(apply(cfg)) if callable(apply) else False

    async def get(self, params: dict) -> dict[str, Any]:
        assert self.store is not None
        s, sources = await self._io(lambda _: self.store.settings(), None)  # type: ignore[union-attr]
        return {"settings": s.wire(), "sources": sources, "defaults": Settings().wire(), "engines": list(ENGINES),
                "maxTabs": MAX_TABS, "file": str(self.store.path)}

    async def set(self, params: dict) -> dict[str, Any]:
        assert self.store is not None
        patch = params.get("settings", params)
        await self._io(self.store.update, patch)
        out = await self.get({})
        self.services.events.publish("settings.changed", {"settings": out["settings"]})
        out["bridges"] = await self.push(out["settings"])
        return out

    async def push(self, settings: dict[str, Any]) -> dict[str, str]:
        """Send the browser-side settings to every connected bridge; each bridge's outcome."""
        browser = {k: settings[k] for k in ("tabConcurrency", "searchEngine")}

        async def one(bridge_id: str) -> str:
            try:
                await self.services.browser.call("browser.settings.apply", browser, bridge=bridge_id, timeout=APPLY_TIMEOUT_S)
                return "applied"
            except Exception as exc:  # noqa: BLE001 - an old or busy extension: it reads them on its next connect
                log.info("bridge %s did not apply settings: %s", bridge_id, exc)
                return f"not applied: {exc}"

        ids = [b["bridgeId"] for b in self.services.browser.bridges()]
        return dict(zip(ids, await asyncio.gather(*(one(i) for i in ids))))
