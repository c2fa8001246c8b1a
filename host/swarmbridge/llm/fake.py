"""A scripted in-process model for unit tests beside the model seam.

``FakeModel(script)`` calls ``script(messages, tools)`` for each completion; the script returns a
``Completion`` (returned) or an ``Exception`` (raised), so a test can drive any path of the caller,
errors included, without a network. ``calls`` records every request for assertions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from .interface import Completion, ToolSpec, Usage

Script = Callable[[list[dict], Sequence[ToolSpec] | None], "Completion | BaseException"]


def text(content: str, *, prompt_tokens: int = 10, completion_tokens: int = 5) -> Completion:
    """Shorthand for a plain text reply."""
    return Completion(content=content, tool_calls=(), usage=Usage(prompt_tokens, completion_tokens), finish_reason="stop", model="fake")


class FakeModel:
    """Implements ``Model``; ``latency`` seconds of ``asyncio.sleep`` per call."""

    def __init__(self, script: Script, latency: float = 0.0, name: str = "fake") -> None:
        self.script = script
        self.latency = latency
        self.name = name
        self.calls: list[dict] = []

    async def complete(
        self,
        messages: list[dict],
        *,
        tools: Sequence[ToolSpec] | None = None,
        priority: float = 0.0,
        max_tokens: int | None = None,
        json_schema: dict | None = None,
    ) -> Completion:
        self.calls.append({"messages": list(messages), "tools": tools, "priority": priority, "json_schema": json_schema})
        if self.latency:
            await asyncio.sleep(self.latency)
        out = self.script(list(messages), tools)
        if isinstance(out, BaseException):
            raise out
        return out
