"""``install()`` / ``uninstall()``: put the launcher, the manifests (and on Windows the registry
values) where each chosen browser looks, and record the allowed extension ids for the relay."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..extension_id import extension_id
from ..nativehost.relay import ALLOWED_FILE
from ..paths import Paths
from . import FIREFOX_EXTENSION_ID, HOST_NAME
from .locations import BROWSERS, Target, platform_key, target, user_data_dir_target
from .manifest import render, write_launcher, write_manifest
from .registry import Registry


@dataclass(frozen=True)
class Scope:
    """Where to (un)install: whose home, which OS, per-user or system-wide, or one custom profile."""

    paths: Paths
    home: Path = field(default_factory=Path.home)
    platform: str = sys.platform
    system: bool = False
    user_data_dir: Path | None = None
    registry: Registry | None = None

    def targets(self, browsers: list[str]) -> list[Target]:
        if self.user_data_dir is not None:
            return [user_data_dir_target(self.user_data_dir, b if b != "all" else "chromium") for b in browsers or ["chromium"]]
        chosen = list(BROWSERS) if "all" in browsers else browsers
        return [target(b, self.platform, self.home, system=self.system, data_dir=self.paths.data_dir) for b in chosen]

    def reg(self) -> Registry | None:
        if platform_key(self.platform) != "win32":
            return None
        if self.registry is None:  # pragma: no cover - Windows only
            from .registry import WinRegistry

            return WinRegistry()
        return self.registry


@dataclass
class InstallResult:
    launcher: Path
    manifests: list[Path] = field(default_factory=list)
    registry: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def install(browsers: list[str], scope: Scope, *, chrome_id: str | None = None, firefox_id: str = FIREFOX_EXTENSION_ID) -> InstallResult:
    paths = scope.paths.ensure()
    chrome_id = chrome_id or extension_id()
    result = InstallResult(write_launcher(paths.data_dir / "host", scope.platform))
    reg = scope.reg()
    for t in scope.targets(browsers):
        ext = firefox_id if t.browser == "firefox" else chrome_id
        path = write_manifest(Path(t.manifest_dir), render(t.browser, str(result.launcher), ext))
        result.manifests.append(path)
        if t.registry_key and reg is not None:
            reg.set_default(t.registry_root, t.registry_key, str(path))
            result.registry.append(rf"{t.registry_root}\{t.registry_key}")
    allowed = paths.config_dir / ALLOWED_FILE
    known: list[str] = []
    try:
        known = json.loads(allowed.read_text(encoding="utf-8")).get("extensionIds", [])
    except (OSError, ValueError, AttributeError):
        pass
    ids = sorted({*known, chrome_id, firefox_id})
    allowed.write_text(json.dumps({"extensionIds": ids}, indent=2) + "\n", encoding="utf-8")
    return result


def uninstall(browsers: list[str], scope: Scope) -> InstallResult:
    """Remove the manifests (and registry values) that ``install`` wrote for these browsers."""
    result = InstallResult(scope.paths.data_dir / "host" / "swarmbridge-host")
    reg = scope.reg()
    for t in scope.targets(browsers):
        path = Path(t.manifest_dir) / f"{HOST_NAME}.json"
        if path.exists():
            path.unlink()
            result.removed.append(str(path))
        if t.registry_key and reg is not None and reg.delete(t.registry_root, t.registry_key):
            result.removed.append(rf"{t.registry_root}\{t.registry_key}")
    return result
