"""``swarmbridge demo``: the whole product in under a minute on a bundled local site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the demo: log in, scrape an infinite list to CSV, extract an article to Markdown")
    p.add_argument("--out", type=Path, default=Path("swarmbridge-demo"), help="where to write the CSV and Markdown (default ./swarmbridge-demo)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--headless", dest="headless", action="store_true", default=None, help="no browser window")
    mode.add_argument("--headed", dest="headless", action="store_false", help="show the browser window")
    p.add_argument("--history", action="store_true", help="open the side panel on the last demo's run history (kept until the next demo)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..browser.launch import BrowserNotFound
    from ..demo.runner import DemoError, run_demo, show_history
    from ..rpc.router import RpcError

    try:
        if args.history:
            return show_history(headless=args.headless)
        run_demo(args.out.resolve(), headless=args.headless)
    except (BrowserNotFound, DemoError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    except RpcError as exc:
        print(f"demo failed: a browser command returned [{exc.code}] {exc.message}", file=sys.stderr)
        return 1
    return 0
