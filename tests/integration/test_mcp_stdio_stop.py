"""A stdio MCP server stopped by SIGTERM (what clients send after closing stdin, or instead of
it) still closes the tabs its agent opened. The browser here is a relay driven by the test
(relaykit's FakeBrowser), so the close request itself is what we check; no Chromium needed."""

from __future__ import annotations

import json
import signal
import subprocess

from relaykit import PY, wait_until


def rpc(proc: subprocess.Popen, msg: dict) -> None:
    proc.stdin.write(json.dumps(msg) + "\n")  # type: ignore[union-attr]
    proc.stdin.flush()  # type: ignore[union-attr]


def reply(proc: subprocess.Popen, msg_id: int) -> dict:
    while True:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line, "the server closed stdout"
        msg = json.loads(line)
        if msg.get("id") == msg_id:
            return msg


def test_sigterm_closes_the_agents_tabs(daemon, browsers) -> None:
    seen: list[tuple[str, dict]] = []

    def extension(msg: dict) -> dict:
        seen.append((msg["method"], msg["params"]))
        if msg["method"] == "browser.tabs.open":
            return {"tabId": 7, "url": msg["params"]["url"], "title": "A"}
        return {"closed": [7]} if msg["method"] == "browser.tabs.close" else {}

    fb = browsers(handler=extension)
    fb.hello()
    proc = subprocess.Popen([PY, "-m", "swarmbridge.cli.main", "mcp", "--no-start-daemon"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        rpc(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw agent", "version": "1"}}})
        assert "result" in reply(proc, 1)
        rpc(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        rpc(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "browser_tabs_open", "arguments": {"url": "https://a.example/"}}})
        opened = reply(proc, 2)["result"]
        assert not opened.get("isError") and json.loads(opened["content"][0]["text"])["tabId"] == 7
        assert seen == [("browser.tabs.open", {"url": "https://a.example/", "caller": "mcp/client:raw-agent"})]
        proc.send_signal(signal.SIGTERM)
        wait_until(lambda: len(seen) == 2, 5, "the close request")
        assert proc.wait(10) == 0
        assert seen[1] == ("browser.tabs.close", {"caller": "mcp/client:raw-agent"})
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            stream.close()  # type: ignore[union-attr]
