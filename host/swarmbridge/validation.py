"""Validation errors in people's words: one line per problem, ``where: what`` (pydantic's own
messages, without its "Value error, " prefix and documentation links). Used wherever bad input
is answered: RPC replies, the CLI, MCP tool results."""

from __future__ import annotations

import pydantic


def problems(exc: pydantic.ValidationError, default: str = "input") -> list[str]:
    """``["field.sub: message", ...]``, in pydantic's order."""
    out = []
    for e in exc.errors(include_url=False):
        where = ".".join(str(p) for p in e.get("loc", ())) or default
        out.append(f"{where}: {str(e.get('msg')).removeprefix('Value error, ')}")
    return out


def summary(exc: pydantic.ValidationError, default: str = "input", limit: int = 3) -> str:
    """The first ``limit`` problems joined by '; ', with how many more there are."""
    found = problems(exc, default)
    more = len(found) - limit
    return "; ".join(found[:limit]) + (f" (+{more} more)" if more > 0 else "")


__all__ = ["problems", "summary"]
