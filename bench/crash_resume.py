"""Crash/resume benchmark against the real daemon: a 100-task recipe run in a ``swarmbridge daemon``
subprocess (own temporary SWARMBRIDGE_HOME), kill -9 of the daemon at a random moment, restart
(the daemon resumes every unfinished run by itself), wait for the run to end.

The tool calls record each real execution: every task is a ``python_run`` call (the product's
sandboxed Python tool) whose code writes a marker file ``mark-<task>`` in its own scratch folder,
so the bench counts executions per task on disk, outside the daemon's own bookkeeping. A call in
flight at the kill has no recorded result and may legitimately run again (its sandbox child may
even finish after the kill); a call whose result was committed must never run again.

Keys: ``trials`` (daemon kills), ``lost_results`` (tasks without a done output at the end),
``repeated_tool_calls`` (executions of a call whose result was recorded before the kill; must be
0), ``killed_mid_run`` (trials whose kill left 1..99 results recorded), ``reran_in_flight`` (calls
in flight at the kill that ran again: allowed), ``resume_s_max`` (restart to run end, worst).

``python_run`` is a read-risk tool (its result is recorded behind, not waited for). No product
tool that is an action runs without a browser or a person approving, so the action mode (result
committed before the agent goes on) is killed in-process: ``--action-trials`` runs of the
executor in a child process with a recording tool declared an action, killed -9 the same way
(``actions_lost_repeated``). Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HOST = str(Path(__file__).resolve().parents[1] / "host")
sys.path.insert(0, HOST)

TASKS = 100


def recipe() -> dict[str, Any]:
    """100 python_run tasks in 10 chains of 10 (t{i} waits for t{i-10}): a kill lands mid-chain."""
    steps = []
    for i in range(TASKS):
        code = f"open('mark-t{i}', 'w').write('1')\nprint('t{i}')"
        steps.append({"id": f"t{i}", "tool": "python_run", "args": {"code": code, "timeout_s": 30},
                      **({"inputs": [f"t{i - 10}"]} if i >= 10 else {})})
    return {"goal": "crash-resume bench", "steps": steps}


class Daemon:
    """One ``swarmbridge daemon`` subprocess over ``home``; ``kill9`` or ``stop`` it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "SWARMBRIDGE_HOME": str(home), "PYTHONPATH": HOST + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc: subprocess.Popen[bytes] | None = None

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 10) -> Any:
        from swarmbridge.rpc.client import call

        return call(method, params or {}, path=self.socket, timeout=timeout)

    @property
    def socket(self) -> str:
        """The socket path ``user_paths`` gives under this home (what the daemon listens on)."""
        from swarmbridge.paths import user_paths

        old = os.environ.get("SWARMBRIDGE_HOME")
        os.environ["SWARMBRIDGE_HOME"] = str(self.home)
        try:
            return user_paths().socket
        finally:
            if old is None:
                del os.environ["SWARMBRIDGE_HOME"]
            else:
                os.environ["SWARMBRIDGE_HOME"] = old

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.call("daemon.status", timeout=2)
                return
            except Exception:  # noqa: BLE001 - not answering yet
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the daemon did not start (exit {self.proc.poll()})") from None
                time.sleep(0.05)

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        """Shut down through the socket; SIGTERM, then SIGKILL if it does not go. Nothing is left."""
        if self.proc is None:
            return
        try:
            self.call("daemon.shutdown", timeout=5)
        except Exception:  # noqa: BLE001 - gone already, or not answering: signals below
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def marks(home: Path) -> Counter[str]:
    """Real executions per task: one marker file per python_run execution, each in its own scratch folder."""
    return Counter(p.name[5:] for p in (home / "data").rglob("mark-t*"))


def recorded(home: Path, rid: str) -> set[str]:
    """Tasks whose tool result was committed (what a resumed run must not execute again)."""
    db = next((home / "data").rglob("swarmbridge.db"))
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT task_id FROM steps WHERE run_id = ? AND kind = 'tool_result'", (rid,))}
    finally:
        conn.close()


