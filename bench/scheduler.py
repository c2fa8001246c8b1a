"""Scheduler cost and accuracy, beside APScheduler 3.x doing the same in the same run.

1. 10,000 jobs loaded (daily at various times, none due), idle for --idle-seconds: CPU used by the
   process while the scheduler sleeps (process CPU time / wall time).
2. 200 more jobs all due in the same second: firing lateness (the job's callable starts minus its
   due time), p50 and p99.
Our side runs the real ``Scheduler`` over a real SQLite file; the runner only records the time
(the trigger's own work is not the scheduler's latency). APScheduler: AsyncIOScheduler, memory
job store, CronTrigger / DateTrigger. Targets (issue 4): idle ~0 %, p99 <= 20 ms.

Usage: python bench/scheduler.py [--jobs 10000] [--idle-seconds 60] [--burst 200]
(needs the `bench` extra for APScheduler). Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from swarmbridge.scheduler.engine import Scheduler
from swarmbridge.scheduler.jobs import JobSpec
from swarmbridge.scheduler.triggers import RunResult
from swarmbridge.storage.db import connect
from swarmbridge.storage.schedules import ScheduleStore


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


async def idle_cpu(seconds: float) -> float:
    c0, w0 = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    return 100.0 * (time.process_time() - c0) / (time.monotonic() - w0)


async def bench_ours(n_jobs: int, idle_s: float, burst: int, db: Path) -> dict[str, float]:
    store = ScheduleStore(connect(db))
    fired: list[float] = []
    due_at: dict[str, float] = {}

    async def runner(job: dict[str, Any], spec: JobSpec) -> RunResult:
        fired.append(time.time() - due_at[job["name"]])
        await asyncio.sleep(0)  # like any real trigger, yield once its work is under way
        return RunResult("ok")

    sched = Scheduler(store, runner, lambda m, p: None)
    now = time.time()
    store.conn.execute("BEGIN")
    for i in range(n_jobs):
        spec = JobSpec.model_validate({"name": f"idle{i}", "cron": f"{i % 60} {i % 24} * * *", "tz": "Europe/Berlin", "trigger": {"kind": "shell", "command": "true"}})
        store.add(spec.name, spec.model_dump(by_alias=True), now + 86_400 + i)
    store.conn.execute("COMMIT")
    async with asyncio.TaskGroup() as tg:
        loop = tg.create_task(sched.run(tg))
        await asyncio.sleep(0.2)
        cpu = await idle_cpu(idle_s)
        due = float(int(time.time()) + 2)
        for i in range(burst):
            spec = JobSpec.model_validate({"name": f"burst{i}", "cron": "@daily", "trigger": {"kind": "shell", "command": "true"}})
            store.add(spec.name, spec.model_dump(by_alias=True), due)
            due_at[spec.name] = due
        sched.wake()
        while len(fired) < burst and time.time() < due + 10:
            await asyncio.sleep(0.05)
        loop.cancel()
    store.conn.close()
    return {"idle_cpu_pct": round(cpu, 3), "lateness_p50_ms": round(1000 * pct(fired, 0.5), 2), "lateness_p99_ms": round(1000 * pct(fired, 0.99), 2), "fired": len(fired)}


async def bench_apscheduler(n_jobs: int, idle_s: float, burst: int) -> dict[str, float]:
    from datetime import datetime

    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.date import DateTrigger

    fired: list[float] = []

    async def noop() -> None:
        return None

    async def record(due: float) -> None:
        fired.append(time.time() - due)

    sched = AsyncIOScheduler(timezone="UTC", job_defaults={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1})
    for i in range(n_jobs):
        sched.add_job(noop, CronTrigger(minute=i % 60, hour=i % 24, timezone="Europe/Berlin"), id=f"idle{i}")
    sched.start()
    await asyncio.sleep(0.2)
    cpu = await idle_cpu(idle_s)
    due = float(int(time.time()) + 2)
    when = datetime.fromtimestamp(due).astimezone()
    for i in range(burst):
        sched.add_job(record, DateTrigger(run_date=when), args=[due], id=f"burst{i}")
    while len(fired) < burst and time.time() < due + 10:
        await asyncio.sleep(0.05)
    sched.shutdown(wait=False)
    return {"idle_cpu_pct": round(cpu, 3), "lateness_p99_ms": round(1000 * pct(fired, 0.99), 2), "fired": len(fired)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=10_000)
    ap.add_argument("--idle-seconds", type=float, default=60.0)
    ap.add_argument("--burst", type=int, default=200)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sbbench-") as tmp:
        ours = asyncio.run(bench_ours(a.jobs, a.idle_seconds, a.burst, Path(tmp) / "s.db"))
    aps = asyncio.run(bench_apscheduler(a.jobs, a.idle_seconds, a.burst))
    print(f"ours: {ours}\napscheduler: {aps}")
    print(json.dumps({
        "jobs": a.jobs, "idle_seconds": a.idle_seconds, "burst": a.burst,
        "idle_cpu_pct": ours["idle_cpu_pct"], "lateness_p50_ms": ours["lateness_p50_ms"], "lateness_p99_ms": ours["lateness_p99_ms"], "fired": ours["fired"],
        "apscheduler_lateness_p99_ms": aps["lateness_p99_ms"], "apscheduler_idle_cpu_pct": aps["idle_cpu_pct"], "apscheduler_fired": aps["fired"],
    }))


if __name__ == "__main__":
    main()
