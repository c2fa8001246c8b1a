"""models.endpoints.* and settings.* through the daemon's router: keys only in the keyring (never
echoed), validation named per field, nothing changed on bad input, "test connection" against the
real scripted server (through the real openai client) and against a closed port, and settings
pushed to every connected browser."""

from __future__ import annotations

import asyncio
import socket
import tomllib
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from swarmbridge import config as cfgmod
from swarmbridge.daemon.services import Services
from swarmbridge.paths import Paths
from swarmbridge.protocol.envelope import Error, request
from swarmbridge.rpc.router import CallContext, Router, RpcError
from swarmbridge.settings import SettingsComponent
from swarmbridge.testing import ScriptedServer

SECRET = "sk-very-secret-123"


class MemoryKeyring(KeyringBackend):
    """A real keyring backend (the ``keyring`` API end to end) that keeps entries in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


class FakeLink:
    """The daemon's BrowserLink seam: two bridges, one of which cannot apply settings."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict, str | None]] = []

    def bridges(self) -> list[dict[str, Any]]:
        return [{"bridgeId": "b1"}, {"bridgeId": "b2"}]

    async def call(self, method: str, params: dict | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        self.calls.append((method, dict(params or {}), bridge))
        if bridge == "b2":
            raise RpcError("method_not_found", "the extension has no command browser.settings.apply")
        return params


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, dict]] = []

    def publish(self, method: str, params: dict) -> None:
        self.seen.append((method, params))


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


class Daemon:
    """The settings component on a real router, with the shapes the daemon gives it."""

    def __init__(self, home: Path) -> None:
        self.paths = Paths(config_dir=home / "c", data_dir=home / "d", log_dir=home / "l", runtime_dir=home / "r").ensure()
        self.router = Router()
        self.link = FakeLink()
        self.events = Events()
        self.applied: list[cfgmod.Config] = []
        self.services = Services(paths=self.paths, router=self.router, events=self.events, browser=self.link, approver=None)  # type: ignore[arg-type]
        self.services.extras["models.apply"] = lambda cfg: self.applied.append(cfg) or True

    async def start(self) -> "Daemon":
        async with asyncio.TaskGroup() as tg:
            await SettingsComponent().start(self.services, tg)
        return self

    @property
    def file(self) -> Path:
        return self.paths.config_file

    async def call(self, method: str, params: dict | None = None) -> Any:
        reply = await self.router.dispatch(request(method, params or {}), CallContext("t"))
        if isinstance(reply.error, Error):
            raise RpcError(reply.error.code, reply.error.message, reply.error.data)
        return reply.result


@pytest.fixture
async def daemon(tmp_path) -> Daemon:
    return await Daemon(tmp_path).start()


async def test_key_goes_to_the_keyring_and_is_never_echoed(daemon, memory_keyring) -> None:
    got = await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example/v1", "model": "big", "apiKey": SECRET})
    assert SECRET not in repr(got)
    [ep] = got["endpoints"]
    assert ep["apiKey"] == "set" and ep["keySource"] == "keyring" and ep["baseUrl"] == "https://api.example/v1"
    assert SECRET not in daemon.file.read_text(), "keys never touch the file"
    assert list(memory_keyring.entries.values()) == [SECRET]
    assert cfgmod.api_key(cfgmod.load(daemon.file, {}).endpoints["cloud"]) == SECRET, "config.py reads it back from the keyring"
    listed = await daemon.call("models.endpoints.list")
    assert SECRET not in repr(listed) and listed["endpoints"][0]["apiKey"] == "set"
    # saving again without a key keeps it; clearKey removes it from the file and the keyring
    await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example/v2", "model": "big"})
    assert (await daemon.call("models.endpoints.list"))["endpoints"][0]["apiKey"] == "set"
    got = await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example/v2", "model": "big", "clearKey": True})
    assert got["endpoints"][0]["apiKey"] == "not set" and memory_keyring.entries == {}
    assert "api_key_keyring" not in daemon.file.read_text()
    assert daemon.applied and daemon.applied[-1].endpoints["cloud"].base_url == "https://api.example/v2"


