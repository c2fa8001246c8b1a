"""The live view of a run in a terminal: a progress bar, the table of active sub-agents, steps and
tokens, redrawn in place as the run's events arrive.

``RunView`` folds the typed event stream (``runs.events``: started, task_started, step, tool_call,
verified, blocked, task_finished, finished) into state and renders it as text; it knows nothing of
terminals, so it is tested on its own. ``LiveScreen`` redraws that text in place on a TTY (ANSI
cursor-up + clear), and prints nothing but the final summary when the output is not a terminal's.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

#: the most sub-agents listed at once (the rest are counted on one line)
MAX_ROWS = 12


@dataclass
class Agent:
    task: str
    turns: int = 0
    tools: int = 0
    last: str = "starting"
    attempt: int = 1
    started: float = field(default_factory=time.monotonic)


class RunView:
    def __init__(self, run_id: str, clock: Any = time.monotonic) -> None:
        self.run_id = run_id
        self.clock = clock
        self.t0 = clock()
        self.total = 0
        self.done = 0
        self.blocked: dict[str, str] = {}
        self.active: dict[str, Agent] = {}
        self.steps = 0
        self.tokens = 0
        self.cost: float | None = None  # US dollars, once an event carries it (priced endpoints only)
        self.tool_calls = 0
        self.status = "running"
        self.stop_reason = ""

    def apply(self, kind: str, data: dict[str, Any]) -> None:
        """Fold one event in (unknown kinds are ignored: newer daemons may send more)."""
        task = str(data.get("task", ""))
        if kind == "started":
            self.total = int(data.get("steps") or 0)
            self.done = int(data.get("resumed") or 0)
        elif kind == "task_started":
            prev = self.active.get(task)
            self.active[task] = Agent(task, attempt=prev.attempt + 1 if prev else 1, started=self.clock())
        elif kind == "step":
            self.steps += 1
            self._usage(data)
            agent = self.active.setdefault(task, Agent(task, started=self.clock()))
            agent.turns = int(data.get("turn") or agent.turns + 1)
            agent.last = "thinking"
        elif kind == "tool_call":
            self.tool_calls += 1
            agent = self.active.setdefault(task, Agent(task, started=self.clock()))
            agent.tools += 1
            agent.last = f"tool {data.get('tool', '?')}"
        elif kind == "verified":
            agent = self.active.get(task)
            if agent is not None:
                agent.last = "verified" if data.get("passed") else "retrying: " + str(data.get("feedback") or "")[:40]
        elif kind == "task_finished":
            self.done += 1
            self.active.pop(task, None)
        elif kind == "blocked":
            self.blocked[task] = str(data.get("reason") or "")
            self.active.pop(task, None)
        elif kind == "finished":
            self.status = str(data.get("status") or "finished")
            self.stop_reason = str(data.get("stop_reason") or "")
            self.steps = max(self.steps, int(data.get("steps") or 0))
            self._usage(data)
        elif kind == "usage":  # the writer's share, after finished
            self._usage(data)

    def _usage(self, data: dict[str, Any]) -> None:
        self.tokens = max(self.tokens, int(data.get("tokens") or 0))
        if isinstance(data.get("cost"), (int, float)):
            self.cost = max(self.cost or 0.0, float(data["cost"]))

    def render(self, width: int = 100) -> list[str]:
        elapsed = self.clock() - self.t0
        settled = self.done + len(self.blocked)
        bar_w = max(10, min(40, width - 60))
        filled = int(bar_w * settled / self.total) if self.total else 0
        bar = "#" * filled + "-" * (bar_w - filled)
        lines = [
            f"run {self.run_id}  [{bar}] {settled}/{self.total or '?'} tasks  {len(self.active)} active  "
            f"{self.steps} steps  {self.tool_calls} tool calls  {self.tokens:,} tokens{f' (${self.cost:.4f})' if self.cost is not None else ''}  {elapsed:.0f} s",
        ]
        if self.active:
            lines.append(f"  {'sub-agent':<20} {'turns':>5} {'tools':>5} {'for':>6}  doing")
            rows = sorted(self.active.values(), key=lambda a: a.started)
            for a in rows[:MAX_ROWS]:
                again = f" (try {a.attempt})" if a.attempt > 1 else ""
                lines.append(f"  {(a.task + again)[:20]:<20} {a.turns:>5} {a.tools:>5} {self.clock() - a.started:>5.0f}s  {a.last}"[:width])
            if len(rows) > MAX_ROWS:
                lines.append(f"  … and {len(rows) - MAX_ROWS} more")
        for task, why in list(self.blocked.items())[-3:]:
            lines.append(f"  blocked {task}: {why}"[:width])
        return lines


class LiveScreen:
    """Redraws a ``RunView`` in place on a terminal; elsewhere draws nothing until ``close``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self._drawn = 0

    def draw(self, view: RunView) -> None:
        if not self.tty:
            return
        width = shutil.get_terminal_size((100, 24)).columns - 1
        lines = view.render(width)
        if self._drawn:
            self.out.write(f"\x1b[{self._drawn}F\x1b[J")  # up to the first line drawn, clear below
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()
        self._drawn = len(lines)
