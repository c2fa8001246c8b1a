"""Start a Chromium-family browser wired to SwarmBridge: the real extension loaded, the native host
manifest written into the profile, headless when there is no display.

One function (`chromium_args`) builds the flag set, so the demo, schedules, tests and benches all
run the browser the same way (tests hand the same args to Selenium). Flags come from the measured
facts in the project's browser-testing notes: ``--no-sandbox`` as root, a fresh ``--user-data-dir``,
``--load-extension`` plus ``--disable-extensions-except`` so nothing else runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..extension_id import EXTENSION_DIR
from ..sandbox.subproc import terminate

# The user's own browsers first (their profile, their extensions), Debian chromium last.
CANDIDATES: tuple[str, ...] = (
    "google-chrome", "google-chrome-stable", "chromium", "chromium-browser", "microsoft-edge",
    "microsoft-edge-stable", "brave-browser", "brave", "vivaldi", "vivaldi-stable",
)
# /usr/bin/chromium on Debian is a wrapper that adds flags of its own: prefer the real binary.
REAL_BINARIES: dict[str, str] = {"chromium": "/usr/lib/chromium/chromium"}

QUIET_FLAGS: tuple[str, ...] = (
    "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,900",
)


class BrowserNotFound(RuntimeError):
    """No Chromium-family browser on this machine; the message says how to get one."""


def find_browser(env: dict[str, str] | None = None) -> str:
    """Path of the first usable browser; ``SWARMBRIDGE_BROWSER`` overrides the search."""
    env = os.environ if env is None else env
    forced = env.get("SWARMBRIDGE_BROWSER")
    if forced:
        if not os.access(forced, os.X_OK):
            raise BrowserNotFound(f"SWARMBRIDGE_BROWSER={forced} is not an executable file")
        return forced
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            real = REAL_BINARIES.get(name)
            return real if real and os.access(real, os.X_OK) else path
    raise BrowserNotFound("no Chrome/Chromium/Edge/Brave/Vivaldi found: install one (Debian: apt-get install chromium)")


def wants_headless(env: dict[str, str] | None = None) -> bool:
    """Headless when there is no display to draw on (servers, CI, this machine)."""
    env = os.environ if env is None else env
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def chromium_args(profile: Path, *, extension_dir: Path = EXTENSION_DIR, headless: bool | None = None,
                  block_network: bool = False, extra: list[str] | None = None) -> list[str]:
    """The flag set (without the binary): the one list demo, tests and benches all use."""
    args: list[str] = []
    if wants_headless() if headless is None else headless:
        args.append("--headless=new")
    if os.name == "posix" and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root otherwise
    args += [*QUIET_FLAGS, f"--user-data-dir={profile}", f"--load-extension={extension_dir}",
             f"--disable-extensions-except={extension_dir}"]
    if block_network:
        args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
    return args + list(extra or [])


def browser_env(scratch: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Keep Chromium from writing under $HOME even with a custom profile (XDG dirs in ``scratch``)."""
    env = dict(os.environ if base is None else base)
    env["XDG_CONFIG_HOME"] = str(scratch / "xdg-config")
    env["XDG_CACHE_HOME"] = str(scratch / "xdg-cache")
    return env


def install_host_manifest(profile: Path) -> Path:
    """Write ``<profile>/NativeMessagingHosts/<name>.json`` through the install module."""
    from ..install.installer import Scope, install
    from ..paths import user_paths

    res = install(["chromium"], Scope(user_paths(), user_data_dir=profile))
    return Path(res.manifests[0])


@dataclass
class LaunchedBrowser:
    """A running browser and the scratch directory it owns; `close()` ends both."""

    proc: subprocess.Popen[bytes]
    profile: Path
    scratch: Path | None
    args: list[str] = field(default_factory=list)

    def close(self, timeout: float = 10.0) -> None:
        """Terminate (then kill) the browser and remove a temp profile we created."""
        terminate(self.proc, timeout)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def launch(url: str = "about:blank", *, profile: Path | None = None, headless: bool | None = None,
           block_network: bool = False, extra: list[str] | None = None) -> LaunchedBrowser:
    """Start the browser on ``url`` with the extension; a fresh temp profile unless one is given."""
    binary = find_browser()
    scratch = None
    if profile is None:
        scratch = Path(tempfile.mkdtemp(prefix="sbbr", dir="/tmp"))
        profile = scratch / "profile"
    profile.mkdir(parents=True, exist_ok=True)
    install_host_manifest(profile)
    args = chromium_args(profile, headless=headless, block_network=block_network, extra=extra)
    env = browser_env(scratch or profile)
    proc = subprocess.Popen([binary, *args, url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return LaunchedBrowser(proc, profile, scratch, args)


_background: LaunchedBrowser | None = None


async def launch_background() -> LaunchedBrowser:
    """Start the browser for scheduled work when none is connected (the scheduler's
    ``no_browser: launch``): the profile in ``SWARMBRIDGE_BROWSER_PROFILE`` (e.g. a copy of the
    user's own, for logged-in sessions), else SwarmBridge's own persistent profile, so logins made
    there stay; headless when there is no display. At most one at a time; it is left running."""
    import asyncio
    import os

    from ..paths import user_paths

    global _background
    if _background is not None and _background.proc.poll() is None:
        return _background
    profile = Path(os.environ.get("SWARMBRIDGE_BROWSER_PROFILE") or user_paths().data_dir / "browser-profile")
    _background = await asyncio.to_thread(launch, profile=profile)
    return _background
