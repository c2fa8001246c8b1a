"""``swarmbridge approvals``: the actions waiting for your say, and your answer.

    swarmbridge approvals list [--all]
    swarmbridge approvals show ID
    swarmbridge approvals approve ID [--reason TEXT]
    swarmbridge approvals deny ID [--reason TEXT]
    swarmbridge approvals policy ORIGIN --mode ask|allow|read_only [--allow-site S] [--allow-folder F]
"""

from __future__ import annotations

import argparse
import json
import time

from ._client import print_result, run_call


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("approvals", help="actions waiting for your approval: list, approve, deny")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = s.add_parser("list", help="pending requests (--all: every request)")
    ls.add_argument("--all", action="store_true")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    sh = s.add_parser("show", help="one request with its preview and audit trail")
    sh.add_argument("id")
    sh.set_defaults(func=lambda a: print_result(run_call("approvals.get", {"id": a.id})))
    for name in ("approve", "deny"):
        q = s.add_parser(name, help=f"{name} a pending request")
        q.add_argument("id")
        q.add_argument("--reason", default="")
        q.set_defaults(func=lambda a, name=name: print_result(run_call(f"approvals.{name}", {"id": a.id, "reason": a.reason})))
    po = s.add_parser("policy", help="what a goal/schedule (origin prefix, e.g. goal:12 or schedule:prices) may do unasked")
    po.add_argument("origin")
    po.add_argument("--mode", choices=["ask", "allow", "read_only"], default="ask")
    po.add_argument("--allow-site", action="append", default=[])
    po.add_argument("--allow-folder", action="append", default=[])
    po.add_argument("--clear", action="store_true", help="remove the policy for ORIGIN")
    po.set_defaults(func=_policy)




def _list(args) -> int:
    rc, result = run_call("approvals.list", {"all": args.all})
    if rc or args.json:
        return rc or print_result((0, result))
    rows = result["approvals"]
    if not rows:
        print("nothing waiting for approval")
    for a in rows:
        left = max(0, int(a["expires_at"] - time.time())) if a["status"] == "pending" else None
        print(f"{a['id']}  {a['status']:<8} {a['risk']:<9} {a['tool']:<18} {a['summary']}" + (f"  (expires in {left}s)" if left is not None else ""))
        if a["status"] == "pending" and a.get("preview"):
            print("    preview: " + json.dumps(a["preview"], ensure_ascii=False)[:400])
    return 0


def _policy(args) -> int:
    policy = None if args.clear else {"mode": args.mode, "allowSites": args.allow_site, "allowFolders": args.allow_folder}
    return print_result(run_call("policies.set", {"origin": args.origin, "policy": policy}))
