"""``swarmbridge models``: the model endpoints in your config, and the local servers that answer.

    swarmbridge models list                     endpoints and which role uses which
    swarmbridge models detect                   probe Ollama/LM Studio/vLLM/llama.cpp on 127.0.0.1
    swarmbridge models test NAME                one real completion + a tool-call probe
    swarmbridge models add NAME --base-url URL --model M [--api-key-env VAR] [--role worker ...]
    swarmbridge models remove NAME

These work without the daemon (they read and write ``config.toml`` directly, atomically, with a
``.bak``). Keys are never written to the file: name an environment variable or a keyring entry.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

import pydantic

from .. import config as cfgmod
from ..llm import probe
from ..paths import user_paths
from ..validation import problems


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="model endpoints: list, detect local servers, test, add, remove")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = s.add_parser("list", help="configured endpoints and roles")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    d = s.add_parser("detect", help="find local OpenAI-compatible servers on 127.0.0.1")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=_detect)
    t = s.add_parser("test", help="one completion + a tool-call probe against an endpoint")
    t.add_argument("name")
    t.add_argument("--model")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_test)
    a = s.add_parser("add", help="add or replace an endpoint")
    a.add_argument("name")
    a.add_argument("--base-url", action="append", required=True, help="repeat for a pool of servers serving the same model")
    a.add_argument("--model", required=True)
    a.add_argument("--api-key-env", help="environment variable holding the API key")
    a.add_argument("--api-key-keyring", help="OS keyring entry SERVICE/USER holding the API key")
    a.add_argument("--max-concurrency", type=int)
    a.add_argument("--rpm", type=int, default=0)
    a.add_argument("--tpm", type=int, default=0)
    a.add_argument("--tool-mode", choices=["auto", "native", "json"], default="auto")
    a.add_argument("--input-price", type=float, metavar="USD", help="what the endpoint charges per million prompt tokens (runs then show their cost)")
    a.add_argument("--output-price", type=float, metavar="USD", help="what the endpoint charges per million completion tokens")
    a.add_argument("--role", action="append", default=[], choices=list(cfgmod.ROLES), help="use this endpoint for ROLE (repeatable)")
    a.set_defaults(func=_add)
    r = s.add_parser("remove", help="remove an endpoint (and the roles that used it)")
    r.add_argument("name")
    r.set_defaults(func=_remove)


def _load() -> tuple[cfgmod.Config, object] | None:
    path = user_paths().config_file
    try:
        return cfgmod.load(path), path
    except cfgmod.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _list(args: argparse.Namespace) -> int:
    loaded = _load()
    if loaded is None:
        return 1
    cfg, path = loaded
    data = {
        "config": str(path),
        "endpoints": {n: {**e.model_dump(exclude_none=True, exclude_defaults=True), "model": e.model} for n, e in cfg.endpoints.items()},
        "roles": {r: (lambda x: {"endpoint": x[0], "model": x[2]} if x else None)(cfg.role(r)) for r in cfgmod.ROLES},
    }
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    if not cfg.endpoints:
        print(f"no endpoints in {path}; try `swarmbridge models detect`, then `swarmbridge models add`")
        return 0
    for n, e in cfg.endpoints.items():
        print(f"{n:16} {e.model:24} {', '.join(e.urls())}  tool_mode={e.tool_mode}")
    for r, v in data["roles"].items():
        print(f"  role {r:9} -> {v['endpoint']} ({v['model']})" if v else f"  role {r:9} -> (none)")
    return 0


def _detect(args: argparse.Namespace) -> int:
    found = asyncio.run(probe.detect())
    if args.json:
        print(json.dumps(found, indent=2))
    elif not found:
        print("no local model server answered on 127.0.0.1 (Ollama 11434, LM Studio 1234, vLLM 8000, llama.cpp 8080)")
    for f in found if not args.json else []:
        print(f"{f['kind']:9} {f['base_url']:28} slots={f['max_concurrency'] or '?'}  models: {', '.join(f['models'][:8])}")
    return 0


def _test(args: argparse.Namespace) -> int:
    loaded = _load()
    if loaded is None:
        return 1
    cfg, _ = loaded
    ep = cfg.endpoints.get(args.name)
    if ep is None:
        print(f"error: no endpoint named {args.name!r}; configured: {sorted(cfg.endpoints)}", file=sys.stderr)
        return 1
    from ..llm.registry import check_endpoint  # imports openai: only when testing

    try:
        res = asyncio.run(check_endpoint(ep, args.model))
    except Exception as exc:  # noqa: BLE001 - report any failure as the test's result
        res = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    if args.json:
        print(json.dumps(res, indent=2))
    elif res["ok"]:
        print(f"ok: {args.name} answered in {res['latency_s']} s ({res['tokens']} tokens); tool mode: {res['tool_mode']}")
    else:
        print(f"failed: {res['error']}", file=sys.stderr)
    return 0 if res["ok"] else 1


def _add(args: argparse.Namespace) -> int:
    loaded = _load()
    if loaded is None:
        return 1
    cfg, path = loaded
    urls = args.base_url
    try:
        ep = cfgmod.Endpoint(base_url=urls[0] if len(urls) == 1 else None, base_urls=urls if len(urls) > 1 else [], model=args.model,
                             api_key_env=args.api_key_env, api_key_keyring=args.api_key_keyring, max_concurrency=args.max_concurrency,
                             rpm=args.rpm, tpm=args.tpm, tool_mode=args.tool_mode, input_price=args.input_price, output_price=args.output_price)
    except pydantic.ValidationError as exc:
        print("error: " + "\n       ".join(problems(exc, "endpoint")), file=sys.stderr)
        return 1
    cfg.endpoints[args.name] = ep
    for role in args.role:
        cfg.roles[role] = cfgmod.RoleRef(endpoint=args.name)
    cfgmod.save(path, cfg)
    print(f"saved endpoint {args.name} to {path}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    loaded = _load()
    if loaded is None:
        return 1
    cfg, path = loaded
    if cfg.endpoints.pop(args.name, None) is None:
        print(f"error: no endpoint named {args.name!r}", file=sys.stderr)
        return 1
    cfg.roles = {r: ref for r, ref in cfg.roles.items() if ref.endpoint != args.name}
    cfgmod.save(path, cfg)
    print(f"removed endpoint {args.name} from {path}")
    return 0
