"""Reply rules for the scripted model server: what a "model" says, decided without a model.

A rule is ``rule(request: dict) -> Reply``. ``SwarmRules`` recognises the swarm's roles by a line
``ROLE: planner|worker|verifier|writer`` in the system message and answers each the way a
cooperative model would (planner: a task graph as JSON in the swarm's ``Graph`` shape, ``{goal, steps}``; worker: call the offered tools N times,
then answer; verifier: pass unless the work contains the fail marker; writer: Markdown with the
sources cited). ``Faults`` wraps any rule with seeded, probabilistic or scripted failures.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLE_RE = re.compile(r"^ROLE: (planner|worker|verifier|writer)\s*$", re.M)


@dataclass
class Reply:
    """What the server sends back for one request.

    ``status`` != 200 sends an OpenAI-style error (with ``headers``, e.g. Retry-After); ``hang``
    never answers; ``truncate`` cuts a stream (or body) short; ``raw_arguments`` sends tool-call
    arguments verbatim (malformed JSON on purpose); ``tools_as_text`` renders tool calls as JSON in
    the text, as a model without native tool calling does.
    """

    content: str | None = None
    tool_calls: list[dict] = field(default_factory=list)  # {"name", "arguments": dict | str}
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    hang: bool = False
    truncate: bool = False
    delay: float = 0.0
    tools_as_text: bool = False


Rule = Callable[[dict], Reply]


def role_of(request: dict) -> str:
    for m in request.get("messages", []):
        if m.get("role") == "system":
            found = ROLE_RE.search(str(m.get("content") or ""))
            if found:
                return found.group(1)
    return ""


_TOOL_LINE = re.compile(r"^- (\w+): .* args=(\{.*\})$", re.M)


def _tools_in_prompt(msgs: list[dict]) -> list[dict]:
    """Tools described in a system prompt (json tool mode) in the OpenAI ``tools`` shape."""
    system = next((str(m.get("content") or "") for m in msgs if m.get("role") == "system"), "")
    if "You can call tools" not in system:
        return []
    return [{"type": "function", "function": {"name": n, "parameters": json.loads(a)}} for n, a in _TOOL_LINE.findall(system)]


def _sample_args(schema: dict) -> dict:
    """Arguments that satisfy a simple JSON schema (required properties, by type)."""
    out: dict[str, Any] = {}
    props = schema.get("properties", {})
    for name in schema.get("required", list(props)):
        t = props.get(name, {}).get("type", "string")
        if "enum" in props.get(name, {}):
            out[name] = props[name]["enum"][0]
        else:
            out[name] = {"integer": 1, "number": 1.0, "boolean": True, "array": [], "object": {}}.get(t, "x")
    return out


@dataclass
class SwarmRules:
    """Default answers for the swarm's four roles (and an echo for anything else)."""

    plan_width: int = 3
    worker_tool_calls: int = 2
    fail_marker: str = "FAIL"
    plan: Callable[[str], dict] | None = None  # goal text -> task graph dict

    def __call__(self, request: dict) -> Reply:
        role = role_of(request)
        msgs = request.get("messages", [])
        last_user = next((str(m.get("content") or "") for m in reversed(msgs) if m.get("role") == "user"), "")
        if role == "planner":
            graph = self.plan(last_user) if self.plan else {  # the swarm's Graph shape (swarm/graph.py)
                "goal": last_user[:200],
                "steps": [
                    {"id": f"t{i + 1}", "role": "worker", "instructions": f"Part {i + 1} of: {last_user[:200]}", "inputs": [], "expected_output": "a short finding"}
                    for i in range(self.plan_width)
                ]
            }
            return Reply(content=json.dumps(graph))
        if role == "verifier":
            ok = self.fail_marker not in last_user
            return Reply(content=json.dumps({"pass": ok, "feedback": "" if ok else f"the work contains {self.fail_marker}; redo it"}))
        if role == "writer":
            return Reply(content="# Report\n\n" + last_user[:2000] + "\n\n## Sources\n\n- (from the task results above)\n")
        tools = request.get("tools") or _tools_in_prompt(msgs)
        done = sum(1 for m in msgs if m.get("role") == "tool" or str(m.get("content") or "").startswith("Tool result ("))
        if tools and done < self.worker_tool_calls:
            fn = tools[done % len(tools)]["function"]
            return Reply(tool_calls=[{"name": fn["name"], "arguments": _sample_args(fn.get("parameters", {}))}])
        return Reply(content=f"result: {last_user[:120]}" if role else (last_user or "ok"))


@dataclass
class Faults:
    """Wrap ``rule`` with failures: each kind fires with its probability (seeded), or per call
    from ``script`` (call index -> fault name). Kinds: ``429``, ``500``, ``503``, ``hang``,
    ``bad_json`` (malformed tool-call arguments), ``truncate`` (a cut stream/body)."""

    rule: Rule
    p: dict[str, float] = field(default_factory=dict)
    script: dict[int, str] = field(default_factory=dict)
    seed: int = 0
    retry_after: float = 0.2
    calls: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def __call__(self, request: dict) -> Reply:
        i = self.calls
        self.calls += 1
        kind = self.script.get(i)
        if kind is None:
            x, acc = self._rng.random(), 0.0
            for k, p in self.p.items():
                acc += p
                if x < acc:
                    kind = k
                    break
        return apply_fault(kind, self.rule(request), self.retry_after)


def apply_fault(kind: str | None, reply: Reply, retry_after: float) -> Reply:
    if kind in ("429", "503"):
        return Reply(status=int(kind), headers={"retry-after": f"{retry_after:g}"}, error="slow down")
    if kind == "500":
        return Reply(status=500, error="internal failure")
    if kind == "hang":
        return Reply(hang=True)
    if kind == "truncate":
        reply.truncate = True
    if kind == "bad_json":
        name = reply.tool_calls[0]["name"] if reply.tool_calls else "search"
        reply.tool_calls = [{"name": name, "arguments": '{"query": "x",'}]
    return reply
