"""Flaky endpoint bench: 300 sub-agents through the real swarm executor against a pool of three
scripted OpenAI servers (each its own process) that fail 20 % of calls (429 with Retry-After, 500,
hangs), one member killed with SIGKILL mid-run. Every agent makes 3 model calls (2 echo tool
calls, then its answer) through the
real openai client, our Gate (AIMD, Retry-After) and Pool (least-loaded, circuit breaker).

    python bench/flaky_endpoint.py [--agents 300] [--quick]

Last stdout line: {"tasks", "completed", "lost", "wall_s", ...}. ``lost`` = tasks that did not
finish (blocked or missing); the target is 0.
"""

from __future__ import annotations

import argparse
import subprocess
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "host"))

from swarmbridge.llm.gate import Gate  # noqa: E402
from swarmbridge.llm.openai_model import OpenAIModel  # noqa: E402
from swarmbridge.llm.pool import Pool  # noqa: E402
from swarmbridge.storage.runs import RunStore  # noqa: E402
from swarmbridge.swarm.service import SwarmService  # noqa: E402
from swarmbridge.tools.base import ToolRegistry  # noqa: E402
from swarmbridge.tools.builtin import Echo  # noqa: E402


def _spawn(fail: float, latency: float, seed: int) -> tuple[subprocess.Popen, str]:
    """A scripted server in its own process (as a real model server is), on a free port."""
    proc = subprocess.Popen([sys.executable, "-m", "swarmbridge.testing.scripted_server", "--port", "0", "--latency", str(latency),
                             "--fail", str(fail), "--seed", str(seed)], stdout=subprocess.PIPE, text=True)
    return proc, json.loads(proc.stdout.readline())["base_url"]


async def main(agents: int, fail: float, latency: float, kill_at: float) -> dict:
    servers = [_spawn(fail, latency, seed) for seed in (1, 2, 3)]
    adapters = [OpenAIModel(u, "scripted", tool_mode="native", timeout=1.0) for _, u in servers]
    pool = Pool([Gate(a, max_concurrency=64, max_attempts=1, cooldown=0.2) for a in adapters], threshold=3, cooldown=1.0, max_attempts=12, base_delay=0.05, seed=7)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            svc = SwarmService(RunStore(str(Path(tmp) / "runs.db")), ToolRegistry([Echo()]), model=pool)
            steps = [{"id": f"a{i}", "instructions": f"sub-agent {i}: look something up", "expected_output": "a finding"} for i in range(agents)]
            t0 = time.monotonic()
            run_id = await svc.start_run(recipe={"goal": "flaky bench", "steps": steps}, budgets={"max_agents": agents, "max_steps": agents * 10})

            async def killer() -> None:
                await asyncio.sleep(kill_at)
                servers[1][0].kill()  # kill -9 one member mid-run: its in-flight calls fail too

            k = asyncio.ensure_future(killer())
            res = await svc.wait(run_id)
            wall = time.monotonic() - t0
            await k
            await svc.close()
            svc.store.close()
    finally:
        for proc, _ in servers:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        for a in adapters:
            await a.aclose()
    completed = sum(1 for i in range(agents) if f"a{i}" in res["outputs"])
    return {
        "tasks": agents, "completed": completed, "lost": agents - completed, "wall_s": round(wall, 2),
        "ideal_calls": agents * 3, "member_calls_ok": [m.stats["ok"] for m in pool.members], "status": res["status"], "blocked": len(res["blocked"]),
        "member_opened": [m.stats["opened"] for m in pool.members], "fail_rate": fail,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=300)
    ap.add_argument("--fail", type=float, default=0.2)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--kill-at", type=float, default=1.0, help="seconds into the run when member 2 is killed")
    ap.add_argument("--quick", action="store_true", help="60 agents (CI)")
    a = ap.parse_args()
    agents = 60 if a.quick else a.agents
    out = asyncio.run(main(agents, a.fail, a.latency, min(a.kill_at, 0.5) if a.quick else a.kill_at))
    print(json.dumps(out))
