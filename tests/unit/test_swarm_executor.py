"""Executor over real SQLite: map recipes, ordering, budgets, blocked tasks, scale, resume."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel

from swarmbridge.llm.fake import FakeModel, text
from swarmbridge.llm.interface import Completion, ToolCall, Usage
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.executor import Budgets, Executor
from swarmbridge.swarm.graph import parse_graph
from swarmbridge.tools.base import Tool, ToolContext, ToolRegistry
from swarmbridge.tools.builtin import builtin_tools


class _P(BaseModel):
    x: Any = None


class Counting(Tool):
    """Records every real execution (to prove none repeat)."""

    name = "count"
    description = "count"
    Params = _P

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[str] = []
        self.delay = delay

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        self.calls.append(ctx.idempotency_key)
        if self.delay:
            await asyncio.sleep(self.delay)
        return {"x": args.x}  # type: ignore[attr-defined]


def _store(tmp_path) -> RunStore:
    return RunStore(str(tmp_path / "runs.db"))


async def test_recipe_with_map_fanout_no_model(tmp_path) -> None:
    store = _store(tmp_path)
    g = parse_graph({"steps": [
        {"id": "cities", "tool": "split", "args": {"text": "Oslo, Lima ,Pune"}},
        {"id": "each", "tool": "echo", "map": "cities", "args": {"value": "city={{item}}"}},
        {"id": "all", "tool": "echo", "args": {"value": "{{each}}"}}]})
    rid = store.create_run("", g.model_dump())
    res = await Executor(store, rid, g, ToolRegistry(builtin_tools())).run()
    assert res.status == "done"
    assert res.outputs["all"] == ["city=Oslo", "city=Lima", "city=Pune"]
    assert store.get(rid)["status"] == "done"
    kinds = [e["kind"] for e in store.events(rid)]
    assert kinds[0] == "started" and kinds[-1] == "finished" and kinds.count("tool_call") == 5


async def test_critical_path_first_when_capped(tmp_path) -> None:
    store = _store(tmp_path)
    tool = Counting()
    g = parse_graph({"steps": [{"id": "a_short", "tool": "count"}, {"id": "l1", "tool": "count"},
                               {"id": "l2", "tool": "count", "inputs": ["l1"]}]})
    rid = store.create_run("", g.model_dump())
    await Executor(store, rid, g, ToolRegistry([tool]), budgets=Budgets(max_agents=1)).run()
    assert [k.split("/")[1] for k in tool.calls][0] == "l1"  # longest chain first though "a_short" sorts first


async def test_slow_branch_does_not_hold_unrelated(tmp_path) -> None:
    store = _store(tmp_path)
    slow, fast = Counting(0.3), Counting()
    fast.name = "fast"  # type: ignore[misc]
    g = parse_graph({"steps": [{"id": "s", "tool": "count"}, {"id": "f1", "tool": "fast"},
                               {"id": "f2", "tool": "fast", "inputs": ["f1"]}]})
    rid = store.create_run("", g.model_dump())
    ex = Executor(store, rid, g, ToolRegistry([slow, fast]))
    task = asyncio.create_task(ex.run())
    await asyncio.sleep(0.1)
    assert len(fast.calls) == 2 and not task.done()
    await task


async def test_step_budget_stops_with_reason(tmp_path) -> None:
    store = _store(tmp_path)
    g = parse_graph({"steps": [{"id": f"t{i}", "tool": "count"} for i in range(10)]})
    rid = store.create_run("", g.model_dump())
    res = await Executor(store, rid, g, ToolRegistry([Counting()]), budgets=Budgets(max_steps=3, max_agents=1)).run()
    assert res.status == "stopped" and "step budget" in res.stop_reason and len(res.outputs) == 3


async def test_blocked_task_rest_continues(tmp_path) -> None:
    store = _store(tmp_path)
    g = parse_graph({"steps": [{"id": "bad", "tool": "split", "args": {"nope": 1}},
                               {"id": "after_bad", "tool": "echo", "args": {"value": "{{bad}}"}},
                               {"id": "ok", "tool": "echo", "args": {"value": 1}}]})
    rid = store.create_run("", g.model_dump())
    res = await Executor(store, rid, g, ToolRegistry(builtin_tools())).run()
    assert "bad arguments for split" in res.blocked["bad"]
    assert res.outputs == {"ok": 1} and res.status == "done_with_blocked"


def _agent_script(messages: list[dict], tools: Any) -> Completion:
    """Two tool calls, then one answer: three model calls per agent."""
    n = sum(1 for m in messages if m["role"] == "assistant")
    if n < 2:
        return Completion(None, (ToolCall(f"c{n}", "count", {"x": n}),), Usage(10, 5))
    return text("done")


async def test_300_parallel_agents_fake_model(tmp_path) -> None:
    store = _store(tmp_path)
    tool = Counting()
    g = parse_graph({"steps": [{"id": f"a{i}", "instructions": "work"} for i in range(300)]})
    rid = store.create_run("", g.model_dump())
    model = FakeModel(_agent_script, latency=0.05)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    res = await Executor(store, rid, g, ToolRegistry([tool]), model=model, budgets=Budgets(max_agents=300)).run()
    assert res.status == "done" and len(res.outputs) == 300 and len(model.calls) == 900
    assert loop.time() - t0 < 1.5  # 3 x 50 ms ideal; serial would be 45 s
    assert res.tokens == 900 * 15 and len(tool.calls) == 600


async def test_4000_step_run(tmp_path) -> None:
    store = _store(tmp_path)
    g = parse_graph({"steps": [{"id": f"t{i}", "tool": "count", **({"inputs": [f"t{i-1}"]} if i else {})} for i in range(4000)]})
    rid = store.create_run("", g.model_dump())
    res = await Executor(store, rid, g, ToolRegistry([Counting()])).run()
    assert res.status == "done" and res.steps == 4000


async def test_resume_skips_completed_tool_calls(tmp_path) -> None:
    store = _store(tmp_path)
    g = parse_graph({"steps": [{"id": f"t{i}", "tool": "count"} for i in range(5)]})
    rid = store.create_run("", g.model_dump())
    first = Counting()
    await Executor(store, rid, g, ToolRegistry([first]), budgets=Budgets(max_steps=2, max_agents=1)).run()
    assert len(first.calls) == 2
    store.close()
    store = _store(tmp_path)
    second = Counting()
    res = await Executor(store, rid, g, ToolRegistry([second])).run()
    assert res.status == "done" and len(res.outputs) == 5
    assert not set(first.calls) & set(second.calls) and len(second.calls) == 3
