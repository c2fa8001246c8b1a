"""The scheduler loop: sleep until the earliest due job (or until jobs change), fire, repeat.

No fixed-interval polling: the loop waits on an ``asyncio.Event`` with a timeout equal to the time
left until the next due job (capped by the lease renewal period). Firing a job is a claim on its
``next_due`` (compare-and-set), so two processes never fire the same firing; the lease keeps a
second scheduler passive altogether.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from ..storage.schedules import ScheduleStore
from .cron import next_fire
from .jobs import JobSpec
from .triggers import RunResult

log = logging.getLogger(__name__)

Runner = Callable[[dict[str, Any], JobSpec], Awaitable[RunResult]]
Publish = Callable[[str, dict[str, Any]], None]
MAX_CATCHUP = 1000
#: The loop wakes this long before a due time to claim and record the firings, then each run waits
#: for its exact moment: a burst of due jobs starts on time instead of one bookkeeping step apart.
PREPARE_S = 0.05


def next_due(spec: JobSpec, after: float) -> float:
    """The next due epoch after ``after``, jitter included."""
    base = next_fire(spec.cron, spec.tz, datetime.fromtimestamp(after, UTC)).timestamp()
    return base + (random.uniform(0, spec.jitter_s) if spec.jitter_s else 0.0)


class Scheduler:
    def __init__(self, store: ScheduleStore, runner: Runner, publish: Publish, *, clock: Callable[[], float] = time.time, lease_ttl_s: float = 60.0) -> None:
        self.store = store
        self.runner = runner
        self.publish = publish
        self.clock = clock
        self.lease_ttl_s = lease_ttl_s
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.leader = False
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._tg: asyncio.TaskGroup | None = None
        self.wakeups = 0  # for tests/bench: the loop must not spin

    # the loop -------------------------------------------------------------------------------
    async def run(self, tg: asyncio.TaskGroup) -> None:
        """Run until cancelled; jobs fire as tasks in ``tg``."""
        self._tg = tg
        renewed = 0.0
        try:
            while True:
                self.wakeups += 1
                now = self.clock()
                if now - renewed >= self.lease_ttl_s / 3 or not self.leader:
                    was = self.leader
                    self.leader = self.store.acquire_lease(self.owner, self.lease_ttl_s)
                    renewed = now
                    if self.leader and not was:
                        n = self.store.interrupt_orphans(self.owner)
                        if n:
                            log.info("scheduler: %d runs of an earlier process marked interrupted", n)
                if self.leader:
                    with self.store.transaction():  # claims and run starts of a burst: one commit
                        for job in self.store.due(now + PREPARE_S):
                            self._fire(job, now)
                    await asyncio.sleep(0)  # let the runs just spawned start before bookkeeping
                    self._precompute()
                await self._sleep()
        finally:
            if self.leader:
                self.store.release_lease(self.owner)
                self.leader = False

    def _precompute(self, limit: int = 1000) -> None:
        """Fill in the firing after ``next_due`` for jobs due within two lease periods that lack it
        (new, just fired, resumed), so firing a due job needs no cron arithmetic. The loop passes
        here at least every lease_ttl_s/3, so every job is prepared before it is due."""
        for job in self.store.missing_after(self.clock() + self.lease_ttl_s, limit):
            try:
                spec = JobSpec.model_validate(job["spec"])
            except ValueError:
                continue  # reported when it fires
            self.store.set_after_due(job["id"], job["nextDue"], next_due(spec, job["nextDue"]))

    async def _sleep(self) -> None:
        timeout = self.lease_ttl_s / 3
        if self.leader:
            due = self.store.earliest_due()
            if due is not None:
                timeout = min(timeout, max(0.0, due - PREPARE_S - self.clock()))
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    def wake(self) -> None:
        """Jobs changed: recompute the next due time now."""
        self._wake.set()

    # firing ---------------------------------------------------------------------------------
    def _fire(self, job: dict[str, Any], now: float) -> None:
        try:
            spec = JobSpec.model_validate(job["spec"])
        except ValueError as exc:
            self.store.claim(job["id"], job["nextDue"], None)
            self.store.record(job["id"], job["nextDue"], "error", f"invalid job spec, job stopped: {exc}")
            return
        firings = [job["nextDue"]]
        new_due = job.get("afterDue")
        horizon = now + PREPARE_S
        if new_due is None or new_due <= horizon:  # successor unknown, or firings were missed: walk
            while len(firings) < MAX_CATCHUP:
                new_due = next_due(spec, firings[-1])
                if new_due > horizon:
                    break
                firings.append(new_due)
        if not self.store.claim(job["id"], job["nextDue"], new_due):
            return  # another process fired it
        within = [f for f in firings if now - f <= spec.grace_s]
        if spec.missed == "skip":
            run = [firings[-1]] if len(firings) == 1 and within else []
        elif spec.missed == "run_once":
            run = within[-1:]
        else:
            run = within
        missed = [f for f in firings if f not in run]
        for f in missed[-20:]:
            self.store.record(job["id"], f, "missed", f"missed ({spec.missed}, grace {spec.grace_s:g} s, {now - f:.0f} s late)")
        if len(missed) > 20:
            self.store.record(job["id"], missed[0], "missed", f"{len(missed) - 20} earlier firings missed too")
        if run:
            self._spawn(job, spec, run)

    def run_now(self, job: dict[str, Any]) -> None:
        self._spawn(job, JobSpec.model_validate(job["spec"]), [None])

    def _spawn(self, job: dict[str, Any], spec: JobSpec, firings: list[float | None]) -> None:
        """Record the first run's start now (inside the caller's transaction, if any), then run
        it and the rest in a task."""
        assert self._tg is not None, "scheduler not running"
        first = self._start(job, spec, firings[0])
        task = self._tg.create_task(self._execute(job, spec, firings, first))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _start(self, job: dict[str, Any], spec: JobSpec, when: float | None) -> tuple[int, str]:
        return self.store.start_run(job["id"], when, allow_overlap=spec.allow_overlap, lock_timeout_s=spec.lock_timeout_s, owner=self.owner)

    async def _execute(self, job: dict[str, Any], spec: JobSpec, firings: list[float | None], first: tuple[int, str]) -> None:
        for i, when in enumerate(firings):
            run_id, status = first if i == 0 else self._start(job, spec, when)
            if status != "running":
                self._finished(job, run_id, status, "", "a run of this job is still going")
                continue
            try:
                if when is not None and (early := when - self.clock()) > 0:
                    await asyncio.sleep(early)  # prepared ahead (PREPARE_S): start on the dot
                res = await self.runner(job, spec)
            except asyncio.CancelledError:
                self.store.finish_run(run_id, "interrupted", "", {}, "scheduler stopped")
                raise
            except Exception as exc:  # a trigger's failure is a run's failure, not the loop's
                log.exception("job %s failed", job["name"])
                res = RunResult("error", note=f"{type(exc).__name__}: {exc}")
            self.store.finish_run(run_id, res.status, res.output, res.artefacts, res.note)
            self._finished(job, run_id, res.status, res.output, res.note, notify=bool(res.artefacts.get("notify")))

    def _finished(self, job: dict[str, Any], run_id: int, status: str, output: str, note: str, *, notify: bool = False) -> None:
        """``notify``: a successful run found something the user asked to hear about (a scrape's
        rows changed, with notify-on-change on); failures are always worth a notification."""
        self.publish("schedule.run_finished", {"job": job["name"], "runId": run_id, "status": status, "note": note, "output": output[:500],
                                               "notify": notify})

    async def stop(self) -> None:
        """Interrupt runs in flight (their subprocesses are killed) and record that."""
        for t in list(self._tasks):
            t.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
