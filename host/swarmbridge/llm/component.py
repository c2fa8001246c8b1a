"""Model endpoints as a daemon component: the configured models, shared by every component.

Loads ``config.toml`` once at start, builds a ``Registry`` and publishes it as
``services.extras["models"]``; ``services.extras["model"]`` is the worker-role model (built on
first use, so a daemon with an unreachable server still starts), or ``None`` when no endpoint is
configured (recipes of tool steps run without one). Must start before the swarm component.
A bad config file does not stop the daemon: it is logged with the fix and no model is offered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from ..config import ConfigError, load
from ..daemon.services import Services
from .interface import Completion, Model, ToolSpec
from .registry import Registry

log = logging.getLogger(__name__)


class RoleModel:
    """A ``Model`` that resolves its role's endpoint on first use (probing the server then)."""

    def __init__(self, registry: Registry, role: str) -> None:
        self.registry, self.role = registry, role
        self.name = f"role:{role}"
        self._model: Model | None = None
        self._lock = asyncio.Lock()

    async def resolve(self) -> Model:
        async with self._lock:
            if self._model is None:
                self._model = await self.registry.for_role(self.role)
                self.name = self._model.name
        return self._model

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        model = self._model or await self.resolve()
        return await model.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)


class ModelsComponent:
    name = "models"

    def __init__(self) -> None:
        self.registry: Registry | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        try:
            cfg = load(services.paths.config_file)
        except ConfigError as exc:
            log.error("%s", exc)
            services.extras["model"] = None
            return
        self.registry = Registry(cfg, services.paths.data_dir)
        services.extras["models"] = self.registry
        services.extras["model"] = RoleModel(self.registry, "worker") if cfg.endpoints else None

    async def stop(self) -> None:
        if self.registry is not None:
            await self.registry.aclose()
