"""Goal Mode as a daemon component: opens its store, registers ``goal.*``, resumes active goals."""

from __future__ import annotations

import asyncio

from ..daemon.services import Services
from ..storage.db import connect
from ..storage.goals import GoalStore
from .api import GoalAPI
from .engine import GoalEngine


class GoalsComponent:
    name = "goals"

    def __init__(self) -> None:
        self.engine: GoalEngine | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        store = GoalStore(connect(services.paths.db_file))
        self.engine = GoalEngine(store, lambda: services.extras.get("swarm"), services.events.publish, services.paths.artifacts_dir)
        GoalAPI(self.engine).register(services.router)
        services.extras["goals"] = self.engine
        await self.engine.start(tg)

    async def stop(self) -> None:
        if self.engine is not None:
            await self.engine.stop()
