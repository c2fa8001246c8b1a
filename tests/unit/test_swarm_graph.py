"""Graph validation, templating and critical-path lengths."""

from __future__ import annotations

import json

import pytest

from swarmbridge.swarm.graph import GraphError, load_recipe, parse_graph, render


def test_cycle_rejected_with_path() -> None:
    with pytest.raises(GraphError, match=r"cycle: .*a.*b"):
        parse_graph({"steps": [{"id": "a", "instructions": "x", "inputs": ["b"]}, {"id": "b", "instructions": "y", "inputs": ["a"]}]})


def test_dangling_reference_rejected() -> None:
    with pytest.raises(GraphError, match="unknown steps \\['nope'\\]"):
        parse_graph({"steps": [{"id": "a", "tool": "echo", "args": {"value": "{{nope}}"}}]})


def test_step_needs_tool_or_instructions_and_unique_ids() -> None:
    with pytest.raises(GraphError, match="needs either"):
        parse_graph({"steps": [{"id": "a"}]})
    with pytest.raises(GraphError, match="duplicate"):
        parse_graph({"steps": [{"id": "a", "instructions": "x"}, {"id": "a", "instructions": "y"}]})


def test_template_refs_become_inputs_and_render_keeps_types() -> None:
    g = parse_graph({"steps": [{"id": "a", "tool": "echo", "args": {"value": [1, 2]}},
                               {"id": "b", "tool": "echo", "args": {"value": "{{a}}", "s": "n={{a.1}}"}}]})
    assert g.by_id()["b"].inputs == ["a"]
    assert render(g.by_id()["b"].args, {"a": [1, 2]}) == {"value": [1, 2], "s": "n=2"}


def test_critical_path_lengths() -> None:
    g = parse_graph({"steps": [
        {"id": "long1", "instructions": "x"}, {"id": "long2", "instructions": "x", "inputs": ["long1"]},
        {"id": "long3", "instructions": "x", "inputs": ["long2"]}, {"id": "short", "instructions": "x"}]})
    assert g.critical_path() == {"long1": 3, "long2": 2, "long3": 1, "short": 1}


def test_recipe_files_toml_and_json(tmp_path) -> None:
    t = tmp_path / "r.toml"
    t.write_text('goal = "g"\n[[steps]]\nid = "a"\ntool = "echo"\nargs = { value = 1 }\n')
    j = tmp_path / "r.json"
    j.write_text(json.dumps({"goal": "g", "steps": [{"id": "a", "tool": "echo", "args": {"value": 1}}]}))
    assert load_recipe(t) == load_recipe(j)
