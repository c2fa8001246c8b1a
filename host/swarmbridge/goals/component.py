"""Goal Mode as a daemon component: opens its store, registers ``goal.*``, resumes active goals."""

from __future__ import annotations

import asyncio

from ..daemon.services import Services
from ..storage.db import connect
from ..storage.goals import GoalStore
from .api import GoalAPI
from .engine import GoalEngine
from .evaluator import ModelGrader


class GoalsComponent:
    name = "goals"

    def __init__(self) -> None:
        self.engine: GoalEngine | None = None
        self._cached: tuple[object, ModelGrader] | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        store = GoalStore(connect(services.paths.db_file))
        self.engine = GoalEngine(store, lambda: services.extras.get("swarm"), services.events.publish, services.paths.artifacts_dir,
                                 grader=lambda: self._grader(services))
        GoalAPI(self.engine).register(services.router)
        services.extras["goals"] = self.engine
        services.events.listen(("approval.",), self.engine.on_approval)
        await self.engine.start(tg)

    def _grader(self, services: Services) -> ModelGrader | None:
        """The grader: the configured models (its prompt names the verifier role, so the verifier's
        endpoint answers), or None with no endpoint configured."""
        model = services.extras.get("model")
        if model is None:
            return None
        if self._cached is None or self._cached[0] is not model:
            self._cached = (model, ModelGrader(model))
        return self._cached[1]

    async def stop(self) -> None:
        if self.engine is not None:
            await self.engine.stop()
