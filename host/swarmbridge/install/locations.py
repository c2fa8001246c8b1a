"""Where each browser looks for native-messaging host manifests, per OS. Pure: the platform and
home directory are parameters, so every OS is testable on any machine.

Sources: /work/shared/notes/browser-testing.md (measured on Chromium here) and the browsers' docs.
Windows browsers do not scan a folder: the (Default) value of a registry key names the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

BROWSERS = ("chrome", "chromium", "edge", "brave", "vivaldi", "firefox")
CHROMIUM_FAMILY = frozenset(BROWSERS) - {"firefox"}

_LINUX_USER = {
    "chrome": ".config/google-chrome",
    "chromium": ".config/chromium",
    "edge": ".config/microsoft-edge",
    "brave": ".config/BraveSoftware/Brave-Browser",
    "vivaldi": ".config/vivaldi",
}
_LINUX_SYSTEM = {
    "chrome": "/etc/opt/chrome/native-messaging-hosts",
    "chromium": "/etc/chromium/native-messaging-hosts",
    "edge": "/etc/opt/edge/native-messaging-hosts",
    "brave": "/etc/opt/chrome/native-messaging-hosts",  # Brave and Vivaldi read Chrome's system dir
    "vivaldi": "/etc/opt/chrome/native-messaging-hosts",
    "firefox": "/usr/lib/mozilla/native-messaging-hosts",
}
_MAC_USER = {
    "chrome": "Library/Application Support/Google/Chrome",
    "chromium": "Library/Application Support/Chromium",
    "edge": "Library/Application Support/Microsoft Edge",
    "brave": "Library/Application Support/BraveSoftware/Brave-Browser",
    "vivaldi": "Library/Application Support/Vivaldi",
}
_MAC_SYSTEM = {
    "chrome": "/Library/Google/Chrome/NativeMessagingHosts",
    "chromium": "/Library/Application Support/Chromium/NativeMessagingHosts",
    "edge": "/Library/Microsoft/Edge/NativeMessagingHosts",
    "brave": "/Library/Google/Chrome/NativeMessagingHosts",
    "vivaldi": "/Library/Google/Chrome/NativeMessagingHosts",
    "firefox": "/Library/Application Support/Mozilla/NativeMessagingHosts",
}
_WIN_VENDOR = {
    "chrome": r"Google\Chrome",
    "chromium": "Chromium",
    "edge": r"Microsoft\Edge",
    "brave": r"BraveSoftware\Brave-Browser",
    "vivaldi": "Vivaldi",
    "firefox": "Mozilla",
}
#: Where a user's browser profile data lives (to tell which browsers are installed), Linux.
LINUX_PROFILE_DIRS = {**_LINUX_USER, "firefox": ".mozilla"}
MAC_PROFILE_DIRS = {**_MAC_USER, "firefox": "Library/Application Support/Firefox"}


@dataclass(frozen=True)
class Target:
    """Where one browser's manifest goes: a folder the browser scans, and on Windows the
    registry key (under HKCU or HKLM) whose default value must name the manifest file."""

    browser: str
    manifest_dir: PurePath
    registry_key: str | None = None
    registry_root: str = "HKCU"


def platform_key(platform: str) -> str:
    if platform.startswith("linux"):
        return "linux"
    if platform == "darwin":
        return "darwin"
    if platform in ("win32", "cygwin"):
        return "win32"
    raise ValueError(f"unsupported platform {platform!r}")


def target(browser: str, platform: str, home: PurePath, *, system: bool = False, data_dir: PurePath | None = None) -> Target:
    """The install target for ``browser`` on ``platform`` (``sys.platform`` values)."""
    if browser not in BROWSERS:
        raise ValueError(f"unknown browser {browser!r}; choose from {', '.join(BROWSERS)}")
    key = platform_key(platform)
    if key == "linux":
        if system:
            return Target(browser, PurePosixPath(_LINUX_SYSTEM[browser]))
        sub = ".mozilla/native-messaging-hosts" if browser == "firefox" else f"{_LINUX_USER[browser]}/NativeMessagingHosts"
        return Target(browser, PurePosixPath(home) / sub)
    if key == "darwin":
        if system:
            return Target(browser, PurePosixPath(_MAC_SYSTEM[browser]))
        sub = "Library/Application Support/Mozilla/NativeMessagingHosts" if browser == "firefox" else f"{_MAC_USER[browser]}/NativeMessagingHosts"
        return Target(browser, PurePosixPath(home) / sub)
    # Windows: the manifest lives in our own data dir; the registry points at it.
    base = data_dir if data_dir is not None else PureWindowsPath(home) / "AppData" / "Local" / "swarmbridge"
    from . import HOST_NAME

    reg = rf"SOFTWARE\{_WIN_VENDOR[browser]}\NativeMessagingHosts\{HOST_NAME}"
    return Target(browser, base / "native-messaging" / browser, reg, "HKLM" if system else "HKCU")


def user_data_dir_target(user_data_dir: Path, browser: str = "chromium") -> Target:
    """A custom ``--user-data-dir`` profile: Chromium reads ``<dir>/NativeMessagingHosts``."""
    return Target(browser, Path(user_data_dir) / "NativeMessagingHosts")


def profile_dir(browser: str, platform: str, home: PurePath) -> PurePath | None:
    """The browser's per-user profile folder (exists when the browser has been used)."""
    key = platform_key(platform)
    table = LINUX_PROFILE_DIRS if key == "linux" else MAC_PROFILE_DIRS if key == "darwin" else None
    return PurePath(home) / table[browser] if table else None
