"""The options page for real: opened in headless Chromium with the real extension and a real
daemon. Every section round-trips: set in the page -> visible through the daemon's methods, the CLI
and config.toml; set through the daemon -> shown after a reload. "Test connection" passes against
the scripted model server (real openai client) and fails with a clear message against a closed
port; bad input shows its error next to the field and changes nothing. The service worker follows
the tab cap and search engine. Screenshot in the artefact folder for review."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from relaykit import PY, wait_until
from selenium.webdriver.common.by import By
from test_popup_browser import driver  # noqa: F401 (fixture)
from test_real_chromium import bridges

from swarmbridge.extension_id import extension_id
from swarmbridge.paths import user_paths
from swarmbridge.rpc.client import call
from swarmbridge.rpc.router import RpcError
from swarmbridge.sandbox.subproc import terminate

ARTIFACTS = Path(os.environ.get("SWARMBRIDGE_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts")
PAGE = "src/ui/options/options.html"


@pytest.fixture
def model_url() -> Iterator[str]:
    """The scripted OpenAI-compatible server in a process of its own."""
    srv = subprocess.Popen([PY, "-m", "swarmbridge.testing.scripted_server", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(srv.stdout.readline())["base_url"]  # type: ignore[union-attr]
    finally:
        terminate(srv)
        srv.stdout.close()  # type: ignore[union-attr]


#: A real keyring backend for the daemon process (loaded by the ``keyring`` library through
#: PYTHON_KEYRING_BACKEND), keeping entries in the daemon's memory: this machine has no OS keyring.
KEYRING_MODULE = """
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1
    entries = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)
"""


@pytest.fixture
def daemon_keyring(tmp_path: Path, monkeypatch) -> None:
    """Give the daemon started after this fixture an in-memory keyring backend."""
    mod = tmp_path / "kr"
    mod.mkdir()
    (mod / "sbtest_keyring.py").write_text(KEYRING_MODULE)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(mod), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "sbtest_keyring.MemoryKeyring")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text(drv, css: str) -> str:
    return drv.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css)


def value(drv, css: str) -> str:
    return drv.execute_script("const e = document.querySelector(arguments[0]); return e ? e.value : null;", css)


def put(drv, css: str, v: str) -> None:
    """Replace an input's text the way a person does (select all, type)."""
    e = drv.find_element(By.CSS_SELECTOR, css)
    e.clear()
    e.send_keys(v)


def click(drv, css: str) -> None:
    drv.find_element(By.CSS_SELECTOR, css).click()


def save_card(drv, card: str) -> None:
    """Click the card's Save and wait until the page has drawn the saved list again (every card is
    replaced then), so the next edit goes into the new card, not one about to be thrown away."""
    drv.execute_script("document.querySelector(arguments[0]).dataset.beforeSave = '1'", card)
    click(drv, f"{card} .ep-save")
    wait_until(lambda: drv.execute_script("const f = document.querySelector(arguments[0]); return !!f && !f.dataset.beforeSave", card), 10, "the endpoint list to be drawn again")


def config() -> dict:
    return tomllib.loads(user_paths().config_file.read_text())


