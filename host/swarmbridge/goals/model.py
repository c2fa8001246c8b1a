"""What a goal is (validated with pydantic) and what a round's swarm work may propose.

The agent only PROPOSES ``complete`` or ``blocked``; the decision is the goal engine's, and
``complete`` needs the goal's own checks (``criteria``) to pass on the evidence.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

import pydantic


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class FileExists(_Strict):
    """A file the work must have produced (relative paths are under the artefacts directory)."""

    kind: Literal["file_exists"] = "file_exists"
    path: str = pydantic.Field(min_length=1)


class OutputMatches(_Strict):
    """A regular expression the round's output must match."""

    kind: Literal["regex"] = "regex"
    pattern: str = pydantic.Field(min_length=1)

    @pydantic.field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"bad regex: {exc}") from exc
        return v


class ModelGraded(_Strict):
    """A rubric that a separate grader (the ``verifier`` role's model, which the config may point at
    a different endpoint from the workers') checks the round's evidence against. The grader sees
    the objective, the rubric and the evidence as data; it never sees the agent's own verdict."""

    kind: Literal["model"] = "model"
    rubric: str = pydantic.Field(min_length=1, max_length=4000)


Criterion = Annotated[FileExists | OutputMatches | ModelGraded, pydantic.Field(discriminator="kind")]


class Budgets(_Strict):
    tokens: int | None = pydantic.Field(default=None, gt=0)
    steps: int | None = pydantic.Field(default=None, gt=0)
    wall_s: float | None = pydantic.Field(default=None, gt=0)
    cost: float | None = pydantic.Field(default=None, gt=0, description="US dollars, counted on endpoints with prices")
    rounds: int = pydantic.Field(default=20, gt=0, le=1000)


class GoalSpec(_Strict):
    objective: str = pydantic.Field(min_length=1, max_length=20_000)
    criteria: list[Criterion] = pydantic.Field(min_length=1, description="checks that must pass before the goal is complete")
    budgets: Budgets = Budgets()
    #: consecutive rounds without progress before the goal pauses itself
    stall_rounds: int = pydantic.Field(default=3, ge=1, le=50)
    #: run every round on this configured endpoint (default: each role's own)
    endpoint: str | None = pydantic.Field(default=None, min_length=1, max_length=100)

    @property
    def model_graded(self) -> bool:
        return any(isinstance(c, ModelGraded) for c in self.criteria)


class Proposal(pydantic.BaseModel):
    """What the swarm's output may say about the goal (anything else in the output is ignored)."""

    proposal: Literal["continue", "complete", "blocked"] = "continue"
    blocker: str = ""
    evidence: Any = None


def read_proposal(outputs: Any) -> Proposal:
    """Find ``{"proposal": ...}`` in the run's outputs (a dict, task outputs holding text with JSON
    in it, or text); a missing or malformed proposal is ``continue`` (the safe default: nothing is
    decided). When several tasks propose, the last one found counts (the graph's sink comes last)."""
    found = Proposal()
    for piece in _pieces(outputs):
        if isinstance(piece, dict):
            try:
                found = Proposal.model_validate(piece)
            except pydantic.ValidationError:
                continue
            continue
        for m in re.finditer(r"\{[^{}]*\"proposal\"[^{}]*\}", piece):
            try:
                found = Proposal.model_validate_json(m.group(0))
            except pydantic.ValidationError:
                continue
    return found


def _pieces(value: Any, depth: int = 0) -> list[Any]:
    """Dicts that carry a ``proposal`` key, and every string, in order (bounded depth)."""
    if isinstance(value, str):
        return [value]
    if depth > 4:
        return []
    if isinstance(value, dict):
        if "proposal" in value:
            return [value]
        return [p for v in value.values() for p in _pieces(v, depth + 1)]
    if isinstance(value, list | tuple):
        return [p for v in value for p in _pieces(v, depth + 1)]
    return []
