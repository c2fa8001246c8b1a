"""The runs.* additions the side panel reads (graph and origin in runs.show, text search in
runs.list, a deliverable's content via runs.deliverable) through a real Router over real SQLite."""

from __future__ import annotations

import base64
from pathlib import Path

from swarmbridge.protocol import envelope
from swarmbridge.rpc.router import CallContext, Router
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.service import SwarmService
from swarmbridge.tools.base import ToolRegistry
from swarmbridge.tools.builtin import builtin_tools

CTX = CallContext("c1")


async def _rpc(r: Router, method: str, params: dict):
    return await r.dispatch(envelope.request(method, params), CTX)


async def _setup(tmp_path: Path) -> tuple[SwarmService, Router]:
    svc = SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry(builtin_tools()))
    r = Router()
    svc.register(r)
    return svc, r


async def test_show_has_graph_and_origin(tmp_path: Path) -> None:
    svc, r = await _setup(tmp_path)
    recipe = {"goal": "cities", "steps": [{"id": "xs", "tool": "split", "args": {"text": "a,b"}},
                                          {"id": "each", "tool": "echo", "map": "xs", "args": {"value": "{{item}}"}}]}
    rid = await svc.start_run(recipe=recipe, origin="menu:page")
    await svc.wait(rid)
    shown = (await _rpc(r, "runs.show", {"id": rid})).result
    assert shown["origin"] == "menu:page" and shown["finished"] >= shown["created"]
    assert [s["id"] for s in shown["graph"]["steps"]] == ["xs", "each"] and shown["graph"]["steps"][1]["map"] == "xs"


async def test_list_searches_words_in_any_case_and_escapes_wildcards(tmp_path: Path) -> None:
    svc, r = await _setup(tmp_path)
    ids = {}
    for goal in ("Compare flight prices to Lisbon", "Summarise the 100% report", "lisbon hotels under_100"):
        ids[goal] = await svc.start_run(recipe={"goal": goal, "steps": [{"id": "a", "tool": "echo", "args": {"value": 1}}]})
        await svc.wait(ids[goal])

    async def found(q: str) -> set[str]:
        return {x["goal"] for x in (await _rpc(r, "runs.list", {"query": q})).result["runs"]}

    assert await found("LISBON") == {"Compare flight prices to Lisbon", "lisbon hotels under_100"}
    assert await found("lisbon prices") == {"Compare flight prices to Lisbon"}  # every word must appear
    assert await found("100%") == {"Summarise the 100% report"}  # % is a character, not a wildcard
    assert await found("r_100") == {"lisbon hotels under_100"}
    assert await found("") == set(ids)
    assert len((await _rpc(r, "runs.list", {"limit": 1})).result["runs"]) == 1
    for bad in ({"limit": 0}, {"limit": "many"}, {"query": "x" * 501}, {"nope": 1}):
        assert (await _rpc(r, "runs.list", bad)).error.code == "invalid_params", bad


async def test_deliverable_content_only_for_listed_files(tmp_path: Path) -> None:
    svc, r = await _setup(tmp_path)
    rid = await svc.start_run(recipe={"goal": "g", "steps": [{"id": "a", "tool": "echo", "args": {"value": 1}}]})
    await svc.wait(rid)
    report = tmp_path / "report.md"
    report.write_text("# Report\n\nLisbon: 120 €\n", encoding="utf-8")
    blob = tmp_path / "chart.bin"
    blob.write_bytes(b"\x89PNG\x00\xff")
    svc.store.event(rid, "deliverable", {"kind": "markdown", "path": str(report)})
    svc.store.event(rid, "deliverable", {"kind": "file", "path": str(blob)})
    svc.store.event(rid, "deliverable", {"kind": "markdown", "text": "# inline"})
    svc.store.event(rid, "deliverable", {"kind": "file", "path": str(tmp_path / "gone.txt")})
    svc.store.flush()

    got = (await _rpc(r, "runs.deliverable", {"id": rid, "index": 0})).result
    assert got == {"index": 0, "kind": "markdown", "name": "report.md", "path": str(report), "size": len(report.read_bytes()), "text": "# Report\n\nLisbon: 120 €\n"}
    binary = (await _rpc(r, "runs.deliverable", {"id": rid, "index": 1})).result
    assert base64.b64decode(binary["base64"]) == b"\x89PNG\x00\xff" and "text" not in binary
    assert (await _rpc(r, "runs.deliverable", {"id": rid, "index": 2})).result["text"] == "# inline"
    missing = (await _rpc(r, "runs.deliverable", {"id": rid, "index": 3})).error
    assert missing.code == "not_found" and "gone.txt" in missing.message
    for bad in ({"id": rid, "index": 4}, {"id": rid, "index": -1}, {"id": rid, "index": "0"}, {"id": rid, "index": True}, {"id": rid}):
        assert (await _rpc(r, "runs.deliverable", bad)).error.code == "invalid_params", bad
    assert (await _rpc(r, "runs.deliverable", {"id": "nope", "index": 0})).error.code == "not_found"
    # a path is never taken from the caller: only the run's own listed deliverables are readable
    assert (await _rpc(r, "runs.deliverable", {"id": rid, "index": 0, "path": "/etc/passwd"})).error.code == "invalid_params"


