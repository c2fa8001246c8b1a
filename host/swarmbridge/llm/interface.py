"""The model seam: what every part of SwarmBridge that talks to a language model depends on.

One small Protocol (``Model``) and four frozen value types. The OpenAI-compatible adapter
(``openai_model.py``), the rate-limit gate (``gate.py``), the endpoint pool (``pool.py``) and the
scripted ``FakeModel`` (``fake.py``) all implement it, so the swarm never knows which it has.
``messages`` are OpenAI chat messages (dicts with role/content/tool_calls/tool_call_id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..jsontext import dumps


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model; ``parameters`` is a JSON schema (type object)."""

    name: str
    description: str
    parameters: dict = field(default_factory=lambda: {"type": "object", "properties": {}})

    def openai(self) -> dict:
        """The OpenAI ``tools=[...]`` entry for this tool."""
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


@dataclass(frozen=True)
class ToolCall:
    """One tool call the model asked for; ``arguments`` are parsed and schema-validated."""

    id: str
    name: str
    arguments: dict


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class Completion:
    """A model reply: text and/or tool calls, token usage, why it stopped, which model answered."""

    content: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = Usage()
    finish_reason: str = "stop"
    model: str = ""
    cost: float | None = None  # US dollars, when the endpoint has prices set; None: unknown or free

    def message(self) -> dict:
        """This reply as an OpenAI assistant message, ready to append to a history."""
        msg: dict = {"role": "assistant", "content": self.content}
        if self.tool_calls:
            msg["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": dumps(c.arguments)}}
                for c in self.tool_calls
            ]
        return msg


@runtime_checkable
class Model(Protocol):
    """Something that completes a chat. Raises ``llm.errors.ModelError`` subclasses on failure."""

    name: str

    async def complete(
        self,
        messages: list[dict],
        *,
        tools: Sequence[ToolSpec] | None = None,
        priority: float = 0.0,
        max_tokens: int | None = None,
        json_schema: dict | None = None,
    ) -> Completion: ...
