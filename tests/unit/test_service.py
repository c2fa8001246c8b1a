"""``swarmbridge service``: the Windows task XML, and install/status/uninstall on this Linux box
in a temporary HOME (a real subprocess, with and without a ``systemctl`` that reaches a manager)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from swarmbridge.scheduler.windows_task import task_xml

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def test_windows_task_xml_is_valid_and_says_what_we_mean() -> None:
    root = ET.fromstring(task_xml(python=r"C:\Py\python.exe", user="PC\\ann", sb_home=r"C:\sb & co").replace('encoding="UTF-16"', ""))
    assert root.find("t:Triggers/t:LogonTrigger/t:UserId", NS).text == "PC\\ann"  # type: ignore[union-attr]
    assert root.find("t:Settings/t:ExecutionTimeLimit", NS).text == "PT0S"  # type: ignore[union-attr]
    args = root.find("t:Actions/t:Exec/t:Arguments", NS).text  # type: ignore[union-attr]
    assert 'SWARMBRIDGE_HOME=C:\\sb & co && "C:\\Py\\python.exe" -m swarmbridge.cli.main daemon --quiet' in args  # type: ignore[operator]
    plain = ET.fromstring(task_xml(python="/py").replace('encoding="UTF-16"', ""))
    assert plain.find("t:Actions/t:Exec/t:Command", NS).text == "/py"  # type: ignore[union-attr]


def _cli(home: Path, bindir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": str(bindir), "SWARMBRIDGE_HOME": str(home / "sb")}
    return subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "service", *args], capture_output=True, text=True, env=env, timeout=30)


def test_install_without_systemd_writes_unit_and_says_so(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    res = _cli(tmp_path, bindir, "install")
    assert res.returncode == 0, res.stderr
    unit = tmp_path / ".config/systemd/user/swarmbridge.service"
    assert "no user manager reachable" in res.stdout and unit.is_file()
    assert "daemon --quiet" in unit.read_text() and f"SWARMBRIDGE_HOME={tmp_path / 'sb'}" in unit.read_text()
    st = _cli(tmp_path, bindir, "status")
    assert "(present)" in st.stdout and "daemon        not reachable" in st.stdout
    rm = _cli(tmp_path, bindir, "uninstall")
    assert "removed" in rm.stdout and not unit.exists()


def test_install_with_a_user_manager_enables_the_unit(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "calls"
    fake = bindir / "systemctl"  # records its calls; stands in for the user manager this box lacks
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {log}\nexit 0\n")
    fake.chmod(0o755)
    res = _cli(tmp_path, bindir, "install")
    assert res.returncode == 0 and "enabled and started" in res.stdout
    assert "--user enable --now swarmbridge.service" in log.read_text()
    _cli(tmp_path, bindir, "uninstall")
    assert "--user disable --now swarmbridge.service" in log.read_text()
    assert not os.path.exists(tmp_path / ".config/systemd/user/swarmbridge.service")


def test_macos_install_writes_the_launchd_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from swarmbridge.cli.service import run

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no launchctl here: the agent is written, not loaded
    assert run(argparse.Namespace(action="install"), platform="darwin") == 0
    plist = tmp_path / "Library/LaunchAgents/dev.swarmbridge.daemon.plist"
    assert plist.is_file() and b"swarmbridge.cli.main" in plist.read_bytes()
    assert "not loaded: launchctl not found" in capsys.readouterr().out
    assert run(argparse.Namespace(action="uninstall"), platform="darwin") == 0 and not plist.exists()
