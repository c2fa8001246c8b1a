"""Install targets per browser per OS, install/uninstall with a fake home and a fake registry."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from swarmbridge.extension_id import extension_id
from swarmbridge.install import FIREFOX_EXTENSION_ID, HOST_NAME
from swarmbridge.install.installer import Scope, install, uninstall
from swarmbridge.install.locations import BROWSERS, target
from swarmbridge.install.registry import FakeRegistry
from swarmbridge.paths import user_paths

HOME = PurePosixPath("/home/u")


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        ("chrome", "/home/u/.config/google-chrome/NativeMessagingHosts"),
        ("chromium", "/home/u/.config/chromium/NativeMessagingHosts"),
        ("edge", "/home/u/.config/microsoft-edge/NativeMessagingHosts"),
        ("brave", "/home/u/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts"),
        ("vivaldi", "/home/u/.config/vivaldi/NativeMessagingHosts"),
        ("firefox", "/home/u/.mozilla/native-messaging-hosts"),
    ],
)
def test_linux_user_locations(browser, expected):
    assert str(target(browser, "linux", HOME).manifest_dir) == expected


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        ("chrome", "/Users/u/Library/Application Support/Google/Chrome/NativeMessagingHosts"),
        ("chromium", "/Users/u/Library/Application Support/Chromium/NativeMessagingHosts"),
        ("edge", "/Users/u/Library/Application Support/Microsoft Edge/NativeMessagingHosts"),
        ("firefox", "/Users/u/Library/Application Support/Mozilla/NativeMessagingHosts"),
    ],
)
def test_macos_user_locations(browser, expected):
    assert str(target(browser, "darwin", PurePosixPath("/Users/u")).manifest_dir) == expected


def test_system_locations():
    assert str(target("chromium", "linux", HOME, system=True).manifest_dir) == "/etc/chromium/native-messaging-hosts"
    assert str(target("chrome", "linux", HOME, system=True).manifest_dir) == "/etc/opt/chrome/native-messaging-hosts"
    assert str(target("firefox", "darwin", HOME, system=True).manifest_dir) == "/Library/Application Support/Mozilla/NativeMessagingHosts"


def test_windows_registry_keys():
    home = PureWindowsPath(r"C:\Users\u")
    keys = {b: target(b, "win32", home) for b in BROWSERS}
    assert keys["chrome"].registry_key == rf"SOFTWARE\Google\Chrome\NativeMessagingHosts\{HOST_NAME}"
    assert keys["edge"].registry_key == rf"SOFTWARE\Microsoft\Edge\NativeMessagingHosts\{HOST_NAME}"
    assert keys["firefox"].registry_key == rf"SOFTWARE\Mozilla\NativeMessagingHosts\{HOST_NAME}"
    assert all(t.registry_root == "HKCU" for t in keys.values())
    assert str(keys["chrome"].manifest_dir) == r"C:\Users\u\AppData\Local\swarmbridge\native-messaging\chrome"
    assert target("chrome", "win32", home, system=True).registry_root == "HKLM"


def test_unknown_browser_and_platform_are_refused():
    with pytest.raises(ValueError, match="unknown browser"):
        target("netscape", "linux", HOME)
    with pytest.raises(ValueError, match="unsupported platform"):
        target("chrome", "haiku", HOME)


def test_install_linux_writes_manifests_launcher_and_allowed_ids(sb_home, tmp_path):
    paths = user_paths()
    res = install(["all"], Scope(paths, tmp_path, "linux"))
    assert len(res.manifests) == len(BROWSERS)
    chrome = json.loads((tmp_path / ".config/google-chrome/NativeMessagingHosts" / f"{HOST_NAME}.json").read_bytes())
    assert chrome["allowed_origins"] == [f"chrome-extension://{extension_id()}/"]
    assert chrome["path"] == str(res.launcher) and os.path.isabs(chrome["path"])
    ff = json.loads((tmp_path / ".mozilla/native-messaging-hosts" / f"{HOST_NAME}.json").read_bytes())
    assert ff["allowed_extensions"] == [FIREFOX_EXTENSION_ID]
    assert not (tmp_path / ".mozilla/native-messaging-hosts" / f"{HOST_NAME}.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert os.access(res.launcher, os.X_OK)
    assert "-m swarmbridge.nativehost" in res.launcher.read_text()
    allowed = json.loads((paths.config_dir / "allowed-extensions.json").read_text())["extensionIds"]
    assert set(allowed) == {extension_id(), FIREFOX_EXTENSION_ID}
    gone = uninstall(["all"], Scope(paths, tmp_path, "linux"))
    assert len(gone.removed) == len(BROWSERS)
    assert not list(tmp_path.rglob(f"{HOST_NAME}.json"))


def test_install_user_data_dir(sb_home, tmp_path):
    res = install(["chromium"], Scope(user_paths(), tmp_path, "linux", user_data_dir=tmp_path / "prof"))
    assert res.manifests == [tmp_path / "prof" / "NativeMessagingHosts" / f"{HOST_NAME}.json"]


def test_install_windows_uses_the_registry_seam(sb_home, tmp_path):
    reg = FakeRegistry()
    paths = user_paths()
    res = install(["chrome", "firefox"], Scope(paths, tmp_path, "win32", registry=reg))
    key = rf"SOFTWARE\Google\Chrome\NativeMessagingHosts\{HOST_NAME}"
    assert reg.get_default("HKCU", key) == str(res.manifests[0])
    assert Path(reg.get_default("HKCU", key)).exists()
    assert res.launcher.name == "swarmbridge-host.bat"
    assert res.launcher.read_bytes().startswith(b"@echo off\r\n")
    uninstall(["chrome", "firefox"], Scope(paths, tmp_path, "win32", registry=reg))
    assert reg.values == {}


def test_user_service_files(tmp_path, monkeypatch):
    import plistlib

    from swarmbridge.install.service import launchd_plist, remove_service, systemd_unit, write_service

    unit = systemd_unit(python="/opt/py/bin/python", sb_home="/tmp/h")
    assert "ExecStart=/opt/py/bin/python -m swarmbridge.cli.main daemon --quiet" in unit
    assert "Environment=SWARMBRIDGE_HOME=/tmp/h" in unit
    plist = plistlib.loads(launchd_plist(python="/opt/py/bin/python", sb_home=""))
    assert plist["ProgramArguments"][:3] == ["/opt/py/bin/python", "-m", "swarmbridge.cli.main"]
    assert "EnvironmentVariables" not in plist
    assert write_service(tmp_path, "linux") == tmp_path / ".config/systemd/user/swarmbridge.service"
    assert write_service(tmp_path, "darwin").name == "dev.swarmbridge.daemon.plist"
    with pytest.raises(ValueError):
        write_service(tmp_path, "win32")
    assert len(remove_service(tmp_path)) == 2
