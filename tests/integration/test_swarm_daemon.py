"""Swarm runs through a real daemon subprocess and the real CLI: a recipe with no model, and a
kill -9 mid-run followed by a restart that resumes without repeating a completed tool call."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from relaykit import PY, wait_until
from test_scheduler_daemon import start_daemon, stop_daemon


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)


def show(rid: str) -> Any:
    res = cli("runs", "show", rid)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_recipe_run_without_model_via_cli(sb_home: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text('goal = "cities"\n[[steps]]\nid = "xs"\ntool = "split"\nargs = { text = "Oslo,Lima" }\n'
                      '[[steps]]\nid = "each"\ntool = "echo"\nmap = "xs"\nargs = { value = "city {{item}}" }\n')
    proc = start_daemon()
    try:
        res = cli("run", "--recipe", str(recipe))
        assert res.returncode == 0, res.stdout + res.stderr
        assert "[finished]" in res.stdout and ": done (completed)" in res.stdout
        rid = json.loads(cli("runs", "list").stdout)["runs"][0]["id"]
        assert show(rid)["outputs"]["each"] == ["city Oslo", "city Lima"]
        lines = [json.loads(x) for x in cli("runs", "export", rid).stdout.splitlines() if x]
        assert lines[0]["kind"] == "started" and lines[-1]["kind"] == "finished"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"steps": [{"id": "a", "tool": "echo", "args": {"value": "{{zz}}"}}]}))
        out = cli("run", "--recipe", str(bad))
        assert out.returncode == 2 and "unknown steps" in out.stderr
    finally:
        stop_daemon(proc)


def test_kill_9_mid_run_resumes_without_repeating(sb_home: Path, tmp_path: Path) -> None:
    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0.05}} for i in range(30)]
    proc = start_daemon()
    res = cli("run", "--detach", "--max-agents", "1", "--recipe", _write(tmp_path, {"steps": steps}))
    assert res.returncode == 0, res.stderr
    rid = res.stdout.strip()
    db = sb_home / "data" / "swarmbridge.db" if (sb_home / "data").exists() else next(sb_home.rglob("swarmbridge.db"))
    conn = sqlite3.connect(db)
    wait_until(lambda: conn.execute("SELECT count(*) FROM steps WHERE run_id = ?", (rid,)).fetchone()[0] >= 5, 10, "5 results")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {r[0] for r in conn.execute("SELECT key FROM steps WHERE run_id = ? AND kind = 'tool_result'", (rid,))}
    last_seq = conn.execute("SELECT max(seq) FROM events").fetchone()[0]
    assert 5 <= len(before) < 30
    proc = start_daemon()
    try:
        wait_until(lambda: show(rid)["status"] == "done", 15, "the resumed run to finish")
        again = [json.loads(r[0])["key"] for r in conn.execute("SELECT data FROM events WHERE run_id = ? AND kind = 'tool_call' AND seq > ?", (rid, last_seq))]
        assert not set(again) & before, "a completed tool call was repeated"
        assert len(show(rid)["outputs"]) == 30
    finally:
        conn.close()
        stop_daemon(proc)


def _write(tmp_path: Path, recipe: dict) -> str:
    p = tmp_path / "recipe.json"
    p.write_text(json.dumps(recipe))
    return str(p)
