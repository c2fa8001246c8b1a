"""The MCP command table against the wire contract: every tool's wire params are names PROTOCOL.md
documents for its method (so snake_case -> camelCase cannot drift), and the argument models
refuse what the extension would refuse later, with a reason an agent can act on."""

from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest

from swarmbridge.mcp.commands import COMMANDS

PROTOCOL = Path(__file__).resolve().parents[2] / "host/swarmbridge/protocol/PROTOCOL.md"
EXAMPLES = {
    "browser_tabs_list": {},
    "browser_tabs_open": {"url": "https://a.example/", "active": True},
    "browser_tabs_close": {"tab_id": 3},
    "browser_navigate": {"url": "https://a.example/", "tab_id": 3, "wait": "idle", "timeout_ms": 5000},
    "browser_snapshot": {"tab_id": 3, "delta": True, "max_elements": 50, "viewport_only": True},
    "browser_click": {"tab_id": 3, "selector": "#go", "frame": 2},
    "browser_fill": {"ref": "f2:e4", "value": "Ada"},
    "browser_type": {"ref": "e4", "text": "Ada"},
    "browser_select": {"ref": "e5", "values": ["a", "b"]},
    "browser_check": {"ref": "e6", "checked": False},
    "browser_press": {"keys": "Control+a", "ref": "e4", "tab_id": 3},
    "browser_scroll": {"to": "until_stable", "item_selector": "li", "max_items": 100, "timeout_ms": 9000, "direction": "down"},
    "browser_wait_for": {"text": "Done", "timeout_ms": 100},
    "browser_extract": {"mode": "structured", "schema": {"item": "li", "fields": {"n": ".n", "u": {"selector": "a", "attr": "href"}}, "maxItems": 5}, "paginate": True},
    "browser_search": {"query": "ferry timetable", "engine": "bing"},
    "browser_fetch": {"url": "https://a.example/x", "extract": "text"},
    "browser_screenshot": {"tab_id": 3, "format": "jpeg"},
    "browser_upload": {"selector": "input[type=file]", "files": ["/tmp/a.txt"]},
}


def documented_params() -> dict[str, set[str]]:
    """method -> param names in its PROTOCOL.md row (``{tabId, ref|selector, frame?}``)."""
    out = {}
    for method, params in re.findall(r"^\| `(browser\.[a-z_.]+)` \| `([^`]*)`", PROTOCOL.read_text(), re.M):
        out[method] = set(re.findall(r"([A-Za-z]+)\??(?=[,:}|\\ ])", params))
    return out


def test_every_tool_sends_only_documented_wire_params() -> None:
    documented = documented_params()
    assert set(EXAMPLES) == set(COMMANDS)
    for tool, args in EXAMPLES.items():
        cmd = COMMANDS[tool]
        wire = cmd.args.model_validate(args).to_wire()
        known = documented.get(cmd.method, set()) | {"caller"}
        if cmd.method == "browser.upload":  # an extension command the table does not list (yet): selector + files
            known = {"tabId", "selector", "files", "caller"}
        assert set(wire) <= known, (tool, set(wire) - known)
    assert COMMANDS["browser_scroll"].args.model_validate(EXAMPLES["browser_scroll"]).to_wire()["itemSelector"] == "li"
    schema = COMMANDS["browser_extract"].args.model_validate(EXAMPLES["browser_extract"]).to_wire()["schema"]
    assert schema == {"item": "li", "fields": {"n": ".n", "u": {"selector": "a", "attr": "href"}}, "maxItems": 5}


@pytest.mark.parametrize(("tool", "args", "message"), [
    ("browser_click", {}, "give exactly one of ref"),
    ("browser_click", {"ref": "button"}, "String should match pattern"),
    ("browser_select", {"ref": "e1", "value": "a", "label": "A"}, "exactly one of value, label or values"),
    ("browser_wait_for", {}, "a selector or a text"),
    ("browser_extract", {"mode": "structured"}, "needs a schema"),
    ("browser_extract", {"mode": "article", "schema": {"item": "li", "fields": {"a": "b"}}}, "only it takes one"),
    ("browser_extract", {"mode": "structured", "schema": {"item": "li", "fields": {}}}, "at least 1 item"),
    ("browser_press", {"keys": "Enter;rm -rf"}, "String should match pattern"),
    ("browser_tabs_open", {"url": "javascript:alert(1)"}, "String should match pattern"),
    ("browser_upload", {"selector": "input", "files": []}, "at least 1 item"),
    ("browser_snapshot", {"tab_id": "3; drop"}, "valid integer"),
])
def test_bad_arguments_say_why(tool: str, args: dict, message: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=message):
        COMMANDS[tool].args.model_validate(args)
