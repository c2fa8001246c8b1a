"""``swarmbridge browser``: every PROTOCOL.md browser command has a sub-command; flags become params."""

from __future__ import annotations

import re
from pathlib import Path

from swarmbridge.cli.browser import COMMANDS, build_params
from swarmbridge.cli.main import build_parser

PROTOCOL = Path(__file__).resolve().parents[2] / "host/swarmbridge/protocol/PROTOCOL.md"


def parse(*argv: str):
    return build_parser().parse_args(["browser", *argv])


def test_every_protocol_browser_command_is_covered():
    documented = set(re.findall(r"^\| `(browser\.[a-z_.]+)`", PROTOCOL.read_text(), re.M))
    assert documented, "PROTOCOL.md lists no browser commands"
    assert documented <= {method for method, _, _ in COMMANDS.values()}


def test_friendly_flags_become_wire_params():
    a = parse("click", "--tab", "3", "--ref", "e3", "--bridge", "chrome")
    assert a.method == "browser.click"
    assert build_params(a) == {"tabId": 3, "ref": "e3", "bridge": "chrome", "timeoutS": 60.0}
    a = parse("extract", "--tab", "2", "--mode", "structured", "--schema", '{"item": "li", "fields": {"t": "a"}}')
    assert build_params(a)["schema"] == {"item": "li", "fields": {"t": "a"}}
    a = parse("open", "http://127.0.0.1:1/", "--json", '{"active": true}')
    assert build_params(a) == {"url": "http://127.0.0.1:1/", "active": True, "timeoutS": 60.0}
    a = parse("check", "--tab", "1", "--selector", "#x", "--uncheck")
    assert build_params(a)["checked"] is False
    a = parse("fetch", "http://127.0.0.1:1/", "--extract", '{"item": "li"}')
    assert build_params(a)["extract"] == {"item": "li"}
    a = parse("call", "tabs.list")
    assert a.method == "tabs.list"
