"""The files ``swarmbridge install`` writes: the launcher script and the host manifest.

The launcher names the Python interpreter absolutely (browsers start hosts with a minimal PATH)
and carries ``SWARMBRIDGE_HOME`` when one was set at install time, so the relay the browser starts
talks to the same daemon as the CLI that installed it. Manifests are written UTF-8 without BOM.
"""

from __future__ import annotations

import json
import os
import shlex
import string
import sys
from pathlib import Path
from typing import Any

from ..paths import ENV_HOME
from . import HOST_NAME

#: The host-manifest templates shipped in the repository (``manifests/``).
TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "manifests"


def render(browser: str, launcher: str, extension_id: str, *, template_dir: Path = TEMPLATE_DIR) -> dict[str, Any]:
    """The manifest for ``browser`` as a dict, from the Chromium-family or the Firefox template."""
    name = "firefox.json.template" if browser == "firefox" else "chromium.json.template"
    text = string.Template((template_dir / name).read_text(encoding="utf-8"))
    escaped = {k: json.dumps(v)[1:-1] for k, v in {"name": HOST_NAME, "path": launcher, "extension_id": extension_id}.items()}
    return json.loads(text.substitute(escaped))


def write_manifest(directory: Path, manifest: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{manifest['name']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_bytes(json.dumps(manifest, indent=2).encode("utf-8") + b"\n")
    os.replace(tmp, path)
    return path


def launcher_text(platform: str = sys.platform, python: str = sys.executable, home: str | None = None) -> str:
    home = os.environ.get(ENV_HOME) if home is None else home
    if platform in ("win32", "cygwin"):
        env = f'set "{ENV_HOME}={home}"\r\n' if home else ""
        return f'@echo off\r\n{env}"{python}" -m swarmbridge.nativehost %*\r\n'
    env = f"{ENV_HOME}={shlex.quote(home)}\nexport {ENV_HOME}\n" if home else ""
    return f"#!/bin/sh\n# SwarmBridge native-messaging host launcher (written by `swarmbridge install`)\n{env}exec {shlex.quote(python)} -m swarmbridge.nativehost \"$@\"\n"


def write_launcher(directory: Path, platform: str = sys.platform) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = "swarmbridge-host.bat" if platform in ("win32", "cygwin") else "swarmbridge-host"
    path = directory / name
    path.write_text(launcher_text(platform), encoding="utf-8", newline="")
    path.chmod(0o755)
    return path
