"""The run store's group commit off the event loop: durable before acknowledged, batched, ordered,
failures reach every waiter, and no writer thread outlives the store."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import pytest

from swarmbridge.storage.runs import RunStore


async def test_a_recorded_tool_result_is_committed_before_the_call_returns(tmp_path) -> None:
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    store.event(rid, "started", {"n": 1})
    await store.record_tool_result_grouped(f"{rid}/t/1/0", rid, "t", {"rows": [1, 2]})
    other = sqlite3.connect(tmp_path / "r.db")  # another process's view: only committed data
    (body,) = other.execute("SELECT b.body FROM steps s JOIN blobs b ON b.hash = s.body_hash WHERE s.key = ?", (f"{rid}/t/1/0",)).fetchone()
    assert json.loads(body) == {"rows": [1, 2]}
    assert other.execute("SELECT count(*) FROM events WHERE kind = 'started'").fetchone() == (1,)  # queued before: committed with it
    other.close()
    assert store.tool_result(f"{rid}/t/1/0") == (True, {"rows": [1, 2]}) and store.tool_result_keys(rid) == {f"{rid}/t/1/0"}
    thread = store._pool._threads.copy() if store._pool else set()  # type: ignore[attr-defined]
    assert len(thread) == 1
    store.close()
    assert not any(t.is_alive() for t in thread)


async def test_concurrent_results_share_few_commits_and_keep_event_order(tmp_path) -> None:
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    commits: list[int] = []
    write = store._write

    def counting(pending):  # type: ignore[no-untyped-def]
        commits.append(len(pending))
        write(pending)

    store._write = counting  # type: ignore[method-assign]

    async def agent(i: int) -> None:
        store.event(rid, "step", {"i": i})
        await store.record_tool_result_grouped(f"{rid}/a{i}/1/0", rid, f"a{i}", i)

    await asyncio.gather(*(agent(i) for i in range(200)))
    assert sum(commits) == 400 and len(commits) <= 3  # 200 events + 200 results: one or two group commits, not 200
    store.event(rid, "last", {})
    store.flush()
    seen = [e["data"].get("i") for e in store.events(rid)]
    assert seen == [*range(200), None]
    store.close()


async def test_a_flush_during_a_slow_background_commit_keeps_the_log_in_queue_order(tmp_path) -> None:
    """A loaded machine: the writer thread has taken a batch but is slow to commit it, and a reader
    (runs.events, runs.export) flushes what was queued after it. The later rows must not be
    committed first: events take their seq at commit, so the log would be out of order."""
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    write = store._write

    def slow(pending):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.2)
        write(pending)

    store._write = slow  # type: ignore[method-assign]
    store.event(rid, "started", {})
    await asyncio.sleep(0)  # the writer thread takes the batch
    await asyncio.sleep(0)
    assert store._inflight
    store.event(rid, "finished", {})
    store.flush()
    assert [e["kind"] for e in store.events(rid)] == ["started", "finished"]
    store.close()


async def test_a_failed_commit_reaches_its_waiters_is_logged_otherwise_and_the_store_goes_on(tmp_path, caplog) -> None:
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    bad = ("events", "INSERT INTO events (run_id, kind, data, at) VALUES (?, ?, ?, ?)", (rid, None, "{}", 0.0))  # NOT NULL kind
    store._queue(*bad)
    for i in range(3):  # queued in the same loop turn as the bad row: one batch
        store.step(f"{rid}/t{i}/1/0", rid, "t", "tool_result", i)
    with pytest.raises(sqlite3.IntegrityError):
        await store.durable()
    assert store.tool_result(f"{rid}/t0/1/0") == (False, None)  # rolled back: never acknowledged, so it will run again
    store._queue(*bad)  # nobody waits for this batch: the failure is logged, not swallowed
    for _ in range(100):
        await asyncio.sleep(0.01)
        if "background commit failed" in caplog.text:
            break
    assert "background commit failed" in caplog.text
    await store.record_tool_result_grouped(f"{rid}/t9/1/0", rid, "t", 9)
    assert store.tool_result(f"{rid}/t9/1/0") == (True, 9)
    store.close()


def test_without_a_loop_the_batch_is_written_at_once(tmp_path) -> None:
    store = RunStore(str(tmp_path / "r.db"), batch=4)
    rid = store.create_run("g", {})
    for i in range(4):
        store.event(rid, "e", {"i": i})
    assert len(store.events(rid)) == 4 and store._pool is None
    with pytest.raises(KeyError):
        store.update_spec("nope", replans=1)
    store.close()


async def test_an_action_is_committed_before_the_agent_goes_on_a_read_soon_after(tmp_path) -> None:
    from swarmbridge.llm.fake import FakeModel, text
    from swarmbridge.llm.interface import Completion, ToolCall, Usage
    from swarmbridge.swarm.executor import Executor
    from swarmbridge.swarm.graph import parse_graph
    from swarmbridge.tools.base import ToolRegistry
    from swarmbridge.tools.builtin import Echo

    class Act(Echo):
        name = "act"  # type: ignore[assignment]
        risk = "mutate"  # type: ignore[assignment]

    seen: list[int] = []
    db = tmp_path / "r.db"

    def script(msgs: list[dict], tools: object) -> Completion:
        n = sum(1 for m in msgs if m["role"] == "tool")
        if n:  # what another process would find after the action, when the agent continues
            other = sqlite3.connect(db)
            seen.append(other.execute("SELECT count(*) FROM steps WHERE kind = 'tool_result' AND key LIKE '%/t/1/100'").fetchone()[0])
            other.close()
        calls = {0: ("echo", {"value": 1}), 1: ("act", {"value": 2})}
        return Completion(None, (ToolCall(f"c{n}", *calls[n]),), Usage(1, 1)) if n in calls else text("done")

    store = RunStore(str(db))
    g = parse_graph({"steps": [{"id": "t", "instructions": "read, then act"}]})  # the act is its 2nd turn: key .../t/1/100
    rid = store.create_run("", g.model_dump())
    res = await Executor(store, rid, g, ToolRegistry([Echo(), Act()]), model=FakeModel(script)).run()
    assert res.status == "done" and seen == [0, 1]  # after the read: no action yet; after the action: committed
    other = sqlite3.connect(db)  # the run's end commits everything, the read's result included
    assert other.execute("SELECT count(*) FROM steps WHERE kind = 'tool_result'").fetchone() == (2,)
    assert other.execute("SELECT status FROM runs").fetchone() == ("done",)
    other.close()
    store.close()


async def test_waiting_on_a_closed_store_fails_instead_of_hanging(tmp_path) -> None:
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await asyncio.wait_for(store.durable(), 2)
    assert rid


async def test_a_value_json_cannot_take_as_is_is_stored_and_loses_no_other_row(tmp_path) -> None:
    """Tool results and model messages are whatever a tool or a model produced. A dict mixing int
    and str keys (no sorted order exists), a circular list or an odd object must not fail the batch
    it is in: that would roll back every other agent's rows committed with it."""
    store = RunStore(str(tmp_path / "r.db"))
    rid = store.create_run("g", {})
    loop: list = [1]
    loop.append(loop)
    odd = {"mixed": {1: "a", "b": 2}, "loop": loop, "when": object.__new__(type("Thing", (), {"__str__": lambda s: "a thing"}))}
    store.event(rid, "before", {"i": 1})
    await store.record_tool_result_grouped(f"{rid}/t/1/0", rid, "t", odd)
    store.step(f"{rid}/t/1/m0", rid, "t", "message", {"role": "assistant", "content": "é ✓", "n": 10**30})
    store.event(rid, "after", {"i": 2, "x": float("nan")})
    store.flush()
    found, got = store.tool_result(f"{rid}/t/1/0")
    assert found and got["mixed"] == {"1": "a", "b": 2} and got["when"] == "a thing" and got["loop"] == [1, "<cycle>"]
    assert [e["kind"] for e in store.events(rid)] == ["before", "after"]
    (step,) = store.task_steps(rid, "t")[1:]
    assert step["kind"] == "message" and '"é ✓"' in step["body"] and "1" * 1 + "0" * 30 in step["body"]
    store.close()
