"""A model per role: one ``Model`` for the swarm that sends each request to its role's endpoint.

Every role prompt starts with the line ``ROLE: <role>`` (planner, replanner, worker, verifier,
writer, autofill); ``RoleRouter`` reads it and forwards the request to that role's model from the
config's ``[roles]`` (a role with no entry uses the worker's), so a small local model can verify
while a large one plans, without the swarm knowing. ``pinned(endpoint, model)`` is the same thing
for one named endpoint (``swarmbridge run --endpoint NAME --model M``): every role goes there.
Models are resolved on first use, so a daemon with an unreachable server still starts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence

from ..config import ROLES
from .interface import Completion, Model, ToolSpec

ROLE_LINE = re.compile(r"^ROLE: ([a-z]+)")
#: prompt roles that share a configured role
ALIASES = {"replanner": "planner", "autofill": "worker"}


def role_of(messages: Sequence[dict]) -> str:
    """The role named on the first line of the first system message ("worker" when none)."""
    for m in messages:
        if m.get("role") == "system":
            found = ROLE_LINE.match(str(m.get("content") or ""))
            if found:
                role = ALIASES.get(found.group(1), found.group(1))
                return role if role in ROLES else "worker"
            break
    return "worker"


class LazyModel:
    """A ``Model`` built by ``resolve`` on its first call (probing the server then)."""

    def __init__(self, resolve: Callable[[], Awaitable[Model]], name: str) -> None:
        self._resolve, self.name = resolve, name
        self._model: Model | None = None
        self._lock = asyncio.Lock()

    async def model(self) -> Model:
        async with self._lock:
            if self._model is None:
                self._model = await self._resolve()
                self.name = self._model.name
        return self._model

    def reset(self) -> None:
        """Resolve again on the next call (the config changed)."""
        self._model = None

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        model = self._model or await self.model()
        return await model.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)


class RoleRouter:
    """Implements ``Model``: each request goes to the model of the role its prompt names."""

    def __init__(self, registry) -> None:  # llm.registry.Registry
        self.registry = registry
        self.name = "roles"
        self._by_role = {r: LazyModel(lambda r=r: registry.for_role(self._configured(r)), f"role:{r}") for r in ROLES}

    def _configured(self, role: str) -> str:
        return role if role in self.registry.cfg.roles else "worker"

    def reset(self) -> None:
        """After a config change (``ModelsComponent.apply``): every role resolves again."""
        for m in self._by_role.values():
            m.reset()

    def for_role(self, role: str) -> LazyModel:
        return self._by_role[role]

    def pinned(self, endpoint: str, model: str | None = None) -> LazyModel:
        """Every role on one named endpoint (checked now: an unknown name is a clear error)."""
        if endpoint not in self.registry.cfg.endpoints:
            raise ValueError(f"no endpoint named {endpoint!r}; configured: {', '.join(sorted(self.registry.cfg.endpoints)) or 'none'}")
        return LazyModel(lambda: self.registry.endpoint(endpoint, model), f"{endpoint}:{model or self.registry.cfg.endpoints[endpoint].model}")

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        return await self._by_role[role_of(messages)].complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)
