"""``swarmbridge mcp``: serve the browser to other agents as an MCP server.

    swarmbridge mcp                          # stdio (what MCP clients launch)
    swarmbridge mcp --http [--port N]        # streamable HTTP on 127.0.0.1 (port 0: any free one; the URL is printed)
                                             # clients send 'Authorization: Bearer <token>', the token in <config dir>/mcp-http.token
    swarmbridge mcp --bridge chromium --confine example.org --approval-timeout 60 --name my-agent
    swarmbridge mcp [--http] --print-config  # the mcpServers JSON for an MCP client's configuration

Every tool goes through the daemon's approval policy (origin ``mcp``); the daemon is started
when it is not running, as the browser's relay does. stdout belongs to the protocol in stdio
mode: logs go to ``<log dir>/mcp.log``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from ..paths import ENV_HOME, user_paths

TOKEN_FILE = "mcp-http.token"
DEFAULT_WAIT = 120.0


def _site(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a host name (e.g. example.org)")
    return text.lower()


def _name(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{1,64}", text):
        raise argparse.ArgumentTypeError("a name of letters, digits and _ . @ - (at most 64)")
    return text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mcp", help="serve the browser to other agents (MCP over stdio or HTTP), under your approval policy")
    p.add_argument("--http", action="store_true", help="streamable HTTP on 127.0.0.1 instead of stdio; clients send "
                   f"'Authorization: Bearer <token>' with the token kept in <config dir>/{TOKEN_FILE} (made on first use)")
    p.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "::1", "localhost"], help="loopback address for --http")
    p.add_argument("--port", type=int, default=8765, help="port for --http (0: any free port; the URL is printed)")
    p.add_argument("--bridge", help="bridge id or browser name when several browsers are connected")
    p.add_argument("--confine", type=_site, action="append", default=[], metavar="SITE",
                   help="opening pages outside these sites asks first (repeatable); the 'mcp' policy's allowed sites count too")
    p.add_argument("--approval-timeout", type=float, default=DEFAULT_WAIT, metavar="S",
                   help="default seconds a tool call waits for your approval before answering 'pending' (0-600)")
    p.add_argument("--name", type=_name, help="the agent's name in approvals (origin mcp/client:NAME); default: the MCP client's name")
    p.add_argument("--no-start-daemon", action="store_true", help="do not start the daemon when it is not running")
    p.add_argument("--print-config", action="store_true",
                   help="print the mcpServers JSON an MCP client needs to start (or, with --http, reach) this server, and exit")
    p.set_defaults(func=run)


def client_config(args: argparse.Namespace, token_file: Path) -> dict[str, Any]:
    """What an MCP client's configuration needs: the absolute interpreter (clients start servers
    with a minimal PATH) and these options, or for --http the URL and the bearer header."""
    if args.http:
        from ..mcp.server import http_token

        host = f"[{args.host}]" if ":" in args.host else args.host
        entry: dict[str, Any] = {"type": "http", "url": f"http://{host}:{args.port}/mcp",
                                 "headers": {"Authorization": f"Bearer {http_token(token_file)}"}}
    else:
        argv = ["-m", "swarmbridge.cli.main", "mcp"]
        if args.bridge:
            argv += ["--bridge", args.bridge]
        for site in args.confine:
            argv += ["--confine", site]
        if args.approval_timeout != DEFAULT_WAIT:
            argv += ["--approval-timeout", f"{args.approval_timeout:g}"]
        if args.name:
            argv += ["--name", args.name]
        if args.no_start_daemon:
            argv.append("--no-start-daemon")
        entry = {"command": sys.executable, "args": argv}
        if os.environ.get(ENV_HOME):
            entry["env"] = {ENV_HOME: os.environ[ENV_HOME]}
    return {"mcpServers": {"swarmbridge": entry}}


def _ensure_daemon(start: bool) -> str | None:
    """None when the daemon answers (started here if allowed), else why not."""
    from ..nativehost.relay import start_daemon
    from ..rpc.client import call
    from ..rpc.router import RpcError

    try:
        call("daemon.status", {}, timeout=5)
        return None
    except RpcError as exc:
        if not start:
            return exc.message
    start_daemon(user_paths().ensure())
    end = time.monotonic() + 15
    while time.monotonic() < end:
        try:
            call("daemon.status", {}, timeout=2)
            return None
        except RpcError as exc:
            last = exc.message
        time.sleep(0.1)
    return last


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.approval_timeout <= 600:
        print("swarmbridge mcp: --approval-timeout must be between 0 and 600 seconds", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("swarmbridge mcp: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    if args.print_config:
        print(json.dumps(client_config(args, user_paths().ensure().config_dir / TOKEN_FILE), indent=2))
        return 0
    problem = _ensure_daemon(not args.no_start_daemon)
    if problem:
        print(f"swarmbridge mcp: {problem}", file=sys.stderr)
        return 1
    from ..daemon.app import setup_logging
    from ..mcp.server import build_server, http_token, serve_http, serve_stdio
    from ..mcp.tools import BrowserTools, Settings, SocketDaemon

    paths = user_paths().ensure()
    setup_logging(paths, "mcp.log")
    settings = Settings(bridge=args.bridge, client=args.name or "", approval_timeout_s=args.approval_timeout, confine=args.confine)
    tools = BrowserTools(SocketDaemon(paths.socket), settings)
    server = build_server(tools.daemon, settings, tools)

    token_file = paths.config_dir / TOKEN_FILE

    def ready(url: str) -> None:
        for stream in (sys.stdout, sys.stderr):
            print(f"swarmbridge mcp: streamable HTTP at {url} (header 'Authorization: Bearer <the token in {token_file}>')",
                  file=stream, flush=True)

    try:
        asyncio.run(serve_http(server, token=http_token(token_file), host=args.host, port=args.port, ready=ready, cleanup=tools.close_tabs)
                    if args.http
                    else serve_stdio(server, cleanup=tools.close_tabs))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"swarmbridge mcp: {exc}", file=sys.stderr)
        return 1
    return 0
