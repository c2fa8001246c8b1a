"""Crash/resume benchmark: a 100-task recipe run in a child process, kill -9 at a random moment,
restarted until done; every real tool execution is appended to a log file by the tool itself.
``--trials`` runs with the tool declared an action (its result committed before it is used) and
as many with it declared a read (its result recorded in the next group commit, not waited for).

repeated_tool_calls counts executions of a call whose result was already recorded (must be 0; a
call in flight at the kill has no recorded result and may legitimately run again); lost_results
counts tasks without an output at the end. Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = str(Path(__file__).resolve().parents[1] / "host")

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
    name = "rec"; description = "record"; Params = P; risk = sys.argv[4]  # "mutate": committed before use; "read": write-behind
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
        done = store.list(1)
        if done:
            return
        rid = store.create_run("crash", g.model_dump())
    await Executor(store, rid, g, ToolRegistry([Rec()]), budgets=Budgets(max_agents=4)).run()
    store.close()

asyncio.run(main())
"""


def trial(d: Path, rng: random.Random, risk: str) -> tuple[int, int, bool]:
    db, log = d / "r.db", d / "exec.log"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, HOST, str(db), str(log), risk])
    target = rng.randint(1, 90)  # kill after a random number of real executions (mid-run by construction)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and len(log.read_text().splitlines()) >= target:
            break
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    try:
        recorded = {r[0] for r in conn.execute("SELECT key FROM steps WHERE kind = 'tool_result'")}
    except sqlite3.OperationalError:  # killed before the schema existed
        recorded = set()
    before = len(log.read_text().splitlines()) if log.exists() else 0
    conn.close()
    subprocess.run([sys.executable, "-c", CHILD, HOST, str(db), str(log), risk], check=True, timeout=120)
    execs = log.read_text().splitlines()
    repeated = sum(1 for k in execs[before:] if k in recorded)
    conn = sqlite3.connect(db)
    outs = conn.execute("SELECT count(DISTINCT task_id) FROM tasks WHERE status = 'done'").fetchone()[0]
    conn.close()
    return 100 - outs, repeated, 0 < len(recorded) < 100


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=10, help="per mode (action, read): 20 kills in all by default")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    lost = rep = mid = 0
    per: dict[str, list[int]] = {}
    for risk in ("mutate", "read"):  # actions wait for their commit; reads are recorded behind
        for _ in range(a.trials):
            with tempfile.TemporaryDirectory() as d:
                lo, re_, m = trial(Path(d), rng, risk)
                mid += m
                lost += lo
                rep += re_
                per.setdefault(risk, [0, 0])
                per[risk][0] += lo
                per[risk][1] += re_
    print(json.dumps({"trials": 2 * a.trials, "lost_results": lost, "repeated_tool_calls": rep, "killed_mid_run": mid,
                      "actions_lost_repeated": per["mutate"], "reads_lost_repeated": per["read"]}))


if __name__ == "__main__":
    main()
