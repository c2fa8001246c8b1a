"""``swarmbridge mount`` and ``swarmbridge files``: folders the agent may read (and, with --rw,
change after your approval), and the history of changes with revert.

    swarmbridge mount add notes ~/Documents/notes [--rw]
    swarmbridge mount list | remove NAME
    swarmbridge files ls notes [PATH] | cat notes PATH | grep notes PATTERN
    swarmbridge files write notes PATH --from FILE      (staged; asks for approval)
    swarmbridge files history [--mount NAME] | revert ID
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ._client import print_result, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser("mount", help="folders SwarmBridge may read (and change, with --rw, after approval)")
    ms = m.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = ms.add_parser("add", help="mount a folder under a name")
    a.add_argument("name")
    a.add_argument("path")
    a.add_argument("--rw", action="store_true", help="allow changes (each one still asks for approval)")
    a.set_defaults(func=lambda x: print_result(run_call("mounts.add", {"name": x.name, "path": os.path.abspath(os.path.expanduser(x.path)), "writable": x.rw})))
    ms.add_parser("list", help="list mounts").set_defaults(func=lambda x: print_result(run_call("mounts.list")))
    r = ms.add_parser("remove", help="unmount (the folder itself is untouched)")
    r.add_argument("name")
    r.set_defaults(func=lambda x: print_result(run_call("mounts.remove", {"name": x.name})))

    f = sub.add_parser("files", help="read files in mounts; staged changes; history and revert")
    fs = f.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = fs.add_parser("ls", help="list a folder")
    ls.add_argument("mount")
    ls.add_argument("path", nargs="?", default="")
    ls.set_defaults(func=lambda x: print_result(run_call("files.list", {"mount": x.mount, "path": x.path})))
    cat = fs.add_parser("cat", help="read a file (text, CSV, XLSX, DOCX, PDF)")
    cat.add_argument("mount")
    cat.add_argument("path")
    cat.set_defaults(func=_cat)
    gr = fs.add_parser("grep", help="search the files of a mount")
    gr.add_argument("mount")
    gr.add_argument("pattern")
    gr.set_defaults(func=lambda x: print_result(run_call("files.search", {"mount": x.mount, "pattern": x.pattern})))
    wr = fs.add_parser("write", help="stage a write (asks for approval, keeps the original)")
    wr.add_argument("mount")
    wr.add_argument("path")
    wr.add_argument("--from", dest="src", required=True, help="local file with the new content")
    wr.set_defaults(func=lambda x: print_result(run_call("files.change", {"op": "write", "mount": x.mount, "path": x.path, "text": Path(x.src).read_text(encoding="utf-8"), "origin": "cli"}, timeout=1000)))
    for op in ("rm", "mv"):
        q = fs.add_parser(op, help="stage a delete" if op == "rm" else "stage a move")
        q.add_argument("mount")
        q.add_argument("path")
        if op == "mv":
            q.add_argument("to")
        q.set_defaults(func=lambda x, op=op: print_result(run_call("files.change", {"op": "delete" if op == "rm" else "move", "mount": x.mount, "path": x.path, "to": getattr(x, "to", None), "origin": "cli"}, timeout=1000)))
    h = fs.add_parser("history", help="changes made through SwarmBridge")
    h.add_argument("--mount")
    h.set_defaults(func=lambda x: print_result(run_call("files.history", {"mount": x.mount} if x.mount else {})))
    rv = fs.add_parser("revert", help="undo an applied change (the original was kept)")
    rv.add_argument("id")
    rv.set_defaults(func=lambda x: print_result(run_call("files.revert", {"id": x.id})))


def _cat(args) -> int:
    rc, result = run_call("files.read", {"mount": args.mount, "path": args.path})
    if rc == 0:
        print(result["text"])
    return rc
