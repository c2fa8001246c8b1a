"""``swarmbridge runs list|show|watch|events|export|cancel|resume``: inspect and steer swarm runs."""

from __future__ import annotations

import argparse

from ._client import print_json, print_result, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="list, inspect, export, cancel or resume swarm runs")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s.add_parser("list", help="recent runs").set_defaults(func=lambda a: print_result(run_call("runs.list", {})))
    for name, helptext in (("show", "a run's state and outputs"), ("events", "a run's event log"), ("cancel", "stop a run"),
                           ("resume", "restart an unfinished run"), ("export", "the run transcript as JSONL")):
        x = s.add_parser(name, help=helptext)
        x.add_argument("id")
        x.set_defaults(func=_simple, method=f"runs.{name}")
    w = s.add_parser("watch", help="follow a run live (progress, active sub-agents, steps, tokens) until it ends")
    w.add_argument("id")
    w.set_defaults(func=lambda a: _watch(a.id))


def _watch(rid: str) -> int:
    from .run import follow

    return follow(rid)


def _simple(args: argparse.Namespace) -> int:
    code, res = run_call(args.method, {"id": args.id})
    if code:
        return code
    if args.method == "runs.export":
        print(res["jsonl"])
    else:
        print_json(res)
    return 0
