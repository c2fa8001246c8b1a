"""``swarmbridge goal``: start, list, show, pause, resume, cancel, guide, edit; ``--follow`` is a
live view (it re-reads the goal once a second and prints each new round and status change)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from ._client import print_json, run_call
from .schedule import call_for_text

FINAL = ("complete", "failed", "cancelled", "blocked", "paused")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("goal", help="Goal Mode: keep working on an objective, round after round, until its checks pass")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    st = s.add_parser("start", help="start a goal")
    st.add_argument("objective")
    st.add_argument("--check-regex", action="append", default=[], metavar="RE", help="complete only when the output matches RE (repeatable)")
    st.add_argument("--endpoint", metavar="NAME", help="run every round on this configured endpoint (default: each role's own)")
    st.add_argument("--check-model", action="append", default=[], metavar="RUBRIC",
                    help="complete only when the verifier model judges the evidence meets RUBRIC (repeatable; needs an endpoint)")
    st.add_argument("--check-file", action="append", default=[], metavar="PATH", help="complete only when PATH exists (relative = artefacts dir)")
    st.add_argument("--tokens", type=int, help="token budget")
    st.add_argument("--steps", type=int, help="step budget")
    st.add_argument("--wall", type=float, metavar="SECONDS", help="wall-time budget")
    st.add_argument("--max-cost", type=float, metavar="USD", help="cost budget in US dollars (counted on endpoints with prices set)")
    st.add_argument("--rounds", type=int, default=20, help="round budget (default 20)")
    st.add_argument("--follow", action="store_true", help="stay and show rounds as they finish")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_start)
    ls = s.add_parser("list", help="all goals")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    for name, helptext in (("show", "a goal and its rounds"), ("pause", "pause (the round in flight stops at a safe point)"), ("resume", "resume a paused or blocked goal"), ("cancel", "cancel for good")):
        x = s.add_parser(name, help=helptext)
        x.add_argument("id", type=int)
        x.add_argument("--json", action="store_true")
        if name in ("show", "resume"):
            x.add_argument("--follow", action="store_true", help="live view")
        x.set_defaults(func=_simple)
    g = s.add_parser("guide", help="add a guidance note the next round will read")
    g.add_argument("id", type=int)
    g.add_argument("note")
    g.set_defaults(func=lambda a: _call_print("goal.guide", {"id": a.id, "note": a.note}))
    e = s.add_parser("edit", help="change the objective")
    e.add_argument("id", type=int)
    e.add_argument("objective")
    e.set_defaults(func=lambda a: _call_print("goal.edit", {"id": a.id, "objective": a.objective}))


def _start(args: argparse.Namespace) -> int:
    criteria = [{"kind": "regex", "pattern": r} for r in args.check_regex] + [{"kind": "file_exists", "path": f} for f in args.check_file]
    criteria += [{"kind": "model", "rubric": r} for r in args.check_model]
    if not criteria:
        print("error: a goal needs at least one check (--check-regex, --check-file or --check-model): completion is verified, never self-declared", file=sys.stderr)
        return 2
    budgets = {k: v for k, v in (("tokens", args.tokens), ("steps", args.steps), ("wall_s", args.wall), ("cost", args.max_cost), ("rounds", args.rounds)) if v is not None}
    params: dict[str, Any] = {"objective": args.objective, "criteria": criteria, "budgets": budgets}
    if args.endpoint:
        params["endpoint"] = args.endpoint
    code, goal = run_call("goal.start", params)
    if code:
        return code
    if args.json and not args.follow:
        print_json(goal)
        return 0
    print(f"goal {goal['id']} started")
    return _follow(goal["id"]) if args.follow else 0


def _list(args: argparse.Namespace) -> int:
    code, res = call_for_text("goal.list", {}, args.json)
    if code or res is None:
        return code
    for g in res["goals"]:
        u = g["usage"]
        cost = f" ${u['cost']:.4f}" if "cost" in u else ""
        print(f"{g['id']:>4} {g['status']:<10} rounds {u.get('rounds', 0):<3} tokens {u.get('tokens', 0):<7}{cost} {g['spec']['objective'][:50]!r}  {g['reason']}")
    return 0


def _simple(args: argparse.Namespace) -> int:
    code, goal = run_call(f"goal.{args.action}", {"id": args.id})
    if code:
        return code
    if getattr(args, "follow", False):
        return _follow(args.id)
    if args.json:
        print_json(goal)
    else:
        _print_goal(goal)
    return 0


def _call_print(method: str, params: dict[str, Any]) -> int:
    code, goal = run_call(method, params)
    if not code:
        _print_goal(goal)
    return code


def _print_goal(goal: dict[str, Any]) -> None:
    print(f"goal {goal['id']}: {goal['status']} {goal['reason']}")
    print(f"  objective: {goal['spec']['objective']}")
    print(f"  usage: {json.dumps(goal['usage'])}")
    for note in goal["guidance"]:
        print(f"  guidance: {note['note']}")
    for r in goal.get("rounds", []):
        _print_round(r)


def _print_round(r: dict[str, Any]) -> None:
    print(f"  round {r['n']}: {r['decision'] or 'running'} (proposed {r['proposal'] or '-'}, score {r['score'] if r['score'] is not None else '-'}) {r['reason']}")


def _follow(goal_id: int) -> int:
    seen: set[tuple[int, str]] = set()
    status = ""
    while True:
        code, goal = run_call("goal.show", {"id": goal_id})
        if code:
            return code
        for r in goal["rounds"]:
            key = (r["n"], r["decision"])
            if key not in seen:
                seen.add(key)
                _print_round(r)
        if goal["status"] != status:
            status = goal["status"]
            print(f"status: {status} {goal['reason']}", flush=True)
        if status in FINAL:
            return 0
        time.sleep(1.0)
