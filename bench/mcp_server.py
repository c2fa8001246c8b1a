"""What the MCP server costs beside calling the daemon directly, in real headless Chromium.

- startup: spawning `swarmbridge mcp` (stdio) until the MCP client's `initialize` returns;
- snapshot: `browser.snapshot` over the daemon socket vs the `browser_snapshot` tool (stdio MCP
  client -> server process -> daemon's `mcp.browser` -> extension), p50/p95 over N calls;
- a read click (a button outside any form): `browser.click` direct vs `browser_click` through MCP,
  which the daemon judges first (a snapshot for the element, the control's description) before
  clicking: the price of the approval policy for an action that turns out not to need asking.

    python bench/mcp_server.py [--calls 30]
Last stdout line: one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import serve_files  # noqa: E402

from swarmbridge.demo.runner import private_bridge  # noqa: E402
from swarmbridge.rpc.client import connect  # noqa: E402

PAGE = (b"<!doctype html><title>Bench</title><h1>Bench</h1>" + b"<p>Some text on the page.</p>" * 40 +
        b"<button id=t type=button onclick=\"this.dataset.n=(+this.dataset.n||0)+1\">Toggle</button>")


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))] * 1000, 2)


def summary(xs: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(xs) * 1000, 2), "p95_ms": pct(xs, 0.95)}


async def timed(n: int, fn) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t)
    return out


def main(calls: int) -> dict:
    with private_bridge(headless=True), serve_files({"/": PAGE}) as base:
        return asyncio.run(measure(calls, base, os.environ["SWARMBRIDGE_HOME"]))


async def measure(calls: int, base: str, home: str) -> dict:
    async with connect() as daemon:
        tab = (await daemon.request("browser.tabs.open", {"url": base + "/", "caller": "mcp"}, timeout=30))["tabId"]
        await timed(5, lambda: daemon.request("browser.snapshot", {"tabId": tab}, timeout=30))  # warm: content script injected
        direct_snap = await timed(calls, lambda: daemon.request("browser.snapshot", {"tabId": tab}, timeout=30))
        direct_click = await timed(calls, lambda: daemon.request("browser.click", {"tabId": tab, "selector": "#t"}, timeout=30))
        params = StdioServerParameters(command=sys.executable, args=["-m", "swarmbridge.cli.main", "mcp", "--no-start-daemon"],
                                       env={"SWARMBRIDGE_HOME": home})
        t0 = time.perf_counter()
        with open(os.devnull, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as mcp:
                await mcp.initialize()
                startup = time.perf_counter() - t0
                await mcp.list_tools()

                async def tool(name: str, args: dict) -> None:
                    r = await mcp.call_tool(name, args)
                    assert not r.is_error, r.content[0].text

                mcp_snap = await timed(calls, lambda: tool("browser_snapshot", {"tab_id": tab}))
                mcp_click = await timed(calls, lambda: tool("browser_click", {"tab_id": tab, "selector": "#t"}))
        await daemon.request("browser.tabs.close", {"caller": "mcp"}, timeout=30)
    return {"bench": "mcp", "calls": calls, "startup_s": round(startup, 2),
            "snapshot": {"direct": summary(direct_snap), "mcp": summary(mcp_snap)},
            "read_click": {"direct": summary(direct_click), "mcp_judged": summary(mcp_click)}}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=30)
    result = main(ap.parse_args().calls)
    print(json.dumps(result))
