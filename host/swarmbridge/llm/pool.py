"""A pool of Models serving the same model at several base URLs, with per-member circuit breakers.

Why: a user may run the same model on two machines or two server processes. Picking the
least-loaded member spreads work; a member that keeps failing with retry-kind errors is drained
(circuit open) so callers stop paying its timeouts, then tried again with a single request after
``cooldown`` seconds (half-open) and closed on success.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from swarmbridge.llm.errors import ModelError, ServerError
from swarmbridge.llm.interface import Completion, Model, ToolSpec


@dataclass
class _Member:
    model: Model
    inflight: int = 0
    failures: int = 0
    open_until: float = 0.0
    probing: bool = False


class Pool:
    """Implements Model over members; put a Gate in front of it for retries and limits."""

    def __init__(self, members: Sequence[Model], *, failure_threshold: int = 3, cooldown: float = 5.0) -> None:
        if not members:
            raise ValueError("a pool needs at least one member")
        self.name = members[0].name
        self._members = [_Member(m) for m in members]
        self._threshold = failure_threshold
        self._cooldown = cooldown

    def state(self) -> list[str]:
        """'closed' | 'open' | 'half-open' per member, in order (for status and tests)."""
        now = time.monotonic()
        return ["open" if m.open_until > now else ("half-open" if m.failures >= self._threshold else "closed") for m in self._members]

    def _pick(self) -> _Member:
        now = time.monotonic()
        usable = [m for m in self._members if m.failures < self._threshold]
        half_open = [m for m in self._members if m.failures >= self._threshold and m.open_until <= now and not m.probing]
        if half_open:
            member = half_open[0]
            member.probing = True
            return member
        if not usable:
            raise ServerError("all pool members are drained (circuit open)", retry_after=max(0.0, min(m.open_until for m in self._members) - now))
        return min(usable, key=lambda m: m.inflight)

    async def complete(
        self,
        messages: list[dict],
        *,
        tools: Sequence[ToolSpec] | None = None,
        priority: float = 0.0,
        max_tokens: int | None = None,
        json_schema: dict | None = None,
    ) -> Completion:
        """Send to the least-loaded healthy member; record the outcome on its breaker."""
        member = self._pick()
        member.inflight += 1
        try:
            out = await member.model.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)
        except ModelError as exc:
            if exc.kind == "retry" and exc.retry_after is None:
                member.failures += 1
                if member.failures >= self._threshold:
                    member.open_until = time.monotonic() + self._cooldown
            raise
        finally:
            member.inflight -= 1
            member.probing = False
        member.failures = 0
        member.open_until = 0.0
        return out