async def test_without_a_keyring_a_key_is_refused_and_nothing_saved(daemon, no_keyring) -> None:
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example/v1", "model": "big", "apiKey": SECRET})
    assert err.value.code == "invalid_params" and "keyring" in err.value.data["fields"]["apiKey"]
    assert "environment variable" in err.value.data["fields"]["apiKey"]
    assert not daemon.file.exists()
    listed = await daemon.call("models.endpoints.list")
    assert listed["keyring"] is False and "keyring" in listed["keyringProblem"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"name": "x", "baseUrl": "ftp://h/v1", "model": "m"}, "baseUrl", "http(s) URL"),
        ({"name": "x", "baseUrl": "not a url", "model": "m"}, "baseUrl", "http(s) URL"),
        ({"name": "bad name!", "baseUrl": "http://127.0.0.1:1/v1", "model": "m"}, "name", "letters, digits"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": ""}, "model", "at least 1"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1"}, "model", "required"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": "m", "toolMode": "magic"}, "toolMode", "auto, native or json"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": "m", "extra": 1}, "extra", "not a setting"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": "m", "inputPrice": -1}, "inputPrice", "greater than or equal to 0"),
        ({"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": "m", "outputPrice": "cheap"}, "outputPrice", "valid number"),
    ],
)
async def test_bad_endpoint_input_is_named_and_changes_nothing(daemon, params, field, words) -> None:
    await daemon.call("models.endpoints.set", {"name": "local", "baseUrl": "http://127.0.0.1:11434/v1", "model": "qwen"})
    before = daemon.file.read_bytes()
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.set", params)
    assert err.value.code == "invalid_params" and words in err.value.data["fields"][field]
    assert daemon.file.read_bytes() == before


async def test_existing_fields_survive_an_edit(daemon) -> None:
    daemon.file.write_text('[endpoints.local]\nbase_url = "http://127.0.0.1:11434/v1"\nmodel = "q"\nrpm = 60\napi_key_env = "MY_KEY"\n')
    got = await daemon.call("models.endpoints.set", {"name": "local", "baseUrl": "http://127.0.0.1:8080/v1", "model": "q2"})
    assert got["endpoints"][0]["keySource"] == "env:MY_KEY"
    saved = tomllib.loads(daemon.file.read_text())["endpoints"]["local"]
    assert saved == {"base_url": "http://127.0.0.1:8080/v1", "model": "q2", "rpm": 60, "api_key_env": "MY_KEY"}


async def test_prices_are_set_kept_and_cleared(daemon) -> None:
    got = await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example.com/v1", "model": "m", "inputPrice": 3, "outputPrice": 15})
    assert (got["endpoints"][0]["inputPrice"], got["endpoints"][0]["outputPrice"]) == (3.0, 15.0)
    await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example.com/v1", "model": "m2"})  # prices not sent: kept
    assert tomllib.loads(daemon.file.read_text())["endpoints"]["cloud"] == {"base_url": "https://api.example.com/v1", "model": "m2", "input_price": 3.0, "output_price": 15.0}
    got = await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": "https://api.example.com/v1", "model": "m2", "inputPrice": None, "outputPrice": None})
    assert got["endpoints"][0]["inputPrice"] is None and "input_price" not in daemon.file.read_text()
    assert cfgmod.load(daemon.file).endpoints["cloud"].prices() is None


async def test_roles_and_remove(daemon, memory_keyring) -> None:
    for n in ("a", "b"):
        await daemon.call("models.endpoints.set", {"name": n, "baseUrl": f"http://127.0.0.1:1/{n}", "model": n, "apiKey": f"k-{n}"})
    got = await daemon.call("models.roles.set", {"roles": {"planner": "b", "worker": "a", "verifier": None}})
    assert got["roles"] == {"planner": "b", "worker": "a", "verifier": None, "writer": None}
    assert got["effectiveRoles"]["writer"] == "a", "an unset role falls back to the first endpoint"
    assert tomllib.loads(daemon.file.read_text())["roles"] == {"planner": "b", "worker": "a"}
    before = daemon.file.read_bytes()
    with pytest.raises(RpcError) as err:
        await daemon.call("models.roles.set", {"roles": {"writer": "nope"}})
    assert "no endpoint named 'nope'" in err.value.data["fields"]["writer"] and daemon.file.read_bytes() == before
    with pytest.raises(RpcError) as err:
        await daemon.call("models.roles.set", {"roles": {"boss": "a"}})
    assert "not a role" in err.value.data["fields"]["roles"]
    got = await daemon.call("models.endpoints.remove", {"name": "b"})
    assert [e["name"] for e in got["endpoints"]] == ["a"] and got["roles"]["planner"] is None
    assert list(memory_keyring.entries.values()) == ["k-a"], "the removed endpoint's key leaves the keyring"
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.remove", {"name": "b"})
    assert err.value.code == "not_found"


