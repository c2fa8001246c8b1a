"""The separate evaluator: deterministic checks a goal names, run on a round's evidence.

It never sees the agent's own verdict; a ``complete`` proposal stands only if every check passes.
(A model-graded check through ``llm/`` belongs here too once that package has an endpoint.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Criterion, FileExists, OutputMatches


@dataclass(frozen=True)
class Verdict:
    passed: list[bool]
    details: list[str]

    @property
    def score(self) -> float:
        return sum(self.passed) / len(self.passed) if self.passed else 0.0

    @property
    def ok(self) -> bool:
        return bool(self.passed) and all(self.passed)


def evaluate(criteria: list[Criterion], output: str, base: Path) -> Verdict:
    passed, details = [], []
    for c in criteria:
        if isinstance(c, FileExists):
            p = Path(c.path).expanduser()
            p = p if p.is_absolute() else base / p
            ok = p.is_file()
            details.append(f"file {p} {'exists' if ok else 'missing'}")
        elif isinstance(c, OutputMatches):
            ok = re.search(c.pattern, output) is not None
            details.append(f"/{c.pattern}/ {'matched' if ok else 'not found in output'}")
        else:  # pragma: no cover - the union is closed by pydantic
            raise TypeError(c)
        passed.append(ok)
    return Verdict(passed, details)
