"""End to end: `models add` writes the config, the real daemon builds the worker model from it,
and `swarmbridge run "GOAL"` is answered by a scripted OpenAI server through the real client."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from relaykit import PY, wait_until
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


def test_run_pinned_to_an_endpoint_and_roles_routed(sb_home: Path) -> None:
    """Two endpoints: 'big' plans and works, 'small' verifies. A plain run uses each role's own;
    `run --endpoint small` sends every role to 'small'; an unknown endpoint is refused up front."""
    from modelkit import threaded_server

    from swarmbridge.testing import SwarmRules

    rules = SwarmRules(plan_width=2, worker_tool_calls=0)
    with threaded_server(rules, model="m-big") as big, threaded_server(rules, model="m-small") as small:
        for name, srv, roles_ in (("big", big, ["planner", "worker"]), ("small", small, ["verifier"])):
            flags = [x for r in roles_ for x in ("--role", r)]
            assert cli("models", "add", name, "--base-url", srv.base_url, "--model", f"m-{name}", "--tool-mode", "native", *flags).returncode == 0
        proc = start_daemon()
        try:
            assert cli("run", "price two laptops").returncode == 0

            def roles(srv) -> list[str]:
                return sorted({str(r["messages"][0]["content"]).split("\n")[0] for r in srv.requests})

            # the writer's report may still be on its way when the run's status is final
            wait_until(lambda: "ROLE: writer" in roles(big), 20, "the writer's request")
            assert "ROLE: planner" in roles(big) and "ROLE: planner" not in roles(small)
            before = len(big.requests)
            res = cli("run", "price two phones", "--endpoint", "small")
            assert res.returncode == 0, res.stdout + res.stderr
            assert len(big.requests) == before, "a pinned run asks nothing of the other endpoint"
            wait_until(lambda: {"ROLE: planner", "ROLE: worker", "ROLE: writer"} <= set(roles(small)), 20, "every role on the pinned endpoint")
            bad = cli("run", "x", "--endpoint", "nowhere")
            assert bad.returncode != 0 and "no endpoint named 'nowhere'; configured: big, small" in bad.stderr
            assert cli("run", "x", "--model", "m-big").returncode != 0, "--model alone is ambiguous"
        finally:
            stop_daemon(proc)
