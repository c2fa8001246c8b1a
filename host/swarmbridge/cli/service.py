"""``swarmbridge service install|uninstall|status``: keep the daemon running as a per-user service
so schedules fire with the browser closed.

Linux: a systemd user unit, enabled with ``systemctl --user`` when a user manager is reachable;
without one (containers, WSL1, non-systemd distros) the unit is still written and the command says
how to start the daemon instead. macOS: a launchd agent (``launchctl load``). Windows: a Task
Scheduler task (``schtasks /Create /XML``). The unit/plist text is ``install/service.py``'s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..install.service import UNIT_NAME, plist_path, remove_service, unit_path, write_service
from ..paths import ENV_HOME, user_paths
from ..scheduler.windows_task import TASK_NAME, task_xml


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("service", help="run the daemon as a per-user service (schedules fire with the browser closed)")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, helptext in (("install", "write and enable the service"), ("uninstall", "disable and remove it"), ("status", "is it installed, enabled, running")):
        x = s.add_parser(name, help=helptext)
        x.set_defaults(func=run)


def _run(argv: list[str]) -> tuple[int, str]:
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return res.returncode, (res.stdout + res.stderr).strip()


def systemd_user_available() -> bool:
    """A reachable systemd user manager (not just the binary)."""
    return shutil.which("systemctl") is not None and _run(["systemctl", "--user", "show-environment"])[0] == 0


def windows_task_file() -> Path:
    return user_paths().config_dir / "swarmbridge-task.xml"


def run(args: argparse.Namespace, platform: str = sys.platform) -> int:
    home = Path.home()
    action = args.action
    if platform == "win32":
        return _windows(action)
    if action == "install":
        path = write_service(home, platform)
        print(f"service file  {path}")
        if platform == "darwin":
            code, out = _run(["launchctl", "load", "-w", str(path)]) if shutil.which("launchctl") else (127, "launchctl not found")
            print("launchd       " + ("loaded" if code == 0 else f"not loaded: {out}"))
        elif systemd_user_available():
            _run(["systemctl", "--user", "daemon-reload"])
            code, out = _run(["systemctl", "--user", "enable", "--now", UNIT_NAME])
            print("systemd       " + ("enabled and started" if code == 0 else f"enable failed: {out}"))
            return 0 if code == 0 else 1
        else:
            print("systemd       no user manager reachable (no systemd, or no user session): the unit is written but not enabled.")
            print("              Start the daemon with `swarmbridge daemon` (e.g. from your session's autostart);")
            print(f"              on a systemd login later: systemctl --user enable --now {UNIT_NAME}")
        return 0
    if action == "uninstall":
        if platform == "darwin" and plist_path(home).exists() and shutil.which("launchctl"):
            _run(["launchctl", "unload", "-w", str(plist_path(home))])
        elif systemd_user_available():
            _run(["systemctl", "--user", "disable", "--now", UNIT_NAME])
        gone = remove_service(home)
        print("removed       " + (", ".join(map(str, gone)) if gone else "nothing (no service file)"))
        return 0
    path = plist_path(home) if platform == "darwin" else unit_path(home)
    print(f"service file  {path} ({'present' if path.exists() else 'absent'})")
    if platform.startswith("linux"):
        if systemd_user_available():
            print(f"systemd       enabled: {_run(['systemctl', '--user', 'is-enabled', UNIT_NAME])[1] or '?'}, active: {_run(['systemctl', '--user', 'is-active', UNIT_NAME])[1] or '?'}")
        else:
            print("systemd       no user manager reachable")
    print(f"daemon        {_daemon_state()}")
    return 0


def _windows(action: str) -> int:
    xml = windows_task_file()
    if action == "install":
        xml.parent.mkdir(parents=True, exist_ok=True)
        xml.write_text(task_xml(user=os.environ.get("USERNAME", ""), sb_home=os.environ.get(ENV_HOME)), encoding="utf-16")
        code, out = _run(["schtasks", "/Create", "/F", "/TN", TASK_NAME, "/XML", str(xml)])
        print(f"task          {xml}: " + ("registered" if code == 0 else f"not registered: {out}"))
        return 0 if code == 0 else 1
    if action == "uninstall":
        code, out = _run(["schtasks", "/Delete", "/F", "/TN", TASK_NAME])
        xml.unlink(missing_ok=True)
        print("task          " + ("removed" if code == 0 else f"not removed: {out}"))
        return 0
    code, out = _run(["schtasks", "/Query", "/TN", TASK_NAME])
    print("task          " + ("registered" if code == 0 else "not registered"))
    print(f"daemon        {_daemon_state()}")
    return 0


def _daemon_state() -> str:
    from ..rpc.client import call
    from ..rpc.router import RpcError

    try:
        st = call("daemon.status", {}, timeout=5)
    except RpcError as exc:
        return f"not reachable ({exc.message})"
    return f"running, pid {st['pid']}"
