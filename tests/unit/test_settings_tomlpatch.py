"""Saving from the options page keeps a hand-written config.toml's comments and layout where it
can, and never changes data it was not asked to (checked by re-parsing, property-tested)."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from swarmbridge import config as cfgmod
from swarmbridge.settings import SettingsStore
from swarmbridge.settings.tomlpatch import patch

HAND = """# SwarmBridge config, written by hand
# (keep this header)

# the GPU box
[endpoints.local]
base_url = "http://127.0.0.1:11434/v1"   # ollama
model = "qwen"

# a cloud fallback
[endpoints.cloud]
base_url = "https://api.example/v1"
model = "big"
api_key_env = "CLOUD_KEY"

[roles]
planner = "cloud"  # the big one plans
"""


def test_a_settings_change_keeps_every_comment(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(HAND)
    SettingsStore(p, {}).update({"tabConcurrency": 4})
    text = p.read_text()
    assert text.startswith(HAND.rstrip("\n")), "everything before is untouched"
    assert tomllib.loads(text)["settings"] == {"tab_concurrency": 4}
    SettingsStore(p, {}).update({"tabConcurrency": 6})
    assert text.replace("tab_concurrency = 4", "tab_concurrency = 6") == p.read_text()


def test_an_endpoint_change_rewrites_only_that_table(tmp_path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(HAND)
    store = SettingsStore(p, {})

    def change(cfg: cfgmod.Config) -> None:
        cfg.endpoints["cloud"] = cfg.endpoints["cloud"].model_copy(update={"model": "bigger"})

    store.edit(change)
    text = p.read_text()
    for kept in ("# SwarmBridge config, written by hand", "# the GPU box", "# ollama", "# a cloud fallback", "# the big one plans"):
        assert kept in text
    assert tomllib.loads(text)["endpoints"]["cloud"] == {"base_url": "https://api.example/v1", "model": "bigger", "api_key_env": "CLOUD_KEY"}

    def remove(cfg: cfgmod.Config) -> None:
        del cfg.endpoints["local"]

    store.edit(remove)
    text = p.read_text()
    assert "# the GPU box" not in text and "ollama" not in text, "a removed table goes with its comment"
    assert "# a cloud fallback" in text and "# the big one plans" in text and "# (keep this header)" in text


def test_files_it_cannot_splice_are_written_whole() -> None:
    inline = 'endpoints = { local = { base_url = "http://127.0.0.1:1/v1", model = "m" } }\n'
    new = '[endpoints.local]\nbase_url = "http://127.0.0.1:1/v1"\nmodel = "m2"\n'
    assert patch(inline, new) is None
    assert patch("[roles]\nworker = 'a'\n[roles]\n", new) is None, "not even TOML"
    assert patch("", new) == new


names = st.sampled_from(["a", "b", "c", "gpu-box"])
endpoint = st.fixed_dictionaries({"base_url": st.sampled_from(["http://127.0.0.1:1/v1", "https://api.example/v1"]),
                                  "model": st.text("abcxyz:.", min_size=1, max_size=6)},
                                 optional={"rpm": st.integers(0, 100), "api_key_env": st.sampled_from(["K1", "K2"])})
configs = st.fixed_dictionaries({"endpoints": st.dictionaries(names, endpoint, max_size=3)},
                                optional={"settings": st.fixed_dictionaries({}, optional={"tab_concurrency": st.integers(1, 32),
                                                                                          "search_engine": st.sampled_from(["bing", "google"])})})


@settings(max_examples=60, deadline=None)
@given(before=configs, after=configs, comments=st.lists(st.sampled_from(["# note", "", "# another # note"]), max_size=3))
def test_patch_never_changes_data(before, after, comments) -> None:
    old = cfgmod.Config.model_validate(before)
    new = cfgmod.Config.model_validate(after)
    original = "\n".join(comments) + "\n" + cfgmod.dumps(old).replace("\n[", "\n# about the next table\n[")
    new_text = cfgmod.dumps(new)
    got = patch(original, new_text)
    assert got is not None, "files this module writes itself can always be spliced"
    assert tomllib.loads(got) == tomllib.loads(new_text)


def test_models_cli_keeps_comments_too(tmp_path) -> None:
    """`swarmbridge models add` saves through the same config.save."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(HAND)
    env = dict(os.environ, SWARMBRIDGE_HOME=str(home))
    res = subprocess.run([sys.executable, "-m", "swarmbridge.cli.main", "models", "add", "extra", "--base-url", "http://127.0.0.1:9/v1", "--model", "x"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    text = (home / "config" / "config.toml").read_text()
    assert text.startswith(HAND.rstrip("\n")) and tomllib.loads(text)["endpoints"]["extra"]["model"] == "x"
