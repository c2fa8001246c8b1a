"""Small deterministic tools used by recipes: echo a value, split text into a list, count items.

Why: recipes that need no model (and the tests/benches for the executor) need real tools with
validated arguments; these have no side effects so they are safe anywhere.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .base import Tool, ToolContext


class _EchoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any


class Echo(Tool):
    """Return ``value`` unchanged (joins upstream results through templates)."""

    name = "echo"
    description = "Return the given value unchanged."
    Params = _EchoParams
    risk = "read"

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        assert isinstance(args, _EchoParams)
        return args.value


class _SplitParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    sep: str = ","


class Split(Tool):
    """Split text into a trimmed list of non-empty parts (a source for map steps)."""

    name = "split"
    description = "Split text on a separator into a list of strings."
    Params = _SplitParams
    risk = "read"

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        assert isinstance(args, _SplitParams)
        return [p.strip() for p in args.text.split(args.sep) if p.strip()]


class _SleepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(ge=0, le=3600)


class Sleep(Tool):
    """Wait (pace a recipe, e.g. between visits to one site); returns the seconds waited."""

    name = "sleep"
    description = "Wait the given number of seconds."
    Params = _SleepParams
    risk = "read"

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        assert isinstance(args, _SleepParams)
        await asyncio.sleep(args.seconds)
        return args.seconds


def builtin_tools() -> list[Tool]:
    """Fresh instances of every builtin tool."""
    return [Echo(), Split(), Sleep()]
