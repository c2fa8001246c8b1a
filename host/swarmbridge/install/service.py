"""The optional per-user service that keeps the daemon running with the browser closed (so
schedules fire): a systemd user unit on Linux, a launchd agent on macOS. Standard library only
(the relay imports ``unit_path``). The relay starts the
daemon through it when it is installed (``nativehost.relay.start_daemon``), else detached.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..paths import ENV_HOME

UNIT_NAME = "swarmbridge.service"
LAUNCHD_LABEL = "dev.swarmbridge.daemon"


def unit_path(home: Path) -> Path:
    return home / ".config" / "systemd" / "user" / UNIT_NAME


def plist_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


def systemd_unit(python: str = sys.executable, sb_home: str | None = None) -> str:
    sb_home = os.environ.get(ENV_HOME) if sb_home is None else sb_home
    env = f"Environment={ENV_HOME}={sb_home}\n" if sb_home else ""
    return (
        "[Unit]\nDescription=SwarmBridge daemon (local agent; one per user)\n\n"
        f"[Service]\nType=simple\nExecStart={python} -m swarmbridge.cli.main daemon --quiet\n{env}"
        "Restart=on-failure\nRestartSec=2\n\n[Install]\nWantedBy=default.target\n"
    )


def launchd_plist(python: str = sys.executable, sb_home: str | None = None) -> bytes:
    import plistlib  # here, not at the top: the relay imports this module and must start fast

    sb_home = os.environ.get(ENV_HOME) if sb_home is None else sb_home
    doc: dict = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": [python, "-m", "swarmbridge.cli.main", "daemon", "--quiet"],
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
    }
    if sb_home:
        doc["EnvironmentVariables"] = {ENV_HOME: sb_home}
    return plistlib.dumps(doc)


def write_service(home: Path, platform: str = sys.platform) -> Path:
    """Write the unit (Linux) or agent (macOS); enabling it is `systemctl --user enable --now
    swarmbridge` / `launchctl load`, which ``swarmbridge install --service`` prints."""
    if platform == "darwin":
        path = plist_path(home)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(launchd_plist())
        return path
    if platform.startswith("linux"):
        path = unit_path(home)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(systemd_unit(), encoding="utf-8")
        return path
    raise ValueError("a user service is available on Linux (systemd) and macOS (launchd) only")


def remove_service(home: Path) -> list[Path]:
    gone = []
    for path in (unit_path(home), plist_path(home)):
        if path.exists():
            path.unlink()
            gone.append(path)
    return gone
