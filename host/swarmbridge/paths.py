"""Where SwarmBridge keeps things on a user's machine.

Config (TOML), data (SQLite, artefacts), logs and the runtime socket each live in the platform's
user directory (platformdirs). ``SWARMBRIDGE_HOME`` overrides all of them at once (tests point it
at a temp dir): ``$SWARMBRIDGE_HOME/{config,data,logs,run}``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

APP = "swarmbridge"
ENV_HOME = "SWARMBRIDGE_HOME"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    runtime_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def db_file(self) -> Path:
        return self.data_dir / "swarmbridge.db"

    @property
    def socket(self) -> str:
        if sys.platform == "win32":
            return rf"\\.\pipe\swarmbridge-{os.getlogin()}"
        return str(self.runtime_dir / "daemon.sock")

    @property
    def lock_file(self) -> Path:
        return self.runtime_dir / "daemon.lock"

    @property
    def artifacts_dir(self) -> Path:
        return self.data_dir / "artifacts"

    def ensure(self) -> "Paths":
        for d in (self.config_dir, self.data_dir, self.log_dir, self.runtime_dir):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def user_paths() -> Paths:
    home = os.environ.get(ENV_HOME)
    if home:
        base = Path(home).expanduser().absolute()
        return Paths(base / "config", base / "data", base / "logs", base / "run")
    import platformdirs

    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        # No per-user runtime dir (no systemd login session): a private folder in /tmp.
        runtime = os.path.join(tempfile.gettempdir(), f"{APP}-{os.getuid()}")
    else:
        runtime = platformdirs.user_runtime_dir(APP, appauthor=False)
    return Paths(
        Path(platformdirs.user_config_dir(APP, appauthor=False)),
        Path(platformdirs.user_data_dir(APP, appauthor=False)),
        Path(platformdirs.user_log_dir(APP, appauthor=False)),
        Path(runtime),
    )