def cli(*args: str) -> dict:
    res = subprocess.run([PY, "-m", "swarmbridge.cli.main", *args], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def sw_state(drv) -> dict:
    """What the service worker follows: its swarm-tab cap (session storage) and default engine."""
    return drv.execute_async_script("""const done = arguments[0];
        Promise.all([chrome.storage.session.get('swarmTabs'), chrome.storage.local.get('searchEngine')])
          .then(([s, l]) => done({cap: (s.swarmTabs || {}).cap, engine: l.searchEngine}));""")


def open_page(drv) -> None:
    drv.get(f"chrome-extension://{extension_id()}/{PAGE}")
    wait_until(lambda: text(drv, "#status") == "connected", 10, "the options page to connect")
    wait_until(lambda: value(drv, "#tab-concurrency"), 10, "the settings to load")


@pytest.mark.browser
def test_models_and_browser_settings_round_trip(driver, model_url) -> None:  # noqa: F811
    wait_until(bridges, 20, "the extension to connect")
    driver.set_window_size(1000, 1500)
    # the popup's Settings button opens this page in a tab
    driver.get(f"chrome-extension://{extension_id()}/src/ui/popup/popup.html")
    click(driver, "#open-options")  # (ChromeDriver does not list a tab the extension opens: ask the extension)
    tab = wait_until(lambda: [t for t in call("browser.tabs.list", {})["tabs"] if t["url"].endswith(PAGE) and t["title"] == "SwarmBridge settings"], 10, "the options tab")[0]
    assert tab["active"] and not tab["swarm"]
    open_page(driver)
    assert value(driver, "#tab-concurrency") == "8" and value(driver, "#search-engine") == "duckduckgo"

    # browser settings: page -> daemon, TOML, and the service worker
    put(driver, "#tab-concurrency", "3")
    driver.find_element(By.CSS_SELECTOR, "#search-engine option[value=bing]").click()
    click(driver, "#browser-save")
    wait_until(lambda: "browser follows it now" in text(driver, "#browser-msg"), 10, "the save")
    assert call("settings.get", {})["settings"] == {"tabConcurrency": 3, "searchEngine": "bing"}
    assert config()["settings"] == {"tab_concurrency": 3, "search_engine": "bing"}
    assert cli("settings", "--json")["sources"] == {"tabConcurrency": "file", "searchEngine": "file"}
    assert sw_state(driver) == {"cap": 3, "engine": "bing"}
    # bad input: shown next to the field, nothing changes
    put(driver, "#tab-concurrency", "0")
    click(driver, "#browser-save")
    wait_until(lambda: "1 to 32" in text(driver, "#err-tabConcurrency"), 10, "the tab count's error")
    assert driver.find_element(By.ID, "tab-concurrency").get_attribute("aria-invalid") == "true"
    driver.find_element(By.CSS_SELECTOR, "#search-engine option[value=custom]").click()
    put(driver, "#search-url", "ftp://search.example/?q={q}")
    put(driver, "#tab-concurrency", "4")
    click(driver, "#browser-save")
    wait_until(lambda: "URL template" in text(driver, "#err-searchEngine"), 10, "the engine's error")
    assert text(driver, "#err-tabConcurrency") == ""
    assert call("settings.get", {})["settings"] == {"tabConcurrency": 3, "searchEngine": "bing"}, "one bad field refuses the whole save"
    # CLI -> daemon -> page (after a reload) and -> service worker (pushed)
    assert cli("settings", "set", "tab_concurrency=5", "search_engine=https://search.example/?q={q}", "--json")["bridges"]
    wait_until(lambda: sw_state(driver) == {"cap": 5, "engine": "https://search.example/?q={q}"}, 10, "the worker to follow the daemon")
    open_page(driver)
    assert value(driver, "#tab-concurrency") == "5" and value(driver, "#search-engine") == "custom"
    # the cap really gates swarm tabs: at 1 a second open queues; raising it lets the queued one through
    call("settings.set", {"settings": {"tabConcurrency": 1}})
    call("browser.tabs.open", {"url": "about:blank", "caller": "cap-a"})
    with pytest.raises(RpcError, match="timeout|no reply|did not answer"):
        call("browser.tabs.open", {"url": "about:blank", "caller": "cap-b", "timeoutS": 1.5}, timeout=10)
    call("settings.set", {"settings": {"tabConcurrency": 5}})
    wait_until(lambda: any(t.get("caller") == "cap-b" for t in call("browser.tabs.list", {})["tabs"]), 10, "the queued tab to open")
    for caller in ("cap-a", "cap-b"):
        call("browser.tabs.close", {"caller": caller})
    assert value(driver, "#search-url") == "https://search.example/?q={q}"

    # a new endpoint: saved to config.toml, seen by the CLI; test connection passes
    new = '#endpoints form[data-endpoint=""]'
    put(driver, f"{new} .ep-name", "local")
    put(driver, f"{new} .ep-url", model_url)
    put(driver, f"{new} .ep-model", "scripted")
    click(driver, f"{new} .ep-save")
    card = '#endpoints form[data-endpoint="local"]'
    wait_until(lambda: value(driver, f"{card} .ep-url") == model_url, 10, "the saved endpoint's card")
    assert config()["endpoints"]["local"] == {"base_url": model_url, "model": "scripted"}
    listed = cli("models", "list", "--json")
    assert listed["endpoints"]["local"]["base_url"] == model_url and listed["roles"]["planner"]["endpoint"] == "local"
    assert "not set" in text(driver, f"{card} .ep-keystate")
    # prices (USD per million tokens) so runs show their cost; emptied again: unknown, not free
    put(driver, f"{card} .ep-in-price", "2.5")
    put(driver, f"{card} .ep-out-price", "10")
    save_card(driver, card)
    assert config()["endpoints"]["local"]["output_price"] == 10.0 and config()["endpoints"]["local"]["input_price"] == 2.5
    assert value(driver, f"{card} .ep-in-price") == "2.5", "the card drawn again shows what was saved"
    put(driver, f"{card} .ep-in-price", "")
    put(driver, f"{card} .ep-out-price", "")
    save_card(driver, card)
    assert "output_price" not in config()["endpoints"]["local"] and "input_price" not in config()["endpoints"]["local"]
    click(driver, f"{card} .ep-test")
    wait_until(lambda: text(driver, f"{card} .ep-result").startswith("Connected"), 30, "the connection test")
    # against a closed port: a clear failure naming the address
    port = closed_port()
    put(driver, f"{card} .ep-url", f"http://127.0.0.1:{port}/v1")
    click(driver, f"{card} .ep-test")
    wait_until(lambda: text(driver, f"{card} .ep-result").startswith("Connection failed"), 30, "the failed test")
    assert f"127.0.0.1:{port}" in text(driver, f"{card} .ep-result") and "onnect" in text(driver, f"{card} .ep-result")
    # a bad URL: error at the field, the file unchanged
    before = user_paths().config_file.read_bytes()
    put(driver, f"{card} .ep-url", "not a url")
    click(driver, f"{card} .ep-save")
    wait_until(lambda: "http(s) URL" in text(driver, f'{card} .err[data-for="baseUrl"]'), 10, "the URL's error")
    assert user_paths().config_file.read_bytes() == before
    # an API key with no OS keyring on this machine: refused at the field, nothing stored
    put(driver, f"{card} .ep-url", model_url)
    put(driver, f"{card} .ep-key", "sk-secret-value")
    click(driver, f"{card} .ep-save")
    wait_until(lambda: "keyring" in text(driver, f'{card} .err[data-for="apiKey"]'), 10, "the key's error")
    assert "sk-secret-value" not in user_paths().config_file.read_text()

    # model per role: page -> CLI
    driver.find_element(By.CSS_SELECTOR, "#role-verifier option[value=local]").click()
    click(driver, "#roles-save")
    wait_until(lambda: "Roles saved" in text(driver, "#roles-msg"), 10, "the roles to save")
    assert config()["roles"] == {"verifier": "local"}
    # daemon -> page: an endpoint added through the daemon shows after a reload, its role too
    call("models.endpoints.set", {"name": "remote", "baseUrl": "https://api.example/v1", "model": "big"})
    call("models.roles.set", {"roles": {"writer": "remote"}})
    open_page(driver)
    wait_until(lambda: value(driver, '#endpoints form[data-endpoint="remote"] .ep-model') == "big", 10, "the daemon's endpoint")
    assert value(driver, "#role-writer") == "remote" and value(driver, "#role-verifier") == "local"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "options.png"))
    click(driver, '#endpoints form[data-endpoint="remote"] .ep-remove')
    wait_until(lambda: not driver.find_elements(By.CSS_SELECTOR, '#endpoints form[data-endpoint="remote"]'), 10, "the removal")
    assert "remote" not in config()["endpoints"] and "writer" not in config()["roles"]


