"""``swarmbridge browser <command>``: every ``browser.*`` command of PROTOCOL.md from a terminal.

One table (``COMMANDS``) maps each sub-command to its wire method and its friendly flags; the
parser is built from it, so adding a command is one entry. ``--json PARAMS`` merges raw params
over the flags (for anything the flags do not cover), ``--bridge B`` names the browser, and
``browser call METHOD`` sends any method as is. Output is the extension's result as JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from ._client import print_json, run_call


@dataclass(frozen=True)
class Arg:
    """One flag or positional: ``key`` is the wire param it sets."""

    flags: tuple[str, ...]
    key: str
    kw: dict[str, Any] = field(default_factory=dict)


TAB = Arg(("--tab",), "tabId", {"type": int, "help": "tab id (from `browser tabs`)"})
REF = Arg(("--ref",), "ref", {"help": "element ref from a snapshot, e.g. e3"})
SEL = Arg(("--selector",), "selector", {"help": "CSS selector (instead of --ref)"})
FRAME = Arg(("--frame",), "frame", {"help": "frame id from a snapshot"})
WAIT = Arg(("--wait",), "wait", {"choices": ["load", "idle", "none"]})
TARGET = (REF, SEL, FRAME, TAB)

#: sub-command -> (wire method, help, args)
COMMANDS: dict[str, tuple[str, str, tuple[Arg, ...]]] = {
    "ping": ("browser.ping", "round trip to the extension", ()),
    "tabs": ("browser.tabs.list", "list tabs", ()),
    "open": ("browser.tabs.open", "open a tab (inactive unless --active)", (
        Arg(("url",), "url"), WAIT, Arg(("--active",), "active", {"action": "store_true", "default": None}))),
    "close": ("browser.tabs.close", "close a tab, or all of a caller's tabs", (TAB,)),
    "activate": ("browser.tabs.activate", "bring a tab to the front", (TAB,)),
    "navigate": ("browser.navigate", "navigate a tab", (
        Arg(("url",), "url"), TAB, WAIT, Arg(("--timeout-ms",), "timeoutMs", {"type": int}))),
    "snapshot": ("browser.snapshot", "elements with refs + visible text", (
        TAB, Arg(("--delta",), "delta", {"action": "store_true", "default": None}),
        Arg(("--max-elements",), "maxElements", {"type": int}),
        Arg(("--viewport-only",), "viewportOnly", {"action": "store_true", "default": None}))),
    "click": ("browser.click", "click an element", TARGET),
    "fill": ("browser.fill", "set an input's value", (Arg(("value",), "value"), *TARGET)),
    "type": ("browser.type", "type text key by key", (Arg(("text",), "text"), *TARGET)),
    "select": ("browser.select", "choose an option", (
        *TARGET, Arg(("--value",), "value"), Arg(("--label",), "label"), Arg(("--values",), "values", {"nargs": "+"}))),
    "check": ("browser.check", "check (or --uncheck) a box", (
        *TARGET, Arg(("--uncheck",), "checked", {"action": "store_false", "default": True}))),
    "press": ("browser.press", "press keys, e.g. Enter or Control+a", (Arg(("keys",), "keys"), TAB, REF)),
    "scroll": ("browser.scroll", "scroll a page, to an element, or until a list stops growing", (
        TAB, Arg(("--to",), "to", {"choices": ["page", "element", "bottom", "until_stable"]}), REF,
        Arg(("--direction",), "direction", {"choices": ["up", "down"]}),
        Arg(("--item-selector",), "itemSelector"), Arg(("--max-items",), "maxItems", {"type": int}),
        Arg(("--timeout-ms",), "timeoutMs", {"type": int}))),
    "wait-for": ("browser.wait_for", "wait for a selector or text", (
        TAB, Arg(("--selector",), "selector"), Arg(("--text",), "text"), Arg(("--timeout-ms",), "timeoutMs", {"type": int}))),
    "extract": ("browser.extract", "article / structured / table extraction", (
        TAB, Arg(("--mode",), "mode", {"choices": ["article", "structured", "table"], "default": "article"}),
        Arg(("--schema",), "schema", {"type": json.loads, "help": "structured-extract schema as JSON"}),
        Arg(("--paginate",), "paginate", {"action": "store_true", "default": None}))),
    "search": ("browser.search", "search the web in a swarm tab", (
        Arg(("query",), "query"), Arg(("--engine",), "engine"))),
    "screenshot": ("browser.screenshot", "capture a tab (--out FILE saves the PNG)", (
        TAB, Arg(("--format",), "format", {"choices": ["png", "jpeg"]}))),
    "fetch": ("browser.fetch", "GET a URL with the browser's cookies, no tab", (
        Arg(("url",), "url"), Arg(("--extract",), "extract", {"help": "article | text | html | a JSON schema"}))),
    # (`swarmbridge autofill` is the daily path: stored profiles, previews, approvals; these are the raw commands)
    "autofill-classify": ("browser.autofill.classify", "type every form field (the page and its same-origin frames)", (TAB, FRAME, SEL)),
    "autofill-fill": ("browser.autofill.fill", "fill form fields from values given here (never submits)", (
        Arg(("profile",), "profile", {"type": json.loads, "help": 'values as JSON, e.g. \'{"given-name": "Ada"}\''}), TAB, FRAME, SEL,
        Arg(("--preview",), "preview", {"action": "store_true", "default": None}))),
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("browser", help="send a command to a connected browser, print JSON")
    cmds = p.add_subparsers(dest="browser_command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bridge", help="bridge id or browser name (when several are connected)")
    common.add_argument("--json", dest="raw", type=_json_object, help="raw params as a JSON object, merged last")
    common.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the reply")
    common.add_argument("--caller", help="run/task/job id: tab affinity and clean-up (tabId defaults to its swarm tab)")
    for name, (method, help_text, args) in COMMANDS.items():
        cp = cmds.add_parser(name, help=help_text, parents=[common])
        for a in args:
            if a.flags[0].startswith("-"):
                meta = {} if a.kw.get("action") else {"metavar": a.flags[0].lstrip("-").upper().replace("-", "_")}
                cp.add_argument(*a.flags, dest=f"p_{a.key}", **({"default": None} | meta | a.kw))
            else:
                cp.add_argument(f"p_{a.key}", metavar=a.flags[0], **a.kw)
        if name == "screenshot":
            cp.add_argument("--out", help="write the image to this file instead of printing the data URL")
        cp.set_defaults(func=run, method=method)
    cp = cmds.add_parser("call", help="send any browser.* method with --json params", parents=[common])
    cp.add_argument("method", help="e.g. browser.tabs.list or tabs.list")
    cp.set_defaults(func=run)


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("--json takes a JSON object")
    return value


def build_params(args: argparse.Namespace) -> dict[str, Any]:
    params = {k[2:]: v for k, v in vars(args).items() if k.startswith("p_") and v is not None}
    if args.browser_command == "fetch" and isinstance(params.get("extract"), str) and params["extract"].startswith("{"):
        params["extract"] = json.loads(params["extract"])
    params.update(args.raw or {})
    if args.bridge:
        params["bridge"] = args.bridge
    if args.caller:
        params.setdefault("caller", args.caller)
    params["timeoutS"] = args.timeout
    return params


def run(args: argparse.Namespace) -> int:
    method = args.method if args.method.startswith("browser.") else f"browser.{args.method}"
    code, result = run_call(method, build_params(args), timeout=args.timeout + 5)
    if code:
        return code
    out = getattr(args, "out", None)
    if out and isinstance(result, dict) and isinstance(result.get("dataUrl"), str):
        _, _, b64 = result["dataUrl"].partition(",")
        with open(out, "wb") as fh:
            fh.write(base64.b64decode(b64))
        result = {"path": out, "bytes": len(base64.b64decode(b64))}
    print_json(result)
    sys.stdout.flush()
    return 0
