"""``swarmbridge models`` as a real subprocess against a real scripted server subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from swarmbridge.llm import probe
from swarmbridge.testing import ScriptedServer


def _cli(home, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SWARMBRIDGE_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "models", *args], env=env, capture_output=True, text=True, timeout=30)


def test_add_list_test_remove(tmp_path) -> None:
    srv = subprocess.Popen([sys.executable, "-m", "swarmbridge.testing.scripted_server", "--port", "0", "--text-tools"], stdout=subprocess.PIPE, text=True)
    try:
        url = json.loads(srv.stdout.readline())["base_url"]
        r = _cli(tmp_path, "add", "local", "--base-url", url, "--model", "scripted", "--api-key-env", "NOPE_KEY", "--role", "worker")
        assert r.returncode == 0, r.stderr
        text = (tmp_path / "config" / "config.toml").read_text()
        assert "NOPE_KEY" in text and "api_key =" not in text
        r = _cli(tmp_path, "list", "--json")
        data = json.loads(r.stdout)
        assert data["endpoints"]["local"]["model"] == "scripted" and data["roles"]["worker"]["endpoint"] == "local"
        r = _cli(tmp_path, "test", "local", "--json")
        res = json.loads(r.stdout)
        assert r.returncode == 0 and res["ok"] and res["tool_mode"] == "json" and res["latency_s"] >= 0
        assert _cli(tmp_path, "test", "ghost").returncode == 1
        assert _cli(tmp_path, "remove", "local").returncode == 0
        assert json.loads(_cli(tmp_path, "list", "--json").stdout)["endpoints"] == {}
        assert (tmp_path / "config" / "config.toml.bak").exists()
    finally:
        srv.kill()
        srv.wait()
        srv.stdout.close()


def test_bad_config_is_reported_not_clobbered(tmp_path) -> None:
    cfg = tmp_path / "config" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('[endpoints.a]\nbase_url = "nope"\nmodel = "m"\n')
    r = _cli(tmp_path, "add", "b", "--base-url", "http://127.0.0.1:9/v1", "--model", "m")
    assert r.returncode == 1 and f"{cfg}:2: endpoints.a.base_url" in r.stderr
    assert cfg.read_text() == '[endpoints.a]\nbase_url = "nope"\nmodel = "m"\n'


async def test_detect_finds_a_server_on_a_known_port_shape() -> None:
    async with ScriptedServer(model="qwen-test") as url:
        port = int(url.split(":")[2].split("/")[0])
        found = await probe.detect({"lmstudio": port, "vllm": 1})
    assert [f["kind"] for f in found] == ["lmstudio"] and found[0]["models"] == ["qwen-test"]
    assert "scripted" not in probe.KNOWN
