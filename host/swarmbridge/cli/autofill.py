"""``swarmbridge autofill``: profiles kept by the daemon, and filling a form in a browser tab.

    swarmbridge autofill profile set home --field given-name=Ada --field email=ada@example.org
    swarmbridge autofill profile list | show NAME | remove NAME
    swarmbridge autofill classify --tab 12
    swarmbridge autofill fill --tab 12 --profile home [--preview] [--submit "button[type=submit]"]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ._client import print_result, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("autofill", help="form autofill: profiles, classify fields, fill (never submits without approval)")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    prof = s.add_parser("profile", help="manage autofill profiles")
    ps = prof.add_subparsers(dest="profile_action", metavar="ACTION", required=True)
    st = ps.add_parser("set", help="create or replace a profile")
    st.add_argument("name")
    st.add_argument("--field", action="append", default=[], metavar="TOKEN=VALUE", help="e.g. given-name=Ada, shipping.postal-code=94016 (repeatable)")
    st.add_argument("--json", metavar="FILE", help='a JSON file {"fields": {...}, "shipping": {...}, "billing": {...}}')
    st.set_defaults(func=_set)
    for name, helptext in (("show", "show a profile (secret fields are listed, never printed)"), ("remove", "delete a profile")):
        q = ps.add_parser(name, help=helptext)
        q.add_argument("name")
        q.set_defaults(func=_show if name == "show" else _remove)
    ps.add_parser("list", help="list profiles").set_defaults(func=lambda a: print_result(run_call("autofill.profiles.list")))

    for name, helptext in (("classify", "type every form field on a tab"), ("fill", "fill a form from a profile")):
        q = s.add_parser(name, help=helptext)
        q.add_argument("--tab", type=int, help="tab id (see `swarmbridge browser tabs`)")
        q.add_argument("--caller", help="a caller with a swarm tab, instead of --tab")
        q.add_argument("--bridge", help="which browser, when several are connected")
        q.add_argument("--frame", type=int, help="only this frame (see `swarmbridge browser snapshot`); default: the page and its same-origin frames, a cross-origin frame only when named")
        if name == "fill":
            q.add_argument("--profile", required=True)
            q.add_argument("--preview", action="store_true", help="show what would be filled; touch nothing")
            q.add_argument("--include-payment", action="store_true", help="also fill card data (asks for approval)")
            q.add_argument("--submit", metavar="SELECTOR_OR_REF", help="submit with this control afterwards (asks for approval)")
            q.add_argument("--next", metavar="SELECTOR", help="a multi-step form: the control that shows the next step; each step is filled, then it is clicked")
            q.add_argument("--max-steps", type=int, default=5, help="at most this many steps with --next (default 5)")
            q.add_argument("--no-guess", action="store_true", help="do not ask the configured model to type fields the rules do not know")
        q.set_defaults(func=_classify if name == "classify" else _fill)




def _set(args) -> int:
    data: dict = {"fields": {}, "shipping": {}, "billing": {}}
    if args.json:
        loaded = json.loads(Path(args.json).read_text(encoding="utf-8"))
        for key in data:
            data[key].update(loaded.get(key, {}))
    for item in args.field:
        token, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--field takes TOKEN=VALUE, got {item!r}")
        section, dot, name = token.partition(".")
        if dot and section in ("shipping", "billing"):
            data[section][name] = value
        else:
            data["fields"][token] = value
    return print_result(run_call("autofill.profiles.set", {"name": args.name, **data}))


def _show(args) -> int:
    return print_result(run_call("autofill.profiles.get", {"name": args.name}))


def _remove(args) -> int:
    return print_result(run_call("autofill.profiles.remove", {"name": args.name}))


def _target(args) -> dict:
    if args.tab is None and not args.caller:
        raise SystemExit("give --tab N or --caller NAME")
    out = {"tabId": args.tab} if args.tab is not None else {"caller": args.caller}
    if args.bridge:
        out["bridge"] = args.bridge
    if args.frame is not None:
        out["frame"] = args.frame
    return out


def _classify(args) -> int:
    return print_result(run_call("autofill.classify", _target(args)))


def _fill(args) -> int:
    params = {**_target(args), "profile": args.profile, "mode": "preview" if args.preview else "fill", "includePayment": args.include_payment}
    if args.submit:
        params["submit"] = args.submit
    if args.next:
        params.update(next=args.next, maxSteps=args.max_steps)
    if args.no_guess:
        params["guess"] = False
    return print_result(run_call("autofill.fill", params, timeout=600))
