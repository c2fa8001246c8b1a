"""`swarmbridge mcp` refuses bad options and a missing daemon (when told not to start one) with a
clear message; the HTTP transport binds loopback only and needs a bearer token."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from swarmbridge.cli.main import build_parser
from swarmbridge.cli.mcp import run
from swarmbridge.mcp.server import build_server, http_token, serve_http
from swarmbridge.mcp.tools import Settings


def test_bad_options_are_refused(capsys) -> None:
    parser = build_parser()
    for argv, message in ((["--confine", "not a site"], "is not a host name"), (["--host", "0.0.0.0"], "invalid choice"),
                          (["--name", "goal:7"], "a name of letters")):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(["mcp", *argv])
        assert exit_.value.code == 2 and message in capsys.readouterr().err
    assert run(parser.parse_args(["mcp", "--approval-timeout", "601"])) == 2
    assert run(parser.parse_args(["mcp", "--http", "--port", "70000"])) == 2
    assert "between 0 and 65535" in capsys.readouterr().err
    args = parser.parse_args(["mcp", "--confine", "Shop.Example", "--confine", "docs.example", "--name", "agent-1"])
    assert args.confine == ["shop.example", "docs.example"] and args.name == "agent-1" and args.http is False


def test_no_daemon_and_not_allowed_to_start_one(sb_home) -> None:
    out = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "mcp", "--no-start-daemon"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "daemon is not running" in out.stderr and out.stdout == ""


async def test_http_binds_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback only"):
        await serve_http(build_server(None, Settings()), token="t" * 40, host="0.0.0.0", port=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 16"):
        await serve_http(build_server(None, Settings()), token="short", port=0)  # type: ignore[arg-type]


def test_the_http_token_is_made_once_private_and_kept(tmp_path) -> None:
    path = tmp_path / "mcp-http.token"
    first = http_token(path)
    assert len(first) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert http_token(path) == first
    path.write_text("short\n")
    assert http_token(path) != "short"  # a damaged file is replaced


def test_print_config_for_stdio_and_http(sb_home, capsys) -> None:
    parser = build_parser()
    assert run(parser.parse_args(["mcp", "--print-config", "--confine", "shop.example", "--approval-timeout", "30", "--no-start-daemon"])) == 0
    entry = json.loads(capsys.readouterr().out)["mcpServers"]["swarmbridge"]
    assert entry["command"] == sys.executable and Path(entry["command"]).is_absolute()
    assert entry["args"] == ["-m", "swarmbridge.cli.main", "mcp", "--confine", "shop.example", "--approval-timeout", "30", "--no-start-daemon"]
    assert entry["env"] == {"SWARMBRIDGE_HOME": str(sb_home)}
    assert run(parser.parse_args(["mcp", "--http", "--port", "9911", "--print-config"])) == 0
    entry = json.loads(capsys.readouterr().out)["mcpServers"]["swarmbridge"]
    token = (sb_home / "config" / "mcp-http.token").read_text().strip()
    assert entry == {"type": "http", "url": "http://127.0.0.1:9911/mcp", "headers": {"Authorization": f"Bearer {token}"}}
