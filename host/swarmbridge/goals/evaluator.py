"""The separate evaluator: the checks a goal names, run on a round's evidence.

It never sees the agent's own verdict; a ``complete`` proposal stands only if every check passes.
Deterministic checks (a file exists, the output matches) run here; a ``model`` check asks a
``Grader``: ``ModelGrader`` is the verifier role's model through ``swarm.roles.verify`` (one
verifier prompt for sub-agent results and for goals), and an unreadable grade is a fail, never a
pass. With no grader (no endpoint configured) a model check fails and says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..llm.errors import ModelError
from ..llm.interface import Model
from .model import Criterion, FileExists, ModelGraded, OutputMatches

#: how much of each text deliverable the grader sees
EVIDENCE_CHARS = 20_000


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


class Grader(Protocol):
    async def grade(self, objective: str, rubric: str, evidence: dict[str, Any]) -> tuple[bool, str]: ...


class ModelGrader:
    """Grades with a model (the daemon gives it the ``verifier`` role's)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    async def grade(self, objective: str, rubric: str, evidence: dict[str, Any]) -> tuple[bool, str]:
        from ..swarm.roles import verify

        try:
            verdict = await verify(self.model, f"Goal: {objective}", rubric, evidence, priority=1e9)
        except ModelError as exc:
            return False, f"the grader failed: {exc}"
        return verdict.passed, verdict.feedback


def gather_evidence(output: str, deliverables: Any, base: Path) -> dict[str, Any]:
    """The round's output plus the start of each text deliverable (what a grader reads)."""
    files: dict[str, str] = {}
    for i, d in enumerate(deliverables or []):
        if isinstance(d, dict) and isinstance(d.get("text"), str):  # kept inline (no output folder)
            files[f"{d.get('kind', 'deliverable')}-{i + 1}"] = d["text"][:EVIDENCE_CHARS]
            continue
        path = Path(str(d.get("path") if isinstance(d, dict) else d)).expanduser()
        path = path if path.is_absolute() else base / path
        if path.suffix.lower() in (".md", ".txt", ".csv", ".json", ".html") and path.is_file():
            with path.open(encoding="utf-8", errors="replace") as f:
                files[path.name] = f.read(EVIDENCE_CHARS)
    return {"output": output[:EVIDENCE_CHARS], "deliverables": files}


async def evaluate(criteria: list[Criterion], output: str, base: Path, *, objective: str = "", deliverables: Any = None,
                   grader: Grader | None = None) -> Verdict:
    passed, details = [], []
    evidence: dict[str, Any] | None = None
    for c in criteria:
        if isinstance(c, FileExists):
            p = Path(c.path).expanduser()
            p = p if p.is_absolute() else base / p
            ok = p.is_file()
            details.append(f"file {p} {'exists' if ok else 'missing'}")
        elif isinstance(c, OutputMatches):
            ok = re.search(c.pattern, output) is not None
            details.append(f"/{c.pattern}/ {'matched' if ok else 'not found in output'}")
        elif isinstance(c, ModelGraded):
            if grader is None:
                ok, why = False, "no model to grade it: configure an endpoint (see `swarmbridge models detect`)"
            else:
                evidence = evidence or gather_evidence(output, deliverables, base)
                ok, why = await grader.grade(objective, c.rubric, evidence)
            details.append(f"model check {c.rubric[:80]!r} {'passed' if ok else 'failed'}{': ' + why if why else ''}")
        else:  # pragma: no cover - the union is closed by pydantic
            raise TypeError(c)
        passed.append(ok)
    return Verdict(passed, details)