async def test_connection_test_against_scripted_server_and_closed_port(daemon) -> None:
    async with ScriptedServer() as url:
        await daemon.call("models.endpoints.set", {"name": "local", "baseUrl": "http://127.0.0.1:9/v1", "model": "scripted"})
        # the saved URL is wrong; the form's unsaved URL is what gets tested
        ok = await daemon.call("models.endpoints.test", {"name": "local", "baseUrl": url, "model": "scripted"})
        assert ok["ok"] is True and ok["tool_mode"] in ("native", "json") and ok["latency_s"] >= 0
        fresh = await daemon.call("models.endpoints.test", {"baseUrl": url, "model": "scripted"})
        assert fresh["ok"] is True
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]  # bound, never listening: connections are refused
        bad = await asyncio.wait_for(daemon.call("models.endpoints.test", {"baseUrl": f"http://127.0.0.1:{closed}/v1", "model": "m"}), 10)
    assert bad["ok"] is False and f"127.0.0.1:{closed}" in bad["error"] and "onnect" in bad["error"]
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.test", {"name": "missing"})
    assert "no endpoint named 'missing'" in err.value.data["fields"]["name"]
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.test", {"baseUrl": "gopher://x", "model": "m"})
    assert "baseUrl" in err.value.data["fields"]


async def test_settings_set_pushes_to_every_bridge_and_reports_each(daemon) -> None:
    got = await daemon.call("settings.get")
    assert got["settings"] == {"tabConcurrency": 8, "searchEngine": "duckduckgo"} and got["file"] == str(daemon.file)
    got = await daemon.call("settings.set", {"settings": {"tabConcurrency": 3, "searchEngine": "bing"}})
    assert got["settings"] == {"tabConcurrency": 3, "searchEngine": "bing"}
    assert got["bridges"]["b1"] == "applied" and got["bridges"]["b2"].startswith("not applied")
    assert [(m, p, b) for m, p, b in daemon.link.calls] == [("browser.settings.apply", {"tabConcurrency": 3, "searchEngine": "bing"}, "b1"),
                                                           ("browser.settings.apply", {"tabConcurrency": 3, "searchEngine": "bing"}, "b2")]
    assert ("settings.changed", {"settings": got["settings"]}) in daemon.events.seen
    daemon.link.calls.clear()
    with pytest.raises(RpcError) as err:
        await daemon.call("settings.set", {"settings": {"tabConcurrency": "0"}})
    assert err.value.code == "invalid_params" and "1 to 32" in err.value.data["fields"]["tabConcurrency"]
    assert daemon.link.calls == [], "a refused change is not pushed"
    assert (await daemon.call("settings.get"))["settings"]["tabConcurrency"] == 3


async def test_broken_config_file_is_reported_not_replaced(daemon) -> None:
    daemon.file.parent.mkdir(parents=True, exist_ok=True)
    daemon.file.write_text("[endpoints.local\n")
    for method, params in [("settings.get", {}), ("settings.set", {"tabConcurrency": 2}),
                           ("models.endpoints.set", {"name": "x", "baseUrl": "http://127.0.0.1:1/v1", "model": "m"})]:
        with pytest.raises(RpcError) as err:
            await daemon.call(method, params)
        assert err.value.code == "internal_error" and "not valid TOML" in err.value.message and str(daemon.file) in err.value.message
    assert daemon.file.read_text() == "[endpoints.local\n"


async def test_saved_endpoints_apply_to_the_running_models_without_a_restart(tmp_path) -> None:
    """The real models component: a role's model follows the options page's change on its next call."""
    from swarmbridge.llm.component import ModelsComponent

    one, two = ScriptedServer(model="one"), ScriptedServer(model="two")
    await one.start()
    await two.start()
    d = Daemon(tmp_path)
    d.services.extras.pop("models.apply")
    d.file.write_text(f'[endpoints.local]\nbase_url = "{one.base_url}"\nmodel = "one"\n')
    models = ModelsComponent()
    try:
        async with asyncio.TaskGroup() as tg:
            await models.start(d.services, tg)
            await SettingsComponent().start(d.services, tg)
        swarm_model = d.services.extras["model"]  # what the swarm holds from its start
        msgs = [{"role": "system", "content": "ROLE: worker\nanswer"}, {"role": "user", "content": "hi"}]
        await swarm_model.complete(msgs)
        got = await d.call("models.endpoints.set", {"name": "local", "baseUrl": two.base_url, "model": "two"})
        assert got["restartNeeded"] is False
        await swarm_model.complete(msgs)
        assert [r["model"] for r in one.requests] == ["one"] and [r["model"] for r in two.requests] == ["two"]
    finally:
        await models.stop()
        await one.close()
        await two.close()


