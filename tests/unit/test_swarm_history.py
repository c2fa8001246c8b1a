"""History compaction: a sub-agent's request stays bounded however long it works."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from swarmbridge.llm.fake import FakeModel, text
from swarmbridge.llm.interface import Completion, ToolCall, Usage
from swarmbridge.storage.runs import RunStore
from swarmbridge.swarm.executor import Budgets, Executor
from swarmbridge.swarm.graph import parse_graph
from swarmbridge.swarm.history import MARK, History, size, tool_content
from swarmbridge.tools.base import Tool, ToolContext, ToolRegistry


class _P(BaseModel):
    page: int = 0


class Page(Tool):
    """Returns a large page of text (what browser extraction gives a sub-agent)."""

    name = "page"
    description = "read one page"
    Params = _P

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        return f"page {args.page}: " + "lorem ipsum " * 400  # type: ignore[attr-defined]


def _paired(msgs: list[dict]) -> bool:
    """Every tool message answers a tool call of an assistant message earlier in the same request."""
    asked: set[str] = set()
    for m in msgs:
        for c in m.get("tool_calls") or ():
            asked.add(c["id"])
        if m["role"] == "tool" and m["tool_call_id"] not in asked:
            return False
    return True


async def test_a_200_step_agent_sends_bounded_requests(tmp_path) -> None:
    steps = 200

    def script(msgs: list[dict], tools: Any) -> Completion:
        turn = len(model.calls) - 1
        if turn >= steps:
            return text("read them all")
        return Completion(None, (ToolCall(f"c{turn}", "page", {"page": turn}),), Usage(10, 5))

    model = FakeModel(script)
    store = RunStore(str(tmp_path / "r.db"))
    g = parse_graph({"steps": [{"id": "reader", "instructions": "read 200 pages"}]})
    rid = store.create_run("", g.model_dump())
    budget = 4000
    res = await Executor(store, rid, g, ToolRegistry([Page()]), model=model,
                         budgets=Budgets(agent_steps=steps + 5, context_tokens={"worker": budget})).run()
    assert res.status == "done" and res.outputs["reader"] == "read them all"
    sizes = [sum(size(m) for m in c["messages"]) for c in model.calls]
    assert len(sizes) == steps + 1, len(sizes)
    # without compaction the last request would hold 200 pages (~1 MB); with it every request fits the budget
    assert max(sizes) <= budget * 4 + 8000, max(sizes)
    assert max(sizes[150:]) <= max(sizes[20:50]) * 1.25  # no growth with history length
    assert all(_paired(c["messages"]) for c in model.calls)
    last = model.calls[-1]["messages"]
    assert last[0]["content"].startswith("ROLE: worker") and last[1]["content"].startswith("Task: read 200 pages")
    assert "earlier turns of yours were removed" in last[1]["content"] and "page x" in last[1]["content"]
    assert json.loads(last[-1]["content"]).startswith(f"page {steps - 1}:")  # the newest result is whole
    store.close()


def test_old_tool_results_are_cut_before_turns_are_dropped() -> None:
    h = History("ROLE: worker", "Task: t", budget_tokens=1000, low_water=0.9, keep_recent=2)  # 4,000 characters
    for i in range(4):
        h.append({"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function", "function": {"name": "page", "arguments": "{}"}}]})
        h.append({"role": "tool", "tool_call_id": f"c{i}", "content": tool_content("x" * 1000)})
    # over 4,000 -> the two older results are cut (marker), the two recent turns stay whole, no turn dropped
    assert len(h.messages) == 10 and all(MARK in m["content"] and m["content"].startswith('"xxx') for m in h.messages[3:7:2])
    assert [m["content"] for m in h.messages[7::2]] == [tool_content("x" * 1000)] * 2
    assert h.dropped_turns == 0 and h.messages[1]["content"] == "Task: t"
    assert h.chars == sum(size(m) for m in h.messages)  # the running size matches a full count
    for i in range(3, 40):
        h.append({"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function", "function": {"name": "page", "arguments": "{}"}}]})
        h.append({"role": "tool", "tool_call_id": f"c{i}", "content": tool_content("x" * 1500)})
        assert h.chars == sum(size(m) for m in h.messages) and h.chars <= 4000 + 1700
    assert h.dropped_turns > 20 and "page x" in h.messages[1]["content"] and _paired(h.messages)
    assert h.compactions < 40  # compacting to the low-water mark amortises the work over many turns


def test_huge_results_are_cut_with_a_marker() -> None:
    assert tool_content({"a": 1}) == '{"a":1}'  # compact: a model pays for every character
    body = tool_content("é" * 20000, limit=100)
    assert body.startswith('"' + "é" * 99) and body.endswith("[cut: 19902 more characters]")


def test_a_head_larger_than_the_budget_keeps_the_head_and_the_recent_turns() -> None:
    h = History("ROLE: worker", "Task: " + "u" * 20000, budget_tokens=1000)  # the upstream data alone is 5x the budget
    for i in range(30):
        h.append({"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function", "function": {"name": "t", "arguments": "{}"}}]})
        h.append({"role": "tool", "tool_call_id": f"c{i}", "content": "r" * 500})
        if i % 10 == 9:  # a reply the model must redo: a plain user message is a turn of its own
            h.append({"role": "user", "content": "Your last reply could not be used: bad JSON. Reply again, correctly."})
    roles = [m["role"] for m in h.messages]
    assert h.messages[1]["content"].startswith("Task: " + "u" * 100) and roles[0] == "system"
    assert len(h.messages) <= 2 + 4 and _paired(h.messages)  # the head and the two most recent turns
    assert h.messages[-1]["content"].startswith("Your last reply") and h.chars == sum(size(m) for m in h.messages)
