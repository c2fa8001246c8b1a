"""The relay's pure parts: who is calling, which ids are allowed, its frames, its imports."""

from __future__ import annotations

import json
import subprocess
import sys

from swarmbridge.extension_id import extension_id
from swarmbridge.nativehost.relay import ALLOWED_FILE, allowed_ids, caller_id, error_frame, event_frame
from swarmbridge.paths import user_paths
from swarmbridge.protocol import envelope


def test_caller_id_from_chrome_and_firefox_arguments():
    assert caller_id(["chrome-extension://abc/"]) == "abc"
    assert caller_id(["chrome-extension://abc/", "--parent-window=7"]) == "abc"
    assert caller_id(["/path/dev.swarmbridge.host.json", "me@example.org"]) == "me@example.org"
    assert caller_id([]) is None
    assert caller_id(["chrome-extension:///"]) is None
    assert caller_id(["--something"]) is None


def test_allowed_ids_merge_the_file_and_the_repo_extension(sb_home):
    paths = user_paths().ensure()
    assert allowed_ids(paths) == {extension_id()}
    (paths.config_dir / ALLOWED_FILE).write_text(json.dumps({"extensionIds": ["x@y", 5, ""]}))
    assert allowed_ids(paths) == {extension_id(), "x@y"}
    (paths.config_dir / ALLOWED_FILE).write_text("garbage")
    assert allowed_ids(paths) == {extension_id()}


def test_relay_frames_are_valid_envelopes():
    err = envelope.decode(error_frame("r1", "forbidden", "no"))
    assert (err.id, err.error.code) == ("r1", "forbidden")
    ev = envelope.decode(event_frame("bridge.daemon_available"))
    assert ev.kind == "event" and ev.method == "bridge.daemon_available"
    assert envelope.decode(event_frame("x")).id != ev.id


def test_relay_imports_nothing_heavy(sb_home):
    code = "import sys, swarmbridge.nativehost.relay as r; print(sorted(m for m in ('msgspec','pydantic','openai','httpx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_big_host_log_is_rotated_at_start(sb_home):
    paths = user_paths().ensure()
    log = paths.log_dir / "host.log"
    log.write_bytes(b"x" * 5_000_001)
    out = subprocess.run([sys.executable, "-m", "swarmbridge.nativehost", "chrome-extension://stranger/"], input=b"", capture_output=True)
    assert out.returncode == 1
    assert (paths.log_dir / "host.log.1").stat().st_size == 5_000_001
    assert "refused caller 'stranger'" in log.read_text()