async def test_steps_of_a_task_in_order_with_long_bodies_cut(tmp_path: Path) -> None:
    svc, r = await _setup(tmp_path)
    rid = await svc.start_run(recipe={"goal": "g", "steps": [{"id": "a", "tool": "echo", "args": {"value": "x" * 50}},
                                                            {"id": "b", "tool": "echo", "args": {"value": 2}}]})
    await svc.wait(rid)
    msg = {"role": "assistant", "content": "looking", "tool_calls": [{"id": "c1", "name": "browser_open", "arguments": {"url": "https://x.example"}}]}
    svc.store.step(f"{rid}/a/1/m0", rid, "a", "message", msg)
    svc.store.flush()
    steps = (await _rpc(r, "runs.steps", {"id": rid, "task": "a"})).result["steps"]
    assert [s["kind"] for s in steps] == ["tool_result", "message"] and steps[1]["body"] == msg
    assert steps[0]["body"] == "x" * 50 and steps[0]["key"] == f"{rid}/a/1/0"
    cut = (await _rpc(r, "runs.steps", {"id": rid, "task": "a", "clip": 100})).result["steps"]
    assert cut[1]["clipped"] and len(cut[1]["body"]) == 100 and cut[1]["size"] > 100 and "clipped" not in cut[0]
    assert [s["key"] for s in (await _rpc(r, "runs.steps", {"id": rid, "task": "b"})).result["steps"]] == [f"{rid}/b/1/0"]
    assert (await _rpc(r, "runs.steps", {"id": rid, "task": "nope"})).result["steps"] == []
    assert len((await _rpc(r, "runs.steps", {"id": rid, "task": "a", "limit": 1})).result["steps"]) == 1
    for bad in ({"id": rid}, {"id": rid, "task": ""}, {"id": rid, "task": "a", "limit": 0}, {"id": rid, "task": "a", "clip": 5}, {"id": rid, "task": "a", "x": 1}):
        assert (await _rpc(r, "runs.steps", bad)).error.code == "invalid_params", bad
    assert (await _rpc(r, "runs.steps", {"id": "nope", "task": "a"})).error.code == "not_found"


async def test_writer_events_are_published_after_the_run_finished(tmp_path: Path) -> None:
    """A goal run's deliverable is recorded after run.finished; a live view hears of it."""
    seen: list[tuple[str, dict]] = []
    svc = SwarmService(RunStore(str(tmp_path / "r.db")), ToolRegistry(builtin_tools()), publish=lambda m, p: seen.append((m, p)))
    svc._record("r1", "deliverable", {"kind": "markdown", "path": "/x/report.md"})
    svc.store.flush()
    assert seen == [("run.deliverable", {"run_id": "r1", "kind": "markdown", "path": "/x/report.md"})]
    assert svc.store.events("r1")[0]["kind"] == "deliverable"


async def test_list_running_only_however_old(tmp_path: Path) -> None:
    svc, r = await _setup(tmp_path)
    slow = await svc.start_run(recipe={"goal": "slow museum wait", "steps": [{"id": "a", "tool": "sleep", "args": {"seconds": 5}}]})
    for i in range(3):  # newer, finished runs
        await svc.wait(await svc.start_run(recipe={"goal": f"quick {i}", "steps": [{"id": "a", "tool": "echo", "args": {"value": i}}]}))
    assert slow not in [x["id"] for x in (await _rpc(r, "runs.list", {"limit": 2})).result["runs"]]
    running = (await _rpc(r, "runs.list", {"limit": 2, "running": True})).result["runs"]
    assert [(x["id"], x["status"], x["goal"]) for x in running] == [(slow, "running", "slow museum wait")]
    assert (await _rpc(r, "runs.list", {"running": True, "query": "MUSEUM"})).result["runs"][0]["id"] == slow
    assert (await _rpc(r, "runs.list", {"running": True, "query": "opera"})).result["runs"] == []
    await svc.cancel(slow)
    assert (await _rpc(r, "runs.list", {"running": True})).result["runs"] == []
    assert (await _rpc(r, "runs.list", {"running": "maybe"})).error.code == "invalid_params"
