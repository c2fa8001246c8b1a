"""What one run's model calls used: ``Metered`` wraps the run's ``Model`` and adds up every
reply's tokens, and its cost in US dollars where the endpoint has prices (``input_price`` /
``output_price`` in the config). Every role of the run (planner, workers, verifier, re-planner,
writer) calls through the same meter, so a run's totals and its token and cost budgets count
them all. Totals start from what was recorded before a restart, so a resumed run keeps them."""

from __future__ import annotations

from collections.abc import Sequence

from .interface import Completion, Model, ToolSpec


class Metered:
    """Implements ``Model``: passes each request on; ``tokens`` and ``cost`` are the running totals
    (``cost`` stays None while no reply came from a priced endpoint: unknown is not free)."""

    def __init__(self, inner: Model, tokens: int = 0, cost: float | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.tokens = tokens
        self.cost = cost

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0,
                       max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        c = await self.inner.complete(messages, tools=tools, priority=priority, max_tokens=max_tokens, json_schema=json_schema)
        self.tokens += c.usage.total
        if c.cost is not None:
            self.cost = (self.cost or 0.0) + c.cost
        return c

    def totals(self) -> dict[str, float | int]:
        """``{"tokens": N}`` plus ``"cost"`` (rounded to a millionth of a dollar) when known."""
        return {"tokens": self.tokens, **({"cost": round(self.cost, 6)} if self.cost is not None else {})}


__all__ = ["Metered"]
