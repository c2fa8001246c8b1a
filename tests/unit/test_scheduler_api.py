"""The ``schedule.*`` methods through a real Router (validation, events, wake-ups) and
``swarmbridge schedule next`` printing exactly what the scheduler fires."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from swarmbridge.protocol import envelope
from swarmbridge.rpc.router import CallContext, Router
from swarmbridge.scheduler.api import ScheduleAPI
from swarmbridge.scheduler.cron import fire_times
from swarmbridge.scheduler.engine import Scheduler
from swarmbridge.scheduler.jobs import JobSpec
from swarmbridge.scheduler.triggers import TriggerRunner
from swarmbridge.storage.db import connect
from swarmbridge.storage.schedules import ScheduleStore


class Api:
    def __init__(self, db: Path) -> None:
        self.store = ScheduleStore(connect(db))
        self.events: list[tuple[str, dict[str, Any]]] = []
        publish = lambda m, p: self.events.append((m, p))  # noqa: E731
        self.sched = Scheduler(self.store, TriggerRunner(self.store, browser=None, swarm=lambda: None), publish)
        self.router = Router()
        ScheduleAPI(self.store, self.sched, publish).register(self.router)

    async def __call__(self, method: str, params: dict[str, Any]) -> Any:
        reply = await self.router.dispatch(envelope.request(method, params, "t1"), CallContext("c1"))
        return reply.result if reply.error is msgspec.UNSET else reply.error


JOB = {"name": "nightly", "cron": "30 2 * * *", "tz": "Europe/Berlin", "trigger": {"kind": "shell", "command": "true"}}


async def test_add_pause_resume_remove_and_events(tmp_path: Path) -> None:
    api = Api(tmp_path / "s.db")
    job = await api("schedule.add", dict(JOB))
    assert job["name"] == "nightly" and job["nextDue"] == fire_times("30 2 * * *", "Europe/Berlin", datetime.now().astimezone(), 1).__next__().timestamp()
    assert api.sched._wake.is_set()  # the loop recomputes its sleep
    dup = await api("schedule.add", dict(JOB))
    assert dup.code == "invalid_params" and "already exists" in dup.message
    moved = await api("schedule.add", {**JOB, "tz": "Asia/Tokyo", "replace": True})
    assert moved["nextDue"] != job["nextDue"] and moved["spec"]["tz"] == "Asia/Tokyo"
    assert (await api("schedule.pause", {"name": "nightly"}))["paused"] is True
    assert (await api("schedule.resume", {"name": "nightly"}))["nextDue"] > time.time()
    assert (await api("schedule.list", {}))["jobs"][0]["name"] == "nightly"
    assert (await api("schedule.remove", {"name": "nightly"})) == {"removed": "nightly"}
    assert (await api("schedule.show", {"name": "nightly"})).code == "not_found"
    assert [p["change"] for m, p in api.events if m == "schedule.changed"] == ["added", "replaced", "paused", "resumed", "removed"]


async def test_bad_input_is_refused_clearly(tmp_path: Path) -> None:
    api = Api(tmp_path / "s.db")
    bad = await api("schedule.add", {**JOB, "cron": "99 * * * *"})
    assert bad.code == "invalid_params" and "invalid cron expression" in bad.message
    af = await api("schedule.add", {**JOB, "trigger": {"kind": "autofill", "url": "https://a.example/"}})
    assert af.code == "invalid_params" and "profile" in af.message
    goal = await api("schedule.add", {**JOB, "trigger": {"kind": "prompt", "prompt": "x", "goal": {"criteria": []}}})
    assert goal.code == "invalid_params"
    budgets = await api("schedule.add", {**JOB, "trigger": {"kind": "prompt", "prompt": "x", "budgets": {"tokens": 5}}})
    assert budgets.code == "invalid_params" and "tokens" in budgets.message, "run budgets are checked when added, not at each firing"
    assert (await api("schedule.next", {"expr": "@hourly", "count": 0})).code == "invalid_params"
    assert (await api("schedule.list", {})) == {"jobs": []}  # nothing half-added


async def test_prompt_trigger_can_start_a_goal(tmp_path: Path) -> None:
    class Goals:
        def create(self, spec: Any) -> int:
            self.spec = spec
            return 9

    goals = Goals()
    store = ScheduleStore(connect(tmp_path / "s.db"))
    runner = TriggerRunner(store, browser=None, swarm=lambda: None, goals=lambda: goals)
    spec = JobSpec.model_validate({**JOB, "trigger": {"kind": "prompt", "prompt": "watch prices", "goal": {"criteria": [{"kind": "regex", "pattern": "x"}]}}})
    res = await runner({"id": 1, "name": "nightly"}, spec)
    assert res.artefacts == {"goalId": 9} and goals.spec.objective == "watch prices"


def test_cli_next_prints_what_the_scheduler_fires() -> None:
    res = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "schedule", "next", "30 2 * * *", "--tz", "Europe/Berlin",
                          "--from", "2026-03-28T12:00", "--count", "3"], capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    start = datetime.fromisoformat("2026-03-28T12:00+01:00")
    assert res.stdout.split() == [t.isoformat() for t in fire_times("30 2 * * *", "Europe/Berlin", start, 3)]
    assert res.stdout.split()[0] == "2026-03-29T03:00:00+02:00"
