"""The scheduler as a daemon component: opens its store, registers ``schedule.*``, runs the loop."""

from __future__ import annotations

import asyncio

from ..daemon.services import Services
from ..storage.db import connect
from ..storage.schedules import ScheduleStore
from .api import ScheduleAPI
from .engine import Scheduler
from .triggers import TriggerRunner


class SchedulerComponent:
    name = "scheduler"

    def __init__(self) -> None:
        self.scheduler: Scheduler | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        store = ScheduleStore(connect(services.paths.db_file))
        workdir = services.paths.artifacts_dir / "schedules"
        workdir.mkdir(parents=True, exist_ok=True)
        runner = TriggerRunner(store, browser=services.browser, swarm=lambda: services.extras.get("swarm"),
                               goals=lambda: services.extras.get("goals"),
                               autofill=lambda: services.extras.get("autofill"), workdir=str(workdir))
        self.scheduler = Scheduler(store, runner, services.events.publish)
        ScheduleAPI(store, self.scheduler, services.events.publish, browser=services.browser).register(services.router)
        services.extras["scheduler"] = self.scheduler
        tg.create_task(self.scheduler.run(tg), name="scheduler")

    async def stop(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
