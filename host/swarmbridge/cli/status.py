"""``swarmbridge status``: the daemon (pid, version, socket), its bridges and their tabs."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ..rpc.router import RpcError
from ._client import print_json, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="show the daemon, the connected browsers and their tabs")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--no-tabs", action="store_true", help="do not ask each browser for its tabs")
    p.set_defaults(func=run)


def collect(with_tabs: bool = True) -> dict[str, Any]:
    """Status plus each bridge's tabs (a bridge that does not answer gets ``tabsError``)."""
    from ..rpc.client import call

    status = call("daemon.status", {}, timeout=10)
    if with_tabs:
        for bridge in status.get("bridges", []):
            try:
                bridge["tabs"] = call("browser.tabs.list", {"bridge": bridge["bridgeId"]}, timeout=5).get("tabs", [])
            except RpcError as exc:
                bridge["tabsError"] = f"[{exc.code}] {exc.message}"
    return status


def run(args: argparse.Namespace) -> int:
    code, _ = run_call("daemon.status", {}, timeout=10)  # friendly error when the daemon is absent
    if code:
        return code
    status = collect(with_tabs=not args.no_tabs)
    if args.json:
        print_json(status)
        return 0
    up = time.time() - status["startedAt"]
    print(f"daemon   pid {status['pid']}, version {status['version']}, up {up:.0f} s")
    print(f"socket   {status['socket']}")
    bridges = status.get("bridges", [])
    if not bridges:
        print("bridges  none connected (open a browser with the SwarmBridge extension; `swarmbridge doctor` helps)")
    for b in bridges:
        print(f"bridge   {b['bridgeId']}: {b['browser']} {b.get('profile') or ''} (extension {b.get('extensionVersion') or '?'})")
        for t in b.get("tabs", []):
            mark = "*" if t.get("active") else " "
            print(f"   {mark} tab {t.get('tabId')}: {t.get('title', '')[:60]}  {t.get('url', '')}")
        if "tabsError" in b:
            print(f"     tabs: {b['tabsError']}")
    return 0