def daemon_trial(rng: random.Random) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="sbc-", dir="/tmp"))  # short: the socket path must fit in sun_path
    d = Daemon(home)
    try:
        d.start()
        rid = d.call("runs.start", {"recipe": recipe(), "origin": "bench"})["id"]
        target = rng.randint(1, 90)  # kill after a random number of real executions: mid-run by construction
        deadline = time.monotonic() + 120
        while sum(marks(home).values()) < target and time.monotonic() < deadline:
            time.sleep(0.002)
        d.kill9()
        time.sleep(0.3)  # a sandbox child in flight at the kill may still finish and leave its marker
        done_before = recorded(home, rid)
        t0 = time.monotonic()
        d.start()  # resumes the unfinished run by itself
        while (run := d.call("runs.show", {"id": rid}))["status"] == "running":
            if time.monotonic() - t0 > 300:
                raise RuntimeError("the resumed run did not finish in 300 s")
            time.sleep(0.05)
        resume_s = time.monotonic() - t0
        execs = marks(home)
        return {"lost": TASKS - len(run["outputs"]), "status": run["status"],
                "repeated": sum(execs[t] - 1 for t in done_before if execs[t] > 1),
                "in_flight_again": sum(n - 1 for t, n in execs.items() if t not in done_before and n > 1),
                "mid": 0 < len(done_before) < TASKS, "resume_s": resume_s}
    finally:
        d.stop()
        shutil.rmtree(home, ignore_errors=True)


CHILD = r"""
import asyncio, sys, os
sys.path.insert(0, sys.argv[1])
from typing import Any
from pydantic import BaseModel
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.executor import Budgets, Executor
from swarmbridge.swarm.graph import parse_graph
from swarmbridge.tools.base import Tool, ToolContext, ToolRegistry

class P(BaseModel):
    x: Any = None

class Rec(Tool):
    name = "rec"; description = "record"; Params = P; risk = "mutate"  # an action: committed before it is used
    async def run(self, args, ctx: ToolContext) -> Any:
        with open(sys.argv[3], "a") as f:
            f.write(ctx.idempotency_key + "\n"); f.flush(); os.fsync(f.fileno())
        await asyncio.sleep(0.01)
        return ctx.idempotency_key

async def main():
    store = RunStore(sys.argv[2])
    g = parse_graph({"steps": [{"id": f"t{i}", "tool": "rec", **({"inputs": [f"t{i-10}"]} if i >= 10 else {})} for i in range(100)]})
    ids = store.unfinished()
    rid = ids[0] if ids else None
    if rid is None:
        if store.list(1):
            return
        rid = store.create_run("crash", g.model_dump())
    await Executor(store, rid, g, ToolRegistry([Rec()]), budgets=Budgets(max_agents=4)).run()
    store.close()

asyncio.run(main())
"""


def action_trial(d: Path, rng: random.Random) -> tuple[int, int]:
    """The executor in a child process with an action tool (no daemon): (lost, repeated)."""
    db, log = d / "r.db", d / "exec.log"
    argv = [sys.executable, "-c", CHILD, HOST, str(db), str(log)]
    proc = subprocess.Popen(argv)
    target = rng.randint(1, 90)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and len(log.read_text().splitlines()) >= target:
            break
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    try:
        done = {r[0] for r in conn.execute("SELECT key FROM steps WHERE kind = 'tool_result'")}
    except sqlite3.OperationalError:  # killed before the schema existed
        done = set()
    conn.close()
    before = len(log.read_text().splitlines()) if log.exists() else 0
    subprocess.run(argv, check=True, timeout=120)
    repeated = sum(1 for k in log.read_text().splitlines()[before:] if k in done)
    conn = sqlite3.connect(db)
    outs = conn.execute("SELECT count(DISTINCT task_id) FROM tasks WHERE status = 'done'").fetchone()[0]
    conn.close()
    return 100 - outs, repeated


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20, help="kills of the real daemon")
    ap.add_argument("--action-trials", type=int, default=None, help="in-process kills with an action tool (default: --trials)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    res = [daemon_trial(rng) for _ in range(a.trials)]
    act = [0, 0]
    for _ in range(a.trials if a.action_trials is None else a.action_trials):
        with tempfile.TemporaryDirectory() as d:
            lo, rep = action_trial(Path(d), rng)
            act[0] += lo
            act[1] += rep
    print(json.dumps({"trials": a.trials, "lost_results": sum(r["lost"] for r in res), "repeated_tool_calls": sum(r["repeated"] for r in res),
                      "killed_mid_run": sum(r["mid"] for r in res), "reran_in_flight": sum(r["in_flight_again"] for r in res),
                      "not_done": sum(r["status"] != "done" for r in res),
                      "resume_s_max": round(max((r["resume_s"] for r in res), default=0.0), 2),
                      "actions_lost_repeated": act}))


if __name__ == "__main__":
    main()
