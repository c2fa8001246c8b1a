"""``swarmbridge run "GOAL"`` / ``swarmbridge run --recipe FILE``: start a swarm run in the daemon
and follow it: a live view on a terminal (see ``live``), a line per event when piped."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from ..swarm.graph import GraphError, load_recipe
from ._client import print_json, run_call
from .live import LiveScreen, RunView

FINAL = ("done", "done_with_blocked", "stopped", "failed", "cancelled")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a swarm on a goal or a recipe file (TOML/JSON/YAML)")
    p.add_argument("goal", nargs="?")
    p.add_argument("--recipe", metavar="FILE", help="a recipe file: runs with no model if it has only tool steps")
    p.add_argument("--endpoint", metavar="NAME", help="run every role on this configured endpoint (default: each role's own, see `models list`)")
    p.add_argument("--model", metavar="MODEL", help="with --endpoint: the model to ask there (default: the endpoint's)")
    p.add_argument("--max-agents", type=int)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--max-tokens", type=int)
    p.add_argument("--max-cost", type=float, metavar="USD", help="stop the run once it has cost this much (endpoints with prices set)")
    p.add_argument("--detach", action="store_true", help="print the run id and return")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    params: dict[str, Any] = {"origin": "cli"}
    if args.recipe:
        try:
            params["recipe"] = load_recipe(args.recipe).model_dump()
        except (OSError, GraphError, ValueError) as exc:
            print(f"error: recipe {args.recipe}: {exc}", file=sys.stderr)
            return 2
    if args.goal:
        params["goal"] = args.goal
    if not args.goal and not args.recipe:
        print("error: give a GOAL or --recipe FILE", file=sys.stderr)
        return 2
    if args.endpoint:
        params["endpoint"] = args.endpoint
    if args.model:
        params["model"] = args.model
    budgets = {k: v for k, v in (("max_agents", args.max_agents), ("max_steps", args.max_steps), ("max_tokens", args.max_tokens), ("max_cost", args.max_cost)) if v is not None}
    if budgets:
        params["budgets"] = budgets
    code, res = run_call("runs.start", params)
    if code:
        return code
    rid = res["id"]
    if args.detach:
        print(rid)
        return 0
    return follow(rid, as_json=args.json)


def follow(rid: str, *, as_json: bool = False, out: TextIO | None = None) -> int:
    """Follow the run until it ends; exit 0 only for status done. On a terminal: a live view
    (progress bar, active sub-agents, steps, tokens) redrawn in place; piped: one line per event."""
    out = out or sys.stdout
    view, screen = RunView(rid), LiveScreen(out)
    after = 0
    while True:
        # status first, then events: the final event is committed with the final status
        code, run = run_call("runs.show", {"id": rid})
        if code:
            return code
        code, res = run_call("runs.events", {"id": rid, "after": after})
        if code:
            return code
        for e in res["events"]:
            after = e["seq"]
            d = e["data"]
            view.apply(e["kind"], d)
            if not as_json and not screen.tty:
                print(f"[{e['kind']}] " + " ".join(f"{k}={v}" for k, v in d.items() if k != "run_id"), file=out, flush=True)
        if not as_json:
            screen.draw(view)
        if run["status"] in FINAL:
            if as_json:
                print_json(run)
            else:
                print(f"run {rid}: {run['status']} ({run['stop_reason']}); {view.steps} steps, {view.tokens:,} tokens", file=out)
                for tid, why in run.get("blocked", {}).items():
                    print(f"  blocked {tid}: {why}", file=out)
            return 0 if run["status"] == "done" else 1
        time.sleep(0.3)
