"""Several base URLs serving the same model, used as one ``Model``.

Each call goes to the least-loaded healthy member. A member that fails with a connection/server
error ``threshold`` times in a row is drained (circuit open) for ``cooldown`` seconds, then lets
exactly one trial call through (half-open): success closes the circuit, failure opens it again.
A retry-kind failure moves the call to another member (with jittered back-off when all members
are busy failing), at most ``max_attempts`` times; reprompt/fatal errors return to the caller.
Members are normally ``Gate``s built with ``max_attempts=1`` so retries live in one layer: here.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import ModelError, ServerError, Timeout
from .gate import backoff
from .interface import Completion, Model, ToolSpec


@dataclass
class Member:
    model: Model
    in_flight: int = 0
    failures: int = 0
    open_until: float = 0.0
    trial: bool = False  # a half-open trial call is in flight
    stats: dict = field(default_factory=lambda: {"ok": 0, "failed": 0, "opened": 0})

    def state(self, now: float) -> str:
        if self.open_until == 0.0:
            return "closed"
        return "open" if now < self.open_until or self.trial else "half-open"


class Pool:
    def __init__(self, members: Sequence[Model], *, threshold: int = 3, cooldown: float = 2.0, max_attempts: int = 8,
                 base_delay: float = 0.1, max_delay: float = 5.0, seed: int | None = None, name: str | None = None) -> None:
        if not members:
            raise ValueError("a pool needs at least one member")
        self.members = [Member(m) for m in members]
        self.name = name or members[0].name
        self.threshold, self.cooldown, self.max_attempts = threshold, cooldown, max_attempts
        self.base_delay, self.max_delay = base_delay, max_delay
        self._rng = random.Random(seed)

    def _choose(self, avoid: Member | None) -> Member | None:
        now = time.monotonic()
        ready = [m for m in self.members if m.state(now) != "open"]
        if len(ready) > 1 and avoid in ready:
            ready.remove(avoid)
        if not ready:
            return None
        best = min(ready, key=lambda m: (m.state(now) != "half-open", m.in_flight + m.failures))  # one trial first
        if best.state(now) == "half-open":
            best.trial = True
        return best

    def _ok(self, m: Member) -> None:
        m.failures, m.open_until, m.trial = 0, 0.0, False
        m.stats["ok"] += 1

    def _failed(self, m: Member, exc: ModelError) -> None:
        m.stats["failed"] += 1
        if not isinstance(exc, (ServerError, Timeout)):
            m.failures, m.open_until, m.trial = 0, 0.0, False  # it answered: alive, just busy or picky
            return
        m.failures += 1
        if m.trial or m.failures >= self.threshold:
            m.open_until = time.monotonic() + self.cooldown
            m.stats["opened"] += 1
        m.trial = False

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        last: ModelError | None = None
        prev: Member | None = None
        for attempt in range(self.max_attempts):
            m = self._choose(prev)
            if m is None:  # every member drained: wait for the first to become half-open
                soonest = min(x.open_until for x in self.members) - time.monotonic()
                await asyncio.sleep(max(0.01, soonest))
                m = self._choose(None)
                if m is None:
                    continue
            if attempt and last is not None:
                await asyncio.sleep(min(backoff(attempt - 1, self.base_delay, self.max_delay, self._rng), (last.retry_after or 0) + self.base_delay))
            m.in_flight += 1
            try:
                result = await m.model.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)
            except ModelError as exc:
                self._failed(m, exc)
                if exc.kind != "retry":
                    raise
                last, prev = exc, m
                continue
            finally:
                m.in_flight -= 1
            self._ok(m)
            return result
        if last is None:
            raise ServerError(f"no member of pool {self.name} could be reached")
        raise last
