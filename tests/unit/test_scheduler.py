"""Scheduler loop over real SQLite and real subprocesses: firing, missed-run policies across a
restart, overlap and stale locks, the lease, browser-needed jobs, subprocess limits."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pydantic
import pytest

from swarmbridge.scheduler.engine import Scheduler
from swarmbridge.scheduler.jobs import JobSpec
from swarmbridge.sandbox.subproc import python_argv, run_limited, shell_argv
from swarmbridge.scheduler.triggers import TriggerRunner
from swarmbridge.storage.db import connect
from swarmbridge.storage.schedules import ScheduleStore


class NoBrowser:
    """A BrowserLink with nothing connected; ``arrive`` makes one connect after a delay."""

    def __init__(self, arrive: float | None = None, rows: list[Any] | None = None) -> None:
        self.arrive = arrive
        self.rows = rows or []
        self.connected = False
        self.calls: list[str] = []

    def bridges(self) -> list[dict[str, Any]]:
        return [{"bridgeId": "b1"}] if self.connected else []

    async def wait_for_bridge(self, timeout: float, bridge: str | None = None) -> bool:
        if self.arrive is not None and self.arrive <= timeout:
            await asyncio.sleep(self.arrive)
            self.connected = True
            return True
        await asyncio.sleep(timeout)
        return False

    async def call(self, method: str, params: dict[str, Any] | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        self.calls.append(method)
        if method == "browser.tabs.open":
            return {"tabId": 7}
        if method == "browser.extract":
            return {"rows": self.rows, "pages": 1}
        return {"ok": True}


class Env:
    def __init__(self, db: Path, browser: Any = None, swarm: Any = None, offset: float = 0.0) -> None:
        self.store = ScheduleStore(connect(db))
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.runner = TriggerRunner(self.store, browser=browser or NoBrowser(), swarm=lambda: swarm, workdir=str(db.parent))
        self.sched = Scheduler(self.store, self.runner, lambda m, p: self.events.append((m, p)), clock=lambda: time.time() + offset)

    def add(self, due: float, **spec: Any) -> dict[str, Any]:
        s = JobSpec.model_validate(spec)
        self.store.add(s.name, s.model_dump(by_alias=True), due)
        job = self.store.get(s.name)
        assert job is not None
        return job

    async def run_for(self, seconds: float) -> None:
        async with asyncio.TaskGroup() as tg:
            loop = tg.create_task(self.sched.run(tg))
            await asyncio.sleep(seconds)
            await self.sched.stop()
            loop.cancel()

    def statuses(self, name: str) -> list[str]:
        job = self.store.get(name)
        assert job is not None
        return [r["status"] for r in reversed(self.store.history(job["id"], 1000))]


SHELL_TRUE = {"kind": "shell", "command": "true", "timeout_s": 5}


async def test_fires_when_due_with_output_and_event(tmp_path: Path) -> None:
    env = Env(tmp_path / "s.db")
    env.add(time.time() + 0.2, name="hello", cron="* * * * *", trigger={"kind": "shell", "command": "echo hi"})
    await env.run_for(0.8)
    runs = env.store.history(env.store.get("hello")["id"])  # type: ignore[index]
    assert [r["status"] for r in runs] == ["ok"] and runs[0]["output"] == "hi\n"
    assert env.events[-1][0] == "schedule.run_finished" and env.events[-1][1]["status"] == "ok"
    assert env.store.get("hello")["nextDue"] > time.time()  # type: ignore[index]


@pytest.mark.parametrize(("policy", "expected"), [("skip", ["missed"] * 5), ("run_once", ["missed"] * 4 + ["ok"]), ("run_all", ["missed"] * 2 + ["ok"] * 3)])
async def test_missed_policy_across_restart(tmp_path: Path, policy: str, expected: list[str]) -> None:
    db = tmp_path / "s.db"
    first = Env(db)
    now = time.time()
    hour = 3600 * (int(now // 3600) + 1)  # the next whole hour (epoch-aligned, UTC)
    first.add(hour, name="hourly", cron="0 * * * *", trigger=SHELL_TRUE, missed=policy, grace_s=3 * 3600 + 60)
    await first.run_for(0.05)  # not due yet: nothing happens
    assert first.statuses("hourly") == []
    first.store.conn.close()
    # The daemon was down; it comes back 4 h 30 min after the first firing (5 firings were due).
    second = Env(db, offset=hour - now + 4.5 * 3600)
    await second.run_for(0.6)
    assert second.statuses("hourly") == expected
    assert second.store.get("hourly")["nextDue"] == hour + 5 * 3600  # type: ignore[index]


async def test_no_overlap_unless_allowed_and_stale_lock(tmp_path: Path) -> None:
    env = Env(tmp_path / "s.db")
    job = env.add(time.time() + 3600, name="slow", cron="@hourly", trigger={"kind": "shell", "command": "sleep 0.4"})
    async with asyncio.TaskGroup() as tg:
        loop = tg.create_task(env.sched.run(tg))
        await asyncio.sleep(0.02)
        env.sched.run_now(job)
        await asyncio.sleep(0.1)
        env.sched.run_now(job)
        await asyncio.sleep(0.6)
        loop.cancel()
    assert sorted(env.statuses("slow")) == ["ok", "skipped_overlap"]
    # A run that has held the lock past lock_timeout_s is stale: the next run goes ahead.
    env.store.conn.execute("INSERT INTO schedule_runs (job_id, started, status) VALUES (?, ?, 'running')", (job["id"], time.time() - 100))
    run_id, status = env.store.start_run(job["id"], None, allow_overlap=False, lock_timeout_s=50, owner="x")
    assert status == "running" and "stale" in env.statuses("slow")
    _, again = env.store.start_run(job["id"], None, allow_overlap=True, lock_timeout_s=50, owner="x")
    assert again == "running"


async def test_lease_one_scheduler_fires(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    a, b = Env(db), Env(db)
    a.add(time.time() + 0.15, name="once", cron="@daily", trigger=SHELL_TRUE)
    async with asyncio.TaskGroup() as tg:
        la = tg.create_task(a.sched.run(tg))
        await asyncio.sleep(0.02)
        lb = tg.create_task(b.sched.run(tg))
        await asyncio.sleep(0.5)
        assert a.sched.leader and not b.sched.leader
        la.cancel()
        lb.cancel()
    assert a.statuses("once") == ["ok"]


async def test_claim_is_compare_and_set(tmp_path: Path) -> None:
    env = Env(tmp_path / "s.db")
    job = env.add(100.0, name="j", cron="@daily", trigger=SHELL_TRUE)
    assert env.store.claim(job["id"], 100.0, 200.0)
    assert not env.store.claim(job["id"], 100.0, 300.0)


async def test_loop_sleeps_until_due_and_wakes_on_change(tmp_path: Path) -> None:
    env = Env(tmp_path / "s.db")
    env.add(time.time() + 3600, name="later", cron="@hourly", trigger=SHELL_TRUE)
    async with asyncio.TaskGroup() as tg:
        loop = tg.create_task(env.sched.run(tg))
        await asyncio.sleep(0.4)
        assert env.sched.wakeups <= 2  # no polling
        env.add(time.time() + 0.05, name="soon", cron="@hourly", trigger=SHELL_TRUE)
        env.sched.wake()
        await asyncio.sleep(0.3)
        loop.cancel()
    assert env.statuses("soon") == ["ok"]


async def test_browser_job_without_browser_waits_then_fails_with_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import swarmbridge.browser.launch as launch_mod

    launched = []

    async def record() -> None:  # the real launch is covered in tests/integration/test_scheduler_browser.py
        launched.append(True)

    monkeypatch.setattr(launch_mod, "launch_background", record)
    env = Env(tmp_path / "s.db", browser=NoBrowser())
    spec = dict(name="scrape", cron="@daily", grace_s=0.2, no_browser="launch",
                trigger={"kind": "scrape", "url": "https://example.org/", "schema": {"title": "h2"}})
    job = env.add(time.time() + 3600, **spec)
    res = await env.runner(job, JobSpec.model_validate(spec))
    assert res.status == "error" and "no browser connected within 0.2 s (launched in background)" in res.note
    assert launched == [True]


async def test_browser_job_waits_for_bridge_then_scrapes_and_diffs(tmp_path: Path) -> None:
    browser = NoBrowser(arrive=0.05, rows=[{"id": 1, "t": "a"}, {"id": 2, "t": "b"}])
    env = Env(tmp_path / "s.db", browser=browser)
    spec = dict(name="scrape", cron="@daily", grace_s=5, trigger={"kind": "scrape", "url": "https://example.org/", "schema": {"t": "h2"}, "key": "id"})
    job = env.add(time.time() + 3600, **spec)
    first = await env.runner(job, JobSpec.model_validate(spec))
    assert first.status == "ok" and "waited, connected after" in first.note and first.artefacts["diff"]["first"]
    browser.rows = [{"id": 2, "t": "B"}, {"id": 3, "t": "c"}]
    second = await env.runner(job, JobSpec.model_validate(spec))
    d = second.artefacts["diff"]
    assert (d["added"], d["removed"], d["changed"]) == (1, 1, 1)
    assert second.note == "2 rows: 1 added, 1 removed, 1 changed since the last run; browser: already connected"
    assert browser.calls.count("browser.tabs.close") == 2


async def test_prompt_trigger_uses_swarm_facade(tmp_path: Path) -> None:
    class Swarm:
        async def start_run(self, goal: str | None = None, **kw: Any) -> str:
            self.kw = {"goal": goal, **kw}
            return "r1"

        async def wait(self, run_id: str) -> dict[str, Any]:
            return {"status": "completed", "outputs": {"a": 1}, "stop_reason": "done", "tokens": 5, "steps": 2}

    swarm = Swarm()
    env = Env(tmp_path / "s.db", swarm=swarm)
    spec = dict(name="p", cron="@daily", trigger={"kind": "prompt", "prompt": "summarise"})
    res = await env.runner(env.add(1e12, **spec), JobSpec.model_validate(spec))
    assert res.status == "ok" and res.artefacts["runId"] == "r1" and swarm.kw["origin"] == "schedule:p"
    missing = await Env(tmp_path / "t.db").runner(env.store.get("p"), JobSpec.model_validate(spec))  # type: ignore[arg-type]
    assert missing.status == "error" and "swarm executor" in missing.note


async def test_subprocess_timeout_kills_the_group_cap_and_clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "pid"
    res = await run_limited(shell_argv(f"sleep 30 & echo $! > {pidfile}; wait"), timeout_s=0.3)
    assert res.status == "timeout"
    pid = int(pidfile.read_text())
    await asyncio.sleep(0.05)
    assert _dead(pid), "the grandchild survived the timeout"
    big = await run_limited(python_argv("print('x' * 200000)"), timeout_s=5, cap=1000)
    assert big.truncated and len(big.output) == 1000 and big.status == "ok"
    monkeypatch.setenv("SB_SECRET_TOKEN", "s3cret")
    env = await run_limited(python_argv("import os; print(sorted(os.environ))"), timeout_s=5)
    assert "SB_SECRET_TOKEN" not in env.output
    fail = await run_limited(shell_argv("exit 3"), timeout_s=5)
    assert (fail.status, fail.exit_code) == ("failed", 3)


def _dead(pid: int) -> bool:
    """Gone, or a zombie waiting for a reaper (its parent shell was killed with it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_job_spec_boundary() -> None:
    with pytest.raises(pydantic.ValidationError, match="profile"):
        JobSpec.model_validate({"name": "af", "cron": "@daily", "trigger": {"kind": "autofill", "url": "https://shop.example/"}})
    with pytest.raises(pydantic.ValidationError, match="a profile name is"):
        JobSpec.model_validate({"name": "af", "cron": "@daily", "trigger": {"kind": "autofill", "url": "https://a.example/", "profile": "../x"}})
    with pytest.raises(pydantic.ValidationError, match="url"):
        JobSpec.model_validate({"name": "af", "cron": "@daily", "trigger": {"kind": "autofill", "url": "file:///etc/passwd", "profile": "home"}})
    af = JobSpec.model_validate({"name": "af", "cron": "@daily", "trigger": {"kind": "autofill", "url": "https://a.example/", "profile": "home", "submit": "#buy"}})
    assert af.needs_browser and af.trigger.approval_timeout_s == 900.0 and af.trigger.include_payment is False
    with pytest.raises(pydantic.ValidationError, match="unknown timezone"):
        JobSpec.model_validate({"name": "x", "cron": "@daily", "tz": "Nowhere/City", "trigger": SHELL_TRUE})
    with pytest.raises(pydantic.ValidationError):
        JobSpec.model_validate({"name": "x", "cron": "@daily", "trigger": SHELL_TRUE, "missed": "sometimes"})
    with pytest.raises(pydantic.ValidationError):
        JobSpec.model_validate({"name": "bad name", "cron": "@daily", "trigger": SHELL_TRUE})


def test_jitter_delays_within_its_bound() -> None:
    from swarmbridge.scheduler.engine import next_due

    spec = JobSpec.model_validate({"name": "j", "cron": "0 * * * *", "jitter_s": 30, "trigger": SHELL_TRUE})
    base = 3600 * 500_000.0
    dues = {next_due(spec, base) - base - 3600 for _ in range(50)}
    assert all(0 <= d <= 30 for d in dues) and len(dues) > 1
