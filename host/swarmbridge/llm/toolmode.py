"""Tool calling for models that cannot do it natively: JSON in the text, read with a repair parser.

Small local models often lack native tool calling or emit broken JSON. In ``json`` tool mode the
tools are described in the system prompt, the history's tool calls/results are rendered as text,
and the reply is parsed with ``json_repair`` (a maintained PyPI library that fixes code fences,
trailing commas, single quotes, unquoted keys, missing closing brackets and prose around the
object) instead of a hand-rolled parser. Which mode an endpoint gets is decided once by a probe
(``openai_model.probe_tool_mode``) and cached in the data dir (``ProbeCache``).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

import json_repair

from .errors import BadOutput
from .interface import ToolCall, ToolSpec
from .schema import validate

INSTRUCTIONS = (
    "\n\nYou can call tools. To call one, reply with ONLY a JSON object "
    '{{"tool": "<name>", "arguments": {{...}}}} and nothing else. To answer without a tool, reply '
    "with plain text. Tools (JSON schema of arguments):\n{tools}"
)


def describe(tools: Sequence[ToolSpec]) -> str:
    return "\n".join(f"- {t.name}: {t.description} args={json.dumps(t.parameters)}" for t in tools)


def as_text_messages(messages: list[dict], tools: Sequence[ToolSpec]) -> list[dict]:
    """The history rewritten for a model without tool calling (instructions in the system prompt)."""
    out: list[dict] = []
    extra = INSTRUCTIONS.format(tools=describe(tools))
    has_system = False
    for m in messages:
        role = m.get("role")
        if role == "system" and not has_system:
            out.append({"role": "system", "content": str(m.get("content") or "") + extra})
            has_system = True
        elif role == "assistant" and m.get("tool_calls"):
            c = m["tool_calls"][0]["function"]
            out.append({"role": "assistant", "content": json.dumps({"tool": c["name"], "arguments": json.loads(c["arguments"] or "{}")})})
        elif role == "tool":
            out.append({"role": "user", "content": f"Tool result ({m.get('tool_call_id', '')}):\n{m.get('content')}"})
        else:
            out.append(m)
    if not has_system:
        out.insert(0, {"role": "system", "content": extra.strip()})
    return out


_OBJ = re.compile(r"[{\[]")


def repair_json(text: str) -> object:
    """Parse the first JSON value in ``text``, repairing what small models typically break."""
    if not _OBJ.search(text or ""):
        raise ValueError("no JSON object in the reply")
    value = json_repair.loads(text)
    if value in ("", None):
        raise ValueError("no JSON object could be recovered")
    return value


def parse_text_reply(content: str | None, tools: Sequence[ToolSpec]) -> tuple[str | None, tuple[ToolCall, ...]]:
    """Split a json-mode reply into (text, tool calls); a tool-looking reply must be valid."""
    text = content or ""
    names = {t.name for t in tools}
    if '"tool"' not in text and "'tool'" not in text and "tool:" not in text:
        return content, ()
    try:
        obj = repair_json(text)
    except ValueError:
        return content, ()
    if isinstance(obj, list):
        obj = next((o for o in obj if isinstance(o, dict) and "tool" in o), None)
    if not isinstance(obj, dict) or "tool" not in obj:
        return content, ()
    name, args = obj.get("tool"), obj.get("arguments", {})
    if name not in names:
        raise BadOutput(f"unknown tool {name!r}; available: {sorted(names)}")
    return None, (check_call(f"call_{uuid.uuid4().hex[:12]}", str(name), args, tools),)


def check_call(call_id: str, name: str, arguments: object, tools: Sequence[ToolSpec]) -> ToolCall:
    """Parse (if text) and schema-validate one tool call; ``BadOutput`` says what to fix."""
    spec = next((t for t in tools if t.name == name), None)
    if spec is None:
        raise BadOutput(f"unknown tool {name!r}; available: {sorted(t.name for t in tools)}")
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except json.JSONDecodeError as exc:
            raise BadOutput(f"the arguments of tool {name!r} are not valid JSON ({exc.msg} at char {exc.pos}); send one JSON object") from None
    if not isinstance(arguments, dict):
        raise BadOutput(f"the arguments of tool {name!r} must be a JSON object")
    problems = validate(arguments, spec.parameters)
    if problems:
        raise BadOutput(f"invalid arguments for tool {name!r}: " + "; ".join(problems[:5]))
    return ToolCall(call_id, name, arguments)


class ProbeCache:
    """Per endpoint+model tool mode decided by a probe, kept in ``<data>/llm_probes.json``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def _load(self) -> dict:
        if self.path is None or not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, key: str) -> str | None:
        return self._load().get(key)

    def put(self, key: str, mode: str) -> None:
        if self.path is None:
            return
        data = self._load()
        data[key] = mode
        tmp = self.path.with_suffix(".tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=1), "utf-8")
        tmp.replace(self.path)
