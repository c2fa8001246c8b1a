"""The run graph: the planner's output and a person's recipe file are this one structure.

Why one structure: a recipe (no model) and a planned run go through the same validation,
ordering and executor, so each is tested by the other. Validation errors are phrased so a planner
can be re-asked with them verbatim.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

_ID = r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$"
_REF = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_\-]*)((?:\.[A-Za-z0-9_\-]+)*)\s*\}\}")


class GraphError(ValueError):
    """The graph is invalid; the message says what to fix."""


class Step(BaseModel):
    """One node: an agent task (role + instructions) or a tool step (tool + templated args).

    ``map`` names an upstream step whose result (a list) this step fans out over; inside args the
    current element is ``{{item}}``.
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    role: Literal["worker", "researcher", "writer"] = "worker"
    instructions: str = ""
    inputs: list[str] = Field(default_factory=list)
    expected_output: str = ""
    acceptance: str = ""
    tool: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    map: str | None = None

    @model_validator(mode="after")
    def _kind(self) -> Step:
        if self.tool is None and not self.instructions:
            raise ValueError(f"step {self.id!r} needs either 'tool' or 'instructions'")
        if self.map and self.map not in self.inputs:
            self.inputs.append(self.map)
        for ref in refs_in(self.args):
            if ref != "item" and ref not in self.inputs:
                self.inputs.append(ref)
        return self


class Graph(BaseModel):
    """A goal and its steps, acyclic with every reference resolved."""

    model_config = ConfigDict(extra="forbid")
    goal: str = ""
    steps: list[Step] = Field(min_length=1)
    deliverables: list[Literal["md", "csv", "xlsx", "pptx"]] = Field(default_factory=list)  # files the writer makes besides Markdown

    @model_validator(mode="after")
    def _check(self) -> Graph:
        ids = [s.id for s in self.steps]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate step ids: {dup}")
        known = set(ids)
        for s in self.steps:
            missing = [i for i in s.inputs if i not in known]
            if missing:
                raise ValueError(f"step {s.id!r} depends on unknown steps {missing}; known: {sorted(known)}")
        cycle = _find_cycle({s.id: s.inputs for s in self.steps})
        if cycle:
            raise ValueError(f"cycle: {' -> '.join(cycle)}; remove one of these dependencies")
        return self

    def by_id(self) -> dict[str, Step]:
        """Steps keyed by id."""
        return {s.id: s for s in self.steps}

    def critical_path(self) -> dict[str, int]:
        """For each step, the length of the longest chain from it to a sink (itself = 1)."""
        order = _topo_order({s.id: s.inputs for s in self.steps})
        assert order is not None  # validated acyclic
        children: dict[str, list[str]] = {s.id: [] for s in self.steps}
        for s in self.steps:
            for i in s.inputs:
                children[i].append(s.id)
        depth: dict[str, int] = {}
        for n in reversed(order):
            depth[n] = 1 + max((depth[c] for c in children[n]), default=0)
        return depth


def refs_in(value: Any) -> set[str]:
    """Step ids referenced as ``{{id}}`` / ``{{id.field}}`` anywhere inside ``value``."""
    out: set[str] = set()
    if isinstance(value, str):
        out.update(m.group(1) for m in _REF.finditer(value))
    elif isinstance(value, dict):
        for v in value.values():
            out |= refs_in(v)
    elif isinstance(value, list):
        for v in value:
            out |= refs_in(v)
    return out


def render(value: Any, results: dict[str, Any]) -> Any:
    """Fill templates: a string that is exactly one ``{{ref}}`` keeps the result's type."""
    if isinstance(value, str):
        whole = _REF.fullmatch(value.strip())
        if whole:
            return _lookup(results, whole.group(1), whole.group(2))
        return _REF.sub(lambda m: _text(_lookup(results, m.group(1), m.group(2))), value)
    if isinstance(value, dict):
        return {k: render(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, results) for v in value]
    return value


def _lookup(results: dict[str, Any], ref: str, path: str) -> Any:
    cur = results[ref]
    for part in filter(None, path.split(".")):
        cur = cur[int(part)] if isinstance(cur, list) else cur[part]
    return cur


def _text(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, sort_keys=True)


def _topo_order(deps: dict[str, list[str]]) -> list[str] | None:
    """Ids with every input before its dependents, or None if there is a cycle."""
    order = _acyclic_part(deps)
    return order if len(order) == len(deps) else None


def _find_cycle(deps: dict[str, list[str]]) -> list[str] | None:
    """One cycle as a list of ids (first id repeated at the end), or None."""
    order = _topo_order(deps)
    if order is not None:
        return None
    left = set(deps) - set(_acyclic_part(deps))
    n = min(left)
    seen: list[str] = []
    while n not in seen:
        seen.append(n)
        n = min(d for d in deps[n] if d in left)
    return seen[seen.index(n):] + [n]


def _acyclic_part(deps: dict[str, list[str]]) -> list[str]:
    """Nodes Kahn's algorithm can order (everything not on or behind a cycle)."""
    indeg = {n: len(set(d)) for n, d in deps.items()}
    children: dict[str, list[str]] = {n: [] for n in deps}
    for n, ds in deps.items():
        for d in set(ds):
            children[d].append(n)
    queue = [n for n, k in indeg.items() if k == 0]
    out: list[str] = []
    while queue:
        n = queue.pop()
        out.append(n)
        for c in children[n]:
            indeg[c] -= 1
            if indeg[c] == 0:
                queue.append(c)
    return out


def parse_graph(data: dict[str, Any]) -> Graph:
    """Validate ``data`` into a Graph, raising GraphError with a fixable message."""
    try:
        return Graph.model_validate(data)
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'graph'}: {e['msg']}" for e in exc.errors(include_url=False))
        raise GraphError(msgs) from exc


def load_recipe(path: str | Path) -> Graph:
    """Read a recipe file (TOML or JSON; YAML if PyYAML is installed) into a Graph."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    if p.suffix == ".toml":
        data = tomllib.loads(text)
    elif p.suffix in (".yaml", ".yml"):
        import yaml  # type: ignore[import-untyped]

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if not isinstance(data, dict):
        raise GraphError("a recipe must be a mapping with 'steps'")
    return parse_graph(data)
