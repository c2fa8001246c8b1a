"""The tool seam sub-agents and recipe steps call through: one small interface, one registry.

Why: the swarm, the file tools (policy engineer) and recipes all need the same contract for a
tool -- a name, a description, pydantic-validated arguments, a risk class the approver can reason
about, and an async ``run`` -- so that a tool written once works in every place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ValidationError

Risk = Literal["read", "mutate", "sensitive"]


class ToolError(Exception):
    """A tool refused or failed; the message is shown to the agent/user as is."""


@dataclass
class ToolContext:
    """What a tool call knows about where it runs; ``idempotency_key`` = run/task/attempt/step."""

    run_id: str
    task_id: str
    idempotency_key: str
    browser: Any = None
    approver: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def approval_origin(self) -> str:
        """Who asks, for the approval queue: the run's own origin first ("goal:12", "schedule:
        prices", "cli"), so a per-goal or per-schedule policy applies to the tool calls of the runs
        it starts, then the run and the task."""
        origin = str(self.extras.get("origin") or "")
        here = f"run:{self.run_id}/task:{self.task_id}"
        return f"{origin}/{here}" if origin else here


class Tool:
    """Base class: subclasses set ``name``, ``description``, ``Params``, ``risk`` and implement ``run``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]]
    risk: ClassVar[Risk] = "read"

    def schema(self) -> dict[str, Any]:
        """JSON schema of the parameters (what a model sees)."""
        return self.Params.model_json_schema()

    def validate(self, args: dict[str, Any]) -> BaseModel:
        """Validate ``args`` at the boundary; raise ToolError with a readable message."""
        try:
            return self.Params.model_validate(args)
        except ValidationError as exc:
            raise ToolError(f"bad arguments for {self.name}: {exc.errors(include_url=False)}") from exc

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:  # pragma: no cover - interface
        """Do the work; return JSON-serialisable data."""
        raise NotImplementedError


class ToolRegistry:
    """Tools by name; ``call`` validates then runs."""

    def __init__(self, tools: list[Tool] | None = None) -> None:
        self._tools: dict[str, Tool] = {}
        for t in tools or []:
            self.add(t)

    def add(self, tool: Tool) -> None:
        """Register ``tool``; a duplicate name is an error, not a silent replacement."""
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} registered twice")
        self._tools[tool.name] = tool

    def names(self) -> list[str]:
        """Registered tool names, sorted."""
        return sorted(self._tools)

    def get(self, name: str) -> Tool:
        """The tool called ``name`` or ToolError."""
        try:
            return self._tools[name]
        except KeyError:
            raise ToolError(f"unknown tool {name!r}; known: {', '.join(self.names())}") from None

    async def call(self, name: str, args: dict[str, Any], ctx: ToolContext) -> Any:
        """Validate ``args`` for tool ``name`` and run it."""
        tool = self.get(name)
        return await tool.run(tool.validate(args), ctx)
