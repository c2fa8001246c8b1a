"""Bounded re-planning: the planner adds tasks when the graph drains; additions are validated like a
plan (cycles, dangling references re-asked), bounded per run and persisted so a resumed run keeps them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from test_swarm_executor import Counting  # records each real execution, optional delay

from swarmbridge.llm import FakeModel
from swarmbridge.llm.fake import text
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.tools.base import Tool, ToolRegistry
from swarmbridge.tools.builtin import builtin_tools

PLAN = {"steps": [{"id": "a", "instructions": "find prices"}]}


def _model(reviews: list[Any], plan: dict = PLAN) -> FakeModel:
    """Planner -> ``plan``; each re-plan review -> the next of ``reviews``; workers answer at once."""
    it = iter(reviews)

    def script(msgs: list[dict], tools: Any) -> Any:
        system = msgs[0]["content"]
        if system.startswith("ROLE: replanner"):
            return text(json.dumps(next(it)))
        if system.startswith("ROLE: planner"):
            return text(json.dumps(plan))
        if system.startswith("ROLE: writer"):
            return text("# Report")
        return text("answer for " + msgs[1]["content"][:40])
    return FakeModel(script)


def _reviews(m: FakeModel) -> list[dict]:
    return [c for c in m.calls if c["messages"][0]["content"].startswith("ROLE: replanner")]


def _svc(tmp_path, model: FakeModel, tools: list[Tool] | None = None) -> SwarmService:
    return SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry(tools or builtin_tools()), model=model)


async def test_planner_adds_a_task_that_uses_earlier_results(tmp_path) -> None:
    more = {"steps": [{"id": "a", "instructions": "(repeated: ignored)"},
                      {"id": "b", "instructions": "compare with last year", "inputs": ["a"]}]}
    m = _model([more, {"steps": []}])
    svc = _svc(tmp_path, m)
    rid = await svc.start_run("prices of tea")
    res = await svc.wait(rid)
    assert res["status"] == "done" and sorted(res["outputs"]) == ["a", "b"]
    assert len(_reviews(m)) == 2  # the second review added nothing, so no third
    review = json.loads(_reviews(m)[0]["messages"][1]["content"])
    assert review["results"]["a"].startswith('"answer for') and [s["id"] for s in review["steps"]] == ["a"]
    spec = svc.store.get(rid)["graph"]
    assert [s["id"] for s in spec["graph"]["steps"]] == ["a", "b"] and spec["replans"] == 2
    kinds = [(e["kind"], e["data"].get("added")) for e in svc.store.events(rid) if e["kind"] == "replanned"]
    assert kinds == [("replanned", ["b"]), ("replanned", [])]
    await svc.close()
    svc.store.close()


async def test_invalid_additions_are_reasked_with_the_error(tmp_path) -> None:
    dangling = {"steps": [{"id": "b", "instructions": "x", "inputs": ["nope"]}]}
    cycle = {"steps": [{"id": "b", "instructions": "x", "inputs": ["c"]}, {"id": "c", "instructions": "y", "inputs": ["b"]}]}
    good = {"steps": [{"id": "b", "instructions": "x", "inputs": ["a"]}]}
    m = _model([dangling, cycle, good, {"steps": []}])
    svc = _svc(tmp_path, m)
    res = await svc.wait(await svc.start_run("g"))
    assert sorted(res["outputs"]) == ["a", "b"]
    first = _reviews(m)[2]["messages"]  # the third ask carries both corrections
    fixes = [x["content"] for x in first if x["role"] == "user"][1:]
    assert "unknown steps ['nope']" in fixes[0] and "cycle: b -> c -> b" in fixes[1]
    await svc.close()
    svc.store.close()


async def test_replanning_is_bounded_and_a_failing_planner_ends_it(tmp_path) -> None:
    always = [{"steps": [{"id": f"x{i}", "instructions": "more"}]} for i in range(10)]
    m = _model(always)
    svc = _svc(tmp_path, m)
    res = await svc.wait(await svc.start_run("g", budgets={"max_replans": 3}))
    assert sorted(res["outputs"]) == ["a", "x0", "x1", "x2"] and len(_reviews(m)) == 3
    m2 = _model([{"steps": "not a list"}] * 3)
    svc2 = SwarmService(svc.store, ToolRegistry(builtin_tools()), model=m2)
    rid = await svc2.start_run("g")
    assert (await svc2.wait(rid))["status"] == "done" and len(_reviews(m2)) == 3
    failed = [e["data"]["reason"] for e in svc.store.events(rid) if e["kind"] == "replan_failed"]
    assert len(failed) == 1 and '{"steps": [...]}' in failed[0]
    recipe = await svc2.start_run(recipe={"steps": [{"id": "r", "tool": "echo", "args": {"value": 1}}]})
    await svc2.wait(recipe)
    assert len(_reviews(m2)) == 3  # a recipe is never re-planned unless asked
    await svc.close()
    await svc2.close()
    svc.store.close()


async def test_resumed_run_keeps_added_tasks(tmp_path) -> None:
    slow = Counting(5.0)
    calls = slow.calls
    add = {"steps": [{"id": "later", "tool": "count", "args": {"x": "{{a}}"}}]}
    m = _model([add])
    svc = _svc(tmp_path, m, [slow])
    rid = await svc.start_run("g", budgets={"max_replans": 1})
    for _ in range(200):  # until the added task's tool is running
        await asyncio.sleep(0.01)
        if calls:
            break
    assert calls, "the added task never started"
    await svc.close()  # as after a crash: the run stays 'running'
    svc.store.close()
    m2 = _model([])  # any review would fail: next() on an empty iterator
    fast = Counting()
    svc2 = _svc(tmp_path, m2, [fast])
    assert svc2.resume_unfinished() == [rid]
    res = await svc2.wait(rid)
    assert res["status"] == "done" and res["outputs"]["later"]["x"].startswith("answer for") and "a" in res["outputs"]
    assert len(fast.calls) == 1 and _reviews(m2) == [] and not [c for c in m2.calls if c["messages"][0]["content"].startswith("ROLE: worker")]  # 'a' not re-run
    await svc2.close()
    svc2.store.close()


async def test_a_step_added_behind_a_blocked_one_never_runs(tmp_path) -> None:
    plan = {"steps": [{"id": "a", "instructions": "find prices"}, {"id": "bad", "tool": "split", "args": {"nope": 1}}]}
    add = {"steps": [{"id": "after_bad", "tool": "echo", "args": {"value": "{{bad}}"}},
                     {"id": "fine", "tool": "echo", "args": {"value": "{{a}}"}}]}
    m = _model([add, {"steps": []}], plan)
    svc = _svc(tmp_path, m)
    res = await svc.wait(await svc.start_run("g"))
    assert res["status"] == "done_with_blocked" and sorted(res["outputs"]) == ["a", "fine"]
    review = json.loads(_reviews(m)[0]["messages"][1]["content"])
    assert "bad arguments for split" in review["blocked"]["bad"]  # the planner sees why a step is blocked
    await svc.close()
    svc.store.close()
