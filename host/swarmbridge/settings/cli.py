"""``swarmbridge settings``: the daemon's settings from the command line (what the options page edits).

    swarmbridge settings                          show them, with where each comes from
    swarmbridge settings --json                   the same as JSON
    swarmbridge settings set tab_concurrency=4 search_engine=bing

Goes through the daemon, so connected browsers follow the change at once; the values are
validated there (a bad one is named and nothing changes).
"""

from __future__ import annotations

import argparse
import sys

from ..cli._client import print_json, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="daemon settings (tab concurrency, search engine): show or set")
    p.add_argument("--json", action="store_true", help="print the daemon's answer as JSON")
    p.set_defaults(func=_show)
    s = p.add_subparsers(dest="action", metavar="ACTION")
    st = s.add_parser("set", help="set NAME=VALUE ... (names as in config.toml or as on the wire)")
    st.add_argument("pairs", nargs="+", metavar="NAME=VALUE")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_set)


def _print(got: dict, as_json: bool) -> None:
    if as_json:
        print_json(got)
        return
    for name, value in got["settings"].items():
        source = got["sources"].get(name, "")
        print(f"{name:16} {value!s:40} ({source})")
    print(f"file: {got['file']}")


def _show(args: argparse.Namespace) -> int:
    rc, got = run_call("settings.get")
    if rc == 0:
        _print(got, args.json)
    return rc


def _set(args: argparse.Namespace) -> int:
    patch: dict[str, str] = {}
    for pair in args.pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            print(f"error: {pair!r} is not NAME=VALUE (e.g. tab_concurrency=4)", file=sys.stderr)
            return 2
        patch[name.strip()] = value.strip()
    rc, got = run_call("settings.set", {"settings": patch})
    if rc == 0:
        _print(got, args.json)
    return rc
