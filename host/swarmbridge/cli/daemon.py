"""``swarmbridge daemon``: run the daemon in the foreground (``--stop`` asks a running one to exit)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("daemon", help="run the daemon in the foreground (one per user)")
    p.add_argument("--stop", action="store_true", help="ask the running daemon to shut down")
    p.add_argument("--quiet", action="store_true", help="log only to the log file, not to stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.stop:
        from ._client import print_json, run_call

        code, result = run_call("daemon.shutdown", {})
        if code == 0:
            print_json(result)
        return code
    from ..daemon.app import run as run_daemon

    return run_daemon(foreground_log=not args.quiet)
