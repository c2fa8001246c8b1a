"""Model endpoints as a daemon component: the configured models, shared by every component.

Loads ``config.toml`` once at start, builds a ``Registry`` and publishes it as
``services.extras["models"]``; ``services.extras["model"]`` is a ``RoleRouter`` (each request to
its role's endpoint, built on first use, so a daemon with an unreachable server still starts), or
``None`` when no endpoint is configured (recipes of tool steps run without one). Must start before the swarm component.
A bad config file does not stop the daemon: it is logged with the fix and no model is offered.
"""

from __future__ import annotations

import asyncio
import logging

from ..config import Config, ConfigError, load
from ..daemon.services import Services
from .registry import Registry
from .routing import RoleRouter

log = logging.getLogger(__name__)


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
        services.extras["model"] = RoleRouter(self.registry) if cfg.endpoints else None
        services.extras["models.apply"] = lambda new: self.apply(services, new)

    def apply(self, services: Services, cfg: Config) -> bool:
        """Use a changed config from now on (the options page saved endpoints or roles): models
        are rebuilt on their next call. False when the swarm, which takes ``extras["model"]`` once
        at start, was started without one: it needs a daemon restart to use the new endpoint."""
        assert self.registry is not None
        self.registry.cfg = cfg
        self.registry._models.clear()  # the old adapters stay open for calls in flight; closed at stop
        router = services.extras.get("model")
        if isinstance(router, RoleRouter):
            router.reset()
            return True
        if cfg.endpoints:
            services.extras["model"] = RoleRouter(self.registry)  # autofill and the goal grader read it per use
        return not cfg.endpoints

    async def stop(self) -> None:
        if self.registry is not None:
            await self.registry.aclose()
