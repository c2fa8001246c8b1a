"""The approval seam. Every mutating or sensitive action, whoever asks (a sub-agent, a schedule,
an MCP client), is described as an ``ActionRequest`` and handed to an ``Approver``.

The real approver is the persisted approval queue (``policy.queue``); ``AllowAll``/``DenyAll``
are the fakes beside the seam, and ``PromptApprover`` asks yes/no on a terminal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Risk = Literal["read", "mutate", "sensitive"]


@dataclass(frozen=True)
class ActionRequest:
    tool: str  # e.g. "files.write", "browser.click", "shell.run"
    risk: Risk
    summary: str  # one line a person can judge
    preview: dict[str, Any] = field(default_factory=dict)  # diff, field values, element, screenshot ref
    origin: str = ""  # "run:<id>/task:<id>", "goal:<id>", "schedule:<id>", "mcp"
    idempotency_key: str = ""  # the same key is decided (and run) once


@dataclass(frozen=True)
class Decision:
    approved: bool
    reason: str = ""
    by: str = ""  # "user:cli", "policy:allow-site", "expired", ...
    #: True when a headless caller asked not to wait: the request is queued, nothing was decided yet.
    pending: bool = False
    request_id: str = ""


class Approver(Protocol):
    async def decide(self, request: ActionRequest) -> Decision: ...


class AllowAll:
    async def decide(self, request: ActionRequest) -> Decision:
        return Decision(True, "allow-all approver", "policy:allow-all")


class DenyAll:
    async def decide(self, request: ActionRequest) -> Decision:
        return Decision(False, "read-only policy", "policy:read-only")


class PromptApprover:
    """Interactive yes/no on a terminal (the CLI's approval hook). Anything but y/yes denies."""

    def __init__(self, stdin=None, stdout=None) -> None:
        self._in = stdin or sys.stdin
        self._out = stdout or sys.stderr

    async def decide(self, request: ActionRequest) -> Decision:
        import asyncio

        def ask() -> str:
            self._out.write(f"\nApprove {request.risk} action {request.tool}: {request.summary}\n")
            for k, v in request.preview.items():
                self._out.write(f"  {k}: {str(v)[:2000]}\n")
            self._out.write("Approve? [y/N] ")
            self._out.flush()
            return (self._in.readline() or "").strip().lower()

        answer = await asyncio.to_thread(ask)
        ok = answer in ("y", "yes")
        return Decision(ok, "approved at the terminal" if ok else "denied at the terminal", "user:cli")
