"""A sub-agent's message history, kept under a token budget by compaction.

Why: a sub-agent that takes 200 steps would otherwise send its whole transcript every turn, so a
turn would cost more (tokens, latency, the model's context) the longer the agent worked. Here the
size is tracked incrementally (one estimate per appended message, never a re-walk of the
transcript) and, when it passes the budget, the history is compacted down to a lower mark so the
work is amortised over many turns:

1. older tool results are cut to a short prefix with a ``[compacted: ...]`` marker;
2. if that is not enough, the oldest whole turns (an assistant message with the tool results that
   answer it) are dropped and counted in a note appended to the task message.

The head (system prompt and task) and the most recent turns are never touched, and a tool result
is never separated from the assistant message that asked for it (OpenAI-compatible servers reject
that). Tokens are estimated as characters / 4: cheap, and close enough for a budget.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..jsontext import dumps

CHARS_PER_TOKEN = 4
KEEP_PREFIX = 300  # characters of an old tool result kept after compaction
MARK = "[compacted: "


def size(msg: dict[str, Any]) -> int:
    """Characters one message costs (content plus tool-call names and arguments)."""
    content = msg.get("content")
    n = 16 + (len(content) if type(content) is str else len(str(content)) if content else 0)
    calls = msg.get("tool_calls")
    if calls:
        for c in calls:
            fn = c.get("function") or {}
            n += 24 + len(fn.get("name", "")) + len(fn.get("arguments", ""))
    return n


class History:
    """Messages sent to the model each turn; ``append`` compacts when over ``budget_tokens``."""

    def __init__(self, system: str, task: str, *, budget_tokens: int = 8000, low_water: float = 0.6, keep_recent: int = 2) -> None:
        self.task = task
        self.messages: list[dict[str, Any]] = [{"role": "system", "content": system}, {"role": "user", "content": task}]
        self._sizes = [size(m) for m in self.messages]
        self.chars = sum(self._sizes)
        self.budget_chars = budget_tokens * CHARS_PER_TOKEN
        self.low_chars = int(self.budget_chars * low_water)
        self.keep_recent = keep_recent  # turns (assistant message + its results) never compacted
        self._cut_upto = 2  # messages before this index have had their tool results cut already
        self.dropped: Counter[str] = Counter()  # tool name -> calls in dropped turns
        self.dropped_turns = 0
        self.compactions = 0

    @property
    def tokens(self) -> int:
        return self.chars // CHARS_PER_TOKEN

    def append(self, msg: dict[str, Any]) -> None:
        """Add one message; compact if the history is now over budget."""
        self.messages.append(msg)
        n = size(msg)
        self._sizes.append(n)
        self.chars += n
        if self.chars > self.budget_chars and msg.get("role") != "assistant":  # never split a turn in progress
            self.compact()

    def _turn_starts(self) -> list[int]:
        """Indices (after the head) where a turn starts: an assistant or a plain user message."""
        return [i for i in range(2, len(self.messages)) if self.messages[i]["role"] != "tool"]

    def compact(self) -> None:
        """Bring the history down to the low-water mark (or as far as the protected parts allow)."""
        self.compactions += 1
        starts = self._turn_starts()
        protect = starts[-self.keep_recent] if len(starts) >= self.keep_recent else 2
        # 1. cut older tool results, oldest first
        for i in range(max(self._cut_upto, 2), protect):
            m = self.messages[i]
            body = str(m.get("content") or "")
            if m["role"] == "tool" and len(body) > KEEP_PREFIX + 80 and MARK not in body:
                self._set(i, {**m, "content": f"{body[:KEEP_PREFIX]} {MARK}{len(body) - KEEP_PREFIX} more characters of this old tool result omitted]"})
            if self.chars <= self.low_chars:
                self._cut_upto = i + 1
                return
        self._cut_upto = protect
        # 2. drop the oldest whole turns (never past the protected recent ones)
        removed, end = 0, 2
        for st in starts:
            if st > protect:
                break
            removed += sum(self._sizes[end:st])
            end = st
            if self.chars - removed <= self.low_chars:
                break
        if end <= 2:
            return
        for m in self.messages[2:end]:
            if m["role"] == "assistant":
                self.dropped_turns += 1
                self.dropped.update(c.get("function", {}).get("name", "?") for c in m.get("tool_calls") or ())
        self.chars -= removed
        del self.messages[2:end]
        del self._sizes[2:end]
        self._cut_upto = 2
        tools = ", ".join(f"{name} x{n}" for name, n in self.dropped.most_common(20)) or "none"
        self._set(1, {"role": "user", "content": f"{self.task}\n\n{MARK}{self.dropped_turns} earlier turns of yours were removed to save"
                                                 f" space (the tools they called: {tools}); rely on what your later messages say, or call a"
                                                 " tool again if you need a detail.]"})

    def _set(self, i: int, msg: dict[str, Any]) -> None:
        n = size(msg)
        self.chars += n - self._sizes[i]
        self._sizes[i] = n
        self.messages[i] = msg


def tool_content(result: Any, limit: int = 8000) -> str:
    """A tool result as the text of a ``tool`` message (JSON, cut at ``limit`` with a marker)."""
    body = dumps(result)
    return body if len(body) <= limit else body[:limit] + f" [cut: {len(body) - limit} more characters]"
