"""The swarm as a daemon component: opens the run store, registers ``runs.*``, resumes crashed runs."""

from __future__ import annotations

import asyncio

from ..daemon.services import Services
from ..storage.runs import RunStore
from ..tools.base import ToolRegistry
from ..tools.browser import browser_tools
from ..tools.builtin import builtin_tools
from ..tools.files import file_tools
from .service import SwarmService


class SwarmComponent:
    name = "swarm"

    def __init__(self) -> None:
        self.service: SwarmService | None = None

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        store = RunStore(str(services.paths.db_file))
        self.service = SwarmService(store, ToolRegistry(builtin_tools() + browser_tools() + file_tools()), model=lambda: services.extras.get("model"),
                                    publish=services.events.publish, extras={"browser": services.browser, "approver": services.approver,
                                                                         "artifacts_dir": str(services.paths.artifacts_dir),
                                                                         "daemon_extras": services.extras})
        self.service.register(services.router)
        services.extras["swarm"] = self.service
        self.service.resume_unfinished()

    async def stop(self) -> None:
        if self.service is not None:
            await self.service.close()
