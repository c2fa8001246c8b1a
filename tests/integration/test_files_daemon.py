"""Local files through the real daemon and CLI: mount, read, a staged write that waits for
approval, history, revert."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

from relaykit import PY, wait_until


def sb(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)
    if check:
        assert out.returncode == 0, out.stdout + out.stderr
    return out


def test_mount_read_write_approve_revert(daemon, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "plan.md").write_text("# Plan\n- draft\n")
    (tmp_path / "outside.txt").write_text("secret")
    sb("mount", "add", "notes", str(notes), "--rw")
    assert "plan.md" in sb("files", "ls", "notes").stdout
    assert sb("files", "cat", "notes", "plan.md").stdout.startswith("# Plan")
    bad = sb("files", "cat", "notes", "../outside.txt", check=False)
    assert bad.returncode == 1 and "'..' is not allowed" in bad.stderr

    new = tmp_path / "new.md"
    new.write_text("# Plan\n- final\n")
    result: dict = {}
    writer = threading.Thread(target=lambda: result.update(json.loads(sb("files", "write", "notes", "plan.md", "--from", str(new)).stdout)))
    writer.start()
    pending = wait_until(lambda: json.loads(sb("approvals", "list", "--json").stdout)["approvals"], 15, "the write to ask")
    assert "+- final" in pending[0]["preview"]["diff"]
    assert (notes / "plan.md").read_text().endswith("draft\n")
    sb("approvals", "approve", pending[0]["id"])
    writer.join(15)
    assert result["status"] == "applied" and (notes / "plan.md").read_text().endswith("final\n")
    history = json.loads(sb("files", "history").stdout)["changes"]
    assert history[0]["id"] == result["id"] and history[0]["status"] == "applied"
    sb("files", "revert", result["id"])
    assert (notes / "plan.md").read_text().endswith("draft\n")
