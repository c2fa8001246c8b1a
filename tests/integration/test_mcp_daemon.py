"""`swarmbridge mcp --http --port 0` with no daemon running: it starts the daemon (as the browser's
relay does), announces its URL, refuses requests without the bearer token from its 0600 token
file, and answers through the official MCP client; with no browser connected a browser tool is a
clear tool error, not a hang. No browser needed."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess

import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from relaykit import PY, daemon_pid, stop_daemon_by_pid

from swarmbridge.sandbox.subproc import terminate


async def talk(url: str, token: str) -> None:
    async with httpx2.AsyncClient(timeout=10) as anonymous:
        refused = await anonymous.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        wrong = await anonymous.post(url, json={}, headers={"Authorization": "Bearer " + "x" * len(token)})
    assert refused.status_code == wrong.status_code == 401
    async with (httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300)) as http,
                streamable_http_client(url, http_client=http) as (read, write), ClientSession(read, write) as mcp):
        await mcp.initialize()
        status = await mcp.call_tool("bridges", {})
        assert json.loads(status.content[0].text)["bridges"] == []
        snap = await mcp.call_tool("browser_snapshot", {})
        assert snap.is_error and snap.content[0].text.startswith("error [no_bridge]: no browser is connected")


def test_http_server_starts_the_daemon_and_reports_no_browser(sb_home) -> None:
    assert daemon_pid() is None
    proc = subprocess.Popen([PY, "-m", "swarmbridge.cli.main", "mcp", "--http", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    pid = None
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert "streamable HTTP at http://127.0.0.1:" in line, line
        pid = daemon_pid()
        assert pid is not None
        token_file = sb_home / "config" / "mcp-http.token"
        assert token_file.stat().st_mode & 0o777 == 0o600
        asyncio.run(talk(re.search(r"http://127\.0\.0\.1:\d+/mcp", line).group(0), token_file.read_text().strip()))  # type: ignore[union-attr]
    finally:
        terminate(proc)
        proc.stdout.close()  # type: ignore[union-attr]
        stop_daemon_by_pid(pid or daemon_pid())
