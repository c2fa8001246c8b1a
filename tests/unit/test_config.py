"""User config: validation errors name file/line/key and the fix; env overrides; atomic save."""

from __future__ import annotations

import pytest

from swarmbridge.config import Config, ConfigError, Endpoint, RoleRef, api_key, load, save

GOOD = """
[endpoints.local]
base_url = "http://127.0.0.1:11434/v1"
model = "qwen2.5:7b"
rpm = 60

[endpoints.pool]
base_urls = ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8002/v1"]
model = "m"
api_key_env = "MY_KEY"

[roles]
worker = "pool"
planner = { endpoint = "local", model = "big" }
"""


def test_load_good_and_roles(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(GOOD)
    cfg = load(p, environ={})
    assert cfg.role("worker")[1].urls() == ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8002/v1"]
    assert cfg.role("planner")[2] == "big"
    assert cfg.role("writer")[0] == "local"  # falls back to the first endpoint
    assert api_key(cfg.endpoints["pool"], {"MY_KEY": "sk-1"}) == "sk-1"


def test_missing_file_is_empty(tmp_path) -> None:
    assert load(tmp_path / "none.toml", environ={}).endpoints == {}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[endpoints.a]\nbase_url = "ftp://x"\nmodel = "m"\n', ":2: endpoints.a.base_url"),
        ('[endpoints.a]\nbase_url = "http://x"\nmodel = "m"\ntool_mode = "magic"\n', ":4: endpoints.a.tool_mode"),
        ('[endpoints.a]\nmodel = "m"\n', "set base_url"),
        ('[endpoints.a]\nbase_url = "http://x"\nmodel = "m"\n[roles]\nworker = "b"\n', "endpoint 'b', which is not defined"),
        ('[endpoints.a]\nbase_url = "http://x"\nmodel = "m"\nmax_concurrency = 0\n', ":4: endpoints.a.max_concurrency"),
        ("[endpoints.a\n", "not valid TOML"),
    ],
)
def test_bad_config_errors_name_file_line_key(tmp_path, text, needle) -> None:
    p = tmp_path / "config.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        load(p, environ={})
    assert str(p) in str(e.value) and needle in str(e.value)


def test_env_overrides(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(GOOD)
    cfg = load(p, environ={"SWARMBRIDGE_ENDPOINTS__LOCAL__MODEL": "llama3", "SWARMBRIDGE_ROLES__WORKER": "local",
                           "SWARMBRIDGE_ENDPOINTS__NEW__BASE_URLS": "http://a:1/v1, http://b:2/v1", "SWARMBRIDGE_ENDPOINTS__NEW__MODEL": "n"})
    assert cfg.endpoints["local"].model == "llama3" and cfg.roles["worker"].endpoint == "local"
    assert cfg.endpoints["new"].urls() == ["http://a:1/v1", "http://b:2/v1"]


def test_save_atomic_with_backup_roundtrip(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(GOOD)
    cfg = load(p, environ={})
    cfg.endpoints["x"] = Endpoint(base_url="http://127.0.0.1:9/v1", model='we"ird', tool_mode="json")
    cfg.roles["writer"] = RoleRef(endpoint="x")
    save(p, cfg)
    assert (tmp_path / "config.toml.bak").read_text() == GOOD
    again = load(p, environ={})
    assert again == cfg
    assert not list(tmp_path.glob("*.tmp"))


def test_save_refuses_invalid_and_keeps_file(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(GOOD)
    bad = Config.model_construct(endpoints={"a": Endpoint.model_construct(base_url=None, base_urls=[], model="m")}, roles={})
    with pytest.raises(Exception):
        save(p, bad)
    assert p.read_text() == GOOD