async def test_first_endpoint_on_a_daemon_started_without_one_says_restart(tmp_path) -> None:
    from swarmbridge.llm.component import ModelsComponent

    d = Daemon(tmp_path)
    d.services.extras.pop("models.apply")
    models = ModelsComponent()
    async with asyncio.TaskGroup() as tg:
        await models.start(d.services, tg)
        await SettingsComponent().start(d.services, tg)
    assert d.services.extras["model"] is None
    got = await d.call("models.endpoints.set", {"name": "local", "baseUrl": "http://127.0.0.1:9/v1", "model": "m"})
    assert got["restartNeeded"] is True, "the swarm took None at start"
    assert d.services.extras["model"] is not None, "autofill and the grader, which read it per use, get it now"
    await models.stop()


async def test_a_pool_of_servers_round_trips(daemon) -> None:
    daemon.file.write_text('[endpoints.pool]\nbase_urls = ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8002/v1"]\nmodel = "m"\n')
    listed = await daemon.call("models.endpoints.list")
    assert listed["endpoints"][0]["baseUrls"] == ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8002/v1"]
    # the page sends the pool back as one comma-separated field: it stays a pool
    await daemon.call("models.endpoints.set", {"name": "pool", "baseUrl": "http://127.0.0.1:8001/v1, http://127.0.0.1:8003/v1", "model": "m2"})
    saved = tomllib.loads(daemon.file.read_text())["endpoints"]["pool"]
    assert saved == {"base_urls": ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8003/v1"], "model": "m2"}
    await daemon.call("models.endpoints.set", {"name": "pool", "baseUrl": "http://127.0.0.1:8001/v1", "model": "m2"})
    assert tomllib.loads(daemon.file.read_text())["endpoints"]["pool"] == {"base_url": "http://127.0.0.1:8001/v1", "model": "m2"}
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.set", {"name": "pool", "baseUrl": "http://127.0.0.1:8001/v1, nope", "model": "m2"})
    assert "'nope' is not an http(s) URL" in err.value.data["fields"]["baseUrl"]
    with pytest.raises(RpcError) as err:
        await daemon.call("models.endpoints.set", {"name": "pool", "baseUrl": "  ", "model": "m2"})
    assert "base URL" in err.value.data["fields"]["baseUrl"]


async def test_concurrent_changes_are_all_kept(daemon) -> None:
    """Each change is a read-modify-write of one file: run at once, none may overwrite another."""
    await asyncio.gather(
        daemon.call("settings.set", {"settings": {"tabConcurrency": 3}}),
        daemon.call("settings.set", {"settings": {"searchEngine": "google"}}),
        *(daemon.call("models.endpoints.set", {"name": f"e{i}", "baseUrl": f"http://127.0.0.1:{9000 + i}/v1", "model": "m"}) for i in range(6)),
    )
    saved = tomllib.loads(daemon.file.read_text())
    assert saved["settings"] == {"tab_concurrency": 3, "search_engine": "google"}
    assert sorted(saved["endpoints"]) == [f"e{i}" for i in range(6)]


async def test_a_typed_key_is_tested_once_and_not_saved(daemon, memory_keyring) -> None:
    """A server that refuses every key: the test sends the key typed in the form (else the saved
    one), reports the refusal clearly, and stores nothing."""
    seen: list[str] = []

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        seen.extend(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("authorization:"))
        body = b'{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}'
        writer.write(b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"
    try:
        await daemon.call("models.endpoints.set", {"name": "cloud", "baseUrl": url, "model": "big", "apiKey": "sk-saved"})
        typed = await daemon.call("models.endpoints.test", {"name": "cloud", "apiKey": "sk-typed"})
        saved = await daemon.call("models.endpoints.test", {"name": "cloud"})
    finally:
        server.close()
        await server.wait_closed()
    assert seen == ["Bearer sk-typed", "Bearer sk-saved"]
    assert typed["ok"] is False and "401" in typed["error"] and "Incorrect API key" in typed["error"]
    assert list(memory_keyring.entries.values()) == ["sk-saved"], "a tested key is not stored"
    assert "sk-typed" not in daemon.file.read_text()
