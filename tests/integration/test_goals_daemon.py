"""Goal Mode inside a real daemon subprocess, through the real CLI. This daemon has no model
configured, so each round's run fails; the same failure two rounds running must block the goal
with the run's own reason (not pretend, not spin), and the goal must survive a restart."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from relaykit import PY, wait_until
from test_scheduler_daemon import start_daemon as daemon, stop_daemon


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", "goal", *args], capture_output=True, text=True, timeout=30)


def show(gid: int) -> Any:
    res = cli("show", str(gid), "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_goal_cli_lifecycle_across_restart(sb_home: Path) -> None:
    assert cli("start", "no checks").returncode == 2  # completion must be verifiable
    proc = daemon()
    try:
        res = cli("start", "collect prices", "--check-regex", r"price=\d+", "--rounds", "3", "--json")
        assert res.returncode == 0, res.stderr
        gid = json.loads(res.stdout)["id"]
        wait_until(lambda: show(gid)["status"] == "blocked", 10, "the goal to block")
        assert "same blocker two rounds running" in show(gid)["reason"] and "needs a model" in show(gid)["reason"]
        assert len(show(gid)["rounds"]) == 2
        assert cli("guide", str(gid), "use the API, not the page").returncode == 0
        live = cli("start", "another", "--check-file", "out.csv", "--follow")  # live view ends when the goal stops
        assert live.returncode == 0 and "status: blocked same blocker" in live.stdout, live.stdout + live.stderr
        assert cli("show", "999").returncode == 1
    finally:
        stop_daemon(proc)
    proc = daemon()
    try:
        g = show(gid)
        assert g["guidance"][0]["note"] == "use the API, not the page" and g["status"] == "blocked"
        assert cli("cancel", str(gid)).returncode == 0
        bad = cli("resume", str(gid))
        assert bad.returncode == 1 and "cannot be resumed" in bad.stderr
    finally:
        stop_daemon(proc)
