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


def test_cancel_finishes_the_run_and_resume_runs_it_again(sb_home: Path, tmp_path: Path) -> None:
    """runs.cancel ends the run with a run.finished event (watchers stop waiting); runs.resume
    marks it running again and completes it from its recorded results."""
    import asyncio

    from swarmbridge.rpc.client import connect

    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0.05}} for i in range(60)]
    proc = start_daemon()

    async def scenario() -> tuple[str, dict, str, dict]:
        got: asyncio.Queue = asyncio.Queue()
        async with connect(on_event=lambda c, m: got.put_nowait((m.method, m.params))) as conn:
            await conn.request("events.subscribe", {"topics": ["run."]})
            rid = (await conn.request("runs.start", {"recipe": {"steps": steps}, "budgets": {"max_agents": 1}}))["id"]
            while (await conn.request("runs.show", {"id": rid}))["outputs"].__len__() < 5:
                await asyncio.sleep(0.05)
            await conn.request("runs.cancel", {"id": rid})
            while True:
                method, params = await asyncio.wait_for(got.get(), 10)
                if method == "run.finished":
                    break
            after_cancel = await conn.request("runs.show", {"id": rid})
            await conn.request("runs.resume", {"id": rid})
            status_on_resume = (await conn.request("runs.show", {"id": rid}))["status"]
            return rid, params, status_on_resume, after_cancel

    try:
        rid, finished, status_on_resume, after_cancel = asyncio.run(scenario())
        assert finished["status"] == "cancelled" and finished["stop_reason"] == "cancelled by request" and finished["run_id"] == rid
        assert after_cancel["status"] == "cancelled" and 5 <= len(after_cancel["outputs"]) < 60
        assert status_on_resume == "running"
        wait_until(lambda: show(rid)["status"] == "done", 20, "the resumed run to finish")
        run = show(rid)
        assert len(run["outputs"]) == 60 and run["stop_reason"] == "completed" and run["finished"]
        kinds = [json.loads(x)["kind"] for x in cli("runs", "export", rid).stdout.splitlines() if x]
        assert kinds.count("finished") == 2 and kinds[-1] == "finished"
        again = cli("runs", "resume", rid)  # a done run has nothing to resume
        assert again.returncode != 0 and "nothing to resume" in again.stderr
    finally:
        stop_daemon(proc)


def _write(tmp_path: Path, recipe: dict) -> str:
    p = tmp_path / "recipe.json"
    p.write_text(json.dumps(recipe))
    return str(p)
