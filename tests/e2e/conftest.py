"""E2E fixtures: one real bridge per module (the demo's own `private_bridge`: a daemon subprocess
in a short temp SWARMBRIDGE_HOME, headless Chromium started by the product's launcher with the real
extension and the native host manifest in its profile) and the bundled site. If Chromium cannot
start, the fixture raises and the tests FAIL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from swarmbridge.browser.launch import LaunchedBrowser
from swarmbridge.demo.runner import private_bridge
from swarmbridge.demo.site import serve_site
from swarmbridge.rpc.client import call


class Bridge:
    """A live daemon + browser pair; `call` sends one RPC to the daemon."""

    def __init__(self, browser: LaunchedBrowser) -> None:
        self.browser = browser

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> Any:
        return call(method, params or {}, timeout=timeout)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as base:
        yield base


@pytest.fixture(scope="module")
def bridge() -> Iterator[Bridge]:
    with private_bridge(headless=True) as browser:
        yield Bridge(browser)
