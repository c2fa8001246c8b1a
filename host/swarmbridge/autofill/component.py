"""Autofill as a daemon component: opens the profile store and registers ``autofill.*``."""

from __future__ import annotations

import asyncio

from ..daemon.services import Services
from ..storage.autofill import ProfileStore
from ..storage.db import connect
from .service import AutofillService


class AutofillComponent:
    name = "autofill"

    async def start(self, services: Services, tg: asyncio.TaskGroup) -> None:
        self.service = AutofillService(ProfileStore(connect(services.paths.db_file)), services)
        self.service.register(services.router)
        services.extras["autofill"] = self.service

    async def stop(self) -> None:
        return None
