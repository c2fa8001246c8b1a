"""Path-jail attacks: none of these may read or write outside the mount or into protected places."""

import os
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swarmbridge.sandbox.jail import JailError, Mount, check_writable, open_file, resolve, split


@pytest.fixture
def mount(tmp_path):
    root = tmp_path / "mnt"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    os.symlink(tmp_path, root / "escape")
    os.symlink(root / "docs", root / "docs-link")
    os.mkfifo(root / "fifo")
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(root / "sock"))
    yield Mount("m", root, writable=True)
    s.close()


ATTACKS = [
    "../secret.txt", "docs/../../secret.txt", "/etc/passwd", "~/x", "docs/./../../secret.txt",
    "link.txt", "escape/secret.txt", "docs-link/a.txt", "fifo", "sock", "docs", "docs/a.txt\x00.png",
    "C:\\Windows\\win.ini", "..\\secret.txt", "docs/a.txt:stream", "docs/a.txt.", "docs/a.txt ",
    "\\\\server\\share\\x", "docs/\n", "nope.txt",
]


@pytest.mark.parametrize("path", ATTACKS)
def test_attacks_are_refused(mount, path):
    with pytest.raises(JailError):
        open_file(mount, path).close()


def test_the_legitimate_path_works(mount):
    with open_file(mount, "docs/a.txt") as f:
        assert f.read() == b"inside"
    assert resolve(mount, "docs/a.txt") == mount.root.resolve() / "docs" / "a.txt"


def test_a_symlink_swapped_in_after_the_check_is_not_followed(mount):
    parts = split("docs/a.txt")
    os.rename(mount.root / "docs", mount.root / "docs-real")
    os.symlink(mount.root.parent, mount.root / "docs")  # now "docs" points outside
    with pytest.raises(JailError, match="link"):
        open_file(mount, "/".join(parts)).close()


@pytest.mark.parametrize("path", ["NativeMessagingHosts/dev.swarmbridge.host.json", "Default/Preferences", "Default/Secure Preferences", "Local State", "nativemessaginghosts/x.json"])
def test_browser_settings_are_never_written(mount, path):
    with pytest.raises(JailError, match="never written"):
        check_writable(mount, split(path))


def test_our_own_config_is_never_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SWARMBRIDGE_HOME", str(tmp_path / "home"))
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    m = Mount("h", home, writable=True)
    for p in ("config/config.toml", "config", "run/daemon.sock", "data/swarmbridge.db"):
        with pytest.raises(JailError, match="never written"):
            check_writable(m, split(p))
    m2 = Mount("whole", tmp_path, writable=True)
    with pytest.raises(JailError, match="never written"):
        check_writable(m2, split("home"))


def test_read_only_mounts_refuse_writes(mount):
    with pytest.raises(JailError, match="read-only"):
        check_writable(Mount("ro", mount.root, writable=False), split("docs/new.txt"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("ab./\\:~\x00 ") + ["..", "escape", "link.txt", "docs", "a.txt", "fifo"]), max_size=12).map("".join))
def test_no_generated_path_reads_outside(mount, rel):
    try:
        with open_file(mount, rel) as f:
            data = f.read()
    except JailError:
        return
    assert data == b"inside", f"{rel!r} read something other than the one file inside"
