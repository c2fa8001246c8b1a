"""``doctor``'s manifest and launcher checks find each broken case and name a fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from swarmbridge.install import HOST_NAME
from swarmbridge.install.checks import check_launcher, check_manifest, check_sandboxed_browsers
from swarmbridge.install.installer import Scope, install
from swarmbridge.paths import user_paths

EXT = "a" * 32


@pytest.fixture
def good(tmp_path) -> tuple[Path, dict]:
    exe = tmp_path / "host"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    manifest = {"name": HOST_NAME, "description": "x", "path": str(exe), "type": "stdio", "allowed_origins": [f"chrome-extension://{EXT}/"]}
    return tmp_path / f"{HOST_NAME}.json", manifest


def write(path: Path, manifest: dict, prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + json.dumps(manifest).encode())
    return path


def fails(findings) -> str:
    bad = [f for f in findings if f.level == "fail"]
    assert bad, findings
    assert all(f.fix for f in bad)
    return " ".join(f.detail for f in bad)


def test_good_manifest_passes(good):
    path, m = good
    assert [f.level for f in check_manifest(write(path, m), browser="chromium", expected_id=EXT)] == ["ok"]


def test_missing(good):
    path, _ = good
    assert "missing" in fails(check_manifest(path, browser="chrome", expected_id=EXT))


def test_bom(good):
    path, m = good
    assert "BOM" in fails(check_manifest(write(path, m, b"\xef\xbb\xbf"), browser="chrome", expected_id=EXT))


def test_not_json(good):
    path, _ = good
    path.write_text("{nope")
    assert "not valid JSON" in fails(check_manifest(path, browser="chrome", expected_id=EXT))


def test_file_name_differs_from_name(good):
    path, m = good
    other = path.with_name("other.json")
    assert "differs from name" in fails(check_manifest(write(other, m), browser="chrome", expected_id=EXT))


def test_relative_path(good):
    path, m = good
    assert "not absolute" in fails(check_manifest(write(path, m | {"path": "host"}), browser="chrome", expected_id=EXT))


def test_not_executable(good):
    path, m = good
    os.chmod(m["path"], 0o644)
    assert "not executable" in fails(check_manifest(write(path, m), browser="chrome", expected_id=EXT))


def test_origin_without_trailing_slash(good):
    path, m = good
    m["allowed_origins"] = [f"chrome-extension://{EXT}"]
    assert "trailing '/'" in fails(check_manifest(write(path, m), browser="chrome", expected_id=EXT))


def test_wrong_extension_id(good):
    path, m = good
    assert "lacks" in fails(check_manifest(write(path, m), browser="chrome", expected_id="b" * 32))


def test_firefox_needs_allowed_extensions(good):
    path, m = good
    assert "allowed_extensions" in fails(check_manifest(write(path, m), browser="firefox", expected_id="x@y"))


def test_launcher_written_by_install_runs_and_refuses_strangers(sb_home, tmp_path):
    res = install(["chromium"], Scope(user_paths(), tmp_path, "linux"))
    assert check_launcher(str(res.launcher)).level == "ok"


def test_launcher_with_stray_stdout_is_caught(tmp_path):
    exe = tmp_path / "noisy"
    exe.write_text("#!/bin/sh\necho hello\n")
    exe.chmod(0o755)
    finding = check_launcher(str(exe))
    assert finding.level == "fail"


def test_sandboxed_browsers_are_named(tmp_path):
    (tmp_path / ".var/app/org.chromium.Chromium").mkdir(parents=True)
    (tmp_path / "snap/firefox").mkdir(parents=True)
    found = {f.what: f.level for f in check_sandboxed_browsers(tmp_path)}
    assert found == {"flatpak browser org.chromium.Chromium": "warn", "snap browser firefox": "ok"}


def test_runtime_dir_and_socket_permissions(tmp_path):
    from swarmbridge.install.checks import check_runtime_dir

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    sock = run / "daemon.sock"
    sock.write_text("")
    sock.chmod(0o600)
    assert [f.level for f in check_runtime_dir(run, str(sock))] == ["ok"]
    run.chmod(0o755)
    sock.chmod(0o666)
    found = check_runtime_dir(run, str(sock))
    assert [f.level for f in found] == ["fail", "fail"] and all("chmod" in f.fix or "delete" in f.fix for f in found)


def test_doctor_command_end_to_end(sb_home, tmp_path, capsys):
    from swarmbridge.cli.main import main

    profile = tmp_path / "prof"
    assert main(["install", "--user-data-dir", str(profile)]) == 0
    capsys.readouterr()
    code = main(["doctor", "--user-data-dir", str(profile), "--browser", "chromium"])
    out = capsys.readouterr().out
    assert code == 1  # no daemon running here
    assert "[ok  ] chromium manifest" in out and "[ok  ] launcher" in out
    assert "[FAIL] daemon" in out and "fix: start it with `swarmbridge daemon`" in out
    (profile / "NativeMessagingHosts" / f"{HOST_NAME}.json").write_bytes(b"\xef\xbb\xbf{}")
    main(["doctor", "--user-data-dir", str(profile), "--browser", "chromium"])
    assert "BOM" in capsys.readouterr().out


def test_policies_that_stop_the_host_are_named(tmp_path):
    from swarmbridge.install.checks import check_policies

    d = tmp_path / "managed"
    d.mkdir()
    (d / "a.json").write_text(json.dumps({"NativeMessagingUserLevelHosts": False}))
    (d / "b.json").write_text(json.dumps({"NativeMessagingBlocklist": ["*"]}))
    (d / "c.json").write_text(json.dumps({"NativeMessagingBlocklist": ["*"], "NativeMessagingAllowlist": [HOST_NAME]}))
    (d / "d.json").write_text("not json")
    found = check_policies((d, tmp_path / "absent"))
    assert [(Path(f.what.split()[-1]).name, f.level) for f in found] == [("a.json", "fail"), ("b.json", "fail")]
    assert "--system" in found[0].fix and "Allowlist" in found[1].fix
