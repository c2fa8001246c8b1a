"""``swarmbridge schedule``: add, list, show, remove, pause, resume, run-now, history, next.

Everything but ``next`` talks to the daemon (``schedule.*``). ``next`` is computed locally with the
very function the scheduler fires with, so what it prints is what will happen.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

import pydantic

from ..validation import problems
from ._client import print_json, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="cron jobs: scripts, commands, prompts, browser scrapes, form autofill")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = s.add_parser("add", help="add a job (see --help for the trigger options)")
    a.add_argument("name")
    a.add_argument("cron", help='5 fields, 6 with seconds last, or @hourly/@daily/...: quote it, e.g. "30 2 * * *"')
    a.add_argument("--tz", default="UTC", help="IANA timezone the cron fields are read in (default UTC)")
    kind = a.add_mutually_exclusive_group(required=True)
    kind.add_argument("--shell", metavar="COMMAND", help="run COMMAND with /bin/sh")
    kind.add_argument("--python", metavar="CODE", help="run Python CODE (isolated interpreter)")
    kind.add_argument("--prompt", metavar="TEXT", help="start a swarm run with TEXT as its goal")
    kind.add_argument("--scrape", metavar="JSON", help='a scrape recipe: {"url":..., "schema":{...}, "key":..., "paginate":...}')
    kind.add_argument("--autofill", metavar="JSON", help='fill a form: {"url":..., "profile":..., "submit": CSS (asks approval), "approval_timeout_s":...}')
    kind.add_argument("--spec", metavar="JSON", help="the whole job as JSON (overrides the other options)")
    a.add_argument("--timeout", type=float, help="time limit in seconds for --shell/--python (default 300)")
    a.add_argument("--missed", choices=["skip", "run_once", "run_all"], default="run_once", help="what to do with firings missed while the daemon was down")
    a.add_argument("--grace", type=float, default=300.0, help="seconds a late firing still runs (default 300)")
    a.add_argument("--allow-overlap", action="store_true", help="allow a new run while the last one is still going")
    a.add_argument("--jitter", type=float, default=0.0, help="random delay up to this many seconds")
    a.add_argument("--no-browser", choices=["wait", "launch"], default="wait", help="browser jobs with no browser connected: wait for one within --grace, or start one")
    a.add_argument("--replace", action="store_true", help="replace an existing job of that name")
    a.set_defaults(func=_add)

    for name, helptext in (("show", "a job and its last runs"), ("remove", "delete a job"), ("pause", "stop firing a job"), ("resume", "fire again, from now on"), ("run-now", "run a job once now")):
        x = s.add_parser(name, help=helptext)
        x.add_argument("name")
        x.add_argument("--json", action="store_true")
        x.set_defaults(func=_simple)
    ls = s.add_parser("list", help="all jobs with their next due time")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    h = s.add_parser("history", help="a job's runs, newest first")
    h.add_argument("name")
    h.add_argument("--limit", type=int, default=20)
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=_history)
    n = s.add_parser("next", help="print the next fire times of a cron expression")
    n.add_argument("expr")
    n.add_argument("--tz", default="UTC")
    n.add_argument("--from", dest="start", metavar="ISO", help="start after this time (default now; naive = in --tz)")
    n.add_argument("--count", type=int, default=5)
    n.add_argument("--json", action="store_true")
    n.set_defaults(func=_next)


def _json_object(text: str, option: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise json.JSONDecodeError(f"{option} needs a JSON object {{...}}", text, 0)
    return value


def _spec(args: argparse.Namespace) -> dict[str, Any]:
    # Options are told apart by presence (an empty --python "" is an empty program, which the
    # daemon refuses by name), never by truthiness.
    if args.spec is not None:
        return _json_object(args.spec, "--spec")
    if args.shell is not None or args.python is not None:
        trig: dict[str, Any] = {"kind": "shell", "command": args.shell} if args.shell is not None else {"kind": "python", "code": args.python}
        if args.timeout:
            trig["timeout_s"] = args.timeout
    elif args.prompt is not None:
        trig = {"kind": "prompt", "prompt": args.prompt}
    elif args.autofill is not None:
        trig = {"kind": "autofill", **_json_object(args.autofill, "--autofill")}
    else:
        trig = {"kind": "scrape", **_json_object(args.scrape, "--scrape")}
    return {"name": args.name, "cron": args.cron, "tz": args.tz, "trigger": trig, "missed": args.missed, "grace_s": args.grace,
            "allow_overlap": args.allow_overlap, "jitter_s": args.jitter, "no_browser": args.no_browser}


def _add(args: argparse.Namespace) -> int:
    try:
        spec = _spec(args)
    except json.JSONDecodeError as exc:
        print(f"error: bad JSON: {exc}", file=sys.stderr)
        return 2
    code, job = run_call("schedule.add", {**spec, "replace": args.replace})
    if not code:
        print(f"added {job['name']}: next {_when(job)}")
    return code


def _simple(args: argparse.Namespace) -> int:
    method = "schedule." + args.action.replace("-", "_")
    code, res = run_call(method, {"name": args.name})
    if code:
        return code
    if args.json or args.action == "show":
        print_json(res)
    else:
        print(f"{args.action}: {args.name}" + (f" (next {_when(res)})" if "nextDue" in res else ""))
    return 0


def call_for_text(method: str, params: dict[str, Any], as_json: bool) -> tuple[int, Any]:
    """Call the daemon; with ``as_json`` print the result and hand back None (nothing left to
    print). Shared by the schedule and goal commands."""
    code, res = run_call(method, params)
    if code or not as_json:
        return code, res
    print_json(res)
    return 0, None


def _list(args: argparse.Namespace) -> int:
    code, res = call_for_text("schedule.list", {}, args.json)
    if code or res is None:
        return code
    if not res["jobs"]:
        print("no jobs (add one with `swarmbridge schedule add NAME \"CRON\" --shell CMD`)")
    for j in res["jobs"]:
        s = j["spec"]
        state = "paused" if j["paused"] else f"next {_when(j)}"
        print(f"{j['name']:<24} {s['cron']:<18} {s['tz']:<18} {s['trigger']['kind']:<7} {state}  missed={s['missed']} grace={s['grace_s']:g}s")
    return 0


def _history(args: argparse.Namespace) -> int:
    code, res = call_for_text("schedule.history", {"name": args.name, "limit": args.limit}, args.json)
    if code or res is None:
        return code
    for r in res["runs"]:
        took = f"{r['ended'] - r['started']:.1f} s" if r["ended"] else "running"
        print(f"#{r['id']:<5} {_iso(r['started'])}  {r['status']:<16} {took:<9} {r['note']}  {r['output'][:60]!r}")
    return 0


def _next(args: argparse.Namespace) -> int:
    from ..scheduler.api import NextIn, next_times
    from ..scheduler.cron import CronError

    try:
        p = NextIn.model_validate({"expr": args.expr, "tz": args.tz, "from": args.start, "count": args.count})
        times = next_times(p.expr, p.tz, p.start, p.count)
    except pydantic.ValidationError as exc:
        print("error: " + "; ".join(problems(exc)).replace("count:", "--count:"), file=sys.stderr)
        return 2
    except (CronError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print_json({"times": times})
    else:
        print("\n".join(times))
    return 0


def _iso(epoch: float | None) -> str:
    return "-" if epoch is None else datetime.fromtimestamp(epoch, UTC).astimezone().isoformat(timespec="seconds")


def _when(job: dict[str, Any]) -> str:
    return _iso(job.get("nextDue"))
