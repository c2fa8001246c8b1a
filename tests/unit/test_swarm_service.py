"""The swarm facade and runs.* methods through a real Router over real SQLite."""

from __future__ import annotations

import asyncio
import json

from swarmbridge.protocol import envelope
from swarmbridge.rpc.router import CallContext, Router
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import builtin_tools

CTX = CallContext("c1")
RECIPE = {"goal": "g", "steps": [{"id": "xs", "tool": "split", "args": {"text": "a,b"}},
                                 {"id": "each", "tool": "echo", "map": "xs", "args": {"value": "<{{item}}>"}}]}


def _svc(tmp_path, events: list | None = None) -> SwarmService:
    pub = (lambda m, p: events.append(m)) if events is not None else None
    return SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry(builtin_tools()), publish=pub)


async def test_facade_start_wait_get(tmp_path) -> None:
    events: list[str] = []
    svc = _svc(tmp_path, events)
    rid = await svc.start_run(recipe=RECIPE, origin="test", inputs={"extra": 5})
    out = await svc.wait(rid)
    assert out["status"] == "done" and out["outputs"]["each"] == ["<a>", "<b>"] and out["outputs"]["extra"] == 5
    assert events[0] == "run.started" and events[-1] == "run.finished"


async def test_goal_without_model_blocks_with_reason(tmp_path) -> None:
    svc = _svc(tmp_path)
    out = await svc.wait(await svc.start_run("find things"))
    assert out["status"] == "done_with_blocked" and "needs a model" in out["blocked"]["main"]


async def test_rpc_methods(tmp_path) -> None:
    svc = _svc(tmp_path)
    r = Router()
    svc.register(r)
    bad = await r.dispatch(envelope.request("runs.start", {"recipe": {"steps": [{"id": "a", "instructions": "x", "inputs": ["a"]}]}}), CTX)
    assert bad.error.code == "invalid_params" and "cycle" in bad.error.message
    rid = (await r.dispatch(envelope.request("runs.start", {"recipe": RECIPE}), CTX)).result["id"]
    await svc.wait(rid)
    assert (await r.dispatch(envelope.request("runs.list", {}), CTX)).result["runs"][0]["id"] == rid
    assert (await r.dispatch(envelope.request("runs.show", {"id": rid}), CTX)).result["status"] == "done"
    ev = (await r.dispatch(envelope.request("runs.events", {"id": rid}), CTX)).result["events"]
    assert ev[-1]["kind"] == "finished"
    assert "tool_call" in (await r.dispatch(envelope.request("runs.export", {"id": rid}), CTX)).result["jsonl"]
    assert (await r.dispatch(envelope.request("runs.show", {"id": "nope"}), CTX)).error.code == "not_found"


async def test_close_leaves_run_resumable(tmp_path) -> None:
    svc = _svc(tmp_path)
    slow = {"steps": [{"id": f"s{i}", "tool": "echo", "args": {"value": i}} for i in range(3)]}
    rid = await svc.start_run(recipe=slow, budgets={"max_agents": 1})
    await svc.close()
    svc2 = _svc(tmp_path)
    assert rid in svc2.resume_unfinished()
    assert (await svc2.wait(rid))["status"] == "done"
    await asyncio.sleep(0)


async def test_rpc_start_rejects_bad_deliverables_and_replan_budgets(tmp_path) -> None:
    svc = _svc(tmp_path)
    r = Router()
    svc.register(r)
    for params in ({"goal": "g", "deliverables": ["docx"]}, {"goal": "g", "deliverables": "xlsx"},
                   {"goal": "g", "budgets": {"max_replans": 11}}, {"goal": "g", "budgets": {"max_replans": -1}}):
        bad = await r.dispatch(envelope.request("runs.start", params), CTX)
        assert bad.error is not None and bad.error.code == "invalid_params", params
    assert svc.store.list() == []  # nothing was started
    ok = await r.dispatch(envelope.request("runs.start", {"recipe": RECIPE, "deliverables": ["xlsx", "csv"]}), CTX)
    rid = ok.result["id"]
    await svc.wait(rid)
    spec = svc.store.get(rid)["graph"]
    assert spec["deliverables"] == ["xlsx", "csv"] and spec["budgets"]["max_replans"] == 0  # a recipe is not re-planned


async def test_a_structured_deliverable_without_a_folder_is_served_as_json(tmp_path) -> None:
    svc = _svc(tmp_path)
    r = Router()
    svc.register(r)
    rid = await svc.start_run(recipe=RECIPE)
    await svc.wait(rid)
    svc.store.event(rid, "deliverable", {"kind": "xlsx", "data": {"sheets": [{"name": "Rows", "rows": [{"a": 1}]}]}})
    svc.store.flush()
    got = (await r.dispatch(envelope.request("runs.deliverable", {"id": rid, "index": 0}), CTX)).result
    assert got["name"] == "deliverable-0.json" and got["kind"] == "xlsx"
    assert json.loads(got["text"])["sheets"][0]["rows"] == [{"a": 1}]
