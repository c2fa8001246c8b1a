"""Settings in config.toml: validation at the boundary, round trip, env overrides, atomic writes,
and bad input (or a bad file) that changes nothing."""

from __future__ import annotations

import os
import tomllib

import pytest

from swarmbridge import config as cfgmod
from swarmbridge.settings import FieldErrors, Settings, SettingsStore

BASE = """# my models
[endpoints.local]
base_url = "http://127.0.0.1:11434/v1"
model = "qwen"

[roles]
worker = "local"
"""


@pytest.fixture
def store(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text(BASE)
    return SettingsStore(p, {})


def test_defaults_then_round_trip_keeps_endpoints(store) -> None:
    s, sources = store.settings()
    assert s == Settings() and s.tab_concurrency == 8 and sources == {"tabConcurrency": "default", "searchEngine": "default"}
    got = store.update({"tabConcurrency": 3, "searchEngine": "bing"})
    assert (got.tab_concurrency, got.search_engine) == (3, "bing")
    data = tomllib.loads(store.path.read_text())
    assert data["settings"] == {"tab_concurrency": 3, "search_engine": "bing"}
    assert data["endpoints"]["local"]["model"] == "qwen" and data["roles"]["worker"] == "local"
    assert store.settings()[1] == {"tabConcurrency": "file", "searchEngine": "file"}
    # a partial change keeps the other setting; file names are accepted as well as wire names
    assert store.update({"tab_concurrency": 5}).search_engine == "bing"
    # back to a default: the line leaves the file
    store.update({"searchEngine": "duckduckgo"})
    assert tomllib.loads(store.path.read_text())["settings"] == {"tab_concurrency": 5}


def test_models_cli_save_keeps_settings(store) -> None:
    """`swarmbridge models add` rewrites the file through config.save: the [settings] survive."""
    store.update({"tabConcurrency": 2})
    cfg = cfgmod.load(store.path, {})
    cfg.endpoints["other"] = cfgmod.Endpoint(base_url="http://127.0.0.1:1/v1", model="m")
    cfgmod.save(store.path, cfg)
    assert store.settings()[0].tab_concurrency == 2


@pytest.mark.parametrize(
    ("patch", "field", "words"),
    [
        ({"tabConcurrency": 0}, "tabConcurrency", "1 to 32"),
        ({"tabConcurrency": 33}, "tabConcurrency", "1 to 32"),
        ({"tabConcurrency": "many"}, "tabConcurrency", "not 'many'"),
        ({"tabConcurrency": ""}, "tabConcurrency", "whole number"),
        ({"tabConcurrency": 2.5}, "tabConcurrency", "whole number"),
        ({"tabConcurrency": True}, "tabConcurrency", "whole number"),
        ({"searchEngine": "altavista"}, "searchEngine", "duckduckgo, google, bing"),
        ({"searchEngine": "https://s.example/?q="}, "searchEngine", "{q}"),
        ({"searchEngine": "javascript:alert(1)//{q}"}, "searchEngine", "URL template"),
        ({"colour": "red"}, "colour", "not a setting"),
    ],
)
def test_bad_values_are_named_and_change_nothing(store, patch, field, words) -> None:
    store.update({"tabConcurrency": 4})
    before = store.path.read_bytes()
    with pytest.raises(FieldErrors) as err:
        store.update({**patch})
    assert field in err.value.fields and words in err.value.fields[field]
    assert store.path.read_bytes() == before


def test_one_bad_value_refuses_the_whole_change(store) -> None:
    with pytest.raises(FieldErrors) as err:
        store.update({"tabConcurrency": 6, "searchEngine": "nope"})
    assert list(err.value.fields) == ["searchEngine"]
    assert store.settings()[0].tab_concurrency == 8


def test_custom_engine_template_and_numeric_text(store) -> None:
    got = store.update({"searchEngine": " https://search.example/find?q={q} ", "tabConcurrency": "12"})
    assert got.search_engine == "https://search.example/find?q={q}" and got.tab_concurrency == 12


def test_empty_patch_is_an_error(store) -> None:
    with pytest.raises(FieldErrors, match="at least one"):
        store.update({})


def test_env_wins_and_is_never_persisted(tmp_path) -> None:
    p = tmp_path / "config.toml"
    s = SettingsStore(p, {"SWARMBRIDGE_SETTINGS__TAB_CONCURRENCY": "6"})
    got, sources = s.settings()
    assert got.tab_concurrency == 6 and sources["tabConcurrency"] == "env"
    s.update({"searchEngine": "google"})
    assert tomllib.loads(p.read_text())["settings"] == {"search_engine": "google"}, "the env value stays out of the file"
    s.update({"tabConcurrency": 3})
    assert s.settings()[0].tab_concurrency == 6 and SettingsStore(p, {}).settings()[0].tab_concurrency == 3


def test_bad_env_value_is_a_clear_config_error(tmp_path) -> None:
    s = SettingsStore(tmp_path / "config.toml", {"SWARMBRIDGE_SETTINGS__TAB_CONCURRENCY": "lots"})
    with pytest.raises(cfgmod.ConfigError, match="tabConcurrency"):
        s.settings()


def test_broken_file_is_never_overwritten(store) -> None:
    store.path.write_text("[settings\ntab_concurrency = 3\n")
    before = store.path.read_bytes()
    with pytest.raises(cfgmod.ConfigError, match="not valid TOML"):
        store.update({"tabConcurrency": 4})
    assert store.path.read_bytes() == before


def test_hand_edited_bad_setting_is_named_with_the_file(store) -> None:
    store.path.write_text(BASE + "\n[settings]\ntab_concurrency = 0\n")
    with pytest.raises(cfgmod.ConfigError) as err:
        store.settings()
    assert str(store.path) in str(err.value) and "tabConcurrency" in str(err.value)
    store.update({"tabConcurrency": 2})  # setting it fixes the file
    assert store.settings()[0].tab_concurrency == 2


def test_write_is_atomic_with_a_backup(store, monkeypatch) -> None:
    store.update({"tabConcurrency": 4})
    first = store.path.read_text()
    real_replace = os.replace

    def crash(src, dst):  # the process dies between writing the temp file and renaming it
        raise OSError("disk went away")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.update({"tabConcurrency": 9})
    monkeypatch.setattr(os, "replace", real_replace)
    assert store.path.read_text() == first, "the live file is whole: old content, never half-written"
    assert store.settings()[0].tab_concurrency == 4
    store.update({"tabConcurrency": 7})
    assert "tab_concurrency = 4" in store.path.with_name("config.toml.bak").read_text()


def test_public_surface() -> None:
    import swarmbridge.settings as pkg

    assert pkg.__all__ == sorted(pkg.__all__)
    assert set(pkg.__all__) == {"ENGINES", "EndpointsAPI", "FieldErrors", "KeyStore", "MAX_TABS", "Settings", "SettingsComponent", "SettingsStore"}
