"""The ``schedule.*`` RPC methods: validate, persist, tell the loop, publish ``schedule.changed``.

Kept apart from the loop so the CLI contract (params and results) can be read in one screen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pydantic

from ..protocol.envelope import ErrorCode
from ..rpc.router import CallContext, Router, RpcError
from ..storage.schedules import ScheduleStore
from .cron import CronError, fire_times
from .engine import Publish, Scheduler, next_due
from .jobs import JobSpec, ScrapeTrigger
from .scrape import run_scrape


class _Name(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    name: str


class _History(_Name):
    limit: int = pydantic.Field(default=20, ge=1, le=1000)


class NextIn(pydantic.BaseModel):
    """``schedule.next`` and ``swarmbridge schedule next`` (computed in the CLI, same rules)."""

    model_config = pydantic.ConfigDict(extra="forbid")
    expr: str
    tz: str = "UTC"
    start: str | None = pydantic.Field(default=None, alias="from")
    count: int = pydantic.Field(default=5, ge=1, le=1000)


def next_times(expr: str, tz: str, start: str | None, count: int) -> list[str]:
    """ISO fire times with UTC offsets, exactly as the scheduler fires them (same ``next_fire``)."""
    after = datetime.now(UTC) if start is None else datetime.fromisoformat(start)
    if after.tzinfo is None:
        from .cron import zone

        after = after.replace(tzinfo=zone(tz))
    return [t.isoformat() for t in fire_times(expr, tz, after, count)]


class _Preview(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    trigger: ScrapeTrigger
    limit: int = pydantic.Field(default=200, ge=1, le=5000)


class ScheduleAPI:
    def __init__(self, store: ScheduleStore, scheduler: Scheduler, publish: Publish, browser: Any = None) -> None:
        self.store = store
        self.scheduler = scheduler
        self.publish = publish
        self.browser = browser

    def register(self, router: Router) -> None:
        for name in ("add", "list", "show", "remove", "pause", "resume", "run_now", "history", "next", "preview"):
            router.register(f"schedule.{name}", getattr(self, f"_rpc_{name}"))

    def _job(self, name: str) -> dict[str, Any]:
        job = self.store.get(name)
        if job is None:
            raise RpcError(ErrorCode.NOT_FOUND, f"no job named {name!r}")
        return job

    def _changed(self, name: str, change: str) -> None:
        self.scheduler.wake()
        self.publish("schedule.changed", {"job": name, "change": change})

    async def _rpc_add(self, params: dict[str, Any], ctx: CallContext) -> Any:
        replace = bool(params.pop("replace", False))
        spec = JobSpec.model_validate(params)
        doc = spec.model_dump(by_alias=True)
        due = next_due(spec, self.scheduler.clock())
        if replace and self.store.get(spec.name):
            self.store.update(spec.name, doc, due)
        else:
            try:
                self.store.add(spec.name, doc, due)
            except KeyError as exc:
                raise RpcError(ErrorCode.INVALID_PARAMS, str(exc.args[0])) from exc
        self._changed(spec.name, "replaced" if replace else "added")
        return self._job(spec.name)

    async def _rpc_list(self, params: dict[str, Any], ctx: CallContext) -> Any:
        return {"jobs": self.store.list()}

    async def _rpc_show(self, params: dict[str, Any], ctx: CallContext) -> Any:
        job = self._job(_Name.model_validate(params).name)
        return {**job, "history": self.store.history(job["id"], 10)}

    async def _rpc_remove(self, params: dict[str, Any], ctx: CallContext) -> Any:
        name = _Name.model_validate(params).name
        self._job(name)
        self.store.remove(name)
        self._changed(name, "removed")
        return {"removed": name}

    async def _rpc_pause(self, params: dict[str, Any], ctx: CallContext) -> Any:
        name = _Name.model_validate(params).name
        self._job(name)
        self.store.set_paused(name, True)
        self._changed(name, "paused")
        return self._job(name)

    async def _rpc_resume(self, params: dict[str, Any], ctx: CallContext) -> Any:
        job = self._job(_Name.model_validate(params).name)
        # Resuming starts from now: firings while paused are not "missed".
        self.store.set_paused(job["name"], False, next_due(JobSpec.model_validate(job["spec"]), self.scheduler.clock()))
        self._changed(job["name"], "resumed")
        return self._job(job["name"])

    async def _rpc_run_now(self, params: dict[str, Any], ctx: CallContext) -> Any:
        job = self._job(_Name.model_validate(params).name)
        self.scheduler.run_now(job)
        return {"started": job["name"]}

    async def _rpc_history(self, params: dict[str, Any], ctx: CallContext) -> Any:
        p = _History.model_validate(params)
        return {"runs": self.store.history(self._job(p.name)["id"], p.limit)}

    async def _rpc_next(self, params: dict[str, Any], ctx: CallContext) -> Any:
        p = NextIn.model_validate(params)
        try:
            return {"times": next_times(p.expr, p.tz, p.start, p.count)}
        except (CronError, ValueError) as exc:
            raise RpcError(ErrorCode.INVALID_PARAMS, str(exc)) from exc

    async def _rpc_preview(self, params: dict[str, Any], ctx: CallContext) -> Any:
        """Run a scrape recipe once, exactly as its job will (same ``run_scrape``: a background tab,
        scrolling, every page), and return the rows without saving anything."""
        p = _Preview.model_validate(params)
        if self.browser is None or not self.browser.bridges():
            raise RpcError(ErrorCode.NO_BRIDGE, "no browser is connected: a preview runs the recipe in a browser tab")
        rows = await run_scrape(self.browser, p.trigger, caller="schedule:preview")
        return {"rows": rows[: p.limit], "total": len(rows)}
