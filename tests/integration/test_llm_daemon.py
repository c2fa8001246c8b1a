"""End to end: `models add` writes the config, the real daemon builds the worker model from it,
and `swarmbridge run "GOAL"` is answered by a scripted OpenAI server through the real client."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from relaykit import PY
from test_scheduler_daemon import start_daemon, stop_daemon


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_goal_run_through_configured_endpoint(sb_home: Path) -> None:
    srv = subprocess.Popen([PY, "-m", "swarmbridge.testing.scripted_server", "--port", "0", "--latency", "0.01"], stdout=subprocess.PIPE, text=True)
    try:
        url = json.loads(srv.stdout.readline())["base_url"]
        assert cli("models", "add", "local", "--base-url", url, "--model", "scripted", "--role", "worker").returncode == 0
        proc = start_daemon()
        try:
            res = cli("run", "find three cats")
            assert res.returncode == 0, res.stdout + res.stderr
            rid = json.loads(cli("runs", "list").stdout)["runs"][0]["id"]
            shown = json.loads(cli("runs", "show", rid).stdout)
            assert shown["status"] == "done", shown
            outs = json.dumps(shown["outputs"])
            assert len(shown["outputs"]) == 3 and "find three cats" in outs  # planned into 3 steps by the planner
            report = Path(shown["deliverables"][0]["path"])
            assert report.is_relative_to(sb_home) and report.read_text().startswith("# Report")  # the writer's Markdown
        finally:
            stop_daemon(proc)
    finally:
        srv.kill()
        srv.wait()
        srv.stdout.close()