@pytest.fixture
def preset_settings(sb_home: Path, monkeypatch) -> None:
    """Settings in config.toml before the daemon (and so the browser) starts; one overridden by
    the daemon's environment."""
    monkeypatch.setenv("SWARMBRIDGE_SETTINGS__SEARCH_ENGINE", "bing")
    user_paths().config_file.parent.mkdir(parents=True, exist_ok=True)
    user_paths().config_file.write_text('# set by hand\n[settings]\ntab_concurrency = 2\nsearch_engine = "google"\n')


@pytest.mark.browser
def test_keys_policy_folders_and_profiles_round_trip(preset_settings, daemon_keyring, driver, tmp_path: Path) -> None:  # noqa: F811
    wait_until(bridges, 20, "the extension to connect")
    driver.set_window_size(1000, 1500)
    open_page(driver)
    # the service worker read the settings itself when it connected (nothing was pushed)
    wait_until(lambda: sw_state(driver) == {"cap": 2, "engine": "bing"}, 10, "the worker to read the settings on connect")
    assert value(driver, "#tab-concurrency") == "2" and value(driver, "#search-engine") == "bing"
    assert "environment" in text(driver, "#browser-msg") and "searchEngine" in text(driver, "#browser-msg")

    # with a keyring, an API key is kept there: the page and the daemon say only "set"
    new = '#endpoints form[data-endpoint=""]'
    put(driver, f"{new} .ep-name", "cloud")
    put(driver, f"{new} .ep-url", "https://api.example/v1")
    put(driver, f"{new} .ep-model", "big")
    put(driver, f"{new} .ep-key", "sk-from-the-page-42")
    click(driver, f"{new} .ep-save")
    card = '#endpoints form[data-endpoint="cloud"]'
    wait_until(lambda: text(driver, f"{card} .ep-keystate") == "set", 10, "the key to be saved")
    assert value(driver, f"{card} .ep-key") == "" and "sk-from-the-page-42" not in driver.page_source
    assert "sk-from-the-page-42" not in user_paths().config_file.read_text()
    assert config()["endpoints"]["cloud"]["api_key_keyring"] == "swarmbridge/endpoint-cloud/api_key"
    assert call("models.endpoints.list", {})["endpoints"][0]["apiKey"] == "set"
    click(driver, f"{card} .ep-clear")
    click(driver, f"{card} .ep-save")
    wait_until(lambda: text(driver, f"{card} .ep-keystate") == "not set", 10, "the key to be removed")
    assert "api_key_keyring" not in config()["endpoints"]["cloud"]
    assert user_paths().config_file.read_text().startswith("# set by hand\n[settings]"), "the person's lines stay as written"

    # approval policy and site lists
    driver.find_element(By.CSS_SELECTOR, "#policy-mode option[value=read_only]").click()
    put(driver, "#allow-sites", "shop.example\n")
    put(driver, "#deny-sites", "evil.example")
    put(driver, "#allow-folders", str(tmp_path))
    click(driver, "#policy-save")
    wait_until(lambda: "Policy saved" in text(driver, "#policy-msg"), 10, "the policy to save")
    assert call("policies.list", {})["policies"][""] == {"mode": "read_only", "allowSites": ["shop.example"], "allowFolders": [str(tmp_path)], "denySites": ["evil.example"]}
    denied = call("approvals.request", {"tool": "browser.read", "summary": "read a page", "risk": "read", "preview": {"url": "https://www.evil.example/x"}, "wait": False})
    assert denied["approved"] is False and "denied site" in denied["reason"]
    put(driver, "#deny-sites", "https://evil.example/path")
    click(driver, "#policy-save")
    wait_until(lambda: "not a site" in text(driver, "#err-denySites"), 10, "the site's error")
    assert call("policies.list", {})["policies"][""]["denySites"] == ["evil.example"]
    call("policies.set", {"origin": "", "policy": {"mode": "allow", "allowSites": ["docs.example"]}})
    call("policies.set", {"origin": "schedule:nightly", "policy": {"mode": "read_only"}})
    open_page(driver)
    wait_until(lambda: value(driver, "#policy-mode") == "allow", 10, "the daemon's policy")
    assert value(driver, "#allow-sites") == "docs.example" and "schedule:nightly" in text(driver, "#other-policies")

    # mounted folders: read-only vs read-write, unmount; a relative path is refused at the field
    put(driver, "#mount-name", "notes")
    put(driver, "#mount-path", "relative/dir")
    click(driver, "#mount-add")
    wait_until(lambda: "absolute" in text(driver, "#err-mount-path"), 10, "the path's error")
    assert call("mounts.list", {})["mounts"] == []
    put(driver, "#mount-path", str(tmp_path))
    click(driver, "#mount-rw")
    click(driver, "#mount-add")
    wait_until(lambda: "read-write" in text(driver, '#mounts li[data-mount="notes"]'), 10, "the mount")
    assert call("mounts.list", {})["mounts"] == [{"name": "notes", "root": os.path.realpath(tmp_path), "writable": True}]
    call("mounts.add", {"name": "ro", "path": str(tmp_path)})
    open_page(driver)
    wait_until(lambda: "read-only" in text(driver, '#mounts li[data-mount="ro"]'), 10, "the daemon's mount")
    click(driver, '#mounts li[data-mount="notes"] button')
    wait_until(lambda: not driver.find_elements(By.CSS_SELECTOR, '#mounts li[data-mount="notes"]'), 10, "the unmount")
    assert [m["name"] for m in call("mounts.list", {})["mounts"]] == ["ro"]

    # autofill profiles: payment data off by default; edit; remove
    put(driver, "#profile-name", "home")
    put(driver, "#profile-fields", "given-name = Ada\nemail = ada@example.org\ncc-number = 4111111111111111")
    put(driver, "#profile-shipping", "postal-code = 94016")
    click(driver, "#profile-save")
    wait_until(lambda: "payment fields (cc-number) are off" in text(driver, "#err-profile-fields"), 10, "the payment refusal")
    assert call("autofill.profiles.list", {})["profiles"] == []
    put(driver, "#profile-fields", "given-name = Ada\nemail = ada@example.org\nfavourite = blue")
    click(driver, "#profile-save")
    wait_until(lambda: "autocomplete field name" in text(driver, "#err-profile-fields"), 10, "the daemon's field error")
    put(driver, "#profile-fields", "given-name = Ada\nemail = ada@example.org\ncc-number = 4111111111111111")
    click(driver, "#profile-payment")
    click(driver, "#profile-save")
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '#profiles li[data-profile="home"]'), 10, "the saved profile")
    got = call("autofill.profiles.get", {"name": "home"})
    assert got["fields"] == {"given-name": "Ada", "email": "ada@example.org"} and got["shipping"] == {"postal-code": "94016"}
    assert got["secretFields"] == ["cc-number"], "the card number went to the keyring, not the profile"
    call("autofill.profiles.set", {"name": "work", "fields": {"organization": "Analytical Engines"}})
    open_page(driver)
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '#profiles li[data-profile="work"]'), 10, "the daemon's profile")
    click(driver, '#profiles li[data-profile="work"] button.edit')
    wait_until(lambda: value(driver, "#profile-fields") == "organization = Analytical Engines", 10, "the profile in the editor")
    click(driver, '#profiles li[data-profile="home"] button.remove')
    wait_until(lambda: not driver.find_elements(By.CSS_SELECTOR, '#profiles li[data-profile="home"]'), 10, "the removal")
    assert [p["name"] for p in call("autofill.profiles.list", {})["profiles"]] == ["work"]
    driver.save_screenshot(str(ARTIFACTS / "options-policy.png"))
