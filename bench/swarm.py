"""Swarm executor benchmark: fan-out efficiency and per-step persistence overhead.

Shapes: (1) N agents in parallel, each 3 model calls (FakeModel, 50 ms each) + 2 no-op tool calls;
efficiency = ideal wall (3 x 50 ms) / actual wall. (2) a 4,000-step chain of no-op tool steps over
real SQLite; overhead per step = wall / steps. Not yet: the scripted HTTP server path and the
LangGraph comparison. Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "host"))

from pydantic import BaseModel  # noqa: E402

from swarmbridge.llm.fake import FakeModel, text  # noqa: E402
from swarmbridge.llm.interface import Completion, ToolCall, Usage  # noqa: E402
from swarmbridge.storage.runs import RunStore  # noqa: E402
from swarmbridge.swarm.executor import Budgets, Executor  # noqa: E402
from swarmbridge.swarm.graph import parse_graph  # noqa: E402
from swarmbridge.tools.base import Tool, ToolContext, ToolRegistry  # noqa: E402


class _P(BaseModel):
    x: Any = None


class Noop(Tool):
    name = "noop"
    description = "does nothing"
    Params = _P

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        return None


def _script(messages: list[dict], tools: Any) -> Completion:
    n = sum(1 for m in messages if m["role"] == "assistant")
    return Completion(None, (ToolCall(f"c{n}", "noop", {}),), Usage(10, 5)) if n < 2 else text("ok")


async def fanout(db: str, agents: int, latency: float) -> float:
    store = RunStore(db)
    g = parse_graph({"steps": [{"id": f"a{i}", "instructions": "w"} for i in range(agents)]})
    rid = store.create_run("", g.model_dump())
    t0 = time.perf_counter()
    res = await Executor(store, rid, g, ToolRegistry([Noop()]), model=FakeModel(_script, latency=latency), budgets=Budgets(max_agents=agents)).run()
    wall = time.perf_counter() - t0
    assert res.status == "done", res
    store.close()
    return 3 * latency / wall


async def chain(db: str, n: int) -> float:
    store = RunStore(db)
    g = parse_graph({"steps": [{"id": f"t{i}", "tool": "noop", **({"inputs": [f"t{i-1}"]} if i else {})} for i in range(n)]})
    rid = store.create_run("", g.model_dump())
    t0 = time.perf_counter()
    res = await Executor(store, rid, g, ToolRegistry([Noop()]), budgets=Budgets(max_steps=n)).run()
    wall = time.perf_counter() - t0
    assert res.status == "done", res
    store.close()
    return wall / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="50 agents, 500 steps")
    a = ap.parse_args()
    agents, steps = (50, 500) if a.quick else (300, 4000)
    with tempfile.TemporaryDirectory() as d:
        eff = asyncio.run(fanout(f"{d}/f.db", agents, 0.05))
        per = asyncio.run(chain(f"{d}/c.db", steps))
        db_mb = sum(p.stat().st_size for p in Path(d).glob("c.db*")) / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"agents": agents, "steps": steps, "fanout_efficiency": round(eff, 3), "step_overhead_ms": round(per, 3),
                      f"db_mb_{steps}_steps": round(db_mb, 2), "peak_rss_mb": round(rss, 1), "model": "in-process FakeModel"}))


if __name__ == "__main__":
    main()
