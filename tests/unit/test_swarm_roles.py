"""Planner re-asks with the validation error (bounded); verifier verdicts; writer text."""

from __future__ import annotations

import json

import pytest

from swarmbridge.llm import FakeModel
from swarmbridge.llm.fake import text
from swarmbridge.swarm.roles import PlanError, plan, verify, write

GOOD = {"steps": [{"id": "a", "instructions": "x"}, {"id": "b", "instructions": "y", "inputs": ["a"]}]}
CYCLE = {"steps": [{"id": "a", "instructions": "x", "inputs": ["b"]}, {"id": "b", "instructions": "y", "inputs": ["a"]}]}


async def test_planner_reasked_with_error_then_valid() -> None:
    replies = iter([text("I think we should..."), text(json.dumps(CYCLE)), text("```json\n" + json.dumps(GOOD) + "\n```")])
    m = FakeModel(lambda msgs, tools: next(replies))
    g = await plan(m, "do a thing")
    assert [s.id for s in g.steps] == ["a", "b"] and g.goal == "do a thing"
    assert m.calls[0]["messages"][0]["content"].startswith("ROLE: planner\n")
    assert "cycle" in m.calls[2]["messages"][-1]["content"]


async def test_planner_bounded() -> None:
    m = FakeModel(lambda msgs, tools: text(json.dumps(CYCLE)))
    with pytest.raises(PlanError, match="3 attempts; last problem: .*cycle"):
        await plan(m, "g")
    assert len(m.calls) == 3


@pytest.mark.parametrize(
    ("reply", "passed"),
    [('{"pass": true}', True), ('{"pass": false, "feedback": "no sources"}', False), ("looks fine to me", False), ('{"pass": "yes"}', False)],
)
async def test_verifier(reply: str, passed: bool) -> None:
    v = await verify(FakeModel(lambda m, t: text(reply)), "find", "has sources", "result")
    assert v.passed is passed and (passed or v.feedback)


async def test_writer() -> None:
    m = FakeModel(lambda msgs, tools: text("# Report\n\n## Sources\n- a"))
    assert (await write(m, "g", {"a": 1})).startswith("# Report")
    assert m.calls[0]["messages"][0]["content"].startswith("ROLE: writer\n")
