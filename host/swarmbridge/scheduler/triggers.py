"""Turning a fired job into work: one function per trigger kind, one result shape.

The runner meets the rest of the daemon only through what it is handed: the browser link, a way to
find the swarm facade (``services.extras["swarm"]``, which may land after the scheduler), the store
(for scrape diffs).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..jsontext import dumps
from ..storage.schedules import ScheduleStore
from .jobs import AutofillTrigger, JobSpec, PromptTrigger, PythonTrigger, ScrapeTrigger, ShellTrigger
from .outputs import change_note, job_folder, write_rows
from .scrape import diff_rows, run_scrape
from ..sandbox.subproc import OUTPUT_CAP, python_argv, run_limited, shell_argv

SWARM_OK = frozenset({"completed", "complete", "succeeded", "success", "done", "ok"})


@dataclass
class RunResult:
    status: str  # ok | failed | timeout | error
    output: str = ""
    artefacts: dict[str, Any] = field(default_factory=dict)
    note: str = ""


class TriggerRunner:
    def __init__(self, store: ScheduleStore, *, browser: Any, swarm: Callable[[], Any], goals: Callable[[], Any] = lambda: None,
                 autofill: Callable[[], Any] = lambda: None, workdir: str | None = None) -> None:
        self.store = store
        self.browser = browser
        self.swarm = swarm
        self.goals = goals
        self.autofill = autofill
        self.workdir = workdir

    async def __call__(self, job: dict[str, Any], spec: JobSpec) -> RunResult:
        trig = spec.trigger
        if isinstance(trig, PythonTrigger | ShellTrigger):
            argv = python_argv(trig.code) if isinstance(trig, PythonTrigger) else shell_argv(trig.command)
            res = await run_limited(argv, timeout_s=trig.timeout_s, cwd=self.workdir)
            return RunResult(res.status, res.output, {"exitCode": res.exit_code, "truncated": res.truncated})
        if isinstance(trig, PromptTrigger):
            return await self._prompt(job, trig)
        if isinstance(trig, ScrapeTrigger):
            return await self._scrape(job, spec, trig)
        if isinstance(trig, AutofillTrigger):
            return await self._autofill(job, spec, trig)
        return RunResult("error", note=f"trigger kind {trig.kind!r} cannot run")

    async def _prompt(self, job: dict[str, Any], trig: PromptTrigger) -> RunResult:
        if trig.goal is not None:
            return self._goal(trig)
        swarm = self.swarm()
        if swarm is None:
            return RunResult("error", note="the swarm executor is not part of this daemon yet (services.extras['swarm'] missing)")
        run_id = await swarm.start_run(trig.prompt, origin=f"schedule:{job['name']}", budgets=trig.budgets)
        res = await swarm.wait(run_id)
        status = "ok" if str(res.get("status", "")).lower() in SWARM_OK else "failed"
        out = dumps(res.get("outputs"))[:OUTPUT_CAP]
        arts = {"runId": run_id, "deliverables": res.get("deliverables"), "tokens": res.get("tokens"), "steps": res.get("steps")}
        return RunResult(status, out, arts, note=str(res.get("stop_reason") or ""))

    def _goal(self, trig: PromptTrigger) -> RunResult:
        """Start a goal and return at once: the goal runs its own rounds (see ``goal show``)."""
        from ..goals.model import GoalSpec

        goals = self.goals()
        if goals is None:
            return RunResult("error", note="Goal Mode is not part of this daemon (services.extras['goals'] missing)")
        goal_id = goals.create(GoalSpec.model_validate({**trig.goal, "objective": trig.prompt}))
        return RunResult("ok", f"goal {goal_id} started", {"goalId": goal_id})

    async def _scrape(self, job: dict[str, Any], spec: JobSpec, trig: ScrapeTrigger) -> RunResult:
        note = await self.ensure_browser(spec)
        if note.startswith("no browser"):
            return RunResult("error", note=note)
        rows = await run_scrape(self.browser, trig, caller=f"schedule:{job['name']}")
        diff = diff_rows(self.store.last_rows(job["id"]), rows, trig.key)
        self.store.save_rows(job["id"], rows)
        changed = not diff.get("first") and bool(diff.get("added") or diff.get("removed") or diff.get("changed"))
        arts: dict[str, Any] = {"rows": len(rows), "diff": diff, "notify": changed and trig.notify_on_change}
        if trig.output and self.workdir:
            # off the event loop: an XLSX of thousands of rows takes a while to build
            path = await asyncio.to_thread(write_rows, job_folder(Path(self.workdir), job["name"]), job["name"], trig.output, rows, diff)
            arts["file"] = str(path)
        note = f"{change_note(diff, len(rows), trig.notify_on_change)}; {note}"
        return RunResult("ok", json.dumps(rows, ensure_ascii=False)[:OUTPUT_CAP], arts, note)

    async def _autofill(self, job: dict[str, Any], spec: JobSpec, trig: AutofillTrigger) -> RunResult:
        """Fill the page's form from the profile in a swarm tab; submit only once approved (the
        approval waits at most ``approval_timeout_s``, then counts as denied)."""
        service = self.autofill()
        if service is None:
            return RunResult("error", note="autofill is not part of this daemon (services.extras['autofill'] missing)")
        from ..autofill.service import FillRequest

        note = await self.ensure_browser(spec)
        if note.startswith("no browser"):
            return RunResult("error", note=note)
        caller = f"schedule:{job['name']}"
        opened = await self.browser.call("browser.tabs.open", {"url": trig.url, "caller": caller, "active": False, "wait": "load"})
        tab = opened["tabId"]
        try:
            if trig.wait_selector:
                await self.browser.call("browser.wait_for", {"tabId": tab, "selector": trig.wait_selector, "timeoutMs": 15000})
            fill = FillRequest.model_validate({"tabId": tab, "profile": trig.profile, "includePayment": trig.include_payment, "submit": trig.submit})
            res = await service.run_fill(fill, origin=caller, occasion=f"{job['id']}:{time.time_ns()}", approval_timeout=trig.approval_timeout_s)
        finally:
            await self.browser.call("browser.tabs.close", {"tabId": tab})
        arts = {"filled": res["filled"], "submitted": res["submitted"], "preview": res["preview"]}
        if "denied" in res or "submitDenied" in res:
            return RunResult("denied", json.dumps(res["preview"], ensure_ascii=False)[:OUTPUT_CAP], arts, f"{note}; not submitted: {res.get('denied') or res.get('submitDenied')}")
        if res["filled"] == 0:
            return RunResult("failed", "", arts, f"{note}; no field on {trig.url} matched profile {trig.profile!r}")
        return RunResult("ok", json.dumps(res["preview"], ensure_ascii=False)[:OUTPUT_CAP], arts, note)

    async def ensure_browser(self, spec: JobSpec) -> str:
        """Make sure a bridge is connected, as the job says; return what was done (for history)."""
        if self.browser.bridges():
            return "browser: already connected"
        started = time.monotonic()
        how = "waited"
        if spec.no_browser == "launch":
            try:
                launch = importlib.import_module("swarmbridge.browser.launch")
            except ImportError:
                how = "launch unavailable (browser/launch.py not in this build), waited"
            else:
                start = getattr(launch, "launch_background", None)
                if start is None:
                    how = "launch unavailable (browser/launch.py has no launch_background), waited"
                else:
                    await start()
                    how = "launched in background"
        ok = await self.browser.wait_for_bridge(spec.grace_s)
        took = time.monotonic() - started
        if not ok:
            return f"no browser connected within {spec.grace_s:g} s ({how})"
        return f"browser: {how}, connected after {took:.1f} s"
