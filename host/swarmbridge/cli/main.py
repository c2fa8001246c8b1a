"""Entry point of the ``swarmbridge`` command.

Each sub-command lives in its own module exposing ``add_parser(subparsers)``; the parser it adds
sets ``func`` (sync, taking ``args``, returning an exit code). Add the module to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__

#: Modules under ``swarmbridge.cli`` that add sub-commands, in help order.
COMMANDS: list[str] = [
    "daemon",
    "status",
    "browser",
    "install",
    "doctor",
    "schedule",
    "goal",
    "service",
    "autofill",
    "approvals",
    "files",
    "run",
    "runs",
    "models",
    "demo",
    "mcp",
    "settings",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="swarmbridge", description="SwarmBridge: a local-first agent in your own browser.")
    parser.add_argument("--version", action="version", version=f"swarmbridge {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__package__}.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
