"""JSON-in-text tool calls: the repair parser and validation of what it recovers."""

from __future__ import annotations

import pytest

from swarmbridge.llm import BadOutput, ToolSpec
from swarmbridge.llm.schema import validate
from swarmbridge.llm.toolmode import as_text_messages, parse_text_reply, repair_json

SEARCH = ToolSpec("search", "Search.", {"type": "object", "properties": {"query": {"type": "string"}, "n": {"type": "integer"}}, "required": ["query"], "additionalProperties": False})


@pytest.mark.parametrize(
    "text",
    [
        '```json\n{"tool": "search", "arguments": {"query": "cats"}}\n```',
        '{"tool": "search", "arguments": {"query": "cats",},}',
        "{'tool': 'search', 'arguments': {'query': 'cats'}}",
        '{tool: "search", arguments: {query: "cats"}}',
        '{"tool": "search", "arguments": {"query": "cats"',
        'Sure! Here is the call: {"tool": "search", "arguments": {"query": "cats"}} Hope that helps.',
    ],
)
def test_repairs_common_breakage(text: str) -> None:
    content, calls = parse_text_reply(text, [SEARCH])
    assert content is None and calls[0].name == "search" and calls[0].arguments == {"query": "cats"}


def test_plain_text_is_an_answer_and_bad_calls_reprompt() -> None:
    assert parse_text_reply("The answer is 42.", [SEARCH]) == ("The answer is 42.", ())
    with pytest.raises(BadOutput, match="unknown tool 'fly'"):
        parse_text_reply('{"tool": "fly", "arguments": {}}', [SEARCH])
    with pytest.raises(BadOutput, match=r"\$\.query: required"):
        parse_text_reply('{"tool": "search", "arguments": {"n": 1}}', [SEARCH])
    with pytest.raises(ValueError):
        repair_json("no json here")


def test_schema_subset() -> None:
    s = SEARCH.parameters
    assert validate({"query": "x", "n": 2}, s) == []
    assert validate({"query": "x", "n": True}, s) == ["$.n: expected integer, got bool"]
    assert validate({"query": "x", "z": 1}, s) == ["$.z: unexpected property"]
    assert validate([1, "a"], {"type": "array", "items": {"type": "integer"}}) == ["$[1]: expected integer, got str"]


def test_history_rendered_as_text() -> None:
    msgs = [
        {"role": "system", "content": "ROLE: worker"},
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "search", "arguments": '{"query": "q"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "found"},
    ]
    out = as_text_messages(msgs, [SEARCH])
    assert out[0]["content"].startswith("ROLE: worker") and "- search: Search." in out[0]["content"]
    assert out[2] == {"role": "assistant", "content": '{"tool": "search", "arguments": {"query": "q"}}'}
    assert out[3]["role"] == "user" and "found" in out[3]["content"]
    assert all("tool_calls" not in m and m["role"] != "tool" for m in out)
